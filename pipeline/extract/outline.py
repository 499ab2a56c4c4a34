"""Items and sections: line items and their nesting, headings, attribute lines, and the
inline runs of markers inside sentences (projects.py cuts each item; this module keeps the
outline they belong to as the document is read top to bottom)."""
from __future__ import annotations

import regex

from pipeline.extract import projects as P
from pipeline.extract.context import DocContext, OpenItem, sentence_of
from pipeline.lexicon import MarkerRule
from pipeline.records import Paragraph, Project, Sentence, Token, tokens_between

_DIGIT = regex.compile(r"\d")
_ENUMERATOR = regex.compile(r"\W*(?:[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+|[IVX]+|\d{1,2}|[가나다라마바사아자차카타파하])[.)]\s*")   # Ⅱ. 1) 가.
_BRACKETED = regex.compile(r"^\s*[\[【<〈《]\s*(.+?)\s*[\]】>〉》]\s*$")
SENTENCE_END = regex.compile(r"(?:다|요|음|함|임)\s*[.!?]?\s*$")
AS_FOLLOWS = regex.compile(r"\s다음과\s*같(?:다|습니다|음)\s*[.:]?\s*$")
CONTINUATION_MAX_CHARS = 60      # a longer unindented line after an item is prose of its own
HEADING_MAX_CHARS = 60


def repeated_structure(ctx: DocContext, para: Paragraph) -> None:
    """A duplicate gives no rows, but a repeated `□ 추진상황` still closes the items above it
    and heads what follows (each project's outline repeats the same headings)."""
    text = para.text
    ctx.order += 1
    ctx.last_line_no, ctx.last_item, ctx.inline_open = para.line_no, None, None
    marker = P.line_marker(text, ctx.lex, 0, len(text), set())
    if marker is not None and not marker.rule.note:
        close_to_level(ctx, marker.rule)
        name_end = P.clean_name_end(text, marker.end, len(text), [])
        ctx.heading = (text[P.clean_name_start(text, marker.end, name_end):name_end], ctx.order)
    elif len(text.strip()) <= HEADING_MAX_CHARS and not SENTENCE_END.search(text):
        ctx.heading = (text.strip(), ctx.order)


def close_to_level(ctx: DocContext, rule: MarkerRule) -> None:
    """Close the open items at this marker's level and below (a marker seen before, or a
    level from the rules)."""
    if any(o.rule_id == rule.rule_id for o in ctx.stack):
        while ctx.stack.pop().rule_id != rule.rule_id:
            pass
    while ctx.stack and rule.level is not None and ctx.stack[-1].level is not None and ctx.stack[-1].level >= rule.level:
        ctx.stack.pop()


def segment(ctx: DocContext, para: Paragraph, start: int, end: int, tokens: list[Token],
             sentences: list[Sentence], quantities: list[Quantity], minus_positions: set[int],
             contiguous: bool) -> list[tuple[int, int, Project]]:
    """Line structure of one line (or table cell): a line item, a heading, a continuation, or prose."""
    text, lex = para.text, ctx.lex
    spans = [(q.start, q.end) for q in quantities]
    found: list[tuple[int, int, Project]] = []
    marker = P.line_marker(text, lex, start, end, minus_positions)
    speech = marker is not None and P.is_speech_turn(text[marker.end:end])
    if speech:
        minus_positions = minus_positions | {marker.start}   # minutes: a speaker's turn is prose,
        marker = None                                         # its marker no bullet, it no heading
    inline_from = start
    if marker is not None and not marker.rule.note:
        inline_capable = marker.rule.position != "line"
        repeated = inline_capable and len(
            [m for m in P.find_markers(text, lex, start, end, True, minus_positions) if m.symbol == marker.symbol]) > 1
        if not repeated and not (inline_capable and ctx.run_continues == marker.symbol):
            item = P.line_item(text, marker, end, spans, lex)
            if item is None:                                        # attribute line: belongs to the open item
                owners = [o for o in ctx.stack if o.rule_id != marker.rule.rule_id]
                parent = owners[-1].project if owners else None
                if parent:
                    found.append((start, end, parent))
                ctx.last_item = parent
            else:
                project = _open_line_item(ctx, para, item, sentences)
                found.append((marker.start, end, project))
                ctx.last_item = project
            inline_from = marker.end
            ctx.last_item_indent = marker.start - start
    elif marker is None:
        body = text[start:end].strip()
        bracketed = _BRACKETED.match(body)
        indent = len(text[start:end]) - len(text[start:end].lstrip())
        goes_on = indent > ctx.last_item_indent or (      # a short line with figures or an end goes on the item;
            bool(_DIGIT.search(body) or SENTENCE_END.search(body)) and len(body) < CONTINUATION_MAX_CHARS)
        follows = AS_FOLLOWS.search(text, start, end)
        owner = max((t.end for t in tokens if start <= t.start and t.end <= (follows.start() if follows else start)
                     and t.tag == "JKG"), default=start)          # 울산시의 (올해) 중점 추진 과제는
        if follows and (section := P.lead_in_section(text, tokens, owner, follows.start(), lex)):
            ctx.heading = (section, ctx.order)                # 중점 추진 과제는 다음과 같다.
            ctx.last_item = None
            ctx.stack.clear()
        elif ctx.last_item is not None and contiguous and not bracketed and body and goes_on:
            found.append((start, end, ctx.last_item))
        elif body and not speech and (bracketed or (len(body) <= HEADING_MAX_CHARS and not SENTENCE_END.search(body)
                                                    and not P.find_markers(text, lex, start, end, True, minus_positions))):
            heading_start = text.index(bracketed.group(1) if bracketed else body, start)
            heading_end = heading_start + len(bracketed.group(1) if bracketed else body)
            lead = _ENUMERATOR.match(text, heading_start, heading_end) or P.CATEGORY_TAG.match(
                text, heading_start, heading_end)                 # Ⅱ. …, (장 2000)사회개발
            heading_start = lead.end() if lead and lead.end() < heading_end else heading_start
            while heading_start < heading_end and not text[heading_start].isalnum():
                heading_start += 1
            heading_end = P.clean_name_end(text, heading_start, heading_end, spans)
            ctx.heading = (text[heading_start:heading_end], ctx.order)
            ctx.last_item = None
        else:
            ctx.last_item = None
            ctx.stack.clear()
    found += _inline_runs(ctx, para, inline_from, end, tokens, sentences, spans, minus_positions)
    return found


def _line_section(ctx: DocContext) -> tuple[str | None, Project | None]:
    parent = ctx.stack[-1].project if ctx.stack else None
    if ctx.heading and (parent is None or ctx.heading[1] > ctx.project_order[parent.project_id]):
        return ctx.heading[0], parent
    return (parent.name if parent else None), parent


def _open_line_item(ctx: DocContext, para: Paragraph, item: P.Item, sentences: list[Sentence]) -> Project:
    rule = item.marker.rule
    close_to_level(ctx, rule)
    section, parent = _line_section(ctx)
    project = _project(ctx, para, item, section, parent, sentences)
    ctx.stack.append(OpenItem(project, rule.rule_id, rule.level))
    ctx.project_order[project.project_id] = ctx.order
    return project


def _project(ctx: DocContext, para: Paragraph, item: P.Item, section: str | None, parent: Project | None,
             sentences: list[Sentence]) -> Project:
    key = (section, parent.project_id if parent else None)
    ctx.item_counts[key] = ctx.item_counts.get(key, 0) + 1
    sent_idx, sentence = sentence_of(sentences, item.marker.start, para.text)
    project = Project(
        project_id=ctx.next_project_id(), doc_id=ctx.doc_id, para_idx=para.para_idx, sent_idx=sent_idx,
        item_idx=ctx.item_counts[key] - 1, marker=item.marker.symbol, section=section or None,
        parent_id=parent.project_id if parent else None, level=len(ctx.stack) + 1 if item.marker else 1,
        name=para.text[item.name_start:item.name_end], detail=item.detail, action=item.action,
        status=item.status, char_start=item.marker.start, char_end=item.end, sentence=sentence,
        rule_id=";".join(dict.fromkeys(item.rule_ids)))
    ctx.result.projects.append(project)
    return project


def _inline_runs(ctx: DocContext, para: Paragraph, start: int, end: int, tokens: list[Token],
                 sentences: list[Sentence], spans: list[tuple[int, int]], minus_positions: set[int]
                 ) -> list[tuple[int, int, Project]]:
    text, lex = para.text, ctx.lex
    markers = P.find_markers(text, lex, start, end, True, minus_positions)
    markers = [m for m in markers if not m.rule.note]
    found: list[tuple[int, int, Project]] = []
    if not markers:
        return found
    line_section, line_parent = _line_section(ctx) if start > 0 and ctx.stack else (None, None)
    for sent_start, sent_end in real_sentences(text, sentences, start, end):
        in_sentence = [m for m in markers if sent_start <= m.start < sent_end]
        if not in_sentence:
            continue
        lead = P.lead_in_section(text, tokens, sent_start, in_sentence[0].start, lex)
        if lead is None and not text[sent_start:in_sentence[0].start].strip() and sent_start == start:
            lead = ctx.inline_section if ctx.run_continues else line_section
        section = lead
        items = P.inline_items(text, tokens_between(tokens, sent_start, sent_end), in_sentence,
                               sent_end, lex, spans)
        for item in items:
            project = _project(ctx, para, item, section, line_parent, sentences)
            found.append((item.marker.start, item.end, project))
            if item.lead_in:
                section = P.lead_in_section(text, tokens, item.lead_in[0], item.lead_in[1], lex) or section
        ctx.inline_section = section
        ctx.inline_open = items[-1].marker.symbol if items else ctx.inline_open
    return found


def real_sentences(text: str, sentences: list[Sentence], start: int, end: int) -> list[tuple[int, int]]:
    """The analyser's sentences inside [start, end), glued ones joined (공원.놀이터 is one word)."""
    spans: list[list[int]] = []
    for s in sentences:
        a, b = max(s.start, start), min(s.end, end)
        if a >= b:
            continue
        if spans and (a == spans[-1][1] or not text[spans[-1][1]:a].strip() and not text[a - 1:a].isspace()):
            spans[-1][1] = b
        else:
            spans.append([a, b])
    return [(a, b) for a, b in spans]
