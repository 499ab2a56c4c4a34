"""Spans become nested marks whose text is exactly the span's slice of the paragraph."""
from __future__ import annotations

from pipeline.review.spans import Mark, Span, nest


def _text(pieces: list) -> str:
    return "".join(p if isinstance(p, str) else _text(p.children) for p in pieces)


def _marks(pieces: list) -> list[Mark]:
    found = []
    for piece in pieces:
        if isinstance(piece, Mark):
            found.append(piece)
            found += _marks(piece.children)
    return found


def _span_texts(pieces: list) -> dict[str, str]:
    """Each row's text, its fragments joined in order."""
    texts: dict[str, str] = {}
    for mark in _marks(pieces):
        own = "".join(p if isinstance(p, str) else _text(p.children) for p in mark.children)
        texts[mark.span.row_id] = texts.get(mark.span.row_id, "") + own
    return texts


def test_a_metric_inside_a_project_item_is_a_child_of_it() -> None:
    text = "신촌권역으로 ▷문화발전소 건립 15억원 ▷청년 창업 꿈터 조성이 추진된다."
    item = Span(7, 24, "project", "p0", "")
    money = Span(text.index("15억원"), text.index("15억원") + 4, "metric", "m0", "")
    pieces = nest(text, [money, item])
    assert _text(pieces) == text
    outer = [p for p in pieces if isinstance(p, Mark)]
    assert [m.span.row_id for m in outer] == ["p0"]
    assert [c.span.row_id for c in outer[0].children if isinstance(c, Mark)] == ["m0"]
    assert _span_texts(pieces) == {"p0": text[7:24], "m0": "15억원"}


def test_at_equal_ranges_the_project_is_outside() -> None:
    pieces = nest("가나다라", [Span(0, 4, "metric", "m", ""), Span(0, 4, "project", "p", "")])
    assert isinstance(pieces[0], Mark) and pieces[0].span.row_id == "p"
    assert pieces[0].children[0].span.row_id == "m"


def test_crossing_spans_are_cut_into_fragments_that_join_to_the_span() -> None:
    text = "0123456789"
    pieces = nest(text, [Span(2, 6, "project", "a", ""), Span(4, 9, "metric", "b", "")])
    assert _text(pieces) == text
    assert _span_texts(pieces) == {"a": "2345", "b": "45678"}
    fragments = [m for m in _marks(pieces) if m.span.row_id == "b"]
    assert [m.first for m in fragments] == [True, False]


def test_spans_outside_the_text_are_clipped_and_empty_ones_left_out() -> None:
    pieces = nest("abc", [Span(1, 9, "metric", "m", ""), Span(2, 2, "metric", "empty", "")])
    assert pieces == ["a", Mark(Span(1, 9, "metric", "m", ""), True, ["bc"])]


def test_a_paragraph_without_spans_is_its_text() -> None:
    assert nest("그대로", []) == ["그대로"]
    assert nest("", []) == []
