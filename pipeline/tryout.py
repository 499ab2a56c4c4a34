"""`try "문장"`: the metrics and projects one sentence or short text gives, every column
with the ids of the rules that made it: the quickest way to write and check a rule.

The text goes through the same per-document path as `run` (and as `rules test`); the rows
are shown one per column of a table on a terminal, or as JSON for scripts.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict, fields
from typing import Any

from pipeline.examples import extract_text
from pipeline.lexicon import build_lexicon
from pipeline.records import Metric, Project
from pipeline.rules import RuleSet

SENTENCE_WIDTH = 40      # display columns of a row's sentence (it repeats the text tried) in the terminal table
HIDDEN = {"doc_id"}      # the same for every row of a try


def try_text(text: str, rules: RuleSet, doc_year: int | None = None) -> dict[str, list[dict[str, Any]]]:
    """The rows `run` would write for a document holding `text` (written in `doc_year`), as
    column → value."""
    result = extract_text(text, build_lexicon(rules), doc_year)
    return {"metrics": [_row(m, Metric) for m in result.metrics],
            "projects": [_row(p, Project) for p in result.projects],
            "warnings": [{"warning": w} for w in result.warnings]}


def _row(record: Any, kind: type) -> dict[str, Any]:
    values = asdict(record)
    return {f.name: values[f.name] for f in fields(kind) if f.name not in HIDDEN}


def render_json(rows: dict[str, list[dict[str, Any]]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=1)


def render_table(rows: dict[str, list[dict[str, Any]]]) -> str:
    """Each table as columns of rows: a column name per line, then each row's value in it
    (a text gives few rows and many columns, so this reads better than a row per line)."""
    parts = []
    for name in ("metrics", "projects"):
        records = rows[name]
        parts.append(f"{len(records)} {name[:-1] if len(records) == 1 else name}")
        if records:
            headers = [f"{name[:-1]} {k + 1}" for k in range(len(records))]
            lines = [["column", *headers]] + [[key, *(_cell(r[key], key == "sentence") for r in records)]
                                              for key in records[0]]
            parts.append(_grid(lines))
    parts += [f"warning: {w['warning']}" for w in rows["warnings"]]
    return "\n".join(parts)


def _cell(value: Any, cut: bool) -> str:
    """A value on one line; with `cut`, no wider than SENTENCE_WIDTH (ending in …)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    if not cut or display_width(text) <= SENTENCE_WIDTH:
        return text
    kept, width = [], 0
    for ch in text:
        width += display_width(ch)
        if width > SENTENCE_WIDTH - 1:
            break
        kept.append(ch)
    return "".join(kept) + "…"


def display_width(text: str) -> int:
    """Terminal columns: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _grid(lines: list[list[str]]) -> str:
    widths = [max(display_width(line[k]) for line in lines) for k in range(len(lines[0]))]

    def fmt(line: list[str]) -> str:
        return "  ".join(cell + " " * (w - display_width(cell)) for cell, w in zip(line, widths)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(lines[0]), rule, *map(fmt, lines[1:])])
