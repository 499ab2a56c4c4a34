"""What the readers of one document share while they walk it top to bottom, and how they
turn what they found into table rows (metric and project records with their ids)."""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.extract import metrics as M
from pipeline.extract import subjects as S
from pipeline.extract.numbers import Quantity
from pipeline.lexicon import Lexicon, UnitForm
from pipeline.records import DocumentResult, Metric, Paragraph, Project, Sentence


@dataclass
class OpenItem:
    project: Project
    rule_id: str
    level: int | None


@dataclass
class DocContext:
    doc_id: str
    lex: Lexicon
    result: DocumentResult = field(default_factory=DocumentResult)
    stack: list[OpenItem] = field(default_factory=list)
    heading: tuple[str, int] | None = None          # (text, order) of the nearest heading line
    order: int = 0
    last_item: Project | None = None              # line item that continuation lines belong to
    last_item_indent: int = 0                     # ... and where its marker stands in its line
    wrapping: Project | None = None               # the line item whose name runs on into the next line
    listed: bool = False                          # the last line item came right after one of its own marker
    item_line: int = -10                          # the line the last line item was opened on
    last_line_no: int = -10
    inline_section: str | None = None
    inline_open: str | None = None                # marker rule of the inline run the last paragraph ended in
                                                  # (one for ① ② ③: a line may go on with the next number)
    run_continues: str | None = None              # ... which this paragraph may go on with
    note_unit: UnitForm | None = None
    note_line: int = -10                          # the line the unit note was written on (or the last line
                                                  # of label-figure pairs right below it)
    item_counts: dict[tuple[str | None, str | None], int] = field(default_factory=dict)
    project_order: dict[str, int] = field(default_factory=dict)   # project id -> paragraph order
    recent_rows: list[tuple[M.Observation, Metric, tuple[int, int]]] = field(default_factory=list)
    # figures sentences reported, with where each was last said (paragraph, sentence)
    head_paragraphs: set[int] = field(default_factory=set)        # title and deck lines with figures
    last_focus: tuple[int, str] | None = None     # (line, what the prose lines ending there are about)
    point: tuple[int, str] | None = None          # (line, what a speech's numbered point is about), over its lines
    speaker: str | None = None                    # minutes: whose turn it is
    attribute_line: int | None = None             # para_idx of the last attribute line (- 사업비 : 15억원)
    named_items: set[str] = field(default_factory=set)   # items a `사업명 :` line opened
    item_nouns: dict[str, str] = field(default_factory=dict)   # project id -> its name's nouns, where it is a clause
    run_directions: dict[str, tuple[str, str]] = field(default_factory=dict)   # inline item -> its lead-in's direction
    list_directions: dict[str, tuple[str, str]] = field(default_factory=dict)  # heading item -> the direction of its items
    heading_period: tuple[str, int] | None = None  # (year, rank) a heading above gives the figures under it
    totals_broken_down: dict[int, tuple[UnitForm, frozenset[int]]] = field(default_factory=dict)
    # line -> the unit of the total its bare pairs add up to, and where they start (units.totals_broken_down)

    def next_project_id(self) -> str:
        return f"{self.doc_id}-p{len(self.result.projects):05d}"

    def warn(self, para: Paragraph, message: str) -> None:
        self.result.warnings.append(f"line {para.line_no}: {message}")


def sentence_of(sentences: list[Sentence], position: int, text: str) -> tuple[int, str]:
    for s in sentences:
        if position < s.end:
            return s.sent_idx, text[s.start:s.end]
    if sentences:
        return sentences[-1].sent_idx, text[sentences[-1].start:sentences[-1].end]
    return 0, text


def signed(part: Quantity | None, direction: str | None) -> float | None:
    """A change as the row stores it: negative for a decrease, whatever sign it was written with."""
    sign = {"increase": 1, "decrease": -1}.get(direction or "")
    return None if part is None else (abs(part.value) * sign if sign else part.value)


def add_metric(ctx: DocContext, para: Paragraph, obs: M.Observation, sent_idx: int, sentence: str,
               project: Project | None, source_kind: str, **table: object) -> Metric:
    """The metric row of an observation; `table` fills the table columns (table_id, row_label …).
    A figure the text says again (a headline and its body, a question and its answer) is the
    row it restates, completed with what the restatement adds."""
    q = obs.quantity
    if source_kind == "text":
        earlier = _restated(ctx, obs, para.para_idx, sent_idx)
        if earlier is not None:
            _complete_with(earlier, obs)
            earlier.project_id = earlier.project_id or (project.project_id if project else None)
            ctx.recent_rows = [kept for kept in ctx.recent_rows if kept[1] is not earlier] + [
                (obs, earlier, (para.para_idx, sent_idx))]
            return earlier                          # the most recent row again: later comparisons complete it
    indicator = S.indicator_for(obs.subject, ctx.lex)
    rule_ids = [*q.rule_ids, *obs.rule_ids, *(indicator[1:] if indicator else [])]
    for other in (obs.prev, obs.change, obs.change_pct):
        if other is not None:
            rule_ids += other.rule_ids
    row = Metric(
        metric_id=f"{ctx.doc_id}-m{len(ctx.result.metrics):05d}", doc_id=ctx.doc_id, para_idx=para.para_idx,
        sent_idx=sent_idx, subject=obs.subject, value=q.value, value_max=q.value_max, unit=q.unit or "",
        unit_category=q.category or "", qualifier=q.qualifier, raw_text=para.text[q.start:q.end],
        prev_value=obs.prev.value if obs.prev else None,
        change_value=signed(obs.change, obs.direction), change_pct=signed(obs.change_pct, obs.direction),
        direction=obs.direction, period=obs.period, prev_period=obs.prev_period,
        indicator=indicator[0] if indicator else None, project_id=project.project_id if project else None,
        char_start=q.start, char_end=q.end, sentence=sentence, source_kind=source_kind, speaker=ctx.speaker,
        rule_id=";".join(dict.fromkeys(r for r in rule_ids if r)), **table)  # type: ignore[arg-type]
    ctx.result.metrics.append(row)
    if source_kind == "text" and obs.change is not q:
        ctx.recent_rows = ctx.recent_rows[-RECENT_ROWS + 1:] + [(obs, row, (para.para_idx, sent_idx))]
    return row


RECENT_ROWS = 12        # rows a comparison in a later sentence may complete


def _restated(ctx: DocContext, obs: M.Observation, para_idx: int, sent_idx: int) -> Metric | None:
    """A recent text row of another sentence with the same figure and unit, of the same
    subject (spaces aside, or one that says more: 구세 → 구세 수입) and period; a
    restatement that names no subject must be an amount of money (a bare count repeats by
    chance; `주민` after `가동 주민` may be another's)."""
    q = obs.quantity
    subject = (obs.subject or "").replace(" ", "")
    for _, row, said in reversed(ctx.recent_rows):
        if said == (para_idx, sent_idx) or row.value != q.value or row.unit != (q.unit or ""):
            continue
        other = (row.subject or "").replace(" ", "")
        same = subject and other and other in subject or not subject and q.category == "money"
        if same and (obs.period is None or row.period is None or obs.period == row.period):
            return row
    return None


def _complete_with(row: Metric, obs: M.Observation) -> None:
    """What a restatement adds to the row it restates: an earlier figure, a change, a direction
    (and, in add_metric, the item it is said of)."""
    if row.prev_value is None and obs.prev is not None:
        row.prev_value = obs.prev.value
    if row.change_value is None and obs.change is not None:
        row.change_value = signed(obs.change, obs.direction)
    if row.change_pct is None and obs.change_pct is not None:
        row.change_pct = signed(obs.change_pct, obs.direction)
    row.direction = row.direction or obs.direction
    row.subject = row.subject or obs.subject
