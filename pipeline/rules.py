"""Extraction rules: TOML files of vocabulary (markers, units, direction words ...).

The built-in rules ship inside the package (`pipeline.builtin_rules`, the top-level
`rules/` folder of the source tree); each `--rules DIR` adds or replaces rules by id.
Everything is validated before any input is read, and every problem names the file,
the line (of the offending key where it can be found) and the rule id, and says what
was expected.
"""
from __future__ import annotations

import bisect
import datetime
import difflib
import hashlib
import importlib.resources
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import regex

from pipeline.ingest import normalise, reading_form

_NUMBER = (int, float)

PATTERN_TIMEOUT_S = 1.0       # a rule pattern that runs longer on one text fails its document
PROBE_TIMEOUT_S = 0.25        # `rules check` rejects a pattern that runs longer on one probe
PROBE_CHARS = 4000            # the longest text a pattern meets (a paragraph)
PROBE_SHORT_CHARS = 64        # exponential backtracking shows on short runs already

# kind -> key -> (accepted types, required)
SCHEMA: dict[str, dict[str, tuple[tuple[type, ...], bool]]] = {
    "marker": {"symbol": ((str,), False), "pattern": ((str,), False), "position": ((str,), False),
               "level": ((int,), False), "note": ((bool,), False), "space_after": ((bool,), False)},
    "unit": {"form": ((str,), True), "unit": ((str,), True), "category": ((str,), True),
             "scale": (_NUMBER, False)},
    "direction": {"word": ((str,), True), "direction": ((str,), True), "comparative": ((bool,), False),
                  "verb_only": ((bool,), False)},
    "status": {"word": ((str,), True), "status": ((str,), True)},
    "action": {"word": ((str,), True)},
    "indicator": {"name": ((str,), True), "aliases": ((list,), True)},
    "not_metric": {"pattern": ((str,), False), "suffix": ((str,), False)},
    "qualifier": {"word": ((str,), True), "position": ((str,), True), "qualifier": ((str,), False),
                  "sign": ((int,), False)},
    "period": {"word": ((str,), False), "pattern": ((str,), False), "year_from": ((str,), False),
               "offset": ((int,), False)},
    "table_column": {"word": ((str,), True), "role": ((str,), True)},
    "cue": {"word": ((str,), True), "role": ((str,), True)},
    "funding_source": {"word": ((str,), True), "name": ((str,), True)},
    "example": {"text": ((str,), True), "metrics": ((list,), False), "projects": ((list,), False),
                "none": ((bool,), False), "doc_year": ((int,), False)},
}
COMMON_KEYS = {"id": ((str,), True), "enabled": ((bool,), False), "description": ((str,), False)}

CHOICES: dict[tuple[str, str], set[str]] = {
    ("marker", "position"): {"inline", "line", "any"},
    ("unit", "category"): {"money", "people", "percent", "points", "area", "length", "weight", "volume", "time",
                             "count", "score", "ratio", "power", "energy"},
    ("direction", "direction"): {"increase", "decrease"},
    ("qualifier", "position"): {"before", "after"},
    ("period", "year_from"): {"written", "document", "value"},
    ("qualifier", "qualifier"): {"approx", "at_least", "at_most", "more_than", "less_than"},
    ("table_column", "role"): {"current", "measure", "previous", "change", "change_pct", "ratio", "basis", "label"},
    ("cue", "role"): {"discourse_adverb", "list_closer", "linking_verb", "relation", "comparison", "frame", "field",
                      "total", "generic", "purpose", "office", "dateline", "title", "member_title", "project_name",
                       "people", "means", "amount", "list_head", "agency", "project", "cause", "announced", "earnings",
                       "change_measure", "change_either"},
}
# exactly one of these keys must be present
ONE_OF: dict[str, tuple[str, ...]] = {
    "marker": ("symbol", "pattern"), "not_metric": ("pattern", "suffix"), "period": ("word", "pattern"),
}
# literal words that must not be blank or padded with spaces
WORD_KEYS = ("word", "symbol", "form", "suffix", "unit", "status", "name", "text")
EXAMPLE_METRIC_KEYS = {"value", "value_max", "unit", "unit_category", "subject", "indicator", "prev_value",
                       "change_value", "change_pct", "direction", "period", "prev_period", "qualifier", "year",
                       "prev_year"}
EXAMPLE_NUMBER_KEYS = {"value", "value_max", "prev_value", "change_value", "change_pct", "year", "prev_year"}
EXAMPLE_PROJECT_KEYS = {"name", "section", "marker", "action", "status", "detail", "parent"}
# what makes two rules of a kind claim the same text (reported as a warning: only one applies)
CLAIMS: dict[str, tuple[str, ...]] = {
    "marker": ("symbol",), "unit": ("form",), "direction": ("word",), "status": ("word",), "action": ("word",),
    "not_metric": ("suffix",), "qualifier": ("word", "position"), "period": ("word",),
    "table_column": ("word",), "cue": ("word", "role"), "funding_source": ("word",),
}


class RulesError(Exception):
    """A rule file is broken; the message names file, line and rule id."""


@dataclass(frozen=True)
class Rule:
    kind: str
    id: str
    file: str
    line: int
    data: dict[str, Any] = field(hash=False, compare=False)
    replaces: str = field(default="", compare=False)     # file:line of the rule this one replaced
    partial: bool = field(default=False, compare=False)  # `enabled = false` with only some keys

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def builtin(self) -> bool:
        """One of the rules that ship with the pipeline (not from a --rules folder)."""
        return Path(self.file).parent == builtin_rules_dir()

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class RuleSet:
    rules: list[Rule]
    digest: str
    switched_off: list[Rule] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    # (rule no longer in force, the later folder's rule that claims the same word)
    taken_over: list[tuple[Rule, Rule]] = field(default_factory=list)

    def of(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind]


def builtin_rules_dir() -> Path:
    return Path(str(importlib.resources.files("pipeline.builtin_rules")))


# --- where things are in a file ----------------------------------------------------------

_HEADER = regex.compile(r"""^[ \t]*(\[\[?)[ \t]*([\w."' -]+?)[ \t]*\]\]?[ \t]*(?:#.*)?$""")
_SYNTAX_LINE = regex.compile(r"at line (\d+)")
_QUOTED = regex.compile(r"""\s*(["'])(.*?)\1""")


def _key_pattern(key: str, anywhere: bool = False) -> regex.Pattern:
    name = rf"""(?:{regex.escape(key)}|"{regex.escape(key)}"|'{regex.escape(key)}')"""
    start = r"(?:^|[{,])\s*" if anywhere else r"^\s*"
    return regex.compile(start + name + r"\s*=")


class _Source:
    """The text of one rules file, to find the line of a rule, of a key, of a header. The
    headers are indexed once, so that finding each of n rules costs the same whatever n is."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.split("\n")     # as TOML counts lines
        # (line number, name, is an array header [[...]])
        self.headers: list[tuple[int, str, bool]] = []
        for no, line in enumerate(self.lines, 1):
            m = _HEADER.match(line)
            if m:
                self.headers.append((no, m.group(2).strip("\"'"), m.group(1) == "[["))
        self._header_lines = [no for no, _, _ in self.headers]
        self._arrays: dict[str, list[int]] = {}
        for no, name, array in self.headers:
            if array:
                self._arrays.setdefault(name, []).append(no)
        self._id_lines: dict[str, int] | None = None

    def _end_of(self, line_no: int) -> int:
        """The last line of the table whose header is at line_no."""
        later = bisect.bisect_right(self._header_lines, line_no)
        return self._header_lines[later] - 1 if later < len(self._header_lines) else len(self.lines)

    def block(self, kind: str, index: int, count: int) -> tuple[int, int] | None:
        """Lines (first, last) of the index-th [[kind]] table, if the file writes them so."""
        own = self._arrays.get(kind, [])
        if len(own) != count:
            return None
        return own[index], self._end_of(own[index])

    def first_header(self, kind: str) -> int | None:
        return next((no for no, name, _ in self.headers if name == kind), None)

    def block_at(self, line_no: int) -> tuple[int, int] | None:
        before = bisect.bisect_right(self._header_lines, line_no)
        return (self._header_lines[before - 1], self._end_of(self._header_lines[before - 1])) if before else None

    def line_of_id(self, rule_id: str) -> int | None:
        """The first line anywhere in the file that writes `id = "rule_id"` (indexed on first use)."""
        if self._id_lines is None:
            self._id_lines = {}
            pattern = _key_pattern("id", anywhere=True)
            for no, line in enumerate(self.lines, 1):
                for m in pattern.finditer(line):
                    value = _QUOTED.match(line, m.end())
                    if value:
                        self._id_lines.setdefault(value.group(2), no)
        return self._id_lines.get(rule_id)

    def find(self, key: str, span: tuple[int, int] | None, value: str | None = None,
             anywhere: bool = False) -> int | None:
        """The line of `key = …` (with this string value, if given) inside span."""
        first, last = span or (1, len(self.lines))
        pattern = _key_pattern(key, anywhere)
        for no in range(first, last + 1):
            line = self.lines[no - 1]
            for m in pattern.finditer(line):
                rest = line[m.end():].lstrip()
                if value is None or rest.startswith((f'"{value}"', f"'{value}'")):
                    return no
        return None

    def id_in(self, span: tuple[int, int] | None) -> str | None:
        """The id written in span, read from the text (for files TOML cannot parse)."""
        if span is None:
            return None
        pattern = regex.compile(r"""^\s*id\s*=\s*["']([^"']*)["']""")
        for no in range(span[0], span[1] + 1):
            m = pattern.match(self.lines[no - 1])
            if m:
                return m.group(1)
        return None


# --- messages ------------------------------------------------------------------------------

_TYPE_NAMES = {str: "a string (in quotes)", int: "a whole number", float: "a number", bool: "true or false",
               list: "an array [ … ]", dict: "a table"}


def _expected_type(types: tuple[type, ...]) -> str:
    if types == _NUMBER:
        return "a number"
    return " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)


def _toml_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    for kind, name in ((int, "an integer"), (float, "a float"), (str, "a string"), (list, "an array"),
                       (dict, "a table")):
        if isinstance(value, kind):
            return name
    if isinstance(value, (datetime.date, datetime.time)):
        return "a date/time"
    return type(value).__name__


_REPR = "{!r}"


def _hint(word: str, candidates: list[str] | set[str], fmt: str = "`{}`") -> str:
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f" (did you mean {fmt.format(close[0])}?)" if close else ""


class _RuleContext:
    """Builds messages for one rule: FILE:LINE: KIND rule 'ID': problem."""

    def __init__(self, src: _Source, kind: str, rule_id: str, line: int, span: tuple[int, int] | None) -> None:
        self.src, self.kind, self.id, self.line, self.span = src, kind, rule_id, line, span

    def line_of(self, key: str, anywhere: bool = False) -> int:
        return self.src.find(key, self.span, anywhere=anywhere) or self.line

    def fail(self, problem: str, key: str | None = None, anywhere: bool = False) -> RulesError:
        line = self.line_of(key, anywhere) if key else self.line
        return RulesError(f"{self.src.path}:{line}: {self.kind} rule {self.id!r}: {problem}")


# --- validation ----------------------------------------------------------------------------

def _check_rule(kind: str, entry: Any, src: _Source, index: int, count: int) -> Rule:
    span = src.block(kind, index, count)
    header_line = span[0] if span else (src.first_header(kind) or 1)
    if not isinstance(entry, dict):
        raise RulesError(f"{src.path}:{header_line}: [[{kind}]] number {index + 1}: expected a table of "
                         f"keys written under a [[{kind}]] header, got {_toml_type(entry)}")
    rule_id = entry.get("id")
    if "id" not in entry:
        raise RulesError(f"{src.path}:{header_line}: [[{kind}]] number {index + 1} (no id): missing required "
                         f"key `id`; expected a unique string such as id = \"my.{kind}.name\"")
    if not isinstance(rule_id, str):
        line = src.find("id", span) or header_line
        raise RulesError(f"{src.path}:{line}: [[{kind}]] number {index + 1}: `id` must be "
                         f"{_TYPE_NAMES[str]}, got {_toml_type(rule_id)} {rule_id!r}")
    line = src.find("id", span, rule_id) or src.line_of_id(rule_id) or header_line
    ctx = _RuleContext(src, kind, rule_id, line, span)
    if not rule_id.strip() or any(ch.isspace() or ch == ";" for ch in rule_id):
        raise ctx.fail("`id` must be a non-empty string without spaces or `;` (rule ids are joined with `;` "
                       "in rule_id); expected something like \"my.marker.diamond\"", "id")
    allowed = {**COMMON_KEYS, **SCHEMA[kind]}
    for key, value in entry.items():
        if key not in allowed:
            raise ctx.fail(f"unknown key `{key}`{_hint(key, allowed)}; expected one of "
                           f"{', '.join(sorted(allowed))}", key)
        types, _ = allowed[key]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise ctx.fail(f"`{key}` must be {_expected_type(types)}, got {_toml_type(value)} {value!r}", key)
        choices = CHOICES.get((kind, key))
        if choices and value not in choices:
            raise ctx.fail(f"`{key}` = {value!r} is not allowed{_hint(value, choices, _REPR)}; expected one of "
                           f"{', '.join(repr(c) for c in sorted(choices))}", key)
    disabled = entry.get("enabled", True) is False
    missing = [key for key, (_, required) in allowed.items() if required and key not in entry]
    one_of = ONE_OF.get(kind)
    if not disabled or not _is_stub(entry):
        if missing:
            hint = (f"; to switch off an earlier rule with this id, `id` and `enabled = false` are enough"
                    if disabled else "")
            raise ctx.fail(f"missing required key `{missing[0]}`; a [[{kind}]] rule needs "
                           f"{', '.join(f'`{k}`' for k, (_, r) in allowed.items() if r)}{hint}")
        if one_of and sum(k in entry for k in one_of) != 1:
            given = [k for k in one_of if k in entry]
            problem = "both " + " and ".join(f"`{k}`" for k in given) if given else "neither " + " nor ".join(
                f"`{k}`" for k in one_of)
            raise ctx.fail(f"has {problem}; expected exactly one of {' or '.join(f'`{k}`' for k in one_of)}",
                           given[-1] if len(given) > 1 else None)
        if kind == "example":
            _check_example(entry, ctx)
    data = _normalised(entry)
    _check_values(kind, data, ctx)
    return Rule(kind, rule_id, str(src.path), line, data, partial=disabled and _is_stub(entry))


def _normalised(entry: dict[str, Any]) -> dict[str, Any]:
    """Words as the pipeline reads text (NFC, one form for look-alike characters: ㆍ is ·), so
    that a rule written with a look-alike still matches. Patterns are left as written."""
    def norm(value: Any) -> Any:
        if isinstance(value, str):
            return reading_form(normalise(value))
        if isinstance(value, list):
            return [norm(v) for v in value]
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items()}
        return value
    return {k: v if k in ("id", "pattern", "description") else norm(v) for k, v in entry.items()}



def _is_stub(entry: dict[str, Any]) -> bool:
    """Only id / enabled / description: a rule that switches off an earlier one."""
    return set(entry) <= set(COMMON_KEYS)


def _check_values(kind: str, entry: dict[str, Any], ctx: _RuleContext) -> None:
    for key in WORD_KEYS:
        value = entry.get(key)
        if isinstance(value, str) and (not value.strip() or (kind != "example" and value != value.strip())):
            raise ctx.fail(f"`{key}` = {value!r}: expected a non-empty string without spaces at either end", key)
    if "pattern" in entry:
        try:
            compiled = regex.compile(entry["pattern"])
        except regex.error as exc:
            raise ctx.fail(f"bad regex in `pattern` {entry['pattern']!r}: {exc}; expected a regular expression "
                           "(in TOML strings write a backslash as \\\\)", "pattern") from None
        if compiled.fullmatch(""):
            raise ctx.fail(f"`pattern` {entry['pattern']!r} matches empty text; expected a pattern that needs at "
                           "least one character", "pattern")
        slow = _backtracking_probe(compiled)
        if slow is not None:
            raise ctx.fail(f"`pattern` {entry['pattern']!r} backtracks catastrophically: it ran over "
                           f"{PROBE_TIMEOUT_S:g} s on the probe {slow}; expected a pattern without nested or "
                           "overlapping repeats such as (a|aa)+ or (x+)+", "pattern")
    if kind == "period" and entry.get("year_from") == "written" and "year" not in (
            regex.compile(entry["pattern"]).groupindex if "pattern" in entry else {}):
        raise ctx.fail("`year_from` = \"written\" reads the year from the pattern's group named `year`; expected a "
                       "`pattern` with (?P<year>…), such as \"(?P<year>20[0-9]{2})년\"", "year_from")
    if kind == "period" and "offset" in entry and "year_from" not in entry:
        raise ctx.fail("`offset` counts from a year; expected `year_from` = \"document\" or \"value\" beside it",
                       "offset")
    if kind == "marker" and "level" in entry and entry["level"] < 1:
        raise ctx.fail(f"`level` = {entry['level']}: expected a whole number of 1 or more (1 = outermost)",
                       "level")
    if kind == "indicator" and "aliases" in entry:
        aliases = entry["aliases"]
        if not aliases or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise ctx.fail(f"`aliases` = {aliases!r}: expected a non-empty array of non-empty strings, such as "
                           "[\"인구\", \"주민 수\"]", "aliases")
    if kind == "unit" and "scale" in entry and entry["scale"] <= 0:
        raise ctx.fail(f"`scale` = {entry['scale']!r}: expected a positive number (억원 has scale = 1e8)", "scale")
    if kind == "qualifier" and "sign" in entry and entry["sign"] not in (-1, 1):
        raise ctx.fail(f"`sign` = {entry['sign']!r}: expected -1 (the word makes the number negative) or 1",
                       "sign")




def _backtracking_probe(compiled: regex.Pattern) -> str | None:
    """The probe a pattern backtracks on (described), None when it passes them all. The
    probes are runs of each character the pattern names (and of a letter, a digit, a
    syllable and a space), as long as a paragraph, then a NUL, which ends the match; and
    short runs after each named character. On such runs nested or overlapping repeats make
    the matcher try every way of cutting the run."""
    named = [ch for ch in dict.fromkeys(compiled.pattern) if ch.isalnum() or ch in " .,-·"][:12]
    runs = list(dict.fromkeys([*named, "a", "1", "가", " "]))
    probes = [(ch * PROBE_CHARS, f"{ch!r} × {PROBE_CHARS:,}") for ch in runs]
    probes += [(first + ch * PROBE_SHORT_CHARS, f"{first!r} then {ch!r} × {PROBE_SHORT_CHARS}")
               for first in named for ch in runs if ch != first]
    for text, described in probes:
        try:
            compiled.search(text + "\x00", timeout=PROBE_TIMEOUT_S)
        except TimeoutError:
            return f"{described} then a NUL"
    return None


def _check_example(entry: dict[str, Any], ctx: _RuleContext) -> None:
    listed = [k for k in ("metrics", "projects") if k in entry]
    if not listed and entry.get("none") is not True:
        raise ctx.fail("an example must say what it gives; expected `metrics = [...]`, `projects = [...]` "
                       "or `none = true`", "none" if "none" in entry else None)
    if entry.get("none") is True and any(entry[k] for k in listed):
        raise ctx.fail("`none = true` expects no rows, but the example also lists rows; expected one or the "
                       "other", "none")
    for key, allowed in (("metrics", EXAMPLE_METRIC_KEYS), ("projects", EXAMPLE_PROJECT_KEYS)):
        for row in entry.get(key, []):
            if not isinstance(row, dict):
                raise ctx.fail(f"each of `{key}` must be an inline table like {{name = \"…\"}}, got "
                               f"{_toml_type(row)} {row!r}", key)
            for k, v in row.items():
                if k not in allowed:
                    raise ctx.fail(f"unknown key `{k}` in `{key}`{_hint(k, allowed)}; expected one of "
                                   f"{', '.join(sorted(allowed))}", k, anywhere=True)
                want = _NUMBER if k in EXAMPLE_NUMBER_KEYS else (str,)
                if not isinstance(v, want) or isinstance(v, bool):
                    raise ctx.fail(f"`{k}` in `{key}` must be {_expected_type(want)}, got {_toml_type(v)} {v!r}",
                                   k, anywhere=True)


def _syntax_error(src: _Source, exc: tomllib.TOMLDecodeError) -> RulesError:
    message = str(exc)
    m = _SYNTAX_LINE.search(message)
    line = int(m.group(1)) if m else max(1, len(src.lines))
    block = src.block_at(line)
    rule_id = src.id_in(block)
    kind = next((name for no, name, _ in src.headers if block and no == block[0]), None)
    where = f" in {kind} rule {rule_id!r}" if rule_id and kind else (f" in [[{kind}]]" if kind else "")
    return RulesError(f"{src.path}:{line}: TOML syntax error{where}: {message}; expected key = value lines "
                      "under [[kind]] headers, strings in double quotes")


def load_file(path: Path) -> list[Rule]:
    """Parse and validate one rules file."""
    try:
        text = path.read_text(encoding="utf-8-sig")       # a BOM (from Windows Notepad) is not part of the text
    except UnicodeDecodeError as exc:
        raise RulesError(f"{path}:1: cannot read rules file: not UTF-8 ({exc.reason} at byte {exc.start}); "
                         "expected a UTF-8 text file") from None
    except OSError as exc:
        raise RulesError(f"{path}: cannot read rules file: {exc.strerror or exc}") from None
    src = _Source(path, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(src, exc) from None
    rules: list[Rule] = []
    for kind, entries in data.items():
        tables = isinstance(entries, list) and all(isinstance(e, dict) for e in entries)
        if kind not in SCHEMA:
            line = src.first_header(kind) or src.find(kind, None) or 1
            first_id = entries[0].get("id") if tables and entries else None
            named = f" rule {first_id!r}" if isinstance(first_id, str) else ""
            if isinstance(entries, (list, dict)):
                raise RulesError(f"{path}:{line}: [[{kind}]]{named}: unknown rule kind `{kind}`"
                                 f"{_hint(kind, SCHEMA, '[[{}]]')}; expected one of "
                                 f"{', '.join(sorted(SCHEMA))}")
            named = f" (rule {data['id']!r})" if isinstance(data.get("id"), str) else ""
            raise RulesError(f"{path}:{line}: `{kind} = …` is outside any rule{named}; expected every key under a "
                             f"header naming the rule kind, such as [[marker]] (one of {', '.join(sorted(SCHEMA))})")
        if not isinstance(entries, list):
            line = src.first_header(kind) or src.find(kind, None) or 1
            rule_id = entries.get("id") if isinstance(entries, dict) else None
            named = f" rule {rule_id!r}" if isinstance(rule_id, str) else ""
            raise RulesError(f"{path}:{line}: {kind}{named}: `{kind}` must be an array of tables; expected "
                             f"[[{kind}]] (two brackets) before each rule, got {_toml_type(entries)}")
        rules.extend(_check_rule(kind, entry, src, i, len(entries)) for i, entry in enumerate(entries))
    return rules


def load_dir(folder: Path) -> list[Rule]:
    """All rules of one folder, in file-name order; ids must be unique in the folder."""
    if folder.is_file():
        raise RulesError(f"{folder}: is a file; expected a folder of *.toml rule files (pass {folder.parent})")
    if not folder.is_dir():
        raise RulesError(f"{folder}: rules folder not found; expected a folder of *.toml rule files")
    paths = sorted(folder.glob("*.toml"))
    if not paths:
        raise RulesError(f"{folder}: no rule files in this folder; expected files named *.toml")
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    for path in paths:
        for rule in load_file(path):
            if rule.id in seen:
                first = seen[rule.id]
                raise RulesError(f"{rule.file}:{rule.line}: {rule.kind} rule {rule.id!r}: duplicate rule id, "
                                 f"first defined at {first.where} ({first.kind}); expected ids unique within "
                                 f"one folder (a later --rules folder may reuse an id to replace a rule)")
            seen[rule.id] = rule
            rules.append(rule)
    return rules


def load_rules(extra_dirs: list[Path] | None = None) -> RuleSet:
    """Built-in rules, then each extra folder in order.

    A rule with the id of an earlier one replaces it (in place, so the order of the rules
    stays that of their first definition); `enabled = false` switches one off. A rule that
    claims the same word as a rule of an earlier folder (a user's `척` unit next to the
    built-in one) takes it over: the earlier rule is no longer in force, so the row's
    rule_id names the rule the user wrote. Two rules of one folder claiming the same word
    are a warning.
    """
    by_id: dict[str, Rule] = {}
    folder_of: dict[str, int] = {}
    files: list[str] = []
    for index, folder in enumerate([builtin_rules_dir(), *(extra_dirs or [])]):
        for rule in load_dir(Path(folder)):
            if rule.file not in files:
                files.append(rule.file)
            earlier = by_id.get(rule.id)
            if earlier is not None and earlier.kind != rule.kind:
                raise RulesError(f"{rule.where}: {rule.kind} rule {rule.id!r}: has the id of the {earlier.kind} "
                                 f"rule at {earlier.where}; a rule replaces only a rule of its own kind, so "
                                 f"expected [[{earlier.kind}]] here, or a new id")
            if earlier is None and rule.partial:
                same_kind = [r.id for r in by_id.values() if r.kind == rule.kind]
                raise RulesError(f"{rule.where}: {rule.kind} rule {rule.id!r}: `enabled = false` without the "
                                 f"rule's keys switches off an earlier rule, but no earlier rule has this id"
                                 f"{_hint(rule.id, same_kind, _REPR)}; expected the id of a built-in rule or "
                                 f"of one in an earlier --rules folder (see `rules list`)")
            if earlier is not None:
                rule = replace(rule, replaces=earlier.where)
            by_id[rule.id] = rule
            folder_of[rule.id] = index
    enabled = [r for r in by_id.values() if r.get("enabled", True)]
    switched_off = [r for r in by_id.values() if not r.get("enabled", True)]
    taken_over, warnings = _claims(enabled, folder_of)
    gone = {old.id for old, _ in taken_over}
    active = [r for r in enabled if r.id not in gone]
    digest = hashlib.sha256()
    for rule in active:
        digest.update(repr((rule.kind, rule.id, sorted(rule.data.items()))).encode("utf-8"))
    return RuleSet(active, digest.hexdigest(), switched_off, warnings, files, taken_over)


def _claims(enabled: list[Rule], folder_of: dict[str, int]) -> tuple[list[tuple[Rule, Rule]], list[str]]:
    """Rules that claim the same word: a later folder's rule takes the word over from an
    earlier folder's; two of one folder are a warning (only one of them can apply)."""
    taken_over: list[tuple[Rule, Rule]] = []
    warnings = []
    for kind, keys in CLAIMS.items():
        groups: dict[tuple[Any, ...], list[Rule]] = {}
        for rule in (r for r in enabled if r.kind == kind):
            claim = tuple(rule.get(k) for k in keys)
            if claim[0] is not None:
                groups.setdefault(claim, []).append(rule)
        for claim, group in groups.items():
            if len(group) < 2:
                continue
            last = max(folder_of[r.id] for r in group)
            winners = [r for r in group if folder_of[r.id] == last]
            taken_over += [(r, winners[0]) for r in group if folder_of[r.id] < last]
            for rule in winners[1:]:
                other = winners[0]
                warnings.append(f"{rule.where}: {kind} rule {rule.id!r}: `{keys[0]}` = {claim[0]!r} is also given "
                                f"by {kind} rule {other.id!r} ({other.where}) of the same folder; only one of "
                                f"them applies. Keep one, or switch one off with enabled = false")
    aliases: dict[str, Rule] = {}
    for rule in (r for r in enabled if r.kind == "indicator"):
        for alias in rule.get("aliases"):
            other = aliases.setdefault(alias, rule)
            if other is not rule:
                warnings.append(f"{rule.where}: indicator rule {rule.id!r}: alias {alias!r} is also an alias of "
                                f"indicator rule {other.id!r} ({other.where}); only one of them applies")
    return taken_over, warnings
