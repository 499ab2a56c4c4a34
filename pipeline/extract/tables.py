"""Stage 4b: the cells of a table as metric rows, each pointing at its cell.

Every current or value cell is a metric; earlier-year, 기정 and 증감 cells fill its
prev_value, change_value and change_pct; ratio cells (구성비, 집행률) are percent metrics of
their own. A row's subject is its label, and the column's name when the row has several
value cells (`인건비 본청`). A unit named by the header (`금액(백만원)`, `(%)`) wins over the
unit note above the table, and each row says which it used.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import regex

from pipeline.extract import cells as C
from pipeline.extract import metrics as M
from pipeline.extract.budget import NoteReader, Owner
from pipeline.extract.context import DocContext, add_metric
from pipeline.extract.layout import Column, Row, Span, Table, header_unit
from pipeline.extract.numbers import Quantity
from pipeline.extract.units import figure_value, unit_form
from pipeline.lexicon import Lexicon, UnitForm
from pipeline.records import Paragraph, Sentence

VALUE_COLUMNS = ("current", "value")
_BRACKETED = regex.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*")
_LAST_BRACKET = regex.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")


@dataclass
class Cell:
    """One metric of a table in the making."""
    span: Span
    value: float
    column: Column
    unit: UnitForm | None
    unit_note: str | None
    prev: float | None = None
    prev_column: Column | None = None
    change: float | None = None
    change_pct: float | None = None
    rule_ids: list[str] = field(default_factory=list)

    @property
    def direction(self) -> str | None:
        moved = next((c for c in (self.change, self.change_pct) if c), None)
        return None if moved is None else ("increase" if moved > 0 else "decrease")


@dataclass
class Pairing:
    """For each value column: the columns that give its earlier figure, change and rate."""
    previous: dict[int, int] = field(default_factory=dict)
    change: dict[int, int] = field(default_factory=dict)
    change_pct: dict[int, int] = field(default_factory=dict)
    owner_of_ratio: dict[int, int] = field(default_factory=dict)


def previous_by_order(columns: list[Column]) -> None:
    """Of two current columns headed by two years (in a group, or in the whole table), the
    earlier year's is the previous one, unless their words name two measures (`2024 실적 |
    2025 목표`; `2025년 예산 | 2026년 예산안` is one); three years or more are a series, all
    current, unless a change column beside them compares the last two (`2022년 | 2023년 |
    2024년 | 전년대비 증감`: 2023년 is 2024년's previous figure, 2022년 a figure of its own); so
    too for two numbered alike (`제1회 추경 | 제2회 추경`)."""
    _latest_of_earlier_figures(columns)
    groups: dict[tuple[str, str], list[int]] = {}
    for k, column in enumerate(columns):
        if column.year is not None and column.role in VALUE_COLUMNS:   # `2009년도` and `2008년도` over
            groups.setdefault((_without_year(column.group), ""), []).append(k)   # `예산액`: one group, two years
    for key, ks in list(groups.items()):
        if len({columns[k].year for k in ks}) < len(ks):
            del groups[key]                           # `2023년 | 2024년` over `건수 피해` each: one pair a leaf;
                                                      # `2023년말 조성액 | 2024년 수입 | 2024년말 조성액`: one pair
            for k in ks:
                groups.setdefault((key[0], C.compact(_without_year(columns[k].header))), []).append(k)
    for (group, _), ks in groups.items():
        if len(ks) >= 3 and len({columns[k].year for k in ks}) == len(ks) and any(
                c.role in ("change", "change_pct") and c.year is None and (c.group in (group, "") or not group and j > max(ks))
                for j, c in enumerate(columns)):      # (right of them under a group of its own, `전년 대비` / `증 감 | 증감률`)
            columns[sorted(ks, key=lambda k: columns[k].year or 0)[-2]].role = "previous"
            continue
        years = {columns[k].year for k in ks}
        names = [C.compact(columns[k].name) for k in ks]
        if len(ks) == 2 and all(names) and not _one_measure(*names):
            for k in ks:                              # 2024 실적 | 2025 목표: two measures, not one compared,
                columns[k].dated = True               # each named with its year
            continue
        if len(ks) == 2 and len(years) == 2:
            older = min(ks, key=lambda k: columns[k].year or 0)
            columns[older].role = "previous"
    _roles_by_ordinals(columns)
    _roles_by_revision(columns)
    _roles_by_formula(columns)


def _latest_of_earlier_figures(columns: list[Column]) -> None:
    """With no current column, earlier-figure columns that differ only in their years
    (`2018년 당초 | 2019년 당초`, each over `예 산`) compare those years: the latest is current."""
    if any(c.role in VALUE_COLUMNS for c in columns):
        return
    alike: dict[tuple[str, str], list[int]] = {}
    for k, column in enumerate(columns):
        if column.role == "previous" and column.year is not None:
            alike.setdefault((_without_year(column.group), C.compact(_without_year(column.header))), []).append(k)
    for ks in alike.values():
        if len({columns[k].year for k in ks}) == len(ks) >= 2:
            columns[max(ks, key=lambda k: columns[k].year or 0)].role = "current"


def _roles_by_formula(columns: list[Column]) -> None:
    """A column its header writes as another's sum with a change (`현재액(E=A+D)`, D a
    difference) is the current figure, the other its previous one."""
    sums = [_summed_in(columns, k) for k in range(len(columns))]
    for j, column in enumerate(columns):
        parts = [k for k, s in enumerate(sums) if s == j]
        if column.role in VALUE_COLUMNS and len(parts) == 2 and sum(columns[k].role == "change" for k in parts) == 1:
            earlier = next(k for k in parts if columns[k].role != "change")
            if columns[earlier].role in VALUE_COLUMNS:
                columns[earlier].role, column.role = "previous", "current"


def _one_measure(a: str, b: str) -> bool:
    """Two headers name one measure when they share a word of two syllables or more (`예산안`
    and `본예산`: 예산), not `실적` and `목표`."""
    return any(a[k:k + 2] in b for k in range(len(a) - 1)) or a == b


_YEAR_WORDS = regex.compile(r"년도?(?:말|초)?")


def _without_year(group: str) -> str:
    return C.compact(_YEAR_WORDS.sub("", C.YEAR.sub("", group)))


def _roles_by_ordinals(columns: list[Column]) -> None:
    """Of two current columns whose headers differ only in an ordinal (`제1회 추경 | 제2회 추경`,
    `1차 | 2차 변경`), the lower one's is the previous figure."""
    numbered: dict[str, list[tuple[int, int]]] = {}
    for k, column in enumerate(columns):
        m = _ORDINAL.search(column.header)
        if m and column.role == "current" and column.year is None:
            rest = C.compact(column.header[:m.start()] + column.header[m.end():])
            numbered.setdefault(rest, []).append((int(m.group(1)), k))
    for pairs in numbered.values():
        if len(pairs) == 2 and pairs[0][0] != pairs[1][0]:
            columns[min(pairs)[1]].role = "previous"


_ORDINAL = regex.compile(r"제?\s*(\d{1,2})\s*(?:회|차)")
_REVISED = regex.compile(r"추경|추가경정")
_ORIGINAL = regex.compile(r"본예산|당초")


def _roles_by_revision(columns: list[Column]) -> None:
    """Of two current columns, a revised budget's (`제1회 추경`, `추경예산`) and the original's
    (`본예산`), the original's is the previous figure."""
    current = [k for k, c in enumerate(columns) if c.role == "current" and c.year is None]
    revised = [k for k in current if _REVISED.search(C.compact(columns[k].header))]
    original = [k for k in current if _ORIGINAL.search(C.compact(columns[k].header)) and k not in revised]
    if len(current) == 2 and len(revised) == 1 and len(original) == 1:
        columns[original[0]].role = "previous"


def _earlier_rates(columns: list[Column], lex: Lexicon) -> None:
    """A rate column headed by an earlier-figure word and another rate column's header
    (`전년 집행률` beside `집행률`) is that rate's earlier figure, no rate of its own; so is a
    rate beside the earlier figure that has the header of a rate beside the current one
    (`2018년 결산 | 비중 | 2017년 결산 | 비중`: last year's share)."""
    rates = {C.compact(c.header) for c in columns if c.role == "ratio"}
    beside_current = {C.compact(c.header) for k, c in enumerate(columns)
                      if c.role == "ratio" and k and columns[k - 1].role in VALUE_COLUMNS}
    for k, column in enumerate(columns):
        header = C.compact(column.header)
        if column.role == "ratio" and (any(
                header != name and header.endswith(name) and (word := C.column_role(header[:-len(name)], lex))
                is not None and word.role == "previous" for name in rates)
                or k and columns[k - 1].role == "previous" and header in beside_current):
            column.role = "previous"


def _rate_owner(columns: list[Column], k: int) -> int | None:
    """The rate column an earlier figure or a change in points goes with: the one whose header
    ends its header (`전년 집행률`: 집행률), else for a change in points (`증감(%p)`) the
    nearest rate column on its left."""
    column = columns[k]
    rates = [j for j, c in enumerate(columns) if c.role == "ratio"]
    if column.role == "previous":
        return next((j for j in rates if C.compact(column.header).endswith(C.compact(columns[j].header))), None)
    if column.role == "change" and (column.unit_text or "").lower() == "%p":
        return max((j for j in rates if j < k), default=None)
    return None


_NAMED_IN_BRACKETS = regex.compile(r"\(\s*([^()]+?)\s*\)")


def _bracket_named(columns: list[Column], column: Column, values: list[int]) -> int | None:
    """The value column a change or rate names in brackets (`증 감 (계)` of `2022년 계 | 심한 |
    2023년 계 | 심한`: the later year's 계)."""
    named = _NAMED_IN_BRACKETS.search(column.header) if column.role in ("change", "change_pct") else None
    word = C.compact(named.group(1)) if named else ""
    found = [v for v in values if word and _without_year(columns[v].header) == word]
    return max(found, key=lambda v: (columns[v].year or 0, v)) if found else None


def _earlier_of_named(columns: list[Column], column: Column, values: list[int]) -> int | None:
    """The value column an earlier figure names after its earlier-figure word (`전년도 지출액`
    beside `예산현액 | 지출액 | 불용액`: 지출액's), the longest header that ends it."""
    if column.role != "previous" or column.year is not None:
        return None
    header = C.compact(column.header)
    named = [v for v in values if (own := C.compact(columns[v].header)) and header != own and header.endswith(own)
             and columns[v].group == column.group]
    return max(named, key=lambda v: (len(C.compact(columns[v].header)), v)) if named else None


def pair(columns: list[Column]) -> Pairing:
    """Each earlier, change and rate column goes with the nearest value column of its group,
    on its left first (an earlier year's with the next later year's), or with the one value column of another group that has its header
    (`수급자 | 가구`, `수급자 | 인원`, `증감 | 가구`, `증감 | 인원`); a ratio column is its own
    metric, named after the value on its left."""
    pairing = Pairing()
    values = [k for k, c in enumerate(columns) if c.role in VALUE_COLUMNS]
    owner_of_named: dict[int, int] = {}           # earlier figures that name their value column
    for k, column in enumerate(columns):
        same = [v for v in values if columns[v].group == column.group] or values
        if not same:
            continue
        left = [v for v in same if v < k]
        owner = left[-1] if left else min(same, key=lambda v: abs(v - k))
        later = [v for v in same if column.role == "previous" and column.year is not None
                 and columns[v].year is not None and columns[v].year > column.year]
        namesakes = [v for v in later if _without_year(columns[v].header) == _without_year(column.header)]
        owner = min(namesakes or later, key=lambda v: columns[v].year or 0) if later else owner   # 2022 | 2023 |
                                                      # 2024: 2024's; 2023년말 조성액 | 2024년 수입 | 2024년말 조성액: the 조성액
        summed = _summed_in(columns, k) if column.role in ("previous", "change") else None
        owner = summed if summed is not None and summed in values else owner   # 현재액(A) … 현재액(E=A+D)
        namesake = [v for v in values if column.group and columns[v].group != column.group
                    and C.compact(columns[v].header) == C.compact(column.header)]
        if len(namesake) == 1:
            owner = namesake[0]          # 증감 | 가 구 goes with 수급자 | 가 구, not the value beside it
        bracketed = _bracket_named(columns, column, values)
        owner = bracketed if bracketed is not None else owner       # 2023년 계 | 심한 | … | 증감 (계)
        named_earlier = _earlier_of_named(columns, column, values)
        owner = named_earlier if named_earlier is not None else owner   # 지출액 | 불용액 | 전년도 지출액
        if named_earlier is not None:
            owner_of_named[k] = named_earlier
        if column.role in ("change", "change_pct") and k - 1 in owner_of_named and bracketed is None:
            owner = owner_of_named[k - 1]                                # … | 전년도 지출액 | 증감
        rate = _rate_owner(columns, k)
        owner = owner if rate is None else rate      # 집행률 | 전년 집행률 | 증감(%p)
        if column.role == "previous":
            pairing.previous.setdefault(owner, k)
        elif column.role == "change":
            pairing.change.setdefault(owner, k)
        elif column.role == "change_pct":
            pairing.change_pct.setdefault(owner, k)
        elif column.role == "ratio":
            pairing.owner_of_ratio[k] = owner
    return pairing


_LETTER_TAG = regex.compile(r"\(\s*([A-Z])\s*(?:=\s*([A-Z](?:\s*[+\-−]\s*[A-Z])+)\s*)?\)")
_LETTER = regex.compile(r"[A-Z]")


def _summed_in(columns: list[Column], k: int) -> int | None:
    """The column whose header sums column k's letter with a change (`현재액(E=A+D)` of
    `현재액(A)` and `증감(D=B-C)`): the figure k is the earlier figure or the change of."""
    own = _LETTER_TAG.search(columns[k].header)
    if own is None:
        return None
    for j, column in enumerate(columns):
        formula = _LETTER_TAG.search(column.header)
        if j != k and formula and formula.group(2) and "-" not in formula.group(2) \
                and own.group(1) in _LETTER.findall(formula.group(2)):
            return j
    return None


def _changes_from_a_base(table: Table, texts: dict[int, str], lex: Lexicon) -> None:
    """A column headed only by what it compares with (`2019년 대비`) holds percents of that
    figure, unless its figures are amounts (a thousands comma, `△123,155`): then they are
    changes. A change column whose every figure is written as a percent (`전년대비 | △42.9%`)
    is the change in percent."""
    rows = [p for p in table.parts if isinstance(p, Row)]
    for k, column in enumerate(table.columns):
        cells = [text.strip() for row in rows if (text := _cell_text(row, k, texts)) and C.is_figure(text.strip())]
        if column.role == "ratio" and C.names_a_base(column.header, lex) and any("," in c for c in cells):
            column.role = "change"
        elif column.role == "change" and cells and all(c.endswith(("%", "％")) for c in cells):
            column.role = "change_pct"


def previous_by_arithmetic(table: Table, texts: dict[int, str]) -> None:
    """Of two value columns beside one change column, neither headed as the earlier one
    (`요구액 | 조정액 | 증감`, `정부안 | 확정 | 증감`), the one the change is counted from, in
    most rows, is the earlier figure."""
    columns = table.columns
    values = [k for k, c in enumerate(columns) if c.role in VALUE_COLUMNS]
    changes = [k for k, c in enumerate(columns) if c.role == "change"]
    if len(values) != 2 or len(changes) != 1 or changes[0] < values[1] or any(c.role == "previous" for c in columns) \
            or columns[values[0]].group != columns[values[1]].group:
        return
    checked, agreed = 0, Counter()
    for row in (p for p in table.parts if isinstance(p, Row)):
        figures = [_cell_text(row, k, texts) for k in (*values, changes[0])]
        if None in figures:
            continue
        left, right, change = (figure_value(f) for f in figures)
        if change == 0:
            continue
        checked += 1
        agreed[values[0]] += abs(right - left - change) <= 1e-6 * max(1.0, abs(right))
        agreed[values[1]] += abs(left - right - change) <= 1e-6 * max(1.0, abs(left))
    earlier, count = max(agreed.items(), key=lambda kv: kv[1], default=(None, 0))
    if earlier is not None and count >= 2 and count * 3 >= checked * 2:
        columns[earlier].role = "previous"


def rates_by_arithmetic(table: Table, pairing: Pairing, texts: dict[int, str]) -> Pairing:
    """A ratio column (`비율(%)`) beside an earlier figure is the rate of change when its
    figures are, in most rows, the change over the earlier figure, to the digits written
    (`1,942,150 | 2,038,640 | 96,490 | 5.0`); else it stays a ratio of its own (구성비)."""
    changed = False
    rows = [p for p in table.parts if isinstance(p, Row)]
    for k, owner in pairing.owner_of_ratio.items():
        earlier = pairing.previous.get(owner)
        if earlier is None or k in pairing.change_pct.values():
            continue
        checked = agreed = 0
        for row in rows:
            figures = [_cell_text(row, j, texts) for j in (owner, earlier, k)]
            if None in figures or figure_value(figures[1]) == 0:
                continue
            value, before, rate = (figure_value(f) for f in figures)
            checked += 1
            agreed += abs(100 * (value - before) / before - rate) <= _rounding(figures[2]) + 0.01
        if agreed >= 2 and agreed * 3 >= checked * 2:
            table.columns[k].role, changed = "change_pct", True
    return pair(table.columns) if changed else pairing


def _cell_text(row: Row, k: int, texts: dict[int, str]) -> str | None:
    span = row.cells[k] if k < len(row.cells) else None
    return texts[span.para][span.start:span.end] if span is not None else None


def _rounding(written: str) -> float:
    """Half the last digit written: 5.0 → 0.05, 12 → 0.5."""
    digits = written.strip().rstrip("%％)").split(".")
    return 0.5 * 10 ** -(len(digits[1]) if len(digits) > 1 else 0)


def cell_unit(table: Table, column: Column, text: str, lex: Lexicon,
              row_unit: str | None = None, row_label: str = "") -> tuple[UnitForm | None, str | None]:
    """The unit of a figure in this column: a `%` on the figure, a unit the header names or
    the row's label names (`총인구(명)`), percent for rate columns, else the unit note's
    (positional when the note names one unit per value column, `(단위: 조원, 조원, %)`; of
    several, the one the header, else the row's label, names)."""
    percent = lex.unit_by_form.get("%")
    if text.strip().endswith("%"):
        return percent, None
    for written in (column.unit_text, None if column.role in ("ratio", "change_pct") else row_unit):
        named = unit_form(written, lex) if written else None
        if named is not None:
            return named, written
    if column.role in ("ratio", "change_pct") or row_unit == "%":
        return percent, None                          # 달성률 of a row in 개소: a percent all the same
    counted = counted_unit(column.header, lex)
    if counted is not None and (table.note is None or all(u.category != counted.category for u in table.note.units)):
        return counted, None                          # 학생수, 학급수: counts, whatever money note is in force
    note = table.note
    if note is None:                                  # 정원 | 31 | 6 …, 직원 수 | 120: a row (or column) of people
        people = _names_people(row_label, lex) or _names_people(column.header, lex)
        return (lex.unit_by_form.get("명"), None) if people else (None, None)
    if len(note.units) == len(table.columns) and len(note.units) > 1 and not any(
            c.role in ("previous", "change", "change_pct") for c in table.columns):
        return note.units[table.columns.index(column)], note.text   # not `2011년 | 2012년`: one measure twice
    named = (named_unit(column.header, note.units, lex) or named_unit(column.group, note.units, lex)
             or named_unit(row_label, note.units, lex)) \
        if len(note.units) > 1 else None              # `교원수`; a row of `이용객` under `단위 : 천원, 명`
    if named is not None:
        return named, note.text
    measures = _measures(table.columns)
    if 1 < len(note.units) == max(measures) + 1 < len(table.columns):
        return note.units[measures[table.columns.index(column)]], note.text   # 개소 | 2018년 2019년 증감 | 구성비
    if column.role == "value" and note.percent() is not None and len(note.units) > 1 and (
            "율" in column.header or "률" in column.header):                 # 공정률, 달성률
        return note.percent(), note.text
    return note.main, note.text


def _measures(columns: list[Column]) -> list[int]:
    """Which measure each column is of, counted from 0: an earlier figure or a change goes on
    measuring what the amount before it does (`인구 | 전월 | 증감`), and so does a year after a year
    or after one of those (`2018년 | 2019년 | 증감`); any
    other column is a new measure (`해수욕장 | 2018년 2019년 증감 | 구성비`: three, for `개소, 명, %`)."""
    compared = ("previous", "change", "change_pct")
    out: list[int] = []
    for k, column in enumerate(columns):
        before = columns[k - 1] if k else None
        goes_on = before is not None and (
            column.role in compared and column.year is None and before.role in ("current", "value", *compared)
            or before.role == "previous" and column.role in VALUE_COLUMNS        # 제1회 추경 | 제2회 추경
            or before.year is not None and (column.year is not None or column.role in compared)
            or before.role in compared and column.year is not None)
        out.append(out[-1] if goes_on else (out[-1] + 1 if out else 0))
    return out


def counted_unit(header: str, lex: Lexicon) -> UnitForm | None:
    """The unit a count's header names (`학생수` 명, `학급수` 학급, `학교수` 교, `가구수` 가구): a
    header ending in 수 after a word for people or a counter."""
    words = C.compact(C.LETTER_NOTE.sub("", header))
    if len(words) < 3 or not words.endswith("수"):
        return None
    return named_unit(words, tuple(u for u in lex.units if u.scale == 1 and (
        u.category == "count" or u.category == "people" and u.form == u.unit)), lex)


def named_unit(words: str, units: tuple[UnitForm, ...], lex: Lexicon) -> UnitForm | None:
    """Of a note's several units (`단위 : 가구, 명`), the one a column's header or a row's
    label names: a unit as written (`가 구`), or a word for people for the people unit
    (`인 원`); a count of them names the same (`학교수` over figures in 교, `교원수` in 명,
    `이용대수` in 대); an amount (`피해액`, `사업비`, `예산`) is in the money unit."""
    if _names_people(words, lex):                                     # 공무원 is people, not 원
        return next((u for u in units if u.category == "people"), None)
    words = C.compact(C.LETTER_NOTE.sub("", words))
    words = words[:-1] if len(words) >= 2 and words.endswith("수") else words
    if words.endswith("액") or words.endswith("비") and not words.endswith(_NOT_COSTS) \
            or any(words.endswith(w) for w in lex.cue("amount")):
        return next((u for u in units if u.category == "money"), None)   # 피해액, 구입비, 예산: an amount of money
    return max((u for u in units if words.endswith(u.form) or u.form != u.unit and u.category != "money"
                and words.endswith(u.unit)), key=lambda u: len(u.form), default=None)   # 대출권수 in 천권 (not 공원 in 천원)


_NOT_COSTS = ("장비", "설비", "준비", "대비")      # things, not costs, though they end in 비


def _names_people(words: str, lex: Lexicon) -> bool:
    """A header or label that ends in a word for people, or counts them (`인 원`, `교원수`)."""
    words = C.compact(C.LETTER_NOTE.sub("", words))
    words = words[:-1] if len(words) >= 2 and words.endswith("수") else words
    return any(words.endswith(w) for w in lex.cue("people"))


def scaled(value: float, unit: UnitForm | None) -> float:
    return round(value * unit.scale, 6) if unit is not None else value


def row_cells(table: Table, row: Row, pairing: Pairing, texts: dict[int, str], lex: Lexicon,
              row_unit: str | None = None, row_label: str = "") -> list[Cell]:
    """The metrics of one row: a value cell with its earlier figure, change and rate, and
    the ratio cells; in column order."""
    out: list[Cell] = []

    def figure(k: int | None) -> tuple[float, str] | None:
        if k is None or k >= len(row.cells) or row.cells[k] is None:
            return None
        span = row.cells[k]
        text = texts[span.para][span.start:span.end]
        return figure_value(text), text

    for k, column in enumerate(table.columns):
        if column.role not in VALUE_COLUMNS + ("ratio",):
            continue
        got = figure(k)
        if got is None:
            continue
        value, text = got
        unit, used_note = cell_unit(table, column, text, lex, row_unit, row_label)
        cell = Cell(row.cells[k], scaled(value, unit), column, unit, used_note)
        cell.rule_ids += [column.rule_id] if column.rule_id else []
        cell.rule_ids += [unit.rule_id] if unit is not None else []
        for kind, source in (("prev", pairing.previous), ("change", pairing.change)):
            other = figure(source.get(k))
            if other is not None:
                other_unit = unit if column.role == "ratio" else \
                    cell_unit(table, table.columns[source[k]], other[1], lex, row_unit, row_label)[0]   # a rate's: in its unit
                setattr(cell, kind, scaled(other[0], other_unit if other_unit is not None else unit))
                cell.rule_ids.append(table.columns[source[k]].rule_id)
                if kind == "prev":
                    cell.prev_column = table.columns[source[k]]
        rate = figure(pairing.change_pct.get(k))
        if rate is not None:
            cell.change_pct = rate[0]
            cell.rule_ids.append(table.columns[pairing.change_pct[k]].rule_id)
        out.append(cell)
    return out


def subject(label: str, column: Column, named: bool) -> str:
    """The row's label, with the column's name when the row has several value cells."""
    name = column.name if named else ""
    if not label:
        return name
    return f"{label} {name}".strip() if name and C.compact(name) not in C.compact(label) else label


def named_columns(table: Table) -> bool:
    """Whether cells need their column's name to be told apart: more than one value column,
    or ratio columns beside one (in either of two tables side by side)."""
    halves = [table.columns[:table.right_from], table.columns[table.right_from:]] if table.right_from else [table.columns]
    return any(sum(c.role in VALUE_COLUMNS or c.role == "ratio" for c in half) > 1 for half in halves)


def is_total(label: str, column: Column, lex: Lexicon) -> bool:
    """A row that sums others (합계, 소계, 총 계), or a cell of a 계 column."""
    words = lex.cue("total")
    return C.compact(_BRACKETED.sub("", label)) in words or C.compact(_BRACKETED.sub("", column.header)) in words \
        or C.compact(_BRACKETED.sub("", column.group)) in words


def row_label(text: str, lex: Lexicon | None = None) -> tuple[str, str | None, str | None]:
    """A label cell as (subject words, code, unit it names): `01 일반운영비` is (일반운영비, 01,
    None), `총인구(명)` is (총인구, None, 명); brackets that name no unit stay in the label."""
    code, start = C.split_code(text)
    label = C.clean_label(C.LETTER_NOTE.sub("", text[start:]))
    unit = header_unit(label)
    if unit is not None and lex is not None and unit_form(unit, lex) is None and unit not in ("%", "％"):
        unit = None                                     # 장사시설(승화원), 예산(안): the label's own words
    if unit is not None:
        label = _LAST_BRACKET.sub("", label) or label
    elif lex is not None and (C.compact(label).endswith(("율", "률")) or (
            (word := C.column_role(label, lex)) is not None and word.role == "ratio")):
        unit = "%"                                      # 재정자립도, 고령인구 비율: a rate row
    return label, code, unit


def hierarchy_levels(values: list[tuple[float, bool]]) -> list[int]:
    """Levels of a budget book's rows (부서 → 정책 → 단위 → 세부사업 → 편성목 → 통계목, or
    장 · 관 · 항 · 세항 · 목) from their amounts, in order: a row lies under the nearest row
    above whose amount still has room for it; a row without a code never lies under a coded
    one (codes are the object classes of the programme above them)."""
    stack: list[list[float]] = []           # [level, room left, coded]
    levels: list[int] = []
    for value, coded in values:
        amount = abs(value)
        while stack and (stack[-1][1] + 1e-6 < amount or (not coded and stack[-1][2])):
            stack.pop()
        level = int(stack[-1][0]) + 1 if stack else 1
        if stack:
            stack[-1][1] -= amount
        stack.append([level, amount, coded])
        levels.append(level)
    return levels


_PERIOD = regex.compile(r"(?:19|20)\d{2}\s*년도?|['’‘]\d{2}\s*년도?|(?:19|20)\d{2}|['’‘]\d{2}")


def read_table(ctx: DocContext, table: Table, paragraphs: dict[int, tuple[Paragraph, list[Sentence]]]) -> None:
    """All rows of a table, in order, with the notes between them; each row heads the items
    in the notes after it, and owns the shares and calculations there. A table all of whose
    lines repeat earlier ones (a reposted page) gives no rows; repeated cells inside a table
    that has new lines (a 지출 table of the 수입 table's figures) are read."""
    lex = ctx.lex
    texts = {k: para.text for k, (para, _) in paragraphs.items()}
    previous_by_order(table.columns)
    _earlier_rates(table.columns, lex)
    previous_by_arithmetic(table, texts)
    _changes_from_a_base(table, texts, lex)
    pairing = rates_by_arithmetic(table, pair(table.columns), texts)
    named = named_columns(table)
    unit = table.note.main if table.note else None
    reader = NoteReader(ctx, table, paragraphs, unit)
    _warn_units(ctx, table, paragraphs)
    for para, message in table.warnings:
        ctx.warn(paragraphs[para][0], f"table {table.number}: {message}")
    rows = [p for p in table.parts if isinstance(p, Row)]
    labels = {id(r): row_label(" ".join(filter(None, [r.label_prefix, texts[r.label.para][r.label.start:r.label.end]
                                                       if r.label else "", r.label_suffix])), lex)
              for r in rows}
    codes = sum(1 for r in rows if r.code or labels[id(r)][1])
    coded = codes >= 2 or codes == 1 and len(rows) >= 2 and any("예산" in c.header for c in table.columns)
    levels = dict(zip(map(id, rows), hierarchy_levels(
        [(_first_value(r, texts), bool(r.code or labels[id(r)][1])) for r in rows]))) if coded else {}
    named_above: list[tuple[int, str]] = []            # (level, label) of rows without a code, above
    compared = _years_then_change(rows, labels, lex)   # 2003년 | 2004년 | 증 감: rows that compare
    repeated = all(paragraphs[k][0].is_duplicate for k in table.paragraphs)   # not a new table of old figures
    above = (ctx.heading, list(ctx.stack))            # what heads the text above the table
    indented: list[tuple[int, str]] = []               # (where its label starts, what names its unit) of rows above
    for part in table.parts:
        if not isinstance(part, Row):
            if not repeated:
                reader.note(part.span)
            continue
        label, code, row_unit = labels[id(part)]
        code, row_unit = part.code or code, part.unit or row_unit
        if part.group_label and C.compact(label) in lex.cue("total"):
            label = f"{part.group_label} {label}"               # 영업비용 | 소계
        level = levels.get(id(part))
        while named_above and level is not None and named_above[-1][0] >= level:
            named_above.pop()
        subject_base = label
        if coded and code and named_above:
            subject_base = f"{named_above[-1][1]} {label}".strip()      # 사회복지관 운영 자치단체등이전
        elif coded and not code and level is not None and C.compact(label) not in lex.cue("total"):
            named_above.append((level, label))               # (a 합계 row names no rows below it)
        unit_label = _unit_label(table, part, label, indented, lex)
        cells = [] if repeated or compared and part is compared[2] else \
            row_cells(table, part, pairing, texts, lex, row_unit, unit_label)
        if compared and part is compared[0]:          # the earlier year stands alone where the later has none
            cells = [c for c in cells if _cell_at(compared[1], table.columns.index(c.column)) is None]
        if compared and part is compared[1]:
            _compare_rows(table, cells, compared, texts, labels[id(compared[0])][0])
        for cell in cells:
            _add_cell(ctx, table, part, cell, subject_base, label, level, named, paragraphs)
        reader.row(Owner(subject_base, label, level))
        ctx.heading = (label, ctx.order) if label else ctx.heading
        ctx.stack.clear()
        ctx.last_item = None
        ctx.order += 1
    reader.flush()
    if rows and rows[-1] is table.parts[-1] and (C.compact(labels[id(rows[-1])][0]) in lex.cue("total") or not coded):
        ctx.heading, ctx.stack[:] = above             # a table closed by its total, or a table of statistics
                                                      # (no budget codes): the text after it is the text
                                                      # above's again (□ 정책사업 : … | 합계 | ○ …)


def _unit_label(table: Table, row: Row, label: str, indented: list[tuple[int, str]], lex: Lexicon) -> str:
    """What names a row's unit under a note of several: its label, or for a row indented under
    another whose label names none of them, that row's (`주차요금 수입` over `  노상`, `  노외`,
    under `단위 : 천대, 백만원`: money). `indented` keeps the rows above, updated here."""
    if table.note is None or len(table.note.units) < 2 or row.label is None or C.SEPARATOR.search(row.sentence):
        return label                                  # (in cells a label's place says nothing: `│  운행 실적  │`)
    start = row.label.start                           # (each row its own line: where its label stands in it)
    while indented and indented[-1][0] >= start:
        indented.pop()
    named = label
    if indented and named_unit(label, table.note.units, lex) is None and counted_unit(label, lex) is None:
        named = indented[-1][1]
    indented.append((start, named))
    return named


def _years_then_change(rows: list[Row], labels: dict[int, tuple], lex: Lexicon) -> tuple[Row, Row, Row] | None:
    """A table whose last rows are two years and their change (`2003년 | 2004년 | 증 감`, the years
    down the side): (the earlier year's row, the later one's, the change's)."""
    if len(rows) < 3:
        return None
    earlier, later, change = rows[-3:]
    role = C.column_role(labels[id(change)][0], lex)
    years = [C.year_of(labels[id(r)][0]) for r in (earlier, later)]
    if role is None or role.role != "change" or None in years or years[0] >= years[1]:
        return None
    return earlier, later, change


def _compare_rows(table: Table, cells: list[Cell], compared: tuple[Row, Row, Row], texts: dict[int, str],
                  earlier_label: str) -> None:
    """The later year's cells take the earlier year's figure in their column as prev (of that
    year) and the change row's as change (in the cell's unit); the change row gives no rows
    of its own, nor does the earlier year where the later one compares with it."""
    earlier, _, change = compared
    for cell in cells:
        k = table.columns.index(cell.column)
        for kind, row in (("prev", earlier), ("change", change)):
            span = _cell_at(row, k)
            if span is not None and getattr(cell, kind) is None:
                setattr(cell, kind, scaled(figure_value(texts[span.para][span.start:span.end]), cell.unit))
                if kind == "prev":
                    cell.prev_column = Column(earlier_label, "previous", year=C.year_of(earlier_label))


def _cell_at(row: Row, k: int) -> Span | None:
    return row.cells[k] if k < len(row.cells) else None


def _first_value(row: Row, texts: dict[int, str]) -> float:
    span = next((s for s in row.cells if s is not None), None)
    return figure_value(texts[span.para][span.start:span.end]) if span else 0.0


def _add_cell(ctx: DocContext, table: Table, row: Row, cell: Cell, subject_base: str, label: str,
              level: int | None, named: bool, paragraphs: dict[int, tuple[Paragraph, list[Sentence]]]) -> None:
    para = paragraphs[cell.span.para][0]
    column = cell.column
    year = column.year
    if C.is_year_label(label):
        year = year or C.year_of(label)
        subject_text = column.name or label
    else:
        subject_text = subject(subject_base, column, named)
    q = Quantity(cell.span.start, cell.span.end, cell.value, unit=cell.unit.unit if cell.unit else None,
                 category=cell.unit.category if cell.unit else None, rule_ids=list(cell.rule_ids))
    direction = cell.direction
    obs = M.Observation(q, prev=_plain(cell.prev), change=_plain(cell.change), change_pct=_plain(cell.change_pct),
                        direction=direction, subject=subject_text or None)
    period = _PERIOD.search(column.header) if year is not None and column.year is not None else None
    prev_period = _PERIOD.search(cell.prev_column.header) if cell.prev_column is not None else None
    obs.period = period.group() if period else None
    obs.prev_period = prev_period.group() if prev_period else None
    header = " ".join(w for w in (column.group, column.header) if w) or None
    add_metric(ctx, para, obs, 0, row.sentence, None, "table", table_id=table.number,
               row_label=label or None, column_label=header, row_level=level,
               is_total=is_total(label, column, ctx.lex), unit_note=cell.unit_note,
               year=year, prev_year=cell.prev_column.year if cell.prev_column is not None else None)
    if cell.prev is not None and cell.change is not None and \
            abs(cell.value - cell.prev - cell.change) > 1e-6 * max(1.0, abs(cell.value)) + 0.5 * (
                cell.unit.scale if cell.unit else 1):
        ctx.warn(para, f"table {table.number}, row {label!r}: {column.header or 'value'} {cell.value:g} is not "
                       f"the earlier {cell.prev:g} plus the change {cell.change:g}")


def _plain(value: float | None) -> Quantity | None:
    return None if value is None else Quantity(0, 0, value)


def _warn_units(ctx: DocContext, table: Table, paragraphs: dict[int, tuple[Paragraph, list[Sentence]]]) -> None:
    """A unit the header names that contradicts the unit note: the header wins, and says so."""
    if table.note is None:
        return
    first = paragraphs[min(paragraphs)][0]
    for column in table.columns:
        named = unit_form(column.unit_text, ctx.lex) if column.unit_text else None
        main = table.note.main
        if named is not None and main is not None and named.category == main.category and named.scale != main.scale:
            ctx.warn(first, f"table {table.number}: the header's unit {column.unit_text!r} ({column.header}) "
                            f"is used over the unit note {table.note.text!r}")
