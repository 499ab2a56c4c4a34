"""Repeated paragraphs: exact and near repeats, within and across documents; never when
numbers differ; across documents only prose."""
from __future__ import annotations

import pytest

from pipeline.dedup import DuplicateFinder, document_keys, is_prose, mark_duplicates
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
    paras = _paras(("a", "조충길 국장"), ("a", "조충길 국장님"), ("a", "조충길 국장"))
    assert mark_duplicates(paras) == 1
    assert paras[1].duplicate_of_doc is None and paras[2].duplicate_of_para == 0


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


BUDGET = [
    "부서: 노인복지과 (단위:천원)",                                  # a short line
    "□ 주요 추진사업",                                               # a heading
    "- 사업비 : 15억원 (국비 5억원, 구비 10억원을 포함한 전체 사업비 규모)",   # a field line
    "경로당 지원 800,000 750,000 50,000",                            # a table row
    "노인복지과\t5,500,000\t5,000,000\t500,000",                    # a tab-separated row
    "│ 합계 │ 1,500 │ 1,200 │ 300 │",                                # a box-drawn row
]


@pytest.mark.parametrize("text", BUDGET)
def test_structure_is_not_prose(text: str) -> None:
    assert not is_prose(text)


def test_running_text_is_prose() -> None:
    assert is_prose(LONG)
    assert is_prose("○ 구는 올해 경로당 냉난방비 지원에 8억원을 들여 어르신 쉼터를 늘린다고 밝혔다.")


def test_structure_repeated_across_documents_is_kept_but_a_reposted_paragraph_is_not() -> None:
    """A 본예산 and its 제1회 추경 share unchanged rows: each keeps its own; the press text
    reposted in both is one paragraph."""
    changed = "경로당 신축 300,000 0 300,000"
    paras = _paras(*(("본예산", t) for t in BUDGET), ("본예산", LONG),
                   *(("추경", t) for t in BUDGET), ("추경", changed), ("추경", LONG))
    assert mark_duplicates(paras) == 1
    assert [p.text for p in paras if p.duplicate_of_doc] == [LONG]
    assert (paras[-1].duplicate_of_doc, paras[-1].duplicate_of_para, paras[-1].duplicate_kind) == ("본예산", 6, "exact")


def test_structure_repeated_inside_a_document_is_still_a_duplicate() -> None:
    paras = _paras(*(("a", t) for t in BUDGET * 2))
    assert mark_duplicates(paras) == len(BUDGET)
    assert [p.duplicate_of_para for p in paras[len(BUDGET):]] == list(range(len(BUDGET)))


def test_dedup_document_keeps_repeats_across_documents_and_off_keeps_everything() -> None:
    texts = (("a", LONG), ("a", LONG), ("b", LONG))
    within = _paras(*texts)
    assert mark_duplicates(within, mode="document") == 1 and within[2].duplicate_of_doc is None
    assert mark_duplicates(_paras(*texts), mode="off") == 0


def test_a_whole_document_repeating_an_earlier_one_is_its_duplicate() -> None:
    original = [*BUDGET, LONG, BUDGET[0]]
    docs = [[Paragraph(d, i, i + 1, t) for i, t in enumerate(original)] for d in ("a", "b")]
    docs.append([Paragraph("c", i, i + 1, t) for i, t in enumerate(original[:-1])])      # not the same text
    finder = DuplicateFinder("run")
    for paras in docs:
        finder.add(document_keys(paras))
    marks = list(finder.resolve(lambda doc, idx: []))
    assert [m.duplicate_of for m in marks] == [None, 0, None]
    # every paragraph of the copy points where the original's does: its last line to the first
    assert [(m.para, m.of_doc, m.of_para) for m in marks[1].marks] == [(i, 0, i) for i in range(7)] + [(7, 0, 0)]
    assert [m.para for m in marks[2].marks] == [6]                      # only the prose is repeated


def test_only_paragraphs_in_groups_with_two_texts_are_read_for_near_repeats() -> None:
    edited = LONG.replace("희망서대문을", "희망 서대문을")
    docs = [["다른 문단은 31개 사업을 포함한 전체 예산 규모를 설명하는 문장이라고 밝혔다.", LONG], [LONG, edited]]
    finder = DuplicateFinder("run")
    for d, texts in enumerate(docs):
        finder.add(document_keys([Paragraph(str(d), i, i + 1, t) for i, t in enumerate(texts)]))
    asked: list[tuple[int, list[int]]] = []

    def texts(doc: int, idx: list[int]) -> list[str]:
        asked.append((doc, idx))
        return [docs[doc][i] for i in idx]
    marks = list(finder.resolve(texts))
    assert asked == [(0, [1]), (1, [0, 1])]
    assert [(m.para, m.of_doc, m.of_para, m.kind) for m in marks[1].marks] == [(0, 0, 1, "exact"), (1, 0, 1, "near")]
