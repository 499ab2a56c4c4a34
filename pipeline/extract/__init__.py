"""Stage 4: projects and metrics of one document, block by block.

The layout step (layout.py) cuts the document into prose lines and tables from the text
alone; then the document is read top to bottom with a little state (context.py): the
heading and the open items above (outline.py), the section of the last inline run, the
unit note. Prose lines are read sentence by sentence with their morphemes (prose.py),
tables cell by cell (tables.py, with budget.py for the free text inside them).
"""
from __future__ import annotations

from collections.abc import Iterable

from pipeline.extract.context import DocContext
from pipeline.extract.layout import Block, Prose, Table
from pipeline.extract.prose import needs_analysis, read_paragraph
from pipeline.extract.tables import read_table
from pipeline.lexicon import Lexicon
from pipeline.records import DocumentResult, Paragraph, Sentence

__all__ = ["analysis_wanted", "extract_document", "needs_analysis"]


def analysis_wanted(paragraphs: list[Paragraph], blocks: list[Block], lex: Lexicon) -> list[bool]:
    """Which paragraphs go to the analyser: prose and the free text of tables that can give
    rows, never a duplicate, never a paragraph that is only table structure."""
    wanted = [False] * len(paragraphs)
    for block in blocks:
        free = [block.para] if isinstance(block, Prose) else sorted(block.paragraphs - block.structure)
        for k in free:
            wanted[k] = not paragraphs[k].is_duplicate and needs_analysis(paragraphs[k].text, lex)
    return wanted


def extract_document(doc_id: str, blocks: list[Block], analysed: Iterable[tuple[Paragraph, list[Sentence]]],
                     lex: Lexicon, result: DocumentResult | None = None) -> DocumentResult:
    """The rows of one document, from its blocks and its paragraphs in order with their
    sentences (an empty list where nothing was analysed); consumed lazily, so tokens need
    not all be held at once. Rows are appended to `result` (a fresh one by default), whose
    lists may hand rows on as they come (process.RowSpool)."""
    ctx = DocContext(doc_id, lex, result if result is not None else DocumentResult())
    paragraphs = iter(analysed)
    for block in blocks:
        if isinstance(block, Table):
            read_table(ctx, block, {k: next(paragraphs) for k in sorted(block.paragraphs)})
        else:
            para, sentences = next(paragraphs)
            read_paragraph(ctx, para, sentences)
    return ctx.result
