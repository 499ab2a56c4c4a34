"""The number grammar (pipeline/numbers.py): every written form to its exact value and unit.

FORMS is the table of forms the issue asks for, DUCKLING carries over the cases of
Duckling's Korean corpora (Numeral, AmountOfMoney in won, Distance, Volume, Quantity)
that fit our units, NOT_METRICS the numbers that must never give a metric row. The
property tests render random numbers in each written style and parse them back, and
feed the parser arbitrary text.
"""
from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline.lexicon import Lexicon
from pipeline.extract.numbers import Quantity, parse_quantities

UNIT_CATEGORY = {
    "원": "money", "달러": "money", "명": "people", "%": "percent", "%p": "points",
    "㎡": "area", "평": "area", "ha": "area", "㎢": "area",
    "m": "length", "km": "length", "cm": "length", "마일": "length",
    "톤": "weight", "kg": "weight", "g": "weight", "ℓ": "volume", "㎥": "volume",
    "년": "time", "개월": "time", "일": "time", "시간": "time", "주": "time", "분": "time",
    **{counter: "count" for counter in ("개", "개소", "곳", "건", "가구", "세대", "호", "대", "회", "그루", "척",
                                        "층", "식", "마리", "가지", "번", "종", "편", "개과", "개교", "개사", "차례")},
}

# (text, value, unit[, value_max[, qualifier]]); the value is in the base unit (억원 -> 원)
FORMS: list[tuple] = [
    # Arabic digits, thousands separators, decimals
    ("8,788명", 8788, "명"),
    ("11.9%", 11.9, "%"),
    ("27350000원", 27350000, "원"),
    ("1,000,000원", 1000000, "원"),
    ("1,234.56㎡", 1234.56, "㎡"),
    ("326,359 명", 326359, "명"),
    ("0명", 0, "명"),
    ("0.3%p", 0.3, "%p"),
    ("3.0 km", 3, "km"),
    ("1,920천원", 1920000, "원"),
    ("500백만원", 500000000, "원"),
    ("3천만원", 30000000, "원"),
    # scale words mixed with digits, with or without spaces and commas
    ("32만6,359명", 326359, "명"),
    ("32만 6,359명", 326359, "명"),
    ("32만6359명", 326359, "명"),
    ("4천772억원", 477200000000, "원"),
    ("4천772억 원", 477200000000, "원"),
    ("4천7백72억원", 477200000000, "원"),
    ("1조 162억원", 1016200000000, "원"),
    ("1조162억원", 1016200000000, "원"),
    ("3억5천만원", 350000000, "원"),
    ("3억 5천만 원", 350000000, "원"),
    ("12억 3,456만원", 1234560000, "원"),
    ("1,016억 2천만원", 101620000000, "원"),
    ("2조3천억원", 2300000000000, "원"),
    ("7천 억원", 700000000000, "원"),
    ("1.5조원", 1500000000000, "원"),
    ("2.3억원", 230000000, "원"),
    ("3.2조원", 3200000000000, "원"),
    ("1.2만명", 12000, "명"),
    ("0.5만원", 5000, "원"),
    ("1만2천톤", 12000, "톤"), ("87만㎥", 870000, "㎥"), ("등유 200ℓ", 200, "ℓ"),
    ("1 만 명", 10000, "명"),
    ("1,000만원", 10000000, "원"),
    ("1조1천667억 원", 1166700000000, "원"),
    ("256억 원", 25600000000, "원"),
    ("320만명", 3200000, "명"),
    ("3천 500명", 3500, "명"),
    ("1억 2천 3백만 원", 123000000, "원"),
    # a bare 억 or 조 amount is money
    ("4,204억", 420400000000, "원"),
    ("3조", 3000000000000, "원"),
    ("1조 2천억", 1200000000000, "원"),
    # Sino-Korean numerals in Hangul, decimals with 점
    ("삼십이만 명", 320000, "명"),
    ("이천칠백삼십오만원", 27350000, "원"),
    ("천칠백이십삼 명", 1723, "명"),
    ("사천백이십삼점삼 톤", 4123.3, "톤"),
    ("삼십이만육천삼백오십구 명", 326359, "명"),
    ("삼십이만 육천삼백오십구 명", 326359, "명"),
    ("사천칠백칠십이억원", 477200000000, "원"),
    ("일천만 원", 10000000, "원"),
    ("천 명", 1000, "명"),
    ("만 명", 10000, "명"),
    ("이십점오 톤", 20.5, "톤"),
    ("일점오억 원", 150000000, "원"),
    ("영점오 톤", 0.5, "톤"),
    ("오백 개", 500, "개"),
    ("일억 이천 삼백만 원", 123000000, "원"),
    ("천 이백 명", 1200, "명"),
    # native numerals before a counter
    ("세 곳", 3, "곳"),
    ("열두 명", 12, "명"),
    ("스무 명", 20, "명"),
    ("한 건", 1, "건"),
    ("두 개", 2, "개"),
    ("네 가구", 4, "가구"),
    ("다섯 그루", 5, "그루"),
    ("여섯 시간", 6, "시간"),
    ("일곱 명", 7, "명"),
    ("여덟 대", 8, "대"),
    ("아홉 척", 9, "척"),
    ("열 곳", 10, "곳"),
    ("스물두 명", 22, "명"),
    ("서른 개", 30, "개"),
    ("한 번", 1, "번"),
    ("세 차례", 3, "차례"),
    # signs
    ("-3.5%", -3.5, "%"),
    ("-3명", -3, "명"),
    ("마이너스 3%", -3, "%"),
    ("마이너스3%", -3, "%"),
    ("△1,920천원", -1920000, "원"),
    ("△3.5%", -3.5, "%"),
    ("△0.4%p", -0.4, "%p"),
    ("△2억원", -200000000, "원"),
    ("△1,920", -1920, None),
    # ranges: value is the lower bound, value_max the upper
    ("3~5개소", 3, "개소", 5),
    ("30~40%", 30, "%", 40),
    ("25,000원~30,000원", 25000, "원", 30000),
    ("3 ~ 5개소", 3, "개소", 5),
    ("30%~40%", 30, "%", 40),
    ("10∼20%", 10, "%", 20),
    ("1.5~2.5%p", 1.5, "%p", 2.5),
    ("1억 ~ 2억원", 100000000, "원", 200000000),
    ("2~3억원", 200000000, "원", 300000000),
    ("2~3억", 200000000, "원", 300000000),
    ("1~2만 명", 10000, "명", 20000),
    ("3천~5천만원", 30000000, "원", 50000000),
    ("5~10만원", 50000, "원", 100000),
    ("500~1만원", 500, "원", 10000),
    ("2천5백~3천만원", 25000000, "원", 30000000),
    ("3천원~1만원", 3000, "원", 10000),
    ("500천원~1,000만원", 500000, "원", 10000000),
    ("두세 곳", 2, "곳", 3),
    ("한두 명", 1, "명", 2),
    ("서너 개", 3, "개", 4),
    ("대여섯 시간", 5, "시간", 6),
    ("열두세 명", 12, "명", 13),
    # qualifiers
    ("3천여명", 3000, "명", None, "approx"),
    ("300여 명", 300, "명", None, "approx"),
    ("1,000여명", 1000, "명", None, "approx"),
    ("10여개소", 10, "개소", None, "approx"),
    ("10억여원", 1000000000, "원", None, "approx"),
    ("1억여 원", 100000000, "원", None, "approx"),
    ("30여만 명", 300000, "명", None, "approx"),
    ("1천여억 원", 100000000000, "원", None, "approx"),
    ("3천여만원", 30000000, "원", None, "approx"),
    ("1년여 만에", 1, "년", None, "approx"),
    ("3개월여 동안", 3, "개월", None, "approx"),
    ("십여 명", 10, "명", None, "approx"),
    ("천여 명", 1000, "명", None, "approx"),
    ("약 300명", 300, "명", None, "approx"),
    ("약3천명", 3000, "명", None, "approx"),
    ("약 1조원", 1000000000000, "원", None, "approx"),
    ("100명 가량", 100, "명", None, "approx"),
    ("100명가량", 100, "명", None, "approx"),
    ("2.3억원 정도", 230000000, "원", None, "approx"),
    ("100명 내외", 100, "명", None, "approx"),
    ("300개 이상", 300, "개", None, "at_least"),
    ("100명 이하", 100, "명", None, "at_most"),
    ("100명 초과", 100, "명", None, "more_than"),
    ("100명 미만", 100, "명", None, "less_than"),
    ("3억원 이상", 300000000, "원", None, "at_least"),
    ("최대 50%", 50, "%", None, "at_most"),
    ("최소 3곳", 3, "곳", None, "at_least"),
    ("약 3~5개", 3, "개", 5, "approx"),
    ("3~4천여명", 3000, "명", 4000, "approx"),
    # units: money
    ("10₩", 10, "원"),
    ("100달러", 100, "달러"),
    ("5만원", 50000, "원"),
    ("300백만원", 300000000, "원"),
    ("2천만원", 20000000, "원"),
    ("12억원", 1200000000, "원"),
    ("3조원", 3000000000000, "원"),
    # people, percent, points
    ("5인", 5, "명"),
    ("3퍼센트", 3, "%"),
    ("3.5퍼센트", 3.5, "%"),
    ("3%p", 3, "%p"),
    ("3퍼센트포인트", 3, "%p"),
    ("0.3%포인트", 0.3, "%p"),
    # area, length, weight
    ("30㎡", 30, "㎡"),
    ("30m²", 30, "㎡"),
    ("30m2", 30, "㎡"),
    ("3평", 3, "평"),
    ("2.5ha", 2.5, "ha"),
    ("3㎢", 3, "㎢"),
    ("3km²", 3, "㎢"),
    ("가로 10m", 10, "m"),
    ("12.3km", 12.3, "km"),
    ("3㎞", 3, "km"),
    ("3킬로미터", 3, "km"),
    ("0.5톤", 0.5, "톤"),
    ("500kg", 500, "kg"),
    ("3㎏", 3, "kg"),
    ("500g", 500, "g"),
    ("15cm", 15, "cm"),
    # durations and streaks
    ("5년 연속", 5, "년"),
    ("5년연속", 5, "년"),
    ("4년간", 4, "년"),
    ("30년", 30, "년"),
    ("3개년", 3, "년"),
    ("6개월", 6, "개월"),
    ("18개월간", 18, "개월"),
    ("17일간", 17, "일"),
    ("3시간", 3, "시간"),
    ("2주간", 2, "주"),
    # counters
    ("3개", 3, "개"),
    ("3개소", 3, "개소"),
    ("3곳", 3, "곳"),
    ("3건", 3, "건"),
    ("10가구", 10, "가구"),
    ("100세대", 100, "세대"),
    ("300호", 300, "호"),
    ("5대의", 5, "대"),
    ("2회", 2, "회"),
    ("3천 그루", 3000, "그루"),
    ("120척", 120, "척"),
    ("2층", 2, "층"),
    ("1식", 1, "식"),
    ("3마리", 3, "마리"),
    ("5가지", 5, "가지"),
    ("3번", 3, "번"),
    ("10종", 10, "종"),
    ("5편", 5, "편"),
    ("3개과", 3, "개과"),
    ("2개교", 2, "개교"),
    ("40개사", 40, "개사"),
    ("14개동", 14, "개"),
    ("3차례", 3, "차례"),
]

# Duckling's Korean corpora (facebook/duckling, Duckling/*/KO/Corpus.hs): the example strings
# and their values. A bare numeral has no unit; a bare 억 amount is won in our rules; native
# numerals are numbers before a counter, so they are given one (서른다섯 -> 서른다섯 명).
DUCKLING: list[tuple] = [
    # Numeral
    ("0", 0, None), ("1", 1, None), ("10", 10, None), ("11", 11, None), ("20", 20, None),
    ("35", 35, None), ("47", 47, None), ("52", 52, None), ("69", 69, None), ("71", 71, None),
    ("84", 84, None), ("93", 93, None), ("100", 100, None), ("123", 123, None), ("579", 579, None),
    ("1000", 1000, None), ("1723", 1723, None), ("5619", 5619, None), ("10000", 10000, None),
    ("12345", 12345, None), ("58194", 58194, None), ("581900", 581900, None), ("5819014", 5819014, None),
    ("58190148", 58190148, None), ("100000000", 100000000, None), ("274500000000", 274500000000, None),
    ("100000002", 100000002, None), ("27350000", 27350000, None), ("3235698120", 3235698120, None),
    ("40234985729", 40234985729, None), ("701239801123", 701239801123, None),
    ("3.4", 3.4, None), ("4123.3", 4123.3, None), ("-3", -3, None),
    ("십일", 11, None), ("이십", 20, None), ("삼십오", 35, None), ("사십칠", 47, None), ("오십이", 52, None),
    ("육십구", 69, None), ("칠십일", 71, None), ("팔십사", 84, None), ("구십삼", 93, None),
    ("백이십삼", 123, None), ("오백칠십구", 579, None), ("천칠백이십삼", 1723, None), ("오천육백십구", 5619, None),
    ("일만", 10000, None), ("만이천삼백사십오", 12345, None), ("일만이천삼백사십오", 12345, None),
    ("오만팔천백구십사", 58194, None), ("오십팔만천구백", 581900, None), ("오백팔십일만구천십사", 5819014, None),
    ("오천팔백십구만백사십팔", 58190148, None), ("일억", 100000000, None), ("이천칠백사십오억", 274500000000, "원"),
    ("일억이", 100000002, None), ("이천칠백삼십오만", 27350000, None),
    ("삼십이억삼천오백육십구만팔천백이십", 3235698120, None),
    ("사백이억삼천사백구십팔만오천칠백이십구", 40234985729, None),
    ("칠천십이억삼천구백팔십만천백이십삼", 701239801123, None),
    ("삼점사", 3.4, None), ("사천백이십삼점삼", 4123.3, None), ("일점이삼", 1.23, None),
    ("마이너스3", -3, None), ("마이너스 3", -3, None), ("마이나스3", -3, None), ("마이나스 3", -3, None),
    ("십 명", 10, "명"), ("백 명", 100, "명"), ("천 명", 1000, "명"), ("만 명", 10000, "명"),
    ("한 명", 1, "명"), ("열 명", 10, "명"), ("열한 명", 11, "명"), ("스물 명", 20, "명"),
    ("서른다섯 명", 35, "명"), ("마흔일곱 명", 47, "명"), ("쉰두 명", 52, "명"), ("예순아홉 명", 69, "명"),
    ("일흔한 명", 71, "명"), ("여든네 명", 84, "명"), ("아흔세 명", 93, "명"),
    # AmountOfMoney (won, and the dollar unit our rules have)
    ("이천칠백삼십오만원", 27350000, "원"), ("27,350,000원", 27350000, "원"), ("27350000원", 27350000, "원"),
    ("이만칠천원", 27000, "원"), ("27,000원", 27000, "원"), ("27000원", 27000, "원"),
    ("백원", 100, "원"), ("100원", 100, "원"), ("십원", 10, "원"), ("10원", 10, "원"), ("10₩", 10, "원"),
    ("십달러", 10, "달러"), ("만달러", 10000, "달러"), ("일점이삼달러", 1.23, "달러"), ("일쩜이삼달러", 1.23, "달러"),
    ("십불", 10, "달러"), ("1,260만불", 12600000, "달러"),
    # Distance
    ("3 킬로미터", 3, "km"), ("3 km", 3, "km"), ("3km", 3, "km"), ("3.0 km", 3, "km"),
    ("8 miles", 8, "마일"), ("8 마일", 8, "마일"), ("9m", 9, "m"), ("9미터", 9, "m"), ("9메터", 9, "m"),
    ("2cm", 2, "cm"), ("2 센치", 2, "cm"), ("2 센티", 2, "cm"), ("2 센티미터", 2, "cm"), ("2 센치미터", 2, "cm"),
    # Volume: litres and cubic metres; millilitres, gallons and hectolitres are no unit of ours (unitless)
    ("250 밀리리터", 250, None), ("이백오십미리리터", 250, None), ("250ml", 250, None), ("250 ml", 250, None),
    ("2 리터", 2, "ℓ"), ("2ℓ", 2, "ℓ"), ("3 갤론", 3, None), ("3 헥토리터", 3, None), ("412만㎥", 4120000, "㎥"),
    # Quantity
    ("육백그람", 600, "g"),
]

# Duckling cases we do not read, each for a reason given in docs/numbers.md: a lone Hangul
# digit is a word (이 is "this", 사 "company"), standalone native numerals have no counter,
# fractions, 킬로 (km or kg?) and units outside our categories. None may give a metric.
DUCKLING_UNSUPPORTED = ["영", "공", "빵", "일", "하나", "열하나", "십하나", "쉰둘", "여든넷", "아흔셋", "마이너스삼",
                        "3/4", "사분의삼", "구메터", "이센치", "3 킬로", "3 키로", "이리터", "삼 갤론", "반 리터",
                        "한근", "삼겹살 두근", "콜라 세컵", "십센트", "이십유로", "구파운드"]

# numbers that never give a metric row: dates, times, ordinals, identifiers, phones, names
NOT_METRICS = [
    "1·8부두", "두께 3포장",
    "2018년", "2018년도", "2018 년", "3월 17일", "12월 31일", "오후 3시", "오후 3시 30분", "14시",
    "2019~2023년", "2018년~2020년", "2013년 ~ 2017년", "'18년", "2017.12.31", "2023. 1. 1.", "10:30",
    "제68회", "제 3회", "1차", "3차 추경", "2호점", "제38조", "제 38조", "민선8기", "제9대 의회",
    "홍제3 도시환경정비사업", "50플러스 센터", "북가좌2동", "2호선", "두 번째", "5번째", "12번길", "123번지",
    "02-330-1234", "010-1234-5678", "(02) 330-1234", "65세 이상", "만 65세", "4대 권역", "1인 가구", "1~2인 가구", "1인당",
    "(단위 : 천원)", "(단위: 백만원)", "금액(만원)", "천식", "만회", "천호동", "사회", "이번", "일대", "세대 간",
    "삼만 이상", "한국", "3단계", "2단지", "구조조정", "구조물", "사조직", "이조 시대",
]


def _metric_candidates(text: str, lex: Lexicon) -> list[Quantity]:
    return [q for q in parse_quantities(text, lex) if not q.not_metric]


def _same(got: float | None, want: float | None) -> bool:
    if want is None or got is None:
        return got is want
    return math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-9)


def _check(lex: Lexicon, text: str, value: float, unit: str | None, value_max: float | None = None,
           qualifier: str | None = None) -> None:
    found = _metric_candidates(text, lex)
    assert len(found) == 1, [(text[q.start:q.end], q.value, q.unit) for q in found]
    q = found[0]
    got = (q.value, q.unit, q.value_max, q.qualifier)
    assert _same(q.value, value) and q.unit == unit and _same(q.value_max, value_max), got
    assert q.qualifier == qualifier, got
    assert q.category == (UNIT_CATEGORY[unit] if unit else None), got
    assert 0 <= q.start < q.end <= len(text)


@pytest.mark.parametrize("case", FORMS, ids=[c[0] for c in FORMS])
def test_form_parses_to_its_value_and_unit(lex: Lexicon, case: tuple) -> None:
    _check(lex, *case)


@pytest.mark.parametrize("case", DUCKLING, ids=[c[0] for c in DUCKLING])
def test_duckling_corpus_case(lex: Lexicon, case: tuple) -> None:
    _check(lex, *case)


def test_the_tables_are_large_and_cover_every_category() -> None:
    assert len(FORMS) + len(DUCKLING) >= 150
    assert {UNIT_CATEGORY[c[2]] for c in FORMS if c[2]} == {
        "money", "people", "percent", "points", "area", "length", "weight", "volume", "time", "count"}


@pytest.mark.parametrize("text", DUCKLING_UNSUPPORTED)
def test_unsupported_duckling_forms_give_no_metric(lex: Lexicon, text: str) -> None:
    assert not [q for q in _metric_candidates(text, lex) if q.unit], text


@pytest.mark.parametrize("text", NOT_METRICS)
def test_not_a_metric(lex: Lexicon, text: str) -> None:
    found = [(text[q.start:q.end], q.value, q.unit) for q in _metric_candidates(text, lex) if q.unit]
    assert not found, found


def test_a_scale_word_after_a_figure_is_not_its_unit(lex: Lexicon) -> None:
    assert [(q.value, q.unit) for q in _metric_candidates("9조 조정안과 3억억", lex)] == [(9e12, "원"), (3e8, "원")]


def test_the_span_runs_from_the_sign_through_the_unit(lex: Lexicon) -> None:
    text = "증감 △1,920천원, 인원 3~5명, 약 300여 명 이상"
    assert [text[q.start:q.end] for q in parse_quantities(text, lex)] == ["△1,920천원", "3~5명", "300여 명"]


def test_triangle_before_words_stays_a_bullet(lex: Lexicon) -> None:
    quantities = parse_quantities("△ 도로 정비 3건 △공원 조성 2곳", lex)
    assert [(q.value, q.unit, q.minus_triangle) for q in quantities] == [(3, "건", False), (2, "곳", False)]


def test_a_unit_added_in_rules_is_read(tmp_path) -> None:
    from pipeline.lexicon import build_lexicon
    from pipeline.rules import load_rules
    (tmp_path / "extra.toml").write_text(
        '[[unit]]\nid = "user.unit.bus"\nform = "량"\nunit = "량"\ncategory = "count"\n', encoding="utf-8")
    lex = build_lexicon(load_rules([tmp_path]))
    [q] = parse_quantities("전동차 10량", lex)
    assert (q.value, q.unit, q.category, q.rule_ids) == (10, "량", "count", ["user.unit.bus"])


# --- property tests -----------------------------------------------------------------------

HANGUL_DIGIT_WORDS = ["", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구"]
FRACTION_DIGIT_WORDS = ["영", *HANGUL_DIGIT_WORDS[1:]]
BIG = [("조", 10**12), ("억", 10**8), ("만", 10**4), ("", 1)]
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _groups(n: int) -> list[tuple[int, str]]:
    """n split into its 만-groups: (group value, scale word), zero groups left out."""
    return [(n // scale % 10**4 if word != "조" else n // scale, word) for word, scale in BIG
            if (n // scale % 10**4 if word != "조" else n // scale)]


def render_mixed(n: int, spaces: bool, cheon: bool) -> str:
    """32만6,359, 4천772억, 1조 162억: digit groups with 만/억/조 (and 천 inside a group)."""
    def group(g: int) -> str:
        if cheon and g >= 1000:
            return f"{g // 1000}천" + (str(g % 1000) if g % 1000 else "")
        return f"{g:,}"
    return (" " if spaces else "").join(group(g) + word for g, word in _groups(n))


def render_hangul(n: int, spaces: bool, explicit_one: bool) -> str:
    """삼십이만육천삼백오십구: pure Sino-Korean, optionally spaced by 만-groups (삼십이만 육천...)."""
    def group(g: int) -> str:
        out = ""
        for scale, word in ((1000, "천"), (100, "백"), (10, "십"), (1, "")):
            d = g // scale % 10
            if d:
                out += (HANGUL_DIGIT_WORDS[d] if d > 1 or explicit_one or not word else "") + word
        return out
    parts = []
    for g, word in _groups(n):
        text = group(g)
        if word == "만" and g == 1 and (parts or explicit_one):
            text = "일"                                # 일억 일만; a leading 만 may stand alone
        elif word == "만" and g == 1:
            text = ""
        parts.append(text + word)
    if not spaces:
        return "".join(parts)
    out = parts[0]
    for part in parts[1:]:                           # one syllable after a space reads as a word
        out += ("" if len(part) == 1 else " ") + part
    return out


@PROPERTY
@given(n=st.integers(0, 9 * 10**15), unit=st.sampled_from(["명", " 명", "개", "원"]))
def test_digits_with_commas_round_trip(lex: Lexicon, n: int, unit: str) -> None:
    _check(lex, f"{n:,}{unit}", n, unit.strip())


@PROPERTY
@given(whole=st.integers(0, 10**9), fraction=st.from_regex(r"[0-9]{1,3}", fullmatch=True),
       unit=st.sampled_from(["%", "톤", " km"]))
def test_decimals_round_trip(lex: Lexicon, whole: int, fraction: str, unit: str) -> None:
    _check(lex, f"{whole:,}.{fraction}{unit}", float(f"{whole}.{fraction}"), unit.strip())


@PROPERTY
@given(n=st.integers(1, 9 * 10**15), spaces=st.booleans(), cheon=st.booleans(),
       unit=st.sampled_from(["명", " 명", "원", " 원"]))
def test_mixed_scale_words_round_trip(lex: Lexicon, n: int, spaces: bool, cheon: bool, unit: str) -> None:
    _check(lex, render_mixed(n, spaces, cheon) + unit, n, unit.strip())


@PROPERTY
@given(whole=st.integers(1, 9999), fraction=st.from_regex(r"[0-9]{1,2}", fullmatch=True),
       scale=st.sampled_from(BIG[:3]))
def test_decimal_before_a_scale_word_round_trips(lex: Lexicon, whole: int, fraction: str, scale: tuple) -> None:
    word, factor = scale
    _check(lex, f"{whole}.{fraction}{word}원", float(Decimal(f"{whole}.{fraction}") * factor), "원")


@PROPERTY
@given(n=st.integers(10, 9 * 10**15), spaces=st.booleans(), explicit_one=st.booleans(),
       unit=st.sampled_from([" 명", "명", " 개", " 원"]))
def test_pure_hangul_round_trip(lex: Lexicon, n: int, spaces: bool, explicit_one: bool, unit: str) -> None:
    text = render_hangul(n, spaces, explicit_one)
    assume(len(text) > 1 or unit.startswith(" "))  # a lone 천 is a number only before a spaced unit
    _check(lex, text + unit, n, unit.strip())


@PROPERTY
@given(whole=st.integers(0, 10**8), fraction=st.lists(st.integers(0, 9), min_size=1, max_size=3))
def test_hangul_decimals_round_trip(lex: Lexicon, whole: int, fraction: list[int]) -> None:
    text = (render_hangul(whole, False, False) if whole else "영") + "점" + "".join(
        FRACTION_DIGIT_WORDS[d] for d in fraction)
    _check(lex, text + " 톤", float(f"{whole}.{''.join(map(str, fraction))}"), "톤")


NUMBERISH = list("0123456789,.~∼-△%점쩜 ()/:") + list("영공일이삼사오육칠팔구십백천만억조") + [
    "한", "두", "세", "네", "열", "스무", "서른", "다섯", "여", "약", "이상", "미만", "가량", "명", "원", "억원",
    "천원", "개소", "개", "곳", "%p", "㎡", "km", "m", "톤", "년", "년 연속", "개월", "월", "일", "시", "제", "차",
    "호점", "마이너스", "단위", "동", "\n", "\t", "²", "１", "٣", "𝟙"]


def _assert_well_formed(text: str, lex: Lexicon) -> None:
    previous_end = 0
    for q in parse_quantities(text, lex):
        assert previous_end <= q.start < q.end <= len(text), (q.start, q.end, len(text))
        assert not math.isnan(q.value)
        previous_end = q.end


@PROPERTY
@given(text=st.text(max_size=80))
def test_never_raises_on_any_text(lex: Lexicon, text: str) -> None:
    _assert_well_formed(text, lex)


@PROPERTY
@given(text=st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3) | st.sampled_from(
    list("0123456789,. ~△%")), max_size=60))
def test_never_raises_on_hangul_and_digits(lex: Lexicon, text: str) -> None:
    _assert_well_formed(text, lex)


@PROPERTY
@given(parts=st.lists(st.sampled_from(NUMBERISH), max_size=40))
def test_never_raises_on_number_like_text(lex: Lexicon, parts: list[str]) -> None:
    _assert_well_formed("".join(parts), lex)


@pytest.mark.parametrize("text", ["1,2,3억", "32만만", "999999999999999999조", "1..5%", "1,000,0000원", "억원",
                                  "만만", "3.억", "9" * 500 + "조원", "점점", "△△3", "~~3", "3~", "~", "-", "△",
                                  "일" * 300, "천" * 50 + "명", "0.0.0", "1e5원", "마이너스", "여 명", "³명"])
def test_absurd_numbers_do_not_raise(lex: Lexicon, text: str) -> None:
    _assert_well_formed(text, lex)


# --- through the whole per-document path ---------------------------------------------------

def _rows(extract, text: str) -> list[tuple]:
    return [(m.value, m.unit, m.value_max, m.qualifier) for m in extract(text).metrics]


def test_dates_names_and_counts_in_a_real_sentence(extract) -> None:
    rows = _rows(extract, "서대문구는 지난 17일 북가좌2동을 시작으로 2018년 14개동 순회 업무보고가 시작됐다.")
    assert rows == [(14, "개", None, None)]


def test_identifiers_give_no_rows(extract) -> None:
    text = ("제68회 정례회에서 1차 추경안과 청년 창업 꿈터 2호점, 50플러스 센터, 홍제3 도시환경정비사업을 다뤘다. "
            "문의 02-330-1234. 오후 3시 지하철 2호선 역에서 두 번째 설명회가 열렸다.")
    assert _rows(extract, text) == []


def test_forms_inside_sentences(extract) -> None:
    assert _rows(extract, "행사에는 시민 삼십이만 명과 관람객 천여 명이 참여했다.") == [
        (320000, "명", None, None), (1000, "명", None, "approx")]
    assert _rows(extract, "참가자는 열두 명이고 행사장은 세 곳이다.") == [(12, "명", None, None), (3, "곳", None, None)]
    assert _rows(extract, "사업비는 3천~5천만원이 들 것으로 보인다.") == [(30000000, "원", 50000000, None)]
    assert _rows(extract, "만 65세 이상 어르신 300여 명이 참여했다.") == [(300, "명", None, "approx")]
    assert _rows(extract, "2019~2023년 5년 연속 총 1조 162억원을 투입한다.") == [
        (5, "년", None, None), (1016200000000, "원", None, None)]


def test_normalised_minus_sign_and_minus_word(extract) -> None:
    assert _rows(extract, "성장률은 −3.5%로 떨어졌다.") == [(-3.5, "%", None, None)]
    assert _rows(extract, "성장률은 마이너스 3%를 기록했다.") == [(-3, "%", None, None)]


def test_unit_note_scales_the_bare_figures_after_it(extract) -> None:
    text = ("(단위 : 천원)\n"
            "│ 구 분 │ 예산액 │ 전년도 │ 증감 │\n"
            "│ 인건비 │ 1,234 │ 1,000 │ 234 │\n"
            "당초예산 절감액 = △1,920")
    rows = [(m.subject, m.value, m.unit, m.prev_value) for m in extract(text).metrics]
    assert rows == [("인건비", 1234000, "원", 1000000), ("당초예산 절감액", -1920000, "원", None)]


def test_a_multiple_with_a_particle_is_read_and_one_boat_is_no_multiple(extract) -> None:
    """`3배나`, `두 배나` are multiples (나 is a particle after 배); `한 배를 탄` is a boat, not once."""
    rows = extract("예산이 3배나 늘었고 인원은 두 배나 증가했다. 우리는 한 배를 탄 운명공동체다.").metrics
    assert [(m.value, m.unit, m.change_value, m.direction) for m in rows] == [
        (3, "배", None, "increase"), (2, "배", None, "increase")]
