"""Text tables: box drawing, pipes, tabs and aligned spaces, with unit notes and header roles."""
from __future__ import annotations

import pytest

BOX = """(장 2000)사회개발 (단위 : 천원)
┏━━━━━━━━━┯━━━━━━━┯━━━━━━━┯━━━━━━━┯━━━━━━━━━━━━━━━┓
┃ │ │ 전 년 도 │ 비 교 │ ┃
┃ 과 목 │ 예 산 액 │ (기 정) │ │ 산 출 기 초 ┃
┃ │ │ 예 산 액 │ 증 △ 감 │ ┃
┣━━━━━━━━━┿━━━━━━━┿━━━━━━━┿━━━━━━━┿━━━━━━━━━━━━━━━┫
┃│││││120 │ │ │ │ ┃
┃│││││ 경상적경비 │ 49,876│ 35,400│ 14,476│ ┃
┃││││││ │ │ │ │○ 당초예산 절감액 = △1,920 ┃
┃││││││ │ │ │ │[ 일 반 수 용 비 ] ┃
┃││││││ │ │ │ │○ 건축행정 서비스 헌장 책자 발간 ┃
┃││││││ │ │ │ │ 5,000 X 300부 = 1,500 ┃
┃││││││ 여비 │ 1,000│ 1,500│ △500│ ┃"""


def _metrics(result) -> list[tuple]:
    return [(m.subject, m.value, m.unit, m.prev_value, m.change_value, m.direction, m.source_kind)
            for m in result.metrics]


def test_box_table_rows_notes_and_calculations(extract) -> None:
    result = extract(BOX)
    assert _metrics(result) == [
        ("경상적경비", 49876000, "원", 35400000, 14476000, "increase", "table"),
        ("당초예산 절감액", -1920000, "원", None, None, None, "calculation"),
        ("건축행정 서비스 헌장 책자 발간", 1500000, "원", None, None, None, "calculation"),
        ("여비", 1000000, "원", 1500000, -500000, "decrease", "table"),
    ]
    assert [(p.section, p.name) for p in result.projects] == [
        ("경상적경비", "당초예산 절감액"), ("일 반 수 용 비", "건축행정 서비스 헌장 책자 발간")]


@pytest.mark.parametrize("table", [
    "(단위: 백만원)\n구분\t예산액\t전년도\t증감\n일반회계\t1,500\t1,200\t300\n특별회계\t700\t800\t△100",
    "(단위: 백만원)\n| 구분 | 예산액 | 전년도 | 증감 |\n|---|---|---|---|\n| 일반회계 | 1,500 | 1,200 | 300 |\n"
    "| 특별회계 | 700 | 800 | △100 |",
    "(단위: 백만원)\n구분        예산액      전년도     증감\n일반회계     1,500      1,200      300\n"
    "특별회계       700        800     △100",
])
def test_tab_pipe_and_aligned_tables(extract, table: str) -> None:
    assert _metrics(extract(table)) == [
        ("일반회계", 1500000000, "원", 1200000000, 300000000, "increase", "table"),
        ("특별회계", 700000000, "원", 800000000, -100000000, "decrease", "table"),
    ]


def test_a_new_table_brings_its_own_header(extract) -> None:
    text = ("| 구분 | 예산액 | 전년도 |\n| 가 | 100 | 90 |\n\n다음 표를 보면 다음과 같다.\n"
            "| 구분 | 전년도 | 예산액 |\n| 나 | 70 | 80 |")
    assert [(m.subject, m.value, m.prev_value) for m in extract(text).metrics] == [("가", 100, 90), ("나", 80, 70)]


def test_the_word_unit_in_a_sentence_is_no_unit_note(extract) -> None:
    result = extract("시군구 단위 30개 센터를 운영한다.\n(단위 : 천원)\n사업비 = 1,234")
    assert [(m.subject, m.value, m.unit) for m in result.metrics] == [
        ("시군구 단위", 30, "개"), ("사업비", 1234000, "원")]


def test_year_headed_columns_put_the_older_year_in_prev(extract) -> None:
    result = extract("| 사업명 | 2024 예산액 | 2023 예산액 | 증감 |\n| 도로 정비 | 1,200 | 1,000 | 200 |")
    assert [(m.subject, m.value, m.prev_value, m.change_value) for m in result.metrics] == [
        ("도로 정비", 1200, 1000, 200)]


def test_a_unit_note_and_header_repeated_from_another_document_still_shape_its_table(lex) -> None:
    """Deduplication marks the second document's note and header as repeats of the first's;
    they give no rows of their own but still scale and name the rows of its table."""
    from pipeline.dedup import mark_duplicates
    from pipeline.ingest import normalise, split_paragraphs
    from pipeline.process import process_documents
    head = "(단위 : 천원)\n구분\t예산액\t전년도\t증감\n"
    docs = [(doc_id, split_paragraphs(doc_id, normalise(title + "\n" + head + row)))
            for doc_id, title, row in (("a", "서울시 예산 개요", "일반회계\t1,500\t1,200\t300"),
                                       ("b", "부산시 예산 개요", "특별회계\t2,500\t2,100\t400"))]
    assert mark_duplicates(p for _, paragraphs in docs for p in paragraphs) == 2
    second = process_documents(docs, lex)[1]
    assert _metrics(second) == [("특별회계", 2500000, "원", 2100000, 400000, "increase", "table")]


def test_sub_rows_with_a_bullet_stay_in_their_table(extract) -> None:
    result = extract("(단위 : 백만원)\n구  분        2025년 예산안   2024년 당초예산   증감\n"
                     "특별회계      69,200          65,800           3,400\n    - 상수도사업   41,800   40,100   1,700\n"
                     "□ 주요 사업\n- 도로 정비 20억원")
    assert _metrics(result)[:2] == [("특별회계", 69200000000, "원", 65800000000, 3400000000, "increase", "table"),
                                    ("상수도사업", 41800000000, "원", 40100000000, 1700000000, "increase", "table")]
    assert [p.name for p in result.projects] == ["주요 사업", "도로 정비"]
