"""Time `python -m pipeline review OUT` on the tables of many small documents (issue 15:
10,000 documents in under a minute).

The tables come from a real run: the pipeline runs once on the sample documents (`raw/`
and any --source folder), and their rows are then copied, each round of copies with its
own ids and sources, until there are --documents documents. So every page is a real
document's page, and the review does the work it would do on a real run of that size.

Usage: python benchmarks/review.py [--documents N] [--repeat N] [--source DIR ...] [--json FILE]
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from run import REPO, machine_info, measure

TABLES = ("documents", "paragraphs", "metrics", "projects")
ID_COLUMNS = ("doc_id", "metric_id", "project_id", "parent_id", "duplicate_of_doc")


def sample_tables(sources: list[Path], work: Path) -> dict[str, pa.Table]:
    """The tables of one real run over the sample documents."""
    inputs = work / "samples"
    inputs.mkdir()
    for folder in sources:
        for path in sorted(folder.glob("*.txt")):
            shutil.copy(path, inputs / path.name)
    out = work / "samples-out"
    done = measure("samples", [sys.executable, "-m", "pipeline", "run", str(inputs), "--out", str(out), "--quiet"],
                   timeout=600)[0]
    if not done.ok:
        raise SystemExit("the run over the samples failed")
    return {name: pq.read_table(out / f"{name}.parquet") for name in TABLES}


def _renamed(row: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    """A row of a copy: every id that starts with a document's id gets the copy's id instead."""
    row = dict(row)
    for column in ID_COLUMNS:
        value = row.get(column)
        if isinstance(value, str):
            for old, new in ids.items():
                if value.startswith(old):
                    row[column] = new + value[len(old):]
                    break
    return row


def scaled_tables(samples: dict[str, pa.Table], documents: int) -> dict[str, pa.Table]:
    """`documents` documents: rounds of copies of the samples, each round with its own ids."""
    rows = {name: table.to_pylist() for name, table in samples.items()}
    originals = [d["doc_id"] for d in rows["documents"]]
    by_doc = {name: {doc: [r for r in rows[name] if r["doc_id"] == doc] for doc in originals} for name in TABLES[1:]}
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    copy = 0
    while len(out["documents"]) < documents:
        ids = {doc: f"c{copy:05d}{doc}" for doc in originals}
        for doc in rows["documents"]:
            if len(out["documents"]) == documents:
                break
            out["documents"].append({**_renamed(doc, ids), "source": f"copy{copy:05d}/{doc['source']}"})
            for name in TABLES[1:]:
                out[name] += [_renamed(r, ids) for r in by_doc[name][doc["doc_id"]]]
        copy += 1
    return {name: pa.Table.from_pylist(out[name], schema=samples[name].schema) for name in TABLES}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--source", type=Path, action="append", default=[], help="more sample documents")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    machine = machine_info()
    with tempfile.TemporaryDirectory(prefix="review-bench-") as tmp:
        work = Path(tmp)
        tables = scaled_tables(sample_tables([REPO / "raw", *args.source], work), args.documents)
        out = work / "out"
        out.mkdir()
        for name, table in tables.items():
            pq.write_table(table, out / f"{name}.parquet")
        trials = [measure("review", [sys.executable, "-m", "pipeline", "review", str(out), "--quiet"], timeout=600)[0]
                  for _ in range(args.repeat)]
        if not all(t.ok for t in trials):
            return 1
        site = out / "review"
        pages = len(list((site / "doc").iterdir()))
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        figures = {
            "machine": machine, "documents": args.documents, "pages": pages,
            "rows": {name: table.num_rows for name, table in tables.items()},
            "walls_s": [round(t.wall_s, 2) for t in trials], "median_s": round(statistics.median(t.wall_s for t in trials), 2),
            "peak_rss_mib": round(max(t.peak_rss_bytes for t in trials) / 2**20),
            "site_mib": round(size / 2**20, 1), "index_mib": round((site / "index.html").stat().st_size / 2**20, 2),
        }
    print(f"{machine['cpu_model']}, {machine['cores']} cores, Python {machine['python']}, "
          f"load {machine['load_average_1min']:.2f}")
    print(f"{args.documents:,} documents ({', '.join(f'{v:,} {k}' for k, v in figures['rows'].items())})")
    print(f"review: median {figures['median_s']} s of {args.repeat} ({', '.join(map(str, figures['walls_s']))}), "
          f"peak RSS {figures['peak_rss_mib']} MiB; {pages:,} pages, {figures['site_mib']} MiB in all, "
          f"index.html {figures['index_mib']} MiB")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
