"""Korean quantities: every written form of a number, parsed to its exact value and unit.

A quantity is a figure (Arabic digits with separators and decimals, mixed with the scale
words 십 백 천 만 억 조, or Sino-Korean numerals in Hangul, or a native numeral before a
counter), an optional sign (`-`, `마이너스`, `△` directly before a figure), an optional
range (`3~5개소`), qualifiers (`약`, `여`, `이상` ...) and a unit from the rules. Units and
qualifiers are data (`rules/`); this module is the grammar that combines them.
docs/numbers.md lists the forms with their values.
"""
from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field, replace

import regex

from pipeline.lexicon import Lexicon, UnitForm

MAX_FIGURE = 1e20        # above any budget (the largest unit, 조원, is 1e12): a garbled figure
SMALL_SCALES = {"십": 10, "백": 100, "천": 1000}
BIG_SCALES = {"만": 10**4, "억": 10**8, "조": 10**12}
HANGUL_DIGITS = {"영": 0, "공": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "륙": 6,
                 "칠": 7, "팔": 8, "구": 9}
DECIMAL_POINTS = ("점", "쩜")
NATIVE_TENS = {"열": 10, "스무": 20, "스물": 20, "서른": 30, "마흔": 40, "쉰": 50, "예순": 60, "일흔": 70,
               "여든": 80, "아흔": 90}
NATIVE_ONES = {"한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9}
NATIVE_RANGES = {"한두": (1, 2), "두세": (2, 3), "두서너": (2, 4), "서너": (3, 4), "너덧": (4, 5), "네댓": (4, 5),
                 "대여섯": (5, 6), "예닐곱": (6, 7), "일여덟": (7, 8), "일고여덟": (7, 8)}
NATIVE_UNITS = {"count", "people", "time", "ratio"}      # 두 배

_TENS = "|".join(sorted(NATIVE_TENS, key=len, reverse=True))
_ONES = "|".join(sorted(NATIVE_ONES, key=len, reverse=True))
_RANGES = "|".join(sorted(NATIVE_RANGES, key=len, reverse=True))
# prenominal native numerals (열두, 스무, 서른다섯, 두세) are numbers only before a counter
_NATIVE = regex.compile(rf"(?:({_TENS})?({_RANGES})|({_TENS})?({_ONES})|({_TENS}))(?=\s)")
_NATIVE_FIRST = {word[0] for word in [*NATIVE_TENS, *NATIVE_ONES, *NATIVE_RANGES]}
_HANGUL_FIRST = set(HANGUL_DIGITS) | set(SMALL_SCALES) | {"만"}
_FIGURE_FIRST = frozenset(_HANGUL_FIRST | _NATIVE_FIRST | set("0123456789"))
# where a figure may start, more or less: a numeral not right after a digit, a comma or a point,
# or a Hangul numeral not inside a word; parse_quantities looks closer at each
_CANDIDATE = regex.compile(r"(?<![0-9,.])\p{N}|(?<!\p{Hangul})[" + "".join(sorted(_FIGURE_FIRST - set("0123456789"))) + "]")
_DIGITS = regex.compile(r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?(?![\d,]*,\d)")
_SERIAL_NEXT = regex.compile(r"[-./:]\d")
_RANGE = regex.compile(r"\s?[~∼]\s?")
_HANGUL = regex.compile(r"\p{Hangul}")
_LATIN = regex.compile(r"[A-Za-z]")
_MINUS_TRIANGLE_CATEGORIES = {"money", "percent", "points"}
_COPULA = regex.compile(r"(?:이다|입니다|이며|이고|였|이었|인\s)")


@dataclass
class Quantity:
    """One number as written, its value already in the base unit of its unit rule (4천772억원 is 4.772e11 원)."""
    start: int                     # span of the figure through its unit, as written
    end: int
    value: float
    value_max: float | None = None
    unit: str | None = None
    category: str | None = None
    qualifier: str | None = None
    minus_triangle: bool = False   # a △ before the figure was read as a minus sign
    hangul_numeral: bool = False   # the figure is written in Hangul (check it is a numeral)
    not_metric: str | None = None  # rule id that says this number is not a measurement
    rule_ids: list[str] = field(default_factory=list)


@dataclass
class _Figure:
    """A number without its unit: where it ends and what the unit and range rules need to know."""
    value: float
    end: int
    big_end: bool
    hangul: bool
    lone: bool = False               # one Hangul syllable (천, 만): a number only before a unit
    top_scale: int = 1               # the largest scale word in the figure
    tail: tuple[int, ...] = ()       # scale words after the last digits (5천만: 천, 만)
    value_max: float | None = None   # 두세 곳: a native numeral that is a range
    inner: str | None = None         # a one-syllable qualifier inside the figure (30여만)


@dataclass
class _Reading:
    """The state of reading one figure left to right (see `_parse_figure`)."""
    end: int
    total: float = 0.0               # the finished big-scale groups
    section: float = 0.0             # the finished small-scale parts of the open group
    current: float | None = None     # the last number read, not yet scaled
    last_big: int = 10**16
    last_small: int = 10**4
    kind: str = ""                   # what came last: digits / hangul / small / big
    hangul: bool = False
    top_scale: int = 1
    tail: tuple[int, ...] = ()
    inner: str | None = None

    def scale(self, scale: int, big: bool, end: int) -> None:
        self.top_scale, self.tail, self.end = max(self.top_scale, scale), self.tail + (scale,), end
        if big:
            self.total += (self.section + (self.current or 0)) * scale
            self.section, self.current, self.last_big, self.last_small, self.kind = 0.0, None, scale, 10**4, "big"
        else:
            self.section += (self.current if self.current is not None else 1) * scale
            self.current, self.last_small, self.kind = None, scale, "small"

    def number(self, value: float, end: int, kind: str) -> None:
        self.current, self.end, self.kind, self.tail = value, end, kind, ()

    def value(self) -> float:
        return _exact(self.total + self.section + (self.current or 0))


def _hangul_fraction(text: str, k: int) -> tuple[str, int]:
    """The digits of `점삼` at k (a decimal point then Hangul digits), and where they end."""
    if not text.startswith(DECIMAL_POINTS, k):
        return "", k
    j = k + 1
    while j < len(text) and text[j] in HANGUL_DIGITS:
        j += 1
    digits = "".join(str(HANGUL_DIGITS[c]) for c in text[k + 1:j])
    return (digits, j) if digits else ("", k)


def _parse_figure(text: str, i: int, inner_words: Collection[str] = ()) -> _Figure | None:
    """The longest composite figure at i: digit groups, Hangul numerals and scale words.

    Big scales (조 억 만) must fall and small ones (천 백 십) fall within each group; one
    space may stand before a big scale or after any scale (`1조 162억`, `7천 억`, `3천 500`,
    `삼십이만 육천`), and one of inner_words before a big scale (`30여만`, `1천여억`).
    A figure is written with digits or in Hangul, not both: `만 65세` is an age.
    """
    r = _Reading(end=i)
    undo: _Reading | None = None                     # before a space after a scale word in Hangul
    while r.end < len(text):
        pos = r.end
        after_scale = r.kind in ("small", "big") and text[pos] == " "
        before_big = (r.kind in ("digits", "hangul", "small") and (text[pos] == " " or text[pos] in inner_words)
                      and text[pos + 1:pos + 2] in BIG_SCALES)
        j = pos + 1 if after_scale or before_big else pos
        if j >= len(text):
            break
        ch = text[j]
        if ch.isdigit():
            m = _DIGITS.match(text, j)
            if not m or r.hangul:
                break
            number = float(m.group().replace(",", ""))
            if not (not r.kind or (r.kind == "big" and number < r.last_big)
                    or (r.kind == "small" and number < r.last_small)):
                break
            r.number(number, m.end(), "digits")
        elif ch in HANGUL_DIGITS or (ch in DECIMAL_POINTS and r.hangul and r.kind in ("small", "big")):
            if r.kind in ("digits", "hangul") or (r.kind and not r.hangul):
                break
            if ch in DECIMAL_POINTS:                 # 이십점오: the point after a scale word
                digits, end = _hangul_fraction(text, j)
                if not digits:
                    break
                value = float(f"0.{digits}")
            else:
                digits, end = _hangul_fraction(text, j + 1)
                value = float(f"{HANGUL_DIGITS[ch]}.{digits}") if digits else float(HANGUL_DIGITS[ch])
            if after_scale:
                undo = replace(r)
            r.hangul = True
            r.number(value, end, "hangul")
        elif ch in SMALL_SCALES:
            scale = SMALL_SCALES[ch]
            if scale >= r.last_small or (after_scale and not r.hangul):
                break
            if after_scale:
                undo = replace(r)
            r.hangul = r.hangul or not r.kind
            r.scale(scale, big=False, end=j + 1)
        elif ch in BIG_SCALES:
            scale = BIG_SCALES[ch]
            if not r.kind and ch == "만":              # 만이천: a leading 만 is one 만
                r.current, r.hangul = 1, True
            elif r.kind not in ("digits", "hangul", "small") or scale >= r.last_big or not r.section + (r.current or 0):
                break
            if before_big and text[pos] != " ":
                r.inner = text[pos]
            r.scale(scale, big=True, end=j + 1)
        else:
            break
    if undo is not None and r.end - undo.end < 3:
        r = undo                                     # `삼만 이상`: one syllable after the space is a word
    if not r.kind:
        return None
    return _Figure(r.value(), r.end, big_end=r.kind == "big", hangul=r.hangul, lone=r.hangul and r.end - i == 1,
                   top_scale=r.top_scale, tail=r.tail, inner=r.inner)


def _exact(value: float) -> float:
    """Undo binary rounding noise of decimal figures times scales (2.3억 is 230000000)."""
    return round(value, 6) if abs(value) < 1e15 else value


def _native_figure(text: str, i: int) -> _Figure | None:
    m = _NATIVE.match(text, i)
    if not m:
        return None
    range_tens, pair, tens, ones, tens_only = m.group(1, 2, 3, 4, 5)
    if pair:                                         # 두세 곳, 열두세 명
        low, high = NATIVE_RANGES[pair]
        base = NATIVE_TENS.get(range_tens or "", 0)
        return _Figure(float(base + low), m.end(), False, True, value_max=float(base + high))
    value = NATIVE_TENS[tens_only] if tens_only else NATIVE_TENS.get(tens or "", 0) + NATIVE_ONES[ones]
    return _Figure(float(value), m.end(), False, True)


def _unit_at(text: str, i: int, lex: Lexicon) -> UnitForm | None:
    """The longest unit form at i; a Latin form must not run on into a Latin word (3m, not 3most),
    nor a counter of one syllable into a word (`1·8부두`: no 8부), only into a particle (`3만부를`)."""
    for unit in lex.units_by_first.get(text[i:i + 1], ()):
        if text.startswith(unit.form, i):
            after = text[i + len(unit.form): i + len(unit.form) + 1]
            if _LATIN.match(unit.form[-1]) and after and _LATIN.match(after):
                continue
            if len(unit.form) == 1 and unit.form in _RUN_ON_COUNTERS and after and after not in _PARTICLE_STARTS \
                    and "가" <= after <= "힣":
                continue
            return unit
    return None


_RUN_ON_COUNTERS = frozenset("부포두권본배")    # counters that open words as often (부두, 포장, 두께, 권역, 본부, 배추)
_PARTICLE_STARTS = frozenset("은는이가을를의에와과도로으만씩까보당및여다였나라")


def _suffix_at(text: str, i: int, lex: Lexicon) -> tuple[str, str] | None:
    if text[i:i + 1] not in lex.not_metric_suffix_first:
        return None
    for suffix, rule_id in lex.not_metric_suffixes:
        if text.startswith(suffix, i):
            return suffix, rule_id
    return None


def _word_start(text: str, i: int) -> bool:
    return i == 0 or not text[i - 1].isalnum()


def _figure_at(text: str, i: int, lex: Lexicon) -> _Figure | None:
    """A figure of digits anywhere; in Hangul only at a word start, and a lone digit (일, 이) never."""
    ch = text[i]
    if ch.isdigit():
        return _parse_figure(text, i, lex.qualifiers_after)
    if not _word_start(text, i):
        return None
    figure = _parse_figure(text, i, lex.qualifiers_after) if ch in _HANGUL_FIRST else None
    if figure is not None and not (figure.lone and ch in HANGUL_DIGITS):
        return figure
    native = _native_figure(text, i) if ch in _NATIVE_FIRST else None
    if native is not None:
        unit = _unit_at(text, native.end + 1, lex)
        if unit is not None and unit.category in NATIVE_UNITS and not (unit.category == "ratio" and native.value == 1):
            return native                                # (한 배를 탄: no multiple)
    return None


def _unit_after(text: str, pos: int, lex: Lexicon) -> tuple[UnitForm | None, int, str | None]:
    """(unit, end, a one-syllable qualifier word between figure and unit: 3천여명, 300여 명)."""
    inner_qualifier = None
    for word in lex.qualifiers_after:
        if len(word) == 1 and text.startswith(word, pos) and (
                _unit_at(text, pos + 1, lex) or text.startswith(" ", pos + 1) and _unit_at(text, pos + 2, lex)):
            inner_qualifier = word
            pos += 1
            break
    for start in (pos, pos + 1):
        if start > pos and text[pos:start] != " ":
            break
        unit = _unit_at(text, start, lex)
        if unit and unit.form not in BIG_SCALES:       # 9조 조정: a scale word after a figure is no unit
            return unit, start + len(unit.form), inner_qualifier
    return None, pos, inner_qualifier


def _bare_big_unit(text: str, figure: _Figure, lex: Lexicon) -> UnitForm | None:
    """`4,204억보다`: an amount ending on 억/조 with no unit is money (a rule of form 억)."""
    if not figure.big_end:
        return None
    scale_word = text[figure.end - 1]
    return next((unit for unit in lex.units if unit.form == scale_word), None)


def _shared_scale(first: _Figure, second: _Figure) -> float:
    """`3~5천만원`, `1~2만 명`: scale words closing a range's upper end also scale its lower end.

    Only the scales above the lower end's own (3천~5천만: 만), and only while the lower end
    stays below the upper (500~1만원 is 500 to 10,000).
    """
    factor = math.prod(s for s in second.tail if s > first.top_scale)
    return factor if first.value * factor <= second.value else 1


def parse_quantities(text: str, lex: Lexicon) -> list[Quantity]:
    """Every quantity in text, left to right, non-overlapping; never raises."""
    found: list[Quantity] = []
    i = 0
    while (candidate := _CANDIDATE.search(text, i)) is not None:
        i = candidate.start()
        ch = text[i]
        if ch not in _FIGURE_FIRST and not ch.isdigit():
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
    """The figure at start with its sign, unit, range, qualifiers and not-metric verdict; None if no number."""
    if figure.end < len(text) and _SERIAL_NEXT.match(text, figure.end) and not figure.hangul:
        return None                                  # 2017.12.31, 02-330-1234, 10:30, 3-1
    if not abs(figure.value) < MAX_FIGURE:
        return None                                  # 9…9조 from a garbled file is no measurement
    q = Quantity(start, figure.end, figure.value, figure.value_max, hangul_numeral=figure.hangul)
    sign_start = start
    if start > 0 and text[start - 1] == "-" and (start == 1 or not text[start - 2].isalnum()) and not figure.hangul:
        q.value, sign_start = -q.value, start - 1
    elif start > 0 and text[start - 1] == "△" and not figure.hangul:
        q.minus_triangle, sign_start = True, start - 1
    unit, end, inner_qualifier = _unit_after(text, figure.end, lex)
    inner_qualifier = figure.inner or inner_qualifier
    suffix_at = end - len(unit.form) if unit is not None else figure.end      # 2호점, 두 번째
    suffix = _suffix_at(text, suffix_at, lex)
    if suffix and (unit is None or len(suffix[0]) > len(unit.form) or unit.form == suffix[0]):
        q.not_metric, q.start, q.end = suffix[1], sign_start, suffix_at + len(suffix[0])
        return q
    if figure.hangul and unit is not None and any(u.form == text[start:end] for u in lex.units):
        return None                                  # (단위 : 천원), 금액(백만원): the name of a unit
    if figure.lone and not (unit is not None and (end - len(unit.form) > figure.end or unit.category == "money")):
        return None                                  # 천 명, 백원: a lone scale word needs its unit (천식 is a word)
    unit_max = None
    range_match = _RANGE.match(text, end)
    second = _figure_at(text, range_match.end(), lex) if range_match and range_match.end() < len(text) else None
    if second is not None and not second.lone:      # 3~5개소, 25,000원~30,000원, 30~40%
        unit2, end2, inner2 = _unit_after(text, second.end, lex)
        if unit is None or unit2 is None or unit2.unit == unit.unit:
            if unit is None:
                q.value = _exact(q.value * _shared_scale(figure, second))
                figure = second                      # 2~3억: the upper end decides a bare amount
            q.value_max = second.value
            unit, unit_max = unit or unit2, unit2 or unit
            end = end2 if unit2 is not None else second.end
            inner_qualifier = inner_qualifier or inner2
    if unit is None:
        word = figure.hangul and figure.end - start <= 2     # 구조, 사조직, 이조: words; 이천칠백억 is an amount
        unit = None if word else _bare_big_unit(text, figure, lex)
        if unit is not None:
            q.unit, q.category = unit.unit, unit.category
            q.rule_ids.append(unit.rule_id)
    else:
        q.value = _exact(q.value * unit.scale)
        if q.value_max is not None:
            q.value_max = _exact(q.value_max * (unit_max or unit).scale)
        q.unit, q.category = unit.unit, unit.category
        q.rule_ids.append(unit.rule_id)
    if q.minus_triangle:
        follows = text[end:end + 2].lstrip()[:1]        # △9988 행복나눔이: a marker before a name
        named = bool(follows) and _HANGUL.match(follows) is not None
        said = not named or _COPULA.match(text, end) is not None     # 순이동 △126명이다, 전월대비 △21대: a count
        if (q.unit is None or q.category in _MINUS_TRIANGLE_CATEGORIES or said) \
                and not (named and q.unit is None):              # said to be (not △30개소에 태양광 설치: a bullet)
            q.value = -q.value
            if q.value_max is not None:
                q.value_max = -q.value_max
        else:
            q.minus_triangle, sign_start = False, start
    q.start, q.end = sign_start, end
    if inner_qualifier:
        rule = lex.qualifiers_after[inner_qualifier]
        q.qualifier = rule.get("qualifier")
        q.rule_ids.append(rule.id)
    _qualify(text, q, lex)
    _exclude(text, q, lex)
    return q


def _qualify(text: str, q: Quantity, lex: Lexicon) -> None:
    """Qualifier words right after the quantity (이상, 가량 ...) or right before it (약, 마이너스)."""
    rest = text[q.end:q.end + 6]
    first = lex.qualifier_after_first
    for word, rule in lex.qualifiers_after.items() if rest[:1] in first or rest[1:2] in first else ():
        if len(word) > 1:
            found = rest.startswith(word) or rest.startswith(" " + word)
        else:                                        # 1년여 만에: 여 glued to the unit ends the word
            found = q.unit is not None and rest.startswith(word) and not _HANGUL.match(rest[1:2])
        if found:
            q.qualifier = q.qualifier or rule.get("qualifier")
            q.rule_ids.append(rule.id)
            break
    before = text[max(0, q.start - 8):q.start]
    last = lex.qualifier_before_last
    for word, rule in lex.qualifiers_before.items() if before[-1:] in last or before[-2:-1] in last else ():
        if before.endswith(word + " ") or before.endswith(word):
            head = before[: len(before) - len(word) - (1 if before.endswith(word + " ") else 0)]
            if head and head[-1].isalnum():
                continue
            if rule.get("qualifier"):
                q.qualifier = rule.get("qualifier")
            if rule.get("sign") == -1 and q.value > 0:
                q.value = -q.value
                if q.value_max is not None:
                    q.value_max = -q.value_max
            q.rule_ids.append(rule.id)
            break


def _exclude(text: str, q: Quantity, lex: Lexicon) -> None:
    """Dates, times, phone numbers, ages: rule patterns matched at the figure's start."""
    begin = q.start + (1 if q.minus_triangle or text[q.start] == "-" else 0)
    if lex.first_not_metric is not None:
        pattern, groups = lex.first_not_metric
        m = pattern.match(text, begin)
        if m is not None:
            q.not_metric = next(rule_id for number, rule_id in groups if m.start(number) >= 0)
        return
    for pattern, rule_id in lex.not_metric_patterns:
        if pattern.match(text, begin):
            q.not_metric = rule_id
            return
