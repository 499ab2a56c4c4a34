"""Prose wrapped at the page width: read as one paragraph, rows given back to their lines."""
from __future__ import annotations

from pipeline.extract.wrapped import join_wrapped
from pipeline.ingest import normalise, split_paragraphs

PAGE = ("2024회계연도 세입세출 결산 검토보고서\n"
        "    ❍ 세입은 예산현액 대비 104.2%인 9,870억원을 수납하였으며, 지방세 수입이 전년보다 3.1% 늘어난\n\n"
        "    2,415억원으로 증가를 이끌었다. 세외수입은 전년 대비 41억원 감소한 812억원에 그쳤고 이월액 98억\n\n"
        "    7천 2백만원을 포함한 세출 집행액은 8,640억원으로 집행률 88.2%를 기록하였다.\n"
        "    ❍ 세계잉여금은 1,230억원이며 이 가운데 순세계잉여금은 412억원이다.\n"
        "  주요과제\n")


def test_wrapped_lines_are_read_as_one_sentence_and_rows_point_at_their_own_line(extract) -> None:
    paragraphs = split_paragraphs("doc", normalise(PAGE))
    rows = [(m.subject, m.value, m.raw_text, m.change_pct, m.para_idx, paragraphs[m.para_idx].text[m.char_start:m.char_end])
            for m in extract(PAGE).metrics]
    assert rows == [
        ("세입", 104.2, "104.2%", None, 1, "104.2%"), ("세입", 987000000000, "9,870억원", None, 1, "9,870억원"),
        ("지방세 수입", 241500000000, "2,415억원", 3.1, 2, "2,415억원"),
        ("세외수입", 81200000000, "812억원", None, 2, "812억원"),
        ("이월액", 9872000000, "98억 7천 2백만원", None, 2, "98억"),          # a figure cut by the wrap: its first line
        ("세출 집행액", 864000000000, "8,640억원", None, 3, "8,640억원"), ("집행률", 88.2, "88.2%", None, 3, "88.2%"),
        ("세계잉여금", 123000000000, "1,230억원", None, 4, "1,230억원"),
        ("순세계잉여금", 41200000000, "412억원", None, 4, "412억원")]


def test_only_full_open_lines_before_a_closing_one_join(lex) -> None:
    """A short line (a heading), a table row, an item or a run that never closes its sentence
    stays on its own."""
    text = ("구 분 설명 자료 가운데 지역 현안 사업과 관련된 부분을 정리하면 다음과 같이 나뉜다\n주요과제\n"
            "- 다만 최근 시장소득 빈곤율 악화와 수급 비중 증가 등을 고려한 제도의 보장성 강화 필요\n"
            "사회복지봉사과 285,498,633 287,240,838 △1,742,205 국 227,928,454 분 6,228,407 시 51,341,772\n"
            "국 227,928,454 분 6,228,407 시 51,341,772 지역복지 기반확립 29,121,798 27,308,998 1,812,800\n"
            "○ 청년 일자리 사업은 올해부터 지난해보다 규모를 크게 늘려 관내 기업과 함께 모두 1,200개의 일자리를 만들어 내년까지\n"
            "  운영할 계획이다.")
    paragraphs = split_paragraphs("doc", normalise(text))
    joined, joints = join_wrapped(paragraphs, lex)
    assert [p.text for p in joined][:5] == [p.text for p in paragraphs][:5]
    assert joined[5].text == ("○ 청년 일자리 사업은 올해부터 지난해보다 규모를 크게 늘려 관내 기업과 함께 모두 1,200개의 일자리를 "
                              "만들어 내년까지 운영할 계획이다.") and len(joined) == 6 and len(joints) == 1
