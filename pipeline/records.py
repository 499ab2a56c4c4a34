"""Typed records that flow between the stages, one dataclass per table row. Metric and
project rows have slots and share their sentence's text (a document of one dense line holds
hundreds of thousands of rows until its extraction ends)."""
from __future__ import annotations

import bisect
import sys
from dataclasses import dataclass, field


@dataclass
class Document:
    doc_id: str
    source: str            # path relative to the inputs' common folder
    path: str              # path as found on disk (not written to the tables)
    sha256: str
    encoding: str | None = None
    n_chars: int = 0
    n_paragraphs: int = 0
    n_duplicate_paragraphs: int = 0
    n_bytes: int = 0
    n_metrics: int = 0
    n_projects: int = 0
    status: str = "ok"
    error: str | None = None
    warnings: int = 0      # read_warnings and the warnings of extraction
    read_warnings: list[str] = field(default_factory=list)   # what reading dropped (`line N: …`)
    duplicate_of: str | None = None     # doc_id of an earlier document with the same text
    year: int | None = None            # the document's own year, from its result
    year_source: str | None = None     # given / text / name


@dataclass
class Paragraph:
    doc_id: str
    para_idx: int
    line_no: int           # 1-based line of the source file
    text: str
    duplicate_of_doc: str | None = None
    duplicate_of_para: int | None = None
    duplicate_kind: str | None = None   # exact / near

    @property
    def is_duplicate(self) -> bool:
        return self.duplicate_of_doc is not None


@dataclass(slots=True)
class Token:
    form: str
    tag: str
    start: int             # offset into the paragraph text
    end: int


def tokens_between(tokens: list[Token], start: int, end: int) -> list[Token]:
    """The tokens (sorted by offset) that lie inside [start, end), found by bisection."""
    first = bisect.bisect_left(tokens, start, key=lambda t: t.start)
    last = bisect.bisect_left(tokens, end, lo=first, key=lambda t: t.start)
    return [t for t in tokens[first:last] if t.end <= end]


@dataclass
class Sentence:
    sent_idx: int
    start: int             # offset into the paragraph text
    end: int
    tokens: list[Token] = field(default_factory=list)


@dataclass(slots=True)
class Metric:
    metric_id: str
    doc_id: str
    para_idx: int
    sent_idx: int
    subject: str | None
    value: float
    value_max: float | None
    unit: str
    unit_category: str
    qualifier: str | None
    raw_text: str
    prev_value: float | None
    change_value: float | None
    change_pct: float | None
    direction: str | None
    period: str | None
    prev_period: str | None
    indicator: str | None
    project_id: str | None
    char_start: int
    char_end: int
    sentence: str
    source_kind: str       # text / table / calculation / share
    rule_id: str
    table_id: int | None = None        # the table within the document (1, 2 ...)
    row_label: str | None = None       # the table row's label as written
    column_label: str | None = None    # the table column's header as written
    row_level: int | None = None       # depth of the row in a budget book's hierarchy, 1 at the top
    is_total: bool = False             # a 합계 / 계 / 소계 row or a 계 column
    calculation: str | None = None     # the factors of a 산출기초 result (28,800 X 1인 X 232일)
    unit_note: str | None = None       # the unit note or header unit a table figure was scaled by
    year: int | None = None            # the year the value belongs to
    prev_year: int | None = None       # the year of the earlier figure
    speaker: str | None = None         # minutes: the title and name of whose turn the figure is in

    def __post_init__(self) -> None:
        self.sentence = sys.intern(self.sentence)       # the rows of one long sentence share its text


@dataclass(slots=True)
class Project:
    project_id: str
    doc_id: str
    para_idx: int
    sent_idx: int
    item_idx: int
    marker: str
    section: str | None
    parent_id: str | None
    level: int
    name: str
    detail: str | None
    action: str | None
    status: str | None
    char_start: int
    char_end: int
    sentence: str
    rule_id: str

    def __post_init__(self) -> None:
        self.sentence = sys.intern(self.sentence)


@dataclass
class DocumentResult:
    """Everything extracted from one document."""
    metrics: list[Metric] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)   # `line N: …`, what could not be read for sure
    year: int | None = None                    # the document's own year (periods.py)
    year_source: str | None = None             # given / text / name
