"""Unit notes in the forms tables carry them, and the value of a table figure."""
from __future__ import annotations

import pytest

from pipeline.extract.units import figure_value, unit_form, unit_note


@pytest.mark.parametrize("text, written, units", [
    ("(단위 : 천원)", "천원", ["원"]),
    ("(단위:백만원)", "백만원", ["원"]),
    ("단위: 백만 원", "백만 원", ["원"]),
    ("[단위 : %]", "%", ["%"]),
    ("(단위 : 억원, %)", "억원, %", ["원", "%"]),
    ("[본청][단위:천원]", "천원", ["원"]),
    ("단위: 일반 복지서비스 지원 (단위:천원)", "천원", ["원"]),
    ("자료: 사업체조사 (2023. 12. 31. 기준 / 단위: 개, 명, %)", "개, 명, %", ["개", "명", "%"]),
    ("(단위 : 천명, %)", "천명, %", ["명", "%"]),
])
def test_unit_notes(lex, text: str, written: str, units: list[str]) -> None:
    note = unit_note(text, lex)
    assert note is not None and note.text == written and [u.unit for u in note.units] == units


@pytest.mark.parametrize("text", ["시군구 단위 30개 센터를 운영한다.", "(단위: )", "읍면 단위로 배분"])
def test_what_is_no_unit_note(lex, text: str) -> None:
    assert unit_note(text, lex) is None


@pytest.mark.parametrize("text, value", [("△1,234", -1234), ("-1,234", -1234), ("(17.2)", 17.2), ("3.1%", 3.1),
                                         ("+12.1%", 12.1), ("(△5.2%)", -5.2), ("0", 0),
                                         ("△3.5%p", -3.5), ("1.6%p", 1.6)])
def test_figure_values(text: str, value: float) -> None:
    assert figure_value(text) == value


@pytest.mark.parametrize("written, unit, scale", [("천명", "명", 1e3), ("천 대", "대", 1e3), ("만톤", "톤", 1e4),
                                                  ("백만명", "명", 1e6), ("천원", "원", 1e3), ("건", "건", 1)])
def test_a_counter_after_scale_words_counts_in_that_many(lex, written: str, unit: str, scale: float) -> None:
    form = unit_form(written, lex)
    assert form is not None and (form.unit, form.scale) == (unit, scale)


@pytest.mark.parametrize("written", ["천", "천%", "승화원", "만"])
def test_what_is_no_unit(lex, written: str) -> None:
    assert unit_form(written, lex) is None


def test_shares_that_add_up_to_the_total_above_are_in_its_unit(extract) -> None:
    text = ("□ 소요 예산 : 총 2,095백만원\n ○ 재원별 : 국비 600, 도비 390, 군비 1,105\n\n"
            " ○ 총 9,920백만원\n   - 국비 3,450, 도비 450\n   - 시비 6,020\n\n"
            " ○ 총 1,000백만원\n   - 국비 600, 도비 300\n\n"
            "□ 총사업비 : 20억원\n ○ 사업량 : 교량 5, 도로 15")
    rows = [(m.value, m.unit) for m in extract(text).metrics]
    assert rows == [(2095000000, "원"), (600000000, "원"), (390000000, "원"), (1105000000, "원"),
                    (9920000000, "원"), (3450000000, "원"), (450000000, "원"), (6020000000, "원"),
                    (1000000000, "원"),              # 600 + 300 is no breakdown of 1,000: they stay bare
                    (2000000000, "원")]              # counts that add up are no shares of the sum
