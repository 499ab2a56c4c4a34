"""Stage 3: sentences and morphemes from kiwipiepy, one analyser per process, as a stream.

Offsets of every token and sentence refer to the paragraph text as stored. Paragraphs are
cut into rough sentences first: only those that can give rows are analysed, and a 20 MB
line is never tokenised whole (long sentences are cut into windows).
"""
from __future__ import annotations

import os
import time
import warnings
from collections import OrderedDict, deque
from itertools import repeat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import regex

from pipeline.records import Sentence, Token

WINDOW_CHARS = 4000
BATCH_CHARS = 20_000      # text analysed in a row before extraction takes its results (one thread)
REMEMBERED_PIECE_CHARS = 400     # pieces up to this long are remembered for their repeats
REMEMBERED_CHARS = 200_000       # text a process remembers the analysis of (a few MB of tokens)
_WINDOW_BREAK = regex.compile(r"(?<=[.?!다요])\s+|\n")
_SENTENCE_BREAK = regex.compile(r"(?<=[^\d\s][.?!])\s+")

_kiwi = None
_kiwi_key: tuple[int, int] = (0, 0)   # (process id, threads) the analyser was made for
_threads = 0                          # analysis threads; 0: analyse in the calling thread
_inherited: list = []     # analysers copied by fork: their threads did not come along, so they
                          # must never run, and are kept (not freed) since freeing joins threads
_spent = [0.0, 0]         # this thread's CPU seconds inside the analyser, characters sent to it


@dataclass
class _Analysis:
    """One piece's sentences, tokens at offsets from `start` (the piece's place in its text);
    None until the analyser's result for the piece has come back."""
    start: int = 0
    sentences: list[Sentence] | None = None

    def at(self, start: int, first_idx: int) -> list[Sentence]:
        """The sentences for the same piece at another place and sentence number."""
        shift = start - self.start
        assert self.sentences is not None, "a repeat is read after the piece it repeats"
        return [_sentence(first_idx + k, [Token(t.form, t.tag, t.start + shift, t.end + shift) for t in s.tokens])
                for k, s in enumerate(self.sentences)]


class _Remembered:
    """The analyses of the pieces analysed last, by their text: a table row, a heading or a
    standing line that recurs (reposted tables, the same heading in every document) is sent to
    the analyser once. The analyser reads a piece alone, so a repeat gets the very tokens it
    would have got; the oldest pieces are forgotten beyond REMEMBERED_CHARS."""

    def __init__(self) -> None:
        self.pieces: OrderedDict[str, _Analysis] = OrderedDict()
        self.chars = 0

    def get(self, piece: str) -> _Analysis | None:
        known = self.pieces.get(piece)
        if known is not None:
            self.pieces.move_to_end(piece)
        return known

    def keep(self, piece: str, analysis: _Analysis) -> None:
        if len(piece) > REMEMBERED_PIECE_CHARS or piece in self.pieces:
            return
        self.pieces[piece] = analysis
        self.chars += len(piece)
        while self.chars > REMEMBERED_CHARS:
            self.chars -= len(self.pieces.popitem(last=False)[0])


_remembered = _Remembered()


def use_threads(threads: int) -> None:
    """How many threads this process's analyser runs: with 1 or more, texts are analysed in
    the analyser's own threads while the caller goes on (extraction overlaps analysis); with 0,
    in the calling thread, one core in all."""
    global _threads
    _threads = max(0, threads)


def analyser():
    """The process's one Kiwi, created on first use in this process (workers never pay for it
    until needed). A worker forked from a process that had one makes its own, unless both
    analyse in the calling thread: an analyser without threads of its own loses nothing in a
    fork, so its model is loaded once and its pages are shared by every worker."""
    global _kiwi, _kiwi_key
    if _kiwi is None or _kiwi_key != (os.getpid(), _threads) and _kiwi_key[1] + _threads > 0:
        from kiwipiepy import Kiwi
        if _kiwi is not None and _kiwi_key[0] != os.getpid():
            _inherited.append(_kiwi)
        with warnings.catch_warnings():       # num_workers=0 warns that its meaning changed in 0.21
            warnings.simplefilter("ignore", DeprecationWarning)
            _kiwi, _kiwi_key = Kiwi(num_workers=_threads, load_multi_dict=False, load_typo_dict=False), (os.getpid(), _threads)
    return _kiwi


def analyser_work() -> tuple[float, int]:
    """What this process has given the analyser so far: CPU seconds it took in the calling
    thread (with threads of its own, their time is the process's, not counted here) and
    characters sent, for the run's stage timings."""
    return _spent[0], _spent[1]


def _analysed_here(kiwi, piece: str) -> list:
    """One text analysed in the calling thread, its time and size counted."""
    started = time.thread_time()
    result = kiwi.tokenize(piece, split_sents=True)
    _spent[0] += time.thread_time() - started
    return result


def _analysed_in_batches(kiwi, pieces: Iterator[str]) -> Iterator[list]:
    """Each piece analysed in the calling thread, BATCH_CHARS of them at a time before their
    results are handed on: the analyser and our extraction each keep the processor's caches
    for longer than when they take turns at every sentence."""
    batch: list[str] = []
    size = 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= BATCH_CHARS:
            yield from [_analysed_here(kiwi, p) for p in batch]
            batch, size = [], 0
    yield from [_analysed_here(kiwi, p) for p in batch]


def _counted(pieces: Iterator[str]) -> Iterator[str]:
    for piece in pieces:
        _spent[1] += len(piece)
        yield piece


def warm_up() -> None:
    """Load the analyser and run it once (its first call initialises lazily), so that no
    document's time pays for it."""
    try:
        analyser().tokenize("준비 1.")
    except Exception:  # noqa: BLE001 - only a head start: the first document meets the error and names it
        pass


def windows(text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """Spans of at most `limit` characters, cut after sentence ends where possible."""
    limit = limit or WINDOW_CHARS
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        cut = None
        for m in _WINDOW_BREAK.finditer(text, start + limit // 2, start + limit):
            cut = m.end()
        if cut is None:
            space = text.rfind(" ", start + limit // 2, start + limit)
            cut = space + 1 if space > start else start + limit
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


def rough_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans cut after a final mark that follows a word (not `2014. 12.`), then
    cut into windows; the analyser splits further inside them."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(start + a, start + b) for s, e in spans if text[s:e].strip() for start, (a, b) in
            [(s, w) for w in windows(text[s:e])]]


def _pieces(text: str, needed: Callable[[str], bool] | None) -> list[tuple[int, int, bool]]:
    """The text's rough sentences, each marked wanted or not; wanted neighbours are joined
    (up to a window) so that the analyser sees them together. A sentence right after a wanted
    one that ends in `!` or `?` is wanted too: an exclamation inside a list of items (`△안전을
    지켜요! 편리하고 쾌적한 도시환경 …`) goes on in it."""
    pieces: list[tuple[int, int, bool]] = []
    for a, b in rough_sentences(text):
        wanted = needed is None or needed(text[a:b]) or bool(
            pieces and pieces[-1][2] and text[pieces[-1][0]:pieces[-1][1]].rstrip().endswith(("!", "?")))
        if pieces and wanted and pieces[-1][2] and b - pieces[-1][0] <= WINDOW_CHARS:
            pieces[-1] = (pieces[-1][0], b, True)
        else:
            pieces.append((a, b, wanted))
    return pieces


def analyse_stream(texts: Iterable[str], needed: Callable[[str], bool] | None = None,
                   whole: Iterable[bool] | None = None) -> Iterator[list[Sentence]]:
    """Sentences with tokens for each text, in order, as one stream through the analyser.

    Texts are read lazily and results come back lazily, so the analyser's threads work
    ahead while the caller extracts rows from what came back. `needed` (given a sentence's
    text) says which sentences can matter; the others are kept as spans without tokens and
    never analysed, so the analyser's time and the memory follow what is extracted.
    `whole`, read along with the texts, names the texts analysed in full whatever `needed` says.
    """
    plans: deque[tuple[str, list[tuple[int, int, _Analysis | None, bool]]]] = deque()
    in_flight: dict[str, _Analysis] = {}    # pieces sent whose results have not come back yet

    def wanted() -> Iterator[str]:
        """Each piece to analyse, planned with its text: (start, end, its analysis or None when
        not analysed, whether it is sent or repeats a piece sent before)."""
        for text, all_of_it in zip(texts, whole if whole is not None else repeat(False)):
            plan: list[tuple[int, int, _Analysis | None, bool]] = []
            for a, b, want in _pieces(text, None if all_of_it else needed):
                piece = text[a:b]
                known = (_remembered.get(piece) or in_flight.get(piece)) if want else None
                if want and known is None:
                    known = in_flight[piece] = _Analysis(a)
                    plan.append((a, b, known, True))
                else:
                    plan.append((a, b, known, False))
            plans.append((text, plan))
            yield from (text[a:b] for a, b, _, sent in plan if sent)

    kiwi = analyser()
    analysed: Iterator = (iter(kiwi.tokenize(_counted(wanted()), split_sents=True)) if _threads
                          else _analysed_in_batches(kiwi, _counted(wanted())))
    ahead: list | None = None          # a result pulled only to make `wanted` plan further
    while True:
        if not plans:
            ahead = next(analysed, None)
            if not plans:
                return
        text, plan = plans.popleft()
        out: list[Sentence] = []
        for a, b, analysis, sent in plan:
            if analysis is None:
                out.append(Sentence(len(out), a, b, []))
            elif sent:
                result, ahead = (ahead, None) if ahead is not None else (next(analysed), None)
                analysis.sentences = [_sentence(len(out) + k, [Token(t.form, t.tag, t.start + a, t.end + a) for t in tokens])
                                      for k, tokens in enumerate(t for t in result if t)]
                out += analysis.sentences
                piece = text[a:b]
                _remembered.keep(piece, in_flight.pop(piece))
            else:
                out += analysis.at(a, len(out))
        yield out


def _sentence(idx: int, tokens: list[Token]) -> Sentence:
    return Sentence(idx, tokens[0].start, tokens[-1].end, tokens)


def analyse(texts: list[str], needed: Callable[[str], bool] | None = None) -> list[list[Sentence]]:
    """analyse_stream, all at once."""
    return list(analyse_stream(texts, needed))
