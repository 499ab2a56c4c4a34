"""Paragraph text cut into nested marks: every metric and project span becomes one element
around exactly `text[char_start:char_end]`, so the page shows what the tables point at.

Spans nest as HTML elements must: a metric inside a project item becomes a child of it.
Two spans that cross (one starts inside the other and ends after it) cannot both be one
element; the later one is then cut at the earlier one's end into fragments that share its
id, and a reader (or a test) joins the fragments' text to get the whole span back.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass, field

# at equal ranges, a project is the outer element and a metric the inner one
_KIND_ORDER = {"project": 0, "metric": 1}


@dataclass(frozen=True)
class Span:
    """One highlighted range of a paragraph: what kind of row it is, its row id, its tooltip."""
    start: int
    end: int
    kind: str          # metric / project
    row_id: str
    tip: str


@dataclass
class Mark:
    """An element of the rendered paragraph: a whole span or one fragment of a crossing one."""
    span: Span
    first: bool                                   # the fragment that carries the span's id
    children: list[str | Mark] = field(default_factory=list)


def nest(text: str, spans: list[Span]) -> list[str | Mark]:
    """The paragraph as text pieces and marks, in order; spans outside the text are clipped,
    empty ones left out."""
    pending: list[tuple[int, int, int, int, Span, bool]] = []
    for order, span in enumerate(spans):
        start, end = max(0, span.start), min(len(text), span.end)
        if start < end:
            heapq.heappush(pending, (start, -end, _KIND_ORDER.get(span.kind, 2), order, span, True))
    root: list[str | Mark] = []
    stack: list[tuple[list[str | Mark], int]] = [(root, len(text))]
    pos = 0

    def close_until(limit: int) -> None:
        nonlocal pos
        while len(stack) > 1 and stack[-1][1] <= limit:
            children, end = stack.pop()
            _text(children, text[pos:end])
            pos = end

    while pending:
        start, neg_end, rank, order, span, first = heapq.heappop(pending)
        end = -neg_end
        close_until(start)
        _text(stack[-1][0], text[pos:start])
        pos = start
        outer_end = stack[-1][1]
        if end > outer_end:                          # crosses the element it starts in: cut it there
            heapq.heappush(pending, (outer_end, -end, rank, order, span, False))
            end = outer_end
        mark = Mark(span, first)
        stack[-1][0].append(mark)
        stack.append((mark.children, end))
    close_until(len(text))
    _text(root, text[pos:])
    return root


def _text(children: list[str | Mark], piece: str) -> None:
    if piece:
        children.append(piece)
