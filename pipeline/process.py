"""One document through morphology and extraction: the unit of work a worker runs."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pipeline.extract import extract_document, needs_analysis
from pipeline.lexicon import Lexicon, build_lexicon
from pipeline.morphology import analyse
from pipeline.records import DocumentResult, Paragraph, Sentence
from pipeline.rules import load_rules

ANALYSIS_BATCH_CHARS = 200_000      # text per call to the analyser

_lexicon: Lexicon | None = None


def init_worker(rules_dirs: list[str], warm: bool = False) -> None:
    """Build the lexicon once per worker process; `warm`: also load the analyser and run it
    once (its first call initialises lazily), while the main process is still deduplicating."""
    global _lexicon
    _lexicon = build_lexicon(load_rules([Path(d) for d in rules_dirs]))
    if warm:
        try:
            analyse(["준비 1."])
        except Exception:  # noqa: BLE001 - only a head start: the first document meets the error and names it
            pass


def process_document(doc_id: str, paragraphs: list[Paragraph], lex: Lexicon | None = None) -> DocumentResult:
    """Analyse the paragraphs that can give rows (not duplicates), then extract.

    Only sentences that hold a figure, a numeral or a marker are analysed, a batch of
    paragraphs at a time, so memory stays bounded on a very long document.
    """
    lex = lex or _lexicon
    assert lex is not None, "init_worker was not called"
    return extract_document(doc_id, _analysed(paragraphs, lex), lex)


def _analysed(paragraphs: list[Paragraph], lex: Lexicon) -> Iterator[tuple[Paragraph, list[Sentence]]]:
    """Each paragraph with its sentences, analysed in batches of about ANALYSIS_BATCH_CHARS."""
    def needed(sentence: str) -> bool:
        return needs_analysis(sentence, lex)

    handed_on = 0
    batch: list[Paragraph] = []
    size = 0
    for index, para in enumerate(paragraphs):
        if not para.is_duplicate and needs_analysis(para.text, lex):
            batch.append(para)
            size += len(para.text)
        if size >= ANALYSIS_BATCH_CHARS or index == len(paragraphs) - 1:
            sentences = dict(zip((p.para_idx for p in batch), analyse([p.text for p in batch], needed)))
            for done in paragraphs[handed_on:index + 1]:
                yield done, sentences.get(done.para_idx, [])
            handed_on, batch, size = index + 1, [], 0
