"""Peak memory of the whole process tree of `python -m pipeline run` on three shapes of input
(issue 14): a corpus of documents of each size given (1 MB and 100 MB by default, made with
make_corpus.py) and one line of dense figures (5 MB by default: `△12,3억원(45%)▷…` with no
sentence end, every figure a row). The bound it checks is 1.5 GB.

Usage: python benchmarks/memory.py [--sizes 1MB 100MB] [--dense 5MB] [--jobs 2] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from make_corpus import CORPUS_ROOT, DEFAULT_SOURCE, make_corpus, parse_size
from run import Run, machine_info, measure_pipeline

BOUND_BYTES = int(1.5 * 10**9)


def dense_line(size: int, out: Path, seed: int = 0) -> Path:
    """One document of `size` bytes on one line, all figures and bullets."""
    rng = random.Random(seed)
    parts, written = [], 0
    while written < size:
        part = f"△{rng.randint(1, 99)},{rng.randint(1, 9)}억원({rng.randint(1, 99)}%)▷"
        parts.append(part)
        written += len(part.encode("utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    path = out / "dense.txt"
    path.write_text("".join(parts), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="*", default=["1MB", "100MB"], help="corpora of many documents")
    parser.add_argument("--dense", default="5MB", help="size of the one dense line (empty: none)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, help="seconds after which a run is killed and counted as failed")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)

    corpora: list[tuple[str, Path]] = []
    for size in args.sizes:
        folder = CORPUS_ROOT / size.upper()
        make_corpus([DEFAULT_SOURCE], parse_size(size), folder, 0, False)
        corpora.append((f"{size} of documents", folder))
    if args.dense:
        folder = CORPUS_ROOT / f"{args.dense.upper()}-dense"
        dense_line(parse_size(args.dense), folder)
        corpora.append((f"{args.dense} on one dense line", folder))

    runs: list[Run] = []
    print(f"{'corpus':<28} {'docs':>7} {'MB':>7} {'wall s':>8} {'peak RSS MiB':>13}  under 1.5 GB")
    for name, folder in corpora:
        files = sorted(folder.rglob("*.txt"))
        with tempfile.TemporaryDirectory(prefix="bench-memory-") as out:
            run = measure_pipeline(name, folder, Path(out), args.jobs, False, args.timeout)
        run.detail["documents"] = len(files)
        run.detail["bytes"] = sum(f.stat().st_size for f in files)
        runs.append(run)
        verdict = "yes" if run.ok and run.peak_rss_bytes < BOUND_BYTES else ("NO" if run.ok else "FAILED")
        print(f"{name:<28} {len(files):>7} {run.detail['bytes'] / 2**20:>7.1f} {run.wall_s:>8.1f} "
              f"{run.peak_rss_bytes / 2**20:>13.0f}  {verdict}")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine_info(), "bound_bytes": BOUND_BYTES,
                                         "runs": [asdict(r) for r in runs]}, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
    return 0 if all(r.ok and r.peak_rss_bytes < BOUND_BYTES for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
