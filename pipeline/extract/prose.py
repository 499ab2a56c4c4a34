"""Prose lines: the metrics of each sentence (what a figure measures, what it is compared
with) and the items and headings the line holds, read with the line's morphemes."""
from __future__ import annotations

import functools

import regex

from pipeline.extract import metrics as M
from pipeline.extract import subjects as S
from pipeline.extract import outline as O
from pipeline.extract import projects as P
from pipeline.extract.cells import SEPARATOR
from pipeline.extract.cells import compact as without_spaces
from pipeline.extract.minutes import speaker_turn
from pipeline.extract.context import DocContext, add_metric, sentence_of, signed
from pipeline.extract.numbers import Quantity, parse_quantities
from pipeline.extract.units import is_bare_pair, unit_note
from pipeline.lexicon import Lexicon, UnitForm
from pipeline.records import Metric, Paragraph, Project, Sentence, Token, tokens_between

_HANGUL = regex.compile(r"\p{Hangul}")
_DIGIT = regex.compile(r"\d")
_LETTER_OR_DIGIT = regex.compile(r"[\p{L}\p{N}]")
_ONE_FIGURE = regex.compile(r"[△-]?([\d,]+(?:\.\d+)?)\s*[십백천만억조]*\s*[^\d\s]*")   # one digit group, scale words, unit
_PAGE_NUMBER = regex.compile(r"\s*[-–—]\s*\d{1,4}\s*[-–—]\s*|\s*\d{1,4}\s*/\s*\d{1,4}\s*")
_REFERS_BACK = regex.compile(r"\s*(?:\S+[은는]\s+)?(?:이는|이것은)\s")      # 이는 지난해 9천48억원보다 1,114억원 늘어난 규모다


def needs_analysis(text: str, lex: Lexicon) -> bool:
    """Only paragraphs with a figure, a numeral word or a marker can give rows, and only a
    lead-in `… 과제는 다음과 같다.` names the section of the items after it."""
    return bool(_DIGIT.search(text) or lex.numeral_hint.search(text) or lex.any_marker.search(text)
                or O.AS_FOLLOWS.search(text))


def read_paragraph(ctx: DocContext, para: Paragraph, sentences: list[Sentence]) -> None:
    """A prose paragraph (a duplicate gives no rows, only the outline it carries)."""
    note = unit_note(para.text, ctx.lex)
    if note is not None:
        ctx.note_unit, ctx.note_line = note.main, para.line_no
    if para.is_duplicate:
        O.repeated_structure(ctx, para)
        return
    if note is not None and not _LETTER_OR_DIGIT.search(para.text[:note.start] + para.text[note.end:]):
        ctx.order += 1
        ctx.last_line_no = para.line_no
        return                                                # a line that is only the note
    skip = [(note.start, note.end)] if note is not None else []
    ends_with_note = note is not None and not para.text[note.end:].strip()
    end = note.start if ends_with_note else len(para.text)           # □ … (단위 : 천원)
    for start, stop in _flattened_lines(para.text, end, ctx.lex):
        read_line(ctx, para, start, stop, sentences, skip)


def _flattened_lines(text: str, end: int, lex: Lexicon) -> list[tuple[int, int]]:
    """A list flattened onto one line, as PDF text gives it (`- (빈곤 해소) … 등 - (보장 강화) …`):
    the line's own marker again, between spaces and before a bracketed label, opens the next
    line."""
    marker = P.line_marker(text, lex, 0, end, set()) if "(" in text else None
    if marker is None or marker.rule.position != "line":
        return [(0, end)]
    cuts = [m.start() for m in _marker_again(marker.symbol).finditer(text, marker.end, end)]
    return list(zip([0, *cuts], [*cuts, end]))


def read_line(ctx: DocContext, para: Paragraph, start: int, end: int, sentences: list[Sentence],
              skip: list[tuple[int, int]] = (), with_metrics: bool = True) -> list[tuple[int, int, Project]]:
    """The items, headings and metrics of text[start:end] (a line, or free text in a table);
    figures inside `skip` spans are read elsewhere. Returns the items with their spans."""
    text, lex = para.text, ctx.lex
    ctx.order += 1
    ctx.run_continues, ctx.inline_open = ctx.inline_open, None
    contiguous = para.line_no <= ctx.last_line_no + 1
    ctx.last_line_no = para.line_no
    if not _LETTER_OR_DIGIT.search(text, start, end) or _PAGE_NUMBER.fullmatch(text, start, end):
        return []                                             # a rule line (───), a page number (- 12 -)
    tokens = [t for s in sentences for t in s.tokens]
    turn = speaker_turn(text, start, end, lex, tokens)
    if turn is not None:                                      # ○도로과장 남궁현  …: the speech is prose
        ctx.speaker, start = turn.speaker, turn.start
        ctx.last_item = None
        ctx.stack.clear()
    quantities = [q for q in parse_quantities(text[:end], lex) if start <= q.start and _is_measure(q, sentences)
                  and not any(a <= q.start < b for a, b in skip)]
    _bare_figures_take_the_unit(text, quantities, lex)
    minus_positions = {q.start for q in quantities if q.minus_triangle}
    _bare_figures_count_people(text, quantities, tokens, lex)
    items = O.segment(ctx, para, start, end, tokens, sentences, quantities, minus_positions, contiguous,
                      turn is not None)
    if with_metrics and sentences and not _header_line(text, start, quantities, lex):
        spoken = [t for t in tokens if t.start >= start] if turn is not None else tokens   # not the speaker's name
        _metrics(ctx, para, sentences, spoken, quantities, items)
    marked = bool(items) or (turn is None and P.line_marker(text, lex, start, end, minus_positions) is not None)
    O.note_focus(ctx, para, text, tokens, sentences, start, end, marked)   # an attribute line leads in nothing
    return items


def _bare_figures_count_people(text: str, quantities: list[Quantity], tokens: list[Token], lex: Lexicon) -> None:
    """`31만 구민`, `750여 북구청 공직자`: a figure without a unit before nouns that end in a word
    for people (the `people` cue words) counts people; so does a figure with a scale word
    right after such a word (`오송역 이용객 500만 돌파`)."""
    if all(q.unit is not None for q in quantities):
        return
    people = next((u for u in lex.units if u.category == "people" and u.form == u.unit), None)
    for q in quantities:
        space = q.end + (text[q.end:q.end + 1] == "여")               # 750여 공직자
        if q.unit is not None or q.not_metric or people is None:
            continue
        nouns = []
        for tok in (t for t in tokens if t.start > space) if text[space:space + 1] == " " else ():
            if tok.tag not in ("NNG", "NNP"):
                break
            nouns.append(tok)
        counted = nouns[-1] if nouns and nouns[-1].form in lex.cue("people") else _people_before(text, q, tokens, lex)
        if counted is not None:
            q.unit, q.category = people.unit, people.category
            q.rule_ids += [people.rule_id, lex.cue("people")[counted.form]]


def _people_before(text: str, q: Quantity, tokens: list[Token], lex: Lexicon) -> Token | None:
    """The word for people a space before a figure written with a scale word (`이용객 270만`)."""
    if text[q.start - 1:q.start] != " " or not _SCALE_WORD_END.search(text, q.start, q.end):
        return None
    before = next((t for t in reversed(tokens) if t.end <= q.start - 1), None)
    if before is None or before.end != q.start - 1 or before.tag not in ("NNG", "NNP") \
            or before.form not in lex.cue("people"):
        return None
    return before


_SCALE_WORD_END = regex.compile(r"\d[천만억]+\Z")


@functools.lru_cache(maxsize=64)
def _marker_again(symbol: str) -> regex.Pattern:
    """The marker between spaces before a bracketed label (`… 등 - (보장 강화) …`)."""
    return regex.compile(rf"(?<=\s){regex.escape(symbol)}\s+(?=\()")


def _header_line(text: str, start: int, quantities: list[Quantity], lex: Lexicon) -> bool:
    """`구 분 50∼99명 100∼299명 300∼499명`: a table's header on one line, opened by the label
    column's word, or three ranges or more side by side; its figures name the columns, they
    are no values."""
    if len(quantities) < 2:
        return False
    if len(quantities) >= 3 and all(q.value_max is not None for q in quantities) and all(
            not text[a.end:b.start].strip() for a, b in zip(quantities, quantities[1:])):
        return True                                   # `합 계 1∼4명 5∼9명 10∼19명`: classes by size
    lead = without_spaces(text[start:quantities[0].start])
    return any(lead == word for role, words in lex.table_roles if role == "label" for word, _ in words)


def _bare_figures_take_the_unit(text: str, quantities: list[Quantity], lex: Lexicon) -> None:
    """`1,200백만원(국비 600, 시비 300)`, `27개 구역(관리처분인가 9, 조합설립 12)`: bare figures
    in brackets right after a figure are in its unit; so is a bare figure before an arrow to a
    figure with a unit (`(105 → 247억원, 134.7%)`: 105억원)."""
    forms = lex.unit_by_rule

    def scaled(outer: Quantity) -> tuple[UnitForm, float] | None:
        unit = next((forms[r] for r in outer.rule_ids if r in forms), None)
        written = _ONE_FIGURE.fullmatch(text, outer.start, outer.end)      # 1,200백만원: 1,200 of 백만원
        digits = float(written.group(1).replace(",", "")) if written else 0
        return (unit, outer.value / digits) if unit is not None and digits else None

    def take(q: Quantity, unit: UnitForm, scale: float) -> None:
        if q.unit is None and not q.not_metric and not q.hangul_numeral and q.value_max is None \
                and not _HANGUL_AFTER.match(text, q.end):   # `경사도 20도 이상`: a counter of its own
            q.value = round(q.value * abs(scale), 6)
            q.unit, q.category = unit.unit, unit.category
            q.rule_ids.append(unit.rule_id)

    for outer in quantities:
        unit_scale = scaled(outer)
        opening = outer.end + (1 if text[outer.end:outer.end + 1] == " " else 0)
        if unit_scale is None or text[opening:opening + 1] != "(":
            continue
        closing = text.find(")", opening)
        for q in quantities:
            if opening < q.start and q.end <= closing:
                take(q, *unit_scale)
    for bare, after in zip(quantities, quantities[1:]):
        if bare.unit is None and _ARROW_ONLY.fullmatch(text, bare.end, after.start) and (unit_scale := scaled(after)):
            take(bare, *unit_scale)


_ARROW_ONLY = regex.compile(r"\s*(?:→|⇒|->)\s*")
_HANGUL_AFTER = regex.compile(r"\p{Hangul}")


def _is_measure(q: Quantity, sentences: list[Sentence]) -> bool:
    if q.not_metric:
        return False
    if q.hangul_numeral:
        first = next((t for s in sentences for t in s.tokens if t.start <= q.start < t.end or t.start == q.start), None)
        last = next((t for s in sentences for t in s.tokens if t.start < q.end <= t.end), None)
        return first is not None and first.tag in ("NR", "MM", "NNG") and not (
            last is not None and last.end > q.end and last.tag.startswith("NN")) and not (  # 구조장비: a 장 inside 장비
            first is last and first.tag.startswith("NN") and first.start <= q.start and q.end <= first.end
            and q.unit is not None)                     # 백사장: numeral and counter one noun, a word
    return True


def _metrics(ctx: DocContext, para: Paragraph, sentences: list[Sentence], tokens: list[Token],
             quantities: list[Quantity], items: list[tuple[int, int, Project]]) -> None:
    text = para.text
    paired = False
    total_unit, shares = ctx.totals_broken_down.get(para.line_no, (None, frozenset()))
    for q in quantities:
        if q.start in shares and q.unit is None and total_unit is not None:
            scale_bare(q, total_unit)         # □ 소요 예산 : 총 2,095백만원 / ○ 재원별 : 국비 600, 도비 390, 군비 1,105
        if q.unit is not None or ctx.note_unit is None:
            continue
        pair = is_bare_pair(text, q)
        if text[:q.start].rstrip().endswith("=") or ctx.note_line == para.line_no and ("," in text[q.start:q.end] or pair):
            scale_bare(q, ctx.note_unit)      # … = 12,000 / 국비 1,200 / 도비 360 (단위 : 백만원)
        elif ctx.note_line == para.line_no - 1 and pair:
            scale_bare(q, ctx.note_unit)      # □ 시도별 선정 현황 (단위 : 개소) / · 전남 16 / 경남 10 / …
            paired = True
    if paired:
        ctx.note_line = para.line_no          # the pairs may go on on the next line
    quantities = [q for q in quantities if q.unit is not None]
    named_before = None                              # 셋째로, 농어촌 활력 분야입니다. 전년 대비 … 9,870억원을
    for sent_start, sent_end in O.real_sentences(text, sentences, 0, len(text)):
        in_sentence = [q for q in quantities if sent_start <= q.start < sent_end]
        if not in_sentence:
            named_before = O.named_phrase(text, tokens_between(tokens, sent_start, sent_end), ctx.lex) or named_before
            continue
        sent_tokens = tokens_between(tokens, sent_start, sent_end)
        ends = M.clause_ends(sent_tokens, text, ctx.lex)
        sent_idx, _ = sentence_of(sentences, in_sentence[0].start, text)
        sentence = text[sent_start:sent_end].strip()
        subjects: dict[int, str | None] = {}
        observations = M.compare(text, sent_tokens, in_sentence, ctx.lex)
        made: list[tuple[M.Observation, Project | None, str | None]] = []
        for obs in observations:
            q = obs.quantity
            clause_start = max([e for e in ends if e <= q.start], default=sent_start)
            project = next((p for a, b, p in reversed(items) if a <= q.start < b), None)
            calc_label = _calculation_label(text, q, items, ctx.lex)
            span = S.subject_span(text, sent_tokens, q, clause_start, ctx.lex, sent_start)
            first = min((part for part in (obs.prev, obs.change, obs.change_pct) if part is not None
                         and part.start < q.start), key=lambda part: part.start, default=None)
            if first is not None and (first is not obs.prev and (span is None or span[1] <= first.start)
                                      or first is obs.prev and span is None):
                named = S.subject_span(text, sent_tokens, first, max([e for e in ends if e <= first.start],
                                                                     default=sent_start), ctx.lex, sent_start)
                span = named or span                       # 안전분야에 142억원을 증액(105 → 247억원): named at its change
                                                           # (문화 분야에는 올해보다 12.4% 증가한 873억원: at its rate);
                                                           # 당초 예산 1조5165억원보다 … 1조6229억원으로: at its earlier figure
            if span is None and (changed := M.adnominal_change_end(sent_tokens, q.end, ctx.lex)) is not None:
                span = S.changed_after(text, sent_tokens, changed, ctx.lex)   # 4507억원(14%)이 늘어난 새해 예산안
            if span and project is not None and (_inner_phrase(project, span, text) or _last_member(project, span, text)) \
                    and _outside_name(project, q, text):
                span = None                                # ▲푸른 증평건설을 위한 녹색나눔숲 사업 … 9억 원: the item's
            obs.subject = calc_label or _funding_share(text, q, ctx.lex) \
                or (S.unspaced(text[span[0]:span[1]]) if span else None) \
                or _outside_name(project, q, text) or S.line_label(text, sent_start, q, ctx.lex) or named_before
            if ctx.attribute_line == para.para_idx and project is not None:
                obs.subject = _of_the_item(project, obs.subject, ctx)  # □ 청년센터 건립 / - 사업비 : 15억원
            if obs.inside is not None and subjects.get(id(obs.inside)):
                obs.subject = subjects[id(obs.inside)]           # 교육 예산 800억원(16%): the share of 교육 예산
            whole = _whole_of_part(text, q, made)
            if whole is not None and whole.subject:
                obs.subject = whole.subject                       # 초등학교 열네 곳 가운데 여섯 곳은: of 초등학교
            subjects[id(q)] = obs.subject
            first_part = min(part.start for part in (q, obs.prev, obs.change, obs.change_pct) if part is not None)
            obs.period, obs.prev_period = M.periods(text, max([e for e in ends if e <= first_part], default=sent_start),
                                                    obs, ctx.lex)
            obs.period = obs.period or (ctx.heading_period[0] if ctx.heading_period else None)
            if obs.direction_at is not None and _other_item(items, q.start, obs.direction_at):
                obs.direction = None                     # ▲… 320억원 ▲어르신 일자리 확대 212억원: 확대 is its own
            if obs.direction is None and project is not None and project.para_idx == para.para_idx and \
                    project.name.split()[-1:] and \
                    project.name.split()[-1] in ctx.lex.directions and _outside_name(project, q, text):
                obs.direction, rule_id = ctx.lex.directions[project.name.split()[-1]]
                obs.rule_ids.append(rule_id)             # the figure of an item that says it grew
            if obs.direction is None and project is not None and project.project_id in ctx.run_directions \
                    and obs.prev is None and obs.change is None:
                obs.direction, rule_id = ctx.run_directions[project.project_id]
                obs.rule_ids.append(rule_id)             # 삭감된 주요 사업은 ▲A 8억원: A's cut
            made.append((obs, project, calc_label))
        _each_subject(text, sent_tokens, [obs for obs, _, _ in made], ctx.lex)
        bound = _bind_comparisons(ctx, para, text, sent_start, [obs for obs, _, _ in made])
        for obs, project, calc_label in made:
            if not any(obs is b for b in bound):
                add_metric(ctx, para, obs, sent_idx, sentence, project, "calculation" if calc_label else "text")




def _whole_of_part(text: str, q: Quantity, made: list[tuple[M.Observation, Project | None, str | None]]
                   ) -> M.Observation | None:
    """The count a count is a part of (`공원 화장실 42곳 가운데 15곳에는`, `민원 120건 중 96건`): the one
    right before it, in its unit, with only 가운데 / 중 between them (a sum out of a sum is
    another measure: `예산액 1,286억원 중 873억원을 집행`)."""
    if not made or q.category == "money":
        return None
    whole = made[-1][0]
    before = whole.quantity
    if before.unit != q.unit or not _PART_OF.fullmatch(text, before.end, q.start):
        return None
    return whole


_PART_OF = regex.compile(r"\s*(?:가운데|중에서|중에|중)\s*")


def _funding_share(text: str, q: Quantity, lex: Lexicon) -> str | None:
    """The funding source a figure in brackets is the share of, named by the word right before
    it (`250억원 (국 150, 도 30, 시 70)`: 국비, 도비, 시비, as the rules name them)."""
    opened = text.rfind("(", 0, q.start)
    if opened < 0 or text.rfind(")", 0, q.start) > opened:
        return None
    word = _SHARE_WORD.search(text, opened, q.start)
    source = lex.funding_sources.get(word.group(1)) if word else None
    return source[0] if source else None


_SHARE_WORD = regex.compile(r"[(,，]\s*(\p{Hangul}{1,4})\s*[:：]?\s*\Z")


def _of_the_item(project: Project, label: str | None, ctx: DocContext) -> str | None:
    """What a figure on an attribute line measures: its item's, named by the line's label
    (`사업비` under `□ 청년센터 건립` → `청년센터 건립 사업비`; under `○ 노후 상수관 18.5km를
    교체` → `노후 상수관 교체 사업비`)."""
    lex = ctx.lex
    if not label:
        return label
    name = ctx.item_nouns.get(project.project_id) or P.without_note(project.name)
    compact = without_spaces(name)
    if compact in lex.cue("generic") or compact in without_spaces(label):
        return label                                  # □ 사업개요 / ○ 사업비 : …: the heading names nothing
    if name.split()[-1] == label.split()[0]:
        return f"{name} {label.split(maxsplit=1)[1]}" if " " in label else name   # 교육급여 지원 / 지원 대상
    return f"{name} {label}"


def _other_item(items: list[tuple[int, int, Project]], position: int, word_at: int) -> bool:
    """The direction word stands in another item than the figure."""
    def item_at(k: int) -> int | None:
        return next((j for j, (a, b, _) in enumerate(items) if a <= k < b), None)
    mine, its = item_at(position), item_at(word_at)
    return its is not None and mine != its


_EACH = regex.compile(r"각각\s*$")
_CONJUNCTION = regex.compile(r"(?<=\S)(?:와|과)\s+|\s*(?:,|및)\s+")


def _each_subject(text: str, tokens: list[Token], observations: list[M.Observation], lex: Lexicon) -> None:
    """`농업·농촌 분야와 교통 분야 예산이 각각 64억원, 38억원 증액됐다`: the figures of a 각각 list
    take the coordinated subject's members in turn, each with the head they share (예산)."""
    group = [o for o in observations if _EACH.search(text, max(0, o.quantity.start - 8), o.quantity.start)]
    for first in group:
        members = [first] + [o for o in observations if o.quantity.start > first.quantity.start]
        span = S.coordinated_span(text, tokens, first.quantity.start, lex)
        if span is None:
            continue
        parts = [p.strip() for p in _CONJUNCTION.split(text[span[0]:span[1]]) if p.strip()]
        if len(parts) < 2:
            continue
        head = parts[-1].split()[-1]
        for obs, part in zip(members, parts):
            obs.subject = part if part.endswith(head) else f"{part} {head}"


def _bind_comparisons(ctx: DocContext, para: Paragraph, text: str, sent_start: int,
                      observations: list[M.Observation]) -> list[M.Observation]:
    """Comparisons that stand apart from the figure they compare (an earlier figure or a
    change with no current figure beside it) complete that figure's row: the one a
    back-reference points to (`… 1조 162억원 규모로 편성했다. 이는 올해 9천48억원보다 1,114억원
    (12.3%) 늘어난 규모다.`), the recent row of the same subject (`재산세가 1,838억원 … 재산세는 전년보다
    201억원 늘었지만`), or, when the comparison names no subject of its own, the row of the
    sentence before. Returns the observations used."""
    alone = [o for o in observations if o.alone]
    if not alone:
        return []
    back = bool(_REFERS_BACK.match(text, sent_start))
    used: list[M.Observation] = []
    earlier_to: tuple[M.Observation, Metric] | None = None    # where the sentence's earlier figure went
    for obs in alone:
        target = earlier_to if obs.alone == "change" and earlier_to is not None else _target_of(ctx, para, obs, back)
        if target is None or not _fill(target, obs):
            if back:
                break
            continue
        used.append(obs)
        earlier_to = target if obs.alone == "earlier" else None   # 지난해 73억원보다 17.8% 늘어난: one row
    return used


def _target_of(ctx: DocContext, para: Paragraph, obs: M.Observation, back: bool) -> tuple[M.Observation, Metric] | None:
    recent = [(o, row, said) for o, row, said in reversed(ctx.recent_rows) if said[0] >= para.para_idx - 1]
    if back:
        return recent[0][:2] if recent else None
    subject = without_spaces(obs.subject or "")
    for o, row, _ in recent:
        other = without_spaces(row.subject or "")
        if subject and other and (subject == other or other.endswith(subject) or subject.endswith(other)
                                  or _opens_the_same(obs.subject or "", row.subject or "", ctx.lex)) \
                and (obs.quantity.category == row.unit_category or obs.change is None and obs.change_pct is not None):
            return o, row
    if not subject and recent and recent[0][2][0] in (para.para_idx, para.para_idx - 1):
        last = recent[0][2]                          # the first figure of that sentence, not its shares ...
        rows = [(o, row) for o, row, said in recent if said == last]
        if obs.alone == "earlier":                   # ... or the first of the earlier figure's unit
            rows = [(o, row) for o, row in rows if row.unit_category == obs.quantity.category] or rows
        return rows[-1]
    return None


def _opens_the_same(subject: str, other: str, lex: Lexicon) -> bool:
    """`노인 일자리 예산` and `노인 일자리 및 사회활동 지원`, `CCTV 고도화 사업비` and `CCTV 고도화`:
    without an amount word at their ends, the shorter is the opening words (two at least) of
    the longer."""
    amount = lex.cue("amount")
    words = [phrase.split() for phrase in (subject, other)]
    for w in words:
        if len(w) > 1 and w[-1] in amount:
            w.pop()
    shorter, longer = sorted(words, key=len)
    return len(shorter) >= 2 and longer[:len(shorter)] == shorter


def _fill(target: tuple[M.Observation, Metric], obs: M.Observation) -> bool:
    """Put the comparison into the row if it fits there (its unit, and a place still empty)."""
    last_obs, row = target
    current = last_obs.quantity
    q = obs.quantity
    filled = False
    if obs.alone == "earlier" and q.category == current.category and row.prev_value is None:
        row.prev_value = q.value
        filled = True
    if obs.alone == "change":
        if obs.change is not None and row.change_value is None and (
                obs.change.category == current.category
                or (obs.change.category, current.category) == ("points", "percent")):   # … 1.4%p 높아진
            row.change_value = signed(obs.change, obs.direction)
            filled = True
        if obs.change_pct is not None and row.change_pct is None:
            row.change_pct = signed(obs.change_pct, obs.direction)
            filled = True
    if filled:
        row.direction = row.direction or obs.direction
        row.prev_period = row.prev_period or obs.prev_period or (obs.period if obs.alone == "earlier" else None)
        parts = [part for part in (obs.quantity, obs.change, obs.change_pct) if part is not None]
        row.rule_id = ";".join(dict.fromkeys([*row.rule_id.split(";"), *(r for part in parts for r in part.rule_ids),
                                              *obs.rule_ids]))
    return filled


def _inner_phrase(project: Project, span: tuple[int, int], text: str) -> bool:
    """The phrase found for a figure of an item is not what the item names: it stands before
    the item's marker (`계속사업은 ▲…`: the run's lead-in), or inside its name short of its end
    (`▲푸른 증평건설을 위한 녹색나눔숲 사업`: an object within it)."""
    start = text.find(project.name, project.char_start)
    if start < 0:
        return False
    end = start + len(project.name)
    return span[0] < project.char_start or (start <= span[0] and span[1] < end and span[1] <= end - 2)


_JOINED_BEFORE = regex.compile(r"(?:와|과|및|,|，|·)\s*\Z")


def _last_member(project: Project, span: tuple[int, int], text: str) -> bool:
    """The phrase found is only the last of the members the item's name joins (`△교육, 문화·체육
    및 관광 분야 190억 원`, `△일반공공행정 분야와 공공질서 및 안전 분야`): the figure is the whole
    item's."""
    start = text.find(project.name, project.char_start)
    return 0 <= start < span[0] and span[1] == start + len(project.name) \
        and _JOINED_BEFORE.search(text, start, span[0]) is not None \
        and not _DIGIT.search(text, start, span[0])        # ▲대전 71.0%, 광주 54.1%: members with figures of their own


def _outside_name(project: Project | None, q: Quantity, text: str) -> str | None:
    """The item's name as the subject of a figure that follows it (`▲도로 확장 20억원`), not of
    one inside it (`▲2148개 기업 투자유치`: the name is no noun phrase for that figure)."""
    if project is None:
        return None
    start = text.find(project.name, project.char_start)
    if start <= q.start < start + len(project.name):
        return None
    return P.without_note(project.name)                      # 청년 도시(일자리 연계, 주거비 지원) → 청년 도시


def _calculation_label(text: str, q: Quantity, items: list[tuple[int, int, Project]], lex: Lexicon) -> str | None:
    """`당초예산 절감액 = △1,920`: the words before `=`; a bare formula gives its item's name."""
    line_start = max((m.end() for m in SEPARATOR.finditer(text, 0, q.start)), default=0)
    before = text[line_start:q.start].rstrip()
    if not before.endswith("="):
        return None
    marker = P.line_marker(text, lex, line_start, q.start, set())
    label = text[marker.end if marker else line_start:line_start + len(before) - 1].strip()
    if label and _HANGUL.search(label) and not _DIGIT.search(label):
        return label
    project = next((p for a, b, p in reversed(items) if a <= q.start < b), None)
    return project.name if project else None


def scale_bare(q: Quantity, unit: UnitForm) -> None:
    """A bare figure under a `(단위 : 천원)` note is in that unit."""
    q.value = round(q.value * unit.scale, 6)
    q.value_max = None if q.value_max is None else round(q.value_max * unit.scale, 6)
    q.unit, q.category = unit.unit, unit.category
    q.rule_ids.append(unit.rule_id)
