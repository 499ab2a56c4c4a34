"""Bullet items: where an item starts and ends, its name, detail, action, status, section.

Inline items (markers inside running sentences) are cut with the morphemes: an item ends
at the next marker, at a list closer (등), at the end of the sentence, or after a
connective ending on its predicate (강화하며), after which the text up to the next marker
is the lead-in of a new section. Line items (a marker at the start of a line) are cut by
the line. Vocabulary (markers, closers, linking verbs, actions, statuses) comes from rules.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from pipeline.extract.cells import compact as without_spaces
from pipeline.lexicon import Lexicon, MarkerRule
from pipeline.records import Token, tokens_between

_SPACED_LABEL = regex.compile(r"^\s*((?:\p{Hangul}\s+){1,4}\p{Hangul})(?=\s*[:：])")
_LIST_BREAK = regex.compile(r"[,()]")

NOUN_TAGS = {"NNG", "NNP", "NNB", "NR", "NP", "SN", "SL", "SH", "XSN", "XPN", "SO", "SW"}
CUT_PARTICLES = {"JKS", "JKO", "JKB", "JX", "JKC"}
PREDICATE_TAGS = {"VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA", "VV-R", "VV-I", "VA-R", "VA-I", "VX-R", "VX-I",
                  "XSA-I", "XSA-R", "XSV-I", "XSV-R"}
LEAD_IN_PARTICLES = {"JKB", "JX", "JKS"}
STOP_BACK = {"JX", "JKB", "SP", "EC", "EF", "SF", "SE"}
_TRAILING_JUNK = regex.compile(r"[\s,.;:·/=(\[{「『<〈《【→⇒~∼-]+$")
_OPENERS = {"「": "」", "『": "』", "{": "}", "[": "]", "<": ">", "〈": "〉", "《": "》", "【": "】", "(": ")",
            "‘": "’", "“": "”"}
_TRAILING_PAREN = regex.compile(r"\s*\([^()]*\)\s*$")
_WORD_NOT_UNIT = regex.compile(r"(?<![\d\p{Hangul}])\p{Hangul}{2,}|\p{Latin}{2,}")   # 준공 in (2026년 준공), not 억원
_HANGUL_WORD = regex.compile(r"\p{Hangul}+")
_DATE_LABEL = regex.compile(r"^\s*(?=[\d'’])(?:[\d.\s~'’/년월일-]|상반기|하반기|분기)+:\s*"    # 2009. 상반기 :
                         r"|^\s*['’]?\d{2,4}\.\s*(?:\d{1,2}\.(?:\s*\d{1,2}\.)?|[상하]반기|\d(?:/4)?분기)\s+(?=\p{Hangul})")
                                                                                # 2018. 3. 공사 착공, 2023. 상반기 착공
CATEGORY_TAG = regex.compile(r"\([^()]{1,10}\)\s*")              # ○ (청년) 청년 창업지원센터 …
# `사업비: 15억원` (a label and a figure) or `사 업 량 : …` (a letter-spaced field label)
_ATTRIBUTE = regex.compile(r"^\s*(?:[^\s:：=]{1,6}\s*[:：]\s*(?=[△-]?\d)|(?:\p{Hangul}\s+){1,4}\p{Hangul}\s*[:：])")
_LABEL = regex.compile(r"^\s*([^:：=\n]{1,10}?)\s*[:：]")          # `위    치 :`, `지원대상:`
_LABEL_THEN_FIGURES = regex.compile(r"[^:：(]*?\K\s*[:：]\s*(?=[^:：]*\d)"            # 어르신 일자리 확대 : 5,000명
                                     r"|(?=\s*\S*\p{Hangul}\S*\s+\S*\p{Hangul}\S*\s+\S*\p{Hangul}[^:：]*[:：])"
                                     r"(?:[^:：()]|\([^()]*\))*?\K\s*[:：]\s*(?=\S)")      # 주민과의 소통 강화: 동별 간담회


@dataclass
class Marker:
    start: int
    end: int
    symbol: str
    rule: MarkerRule


@dataclass
class Item:
    marker: Marker
    start: int                 # span of the item, without the marker
    end: int
    name_start: int
    name_end: int
    detail: str | None = None
    action: str | None = None
    status: str | None = None
    rule_ids: list[str] = field(default_factory=list)
    lead_in: tuple[int, int] | None = None      # a new section's lead-in after this item
    named: bool = False                         # `○ 사업명 : X`: the line names its project, X
    labelled: bool = False                      # `○ 주요시설 : …`: a label and a colon open the line


def find_markers(text: str, lex: Lexicon, start: int, end: int, inline: bool, skip: set[int]) -> list[Marker]:
    """Markers in text[start:end]; inline=True: markers inside running text, else the line's first."""
    if not (lex.some_inline_marker if inline else lex.some_line_marker).search(text, start, end):
        return []                      # one search instead of one a rule, on the many lines without any
    found = [mk for rule in (lex.inline_markers if inline else lex.line_markers) for m in rule.regex.finditer(text, start, end)
             if (mk := _accepted(text, m, rule, end, skip))]
    found.sort(key=lambda mk: (mk.start, -(mk.end - mk.start)))
    unique: list[Marker] = []
    for mk in found:
        if not unique or mk.start >= unique[-1].end:
            unique.append(mk)
    return unique


def line_marker(text: str, lex: Lexicon, start: int, end: int, skip: set[int]) -> Marker | None:
    """The marker that opens a line (after indentation), if any: the longest there."""
    first = start + len(text[start:end]) - len(text[start:end].lstrip())
    if not lex.some_line_marker.match(text, first, end):
        return None                    # one match instead of one a rule, on the many lines without any
    found = [mk for rule in lex.line_markers if (m := rule.regex.match(text, first, end))
             and (mk := _accepted(text, m, rule, end, skip))]
    return max(found, key=lambda mk: mk.end - mk.start, default=None)


def opens_with_marker(text: str, lex: Lexicon) -> bool:
    """The line opens with a bullet (not a note's `※`)."""
    marker = line_marker(text, lex, 0, len(text), set())
    return marker is not None and not marker.rule.note


def _accepted(text: str, m: regex.Match, rule: MarkerRule, end: int, skip: set[int]) -> Marker | None:
    """The match as a marker, unless it is none: skipped, followed by nothing, glued to the
    next word where a space must follow, or doubled (○○구: a masked name, not a bullet)."""
    if m.start() in skip:
        return None
    after = text[m.end(): m.end() + 1]
    if not after or after.isspace() and not text[m.end():end].strip():
        return None
    if rule.space_after and not after.isspace():
        return None
    if text[m.end():m.end() + len(m.group())] == m.group() or text[max(0, m.start() - len(m.group())):m.start()] == m.group():
        return None
    return Marker(m.start(), m.end(), m.group(), rule)


def clean_name_start(text: str, start: int, end: int) -> int:
    """Skip spaces and an opening bracket or quote whose closer is not in the name."""
    while start < end and (text[start].isspace() or (
            text[start] in _OPENERS and _OPENERS[text[start]] not in text[start + 1:end])):
        start += 1
    return start


def clean_name_end(text: str, start: int, end: int, quantity_spans: list[tuple[int, int]], lex: Lexicon) -> int:
    """Drop what trails a name: figures, their periods, a parenthetical of figures, punctuation
    (`정비 23억원`, `(20억원)`, `(52→109)`, `’07년 612ha →`); a parenthetical with words is the name's own (`경제 도시(전통시장
    현대화, 상품권 확대)`, `복구사업(성립전)`)."""
    while end > start:
        chunk = text[start:end]
        stripped = _TRAILING_JUNK.sub("", chunk)
        paren = _TRAILING_PAREN.search(stripped)
        new_end = start + len(stripped)
        if paren and paren.start() > 0 and _of_figures(text, start + paren.start(), start + paren.end(), quantity_spans, lex):
            new_end = start + paren.start()
        elif paren and paren.start() > 0:             # 보상비 △2,450,000천원(집행 시기 조정): the figure's note
            figure = next((qs for qs, qe in quantity_spans
                           if start < qs and text[qs - 1].isspace() and qe == start + paren.start()), None)
            new_end = figure if figure is not None else new_end
        for qs, qe in quantity_spans:
            if start < qs and qe >= new_end - 1 and qs < new_end and text[qs:new_end].strip() == text[qs:qe].strip() \
                    and not _FROM_FIGURE.search(text, start, qs):
                new_end = qs                          # (not the 15개로 of `기존 8개에서 15개로`: what the name changes)
        copula = _COPULA_AFTER_FIGURE.search(text, start, new_end)
        if copula and any(qe == copula.start() for _, qe in quantity_spans):
            new_end = copula.start()                  # 마을버스 재정지원 7억 6,000만 원입니다: the figure's predicate
        period = _trailing_period(text, start, new_end, lex)
        if period is not None:
            new_end = period                          # 피해면적 ’07년 612ha → ’08년 231ha: the years go too
        closer = next((w for w in lex.cue("list_closer") if text[start:new_end].endswith(" " + w)), None)
        if closer is not None:
            new_end -= len(closer) + 1                # … 긴급복지 확대 등: the list goes on, the name does not
        new_end = start + len(_TRAILING_JUNK.sub("", text[start:new_end]))
        if new_end == end:
            break
        end = new_end
    return end


_COPULA_AFTER_FIGURE = regex.compile(r"(?:입니다|이다|였다|이었다|였습니다|이었습니다)\s*[.]?\s*\Z")
_FROM_FIGURE = regex.compile(r"\d\s*\S{0,3}에서\s*\Z")


def _trailing_period(text: str, start: int, end: int, lex: Lexicon) -> int | None:
    """Where a period word that ends text[start:end] after a space begins."""
    last = None
    for last in lex.period_regex.finditer(text, start, end):
        pass
    if last is None or last.end() != end or last.start() <= start or not text[last.start() - 1].isspace():
        return None
    return last.start()


def _of_figures(text: str, start: int, end: int, quantity_spans: list[tuple[int, int]], lex: Lexicon) -> bool:
    """text[start:end] holds figures and the words that go with them (units, a period, a
    direction, 이상, 대비, a status, a field label or funding source: 총사업비, 국비), no word of
    its own: `(2016. 6월 준공)`, `(총사업비 250억원)`, `(62.3% 감소)`."""
    inner = "".join(" " if any(qs <= i < qe for qs, qe in quantity_spans) else text[i] for i in range(start, end))
    if lex.period_regex is not None:
        inner = lex.period_regex.sub(" ", inner)
    figure_words = (*lex.directions, *lex.qualifiers_after, *lex.cue("comparison"), *lex.statuses)
    labels = (*lex.cue("field"), *lex.funding_sources)
    return all(any(word.startswith(w) for w in figure_words)
               or any(word.endswith(w) if len(w) > 1 else word == w for w in labels)   # 국, 자: alone, not 수급자
               for word in _WORD_NOT_UNIT.findall(inner))


def without_note(name: str) -> str:
    """A name without the bracketed words that trail it: what a figure after the item measures."""
    paren = _TRAILING_PAREN.search(name)
    return name[:paren.start()] if paren and paren.start() > 0 else name


def line_item(text: str, marker: Marker, end: int, quantity_spans: list[tuple[int, int]], lex: Lexicon) -> Item | None:
    """A line item; None for an attribute line (`- 사업비: 15억원`, `○ 위    치 : …`), which
    is not a project: its figures belong to the item above. In `어르신 일자리 확대 : 5,000명 →
    5,500명` the figures after the colon are the item's, not its name."""
    start = marker.end
    body = text[start:end]
    date = _DATE_LABEL.match(body)
    label = _LABEL.match(body)
    label_word = without_spaces(label.group(1)) if label else ""
    named = label_word in lex.cue("project_name")
    attribute = _ATTRIBUTE.match(body) and not (         # `○ 공영주차장 : 142개소 … 운영`: a facility and what
        label is not None and " " not in label.group(1).strip() and label_word not in lex.cue("field")   # it does
        and any(lex.action_suffix.search(w) for w in _HANGUL_WORD.findall(body, label.end())))
    if not date and not named and (attribute or label_word in lex.cue("field")
                                   or figures_only(text, start, end, quantity_spans, lex)
                                   or _compares(text, start, end, quantity_spans, lex)
                                   or states_a_figure(text, start, end, quantity_spans, lex)):
        return None
    name_start = start + (date.end() if date else label.end() if named else 0)
    name_start = clean_name_start(text, name_start, end)
    tag = CATEGORY_TAG.match(text, name_start, end)
    if tag and tag.end() < end:
        name_start = tag.end()
    name_end = name_start + len(text[name_start:end].split("=")[0].rstrip()) if "=" in text[name_start:end] else end
    figures_after = _LABEL_THEN_FIGURES.match(text, name_start, name_end)
    if figures_after:
        name_end = figures_after.start()
    first_sentence = _SENTENCE_STOP.search(text, name_start, name_end)
    if first_sentence:
        name_end = first_sentence.start()             # ○ … 조성사업 추진. 2018~2022년 4년간 …: one sentence
    name_end = clean_name_end(text, name_start, name_end, quantity_spans, lex)
    if name_end <= name_start:
        return None
    item = Item(marker, start, end, name_start, name_end, rule_ids=[marker.rule.rule_id], named=named,
                labelled=label is not None and not named)
    _action_status(text[name_start:name_end], item, lex)
    return item


_TOPIC_BEFORE_FIGURE = regex.compile(r"^(?P<topic>[^,]{1,40}?\S)[은는]\s+(?:(?:약|총|모두)\s*)?$")
_OBJECT_OF_A_DOING = regex.compile(r"(?<![^\s])[^\s\d]*[^\s\d%)][을를](?=\s)")    # 신규 사업을 (최소화)


def states_a_figure(text: str, start: int, end: int, quantity_spans: list[tuple[int, int]], lex: Lexicon) -> bool:
    """The line is a sentence that states a figure of its topic (`□ 세입결산액은 15조 8,912억원,
    세출결산액은 …`, `❍ 사회복지 분야는 6,124억원으로 전체의 35.3%를 차지`): a finding, no project;
    unless its topic is a project or a time (`○ 도서관 건립사업은 …`, `○ 올해는 …`) or it goes on to
    do something (`○ 재정자립도는 13.6%로 낮아 신규 사업을 최소화`, `… 30억원을 투입하여 … 지원`,
    `… 2025년 준공 예정`)."""
    first = next((a for a, b in quantity_spans if start <= a < end), None)
    topic = _TOPIC_BEFORE_FIGURE.match(text[start:first].lstrip()) if first is not None else None
    if topic is None:
        return False
    last = topic.group("topic").split()[-1]
    if last in lex.period_words or any(last.endswith(w) for w in (*lex.cue("project"), *lex.actions)):
        return False
    words = _HANGUL_WORD.findall(text, first, end)
    return _OBJECT_OF_A_DOING.search(text, first, end) is None and not any(
        lex.action_suffix.search(w) or w in lex.statuses for w in words)


def _compares(text: str, start: int, end: int, quantity_spans: list[tuple[int, int]], lex: Lexicon) -> bool:
    """The line opens by comparing a figure with an earlier time (`- 전년 대비 3,118명 감소하였으며 …`,
    `○ 전년 말 8만3,011명 대비 864명 감소`): it says how the figure above moved, no project."""
    words = [w.strip(",") for w in text[start:end].split()[:4]]
    return bool(words) and words[0] in lex.period_words and any(start <= a < end for a, _ in quantity_spans) \
        and any(w in lex.cue("comparison") or w.endswith("보다") for w in words[1:])


_SENTENCE_STOP = regex.compile(r"(?<=\p{Hangul})\.\s+(?=\S)")     # a period after a word, and more after it


def cut_at_predicate(text: str, tokens: list[Token], item: Item, quantity_spans: list[tuple[int, int]],
                     lex: Lexicon) -> None:
    """A line item written as a sentence ends its name before the first predicate (`노후 상수관
    12km를 교체하여 유수율을 …` → `노후 상수관 12km를 교체`; `… 확대함` → `… 확대`); what
    follows is its detail."""
    cut = predicate_cut(text, tokens, item.name_start, item.name_end, quantity_spans, lex)
    if cut is not None:
        item.name_end, rest = cut
        item.detail = text[rest[0].start:rest[-1].end] if rest else item.detail


def cut_at_topic(tokens: list[Token], item: Item, lex: Lexicon) -> None:
    """A line item written as a sentence about a project (`❍ 다온읍 하수관로 정비사업은 예산현액
    … 집행`, `○ ‘청년 마을기업 육성’ 사업은 올해 새로 도입되는 사업으로`) is named by that topic,
    one that ends in a `project` cue word or an action word; what follows is what the sentence
    says of it (`○ 재정자립도는 13.6%로 …` is about no project, and keeps its words)."""
    toks = tokens_between(tokens, item.name_start, item.name_end)
    for i, tok in enumerate(toks[1:-1], 1):
        if tok.tag == "JX" and tok.form in ("은", "는") and toks[i - 1].end == tok.start:
            last = toks[i - 1]
            if last.form in lex.cue("project") or last.form in lex.actions:
                item.name_end = last.end
            return


def predicate_cut(text: str, tokens: list[Token], start: int, end: int, quantity_spans: list[tuple[int, int]],
                  lex: Lexicon) -> tuple[int, list[Token]] | None:
    """Where a name written as a sentence in text[start:end] ends, before its first predicate,
    and the nouns after that; None when it has no predicate to cut at."""
    toks = tokens_between(tokens, start, end)
    for i, tok in enumerate(toks[1:-1], 1):
        nxt = toks[i + 1]
        verb = tok.tag == "XSV" or tok.tag.startswith("VV") and toks[i - 1].tag in ("JKO", "JKB")
        if verb and tok.start <= nxt.start <= tok.end and nxt.tag in ("EC", "ETN", "EF", "EP") \
                and (tok.form not in lex.cue("linking_verb") or tok.form in lex.cue("means")):  # 교체하여, 확대함
            cut = toks[i - 1].start if tok.tag.startswith("VV") else tok.start    # 교체를 통하여: without 를
            name_end = clean_name_end(text, start, cut, quantity_spans, lex)
            if name_end <= start:
                return None
            return name_end, [t for t in toks[i + 2:] if t.tag in NOUN_TAGS]
    return None


def dangles(tokens: list[Token], start: int, end: int) -> bool:
    """text[start:end] stops on a word that cannot end a name (`… 및 찾아가는`, `… 강화와`): a
    line that goes on in the next one."""
    toks = tokens_between(tokens, start, end)
    return bool(toks) and toks[-1].end >= end - 1 and (
        toks[-1].tag in ("ETM", "EC", "JKG", "JKB", "JKO", "JC") or toks[-1].form in ("및", "또는", "·", ","))


_PLACE = "\x00"                      # where a figure stood
_FIGURE_PART = regex.compile(r"(?:[^\s:：=\x00]+\s*[:：=]\s*)?(?:[^\s\x00]+\s*)?\x00"
                             r"(?:\s*[~∼→]\s*(?:[^\s\x00]+\s*)?\x00)*")


def figures_only(text: str, start: int, end: int, quantity_spans: list[tuple[int, int]], lex: Lexicon) -> bool:
    """The line reports figures and no more, two or more or one after a label and a colon: each
    part (between commas or brackets) one figure, or a range or arrow of them, after at most a
    one-word label that names no action (`연면적
    1,250㎡, 지하 1층~지상 5층`, `급수인구 184,300명, 전년 대비 2,150명 증가`, `처리용량 : 하루
    350톤`): an attribute line of the item above, not an item. Periods, comparison and frame
    words do not count, nor a direction word after a figure."""
    inside = [(a, b) for a, b in quantity_spans if start <= a and b <= end]
    if not inside or len(inside) == 1 and not _LABEL.match(text[start:end]):
        return False                                  # ○ 도서관 건립 20억원: an item and its amount
    body = text[start:end]
    for a, b in sorted(inside, reverse=True):
        body = body[:a - start] + _PLACE + body[b - start:]
    if lex.period_regex is not None:
        body = lex.period_regex.sub(" ", body)
    dropped = {*lex.cue("comparison"), *lex.cue("frame"), *lex.cue("generic"), *lex.qualifiers_after}
    body = _SPACED_LABEL.sub(lambda m: m.group(1).replace(" ", ""), body)
    for part in _LIST_BREAK.split(body):
        every = part.split()
        if any(lex.action_suffix.search(w.rstrip(":：=")) and (k or w not in dropped) for k, w in enumerate(every)):
            return False                              # 하수관로 정비 : 15.3km, 공원 조성 : 14억원: a project and its figures
        words = [w for w in every if w not in dropped]
        while words and _PLACE in "".join(words[:-1]) and any(words[-1].startswith(d) for d in lex.directions):
            words.pop()                               # … 2,150명 증가
        if words and not _FIGURE_PART.fullmatch(" ".join(words)):
            return False
    return True


def _action_status(name: str, item: Item, lex: Lexicon, remainder: str = "") -> None:
    assert lex.action_suffix is not None and lex.status_regex is not None
    for word in reversed(_HANGUL_WORD.findall(name)):
        hit = lex.action_suffix.search(word)                # the longest: 재조성 over 조성
        if hit:
            item.action = hit[0]
            item.rule_ids.append(lex.actions[hit[0]])
            break
    for source in (remainder, name):
        hits = lex.status_regex.findall(source, overlapped=True)
        if hits:                                       # the last status word standing as a word
            status, rule_id = lex.statuses[hits[-1]]
            item.status = status
            item.rule_ids.append(rule_id)
            return


def is_clause_end(tokens: list[Token], i: int, text: str, lex: Lexicon, verbs_only: bool = False) -> bool:
    """tokens[i] is a connective ending on a predicate that closes a clause (not 위해, 비해,
    비교하면);
    verbs_only: not on an adjective either (안전하고 살기 좋은 … goes on)."""
    tok = tokens[i]
    if tok.tag != "EC" or i == 0:
        return False
    j = i - 2 if tokens[i - 1].tag == "EP" and i > 1 else i - 1
    prev = tokens[j]
    if prev.tag not in PREDICATE_TAGS or prev.form in lex.cue("linking_verb"):
        return False
    if prev.form == "보" and prev.tag == "VX" and j > 1 and tokens[j - 1].tag == "EC":
        j -= 2                                        # 비교해 보면
    if j > 0 and tokens[j].tag == "XSV" and tokens[j - 1].form == "비교":
        return False                                  # 1,700억원과 비교하면 150억원 증가: one comparison
    if verbs_only and prev.tag.startswith(("VA", "XSA")):
        return False
    if tok.form == "게" and prev.tag.startswith(("VA", "XSA")):
        return False                                  # 크게 늘었다, 새롭게 단장: an adverb, the clause goes on
    return tok.end >= len(text) or text[tok.end].isspace() or text[tok.end] in ",;"


def _names_its_list(text: str, region: list[Token], i: int) -> bool:
    """`스마트팜, 드론, 수소 등 3대 신산업 육성`: a 등 after the item's own list of names, before the
    count and noun that name that list, is inside the item."""
    listed = "," in text[region[0].start:region[i].start]
    after = region[i + 1:i + 3]
    return listed and len(after) == 2 and after[0].tag == "SN" and after[1].form in ("대", "개", "가지")


def inline_items(text: str, tokens: list[Token], markers: list[Marker], sentence_end: int,
                 lex: Lexicon, quantity_spans: list[tuple[int, int]]) -> list[Item]:
    """Items of one sentence's markers, with lead-ins for sections that start after a connective."""
    closers = lex.cue("list_closer")
    items: list[Item] = []
    for k, mk in enumerate(markers):
        region_end = markers[k + 1].start if k + 1 < len(markers) else sentence_end
        region = tokens_between(tokens, mk.end, region_end)
        end = region_end
        lead_in = None
        depth = 0
        for i, tok in enumerate(region):
            depth += text.count("(", tok.start, tok.end) - text.count(")", tok.start, tok.end)
            if tok.form in closers and tok.tag in ("NNB", "NNG") and i > 0 and depth <= 0 \
                    and not _names_its_list(text, region, i):
                end = tok.start                       # not the 등 of `스마트 보안등·CCTV` in brackets
                break
            if (tok.tag == "EF" or tok.tag in ("SF",) and (tok.end >= len(text) or text[tok.end].isspace())) and (
                    _only_punctuation(region[i + 1:]) or k + 1 == len(markers) and not _slogan(region, i)):
                end = tok.end                         # `안전을 지켜요! 편리하고 …` before the next marker goes on
                break
            if is_clause_end(region, i, text, lex, verbs_only=k + 1 == len(markers)) or \
                    k + 1 < len(markers) and _verb_left_out(region, i):
                rest = [t for t in region[i + 1:] if t.tag not in ("SP", "SF")]
                if k + 1 < len(markers):
                    if not rest or lead_in_section(text, rest, rest[0].start, region_end, lex) is None:
                        continue                          # 안전하고 살기 좋은 …: the item goes on
                    lead_in = (rest[0].start, region_end)
                end = tok.end
                break
        item = _inline_item(text, mk, end, [t for t in region if t.end <= end], lex, quantity_spans,
                            last=k + 1 == len(markers) or end < region_end)
        if item:
            item.lead_in = lead_in
            items.append(item)
    return items


def _verb_left_out(region: list[Token], i: int) -> bool:
    """`▷고교 무상급식 확대 97억원을, 교육환경 개선 분야에 ▷…`: a figure's object particle and a
    comma, the verb left for the sentence's end; what follows may lead in new items."""
    return region[i].form == "," and i >= 2 and region[i - 1].tag == "JKO" and region[i - 2].tag in ("SN", "NNB", "NR", "SW")


def _slogan(region: list[Token], i: int) -> bool:
    """A final ending at i, then `!` or `?`, then more words: an exclamation inside an item's
    name (`감동을 드려요! 소통과 신뢰의 열린 구정`), not the end of the sentence."""
    j = i + (1 if region[i].tag == "EF" else 0)
    ending = region[i] if region[i].tag == "EF" else (region[i - 1] if i else region[i])
    return j < len(region) and region[j].form in ("!", "?") and not _only_punctuation(region[j + 1:]) \
        and ending.tag == "EF" and ending.form.endswith("요")


def _only_punctuation(tokens: list[Token]) -> bool:
    return all(t.tag in ("SF", "SP", "SS", "SSO", "SSC", "SE", "SO", "SW") for t in tokens)


def _adnominal_follows(toks: list[Token], i: int) -> bool:
    """After the particle at i comes a clause that ends in an adnominal form and a noun: the
    particle is inside the name (`소상공인과 함께하는 경제 도시`, `시민이 주인(이) 되는 시정`)."""
    nouns = 0
    for j in range(i + 1, min(len(toks), i + 8)):
        if toks[j].tag == "ETM":
            noun = j + 1
            while noun + 1 < len(toks) and toks[noun].tag in PREDICATE_TAGS and toks[noun + 1].tag == "ETM":
                noun += 2                               # 주인이 되는 열린 행정: one adnominal after another
            return noun < len(toks) and toks[noun].tag in NOUN_TAGS and toks[j - 1].tag != "VCP" and not (
                toks[j - 1].tag.startswith("XSV") and j >= 2 and toks[j - 2].tag in NOUN_TAGS)   # 단절된: its own verb
        if toks[j].tag in ("EF", "SF") or toks[j].tag in CUT_PARTICLES and toks[j].tag != "JKC":
            return False                                # 시민이 주인이 되는 행정: 이/JKC goes on to 되는
        nouns += toks[j].tag in NOUN_TAGS
        if nouns > 1:                                   # `…사업으로 주민공동체 거점공간인 …`: a phrase of its own
            return False
    return False


def _ends_with_a_predicate(toks: list[Token], i: int) -> bool:
    """The item's own words end in a predicate after the particle at i (`… 복지를 강화하며`,
    `… 4,200호다`): the particle ends its name. A slogan inside a list (`안전을 지켜요! 편리하고
    쾌적한 도시환경`) ends in a noun: it does not."""
    rest = [t for t in toks[i + 1:] if t.tag not in ("SF", "SP", "SS", "SSO", "SSC", "SE")]
    return not rest or rest[-1].tag in ("EF", "EC", "ETN", "VCP", "XSV", "XSA", "VV", "VA", "EP") \
        or rest[-1].tag.startswith(("VV", "VA", "XSV", "XSA"))


def _inline_item(text: str, mk: Marker, end: int, toks: list[Token], lex: Lexicon,
                 quantity_spans: list[tuple[int, int]], last: bool = True) -> Item | None:
    start = clean_name_start(text, mk.end, end)
    while toks and toks[-1].tag in ("SF", "SP"):
        toks = toks[:-1]
    if not toks:
        return None
    cut = None
    exclaimed = max((j + 2 for j in range(len(toks) - 2) if _slogan(toks, j)), default=0)   # `감동을 드려요! 소통과 …`
    for i, tok in enumerate(toks):
        if i < exclaimed:
            continue
        if last and tok.tag == "SP" and i > 0 and i + 1 < len(toks) and (
                toks[i + 1].tag == "MAG" or toks[i + 1].tag.startswith(("VA", "VV"))):
            cut = i                                       # ①… ②열린 행정, 이렇게 다섯 가지: the item ends at the comma
            break
        if (tok.tag in CUT_PARTICLES or tok.tag == "VCP") and i > 0 and (
                toks[i - 1].tag in NOUN_TAGS or toks[i - 1].tag.startswith("SS")):   # 12억원(10%)으로, 4,200호다
            if _adnominal_follows(toks, i) or not last and not _ends_with_a_predicate(toks, i) or _from_to(toks, i):
                continue                                  # inside the name: 문화가 흐르는 …, 고교까지 전학년 …,
                                                          # 시간 30분에서 40분으로 연장
            cut = i
            break
    item = Item(mk, start, end, start, end, rule_ids=[mk.rule.rule_id])
    remainder = ""
    if cut is not None:
        rest = toks[cut + 1:]
        content = [t for t in rest if t.tag in NOUN_TAGS]
        if content and len(content) == 1 and content[0].form in lex.actions and rest[0] is content[0] \
                and toks[cut].tag != "JKS":
            item.name_end = content[0].end                # 장애인 복지를 강화(하며), not … 13억원이 추가(됐다)
        else:
            item.name_end = toks[cut].start
            while rest and (rest[0].form in lex.cue("linking_verb") or rest[0].tag in ("EC", "SP")):
                rest = rest[1:]
            nouns = [t for t in rest if t.tag in NOUN_TAGS]
            if nouns:
                remainder = text[rest[0].start:nouns[-1].end]
    else:
        item.name_end = toks[-1].end
    item.name_end = clean_name_end(text, item.name_start, item.name_end, quantity_spans, lex)
    if item.name_end <= item.name_start:
        return None
    _action_status(text[item.name_start:item.name_end], item, lex, remainder)
    if remainder and without_spaces(remainder) not in lex.status_compact:
        item.detail = remainder
    return item


def _figure_at(toks: list[Token], k: int) -> bool:
    """toks[k] ends a figure: a number, or its counter right after one (`30/SN 분/NNB`)."""
    return 0 <= k < len(toks) and (toks[k].tag == "SN" or k > 0 and toks[k - 1].tag == "SN"
                                   and toks[k].start == toks[k - 1].end)


def _from_to(toks: list[Token], i: int) -> bool:
    """toks[i] is the 에서 or the 으로 of `N에서 M으로` (`환승 시간 30분에서 40분으로 연장`):
    a change the name says, not where it ends."""
    if toks[i].form == "에서" and _figure_at(toks, i - 1):
        return any(toks[j].form in ("으로", "로") and _figure_at(toks, j - 1) for j in range(i + 2, min(i + 5, len(toks))))
    if toks[i].form in ("으로", "로") and _figure_at(toks, i - 1):
        return any(toks[j].form == "에서" and _figure_at(toks, j - 1) for j in range(max(i - 4, 1), i - 1))
    return False


_MEANS_PARTICLES = ("으로", "로", "에서")


def _done_by(toks: list[Token]) -> int | None:
    """Where `X으로 <verb>ㄴ` starts its particle, when the lead-in ends so (`시책으로 추진한 ▶…`,
    `대책으로 마련한 △…`, `분야에서 펼치는 △…`): the items were done as or in X, its section."""
    if len(toks) < 4 or toks[-1].tag != "ETM":
        return None
    i = len(toks) - 2
    while i > 0 and (toks[i].tag == "EP" or toks[i].tag.startswith("VX")):
        i -= 1
    if toks[i].tag.startswith("XSV") and i > 0 and toks[i - 1].tag == "NNG":
        i -= 2                                                # 추진/NNG 하/XSV
    elif toks[i].tag.startswith("VV"):
        i -= 1
    else:
        return None
    return i if i > 0 and toks[i].tag == "JKB" and toks[i].form in _MEANS_PARTICLES else None


def is_agency(word: str, lex: Lexicon) -> bool:
    """A government body named in one word (해수부, 행안부, 산림청, 집행부: an `agency` ending after
    two syllables or more; not 일부, 본부, nor the places things go to, 사용처, 수요처, 거래처)."""
    return any(word.endswith(a) and len(word) - len(a) >= 2 and a not in _PLACE_ENDINGS for a in lex.cue("agency"))


_PLACE_ENDINGS = {"처"}


def lead_in_section(text: str, tokens: list[Token], start: int, end: int, lex: Lexicon) -> str | None:
    """The section named by the words before a run of markers, without particle or adverb."""
    toks = tokens_between(tokens, start, end)
    while toks and toks[-1].tag in ("SP", "SS") and toks[-1].form != ":":
        toks = toks[:-1]
    if len(toks) < 2:
        return None
    if len(toks) > 4 and toks[-1].tag == "EC" and toks[-2].tag == "XSV" and toks[-3].form in lex.cue("relation"):
        toks = toks[:-2]                                      # 학령인구 감소에 대응해(대응 + 하 + 어)
    elif len(toks) > 3 and toks[-1].tag == "EC" and toks[-2].form in lex.cue("relation") \
            and toks[-3].tag in ("JKB", "JKO"):
        toks = toks[:-1]                                      # 발전계획에 따라(따르 + 어), 계획을 통해(통하 + 어)
    last = toks[-1]
    done_by = _done_by(toks)
    if done_by is not None:
        head = toks[:done_by]                                 # 친기업 시책으로 추진한 ▶…
    elif last.form in lex.cue("relation") and toks[-2].tag in ("JKB", "JKO"):
        head = toks[:-2]
        while head and head[-1].tag in ("SSC", "SS"):
            head = head[:-1]                                  # '2023년 일자리 대책'을 통해
    elif last.tag in LEAD_IN_PARTICLES or last.form == ":":
        head = toks[:-1]
        if last.tag == "JX" and len(head) > 1 and head[-1].tag == "JKB":
            head = head[:-1]                                  # 주요 사업으로는, 이번 추경에는
        if len(head) > 2 and head[-1].form in lex.cue("relation") and head[-2].tag in ("JKO", "JKB"):
            head = head[:-2]                                  # 노인·장애인 복지를 중심으로
    else:
        return None
    chosen: list[Token] = []
    seen_etm = False
    for tok in reversed(head):
        if (tok.tag in STOP_BACK and tok.form != "·") or (tok.tag in ("JKO", "JKS") and not seen_etm):
            break
        seen_etm = seen_etm or tok.tag == "ETM"
        chosen.insert(0, tok)
    while chosen and (chosen[0].form in lex.cue("discourse_adverb") or chosen[0].tag in ("MAJ", "MAG")
                      or chosen[0].form in lex.period_words
                      or chosen[0].tag in ("SSO", "SS") and not any(t.tag in ("SSC", "SS") for t in chosen[1:])):
        chosen.pop(0)                                     # (and a quote opened before the section: '…대책'을 통해)
    if not any(t.tag in ("NNG", "NNP", "XR", "SL", "SH") for t in chosen):
        return None                                       # 2026년까지 ▷…: a time, not a section
    if (chosen[-1].form in lex.cue("office") or len(chosen) == 1 and is_agency(chosen[0].form, lex)) and last.tag == "JX":
        return None                                       # "시의회는 ▲…, 산림청은 ▲…: the speaker, not a section
    section = text[chosen[0].start:chosen[-1].end]
    return section if len(section) > 1 else None          # 구는 △…: the speaker, not a section
