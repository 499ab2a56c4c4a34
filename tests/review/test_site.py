"""The review site from the tables: a page per document, exact and escaped, the same bytes
for the same tables, columns read by name."""
from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute  # noqa: F401 - pa.compute below
import pyarrow.parquet as pq
import pytest

from conftest import run_cli
from pipeline.review.site import (ReviewError, build_site, format_number, metric_tip, money_chart, page_name,
                                  rows_by_document, won)
from review_corpus import HOSTILE_NAME, REPOST_LINE, read_tables, reviewed, write_tables  # noqa: F401


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_document_has_a_page_and_a_row_in_the_index(reviewed: Path) -> None:
    tables = read_tables(reviewed)
    site = reviewed / "review"
    pages = sorted(p.name for p in (site / "doc").iterdir())
    assert pages == sorted(f"{page_name(d['doc_id'])}.html" for d in tables["documents"])
    assert len(pages) == 5
    index = (site / "index.html").read_text(encoding="utf-8")
    for doc in tables["documents"]:
        assert f'href="doc/{page_name(doc["doc_id"])}.html"' in index
    assert (site / "static" / "review.css").is_file() and (site / "static" / "review.js").is_file()


def test_nothing_is_fetched_from_elsewhere(reviewed: Path) -> None:
    for name, data in _files(reviewed / "review").items():
        text = data.decode("utf-8")
        assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in text, name
        assert "//cdn" not in text and "@import" not in text, name


def test_the_same_tables_give_the_same_bytes(reviewed: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("documents", "paragraphs", "metrics", "projects"):
        shutil.copy(reviewed / f"{name}.parquet", copy)
    build_site(copy)
    assert _files(copy / "review") == _files(reviewed / "review")


def test_hostile_text_and_file_names_are_written_as_text(reviewed: Path) -> None:
    doc = next(d for d in read_tables(reviewed)["documents"] if d["source"] == HOSTILE_NAME)
    page = (reviewed / "review" / "doc" / f"{page_name(doc['doc_id'])}.html").read_text(encoding="utf-8")
    assert "<img" not in page and "<script>window" not in page
    assert "&lt;script&gt;window.__pwned = &#34;script&#34;&lt;/script&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=window.__pwned=1&gt;.txt" in page
    index = (reviewed / "review" / "index.html").read_text(encoding="utf-8")
    assert "<img" not in index and "&#34;&gt;&lt;img src=x onerror=window.__pwned=1&gt;.txt" in index


def test_a_duplicate_paragraph_is_greyed_and_links_to_the_kept_copy(reviewed: Path) -> None:
    tables = read_tables(reviewed)
    by_source = {d["source"]: d["doc_id"] for d in tables["documents"]}
    repost = (reviewed / "review" / "doc" / f"{page_name(by_source['c_repost.txt'])}.html").read_text("utf-8")
    kept = next(p for p in tables["paragraphs"] if p["doc_id"] == by_source["a_seed.txt"]
                and p["line_no"] == REPOST_LINE)
    assert ('class="para duplicate"' in repost
            and f'<a class="kept" href="{page_name(by_source["a_seed.txt"])}.html#p{kept["para_idx"]}">'
                f'exact repeat of a_seed.txt ¶{kept["para_idx"]}</a>' in repost)


def test_a_failed_document_shows_its_reason(reviewed: Path) -> None:
    doc = next(d for d in read_tables(reviewed)["documents"] if d["source"] == "e_image.txt")
    page = (reviewed / "review" / "doc" / f"{page_name(doc['doc_id'])}.html").read_text(encoding="utf-8")
    assert '<p class="error">error: not text: binary content (PNG image)</p>' in page
    index = (reviewed / "review" / "index.html").read_text(encoding="utf-8")
    assert '<tr class="status-error">' in index and "not text: binary content (PNG image)" in index


def test_the_tooltip_of_a_metric_says_what_its_row_says(reviewed: Path) -> None:
    population = next(m for m in read_tables(reviewed)["metrics"] if m["raw_text"] == "32만6,479명")
    assert metric_tip(population) == ("subject: 인구\nvalue: 326,479 명\nprev_value: 326,359 명\nchange: +120 명\n"
                                      "direction: increase\nyear: —\nrule_id: " + population["rule_id"])


def test_the_money_chart_has_each_money_metric_and_its_earlier_value(reviewed: Path) -> None:
    tables = read_tables(reviewed)
    budget_doc = next(d["doc_id"] for d in tables["documents"] if d["source"] == "b_budget.txt")
    metrics = [m for m in tables["metrics"] if m["doc_id"] == budget_doc]
    chart = money_chart(metrics)
    assert chart is not None
    first = chart.rows[0]
    assert first.label == "노인복지과" and first.href == f"#{metrics[0]['metric_id']}"
    assert [b.text for b in first.bars] == ["55억원", "50억원"]
    assert len(chart.rows) == sum(m["unit_category"] == "money" for m in metrics)
    assert money_chart([m for m in metrics if m["unit_category"] != "money"]) is None


def test_figures_are_written_as_readers_write_them() -> None:
    assert [format_number(v) for v in (326479.0, 0.946, 11.9, -500.0, None)] == ["326,479", "0.946", "11.9", "-500", ""]
    assert [won(v) for v in (477200000000, 5500000000, 1234000000, 15000, 800)] == \
           ["4,772억원", "55억원", "12.3억원", "1.5만원", "800원"]
    assert won(2.5e12) == "2.5조원"


def test_columns_are_read_by_name_new_ones_shown_missing_ones_skipped(reviewed: Path, tmp_path: Path) -> None:
    tables = {name: pq.read_table(reviewed / f"{name}.parquet") for name in
              ("documents", "paragraphs", "metrics", "projects")}
    metrics = tables["metrics"]
    tables["metrics"] = metrics.append_column("speaker", pa.array(["구청장"] * metrics.num_rows))
    tables["documents"] = tables["documents"].drop_columns(["warnings"])
    tables["projects"] = tables["projects"].drop_columns(["detail", "status"])
    write_tables(tmp_path / "out", tables)
    build_site(tmp_path / "out")
    doc = tables["documents"].column("doc_id")[0].as_py()
    page = (tmp_path / "out" / "review" / "doc" / f"{page_name(doc)}.html").read_text(encoding="utf-8")
    assert "<th>speaker</th>" in page and "<td>구청장</td>" in page
    index = (tmp_path / "out" / "review" / "index.html").read_text(encoding="utf-8")
    assert "<button type=\"button\">warnings</button>" not in index


def test_a_folder_without_tables_is_refused_with_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(ReviewError, match="metrics.parquet"):
        build_site(tmp_path)
    done = run_cli("review", tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("error: no tables to review in") and not (tmp_path / "review").exists()


def test_a_new_site_replaces_the_old_one_whole(reviewed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(reviewed, out, ignore=shutil.ignore_patterns(".cache"))
    (out / "review" / "doc" / "stale.html").write_text("old", encoding="utf-8")
    build_site(out)
    assert not (out / "review" / "doc" / "stale.html").exists()
    assert [p.name for p in out.iterdir() if p.name.startswith(".review")] == []


def test_a_table_in_another_order_gives_the_same_site(reviewed: Path, tmp_path: Path) -> None:
    """Pages are written document by document as the tables are read; a table whose rows are
    not in the documents' order is sorted first (each document's rows keep their order)."""
    tables = {name: pq.read_table(reviewed / f"{name}.parquet") for name in
              ("documents", "paragraphs", "metrics", "projects")}
    for name in ("paragraphs", "metrics", "projects"):
        table = tables[name]
        first = table.column("doc_id")[0].as_py()
        mask = pa.array([d == first for d in table.column("doc_id").to_pylist()])
        tables[name] = pa.concat_tables([table.filter(pa.compute.invert(mask)), table.filter(mask)])
        assert tables[name].column("doc_id")[0].as_py() != first
    write_tables(tmp_path / "out", tables)
    build_site(tmp_path / "out")
    assert _files(tmp_path / "out" / "review") == _files(reviewed / "review")


def test_rows_of_a_document_missing_from_the_documents_table_are_left_out(reviewed: Path) -> None:
    order = {d["doc_id"]: k for k, d in enumerate(read_tables(reviewed)["documents"][1:])}
    groups = list(rows_by_document(reviewed / "metrics.parquet", order))
    assert [doc for doc, _ in groups] == sorted({m["doc_id"] for m in read_tables(reviewed)["metrics"]} & set(order),
                                                key=order.__getitem__)
