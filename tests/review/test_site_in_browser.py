"""The review site in a real browser (Debian's Chromium through Playwright, opened from
disk): every row of the tables is marked exactly where its offsets say, the index's search,
sorting and pages work, a metrics row takes the reader to its span, hostile input runs no
script."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from pipeline.review.site import build_site, page_name
from pipeline.write import SCHEMAS
from review_corpus import HOSTILE_NAME, read_tables, reviewed, write_tables  # noqa: F401

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Each marked row as the page shows it: the text of its fragments joined, and where its
# first fragment starts in its paragraph's text, in code points (as the tables count).
MARKS_JS = """() => {
  const rows = {};
  for (const mark of document.querySelectorAll("mark[data-row]")) {
    const id = mark.dataset.row;
    const row = rows[id] || (rows[id] = {text: "", kind: mark.classList[0], para: null, start: null});
    row.text += mark.textContent;
    if (!mark.classList.contains("fragment")) {
      const container = mark.closest("span.text");
      const range = document.createRange();
      range.setStart(container, 0);
      range.setEndBefore(mark);
      row.start = Array.from(range.toString()).length;
      row.para = Number(mark.closest("p.para").id.slice(1));
    }
  }
  return rows;
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    opened = context.new_page()
    opened.errors = []                                   # type: ignore[attr-defined]
    opened.on("pageerror", lambda error: opened.errors.append(error))
    yield opened
    context.close()


def _open(page: Page, path: Path) -> None:
    page.goto(path.absolute().as_uri())
    page.wait_for_load_state("load")


def _doc_page(out: Path, doc_id: str) -> Path:
    return out / "review" / "doc" / f"{page_name(doc_id)}.html"


def test_every_metric_and_project_is_marked_exactly_at_its_offsets(reviewed: Path, page: Page) -> None:
    tables = read_tables(reviewed)
    texts = {(p["doc_id"], p["para_idx"]): p["text"] for p in tables["paragraphs"]}
    checked = 0
    for doc in tables["documents"]:
        _open(page, _doc_page(reviewed, doc["doc_id"]))
        shown = page.evaluate(MARKS_JS)
        rows = [("metric", m["metric_id"], m) for m in tables["metrics"] if m["doc_id"] == doc["doc_id"]] + \
               [("project", p["project_id"], p) for p in tables["projects"] if p["doc_id"] == doc["doc_id"]]
        assert set(shown) == {row_id for _, row_id, _ in rows}
        for kind, row_id, row in rows:
            expected = texts[(row["doc_id"], row["para_idx"])][row["char_start"]:row["char_end"]]
            if kind == "metric":
                assert expected == row["raw_text"]
            assert shown[row_id] == {"text": expected, "kind": kind, "para": row["para_idx"],
                                     "start": row["char_start"]}, row_id
            checked += 1
        assert page.errors == []                          # type: ignore[attr-defined]
    assert checked == len(tables["metrics"]) + len(tables["projects"]) > 40


def test_a_paragraph_shows_its_text_exactly(reviewed: Path, page: Page) -> None:
    tables = read_tables(reviewed)
    budget = next(d["doc_id"] for d in tables["documents"] if d["source"] == "b_budget.txt")
    _open(page, _doc_page(reviewed, budget))
    shown = page.eval_on_selector_all("p.para span.text", "spans => spans.map(s => s.textContent)")
    assert shown == [p["text"] for p in tables["paragraphs"] if p["doc_id"] == budget]


def test_hovering_or_focusing_a_metric_shows_its_row(reviewed: Path, page: Page) -> None:
    tables = read_tables(reviewed)
    metric = next(m for m in tables["metrics"] if m["raw_text"] == "4천772억원")
    _open(page, _doc_page(reviewed, metric["doc_id"]))
    mark = page.locator(f'[id="{metric["metric_id"]}"]')
    tip = 'el => getComputedStyle(el, "::after").content'
    assert mark.evaluate(tip) == "none"
    mark.hover()
    shown = mark.evaluate(tip)
    for line in ("subject: 예산", "value: 477,200,000,000 원", "prev_value: 420,400,000,000 원",
                 "direction: increase", f"rule_id: {metric['rule_id']}"):
        assert line in shown
    page.mouse.move(0, 0)
    mark.focus()
    assert mark.evaluate(tip) == shown


def test_clicking_a_metrics_row_scrolls_to_its_span(reviewed: Path, page: Page) -> None:
    tables = read_tables(reviewed)
    budget = next(d["doc_id"] for d in tables["documents"] if d["source"] == "b_budget.txt")
    metric = [m for m in tables["metrics"] if m["doc_id"] == budget][-1]
    page.set_viewport_size({"width": 1300, "height": 300})
    _open(page, _doc_page(reviewed, budget))
    in_view = 'el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }'
    mark = page.locator(f'[id="{metric["metric_id"]}"]')
    row = page.locator(f'[id="row-{metric["metric_id"]}"]')
    row.scroll_into_view_if_needed()
    assert not mark.evaluate(in_view)
    row.locator("td").nth(3).click()
    page.wait_for_function(f'document.activeElement && document.activeElement.id === "{metric["metric_id"]}"')
    assert mark.evaluate(in_view)
    assert page.evaluate("location.hash") == f"#{metric['metric_id']}"


def test_hostile_input_runs_no_script(reviewed: Path, page: Page) -> None:
    doc = next(d for d in read_tables(reviewed)["documents"] if d["source"] == HOSTILE_NAME)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in (reviewed / "review" / "index.html", _doc_page(reviewed, doc["doc_id"])):
        _open(page, path)
        assert page.evaluate("window.__pwned") is None
        assert page.locator("img").count() == 0
        assert page.locator("script").count() == 1            # the site's own script, and no other
    assert dialogs == []
    paragraphs = page.eval_on_selector_all("p.para span.text", "spans => spans.map(s => s.textContent)")
    assert paragraphs[0].startswith('<script>window.__pwned = "script"</script>')
    assert paragraphs[1].startswith('"><img src=x onerror="window.__pwned=\'img\'">')
    assert page.locator("h1").text_content() == HOSTILE_NAME


def test_the_search_box_filters_the_index(reviewed: Path, page: Page) -> None:
    _open(page, reviewed / "review" / "index.html")
    visible = "() => Array.from(document.querySelectorAll('#documents tbody tr')).filter(r => !r.hidden).map(r => r.cells[0].textContent)"
    assert len(page.evaluate(visible)) == 5
    page.fill("#search", "budget")
    assert page.evaluate(visible) == ["b_budget.txt"]
    page.fill("#search", "PNG image")
    assert page.evaluate(visible) == ["e_image.txt"]
    assert page.text_content("#shown") == "1–1 of 1 documents (of 5)"
    page.fill("#search", "nothing like this")
    assert page.evaluate(visible) == [] and page.text_content("#shown") == "no document matches (of 5)"
    page.fill("#search", "")
    assert len(page.evaluate(visible)) == 5


def test_a_column_header_sorts_the_index(reviewed: Path, page: Page) -> None:
    tables = read_tables(reviewed)
    _open(page, reviewed / "review" / "index.html")
    page.click("th:has-text('metrics') button")
    sources = page.eval_on_selector_all("#documents tbody tr", "rows => rows.map(r => r.cells[0].textContent)")
    by_metrics = sorted(tables["documents"], key=lambda d: d["n_metrics"])
    assert [d["n_metrics"] for d in sorted(tables["documents"], key=lambda d: sources.index(d["source"]))] == \
           [d["n_metrics"] for d in by_metrics]
    page.click("th:has-text('metrics') button")
    assert page.get_attribute("th:has-text('metrics')", "aria-sort") == "descending"
    first = page.text_content("#documents tbody tr:first-child td:first-child")
    assert first == max(tables["documents"], key=lambda d: d["n_metrics"])["source"]


def _many_documents(out: Path, count: int) -> None:
    """Tables of `count` one-line documents, to see the index in pages."""
    documents = [{"doc_id": f"d{k:05d}", "source": f"doc{k:05d}.txt", "sha256": "", "encoding": "utf-8",
                  "n_bytes": 10, "n_chars": 10, "n_paragraphs": 1, "n_duplicate_paragraphs": 0, "n_metrics": k % 7,
                  "n_projects": 0, "status": "ok", "error": None, "warnings": 0} for k in range(count)]
    paragraphs = [{"doc_id": d["doc_id"], "para_idx": 0, "line_no": 1, "text": f"문서 {k}", "n_chars": 4,
                   "duplicate_of_doc": None, "duplicate_of_para": None, "duplicate_kind": None}
                  for k, d in enumerate(documents)]
    tables: dict[str, Any] = {"documents": documents, "paragraphs": paragraphs, "metrics": [], "projects": []}
    write_tables(out, {name: pa.Table.from_pylist(rows, schema=SCHEMAS[name]) for name, rows in tables.items()})


def test_a_large_index_is_shown_in_pages_and_searched_whole(tmp_path: Path, page: Page) -> None:
    _many_documents(tmp_path / "out", 250)
    build_site(tmp_path / "out")
    _open(page, tmp_path / "out" / "review" / "index.html")
    visible = "() => Array.from(document.querySelectorAll('#documents tbody tr')).filter(r => !r.hidden).map(r => r.cells[0].textContent)"
    first = page.evaluate(visible)
    assert first == [f"doc{k:05d}.txt" for k in range(100)]
    assert page.text_content("#pager span") == "page 1 of 3"
    page.click("#pager [data-step='1']")
    page.click("#pager [data-step='1']")
    assert page.evaluate(visible) == [f"doc{k:05d}.txt" for k in range(200, 250)]
    assert page.is_disabled("#pager [data-step='1']")
    page.fill("#search", "doc00249")
    assert page.evaluate(visible) == ["doc00249.txt"] and page.is_hidden("#pager")


def test_a_screenshot_of_a_document_page(reviewed: Path, page: Page, tmp_path: Path) -> None:
    tables = read_tables(reviewed)
    seed = next(d["doc_id"] for d in tables["documents"] if d["source"] == "a_seed.txt")
    _open(page, _doc_page(reviewed, seed))
    shot = tmp_path / "document.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
