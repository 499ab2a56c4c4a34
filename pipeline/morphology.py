"""Stage 3: sentences and morphemes from kiwipiepy, one analyser per process, in batches.

Offsets of every token and sentence refer to the paragraph text as stored. Paragraphs are
cut into rough sentences first: only those that can give rows are analysed, and a 20 MB
line is never tokenised whole (long sentences are cut into windows).
"""
from __future__ import annotations

import os
from collections.abc import Callable

import regex

from pipeline.records import Sentence, Token

WINDOW_CHARS = 4000
_WINDOW_BREAK = regex.compile(r"(?<=[.?!다요])\s+|\n")
_SENTENCE_BREAK = regex.compile(r"(?<=[^\d\s][.?!])\s+")

_kiwi = None
_kiwi_pid = 0
_inherited: list = []     # analysers copied by fork: their threads did not come along, so they
                          # must never run, and are kept (not freed) since freeing joins threads


def analyser():
    """The process's one Kiwi, created on first use in this process (workers never pay for it
    until needed, and a worker forked from a process that had one makes its own)."""
    global _kiwi, _kiwi_pid
    if _kiwi is None or _kiwi_pid != os.getpid():
        from kiwipiepy import Kiwi
        if _kiwi is not None:
            _inherited.append(_kiwi)
        _kiwi, _kiwi_pid = Kiwi(num_workers=1), os.getpid()
    return _kiwi


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


def analyse(texts: list[str], needed: Callable[[str], bool] | None = None) -> list[list[Sentence]]:
    """Sentences with tokens for each text, in one batch call to the analyser.

    `needed` (given a sentence's text) says which sentences can matter; the others are
    kept as spans without tokens and never analysed, so the analyser's time and the
    memory follow what is extracted, not what is read.
    """
    pieces: list[tuple[int, int, int, bool]] = []
    for index, text in enumerate(texts):
        for a, b in rough_sentences(text):
            wanted = needed is None or needed(text[a:b])
            last = pieces[-1] if pieces else None
            if last and last[0] == index and wanted and last[3] and b - last[1] <= WINDOW_CHARS:
                pieces[-1] = (index, last[1], b, True)       # neighbours go to the analyser together
            else:
                pieces.append((index, a, b, wanted))
    batch = [texts[i][a:b] for i, a, b, wanted in pieces if wanted]
    analysed = iter(analyser().tokenize(batch, split_sents=True)) if batch else iter(())
    results: list[list[Sentence]] = [[] for _ in texts]
    for index, a, b, wanted in pieces:
        out = results[index]
        if not wanted:
            out.append(Sentence(len(out), a, b, []))
            continue
        for tokens in next(analysed):
            if tokens:
                toks = [Token(t.form, t.tag, t.start + a, t.end + a) for t in tokens]
                out.append(Sentence(len(out), toks[0].start, toks[-1].end, toks))
    return results
