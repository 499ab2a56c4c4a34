"""Documents through morphology and extraction: the work a worker process runs.

A worker takes a run of documents and sends all their paragraphs through its analyser as
one stream: the analyser's threads analyse the next paragraphs while this thread extracts
rows from the ones that came back, and no document waits for the analyser to start again.
Rows can be handed on while a document is still being read (`RowSpool`), so that a dump
on one line never has all its rows in memory at once.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pipeline.extract import analysis_wanted, extract_document, needs_analysis
from pipeline.extract.layout import Block, layout
from pipeline.lexicon import Lexicon, build_lexicon
from pipeline.morphology import analyse_stream
from pipeline.reasons import error_reason
from pipeline.records import DocumentResult, Paragraph, Sentence
from pipeline.rules import RuleSet

SPOOL_ROWS = 1024       # rows handed on at once; fewer stay until the document ends

_lexicons: dict[str, Lexicon] = {}   # rules digest -> lexicon, built once per worker process


def use_lexicon(rules: RuleSet, lex: Lexicon | None = None) -> Lexicon:
    """This process's lexicon for these rules: built once (or given, already built by the
    process that forked this one), then kept for every later task."""
    if rules.digest not in _lexicons:
        _lexicons[rules.digest] = lex or build_lexicon(rules)
    return _lexicons[rules.digest]


def lexicon(digest: str) -> Lexicon:
    assert digest in _lexicons, "use_lexicon was not called in this worker"
    return _lexicons[digest]


@dataclass
class DocumentFailure:
    """A document whose processing raised: the reason, already one line for the tables."""
    reason: str


class DocumentFailed(Exception):
    """Raised by a hook to fail the document with this reason (a result that cannot be stored)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StreamHooks:
    """What a caller of process_documents learns as the stream goes (all no-ops here)."""

    def reached(self, k: int) -> None:
        """The analyser stream has come to document k: from now on it may die on it."""

    def result(self, k: int) -> DocumentResult:
        """The result document k's rows are added to; its extraction starts now."""
        return DocumentResult()

    def paragraph(self, k: int, para_idx: int) -> None:
        """Extraction of document k has come to paragraph para_idx: rows of paragraphs two
        or more before it are final (only the last row may still be completed)."""


def process_document(doc_id: str, paragraphs: list[Paragraph], lex: Lexicon) -> DocumentResult:
    """Analyse the paragraphs that can give rows (not duplicates), then extract; errors raise."""
    blocks = layout(paragraphs, lex)
    wanted = analysis_wanted(paragraphs, blocks, lex)
    return extract_document(doc_id, blocks, _paired(paragraphs, wanted, _stream([paragraphs], [wanted], lex)), lex)


def process_documents(documents: list[tuple[str, list[Paragraph]]], lex: Lexicon,
                      hooks: StreamHooks | None = None) -> Iterator[DocumentResult | DocumentFailure]:
    """process_document for each (doc_id, paragraphs), through one analysis stream, each
    outcome as soon as its document is done; a document that raises gets a DocumentFailure
    and costs the others nothing (the stream starts again after it, since the analyser may
    have been what raised)."""
    hooks = hooks or StreamHooks()
    done = 0
    while done < len(documents):
        todo = documents[done:]
        blocks = [_layout(paragraphs, lex) for _, paragraphs in todo]
        wanted = [analysis_wanted(paragraphs, b, lex) if b is not None else [False] * len(paragraphs)
                  for (_, paragraphs), b in zip(todo, blocks)]
        stream = _stream([paragraphs for _, paragraphs in todo], wanted, lex,
                         lambda k, first=done: hooks.reached(first + k))
        for k, ((doc_id, paragraphs), flags, doc_blocks) in enumerate(zip(todo, wanted, blocks), done):
            try:
                if doc_blocks is None:
                    layout(paragraphs, lex)                   # raises again: the reason of this document
                paired = _paired(paragraphs, flags, stream, lambda para, k=k: hooks.paragraph(k, para))
                outcome: DocumentResult | DocumentFailure = extract_document(doc_id, doc_blocks, paired, lex,
                                                                              hooks.result(k))
            except DocumentFailed as exc:
                outcome = DocumentFailure(exc.reason)
            except Exception as exc:  # noqa: BLE001 - any stage error costs only this document
                outcome = DocumentFailure(error_reason("processing", exc))
            done += 1
            yield outcome
            if isinstance(outcome, DocumentFailure):
                break


def _stream(documents: list[list[Paragraph]], wanted: list[list[bool]], lex: Lexicon,
            reached: Callable[[int], None] | None = None) -> Iterator[list[Sentence]]:
    """One analysis stream over the wanted paragraphs of the documents, in order; within them
    only sentences with a figure, a numeral or a marker are analysed."""
    def texts() -> Iterator[str]:
        for k, (paragraphs, flags) in enumerate(zip(documents, wanted)):
            if reached is not None:
                reached(k)
            yield from (p.text for p, w in zip(paragraphs, flags) if w)
    return analyse_stream(texts(), lambda sentence: needs_analysis(sentence, lex))


def _layout(paragraphs: list[Paragraph], lex: Lexicon) -> list[Block] | None:
    """The document's blocks; None when the layout step fails on it (the document then fails
    alone, when its turn comes)."""
    try:
        return layout(paragraphs, lex)
    except Exception:  # noqa: BLE001
        return None


def _paired(paragraphs: list[Paragraph], wanted: list[bool], stream: Iterator[list[Sentence]],
            pulled: Callable[[int], None] | None = None) -> Iterator[tuple[Paragraph, list[Sentence]]]:
    """Each paragraph with its sentences: the next ones from the stream where it was sent
    to the analyser, none where it was not."""
    for para, want in zip(paragraphs, wanted):
        if pulled is not None:
            pulled(para.para_idx)
        yield para, next(stream) if want else []


class RowSpool:
    """The rows of one table of one document as extraction appends them (it only appends
    and counts), handed to `emit` in chunks of SPOOL_ROWS once no later paragraph can change
    them; `close` hands on the rest."""

    def __init__(self, emit: Callable[[list[Any]], None]) -> None:
        self.emit = emit
        self.pending: list[Any] = []
        self.handed = 0

    def append(self, row: Any) -> None:
        self.pending.append(row)

    def __len__(self) -> int:
        return self.handed + len(self.pending)

    def release(self, before_para: int) -> None:
        """Hand on the leading rows of paragraphs before `before_para`, when there are enough."""
        if len(self.pending) < SPOOL_ROWS:
            return
        final = 0
        while final < len(self.pending) and self.pending[final].para_idx < before_para:
            final += 1
        if final >= SPOOL_ROWS:
            self.emit(self.pending[:final])
            self.handed += final
            del self.pending[:final]

    def close(self) -> list[Any]:
        """The rows not handed on yet (the caller writes them)."""
        rest, self.pending = self.pending, []
        self.handed += len(rest)
        return rest
