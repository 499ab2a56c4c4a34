"""The layout step: which lines are tables, and the rows, columns and notes it rebuilds from
each form a table takes in text."""
from __future__ import annotations

import pytest

from pipeline.extract.layout import Note, Prose, Row, Table, layout
from pipeline.ingest import normalise, split_paragraphs


def _blocks(text: str, lex):
    paragraphs = split_paragraphs("doc", normalise(text))
    return paragraphs, layout(paragraphs, lex)


def _tables(text: str, lex) -> list[tuple[list[tuple[str, str]], list]]:
    """Each table as (columns as (header, role), parts as ('row', label, cells) or ('note', text))."""
    paragraphs, blocks = _blocks(text, lex)

    def t(span):
        return None if span is None else paragraphs[span.para].text[span.start:span.end]

    out = []
    for block in blocks:
        if isinstance(block, Table):
            parts = [("row", t(p.label), [t(c) for c in p.cells]) if isinstance(p, Row) else ("note", t(p.span))
                     for p in block.parts]
            out.append(([(c.header, c.role) for c in block.columns], parts))
    return out


def test_prose_with_a_bracketed_comparison_is_no_table(lex) -> None:
    paragraphs, blocks = _blocks("안전분야에 142억원을 증액(105 → 247억원, 134.7%)했다.\n구는 2025년 예산을 편성했다.", lex)
    assert all(isinstance(b, Prose) for b in blocks)


def test_a_box_table_stored_on_one_line_is_cut_back_into_rows(lex) -> None:
    text = ("(단위 : 천원) ┏━━━━━┯━━━━━┓ ┃ 과 목 │ 예 산 액 ┃ ┣━━━━━┿━━━━━┫ ┃ 도로유지 │ 12,500 ┃ "
            "┃ 가로등관리 │ 3,400 ┃ ┗━━━━━┷━━━━━┛")
    [(columns, parts)] = _tables(text, lex)
    assert columns == [("예 산 액", "current")]
    assert [p for p in parts if p[0] == "row"] == [("row", "도로유지", ["12,500"]), ("row", "가로등관리", ["3,400"])]


def test_a_table_of_years_run_into_a_line_of_prose_is_cut_back_into_rows(lex) -> None:
    text = ("○ 추진방법 : 상반기 내 대상사업 신속 집행 ※ 최근 3년간 추진 현황 (단위 : 억원) 구분 2015 2016 2017 "
            "대상액(A) 214,783 240,661 250,191 집행액(B) 106,698 124,709 130,747 ※ 집행률은 B/A")
    [(columns, parts)] = _tables(text, lex)
    assert [c[0] for c in columns] == ["2015", "2016", "2017"]
    assert [p for p in parts if p[0] == "row"] == [("row", "대상액(A)", ["214,783", "240,661", "250,191"]),
                                                   ("row", "집행액(B)", ["106,698", "124,709", "130,747"])]


def test_a_header_over_three_lines_with_spaced_words(lex) -> None:
    text = ("┃ │ │ 전 년 도 │ 비 교 ┃\n┃ 과 목 │ 예 산 액 │ (기 정) │ ┃\n┃ │ │ 예 산 액 │ 증 △ 감 ┃\n"
            "┃ 수용비 │ 4,100 │ 3,800 │ 300 ┃")
    [(columns, parts)] = _tables(text, lex)
    assert columns == [("예 산 액", "current"), ("전 년 도 (기 정) 예 산 액", "previous"), ("비 교 증 △ 감", "change")]
    assert parts == [("row", "수용비", ["4,100", "3,800", "300"])]


def test_group_headers_over_repeated_leaves(lex) -> None:
    text = ("| 구분 | 합계 | | 본청 | | 사업소 | |\n|---|---|---|---|---|---|---|\n"
            "| | 금액 | 비율 | 금액 | 비율 | 금액 | 비율 |\n| 인건비 | 5,000 | 50.0 | 3,000 | 60.0 | 2,000 | 40.0 |")
    [(columns, parts)] = _tables(text, lex)
    assert columns == [("금액", "current"), ("비율", "ratio")] * 3
    assert parts[-1] == ("row", "인건비", ["5,000", "50.0", "3,000", "60.0", "2,000", "40.0"])


def test_a_bare_percent_under_a_comparing_group_is_the_rate_of_the_change(lex) -> None:
    text = ("구 분\n2023년 예산 (A)\n2024년 예산 (B)\n전년대비\n증감 (B-A)\n%\n"
            "총지출\n1,091,830\n1,223,779\n131,949\n12.1\n기초생활보장\n164,059\n179,197\n15,138\n9.2")
    [(columns, parts)] = _tables(text, lex)
    assert [role for _, role in columns] == ["current", "current", "change", "change_pct"]
    assert parts[-1] == ("row", "기초생활보장", ["164,059", "179,197", "15,138", "9.2"])


@pytest.mark.parametrize("text", [
    "| 연번 | 사업명 | 예산액 |\n|---|---|---|\n| 1 | 도로 정비 | 1,000 |\n| 2 | 공원 조성 | 2,500 |",
    "순번 사업명 예산액 전년도\n1 도로 정비 1,000 800\n2 공원 조성 2,500 2,000",
    " 연번  사   업   명      예산액     전년도\n   1   도로 정비         1,000        800\n   2   공원 조성         2,500      2,000",
])
def test_the_numbers_of_numbered_rows_are_no_figures(lex, text: str) -> None:
    [(columns, parts)] = _tables(text, lex)
    assert [(p[1], p[2][0]) for p in parts if p[0] == "row"] == [("도로 정비", "1,000"), ("공원 조성", "2,500")]


def test_years_one_cell_per_line_head_the_columns_of_rows_of_measures(lex) -> None:
    text = "(단위 : %)\n구 분\n1999\n2000\n2001\n재정자립도\n12.9\n13.5\n12.1\n재정자주도\n69.8\n72.5\n70.9"
    [(columns, parts)] = _tables(text, lex)
    assert [c[0] for c in columns] == ["1999", "2000", "2001"]
    assert [(p[1], p[2]) for p in parts if p[0] == "row"] == [("재정자립도", ["12.9", "13.5", "12.1"]),
                                                              ("재정자주도", ["69.8", "72.5", "70.9"])]


def test_the_numbers_of_rows_one_cell_per_line_are_no_figures(lex) -> None:
    text = ("연번\n세부사업\n사업코드\n2008년\n예산액\n2007년\n예산액\n증△감\n"
            "1\n방문건강관리\n2713-01\n612,400\n548,900\n63,500\n2\n국가암조기검진\n2713-02\n1,085,720\n1,120,350\n△34,630")
    [(columns, parts)] = _tables(text, lex)
    assert [(p[1], p[2]) for p in parts if p[0] == "row"] == [
        ("방문건강관리", ["612,400", "548,900", "63,500"]), ("국가암조기검진", ["1,085,720", "1,120,350", "△34,630"])]


def test_a_phone_number_after_a_label_is_no_row_of_glued_figures(lex) -> None:
    text = "출동 비율 목표 증감\n문의 : 제주특별자치도 소방안전본부 064-710-3200\n담당 : 소방정책과 064-710-3210"
    assert _tables(text, lex) == []


def test_text_columns_beside_the_figures_are_notes_not_labels_or_values(lex) -> None:
    text = ("| 연번 | 지 구 명 | 위  치 | 총사업비 | 공정률 | 추진부서 |\n|---|---|---|---|---|---|\n"
            "| 1 | 광격지구 | 호저면 광격리 | 4,800 | 65 | 안전총괄과 |\n| 2 | 취병지구 | 문막읍 취병리 | 3,250 | 37 | 하천과 |")
    [(columns, parts)] = _tables(text, lex)
    assert columns == [("총사업비", "value"), ("공정률", "value")]
    assert parts == [("row", "광격지구", ["4,800", "65"]), ("note", "호저면 광격리"), ("note", "안전총괄과"),
                     ("row", "취병지구", ["3,250", "37"]), ("note", "문막읍 취병리"), ("note", "하천과")]


def test_a_spaced_out_label_stops_before_a_unit_cell_far_off(lex) -> None:
    text = ("연번  구    분               단 위         2006년         2007년\n"
            " 1    인    구               명           535,082        552,133\n"
            " 2    세 대 수               세대         196,412        204,870")
    [(columns, parts)] = _tables(text, lex)
    assert [(p[1], p[2]) for p in parts if p[0] == "row"] == [("인    구", ["535,082", "552,133"]),
                                                              ("세 대 수", ["196,412", "204,870"])]


def test_years_that_label_the_rows_of_an_aligned_table_are_no_figures(lex) -> None:
    text = ("연 도      재정자립도     재정자주도\n2016         18.77          62.30\n2017         19.84          63.05")
    [(columns, parts)] = _tables(text, lex)
    assert [c[0] for c in columns] == ["재정자립도", "재정자주도"]
    assert [(p[1], p[2]) for p in parts if p[0] == "row"] == [("2016", ["18.77", "62.30"]), ("2017", ["19.84", "63.05"])]


def test_budget_codes_before_labels_are_no_row_numbers(lex) -> None:
    [(columns, parts)] = _tables("과목 예산액 전년도\n301 일반운영비 1,000 800\n308 자치단체등이전 2,500 2,000", lex)
    assert [p[1] for p in parts if p[0] == "row"] == ["301 일반운영비", "308 자치단체등이전"]


def test_a_unit_cell_before_the_figures_is_the_row_s_unit(extract) -> None:
    text = (" 연번  사   업   명      단위     계 획     실 적\n   1   수급자 신규 발굴    명       1,200     1,346\n"
            "   2   위기가구 긴급지원   가구       650       612")
    assert [(m.subject, m.value, m.unit) for m in extract("(단위 : 천원)\n" + text).metrics] == [
        ("수급자 신규 발굴 계획", 1200, "명"), ("수급자 신규 발굴 실적", 1346, "명"),
        ("위기가구 긴급지원 계획", 650, "가구"), ("위기가구 긴급지원 실적", 612, "가구")]


@pytest.mark.parametrize("header, years", [
    ("| 항목 | 2026년 | 2025년 | 증감 | 비율 |", [2026, 2025]),
    ("| 항목 | '26 예산 | '25 예산 | 증감 | 비율 |", [2026, 2025]),
    ("| 항목 | 2026년 예산액 | 2025년 예산액 | 증감 | 비율 |", [2026, 2025]),
    ("| 항목 | 2026(A) | 2025(B) | 증감(A-B) | 비율 |", [2026, 2025]),
])
def test_headers_that_are_years(lex, header: str, years: list[int]) -> None:
    paragraphs, blocks = _blocks(header + "\n| 청소년수련관 | 820 | 700 | 120 | 17.1 |", lex)
    [table] = [b for b in blocks if isinstance(b, Table)]
    assert [c.year for c in table.columns[:2]] == years
    assert [c.role for c in table.columns[2:]] == ["change", "ratio"]


def test_one_cell_per_line_with_the_page_header_repeated_mid_table(lex) -> None:
    head = "(단위 : 천원)\n부서명\n2025년\n예산액\n2024년\n예산액\n증감액\n"
    text = (head + "건축과\n1,200\n1,000\n200\n도시과\n900\n950\n△50\n- 3 -\n" + head + "녹지과\n-\n300\n△300\n")
    [(columns, parts)] = _tables(text, lex)
    assert columns == [("2025년 예산액", "current"), ("2024년 예산액", "current"), ("증감액", "change")]
    assert [p for p in parts if p[0] == "row"] == [
        ("row", "건축과", ["1,200", "1,000", "200"]), ("row", "도시과", ["900", "950", "△50"]),
        ("row", "녹지과", [None, "300", "△300"])]


def test_marked_labels_of_one_cell_per_line_rows(lex) -> None:
    """`◇ 기 금` right over its figures is the row's label, past its marker (`o 노인` is one
    already: its `o` is dropped from the subject)."""
    text = ("(단위 : 억원)\n구 분\n2024년 예산\n2025년 예산\n증감\n총지출\n1,000\n1,200\n200\n"
            "◇ 예 산 (A)\n600\n700\n100\n◇ 기 금 (B)\n400\n500\n100\no 노인\n90\n95\n5\n")
    [(columns, parts)] = _tables(text, lex)
    assert [p for p in parts if p[0] == "row"] == [
        ("row", "총지출", ["1,000", "1,200", "200"]), ("row", "예 산 (A)", ["600", "700", "100"]),
        ("row", "기 금 (B)", ["400", "500", "100"]), ("row", "o 노인", ["90", "95", "5"])]


def test_an_aligned_header_of_one_word_a_column_is_read_in_order(lex) -> None:
    """Header words counted by characters stand off their columns on a screen where Hangul is
    two wide (`증감` right of its figures): as many words as value columns go in order."""
    text = ("구 분      2024년 예산   2025년 예산    증감\n총지출         1,000      1,200     200\n"
            "예 산          600        700     100\n기 금          400        500     100")
    [(columns, parts)] = _tables(text, lex)
    assert columns == [("2024년 예산", "current"), ("2025년 예산", "current"), ("증감", "change")]
    assert parts[0] == ("row", "총지출", ["1,000", "1,200", "200"])


def test_a_page_written_right_to_left_is_read_by_its_arithmetic(lex) -> None:
    text = ("과 목\n예 산 액\n전 년 도\n예 산 액\n비 교\n증 △ 감\n"
            "1310\n△500\n3,000\n2,500\n청사관리\n1320\n200\n800\n1,000\n차량관리\n")
    [(columns, parts)] = _tables(text, lex)
    assert [role for _, role in columns] == ["change", "previous", "current"]
    assert [p for p in parts if p[0] == "row"] == [("row", "청사관리", ["△500", "3,000", "2,500"]),
                                                   ("row", "차량관리", ["200", "800", "1,000"])]


def test_figures_glued_together(lex) -> None:
    text = "구 분 2025(A) 2026(B) 증감(B-A)\n□ 상수도 1,180,0001,250,00070,000\n□ 하수도 412,300455,80043,500"
    [(columns, parts)] = _tables(text, lex)
    assert parts == [("row", "□ 상수도", ["1,180,000", "1,250,000", "70,000"]),
                     ("row", "□ 하수도", ["412,300", "455,800", "43,500"])]


def _label_parts(text: str, lex) -> list[tuple[str, str, str]]:
    """Each row of the one table as (label words wrapped before it, its label, words wrapped after)."""
    paragraphs, blocks = _blocks(text, lex)
    [table] = [b for b in blocks if isinstance(b, Table)]
    return [(r.label_prefix, paragraphs[r.label.para].text[r.label.start:r.label.end], r.label_suffix)
            for r in table.parts if isinstance(r, Row)]


def test_wrapped_labels_of_an_aligned_table_are_joined(lex) -> None:
    text = ("구      분            2025년     2024년     증  감\n"
            "보건의료                 5,300      5,100        200\n"
            "산업·중소기업 및\n"
            "   에너지                 2,400      2,000        400\n"
            "국토 및 지역             6,100      6,500       △400\n"
            "   개발\n"
            "예비비                     900        900          0")
    assert _label_parts(text, lex) == [("", "보건의료", ""), ("산업·중소기업 및", "에너지", ""), ("", "국토 및 지역", "개발"),
                                       ("", "예비비", "")]


def test_a_label_line_at_the_depth_of_the_row_above_opens_the_next_row(lex) -> None:
    """Under a group, `농공단지` stands as deep as the row above it and `조성사업` deeper: it
    opens the next row's label, not the end of `하수도사업`'s."""
    text = ("  구   분             예산현액    지출액\n  특별회계 계          105,550    84,956\n"
            "     하수도사업         52,780    41,355\n     농공단지\n       조성사업         12,400     9,815\n"
            "     의료급여기금        1,920     1,884")
    assert _label_parts(text, lex) == [("", "특별회계 계", ""), ("", "하수도사업", ""), ("농공단지", "조성사업", ""),
                                       ("", "의료급여기금", "")]


def test_budget_notes_stay_inside_the_table(lex) -> None:
    text = ("과          목                  예 산 액   전 년 도   비 교\n"
            "경로당 운영 지원                 320,400    301,200   19,200\n"
            "      도 78,120  시 242,280\n"
            "    ○ 경로당 운영비 지원\n"
            "       350,000원 X 42개소 X 12월 = 176,400,000원\n"
            "노인 일자리 지원               1,480,950  1,402,350   78,600")
    [(columns, parts)] = _tables(text, lex)
    assert [p[0] for p in parts] == ["row", "note", "note", "note", "row"]


def test_a_tab_table_keeps_its_empty_first_cells_in_place(lex) -> None:
    """A TSV row under a group leaves the group's cell empty, and the line of formula letters
    under the header leaves the label columns empty: the cells stand by position, and a row
    that only holds the rest of a label (`\\t육성기금`) does not end the table."""
    text = ("(단위 : 천원, %)\n구분\t기금명\t2024년 계획\t2023년 계획\t증감\t증감률\n\t\t(A)\t(B)\t(A-B)\t\n"
            "합계\t\t28,940,000\t26,770,000\t2,170,000\t8.1\n일반기금\t소계\t10,432,000\t10,047,800\t384,200\t3.8\n"
            "\t청년 창업 지원\t1,250,000\t1,000,000\t250,000\t25.0\n\t육성기금\t\t\t\t\n"
            "\t체육진흥기금\t885,300\t960,000\t-74,700\t-7.8\n")
    [(columns, parts)] = _tables(text, lex)
    assert columns == [("2024년 계획 (A)", "current"), ("2023년 계획 (B)", "current"), ("증감 (A-B)", "change"),
                       ("증감률", "change_pct")]                          # the earlier year is the earlier figure
    rows = [p for p in parts if p[0] == "row"]
    assert rows == [("row", "합계", ["28,940,000", "26,770,000", "2,170,000", "8.1"]),
                    ("row", "소계", ["10,432,000", "10,047,800", "384,200", "3.8"]),
                    ("row", "청년 창업 지원", ["1,250,000", "1,000,000", "250,000", "25.0"]),
                    ("row", "체육진흥기금", ["885,300", "960,000", "-74,700", "-7.8"])]
    paragraphs, blocks = _blocks(text, lex)
    [table] = [b for b in blocks if isinstance(b, Table)]
    assert [p.group_label for p in table.parts if isinstance(p, Row)] == [None, "일반기금", None, None]
    assert [(c.name, c.year) for c in table.columns] == [("계획", 2024), ("계획", 2023), ("증감", None),
                                                         ("증감률", None)]       # (A), (A-B): no words


def test_a_cell_of_several_figures_under_as_many_header_words_is_that_many_columns(lex, extract) -> None:
    text = ("(단위 : 명, %)\n"
            " 구  분  │      2022년        │      2023년        │ 증 감\n"
            "         │  계    심한  경증  │  계    심한  경증  │ (계)\n"
            "─────────┼────────────────────┼────────────────────┼──────\n"
            " 지체    │ 11,205  2,010  9,195 │ 11,058  1,962  9,096 │ △147\n"
            " 청각    │  4,105    820  3,285 │  4,388    836  3,552 │  283\n")
    [(columns, parts)] = _tables(text, lex)
    assert columns == [("2022년 계", "current"), ("2022년 심한", "current"), ("2022년 경증", "current"),
                       ("2023년 계", "current"), ("2023년 심한", "current"), ("2023년 경증", "current"),
                       ("증 감 (계)", "change")]
    assert parts[-1] == ("row", "청각", ["4,105", "820", "3,285", "4,388", "836", "3,552", "283"])
    rows = [(m.subject, m.value, m.prev_value, m.change_value) for m in extract(text).metrics]
    assert rows[:3] == [("지체 계", 11058, 11205, -147), ("지체 심한", 1962, 2010, None), ("지체 경증", 9096, 9195, None)]


def test_rows_opened_by_years_under_a_two_level_header_one_cell_per_line(lex, extract) -> None:
    text = ("(단위 : 가구, 명)\n연 도 별\n수급가구\n수 급 자\n계\n일반수급자\n시설수급자\n"
            "2018\n17,842\n26,015\n24,903\n1,112\n2019\n19,105\n27,640\n26,541\n1,099\n")
    [(columns, parts)] = _tables(text, lex)
    assert [header for header, _ in columns] == ["수급가구", "계", "일반수급자", "시설수급자"]
    assert [p for p in parts if p[0] == "row"][1] == ("row", "2019", ["19,105", "27,640", "26,541", "1,099"])
    metrics = extract(text).metrics
    assert [(m.subject, m.value, m.unit, m.year) for m in metrics[:4]] == [
        ("수급가구", 17842, "가구", 2018), ("수급자 계", 26015, "명", 2018),
        ("수급자 일반수급자", 24903, "명", 2018), ("수급자 시설수급자", 1112, "명", 2018)]


def test_header_cells_spanning_columns_are_placed_over_them_by_position(lex, extract) -> None:
    text = ("(단위 : 교, 동, %)\n"
            "┌──────────┬────────┬──────────┬──────────────────┐\n"
            "│          │        │          │  30년 이상 경과  │\n"
            "│  구  분  │ 학교수 │ 건물동수 ├─────────┬────────┤\n"
            "│          │        │          │  동 수  │ 비 율  │\n"
            "├──────────┼────────┼──────────┼─────────┼────────┤\n"
            "│  초등학교│    428 │    1,954 │     812 │   41.6 │\n"
            "│  중학교  │    247 │    1,126 │     436 │   38.7 │\n"
            "└──────────┴────────┴──────────┴─────────┴────────┘")
    [(columns, parts)] = _tables(text, lex)
    assert [role for _, role in columns] == ["value", "value", "value", "ratio"]
    assert [(m.subject, m.value, m.unit) for m in extract(text).metrics][:4] == [
        ("초등학교 학교수", 428, "교"), ("초등학교 건물동수", 1954, "동"),
        ("초등학교 30년 이상 경과 동수", 812, "동"), ("초등학교 30년 이상 경과 비율", 41.6, "%")]
    piped = ("(단위 : 명)\n|   구 분   |  2019  |  2020  |  2021  |    전년 대비    |\n"
             "|           |        |        |        | 증 감  | 증감률 |\n"
             "|-----------|--------|--------|--------|--------|--------|\n"
             "| 교육급여  |  4,812 |  4,655 |  4,590 |   △65  |  △1.4  |")
    assert [(m.value, m.prev_value, m.change_value, m.change_pct) for m in extract(piped).metrics] == [
        (4812, None, None, None), (4590, 4655, -65, -1.4)]


def test_two_tables_side_by_side_are_read_as_two(lex, extract) -> None:
    piped = ("(단위 : 천원)\n수    입 | 금    액 | 지    출 | 금    액\n합    계 | 28,460,000 | 합    계 | 28,460,000\n"
             "영업수익 | 27,985,400 | 영업비용 | 27,592,600\n영업외수익 | 474,600 | 예비비 | 867,400\n  이자수익 | 186,000")
    [(columns, parts)] = _tables(piped, lex)
    rows = [(p[1], [c for c in p[2] if c]) for p in parts if p[0] == "row"]
    assert rows == [("합    계", ["28,460,000"]), ("영업수익", ["27,985,400"]), ("영업외수익", ["474,600"]),
                    ("이자수익", ["186,000"]), ("합    계", ["28,460,000"]), ("영업비용", ["27,592,600"]),
                    ("예비비", ["867,400"])]
    aligned = ("(단위 : 천원)\n       과    목           예 산 액           분    야        예 산 액\n"
               "합    계                  612,480,000    합    계            612,480,000\n"
               "지방세수입                248,615,000    일반공공행정         38,214,000\n"
               "세외수입                   62,384,000    사회복지            212,583,000\n"
               "                                         보건                  9,715,000\n"
               "                                         예비비                        -\n"
               "                                         기타                 75,450,000")
    assert [(m.subject, m.value) for m in extract(aligned).metrics] == [      # one value column a table: its label
        ("합계", 612480000000), ("지방세수입", 248615000000), ("세외수입", 62384000000),
        ("합계", 612480000000), ("일반공공행정", 38214000000), ("사회복지", 212583000000),
        ("보건", 9715000000), ("기타", 75450000000)]


def test_a_row_of_blank_cells_is_no_label_of_the_next(extract) -> None:
    text = ("(단위 : 천원)\n  과    목          결 산 액       비 율\n  보건              6,882,417       1.2\n"
            "  예비비                    -         -\n  기타             23,806,331       4.1")
    assert [(m.subject, m.value, m.unit) for m in extract(text).metrics] == [
        ("보건 결산액", 6882417000, "원"), ("보건 비율", 1.2, "%"), ("기타 결산액", 23806331000, "원"), ("기타 비율", 4.1, "%")]


def test_a_text_column_between_two_value_columns_is_no_second_table(lex) -> None:
    text = "| 사업명 | 예산 | 담당부서 | 집행액 |\n| 도로 정비 | 1,200 | 건설과 | 900 |\n| 하천 정비 | 800 | 건설과 | 700 |"
    [(columns, parts)] = _tables(text, lex)
    assert [p[1] for p in parts if p[0] == "row"] == ["도로 정비", "하천 정비"]
