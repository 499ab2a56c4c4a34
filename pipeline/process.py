"""Documents through morphology and extraction: the work a worker process runs.

A worker takes a run of documents and sends all their paragraphs through its analyser as
one stream: the analyser's threads analyse the next paragraphs while this thread extracts
rows from the ones that came back, and no document waits for the analyser to start again.
"""
from __future__ import annotations

from collections.abc import Iterator
from itertools import tee
from operator import itemgetter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.extract import Analysis, YearHint, analysis_wanted, extract_document, needs_analysis
from pipeline.extract.layout import layout
from pipeline.lexicon import Lexicon, build_lexicon
from pipeline.morphology import analyse_stream, analyser, use_threads
from pipeline.reasons import error_reason
from pipeline.records import DocumentResult, Paragraph, Sentence
from pipeline.report import CharCounter
from pipeline.rules import load_rules

_lexicon: Lexicon | None = None
_counter = CharCounter(None)         # characters done, for the run's progress bar


@dataclass
class DocumentFailure:
    """A document whose processing raised: the reason, already one line for the tables."""
    reason: str


def init_worker(rules_dirs: list[str], threads: int = 0, warm: bool = False, progress: Any = None) -> None:
    """Build the lexicon once per worker process and say how many threads its analyser runs;
    `warm`: also load the analyser and run it once (its first call initialises lazily),
    while the main process is still deduplicating; `progress`: the queue the run's progress
    bar counts characters from."""
    global _lexicon, _counter
    _lexicon = build_lexicon(load_rules([Path(d) for d in rules_dirs]))
    _counter = CharCounter(progress)
    use_threads(threads)
    if warm:
        try:
            analyser().tokenize("준비 1.")
        except Exception:  # noqa: BLE001 - only a head start: the first document meets the error and names it
            pass


def process_document(doc_id: str, paragraphs: list[Paragraph], lex: Lexicon | None = None,
                     hint: YearHint = YearHint()) -> DocumentResult:
    """Analyse the paragraphs that can give rows (not duplicates), then extract; errors raise."""
    lex = _worker_lexicon(lex)
    blocks = layout(paragraphs, lex)
    wanted = analysis_wanted(paragraphs, blocks, lex)
    return extract_document(doc_id, blocks, _paired(paragraphs, wanted, _stream([paragraphs], [wanted], lex)), lex,
                            hint)


def process_documents(documents: list[tuple[str, list[Paragraph]]], lex: Lexicon | None = None,
                      hints: list[YearHint] | None = None) -> list[DocumentResult | DocumentFailure]:
    """process_document for each (doc_id, paragraphs), through one analysis stream; a document
    that raises gets a DocumentFailure and costs the others nothing (the stream starts again
    after it, since the analyser may have been what raised). `hints`: each one's year hint."""
    lex = _worker_lexicon(lex)
    hints = hints or [YearHint()] * len(documents)
    outcomes: list[DocumentResult | DocumentFailure] = []
    while len(outcomes) < len(documents):
        todo = documents[len(outcomes):]
        todo_hints = hints[len(outcomes):]
        blocks = [_layout(paragraphs, lex) for _, paragraphs in todo]
        wanted = [analysis_wanted(paragraphs, b, lex) if b is not None else [Analysis.NONE] * len(paragraphs)
                  for (_, paragraphs), b in zip(todo, blocks)]
        stream = _stream([paragraphs for _, paragraphs in todo], wanted, lex)
        for (doc_id, paragraphs), flags, doc_blocks, hint in zip(todo, wanted, blocks, todo_hints):
            try:
                if doc_blocks is None:
                    layout(paragraphs, lex)                   # raises again: the reason of this document
                outcomes.append(extract_document(doc_id, doc_blocks, _paired(paragraphs, flags, stream), lex, hint))
            except Exception as exc:  # noqa: BLE001 - any stage error costs only this document
                outcomes.append(DocumentFailure(error_reason("processing", exc)))
                break
    _counter.flush()
    return outcomes


def _worker_lexicon(lex: Lexicon | None) -> Lexicon:
    lex = lex or _lexicon
    assert lex is not None, "init_worker was not called"
    return lex


def _stream(documents: list[list[Paragraph]], wanted: list[list[Analysis]], lex: Lexicon) -> Iterator[list[Sentence]]:
    """One analysis stream over the wanted paragraphs of the documents, in order; within them
    only sentences with a figure, a numeral or a marker are analysed, unless all are wanted."""
    texts, whole = tee((p.text, w == Analysis.WHOLE) for paragraphs, flags in zip(documents, wanted)
                       for p, w in zip(paragraphs, flags) if w)
    return analyse_stream(map(itemgetter(0), texts), lambda sentence: needs_analysis(sentence, lex),
                          map(itemgetter(1), whole))


def _layout(paragraphs: list[Paragraph], lex: Lexicon) -> list | None:
    """The document's blocks; None when the layout step fails on it (the document then fails
    alone, when its turn comes)."""
    try:
        return layout(paragraphs, lex)
    except Exception:  # noqa: BLE001
        return None


def _paired(paragraphs: list[Paragraph], wanted: list[bool],
            stream: Iterator[list[Sentence]]) -> Iterator[tuple[Paragraph, list[Sentence]]]:
    """Each paragraph with its sentences: the next ones from the stream where it was sent
    to the analyser, none where it was not."""
    for para, want in zip(paragraphs, wanted):
        yield para, next(stream) if want else []
        _counter.add(len(para.text))
