"""The rules compiled into the look-up structures the extractors use."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import regex

from pipeline.rules import PATTERN_TIMEOUT_S, Rule, RuleSet


class RuleTimeout(Exception):
    """A rule's regular expression ran past its time on one text."""


class TimedPattern:
    """A pattern built from users' rules' `pattern` keys, run with the regex module's timeout:
    a pattern that backtracks on some text costs its document (with the rules named), not the
    run. (The timeout costs several microseconds a call, so built-in patterns go without.)"""

    def __init__(self, compiled: regex.Pattern, rules: list[Rule]) -> None:
        self.compiled = compiled
        self.pattern = compiled.pattern
        self.rules = rules

    def _ran_over(self) -> RuleTimeout:
        named = ", ".join(f"{r.kind} rule {r.id!r} ({r.where})" for r in self.rules)
        return RuleTimeout(f"the pattern of {named} ran over {PATTERN_TIMEOUT_S:g} s on one text")

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(self.compiled, method)(*args, timeout=PATTERN_TIMEOUT_S, **kwargs)
        except TimeoutError:
            raise self._ran_over() from None

    def match(self, *args: Any, **kwargs: Any) -> regex.Match | None:
        return self._call("match", *args, **kwargs)

    def search(self, *args: Any, **kwargs: Any) -> regex.Match | None:
        return self._call("search", *args, **kwargs)

    def findall(self, *args: Any, **kwargs: Any) -> list:
        return self._call("findall", *args, **kwargs)

    def finditer(self, *args: Any, **kwargs: Any) -> Iterator[regex.Match]:
        found = self._call("finditer", *args, **kwargs)
        while True:
            try:
                yield next(found)
            except StopIteration:
                return
            except TimeoutError:
                raise self._ran_over() from None


@dataclass(frozen=True)
class UnitForm:
    rule_id: str
    form: str
    unit: str
    category: str
    scale: float


@dataclass(frozen=True)
class MarkerRule:
    rule_id: str
    regex: regex.Pattern | TimedPattern    # timed when the rule gives a `pattern`
    position: str          # inline / line / any
    level: int | None
    note: bool
    space_after: bool      # only a marker when a space follows (`- 항목`, not `-3.5%`)


@dataclass(frozen=True)
class PeriodYear:
    """A period rule's year: written in it, or the document's or compared figure's plus offset."""
    regex: regex.Pattern
    year_from: str                                # written / document / value
    offset: int
    rule_id: str


@dataclass
class Lexicon:
    units: list[UnitForm]                         # longest form first
    units_by_first: dict[str, list[UnitForm]]     # the same, by first character (a fast look-up)
    unit_by_form: dict[str, UnitForm]             # the same, by form without spaces
    unit_by_rule: dict[str, UnitForm]             # the same, by rule id
    markers: list[MarkerRule]
    directions: dict[str, tuple[str, str]]        # word -> (direction, rule id)
    verb_directions: dict[str, tuple[str, str]]   # the same for stems that give one only as verbs (높이)
    comparatives: dict[str, tuple[str, str]]      # adjective -> (direction, rule id): only right after a
                                                  # figure, in a clause that compares (보다 8명 많았다)
    statuses: dict[str, tuple[str, str]]          # word -> (status, rule id)
    actions: dict[str, str]                       # word -> rule id
    indicators: dict[str, list[tuple[str, str, str]]]   # last character -> (alias without spaces, name,
                                                  # rule id), longest alias first
    not_metric_patterns: list[tuple[regex.Pattern | TimedPattern, str]]
    not_metric_suffixes: list[tuple[str, str]]    # longest first
    qualifiers_before: dict[str, Rule]            # longest word first
    qualifiers_after: dict[str, Rule]             # longest word first
    period_words: dict[str, str]                  # word -> rule id
    period_years: list[PeriodYear]                # how each period names a year, longest first
    table_roles: list[tuple[str, list[tuple[str, str]]]]   # role -> (word without spaces, rule id), longest
                                                  # first, the roles in the order they are tried
    funding_sources: dict[str, tuple[str, str]]   # word as written (국, 도비, 분) -> (name, rule id)
    cues: dict[str, dict[str, str]] = field(default_factory=dict)   # role -> word -> rule id
    any_marker: regex.Pattern | TimedPattern | None = None   # every marker where it can stand, for quick tests
    line_markers: list[MarkerRule] = field(default_factory=list)     # the markers that can open a line
    inline_markers: list[MarkerRule] = field(default_factory=list)   # ... that can stand inside running text
    some_line_marker: regex.Pattern | TimedPattern | None = None     # any of line_markers, for a quick test
    some_inline_marker: regex.Pattern | TimedPattern | None = None   # any of inline_markers, for a quick test
    numeral_hint: regex.Pattern | None = None     # a Hangul numeral before a unit (삼십 명, 다섯 곳)
    period_regex: regex.Pattern | TimedPattern | None = None  # every period word and pattern at once
    status_regex: regex.Pattern | None = None     # every status word standing as a word
    status_compact: frozenset[str] = frozenset()  # the status words without spaces
    action_suffix: regex.Pattern | None = None    # the longest action word ending a word
    title: regex.Pattern | None = None            # a word ending in an official's title (도로과장)
    member_title: regex.Pattern | None = None     # ... in a title written after the name (위원, 의원)
    first_not_metric: tuple[regex.Pattern | TimedPattern, list[tuple[int, str]]] | None = None
    # the not_metric patterns in their order as one alternation, with the group and rule id of each
    # (None when a pattern cannot be joined: then each is tried in turn)
    memo: dict[str, dict] = field(default_factory=dict, repr=False, compare=False)   # answers the readers
    # remember per text (cells.column_role), bounded there; they hold while the lexicon is not changed
    # quick tests that let the hot paths skip their loops over rule words
    directions_by_first: dict[str, list[str]] = field(default_factory=dict)   # direction words by first character
    qualifier_after_first: frozenset[str] = frozenset()    # first characters of the qualifiers after a figure
    qualifier_before_last: frozenset[str] = frozenset()    # last characters of those before it
    not_metric_suffix_first: frozenset[str] = frozenset()  # first characters of the not_metric suffixes
    table_role_characters: frozenset[str] = frozenset()    # every character of the table column words

    def cue(self, role: str) -> dict[str, str]:
        return self.cues.get(role, {})

    def direction(self, word: str) -> tuple[str, str]:
        """(direction, rule id) of a direction word, noun or verb."""
        return self.directions.get(word) or self.verb_directions[word]


def build_lexicon(rules: RuleSet) -> Lexicon:
    units = sorted((UnitForm(r.id, r.get("form"), r.get("unit"), r.get("category"), float(r.get("scale", 1)))
                    for r in rules.of("unit")), key=lambda u: (-len(u.form), u.form))
    markers = []
    for r in rules.of("marker"):
        pattern = r.get("pattern")
        compiled = regex.compile(pattern or regex.escape(r.get("symbol")))
        markers.append(MarkerRule(r.id, _timed(compiled, [r] if pattern and not r.builtin else []), r.get("position", "any"),
                                  r.get("level"), bool(r.get("note", False)), bool(r.get("space_after", False))))
    patterned = [r for r in rules.rules if r.get("pattern") and not r.builtin]
    marker_rules = [r for r in patterned if r.kind == "marker"]
    line_markers = [m for m in markers if m.position != "inline"]
    inline_markers = [m for m in markers if m.position != "line"]
    cues: dict[str, dict[str, str]] = {}
    for r in rules.of("cue"):
        cues.setdefault(r.get("role"), {})[r.get("word")] = r.id
    indicators: dict[str, list[tuple[str, str, str]]] = {}
    for alias, name, rule_id in sorted(((alias.replace(" ", ""), r.get("name"), r.id) for r in rules.of("indicator")
                                        for alias in r.get("aliases")), key=lambda t: -len(t[0])):
        indicators.setdefault(alias[-1:], []).append((alias, name, rule_id))
    units_by_first: dict[str, list[UnitForm]] = {}
    for unit in units:
        units_by_first.setdefault(unit.form[0], []).append(unit)
    directions_by_first: dict[str, list[str]] = {}
    for r in rules.of("direction"):
        if not r.get("comparative"):
            directions_by_first.setdefault(r.get("word")[:1], []).append(r.get("word"))
    not_metric = [r for r in rules.of("not_metric") if r.get("pattern")]
    return Lexicon(
        units=units,
        units_by_first=units_by_first,
        unit_by_form={regex.sub(r"\s+", "", u.form): u for u in reversed(units)},
        unit_by_rule={u.rule_id: u for u in units},
        markers=markers,
        directions={r.get("word"): (r.get("direction"), r.id) for r in rules.of("direction")
                    if not r.get("comparative") and not r.get("verb_only")},
        verb_directions={r.get("word"): (r.get("direction"), r.id) for r in rules.of("direction")
                         if not r.get("comparative") and r.get("verb_only")},
        comparatives={r.get("word"): (r.get("direction"), r.id) for r in rules.of("direction") if r.get("comparative")},
        statuses={r.get("word"): (r.get("status"), r.id) for r in rules.of("status")},
        actions={r.get("word"): r.id for r in rules.of("action")},
        indicators=indicators,
        not_metric_patterns=[(_timed(regex.compile(r.get("pattern")), [r] if not r.builtin else []), r.id)
                             for r in rules.of("not_metric") if r.get("pattern")],
        not_metric_suffixes=sorted(((r.get("suffix"), r.id) for r in rules.of("not_metric") if r.get("suffix")),
                                   key=lambda t: -len(t[0])),
        qualifiers_before=_longest_first({r.get("word"): r for r in rules.of("qualifier") if r.get("position") == "before"}),
        qualifiers_after=_longest_first({r.get("word"): r for r in rules.of("qualifier") if r.get("position") == "after"}),
        period_words={r.get("word"): r.id for r in rules.of("period") if r.get("word")},
        period_years=sorted((PeriodYear(regex.compile(r.get("pattern") or regex.escape(r.get("word"))), r.get("year_from"),
                                        r.get("offset", 0), r.id)
                             for r in rules.of("period") if r.get("year_from")), key=lambda p: -len(p.regex.pattern)),
        table_roles=[(role, sorted(((regex.sub(r"\s+", "", r.get("word")), r.id) for r in rules.of("table_column")
                                    if r.get("role") == role), key=lambda t: -len(t[0])))
                     for role in TABLE_ROLE_ORDER],
        funding_sources={r.get("word"): (r.get("name"), r.id) for r in rules.of("funding_source")},
        cues=cues,
        any_marker=_timed(_alternation([m.regex.pattern if m.position != "line" else f"(?m:^\\s*(?:{m.regex.pattern}))"
                                        for m in markers]), marker_rules),
        line_markers=line_markers,
        inline_markers=inline_markers,
        some_line_marker=_timed(_alternation([m.regex.pattern for m in line_markers]), marker_rules),
        some_inline_marker=_timed(_alternation([m.regex.pattern for m in inline_markers]), marker_rules),
        numeral_hint=regex.compile(f"(?:{NUMERAL_WORDS})\\s?(?:{'|'.join(regex.escape(u.form) for u in units)})"),
        period_regex=_timed(_alternation([regex.escape(r.get("word")) for r in rules.of("period") if r.get("word")]
                                         + [r.get("pattern") for r in rules.of("period") if r.get("pattern")]),
                            [r for r in patterned if r.kind == "period"]),
        status_regex=regex.compile(r"(?<![\p{L}\p{N}])(?:" + _alternation(
            [regex.escape(r.get("word")) for r in rules.of("status")]).pattern + ")"),
        status_compact=frozenset(regex.sub(r"\s+", "", r.get("word")) for r in rules.of("status")),
        action_suffix=regex.compile("(?:" + _alternation(
            [regex.escape(r.get("word")) for r in rules.of("action")]).pattern + r")\Z"),
        title=_word_ending([r.get("word") for r in rules.of("cue") if r.get("role") == "title"]),
        member_title=_word_ending([r.get("word") for r in rules.of("cue") if r.get("role") == "member_title"]),
        first_not_metric=None if any(_NOT_JOINABLE.search(r.get("pattern")) for r in not_metric) else
        _in_order(not_metric),
        directions_by_first=directions_by_first,
        qualifier_after_first=frozenset(r.get("word")[:1] for r in rules.of("qualifier") if r.get("position") == "after"),
        table_role_characters=frozenset("".join(regex.sub(r"\s+", "", r.get("word")) for r in rules.of("table_column"))),
        not_metric_suffix_first=frozenset(r.get("suffix")[:1] for r in rules.of("not_metric") if r.get("suffix")),
        qualifier_before_last=frozenset(r.get("word")[-1:] for r in rules.of("qualifier") if r.get("position") == "before"),
    )


def _in_order(rules: list[Rule]) -> tuple[regex.Pattern | TimedPattern, list[tuple[int, str]]]:
    """The rules' patterns as one alternation tried in the rules' order (the first that matches
    at a place is the one the rules would give), each in a group of its own: (the pattern, the
    number of each rule's group with its id)."""
    groups, parts, number = [], [], 1
    for r in rules:
        parts.append(f"({r.get('pattern')})")
        groups.append((number, r.id))
        number += 1 + regex.compile(r.get("pattern")).groups
    return _timed(regex.compile("|".join(parts) or r"(?!x)x"), [r for r in rules if not r.builtin]), groups


_NOT_JOINABLE = regex.compile(r"\\[1-9]|\(\?P[=<]|\\g<|\(\?<[A-Za-z]|\(\?[a-zA-Z]+[:)]")
# a back-reference, a named group or an inline flag would mean something else inside one alternation


# header roles are tried in this order: `증감률` is a rate before it is a change, `전년도 예산액` an
# earlier figure before it is an amount, `사업명` or `과목` a label column before anything else
TABLE_ROLE_ORDER = ("change_pct", "ratio", "change", "previous", "basis", "label", "measure", "current")

NUMERAL_WORDS = ("[일이삼사오육칠팔구십백천만억조]|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|스무|스물|서른|마흔|쉰|"
                 "예순|일흔|여든|아흔")


def _timed(compiled: regex.Pattern, rules: list[Rule]) -> regex.Pattern | TimedPattern:
    """The pattern, timed when users' rules' patterns are part of it."""
    return TimedPattern(compiled, rules) if rules else compiled


def _longest_first(words: dict[str, Rule]) -> dict[str, Rule]:
    return dict(sorted(words.items(), key=lambda kv: -len(kv[0])))


def _word_ending(words: list[str]) -> regex.Pattern:
    """A word that ends in one of the words (도로과장 ends in 과장; 제2부시장, numbered)."""
    return regex.compile(r"(?:제\d{1,2})?\p{Hangul}*(?:" + _alternation([regex.escape(w) for w in words]).pattern + ")")


def _alternation(patterns: list[str]) -> regex.Pattern:
    """One pattern for many; longer alternatives first so the longest word wins."""
    ordered = sorted(patterns, key=lambda p: -len(p))
    return regex.compile("|".join(f"(?:{p})" for p in ordered) if ordered else r"(?!x)x")
