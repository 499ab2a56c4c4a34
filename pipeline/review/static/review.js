// The review site's behaviour: on the index, search, sort and pages of rows; on a document's
// page, a metrics-table row that takes the reader to its span. Text is only ever read from
// the page and written back with textContent, never parsed as HTML.
"use strict";

const PAGE_ROWS = 100;

function setUpIndex(table) {
  const body = table.tBodies[0];
  const search = document.getElementById("search");
  const shown = document.getElementById("shown");
  const pager = document.getElementById("pager");
  const pageLabel = pager.querySelector("span");
  const text = new Map(Array.from(body.rows, (row) => [row, row.textContent.toLowerCase()]));
  let order = Array.from(body.rows);
  let matching = order;
  let page = 0;

  function show() {
    const pages = Math.max(1, Math.ceil(matching.length / PAGE_ROWS));
    page = Math.min(Math.max(page, 0), pages - 1);
    const first = page * PAGE_ROWS;
    const visible = new Set(matching.slice(first, first + PAGE_ROWS));
    for (const row of order) row.hidden = !visible.has(row);
    const filtered = matching.length === order.length ? "" : ` (of ${order.length.toLocaleString()})`;
    shown.textContent = matching.length
      ? `${(first + 1).toLocaleString()}–${(first + visible.size).toLocaleString()} of ${matching.length.toLocaleString()} documents${filtered}`
      : `no document matches${filtered}`;
    pager.hidden = pages === 1;
    pageLabel.textContent = `page ${page + 1} of ${pages}`;
    pager.querySelector('[data-step="-1"]').disabled = page === 0;
    pager.querySelector('[data-step="1"]').disabled = page === pages - 1;
  }

  function filter() {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    matching = order.filter((row) => words.every((word) => text.get(row).includes(word)));
    page = 0;
    show();
  }

  search.addEventListener("input", filter);
  pager.addEventListener("click", (event) => {
    const step = event.target.closest("button")?.dataset.step;
    if (step) { page += Number(step); show(); }
  });
  table.tHead.querySelectorAll("th").forEach((th, column) => {
    th.querySelector("button").addEventListener("click", () => {
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      table.tHead.querySelectorAll("th").forEach((other) => other.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const key = th.dataset.numeric
        ? (row) => Number(row.cells[column].dataset.key)
        : (row) => row.cells[column].textContent;
      const compare = th.dataset.numeric ? (a, b) => a - b : (a, b) => a.localeCompare(b, "ko");
      order = order.slice().sort((a, b) => (ascending ? 1 : -1) * compare(key(a), key(b)));
      body.append(...order);
      filter();
    });
  });
  filter();
}

function setUpDocument() {
  function focusMark(id) {
    const mark = document.getElementById(id);
    if (mark && mark.tagName === "MARK") {
      mark.scrollIntoView({ block: "center" });
      mark.focus({ preventScroll: true });
    }
  }
  document.querySelectorAll("tr[data-target]").forEach((row) => {
    row.addEventListener("click", (event) => {
      if (event.target.closest("a")) return;          // the link goes there itself
      const id = row.dataset.target;
      if (location.hash === `#${id}`) focusMark(id); else location.hash = id;   // hashchange focuses it
    });
  });
  window.addEventListener("hashchange", () => focusMark(decodeURIComponent(location.hash.slice(1))));
  if (location.hash) focusMark(decodeURIComponent(location.hash.slice(1)));
}

const documentsTable = document.getElementById("documents");
if (documentsTable) setUpIndex(documentsTable); else setUpDocument();
