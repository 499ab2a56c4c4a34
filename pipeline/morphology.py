"""Stage 3: sentences and morphemes from kiwipiepy, one analyser per process, in batches.

Offsets of every token and sentence refer to the paragraph text as stored. Long
paragraphs are cut into windows at sentence-like boundaries before analysis so that a
20 MB line is never tokenised whole.
"""
from __future__ import annotations

from collections.abc import Callable

import regex

from pipeline.records import Sentence, Token

WINDOW_CHARS = 4000
_WINDOW_BREAK = regex.compile(r"(?<=[.?!다요])\s+|\n")

_kiwi = None


def analyser():
    """The process's one Kiwi, created on first use (workers never pay for it until needed)."""
    global _kiwi
    if _kiwi is None:
        from kiwipiepy import Kiwi
        _kiwi = Kiwi(num_workers=1)
    return _kiwi


def windows(text: str, limit: int = WINDOW_CHARS) -> list[tuple[int, int]]:
    """Spans of at most about `limit` characters, cut after sentence ends where possible."""
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


def analyse(texts: list[str], keep: Callable[[str], bool] | None = None) -> list[list[Sentence]]:
    """Sentences with tokens for each text, in one batch call to the analyser.

    `keep` (given a sentence's text) drops the tokens of sentences that cannot matter, so
    memory follows what is extracted, not what is read.
    """
    pieces: list[tuple[int, int, int]] = []          # (text index, start, end)
    for index, text in enumerate(texts):
        pieces.extend((index, a, b) for a, b in windows(text))
    results: list[list[Sentence]] = [[] for _ in texts]
    if not pieces:
        return results
    batch = [texts[i][a:b] for i, a, b in pieces]
    for (index, offset, _), sentences in zip(pieces, analyser().tokenize(batch, split_sents=True)):
        for tokens in sentences:
            if not tokens:
                continue
            out = results[index]
            start, end = tokens[0].start + offset, tokens[-1].end + offset
            if keep is None or keep(texts[index][start:end]):
                toks = [Token(t.form, t.tag, t.start + offset, t.end + offset) for t in tokens]
                out.append(Sentence(len(out), start, end, toks))
            else:
                out.append(Sentence(len(out), start, end, []))
    return results
