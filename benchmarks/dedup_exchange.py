"""The cost of deduplicating across a whole run (issue 17, docs/scale.md): what each shard
sends the driver (the documents' keys, pickled as Ray sends them), the driver's memory for
them, and the time to resolve the marks in path order, as the number of paragraphs grows.
Paragraphs come from make_corpus.py's deck (every digit redrawn); one in ten documents reposts
paragraphs of an earlier one, one in a hundred with small edits.

Usage: python benchmarks/dedup_exchange.py [--paragraphs 100000 400000] [--json FILE]
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import random
import sys
import time
import tracemalloc
from pathlib import Path

from make_corpus import DEFAULT_SOURCE, deal, load_paragraphs

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.dedup import DuplicateFinder, document_keys  # noqa: E402 - after the path is set
from pipeline.records import Paragraph  # noqa: E402

PER_DOCUMENT = 20


def documents(paragraphs: int, seed: int = 0) -> list[list[Paragraph]]:
    rng = random.Random(seed)
    deck = deal(load_paragraphs([DEFAULT_SOURCE]), rng)
    docs: list[list[Paragraph]] = []
    while sum(map(len, docs)) < paragraphs:
        d = len(docs)
        texts = [next(deck) for _ in range(PER_DOCUMENT)]
        if d and d % 10 == 0:                       # a repost of an earlier document's paragraphs
            earlier = docs[rng.randrange(d)]
            texts[:5] = [p.text for p in earlier[:5]]
            if d % 100 == 0:
                texts[0] = texts[0].replace(" ", "  ", 1) + "!"
        docs.append([Paragraph(str(d), i, i + 1, t) for i, t in enumerate(texts)])
    return docs


def measure(paragraphs: int) -> dict[str, float]:
    docs = documents(paragraphs)
    n = sum(map(len, docs))
    started = time.perf_counter()
    keys = [document_keys(doc) for doc in docs]
    digest_s = time.perf_counter() - started
    blobs = [pickle.dumps(k, protocol=5) for k in keys]      # what a shard task sends back
    del keys
    gc.collect()
    tracemalloc.start()
    finder = DuplicateFinder("run")
    started = time.perf_counter()
    for blob in blobs:
        finder.add(pickle.loads(blob))
    candidates = finder.near_candidates()
    marks = list(finder.resolve(lambda d, idx: [docs[d][i].text for i in idx]))
    resolve_s = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"paragraphs": n, "documents": len(docs), "digest_us_per_paragraph": digest_s / n * 1e6,
            "sent_bytes_per_paragraph": sum(map(len, blobs)) / n, "driver_bytes_per_paragraph": peak / n,
            "resolve_us_per_paragraph": resolve_s / n * 1e6,
            "near_candidates": sum(map(len, candidates.values())),
            "duplicates": sum(len(m.marks) for m in marks)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, nargs="+", default=[100_000, 400_000])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    import datasketch  # noqa: F401 - imported before any measure: its modules are not the driver's data
    import rapidfuzz  # noqa: F401
    measure(2000)
    results = [measure(n) for n in args.paragraphs]
    print(f"{'paragraphs':>10} {'digest µs':>10} {'sent B':>7} {'driver B':>9} {'resolve µs':>11} "
          f"{'near cand.':>10} {'duplicates':>10}   (each a paragraph)")
    for r in results:
        print(f"{r['paragraphs']:>10,} {r['digest_us_per_paragraph']:>10.1f} {r['sent_bytes_per_paragraph']:>7.1f} "
              f"{r['driver_bytes_per_paragraph']:>9.0f} {r['resolve_us_per_paragraph']:>11.1f} "
              f"{r['near_candidates']:>10,} {r['duplicates']:>10,}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
