"""One document through morphology and extraction: the unit of work a worker runs."""
from __future__ import annotations

from pathlib import Path

from pipeline.extract import extract_document, needs_analysis
from pipeline.lexicon import Lexicon, build_lexicon
from pipeline.morphology import analyse
from pipeline.records import DocumentResult, Paragraph
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

    Only sentences that hold a figure, a numeral or a marker are analysed.
    """
    lex = lex or _lexicon
    assert lex is not None, "init_worker was not called"

    def needed(sentence: str) -> bool:
        return needs_analysis(sentence, lex)

    todo = [p for p in paragraphs if not p.is_duplicate and needs_analysis(p.text, lex)]
    analyses = {}
    batch: list[Paragraph] = []
    size = 0
    for para in todo:
        batch.append(para)
        size += len(para.text)
        if size >= ANALYSIS_BATCH_CHARS:
            analyses.update(zip((p.para_idx for p in batch), analyse([p.text for p in batch], needed)))
            batch, size = [], 0
    if batch:
        analyses.update(zip((p.para_idx for p in batch), analyse([p.text for p in batch], needed)))
    return extract_document(doc_id, paragraphs, analyses, lex)
