"""Stage 4a: a document's blocks, prose lines and tables, found from the text alone.

Tables reach us in many shapes: box drawing, pipes, tabs, columns aligned with spaces,
rows of a label and figures on single spaces, or one cell per line (HTML and PDF pages
turned into text), sometimes with the page header repeated mid-table or a whole box table
on one line. Each shape is read into the same `Table`: its value columns (from a header of
one or two levels) and, in document order, its rows (label, code, one cell per value
column) and the free text inside it (산출기초 notes, ○ items, `[ 일 반 수 용 비 ]`
headings), which the other readers take as they take any line. docs/tables.md tells how.

No morphemes are needed here, so paragraphs that are only table structure are never sent
to the analyser.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import regex

from pipeline.extract import cells as C
from pipeline.extract.units import UnitNote, figure_value, unit_form, unit_note
from pipeline.lexicon import Lexicon
from pipeline.records import Paragraph

_HEADER_NOTE = regex.compile(C.LETTER_NOTE.pattern + r"|\((?:[^()]*단위[^()]*|[^()]{1,6}원|%)\)")
_YEAR_WORD = regex.compile(r"(?<=\s|^)(?:년도?)(?:말|초)?(?=\s|$)")
_LEADING_YEAR_WORD = regex.compile(r"^\s*(?:년도?|년)(?:말|초)?\s*")          # 2009년말 현재액: 현재액
_SHORT_LABEL_THEN_FIGURE = regex.compile(r"\(?\s*(\S{1,4})\s+[△-]?\d")
_YEAR_CELL = regex.compile(r"(?:19|20)\d{2}년?")
_YEARS_IN_HEADER = regex.compile(r"(?<![\d,.])(?:19|20)\d{2}(?![\d,.])|['’]\d{2}(?!\d)")
_DIGIT = regex.compile(r"\d")
_OPEN_BRACKET_WORD = regex.compile(r"\(\S{1,3}")

_SENTENCE_END = regex.compile(r"(?:다|요|음|함|임|까|니다)\s*[.!?]?\s*[\"”'’)]*\s*$")
_BOX_ROW_BREAK = regex.compile(r"(?<=[┃┨┫┓┛])\s+(?=[┃┠┣┏┗])")      # a box table stored on one line
_MARKDOWN_RULE = regex.compile(r"^[\s|:\-]*-{3,}[\s|:\-]*$")
_ALIGNED = regex.compile(r"(?<=\S)\s{2,}(?=\S)")
_TOKEN = regex.compile(r"\S+")
_ITEM_INSIDE = regex.compile(r"(?<=\S)\s*(?=[○◦●◎□■◆◇▣]\s*\S)")     # `… 시 624,740 ○종합사회복지관 …`
_FORMULA = regex.compile(r"\d\s*[xX×*]\s*\d|=")
_LEAF_ONLY = regex.compile(r"^\s*[%％]\s*$|\([A-Z](?:\s*[=+\-]\s*[A-Z+\-\s]*)?\)|[A-Z]\s*[-+]\s*[A-Z]")
FLAT_CELL_MAX = 40          # a cell of a table flattened to one cell per line is a short line
BASIS_RUN_MAX = 12          # basis lines outside the cells between two rows of a delimited table
BODY_LINE_MAX = 90          # inside a table, a longer line that ends a sentence is prose again
HEADER_MAX_LINES = 24


@dataclass(frozen=True)
class Span:
    """A piece of a paragraph: the paragraph's position in the document, and the characters."""
    para: int
    start: int
    end: int


@dataclass
class Column:
    header: str                       # as written, header lines joined with a space
    role: str = "current"             # current, value (named by its header), previous, change, change_pct, ratio
    rule_id: str = ""
    year: int | None = None
    group: str = ""                   # the header above it in a two-level header
    unit_text: str | None = None      # a unit the header names: 금액(백만원), (%)
    dated: bool = False               # its name keeps its year (`2024 실적 | 2025 목표`: two measures)

    @property
    def name(self) -> str:
        """The column's words for a subject: group and header, without years and letters,
        each letter-spaced part joined on its own (`수 급 자` over `가 구`: 수급자 가구)."""
        parts = []
        for words in (self.group, self.header):
            words = _HEADER_NOTE.sub("", words)
            if self.unit_text:                          # 업체수 (개), 연간 수송인원 (천명): the unit is no name
                words = _HEADER_UNIT.sub(" ", words)
            words = words if self.dated else C.YEAR.sub("", words)
            words = C.clean_label(_LEADING_YEAR_WORD.sub("", _YEAR_WORD.sub("", words)))
            if words:
                parts.append(words)
        return " ".join(parts)


@dataclass
class Row:
    cells: list[Span | None]          # one per value column; None where the row has no figure
    label: Span | None
    sentence: str                     # the row as written (its line, or its cells joined by ` | `)
    code: str | None = None
    group_label: str | None = None    # a row group written before the label (② 살림규모)
    label_prefix: str = ""            # the label's words wrapped onto the lines before the row
    label_suffix: str = ""            # ... and after it
    unit: str | None = None           # a unit the row names in a cell of its own (`공영주차장 | 천대 | …`)


@dataclass
class Note:
    """Free text inside a table: a basis cell, an item, a heading, a formula or its result."""
    span: Span


@dataclass
class Table:
    number: int                        # 1, 2 … within the document
    columns: list[Column]
    parts: list[Row | Note] = field(default_factory=list)
    note: UnitNote | None = None       # the unit note in force (a unit the header names wins)
    paragraphs: set[int] = field(default_factory=set)
    structure: set[int] = field(default_factory=set)    # paragraphs that are only table structure
    warnings: list[tuple[int, str]] = field(default_factory=list)   # (paragraph, what could not be read)
    right_from: int = 0                # two tables side by side: the first column of the right one (0: one table)


@dataclass
class Prose:
    para: int


Block = Prose | Table


@dataclass
class _Line:
    span: Span
    text: str
    indent: int = 0            # display columns before the line in its paragraph (its indentation)
    empty_cells: int = 0       # tabs before it: a tab-separated row's first cells left empty


def layout(paragraphs: list[Paragraph], lex: Lexicon) -> list[Block]:
    """The document's blocks in order: each paragraph is prose or lies in one table."""
    lines = _lines(paragraphs)
    blocks: list[Block] = []
    note: UnitNote | None = None
    tables = 0                 # counted as they come: a document's work stays linear in its lines
    i = 0
    while i < len(lines):
        note = unit_note(lines[i].text, lex) or note
        table, end = _table_at(lines, i, note, lex, tables + 1)
        if table is not None:
            tables += 1
            first = lines[i].span.para
            if blocks and isinstance(blocks[-1], Prose) and blocks[-1].para == first:
                blocks.pop()                                  # text before the table, on its first line
                before = i                                    # the lines of that paragraph lie right above
                while before > 0 and lines[before - 1].span.para == first:
                    before -= 1
                table.parts[:0] = [Note(ln.span) for ln in lines[before:i]]
            while end < len(lines) and lines[end].span.para == lines[end - 1].span.para:
                table.parts.append(Note(lines[end].span))    # text after it, on its last line
                end += 1
            table.paragraphs = {ln.span.para for ln in lines[i:end]} | {first}
            table.structure = table.paragraphs - {p.span.para for p in table.parts if isinstance(p, Note)}
            blocks.append(table)
            note = table.note
            i = end
            continue
        para = lines[i].span.para
        if not (blocks and isinstance(blocks[-1], Prose) and blocks[-1].para == para):
            blocks.append(Prose(para))
        i += 1
    return blocks


def _box_row_breaks(text: str) -> list[int]:
    """Where a box table stored on one line breaks into rows: between a closing and an opening
    box line, unless only the line's last box line follows (an empty last cell, `┃ 973,450 ┃
    ┃`, is no break)."""
    cuts = [m.start() for m in _BOX_ROW_BREAK.finditer(text)]
    ends = cuts[1:] + [len(text)]
    return [cut for cut, end in zip(cuts, ends) if not C.SEPARATOR.fullmatch(text[cut:end].strip())]


def _lines(paragraphs: list[Paragraph]) -> list[_Line]:
    """One line per paragraph, but a box table stored on one line (its row breaks lost) is
    cut back into its rows, and so is a table of years run into a line of prose."""
    lines = []
    for k, para in enumerate(paragraphs):
        text = para.text
        cuts = _box_row_breaks(text) if text.count("┃") > 4 else _run_together_rows(text)
        start = 0
        for cut in cuts + [len(text)]:
            piece = text[start:cut]
            if piece.strip():
                a = start + len(piece) - len(piece.lstrip())
                b = start + len(piece.rstrip())
                lines.append(_Line(Span(k, a, b), text[a:b], _columns_at(text[:a])[-1], text.count("\t", start, a)))
            start = cut
    return lines


_RUN_HEADER = regex.compile(r"(?<!\S)(?:구\s*분|연\s*도|년\s*도)\s+((?:(?:19|20)\d{2}년?\s+){1,11}(?:19|20)\d{2}년?)(?=\s)")
_RUN_FIGURE = r"[△▲▼\-]?\(?\d{1,3}(?:,\d{3})+(?:\.\d+)?\)?%?|[△▲▼\-]?\d+(?:\.\d+)?%?|-"


def _run_together_rows(text: str) -> list[int]:
    """Where the header and rows of a table of years start, and where it ends, in a line that
    runs them into its prose (`… (단위 : 억원) 구분 2013 2014 2015 신속집행 대상(A) 214,046 222,365
    214,783 목표액(B) 126,372 124,548 122,803 …`): a label and one figure a year, twice at least."""
    if len(text) < 80 or "구" not in text and "도" not in text:
        return []
    cuts: list[int] = []
    for head in _RUN_HEADER.finditer(text):
        years = len(head.group(1).split())
        row = regex.compile(rf"\s+([^\s\d△▲▼\-][^\d△▲▼]{{0,40}}?)\s+(?:{_RUN_FIGURE})(?:\s+(?:{_RUN_FIGURE})){{{years - 1}}}"
                            r"(?=\s|$)")
        starts, pos = [], head.end()
        while (m := row.match(text, pos)) is not None:
            starts.append(m.start(1))
            pos = m.end()
        if len(starts) >= 2:
            cuts += [head.start()] + starts + ([pos] if text[pos:].strip() else [])
    return cuts


def _table_at(lines: list[_Line], i: int, note: UnitNote | None, lex: Lexicon,
              number: int) -> tuple[Table | None, int]:
    for reader in (_delimited_table, _aligned_table, _simple_table, _flattened_table):
        table, end = reader(lines, i, note, lex, number)
        if table is not None and any(isinstance(p, Row) for p in table.parts):
            return table, end
    return None, i


def _span(ln: _Line, a: int, b: int) -> Span:
    """A piece of a line, without its outer spaces."""
    piece = ln.text[a:b]
    lead = len(piece) - len(piece.lstrip())
    return Span(ln.span.para, ln.span.start + a + lead, ln.span.start + a + len(piece.rstrip()))


# ---------------------------------------------------------------- box drawing, pipes, tabs

def _delimited_cells(text: str) -> list[tuple[int, int]] | None:
    """Cells between box lines, pipes or tabs (an empty piece before the first and after the
    last separator dropped, and trailing empty tab cells); None for a line with fewer than
    two separators, or a tab line with fewer than two filled cells."""
    separators = list(C.SEPARATOR.finditer(text))
    tabs = sum(m.group() == "\t" for m in separators)
    if len(separators) - tabs < 2 and not (tabs and sum(bool(p.strip()) for p in text.split("\t")) >= 2):
        return None
    spans, start = [], 0
    for m in separators:
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    if spans and not text[spans[0][0]:spans[0][1]].strip():
        spans.pop(0)
    while spans and not text[spans[-1][0]:spans[-1][1]].strip() and (tabs or spans[-1] == spans[-1:][0]):
        spans.pop()
        if not tabs:
            break
    return spans


def _is_border(text: str) -> bool:
    return bool(C.BORDER_ONLY.match(text)) and not C.has_hangul(text) and any(ch in text for ch in "━─═-~_=")


def _delimited_table(lines, i, note, lex, number):
    if _delimited_cells(lines[i].text) is None and not _is_border(lines[i].text):
        return None, i
    end = i
    while end < len(lines) and (_delimited_cells(lines[end].text) is not None or _is_border(lines[end].text)
                                or end > i and (lines[end].empty_cells > 0 or _BOXED_NOTE.match(lines[end].text)
                                                or _basis_between_rows(lines, end, lex))):
        end += 1                  # a tab row with one cell filled past the first (`\t육성기금`) goes on, and so
    halves = _side_by_side(lines[i:end])                                           # does `│   (국 1,200 / 시 400)`
    if halves is not None:
        while end < len(lines) and _half_row(lines[end].text):
            end += 1                                                               # the left table runs longer
        tables = [_grid_table(lines[i:end], half, note, lex, number) for half in halves]
        if all(t is not None and any(isinstance(p, Row) for p in t.parts) for t in tables):
            return _stacked(tables[0], tables[1]), end                            # type: ignore[arg-type]
    return _grid_table(lines[i:end], _cells_after_tabs, note, lex, number), end


def _side_by_side(lines: list[_Line]) -> tuple[Callable[[_Line], list[tuple[int, int]]], ...] | None:
    """Two tables written side by side in cells (`수 입 | 금 액 | 지 출 | 금 액`, `과 목 │ 금 액 │ 과 목 │
    금 액`): how to cut each line into its left and its right table (by cell where a line has
    them all, else by where its cells stand on the screen), or None."""
    cut_lines = [(ln, _cells_after_tabs(ln)) for ln in lines if not _is_border(ln.text)]
    counts = Counter(len(cells) for _, cells in cut_lines)
    n = counts.most_common(1)[0][0] if counts else 0
    cut = _halves([(ln, cells) for ln, cells in cut_lines if len(cells) == n], _header_of(cut_lines, n))
    if cut is None:
        return None
    j, x = cut

    def side(right: bool) -> Callable[[_Line], list[tuple[int, int]]]:
        def cells_of(ln: _Line) -> list[tuple[int, int]]:
            cells = _half_row_cells(ln.text) or _cells_after_tabs(ln)
            if len(cells) == n:
                return cells[j:] if right else cells[:j]
            return [(a, b) for a, b in cells if (_display_span(ln, a, b)[0] >= x - 1) == right]
        return cells_of
    return side(False), side(True)


def _halves(rows: list[tuple[_Line, list[tuple[int, int]]]], header: list[str]) -> tuple[int, int] | None:
    """Where full rows of cells hold two tables side by side: most of them a label, figures, a
    second label, figures (and no other text), under a header line that repeats itself at the
    cut (`header`: the texts of the last header line of as many cells). The cell that opens
    the right table, and the display column where it stands; None when no cut fits."""
    n = len(rows[0][1]) if rows else 0
    if n < 4:
        return None
    kinds = [["figure" if C.is_figure(ln.text[a:b]) else "empty" if not ln.text[a:b].strip() or C.is_dash(ln.text[a:b])
              else "text" for a, b in cells] for ln, cells in rows]

    def halves_at(j: int, row: list[str]) -> bool:
        return row[0] == "text" == row[j] and "figure" in row[1:j] and "figure" in row[j + 1:] \
            and "text" not in row[1:j] + row[j + 1:]

    j = next((j for j in range(2, n - 1) if sum(halves_at(j, r) for r in kinds) >= max(2, len(rows) // 2)
              and _repeated_header(header, j)), None)
    if j is None:
        return None
    ln, cells = next(row for row, k in zip(rows, kinds) if halves_at(j, k))
    return j, _display_span(ln, *cells[j])[0]


def _repeated_header(header: list[str], j: int) -> bool:
    """The header line of a side-by-side layout says so: the right table's cells repeat the
    left one's (`과 목 | 금 액 | 과 목 | 금 액`), or at least its value columns' (`수 입 | 금 액 | 지 출 |
    금 액`); not `사업명 | 예산 | 담당부서 | 집행액`, one table with a text column."""
    words = [C.compact(t) for t in header]
    return len(words) > j and (words[:j] == words[j:2 * j] or words[1:j] == words[j + 1:2 * j]) and any(words[1:j])


def _runs_on_the_right(ln: _Line, right: list[_Line]) -> bool:
    """A line of a label and its figures that stands where the right table's rows do."""
    rows = [r for r in right if any(C.is_figure(r.text[a:b]) for a, b in _aligned_cells(r.text))]
    cells = _aligned_cells(ln.text)
    return bool(rows) and abs(ln.indent - min(r.indent for r in rows)) <= 1 and len(cells) >= 2 \
        and not C.is_figure(ln.text[slice(*cells[0])]) and all(C.is_value(ln.text[a:b]) for a, b in cells[1:])


def _header_of(cut_lines: list[tuple[_Line, list[tuple[int, int]]]], n: int) -> list[str]:
    """The texts of the last line of n cells above the first line with a figure."""
    header: list[str] = []
    for ln, cells in cut_lines:
        texts = [ln.text[a:b] for a, b in cells]
        if any(C.is_figure(t) for t in texts):
            break
        if len(cells) == n:
            header = texts
    return header


def _aligned_halves(lines: list[_Line]) -> tuple[list[_Line], list[_Line]] | None:
    """An aligned table that is two side by side (`과 목  예 산 액  분 야  예 산 액`): its lines cut
    where the right table's labels stand, each part a line of its own (a part left blank,
    where one table runs longer, dropped)."""
    cut_lines = [(ln, _aligned_cells(ln.text)) for ln in lines if not _is_border(ln.text)]
    counts = Counter(len(cells) for _, cells in cut_lines if len(cells) >= 4)
    if not counts:
        return None
    n = counts.most_common(1)[0][0]
    cut = _halves([(ln, cells) for ln, cells in cut_lines if len(cells) == n], _header_of(cut_lines, n))
    if cut is None:
        return None
    x = cut[1]
    left: list[_Line] = []
    right: list[_Line] = []
    for ln in lines:
        columns = _columns_at(ln.text)
        k = next((k for k in range(len(ln.text)) if ln.indent + columns[k] >= x - 1), len(ln.text))
        for part, (a, b) in ((left, (0, k)), (right, (k, len(ln.text)))):
            piece = ln.text[a:b]
            if piece.strip() and not (part is right and _is_border(piece)) or _is_border(ln.text):
                lead = len(piece) - len(piece.lstrip())
                part.append(_Line(Span(ln.span.para, ln.span.start + a + lead, ln.span.start + a + len(piece.rstrip())),
                                  piece.strip(), ln.indent + columns[a + lead], ln.empty_cells))
    return left, right


def _stacked(left: Table, right: Table) -> Table:
    """The tables of a side-by-side layout as one: the left one's rows, then the right one's,
    each over its own columns."""
    blank_right, blank_left = [None] * len(right.columns), [None] * len(left.columns)
    parts: list[Row | Note] = [replace(p, cells=p.cells + blank_right) if isinstance(p, Row) else p for p in left.parts]
    parts += [replace(p, cells=blank_left + p.cells) if isinstance(p, Row) else p for p in right.parts
              if not (isinstance(p, Note) and any(isinstance(q, Note) and q.span == p.span for q in left.parts))]
    return Table(left.number, left.columns + right.columns, parts, note=left.note or right.note,
                 warnings=left.warnings + right.warnings, right_from=len(left.columns))


_HALF_ROW = regex.compile(r"\s*([^|│┃\d\s][^|│┃]*?)\s*[|│┃]\s*([^|│┃]+?)\s*")


def _half_row_cells(text: str) -> list[tuple[int, int]]:
    """`  이자수익 | 186,000`: a label and its figure split by one pipe, the left table of two side
    by side running longer than the right (a pipe table written without outer pipes): its two
    cells, else none."""
    m = _HALF_ROW.fullmatch(text)
    return [m.span(1), m.span(2)] if m is not None and C.is_figure(m.group(2)) and not C.is_figure(m.group(1)) else []


def _half_row(text: str) -> bool:
    return bool(_half_row_cells(text))


def _basis_between_rows(lines: list[_Line], k: int, lex: Lexicon) -> bool:
    """Basis lines written outside the cells between a table's rows (`   국 6,014,820  도 2,340,115`,
    `○ 조림 : 기정 420,000천원 → …`) before another row of the table: the table goes on."""
    j = k
    while j < len(lines) and j - k < BASIS_RUN_MAX and budget_note(lines[j].text, lex) \
            and unit_note(lines[j].text, lex) is None and _delimited_cells(lines[j].text) is None \
            and not _is_border(lines[j].text):
        j += 1
    return j > k and j < len(lines) and (cells := _delimited_cells(lines[j].text)) is not None \
        and any(C.is_figure(lines[j].text[a:b]) for a, b in cells)      # a row, not another table's header


_BOXED_NOTE = regex.compile(r"[│┃|║]\s*(?=\S)(?![│┃|║])")   # a line of one cell after a box line: a note


def _cells_after_tabs(ln: _Line) -> list[tuple[int, int]]:
    """A delimited line's cells, its leading empty tab cells kept in place; a line of one cell
    after them (a basis note `\t\t\t\t○한우 … 지원`, the rest of a label) or after a box line
    (`│   ○ 사례집 발간 …`) is that cell."""
    cells = _delimited_cells(ln.text)
    if cells is None:
        boxed = _BOXED_NOTE.match(ln.text)
        cells = [(0, len(ln.text))] if ln.empty_cells and ln.text.strip() else \
            [(boxed.end(), len(ln.text))] if boxed else []
    return [(0, 0)] * ln.empty_cells + cells


# ---------------------------------------------------------------- columns aligned with spaces

def _aligned_cells(text: str) -> list[tuple[int, int]]:
    """Cells of a line whose columns are aligned with runs of spaces; a word spaced out over
    its column (`구      분`, `합      계`) is one cell."""
    spans, start = [], len(text) - len(text.lstrip())
    for m in _ALIGNED.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text.rstrip())))
    joined: list[tuple[int, int]] = []
    spread = 0                        # the last cell is syllables spread apart by runs of this many spaces
    for a, b in spans:
        piece = text[a:b]
        last = text[joined[-1][0]:joined[-1][1]] if joined else ""
        gap = a - joined[-1][1] if joined else 0
        if len(piece) == 1 and C.has_hangul(piece) and (len(last) == 1 and C.has_hangul(last) and not spread
                                                        or spread and gap <= spread + 1):
            joined[-1] = (joined[-1][0], b)
            spread = max(spread, gap)
        else:                         # `추 경 액` then `증  감`: two cells, not one word; `인    구` then, far
            joined.append((a, b))     # off, `명`: a unit cell
            spread = 0
    return joined


def _is_aligned_row(text: str, lex: Lexicon) -> bool:
    cells = _aligned_cells(text)
    if len(cells) < 3 or _delimited_cells(text) is not None:
        return False
    texts = [text[a:b] for a, b in cells]
    return sum(C.is_figure(t) for t in texts) >= 2 or sum(C.column_role(t, lex) is not None for t in texts) >= 2


def _aligned_table(lines, i, note, lex, number):
    if not _is_aligned_row(lines[i].text, lex) and not _aligned_header(lines, i, lex):
        return None, i
    end = i + 1
    data = any(C.is_figure(lines[i].text[a:b]) for a, b in _aligned_cells(lines[i].text))
    while end < len(lines):
        text = lines[end].text
        if _is_aligned_row(text, lex) or _is_border(text) or _wrapped_label(lines, end, lex) or _blank_row(text):
            data = data or any(C.is_figure(text[a:b]) and C.year_of(text[a:b]) is None
                               for a, b in _aligned_cells(text))
            end += 1
        elif not data and len(C.compact(C.RULE_CHARACTERS.sub("", text))) <= FLAT_CELL_MAX \
                and not _SENTENCE_END.search(text):
            end += 1                                  # a header line of fewer cells: `(안)  본예산  (%)`, or
                                                      # of rules under groups: `구  분   ──────  ──────`
        elif data and budget_note(text, lex):
            end += 1                                  # a budget book's shares, items and formulas
        else:
            break
    if end - i < 2:
        return None, i
    halves = _aligned_halves(lines[i:end])
    if halves is not None:
        while end < len(lines) and _runs_on_the_right(lines[end], halves[1]):
            end += 1                                  # the right table runs longer than the left
        halves = _aligned_halves(lines[i:end]) or halves
        tables = [_aligned_grid(half, note, lex, number) for half in halves]
        if all(t is not None and any(isinstance(p, Row) for p in t.parts) for t in tables):
            return _stacked(tables[0], tables[1]), end                            # type: ignore[arg-type]
    return _aligned_grid(lines[i:end], note, lex, number), end


def _aligned_header(lines: list[_Line], i: int, lex: Lexicon) -> bool:
    """A header line of an aligned table that has no rule words (`구분   본청   사업소`), or a
    group line above its header (`2025년   2024년   증 감` over `예산(안)  당초예산  금 액
    증감률`): two or more cells, no figure, no sentence, right above rows of figures, or above
    one or two header lines of rule words right above them (`2009년도   2008년도` over `구 분
    ───   ───   증 감   증감률` over `예산액  구성비  예산액  구성비`)."""
    if not _header_like(lines[i].text):
        return False
    below = [k for k in range(i + 1, min(len(lines), i + 7)) if not _is_border(lines[k].text)][:3]
    for k in below:                                   # a rule line between header and rows is skipped
        if not (_is_aligned_row(lines[k].text, lex) or _header_like(lines[k].text, cells=1)):
            return False
        if any(C.is_figure(lines[k].text[a:b]) for a, b in _aligned_cells(lines[k].text)):
            return _is_aligned_row(lines[k].text, lex)
    return False


def _header_like(text: str, cells: int = 2) -> bool:
    """Two or more cells (below a header line, one: `계     남     여`), no figure, no sentence,
    short: a line an aligned header may hold."""
    found = _aligned_cells(text)
    return len(found) >= cells and not any(C.is_figure(text[a:b]) for a, b in found) \
        and not _SENTENCE_END.search(text) and len(C.compact(text)) <= 2 * FLAT_CELL_MAX


def budget_note(text: str, lex: Lexicon) -> bool:
    """A line of a budget book's basis column: an item (○, -, ·), a formula, a lone figure or
    `=`, funding shares (`도 78,120  시 242,280`), a `[ 일 반 수 용 비 ]` heading."""
    t = text.strip()
    if t.startswith(("○", "ㅇ", "◦", "-", "·", "[", "(", "=", ")")) or _FORMULA.search(t) or C.is_value(t):
        return True
    first = _SHORT_LABEL_THEN_FIGURE.match(t)
    return bool(first) and first.group(1) in lex.funding_sources


def _blank_row(text: str) -> bool:
    """A row of an aligned table whose cells are all left blank (`예비비        -        -`)."""
    cells = _aligned_cells(text)
    return len(cells) >= 2 and C.has_hangul(text[slice(*cells[0])]) and not C.is_figure(text[slice(*cells[0])]) \
        and all(C.is_dash(text[a:b]) for a, b in cells[1:])


def _wrapped_label(lines: list[_Line], k: int, lex: Lexicon) -> bool:
    """A short line without figures among the rows of an aligned table: a label that goes
    on from the row above (`   개발`) or on into the row below (`산업·중소기업 및`)."""
    text = lines[k].text.strip()
    return (0 < k < len(lines) - 1 and 0 < len(C.compact(text)) <= 20 and len(_aligned_cells(text)) == 1
            and not C.is_figure(text) and not _SENTENCE_END.search(text) and _is_aligned_row(lines[k - 1].text, lex)
            and (_is_aligned_row(lines[k + 1].text, lex) or _wrapped_label(lines, k + 1, lex)
                 if k + 1 < len(lines) else False))


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _columns_at(text: str) -> list[int]:
    """The display column where each character of the line starts (Hangul is two wide)."""
    out, x = [], 0
    for ch in text:
        out.append(x)
        x += _width(ch)
    out.append(x)
    return out


def _aligned_grid(lines: list[_Line], note: UnitNote | None, lex: Lexicon, number: int) -> Table | None:
    """A table aligned with spaces, read by where its cells stand on the screen: the value
    columns are where the figures of full rows usually stand (a row with all its
    figures is read in order, one with fewer by where they stand), header words go to the
    column they stand over (joined top to bottom), and a label that wraps (an indented line,
    or a line without figures before an indented row) is joined to its row's."""
    rows: list[tuple[_Line, list[tuple[int, int, int, int]]]] = []
    header: list[tuple[_Line, list[tuple[int, int, int, int]]]] = []
    for ln in lines:
        if _is_border(ln.text) or _MARKDOWN_RULE.match(ln.text):
            continue
        found = unit_note(ln.text, lex)
        if found is not None and len(_aligned_cells(ln.text)) <= 1:
            note = found
            continue
        xs = [ln.indent + x for x in _columns_at(ln.text)]
        cells = [(a, b, xs[a], xs[b]) for a0, b0 in _aligned_cells(ln.text) if not _is_border(ln.text[a0:b0])
                 or C.is_dash(ln.text[a0:b0]) and len(ln.text[a0:b0]) <= 3          # `-`: a blank cell, no rule
                 for a, b in (C.amount_and_share(ln.text, a0, b0) or C.share_header(ln.text, a0, b0) or [(a0, b0)])]
        data = any(C.is_figure(ln.text[a:b]) and C.year_of(ln.text[a:b]) is None for a, b, _, _ in cells)
        (rows if data or rows else header).append((ln, cells))
    rows = [(ln, [c for k, c in enumerate(cells) if k != serial])
            for (ln, cells), serial in zip(rows, _serials(rows))]       # 연번: no value
    by_year = len(rows) >= 2 and all(cells and _only_a_year(ln.text[cells[0][0]:cells[0][1]]) for ln, cells in rows)
    skip = 1 if by_year else 0                  # `2014   17.85   60.12`: years label the rows
    value_cells = [[c for c in cells[skip:] if C.is_value(ln.text[c[0]:c[1]]) and ln.text[c[0]:c[1]].strip()]
                   for ln, cells in rows]
    counts = Counter(len(v) for v in value_cells if v)
    if not counts:
        return None
    full = _full_width(counts)
    stretches = [(_median([v[k][2] for v in value_cells if len(v) == full]),
                  _median([v[k][3] for v in value_cells if len(v) == full])) for k in range(full)]
    columns = percent_columns(_stretch_columns(_leaves_spaced_apart(header, stretches), stretches, lex))
    table = Table(number, columns, note=note)
    pending: list[str] = []                     # label lines waiting for their row
    last: Row | None = None
    last_indent = 0                             # the last row's line: a label line deeper than it goes on it
    for ln, cells in rows:
        values = [c for c in cells[skip:] if C.is_value(ln.text[c[0]:c[1]]) and ln.text[c[0]:c[1]].strip()]
        values = list(zip(values, range(full))) if len(values) == full else \
            [(c, _stretch_of(c, stretches)) for c in values]   # a full row by order, others by where they stand
        if not _is_aligned_row(ln.text, lex) and budget_note(ln.text, lex):
            table.parts.extend(_body_notes(ln))
            continue
        if not values:
            text = ln.text.strip()
            if last is not None and last.label is not None and ln.indent > max(last_indent, _label_indent(rows)):
                last.label_suffix = (last.label_suffix + " " + text).strip()
            else:
                pending.append(text)
            continue
        first_x = min(c[2] for c, _ in values)
        before = [c for c in cells if c[3] <= first_x and (not C.is_value(ln.text[c[0]:c[1]]) or by_year and c is cells[0])]
        after = [c for c in cells if c[2] >= first_x and not C.is_value(ln.text[c[0]:c[1]])]
        figures: list[Span | None] = [None] * len(stretches)
        for c, k in values:
            if k is not None and figures[k] is None and C.is_figure(ln.text[c[0]:c[1]]):
                figures[k] = _span(ln, c[0], c[1])
        unit, kept = _unit_cell([ln.text[c[0]:c[1]] for c in before], list(range(len(before))), lex)
        before = [before[k] for k in kept]                                  # 단위 `가구`: the row's
        label = _span(ln, before[0][0], before[-1][1]) if before else None
        row = Row(figures, label, ln.text.strip(), unit=unit)
        row.label_prefix = " ".join(pending)
        pending = []
        table.parts.append(row)
        table.parts.extend(Note(_span(ln, c[0], c[1])) for c in after)
        last, last_indent = row, ln.indent
    return table


def _shifted_left(cells: list[tuple[str, int, int]], stretches: list[tuple[int, int]], lex: Lexicon
                  ) -> list[tuple[str, int, int]]:
    """A header line's words that stand over the value columns (a year anywhere): not those over
    the labels, unless words the rules know for value columns stand there and the line has too
    few words without them (`사 업 명   요구액   조정액   증감`, written by characters, not by screen
    columns, over three columns of figures)."""
    right = [c for c in cells if not (c[2] <= stretches[0][0] and not C.year_of(c[0]))]
    left = [c for c in cells if c not in right]
    missing = len(stretches) - len(right)
    if missing <= 0 or len(left) <= missing:
        return right
    shifted = left[-missing:]
    if not all((word := C.column_role(t, lex)) is not None and word.role not in ("label", "basis") for t, _, _ in shifted):
        return right
    return shifted + right


def _serials(rows: list[tuple[_Line, list[tuple]]]) -> list[int | None]:
    """Each row's cell that numbers it, when the table's rows are numbered 1, 2, 3 …"""
    found = [C.serial_cell([ln.text[c[0]:c[1]] for c in cells]) for ln, cells in rows]
    numbers = [ln.text[cells[k][0]:cells[k][1]] for (ln, cells), k in zip(rows, found) if k is not None]
    return found if C.numbers_rows(numbers) else [None] * len(rows)


def _only_a_year(text: str) -> bool:
    return C.year_of(text) is not None and not _LEADING_YEAR_WORD.sub("", C.YEAR.sub("", text)).strip()


def _leaves_beside(rights: list[list[tuple[str, int, int]]], width: int) -> dict[int, dict[int, str]]:
    """Header words that stand on a line above the last one, right of where its words start, and with
    them make one word a column: leaves of their own, their cells merged down (`증  감 | 증감률`
    beside `예산액 | 구성비 | 예산액 | 구성비`), read in order however far the text shifted them.
    Line → column → word, for the last line and that one."""
    last = rights[-1] if rights else []
    if not 0 < len(last) < width:
        return {}
    for n in range(len(rights) - 2, -1, -1):
        beside = [cell for cell in rights[n] if cell[1] > last[-1][1]]
        if beside and len(last) + len(beside) == width and len(beside) == len(rights[n]):
            return {len(rights) - 1: {k: text for k, (text, _, _) in enumerate(last)},
                    n: {len(last) + k: text for k, (text, _, _) in enumerate(beside)}}
    return {}


def _label_indent(rows: list[tuple[_Line, list]]) -> int:
    """How far labels usually stand from the left: a line indented further than they and than
    the row above it goes on that row's label (one at the row's own depth, `농공단지` over
    `  조성사업  12,400`, opens the next row's)."""
    indents = Counter(ln.indent for ln, cells in rows if len(cells) > 1)
    return indents.most_common(1)[0][0] if indents else 0


def _median(values: list[int]) -> int:
    return sorted(values)[len(values) // 2]


def _stretch_of(cell: tuple[int, int, int, int], stretches: list[tuple[int, int]]) -> int | None:
    best = max(range(len(stretches)), key=lambda k: _overlap(cell[2], cell[3], *stretches[k]), default=None)
    return best if best is not None and _overlap(cell[2], cell[3], *stretches[best]) > 0 else None


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return min(a1, b1) - max(a0, b0)


def _full_width(counts: Counter) -> int:
    """How many figures a full row of an aligned table has: the most usual count, or a larger
    one that a fair share of the rows hold (a 구성비 given only on the top rows: `100 지방세수입
    1,012,480 968,350 44,130 33.6` among rows of three)."""
    usual = counts.most_common(1)[0][0]
    rows = sum(counts.values())
    return max((n for n, k in counts.items() if n > usual and k >= 2 and 5 * k >= rows), default=usual)


def _groups_of_repeated_leaves(over: list[tuple[str, int, int]], later: list[tuple[dict[int, str], list, bool]],
                               width: int) -> dict[int, str] | None:
    """Groups over leaves that repeat (`2023년 | 2024년 | 증 감` over `발생건수 인명피해` three times):
    the k-th group heads the k-th repeat, wherever the copy shifted the words; None unless
    the next line has one leaf a column and its words repeat once per group."""
    if not later or len(over) < 2 or width % len(over):
        return None
    leaves = later[0][0]
    share = width // len(over)
    if share < 2 or sorted(leaves) != list(range(width)) or any(
            C.compact(leaves[k]) != C.compact(leaves[k % share]) for k in range(width)):
        return None
    return {k: over[k // share][0] for k in range(width)}


def _leaves_spaced_apart(header: list[tuple[_Line, list[tuple[int, int, int, int]]]], stretches: list[tuple[int, int]]
                         ) -> list[tuple[_Line, list[tuple[int, int, int, int]]]]:
    """The last header line's syllables that _aligned_cells took for one spaced-out word are
    leaves when each stands over a value column of its own (`계     남     여` under `인    구`)."""
    if not header:
        return header
    ln, cells = header[-1]
    xs = [ln.indent + x for x in _columns_at(ln.text)]
    out: list[tuple[int, int, int, int]] = []
    for a, b, x0, x1 in cells:
        syllables = [(m.start(), m.end(), xs[m.start()], xs[m.end()]) for m in _SYLLABLE.finditer(ln.text, a, b)]
        homes = [_stretch_of(c, stretches) for c in syllables]
        spaced = len(syllables) > 1 and all(c[1] - c[0] == 1 for c in syllables)
        out.extend(syllables if spaced and None not in homes and len(set(homes)) == len(homes) else [(a, b, x0, x1)])
    return header[:-1] + [(ln, out)]


_SYLLABLE = regex.compile(r"\S+")


def _stretch_columns(header: list[tuple[_Line, list[tuple[int, int, int, int]]]], stretches: list[tuple[int, int]],
                     lex: Lexicon) -> list[Column]:
    """Each header word joins the value column it stands over most (or nearest, when it
    stands over none), header lines joined top to bottom; a group line above the others, with
    fewer words than columns, heads every column nearest to each of its words (`수 급 자` and
    `전년 대비 증감` over `가 구 | 인 원 | 가 구 | 인 원`), though a year heads only its own."""
    words: list[list[str]] = [[] for _ in stretches]
    groups: list[list[str]] = [[] for _ in stretches]
    lines: list[tuple[dict[int, str], list[tuple[str, int, int]], bool]] = []
    rights = [_shifted_left([(ln.text[a:b].strip(), x0, x1) for a, b, x0, x1 in cells], stretches, lex)
              for ln, cells in header]
    leaves_beside = _leaves_beside(rights, len(stretches))
    for n, right in enumerate(rights):
        over = [cell for cell in right if cell[1] < stretches[-1][1]]
        if len(right) == len(stretches):              # one word a column: in order, wherever it stands
            homes = {k: text for k, (text, _, _) in enumerate(right)}
        else:
            homes = {}                                # over the labels (구분) or the notes (비고): none
            for text, x0, x1 in over:                 # words over one column join (`수  입(B)`)
                k = max(range(len(stretches)), key=lambda j: (_overlap(x0, x1, *stretches[j]),
                                                              -abs((x0 + x1) - sum(stretches[j]))))
                homes[k] = f"{homes[k]} {text}" if k in homes else text
        if n in leaves_beside:
            homes = leaves_beside[n]
            over = []
        spanning = n < len(header) - 1 and 2 <= len(over) < len(stretches) and len(right) != len(stretches)
        lines.append((homes, over, spanning))
    for n, (homes, over, spanning) in enumerate(lines):
        below = {k for later, _, _ in lines[n + 1:] for k in later}
        shared = _groups_of_repeated_leaves(over, [line for line in lines[n + 1:] if line[0]], len(stretches)) \
            if spanning else None
        if shared:                                    # `2023년 2024년 증감` over `건수 피해` three times:
            homes.update(shared)                      # each group heads one repeat of the leaves
        elif spanning:                                  # a word over leaves heads the leaves nearest it; one
            heads = [cell for cell in over if next(k for k, t in homes.items() if t == cell[0]) in below]
            for k, (s0, s1) in enumerate(stretches):  # over no leaf is its column's own (`증 감 | 증감률`)
                if k not in homes and k in below and heads:
                    text, x0, x1 = min(heads, key=lambda c: max(c[1] - s1, s0 - c[2], 0))
                    if not _only_a_year(text):  # `2024년도 운용계획` heads its leaves, `2024년` one column
                        homes[k] = text
        for k in sorted(homes):
            (groups if spanning and k in below else words)[k].append(homes[k])
    columns: list[Column] = []
    for k, (own, group) in enumerate(zip(words, groups)):
        column = (_column(" ".join(own), lex) if own else None) or _unnamed(k)
        if group:
            _under(column, " ".join(group), lex)
        columns.append(column)
    return columns


# ---------------------------------------------------------------- tables whose lines are rows

def _grid_table(lines: list[_Line], split: Callable[[_Line], list[tuple[int, int]]], note: UnitNote | None,
                lex: Lexicon, number: int) -> Table | None:
    """A table whose rows are lines cut into cells: the header is what stands before the
    first line with a figure (or before a `|---|` rule)."""
    header: list[list[str]] = []
    tabbed = True                    # every header line is tab-separated
    body: list[tuple[_Line, list[tuple[int, int]]]] = []
    outside: dict[int, list[Note]] = {}  # basis lines written outside the cells, by the row they come before
    competing: tuple[int, str] | None = None
    markdown = False                 # a Markdown export writes each HTML row with its spanned cells left out
    header_lines: list[tuple[_Line, list[tuple[int, int]]]] = []
    for ln in lines:
        if _MARKDOWN_RULE.match(ln.text) or _is_border(ln.text):
            markdown = markdown or bool(_MARKDOWN_RULE.match(ln.text)) and "|" in ln.text
            continue
        cells = split(ln)
        texts = [ln.text[a:b] for a, b in cells]
        found = unit_note(ln.text, lex)
        if found is not None and sum(bool(t.strip()) for t in texts) <= 1:
            if note is not None and not body and found.units != note.units:
                competing = (ln.span.para, f"two unit notes for one table ({note.text!r} above it, "
                                           f"{found.text!r} in it): {found.text!r} is used")
            note = found
            continue
        dashes = [t for t in texts if t.strip() and C.is_dash(t)]
        if not body and not any(C.is_figure(t) and C.year_of(t) is None for t in texts) and not (
                header and dashes and not any(_names_a_column(t, lex) for t in texts if t.strip())):
            for k, t in enumerate(texts):
                in_cell = unit_note(t, lex)
                if in_cell is not None and not C.compact(t[:in_cell.start] + t[in_cell.end:]).strip("()[]"):
                    note, texts[k] = in_cell, ""      # `2022년 예산 | 단위: 조원`: the note, no column
            if header and C.SEPARATOR.match(ln.text) and not C.SEPARATOR.match(header_lines[0][0].text) \
                    and len(texts) < len(header[0]):
                texts = [""] + texts          # `구 분 │ 2022년 │ …` over `      │ 계  심한 │ …`: under 구분, nothing
            header.append(texts)
            header_lines.append((ln, cells))
            tabbed = tabbed and ("\t" in ln.text or ln.empty_cells > 0)   # `\t\t\t이월액`: its tabs lead
            continue
        if body and _outside_the_cells(ln):
            outside[len(body)] = outside.get(len(body), []) + _body_notes(ln)   # `   국 6,014,820  도 2,340,115`
            continue
        body.append((ln, cells))
    placed = _placed_by_position(header_lines, body)    # `│ 2019 │ 전년 대비 │` over `│ │ 증 감 │ 증감률 │`
    header = placed or header
    body = [(ln, [(a, a) if k == serial else (a, b) for k, (a, b) in enumerate(cells)])
            for (ln, cells), serial in zip(body, _serials(body))]       # 연번: no value
    if any(C.share_header(t, 0, len(t)) for t in (header[-1] if header else [])):
        header = [_with_shares(line, header[-1]) for line in header]     # `2018년 결산(비중)` over `9,842(100.0%)`
        body = [(ln, [part for a, b in cells for part in (C.amount_and_share(ln.text, a, b) or [(a, b)])])
                for ln, cells in body]
    header, body = _with_sub_columns(header, body)       # `│ 계   심한   심하지않은 │` over `│ 26,335  9,972  16,363 │`
    if header and tabbed:            # a TSV drops a line's trailing empty cells: its header lines, padded, align
        header = [line + [""] * (max(map(len, header)) - len(line)) for line in header]
    runs = [_value_run(ln.text, cells) for ln, cells in body]
    lengths = Counter(b - a for a, b in runs if b > a)
    if not lengths:
        return None
    width = lengths.most_common(1)[0][0]
    row_cells = Counter(len(cells) for _, cells in body).most_common(1)[0][0]
    figures_at = Counter(k - len(cells) for ln, cells in body for k, (a, b) in enumerate(cells)
                         if C.is_value(ln.text[a:b]) and ln.text[a:b].strip())
    firsts = {next((k for k, (a, b) in enumerate(cells) if C.is_figure(ln.text[a:b])), None) for ln, cells in body}
    uniform = bool(header) and all(len(line) == len(header[0]) for line in header) and all(
        len(cells) == len(header[0]) for _, cells in body) and len(firsts) == 1   # an export that kept every cell
    columns, slots = _grid_columns(header, width, 0 if markdown and not uniform and not placed else row_cells, lex, figures_at,
                                   len(body), spanned="placed" if placed else "markdown" if markdown else "")
    if slots is not None and not placed and not _slots_hold_the_figures(body, slots):   # (placed: lined up already)
        columns, slots = _grid_columns(header, width, 0, lex, figures_at, len(body))
    table = Table(number, percent_columns(columns), note=note)
    table.warnings += [competing] if competing else []
    table.warnings += [(ln.span.para, f"{b - a} figures in a row of a table of {width}: the last {width} are read")
                       for (ln, _), (a, b) in zip(body, runs) if b - a > width and slots is None]
    code: str | None = None
    text_columns = {k for k, t in enumerate(header[-1]) if (c := C.column_role(t, lex)) and c.role == "basis"} \
        if header else set()                          # 위 치, 비 고, 추진부서: text beside the label, no label
    for k, ((ln, cells), run) in enumerate(zip(body, runs)):
        table.parts.extend(outside.get(k, []))
        texts = [ln.text[a:b] for a, b in cells]
        beside = text_columns if header and len(cells) == len(header[-1]) else set()
        row, notes, row_code = (_positional_row if slots is not None else _run_row)(ln, cells, texts, slots or run,
                                                                                 len(columns), lex, beside)
        if row is None and row_code is not None:
            code = row_code
        if row is not None:
            last = table.parts[-1] if table.parts else None
            if row.label is None and isinstance(last, Note) and C.CODE_LABEL.match(_text(lines, last.span)):
                row.label = table.parts.pop().span        # `01 일반운영비` in the line above, its figure below
            row.code = row.code or code
            code = None
            table.parts.append(row)
        table.parts.extend(notes)
    table.parts.extend(outside.get(len(body), []))
    return table


def _outside_the_cells(ln: _Line) -> bool:
    """A line of a delimited table written outside its cells (no cell delimiter, no leading
    tab): free text between the rows."""
    return _delimited_cells(ln.text) is None and ln.empty_cells == 0 and not _BOXED_NOTE.match(ln.text) \
        and not _is_border(ln.text) and not _half_row(ln.text)      # (`이자수익 | 186,000` of two side by side)


def _with_shares(line: list[str], leaves: list[str]) -> list[str]:
    """A header line with each share header of the leaves cut in two (`2018년 결산(비중)` →
    `2018년 결산`, `비중`); a line above them gets an empty cell beside."""
    out: list[str] = []
    for k, text in enumerate(line):
        split = C.share_header(leaves[k], 0, len(leaves[k])) if k < len(leaves) else None
        if split is None:
            out.append(text)
        elif line is leaves:
            out += [text[split[0][0]:split[0][1]], text[split[1][0]:split[1][1]]]
        else:
            out += [text, ""]
    return out


def _placed_by_position(header_lines: list[tuple[_Line, list[tuple[int, int]]]],
                        body: list[tuple[_Line, list[tuple[int, int]]]]) -> list[list[str]] | None:
    """Header lines of fewer cells than the rows, their box lines or pipes standing where the
    rows' do (a cell spanning two columns, `전년 대비` over `증 감 │ 증감률`; a merged label cell
    left blank): each cell as wide as the rows' cells it stands over, its text over each of
    them. None when a line's cells do not line up with the rows'."""
    if not body or not header_lines or all(len(cells) == len(body[0][1]) for _, cells in header_lines):
        return None
    n = Counter(len(cells) for _, cells in body).most_common(1)[0][0]
    row_ln, row_cells = next((ln, cells) for ln, cells in body if len(cells) == n)
    if "\t" in row_ln.text or any("\t" in ln.text for ln, _ in header_lines):
        return None
    columns = [_display_span(row_ln, a, b) for a, b in row_cells]
    placed: list[list[str]] = []
    for ln, cells in header_lines:
        line = [""] * n
        for a, b in (piece for a, b in cells for piece in _between_junctions(ln.text, a, b)):
            left, right = _display_span(ln, a, b)
            under = [k for k, (x, y) in enumerate(columns) if x >= left - 1 and y <= right + 1]
            if not under or not (left - 1 <= columns[under[0]][0] <= left + 1 and right - 1 <= columns[under[-1]][1]
                                 <= right + 1):
                if ln.text[a:b].strip():
                    return None                      # a cell that does not stand over whole cells of the rows
                continue
            for k in under:                          # a spanning cell heads each column under it
                line[k] = "" if _is_border(ln.text[a:b]) else ln.text[a:b]
        placed.append(line)
    return placed


_JUNCTION = regex.compile(r"[├┤┼┬┴┠┨╂┿┝┥]")


def _between_junctions(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """A header cell cut where a rule line inside it branches (`분 야 ├──────┬───┤ 증 감`: the
    label's cell, two rules under a spanning cell, the change's cell)."""
    cuts = [m.start() for m in _JUNCTION.finditer(text, a, b)]
    return list(zip([a, *(c + 1 for c in cuts)], [*cuts, b]))


def _display_span(ln: _Line, a: int, b: int) -> tuple[int, int]:
    """Where text[a:b] of the line stands on the screen, separators around it included."""
    columns = _columns_at(ln.text)
    return ln.indent + columns[max(0, a - 1)], ln.indent + columns[min(len(ln.text), b + 1)]


_PIECE = regex.compile(r"\S+")
_WIDE_GAP = regex.compile(r"\s{2,}")


def _with_sub_columns(header: list[list[str]], body: list[tuple[_Line, list[tuple[int, int]]]]
                      ) -> tuple[list[list[str]], list[tuple[_Line, list[tuple[int, int]]]]]:
    """A cell that holds several figures side by side in every row, under a header cell of as
    many words (a year's cell over `계  심한  심하지않은`, as box tables exported with merged
    cells give them), is that many columns: the words name them, the lines above span them."""
    if not header or len(body) < 2 or len({len(cells) for _, cells in body}) != 1:
        return header, body
    splits: dict[int, tuple[int, list[str]]] = {}     # cell -> (the header line naming its parts, their names)
    for k in range(len(body[0][1])):
        counts = set()
        for ln, cells in body:
            a, b = cells[k]
            pieces = _PIECE.findall(ln.text, a, b)
            if pieces:
                counts.add(len(pieces) if all(C.is_value(p) for p in pieces) else 0)
        n = counts.pop() if len(counts) == 1 else 0
        if n < 2:
            continue
        for j in range(len(header) - 1, -1, -1):
            text = header[j][k].strip() if k < len(header[j]) else ""
            names = next((found for found in (_WIDE_GAP.split(text), text.split()) if len(found) == n), None)
            if names is not None:
                splits[k] = (j, names)
                break
    if not splits:
        return header, body
    new_header = []
    for j, line in enumerate(header):
        out: list[str] = []
        for k, text in enumerate(line):
            if k in splits:
                at, names = splits[k]
                out += names if j == at else [text] * len(names)
            else:
                out.append(text)
        new_header.append(out)
    new_body = []
    for ln, cells in body:
        parts: list[tuple[int, int]] = []
        for k, (a, b) in enumerate(cells):
            pieces = [m.span() for m in _PIECE.finditer(ln.text, a, b)] if k in splits else []
            parts += pieces if k in splits and len(pieces) == len(splits[k][1]) else [(a, b)]
        new_body.append((ln, parts))
    return new_header, new_body


def _text(lines: list[_Line], span: Span) -> str:
    line = next(ln for ln in lines if ln.span.para == span.para and ln.span.start <= span.start <= ln.span.end)
    return line.text[span.start - line.span.start:span.end - line.span.start]


def _slots_hold_the_figures(body: list[tuple[_Line, list[tuple[int, int]]]], slots: list[int]) -> bool:
    """Reading by position only works when rows' figures stand in the same slots, counted
    from the right (a Markdown export that collapses empty cells shifts them from row to
    row): most rows' figures must lie within the slots of the fullest common pattern."""
    patterns = Counter(frozenset(k - len(cells) for k, (a, b) in enumerate(cells) if C.is_figure(ln.text[a:b])
                                 and not C.is_code(ln.text[a:b])) for ln, cells in body)
    patterns.pop(frozenset(), None)
    if not patterns:
        return False
    common = max(patterns, key=lambda p: (patterns[p], len(p)))
    fits = sum(n for p, n in patterns.items() if p <= common and p <= set(slots))
    return 5 * fits >= 4 * sum(patterns.values())


def _value_run(text: str, cells: list[tuple[int, int]]) -> tuple[int, int]:
    """[first, last + 1) of the cells from the first figure to the last (dashes and blanks
    inside, and dashes at its ends, count); (0, 0) when there is no figure. A code in the
    first cell (`120`) is no figure."""
    figures = [k for k, (a, b) in enumerate(cells) if C.is_figure(text[a:b]) and C.year_of(text[a:b]) is None
               and not (k == 0 and C.is_code(text[a:b]))]
    if not figures:
        return 0, 0
    first, last = figures[0], figures[-1] + 1
    while first > 0 and text[cells[first - 1][0]:cells[first - 1][1]].strip() and \
            C.is_dash(text[cells[first - 1][0]:cells[first - 1][1]]):
        first -= 1
    while last < len(cells) and text[cells[last][0]:cells[last][1]].strip() and \
            C.is_dash(text[cells[last][0]:cells[last][1]]):
        last += 1
    return first, last


def _grid_columns(header: list[list[str]], width: int, row_cells: int, lex: Lexicon, figures_at: Counter,
                  rows: int, spanned: str = "") -> tuple[list[Column], list[int] | None]:
    """The value columns, and (when rows are read by position) the slot of each counted
    from the right. By position when the header lines have as many cells as each other and
    at least as many value columns as the rows have figures (box tables, whose left carries
    tree lines that vary from row to row, align from the right); else the last header line
    is the leaves, the lines above it groups over them, and each row is read by its run of
    figures. A header cell over a column that holds figures in fewer than half the rows is a
    text column (사업소, 비고), whatever it says, and one over no figure at all always is.
    `spanned`: "markdown" for a Markdown export, whose upper header cells span the empty ones
    right of them (`| 목포시 | | | 유사 지방자치단체 평균 | | |` over the years and changes of
    each); "placed" for header lines placed over the rows' cells by position, each cell over
    every column it spans."""
    if header and row_cells and all(len(line) == len(header[0]) for line in header) and len(header[0]) <= row_cells:
        n = len(header[0])
        joined = [" ".join(line[k].strip() for line in header if line[k].strip()) for k in range(n)]
        slots = [k - n for k, text in enumerate(joined) if _column(text, lex) is not None and figures_at[k - n]
                 and (C.column_role(text, lex) is not None and C.column_role(text, lex).role not in ("value",)
                      or C.year_of(text) or 2 * figures_at[k - n] >= rows)]
        if len(slots) >= width and spanned and len(header) > 1:
            return [_spanned_column(header, k + n, lex, reach_left=spanned == "markdown") for k in slots], slots
        if len(slots) >= width:
            return [_column(joined[k + n], lex) for k in slots], slots
    if not header:
        return [_unnamed(k) for k in range(width)], None
    leaves = [t.strip() for t in header[-1] if t.strip()]
    groups = [t.strip() for line in header[:-1] for t in line if t.strip()]
    return _two_levels(groups, leaves, width, lex), None


def _spanned_column(header: list[list[str]], k: int, lex: Lexicon, reach_left: bool = True) -> Column:
    """Column k of a Markdown header: its leaf under the group cells above it, each the nearest
    filled cell at or left of k (a merged cell spans right; with reach_left False, the header
    was placed by position and only the cell right above counts), or the group alone when the
    leaf is empty (`2022년말 현재액(A)` merged down)."""
    groups = []
    for line in header[:-1]:
        j = next((j for j in range(k, 0 if k else -1, -1) if line[j].strip()), None) if reach_left \
            else (k if line[k].strip() else None)    # not the labels' (구분)
        if j is not None:
            groups.append(line[j].strip())
    leaf = header[-1][k].strip()
    if not leaf:
        return _column(" ".join(groups), lex) or _unnamed(k)
    column = _column(leaf, lex) or _unnamed(k)
    if groups:
        _under(column, " ".join(groups), lex)
    return column


def _positional_row(ln: _Line, cells: list[tuple[int, int]], texts: list[str], slots: list[int],
                    width: int, lex: Lexicon, beside: set[int]) -> tuple[Row | None, list[Note], str | None]:
    """A row read by the header's slots (from the right): value cells in the slots, the
    label the last text cell before them, notes the text cells after them and those of text
    columns (`beside`: a basis column, 위치, 비고). A line with no figure gives notes, or a
    code standing alone (`120`); so does a line of one cell of words (`│   (국 600 / 시 400)`)."""
    n = len(cells)
    if n == 1 and not C.is_figure(texts[0]) and not C.is_code(texts[0]) and texts[0].strip():
        return None, [Note(_span(ln, *cells[0]))], None
    value_at = [n + s if n + s >= 0 else None for s in slots]
    first = min((k for k in value_at if k is not None), default=n)
    figures = [_span(ln, *cells[k]) if k is not None and C.is_figure(texts[k]) else None for k in value_at]
    text_cells = [k for k in range(n) if k not in value_at and texts[k].strip()]
    before = [k for k in text_cells if k < first and k not in beside]
    after = [Note(_span(ln, *cells[k])) for k in text_cells if k > first or k in beside]
    if not any(figures):
        if len(before) == 1 and not after and C.is_code(texts[before[0]]):
            return None, [], texts[before[0]].strip()
        return None, [Note(_span(ln, *cells[k])) for k in text_cells], None
    unit, before = _unit_cell(texts, before, lex)
    label = _span(ln, *cells[before[-1]]) if before else None
    return Row(figures, label, ln.text.strip(), group_label=_row_group(texts, before), unit=unit), after, None


def _run_row(ln: _Line, cells: list[tuple[int, int]], texts: list[str], run: tuple[int, int],
             width: int, lex: Lexicon, beside: set[int]) -> tuple[Row | None, list[Note], str | None]:
    """A row read by its run of figures: the label is the text cell right before the run
    (not one of a text column, `beside`), cells before that are a row group (`② 살림규모 |
    세입결산 | …`), cells after it and those of text columns notes."""
    first, last = run
    filled = [k for k in range(len(cells)) if texts[k].strip()]
    if first == last:
        if len(filled) == 1 and C.is_code(texts[filled[0]]):
            return None, [], texts[filled[0]].strip()
        return None, [Note(_span(ln, *cells[k])) for k in filled], None
    figures = [_span(ln, *cells[k]) if C.is_figure(texts[k]) else None for k in range(first, last)]
    figures = (figures + [None] * width)[:width]
    unit, before = _unit_cell(texts, [k for k in filled if k < first and k not in beside], lex)
    label = _span(ln, *cells[before[-1]]) if before else None
    notes = [Note(_span(ln, *cells[k])) for k in filled if k >= last or k < first and k in beside]
    return Row(figures, label, ln.text.strip(), group_label=_row_group(texts, before), unit=unit), notes, None


def _unit_cell(texts: list[str], before: list[int], lex: Lexicon) -> tuple[str | None, list[int]]:
    """A text cell right before the figures that is only a unit (`천대`, `건`, `%`): the row's
    unit, and the label the cell before it; else no unit and the cells as they are."""
    if len(before) > 1 and unit_form(texts[before[-1]], lex) is not None:
        return texts[before[-1]].strip(), before[:-1]
    return None, before


def _row_group(texts: list[str], before: list[int]) -> str | None:
    """The text cells before a row's label: a row group (`② 살림규모 | 세입결산 | …`)."""
    return " ".join(C.clean_label(texts[k]) for k in before[:-1]) or None


def _unnamed(k: int) -> Column:
    return Column("", "current" if k == 0 else "value")


def _column(text: str, lex: Lexicon, group: str = "") -> Column | None:
    """A header cell as a value column: its role from the rules, a year, a unit it names;
    None for label and basis columns (구분, 과목, 산출기초), whose cells are text."""
    word = C.column_role(text, lex)
    year = C.year_of(text)
    unit_text = header_unit(text)
    if unit_text is not None and unit_form(unicodedata.normalize("NFKC", unit_text).lower(), lex) is None:
        unit_text = None                                # 사업비(국비): a name, no unit (but ％, %P are)
    if word is not None and word.role in ("label", "basis"):
        return None
    difference = _DIFFERENCE_NOTE.search(text) is not None and (word is None or word.measure)
    if not difference and C.names_a_base(text, lex):
        return Column(text, "ratio", "", None, group, unit_text)   # 2019년 대비: each figure over 2019's, in %
    if word is None and not difference:
        return Column(text, "current" if year is not None else "value", "", year, group, unit_text)
    if difference:                                      # 금 액 (A-B): the difference of two columns
        return Column(text, "change_pct" if unit_text in ("%", "％") else "change",
                      word.rule_id if word else "", year, group, unit_text)
    role = "change_pct" if word.role == "change" and unit_text in ("%", "％") else word.role   # 증감 (%)
    return Column(text, role, word.rule_id, year, group, unit_text)


_DIFFERENCE_NOTE = regex.compile(r"\(\s*(?:[A-Z]\s*=\s*)?[A-Z]\s*[-−]\s*[A-Z]\s*\)")    # (B-A), (D=B-C)


_HEADER_UNIT = regex.compile(r"[(\[]\s*([^()\[\]\s,]{1,6}?)\s*[)\]]\s*$|^\s*([%％])\s*$")


def header_unit(text: str) -> str | None:
    """The unit a header or label names in its last brackets (`금액(백만원)`, `(%)`); letters
    that name a column (`(A)`, `(B-A)`) are none."""
    m = _HEADER_UNIT.search(C.LETTER_NOTE.sub("", text))
    return (m.group(1) or m.group(2)) if m else None


def _two_levels(groups: list[str], leaves: list[str], width: int, lex: Lexicon) -> list[Column]:
    """Value columns from leaf headers under group headers (`사천시 | 동종 자치단체 평균`
    over `’14년도 | ’13년도 | 증감` twice): leaves shared out evenly when they repeat, else
    each amount leaf opens the next group and its ratio leaves follow it; a group left
    without leaves is a column itself."""
    groups = [g for g in groups if not _is_label_header(g, lex)]
    leaf_columns = [c for c in (_column(t, lex) for t in leaves) if c is not None]
    while len(leaf_columns) > width:                    # more headers than figures: the label's header
        edge = 0 if leaf_columns[0].role == "value" or leaf_columns[-1].role != "value" else -1
        leaf_columns.pop(edge)                          # (사업소) or the notes' (비고) go
    if not groups:
        return leaf_columns + [_unnamed(k) for k in range(len(leaf_columns), width)]
    if len(groups) == width and len(leaf_columns) < width:
        return [c or _unnamed(k) for k, c in enumerate(_column(g, lex) for g in groups)]
    for heads in (groups, groups[1:]):                  # the first group may head the labels (재정운영 결과)
        if heads and len(leaf_columns) == width and width % len(heads) == 0:
            share = width // len(heads)
            if all(_same_kind(leaf_columns[k], leaf_columns[k % share]) for k in range(width)) and (
                    share > 1 or heads is groups):
                for k, column in enumerate(leaf_columns):
                    _under(column, heads[k // share], lex)
                return leaf_columns
    out: list[Column] = []
    g = -1
    for column in leaf_columns:
        if column.role not in ("ratio", "change_pct") or g < 0:
            g += 1
        if g < len(groups):
            _under(column, groups[g], lex)
        out.append(column)
    for group in groups[g + 1:]:
        out.append(_column(group, lex) or _unnamed(len(out)))
    return (out + [_unnamed(k) for k in range(len(out), width)])[:width]


def _same_kind(a: Column, b: Column) -> bool:
    return a.role == b.role and (a.year is None) == (b.year is None)


def _under(column: Column, group: str, lex: Lexicon) -> None:
    """A leaf takes its group's name, and what it lacks of its group's role, year and unit
    (`2025년 예산` over `금액`); a leaf that only says what it measures takes a comparing
    group's role (`증 감` over `금 액 | 증감률`: the change and its rate)."""
    column.group = group
    outer = _column(group, lex)
    if outer is None:
        return
    own = C.column_role(column.header, lex)
    measure = column.role == "current" and own is not None and own.measure
    if (column.role == "value" and not _PERCENT_ONLY.fullmatch(column.header)
            or measure and outer.role in ("previous", "change")) and outer.role != "value":
        column.role, column.rule_id = outer.role, outer.rule_id   # 금액 under 증감: the change (a bare `%` is
                                                                  # a rate: percent_columns says of what)
    column.year = column.year if column.year is not None else outer.year
    column.unit_text = column.unit_text or outer.unit_text


def _is_label_header(text: str, lex: Lexicon) -> bool:
    word = C.column_role(text, lex)
    return word is not None and word.role == "label"


# ---------------------------------------------------------------- a label and figures on single spaces

_FIGURE_TOKEN = r"(?:[△▲▼]|[-+])?\(?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\)?%?"
_FIGURES = r"[\d,.△▲▼+\-()%]*\d[\d,.△▲▼+\-()%\s]*"
_SIMPLE_ROW = regex.compile(rf"^(?P<label>.*?[^\s\d,.△▲\-+(%])\s+(?P<values>(?:{_FIGURE_TOKEN}|-)(?:\s+(?:{_FIGURE_TOKEN}|-))+)\s*$"
                            rf"|^(?P<year>(?:19|20)\d{{2}}년?)\s+(?P<yvalues>(?:{_FIGURE_TOKEN}|-)(?:\s+(?:{_FIGURE_TOKEN}|-))+)\s*$"
                            rf"|^(?P<glabel>.*?\p{{Hangul}}[)\]]?)\s*(?P<gvalues>{_FIGURES})$")


_FIGURE_TAIL = frozenset(",.△▲▼+-()%")
_NUMBERED_LABEL = regex.compile(r"(\d{1,3})\s+(?=\p{Hangul})")


def _ends_in_figures(text: str) -> bool:
    """The line ends in a run of figure characters and spaces with a digit in it: every row
    _SIMPLE_ROW can give (at least two figures) does."""
    k = len(text)
    while k and (text[k - 1] in _FIGURE_TAIL or text[k - 1].isspace() or text[k - 1].isdecimal()):
        k -= 1
        if text[k].isdecimal():
            return True
    return False


def _simple_row(text: str) -> tuple[tuple[int, int], list[tuple[int, int]]] | None:
    """`사회복지봉사과 285,498,633 287,240,838 △1,742,205`, `2004 21,651 79,730 …`: the label,
    and the figures after it (at least two), each a cell."""
    if not _ends_in_figures(text):
        return None                                   # most lines: one look at their end, not the pattern
    m = _SIMPLE_ROW.match(text)
    if not m:
        return None
    key, label_key = next((v, k) for v, k in (("values", "label"), ("yvalues", "year"), ("gvalues", "glabel"))
                          if m.group(v))
    values = [(t.start() + m.start(key), t.end() + m.start(key)) for t in _TOKEN.finditer(m.group(key))]
    if key == "gvalues":                              # figures glued together: split by digit grouping
        if not any("," in text[a:b] for a, b in values):
            return None                               # 064-710-3200: a phone number, no grouped figures
        pieces = [C.split_glued(text, a, b) for a, b in values]
        values = [piece for token in pieces for piece in token]
        if len(values) < 2 or not any(len(token) > 1 for token in pieces) or \
                not all(C.is_value(text[a:b]) for a, b in values):
            return None
    if sum(C.is_figure(text[a:b]) for a, b in values) < 2:
        return None
    label = m.group(label_key)
    if _SENTENCE_END.search(label) or len(label) > 60 or _FORMULA.search(label):
        return None
    if all(_YEAR_CELL.fullmatch(text[a:b]) for a, b in values):
        return None                                   # `구분 2019 2020 2021`: the header of a series
    return (m.start(label_key), m.end(label_key)), values


def _simple_header(lines: list[_Line], i: int, width: int, lex: Lexicon) -> tuple[list[Column], int] | None:
    """The header over rows of single-spaced figures: a line of years (`2007 2008 … 2016`) or
    of column words (`… 예산액 전년도` / `예산액 비교증감`), in the one or two lines above."""
    for first in (i - 1, i - 2):
        if first < 0 or any(_simple_row(ln.text) for ln in lines[first:i]):
            continue
        text = " ".join(ln.text for ln in lines[first:i])
        years = [C.year_of(m.group()) for m in _YEARS_IN_HEADER.finditer(text)]
        if len(years) == width and len(set(years)) == width:
            return [Column(str(y), "current", "", y) for y in years], first
        words = _role_words(text, lex)
        if len(words) == width:
            return words, first
        named = _named_words(text, width, lex)
        if named is not None:
            return named, first
    return None


def _named_words(text: str, width: int, lex: Lexicon) -> list[Column] | None:
    """`구분 본청 사업소`: a label word, then one word per value column, whatever they say."""
    tokens = _TOKEN.findall(text)
    for k in range(1, min(3, len(tokens)) + 1):
        if _is_label_header("".join(tokens[:k]), lex) and len(tokens) - k == width:
            return [_column(t, lex) or _unnamed(j) for j, t in enumerate(tokens[k:])]
    return None


def _role_words(text: str, lex: Lexicon) -> list[Column]:
    """Column words in a header written with single spaces; neighbours that name one column
    together (`전년도 예산액`, `비교 증감`) are joined."""
    out: list[Column] = []
    tokens = [part for token in _TOKEN.findall(text) for part in _GLUED_YEARS.split(token) if part]
    for token in tokens:
        word = C.column_role(token, lex)
        year = C.year_of(token)
        if header_unit(token) in ("%", "％") and word is None:
            word = C.ColumnWord("change_pct" if out and out[-1].role == "change" else "ratio", "")
        if word is None and year is not None and not C.has_hangul(C.YEAR.sub("", token).replace("년", "")):
            word = C.ColumnWord("current", "")
        if word is None or word.role in ("label", "basis"):
            continue
        if out and _joins(out[-1].header, token, lex):
            out[-1].header += " " + token
            continue
        out.append(Column(token, word.role, word.rule_id, year))
    return out


def _joins(before: str, text: str, lex: Lexicon) -> bool:
    """Whether a header line goes on the column before it: a bracket of letters or notes
    (`(A)`, `(B-A)`, `(기 정)`, `(안)`); a measure word after a year (`2021년` + `예산액`) or an
    earlier-figure word that names no measure itself (`전 년 도` + `예 산 액`, not `기정예산액` +
    `추경예산액`); words that together still name the first one's
    kind of column (`비 교` + `증 △ 감`; not label or basis columns). `당초(A)` + `변경(B)` are two
    columns. A bare `(%)` goes on a rate column only: after `증감` it is a column of its own."""
    first = C.column_role(before, lex)
    own = C.column_role(text, lex)
    if _PERCENT_ONLY.fullmatch(text):
        return first is not None and first.role in ("change_pct", "ratio")
    if _BRACKET_ONLY.fullmatch(text):
        return first is None or first.role not in ("label", "basis")
    if first is None:
        return own is not None and own.measure and C.year_of(before) is not None \
            and not C.has_hangul(C.YEAR.sub("", before).replace("년도", "").replace("년", ""))
    together = C.column_role(before + " " + text, lex)
    if together is None or together.role != first.role or first.role in ("label", "basis", "current"):
        return False
    return own is None or own.role == first.role or own.measure and not _measured(before, lex)


def _measured(header: str, lex: Lexicon) -> bool:
    """The header says what it measures (`기정예산액`): a measure line after it (`추경예산액`) is
    a column of its own."""
    text = C.compact(header)
    return any(word in text for role, words in lex.table_roles if role == "measure" for word, _ in words)


_PERCENT_ONLY = regex.compile(r"\s*\(?\s*[%％]\s*\)?\s*")
_BRACKET_ONLY = regex.compile(r"\s*[(\[][^()\[\]]{1,12}[)\]]\s*")


def percent_columns(columns: list[Column]) -> list[Column]:
    """A column headed only by `%` (or `(%)`) is the rate of the change before it, else a ratio."""
    for k, column in enumerate(columns):
        if _PERCENT_ONLY.fullmatch(column.header) and column.role == "value":
            column.role = "change_pct" if k and columns[k - 1].role == "change" else "ratio"
    return columns


_GLUED_YEARS = regex.compile(r"(?<=\S)(?=(?:19|20)\d{2}(?:\(|년|$))")


def _simple_table(lines, i, note, lex, number):
    first = _simple_row(lines[i].text)
    if first is None:
        return _lettered_row(lines, i, note, lex, number)
    width = len(first[1])
    header = _simple_header(lines, i, width, lex)
    if header is None and not (i + 1 < len(lines) and _simple_row(lines[i + 1].text)):
        return None, i
    columns = header[0] if header else [_unnamed(k) for k in range(width)]
    table = Table(number, percent_columns(list(columns)), note=note)
    end = i
    code: str | None = None
    numbered: list[tuple[Row, regex.Match | None]] = []
    while end < len(lines):
        ln = lines[end]
        row = _simple_row(ln.text) or _glued_digits_row(ln.text, table.columns)
        if row is not None:
            (la, lb), values = row
            values = values[-width:] if len(values) >= width else values + [(0, 0)] * (width - len(values))
            figures = [_span(ln, a, b) if b > a and C.is_figure(ln.text[a:b]) else None for a, b in values]
            table.parts.append(Row(figures, _span(ln, la, lb), ln.text.strip(), code=code))
            numbered.append((table.parts[-1], _NUMBERED_LABEL.match(ln.text, la, lb)))
            code = None
            end += 1
            continue
        text = ln.text.strip()
        if end > i and (unit_note(text, lex) is not None or _delimited_cells(ln.text) or _prose(text)):
            break
        if C.is_code(text):
            code = text
        else:
            table.parts.extend(_body_notes(ln))
        end += 1
    if C.numbers_rows([m.group(1) for _, m in numbered if m is not None]):
        for row, m in numbered:                       # `3 위기가구 긴급지원 650 612`: 연번 3
            if m is not None and row.label is not None:
                row.label = Span(row.label.para, row.label.start + len(m.group()), row.label.end)
    return table, end


_FIGURES_ONLY = regex.compile(rf"\s*(?:(?:{_FIGURE_TOKEN})\s+)+(?:{_FIGURE_TOKEN})\s*")
_LETTERED = regex.compile(r"((?:(?<!\S)\p{Hangul}\s+)*\S*?)\s*\(\s*([A-Z](?:\s*[=+\-−]\s*[A-Z])*)\s*\)")


def _lettered_row(lines, i, note, lex, number):
    """Header lines that tag each column with a letter, then one row of figures alone
    (`현재액(A) … 수 입(B) 지 출(C) 증감 (D=B-C)` over `4,928,328 1,634,633 …`): the columns in
    the letters' order, each named by the words its letter closes."""
    for row in range(i + 1, min(i + 4, len(lines))):
        if not _FIGURES_ONLY.fullmatch(lines[row].text):
            continue
        values = [(t.start(), t.end()) for t in _TOKEN.finditer(lines[row].text)]
        tags = [m for ln in lines[i:row] for m in _LETTERED.finditer(ln.text)]
        if len(tags) != len(values) or len({m.group(2)[0] for m in tags}) != len(tags) or \
                not all(_LETTERED.search(ln.text) for ln in lines[i:row]):
            return None, i
        ordered = sorted(tags, key=lambda m: m.group(2)[0])
        columns = [_column(f"{m.group(1)}({m.group(2)})", lex) or _unnamed(k) for k, m in enumerate(ordered)]
        table = Table(number, columns, note=note)
        table.parts.append(Row([_span(lines[row], a, b) for a, b in values], None, lines[row].text.strip()))
        return table, row + 1
    return None, i


def _prose(text: str) -> bool:
    """A line that ends a table's body: a sentence, or a long line without figures."""
    return bool(_SENTENCE_END.search(text)) and len(text) > FLAT_CELL_MAX or (
        len(text) > BODY_LINE_MAX and not _DIGIT.search(text))


_DIGITS_ROW = regex.compile(r"^(?P<label>.*?\p{Hangul}[)\]]?)\s*(?P<digits>\d{4,18})\s*$")


def _glued_digits_row(text: str, columns: list[Column]) -> tuple[tuple[int, int], list[tuple[int, int]]] | None:
    """`공원조성4204000` in a table of 예산액, 전년도, 증감: a label and its figures glued
    without commas, cut where the row adds up."""
    m = _DIGITS_ROW.match(text)
    if not m:
        return None
    cuts = C.split_by_arithmetic(text, m.start("digits"), m.end("digits"), [c.role for c in columns])
    return ((m.start("label"), m.end("label")), cuts) if cuts else None


def _body_notes(ln: _Line) -> list[Note]:
    """A text line inside a table, cut where a new item starts inside it (PDF text runs a
    column's items together: `… 시 624,740 ○종합사회복지관 프로그램 운영지원`)."""
    cuts = [m.end() for m in _ITEM_INSIDE.finditer(ln.text) if m.end() > 0]
    notes, start = [], 0
    for cut in cuts + [len(ln.text)]:
        if ln.text[start:cut].strip():
            notes.append(Note(_span(ln, start, cut)))
        start = cut
    return notes


# ---------------------------------------------------------------- one cell per line

def _header_word(text: str, lex: Lexicon) -> bool:
    t = text.strip()
    return bool(t) and len(C.compact(t)) <= FLAT_CELL_MAX and not C.is_figure(t) and (
        C.column_role(t, lex) is not None or C.year_of(t) is not None)


def _flattened_table(lines, i, note, lex, number):
    """Header cells one per line, then each row's cells one per line."""
    head_end = i
    while head_end < len(lines) and head_end - i < HEADER_MAX_LINES and (
            _header_cell(lines[head_end].text, lex) or head_end > i and _in_a_run_of_years(lines, head_end)):
        head_end += 1
    first_row = _text_cells_between_runs(lines, head_end, lex,
                                         _width_hint(_flat_header([ln.text.strip() for ln in lines[i:head_end]], lex), lex))
    if first_row is not None:
        head_end = max(i + 1, head_end - first_row)  # the first row's label and text cells are no header
    elif not (head_end < len(lines) and _only_a_year(lines[head_end].text.strip())):   # rows labelled by years:
        # every line above the first one is the header (`연 도 별` / `수급가구` / `수 급 자` / … / `2018` / …)
        while head_end - 1 > i and not _names_a_column(lines[head_end - 1].text, lex):
            head_end -= 1
    header = [ln.text.strip() for ln in lines[i:head_end]]
    labelled = bool(header) and _is_label_header(header[0], lex) and len(header) >= 2   # 구분 / 본청 / 사업소
    if not labelled and (sum(_header_word(t, lex) for t in header) < 2 or not _header_word(header[0] if header
                                                                                          else "", lex)):
        return None, i
    end = head_end
    repeated: set[int] = set()
    while end < len(lines):
        skip = _repeat_length(lines, end, header, lex)
        if skip:
            repeated.update(range(end, end + skip))
            end += skip
            continue
        text = lines[end].text.strip()
        if _prose(text) or _delimited_cells(lines[end].text) is not None or unit_note(text, lex) is not None \
                or _new_header(lines, end, lex):
            break
        end += 1
    body = [ln for k, ln in enumerate(lines[head_end:end], head_end) if k not in repeated]
    if sum(C.is_figure(ln.text) for ln in body) < 2:
        return None, i
    table = _flat_rows(header, body, note, lex, number)
    return table, end


def _text_cells_between_runs(lines: list[_Line], k: int, lex: Lexicon, width: int) -> int | None:
    """How many text lines stand between the first two runs of figures from line k (a row's
    label and text cells, as many as the first row has before its figures); None when there
    are not two runs, or codes open both runs one figure longer than the header's width
    (budget books put the label after the code's run)."""
    def run_end(j: int) -> int:
        while j < len(lines) and _cell_kind(lines[j].text) != "text":
            j += 1
        return j

    first = run_end(k)
    if first == k or first >= len(lines):
        return None
    j = first
    while j < len(lines) and _cell_kind(lines[j].text) == "text" and _header_cell(lines[j].text, lex) \
            and j - first < HEADER_MAX_LINES:
        j += 1
    if j >= len(lines) or _cell_kind(lines[j].text) == "text" or run_end(j) - j != first - k or (
            _cell_kind(lines[k].text) == "code" and _cell_kind(lines[j].text) == "code" and first - k == width + 1):
        return None
    return j - first


def _new_header(lines: list[_Line], k: int, lex: Lexicon) -> bool:
    """Another table's header starts here: a label column's word (`사 업 명`, `구 분`), then
    header cells with two more header words among them before the next figure."""
    if not _is_label_header(lines[k].text, lex):
        return False
    words, j = 0, k + 1
    while j < len(lines) and j - k <= HEADER_MAX_LINES and _header_cell(lines[j].text, lex):
        words += _header_word(lines[j].text, lex)
        j += 1
    return words >= 2


def _names_a_column(text: str, lex: Lexicon) -> bool:
    """A header line that says what a column holds: rule words, a year, a bracket of letters
    or a unit (`(A)`, `(%)`)."""
    return _header_word(text, lex) or bool(_BRACKET_ONLY.fullmatch(text) or _PERCENT_ONLY.fullmatch(text))


def _in_a_run_of_years(lines: list[_Line], k: int) -> bool:
    """Line k is a bare year beside another (`구 분` / `1997` / `1998` / …): header cells of a table
    whose rows are measures (`재정자립도` / `14.2` / `13.8` / …), not years that label rows."""
    def bare(j: int) -> bool:
        return 0 <= j < len(lines) and _only_a_year(lines[j].text.strip())
    return bare(k) and (bare(k - 1) or bare(k + 1))


def _header_cell(text: str, lex: Lexicon) -> bool:
    """A line that can be a header cell: short, no figure (a year may be), no bullet, no end
    of a sentence, no unit note."""
    t = text.strip()
    return bool(t) and len(C.compact(t)) <= FLAT_CELL_MAX and not C.is_value(t) and not C.is_code(t) \
        and not _is_item(t) and not _SENTENCE_END.search(t) and unit_note(t, lex) is None \
        and not (_DIGIT.search(C.YEAR.sub("", t)) and C.column_role(t, lex) is None)


def _is_item(text: str) -> bool:
    return text.lstrip().startswith(("○", "ㅇ", "◦", "-", "·", "□", "■", "◆", "◇", "▶", "▷", "•", "*", "※"))


def _repeat_length(lines: list[_Line], k: int, header: list[str], lex: Lexicon) -> int:
    """The page header again in the middle of a table (a unit note, context lines such as
    `(세항 2316)…`, the header cells): how many lines it takes, 0 if it is not there."""
    j = k
    if unit_note(lines[j].text, lex) is not None:
        j += 1
        while j < len(lines) and C.CODE_TAG.match(lines[j].text) and C.compact(lines[j].text) != C.compact(header[0]):
            j += 1
    if [C.compact(ln.text) for ln in lines[j:j + len(header)]] == [C.compact(t) for t in header]:
        return j + len(header) - k
    return 0


def _flat_header(header: list[str], lex: Lexicon) -> list[str]:
    """Header lines as column texts: a line joins the one before when together they still
    name the same kind of column (`전 년 도` `(기 정)` `예 산 액`; `비 교` `증 △ 감`)."""
    columns: list[str] = []
    for text in header:
        if columns and _joins(columns[-1], text, lex):
            columns[-1] += " " + text
        else:
            columns.append(text)
    return columns


def _flat_rows(header: list[str], body: list[_Line], note: UnitNote | None, lex: Lexicon,
               number: int) -> Table | None:
    """Rows from cells one per line. Runs of figure lines are rows' values: a code may open
    a run, a year may open each row of a run; the width is the run most rows have. The label
    stands before the run, or after it when a code opened it. The header's columns are read
    in that width, in their order or in the order the arithmetic current = earlier + change
    shows (pages written right to left). Other lines are notes."""
    kinds = [_cell_kind(ln.text) for ln in body]
    serials = [k for k in range(len(body) - 1) if kinds[k] == "value" and C.is_serial(body[k].text)
               and kinds[k + 1] == "text"]
    if C.numbers_rows([body[k].text.strip() for k in serials]):
        for k in serials:
            kinds[k] = "serial"                       # 연번 `1` / `방문건강관리` / …: the row's number
    texts = _flat_header(header, lex)
    hint = _width_hint(texts, lex)
    runs = max((_split_year_runs(_runs(kinds, split), body) for split in (False, True)),
               key=lambda rs: _consistency(rs, hint))
    width = _flat_width(texts, runs, kinds, lex)
    if width < 1:
        return None
    columns = percent_columns(_flat_columns(texts, width, lex))
    table = Table(number, columns, note=note)
    text_cells = _text_cells_per_row(runs, kinds, width, len(texts) - width)
    used: set[int] = set()
    rows: dict[int, Row] = {}
    for a, b, year_labelled in runs:
        if year_labelled:
            cells = [body[k].span if C.is_figure(body[k].text) else None for k in range(a + 1, b)]
            rows[a] = Row(cells, body[a].span, _joined(body, range(a, b)))
            used.update(range(a, b))
            continue
        code = None
        if kinds[a] == "code" and b - a == width + 1:
            code, a = body[a].text.strip(), a + 1
        if b - a != width or _beside_equals(body, a, b):
            continue                                  # `6,682` / `=`: a calculation's result, no row
        label_at = _flat_label(body, kinds, a, b, code is not None, used, text_cells)
        if width == 1 and label_at is None and code is None:
            continue                                  # a lone figure is a row only with its label
        if label_at is not None and code is None and label_at < a - 1:
            used.update(range(label_at, a))           # the row's other text cells (수입기간, 기부자)
        if label_at is not None and code is None and label_at < a and label_at > 0 and \
                kinds[label_at - 1] == "code" and label_at - 1 not in used:
            code = body[label_at - 1].text.strip()    # `200` / `세외수입` / its figures
            used.add(label_at - 1)
        label = None
        if label_at is not None:
            used.add(label_at)
            found, name_start = C.split_code(body[label_at].text)
            name_start = name_start or _after_marker(body[label_at].text)
            code = code or found
            span = body[label_at].span
            label = Span(span.para, span.start + name_start, span.end)
        used.update(range(a - (1 if code is not None and kinds[a - 1] == "code" else 0), b))
        unit = _unit_cell([body[k].text for k in range(label_at, a)], list(range(a - label_at)), lex)[0] \
            if label_at is not None and code is None else None           # `일반회계 예산` / `백만원` / its figures
        cells = [body[k].span if C.is_figure(body[k].text) else None for k in range(a, b)]
        shown = ([label_at] if label_at is not None else []) + list(range(a, b))
        rows[a] = Row(cells, label, _joined(body, shown), code=code, unit=unit)
    if not rows:
        return None
    table.warnings += [(body[a].span.para, f"{b - a} figures in a row that fits no row of {width} columns: not read")
                       for a, b, labelled in runs if b - a >= 2 and not labelled and a not in rows
                       and a + 1 not in rows and not any(k in used for k in range(a, b))]
    table.columns = _roles_by_arithmetic(columns, texts, list(rows.values()), body, lex)
    for k, ln in enumerate(body):
        if k in rows:
            table.parts.append(rows[k])
        if k not in used:
            table.parts.extend(_body_notes(ln))
    return table


def _consistency(runs: list[tuple[int, int, bool]], hint: int) -> tuple[int, bool]:
    """How well runs make rows: how many runs of two figures or more have the commonest
    length, and whether that length is the header's."""
    lengths = Counter(b - a for a, b, _ in runs if b - a >= 2)
    if not lengths:
        return 0, False
    length, n = lengths.most_common(1)[0]
    return n + (length == hint), length == hint


def _width_hint(texts: list[str], lex: Lexicon) -> int:
    """Figures per row as the header tells: its columns that are no label or basis; but when
    some of those name nothing (a two-row header flattened row by row) and the header
    compares, its kinds of value column (amount, earlier, change, rate)."""
    values = [t for t in texts if not ((c := C.column_role(t, lex)) and c.role in ("label", "basis"))]
    roles = {w.role for t in values if (w := C.column_role(t, lex)) is not None} & {
        "current", "previous", "change", "change_pct"}
    if len(roles) >= 2 and not all(C.column_role(t, lex) or C.year_of(t) for t in values):
        return len(roles)
    return len(values)


def _flat_width(texts: list[str], runs: list[tuple[int, int, bool]], kinds: list[str], lex: Lexicon) -> int:
    """Figures per row: as many as the header has value columns when runs of that length
    are there (budget books also hold lone results and shares), else the length most runs
    of two or more figures have."""
    named = sum(1 for t in texts if not ((c := C.column_role(t, lex)) and c.role in ("label", "basis")))

    def fits(a: int, b: int, w: int) -> bool:
        return b - a == w or (b - a == w + 1 and kinds[a] == "code")

    if named and sum(fits(a, b, named) for a, b, labelled in runs if not labelled) >= 2:
        return named
    lengths = Counter((b - a - 1) if labelled else (b - a - (1 if kinds[a] == "code" and b - a > 2 else 0))
                      for a, b, labelled in runs)
    several = [(n, w) for w, n in lengths.items() if w >= 2]
    if several:
        return max(several)[1]
    return 1 if named == 1 and lengths else 0


def _beside_equals(body: list[_Line], a: int, b: int) -> bool:
    return any(0 <= k < len(body) and body[k].text.strip() in ("=", "＝") for k in (a - 1, b))


def _joined(body: list[_Line], indices) -> str:
    return " | ".join(body[k].text.strip() for k in indices)


def _cell_kind(text: str) -> str:
    """A flattened table's line: a code (three or four digits, or `211-01`: a two-digit
    number is rather a figure), a value, or text."""
    t = text.strip()
    if C.is_code(t) and (len(t) >= 3 or "-" in t):
        return "code"
    if C.is_value(t):
        return "value"
    return "text"


def _runs(kinds: list[str], split_codes: bool = False) -> list[tuple[int, int]]:
    """Maximal runs of figure lines (codes among them); with split_codes, a code that ends a
    run right before a text line is the next row's (`… 2,399,059` / `210` / `경상적세외수입`)."""
    runs, k = [], 0
    while k < len(kinds):
        if kinds[k] in ("value", "code"):
            j = k
            while j < len(kinds) and kinds[j] in ("value", "code"):
                j += 1
            if split_codes and j - k > 1 and kinds[j - 1] == "code" and j < len(kinds) and kinds[j] == "text":
                runs += [(k, j - 1), (j - 1, j)]
            else:
                runs.append((k, j))
            k = j
        else:
            k += 1
    return runs


def _split_year_runs(runs: list[tuple[int, int]], body: list[_Line]) -> list[tuple[int, int, bool]]:
    """A long run whose every P-th line is a year in order (`2002 … 2003 …`) is rows of P
    lines, each opened by its year; other runs stay as they are."""
    out: list[tuple[int, int, bool]] = []
    for a, b in runs:
        years = [k for k in range(a, b) if C.is_year_label(body[k].text)]
        steps = {q - p for p, q in zip(years, years[1:])}
        if len(years) >= 2 and len(steps) == 1 and years[0] == a and (b - a) % next(iter(steps)) == 0 \
                and next(iter(steps)) > 1 and (b - years[-1]) == next(iter(steps)):
            step = next(iter(steps))
            out += [(k, k + step, True) for k in range(a, b, step)]
        else:
            out.append((a, b, False))
    return out


def _text_cells_per_row(runs: list[tuple[int, int, bool]], kinds: list[str], width: int, most: int) -> int:
    """How many text cells stand before each row's figures (the label and text columns such
    as 수입기간, 기부자): the gap between runs most rows have, when nearly all have it."""
    gaps = Counter(a2 - b1 for (_, b1, _), (a2, _, _) in zip(runs, runs[1:]) if kinds[a2] != "code")
    if not gaps:
        return 1
    gap, n = gaps.most_common(1)[0]
    return gap if 1 < gap <= max(1, most) and 4 * n >= 3 * sum(gaps.values()) else 1


def _flat_label(body: list[_Line], kinds: list[str], a: int, b: int, coded: bool, used: set[int],
                text_cells: int = 1) -> int | None:
    """Where the label of the run [a, b) is: a `01 일반운영비` line right before it; after a
    code, the plain line right after the run, else the one before the code (`방문건강관리` /
    `2713-01` / figures); else the first of the row's text cells before it (the plain line right
    before it, when a row has one)."""
    if text_cells > 1 and not coded and a - text_cells >= 0 and all(
            kinds[k] == "text" and k not in used for k in range(a - text_cells, a)):
        return a - text_cells
    before = a - 1 - (1 if coded else 0)
    if before >= 0 and before not in used and kinds[before] == "text" and C.CODE_LABEL.match(body[before].text):
        return before
    if coded and b < len(body) and kinds[b] == "text" and _plain_label(body[b].text):
        return b
    if before >= 0 and before not in used and kinds[before] == "text" and (
            _plain_label(body[before].text) or _plain_label(body[before].text[_after_marker(body[before].text):])):
        return before                                 # `◇ 예 산 (A)` over its figures: a marked row label
    return None


def _after_marker(text: str) -> int:
    """Where a line's words start past its bullet marker (`◇ 기 금` → 2); 0 without one."""
    stripped = text.lstrip()
    if not _is_item(stripped):
        return 0
    rest = stripped[1:].lstrip()
    return len(text) - len(rest) if rest else 0


def _plain_label(text: str) -> bool:
    t = text.strip()
    return bool(t) and len(t) <= FLAT_CELL_MAX and not _is_item(t) and not t.startswith(("[", "=", ")")) \
        and not _FORMULA.search(t) and not _OPEN_BRACKET_WORD.fullmatch(t)


def _flat_columns(texts: list[str], width: int, lex: Lexicon) -> list[Column]:
    """The value columns among the header's column texts. Label and basis columns are set
    aside; with more texts left than values per row, the extra ones are group headers, which
    (as HTML writes a two-row header) stand right before the leaves they span, each over as
    many leaves, the same ones under each; a group whose first leaf is its total (`계`) is
    tried first."""
    leaves = [t for t in texts if not ((c := C.column_role(t, lex)) and c.role in ("label", "basis"))]
    if len(leaves) <= width:
        columns = [_column(t, lex) for t in leaves]
        return [c or _unnamed(k) for k, c in enumerate(columns)] + [_unnamed(k) for k in range(len(leaves), width)]
    extra = len(leaves) - width
    totals = lex.cue("total")

    def opens_with_a_total(share: int) -> bool:        # 수 급 자 / 계 / 일반수급자 / 시설수급자
        start = len(leaves) - share * extra - extra
        return start >= 0 and C.compact(leaves[start + extra]) in totals

    for share in sorted(range(1, width // extra + 1), key=lambda share: not opens_with_a_total(share)):
        start = len(leaves) - share * extra - extra
        if start < 0:
            continue
        groups, under = leaves[start:start + extra], leaves[start + extra:]
        if any(_LEAF_ONLY.search(g) or C.year_of(g) for g in groups):
            continue
        if extra > 1 and any(under[k] != under[k % share] for k in range(len(under))):
            continue
        columns = [c for c in (_column(t, lex) for t in leaves[:start]) if c is not None]
        for k, t in enumerate(under):
            column = _column(t, lex) or _unnamed(k)
            _under(column, groups[k // share], lex)
            columns.append(column)
        if len(columns) == width:
            return columns
    return [c or _unnamed(k) for k, c in enumerate(_column(t, lex) for t in leaves[-width:])]


def _roles_by_arithmetic(columns: list[Column], header: list[str], rows: list[Row], body: list[_Line],
                         lex: Lexicon) -> list[Column]:
    """Which of three figures is the amount, the earlier one and the change, when the header
    names all three but its cells stand in another order than the rows' (a page written right
    to left, or a two-row header flattened row by row): the amount is the one that is the sum
    of the other two in most rows; of those two the change is the one that goes below zero,
    or the smaller. The header's order stands when it adds up as often."""
    if len(columns) != 3:
        return columns
    named = {w.role for t in header if (w := C.column_role(t, lex)) is not None}
    if not {"previous", "change"} <= named:
        return columns
    texts = {(ln.span.para, ln.span.start): ln.text for ln in body}
    figures = [[figure_value(texts.get((s.para, s.start), "")) for s in row.cells] for row in rows
               if len(row.cells) == 3 and all(s is not None for s in row.cells)]
    if not figures:
        return columns

    def holds(order: tuple[int, int, int]) -> int:
        cur, prev, chg = order
        return sum(_adds_up(v[cur], v[prev], v[chg]) for v in figures)

    roles = [c.role for c in columns]
    given = (roles.index("current"), roles.index("previous"), roles.index("change")) \
        if sorted(roles) == ["change", "current", "previous"] else None
    best = max(((i, j, k) for i in range(3) for j in range(3) for k in range(3) if len({i, j, k}) == 3),
               key=lambda o: (holds(o), o == given))
    if given is not None and holds(given) >= holds(best) or 2 * holds(best) < len(figures):
        return columns
    cur, prev, chg = best
    negative = [any(v[x] < 0 for v in figures) for x in (prev, chg)]
    if negative[0] and not negative[1] or not any(negative) and \
            sorted(abs(v[prev]) for v in figures)[len(figures) // 2] < sorted(abs(v[chg]) for v in figures)[len(figures) // 2]:
        prev, chg = chg, prev
    words = {w.role: (t, w.rule_id) for t in header if (w := C.column_role(t, lex)) is not None and w.role in
             ("current", "previous", "change")}
    out: list[Column] = [Column("") for _ in range(3)]
    for position, role in ((cur, "current"), (prev, "previous"), (chg, "change")):
        text, rule_id = words.get(role, ("", ""))
        out[position] = Column(text, role, rule_id)
    return out


def _adds_up(current: float, previous: float, change: float) -> bool:
    return abs(current - previous - change) <= 1e-6 * max(1.0, abs(current))
