"""What a number measures and what it is compared with, read from the sentence's morphemes.

Within a clause (closed by a connective or final ending), a figure followed by 에서 or 보다
is an earlier value, one followed by (으)로 or preceded by `증가한` is the current value,
and one right before a direction word (증가, 늘 …) is the change. The earlier value and
the change belong to the current value's row and are not rows of their own.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

from pipeline.lexicon import Lexicon
from pipeline.extract.numbers import Quantity
from pipeline.extract.projects import PREDICATE_TAGS, is_clause_end
from pipeline.records import Token

from pipeline.extract.subjects import SKIP_BEFORE

_NEXT_WORD = regex.compile(r"\s*(\S+)")
_ARROW = regex.compile(r"(?:→|⇒|->)\s*")


def _series(text: str, quantities: list[Quantity], lex: Lexicon) -> dict[int, str]:
    """Three figures or more joined by arrows (`’13년 135만 명 → ’15년 165만 명 → ’17년 158만 명`)
    are a series, each a row of its own, not a comparison."""
    roles: dict[int, str] = {}
    chain: list[Quantity] = []
    for q in quantities:
        arrow = _ARROW.search(text, chain[-1].end, q.start) if chain else None
        if arrow and not text[chain[-1].end:arrow.start()].strip() and _after_arrow(text, q.start, lex):
            chain.append(q)
            continue
        if len(chain) >= 3:
            roles.update({id(member): "series" for member in chain})
        chain = [q]
    if len(chain) >= 3:
        roles.update({id(member): "series" for member in chain})
    return roles


def _past_qualifier(text: str, position: int, lex: Lexicon) -> int:
    """Past a qualifier that follows a figure (`10% 이상 상승`: the direction is the figure's)."""
    m = _NEXT_WORD.match(text[position:position + 8])
    return position + m.end() if m and m.group(1) in lex.qualifiers_after else position


def _after_arrow(text: str, position: int, lex: Lexicon) -> bool:
    """An arrow ends the text before `position`, or an arrow and a period (`5,000명 → '24년 5,500명`),
    maybe with a generic or frame word after it (`42% → ’22년 목표 65%`)."""
    window = text[max(0, position - 16):position].rstrip()
    arrow = None
    for arrow in _ARROW.finditer(window):
        pass
    if arrow is None:
        return False
    words = window[arrow.end():].split()
    while words and (words[-1] in lex.cue("generic") or words[-1] in lex.cue("frame")):
        words.pop()                                   # → ’22년 목표 65%: the period's target
    return not words or bool(lex.period_regex.fullmatch(" ".join(words)))


@dataclass
class Observation:
    """One metric row in the making: the figure and what the sentence says about it."""
    quantity: Quantity
    prev: Quantity | None = None
    change: Quantity | None = None
    change_pct: Quantity | None = None
    direction: str | None = None
    period: str | None = None
    prev_period: str | None = None
    subject: str | None = None
    inside: Quantity | None = None     # the figure this one stands in brackets after: 800억원(16%)
    alone: str | None = None           # `earlier` or `change`: a comparison with no current figure beside it
    direction_at: int | None = None    # where the clause's direction word stands, when it gave the direction
    rule_ids: list[str] = field(default_factory=list)


def direction_word(tokens: list[Token], i: int, lex: Lexicon) -> str | None:
    """The rule word tokens[i] is: 증가/NNG as it stands, verbs by their stem (늘어나 is 늘), and
    an adjective that becomes so by all three tokens (높아지: 높/VA 아/EC 지/VX)."""
    tok = tokens[i]
    if tok.tag in ("NNG", "XR") and tok.form in lex.directions:
        return tok.form
    if tok.tag.startswith("VA") and i + 2 < len(tokens) and tokens[i + 1].form in ("아", "어") \
            and tokens[i + 2].form == "지" and tokens[i + 2].tag.startswith("VX"):
        becoming = next((w for w in (tok.form + "아지", tok.form + "어지") if w in lex.directions), None)
        if becoming:                                   # the analyser writes 아 as 어: 높어지
            return becoming
    if tok.tag in PREDICATE_TAGS and not _particle_read_as_verb(tokens, i):
        return next((w for w in lex.directions_by_first.get(tok.form[:1], ()) if tok.form.startswith(w)), None)
    return None


def _particle_read_as_verb(tokens: list[Token], i: int) -> bool:
    """`12.4%는 …`: the analyser may read the topic particle glued to a figure as 늘 + ㄴ (one
    syllable shared by a verb and its ending); no figure is said to grow that way."""
    tok = tokens[i]
    return 0 < i < len(tokens) - 1 and tokens[i - 1].end == tok.start and tokens[i - 1].tag in ("SW", "SN", "NNB") \
        and tokens[i + 1].tag == "ETM" and tokens[i + 1].start <= tok.start and tok.end - tok.start == 1


def _starting_in(tokens: list[Token], start: int, limit: int) -> Iterator[int]:
    """The indices of the tokens (in text order) that start in [start, limit)."""
    i = bisect.bisect_left(tokens, start, key=lambda t: t.start)
    while i < len(tokens) and tokens[i].start < limit:
        yield i
        i += 1


def _direction_at(tokens: list[Token], start: int, limit: int, lex: Lexicon) -> tuple[Token, str, str] | None:
    """The first direction word that starts in [start, limit), unless it opens the next figure
    (`37,290천원 30,590천원 감6,700천원`: 감 says how 6,700 moved)."""
    for i in _starting_in(tokens, start, limit):
        word = direction_word(tokens, i, lex)
        if word:
            if i + 1 < len(tokens) and tokens[i + 1].tag == "SN" and tokens[i + 1].start == tokens[i].end:
                return None
            return tokens[i], *lex.direction(word)
    return None


def _comparative_at(text: str, tokens: list[Token], position: int, lex: Lexicon) -> tuple[Token, str, str] | None:
    """`2023년 129명보다 8명 많았다`: a comparative adjective right after a figure, in a sentence
    that compares (보다, a comparison cue such as 대비) up to it, makes the figure the change."""
    if not lex.comparatives or not tokens:
        return None
    compared = text[tokens[0].start:position + 4]
    if "보다" not in compared and not any(word in compared for word in lex.cue("comparison")):
        return None
    for i in _starting_in(tokens, position, position + 4):
        if tokens[i].tag == "VA" and tokens[i].form in lex.comparatives:
            return tokens[i], *lex.comparatives[tokens[i].form]
    return None


def _direction_after_brackets(text: str, tokens: list[Token], position: int, lex: Lexicon
                              ) -> tuple[Token, str, str] | None:
    """`499억원을(1900 → 2399억원, 26.2%) 증액했고`: the direction right after the brackets
    that follow the figure is the figure's."""
    m = _PARTICLE_THEN_BRACKETS.match(text, position)
    return _direction_at(tokens, m.end(), m.end() + 4, lex) if m else None


_PARTICLE_THEN_BRACKETS = regex.compile(r"(?:을|를|이|가)?\s*\([^()]*\)\s*")


def adnominal_direction(tokens: list[Token], lex: Lexicon) -> tuple[str, str] | None:
    """The direction of a word that qualifies a noun (`삭감된 주요 사업은`, `늘어난 예산은`,
    `주요 증액 사업은`): the first direction word whose predicate ends in an adnominal ending,
    or a direction noun right before a noun that names a list (`list_head` cues: 사업, 내역)."""
    for i in range(len(tokens)):
        word = direction_word(tokens, i, lex)
        if not word:
            continue
        if tokens[i].tag == "NNG" and i + 1 < len(tokens) and tokens[i + 1].form in lex.cue("list_head"):
            return lex.direction(word)
        k = i + 1
        while k < len(tokens) and tokens[k].tag in PREDICATE_TAGS | {"EP", "EC"} and tokens[k].tag != "ETM":
            k += 1
        if k < len(tokens) and tokens[k].tag == "ETM":
            return lex.direction(word)
    return None


def _after_direction_adnominal(tokens: list[Token], q: Quantity, lex: Lexicon) -> tuple[str, str] | None:
    """`증가한 3,400명`, `늘어난 총 1조원`: the figure right after a direction word's adnominal form."""
    before = [t for t in tokens if t.end <= q.start]
    while before and (before[-1].tag in SKIP_BEFORE or before[-1].form in lex.qualifiers_before):
        before.pop()
    if not before or before[-1].tag != "ETM":
        return None
    for k in range(len(before) - 2, max(-1, len(before) - 6), -1):
        word = direction_word(before, k, lex)
        if word:
            return lex.direction(word)
        if before[k].tag not in PREDICATE_TAGS | {"EC", "EP"}:
            break
    return None


def adnominal_change_end(tokens: list[Token], position: int, lex: Lexicon) -> int | None:
    """`4507억원(14%)이 늘어난 새해 예산안`: where the adnominal form of a direction word right
    after the figure ending at position (past its brackets and 이/가) ends; the noun after it is
    what changed by the figure."""
    after = [t for t in tokens if t.start >= position]
    k, depth = 0, 0
    while k < len(after) and (depth or after[k].tag in ("SSO", "JKS")):
        depth += {"SSO": 1, "SSC": -1}.get(after[k].tag, 0)
        k += 1
    if k >= len(after) or not direction_word(after, k, lex):
        return None
    for tok in after[k + 1:k + 5]:
        if tok.tag == "ETM":
            return tok.end
        if tok.tag not in PREDICATE_TAGS | {"EC", "EP", "XSV", "XSA"}:
            break
    return None


def clause_ends(tokens: list[Token], text: str, lex: Lexicon) -> list[int]:
    """Offsets where clauses end: after a connective on a predicate, or a final ending."""
    return [tok.end for i, tok in enumerate(tokens) if tok.tag == "EF" or is_clause_end(tokens, i, text, lex)]


_WAS = regex.compile(r"(?:\s*(?:수준|정도|규모))?(?:인|이던|였던|이었던|(?:였|이었)(?:는데|으나|지만|다가))\s")
# 현재 30명(수준)인 인력을 45명으로; 지난해 38호였으나 올해는 61호를


def _clause_of(position: int, ends: list[int]) -> int:
    return sum(1 for e in ends if e <= position)


def _parentheticals(text: str, quantities: list[Quantity]) -> dict[int, Quantity]:
    """`256억 원(2.2%)`, `553억 원(6.9%↑)`: the figure alone in brackets right after another
    one (an arrow may follow it), by the outer's id."""
    children: dict[int, Quantity] = {}
    for a, b in zip(quantities, quantities[1:]):
        if text[a.end:a.end + 1] == "(" and b.start == a.end + 1 and _CLOSES.match(text, b.end):
            children[id(a)] = b
    return children


_CLOSES = regex.compile(r"\s*[↑↓▲▼]?\s*\)")
_SIGNED_OPENING = regex.compile(r"\s*\(\s*(?P<plus>\+)?\s*")
_FRAMED_OPENING = regex.compile(r"\s*\(\s*(?P<frame>[^()\d]{1,12}?)\s*(?P<plus>\+)?\s*")     # (전년 대비 △…
_RATE_CLOSES = regex.compile(r"\s*,\s*[△+\-]?\s*\d[\d.]*\s*%\s*\)")
_ARROW_AFTER = regex.compile(r"\s*([↑↓▲▼])\s*\)")


def _roles(text: str, tokens: list[Token], quantities: list[Quantity], children: dict[int, Quantity],
           lex: Lexicon) -> tuple[dict[int, str], dict[int, tuple[str, str]]]:
    """Each figure's part in a comparison (from, than, to, change) and a direction it carries."""
    roles: dict[int, str] = _series(text, quantities, lex)
    directions: dict[int, tuple[str, str]] = {}
    for k, q in enumerate(quantities):
        if id(q) in roles:
            continue
        child = children.get(id(q))
        after = _past_qualifier(text, child.end + 1 if child else q.end, lex)
        follow = text[after:after + 4]
        hit = _direction_at(tokens, after, after + 4, lex) or _direction_after_brackets(text, tokens, after, lex) \
            or _comparative_at(text, tokens, after, lex)
        if hit is not None and _earned(tokens, q, hit[0], lex):
            hit = None                                 # 입장료 수입 21억원을 올렸다: earned, no change
        nxt = quantities[k + 1] if k + 1 < len(quantities) else None
        was = _WAS.match(text, after) is not None and not (       # `56.64%인 4,845억 원`: the amount is that share
            nxt is not None and nxt.category != q.category and nxt.start - after < 12)
        if follow.startswith("에서") or was or follow.lstrip().startswith(("→", "⇒", "->")):
            roles[id(q)] = "from"
        elif (follow.startswith("보다") or text[after:after + 6].lstrip(") ").startswith(tuple(lex.cue("comparison")))) \
                and not _of_a_name_in_brackets(text, tokens, q):
            roles[id(q)] = "than"                          # 지난해 4,204억보다; 전년(180만명) 대비; not 통영시(4.1%)보다
        elif follow.startswith(("으로", "로", "까지")) or _after_arrow(text, q.start, lex):
            roles[id(q)] = "to"
        elif hit:
            if q.category != "ratio":                  # 3배나 늘었다: a multiple is no amount of change
                roles[id(q)] = "change"
            directions[id(q)] = hit[1:]
        elif adnominal := _after_direction_adnominal(tokens, q, lex):
            roles[id(q)] = "to"
            directions[id(q)] = adnominal
    return roles, directions


def _earned(tokens: list[Token], q: Quantity, verb: Token, lex: Lexicon) -> bool:
    """`입장료 수입 21억원을 올렸다`, `매출 5억원을 올리며`: 올리다 after an amount of earnings (the
    `earnings` cue words, right before the figure) says it was earned, not raised by it."""
    if not verb.form.startswith("올리"):
        return False
    before = [t for t in tokens if t.end <= q.start]
    return bool(before) and before[-1].form in lex.cue("earnings") and q.start - before[-1].end <= 1


def _of_a_name_in_brackets(text: str, tokens: list[Token], q: Quantity) -> bool:
    """The figure stands in brackets after a proper name (`통영시(4.1%)와 고성군(5.3%)보다 낮았다`):
    another place's figure, no earlier one of this (`2023년 예산(109조 원) 대비`, `전년(1,200건)보다`)."""
    opening = text.rfind("(", 0, q.start)
    if opening < 0 or text[opening + 1:q.start].strip():
        return False
    before = [t for t in tokens if t.end <= opening]
    return bool(before) and before[-1].end == opening and before[-1].tag == "NNP"


def _roles_from_neighbours(text: str, quantities: list[Quantity], roles: dict[int, str], lex: Lexicon,
                             directions: dict[int, tuple[str, str]]) -> None:
    """`500억원(전년 대비 100억원 증가)`: a figure whose brackets compare it is the current one;
    `2,100개, 9.3% 증가`: an amount just before a percent change is that change too;
    `8,912억원으로 541억원, … 각각 증가`: a figure right after a new figure is its change, and so is
    a signed one in brackets after it (`1조 2,500억원 (+700억원)`);
    `6,140명(’24년 5,870명)`: a figure of an earlier period in brackets is the earlier figure;
    `전년도에는 4,870명이 받았고, 금년에는 5,312명`: a figure said of an earlier year, then one of
    the same unit said of this year, is where it came from."""
    for a, b, c in zip(quantities, quantities[1:], [*quantities[2:], None]):   # 1조 2,500억원 (+700억원), 850억원
        gap = _SIGNED_OPENING.fullmatch(text, a.end, b.start)     # (△350억원): its change; 4조 9,745억원 (전년 대비
                                                                  # △2,469억원, △4.7%): its change and rate
        framed = _FRAMED_OPENING.fullmatch(text, a.end, b.start) if gap is None else None
        compared = framed is not None and any(framed.group("frame").endswith(w) for w in lex.cue("comparison"))
        gap = gap or (framed if compared else None)
        if gap is not None and (gap.group("plus") or b.value < 0) and roles.get(id(a)) in (None, "to") \
                and id(b) not in roles and a.category == b.category and (
                    _CLOSES.match(text, b.end) or compared and _RATE_CLOSES.match(text, b.end)):
            roles[id(b)] = "change"
            directions[id(b)] = ("increase" if b.value > 0 else "decrease", "")
            if compared:
                roles[id(a)] = "to"
                if c is not None and c.category == "percent" and text[b.end:c.start].strip() == ",":
                    roles[id(c)] = "change"
    previous_end = max(0, quantities[0].start - 30) if quantities else 0
    for a, b in zip(quantities, quantities[1:]):
        if id(a) not in roles and id(b) not in roles and a.category == b.category \
                and _period_offset(text, previous_end, a.start, lex) == -1 \
                and _period_offset(text, a.end, b.start, lex) == 0:
            roles[id(a)], roles[id(b)] = "from", "to"
        previous_end = a.end
    for a, b, c in zip(quantities, quantities[1:], [*quantities[2:], None]):
        if id(a) not in roles and id(b) not in roles and a.category == b.category \
                and _earlier_in_brackets(text, a.end, b.start, lex):
            arrow = _ARROW_AFTER.match(text, c.end) if c is not None and id(c) not in roles \
                and text[b.end:c.start].strip() == "," else None
            if _CLOSES.match(text, b.end) or arrow:
                roles[id(b)], roles[id(a)] = "than", "to"
            if arrow:                                  # 96.9%(전년 95.8%, 1.1%p↑): its change too
                roles[id(c)] = "change"
                directions[id(c)] = ("increase" if arrow.group(1) in "↑▲" else "decrease", "")
    for a, b in zip(quantities, quantities[1:]):
        if roles.get(id(a)) == "to" and id(b) not in roles and text[a.end:b.start].strip() in ("으로", "로") \
                and a.category == b.category:
            roles[id(b)] = "change"
    for a, b in zip(quantities, quantities[1:]):       # 184,300명, 전년 대비 2,150명 증가: its change
        if roles.get(id(b)) == "change" and id(a) not in roles and a.category == b.category \
                and _COMMA_THEN_COMPARED.fullmatch(text, a.end, b.start) and _COMMA_THEN_COMPARED.fullmatch(
                    text, a.end, b.start).group(1):
            roles[id(a)] = "to"
    for a, b in zip(quantities, quantities[1:]):
        if roles.get(id(b)) == "change" and id(a) not in roles and text[a.end:b.start].strip() == "," \
                and a.category != "percent" and b.category == "percent":
            roles[id(a)] = "change"
            if id(b) in directions:
                directions[id(a)] = directions[id(b)]
    for q in quantities:
        opening = q.end + (1 if text[q.end:q.end + 1] == " " else 0)
        if id(q) in roles or text[opening:opening + 1] != "(":
            continue
        closing = text.find(")", opening)
        inside = [p for p in quantities if opening < p.start and (closing < 0 or p.end <= closing)]
        if any(roles.get(id(p)) in ("change", "than", "from") for p in inside):
            roles[id(q)] = "to"
    for a, b in zip(quantities, quantities[1:]):       # (105 → 247억원, 134.7%): the rate of the new figure
        if roles.get(id(a)) == "to" and id(b) not in roles and b.category == "percent" \
                and text[a.end:b.start].strip() == "," and a.category != "percent":
            roles[id(b)] = "change"
    for a, b in zip(quantities, quantities[1:]):       # 5곳 늘려 총 32곳: the total after its increase
        if roles.get(id(a)) == "change" and a.category == b.category and roles.get(id(b)) in (None, "to") \
                and _TOTAL_BEFORE.search(text, a.end, b.start):
            roles[id(b)] = "to"
        elif roles.get(id(a)) == "change" and id(a) in directions and id(b) not in roles \
                and a.category == "percent" != b.category and _CHANGED_THEN.fullmatch(text, a.end, b.start):
            roles[id(b)] = "to"                        # 14.2% 늘어 312억원: the figure it came to
        elif roles.get(id(a)) == "from" and id(b) not in roles and a.category == b.category \
                and len(text[a.end:b.start]) <= 20 and not _ARROW.search(text, a.end, b.start):
            roles[id(b)] = "to"                        # 지난해 1,412건에서 올해 1,967건: where it came to
    _each(text, quantities, roles, directions)


def _named_changes(text: str, tokens: list[Token], quantities: list[Quantity], roles: dict[int, str],
                   directions: dict[int, tuple[str, str]], lex: Lexicon) -> None:
    """`세출 예산안은 9341억 원으로 증가율은 5.76%`, `… 9341억 원이며, 전년 대비 증감률은 5.8%`: a
    figure a word names as a change (a direction or a change noun, then a change measure:
    증가율, 감소폭, 증감률, 증가 규모) is the change of the nearest figure before it that it fits
    (a percent or points of an amount or a rate, an amount of its own kind), when nothing but
    comparison and period words stands between them; the word gives its direction."""
    for k, q in enumerate(quantities):
        if id(q) in roles or k == 0:
            continue
        named = _change_named_before(tokens, q, lex)
        if named is None:
            continue
        first, direction = named
        earlier = next((p for p in reversed(quantities[:k]) if roles.get(id(p)) in (None, "to")
                        and _change_fits(p, q)), None)
        if earlier is None or not _only_comparing_between(text, tokens, earlier.end, first, lex):
            continue
        roles[id(q)] = "change"
        roles.setdefault(id(earlier), "to")
        if direction is not None:
            directions[id(q)] = direction


def _change_named_before(tokens: list[Token], q: Quantity, lex: Lexicon) -> tuple[int, tuple[str, str] | None] | None:
    """(where the naming words start, the direction they give) when the figure follows a change
    measure after a direction or change noun, its particle and an adverb between (증가율은 약)."""
    i = bisect.bisect_left(tokens, q.start, key=lambda t: t.start) - 1
    while i >= 0 and tokens[i].tag in ("JX", "JKS", "MM", "MAG", "SO") and tokens[i].end <= q.start:
        i -= 1
    if i < 1 or tokens[i].form not in lex.cue("change_measure") or tokens[i].tag not in ("XSN", "NNG"):
        return None
    noun = tokens[i - 1]
    if noun.tag != "NNG" or tokens[i].start - noun.end > 1:
        return None
    if noun.form in lex.directions:
        direction, rule_id = lex.direction(noun.form)
    elif noun.form in lex.cue("change_either"):
        direction, rule_id = "increase", lex.cue("change_either")[noun.form]
    else:
        return None
    if q.value < 0:                                   # 증감률 -2.4%, 증가율 -1.1%: the sign says down
        direction = "decrease"
    return noun.start, (direction, rule_id) if q.value else None


def _change_fits(figure: Quantity, change: Quantity) -> bool:
    """A percent changes an amount, points change a percent, an amount one of its own kind."""
    if change.category == "percent":
        return figure.category not in ("percent", "points")
    if change.category == "points":
        return figure.category == "percent"
    return figure.category == change.category


def _only_comparing_between(text: str, tokens: list[Token], start: int, end: int, lex: Lexicon) -> bool:
    """No noun in text[start:end] but comparison and period words (`원이며, 전년 대비`): a noun
    there may name what the change is of (`고용률 62.1%, 실업률 증가폭 0.3%p`)."""
    comparison = lex.cue("comparison")
    for i in _starting_in(tokens, start, end):
        tok = tokens[i]
        if tok.tag in ("NNG", "NNP") and tok.form not in comparison \
                and not (lex.period_regex and lex.period_regex.fullmatch(tok.form)):
            return False
    return True


_OPENING = regex.compile(r"(?:\s*(?!및\s|또는\s)\p{Hangul}+)?\s*\(\s*")   # 4,210명(’23년 …), 87.4% 달성 (’24년 …)
_SPACES_ONLY = regex.compile(r"\s*")


def _period_offset(text: str, start: int, end: int, lex: Lexicon) -> int | None:
    """The year offset of the last period word in text[start:end] that counts from the
    document's year or the compared figure's (지난해, 전년도: -1; 올해, 금년: 0), if any."""
    offset = None
    for m in lex.period_regex.finditer(text, start, end):
        period = next((p for p in lex.period_years if p.year_from in ("document", "value") and p.regex.fullmatch(m.group())),
                      None)
        offset = period.offset if period is not None else None
    return offset


def _earlier_in_brackets(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """text[start:end] opens a bracket (maybe after one word: `412톤 처리 ('09년 398톤)`) with a
    period before the current one: a year written out, or a period word that counts back (the
    period rules with a negative offset: 전년, 지난해 …)."""
    opening = _OPENING.match(text, start, end)
    if opening is None:
        return False
    for period in lex.period_years:
        if period.year_from == "written" or period.offset < 0:
            m = period.regex.match(text, opening.end(), end)
            if m and _SPACES_ONLY.fullmatch(text, m.end(), end):
                return True
    return False


_COMMA_THEN_COMPARED = regex.compile(r"\s*,\s*((?:\S+\s+){0,2}?\S+\s*(?:대비|보다|에\s*비해)\s*)")   # , 전년 대비; , 1년 전보다
_TOTAL_BEFORE = regex.compile(r"(?:총|모두|전체)\s*\(?\s*$")
_CHANGED_THEN = regex.compile(r"\s*(?:이상|가량|정도)?\s*\S+(?:어|아|여|해|나|서)\s+(?:총\s*)?")   # 늘어, 증가해, 줄어
_EACH = regex.compile(r"각각\s*$")


def _each(text: str, quantities: list[Quantity], roles: dict[int, str], directions: dict[int, tuple[str, str]]) -> None:
    """`A와 B 예산이 각각 64억원, 38억원 증액됐다`: the figures of a 각각 list share the role and the
    direction of the last one."""
    for k, q in enumerate(quantities):
        if not _EACH.search(text, max(0, q.start - 8), q.start):
            continue
        group = [q]
        for nxt in quantities[k + 1:]:
            if text[group[-1].end:nxt.start].strip() not in (",", "과", "와", "및"):
                break
            group.append(nxt)
        last = group[-1]
        for member in group[:-1]:
            if id(last) in roles and id(member) not in roles:
                roles[id(member)] = roles[id(last)]
            if id(last) in directions and id(member) not in directions:
                directions[id(member)] = directions[id(last)]


def _parallel_changes(text: str, quantities: list[Quantity], roles: dict[int, str],
                      directions: dict[int, tuple[str, str]]) -> None:
    """`노인복지에서 64억원, 아동보육에서 21억원이 늘었다`, `내국인은 30만 명, 외국인은 5만 명 증가`:
    figures of one kind in a comma list, each after a phrase of its own, are changes like the
    last one, which the verb is said of; not when a figure of the list is where a thing came to,
    or one is a total or a part of one (`총 500억원, 이 중 복지예산 200억원이 늘어`)."""
    if any(roles.get(id(q)) == "to" for q in quantities):
        return
    for k in range(len(quantities) - 1, 0, -1):
        last = quantities[k]
        if roles.get(id(last)) != "change" or id(last) not in directions:
            continue
        for j in range(k, 0, -1):
            earlier, later = quantities[j - 1], quantities[j]
            if id(earlier) in roles or earlier.category != last.category \
                    or not _PARALLEL_GAP.fullmatch(text, earlier.end, later.start) \
                    or _TOTAL_BEFORE.search(text, max(0, earlier.start - 6), earlier.start):
                break
            roles[id(earlier)], directions[id(earlier)] = "change", directions[id(last)]


_PARALLEL_GAP = regex.compile(r"\s*,\s*(?![^,]*(?:중|가운데|대비|보다|에 비해))[^,\d()]{1,30}?")


def _comparisons_join_their_figure(clauses: list[list[Quantity]], roles: dict[int, str]) -> list[list[Quantity]]:
    """`관광객이 1억 4,235만 명으로 집계돼 전년(1억 2,870만 명)보다 10.6% 증가했다`: a clause that
    only compares (all its figures earlier ones or changes) goes with the clause before it,
    whose first figure it compares; a clause of changes goes with the total after it, and a
    clause of earlier figures (`38호였으나`) with the figure after it."""
    comparing = ("than", "change", "from")
    joined: list[list[Quantity]] = []
    for qs in clauses:
        before = joined[-1] if joined else []
        if before and all(roles.get(id(q)) in comparing for q in qs) \
                and not any(roles.get(id(q)) in comparing for q in before):
            if not any(roles.get(id(q)) == "to" for q in before):
                roles[id(_compared_one(before, qs))] = "to"
            joined[-1] = before + qs
        elif before and all(roles.get(id(q)) == "change" for q in before) and roles.get(id(qs[0])) == "to":
            joined[-1] = before + qs                   # 5곳 늘려 총 32곳: the increase, then the total
        elif before and all(roles.get(id(q)) == "from" for q in before) and roles.get(id(qs[0])) in (None, "to") \
                and qs[0].category == before[-1].category and not any(roles.get(id(q)) in comparing for q in qs):
            roles[id(qs[0])] = "to"                    # 지난해 38호였으나 | 올해는 61호를: where it came to
            joined[-1] = before + qs
        else:
            joined.append(qs)
    return joined


def _compared_one(before: list[Quantity], comparing: list[Quantity]) -> Quantity:
    """The figure of the clause before that a clause of comparisons compares: its first, or its
    first of the comparisons' kind (`전체 예산의 63.1%인 6,512억원을 편성해 | 전년 5,987억원에서
    525억원 늘었으며`: the amount, not the share)."""
    return next((q for q in before if q.category == comparing[0].category), before[0])


def _compared_after_a_colon(text: str, qs: list[Quantity], roles: dict[int, str]) -> None:
    """`총규모 1조 2,480억원 : 전년 대비 612억원(5.2%) 증가`: in a clause with no figure it comes
    to, a comparison after a colon compares the plain figure right before the colon, when of
    its kind (or the comparison is a rate). (Without the colon, `내국인은 30만 명, 외국인은 50만
    명이 증가` are two changes.)"""
    if any(roles.get(id(q)) == "to" for q in qs):
        return
    first = next((k for k, q in enumerate(qs) if roles.get(id(q)) in ("than", "change", "from")), None)
    if not first or roles.get(id(qs[first - 1])) is not None:
        return
    plain, compared = qs[first - 1], qs[first]
    if not _COLON_BETWEEN.match(text, plain.end, compared.start):
        return
    if plain.category == compared.category or compared.category == "percent" and roles.get(id(compared)) == "change":
        roles[id(plain)] = "to"


_COLON_BETWEEN = regex.compile(r"\s*[:：][^:：]*\Z")


def compare(text: str, tokens: list[Token], quantities: list[Quantity], lex: Lexicon) -> list[Observation]:
    """Group the sentence's figures into observations (one per row)."""
    ends = clause_ends(tokens, text, lex)
    children = _parentheticals(text, quantities)
    inner = {id(c) for c in children.values()}
    outer = [q for q in quantities if id(q) not in inner]
    roles, directions = _roles(text, tokens, outer, children, lex)
    _roles_from_neighbours(text, outer, roles, lex, directions)
    _named_changes(text, tokens, outer, roles, directions, lex)
    _parallel_changes(text, outer, roles, directions)
    _members_of_a_sum(outer, roles)
    observations: list[Observation] = []
    used: set[int] = set()
    by_clause: dict[int, list[Quantity]] = {}
    for q in outer:
        by_clause.setdefault(_clause_of(q.start, ends), []).append(q)
    for qs in _comparisons_join_their_figure(list(by_clause.values()), roles):
        _compared_after_a_colon(text, qs, roles)
        clause_end = next((e for e in ends if e > qs[-1].start), len(text))
        hit = _direction_at(tokens, qs[0].start, clause_end, lex)
        if hit is not None and any(_earned(tokens, q, hit[0], lex) for q in qs):
            hit = None                                 # the clause says what was earned
        mains = {id(q): Observation(q) for q in qs if roles.get(id(q)) == "to"}
        rows: list[Observation] = []
        for q in qs:
            role = roles.get(id(q))
            parts = [p for p in (q, children.get(id(q))) if p is not None]
            if id(q) in mains:
                obs = mains[id(q)]
            elif role in ("from", "than", "change") and mains:
                obs = mains[min(mains, key=lambda m: abs(mains[m].quantity.start - q.start))]
                if role == "change":
                    _attach_change(obs, parts, used)
                elif q.category == obs.quantity.category and obs.prev is None:
                    obs.prev = q
                    used.add(id(q))
                if id(q) not in used and role == "change":   # a change that fits no current figure here:
                    obs = _change_alone(parts, used)             # a later sentence's figure may be its row
                elif id(q) not in used:                  # it fits no current figure: a row of its own
                    obs = Observation(q, alone="earlier" if role in ("from", "than") else None)
            elif role == "change" and (said := _changed_before(text, tokens, q, observations + rows, roles, lex)):
                obs = said                               # 87.4% 달성 (전년 대비 11.2%p 상승): its change
                _attach_change(obs, parts, used)
            elif role == "change":                       # a change with no current figure: its own row
                obs = _change_alone(parts, used)
            else:
                obs = Observation(q, alone="earlier" if role in ("from", "than") else None)
            if id(q) in directions and obs.direction is None:
                obs.direction, rule_id = directions[id(q)]
                obs.rule_ids.append(rule_id)
            child = children.get(id(q))
            arrow = _ARROW_AFTER.match(text, child.end) if child is not None else None
            if arrow and obs.quantity is q and id(child) not in used:      # 1조 2,870억원(2,310억 원↑)
                _attach_change(obs, [child], used)
                obs.direction = obs.direction or ("increase" if arrow.group(1) in "↑▲" else "decrease")
            if not any(o is obs for o in rows):
                rows.append(obs)
        for obs in rows:
            q = obs.quantity
            if hit and obs.direction is None and q.start < hit[0].start and roles.get(id(q)) != "series" and (
                    roles.get(id(q)) in ("to", "change") or not mains):
                obs.direction = hit[1]
                obs.direction_at = hit[0].start
                obs.rule_ids.append(hit[2])
        observations += rows
    row_ids = {id(o.quantity) for o in observations}
    parent_of = {id(child): next(q for q in outer if children.get(id(q)) is child) for child in children.values()}
    for child in children.values():
        if id(child) not in used and id(child) not in row_ids:
            observations.append(Observation(child, inside=parent_of[id(child)]))
    return sorted(_rates_said_of_their_change(text, observations), key=lambda o: o.quantity.start)


def _members_of_a_sum(quantities: list[Quantity], roles: dict[int, str]) -> None:
    """`특별교부금 4억 1400만 원, 일반조정교부금 53억 9300만 원으로, 58억 700만 원을 증액`: a figure
    that is the sum of the two or more figures right before it is their total, so they are its
    members, not the figures it changes. (An earlier figure and a change that add up to the
    new one, `8832억 원보다 509억 원 증가한 9341억 원`, compare as they say.)"""
    for k, q in enumerate(quantities):
        if q.category in (None, "percent", "points"):
            continue
        total = 0.0
        for j in range(k - 1, -1, -1):
            if quantities[j].category != q.category or roles.get(id(quantities[j]), "to") != "to":
                break
            total += quantities[j].value
            if k - j >= 2 and abs(total - q.value) <= 1e-9 * max(1.0, abs(q.value)):
                for member in quantities[j:k]:
                    roles.pop(id(member), None)
                break


_IS_ITS = regex.compile(r"\s*인\s*")


def _rates_said_of_their_change(text: str, observations: list[Observation]) -> list[Observation]:
    """`6,726억 원으로 … 대비 4.17%인 269억 원이 증액`: a percent that is its change (N%인 M원)
    is that change's rate, no row of its own."""
    rates = [o for o in observations if o.quantity.category == "percent"
             and o.prev is None and o.change is None and o.change_pct is None]
    dropped: set[int] = set()
    for obs in observations:
        change = obs.change
        if change is None or obs.change_pct is not None or obs.quantity.category == "percent":
            continue
        rate = next((o for o in rates if o.quantity.end <= change.start
                     and _IS_ITS.fullmatch(text, o.quantity.end, change.start)), None)
        if rate is not None:
            obs.change_pct = rate.quantity
            dropped.add(id(rate))
    return [o for o in observations if id(o) not in dropped]


def _change_alone(parts: list[Quantity], used: set[int]) -> Observation:
    """A change with no current figure beside it, as a row of its own (which the figure of an
    earlier sentence may take in: prose._bind_comparisons)."""
    amount = next((p for p in parts if p.category != "percent"), parts[0])
    obs = Observation(amount, alone="change")
    _attach_change(obs, parts, used)
    return obs


def _changed_before(text: str, tokens: list[Token], q: Quantity, earlier: list[Observation],
                    roles: dict[int, str], lex: Lexicon) -> Observation | None:
    """The figure a change with no current figure in its clause is the change of: the nearest
    figure before it in the sentence that is no comparison of its own, with no new topic or
    subject between them (`고용률 62.1%, 실업률은 0.3%p 하락`: 실업률's), when the change is in
    points and that figure a percent (`참여율 78.4%, 전년 대비 12.6%p 상승`), or when the change
    stands in brackets after it that compare (`1,250억원 (전년 대비 80억원 증가)`)."""
    before = [o for o in earlier if o.quantity.start < q.start]
    if not before:
        return None
    obs = max(before, key=lambda o: o.quantity.start)
    main = obs.quantity
    if obs.alone is not None or roles.get(id(main)) not in (None, "to") or obs.change is not None:
        return None
    if any(main.end <= t.start and t.end <= q.start and t.tag in ("JX", "JKS") for t in tokens):
        return None
    if q.category == "points":
        return obs if main.category == "percent" else None
    opened = text.rfind("(", main.end, q.start)
    compares = opened >= 0 and ")" not in text[opened:q.start] and any(
        word in text[opened:q.start] for word in lex.cue("comparison"))
    fits = main.category == q.category != "percent" or q.category == "percent" != main.category
    return obs if compares and fits and (q.category != "percent" or obs.change_pct is None) else None


def _attach_change(obs: Observation, parts: list[Quantity], used: set[int]) -> None:
    """A change figure and its bracketed companion: a percent of a non-percent figure (or of
    itself, in a row that is only a change) is change_pct; a figure in the row's unit is change."""
    main = obs.quantity
    for part in parts:
        if part.category == "percent" and (main.category != "percent" or part is main) and obs.change_pct is None:
            obs.change_pct = part
        elif part.category in (main.category, "points") and obs.change is None:
            obs.change = part
        else:
            continue
        used.add(id(part))


_COMPARED_NOUN = regex.compile(r"\s+(?:[^\s\d]+\s+)?([^\s\d]+?)(?=\s|$)")   # 올해 (같은) 본예산보다


def periods(text: str, clause_start: int, obs: Observation, lex: Lexicon) -> tuple[str | None, str | None]:
    """(period, prev_period): the period words or years before the figure in its clause. One
    right before the earlier figure, or followed by a comparison word (전년 대비, 지난해보다) or
    by the noun compared with (올해 본예산보다, 지난해 같은 기간보다), is the earlier figure's; the
    nearest other one is the value's."""
    q = obs.quantity
    comparison = tuple(lex.cue("comparison"))
    period = prev_period = None
    end = max(part.start for part in (q, obs.prev, obs.change, obs.change_pct) if part is not None)
    for m in lex.period_regex.finditer(text, clause_start, end):
        after = text[m.end():m.end() + 6].lstrip()
        before_prev = obs.prev is not None and m.end() <= obs.prev.start <= m.end() + 8
        compared_noun = comparison and _COMPARED_NOUN.match(text, m.end(), end) is not None and any(
            _COMPARED_NOUN.match(text, m.end(), end).group(1).endswith(word) for word in comparison)
        if before_prev or (comparison and after.startswith(comparison)) or compared_noun:
            prev_period = m.group()
        elif m.end() <= q.start:
            period = m.group()
    compared = obs.prev is not None or obs.change is not None or obs.change_pct is not None
    return period, prev_period if compared else None
