"""Look-alike middle dots: read as one character, written back in the rows as the text has them."""
from __future__ import annotations

from pipeline.lookalikes import as_written, for_reading
from pipeline.records import DocumentResult, Metric, Paragraph


def _para(k: int, text: str) -> Paragraph:
    return Paragraph("doc", k, k + 1, text)


def test_only_paragraphs_with_a_look_alike_are_copied_for_reading() -> None:
    plain, dotted = _para(0, "국·도비 120억원"), _para(1, "국ㆍ도비 보조금 684억원")
    read = for_reading([plain, dotted])
    assert read[0] is plain
    assert read[1].text == "국·도비 보조금 684억원" and dotted.text == "국ㆍ도비 보조금 684억원"


def test_rows_get_the_dots_of_the_place_they_were_read_from(extract) -> None:
    text = "□ 경제ㆍ일자리 분야\n○ 국ㆍ도비 보조사업 2,264억원 확보\n○ 아현⋅서대문권역 도시재생 12개소"
    result = extract(text)
    assert [(p.section, p.name) for p in result.projects] == [
        (None, "경제ㆍ일자리 분야"), ("경제ㆍ일자리 분야", "국ㆍ도비 보조사업 2,264억원 확보"),
        ("경제ㆍ일자리 분야", "아현⋅서대문권역 도시재생")]
    assert [(m.subject, m.sentence) for m in result.metrics] == [
        ("국ㆍ도비 보조사업", "○ 국ㆍ도비 보조사업 2,264억원 확보"),
        ("아현⋅서대문권역 도시재생", "○ 아현⋅서대문권역 도시재생 12개소")]


def test_a_word_joined_from_two_places_takes_each_dot_from_its_neighbours() -> None:
    written = [_para(0, "읍ㆍ면 센터"), _para(1, "시⋅군 협력")]
    read = for_reading(written)
    row = Metric(metric_id="m", doc_id="doc", para_idx=0, sent_idx=0, subject="읍·면센터 시·군협력", value=1.0,
                 value_max=None, unit="개", unit_category="count", qualifier=None, raw_text="1개", prev_value=None,
                 change_value=None, change_pct=None, direction=None, period=None, prev_period=None, indicator=None,
                 project_id=None, char_start=0, char_end=1, sentence="", source_kind="text", rule_id="")
    result = as_written(DocumentResult(metrics=[row], warnings=["line 1: row '읍·면': no figure"]), written, read)
    assert result.metrics[0].subject == "읍ㆍ면센터 시⋅군협력"
    assert result.warnings == ["line 1: row '읍ㆍ면': no figure"]
