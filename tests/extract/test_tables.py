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


def test_a_tab_table_with_formula_letters_under_its_header_compares_its_years(extract) -> None:
    text = ("(단위 : 천원, %)\n구분\t기금명\t2024년 계획\t2023년 계획\t증감\t증감률\n\t\t(A)\t(B)\t(A-B)\t\n"
            "일반기금\t소계\t10,432,000\t10,047,800\t384,200\t3.8\n\t재해구호기금\t1,660,700\t1,813,000\t-152,300\t-8.4\n"
            "\t양성평등기금\t312,400\t312,400\t0\t-")
    assert [(m.subject, m.value, m.prev_value, m.change_value, m.change_pct, m.direction, m.year, m.prev_year)
            for m in extract(text).metrics] == [
        ("일반기금 소계", 10432000000, 10047800000, 384200000, 3.8, "increase", 2024, 2023),
        ("재해구호기금", 1660700000, 1813000000, -152300000, -8.4, "decrease", 2024, 2023),
        ("양성평등기금", 312400000, 312400000, 0, None, None, 2024, 2023)]


def test_a_new_table_brings_its_own_header(extract) -> None:
    text = ("| 구분 | 예산액 | 전년도 |\n| 가 | 100 | 90 |\n\n다음 표를 보면 다음과 같다.\n"
            "| 구분 | 전년도 | 예산액 |\n| 나 | 70 | 80 |")
    assert [(m.subject, m.value, m.prev_value) for m in extract(text).metrics] == [("가", 100, 90), ("나", 80, 70)]


def test_the_word_unit_in_a_sentence_is_no_unit_note(extract) -> None:
    result = extract("시군구 단위 30개 센터를 운영한다.\n(단위 : 천원)\n사업비 = 1,234")
    assert [(m.subject, m.value, m.unit) for m in result.metrics] == [
        ("센터", 30, "개"), ("사업비", 1234000, "원")]


def test_year_headed_columns_put_the_older_year_in_prev(extract) -> None:
    result = extract("| 사업명 | 2024 예산액 | 2023 예산액 | 증감 |\n| 도로 정비 | 1,200 | 1,000 | 200 |")
    assert [(m.subject, m.value, m.prev_value, m.change_value) for m in result.metrics] == [
        ("도로 정비", 1200, 1000, 200)]


@pytest.mark.parametrize("text", [
    "(단위 : 억원)\n구   분\t2018년 결산(비중)\t2017년 결산(비중)\t증   감\n합   계\t9,842(100.0%)\t9,215(100.0%)\t627\n"
    "보조금\t4,127(41.9%)\t3,780(41.0%)\t347",
    "(단위 : 억원)\n 구   분          2018년 결산(비중)     2017년 결산(비중)      증  감\n"
    " 합   계            9,842(100.0%)         9,215(100.0%)          627\n"
    " 보조금              4,127(41.9%)          3,780(41.0%)           347",
    "(단위 : 억원)\n| 구 분 | 2018년 결산(비중) | 2017년 결산(비중) | 증 감 |\n|---|---|---|---|\n"
    "| 합 계 | 9,842(100.0%) | 9,215(100.0%) | 627 |\n| 보조금 | 4,127(41.9%) | 3,780(41.0%) | 347 |",
], ids=["tabs", "aligned", "pipes"])
def test_cells_of_an_amount_and_its_share(extract, text: str) -> None:
    """`9,842(100.0%)` under `2018년 결산(비중)`: the amount, and its share as a rate of its own
    with last year's share beside it as its earlier figure."""
    assert _rows(extract(text), "subject", "value", "unit", "prev_value", "change_value") == [
        ("합계 결산", 9.842e11, "원", 9.215e11, 6.27e10), ("합계 비중", 100, "%", 100, None),
        ("보조금 결산", 4.127e11, "원", 3.78e11, 3.47e10), ("보조금 비중", 41.9, "%", 41.0, None)]


def test_two_years_of_one_measure_written_differently_compare(extract) -> None:
    """`2026년 예산안 | 2025년 본예산` share 예산: one measure compared, not two."""
    text = ("(단위 : 억원, %)\n| 구  분 | 2026년 예산안 | 2025년 본예산 | 증감액 | 증감률 |\n"
            "| 일반회계 | 6,512 | 6,145 | 367 | 6.0 |")
    assert _rows(extract(text), "subject", "value", "prev_value", "change_value", "change_pct") == [
        ("일반회계", 6.512e11, 6.145e11, 3.67e10, 6.0)]


def test_a_repeated_unit_note_and_header_still_shape_their_table(lex) -> None:
    """Deduplication marks a note and header that repeat earlier ones of the document as
    duplicates; they give no rows of their own but still scale and name the rows of their table."""
    from pipeline.dedup import mark_duplicates
    from pipeline.ingest import normalise, split_paragraphs
    from pipeline.process import process_document
    head = "(단위 : 천원)\n구분\t예산액\t전년도\t증감\n"
    text = f"서울시 예산 개요\n{head}일반회계\t1,500\t1,200\t300\n부산시 예산 개요\n{head}특별회계\t2,500\t2,100\t400"
    paragraphs = split_paragraphs("a", normalise(text))
    assert mark_duplicates(paragraphs) == 2
    result = process_document("a", paragraphs, lex)
    assert _metrics(result)[-1:] == [("특별회계", 2500000, "원", 2100000, 400000, "increase", "table")]


def test_a_new_table_of_figures_that_repeat_an_earlier_table_s_gives_its_rows(lex) -> None:
    """A fund's 지출 table spends what its 수입 table takes in: its figure lines repeat, one cell
    a line, but its header and text cells are new, so it is no reposted page."""
    from pipeline.dedup import mark_duplicates
    from pipeline.ingest import normalise, split_paragraphs
    from pipeline.process import process_document
    rows = "학생장학금\n{}\n2,000,000\n5,000,000\n3,000,000\n현장학습 지원\n{}\n2,700,000\n2,700,000\n0\n"
    text = ("(단위 : 원)\n수입계획\n사 업 명\n기부자\n당초(A)\n변경(B)\n증감(B-A)\n" + rows.format("동창회", "동창회") +
            "지출계획\n사 업 명\n사용용도\n당초(A)\n변경(B)\n증감(B-A)\n" + rows.format("학생복지 지원", "현장학습비"))
    paragraphs = split_paragraphs("a", normalise(text))
    mark_duplicates(paragraphs)
    result = process_document("a", paragraphs, lex)
    assert [(m.subject, m.value, m.prev_value) for m in result.metrics] == [
        ("학생장학금", 5e6, 2e6), ("현장학습 지원", 2.7e6, 2.7e6)] * 2


def test_sub_rows_with_a_bullet_stay_in_their_table(extract) -> None:
    result = extract("(단위 : 백만원)\n구  분        2025년 예산안   2024년 당초예산   증감\n"
                     "특별회계      69,200          65,800           3,400\n    - 상수도사업   41,800   40,100   1,700\n"
                     "□ 주요 사업\n- 도로 정비 20억원")
    assert _metrics(result)[:2] == [("특별회계", 69200000000, "원", 65800000000, 3400000000, "increase", "table"),
                                    ("상수도사업", 41800000000, "원", 40100000000, 1700000000, "increase", "table")]
    assert [p.name for p in result.projects] == ["주요 사업", "도로 정비"]


def _rows(result, *keys: str) -> list[tuple]:
    return [tuple(getattr(m, k) for k in keys) for m in result.metrics]


SPECIFICATION = """2025년도 세출예산 사업명세서
부서: 노인복지과 (단위:천원)
부서ㆍ정책ㆍ단위(회계)ㆍ세부사업ㆍ편성목 예산액 전년도
예산액 비교증감
노인복지과 5,500,000 5,000,000 500,000
국 3,000,000 도 1,000,000 군 1,500,000
경로당 지원 800,000 750,000 50,000
도 200,000 군 600,000
308 자치단체등이전 800,000 750,000 50,000
01 자치단체경상보조금 800,000 750,000 50,000
○경로당 냉난방비 지원
800,000 800,000,000원
도 200,000 군 600,000
"""


def test_a_specification_page_gives_hierarchy_shares_and_items(extract) -> None:
    result = extract(SPECIFICATION)
    assert _rows(result, "subject", "value", "prev_value", "change_value", "source_kind", "row_level") == [
        ("노인복지과", 5.5e9, 5e9, 5e8, "table", 1),
        ("노인복지과 국비", 3e9, None, None, "share", 1),
        ("노인복지과 도비", 1e9, None, None, "share", 1),
        ("노인복지과 군비", 1.5e9, None, None, "share", 1),
        ("경로당 지원", 8e8, 7.5e8, 5e7, "table", 2),
        ("경로당 지원 도비", 2e8, None, None, "share", 2),
        ("경로당 지원 군비", 6e8, None, None, "share", 2),
        ("경로당 지원 자치단체등이전", 8e8, 7.5e8, 5e7, "table", 3),
        ("경로당 지원 자치단체경상보조금", 8e8, 7.5e8, 5e7, "table", 4),
        ("경로당 냉난방비 지원", 8e8, None, None, "table", None),
        ("경로당 냉난방비 지원 도비", 2e8, None, None, "share", None),
        ("경로당 냉난방비 지원 군비", 6e8, None, None, "share", None),
    ]
    assert [(p.section, p.name) for p in result.projects] == [("자치단체경상보조금", "경로당 냉난방비 지원")]
    item = result.projects[0].project_id
    assert [m.project_id for m in result.metrics[-3:]] == [item] * 3
    assert {m.unit_note for m in result.metrics} == {"천원"}
    assert [m.column_label for m in result.metrics if m.source_kind == "share"][:3] == ["국비", "도비", "군비"]


def test_calculations_in_won_and_in_thousands_across_line_breaks(extract) -> None:
    text = ("(단위 : 천원)\n과 목\n예 산 액\n산 출 기 초\n110\n2,400\n인건비\n○청사 청소 인부임\n"
            "-인부임 60,000 X 2인 X 20일\n2,400\n=\n○홍보물 제작\n=\n1,500\n"
            "○안내책자 발간 5,000원×300부=1,500,000원\n")
    result = extract(text)
    assert _rows(result, "subject", "value", "source_kind", "calculation") == [
        ("인건비", 2.4e6, "table", None),
        ("인부임", 2.4e6, "calculation", "60,000 X 2인 X 20일"),
        ("홍보물 제작", 1.5e6, "calculation", None),
        ("안내책자 발간", 5000, "unit_price", "5,000원×300부"),     # a factor in won: the unit price
        ("안내책자 발간", 1.5e6, "calculation", "5,000원×300부"),
    ]
    assert [(p.section, p.name) for p in result.projects] == [
        ("인건비", "청사 청소 인부임"), ("인건비", "홍보물 제작"), ("인건비", "안내책자 발간")]


def test_every_value_cell_with_its_column_name_and_totals(extract) -> None:
    text = ("(단위 : 백만원, %)\n| 구분 | 합계 | 본청 | 사업소 | 구성비 |\n|---|---|---|---|---|\n"
            "| 계 | 9,000 | 6,000 | 3,000 | 100.0 |\n| 인건비 | 4,500 | 3,000 | 1,500 | 50.0 |")
    result = extract(text)
    assert _rows(result, "subject", "value", "unit", "is_total", "column_label") == [
        ("계 합계", 9e9, "원", True, "합계"), ("계 본청", 6e9, "원", True, "본청"),
        ("계 사업소", 3e9, "원", True, "사업소"), ("계 구성비", 100.0, "%", True, "구성비"),
        ("인건비 합계", 4.5e9, "원", True, "합계"), ("인건비 본청", 3e9, "원", False, "본청"),
        ("인건비 사업소", 1.5e9, "원", False, "사업소"), ("인건비 구성비", 50.0, "%", False, "구성비"),
    ]


def test_settlement_columns_are_named_by_their_header(extract) -> None:
    text = ("(단위 : 천원)\n구분\t예산현액\t지출액\t이월액\t불용액\t집행률\n"
            "도로관리\t500,000\t420,000\t50,000\t30,000\t84.0")
    assert _rows(extract(text), "subject", "value", "unit") == [
        ("도로관리 예산현액", 5e8, "원"), ("도로관리 지출액", 4.2e8, "원"), ("도로관리 이월액", 5e7, "원"),
        ("도로관리 불용액", 3e7, "원"), ("도로관리 집행률", 84.0, "%")]


def test_the_header_unit_wins_over_the_note_and_says_so(extract) -> None:
    text = "(단위 : 천원)\n| 구분 | 금액(백만원) |\n|---|---|\n| 청사 신축 | 1,250 |\n| 도로 확장 | 800 |"
    result = extract(text)
    assert _rows(result, "subject", "value", "unit_note") == [("청사 신축", 1.25e9, "백만원"), ("도로 확장", 8e8, "백만원")]
    assert result.warnings == ["line 2: table 1: the header's unit '백만원' (금액(백만원)) is used over the unit note '천원'"]


def test_a_note_that_changes_for_the_next_table(extract) -> None:
    text = ("(단위 : 천원)\n구분\t예산액\t전년도\n가로등 유지\t1,500\t1,400\n"
            "해설: 다음 표는 단위가 다르다.\n(단위: 백만 원)\n구분\t예산액\t전년도\n하수관로 정비\t2,000\t1,800")
    result = extract(text)
    assert _rows(result, "subject", "value", "prev_value", "table_id") == [
        ("가로등 유지", 1.5e6, 1.4e6, 1), ("하수관로 정비", 2e9, 1.8e9, 2)]


def test_statistics_rows_under_a_year_header(extract) -> None:
    text = "구분 2021 2022 2023\n총인구(명) 48,210 47,905 47,330\n고령인구 비율 31.2 32.5 33.9"
    assert _rows(extract(text), "subject", "value", "unit", "year") == [
        ("총인구", 48210, "명", 2021), ("총인구", 47905, "명", 2022), ("총인구", 47330, "명", 2023),
        ("고령인구 비율", 31.2, "%", 2021), ("고령인구 비율", 32.5, "%", 2022), ("고령인구 비율", 33.9, "%", 2023)]


def test_two_years_and_a_change_compare(extract) -> None:
    text = "| 구분 | 2024년 | 2025년 | 증감 |\n|---|---|---|---|\n| 세입 | 7,100 | 7,450 | 350 |"
    assert _rows(extract(text), "subject", "value", "prev_value", "change_value", "year", "prev_year") == [
        ("세입", 7450, 7100, 350, 2025, 2024)]


def test_digits_glued_without_commas_are_cut_where_the_row_adds_up(extract) -> None:
    text = "(단위 : 백만원)\n구분 예산액 전년도 증감\n도로정비 1,250 1,180 70\n공원조성42040020"
    assert _rows(extract(text), "subject", "value", "prev_value", "change_value") == [
        ("도로정비", 1.25e9, 1.18e9, 7e7), ("공원조성", 4.2e8, 4e8, 2e7)]


def test_a_row_that_does_not_add_up_is_kept_and_warned_about(extract) -> None:
    text = "(단위 : 천원)\n구분\t예산액\t전년도\t증감\n청소년 수련관\t1,000\t800\t250"
    result = extract(text)
    assert _rows(result, "subject", "value", "prev_value", "change_value") == [("청소년 수련관", 1e6, 8e5, 2.5e5)]
    assert result.warnings == ["line 3: table 1, row '청소년 수련관': 예산액 1e+06 is not the earlier 800000 plus "
                               "the change 250000"]


def test_a_group_header_heads_every_column_under_it_and_changes_pair_by_their_leaf(extract) -> None:
    """`대 상 자` and `전년 대비 증감` each stand over two leaves (`세 대 | 인 원`): every leaf takes
    its group, each change goes with the value column of the same leaf, and each column takes
    the note's unit its leaf names."""
    text = ("                                      (단위 : 세대, 명)\n"
            "   구    분            대 상 자            전년 대비 증감\n"
            "                     세 대     인 원       세 대     인 원\n"
            "   계                 3,120     4,870         85       102\n"
            "   한부모             1,240     2,915         30        41\n")
    assert _rows(extract(text), "subject", "value", "unit", "change_value") == [
        ("계 대상자 세대", 3120, "세대", 85), ("계 대상자 인원", 4870, "명", 102),
        ("한부모 대상자 세대", 1240, "세대", 30), ("한부모 대상자 인원", 2915, "명", 41)]


def test_a_count_column_takes_the_unit_of_what_it_counts(extract) -> None:
    """`학교수` counts in the note's 교, `학급수` in 학급, `교원수` (people) in 명."""
    text = ("(2024. 3. 1. 기준, 단위 : 교, 학급, 명)\n"
            "구분        학교수     학급수      학생수     교원수\n"
            "중학교          12        240       6,130        512\n")
    assert _rows(extract(text), "subject", "value", "unit") == [
        ("중학교 학교수", 12, "교"), ("중학교 학급수", 240, "학급"), ("중학교 학생수", 6130, "명"),
        ("중학교 교원수", 512, "명")]


def test_counts_are_counted_in_what_their_header_counts_whatever_money_note_is_in_force(extract) -> None:
    text = ("(단위 : 천원)\n| 구분 | 예산 |\n|---|---|\n| 인건비 | 1,000 |\n\n2. 관내 학교 현황\n"
            "| 학교급 | 학교수 | 학급수 | 학생수 |\n|---|---|---|---|\n| 유치원 | 96 | 312 | 5,874 |\n\n"
            "(단위 : 천명)\n| 구분 | 인구수 |\n|---|---|\n| 합계 | 512 |")
    assert _rows(extract(text), "subject", "value", "unit") == [
        ("인건비", 1e6, "원"), ("유치원 학교수", 96, "교"), ("유치원 학급수", 312, "학급"), ("유치원 학생수", 5874, "명"),
        ("합계", 512000, "명")]


def test_a_group_or_a_lettered_header_names_the_unit_of_its_leaves(extract) -> None:
    """`종사자수(B)` over `명수`, and `1개업체당 평균종사자(B/A)`, count people (명) under `단위:
    개, 명, %`; `사업체(A)` over `개수` counts in 개."""
    text = ("(단위: 개, 명, %)\n| 구분 | 사업체(A) | 종사자수(B) | 1개업체당 평균종사자(B/A) |\n|---|---|---|---|---|---|\n"
            "| 개수 | 증감률 | 명수 | 증감률 | ||\n| 수정구 | 24,347 | 4.8% | 93,379 | 4.6% | 3.8 |")
    assert _rows(extract(text), "subject", "value", "unit", "change_pct") == [
        ("수정구 사업체 개수", 24347, "개", 4.8), ("수정구 종사자수 명수", 93379, "명", 4.6),
        ("수정구 1개업체당 평균종사자", 3.8, "명", None)]


def test_three_years_and_a_change_compare_the_last_two_and_labels_name_their_units(extract) -> None:
    """`2022년 | 2023년 | 2024년 | 전년대비 증감`: the change is 2024's over 2023's, 2022's figure
    stands alone; under `단위 : 천원, 명, 대`, a row of 이용객 counts people and one of 이용대수 대."""
    text = ("(단위 : 천원, 명, 대, %)\n"
            "  구      분            2022년        2023년        2024년   전년대비 증감   증감률\n"
            "  총 수 입           78,412,630    84,906,115    88,214,502       3,308,387      3.9\n"
            "  체육시설 이용객     3,104,552     3,512,880     3,688,015         175,135      5.0\n"
            "  주차장 이용대수     5,812,340     6,024,118     5,967,204         △56,914     △0.9\n")
    assert _rows(extract(text), "subject", "value", "unit", "prev_value", "change_value", "change_pct") == [
        ("총수입", 78412630000, "원", None, None, None),
        ("총수입", 88214502000, "원", 84906115000, 3308387000, 3.9),
        ("체육시설 이용객", 3104552, "명", None, None, None),
        ("체육시설 이용객", 3688015, "명", 3512880, 175135, 5.0),
        ("주차장 이용대수", 5812340, "대", None, None, None),
        ("주차장 이용대수", 5967204, "대", 6024118, -56914, -0.9)]


def test_amounts_and_rates_under_a_note_of_counts_money_and_percent(extract) -> None:
    """Under `단위: 건, 백만원, %`, a row of 피해액 is money, a column of 공정률 a percent."""
    text = ("(단위: 건, 백만원)\n| 구 분 | 2011년 | 2012년 |\n|---|---|---|\n| 피해건수 | 112 | 45 |\n"
            "| 피해액 | 15,830 | 3,275 |\n\n(단위: 백만원, %)\n| 지 구 명 | 총사업비 | 공정률 |\n|---|---|---|\n"
            "| 광격지구 | 4,800 | 65 |")
    assert _rows(extract(text), "subject", "value", "unit", "prev_value") == [
        ("피해건수", 45, "건", 112), ("피해액", 3275e6, "원", 15830e6),
        ("광격지구 총사업비", 4800e6, "원", None), ("광격지구 공정률", 65, "%", None)]


def test_years_over_groups_and_merged_leaves_beside_them(extract) -> None:
    """`2025년도 | 2024년도` over `예산액 구성비` twice, with `증 감 | 증감률` merged down beside
    them on the line between (a rule of ─ under each year, shifted as text copies shift it):
    the earlier year's 예산액 is the previous figure, the change and its rate go with it, and its
    구성비 the previous figure of this year's."""
    text = ("                                                (단위 : 백만원, %)\n"
            "                          2025년도              2024년도\n"
            "   구    분              ─────────────   ─────────────    증  감    증감률\n"
            "                        예산액   구성비       예산액   구성비\n"
            "   합    계             1,250,000   100.0    1,100,000   100.0   150,000     13.6\n"
            "   자체수입                62,500     5.0       66,000     6.0    △3,500     △5.3\n")
    assert _rows(extract(text), "subject", "value", "prev_value", "change_value", "change_pct") == [
        ("합계 예산액", 1.25e12, 1.1e12, 1.5e11, 13.6), ("합계 구성비", 100, 100, None, None),
        ("자체수입 예산액", 6.25e10, 6.6e10, -3.5e9, -5.3), ("자체수입 구성비", 5, 6, None, None)]


@pytest.mark.parametrize("table, group", [
    ("2023년말 현재액(A) 2024년도 조성계획 2024년말 현재액(E=A+D) 비 고\n수 입(B) 지 출(C) 증감 (D=B-C)\n"
     "4,120,500 1,302,000 980,000 322,000 4,442,500", ""),
    ("  2023년말                   2024년도 운용계획                          2024년말\n"
     "  현재액(A)      수  입(B)       지  출(C)       증  감(D=B-C)      현재액(E=A+D)\n"
     "  4,120,500      1,302,000         980,000          322,000           4,442,500", "운용계획 "),
], ids=["single spaces", "aligned"])
def test_a_fund_s_one_row_under_lettered_headers_reads_its_formula(extract, table: str, group: str) -> None:
    """`현재액(E=A+D)`: E is this year's balance, A last year's, D (`D=B-C`) the change; 수입
    and 지출 are figures of their own (under the group `2024년도 운용계획` that heads them)."""
    assert _rows(extract(f"(단위 : 천원)\n{table}"), "subject", "value", "prev_value", "change_value") == [
        (f"{group}수입", 1.302e9, None, None), (f"{group}지출", 9.8e8, None, None),
        ("현재액", 4.4425e9, 4.1205e9, 3.22e8)]


def test_a_markdown_header_s_group_cells_span_the_empty_cells_right_of_them(extract) -> None:
    text = ("(단위 : 천원)\n| 2023년말 현재액(A) | 2024년 운용계획 | | | 2024년말 현재액(E=A+D) |\n|---|---|---|---|---|\n"
            "| | 수입(B) | 지출(C) | 증감(D=B-C) | |\n| 3,126,480 | 842,300 | 615,000 | 227,300 | 3,353,780 |")
    assert _rows(extract(text), "subject", "value", "prev_value", "change_value") == [
        ("운용계획 수입", 8.423e8, None, None), ("운용계획 지출", 6.15e8, None, None),
        ("현재액", 3.35378e9, 3.12648e9, 2.273e8)]


def test_an_amount_under_a_change_group_or_noted_as_a_difference_is_the_change(extract) -> None:
    """`금 액` says what a column measures, not which: under `증 감`, or noted `(A-B)`, it is the
    change of the amounts before it."""
    under_group = ("(단위 : 백만원, %)\n"
                   "                     2025년         2024년          증    감\n"
                   "   분      야        예산(안)       당초예산       금  액    증감률\n"
                   "   합        계       512,300        488,100       24,200      5.0\n"
                   "   복      지         201,450        190,020       11,430      6.0\n")
    noted = ("(단위 : 백만원)\n"
             "   분      야        예산(안)       당초예산       금  액\n"
             "                       (A)            (B)         (A-B)\n"
             "   합        계       512,300        488,100       24,200\n")
    assert _rows(extract(under_group), "subject", "value", "prev_value", "change_value", "change_pct") == [
        ("합계", 5.123e11, 4.881e11, 2.42e10, 5.0), ("복지", 2.0145e11, 1.9002e11, 1.143e10, 6.0)]
    assert _rows(extract(noted), "subject", "value", "prev_value", "change_value") == [
        ("합계", 5.123e11, 4.881e11, 2.42e10)]


def test_a_result_that_is_its_factors_product_is_in_won_though_the_table_is_in_thousands(extract) -> None:
    text = ("(단위 : 천원)\n과            목\n예  산  액\n산             출             기             초\n"
            "전  년  도\n예  산  액\n비      교\n01 기본급\n2,560,370\n13,986,509\n16,546,879\n○본청 급여\n"
            "  경정  3,128,300     X     3인    X    12월 = 112,619,000\n"
            "  인부임 60,000 X 2인 X 20일 = 2,400\n")
    assert _rows(extract(text), "subject", "value", "source_kind")[1:] == [
        ("경정", 112619000, "calculation"), ("인부임", 2.4e6, "calculation")]


def test_the_figure_under_factors_is_their_result_with_or_without_an_equals_sign(extract) -> None:
    text = ("(단위 : 천원)\n과 목\n예 산 액\n전 년 도\n비 교\n산 출 기 초\n307 민간이전\n612,000\n700,500\n△88,500\n"
            "○인증비 지원\n"
            "  ·300,000원 X 1,200농가\n360,000\n(도 108,000 군 252,000)\n○포장재 지원\n  ·84,000원 X 3,000농가\n"
            "252,000\n=\n")
    assert _rows(extract(text), "subject", "value", "source_kind") == [
        ("민간이전", 6.12e8, "table"),
        ("인증비 지원", 300000, "unit_price"), ("인증비 지원", 3.6e8, "calculation"),
        ("인증비 지원 도비", 1.08e8, "share"), ("인증비 지원 군비", 2.52e8, "share"),
        ("포장재 지원", 84000, "unit_price"), ("포장재 지원", 2.52e8, "calculation")]


def test_basis_lines_after_empty_tab_cells_give_items_calculations_and_unit_prices(extract) -> None:
    """A TSV budget page puts its 산출기초 lines in the last column, the cells before it empty:
    each is an item or a calculation of the row above, and a factor in won is a unit price."""
    text = ("(단위: 천원)\n세부사업\t예산액\t전년도 예산액\t비교증감\t산출기초\n"
            "02 민간경상사업보조\t845,000\t760,000\t85,000\t\n"
            "\t\t\t\t○한우 품질고급화 장려금 지원\n"
            "\t\t\t\t- 1등급 이상 출하우 1,300두 X 350,000원 = 455,000\n"
            "\t\t\t\t○홍천한우 브랜드 홍보 및 판촉 지원 = 390,000\n")
    result = extract(text)
    assert _rows(result, "subject", "value", "source_kind") == [
        ("민간경상사업보조", 8.45e8, "table"), ("한우 품질고급화 장려금 지원", 350000, "unit_price"),
        ("한우 품질고급화 장려금 지원", 4.55e8, "calculation"), ("홍천한우 브랜드 홍보 및 판촉 지원", 3.9e8, "calculation")]
    assert [(p.section, p.name) for p in result.projects] == [
        ("민간경상사업보조", "한우 품질고급화 장려금 지원"), ("민간경상사업보조", "홍천한우 브랜드 홍보 및 판촉 지원")]


def test_of_two_columns_numbered_alike_the_lower_is_the_earlier_and_spaced_headers_stay_apart(extract) -> None:
    """`제1회 추경 | 제2회 추경` compare like two years; `기 정 액        추 경 액        증  감` are
    three headers, each spread over its column, not one spaced-out word."""
    numbered = ("(단위: 백만원, %)\n  구      분            제1회 추경      제2회 추경       증  감     증감률\n"
                "  일반회계                 712,480         751,290       38,810        5.4\n"
                "  특별회계                 133,820         140,310        6,490        4.8\n")
    spaced = ("(단위: 백만원)\n  구      분            기 정 액        추 경 액        증  감\n"
              "  지방세수입               178,200         186,950        8,750\n"
              "  세외수입                  21,340          22,010          670\n")
    assert _rows(extract(numbered), "subject", "value", "prev_value", "change_value", "change_pct") == [
        ("일반회계", 7.5129e11, 7.1248e11, 3.881e10, 5.4), ("특별회계", 1.4031e11, 1.3382e11, 6.49e9, 4.8)]
    assert _rows(extract(spaced), "subject", "value", "prev_value", "change_value") == [
        ("지방세수입", 1.8695e11, 1.782e11, 8.75e9), ("세외수입", 2.201e10, 2.134e10, 6.7e8)]


def test_letters_that_name_a_row_are_no_unit_and_leave_its_label_unspaced(extract) -> None:
    """`예 산 (A)`: (A) names the row for a formula (A+B); the subject is 예산, the unit the note's."""
    text = ("(단위 : 억원)\n구 분\n2024년 예산\n2025년 예산\n증감\n총 지 출(A+B)\n1,000\n1,200\n200\n"
            "◇ 예 산 (A)\n600\n700\n100\n◇ 기 금 (B)\n400\n500\n100\n")
    assert _rows(extract(text), "subject", "value", "unit", "prev_value", "change_value") == [
        ("총지출", 1.2e11, "원", 1e11, 2e10), ("예산", 7e10, "원", 6e10, 1e10), ("기금", 5e10, "원", 4e10, 1e10)]


def test_a_line_of_size_classes_is_a_header_not_figures(extract) -> None:
    text = "종사자 규모별 사업체수\n합 계 1∼4명 5∼9명 10∼19명 20∼49명\n참가 단체는 10∼19명 규모이다."
    assert _rows(extract(text), "raw_text") == [("10∼19명",)]


def test_a_ratio_column_that_is_the_change_over_the_earlier_figure_is_the_rate(extract) -> None:
    """`비율(%)` beside two years: the rate of change where its figures are change / earlier; a
    구성비 beside the same years (shares of the total) stays a ratio of its own."""
    head = "(단위 : 백만원, %)\n구 분\t2025년 예산\t2026년 예산\t{}\n"
    body = "합 계\t1,942,150\t2,038,640\t{}\n일반회계\t1,712,480\t1,801,205\t{}\n특별회계\t229,670\t237,435\t{}"
    rate = extract(head.format("비율(%)") + body.format("5.0", "5.2", "3.4"))
    assert _rows(rate, "subject", "value", "prev_value", "change_pct") == [
        ("합계", 2.03864e12, 1.94215e12, 5.0), ("일반회계", 1.801205e12, 1.71248e12, 5.2),
        ("특별회계", 2.37435e11, 2.2967e11, 3.4)]
    shares = extract(head.format("구성비") + body.format("100.0", "88.4", "11.6"))
    assert _rows(shares, "subject", "value", "change_pct") == [
        ("합계 예산", 2.03864e12, None), ("합계 구성비", 100.0, None), ("일반회계 예산", 1.801205e12, None),
        ("일반회계 구성비", 88.4, None), ("특별회계 예산", 2.37435e11, None), ("특별회계 구성비", 11.6, None)]


def test_changes_in_points_and_units_named_in_a_cell_of_the_row(extract) -> None:
    """`△3.5%p` is a change of its rate row; a `단위` column names each row's unit, scale and
    all (`천대`: 9,385 thousand 대); a bracket that names no unit stays in the label."""
    text = ("(단위 : 백만원, %)\n| 구 분 | 2020년 | 2021년 | 증 감 |\n|---|---|---|---|\n"
            "| 매출액 | 168,420 | 181,305 | 12,885 |\n| 부채비율 | 48.2 | 44.7 | △3.5%p |\n\n"
            "| 시 설 | 단위 | 2020년 | 2021년 |\n|---|---|---|---|\n| 공영주차장 | 천대 | 8,412 | 9,385 |\n"
            "| 장사시설(승화원) | 건 | 14,208 | 15,031 |")
    assert _rows(extract(text), "subject", "value", "unit", "prev_value", "change_value") == [
        ("매출액", 1.81305e11, "원", 1.6842e11, 1.2885e10), ("부채비율", 44.7, "%", 48.2, -3.5),
        ("공영주차장", 9385000, "대", 8412000, None), ("장사시설(승화원)", 15031, "건", 14208, None)]


def test_an_earlier_rate_and_a_change_in_points_go_with_their_rate(extract) -> None:
    text = ("(단위 : 백만원, %)\n| 부 문 | 예산현액 | 집행률 | 전년 집행률 | 증감(%p) |\n|---|---|---|---|---|\n"
            "| 인건비 | 92,410 | 99.4 | 99.1 | 0.3 |\n| 시설비 | 24,870 | 86.9 | 88.0 | △1.1 |")
    assert _rows(extract(text), "subject", "value", "unit", "prev_value", "change_value") == [
        ("인건비 예산현액", 9.241e10, "원", None, None), ("인건비 집행률", 99.4, "%", 99.1, 0.3),
        ("시설비 예산현액", 2.487e10, "원", None, None), ("시설비 집행률", 86.9, "%", 88.0, -1.1)]


def test_two_years_that_head_two_measures_are_not_compared(extract) -> None:
    """`2024 실적 | 2025 목표`: an actual and a target, each a metric named with its year; a rate
    column stays a percent in a row counted in 개소 (`2025년 예산 | 2026년 예산안` still compare)."""
    text = "| 지표명 | 단위 | 2024 실적 | 2025 목표 | 달성률 |\n|---|---|---|---|---|\n| 무더위쉼터 운영 | 개소 | 412 | 430 | 95.8 |"
    assert _rows(extract(text), "subject", "value", "unit", "prev_value") == [
        ("무더위쉼터 운영 2024 실적", 412, "개소", None), ("무더위쉼터 운영 2025 목표", 430, "개소", None),
        ("무더위쉼터 운영 달성률", 95.8, "%", None)]
    compared = "(단위 : 억원)\n| 구분 | 2025년 예산 | 2026년 예산안 |\n|---|---|---|\n| 합계 | 1,000 | 1,100 |"
    assert _rows(extract(compared), "subject", "value", "prev_value") == [("합계", 1.1e11, 1e11)]


def test_a_unit_note_in_a_header_cell_and_a_year_over_the_labels(extract) -> None:
    """`2023년 예산 | 단위: 조원` over `일반회계 | 369.4`: the cell is the table's unit note, no
    column, and the year stands over the label column, which holds no figure: no value column."""
    text = "구성\t금액\n2023년 예산\t단위: 조원\t\t\n일반회계\t369.4\t\t\n특별회계\t71.6\t\t\n기금\t197.7\t\t"
    assert _rows(extract(text), "subject", "value", "unit") == [
        ("일반회계", 3.694e14, "원"), ("특별회계", 7.16e13, "원"), ("기금", 1.977e14, "원")]


def test_a_tab_header_s_second_line_of_leading_empty_cells_goes_on_its_column(extract) -> None:
    """`다음연도` over `\\t\\t\\t이월액`: the second line's cell is under the fourth column, though
    the line keeps no tab of its own once its leading empty cells are counted."""
    text = ("(단위 : 천원, %)\n세부사업\t예산현액\t지출액\t다음연도\t불용액\t집행률\n\t\t\t이월액\t\t\n"
            "급식지원\t900,000\t850,000\t20,000\t30,000\t94.4\n시설개선\t400,000\t360,000\t-\t40,000\t90.0")
    assert _rows(extract(text), "subject", "value", "unit")[:5] == [
        ("급식지원 예산현액", 9e8, "원"), ("급식지원 지출액", 8.5e8, "원"), ("급식지원 다음연도 이월액", 2e7, "원"),
        ("급식지원 불용액", 3e7, "원"), ("급식지원 집행률", 94.4, "%")]


def test_one_cell_per_line_an_earlier_budget_and_the_revised_one_are_two_columns(extract) -> None:
    """`기정예산액` names what it measures: `추경예산액` below it is the next column, the current
    one, not the rest of its header (`전 년 도` over `예 산 액` is one column)."""
    text = ("(단위 : 천원)\n구 분\n기정예산액\n추경예산액\n증 감\n구성비(%)\n합 계\n52,000\n54,500\n2,500\n100.0\n"
            "보건\n12,000\n11,500\n△500\n21.1\n")
    assert [(m.subject, m.value, m.prev_value, m.change_value) for m in extract(text).metrics] == [
        ("합계 추경예산액", 54500000, 52000000, 2500000), ("합계 구성비", 100.0, None, None),
        ("보건 추경예산액", 11500000, 12000000, -500000), ("보건 구성비", 21.1, None, None)]


def test_an_aligned_header_above_a_rule_line_and_leaves_spaced_apart_under_a_group(extract) -> None:
    """A rule line between the header and the rows is no end of the header; `계    남    여`
    under a spaced-out group are three leaves, one over each column of figures."""
    text = ("                                   (단위 : 명)\n"
            " ──────────────────────────────────────\n"
            "  연 도      학 생 수                       교원수\n"
            "             계          남          여\n"
            " ──────────────────────────────────────\n"
            "  2022      3,210      1,650      1,560      214\n"
            "  2023      3,105      1,601      1,504      209\n")
    rows = [(m.subject, m.value, m.unit, m.year) for m in extract(text).metrics]
    assert rows[:4] == [("학생수 계", 3210, "명", 2022), ("학생수 남", 1650, "명", 2022), ("학생수 여", 1560, "명", 2022),
                        ("교원수", 214, "명", 2022)]


def test_a_thin_rule_inside_a_heavy_box_table_is_a_border_not_a_new_table(extract) -> None:
    """`┠────╂────┨` (a light rule in a heavy box, any character of the box-drawing block) ends
    no table: the rows below it keep the header above it."""
    text = ("(단위 : 천원)\n┏━━━━━━┳━━━━━━━━┳━━━━━━━━┓\n┃ 구  분 ┃ 2025년 ┃ 2024년 ┃\n┣━━━━━━╋━━━━━━━━╋━━━━━━━━┫\n"
            "┃ 합  계 ┃ 30,000 ┃ 27,000 ┃\n┠──────╂────────╂────────┨\n┃ 장학기금 ┃ 30,000 ┃ 27,000 ┃\n"
            "┗━━━━━━┻━━━━━━━━┻━━━━━━━━┛")
    assert [(m.subject, m.value, m.prev_value, m.year) for m in extract(text).metrics] == [
        ("합계", 30000000, 27000000, 2025), ("장학기금", 30000000, 27000000, 2025)]


def test_a_budget_book_one_cell_a_line_gives_shares_written_over_two_lines_and_slashed(extract) -> None:
    """`국` / `52,000`: a funding source alone on its line, its figure on the next, is a share of
    the row above; so are `(도 4,000 / 군 4,000)` after a result, and that line heads no item."""
    text = ("(단위 : 천원)\n부서·정책·단위·세부사업·편성목\n예산액\n전년도\n예산액\n비교증감\n산출기초\n"
            "경로당 지원\n130,000\n120,000\n10,000\n국\n52,000\n군\n78,000\n"
            "201-01 사무관리비\n20,000\n18,000\n2,000\n군\n20,000\n"
            "○경로당 프로그램 강사수당\n50,000원×4시간×40회\n=\n8,000\n(도 4,000 / 군 4,000)\n○경로당 안내책자 제작\n"
            "3,000원×4,000부\n=\n12,000\n")
    result = extract(text)
    shares = [(m.subject, m.value) for m in result.metrics if m.source_kind == "share"]
    assert shares == [("경로당 지원 국비", 52000000), ("경로당 지원 군비", 78000000), ("경로당 지원 사무관리비 군비", 20000000),
                      ("경로당 프로그램 강사수당 도비", 4000000), ("경로당 프로그램 강사수당 군비", 4000000)]
    assert [(p.section, p.name) for p in result.projects] == [
        ("사무관리비", "경로당 프로그램 강사수당"), ("사무관리비", "경로당 안내책자 제작")]


def test_an_empty_last_cell_of_a_heavy_box_row_does_not_cut_the_row(extract) -> None:
    """`┃ 계 ┃ 9,000 ┃ 8,000 ┃ 1,000 ┃          ┃`: the spaces of an empty 비고 cell between two
    box lines are no row break of a box table stored on one line."""
    text = ("(단위 : 천원)\n┏━━━━━━┳━━━━━━┳━━━━━━┳━━━━━━┳━━━━━━━━┓\n┃ 과 목 ┃ 2025년 ┃ 2024년 ┃ 증 △ 감 ┃ 비  고 ┃\n"
            "┣━━━━━━╋━━━━━━╋━━━━━━╋━━━━━━╋━━━━━━━━┫\n┃ 계 ┃ 9,000 ┃ 8,000 ┃ 1,000 ┃          ┃\n"
            "┃ 이자수입 ┃ 9,000 ┃ 8,000 ┃ 1,000 ┃ 예치금 이자 ┃\n┗━━━━━━┻━━━━━━┻━━━━━━┻━━━━━━┻━━━━━━━━┛")
    assert [(m.subject, m.value, m.prev_value, m.change_value) for m in extract(text).metrics] == [
        ("계", 9000000, 8000000, 1000000), ("이자수입", 9000000, 8000000, 1000000)]


def test_a_line_of_one_cell_after_a_box_line_is_a_note_of_its_table(extract) -> None:
    """`│   (국 600,000 / 교육청 400,000)` and `│   ○ … = 12,000` open with a box line but hold one
    cell: notes inside the table (shares, items, calculations), so the rows after them keep
    the header."""
    text = ("(단위 : 천원)\n│ 세부사업·편성목 │ 예 산 액 │ 전년도예산액 │ 비교증감 │\n"
            "│ 방과후학교 운영 │ 1,000,000 │ 900,000 │ 100,000 │\n│   (국 600,000 / 교육청 400,000)\n"
            "│   210-01 일반수용비 │ 12,000 │ 10,000 │ 2,000 │\n│     ○ 강사 연수 자료 3,000원 × 4,000부 = 12,000\n"
            "│   120-03 교육공무직원인건비 │ 988,000 │ 890,000 │ 98,000 │\n")
    result = extract(text)
    assert [(m.subject, m.value, m.prev_value, m.source_kind) for m in result.metrics] == [
        ("방과후학교 운영", 1e9, 9e8, "table"), ("방과후학교 운영 국비", 6e8, None, "share"),
        ("방과후학교 운영 교육청", 4e8, None, "share"), ("방과후학교 운영 일반수용비", 1.2e7, 1e7, "table"),
        ("강사 연수 자료", 3000, None, "unit_price"), ("강사 연수 자료", 1.2e7, None, "calculation"),
        ("방과후학교 운영 교육공무직원인건비", 9.88e8, 8.9e8, "table")]
    assert [(p.section, p.name) for p in result.projects] == [("일반수용비", "강사 연수 자료")]


def test_an_aligned_table_whose_shares_stand_only_on_its_top_rows_reads_them(extract) -> None:
    """`구성비` given only on the 관 rows: those rows have one figure more than the others, and
    that column is read where they have it."""
    text = ("(단위 : 천원, %)\n 과            목          예 산 액     전년도예산액     비교증감     구성비\n"
            " 합            계         500,000        450,000       50,000      100.0\n"
            " 100 지방세수입           300,000        280,000       20,000       60.0\n"
            "   110 보통세             250,000        240,000       10,000\n"
            "   130 지난년도수입        50,000         40,000       10,000\n"
            " 200 세외수입             200,000        170,000       30,000       40.0\n"
            "   210 경상적세외수입     120,000        110,000       10,000\n"
            "   220 임시적세외수입      80,000         60,000       20,000\n")
    shares = [(m.subject, m.value) for m in extract(text).metrics if m.unit == "%"]
    assert shares == [("합계 구성비", 100.0), ("지방세수입 구성비", 60.0), ("세외수입 구성비", 40.0)]


def test_the_items_after_a_table_of_statistics_are_under_the_heading_above_it(extract) -> None:
    """A table without budget codes heads nothing after it: its last row (`구성비`) is no section
    of the items that follow; the heading above the table is."""
    text = ("Ⅱ. 2025년 주요성과\n (단위 : 톤, %)\n  구  분       발생량        매  립        재활용\n"
            "   계            900          300           600\n  구성비       100.0         33.3          66.7\n\n"
            " □ 자원순환 기반 구축\n  ○ 재활용 선별장 현대화")
    assert [(p.section, p.name) for p in extract(text).projects] == [
        ("2025년 주요성과", "자원순환 기반 구축"), ("자원순환 기반 구축", "재활용 선별장 현대화")]


def test_a_row_label_names_its_unit_of_a_note_of_scaled_counters(extract) -> None:
    """`(단위 : 천명, 천권)`: the row 대출권수 counts in 천권 (its figures × 1,000, in 권), 이용자 in 천명."""
    text = ("(단위 : 천명, 천권)\n  구  분       2023년    2024년    전년대비\n  이 용 자       1,705     1,842       137\n"
            "  대출권수       1,088     1,214       126\n")
    assert [(m.subject, m.value, m.unit, m.prev_value) for m in extract(text).metrics] == [
        ("이용자", 1842000, "명", 1705000), ("대출권수", 1214000, "권", 1088000)]


def test_two_years_down_the_side_and_their_change_row_compare_and_a_unit_under_a_header_is_no_name(extract) -> None:
    """`2023년 | 2024년 | 증 감` as rows: the later year's figures take the earlier year's as prev
    and the 증감 row's as change, and those two rows give none of their own; `(개)` and `(천명)`
    under the headers are their columns' units, not part of their names."""
    text = ("  구  분       노선수     연간 수송인원\n                 (개)            (천명)\n"
            "  2023년         84            21,460\n  2024년         88            20,875\n"
            "  증  감          4              △585\n")
    assert [(m.subject, m.value, m.unit, m.prev_value, m.change_value, m.direction, m.year, m.prev_year)
            for m in extract(text).metrics] == [
        ("노선수", 88, "개", 84, 4, "increase", 2024, 2023),
        ("연간 수송인원", 20875000, "명", 21460000, -585000, "decrease", 2024, 2023)]


def test_year_groups_over_repeated_leaves_head_one_repeat_each_and_compare_leaf_by_leaf(extract) -> None:
    """`2023년 | 2024년 | 증 감` over `건수 피해` three times, with a rule line under the groups: each
    group heads one repeat of the leaves, and 2024년 건수 compares with 2023년 건수, 피해 with 피해."""
    text = ("(단위 : 건)\n──────────────────────────────────────────────────\n"
            "                  2023년            2024년            증  감\n"
            "  구    분     ────────────   ────────────   ────────────\n"
            "               발생건수  피해건수   발생건수  피해건수   발생건수  피해건수\n"
            "──────────────────────────────────────────────────\n"
            "  화    재        412        23        386        19        △26        △4\n"
            "  교통사고      2,948       410      2,817       390       △131       △20\n")
    assert [(m.subject, m.value, m.prev_value, m.change_value, m.year) for m in extract(text).metrics] == [
        ("화재 발생건수", 386, 412, -26, 2024), ("화재 피해건수", 19, 23, -4, 2024),
        ("교통사고 발생건수", 2817, 2948, -131, 2024), ("교통사고 피해건수", 390, 410, -20, 2024)]


def test_a_label_ending_in_the_syllable_of_a_money_unit_is_not_money(extract) -> None:
    """Under `(단위 : 개소, 천원)`, `도시공원` ends in 원 but counts 개소: only counters are named
    by their bare unit (`대출권수` in 천권), never money."""
    text = "(단위 : 개소, 천원)\n 구  분     2023년    2024년\n 도시공원     120       125\n 관리금액   3,000     3,200"
    assert [(m.subject, m.value, m.unit) for m in extract(text).metrics] == [
        ("도시공원", 125, "개소"), ("관리금액", 3200000, "원")]


def test_a_note_of_as_many_units_as_measures_gives_each_measure_its_unit(extract) -> None:
    """`(단위 : 개소, 명, %)` over `해수욕장 | 2023년 2024년 증감 | 구성비`: three measures, the years
    and their change one of them, so 개소, 명 and % go to them in order."""
    text = ("(단위 : 개소, 명, %)\n   읍  면      해수욕장        2023년         2024년          증  감       구성비\n"
            "    계            21       1,524,300      1,867,900       343,600        100.0\n")
    assert [(m.subject, m.value, m.unit, m.prev_value) for m in extract(text).metrics] == [
        ("계 해수욕장", 21, "개소", None), ("계", 1867900, "명", 1524300), ("계 구성비", 100.0, "%", None)]


def test_the_original_budget_beside_a_revised_one_is_its_earlier_figure(extract) -> None:
    """`본예산 | 제1회 추경 | 증감`: the 추경 is the current figure and the 본예산 its earlier one."""
    text = "(단위: 백만원)\n구분\t본예산\t제1회 추경\t증감\n합계\t512,340\t548,915\t36,575\n교육\t6,250\t6,930\t680"
    assert [(m.subject, m.value, m.prev_value, m.change_value) for m in extract(text).metrics] == [
        ("합계", 548915e6, 512340e6, 36575e6), ("교육", 6930e6, 6250e6, 680e6)]


def test_equipment_is_no_amount_and_a_base_year_column_of_amounts_is_a_change(extract) -> None:
    """`소방장비` ends in 비 but counts vehicles; a `2019년 대비` column written in thousands is
    the change from 2019, not a percent of it."""
    equipment = extract("(단위 : 대, 백만원)\n 구  분        2023년    2024년\n 소방장비         10        12\n 장비 구입비     500       620\n")
    assert [(m.subject, m.value, m.unit) for m in equipment.metrics] == [
        ("소방장비", 12, "대"), ("장비 구입비", 620000000, "원")]
    base = extract("(단위 : 명)\n│ 관광지점 │ 2019년 │ 2023년 │2019년 대비│\n│ 하회마을 │ 1,087,432│ 964,277│ △123,155│\n"
                   "│ 월영교 │ 1,420,115│ 1,392,570│ △27,545│")
    assert [(m.subject, m.value, m.prev_value, m.change_value) for m in base.metrics] == [
        ("하회마을", 964277, 1087432, -123155), ("월영교", 1392570, 1420115, -27545)]


def test_two_earlier_figure_columns_of_two_years_compare_the_years(extract) -> None:
    text = ("(단위 : 백만원)\n| 분 야 | 2018년 당초 | 2019년 당초 | 증 감 |\n|---|---|---|---|\n"
            "| 교육 | 402,150 | 431,870 | 29,720 |\n| 환경 | 396,540 | 421,780 | 25,240 |")
    assert [(m.value, m.prev_value, m.change_value, m.year) for m in extract(text).metrics] == [
        (431870000000, 402150000000, 29720000000, 2019), (421780000000, 396540000000, 25240000000, 2019)]


def test_an_earlier_figure_named_after_a_value_column_goes_with_it_and_so_does_the_change_after_it(extract) -> None:
    text = ("(단위 : 천원, %)\n| 분야 | 예산현액 | 지출액 | 불용액 | 집행률(%) | 전년도 지출액 | 증감 |\n|---|---|---|---|---|---|---|\n"
            "| 교육 | 6,702,140 | 6,120,877 | 218,305 | 91.33 | 5,874,310 | 246,567 |")
    assert [(m.subject, m.value, m.prev_value, m.change_value) for m in extract(text).metrics] == [
        ("교육 예산현액", 6702140000, None, None), ("교육 지출액", 6120877000, 5874310000, 246567000),
        ("교육 불용액", 218305000, None, None), ("교육 집행률", 91.33, None, None)]


def test_rows_indented_under_a_row_of_money_are_money_under_a_note_of_several_units(extract) -> None:
    text = ("(단위 : 천대, 백만원)\n  구      분            2014년    2015년\n  이용대수               8,905     9,318\n"
            "  주차요금 수입         15,118    16,042\n    노상                 6,104     6,227\n  정기권 발급(건)        3,385     3,702")
    assert [(m.subject, m.value, m.unit) for m in extract(text).metrics] == [
        ("이용대수", 9318000, "대"), ("주차요금 수입", 16042000000, "원"), ("노상", 6227000000, "원"),
        ("정기권 발급", 3702, "건")]


def test_a_label_set_in_from_its_cell_s_border_is_no_indented_row(extract) -> None:
    text = ("(단위 : 대, 백만원)\n│ 구 분 │ 2014년 │ 2015년 │\n│ 주차요금 수입 │ 15,118 │ 16,042 │\n│    운행 실적    │ 8,905 │ 9,318 │")
    assert [(m.subject, m.value, m.unit) for m in extract(text).metrics] == [
        ("주차요금 수입", 16042000000, "원"), ("운행 실적", 9318, "대")]


def test_a_change_naming_the_first_value_column_in_brackets_goes_with_it(extract) -> None:
    text = "(단위 : 명)\n| 구분 | 계 | 남 | 여 | 증감(계) |\n|---|---|---|---|---|\n| 인구 | 48,300 | 24,100 | 24,200 | 12 |"
    assert [(m.subject, m.change_value) for m in extract(text).metrics] == [("인구 계", 12), ("인구 남", None), ("인구 여", None)]
