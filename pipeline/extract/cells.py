"""What a piece of table text is: a figure, a dash, a code, a label, a year, a header word.

Shared by the layout step (which finds tables and rebuilds their rows) and the table reader
(which turns cells into metric rows). Only the text is looked at, never the morphemes.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from pipeline.lexicon import Lexicon

_BARE_YEAR = regex.compile(r"\s*(?:19|20)\d{2}\s*")
_YEAR_LABEL = regex.compile(r"\s*(?:(?:19|20)\d{2}|['’‘]\d{2})\s*년?(?:도)?\s*")

SEPARATOR = regex.compile(r"[│┃|┆┊║\t]")
BORDER_ONLY = regex.compile(r"^[\s\u2500-\u257f|+:\-=~_]*$")   # the whole box-drawing block (╂ ┝ ╀ …)
RULE_CHARACTERS = regex.compile(r"[\u2500-\u257f]+")             # that block's characters, a run of them
# a figure as tables write it: 1,234  △1,234  -12.5  (17.2)  3.1%  +12.1%  △3.5%p
FIGURE = regex.compile(r"\s*(?:[△▲▼]\s?|[-+−])?\(?\s*(?:[△▲▼]|[-+])?"
                       r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*\)?\s*(?:%p?)?\s*")
DASH = regex.compile(r"\s*(?:[-–—―‐−·…]+|\.{2,})?\s*")
CODE = regex.compile(r"\s*\(?\s*(\d{2,4}(?:-\d{1,3})?)\s*\)?\s*")
CODE_LABEL = regex.compile(r"\s*(?!(?:19|20)\d{2}\s)(\d{2,4}(?:-\d{1,3})?)\s+(?=\p{Hangul})")   # 01 일반운영비, not 2024 예산
CODE_TAG = regex.compile(r"\s*[(\[]\s*(?:\p{Hangul}{1,2}\s*[:：]?\s*)?(\d{2,4}(?:-\d{1,3})?)\s*[)\]]\s*")   # (세항 2316)
YEAR = regex.compile(r"(?<![\d.,])(?:((?:19|20)\d{2})(?![\d,]|\.\d)|['’‘`](\d{2})(?![\d.]))")
LETTER_NOTE = regex.compile(r"\s*\([A-Z](?:\s*[=+\-/×*−]\s*(?:[A-Z]|\d+))*\)")   # (A), (B-A): which column or row
_LEVEL_TAG = regex.compile(r"^\s*[\[【]\s*(?:정책|단위|세부|부서|사업)\s*[\]】]\s*(?=\S)")
_SPACED_SYLLABLES = regex.compile(r"\p{Hangul}(?:\s+\p{Hangul})+")
_SPACE = regex.compile(r"\s+")
_LEAD_MARK = regex.compile(r"^\s*(?:[◆◇■□▣◈○●◎ㅇ◦•·▶▷▲△▪※*]|-(?=\s)|[①-⑳]|o(?=\s)|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+\.|\d{1,2}[.)](?!\d)|"
                        r"[가-하][.)])\s*")
_HANGUL = regex.compile(r"\p{Hangul}")
VALUE_ROLES = ("current", "previous", "change", "change_pct", "ratio")


def compact(text: str) -> str:
    return _SPACE.sub("", text)


def is_figure(text: str) -> bool:
    return bool(FIGURE.fullmatch(text)) and any(ch.isdigit() for ch in text)


def is_dash(text: str) -> bool:
    """An empty value cell: `-`, `…`, blank."""
    return bool(DASH.fullmatch(text))


def is_value(text: str) -> bool:
    return is_figure(text) or is_dash(text) and bool(text.strip())


def is_code(text: str) -> bool:
    """A bare budget code (`2316`, `110`, `01`, `211-01`): digits without a thousands comma."""
    m = CODE.fullmatch(text)
    return bool(m) and not _BARE_YEAR.fullmatch(text)


def year_of(text: str) -> int | None:
    """The year a header names (`2026년`, `'25 예산`, `2024(A)`), if exactly one."""
    years = {int(a) if a else _two_digit(b) for a, b in YEAR.findall(text)}
    return years.pop() if len(years) == 1 else None


def _two_digit(yy: str) -> int:
    n = int(yy)
    return 2000 + n if n < 70 else 1900 + n


def is_year_label(text: str) -> bool:
    """A row label that is a year: `2019`, `2019년`, `'24년`."""
    return bool(_YEAR_LABEL.fullmatch(text))


def clean_label(text: str) -> str:
    """A row label as a subject: without its bullet or numbering, spaced-out words joined
    (`합      계`, `일 반 회 계`), one space between words."""
    text = _LEAD_MARK.sub("", text, count=1)
    text = _LEVEL_TAG.sub("", text, count=1)            # [세부] 무상급식 지원: the level, no part of the name
    text = _SPACE.sub(" ", text).strip(" :：")
    return text.replace(" ", "") if _SPACED_SYLLABLES.fullmatch(text) else text


def split_code(text: str) -> tuple[str | None, int]:
    """A code that opens a label (`01 일반운영비`, `(세항 2316)종합사회복지관리`): (code, where the
    name starts)."""
    m = CODE_TAG.match(text) or CODE_LABEL.match(text)
    return (m.group(1), m.end()) if m else (None, 0)


@dataclass(frozen=True)
class ColumnWord:
    role: str
    rule_id: str
    measure: bool = False      # 예산액, 금액: what a current column measures, not which period


def column_role(header: str, lex: Lexicon) -> ColumnWord | None:
    """The role a header names: its rule words tried in role order (`전년도 예산액` is the
    previous column although it holds 예산액), spaces ignored (`예 산 액`). Remembered per
    header (the layout step asks for the same cells again and again)."""
    cache = lex.memo.setdefault("column_role", {})
    if header in cache:
        return cache[header]
    if len(cache) >= MEMO_MAX:
        cache.clear()
    role = cache[header] = _column_role(header, lex)
    return role


MEMO_MAX = 20_000        # headers remembered at once


def _column_role(header: str, lex: Lexicon) -> ColumnWord | None:
    text = compact(header)
    if lex.table_role_characters.isdisjoint(text):
        return None                                   # `1,234`, `△5.2`: no column word can be in it
    for role, words in lex.table_roles:
        for word, rule_id in words:
            if word in text and (role != "label" or (text.startswith(word) or text.endswith(word))
                                 and year_of(text) is None):     # 2023회계연도: a year's column, no 연도 label
                if role == "measure":                 # a label column's word opens or ends its header
                    return ColumnWord("current", rule_id, measure=True)
                return ColumnWord(role, rule_id)
    return None


def names_a_base(header: str, lex: Lexicon) -> bool:
    """A header of no rule word that ends in a comparison word (`2019년 대비`): its figures are
    measured against that base."""
    return column_role(header, lex) is None and any(compact(header).endswith(w) for w in lex.cue("comparison"))


def has_hangul(text: str) -> bool:
    return bool(_HANGUL.search(text))


_AMOUNT_SHARE = regex.compile(r"\s*([△▲\-]?\d[\d,]*(?:\.\d+)?)\s*\(\s*([△▲\-]?\d+(?:\.\d+)?\s*%)\s*\)\s*")
_SHARE_HEADER = regex.compile(r"(.*?\S)\s*\(\s*(비율|비중|구성비)\s*%?\s*\)\s*")


def amount_and_share(text: str, a: int, b: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """A cell that holds an amount and its share (`9,842(100.0%)`): the two figures' spans."""
    m = _AMOUNT_SHARE.fullmatch(text, a, b)
    return (m.span(1), m.span(2)) if m else None


def share_header(text: str, a: int, b: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """A header over such cells (`2018년 결산(비중)`, `금액(비율%)`): its words and its share word."""
    m = _SHARE_HEADER.fullmatch(text, a, b)
    return (m.span(1), m.span(2)) if m else None


_SERIAL = regex.compile(r"\s*\d{1,3}\s*")


def serial_cell(texts: list[str]) -> int | None:
    """The cell that may number a row (연번 `1 | 기초생활수급자 발굴 | 명 | 1,200`): a first
    filled cell of one to three digits right before a cell of words (figures stand after a
    row's label, never before it); numbers_rows says whether the table's such cells do."""
    filled = [k for k, t in enumerate(texts) if t.strip()]
    if len(filled) < 3 or not is_serial(texts[filled[0]]):
        return None
    label = texts[filled[1]]
    return filled[0] if has_hangul(label) and not is_value(label) else None


def is_serial(text: str) -> bool:
    """One to three digits alone: a number that may count a table's rows."""
    return bool(_SERIAL.fullmatch(text))


def numbers_rows(numbers: list[str]) -> bool:
    """The numbers before a table's labels count its rows, 1, 2, 3 … (not budget codes,
    `301 | 308 | 401`)."""
    return len(numbers) >= 2 and [int(n) for n in numbers] == list(range(1, len(numbers) + 1))


_GLUED_NUMBER = regex.compile(r"[△▲▼+\-]?\(?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\)?%?|[-–]")


def split_glued(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Figures run together without a separator, as PDF text gives them
    (`12,480,21013,102,355622,145` is 12,480,210 | 13,102,355 | 622,145): split by digit
    grouping, each comma followed by exactly three digits."""
    end = len(text) if end is None else end
    out, i = [], start
    while i < end:
        m = _GLUED_NUMBER.match(text, i, end)
        if not m or m.end() == i:
            i += 1
            continue
        out.append((m.start(), m.end()))
        i = m.end()
    return out


def split_by_arithmetic(text: str, start: int, end: int, roles: list[str]) -> list[tuple[int, int]] | None:
    """Digits of several figures run together without commas (`4204000`): the one way to cut
    them into the row's figures (no part with a leading zero) for which the row's own
    arithmetic holds, amount = earlier + change; None when no way or more than one does."""
    if not {"current", "previous", "change"} <= set(roles) or end - start > 18:
        return None
    cur, prev, chg = roles.index("current"), roles.index("previous"), roles.index("change")
    n = len(roles)
    found: list[list[tuple[int, int]]] = []

    def cuts(at: int, left: int, acc: list[tuple[int, int]]) -> None:
        if left == 1:
            piece = (at, end)
            if end > at and (text[at] != "0" or end - at == 1):
                found_parts = acc + [piece]
                values = [int(text[a:b]) for a, b in found_parts]
                if values[cur] == values[prev] + values[chg]:
                    found.append(found_parts)
            return
        for stop in range(at + 1, end - left + 2):
            if text[at] == "0" and stop - at > 1:
                break
            cuts(stop, left - 1, acc + [(at, stop)])

    cuts(start, n, [])
    return found[0] if len(found) == 1 else None
