"""Items and sections: line items and their nesting, headings, attribute lines, and the
inline runs of markers inside sentences (projects.py cuts each item; this module keeps the
outline they belong to as the document is read top to bottom)."""
from __future__ import annotations

import regex

from pipeline.extract import metrics as M
from pipeline.extract import projects as P
from pipeline.extract import subjects as S
from pipeline.extract.numbers import parse_quantities
from pipeline.extract.context import DocContext, OpenItem, sentence_of
from pipeline.extract.minutes import speaker_turn
from pipeline.extract.periods import dateline_year
from pipeline.lexicon import Lexicon, MarkerRule
from pipeline.records import Paragraph, Project, Sentence, Token, tokens_between

_POLITE_EXCLAMATION = regex.compile(r"요\s*[!?]\s*$")

_DIGIT = regex.compile(r"\d")
_ENUMERATOR = regex.compile(r"\W*(?:[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+|[IVX]+|\d{1,2}|[가나다라마바사아자차카타파하])[.)]\s*"   # Ⅱ. 1) 가.
                            r"|(?:붙임|별첨|첨부|참고)\s*\d{0,2}\s+")                              # 붙임 1  …
_SOURCE_NOTE = regex.compile(r"(?:주\s*\d*\s*[)）]|[*※]?\s*(?:자료|출처)\s*[:：])")
_BRACKETED = regex.compile(r"^\s*[\[【<〈《]\s*(.+?)\s*[\]】>〉》]\s*$")
SENTENCE_END = regex.compile(r"(?:다|음|함|임)\s*[.!?]?\s*$|요\s*[.!?]\s*$")   # 개요, 주요, 수요: no 요 ending
                                                                            # without its stop
AS_FOLLOWS = regex.compile(r"\s다음과\s*같(?:다|습니다|음)\s*[.:]?\s*$"
                           r"|(?<=\s|^)다음과\s*같이\s+(?P<done>[^.]{1,30}?)\s*[.:]?\s*$")   # 다음과 같이 제안합니다.
CONTINUATION_MAX_CHARS = 60      # a longer unindented line after an item is prose of its own
HEADING_MAX_CHARS = 60


def repeated_structure(ctx: DocContext, para: Paragraph) -> None:
    """A duplicate gives no rows, but a repeated `□ 추진상황` still closes the items above it
    and heads what follows (each project's outline repeats the same headings), and a repeated
    `○위원장 김태수` opens that speaker's turn again (no heading)."""
    text = para.text
    ctx.order += 1
    ctx.last_line_no, ctx.last_item, ctx.inline_open = para.line_no, None, None
    marker = P.line_marker(text, ctx.lex, 0, len(text), set())
    turn = speaker_turn(text, 0, len(text), ctx.lex, []) if marker is not None else None
    if turn is not None:
        ctx.speaker = turn.speaker
        ctx.stack.clear()
    elif marker is not None and not marker.rule.note:
        close_to_level(ctx, marker.rule)
        name_end = P.clean_name_end(text, marker.end, len(text), [], ctx.lex)
        ctx.heading = (text[P.clean_name_start(text, marker.end, name_end):name_end], ctx.order)
    elif len(text.strip()) <= HEADING_MAX_CHARS and not SENTENCE_END.search(text):
        ctx.heading = (text.strip(), ctx.order)


_RANKS = [(regex.compile(r"\W*(?:붙임|별첨|첨부|참고)"), 0), (regex.compile(r"\W*[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩIVX]+[.)]"), 1),
          (regex.compile(r"\d{1,2}\."), 2), (regex.compile(r"[가-하]\."), 3), (regex.compile(r"\W*\d{1,2}\)"), 4)]
UNNUMBERED_RANK = 5


def _note_heading_year(ctx: DocContext, heading: str, number: str) -> None:
    """A heading that names one year (`Ⅱ. 2024년 주요 추진계획`) gives it to the figures under
    it, through lower headings (`1. 청소년 시설 확충`), until a heading of its rank or above;
    the title (the first line) gives none."""
    rank = next((r for pattern, r in _RANKS if pattern.match(number)), UNNUMBERED_RANK)
    years = [m.group() for m in ctx.lex.period_regex.finditer(heading)]
    if len(years) == 1 and ctx.order > 1:
        ctx.heading_period = (years[0], rank)
    elif ctx.heading_period is not None and rank <= ctx.heading_period[1]:
        ctx.heading_period = None


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
             contiguous: bool, speech: bool = False) -> list[tuple[int, int, Project]]:
    """Line structure of one line (or table cell): a line item, a heading, a continuation, or
    prose; `speech`: the line is a speaker's words in minutes, prose and never a heading."""
    text, lex = para.text, ctx.lex
    spans = [(q.start, q.end) for q in quantities]
    found: list[tuple[int, int, Project]] = []
    wrapping, ctx.wrapping = ctx.wrapping, None
    under_item = contiguous and ctx.last_item is not None and not ctx.listed   # right below an item's line
                                                             # that closes no list: its body text
    marker = None if speech else P.line_marker(text, lex, start, end, minus_positions)
    inline_from = start
    if marker is not None and not marker.rule.note:
        inline_capable = marker.rule.position != "line"
        inline = [m for m in P.find_markers(text, lex, start, end, True, minus_positions) if not m.rule.note]
        repeated = inline_capable and sum(m.symbol == marker.symbol for m in inline) > 1
        if not repeated and not (inline_capable and ctx.run_continues == marker.rule.rule_id):
            after = next((m.start for m in inline if m.start >= marker.end), end)
            item = P.line_item(text, marker, after, spans, lex)          # □ 구정목표 : ① … ② …: up to ①
            if item is not None:
                P.cut_at_predicate(text, tokens, item, spans, lex)
                P.cut_at_topic(tokens, item, lex)
            if item is not None and item.labelled and any(o.rule_id == marker.rule.rule_id and o.project.project_id
                                                          in ctx.named_items for o in ctx.stack):
                item = None                                         # ○ 사업명 : X / ○ 주요시설 : …: a field of X
            if item is None:                                        # attribute line: belongs to the open item
                owners = [o for o in ctx.stack if o.rule_id != marker.rule.rule_id
                          or o.project.project_id in ctx.named_items]   # ○ 사업명 : X / ○ 사업비 : …
                parent = owners[-1].project if owners else None
                if parent:
                    found.append((start, end, parent))
                    if not P.states_a_figure(text, marker.end, after, spans, lex):
                        ctx.attribute_line = para.para_idx   # (a finding's figures are named by its own words)
                ctx.last_item = parent
            else:
                ctx.listed = ctx.item_line == para.line_no - 1 and ctx.last_item is not None \
                    and ctx.last_item.marker == marker.symbol
                ctx.item_line = para.line_no
                project = _open_line_item(ctx, para, item, sentences)
                found.append((marker.start, end, project))
                if item.named:
                    ctx.named_items.add(project.project_id)
                ctx.last_item = project
                if not text[item.name_end:end].strip() and P.dangles(tokens, item.name_start, item.name_end):
                    ctx.wrapping = project                   # □ … 기능 강화 및 찾아가는 / 보건복지서비스 확대
            inline_from = marker.end
            ctx.last_item_indent = marker.start - start
    elif marker is None:
        body = text[start:end].strip()
        bracketed = _BRACKETED.match(body)
        indent = len(text[start:end]) - len(text[start:end].lstrip())
        numbered = _ENUMERATOR.match(body)               # ` 2. 농업 경쟁력 강화`: its digit is its number
        first = tokens_between(tokens, start, end)[:1]
        goes_on = indent > ctx.last_item_indent or (      # a short line with figures or an end goes on the item,
            bool(_DIGIT.search(body, numbered.end() if numbered else 0) or SENTENCE_END.search(body))
            and len(body) < CONTINUATION_MAX_CHARS and not (first and first[0].form in lex.cue("discourse_adverb")))
                                                          # unless it opens a sentence of its own (다음은 주거 분야입니다.)
        follows = AS_FOLLOWS.search(text, start, end)
        owner = max((t.end for t in tokens if start <= t.start and t.end <= (follows.start() if follows else start)
                     and t.tag == "JKG"), default=start)          # 울산시의 (올해) 중점 추진 과제는
        if follows and (section := _done_as_follows(text, tokens, follows, lex)
                        or P.lead_in_section(text, tokens, owner, follows.start(), lex)):
            right_under = ctx.heading is not None and ctx.heading[1] == ctx.order - 1
            ctx.heading = ctx.heading if right_under else (section, ctx.order)   # 중점 추진 과제는 다음과 같다.
            ctx.last_item = None                          # (right under a heading, the heading heads the list)
            ctx.stack.clear()
        elif ctx.last_item is not None and contiguous and not bracketed and body and goes_on:
            found.append((start, end, ctx.last_item))
            if wrapping is ctx.last_item and indent > ctx.last_item_indent and not numbered:
                _name_goes_on(ctx, text, start + indent, end, tokens, spans)
        elif _SOURCE_NOTE.match(body):
            pass                                          # 자료 : 복지정책과, 주) 병원급은 …: a note on a table, no heading
        elif body and not speech and (bracketed or (len(body) <= HEADING_MAX_CHARS and not SENTENCE_END.search(body)
                                                    and any(ch.isalpha() for ch in body)    # 4,928,328 1,634,633: figures
                                                    and not body.endswith("!")       # 의원 여러분!: an address
                                                    and not body.endswith((",", "，"))   # …늘었고,: goes on below
                                                    and dateline_year(body, lex) is None   # 2010. 3. 2. 경영기획팀
                                                    and not P.find_markers(text, lex, start, end, True, minus_positions))):
            heading_start = text.index(bracketed.group(1) if bracketed else body, start)
            heading_end = heading_start + len(bracketed.group(1) if bracketed else body)
            lead = _ENUMERATOR.match(text, heading_start, heading_end) or P.CATEGORY_TAG.match(
                text, heading_start, heading_end)                 # Ⅱ. …, (장 2000)사회개발
            heading_start = lead.end() if lead and lead.end() < heading_end else heading_start
            if lead is not None and _ENUMERATOR.match(text, lead.start(), heading_end):
                ctx.stack.clear()                             # Ⅱ. …, 가. …: a numbered heading closes the items above
            while heading_start < heading_end and not text[heading_start].isalnum():
                heading_start += 1
            heading_end = P.clean_name_end(text, heading_start, heading_end, spans, lex)
            heading = text[heading_start:heading_end]
            words = tokens_between(tokens, heading_start, heading_end)
            if words and words[-1].tag == "EC":           # 주요 증액 사업을 말씀드리면: a lead-in of what follows
                heading = focus(text, tokens, heading_start, heading_end, lex) or heading
            ctx.heading = (heading, ctx.order)
            _note_heading_year(ctx, heading, lead.group() if lead else "")
            ctx.last_item = None
        else:
            ctx.last_item = None
            if not (under_item and P.find_markers(text, lex, start, end, True, minus_positions)):
                ctx.stack.clear()                     # (a run of items right under an item is its body)
    found += _inline_runs(ctx, para, inline_from, end, tokens, sentences, spans, minus_positions, under_item)
    return found


def _done_as_follows(text: str, tokens: list[Token], follows: regex.Match, lex: Lexicon) -> str | None:
    """What a line done `다음과 같이` names for the items below it: the object of its verb
    (`다음과 같이 부대의견을 채택하였습니다` → 부대의견), else the noun of a verb that is no
    action of a project (`다음과 같이 제안합니다` → 제안; not `추진합니다`)."""
    if follows.group("done") is None:
        return None
    toks = tokens_between(tokens, follows.start("done"), follows.end("done"))
    objects = [k for k, t in enumerate(toks) if t.tag == "JKO"]
    if objects:
        span = S.noun_run_before(toks[:objects[0]], lex)
        return text[span[0]:span[1]] if span else None
    if len(toks) > 1 and toks[0].tag == "NNG" and toks[1].tag == "XSV" and toks[0].form not in lex.actions \
            and toks[0].form not in lex.statuses:
        return toks[0].form
    return None


def _name_goes_on(ctx: DocContext, text: str, start: int, end: int, tokens: list[Token],
                  spans: list[tuple[int, int]]) -> None:
    """The rest of a line item's name, wrapped onto this line, joins its name (up to its
    predicate, without figures); the name may go on again on the next line."""
    project = ctx.last_item
    assert project is not None
    cut = P.predicate_cut(text, tokens, start, end, spans, ctx.lex)
    name_end = cut[0] if cut else P.clean_name_end(text, start, end, spans, ctx.lex)
    if name_end <= start:
        return
    project.name = f"{project.name} {text[start:name_end]}"
    if cut is None and not text[name_end:end].strip() and P.dangles(tokens, start, name_end):
        ctx.wrapping = project


def note_focus(ctx: DocContext, para: Paragraph, text: str, tokens: list[Token], sentences: list[Sentence],
               start: int, end: int, has_items: bool) -> None:
    """Remember what a prose line is about (its last sentence that is about something), carried
    over the prose lines right below it: the lead-in of a list that follows (`먼저, 돌봄 분야에
    1조원을 배정했습니다.` / `△…`). A line with items or a heading line holds none, nor does a
    question."""
    _note_point(ctx, para, text, tokens, sentences, start, end)
    if has_items or (ctx.heading is not None and ctx.heading[1] == ctx.order):
        ctx.last_focus = None
        return
    abouts = [a for s in real_sentences(text, sentences, start, end)
              if not text[s[0]:s[1]].rstrip().endswith("?") and (a := focus(text, tokens, s[0], s[1], ctx.lex))]
    if abouts:
        ctx.last_focus = (para.line_no, abouts[-1])
    elif ctx.last_focus is not None and ctx.last_focus[0] == para.line_no - 1:
        ctx.last_focus = (para.line_no, ctx.last_focus[1])
    else:
        ctx.last_focus = None


def _note_point(ctx: DocContext, para: Paragraph, text: str, tokens: list[Token], sentences: list[Sentence],
                start: int, end: int) -> None:
    """A speech's numbered point (`셋째, 누구도 소외되지 않는 복지를 실현하겠습니다.`) is what the
    lines after it are about, until a blank line or the next point."""
    for a, b in real_sentences(text, sentences, start, end):
        if ORDINAL.match(text[a:b].lstrip()) and opens_a_point(tokens_between(tokens, a, b)):
            about = focus(text, tokens, a, b, ctx.lex)
            ctx.point = (para.line_no, about) if about else None
            return
    if ctx.point is not None:
        ctx.point = (para.line_no, ctx.point[1]) if ctx.point[0] == para.line_no - 1 else None


def _line_section(ctx: DocContext) -> tuple[str | None, Project | None]:
    parent = ctx.stack[-1].project if ctx.stack else None
    if ctx.heading and (parent is None or ctx.heading[1] > ctx.project_order[parent.project_id]):
        return ctx.heading[0], parent
    return (parent.name if parent else None), parent


def _open_line_item(ctx: DocContext, para: Paragraph, item: P.Item, sentences: list[Sentence]) -> Project:
    rule = item.marker.rule
    under_heading = ctx.heading is not None and ctx.heading[1] == ctx.order - 2
    if not ctx.stack and ctx.last_focus is not None and ctx.last_focus[0] == para.line_no - 1 and not under_heading:
        ctx.heading = (ctx.last_focus[1], ctx.order - 1)    # the prose line above leads the list in
                                                            # (right under a heading, the heading does)
    close_to_level(ctx, rule)
    section, parent = _line_section(ctx)
    project = _project(ctx, para, item, section, parent, sentences)
    name_tokens = [t for s in sentences for t in s.tokens if item.name_start <= t.start and t.end <= item.name_end]
    nouns = _nouns_of_a_clause(para.text, name_tokens)
    if nouns:                                              # only line items own attribute lines
        ctx.item_nouns[project.project_id] = nouns
    if parent is not None and parent.project_id in ctx.list_directions:
        ctx.run_directions[project.project_id] = ctx.list_directions[parent.project_id]   # □ 감액 사업 / ▷ …
    nouns_only = [t for t in name_tokens if t.tag.startswith("NN")]
    if nouns_only and nouns_only[-1].form in ctx.lex.cue("list_head"):
        direction = M.adnominal_direction(name_tokens, ctx.lex)
        if direction is not None:
            ctx.list_directions[project.project_id] = direction
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


def _nouns_of_a_clause(text: str, tokens: list[Token]) -> str | None:
    """A name that is a clause (`노후 상수관 18.5km를 교체`, `북부 배수지를 신설`) as the nouns it
    is made of (`노후 상수관 교체`), to name the figures of its attribute lines; None for a name
    that is a noun phrase already."""
    if not any(t.tag in ("JKO", "JKS", "JX") for t in tokens):
        return None
    words: list[str] = []
    glued_to = None                                  # where the last noun kept ends
    prefix = None                                    # a prefix glued to the next noun (소/XPN 규모)
    for k, tok in enumerate(tokens):
        if tok.tag == "XPN":
            prefix = tok
            continue
        counted = k > 0 and tokens[k - 1].tag == "SN" and tokens[k - 1].end == tok.start     # 3곳을
        if tok.tag not in ("NNG", "NNP") or counted:
            glued_to, prefix = None, None
            continue
        form = prefix.form + tok.form if prefix is not None and prefix.end == tok.start else tok.form
        if words and glued_to == tok.start:
            words[-1] += form                        # 상수/NNG 관/NNG: one word
        else:
            words.append(form)
        glued_to, prefix = tok.end, None
    return " ".join(words) or None


def _inline_runs(ctx: DocContext, para: Paragraph, start: int, end: int, tokens: list[Token],
                 sentences: list[Sentence], spans: list[tuple[int, int]], minus_positions: set[int],
                 under_item: bool = False) -> list[tuple[int, int, Project]]:
    """The runs of inline markers in text[start:end], each item with its section: the run's
    lead-in, what it names the items as after them, the speech's point, else the line item the
    text is in or right under (`■ 민생경제 회복` / `▲A ▲B 등 … 사업을 반영했다`)."""
    text, lex = para.text, ctx.lex
    markers = P.find_markers(text, lex, start, end, True, minus_positions)
    markers = [m for m in markers if not m.rule.note]
    found: list[tuple[int, int, Project]] = []
    if not markers:
        return found
    line_section, line_parent = _line_section(ctx) if (start > 0 or under_item) and ctx.stack else (None, None)
    for sent_start, sent_end in _exclaimed_runs(text, real_sentences(text, sentences, start, end), markers):
        in_sentence = [m for m in markers if sent_start <= m.start < sent_end]
        if not in_sentence:
            continue
        lead = section_of_lead_in(text, tokens, sent_start, in_sentence[0].start, lex)
        clause = max(sent_start, text.rfind(",", sent_start, in_sentence[0].start) + 1)
        if lead is None and clause > sent_start and sent_start > start and \
                _only_discourse(text[clause:in_sentence[0].start], lex, years=True):
            lead = _focus_before(ctx, para, text, tokens, sentences, sent_start)   # …진행 중이며, 올해는 △…
        elif lead is None and _only_discourse(text[sent_start:in_sentence[0].start], lex):
            if not text[start:sent_start].strip() and (ctx.run_continues or line_section):
                lead = ctx.inline_section if ctx.run_continues else line_section
            elif found and _only_adverbs(text[sent_start:in_sentence[0].start], lex):
                lead = ctx.inline_section                    # … △A △B를 반영했습니다. … 이어 △C: the same list goes on
            else:                                            # …에 142억원을 증액했다. ▲백천 … ▲…
                lead = _focus_before(ctx, para, text, tokens, sentences, sent_start)
        items = P.inline_items(text, tokens_between(tokens, sent_start, sent_end), in_sentence,
                               sent_end, lex, spans)
        section = lead if lead is not None or not items else _class_after(text, tokens, items[-1].end, sent_end, lex)
        if section is None and items:
            section = _current_point(ctx, para) or line_section   # 둘째, 농어촌을 살리는 데 … / 쌀 수매 확대와 함께 △…
        direction = M.adnominal_direction(tokens_between(tokens, sent_start, in_sentence[0].start), lex)
        for item in items:
            project = _project(ctx, para, item, section, line_parent, sentences)
            if direction is not None:
                ctx.run_directions[project.project_id] = direction     # 삭감된 주요 사업은 ▲… 8억원
            found.append((item.marker.start, item.end, project))
            if item.lead_in:                              # …이고, 삭감된 사업은 ▲…: a new list from here
                section = P.lead_in_section(text, tokens, item.lead_in[0], item.lead_in[1], lex) or section
                direction = M.adnominal_direction(tokens_between(tokens, *item.lead_in), lex)
        ctx.inline_section = section
        ctx.inline_open = items[-1].marker.rule.rule_id if items else ctx.inline_open
    return found


def _class_after(text: str, tokens: list[Token], end: int, sent_end: int, lex: Lexicon) -> str | None:
    """What a run with no lead-in names its items as, after them (`▲A ▲B 등 이용 편의 시책도
    추진한다`, `△A △B 등의 생활 SOC 사업을`): the noun phrase after 등 that a particle ends,
    unless it is only generic words (`등 3개 분야 사업을`)."""
    toks = tokens_between(tokens, end, sent_end)
    k = next((j for j, t in enumerate(toks[:2]) if t.form == "등" and t.tag == "NNB"), None)
    if k is None:
        return None
    k += 1
    if k < len(toks) and toks[k].tag == "JKG":
        k += 1                                       # 등의
    counted = k + 1 < len(toks) and toks[k].tag == "SN" and toks[k + 1].start == toks[k].end \
        and toks[k + 1].form == "대"                 # 등 4대 전략사업에: a set of so many
    k += 2 if counted else 0
    nouns = []
    while k < len(toks) and toks[k].tag in ("NNG", "NNP", "SL", "XSN"):
        nouns.append(toks[k])
        k += 1
    if not nouns or k == len(toks) or not (toks[k].tag in ("JX", "JKO", "JKS") or toks[k].tag == "JKB"
                                            and toks[k].form == "에") \
            or all(t.form in lex.cue("generic") for t in nouns):
        return None                                  # (… 등 X에 N억원을 투입: the class the money goes to)
    return text[toks[k - len(nouns) - 2].start if counted else nouns[0].start:nouns[-1].end]


def _exclaimed_runs(text: str, spans: list[tuple[int, int]], markers: list[P.Marker]) -> list[tuple[int, int]]:
    """Sentences the analyser cut at a slogan's `요!` inside a run of markers (`△안전을 지켜요!
    편리하고 쾌적한 도시환경 △희망을 키워요! …`) are one sentence again."""
    out: list[list[int]] = []
    for a, b in spans:
        if out and _POLITE_EXCLAMATION.search(text[out[-1][0]:out[-1][1]]) and any(
                out[-1][0] <= m.start < out[-1][1] for m in markers):
            out[-1][1] = b
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _only_adverbs(words: str, lex: Lexicon) -> bool:
    """Words like 이어, 또한 (and no office speaking): a list goes on."""
    return bool(words.split()) and all(w.strip(",") in lex.cue("discourse_adverb") for w in words.split())


def _only_discourse(words: str, lex: Lexicon, years: bool = False) -> bool:
    """Nothing before the markers but words like 이어, 또, 아울러, the office speaking (`시는
    △…`), or (`years`) the year the clause is about (`…진행 중이며, 올해는 △…`): no lead-in of
    their own."""
    return all(w.strip(",") in lex.cue("discourse_adverb") or _office_topic(w, lex) or years and _year_topic(w, lex)
               for w in words.split())


_TOPIC_ENDING = regex.compile(r"(?:은|는|에는|에도|도)$")


def _year_topic(word: str, lex: Lexicon) -> bool:
    """`올해는`, `내년에도`: a year with a topic particle."""
    stem = _TOPIC_ENDING.sub("", word.strip(","))
    return stem != word.strip(",") and stem in lex.period_words


_OFFICE_TOPIC = regex.compile(r"(\p{Hangul}+?)(?:은|는|이|가|에서는|에서)")


def _office_topic(word: str, lex: Lexicon) -> bool:
    """`시는`, `구청에서는`: the office speaking, with its particle."""
    m = _OFFICE_TOPIC.fullmatch(word)
    return m is not None and m.group(1) in lex.cue("office")


_AMOUNTS = ("money", "percent", "points")
_AMOUNT_SAID = regex.compile(r"\s*(?:\([^()]*\)\s*)?(?:늘|줄|증가|감소|증액|감액|많|적|높|낮|규모|수준)")   # its change or size
_AFTER_A_FIGURE = regex.compile(r"(?:\s*\([^()]*\))?[\s)]*")      # 198억원(비중 1.9%)


def section_of_lead_in(text: str, tokens: list[Token], start: int, end: int, lex: Lexicon) -> str | None:
    """The section the words before a run of markers name: the phrase right before the run
    (`먼저 신촌권역으로 ▷…`), else what the lead-in is about (`국토‧지역개발 분야는 225억 원으로
    ▲…`: 국토‧지역개발 분야; `시는 원도심 재생을 위해 △…`: 원도심 재생)."""
    start = _inside_the_quote(text, start, end)
    lead = P.lead_in_section(text, tokens, start, end, lex)
    if lead is not None and not any(q.unit and not q.not_metric and (_AFTER_A_FIGURE.fullmatch(lead, q.end)
                                                                     or q.category in _AMOUNTS
                                                                     and _AMOUNT_SAID.match(lead, q.end))
                                    for q in parse_quantities(lead, lex)):
        return lead                                 # not `225억 원으로`, `198억원(비중 1.9%)`, `412억원 늘어난
    return focus(text, tokens, start, end, lex)     # 규모로`: an amount is no section (`50억원 이상 사업` is)


def _inside_the_quote(text: str, start: int, end: int) -> int:
    """Where a quotation that the run of items stands in opens (`박 의장은 "시의회는 ▲…`): its
    words lead the run in, not the speaker's; else start."""
    region = text[start:end]
    curly = region.rfind("“")
    if curly >= 0 and "”" not in region[curly:]:
        return start + curly + 1
    straight = region.rfind('"')
    return start + straight + 1 if straight >= 0 and region.count('"') % 2 == 1 else start


def focus(text: str, tokens: list[Token], start: int, end: int, lex: Lexicon) -> str | None:
    """What a sentence (or a lead-in) is about: its topic (`사회복지 분야는 …`) unless that is the
    office speaking (`시는`, `서해시(시장 …)는`); else where its money goes (`안전분야에 142억원을`),
    what it is for (`… 강화를 위해`, with what is joined to it: `원도심 재생과 일자리 창출을 위해`)
    or what it looks at (`주요 신규사업을 보면`)."""
    toks = tokens_between(tokens, start, end)
    topic = _marked_phrase(toks, lambda i: toks[i].tag == "JX" and toks[i].form in ("은", "는", "도", "에서는", "으로는",
                                                                                    "로는")
                           or _topic_place(toks, i), lex)
    if topic is not None and not _speaks(toks, topic, lex) and text[topic[0]:topic[1]] not in lex.cue("discourse_adverb"):
        return text[_with_its_purpose(text, toks, _with_the_joined(toks, _with_its_count(toks, topic), lex), lex)[0]:topic[1]]
    for i, tok in enumerate(toks[:-1]):
        if tok.tag == "JKB" and tok.form in ("에", "에는") and toks[i + 1].tag == "SN":
            span = S.noun_run_before(toks[:i], lex)
            if span:
                return text[span[0]:span[1]]
    doing = _purpose_of_doing(text, toks, lex)
    if doing is not None:
        return doing
    for i, tok in enumerate(toks[:-1]):
        verb = _after_manner(toks, i + 1)
        if tok.tag == "JKO" and verb < len(toks) and _verb_form(toks, verb) in lex.cue("purpose"):
            span = S.noun_run_before(toks[:i], lex)
            if span:
                return text[_with_the_joined(toks, _with_its_count(toks, span), lex)[0]:span[1]]
    return named_phrase(text, toks, lex) or _pledged(text, toks) or _announced(text, toks, lex)


def _announced(text: str, toks: list[Token], lex: Lexicon) -> str | None:
    """`제가 몇 가지 요청드리겠습니다.`, `세 가지를 제안드립니다.`: a speaker announcing a count of
    requests, proposals or questions (the `announced` cue words) names the list that follows
    (`몇 가지 요청`; not `두 가지 말씀드리겠습니다`)."""
    words = [t for t in toks if t.tag not in ("SF", "SP")]
    k = next((k for k in range(len(words) - 2, 1, -1) if words[k].form == "드리" and words[k].tag == "VV"
              and words[k - 1].form in lex.cue("announced") and all(t.tag.startswith("E") for t in words[k + 1:])),
             None)
    if k is None:
        return None
    count = k - 2 - (words[k - 2].tag == "JKO")
    if count < 1 or words[count].form != "가지" or words[count - 1].tag not in ("MM", "NR", "SN"):
        return None
    return f"{text[words[count - 1].start:words[count].end]} {words[k - 1].form}"


def _purpose_of_doing(text: str, toks: list[Token], lex: Lexicon) -> str | None:
    """`지역 주민의 참여를 높이기 위해 ▲…`: what is to be done, its object and verb (`지역 주민의
    참여를 높이기`)."""
    for k in range(2, len(toks) - 1):
        if toks[k].tag == "ETN" and toks[k].form == "기" and toks[k + 1].form in lex.cue("purpose") \
                and toks[k + 1].tag.startswith("VV") and toks[k - 1].tag.startswith(("VV", "XSV")):
            verb = k - 1 if toks[k - 1].tag.startswith("VV") or k < 3 else k - 2    # 높이 / 확대 + 하
            span = S.noun_run_before(toks[:verb - 1], lex) if verb >= 1 and toks[verb - 1].tag == "JKO" else None
            if span is None:
                continue
            first = next(j for j, t in enumerate(toks) if t.start == span[0])
            owner = S.noun_run_before(toks[:first - 1], lex) if first >= 2 and toks[first - 1].tag == "JKG" \
                else None                                 # 지역 주민의 참여를
            opening = next(j for j, t in enumerate(toks) if t.start == owner[0]) if owner else first
            if opening and toks[opening - 1].tag == "MM":
                return None                               # 이 흐름을 되돌리기, 이 사업의 효과를: what was said
            return text[(owner or _with_the_joined(toks, span, lex))[0]:toks[k].end]
    return None


def _verb_form(toks: list[Token], k: int) -> str | None:
    """The verb at k (`보`), with the noun glued before it when it starts there (`말씀` + `드리`:
    `말씀드리`); None when none is there."""
    if toks[k].tag.startswith("VV"):
        return toks[k].form
    if toks[k].tag == "NNG" and k + 1 < len(toks) and toks[k + 1].tag.startswith("VV") and toks[k + 1].start == toks[k].end:
        return toks[k].form + toks[k + 1].form
    return None


def _after_manner(toks: list[Token], k: int) -> int:
    """Past the manner the next verb is done in (`예산안을 분야별로 보면`, `구체적으로`), if any."""
    if k < len(toks) and toks[k].tag == "MAG":
        return k + 1
    j = k
    while j < len(toks) and toks[j].tag in ("NNG", "XSN") and (j == k or toks[j].start == toks[j - 1].end):
        j += 1
    if j > k and j < len(toks) and toks[j].tag == "JKB" and toks[j].form in ("로", "으로"):
        return j + 1
    return k


def _topic_place(toks: list[Token], i: int) -> bool:
    """`복지 분야에서는`, `교통 분야로는`, `지역경제 분야에는`, as the analyser cuts them (에서/JKB
    는/JX, 로/JKB 는/JX, 에/JKB 는/JX): the field a sentence is about."""
    return toks[i].tag == "JKB" and toks[i].form in ("에서", "로", "으로", "에") and i + 1 < len(toks) \
        and toks[i + 1].tag == "JX" and toks[i + 1].form == "는" and toks[i + 1].start == toks[i].end


ORDINAL = regex.compile(r"(?:첫|둘|셋|넷|다섯|여섯|일곱|여덟|아홉|열)째(?:로)?")


def opens_a_point(toks: list[Token]) -> bool:
    """The sentence opens a speech's numbered point (`둘째, …`, `셋째로 …`)."""
    return bool(toks) and ORDINAL.fullmatch(toks[0].form) is not None


def _pledged(text: str, toks: list[Token]) -> str | None:
    """A numbered point that pledges something (`셋째, 따뜻한 복지공동체를 만들겠습니다.`): the
    object of the verb that ends it, with the clause that qualifies it (`누구도 소외되지 않는
    복지`)."""
    if not opens_a_point(toks):
        return None
    words = list(toks)
    while words and words[-1].tag in ("SF", "EF", "EP"):
        words.pop()
    if len(words) > 1 and words[-1].tag == "XSV" and words[-2].tag == "NNG":
        words.pop()                                    # 실현/NNG 하/XSV
    body = words[:-1]
    while body and body[-1].tag == "MAG":              # …을 차질 없이 확충하겠습니다: past the manner,
        body.pop()
        if len(body) > 1 and body[-1].tag == "NNG" and body[-2].tag == "JKO":
            body.pop()                                 # its noun too (차질/NNG 없이/MAG)
    words = body + words[-1:]
    if len(words) < 4 or not (words[-1].tag.startswith("VV") or words[-1].tag == "NNG") \
            or words[-2].tag != "JKO" or words[-3].tag not in S.SUBJECT_NOUNS:
        return None
    k = 1 + (toks[1].form == "로")                     # 다섯째/NR 로/JKB
    start = toks[k].end if toks[k].form == "," else toks[k - 1].end
    if any(t.form == "," and t.start >= start for t in words[:-2]):
        return None                                    # 첫째, …하고, …를 늘리겠습니다: no one object
    return text[start:words[-2].start].strip() or None


def _with_the_joined(toks: list[Token], span: tuple[int, int], lex: Lexicon) -> tuple[int, int]:
    """The noun phrase with those joined to it by 와/과/및 (`원도심 재생과 일자리 창출`)."""
    while True:
        k = next((j for j, t in enumerate(toks) if t.start == span[0]), 0)
        if k < 2 or not (toks[k - 1].tag == "JC" or toks[k - 1].form == "및"):
            return span
        joined = S.noun_run_before(toks[:k - 1], lex)
        if joined is None:
            return span
        span = (joined[0], span[1])


def named_phrase(text: str, toks: list[Token], lex: Lexicon) -> str | None:
    """A sentence that only names something (`셋째로, 농어촌 활력 분야입니다.`): that noun phrase."""
    words = [t for t in toks if t.tag not in ("SF", "SP", "SS", "EF")]
    if len(words) > 3 and words[0].form in lex.cue("discourse_adverb") and words[1].tag == "JX":
        words = words[2:]                             # 다음은 청년 주거 분야입니다
    if len(words) < 2 or words[-1].tag != "VCP":
        return None
    clause = any(t.tag.startswith(("J", "V", "E")) and t.tag not in ("JKB", "VCP") for t in words[:-1])
    joined = not any(t.tag.startswith(("V", "E")) and t.tag != "VCP" for t in words[:-1])   # 섬과 원도심의 …
    span = S.noun_run_before(words[:-1], lex)
    if span is None or S.official(" ".join(text[span[0]:span[1]].split()[-2:]), lex):
        return None                                   # 노인장애인과장 한수빈입니다: a person says who speaks
    if clause:                                        # 첫째, 기초학력을 책임지는 교육입니다: a point names the
        head = next(k for k, t in enumerate(words) if t.start == span[0])     # noun with its clause
        if not opens_a_point(words) or head < 2 or words[head - 1].tag != "ETM" and not joined:
            return None
        opened = next(k for k, t in enumerate(words[1:], 1) if not (t.tag == "JKB" and t.form == "로" or t.form == ","))
        span = (words[opened].start, span[1])       # past 첫째로,
    return text[span[0]:span[1]]


def _with_its_purpose(text: str, toks: list[Token], span: tuple[int, int], lex: Lexicon) -> tuple[int, int]:
    """`지역경제 회복을 위한 사업도 …`: what a topic of one word is for stays with it in a
    section (a longer one names itself: `… 강화를 위한 5대 복지분야 예산은` → `5대 복지분야 예산`)."""
    k = next((j for j, t in enumerate(toks) if t.start == span[0]), None)
    if k is None or k < 4 or len(text[span[0]:span[1]].split()) > 1 or toks[k - 1].tag != "ETM" \
            or toks[k - 2].form not in lex.cue("purpose") or not toks[k - 2].tag.startswith("VV") \
            or toks[k - 3].tag != "JKO":
        return span
    head = S.noun_run_before(toks[:k - 3], lex)
    return (head[0], span[1]) if head else span


def _with_its_count(toks: list[Token], span: tuple[int, int]) -> tuple[int, int]:
    """`5대 복지분야`, `10대 도정 성과`, `몇 가지 수치`: a count that names a set stays with it in
    a section."""
    k = next((j for j, t in enumerate(toks) if t.start == span[0]), None)
    if k is not None and k >= 2 and toks[k - 1].form == "대" and toks[k - 2].tag == "SN" \
            and toks[k - 2].end == toks[k - 1].start:
        return toks[k - 2].start, span[1]
    if k is not None and k >= 1 and toks[k].tag == "NNB" and toks[k - 1].tag == "MM":
        return toks[k - 1].start, span[1]
    return span


def _marked_phrase(toks: list[Token], marks, lex: Lexicon) -> tuple[int, int] | None:
    """The noun phrase before the first particle that `marks` picks, outside relative clauses."""
    for i in range(1, len(toks)):
        if marks(i) and toks[i - 1].tag not in ("ETM", "EC", "EF"):
            span = _quoted(toks[:i]) or S.noun_run_before(toks[:i], lex)
            if span:
                return span
    return None


def _quoted(toks: list[Token]) -> tuple[int, int] | None:
    """The words inside the quotes that end the tokens (`'일자리 거점 권역'은`), without them."""
    if len(toks) < 3 or toks[-1].tag != "SSC":
        return None
    k = next((j for j in range(len(toks) - 2, -1, -1) if toks[j].tag in ("SSO", "SSC")), None)
    if k is None or toks[k].tag != "SSO" or k == len(toks) - 2:
        return None
    return toks[k + 1].start, toks[-2].end


_OFFICE = regex.compile(r"(?:시|구|군|도|청|부|처|정부|공단|공사|의회|위원회|당국)$")


def _speaks(toks: list[Token], span: tuple[int, int], lex: Lexicon) -> bool:
    """The topic is the office that speaks (시, 구, 서해시, 가람구청, 정부, 해수부): no section."""
    words = [t for t in toks if span[0] <= t.start and t.end <= span[1]]
    return bool(words) and (words[-1].form in lex.cue("office") or words[-1].tag == "NNP"
                            and bool(_OFFICE.search(words[-1].form))
                            or len(words) == 1 and P.is_agency(words[0].form, lex))


def _current_point(ctx: DocContext, para: Paragraph) -> str | None:
    """What the speech's numbered point this line is under is about, if it is under one."""
    return ctx.point[1] if ctx.point is not None and ctx.point[0] >= para.line_no - 1 else None


def _focus_before(ctx: DocContext, para: Paragraph, text: str, tokens: list[Token], sentences: list[Sentence],
                  start: int) -> str | None:
    """The focus of the sentence before a run that opens its sentence: the numbered point of
    a speech that the run's lines are under (`셋째, …복지를 실현하겠습니다.` / … / `▲…`), else
    the sentence before in this paragraph (unless it holds items), or the last one of the
    paragraph right above."""
    if (point := _current_point(ctx, para)) is not None:
        return point
    before = [s for s in real_sentences(text, sentences, 0, start) if s[1] <= start]
    if before:                                       # not one with items of its own: it names them
        return None if P.find_markers(text, ctx.lex, *before[-1], True, set()) else \
            focus(text, tokens, before[-1][0], before[-1][1], ctx.lex)
    if ctx.last_focus is not None and ctx.last_focus[0] == para.line_no - 1:
        return ctx.last_focus[1]
    return None


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
