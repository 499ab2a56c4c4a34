"""Unit notes (`(단위 : 천원)`, `단위: 백만 원`, `(단위: 조원, %)`) and the value of a table figure."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from pipeline.lexicon import Lexicon, UnitForm
from pipeline.extract.cells import compact as without_spaces
from pipeline.extract.numbers import BIG_SCALES, SMALL_SCALES, Quantity, parse_quantities
from pipeline.records import Paragraph

# `(단위 : 천원)`, `[단위:천원]`, `단위: 백만 원`, `(… 기준 / 단위: 개, 명, %)`; not `시군구 단위 30개`
_NOTE = regex.compile(r"(?:(?<=[(\[<〈【/])\s*|^\s*)(?:단위\s*[:：]\s*)*단위\s*[:：]?\s*([^()\[\]<>〈〉【】\n]*?)\s*(?:[)\]>〉】]|$)"
                      r"|단위\s*[:：]\s*([^()\[\]<>〈〉【】\n]*?)\s*(?:[)\]>〉】]|$)")
_LIST = regex.compile(r"\s*[,，/·]\s*")


@dataclass(frozen=True)
class UnitNote:
    """The units a note names, in order, and the note as written."""
    text: str
    units: tuple[UnitForm, ...]
    start: int = 0
    end: int = 0

    @property
    def main(self) -> UnitForm | None:
        """The unit of the amounts: the first that is not a percent."""
        return next((u for u in self.units if u.category not in ("percent", "points")), self.units[0] if self.units else None)

    def percent(self) -> UnitForm | None:
        return next((u for u in self.units if u.category == "percent"), None)


def unit_note(text: str, lex: Lexicon) -> UnitNote | None:
    """The unit note in a line, if any (a note that names no known unit, `(단위: )`, is none)."""
    for m in _NOTE.finditer(text):
        written = m.group(1) if m.group(1) is not None else m.group(2)
        if written is None:
            continue
        units = tuple(u for part in _LIST.split(written) if part.strip()
                      if (u := unit_form(part, lex)) is not None)
        if units:
            return UnitNote(written.strip(), units, m.start(), m.end())
    return None


def unit_form(written: str, lex: Lexicon) -> UnitForm | None:
    """The unit rule whose form is the text, spaces ignored (`백만 원` is 백만원); a counter
    after scale words counts in that many (`천명`, `천 대`, `만 톤`: its figures × 1,000 or
    10,000, in 명, 대, 톤)."""
    compact = without_spaces(written)
    found = lex.unit_by_form.get(compact)
    if found is not None:
        return found
    scale, k = 1, 0
    while k < len(compact) - 1 and compact[k] in _SCALE_WORDS:
        scale, k = scale * _SCALE_WORDS[compact[k]], k + 1
    base = lex.unit_by_form.get(compact[k:]) if k else None
    if base is None or base.category in ("money", "percent", "points"):
        return None                                    # 천원, 백만원 are rules of their own
    return UnitForm(base.rule_id, compact, base.unit, base.category, base.scale * scale)


_SCALE_WORDS = {**SMALL_SCALES, **BIG_SCALES}


_MINUS = ("△", "▲", "▼", "-", "−")


def figure_value(text: str) -> float:
    """A table figure's number: `△1,234` and `-1,234` are minus, `(17.2)` is 17.2, `3.1%` is 3.1,
    `△3.5%p` is -3.5."""
    t = text.strip().strip("()").strip()
    sign = 1.0
    while t and t[0] in "△▲▼-−+(":
        if t[0] in _MINUS:
            sign = -sign
        t = t[1:].strip()
    t = t.removesuffix("%p").rstrip("%)").strip().replace(",", "")
    try:
        return sign * float(t)
    except ValueError:
        return 0.0


_LABEL_BEFORE = regex.compile(r"(?<![^\s(])(\p{Hangul}{1,10})\s\Z")     # `전남 16`: a label, a space, its figure
_PAIR_AFTER = regex.compile(r"\s*(?:[/,，·(]|\)(?!\s*\p{Hangul})|$)")     # not (장 2000)사회개발: a code


def is_bare_pair(text: str, q: Quantity) -> bool:
    """A figure written right after its label and before a separator or the line's end
    (`국비 600,`, `전남 16 /`): one of a list of label-figure pairs."""
    return bool(_LABEL_BEFORE.search(text, 0, q.start) and _PAIR_AFTER.match(text, q.end))


def totals_broken_down(paragraphs: Sequence[Paragraph], lex: Lexicon) -> dict[int, tuple[UnitForm, frozenset[int]]]:
    """Lines of bare label-figure pairs right below a total written with a scaled money unit,
    whose figures add up to it (`□ 소요 예산 : 총 2,095백만원` / `○ 재원별 : 국비 600, 도비 390,
    군비 1,105`; a breakdown may run over a few lines): the total's unit is theirs. By line
    number: that unit and where the pairs' figures start."""
    by_line = {p.line_no: p.text for p in paragraphs if not p.is_duplicate}
    found: dict[int, tuple[UnitForm, frozenset[int]]] = {}
    for para in paragraphs:
        below = by_line.get(para.line_no + 1)
        if para.is_duplicate or below is None or not _PAIR_HINT.search(below) or not _WRITTEN_DIGITS.search(para.text):
            continue
        totals = [q for q in parse_quantities(para.text, lex) if q.category == "money" and not q.not_metric]
        digits = _WRITTEN_DIGITS.fullmatch(para.text, totals[-1].start, totals[-1].end) if totals else None
        written = float(digits.group(1).replace(",", "")) if digits else 0.0
        if not written or totals[-1].value <= written:
            continue                                   # 2,095백만원: 2,095 of a million won each
        total = totals[-1]
        unit = UnitForm(total.rule_ids[0] if total.rule_ids else "", para.text[digits.end(1):total.end].strip(),
                        total.unit or "", total.category or "", round(total.value / written, 6))
        running, lines = 0.0, []
        for line_no in range(para.line_no + 1, para.line_no + 1 + BREAKDOWN_LINES_MAX):
            text = by_line.get(line_no)
            pairs = breakdown_pairs(text, lex) if text else []
            if not pairs:
                break
            running = running + sum(q.value for q in pairs)
            lines.append((line_no, frozenset(q.start for q in pairs)))
            if abs(running - written) <= 1e-9 * written:
                found.update((k, (unit, starts)) for k, starts in lines)
                break
            if running > written:
                break
    return found


def breakdown_pairs(text: str, lex: Lexicon) -> list[Quantity]:
    """The bare label-figure pairs of a line that can break a sum down: all of them labelled by
    funding sources (`국비 600, 도비 390`), or on a line that says it lists sources
    (`재원별 :`, `재원 :`); other counts that happen to add up (`교량 5, 도로 15` under `총사업비 20억원`)
    are no shares of it."""
    pairs = [q for q in parse_quantities(text, lex) if q.unit is None and not q.not_metric and not q.hangul_numeral
             and is_bare_pair(text, q)]
    sources = all((m := _LABEL_BEFORE.search(text, 0, q.start)) and m.group(1) in lex.funding_sources for q in pairs)
    return pairs if pairs and (sources or _SOURCES_LINE.search(text, 0, pairs[0].start)) else []


_SOURCES_LINE = regex.compile(r"재원")
_PAIR_HINT = regex.compile(r"\p{Hangul}\s\d[\d,.]*\s*(?:[/,，·(]|$)")     # a bare pair may be on the line (a quick test)
_WRITTEN_DIGITS = regex.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(?:천|백만|천만|억|만)\s?원")   # one figure, then its scale
BREAKDOWN_LINES_MAX = 3     # lines a total's breakdown may run over
