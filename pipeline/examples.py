"""Rule examples: every [[example]] runs through the real per-document path and its
expected rows are checked (keys left out are not checked; the row count must match)."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pipeline.dedup import mark_duplicates
from pipeline.extract.periods import YearHint
from pipeline.ingest import normalise, split_paragraphs
from pipeline.lexicon import Lexicon, build_lexicon
from pipeline.process import process_document
from pipeline.records import DocumentResult
from pipeline.rules import Rule, RuleSet

_ALIASES = {"parent": "parent_name"}
_SHOWN = {"metrics": ("subject", "value", "unit", "raw_text", "rule_id"),
          "projects": ("name", "section", "marker", "status", "rule_id")}


def extract_text(text: str, lex: Lexicon, doc_year: int | None = None) -> DocumentResult:
    """What `run` extracts from one document holding this text (written in `doc_year`, if given)."""
    paragraphs = split_paragraphs("example", normalise(text))
    mark_duplicates(paragraphs)
    return process_document("example", paragraphs, lex, YearHint(given=doc_year))


def _same(want: Any, got: Any) -> bool:
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        return (isinstance(got, (int, float)) and not isinstance(got, bool)
                and abs(float(got) - float(want)) <= 1e-6 * max(1.0, abs(float(want))))
    return got == want


def _differences(expected: dict[str, Any], row: dict[str, Any]) -> list[str]:
    return [f"{key} {row.get(_ALIASES.get(key, key))!r} (expected {want!r})" for key, want in expected.items()
            if not _same(want, row.get(_ALIASES.get(key, key)))]


def _shown(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    keys = _SHOWN[kind]
    return {k: row[k] for k in keys if row.get(k) is not None}


def _check(kind: str, expected: list[dict[str, Any]], rows: list[dict[str, Any]]) -> list[str]:
    """Each expected row must match a distinct row that came out, and no row may be left over."""
    singular = kind[:-1]
    unmatched = list(rows)
    problems = []
    for want in expected:
        hit = next((r for r in unmatched if not _differences(want, r)), None)
        if hit is not None:
            unmatched.remove(hit)
            continue
        if unmatched:                   # the nearest row is shown here, not again as unexpected
            nearest = min(unmatched, key=lambda r: len(_differences(want, r)))
            unmatched.remove(nearest)
            problems.append(f"expected {singular} {want} did not come out; nearest {singular} "
                            f"{_shown(kind, nearest)} differs in " + ", ".join(_differences(want, nearest)))
        else:
            problems.append(f"expected {singular} {want} did not come out (no other {kind} left to match)")
    for row in unmatched:
        problems.append(f"unexpected {singular} came out: {_shown(kind, row)}")
    return problems


def check_example(rule: Rule, lex: Lexicon) -> list[str]:
    """Problems with one example: the first line names file, line and id; the others are indented."""
    where = f"{rule.file}:{rule.line}: example {rule.id!r}"
    try:
        result = extract_text(rule.get("text"), lex, rule.get("doc_year"))
    except Exception as exc:  # noqa: BLE001 - a crash is this example's failure, not the command's
        return [f"{where}: extraction failed: {type(exc).__name__}: {exc}"]
    names = {p.project_id: p.name for p in result.projects}
    rows = {
        "metrics": [asdict(m) for m in result.metrics],
        "projects": [{**asdict(p), "parent_name": names.get(p.parent_id or "")} for p in result.projects],
    }
    problems = []
    if rule.get("none"):
        for kind in ("metrics", "projects"):
            problems += [f"expected no rows (none = true), but a {kind[:-1]} came out: {_shown(kind, r)}"
                         for r in rows[kind]]
    for kind in ("metrics", "projects"):
        if kind in rule.data:
            problems += _check(kind, rule.get(kind), rows[kind])
    if not problems:
        return []
    out = [f"{where}: FAILED", f"    text: {rule.get('text')!r}"]
    out += [f"    {p}" for p in problems]
    for kind in ("metrics", "projects"):
        out.append(f"    came out: {len(rows[kind])} {kind}" + "".join(f"\n      {_shown(kind, r)}"
                                                                     for r in rows[kind]))
    return out


def run_examples(rules: RuleSet) -> tuple[list[str], int]:
    """(one report per failed example, number of examples)."""
    lex = build_lexicon(rules)
    examples = rules.of("example")
    failures = []
    for rule in examples:
        problems = check_example(rule, lex)
        if problems:
            failures.append("\n".join(problems))
    return failures, len(examples)
