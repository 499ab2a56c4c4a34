"""Rule examples: every [[example]] runs through the real per-document path and its
expected rows are checked (keys left out are not checked; the row count must match)."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pipeline.dedup import mark_duplicates
from pipeline.ingest import normalise, split_paragraphs
from pipeline.lexicon import Lexicon, build_lexicon
from pipeline.process import process_document
from pipeline.records import DocumentResult
from pipeline.rules import Rule, RuleSet

_ALIASES = {"parent": "parent_name"}


def extract_text(text: str, lex: Lexicon) -> DocumentResult:
    """What `run` extracts from one document holding this text."""
    paragraphs = split_paragraphs("example", normalise(text))
    mark_duplicates(paragraphs)
    return process_document("example", paragraphs, lex)


def _matches(expected: dict[str, Any], row: dict[str, Any]) -> bool:
    for key, want in expected.items():
        got = row.get(_ALIASES.get(key, key))
        if isinstance(want, (int, float)) and not isinstance(want, bool):
            if got is None or abs(float(got) - float(want)) > 1e-6 * max(1.0, abs(float(want))):
                return False
        elif got != want:
            return False
    return True


def _check(kind: str, expected: list[dict[str, Any]], rows: list[dict[str, Any]]) -> str | None:
    unmatched = list(rows)
    for want in expected:
        hit = next((r for r in unmatched if _matches(want, r)), None)
        if hit is None:
            return f"expected {kind[:-1]} {want} not found"
        unmatched.remove(hit)
    if unmatched:
        return f"unexpected {kind}: " + "; ".join(str({k: r[k] for k in _SHOWN[kind]}) for r in unmatched)
    return None


_SHOWN = {"metrics": ("subject", "value", "unit", "raw_text"), "projects": ("name", "section", "marker")}


def check_example(rule: Rule, lex: Lexicon) -> list[str]:
    """Problems with one example, each a line naming file, line and id."""
    result = extract_text(rule.get("text"), lex)
    names = {p.project_id: p.name for p in result.projects}
    rows = {
        "metrics": [asdict(m) for m in result.metrics],
        "projects": [{**asdict(p), "parent_name": names.get(p.parent_id or "")} for p in result.projects],
    }
    where = f"{rule.file}:{rule.line}: example {rule.id!r}"
    problems = []
    if rule.get("none") and (rows["metrics"] or rows["projects"]):
        problems.append(f"{where}: expected no rows, got {len(rows['metrics'])} metrics and "
                        f"{len(rows['projects'])} projects")
    for kind in ("metrics", "projects"):
        if kind in rule.data:
            problem = _check(kind, rule.get(kind), rows[kind])
            if problem:
                problems.append(f"{where}: {problem}")
                got = [{k: r[k] for k in _SHOWN[kind]} for r in rows[kind]]
                problems.append(f"    came out: {got}")
    return problems


def run_examples(rules: RuleSet) -> tuple[list[str], int]:
    lex = build_lexicon(rules)
    examples = rules.of("example")
    failures = [line for rule in examples for line in check_example(rule, lex)]
    return failures, len(examples)
