"""Soak test: many generated documents through `python -m pipeline run` (issue 14), with whole
documents repeated, one paragraph reposted in many, bad files and one giant line. Reports the
peak memory of the process tree and the time, and checks the tables: every good document is
`ok` with its own figure among its rows (or among those of the document it repeats), every bad
file failed with a reason.

Usage: python benchmarks/soak.py [--documents 100000] [--jobs 2] [--giant 4MB] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from make_corpus import CORPUS_ROOT, DEFAULT_SOURCE, load_paragraphs, parse_size
from run import machine_info, measure_pipeline

PER_FOLDER = 1000
REPOSTED = ("구는 올해 경로당 냉난방비 지원에 8억원을 들여 어르신 쉼터를 모두 42곳으로 늘리고, 주민 누구나 "
            "이용할 수 있도록 운영 시간을 저녁 9시까지 넓힌다고 밝혔다.")
BAD = [("png", b"\x89PNG\r\n\x1a\n" + bytes(range(256))), ("empty", b""),
       ("undecodable", "가나다라마".encode("utf-8") * 400 + b"\xff\xfe" + "끝".encode("utf-8"))]


@dataclass
class Expected:
    good: dict[str, str] = field(default_factory=dict)       # source -> the figure it must give
    copies: dict[str, str] = field(default_factory=dict)     # source -> source of the document it repeats
    bad: list[str] = field(default_factory=list)
    giant: str = ""


def generate(count: int, giant: int, out: Path, seed: int = 0) -> Expected:
    """`count` documents in folders of PER_FOLDER: most are a title, a seed paragraph or two
    and a line with a figure of their own; every 7th also reposts one paragraph, every 97th
    repeats the one before it whole, every 1000th is a bad file; plus one giant line."""
    rng = random.Random(seed)
    seeds = [p for p in load_paragraphs([DEFAULT_SOURCE]) if len(p) < 400]
    expected = Expected()
    previous: tuple[str, str] | None = None
    for i in range(count):
        source = f"{i // PER_FOLDER:03d}/doc_{i:06d}.txt"
        path = out / source
        path.parent.mkdir(parents=True, exist_ok=True)
        if i % 1000 == 999:
            kind, data = BAD[(i // 1000) % len(BAD)]
            path.write_bytes(data)
            expected.bad.append(source)
            continue
        if i % 97 == 96 and previous is not None:
            path.write_text(previous[1], encoding="utf-8")
            expected.copies[source] = previous[0]
            continue
        lines = [f"{i}번 보고서", *(re.sub("[0-9]", lambda _: rng.choice("123456789"), rng.choice(seeds))
                                  for _ in range(rng.randint(1, 2)))]
        if i % 7 == 0:
            lines.append(REPOSTED)
        figure = f"{i + 1:,}억원"
        lines.append(f"- 사업비 : {figure}")
        text = "\n".join(lines) + "\n"
        path.write_text(text, encoding="utf-8")
        expected.good[source] = figure
        previous = (source, text)
    if giant:
        line = " ".join(seeds)
        expected.giant = "giant/one_line.txt"
        (out / "giant").mkdir(exist_ok=True)
        (out / expected.giant).write_text((line + " ") * (giant // len(line.encode("utf-8")) + 1), encoding="utf-8")
    return expected


def check(out: Path, expected: Expected) -> dict[str, object]:
    """What the tables say against what was generated."""
    docs = pq.read_table(out / "documents.parquet", columns=["doc_id", "source", "status", "error",
                                                               "duplicate_of"]).to_pylist()
    metrics = pq.read_table(out / "metrics.parquet", columns=["doc_id", "raw_text"])
    figures: dict[str, set[str]] = {}
    for doc_id, raw_text in zip(metrics.column("doc_id").to_pylist(), metrics.column("raw_text").to_pylist()):
        figures.setdefault(doc_id, set()).add(raw_text)
    by_source = {d["source"]: d for d in docs}
    by_id = {d["doc_id"]: d for d in docs}
    missing = [s for s, figure in expected.good.items()
               if by_source.get(s, {}).get("status") != "ok" or figure not in figures.get(by_source[s]["doc_id"], ())]
    copies_wrong = [s for s, original in expected.copies.items()
                    if by_id.get(by_source.get(s, {}).get("duplicate_of") or "", {}).get("source") != original]
    bad_not_failed = [s for s in expected.bad if by_source.get(s, {}).get("status") != "error"]
    giant = by_source.get(expected.giant, {})
    return {"documents": len(docs), "metrics": metrics.num_rows, "good": len(expected.good),
            "good_missing_their_rows": missing[:20], "n_good_missing": len(missing),
            "copies": len(expected.copies), "copies_not_marked": copies_wrong[:20],
            "bad": len(expected.bad), "bad_not_failed": bad_not_failed[:20],
            "giant_status": giant.get("status"), "giant_metrics": len(figures.get(giant.get("doc_id", ""), ()))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--giant", default="4MB", help="size of the one-line document (empty: none)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float)
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    corpus = CORPUS_ROOT / f"soak-{args.documents}"
    expected = generate(args.documents, parse_size(args.giant) if args.giant else 0, corpus)
    with tempfile.TemporaryDirectory(prefix="bench-soak-") as folder:
        out = Path(folder) / "out"
        run = measure_pipeline("soak", corpus, out, args.jobs, False, args.timeout)
        result = check(out, expected) if run.returncode in (0, 1) else {}
    good = run.returncode == 1 and result and not result["n_good_missing"] and not result["copies_not_marked"] \
        and not result["bad_not_failed"] and result["giant_status"] == "ok"
    print(f"{args.documents:,} documents (+1 giant line) in {run.wall_s:.0f} s "
          f"({args.documents / run.wall_s:.0f} documents/s), peak RSS of all processes "
          f"{run.peak_rss_bytes / 2**20:.0f} MiB, exit {run.returncode}")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    print("every good document's rows are there" if good else "SOAK FAILED")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine_info(), "run": asdict(run), "check": result},
                                        indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
