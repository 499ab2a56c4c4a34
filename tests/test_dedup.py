"""Repeated paragraphs: exact and near repeats, within and across documents; never when numbers differ."""
from __future__ import annotations

from pipeline.dedup import mark_duplicates
from pipeline.records import Paragraph

LONG = "서대문구는 올해 사람중심도시 희망서대문을 슬로건으로 복지와 경제, 교육문화 사업을 추진한다고 밝혔다."


def _paras(*texts: tuple[str, str]) -> list[Paragraph]:
    counts: dict[str, int] = {}
    out = []
    for doc, text in texts:
        counts[doc] = counts.get(doc, -1) + 1
        out.append(Paragraph(doc, counts[doc], counts[doc] + 1, text))
    return out


def test_exact_repeat_inside_and_across_documents_points_to_the_first() -> None:
    paras = _paras(("a", LONG), ("a", "다른 문단입니다."), ("a", LONG), ("b", "  " + LONG + " "))
    assert mark_duplicates(paras) == 2
    assert [(p.duplicate_of_doc, p.duplicate_of_para, p.duplicate_kind) for p in paras] == [
        (None, None, None), (None, None, None), ("a", 0, "exact"), ("a", 0, "exact")]


def test_near_repeat_with_small_edits_is_a_duplicate() -> None:
    edited = LONG.replace("희망서대문을", "희망 서대문을").replace("밝혔다.", "밝혔다!")
    paras = _paras(("a", LONG), ("b", edited))
    assert mark_duplicates(paras) == 1
    assert (paras[1].duplicate_of_doc, paras[1].duplicate_kind) == ("a", "near")


def test_paragraphs_whose_numbers_differ_are_never_duplicates() -> None:
    one = "서대문구의 인구는 32만6,359명에서 32만6,479명으로 120명 증가했으며 예산도 늘었다고 보고했다."
    other = one.replace("120명", "121명")
    paras = _paras(("a", one), ("a", other))
    assert mark_duplicates(paras) == 0


def test_short_paragraphs_are_only_compared_exactly() -> None:
    paras = _paras(("a", "조충길 국장"), ("a", "조충길 국장님"), ("b", "조충길 국장"))
    assert mark_duplicates(paras) == 1
    assert paras[1].duplicate_of_doc is None and paras[2].duplicate_of_doc == "a"


def test_paragraphs_that_differ_in_a_scale_word_are_not_duplicates() -> None:
    base = "올해 청년 창업 지원 사업에 3억원을 투입해 모두 200개 기업을 지원한다고 구는 밝혔다."
    paras = _paras(("a", base), ("a", base.replace("3억원", "3만원")), ("a", base.replace("3억원", "3천만원")))
    assert mark_duplicates(paras) == 0


def test_a_near_repeat_is_found_among_several_paragraphs_with_its_numbers() -> None:
    other = "올해 2억원을 들여 경로당 냉방기를 교체하고 어르신 건강 프로그램을 새로 운영한다고 구는 설명했다."
    base = "올해 2억원을 들여 청년 창업 공간을 새로 만들고 입주 기업 지원 프로그램을 운영한다고 구는 밝혔다."
    edited = base.replace("청년 창업", "청년창업").replace("밝혔다.", "밝혔다!")
    paras = _paras(("a", other), ("a", base), ("b", base.replace("2억원", "5억원")), ("b", edited), ("c", edited))
    assert mark_duplicates(paras) == 2
    assert [(p.duplicate_of_doc, p.duplicate_of_para, p.duplicate_kind) for p in paras] == [
        (None, None, None), (None, None, None), (None, None, None), ("a", 1, "near"), ("a", 1, "near")]


def test_paragraphs_whose_numbers_no_other_has_cost_no_signature(monkeypatch) -> None:
    import pipeline.dedup as dedup

    def refuse(skel: str):
        raise AssertionError("no signature is needed")

    monkeypatch.setattr(dedup, "_minhash", refuse)
    paras = _paras(*(("a", LONG.replace("올해", f"{2000 + i}년")) for i in range(50)))
    assert mark_duplicates(paras) == 0
