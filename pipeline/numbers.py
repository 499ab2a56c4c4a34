"""Korean quantities: every written form of a number, parsed to its exact value and unit.

A quantity is a figure (Arabic digits with separators and decimals, mixed with the scale
words 십 백 천 만 억 조, or Sino-Korean numerals in Hangul, or a native numeral before a
counter), an optional sign (`-`, `마이너스`, `△` directly before a figure), an optional
range (`3~5개소`), qualifiers (`약`, `여`, `이상` ...) and a unit from the rules. Units and
qualifiers are data (`rules/`); this module is the grammar that combines them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from pipeline.lexicon import Lexicon, UnitForm

SMALL_SCALES = {"십": 10, "백": 100, "천": 1000}
BIG_SCALES = {"만": 10**4, "억": 10**8, "조": 10**12}
HANGUL_DIGITS = {"영": 0, "공": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "륙": 6,
                 "칠": 7, "팔": 8, "구": 9}
NATIVE_NUMERALS = {
    "한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9,
    "열": 10, "스무": 20, "스물": 20, "서른": 30, "마흔": 40, "쉰": 50, "예순": 60, "일흔": 70,
    "여든": 80, "아흔": 90,
}
NATIVE_UNITS = {"count", "people", "time"}

_DIGITS = regex.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d,]*,\d)")
_HANGUL_RUN = regex.compile(r"[영공일이삼사오육륙칠팔구십백천만억조점]+")
_NATIVE = regex.compile(
    r"(?:(열|스물|서른|마흔|쉰|예순|일흔|여든|아흔)?(한|두|세|네|다섯|여섯|일곱|여덟|아홉)|(열|스무|스물|서른|마흔|쉰|예순|일흔|여든|아흔))(?=\s)")
_NATIVE_TENS = {"열": 10, "스무": 20, "스물": 20, "서른": 30, "마흔": 40, "쉰": 50, "예순": 60, "일흔": 70,
                "여든": 80, "아흔": 90}
_NATIVE_ONES = {"한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9}
_SERIAL_NEXT = regex.compile(r"[-./:]\d")
_RANGE = regex.compile(r"\s?[~∼]\s?")
_HANGUL = regex.compile(r"\p{Hangul}")
_LATIN = regex.compile(r"[A-Za-z]")


@dataclass
class Quantity:
    start: int                     # span of the figure through its unit, as written
    end: int
    value: float
    value_max: float | None = None
    unit: str | None = None
    category: str | None = None
    qualifier: str | None = None
    minus_triangle: bool = False   # a △ before the figure was read as a minus sign
    hangul_numeral: bool = False   # the figure is written in Hangul (check it is a numeral)
    big_scale_end: bool = False    # the figure ended on 만/억/조 (a bare amount)
    not_metric: str | None = None  # rule id that says this number is not a measurement
    rule_ids: list[str] = field(default_factory=list)


@dataclass
class _Figure:
    value: float
    end: int
    big_end: bool
    hangul: bool


def _parse_figure(text: str, i: int) -> _Figure | None:
    """The longest composite figure at i: digit groups, Hangul numerals and scale words.

    Big scales (조 억 만) must fall and small ones (천 백 십) fall within each group; one
    space may stand before a big scale or after it (`1조 162억`, `7천 억`).
    """
    total = section = 0.0
    current: float | None = None
    last_big, last_small = 10**16, 10**4
    last_kind = ""                                   # digits / hangul / small / big
    pos = end = i
    hangul = False
    while pos < len(text):
        j = pos + 1 if last_kind and text[pos] == " " else pos
        spaced = j != pos
        ch = text[j] if j < len(text) else ""
        m = _DIGITS.match(text, j) if ch.isdigit() else None
        if m and current is None:
            number = float(m.group().replace(",", ""))
            ok = (not last_kind and not spaced) or last_kind == "big" or (
                last_kind == "small" and not spaced and number < last_small and not hangul)
            if not ok:
                break
            current, pos, end, last_kind = number, m.end(), m.end(), "digits"
            continue
        if ch in HANGUL_DIGITS and current is None and not spaced and last_kind in ("", "small", "big"):
            if last_kind and not hangul:
                break
            k = j + 1
            value = float(HANGUL_DIGITS[ch])
            if text.startswith("점", k) and k + 1 < len(text) and text[k + 1] in HANGUL_DIGITS:
                k += 1
                digits = ""
                while k < len(text) and text[k] in HANGUL_DIGITS:
                    digits += str(HANGUL_DIGITS[text[k]])
                    k += 1
                value = float(f"{int(value)}.{digits}")
            current, pos, end, last_kind, hangul = value, k, k, "hangul", True
            continue
        if ch in SMALL_SCALES and not spaced and last_kind in ("", "digits", "hangul", "small", "big"):
            scale = SMALL_SCALES[ch]
            if scale >= last_small:
                break
            if not last_kind:
                hangul = True
            section += (current if current is not None else 1) * scale
            current, last_small, last_kind = None, scale, "small"
            pos = end = j + 1
            continue
        if ch in BIG_SCALES and last_kind in ("digits", "hangul", "small"):
            scale = BIG_SCALES[ch]
            amount = section + (current or 0)
            if scale >= last_big or amount == 0:
                break
            total += amount * scale
            section, current, last_big, last_small, last_kind = 0.0, None, scale, 10**4, "big"
            pos = end = j + 1
            continue
        break
    if not last_kind or (hangul and end - i == 1):
        return None                                  # a lone 일/이/천 is a word, not a number
    return _Figure(_exact(total + section + (current or 0)), end, last_kind == "big", hangul)


def _exact(value: float) -> float:
    """Undo binary rounding noise of decimal figures times scales (2.3억 is 230000000)."""
    return round(value, 6) if abs(value) < 1e15 else value


def _native_figure(text: str, i: int) -> _Figure | None:
    m = _NATIVE.match(text, i)
    if not m:
        return None
    tens, ones, tens_only = m.group(1), m.group(2), m.group(3)
    value = (_NATIVE_TENS.get(tens or "", 0) + _NATIVE_ONES.get(ones or "", 0)) if ones else _NATIVE_TENS[tens_only]
    return _Figure(float(value), m.end(), False, True)


def _unit_at(text: str, i: int, lex: Lexicon) -> UnitForm | None:
    for unit in lex.units:
        if text.startswith(unit.form, i):
            after = text[i + len(unit.form): i + len(unit.form) + 1]
            if _LATIN.match(unit.form[-1]) and after and _LATIN.match(after):
                continue
            return unit
    return None


def _suffix_at(text: str, i: int, lex: Lexicon) -> tuple[str, str] | None:
    for suffix, rule_id in lex.not_metric_suffixes:
        if text.startswith(suffix, i):
            return suffix, rule_id
    return None


def _word_start(text: str, i: int) -> bool:
    return i == 0 or not (text[i - 1].isalnum())


def _figure_at(text: str, i: int, lex: Lexicon) -> _Figure | None:
    ch = text[i]
    if ch.isdigit():
        return _parse_figure(text, i)
    if not _word_start(text, i):
        return None
    if ch in HANGUL_DIGITS or ch in SMALL_SCALES:
        return _parse_figure(text, i)
    figure = _native_figure(text, i)
    if figure:
        unit = _unit_at(text, figure.end + 1, lex)
        if unit and unit.category in NATIVE_UNITS:
            return figure
    return None


def _unit_after(text: str, pos: int, lex: Lexicon) -> tuple[UnitForm | None, int, str | None, int]:
    """(unit, end, qualifier rule id for 여, position after the figure's inner qualifier)."""
    inner_qualifier = None
    for word, rule in lex.qualifiers_after.items():
        if len(word) == 1 and text.startswith(word, pos) and _unit_at(text, pos + 1, lex) or (
                len(word) == 1 and text.startswith(word + " ", pos) and _unit_at(text, pos + 2, lex)):
            inner_qualifier = rule.id
            pos += 1
            break
    for skip in (0, 1):
        start = pos + skip
        if skip and (start > len(text) or text[pos:start] != " "):
            break
        unit = _unit_at(text, start, lex)
        if unit:
            return unit, start + len(unit.form), inner_qualifier, pos
    return None, pos, inner_qualifier, pos


def _apply_unit(q: Quantity, unit: UnitForm) -> None:
    q.value = _exact(q.value * unit.scale)
    if q.value_max is not None:
        q.value_max = _exact(q.value_max * unit.scale)
    q.unit, q.category = unit.unit, unit.category
    q.rule_ids.append(unit.rule_id)


def _bare_big_unit(text: str, figure: _Figure, lex: Lexicon) -> UnitForm | None:
    """`4,204억보다`: an amount ending on 억/조 with no unit is money (a rule of form 억)."""
    if not figure.big_end:
        return None
    scale_word = text[figure.end - 1]
    for unit in lex.units:
        if unit.form == scale_word:
            return unit
    return None


def parse_quantities(text: str, lex: Lexicon) -> list[Quantity]:
    """Every quantity in text, left to right, non-overlapping; never raises."""
    found: list[Quantity] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if not (ch.isdigit() or ch in HANGUL_DIGITS or ch in SMALL_SCALES or ch in "한두세네다여일아열스서마쉰예"):
            i += 1
            continue
        if ch.isdigit() and i > 0 and (text[i - 1].isdigit() or text[i - 1] in ",." or
                                       (text[i - 1] in "-/:" and i > 1 and text[i - 2].isdigit())):
            i += 1
            continue
        figure = _figure_at(text, i, lex)
        if figure is None:
            i += 1
            continue
        q = _quantity_from(text, i, figure, lex)
        if q is None:
            i = max(figure.end, i + 1)
            continue
        found.append(q)
        i = max(q.end, i + 1)
    return found


def _quantity_from(text: str, start: int, figure: _Figure, lex: Lexicon) -> Quantity | None:
    if figure.end < len(text) and _SERIAL_NEXT.match(text, figure.end) and not figure.hangul:
        return None                                  # 2017.12.31, 02-330-1234, 10:30, 3-1
    q = Quantity(start, figure.end, figure.value, hangul_numeral=figure.hangul, big_scale_end=figure.big_end)
    sign_start = start
    if start > 0 and text[start - 1] == "-" and (start == 1 or not text[start - 2].isalnum()) and not figure.hangul:
        q.value, sign_start = -q.value, start - 1
    elif start > 0 and text[start - 1] == "△" and not figure.hangul:
        q.minus_triangle, sign_start = True, start - 1
    suffix = _suffix_at(text, figure.end, lex)
    unit, end, inner_qualifier, after_figure = _unit_after(text, figure.end, lex)
    if suffix and (unit is None or len(suffix[0]) > len(unit.form) or unit.form == suffix[0]):
        q.not_metric, q.end = suffix[1], figure.end + len(suffix[0])
        q.start = sign_start
        return q
    # a range: 3~5개소, 25,000원~30,000원, 30~40%
    range_match = _RANGE.match(text, end)
    if range_match and range_match.end() < len(text):
        second = _figure_at(text, range_match.end(), lex)
        if second is not None:
            unit2, end2, _, _ = _unit_after(text, second.end, lex)
            if unit is None or (unit2 is not None and unit2.unit == unit.unit) or unit2 is None:
                q.value_max = second.value
                unit = unit or unit2
                end = end2 if unit2 is not None else second.end
                if unit2 is not None and unit is not unit2:
                    unit = unit2
    if unit is None:
        unit = _bare_big_unit(text, figure, lex)
        if unit is not None:
            q.unit, q.category = unit.unit, unit.category
            q.rule_ids.append(unit.rule_id)
    else:
        _apply_unit(q, unit)
    if q.minus_triangle:
        follows = text[end:end + 1]
        if (q.unit is None or q.category in {"money", "percent", "points"}) and not (follows and _HANGUL.match(follows) and q.unit is None):
            q.value = -q.value
            if q.value_max is not None:
                q.value_max = -q.value_max
        else:
            q.minus_triangle, sign_start = False, start
    q.start, q.end = sign_start, end
    if inner_qualifier:
        rule = next(r for r in lex.qualifiers_after.values() if r.id == inner_qualifier)
        q.qualifier = rule.get("qualifier")
        q.rule_ids.append(rule.id)
    _qualify(text, q, lex)
    _exclude(text, q, lex)
    return q


def _qualify(text: str, q: Quantity, lex: Lexicon) -> None:
    """Qualifier words right after the quantity (이상, 가량 ...) or right before it (약, 마이너스)."""
    rest = text[q.end:q.end + 6]
    for word, rule in sorted(lex.qualifiers_after.items(), key=lambda kv: -len(kv[0])):
        if len(word) > 1 and (rest.startswith(word) or rest.startswith(" " + word)):
            q.qualifier = q.qualifier or rule.get("qualifier")
            q.rule_ids.append(rule.id)
            break
    before = text[max(0, q.start - 8):q.start]
    for word, rule in sorted(lex.qualifiers_before.items(), key=lambda kv: -len(kv[0])):
        if before.endswith(word + " ") or before.endswith(word):
            head = before[: len(before) - len(word) - (1 if before.endswith(word + " ") else 0)]
            if head and head[-1].isalnum():
                continue
            if rule.get("qualifier"):
                q.qualifier = rule.get("qualifier")
            if rule.get("sign") == -1 and q.value > 0:
                q.value = -q.value
            q.rule_ids.append(rule.id)
            break


def _exclude(text: str, q: Quantity, lex: Lexicon) -> None:
    """Dates, times, phone numbers, ages: rule patterns matched at the figure's start."""
    begin = q.start + (1 if q.minus_triangle or text[q.start] == "-" else 0)
    for pattern, rule_id in lex.not_metric_patterns:
        if pattern.match(text, begin):
            q.not_metric = rule_id
            return
