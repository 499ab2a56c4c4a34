"""Stage 4: projects and metrics of one document, block by block.

The layout step (layout.py) cuts the document into prose lines and tables from the text
alone; then the document is read top to bottom with a little state (context.py): the
heading and the open items above (outline.py), the section of the last inline run, the
unit note. Prose lines are read sentence by sentence with their morphemes (prose.py),
tables cell by cell (tables.py, with budget.py for the free text inside them).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import IntEnum

import regex

from pipeline.extract.context import DocContext
from pipeline.extract.layout import Block, Prose, Table
from pipeline.extract.outline import ORDINAL
from pipeline.extract.periods import YearHint, dateline_year, document_year, resolve_years
from pipeline.extract.projects import opens_with_marker
from pipeline.extract.prose import needs_analysis, read_paragraph
from pipeline.extract.tables import read_table
from pipeline.extract.units import totals_broken_down, unit_note
from pipeline.lexicon import Lexicon
from pipeline.morphology import rough_sentences
from pipeline.records import DocumentResult, Metric, Paragraph, Sentence

__all__ = ["Analysis", "YearHint", "analysis_wanted", "extract_document", "needs_analysis"]


class Analysis(IntEnum):
    """How much of a paragraph goes to the analyser."""
    NONE = 0
    FIGURES = 1        # the sentences with a figure, a numeral word or a marker
    WHOLE = 2          # every sentence: a prose line right above a list may be its lead-in


LEAD_IN_LINES = 2      # prose lines above a list read as its lead-in
LEAD_IN_WORDS = 2      # words before a run that name no section of their own (`또한 시는 △…`)


def analysis_wanted(paragraphs: list[Paragraph], blocks: list[Block], lex: Lexicon) -> list[Analysis]:
    """Which paragraphs go to the analyser: prose and the free text of tables that can give
    rows, never a duplicate, never a paragraph that is only table structure; the prose lines
    right above a line that opens with a marker go whole (`셋째로, 농어촌 활력 분야입니다.`), and
    so do the lines that open a speech's numbered point (`둘째, …`) and the lines where a run
    of items opens a sentence after the first (`…사업도 함께 담겼다. 시는 △…`: the sentence
    before names the run)."""
    wanted = [Analysis.NONE] * len(paragraphs)
    prose = [block.para for block in blocks if isinstance(block, Prose)]
    for block in blocks:
        free = [block.para] if isinstance(block, Prose) else sorted(block.paragraphs - block.structure)
        for k in free:
            if not paragraphs[k].is_duplicate and needs_analysis(paragraphs[k].text, lex):
                wanted[k] = Analysis.FIGURES
    for i, k in enumerate(prose):
        if not paragraphs[k].is_duplicate and (ORDINAL.match(paragraphs[k].text.lstrip())
                                               or _run_opens_a_later_sentence(paragraphs[k].text, lex)):
            wanted[k] = Analysis.WHOLE                   # 셋째, …: a speech's point; …담겼다. 시는 △…
        if not opens_with_marker(paragraphs[k].text, lex):
            continue
        for j in range(i - 1, max(i - 1 - LEAD_IN_LINES, -1), -1):
            above = paragraphs[prose[j]]
            if above.line_no != paragraphs[prose[j + 1]].line_no - 1 or above.is_duplicate \
                    or opens_with_marker(above.text, lex):
                break
            wanted[prose[j]] = Analysis.WHOLE
    return wanted


def _run_opens_a_later_sentence(text: str, lex: Lexicon) -> bool:
    """An inline marker within the first two words of a sentence that is not the line's first,
    or of the last clause of one (`… 진행 중이며, 올해는 △…`)."""
    if not lex.some_inline_marker.search(text):
        return False
    for a, b in rough_sentences(text)[1:]:
        m = lex.some_inline_marker.search(text, a, b)
        if m is not None and len(text[max(a, text.rfind(",", a, m.start()) + 1):m.start()].split()) <= LEAD_IN_WORDS:
            return True
    return False


def extract_document(doc_id: str, blocks: list[Block], analysed: Iterable[tuple[Paragraph, list[Sentence]]],
                     lex: Lexicon, hint: YearHint = YearHint(), lines: Sequence[Paragraph] = ()) -> DocumentResult:
    """The rows of one document, from its blocks and its paragraphs in order with their
    sentences (an empty list where nothing was analysed); consumed lazily, so tokens need
    not all be held at once. `hint`: what the run knows of the document's year; `lines`:
    the same paragraphs, for what a line says of the lines below it (a total's breakdown)."""
    ctx = DocContext(doc_id, lex, totals_broken_down=totals_broken_down(lines, lex))
    paragraphs = iter(analysed)
    in_head = True                               # the title and deck lines above the body
    title, dateline = None, None
    titled: list[int] = []                       # paragraphs of the lines right above a table
    last_prose: Paragraph | None = None
    for block in blocks:
        if isinstance(block, Table):
            in_head = False
            if last_prose is not None and last_prose.para_idx >= min(block.paragraphs) - 2:
                titled.append(last_prose.para_idx)
            read_table(ctx, block, {k: next(paragraphs) for k in sorted(block.paragraphs)})
            last_prose = None
            continue
        para, sentences = next(paragraphs)
        if len(para.text.strip()) > NOTE_LINE_MAX or not unit_note(para.text, lex):
            last_prose = para                    # (a unit note between a title and its table is neither)
        text = para.text.strip()
        title = text if title is None else title
        dateline = dateline_year(text, lex) if dateline is None else dateline
        if in_head and (_BODY.search(text) or len(text) >= BODY_MIN_CHARS):
            in_head = False
            ctx.head_paragraphs = {m.para_idx for m in ctx.result.metrics}
        read_paragraph(ctx, para, sentences)
    _drop_restated_headline_figures(ctx)
    _drop_table_titles(ctx, set(titled))
    _directions_of_earlier_figures(ctx.result.metrics)
    year = document_year(hint, dateline, title or "", lex)
    ctx.result.year, ctx.result.year_source = year.year, year.source
    resolve_years(ctx.result.metrics, year.year, lex)
    return ctx.result


_BODY = regex.compile(r"(?:다|음|함|요|임)\s*[.!?]\s*[\"”'’)]*$")      # a sentence closed with its stop
BODY_MIN_CHARS = 100      # a headline or deck line is shorter than that, and has no final stop


NOTE_LINE_MAX = 30        # a line this short holding a unit note is that note (`(단위 : 천원, %)`)


def _drop_table_titles(ctx: DocContext, titled: set[int]) -> None:
    """A marker line right above a table (`■ 분야별 세출예산(일반회계)` / `(단위 : 천원)` / the table)
    titles it: no project (though its table's figures are its), unless it holds figures of its
    own or heads items."""
    if not titled:
        return
    owners = {m.project_id for m in ctx.result.metrics if m.table_id is None} | {p.parent_id for p in ctx.result.projects}
    ctx.result.projects = [p for p in ctx.result.projects
                           if p.para_idx not in titled or p.project_id in owners]


def _directions_of_earlier_figures(rows: list[Metric]) -> None:
    """A row with an earlier figure but no word for its direction (`15개소 → 19개소`, columns of
    two years) moved the way its two figures did; equal figures moved neither way."""
    for row in rows:
        if row.direction is None and row.prev_value is not None and row.value != row.prev_value:
            row.direction = "increase" if row.value > row.prev_value else "decrease"


def _drop_restated_headline_figures(ctx: DocContext) -> None:
    """A figure in the title or deck lines that the body states again is one observation:
    the body's row (with its comparison and subject) stays, the headline's goes."""
    head = ctx.head_paragraphs
    if not head:
        return
    body = {(round(m.value, 6), m.unit_category) for m in ctx.result.metrics if m.para_idx not in head}
    kept = [m for m in ctx.result.metrics if m.para_idx not in head or (round(m.value, 6), m.unit_category) not in body]
    if len(kept) != len(ctx.result.metrics):
        for k, metric in enumerate(kept):
            metric.metric_id = f"{ctx.doc_id}-m{k:05d}"
        ctx.result.metrics = kept
