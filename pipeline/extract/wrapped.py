"""Prose that a PDF or word-processor export wrapped at the page width: a sentence cut at the
end of a full line (`… 지방세 수입이 전년보다 4.8% 늘어난` / `3,412억원으로 증가세를 이끌었다.`),
sometimes with a blank line between the pieces and a figure cut in two (`이월액 106억` /
`5천 4백만원을`). Extraction reads such lines as one paragraph, when the last of them closes
the sentence; the rows it finds there are then given back to the line each one stands on, at
its offset in that line."""
from __future__ import annotations

from dataclasses import dataclass, replace

import regex

from pipeline.extract import projects as P
from pipeline.extract.outline import SENTENCE_END
from pipeline.lexicon import Lexicon
from pipeline.records import DocumentResult, Paragraph

WRAP_MIN_CHARS = 30          # a document whose lines are shorter than this is no wrapped page
FULL_LINE_SHARE = 0.8        # a wrapped line fills at least this share of the page width
GOING_ON_SHARE = 0.4         # ... and a piece after it that goes on again at least this (pages wrap unevenly)
_ENDS_OPEN = regex.compile(r"[\p{Hangul}\d,]\s*$")           # cut mid-sentence: a word, a figure or a comma
_GOES_ON = regex.compile(r"\s*[\p{Hangul}\d]")               # the next piece opens with a word or a figure
_NUMBERED = regex.compile(r"\s*(?:[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+|\d{1,2}|[가-하])[.)]\s")   # Ⅱ. 1) 가.: a heading of its own
_ENDS_SENTENCE = regex.compile(r"(?:다|음|함|임|요|됨)\s*[.!?]?\s*[\"”'’)]*\s*$|[.!?]\s*$")
_CELLS = regex.compile(r"\t|[|│┃]|\S {3,}\S")                  # table rows are never wrapped prose


@dataclass(frozen=True)
class Piece:
    """Where a source line stands in the paragraph extraction read."""
    start: int               # offset in the joined text
    para_idx: int
    offset: int              # the line's own offset of that place


@dataclass(frozen=True)
class Joint:
    para_idx: int            # the joined paragraph's (its first line's)
    pieces: tuple[Piece, ...]
    lengths: dict[int, int]  # each line's length, to keep an end inside its line


def join_wrapped(paragraphs: list[Paragraph], lex: Lexicon) -> tuple[list[Paragraph], list[Joint]]:
    """The paragraphs with each run of wrapped prose lines as one (text joined by a space,
    numbered as its first line and dated by its last); and how to give rows back."""
    width = _page_width(paragraphs)
    if width is None:
        return paragraphs, []
    out: list[Paragraph] = []
    joints: list[Joint] = []
    run: list[Paragraph] = []

    def close() -> None:
        end = max((k for k, p in enumerate(run) if k and _ENDS_SENTENCE.search(p.text)), default=0)
        if end:                                  # only pieces that close their sentence join (a short line
            out.append(_joined(run[:end + 1], joints))   # after a full one may be a heading: 주요과제)
        out.extend(run[end + 1:] if end else run)
        run.clear()

    for para in paragraphs:
        if run and _goes_on(run[-1], para, width * (FULL_LINE_SHARE if len(run) == 1 else GOING_ON_SHARE), lex):
            run.append(para)
            continue
        close()
        run.append(para)
    close()
    return out, joints


def _page_width(paragraphs: list[Paragraph]) -> int | None:
    """The width the text was wrapped at: the length most long prose lines reach (the 90th
    percentile of lines of WRAP_MIN_CHARS or more); None when there are few such lines."""
    lengths = sorted(len(p.text.strip()) for p in paragraphs if len(p.text.strip()) >= WRAP_MIN_CHARS)
    if len(lengths) < 3:
        return None
    return lengths[int(0.9 * (len(lengths) - 1))]


def _goes_on(line: Paragraph, nxt: Paragraph, full: float, lex: Lexicon) -> bool:
    """`nxt` goes on with the sentence `line` was cut in: `line` is `full` characters long or
    more, ends open, and is no table row; `nxt` follows it (a blank line between at most),
    opens with a word or a figure, and is no item, numbered heading, note or table row."""
    text, after = line.text.rstrip(), nxt.text
    return not line.is_duplicate and not nxt.is_duplicate and 0 < nxt.line_no - line.line_no <= 2 \
        and len(text.strip()) >= full and bool(_ENDS_OPEN.search(text)) \
        and not SENTENCE_END.search(text) and not _CELLS.search(text.strip()) and not _CELLS.search(after.strip()) \
        and bool(_GOES_ON.match(after)) and not _NUMBERED.match(after) \
        and P.line_marker(after, lex, 0, len(after), set()) is None


def _joined(run: list[Paragraph], joints: list[Joint]) -> Paragraph:
    parts: list[str] = []
    pieces: list[Piece] = []
    at = 0
    for k, para in enumerate(run):
        text = para.text.rstrip() if k == 0 else para.text.strip()
        offset = 0 if k == 0 else len(para.text) - len(para.text.lstrip())
        pieces.append(Piece(at, para.para_idx, offset))
        parts.append(text)
        at += len(text) + 1
    joints.append(Joint(run[0].para_idx, tuple(pieces), {p.para_idx: len(p.text) for p in run}))
    return replace(run[0], text=" ".join(parts), line_no=run[-1].line_no)


def back_to_lines(result: DocumentResult, joints: list[Joint]) -> DocumentResult:
    """Each row found in a joined paragraph points at the line it stands on (its start's
    line; an end past that line, a figure cut by the wrap, stops at the line's end)."""
    if not joints:
        return result
    by_para = {j.para_idx: j for j in joints}
    for row in [*result.metrics, *result.projects]:
        joint = by_para.get(row.para_idx)
        if joint is None:
            continue
        piece = max((p for p in joint.pieces if p.start <= row.char_start), key=lambda p: p.start)
        row.para_idx = piece.para_idx
        row.char_start = row.char_start - piece.start + piece.offset
        row.char_end = min(row.char_end - piece.start + piece.offset, joint.lengths[piece.para_idx])
    return result
