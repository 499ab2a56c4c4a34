"""One document's work: analysed in bounded batches, with the same rows as all at once."""
from __future__ import annotations

import pytest

from pipeline import process
from pipeline.dedup import mark_duplicates
from pipeline.ingest import normalise, split_paragraphs

TEXT = "\n".join([
    "주요 사업은 ▷도로 확장 20억원 ▷공영주차장 조성 31억원 등이다.",
    "▷도서관 건립 15억원",
    "서대문구의 인구는 32만6,359명에서 32만6,479명으로 120명 증가했다.",
    "구청장은 주민과 함께 하겠다고 말했다.",
    "(단위 : 천원)",
    "구분\t예산액\t전년도\t증감",
    "일반회계\t1,500\t1,200\t300",
] * 3)


def _rows(batch_chars: int, lex, monkeypatch: pytest.MonkeyPatch) -> tuple[list, list]:
    monkeypatch.setattr(process, "ANALYSIS_BATCH_CHARS", batch_chars)
    paragraphs = split_paragraphs("doc", normalise(TEXT))
    for i, para in enumerate(paragraphs):          # numbered apart so that none is a duplicate
        para.text = para.text.replace("20억원", f"{20 + i}억원")
    mark_duplicates(paragraphs)
    result = process.process_document("doc", paragraphs, lex)
    return ([(m.para_idx, m.value, m.subject, m.prev_value, m.project_id) for m in result.metrics],
            [(p.para_idx, p.section, p.name) for p in result.projects])


def test_small_batches_give_the_rows_of_one_batch(lex, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _rows(10**9, lex, monkeypatch)
    assert _rows(40, lex, monkeypatch) == whole
    metrics, projects = whole
    assert len(metrics) == 9 and len(projects) == 7          # repeated lines are duplicates
    assert [p[1] for p in projects] == ["주요 사업"] * 7
