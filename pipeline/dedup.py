"""Stage 2: mark repeated paragraphs, inside a document and across the documents of a run.

Exact repeats are found by their text with white space folded; near repeats (small edits,
spacing, punctuation) by MinHash LSH over character shingles, confirmed by an edit-distance
ratio. Paragraphs whose numbers differ are never duplicates. The first occurrence, in
document order then position, is kept; later copies point to it.
"""
from __future__ import annotations

from collections.abc import Iterable
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


def mark_duplicates(paragraphs: Iterable[Paragraph]) -> int:
    """Set duplicate_of_* on every repeated paragraph (in place); return how many."""
    first_exact: dict[str, Paragraph] = {}
    # datasketch brings scipy (0.4 s): imported here, after the workers have been started
    from datasketch import MinHashLSH
    lsh = MinHashLSH(threshold=NEAR_THRESHOLD, num_perm=NUM_PERM)
    kept: dict[str, tuple[int, Paragraph, str]] = {}
    count = 0
    for para in paragraphs:
        key = exact_key(para.text)
        original = first_exact.get(key)
        kind = "exact"
        skel = skeleton(para.text)
        near_ok = NEAR_MIN_CHARS <= len(skel) <= NEAR_MAX_CHARS
        if original is None and near_ok:
            signature = _minhash(skel)
            original, kind = _near_original(para, skel, signature, lsh, kept), "near"
        if original is not None:
            para.duplicate_of_doc, para.duplicate_of_para = original.doc_id, original.para_idx
            para.duplicate_kind = kind
            count += 1
            continue
        first_exact[key] = para
        if near_ok:
            name = f"{para.doc_id}:{para.para_idx}"
            lsh.insert(name, signature)
            kept[name] = (len(kept), para, skel)
    return count


def _near_original(para: Paragraph, skel: str, signature: MinHash, lsh: MinHashLSH,
                   kept: dict[str, tuple[int, Paragraph, str]]) -> Paragraph | None:
    """The most similar kept paragraph with the same numbers (the earliest on a tie)."""
    numbers = _NUMBER.findall(para.text)
    best: tuple[float, int] | None = None
    found: Paragraph | None = None
    for name in lsh.query(signature):
        seq, candidate, candidate_skel = kept[name]
        if _NUMBER.findall(candidate.text) != numbers:
            continue
        ratio = fuzz.ratio(skel, candidate_skel)
        if ratio >= NEAR_MIN_RATIO and (best is None or (ratio, -seq) > best):
            best, found = (ratio, -seq), candidate
    return found
