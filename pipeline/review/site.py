"""`review OUT`: a static site in OUT/review/ built from the published tables, so that an
analyst can check every extracted figure against the text it came from.

One page per document (its paragraphs with every metric and project span marked, an
outline of its projects, a table of its metrics, a chart of its money metrics) and an
index of all documents. Everything the pages need is in the folder: no server, nothing
fetched. The pages are Jinja2 templates with autoescaping, since document text is data
and may hold anything; the same tables give the same bytes.

Columns are read by name and may be missing or new: a column this module does not know
is shown as it is, so that a table that grows needs no change here. The tables are read a
batch of rows at a time and a document's rows are let go once its page is written, so the
memory a review takes does not grow with the run (only the documents table is held whole).
"""
from __future__ import annotations

import hashlib
import math
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import regex

from pipeline.review.charts import BarInput, Chart, bar_chart
from pipeline.review.spans import Mark, Span, nest

SITE_FOLDER = "review"
TABLES = ("documents", "paragraphs", "metrics", "projects")
MONEY_BARS = 40          # money metrics drawn on a document's chart at most (in document order)
BATCH_ROWS = 20_000      # rows of a table read at a time

# Shown first, in this order, with these headings; any other column follows under its own name.
DOCUMENT_COLUMNS = {"source": "source", "status": "status", "n_paragraphs": "paragraphs",
                    "n_duplicate_paragraphs": "duplicates", "n_metrics": "metrics", "n_projects": "projects",
                    "warnings": "warnings", "error": "error"}
DOCUMENT_HIDDEN = {"doc_id", "sha256", "encoding", "n_bytes", "n_chars"}
METRIC_COLUMNS = ("raw_text", "subject", "indicator", "value", "value_max", "unit", "unit_category", "qualifier",
                  "prev_value", "change_value", "change_pct", "direction", "period", "prev_period", "year",
                  "prev_year", "source_kind", "table_id", "row_label", "column_label", "row_level", "is_total",
                  "calculation", "unit_note", "project_id", "rule_id")
METRIC_HIDDEN = {"metric_id", "doc_id", "para_idx", "sent_idx", "char_start", "char_end", "sentence"}
_SAFE_NAME = regex.compile(r"[A-Za-z0-9_-]{1,100}")


class ReviewError(Exception):
    """The folder holds no tables to review; the message says what is missing."""


@dataclass(frozen=True)
class SiteSummary:
    folder: Path
    documents: int


@dataclass(frozen=True)
class ParagraphView:
    idx: int
    line_no: int | None
    pieces: list[str | Mark]
    duplicate_href: str | None         # the kept copy of a duplicate paragraph
    duplicate_label: str | None


@dataclass(frozen=True)
class OutlineItem:
    project_id: str
    name: str
    marker: str
    note: str                          # status and action words, when the item has them
    children: list[OutlineItem]


@dataclass(frozen=True)
class OutlineSection:
    name: str | None
    items: list[OutlineItem]


@dataclass(frozen=True)
class MetricRow:
    metric_id: str
    para_idx: int | None
    cells: list[str]


def _check_tables(out: Path) -> None:
    missing = [name for name in TABLES if not (out / f"{name}.parquet").is_file()]
    if missing:
        raise ReviewError(f"no tables to review in {out}: {', '.join(m + '.parquet' for m in missing)} "
                          f"missing (run the pipeline into it first)")


def rows_by_document(path: Path, order: dict[str, int]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A table's rows, document by document in the documents table's order (doc_id, rows);
    rows of a document that is not in the documents table are left out. The tables are
    written in that order, so they are read as they are, a batch at a time; a table in
    another order is sorted first."""
    ranks = pc.fill_null(pc.index_in(pq.read_table(path, columns=["doc_id"]).column("doc_id"),
                                     pa.array(list(order), pa.string())), -1)
    if len(ranks) > 1 and not pc.all(pc.greater_equal(ranks[1:], ranks[:-1])).as_py():
        table = pq.read_table(path)
        batches: Iterable[pa.RecordBatch] = table.take(pc.sort_indices(ranks)).to_batches(BATCH_ROWS)
    else:
        batches = pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS)
    doc_id, rows = None, []
    for batch in batches:
        for row in batch.to_pylist():
            if row["doc_id"] != doc_id:
                if doc_id in order:
                    yield doc_id, rows
                doc_id, rows = row["doc_id"], []
            rows.append(row)
    if doc_id in order:
        yield doc_id, rows


class _DocumentRows:
    """One table's rows for each document in turn, from rows_by_document."""

    def __init__(self, path: Path, order: dict[str, int]) -> None:
        self._groups = rows_by_document(path, order)
        self._next = next(self._groups, None)

    def of(self, doc_id: str) -> list[dict[str, Any]]:
        """The rows of `doc_id`, asked for in document order."""
        if self._next is None or self._next[0] != doc_id:
            return []
        rows = self._next[1]
        self._next = next(self._groups, None)
        return rows


def build_site(out: Path) -> SiteSummary:
    """Write OUT/review/ from the tables in OUT, replacing an earlier site whole: the new site
    is written beside it and swapped in, so a reader never sees half of one."""
    _check_tables(out)
    target = out / SITE_FOLDER
    staging = Path(tempfile.mkdtemp(prefix=f".{SITE_FOLDER}.new-{os.getpid()}-", dir=out))
    try:
        count = _write_site(staging, out)
        os.chmod(staging, 0o777 & ~_umask())
        old = out / f".{SITE_FOLDER}.old-{os.getpid()}"
        if target.exists():
            os.rename(target, old)
        os.rename(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return SiteSummary(target, count)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("pipeline.review", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    env.tests["mark"] = lambda piece: isinstance(piece, Mark)
    return env


def _write_site(folder: Path, out: Path) -> int:
    env = _environment()
    static = folder / "static"
    static.mkdir()
    for entry in sorted(resources.files("pipeline.review").joinpath("static").iterdir(), key=lambda e: e.name):
        if entry.is_file():
            (static / entry.name).write_bytes(entry.read_bytes())
    documents = pq.read_table(out / "documents.parquet").to_pylist()
    order = {d["doc_id"]: k for k, d in enumerate(documents)}
    names = {d["doc_id"]: page_name(d["doc_id"]) for d in documents}
    sources = {d["doc_id"]: d.get("source") or d["doc_id"] for d in documents}
    metric_columns = pq.read_schema(out / "metrics.parquet").names
    categories = (pc.value_counts(pq.read_table(out / "metrics.parquet", columns=["unit_category"])
                                  .column("unit_category")).to_pylist() if "unit_category" in metric_columns else [])
    per_category: dict[str, int] = {}
    for category in categories:
        key = category["values"] or "(none)"
        per_category[key] = per_category.get(key, 0) + category["counts"]
    (folder / "index.html").write_text(_render_index(env, documents, names, per_category), encoding="utf-8")
    pages = folder / "doc"
    pages.mkdir()
    template = env.get_template("document.html")
    tables = {name: _DocumentRows(out / f"{name}.parquet", order) for name in TABLES[1:]}
    for doc in documents:
        rows = {name: table.of(doc["doc_id"]) for name, table in tables.items()}
        html = template.render(_document_context(doc, rows["paragraphs"], rows["metrics"], rows["projects"],
                                                 names, sources))
        (pages / f"{names[doc['doc_id']]}.html").write_text(html, encoding="utf-8")
    return len(documents)


def page_name(doc_id: str) -> str:
    """A file name for a document's page: the id itself when it is a plain name, else a digest."""
    if _SAFE_NAME.fullmatch(doc_id):
        return doc_id
    return "d-" + hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:20]


def _render_index(env: jinja2.Environment, documents: list[dict[str, Any]], names: dict[str, str],
                  per_category: dict[str, int]) -> str:
    columns = _columns(documents, list(DOCUMENT_COLUMNS), DOCUMENT_HIDDEN)
    rows = [{"href": f"doc/{names[d['doc_id']]}.html", "status": d.get("status") or "",
             "cells": [(format_cell(d.get(c)), _sort_key(d.get(c))) for c in columns]} for d in documents]
    chart = bar_chart([BarInput(k, v) for k, v in sorted(per_category.items(), key=lambda kv: (-kv[1], kv[0]))],
                      "Metrics per unit category", lambda v: f"{v:,.0f}")
    totals = {name: sum(int(d.get(name) or 0) for d in documents)
              for name in ("n_paragraphs", "n_duplicate_paragraphs", "n_metrics", "n_projects", "warnings")}
    return env.get_template("index.html").render(
        root="", title="Review", columns=[DOCUMENT_COLUMNS.get(c, c) for c in columns],
        numeric=[_numeric(documents, c) for c in columns], rows=rows, chart=chart, totals=totals,
        n_documents=len(documents), n_failed=sum(d.get("status") not in (None, "ok") for d in documents))


def _document_context(doc: dict[str, Any], paragraphs: list[dict[str, Any]], metrics: list[dict[str, Any]],
                      projects: list[dict[str, Any]], names: dict[str, str],
                      sources: dict[str, str]) -> dict[str, Any]:
    project_names = {p["project_id"]: p.get("name") or "" for p in projects if p.get("project_id")}
    spans: dict[int, list[Span]] = {}
    for m in metrics:
        spans.setdefault(m.get("para_idx"), []).append(
            Span(m.get("char_start") or 0, m.get("char_end") or 0, "metric", m["metric_id"], metric_tip(m)))
    for p in projects:
        spans.setdefault(p.get("para_idx"), []).append(
            Span(p.get("char_start") or 0, p.get("char_end") or 0, "project", p["project_id"],
                 project_tip(p, project_names)))
    views = [_paragraph_view(p, spans.get(p.get("para_idx"), []), doc["doc_id"], names, sources) for p in paragraphs]
    columns = _columns(metrics, list(METRIC_COLUMNS), METRIC_HIDDEN)
    metric_rows = [MetricRow(m["metric_id"], m.get("para_idx"),
                             [project_names.get(m.get(c) or "", "") if c == "project_id" else format_cell(m.get(c))
                              for c in columns]) for m in metrics]
    return {
        "root": "../", "title": doc.get("source") or doc["doc_id"], "doc": doc,
        "facts": [(DOCUMENT_COLUMNS.get(c, c), format_cell(doc.get(c)))
                  for c in _columns([doc], list(DOCUMENT_COLUMNS), DOCUMENT_HIDDEN | {"source", "error"})],
        "error": doc.get("error"), "paragraphs": views, "outline": outline(projects),
        "metric_columns": [c if c != "project_id" else "project" for c in columns], "metric_rows": metric_rows,
        "chart": money_chart(metrics),
        "n_money": sum(m.get("unit_category") == "money" for m in metrics),
    }


def _paragraph_view(para: dict[str, Any], spans: list[Span], doc_id: str, names: dict[str, str],
                    sources: dict[str, str]) -> ParagraphView:
    text = para.get("text") or ""
    other_doc, other_para = para.get("duplicate_of_doc"), para.get("duplicate_of_para")
    href = label = None
    if other_doc is not None:
        kind = para.get("duplicate_kind") or "exact"
        if other_doc == doc_id:
            href, label = f"#p{other_para}", f"{kind} repeat of ¶{other_para}"
        else:
            href = f"{names.get(other_doc, page_name(other_doc))}.html#p{other_para}"
            label = f"{kind} repeat of {sources.get(other_doc, other_doc)} ¶{other_para}"
    return ParagraphView(para.get("para_idx"), para.get("line_no"), nest(text, spans), href, label)


def outline(projects: list[dict[str, Any]]) -> list[OutlineSection]:
    """The document's projects as sections (in order of first appearance) holding their
    top items, each item holding the items whose parent it is."""
    children: dict[str | None, list[dict[str, Any]]] = {}
    ids = {p.get("project_id") for p in projects}
    for p in projects:
        parent = p.get("parent_id")
        children.setdefault(parent if parent in ids else None, []).append(p)

    def item(p: dict[str, Any]) -> OutlineItem:
        note = " · ".join(w for w in (p.get("status"), p.get("action")) if w)
        return OutlineItem(p["project_id"], p.get("name") or "", p.get("marker") or "", note,
                           [item(c) for c in children.get(p["project_id"], [])])

    sections: dict[str | None, list[OutlineItem]] = {}
    for p in children.get(None, []):
        sections.setdefault(p.get("section"), []).append(item(p))
    return [OutlineSection(name, items) for name, items in sections.items()]


def money_chart(metrics: list[dict[str, Any]]) -> Chart | None:
    """The document's money metrics in text order, each with its earlier value when it has one."""
    money = [m for m in metrics if m.get("unit_category") == "money" and _finite(m.get("value"))]
    if not money:
        return None
    bars = [BarInput(m.get("subject") or m.get("row_label") or m.get("raw_text") or "", m["value"],
                     m.get("prev_value") if _finite(m.get("prev_value")) else None, f"#{m['metric_id']}")
            for m in money[:MONEY_BARS]]
    shown = f" (the first {MONEY_BARS} of {len(money)})" if len(money) > MONEY_BARS else ""
    return bar_chart(bars, f"Money metrics and their earlier values{shown}", won)


def metric_tip(m: dict[str, Any]) -> str:
    """The tooltip of a metric span: what the row says about the figure, one fact per line."""
    value = format_number(m.get("value"))
    if m.get("value_max") is not None:
        value += f"~{format_number(m.get('value_max'))}"
    unit = m.get("unit") or ""
    qualifier = f" ({m['qualifier']})" if m.get("qualifier") else ""
    change = "; ".join(part for part in (
        _signed(m.get("change_value"), f" {unit}".rstrip()), _signed(m.get("change_pct"), " %")) if part)
    year = "" if m.get("year") is None else str(m["year"])
    if m.get("prev_year") is not None:
        year += f" (earlier: {m['prev_year']})"
    lines = [("subject", m.get("subject")), ("value", f"{value} {unit}".rstrip() + qualifier),
             ("prev_value", None if m.get("prev_value") is None else f"{format_number(m['prev_value'])} {unit}".rstrip()),
             ("change", change), ("direction", m.get("direction")), ("year", year or m.get("period")),
             ("rule_id", m.get("rule_id"))]
    return _tip(lines)


def project_tip(p: dict[str, Any], names: dict[str, str]) -> str:
    """The tooltip of a project item: its name, where it sits in the outline, its words."""
    parent = p.get("parent_id")
    lines = [("project", p.get("name")), ("section", p.get("section")),
             ("parent", names.get(parent, parent) if parent else None), ("level", p.get("level")),
             ("action", p.get("action")), ("status", p.get("status")), ("rule_id", p.get("rule_id"))]
    return _tip(lines)


def _tip(lines: Iterable[tuple[str, Any]]) -> str:
    return "\n".join(f"{key}: {'—' if value in (None, '') else value}" for key, value in lines)


def _signed(value: Any, suffix: str) -> str:
    if not _finite(value):
        return ""
    return f"{'+' if value > 0 else ''}{format_number(value)}{suffix}"


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def format_number(value: Any) -> str:
    """A figure as a reader writes it: thousands grouped, no trailing .0, at most 4 decimals."""
    if not _finite(value):
        return "" if value is None else str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def won(value: float) -> str:
    """An amount of money in the units Korean budgets use (조, 억, 만 원)."""
    for size, name in ((1e12, "조"), (1e8, "억"), (1e4, "만")):
        if abs(value) >= size:
            scaled = value / size
            text = f"{scaled:,.0f}" if abs(scaled) >= 100 or float(scaled).is_integer() else f"{scaled:,.1f}"
            return f"{text}{name}원"
    return f"{format_number(value)}원"


def format_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, (int, float)):
        return format_number(value)
    return str(value)


def _sort_key(value: Any) -> str:
    """What the index sorts a cell by: numbers by value, text by itself."""
    return repr(float(value)) if _finite(value) else format_cell(value)


def _numeric(rows: list[dict[str, Any]], column: str) -> bool:
    return any(_finite(r.get(column)) for r in rows)


def _columns(rows: list[dict[str, Any]], preferred: list[str], hidden: set[str]) -> list[str]:
    """The columns to show: the preferred ones that the rows have, then any other, in order."""
    present: dict[str, None] = {}
    for row in rows[:1]:
        present.update(dict.fromkeys(row))
    return [c for c in preferred if c in present and c not in hidden] + \
           [c for c in present if c not in preferred and c not in hidden]
