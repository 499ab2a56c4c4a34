"""Reference workload: kiwipiepy alone on a corpus folder.

Creates ``Kiwi(num_workers=N)`` (model load included), tokenises every
non-empty line of every corpus file in one batch ``kiwi.tokenize(lines)`` call
and consumes the results.  ``run.py`` times this script as a fresh subprocess;
it prints its own breakdown as JSON on stdout.

Usage: python benchmarks/reference.py CORPUS_DIR [--workers N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path


def corpus_files(corpus: Path) -> list[Path]:
    """Return the ``*.txt`` files under ``corpus`` (or ``corpus`` itself if a file), sorted."""
    return sorted(corpus.rglob("*.txt")) if corpus.is_dir() else [corpus]


def usable_cores() -> int:
    """Return the number of CPUs this process may run on."""
    return len(os.sched_getaffinity(0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--workers", type=int, default=usable_cores(), help="Kiwi num_workers (default: cores)")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    from kiwipiepy import Kiwi

    kiwi = Kiwi(num_workers=args.workers)
    loaded = time.perf_counter()
    lines = [
        line
        for path in corpus_files(args.corpus)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    read = time.perf_counter()
    tokens = sum(len(result) for result in kiwi.tokenize(lines))
    done = time.perf_counter()
    report = {
        "load_s": round(loaded - start, 3),
        "read_s": round(read - loaded, 3),
        "tokenize_s": round(done - read, 3),
        "lines": len(lines),
        "tokens": tokens,
    }
    json.dump(report, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
