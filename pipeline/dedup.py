"""Stage 2: mark repeated paragraphs, inside a document and across the documents of a run.

Exact repeats are found by their text with white space folded; near repeats (small edits,
spacing, punctuation) by MinHash LSH over character shingles, confirmed by an edit-distance
ratio. Paragraphs whose numbers differ are never duplicates, so near repeats are only sought
among paragraphs with the same numbers, and a paragraph whose numbers no earlier one has
(most of them, in briefings) costs no signature at all. The first occurrence, in document
order then position, is kept; later copies point to it.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import regex
from rapidfuzz import fuzz

from pipeline.records import Paragraph

if TYPE_CHECKING:
    from datasketch import MinHash, MinHashLSH

NEAR_THRESHOLD = 0.8        # estimated Jaccard similarity for LSH candidates
NEAR_MIN_RATIO = 90.0       # rapidfuzz ratio (0-100) that confirms a near repeat
NEAR_MIN_CHARS = 30         # shorter paragraphs are only compared exactly
NEAR_MAX_CHARS = 5000       # longer ones too: shingling them costs more than it finds
SHINGLE = 4
NUM_PERM = 64

_SPACE = regex.compile(r"\s+")
_SKELETON_DROP = regex.compile(r"[\s\p{P}\p{S}]+")
_NUMBER = regex.compile(r"\d+|[십백천만억조]")      # figures and the scale words that change them


def exact_key(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def skeleton(text: str) -> str:
    """The text without spaces, punctuation and symbols: what near repeats share."""
    return _SKELETON_DROP.sub("", text)


def _minhash(skel: str) -> MinHash:
    from datasketch import MinHash
    m = MinHash(num_perm=NUM_PERM, seed=1)
    m.update_batch([skel[i:i + SHINGLE].encode("utf-8") for i in range(max(1, len(skel) - SHINGLE + 1))])
    return m


@dataclass
class _Kept:
    seq: int
    para: Paragraph
    skel: str


@dataclass
class _SameNumbers:
    """The kept paragraphs that share one sequence of numbers; their signatures and index
    are made when a second one arrives (datasketch brings scipy, 0.4 s: imported then)."""
    kept: dict[str, _Kept] = field(default_factory=dict)
    lsh: MinHashLSH | None = None

    def near_original(self, skel: str, signature: MinHash) -> Paragraph | None:
        """The most similar kept paragraph (the earliest on a tie)."""
        best: tuple[float, int] | None = None
        found: Paragraph | None = None
        for name in self.index().query(signature):
            candidate = self.kept[name]
            ratio = fuzz.ratio(skel, candidate.skel)
            if ratio >= NEAR_MIN_RATIO and (best is None or (ratio, -candidate.seq) > best):
                best, found = (ratio, -candidate.seq), candidate.para
        return found

    def index(self) -> MinHashLSH:
        if self.lsh is None:
            from datasketch import MinHashLSH
            self.lsh = MinHashLSH(threshold=NEAR_THRESHOLD, num_perm=NUM_PERM)
            for name, kept in self.kept.items():
                self.lsh.insert(name, _minhash(kept.skel))
        return self.lsh

    def add(self, name: str, kept: _Kept, signature: MinHash | None) -> None:
        self.kept[name] = kept
        if self.lsh is not None:
            self.lsh.insert(name, signature if signature is not None else _minhash(kept.skel))


def mark_duplicates(paragraphs: Iterable[Paragraph]) -> int:
    """Set duplicate_of_* on every repeated paragraph (in place); return how many."""
    first_exact: dict[str, Paragraph] = {}
    groups: dict[tuple[str, ...], _SameNumbers] = {}
    count = 0
    for para in paragraphs:
        key = exact_key(para.text)
        original = first_exact.get(key)
        kind = "exact"
        skel = skeleton(para.text)
        near_ok = NEAR_MIN_CHARS <= len(skel) <= NEAR_MAX_CHARS
        group = groups.setdefault(tuple(_NUMBER.findall(para.text)), _SameNumbers()) if near_ok else None
        signature = None
        if original is None and group is not None and group.kept:
            signature = _minhash(skel)
            original, kind = group.near_original(skel, signature), "near"
        if original is not None:
            para.duplicate_of_doc, para.duplicate_of_para = original.doc_id, original.para_idx
            para.duplicate_kind = kind
            count += 1
            continue
        first_exact[key] = para
        if group is not None:
            group.add(f"{para.doc_id}:{para.para_idx}", _Kept(len(first_exact), para, skel), signature)
    return count
