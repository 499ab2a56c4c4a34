"""Documents through morphology and extraction: the work a worker process runs.

A worker takes a run of documents and sends all their paragraphs through its analyser as
one stream: the analyser's threads analyse the next paragraphs while this thread extracts
rows from the ones that came back, and no document waits for the analyser to start again.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import tee
from operator import itemgetter
from typing import Any

from pipeline.extract import Analysis, YearHint, analysis_wanted, extract_document, needs_analysis
from pipeline.extract.layout import Block, layout
from pipeline.extract.wrapped import Joint, back_to_lines, join_wrapped
from pipeline.lexicon import Lexicon, build_lexicon
from pipeline.lookalikes import as_written, for_reading
from pipeline.morphology import analyse_stream
from pipeline.reasons import error_reason
from pipeline.records import DocumentResult, Paragraph, Sentence
from pipeline.report import CharCounter
from pipeline.rules import RuleSet

_lexicons: dict[str, Lexicon] = {}   # rules digest -> lexicon, built once per worker process
_counter = CharCounter(None)         # characters done, for the run's progress bar


def use_lexicon(rules: RuleSet, lex: Lexicon | None = None) -> Lexicon:
    """This process's lexicon for these rules: built once (or given, already built by the
    process that forked this one), then kept for every later task."""
    if rules.digest not in _lexicons:
        _lexicons[rules.digest] = lex or build_lexicon(rules)
    return _lexicons[rules.digest]


def lexicon_known(digest: str) -> bool:
    return digest in _lexicons


def lexicon(digest: str) -> Lexicon:
    assert digest in _lexicons, "use_lexicon was not called in this worker"
    return _lexicons[digest]


def count_characters(queue: Any) -> None:
    """This worker counts the characters it is done with into `queue` (the run's progress
    bar), or into nothing when the queue is None."""
    global _counter
    _counter = CharCounter(queue)


@dataclass
class DocumentFailure:
    """A document whose processing raised: the reason, already one line for the tables."""
    reason: str


class StreamHooks:
    """What a caller of process_documents learns as the stream goes (all no-ops here)."""

    def reached(self, k: int) -> None:
        """The analyser stream has come to document k: from now on it may die on it."""

    def starting(self, k: int) -> None:
        """The extraction of document k starts now."""


def process_document(doc_id: str, paragraphs: list[Paragraph], lex: Lexicon,
                     hint: YearHint = YearHint()) -> DocumentResult:
    """Analyse the paragraphs that can give rows (not duplicates), then extract; errors raise."""
    reading, blocks = _prepare(paragraphs, lex)
    wanted = analysis_wanted(reading.lines, blocks, lex)
    stream = _stream([reading.lines], [wanted], lex)
    return reading.back(extract_document(doc_id, blocks, _paired(reading.lines, wanted, stream), lex, hint,
                                         reading.lines))


def process_documents(documents: list[tuple[str, list[Paragraph]]], lex: Lexicon,
                      hooks: StreamHooks | None = None,
                      hints: list[YearHint] | None = None) -> Iterator[DocumentResult | DocumentFailure]:
    """process_document for each (doc_id, paragraphs), through one analysis stream, each
    outcome as soon as its document is done; a document that raises gets a DocumentFailure
    and costs the others nothing (the stream starts again after it, since the analyser may
    have been what raised). `hints`: what the run knows of each one's year."""
    hooks = hooks or StreamHooks()
    hints = hints or [YearHint()] * len(documents)
    done = 0
    while done < len(documents):
        todo = documents[done:]
        prepared = [_prepared(paragraphs, lex) for _, paragraphs in todo]
        lines = [ready[0].lines if ready else paragraphs for (_, paragraphs), ready in zip(todo, prepared)]
        wanted = [analysis_wanted(doc_lines, ready[1], lex) if ready else [Analysis.NONE] * len(doc_lines)
                  for doc_lines, ready in zip(lines, prepared)]
        stream = _stream(lines, wanted, lex, lambda k, first=done: hooks.reached(first + k))
        for k, ((doc_id, paragraphs), doc_lines, flags, ready) in enumerate(zip(todo, lines, wanted, prepared), done):
            hooks.starting(k)
            try:
                reading, blocks = ready or _prepare(paragraphs, lex)   # raises again: the reason of this document
                outcome: DocumentResult | DocumentFailure = reading.back(
                    extract_document(doc_id, blocks, _paired(doc_lines, flags, stream), lex, hints[k], doc_lines))
            except Exception as exc:  # noqa: BLE001 - any stage error costs only this document
                outcome = DocumentFailure(error_reason("processing", exc))
            done += 1
            _counter.flush()
            yield outcome
            if isinstance(outcome, DocumentFailure):
                break


@dataclass
class _Reading:
    """A document as extraction reads it (look-alike dots as one, wrapped prose lines joined),
    and the way back to its own lines and characters."""
    written: list[Paragraph]
    read: list[Paragraph]
    lines: list[Paragraph]
    joints: list[Joint]

    def back(self, result: DocumentResult) -> DocumentResult:
        return as_written(back_to_lines(result, self.joints), self.written, self.read)


def _prepare(paragraphs: list[Paragraph], lex: Lexicon) -> tuple[_Reading, list[Block]]:
    """The document as read, and its blocks."""
    read = for_reading(paragraphs)
    lines, joints = join_wrapped(read, lex)
    return _Reading(paragraphs, read, lines, joints), layout(lines, lex)


def _stream(documents: list[list[Paragraph]], wanted: list[list[Analysis]], lex: Lexicon,
            reached: Callable[[int], None] | None = None) -> Iterator[list[Sentence]]:
    """One analysis stream over the wanted paragraphs of the documents, in order; within them
    only sentences with a figure, a numeral or a marker are analysed, unless all are wanted."""
    def texts() -> Iterator[tuple[str, bool]]:
        for k, (paragraphs, flags) in enumerate(zip(documents, wanted)):
            if reached is not None:
                reached(k)
            yield from ((p.text, w == Analysis.WHOLE) for p, w in zip(paragraphs, flags) if w)
    plain, whole = tee(texts())
    return analyse_stream(map(itemgetter(0), plain), lambda sentence: needs_analysis(sentence, lex),
                          map(itemgetter(1), whole))


def _prepared(paragraphs: list[Paragraph], lex: Lexicon) -> tuple[_Reading, list[Block]] | None:
    """_prepare, or None when it fails on the document (which then fails alone, when its turn
    comes)."""
    try:
        return _prepare(paragraphs, lex)
    except Exception:  # noqa: BLE001
        return None


def _paired(paragraphs: list[Paragraph], wanted: list[Analysis],
            stream: Iterator[list[Sentence]]) -> Iterator[tuple[Paragraph, list[Sentence]]]:
    """Each paragraph with its sentences: the next ones from the stream where it was sent
    to the analyser, none where it was not (counted for the progress bar as it is handed on:
    the last paragraph of a document is never asked for again)."""
    for para, want in zip(paragraphs, wanted):
        sentences = next(stream) if want else []
        _counter.add(len(para.text))
        yield para, sentences
