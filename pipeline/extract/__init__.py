"""Stage 4: projects and metrics of one document, paragraph by paragraph.

The document is read top to bottom with a little state: the heading and the open line
items above (for line-structured lists), the section of the last inline run (a run that
goes on in the next paragraph keeps it), the table header and the `(단위 : 천원)` note.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import regex

from pipeline.extract import metrics as M
from pipeline.extract import projects as P
from pipeline.extract import tables as T
from pipeline.lexicon import Lexicon, MarkerRule, UnitForm
from pipeline.extract.numbers import Quantity, parse_quantities
from pipeline.records import DocumentResult, Metric, Paragraph, Project, Sentence, Token, tokens_between

_DIGIT = regex.compile(r"\d")
_LETTER_OR_DIGIT = regex.compile(r"[\p{L}\p{N}]")
_ENUMERATOR = regex.compile(r"\W*(?:[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+|[IVX]+|\d{1,2}|[가나다라마바사아자차카타파하])[.)]\s*")   # Ⅱ. 1) 가.
_BRACKETED = regex.compile(r"^\s*[\[【<〈《]\s*(.+?)\s*[\]】>〉》]\s*$")
_SENTENCE_END = regex.compile(r"(?:다|요|음|함|임)\s*[.!?]?\s*$")
_ONE_FIGURE = regex.compile(r"[△-]?([\d,]+(?:\.\d+)?)\s*[십백천만억조]*\s*[^\d\s]*")   # one digit group, scale words, unit
_SPACED_OUT = regex.compile(r"\p{Hangul}(?:\s+\p{Hangul})+")
_REFERS_BACK = regex.compile(r"\s*(?:\S+[은는]\s+)?(?:이는|이것은)\s")      # 이는 지난해 9천48억원보다 1,114억원 늘어난 규모다
_AS_FOLLOWS = regex.compile(r"\s다음과\s*같(?:다|습니다|음)\s*[.:]?\s*$")
CONTINUATION_MAX_CHARS = 60      # a longer unindented line after an item is prose of its own
HEADING_MAX_CHARS = 60


def needs_analysis(text: str, lex: Lexicon) -> bool:
    """Only paragraphs with a figure, a numeral word or a marker can give rows, and only a
    lead-in `… 과제는 다음과 같다.` names the section of the items after it."""
    return bool(_DIGIT.search(text) or lex.numeral_hint.search(text) or lex.any_marker.search(text)
                or _AS_FOLLOWS.search(text))


@dataclass
class OpenItem:
    project: Project
    rule_id: str
    level: int | None


@dataclass
class DocContext:
    doc_id: str
    lex: Lexicon
    result: DocumentResult = field(default_factory=DocumentResult)
    stack: list[OpenItem] = field(default_factory=list)
    heading: tuple[str, int] | None = None          # (text, order) of the nearest heading line
    order: int = 0
    last_item: Project | None = None              # line item that continuation lines belong to
    last_item_indent: int = 0                     # ... and where its marker stands in its line
    last_line_no: int = -10
    inline_section: str | None = None
    inline_open: str | None = None                # marker of the inline run the last paragraph ended in
    run_continues: str | None = None              # ... which this paragraph may go on with
    note_unit: UnitForm | None = None
    table: T.TableState = field(default_factory=T.TableState)
    item_counts: dict[tuple[str | None, str | None], int] = field(default_factory=dict)
    project_order: dict[str, int] = field(default_factory=dict)   # project id -> paragraph order
    last_row: tuple[M.Observation, Metric] | None = None           # the last figure a sentence reported

    def next_project_id(self) -> str:
        return f"{self.doc_id}-p{len(self.result.projects):05d}"


def extract_document(doc_id: str, analysed: Iterable[tuple[Paragraph, list[Sentence]]],
                     lex: Lexicon) -> DocumentResult:
    """The rows of one document, from its paragraphs in order with their sentences (an empty
    list where nothing was analysed); consumed lazily, so tokens need not all be held at once."""
    ctx = DocContext(doc_id, lex)
    for para, sentences in analysed:
        if para.is_duplicate:
            _repeated_structure(ctx, para)
        else:
            _paragraph(ctx, para, sentences)
    return ctx.result


def _repeated_structure(ctx: DocContext, para: Paragraph) -> None:
    """A duplicate gives no rows, but a repeated `□ 추진상황` still closes the items above it
    and heads what follows (each project's outline repeats the same headings)."""
    text = para.text
    ctx.order += 1
    ctx.last_line_no, ctx.last_item, ctx.inline_open = para.line_no, None, None
    if _unit_note(ctx, text) is not None or _table_line(ctx, text) is not None:
        return                                    # `(단위 : 천원)` or a table's header still shape what follows
    marker = P.line_marker(text, ctx.lex, 0, len(text), set())
    if marker is not None and not marker.rule.note:
        _close_to_level(ctx, marker.rule)
        name_end = P.clean_name_end(text, marker.end, len(text), [])
        ctx.heading = (text[P.clean_name_start(text, marker.end, name_end):name_end], ctx.order)
    elif len(text.strip()) <= HEADING_MAX_CHARS and not _SENTENCE_END.search(text):
        ctx.heading = (text.strip(), ctx.order)


def _unit_note(ctx: DocContext, text: str) -> tuple[str, int, int] | None:
    """A `(단위 : 천원)` note in the line: it scales the bare figures of the table after it."""
    note = T.unit_note(text)
    unit = next((u for u in ctx.lex.units if note and u.form == note[0]), None)
    if unit is not None:
        ctx.note_unit, ctx.table = unit, T.TableState()
    return note


def _table_line(ctx: DocContext, text: str) -> list[str] | None:
    """The cells of a table row; [] for a border or the header (read into the table's state);
    None when the line is no table line, which ends the table."""
    in_table = bool(ctx.table.roles)                               # `  - 상수도사업  41,800  40,100`: a
    if not T.is_table_line(text, ctx.lex) or (                      # sub-row, not a bullet, in an open table
            P.line_marker(text, ctx.lex, 0, len(text), set()) and not in_table):
        ctx.table = T.TableState()
        return None
    if T.is_border(text):
        ctx.table.closed = bool(ctx.table.header_text)
        return []
    cells = T.split_cells(text)
    return [] if T.read_header(cells, ctx.table, ctx.lex) else cells


def _close_to_level(ctx: DocContext, rule: MarkerRule) -> None:
    """Close the open items at this marker's level and below (a marker seen before, or a
    level from the rules)."""
    if any(o.rule_id == rule.rule_id for o in ctx.stack):
        while ctx.stack.pop().rule_id != rule.rule_id:
            pass
    while ctx.stack and rule.level is not None and ctx.stack[-1].level is not None and ctx.stack[-1].level >= rule.level:
        ctx.stack.pop()


def _paragraph(ctx: DocContext, para: Paragraph, sentences: list[Sentence]) -> None:
    text, lex = para.text, ctx.lex
    ctx.order += 1
    ctx.run_continues, ctx.inline_open = ctx.inline_open, None
    contiguous = para.line_no == ctx.last_line_no + 1
    ctx.last_line_no = para.line_no
    note = _unit_note(ctx, text)
    if note is not None and not _LETTER_OR_DIGIT.search(text[:note[1]] + text[note[2]:]):
        return                                                # a line that is only the note
    if not _LETTER_OR_DIGIT.search(text):
        return                                                # a rule line (───): no heading, no rows
    quantities = [q for q in parse_quantities(text, lex) if _is_measure(q, sentences)
                  and not (note and note[1] <= q.start < note[2])] if sentences else []
    _shares_take_the_unit(text, quantities, lex)
    minus_positions = {q.start for q in quantities if q.minus_triangle}
    tokens = [t for s in sentences for t in s.tokens]
    segments: list[tuple[int, int]] = [(0, len(text))]
    table_spans: list[tuple[int, int]] = []
    cells = _table_line(ctx, text)
    if cells == []:
        return                                                # a border or the header
    if cells:
        segments, table_spans = _table_row(ctx, para, cells, sentences)
    items_by_span: list[tuple[int, int, Project]] = []
    for seg_start, seg_end in segments:
        items_by_span += _segment(ctx, para, seg_start, seg_end, tokens, sentences, quantities, minus_positions,
                                  contiguous)
    text_quantities = [q for q in quantities if not any(a <= q.start < b for a, b in table_spans)]
    _metrics(ctx, para, sentences, tokens, text_quantities, items_by_span)


def _shares_take_the_unit(text: str, quantities: list[Quantity], lex: Lexicon) -> None:
    """`1,200백만원(국비 600, 시비 300)`, `27개 구역(관리처분인가 9, 조합설립 12)`: bare figures
    in brackets right after a figure are in its unit."""
    forms = {u.rule_id: u for u in lex.units}
    for outer in quantities:
        unit = next((forms[r] for r in outer.rule_ids if r in forms), None)
        written = _ONE_FIGURE.fullmatch(text, outer.start, outer.end)      # 1,200백만원: 1,200 of 백만원
        opening = outer.end + (1 if text[outer.end:outer.end + 1] == " " else 0)
        if unit is None or written is None or text[opening:opening + 1] != "(":
            continue
        digits = float(written.group(1).replace(",", ""))
        scale = outer.value / digits if digits else 0
        closing = text.find(")", opening)
        for q in quantities:
            if scale and opening < q.start and q.end <= closing and q.unit is None and not q.not_metric \
                    and not q.hangul_numeral and q.value_max is None:
                q.value = round(q.value * abs(scale), 6)
                q.unit, q.category = unit.unit, unit.category
                q.rule_ids.append(unit.rule_id)


def _is_measure(q: Quantity, sentences: list[Sentence]) -> bool:
    if q.not_metric:
        return False
    if q.hangul_numeral:
        first = next((t for s in sentences for t in s.tokens if t.start <= q.start < t.end or t.start == q.start), None)
        return first is not None and first.tag in ("NR", "MM", "NNG")
    return True


def _table_row(ctx: DocContext, para: Paragraph, cells: list[T.Cell],
               sentences: list[Sentence]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """A table line with figures: one metric from its value columns; other text cells as segments."""
    text = para.text
    n = len(cells)
    roles = ctx.table.roles
    figure_cols = [i for i, c in enumerate(cells) if c.is_figure and roles.get(i - n, ("" if roles else "current",))[0]
                   in ("current", "previous", "change", "change_pct")]
    segments = [(c.start, c.end) for i, c in enumerate(cells) if not c.is_empty and not c.is_figure
                and (not figure_cols or i > figure_cols[-1] or roles.get(i - n, ("",))[0] == "basis")]
    if not figure_cols:
        label_segments = [(c.start, c.end) for c in cells if not c.is_empty and not c.is_figure]
        return label_segments, []
    values: dict[str, Quantity] = {}
    rule_ids: list[str] = []
    for i in figure_cols:
        role, rule_id = roles.get(i - n, ("current" if not values else "", ""))
        q = next((q for q in parse_quantities(cells[i].text, ctx.lex)), None)
        if q is None or not role or role in values:
            continue
        q.start += cells[i].start
        q.end += cells[i].start
        if role == "change_pct":
            _as_percent(ctx, q)
        else:
            _scale_bare(ctx, q)
        values[role] = q
        rule_ids += [rule_id] if rule_id else []
    current = values.get("current")
    label = next((c for c in reversed(cells[:figure_cols[0]]) if not c.is_empty and not c.is_figure), None)
    if current is None:
        return segments, [(cells[i].start, cells[i].end) for i in figure_cols]
    obs = M.Observation(current, prev=values.get("previous"), change=values.get("change"),
                        change_pct=values.get("change_pct"))
    obs.rule_ids += rule_ids
    moved = next((c.value for c in (obs.change, obs.change_pct) if c is not None and c.value), None)
    if moved:
        obs.direction = "increase" if moved > 0 else "decrease"
    if label is not None:
        marker = P.line_marker(label.text, ctx.lex, 0, len(label.text), set())
        subject = label.text[marker.end if marker else 0:].strip()
        obs.subject = subject.replace(" ", "") if _SPACED_OUT.fullmatch(subject) else subject   # 일 반 회 계
    sent_idx, sentence = _sentence_of(sentences, current.start, text)
    _add_metric(ctx, para, obs, sent_idx, sentence, None, "table")
    return segments, [(cells[i].start, cells[i].end) for i in figure_cols]


def _as_percent(ctx: DocContext, q: Quantity) -> None:
    """A bare figure in a `증감률` column is a percent, whatever the table's unit note says."""
    percent = next((u for u in ctx.lex.units if u.unit == "%" and u.form == "%"), None)
    if q.unit is None and percent is not None:
        q.unit, q.category = percent.unit, percent.category
        q.rule_ids.append(percent.rule_id)


def _scale_bare(ctx: DocContext, q: Quantity) -> None:
    """A bare figure under a `(단위 : 천원)` note is in that unit."""
    unit = ctx.note_unit
    if q.unit is None and unit is not None:
        q.value = round(q.value * unit.scale, 6)
        q.value_max = None if q.value_max is None else round(q.value_max * unit.scale, 6)
        q.unit, q.category = unit.unit, unit.category
        q.rule_ids.append(unit.rule_id)


def _sentence_of(sentences: list[Sentence], position: int, text: str) -> tuple[int, str]:
    for s in sentences:
        if position < s.end:
            return s.sent_idx, text[s.start:s.end]
    if sentences:
        return sentences[-1].sent_idx, text[sentences[-1].start:sentences[-1].end]
    return 0, text


def _segment(ctx: DocContext, para: Paragraph, start: int, end: int, tokens: list[Token],
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
            bool(_DIGIT.search(body) or _SENTENCE_END.search(body)) and len(body) < CONTINUATION_MAX_CHARS)
        follows = _AS_FOLLOWS.search(text, start, end)
        owner = max((t.end for t in tokens if start <= t.start and t.end <= (follows.start() if follows else start)
                     and t.tag == "JKG"), default=start)          # 울산시의 (올해) 중점 추진 과제는
        if follows and (section := P.lead_in_section(text, tokens, owner, follows.start(), lex)):
            ctx.heading = (section, ctx.order)                # 중점 추진 과제는 다음과 같다.
            ctx.last_item = None
            ctx.stack.clear()
        elif ctx.last_item is not None and contiguous and not bracketed and body and goes_on:
            found.append((start, end, ctx.last_item))
        elif body and not speech and (bracketed or (len(body) <= HEADING_MAX_CHARS and not _SENTENCE_END.search(body)
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
    _close_to_level(ctx, rule)
    section, parent = _line_section(ctx)
    project = _project(ctx, para, item, section, parent, sentences)
    ctx.stack.append(OpenItem(project, rule.rule_id, rule.level))
    ctx.project_order[project.project_id] = ctx.order
    return project


def _project(ctx: DocContext, para: Paragraph, item: P.Item, section: str | None, parent: Project | None,
             sentences: list[Sentence]) -> Project:
    key = (section, parent.project_id if parent else None)
    ctx.item_counts[key] = ctx.item_counts.get(key, 0) + 1
    sent_idx, sentence = _sentence_of(sentences, item.marker.start, para.text)
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
    for sent_start, sent_end in _real_sentences(text, sentences, start, end):
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


def _real_sentences(text: str, sentences: list[Sentence], start: int, end: int) -> list[tuple[int, int]]:
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


def _metrics(ctx: DocContext, para: Paragraph, sentences: list[Sentence], tokens: list[Token],
             quantities: list[Quantity], items: list[tuple[int, int, Project]]) -> None:
    text = para.text
    for q in quantities:
        if q.unit is None and ctx.note_unit is not None and text[:q.start].rstrip().endswith("="):
            _scale_bare(ctx, q)
    quantities = [q for q in quantities if q.unit is not None]
    for sent_start, sent_end in _real_sentences(text, sentences, 0, len(text)):
        in_sentence = [q for q in quantities if sent_start <= q.start < sent_end]
        if not in_sentence:
            continue
        sent_tokens = tokens_between(tokens, sent_start, sent_end)
        ends = M.clause_ends(sent_tokens, text, ctx.lex)
        sent_idx, _ = _sentence_of(sentences, in_sentence[0].start, text)
        sentence = text[sent_start:sent_end].strip()
        subjects: dict[int, str | None] = {}
        observations = M.compare(text, sent_tokens, in_sentence, ctx.lex)
        if _REFERS_BACK.match(text, sent_start):
            done = _completes_last_row(ctx, para, text, observations)
            observations = [o for o in observations if not any(o is d for d in done)]
        for obs in observations:
            q = obs.quantity
            clause_start = max([e for e in ends if e <= q.start], default=sent_start)
            project = next((p for a, b, p in reversed(items) if a <= q.start < b), None)
            calc_label = _calculation_label(text, q, items, ctx.lex)
            span = M.subject_span(text, sent_tokens, q, clause_start, ctx.lex)
            obs.subject = calc_label or (text[span[0]:span[1]] if span else None) or (project.name if project else None)
            if obs.inside is not None and subjects.get(id(obs.inside)):
                obs.subject = subjects[id(obs.inside)]           # 교육 예산 800억원(16%): the share of 교육 예산
            subjects[id(q)] = obs.subject
            obs.period, obs.prev_period = M.periods(text, clause_start, obs, ctx.lex)
            _add_metric(ctx, para, obs, sent_idx, sentence, project, "calculation" if calc_label else "text")


def _completes_last_row(ctx: DocContext, para: Paragraph, text: str,
                        observations: list[M.Observation]) -> list[M.Observation]:
    """`… 1조 162억원 규모로 편성했다. 이는 올해 9천48억원보다 1,114억원(12.3%) 늘어난 규모다.`:
    the comparison a sentence opens with (an earlier figure, a change) completes the figure of
    the sentence before (in this paragraph or the one before); returns what it used."""
    if ctx.last_row is None:
        return []
    last_obs, row = ctx.last_row
    if row.para_idx < para.para_idx - 1 or row.prev_value is not None or row.change_value is not None:
        return []
    current = last_obs.quantity
    earlier: list[M.Observation] = []
    changes: list[M.Observation] = []
    for obs in observations:                        # the comparison the sentence opens with
        q = obs.quantity
        if obs.change is None and not earlier and q.category == current.category and text[q.end:q.end + 6].lstrip(
                ") ").startswith(("보다", *ctx.lex.cue("comparison"))):
            earlier.append(obs)
        elif (obs.change is q or obs.change_pct is q) and not changes \
                and q.category in (current.category, "percent", "points"):
            changes.append(obs)
        else:
            break
    if not earlier and not changes:
        return []
    direction = next((o.direction for o in earlier + changes if o.direction), None)
    if earlier:
        row.prev_value = earlier[0].quantity.value
    for change in changes:
        if change.change is not None and change.change.category == current.category:
            row.change_value = _signed(change.change, direction)
        if change.change_pct is not None:
            row.change_pct = _signed(change.change_pct, direction)
    row.direction = row.direction or direction
    used = earlier + changes
    added = [r for o in used for part in (o.quantity, o.change, o.change_pct) if part for r in [*part.rule_ids, *o.rule_ids]]
    row.rule_id = ";".join(dict.fromkeys([*row.rule_id.split(";"), *added]))
    return used


def _calculation_label(text: str, q: Quantity, items: list[tuple[int, int, Project]], lex: Lexicon) -> str | None:
    """`당초예산 절감액 = △1,920`: the words before `=`; a bare formula gives its item's name."""
    line_start = max((m.end() for m in T.SEPARATOR.finditer(text, 0, q.start)), default=0)
    before = text[line_start:q.start].rstrip()
    if not before.endswith("="):
        return None
    marker = P.line_marker(text, lex, line_start, q.start, set())
    label = text[marker.end if marker else line_start:line_start + len(before) - 1].strip()
    if label and regex.search(r"\p{Hangul}", label) and not regex.search(r"\d", label):
        return label
    project = next((p for a, b, p in reversed(items) if a <= q.start < b), None)
    return project.name if project else None


def _signed(part: Quantity | None, direction: str | None) -> float | None:
    """A change as the row stores it: negative for a decrease, whatever sign it was written with."""
    sign = {"increase": 1, "decrease": -1}.get(direction or "")
    return None if part is None else (abs(part.value) * sign if sign else part.value)


def _add_metric(ctx: DocContext, para: Paragraph, obs: M.Observation, sent_idx: int, sentence: str,
                project: Project | None, source_kind: str) -> None:
    q = obs.quantity
    indicator = M.indicator_for(obs.subject, ctx.lex)
    rule_ids = [*q.rule_ids, *obs.rule_ids, *(indicator[1:] if indicator else [])]
    for other in (obs.prev, obs.change, obs.change_pct):
        if other is not None:
            rule_ids += other.rule_ids
    row = Metric(
        metric_id=f"{ctx.doc_id}-m{len(ctx.result.metrics):05d}", doc_id=ctx.doc_id, para_idx=para.para_idx,
        sent_idx=sent_idx, subject=obs.subject, value=q.value, value_max=q.value_max, unit=q.unit or "",
        unit_category=q.category or "", qualifier=q.qualifier, raw_text=para.text[q.start:q.end],
        prev_value=obs.prev.value if obs.prev else None,
        change_value=_signed(obs.change, obs.direction), change_pct=_signed(obs.change_pct, obs.direction),
        direction=obs.direction, period=obs.period, prev_period=obs.prev_period,
        indicator=indicator[0] if indicator else None, project_id=project.project_id if project else None,
        char_start=q.start, char_end=q.end, sentence=sentence, source_kind=source_kind,
        rule_id=";".join(dict.fromkeys(r for r in rule_ids if r)))
    ctx.result.metrics.append(row)
    if source_kind == "text" and obs.change is not q:
        ctx.last_row = (obs, row)
