"""What a figure measures: the shortest noun phrase naming it, found from the morphemes of
its sentence (the noun phrase right before it, what `N명의 …` counts, the counted noun after
it, or the topic, subject or object the clause or sentence is about), and the canonical
indicator the rules give that phrase."""
from __future__ import annotations

from collections.abc import Iterator

import regex

from pipeline.extract.numbers import Quantity
from pipeline.extract.projects import NOUN_TAGS, line_marker
from pipeline.lexicon import Lexicon
from pipeline.records import Token, tokens_between

_NAME_ENDS = regex.compile(r"(?:은|는|이|가|을|를|도)\b|\s*(?:등|,|\.|$|[^\w\s])")

SUBJECT_NOUNS = NOUN_TAGS - {"SN", "SO", "NR", "SW"}
AMONG = ("중", "가운데")      # `X 가운데 Y`: Y is part of X
TOPIC_PARTICLES = {"JX", "JKS", "JKO"}
SKIP_BEFORE = {"MM", "MAG", "MAJ"}


def _noun_span_before(tokens: list[Token], position: int, lex: Lexicon, category: str | None = None
                      ) -> tuple[tuple[int, int] | None, bool, tuple[int, int] | None]:
    """The noun phrase right before the figure, past adverbs, 총/약, a comma or colon, and a
    topic, subject or object particle (`사업예산은 7백23억원`, `이들 사업에는 총 …`), or, before a
    sum, 에서 (`정신건강지원에서 132억원이 늘었다`: the programme the sum is of), and figures in
    brackets before it (`차단숲(32개소, 60ha)`: both are the 차단숲's); whether it stands right
    before the figure, no particle between (`체납자 412명`); and, when the phrase is what an
    earlier figure counts (`9개 노선에 11억원`), that phrase, the subject only when nothing
    else in the sentence names one."""
    before = [t for t in tokens if t.end <= position]

    def frame(k: int) -> bool:
        if before[k].form == "중" and k > 0 and before[k - 1].tag in SUBJECT_NOUNS - {"NNB"}:
            return False                          # 세출 총액 중 12.4%: of a whole with no figure, a share
        return _frames(before[k], lex, glued=k > 0 and before[k - 1].end == before[k].start
                       and before[k - 1].tag in SUBJECT_NOUNS and before[k].form in lex.cue("frame"))

    while before and (before[-1].tag in SKIP_BEFORE or before[-1].form in lex.qualifiers_before
                      or before[-1].form in lex.period_words or frame(len(before) - 1)
                      or before[-1].form in ("(", ":", "=", "'", "‘", "’", "\"")):
        was_frame = frame(len(before) - 1)
        before.pop()
        if was_frame:                             # 전년 대비, 1년 전보다, 축제 기간 평균: all of it
            while before and before[-1].tag in SUBJECT_NOUNS | {"SN", "NR", "NNB"}:
                before.pop()
    direct, scope, means, source = True, False, False, False
    _past_bracketed_figures(before)
    scopes = ("에", "에는", "에도", "로", "으로") + (("에서",) if category == "money" else ())
    if before and before[-1].tag in TOPIC_PARTICLES | {"JKB"} and not (
            before[-1].tag == "JKB" and before[-1].form not in scopes):
        direct = False
        scope = before[-1].tag == "JKB"
        means = before[-1].form in ("로", "으로")
        source = before[-1].form == "에서"
        before.pop()                              # 안전분야에 142억원을 증액, 냉난방비로 5억원을: what the sum is for
        if before and before[-1].form in ("에", "에서") and before[-1].tag == "JKB":
            source = source or before[-1].form == "에서"     # 복지 분야에서는 5,315억원을: the field's
            before.pop()
        while before and before[-1].tag.startswith("SS"):
            before.pop()
    span = noun_run_before(list(before), lex)
    counted = [t for t in before if t.end <= span[0]][-1:] if span else []
    if scope and counted and counted[0].tag in ("SN", "NR", "NNB"):
        return None, direct, span                 # 9개 노선에 11억원: what is counted, not what the sum is
                                                  # (unless nothing else names it)
    last = [t for t in before if span and t.end == span[1]][-1:]
    if means and last and (last[0].form in lex.directions or last[0].form in lex.actions
                           or last[0].form in lex.cue("cause") or last[0].tag == "XSN" and last[0].form == "별"):
        return None, direct, None                 # 거래 감소로 29억원 줄었다, 경기 둔화로: the cause, not what fell;
                                                  # 자치단체별로 7.0%: how it is broken down
    if source and last and _agency(last[0], lex):
        return None, direct, None                 # 기재부에서 1조 원이 깎여: who cut it, not what it is of
    return span, direct, None


_FIGURE_TAGS = {"SN", "NR", "NNB", "SW", "SL", "SO", "SP"}


def _past_bracketed_figures(before: list[Token]) -> None:
    """Drop `(32개소, ` from the end of the tokens: a later figure in brackets that hold only
    figures is of the noun before the brackets, like the first one."""
    if not before or before[-1].form != ",":
        return
    k = len(before) - 1
    while k >= 0 and before[k].form != "(":
        counter = k > 0 and before[k - 1].tag in ("SN", "NR") and before[k - 1].end == before[k].start   # 12곳
        if before[k].tag not in _FIGURE_TAGS and not counter:
            return
        k -= 1
    if k > 0:
        del before[k:]


def _agency(noun: Token, lex: Lexicon) -> bool:
    """A government body (기재부, 교육청, 구청, 정부, a named 서울시): one that acts on a sum,
    never what it is of; a place name only as a proper noun (연구, 지구, 도시 are none)."""
    return noun.form in lex.cue("office") or noun.tag == "NNP" and bool(_OFFICE_NAME.search(noun.form)) \
        or noun.form.endswith(tuple(lex.cue("agency")))


def _frames(tok: Token, lex: Lexicon, glued: bool = False) -> bool:
    """A comparison (대비, 보다) or a frame in time, rate or scale (하루 평균, 연간, 업체당, 최대
    규모): the words before it name the reference or the frame, not what the figure measures;
    a frame word glued into a compound (사업규모) is a noun like any."""
    if glued:
        return False
    return tok.form in lex.cue("comparison") or tok.form in lex.cue("frame") or (tok.tag == "XSN" and tok.form == "당")


def noun_run_before(before: list[Token], lex: Lexicon) -> tuple[int, int] | None:
    """The run of nouns that ends the token list, without counters of earlier figures or 등;
    a run left dangling on `·` or `및` (`기업·18조원`) is none, and `X 가운데 Y`, `X 중 Y` is Y."""
    if before and before[-1].form in ("·", "및", ","):
        return None
    closers, adverbs = lex.cue("list_closer"), lex.cue("discourse_adverb")
    if len(before) > 1 and before[-1].form in AMONG and before[-2].tag in SUBJECT_NOUNS:
        before.pop()                                   # 세출 총액 중 12.4%: a share of 세출 총액
    nouns: list[Token] = []
    while before and (before[-1].tag in SUBJECT_NOUNS or before[-1].form in ("·", "및")
                      or _inside_a_name(before, nouns) or _part_of_the_word(before, nouns)
                      or _numbered_name(before, nouns, lex) or _nominalised_word(before) is not None
                      or _adnominal_in_the_word(before, nouns) is not None or _a_range_of_places(before, nouns)):
        start = _nominalised_word(before)
        if start is None:
            start = _adnominal_in_the_word(before, nouns)
        if start is not None:                          # 숲가꾸기 (숲/NNG 가꾸/VV 기/ETN), 빈집: one noun
            nouns[:0], before[start:] = before[start:], []
            continue
        tok = before.pop()
        if tok.form in lex.period_words or tok.form in closers or _glued_to_figure(tok, before, lex, nouns) \
                or (tok.form in adverbs or tok.form == "중" and tok.tag == "NNB") and nouns \
                or _frame_inside(tok, before, nouns, lex) or nouns and _compared_with(tok, before, lex):
            break
        nouns.insert(0, tok)
    while nouns and (nouns[0].tag not in SUBJECT_NOUNS - {"NP", "XSN"} and not (
            nouns[0].tag in ("MAG", "MM") and len(nouns) > 1 and nouns[0].end == nouns[1].start)
            and _adnominal_in_the_word(nouns[:2], nouns[2:]) is None or nouns[0].form in lex.qualifiers_after
                     or nouns[0].form in adverbs or nouns[0].form in ("·", "및")):
        nouns.pop(0)                                   # 이들 사업 → 사업; 이상 어르신 → 어르신 (한솔: 한/MM glued on stays)
    if len(nouns) == 1 and nouns[0].form in lex.cue("generic") and before and before[-1].tag in ("MM", "JKG"):
        joint = before.pop()                           # 협력사업 전 분야, 복지의 분야: what the word is of
        head = noun_run_before(before, lex)
        if head is not None:
            return head[0], nouns[0].end
        if joint.tag == "MM" and joint.end < nouns[0].start:
            return joint.start, nouns[0].end           # 총 규모
        before.append(joint)
    if nouns and all(t.tag == "NNB" for t in nouns):
        return None                                    # 바꾸는 데 18억원: a bound noun names nothing
    named = _named_by_a_clause(before) if nouns else None
    if named is not None:
        return named, nouns[-1].end                    # 홍대 걷고싶은 거리 보행환경 개선 사업비
    return (nouns[0].start, nouns[-1].end) if nouns else None


def _compared_with(tok: Token, before: list[Token], lex: Lexicon) -> bool:
    """`지난해 대비 국도비 예산`, `1월 대비 …`: a comparison with a time or a figure ends the run
    (not `재난 대비 훈련`, where 대비 is readiness)."""
    return tok.form in lex.cue("comparison") and bool(before) and (
        before[-1].form in lex.period_words or before[-1].tag in ("SN", "NNB", "NR"))


def _frame_inside(tok: Token, before: list[Token], nouns: list[Token], lex: Lexicon) -> bool:
    """A frame word between the words that frame a figure and the noun it counts (`2020년 이후
    관광객`, `지난해 말 기준 공영주차장`): the run starts after it. A frame word that opens the
    phrase stays in it (`평균 소득`), as does one glued into a compound (사업규모)."""
    return bool(nouns) and tok.form in lex.cue("frame") and tok.tag != "XSN" and bool(before) \
        and before[-1].end < tok.start and before[-1].tag in SUBJECT_NOUNS | {"SN", "NR", "NNB"}


_VERB_CHAIN = {"VV", "VA", "VX", "EC", "XSV", "XSA", "EP"}


def _named_by_a_clause(before: list[Token]) -> int | None:
    """Where a name that ends in an adnominal clause begins: a proper noun and a verb written
    after it with no particle between (`홍대 걷고싶은 거리`, a street's name), not a clause of
    its own (`이날 발표된 …`, `시가 추진하는 …`)."""
    if not before or before[-1].tag != "ETM":
        return None
    k = len(before) - 2
    while k >= 0 and before[k].tag.split("-")[0] in _VERB_CHAIN:
        k -= 1
    if k < 0 or k == len(before) - 2 or before[k].tag != "NNP":
        return None
    return before[k].start


_IN_A_NOMINALISED_WORD = {"VV", "VA", "XSV", "XSA", "EP"}


def _nominalised_word(before: list[Token]) -> int | None:
    """Where the word that ends the tokens begins, when it is a noun made of a noun and a verb
    (숲가꾸기, 길찾기: a noun, a verb and -기 or -음, written as one word); else None."""
    if len(before) < 3 or before[-1].tag != "ETN" or before[-2].end != before[-1].start:
        return None
    k = len(before) - 2
    while k > 0 and before[k].tag in _IN_A_NOMINALISED_WORD and before[k - 1].end == before[k].start:
        k -= 1
    if k == len(before) - 2 or before[k].tag not in ("NNG", "NNP") or before[k].end != before[k + 1].start:
        return None
    return k


def _adnominal_in_the_word(before: list[Token], nouns: list[Token]) -> int | None:
    """Where the word that ends the tokens begins, when it opens with a verb or adjective whose
    -ㄴ/-은 is glued to the noun after it (빈집: 비/VV ᆫ/ETM 집/NNG, written as one word); else None."""
    if not nouns or len(before) < 2 or before[-1].tag != "ETM" or before[-1].end != nouns[0].start:
        return None
    verb = len(before) - 2
    if before[verb].tag not in ("VV", "VA") or before[verb].end < before[-1].start or (
            verb > 0 and before[verb - 1].end >= before[verb].start):
        return None                                    # the verb must open the word
    return verb


def _part_of_the_word(before: list[Token], nouns: list[Token]) -> bool:
    """before[-1], a determiner or adverb, is glued into the noun after it: an MM (a determiner
    stands apart from its noun: 새 건물, but 새들 is a name), or an MAG that starts a word
    (늘봄학교: 늘/MAG)."""
    tok = before[-1]
    if not nouns or tok.end != nouns[0].start:
        return False
    glued_before = len(before) > 1 and before[-2].end == tok.start
    return tok.tag == "MM" or (tok.tag == "MAG" and not glued_before)


def _numbered_name(before: list[Token], nouns: list[Token], lex: Lexicon) -> bool:
    """before[-1] is the number of a numbered name that the nouns go on with (`2호선`, `3단계`)."""
    if not nouns or before[-1].tag != "SN" or before[-1].end != nouns[0].start:
        return False
    glued, end = "", before[-1].end
    for t in nouns:
        if t.start != end:
            break
        glued, end = glued + t.form, t.end
    return any(glued.startswith(suffix) for suffix, _ in lex.not_metric_suffixes)


def _a_range_of_places(before: list[Token], nouns: list[Token]) -> bool:
    """before[-1] is the `~` of a stretch from one place to another (`청솔~백로 구간`, `부산~서울
    대역 경주대회`), glued to a noun on both sides."""
    return (len(before) > 1 and before[-1].form in ("~", "∼", "～") and bool(nouns) and before[-1].end == nouns[0].start
            and before[-2].end == before[-1].start and before[-2].tag in ("NNG", "NNP"))


def _inside_a_name(before: list[Token], nouns: list[Token]) -> bool:
    """before[-1] is a figure inside a name, glued to nouns on both sides (동탄9동, 홍제3구역)."""
    return (len(before) > 1 and before[-1].tag == "SN" and bool(nouns) and before[-1].end == nouns[0].start
            and before[-2].end == before[-1].start and before[-2].tag in ("NNG", "NNP"))


def _glued_to_figure(tok: Token, before: list[Token], lex: Lexicon, after: list[Token] = ()) -> bool:
    """tok is part of a word that holds a figure (`5년간`, `1인당`): a counter, not a subject;
    unless the figure is itself glued to a noun before it (`동탄9동`: a name), or the word is a
    numbered name, no measure (`2호선`, `2단계`, `제3차`)."""
    end = tok.start
    for k in range(len(before) - 1, -1, -1):
        prev = before[k]
        if prev.end != end:
            return False
        if prev.tag in ("SN", "NR"):
            glued = "".join(t.form for t in before[k + 1:]) + tok.form
            end_of_word = tok.end
            for t in after:                           # the word goes on in the nouns already taken
                if t.start != end_of_word:
                    break
                glued, end_of_word = glued + t.form, t.end
            if any(glued.startswith(suffix) for suffix, _ in lex.not_metric_suffixes):
                return False                          # 2호선 (2/SN 호/NNB 선/NNG): a numbered name
            return not (k > 0 and before[k - 1].end == prev.start and before[k - 1].tag in ("NNG", "NNP"))
        if prev.tag.startswith("S"):                  # a bracket or comma ends the word: 120억원(국비
            return False
        end = prev.start
    return False


def _noun_span_after(tokens: list[Token], position: int, lex: Lexicon, counted: bool = False
                     ) -> tuple[int, int] | None:
    """The nouns right after position; an action word that opens them (창출, 지원) counts
    nothing; `counted`: what a count counts, without an action or status that ends the nouns
    (20개 핵심과제 추진 → 핵심과제)."""
    after = [t for t in tokens if t.start >= position]
    nouns: list[Token] = []
    for tok in after:
        if tok.tag in SUBJECT_NOUNS and not (tok.tag.startswith("NNB") and not nouns):
            nouns.append(tok)
        elif nouns or tok.tag not in ("SN", "NNB", "NR"):
            break
    def happens(tok: Token) -> bool:
        return tok.form in lex.actions or tok.form in lex.directions or tok.form in lex.statuses

    if nouns and (happens(nouns[0]) and not (counted and not happens(nouns[-1]))
                  or nouns[0].form in lex.qualifiers_after or nouns[0].form in AMONG + ("순",)):
        return None                                   # 8,788명 창출, 120명 감소, 57만 원 이상: no thing counted
                                                      # (but 18개 건설 사업: the 사업 are); 34곳 가운데 …: a whole; 198명 순: a ranking
    while counted and len(nouns) > 1 and happens(nouns[-1]):
        nouns.pop()                                   # 20개 핵심과제 추진: the 과제 are counted
    return (nouns[0].start, nouns[-1].end) if nouns else None


def _action_after(tokens: list[Token], position: int, lex: Lexicon) -> tuple[int, int] | None:
    """The action word right after a count (`2개소 모집`), as a subject of last resort."""
    tok = next((t for t in tokens if t.start >= position), None)
    return (tok.start, tok.end) if tok is not None and tok.start == position and tok.form in lex.actions else None


def changed_after(text: str, tokens: list[Token], position: int, lex: Lexicon) -> tuple[int, int] | None:
    """The nouns right after position (past an action word that ends them), as what a change
    changed, when they can be a subject (`늘어난 규모다`: a generic word names nothing)."""
    span = _noun_span_after(tokens, position, lex, True)
    return span if span and _can_be_subject(text[span[0]:span[1]], lex) else None


def _topic_spans(tokens: list[Token], start: int, position: int, lex: Lexicon,
                 markers: tuple[str, ...] = ("JX", "JKS", "JKO")) -> Iterator[tuple[int, int]]:
    """The noun phrases marked as topic, subject or object (은/는/이/가/도/을/를) in the stretch
    before position, nearest first (`구는 예산안을 … 6,532억원 규모로`: 예산안; `재정자립도는
    서울시가 93.3%로`: 재정자립도, when the office 서울시 cannot be the subject)."""
    clause = [t for t in tokens if start <= t.start and t.end <= position]
    for i in range(len(clause) - 1, 0, -1):
        if clause[i].tag in markers and clause[i - 1].tag not in ("ETM", "EC"):
            place = clause[i].form == "는" and clause[i - 1].form in ("에서", "에", "로", "으로") \
                and clause[i - 1].tag == "JKB"
            span = noun_run_before(clause[:i - 1] if place else clause[:i], lex)   # 복지 분야에서는, 분야에는, 분야로는
            if span and not (place and _agency(next(t for t in clause if t.end == span[1]), lex)):
                yield span


def subject_span(text: str, tokens: list[Token], q: Quantity, clause_start: int, lex: Lexicon,
                 sentence_start: int | None = None) -> tuple[int, int] | None:
    """The shortest noun phrase naming what the figure measures, the first of: the noun phrase
    right before it (`체납자 412명`); what `N명의 …` counts; the phrase before it past a
    particle (`사업예산은 7백23억원`); the counted noun after it; the topic, subject or object
    of its clause; the topic or subject of its sentence across clauses (`구세 수입은 … 힘입어
    2,140억원으로`). A generic word (분야, 규모), a speaker's title or a discourse word is never
    a subject on its own."""
    for span in _candidates(text, tokens, q, clause_start, lex, sentence_start):
        if span and _can_be_subject(text[span[0]:span[1]], lex) and (
                not _office(tokens, span) or text[span[1]:q.start].strip() == "("):   # 통영시(4.1%): the place's
            return _letter_spaced_start(text, span), span[1]
    return None


def _letter_spaced_start(text: str, span: tuple[int, int]) -> int:
    """`면    적 : 38,000㎡`: a one-syllable span before a colon that ends a letter-spaced label
    starts with the label (unspaced later; the analyser may read its syllables as anything,
    면 as an ending)."""
    start, end = span
    if end - start != 1 or not _COLON_AFTER.match(text, end):
        return start
    spaced = _LETTER_SPACED_END.search(text, 0, end)
    return spaced.start() if spaced else start


def _office(tokens: list[Token], span: tuple[int, int]) -> bool:
    """The phrase is the office speaking (해운대구, 서해시청): a name, never what a figure measures."""
    words = [t for t in tokens if span[0] <= t.start and t.end <= span[1]]
    return bool(words) and words[-1].tag == "NNP" and bool(_OFFICE_NAME.search(words[-1].form))


def _candidates(text: str, tokens: list[Token], q: Quantity, clause_start: int, lex: Lexicon,
                sentence_start: int | None):
    before, direct, counted_scope = _noun_span_before(tokens, q.start, lex, q.category)
    space = q.end + (text[q.end:q.end + 1] == "여")          # 750여 공직자
    spaced = text[space:space + 1] == " "
    after = _noun_span_after(tokens, space + 1, lex) if spaced else None
    counted = _noun_span_after(tokens, space + 1, lex, True) if spaced and q.category in ("count", "people") else None
    if q.category == "people" and direct and before and _names_people(tokens, before, lex):
        yield before                                  # 실습교육 수료생 38명 배출: the 수료생 are counted
    if counted:
        yield counted                                 # 2000개 스타트업 육성, 2148개 기업
    if direct:
        yield before
    follow = text[q.end:q.end + 4]
    if follow.startswith("의") and not follow.startswith("의해"):
        yield _noun_span_after(tokens, q.end + 1, lex)
    yield before
    reaching = _REACHING.match(text, q.end)
    if reaching:
        yield _noun_span_after(tokens, reaching.end(), lex, True)   # 150억원 규모의 사업비, 13조원에 달하는 증액분
    if after and _NAME_ENDS.match(text[after[1]:after[1] + 2] + " "):
        yield after                                   # 122억 원 외부재원 확보 등; 3조원 정부예산 확보
    yield from _topic_spans(tokens, clause_start, q.start, lex)
    if sentence_start is not None and sentence_start < clause_start:
        yield from _topic_spans(tokens, sentence_start, clause_start, lex, ("JX", "JKS"))
    if q.category == "percent":
        yield _whole_before(tokens, q.start, lex)
    yield counted_scope                               # 18개 건설 사업에 737억원: named by nothing else
    if spaced and q.category in ("count", "people"):
        yield _action_after(tokens, space + 1, lex)    # … 등 2개소 모집: what is done, when nothing else


_PERSON_SUFFIXES = ("생", "자", "인", "원")       # 수료+생, 참가자, 농업인, 연구+원 (요양원, 유치원: places)


def _names_people(tokens: list[Token], span: tuple[int, int], lex: Lexicon) -> bool:
    """The nouns end in a word for people (`주민`, `농업인`, `수료`+`생`)."""
    last = tokens_between(tokens, *span)[-1:]
    if not last:
        return False
    word = last[0]
    return word.form in lex.cue("people") or word.tag == "XSN" and word.form in _PERSON_SUFFIXES \
        or len(word.form) > 2 and word.form.endswith(_PERSON_SUFFIXES[:3])


def _whole_before(tokens: list[Token], position: int, lex: Lexicon) -> tuple[int, int] | None:
    """`지방세 수입의 61%가`: a rate of a whole measures that whole's share, when nothing the
    sentence is about names the part (`사회복지 분야는 전체 예산의 56.64%인`: 사회복지 분야)."""
    before = [t for t in tokens if t.end <= position]
    if len(before) < 2 or before[-1].tag != "JKG" or before[-2].tag not in SUBJECT_NOUNS:
        return None
    return noun_run_before(before[:-1], lex)


def coordinated_span(text: str, tokens: list[Token], position: int, lex: Lexicon) -> tuple[int, int] | None:
    """The subject of `A와 B 예산이 각각 …`, with all its members: the noun run marked as subject
    or topic before position, and the runs joined to it by 와/과/및/쉼표."""
    before = [t for t in tokens if t.end <= position]
    while before and (before[-1].form in ("각각", ",") or before[-1].tag in SKIP_BEFORE):
        before.pop()
    if not before or before[-1].tag not in TOPIC_PARTICLES:
        return None
    before.pop()
    span = noun_run_before(before, lex)
    while span is not None and before and (before[-1].tag in ("JC", "JKB") and before[-1].form in ("와", "과")
                                            or before[-1].form in (",", "및")):
        before.pop()
        more = noun_run_before(before, lex)
        if more is None:
            break
        span = (more[0], span[1])
    return span


def line_label(text: str, start: int, q: Quantity, lex: Lexicon) -> str | None:
    """The label a line opens with, for figures nothing else names: bracketed (`* (총 수급자)
    ’13년 135만 명 → ’15년 165만 명`) or before a colon (`○ 조    직 : 3과 11팀`; a letter-spaced
    label is one word)."""
    marker = line_marker(text, lex, start, q.start, set())
    at = marker.end if marker else start
    label = _BRACKETED_LABEL.match(text, at) or _COLON_LABEL.match(text, at)
    if not label or label.end() > q.start or official(label.group(1), lex):
        return None                                   # ○ 농업기술센터소장 구본하 : …: a speaker, no label
    return unspaced(label.group(1))


def unspaced(words: str) -> str:
    """A letter-spaced label as one word (`사 업 비`, `예    산` → `사업비`, `예산`)."""
    parts = words.split()
    return "".join(parts) if len(parts) > 1 and all(len(part) == 1 for part in parts) else " ".join(parts)


_REACHING = regex.compile(r" ?규모의 |에 (?:달하는|이르는|육박하는) ")
_BRACKETED_LABEL = regex.compile(r"\s*\(\s*([^()\d]{2,20}?)\s*\)")
_COLON_LABEL = regex.compile(r"\s*([^\s:：\d()][^:：\d()]{0,14}?)\s*[:：]")


def _can_be_subject(words: str, lex: Lexicon) -> bool:
    compact = "".join(words.split())
    return bool(_LETTER.search(compact)) and not all(w in lex.cue("generic") for w in words.split()) and not official(words, lex) \
        and compact not in lex.cue("discourse_adverb") and compact not in lex.cue("office") \
        and compact not in lex.cue("comparison") and compact not in lex.cue("frame") \
        and compact not in lex.directions                # 상승(’20. 52.7만 원 → …): what happened to it


def official(words: str, lex: Lexicon) -> bool:
    """A title alone (`위원장`) or beside a name (`건설과장 박민수`, `공미숙 위원`): a person, never
    what a figure measures (`전통시장` alone is a market)."""
    parts = words.split()
    if len(parts) == 1:
        return parts[0] in lex.cue("title")
    return len(parts) == 2 and any(lex.title.fullmatch(part) for part in parts) \
        and any(_NAME.fullmatch(part) for part in parts)


_NAME = regex.compile(r"\p{Hangul}{2,4}")
_LETTER = regex.compile(r"\p{L}")                   # × (tagged SL) names nothing
_COLON_AFTER = regex.compile(r"\s*[:：]")
_LETTER_SPACED_END = regex.compile(r"(?:(?<!\S)\p{L}\s+)+\p{L}\Z")   # `면    적`, `사 업 비` at the end


_OFFICE_NAME = regex.compile(r"\p{Hangul}(?:특별시|광역시|특별자치시|특별자치도|시|군|구)(?:청)?$"
                              r"|(?:경기|강원|충청북|충청남|전라북|전라남|경상북|경상남|제주|충북|충남|전북|전남|경북|경남)도(?:청)?$")
# a province is one of these (도시철도 is no office)


def indicator_for(subject: str | None, lex: Lexicon) -> tuple[str, str] | None:
    if not subject:
        return None
    compact = subject.replace(" ", "")
    for alias, name, rule_id in lex.indicators.get(compact[-1:], ()):
        if compact.endswith(alias):
            return name, rule_id
    return None
