"""Extraction rules: TOML files of vocabulary (markers, units, direction words ...).

The built-in rules ship inside the package (`pipeline.builtin_rules`, the top-level
`rules/` folder of the source tree); each `--rules DIR` adds or replaces rules by id.
Everything is validated before any input is read, and every problem names the file,
the line and the rule id.
"""
from __future__ import annotations

import difflib
import hashlib
import importlib.resources
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

_NUMBER = (int, float)

# kind -> key -> (accepted types, required)
SCHEMA: dict[str, dict[str, tuple[tuple[type, ...], bool]]] = {
    "marker": {"symbol": ((str,), False), "pattern": ((str,), False), "position": ((str,), False),
               "level": ((int,), False), "note": ((bool,), False)},
    "unit": {"form": ((str,), True), "unit": ((str,), True), "category": ((str,), True),
             "scale": (_NUMBER, False)},
    "direction": {"word": ((str,), True), "direction": ((str,), True)},
    "status": {"word": ((str,), True), "status": ((str,), True)},
    "action": {"word": ((str,), True)},
    "indicator": {"name": ((str,), True), "aliases": ((list,), True)},
    "not_metric": {"pattern": ((str,), False), "suffix": ((str,), False)},
    "qualifier": {"word": ((str,), True), "position": ((str,), True), "qualifier": ((str,), False),
                  "sign": ((int,), False)},
    "period": {"word": ((str,), False), "pattern": ((str,), False)},
    "table_column": {"word": ((str,), True), "role": ((str,), True)},
    "cue": {"word": ((str,), True), "role": ((str,), True)},
    "example": {"text": ((str,), True), "metrics": ((list,), False), "projects": ((list,), False),
                "none": ((bool,), False)},
}
COMMON_KEYS = {"id": ((str,), True), "enabled": ((bool,), False), "description": ((str,), False)}

CHOICES: dict[tuple[str, str], set[str]] = {
    ("marker", "position"): {"inline", "line", "any"},
    ("unit", "category"): {"money", "people", "percent", "points", "area", "length", "weight", "time", "count"},
    ("direction", "direction"): {"increase", "decrease"},
    ("qualifier", "position"): {"before", "after"},
    ("qualifier", "qualifier"): {"approx", "at_least", "at_most", "more_than", "less_than"},
    ("table_column", "role"): {"current", "previous", "change", "basis"},
    ("cue", "role"): {"discourse_adverb", "list_closer", "linking_verb", "relation"},
}
# exactly one of these keys must be present
ONE_OF: dict[str, tuple[str, ...]] = {
    "marker": ("symbol", "pattern"), "not_metric": ("pattern", "suffix"), "period": ("word", "pattern"),
}
EXAMPLE_METRIC_KEYS = {"value", "value_max", "unit", "unit_category", "subject", "indicator", "prev_value",
                       "change_value", "change_pct", "direction", "period", "prev_period", "qualifier"}
EXAMPLE_PROJECT_KEYS = {"name", "section", "marker", "action", "status", "detail", "parent"}


class RulesError(Exception):
    """A rule file is broken; the message names file, line and rule id."""


@dataclass(frozen=True)
class Rule:
    kind: str
    id: str
    file: str
    line: int
    data: dict[str, Any] = field(hash=False, compare=False)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


@dataclass
class RuleSet:
    rules: list[Rule]
    digest: str

    def of(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind]


def builtin_rules_dir() -> Path:
    return Path(str(importlib.resources.files("pipeline.builtin_rules")))


def _line_of(text: str, rule_id: str) -> int:
    match = regex.search(r'(?m)^\s*id\s*=\s*["\']' + regex.escape(rule_id) + r'["\']', text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _check_rule(kind: str, entry: Any, path: Path, text: str, index: int) -> Rule:
    where = f"{path}"
    if not isinstance(entry, dict):
        raise RulesError(f"{where}: [[{kind}]] number {index + 1} must be a table")
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise RulesError(f"{where}: [[{kind}]] number {index + 1} has no `id` (a non-empty string)")
    line = _line_of(text, rule_id)
    here = f"{where}:{line}: {kind} rule {rule_id!r}"
    allowed = {**COMMON_KEYS, **SCHEMA[kind]}
    for key, value in entry.items():
        if key not in allowed:
            close = difflib.get_close_matches(key, list(allowed), n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            raise RulesError(f"{here}: unknown key `{key}`{hint}; expected one of {', '.join(sorted(allowed))}")
        types, _ = allowed[key]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            expected = " or ".join(t.__name__ for t in types)
            raise RulesError(f"{here}: `{key}` must be {expected}, got {type(value).__name__} {value!r}")
        choices = CHOICES.get((kind, key))
        if choices and value not in choices:
            raise RulesError(f"{here}: `{key}` = {value!r} is not one of {', '.join(sorted(choices))}")
    for key, (_, required) in allowed.items():
        if required and key not in entry:
            raise RulesError(f"{here}: missing required key `{key}`")
    one_of = ONE_OF.get(kind)
    if one_of and sum(k in entry for k in one_of) != 1:
        raise RulesError(f"{here}: give exactly one of {' or '.join(f'`{k}`' for k in one_of)}")
    if "pattern" in entry:
        try:
            regex.compile(entry["pattern"])
        except regex.error as exc:
            raise RulesError(f"{here}: bad regex in `pattern`: {exc}") from None
    for key in ("word", "symbol", "form", "suffix"):
        if key in entry and not entry[key].strip():
            raise RulesError(f"{here}: `{key}` must not be empty")
    if kind == "indicator" and not all(isinstance(a, str) and a for a in entry["aliases"]):
        raise RulesError(f"{here}: `aliases` must be a list of non-empty strings")
    if kind == "unit" and "scale" in entry and entry["scale"] <= 0:
        raise RulesError(f"{here}: `scale` must be positive")
    if kind == "example":
        _check_example(entry, here)
    return Rule(kind, rule_id, str(path), line, dict(entry))


def _check_example(entry: dict[str, Any], here: str) -> None:
    if not any(k in entry for k in ("metrics", "projects", "none")):
        raise RulesError(f"{here}: an example needs `metrics`, `projects` or `none = true`")
    for key, allowed in (("metrics", EXAMPLE_METRIC_KEYS), ("projects", EXAMPLE_PROJECT_KEYS)):
        for row in entry.get(key, []):
            if not isinstance(row, dict):
                raise RulesError(f"{here}: each of `{key}` must be an inline table like {{name = \"…\"}}")
            for k in row:
                if k not in allowed:
                    close = difflib.get_close_matches(k, list(allowed), n=1)
                    hint = f" (did you mean `{close[0]}`?)" if close else ""
                    raise RulesError(f"{here}: unknown key `{k}` in `{key}`{hint}")


def load_file(path: Path) -> list[Rule]:
    """Parse and validate one rules file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}: cannot read rules file: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{path}: TOML syntax error: {exc}") from None
    rules: list[Rule] = []
    for kind, entries in data.items():
        if kind not in SCHEMA:
            close = difflib.get_close_matches(kind, list(SCHEMA), n=1)
            hint = f" (did you mean [[{close[0]}]]?)" if close else ""
            line = text.find(kind)
            line_no = text.count("\n", 0, line) + 1 if line >= 0 else 1
            raise RulesError(f"{path}:{line_no}: unknown rule kind `{kind}`{hint}; "
                             f"expected one of {', '.join(sorted(SCHEMA))}")
        if not isinstance(entries, list):
            raise RulesError(f"{path}: `{kind}` must be an array of tables, written [[{kind}]]")
        rules.extend(_check_rule(kind, entry, path, text, i) for i, entry in enumerate(entries))
    return rules


def load_dir(folder: Path) -> list[Rule]:
    """All rules of one folder, in file-name order; ids must be unique in the folder."""
    if not folder.is_dir():
        raise RulesError(f"{folder}: rules folder not found")
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    for path in sorted(folder.glob("*.toml")):
        for rule in load_file(path):
            if rule.id in seen:
                first = seen[rule.id]
                raise RulesError(f"{rule.file}:{rule.line}: duplicate rule id {rule.id!r} "
                                 f"(first defined at {first.file}:{first.line})")
            seen[rule.id] = rule
            rules.append(rule)
    return rules


def load_rules(extra_dirs: list[Path] | None = None) -> RuleSet:
    """Built-in rules, then each extra folder in order; later ids replace earlier ones."""
    by_id: dict[str, Rule] = {}
    for folder in [builtin_rules_dir(), *(extra_dirs or [])]:
        for rule in load_dir(Path(folder)):
            by_id.pop(rule.id, None)
            by_id[rule.id] = rule
    active = [r for r in by_id.values() if r.get("enabled", True)]
    digest = hashlib.sha256()
    for rule in active:
        digest.update(repr((rule.kind, rule.id, sorted(rule.data.items()))).encode("utf-8"))
    return RuleSet(active, digest.hexdigest())
