"""Documents through one analysis stream: the rows of each document alone, whatever the
analyser's threads, and a document that raises costs only itself."""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from pipeline import morphology, process
from pipeline.dedup import mark_duplicates
from pipeline.ingest import normalise, split_paragraphs
from pipeline.records import Paragraph

TEXT = "\n".join([
    "주요 사업은 ▷도로 확장 20억원 ▷공영주차장 조성 31억원 등이다.",
    "▷도서관 건립 15억원",
    "서대문구의 인구는 32만6,359명에서 32만6,479명으로 120명 증가했다.",
    "구청장은 주민과 함께 하겠다고 말했다.",
    "(단위 : 천원)",
    "구분\t예산액\t전년도\t증감",
    "일반회계\t1,500\t1,200\t300",
] * 3)


def _document(doc_id: str, shift: int) -> tuple[str, list[Paragraph]]:
    paragraphs = split_paragraphs(doc_id, normalise(TEXT))
    for i, para in enumerate(paragraphs):          # numbered apart so that only repeats of a line are duplicates
        para.text = para.text.replace("20억원", f"{20 + i + shift}억원").replace("31억원", f"{31 + i + shift}억원")
    mark_duplicates(paragraphs)
    return doc_id, paragraphs


def _rows(result) -> tuple[list, list]:
    return ([(m.para_idx, m.value, m.subject, m.prev_value, m.project_id) for m in result.metrics],
            [(p.para_idx, p.section, p.name) for p in result.projects])


@pytest.fixture(params=[0, 2], ids=["in-thread", "two-threads"])
def threads(request: pytest.FixtureRequest) -> Iterator[int]:
    morphology.use_threads(request.param)
    yield request.param
    morphology.use_threads(0)


def test_a_run_of_documents_gives_each_document_its_own_rows(lex, threads: int) -> None:
    documents = [_document(f"doc{k}", 100 * k) for k in range(4)]
    alone = [_rows(process.process_document(doc_id, paragraphs, lex)) for doc_id, paragraphs in documents]
    together = [_rows(outcome) for outcome in process.process_documents(documents, lex)]
    assert len(together) == 4
    assert together == alone
    metrics, projects = alone[0]
    assert len(metrics) == 9 and len(projects) == 7          # repeated lines are duplicates
    assert [p[1] for p in projects] == ["주요 사업"] * 7
    assert alone[1][0][0][1] == alone[0][0][0][1] + 100 * 10**8   # each document its own figures


def test_a_document_that_raises_costs_only_itself(lex, monkeypatch: pytest.MonkeyPatch, threads: int) -> None:
    documents = [_document(f"doc{k}", 100 * k) for k in range(3)]
    expected = [_rows(process.process_document(doc_id, paragraphs, lex)) for doc_id, paragraphs in documents]
    extract = process.extract_document

    def failing(doc_id: str, blocks, analysed, lex, hint, lines=()):
        if doc_id == "doc1":
            next(iter(analysed))                     # fail part-way through its paragraphs
            raise ValueError("boom")
        return extract(doc_id, blocks, analysed, lex, hint, lines)

    monkeypatch.setattr(process, "extract_document", failing)
    first, failed, last = process.process_documents(documents, lex)
    assert isinstance(failed, process.DocumentFailure)
    assert re.fullmatch(r"processing failed: ValueError: boom \(process\.py:\d+\)", failed.reason), failed.reason
    assert [_rows(first), _rows(last)] == [expected[0], expected[2]]


def test_a_document_whose_reading_raises_costs_only_itself(lex, monkeypatch: pytest.MonkeyPatch) -> None:
    """Joining wrapped lines runs before the stream starts: its failure is the document's, at
    its turn, like the layout's (a user rule's pattern may time out there)."""
    documents = [_document(f"doc{k}", 100 * k) for k in range(3)]
    expected = [_rows(process.process_document(doc_id, paragraphs, lex)) for doc_id, paragraphs in documents]
    join = process.join_wrapped

    def failing(paragraphs, lex):
        if paragraphs[0].doc_id == "doc1":
            raise ValueError("boom")
        return join(paragraphs, lex)

    monkeypatch.setattr(process, "join_wrapped", failing)
    first, failed, last = process.process_documents(documents, lex)
    assert isinstance(failed, process.DocumentFailure) and "ValueError: boom" in failed.reason
    assert [_rows(first), _rows(last)] == [expected[0], expected[2]]


class _Told(process.StreamHooks):
    def __init__(self) -> None:
        self.events: list[str] = []

    def reached(self, k: int) -> None:
        self.events.append(f"reached {k}")

    def starting(self, k: int) -> None:
        self.events.append(f"starting {k}")


def test_the_stream_says_when_it_reaches_a_document_and_starts_extracting_it(lex, threads: int) -> None:
    """With threads the analyser reads ahead, so it may reach documents before their
    extraction starts: a worker that dies blames every document reached (shards.py)."""
    documents = [_document(f"doc{k}", 100 * k) for k in range(3)]
    hooks = _Told()
    outcomes = list(process.process_documents(documents, lex, hooks))
    assert [_rows(o) for o in outcomes] == [_rows(process.process_document(d, p, lex)) for d, p in documents]
    assert [e for e in hooks.events if e.startswith("reached")] == ["reached 0", "reached 1", "reached 2"]
    assert [e for e in hooks.events if e.startswith("starting")] == ["starting 0", "starting 1", "starting 2"]
