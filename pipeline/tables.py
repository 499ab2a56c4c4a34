"""Text tables: box drawing, pipes and tabs split into cells, with header roles from rules.

Cells are aligned from the right, because the left of budget tables carries tree lines
(`┃│││││ 경상적경비 │ 49,876│ …`) that vary from row to row while the figure columns do not.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from pipeline.lexicon import Lexicon

_SEPARATOR = regex.compile(r"[│┃|┆┊║\t]")
_BORDER_ONLY = regex.compile(r"^[\s━─┏┓┗┛┣┫┯┷┿┠┨├┤┬┴┼┌┐└┘═╔╗╚╝╠╣╦╩╬│┃|+\-=]*$")
_FIGURE_CELL = regex.compile(r"^\s*[△▲-]?\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*$")
_UNIT_NOTE = regex.compile(r"단위\s*[:：]?\s*([^\s)\]]+)")
ROLE_ORDER = ("change", "previous", "basis", "current")


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


def is_table_line(text: str) -> bool:
    return len(_SEPARATOR.findall(text)) >= 2


def is_border(text: str) -> bool:
    return bool(_BORDER_ONLY.match(text))


def split_cells(text: str) -> list[Cell]:
    """Cells between separators; the empty pieces outside the outer borders are dropped."""
    cells: list[Cell] = []
    start = 0
    for m in _SEPARATOR.finditer(text):
        cells.append(Cell(start, m.start(), text[start:m.start()]))
        start = m.end()
    cells.append(Cell(start, len(text), text[start:]))
    if cells and cells[0].is_empty:
        cells.pop(0)
    if cells and cells[-1].is_empty:
        cells.pop()
    return cells


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
    return True


def unit_note(text: str) -> str | None:
    """The unit form of a `(단위 : 천원)` note, as written."""
    m = _UNIT_NOTE.search(text)
    return m.group(1) if m else None
