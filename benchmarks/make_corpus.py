"""Build a deterministic benchmark corpus of briefing-like Korean documents.

Every non-empty line of the source ``.txt`` files is a paragraph.  The unique
paragraphs are dealt from a deck that is reshuffled whenever it runs out, every
ASCII digit is redrawn, digit-poor or repeated paragraphs are joined with the
next ones, and the paragraphs are packed, one per line, into documents of
roughly 2-10 KB (or one document with ``--single``).  Everything is drawn from
one ``random.Random(seed)``, so the same sources and arguments give a
byte-identical corpus, while no paragraph (hence no document) occurs twice and
no two share their numbers, so deduplication cannot shortcut the work.

With ``--repeats SHARE`` the corpus repeats as real ones do: about SHARE of the
paragraphs are reposts of an earlier paragraph, word for word, and documents open
with one of a few recurring headings.

Usage: python benchmarks/make_corpus.py --size 1MB [--single] [--seed N]
       [--repeats SHARE] [--source DIR ...] [--out DIR]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO / "raw"
CORPUS_ROOT = REPO / "benchmarks" / "corpus"
DEFAULT_SEED = 0
MIN_DOC_BYTES = 2 * 1024
MAX_DOC_BYTES = 10 * 1024
UNITS = {"KB": 1024, "MB": 1024 * 1024}
DIGIT = re.compile("[0-9]")
MIN_DIGITS = 6
DOC_PATTERN = "doc_*.txt"
HEADINGS = 12                 # recurring headings of a corpus with repeats
HEADING_MAX_CHARS = 40        # a source line this short can be a heading
REPOST_POOL = 400             # reposts copy one of the last this many new paragraphs


def parse_size(text: str) -> int:
    """Return the byte count of a size such as ``100KB`` or ``1.5MB`` (binary units)."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(KB|MB)", text.strip().replace(" ", ""), re.IGNORECASE)
    size = int(float(match.group(1)) * UNITS[match.group(2).upper()]) if match else 0
    if size <= 0:
        raise ValueError(f"size must look like 100KB or 20MB, got {text!r}")
    return size


def load_paragraphs(sources: list[Path]) -> list[str]:
    """Return the unique non-empty lines of all ``*.txt`` files, in a stable order."""
    paragraphs: dict[str, None] = {}
    for source in sources:
        files = sorted(source.glob("*.txt")) if source.is_dir() else [source]
        for path in files:
            for line in path.read_text(encoding="utf-8-sig").splitlines():
                line = line.rstrip()
                if line.strip():
                    paragraphs.setdefault(line)
    if not paragraphs:
        raise SystemExit(f"no non-empty lines found in {', '.join(map(str, sources))}")
    return list(paragraphs)


def draw(paragraphs: list[str], rng: random.Random) -> Iterator[str]:
    """Yield paragraphs from a deck reshuffled whenever it runs out, every digit redrawn."""
    deck = list(paragraphs)
    while True:
        rng.shuffle(deck)
        for paragraph in deck:
            yield DIGIT.sub(lambda _: rng.choice("0123456789"), paragraph)


def deal(paragraphs: list[str], rng: random.Random) -> Iterator[str]:
    """Yield new paragraphs (white space ignored) with at least ``MIN_DIGITS`` redrawn digits.

    A drawn paragraph with too few digits, or repeating an earlier one, gets the
    next drawn paragraphs appended.  Then no two paragraphs are equal, and their
    numbers practically never match, which near-duplicate detection requires.
    """
    if not any(DIGIT.search(paragraph) for paragraph in paragraphs):
        raise SystemExit("the sources contain no ASCII digits to redraw")
    seen: set[str] = set()
    cards = draw(paragraphs, rng)
    for paragraph in cards:
        while len(DIGIT.findall(paragraph)) < MIN_DIGITS or (key := " ".join(paragraph.split())) in seen:
            paragraph += " " + next(cards).strip()
        seen.add(key)
        yield paragraph


def with_reposts(paragraphs: Iterator[str], share: float, rng: random.Random) -> Iterator[str]:
    """Yield the paragraphs with, in about ``share`` of the places, a copy of one of the
    last ``REPOST_POOL`` new ones instead: a press office reposting its own text."""
    pool: list[str] = []
    for paragraph in paragraphs:
        while pool and rng.random() < share:
            yield rng.choice(pool)
        pool = [*pool[-REPOST_POOL + 1:], paragraph]
        yield paragraph


def recurring_headings(paragraphs: list[str], rng: random.Random) -> list[str]:
    """A few short source lines, kept with their own digits, that open many documents."""
    short = [p for p in paragraphs if len(p.strip()) <= HEADING_MAX_CHARS]
    return rng.sample(short, min(HEADINGS, len(short)))


def build_document(paragraphs: Iterator[str], target: int, left: int, heading: str | None = None) -> str:
    """Join whole paragraphs, one per line, until the text has ``target`` bytes.

    ``left`` is the corpus budget still to fill; a remainder too small for a
    document of its own is absorbed into this one. ``heading`` opens the document.
    """
    lines: list[str] = [heading + "\n"] if heading is not None else []
    size = sum(len(line.encode("utf-8")) for line in lines)
    while size < target or 0 < left - size < MIN_DOC_BYTES:
        line = next(paragraphs) + "\n"
        lines.append(line)
        size += len(line.encode("utf-8"))
    return "".join(lines)


def make_corpus(sources: list[Path], total: int, out: Path, seed: int, single: bool,
                repeats: float = 0.0) -> list[Path]:
    """Write the corpus into ``out``, remove stale ``doc_*.txt`` files, return the paths written."""
    rng = random.Random(seed)
    unique = load_paragraphs(sources)
    headings = recurring_headings(unique, rng) if repeats else []
    paragraphs = deal(unique, rng)
    if repeats:
        paragraphs = with_reposts(paragraphs, repeats, rng)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    size = 0
    while size < total:
        left = total - size
        target = left if single else min(left, rng.randint(MIN_DOC_BYTES, MAX_DOC_BYTES))
        heading = rng.choice(headings) if headings and rng.random() < 2 * repeats else None
        text = build_document(paragraphs, target, left, heading)
        path = out / f"doc_{len(written):06d}.txt"
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
        size += len(text.encode("utf-8"))
    for stale in set(out.glob(DOC_PATTERN)) - set(written):
        stale.unlink()
    return written


def default_out(size: str, single: bool, seed: int, repeats: float = 0.0) -> Path:
    """Return ``benchmarks/corpus/<SIZE>[-single][-repeatsR][-seedN]``."""
    name = size.strip().upper().replace(" ", "")
    if single:
        name += "-single"
    if repeats:
        name += f"-repeats{repeats:g}"
    if seed != DEFAULT_SEED:
        name += f"-seed{seed}"
    return CORPUS_ROOT / name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--size", required=True, help="total corpus size, e.g. 100KB, 1MB, 50MB (1 KB = 1024 bytes)"
    )
    parser.add_argument("--single", action="store_true", help="write one document of the whole size")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--repeats", type=float, default=0.0,
                        help="share of paragraphs that repost an earlier one, 0 to 0.5 (default 0: none)")
    parser.add_argument(
        "--source",
        type=Path,
        action="append",
        default=[],
        help="extra directory (or file) of .txt samples, added after raw/; repeatable",
    )
    parser.add_argument("--out", type=Path, help="output directory (default benchmarks/corpus/SIZE/)")
    args = parser.parse_args(argv)
    try:
        total = parse_size(args.size)
    except ValueError as error:
        parser.error(str(error))
    if not 0 <= args.repeats <= 0.5:
        parser.error("--repeats must be between 0 and 0.5")
    out = args.out or default_out(args.size, args.single, args.seed, args.repeats)
    written = make_corpus([DEFAULT_SOURCE, *args.source], total, out, args.seed, args.single, args.repeats)
    size = sum(path.stat().st_size for path in written)
    print(f"wrote {len(written)} documents, {size:,} bytes (target {total:,}) to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
