"""Table text pieces: figures, codes, years, labels; glued figures cut by grouping or arithmetic."""
from __future__ import annotations

import pytest

from pipeline.extract import cells as C


@pytest.mark.parametrize("text, pieces", [
    ("1,250,0001,180,00070,000", ["1,250,000", "1,180,000", "70,000"]),
    ("12,480,21013,102,355622,145", ["12,480,210", "13,102,355", "622,145"]),
    ("120,00085,000△35,000△29.2", ["120,000", "85,000", "△35,000", "△29.2"]),
    ("31,25031,250- -", ["31,250", "31,250", "-", "-"]),
    ("331,3903.4", ["331,390", "3.4"]),
])
def test_glued_figures_split_by_their_grouping(text: str, pieces: list[str]) -> None:
    assert [text[a:b] for a, b in C.split_glued(text)] == pieces


def test_digits_without_commas_are_cut_where_the_row_adds_up() -> None:
    assert C.split_by_arithmetic("42040020", 0, 8, ["current", "previous", "change"]) == [(0, 3), (3, 6), (6, 8)]
    assert C.split_by_arithmetic("10090010", 0, 8, ["previous", "current", "change"]) is None   # two ways or none
    assert C.split_by_arithmetic("4204000", 0, 7, ["current", "value"]) is None


@pytest.mark.parametrize("text, year", [
    ("2026년", 2026), ("'25 예산", 2025), ("’24년도", 2024), ("2025년 예산액", 2025), ("2024(A)", 2024),
    ("’98예산", 1998), ("1900.0", None), ("1,998", None), ("예산액", None), ("2024 2025", None),
])
def test_the_year_a_header_names(text: str, year: int | None) -> None:
    assert C.year_of(text) == year


@pytest.mark.parametrize("text, code", [("2316", True), ("211-01", True), ("(세항 2316)", True), ("1,250", False),
                                        ("2024", False), ("일반운영비", False)])
def test_codes(text: str, code: bool) -> None:
    assert (C.is_code(text) or bool(C.CODE_TAG.fullmatch(text))) is code


@pytest.mark.parametrize("text, label", [("합      계", "합계"), ("일 반 회 계", "일반회계"), ("□ 총 지 출", "총지출"),
                                         ("- 상수도사업", "상수도사업"), ("1. 보건·복지", "보건·복지"),
                                         ("ㅇ 공기업특별회계", "공기업특별회계"), ("국토 및 지역 개발", "국토 및 지역 개발"),
                                         ("[세부] 무상급식 지원", "무상급식 지원"), ("[정책] 건강한 교육환경", "건강한 교육환경"),
                                         ("[ 일 반 수 용 비 ]", "[ 일 반 수 용 비 ]")])
def test_labels_as_subjects(text: str, label: str) -> None:
    assert C.clean_label(text) == label


def test_a_code_that_opens_a_label() -> None:
    assert C.split_code("01 일반운영비") == ("01", 3)
    assert C.split_code("(세항 2316)종합사회복지관리") == ("2316", 9)
    assert C.split_code("인건비") == (None, 0)
