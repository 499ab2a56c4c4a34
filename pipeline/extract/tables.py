"""Text tables: box drawing, pipes and tabs split into cells, with header roles from rules.

Cells are aligned from the right, because the left of budget tables carries tree lines
(`┃│││││ 경상적경비 │ 49,876│ …`) that vary from row to row while the figure columns do not.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from pipeline.lexicon import Lexicon

SEPARATOR = regex.compile(r"[│┃|┆┊║\t]")
_ALIGNED = regex.compile(r"(?<=\S)\s{2,}(?=\S)")     # columns aligned with runs of spaces
_SYLLABLE = regex.compile(r"\p{Hangul}")
_SYLLABLES = regex.compile(r"\p{Hangul}(?:\s+\p{Hangul})*")
_BORDER_ONLY = regex.compile(r"^[\s━─┏┓┗┛┣┫┯┷┿┠┨├┤┬┴┼┌┐└┘═╔╗╚╝╠╣╦╩╬│┃|+\-=]*$")
_FIGURE_CELL = regex.compile(r"^\s*[△▲-]?\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*$")
_UNIT_NOTE = regex.compile(r"[(\[<〈【]\s*단위\s*[:：]?\s*([^\s)\]>〉】]+)\s*[)\]>〉】]")
ROLE_ORDER = ("change_pct", "change", "previous", "basis", "current")


@dataclass
class Cell:
    start: int
    end: int
    text: str

    @property
    def is_figure(self) -> bool:
        return bool(_FIGURE_CELL.match(self.text))

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()


@dataclass
class TableState:
    """Column roles found in the header lines so far, indexed from the right (-1 is last)."""
    header_text: dict[int, str] = field(default_factory=dict)
    roles: dict[int, tuple[str, str]] = field(default_factory=dict)   # index -> (role, rule id)
    closed: bool = False          # a rule line or a data row ended the header


def is_table_line(text: str, lex: Lexicon) -> bool:
    """Box drawing, pipes or tabs; or space-aligned columns holding figures or header words."""
    if len(SEPARATOR.findall(text)) >= 2:
        return True
    cells = split_cells(text)
    return len(cells) >= 3 and (sum(c.is_figure for c in cells) >= 2
                                or sum(column_role(c.text, lex) is not None for c in cells) >= 2)


def is_border(text: str) -> bool:
    return bool(_BORDER_ONLY.match(text))


def split_cells(text: str) -> list[Cell]:
    """Cells between separators; the empty pieces outside the outer borders are dropped."""
    cells: list[Cell] = []
    separator = SEPARATOR if SEPARATOR.search(text) else _ALIGNED
    start = len(text) - len(text.lstrip()) if separator is _ALIGNED else 0
    for m in separator.finditer(text):
        cells.append(Cell(start, m.start(), text[start:m.start()]))
        start = m.end()
    cells.append(Cell(start, len(text), text[start:]))
    if cells and cells[0].is_empty:
        cells.pop(0)
    if cells and cells[-1].is_empty:
        cells.pop()
    return _join_spaced_syllables(text, cells) if separator is _ALIGNED else cells


def _join_spaced_syllables(text: str, cells: list[Cell]) -> list[Cell]:
    """`구      분`, `합      계`: a word spaced out over the column is one cell, not two."""
    joined: list[Cell] = []
    for cell in cells:
        last = joined[-1] if joined else None
        if last is not None and _SYLLABLES.fullmatch(last.text.strip()) and _SYLLABLE.fullmatch(cell.text.strip()):
            joined[-1] = Cell(last.start, cell.end, text[last.start:cell.end])
        else:
            joined.append(cell)
    return joined


def column_role(header: str, lex: Lexicon) -> tuple[str, str] | None:
    compact = regex.sub(r"\s+", "", header)
    for role in ROLE_ORDER:
        for word, rule_role, rule_id in lex.table_columns:
            if rule_role == role and regex.sub(r"\s+", "", word) in compact:
                return role, rule_id
    return None


def read_header(cells: list[Cell], state: TableState, lex: Lexicon) -> bool:
    """Add a header line's cells to the column texts; False if the line is not a header."""
    if state.closed or any(c.is_figure for c in cells):
        state.closed = state.closed or bool(state.header_text)
        return False
    texts = {i - len(cells): c.text.strip() for i, c in enumerate(cells)}
    if not any(column_role(t, lex) for t in texts.values()) and not state.header_text:
        return False
    for index, text in texts.items():
        state.header_text[index] = (state.header_text.get(index, "") + " " + text).strip()
    state.roles = {i: r for i, t in state.header_text.items() if (r := column_role(t, lex))}
    _older_year_is_previous(state)
    return True


def _older_year_is_previous(state: TableState) -> None:
    """`2024 예산액 | 2023 예산액`: of two current columns headed by years, the older is previous."""
    dated = [(int(m.group()), i) for i, (role, _) in state.roles.items() if role == "current"
             and (m := regex.search(r"(?:19|20)\d{2}", state.header_text[i]))]
    if len(dated) == 2 and dated[0][0] != dated[1][0]:
        _, older = min(dated)
        state.roles[older] = ("previous", state.roles[older][1])


def unit_note(text: str) -> tuple[str, int, int] | None:
    """The unit form of a `(단위 : 천원)` note as written, and the note's span."""
    m = _UNIT_NOTE.search(text)
    return (m.group(1), m.start(), m.end()) if m else None
