"""Stage 2: mark repeated paragraphs, inside a document and across the documents of a run.

Exact repeats are found by their text with white space folded; near repeats (small edits,
spacing, punctuation) by MinHash LSH over character shingles, confirmed by an edit-distance
ratio. Paragraphs whose numbers differ are never duplicates, so near repeats are only sought
among paragraphs with the same numbers. The first occurrence, in document order then
position, is kept; later copies point to it.

Inside a document every kind of paragraph can repeat an earlier one. Across documents only
prose does (a reposted article): table rows, field lines, headings and short lines repeat
from one budget book to the next because they are structure, and each document keeps its
facts. A document whose whole text repeats an earlier one is marked as its duplicate.

The work is split so that it can be spread: `document_keys` reduces a document to small
digests where its text is (a worker, a Ray task), `DuplicateFinder` resolves the digests of
the whole run in path order in one place and asks for the text of the few paragraphs whose
near repeats must be compared.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import regex

from pipeline.records import Paragraph

if TYPE_CHECKING:
    from datasketch import MinHash, MinHashLSH

NEAR_THRESHOLD = 0.8        # estimated Jaccard similarity for LSH candidates
NEAR_MIN_RATIO = 90.0       # rapidfuzz ratio (0-100) that confirms a near repeat
NEAR_MIN_CHARS = 30         # shorter paragraphs are only compared exactly
NEAR_MAX_CHARS = 5000       # longer ones too: shingling them costs more than it finds
PROSE_MIN_CHARS = 40        # shorter lines are structure (headings, labels), never another document's repeat
SHINGLE = 4
NUM_PERM = 64
MODES = ("run", "document", "off")

_SKELETON_DROP = regex.compile(r"[\s\p{P}\p{S}]+")
_NUMBER = regex.compile(r"\d+|[십백천만억조]")      # figures and the scale words that change them
_SENTENCE_END = regex.compile(r"[\p{L}\)\]\"'”’」』][.?!。][\"'”’」』\)\]]*\Z")
_TABLE_LIKE = regex.compile(r"\t|[|\u2500-\u257f]| {3,}")     # cells apart: tabs, pipes, box drawing, aligned spaces
_FIELD = regex.compile(r"\A\W{0,3}[\p{L}\p{N} ·⋅・‧∙()]{1,20}?\s?:\s?\S")   # `- 사업비: 15억원`, `위치 : 서울`


def exact_key(text: str) -> str:
    """The text with white space folded (text as read holds none of U+001C-U+001F, the only
    characters where str.split and a regex \\s differ)."""
    return " ".join(text.split())


def skeleton(text: str) -> str:
    """The text without spaces, punctuation and symbols: what near repeats share."""
    return _SKELETON_DROP.sub("", text)


def is_prose(text: str) -> bool:
    """Running text: long enough, ending a sentence, with no cells or field label."""
    return (len(text) >= PROSE_MIN_CHARS and _SENTENCE_END.search(text.rstrip()) is not None
            and _TABLE_LIKE.search(text) is None and _FIELD.match(text) is None)


DIGEST_BYTES = 16           # 128-bit digests: no two texts of a run of any size share one


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=DIGEST_BYTES).digest()


_NOT_NEAR = bytes(DIGEST_BYTES)


def _minhash(skel: str) -> MinHash:
    from datasketch import MinHash
    m = MinHash(num_perm=NUM_PERM, seed=1)
    m.update_batch([skel[i:i + SHINGLE].encode("utf-8") for i in range(max(1, len(skel) - SHINGLE + 1))])
    return m


@dataclass
class DocumentKeys:
    """A document reduced to what deduplication needs, 33 bytes a paragraph: the digest of
    each paragraph's text, of its numbers (zeros when it is too short or too long for near
    repeats), whether it is prose, and the digest of the whole text."""
    exact: bytes = b""
    numbers: bytes = b""
    prose: bytes = b""
    text: bytes = b""

    def __len__(self) -> int:
        return len(self.prose)

    def exact_at(self, i: int) -> bytes:
        return self.exact[i * DIGEST_BYTES:(i + 1) * DIGEST_BYTES]

    def numbers_at(self, i: int) -> bytes | None:
        numbers = self.numbers[i * DIGEST_BYTES:(i + 1) * DIGEST_BYTES]
        return None if numbers == _NOT_NEAR else numbers


def document_keys(paragraphs: list[Paragraph]) -> DocumentKeys:
    exact, numbers, prose = bytearray(), bytearray(), bytearray()
    whole = hashlib.blake2b(digest_size=DIGEST_BYTES)
    for para in paragraphs:
        exact += _digest(exact_key(para.text))
        near_ok = len(para.text) >= NEAR_MIN_CHARS and NEAR_MIN_CHARS <= len(skeleton(para.text)) <= NEAR_MAX_CHARS
        numbers += _digest("\x1f".join(["#", *_NUMBER.findall(para.text)])) if near_ok else _NOT_NEAR
        prose.append(is_prose(para.text))
        whole.update(para.text.encode("utf-8", "surrogatepass") + b"\n")
    return DocumentKeys(bytes(exact), bytes(numbers), bytes(prose), whole.digest())


@dataclass
class Mark:
    """Paragraph `para` repeats paragraph `of_para` of document `of_doc` (run positions)."""
    para: int
    of_doc: int
    of_para: int
    kind: str                 # exact / near


@dataclass
class DocumentMarks:
    duplicate_of: int | None = None          # the earlier document whose whole text this one repeats
    marks: list[Mark] = field(default_factory=list)


_PROSE = -1                   # the scope of prose, shared by all documents; a document's own scope is its position


@dataclass
class _Kept:
    position: tuple[int, int]   # (document, paragraph)
    skel: str


@dataclass
class _Group:
    """The kept paragraphs of one scope that share one sequence of numbers, with their
    MinHash index (made when a second one arrives; datasketch is imported then)."""
    kept: list[_Kept] = field(default_factory=list)
    lsh: MinHashLSH | None = None

    def add(self, kept: _Kept, signature: MinHash | None) -> None:
        self.kept.append(kept)
        if self.lsh is not None:
            self.lsh.insert(len(self.kept) - 1, signature if signature is not None else _minhash(kept.skel))

    def similar(self, signature: MinHash) -> list[_Kept]:
        if self.lsh is None:
            from datasketch import MinHashLSH
            self.lsh = MinHashLSH(threshold=NEAR_THRESHOLD, num_perm=NUM_PERM)
            for i, kept in enumerate(self.kept):
                self.lsh.insert(i, _minhash(kept.skel))
        return [self.kept[i] for i in self.lsh.query(signature)]


class DuplicateFinder:
    """The duplicate marks of a run: `add` each document's keys in path order, then
    `resolve` with a way to get the text of the paragraphs `near_candidates` names.

    Near repeats are compared only in groups (a scope and a sequence of numbers) that hold
    two different texts, so only those paragraphs' text is ever asked for.
    """

    def __init__(self, mode: str = "run") -> None:
        assert mode in MODES, mode
        self.mode = mode
        self.keys: list[DocumentKeys] = []
        self._first_text: dict[bytes, bytes] = {}        # prose groups: numbers -> the first text's digest
        self._shared: set[bytes] = set()                 # prose groups that hold two texts
        self._candidates: dict[int, list[int]] = {}      # document -> paragraphs in its own groups with two texts

    def _across(self, keys: DocumentKeys, i: int) -> bool:
        """Whether paragraph i may repeat, or be repeated by, another document's."""
        return self.mode == "run" and bool(keys.prose[i])

    def add(self, keys: DocumentKeys) -> None:
        doc = len(self.keys)
        self.keys.append(keys)
        if self.mode == "off":
            return
        first_text: dict[bytes, bytes] = {}
        shared: set[bytes] = set()
        for i in range(len(keys)):
            numbers = keys.numbers_at(i)
            if numbers is None:
                continue
            if first_text.setdefault(numbers, keys.exact_at(i)) != keys.exact_at(i):
                shared.add(numbers)
            if self._across(keys, i) and self._first_text.setdefault(numbers, keys.exact_at(i)) != keys.exact_at(i):
                self._shared.add(numbers)
        if shared:
            self._candidates[doc] = [i for i in range(len(keys)) if keys.numbers_at(i) in shared]

    def near_candidates(self) -> dict[int, list[int]]:
        """Per document, the paragraphs whose text the near search needs, in order."""
        wanted = {doc: set(paras) for doc, paras in self._candidates.items()}
        if self._shared:
            for doc, keys in enumerate(self.keys):
                for i in range(len(keys)):
                    if self._across(keys, i) and keys.numbers_at(i) in self._shared:
                        wanted.setdefault(doc, set()).add(i)
        return {doc: sorted(paras) for doc, paras in sorted(wanted.items())}

    def resolve(self, texts: Callable[[int, list[int]], list[str]]) -> Iterator[DocumentMarks]:
        """The marks of each document in order; `texts(doc, paras)` gives paragraph texts."""
        candidates = self.near_candidates() if self.mode != "off" else {}
        first_prose: dict[bytes, tuple[int, int]] = {}        # exact digest -> first kept prose paragraph
        first_whole: dict[bytes, int] = {}
        prose_groups: dict[bytes, _Group] = {}
        done: list[DocumentMarks] = []
        for doc, keys in enumerate(self.keys):
            result = DocumentMarks()
            done.append(result)
            if self.mode == "off" or not len(keys):
                yield result
                continue
            if self.mode == "run":
                original = first_whole.setdefault(keys.text, doc)
                if original != doc:
                    result.duplicate_of = original
                    result.marks = _repeat_of(original, done[original], len(keys))
                    yield result
                    continue
            wanted = candidates.get(doc, [])
            near = dict(zip(wanted, map(skeleton, texts(doc, wanted)))) if wanted else {}
            first_own: dict[bytes, tuple[int, int]] = {}
            own_groups: dict[bytes, _Group] = {}
            for i in range(len(keys)):
                across = self._across(keys, i)
                exact = keys.exact_at(i)
                found = [p for p in (first_own.get(exact), first_prose.get(exact) if across else None) if p]
                if found:
                    result.marks.append(Mark(i, *min(found), "exact"))
                    continue
                skel, signature = near.get(i), None
                groups = [own_groups, prose_groups] if across else [own_groups]
                if skel is not None:
                    numbers = keys.numbers_at(i)
                    members = [g[numbers] for g in groups if numbers in g]
                    if any(group.kept for group in members):
                        signature = _minhash(skel)
                        best = _most_similar(skel, [k for group in members for k in group.similar(signature)])
                        if best is not None:
                            result.marks.append(Mark(i, *best.position, "near"))
                            continue
                    for g in groups:
                        g.setdefault(numbers, _Group()).add(_Kept((doc, i), skel), signature)
                first_own.setdefault(exact, (doc, i))
                if across:
                    first_prose.setdefault(exact, (doc, i))
            yield result


def _most_similar(skel: str, kept: Iterable[_Kept]) -> _Kept | None:
    """The most similar kept paragraph that confirms the repeat (the earliest on a tie)."""
    from rapidfuzz import fuzz              # only here: most runs compare nothing
    best: tuple[float, tuple[int, int]] | None = None
    found = None
    for candidate in {k.position: k for k in kept}.values():
        ratio = fuzz.ratio(skel, candidate.skel)
        if ratio >= NEAR_MIN_RATIO and (best is None or (ratio, _earlier(candidate.position)) > best):
            best, found = (ratio, _earlier(candidate.position)), candidate
    return found


def _earlier(position: tuple[int, int]) -> tuple[int, int]:
    return (-position[0], -position[1])


def _repeat_of(original: int, marks: DocumentMarks, n: int) -> list[Mark]:
    """A whole repeat of document `original`: each paragraph points where the original's does
    (to itself when it was kept there)."""
    of = {m.para: m for m in marks.marks}
    return [Mark(i, of[i].of_doc, of[i].of_para, "exact") if i in of else Mark(i, original, i, "exact")
            for i in range(n)]


def mark_duplicates(paragraphs: Iterable[Paragraph], mode: str = "run") -> int:
    """Set duplicate_of_* on every repeated paragraph (in place, documents by their doc_id in
    the order they come); return how many."""
    documents: dict[str, list[Paragraph]] = {}
    for para in paragraphs:
        documents.setdefault(para.doc_id, []).append(para)
    ids = list(documents)
    finder = DuplicateFinder(mode)
    for paras in documents.values():
        finder.add(document_keys(paras))
    count = 0
    for doc_id, marks in zip(ids, finder.resolve(lambda d, idx: [documents[ids[d]][i].text for i in idx])):
        paras = documents[doc_id]
        for mark in marks.marks:
            para = paras[mark.para]
            original = documents[ids[mark.of_doc]][mark.of_para]
            para.duplicate_of_doc, para.duplicate_of_para, para.duplicate_kind = original.doc_id, original.para_idx, mark.kind
            count += 1
    return count
