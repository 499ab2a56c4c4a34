"""Property: a table read back from any of the forms text gives it (box drawing, pipes, tabs,
aligned spaces, one cell per line, figures glued together) yields its cells, with their values,
earlier figures, changes and rates, whatever the labels, units and signs."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

LABELS = ["인건비", "운영비", "여비", "시설비", "업무추진비", "자산취득비", "민간경상보조", "출연금", "예비비",
          "사회복지", "문화관광", "도로교통", "환경보전", "보건의료", "농림수산", "지역개발"]
UNITS = {"천원": 1e3, "백만원": 1e6, "원": 1.0}
PLACES = ["본청", "사업소", "의회", "직속기관", "읍면동"]


@dataclass
class Sample:
    unit: str
    labels: list[str]
    header: list[str]                    # value columns' headers
    rows: list[list[int | float | None]]
    comparing: bool                      # columns are amount, earlier, change (and rate)
    minus: str                           # how a negative figure is written: △ or -


def _figure(value: int | float | None, minus: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        text = f"{abs(value):.1f}"
    else:
        text = f"{abs(value):,}"
    return (minus if value < 0 else "") + text


@st.composite
def samples(draw, glued: bool = False) -> Sample:
    n = draw(st.integers(2, 6))
    labels = draw(st.lists(st.sampled_from(LABELS), min_size=n, max_size=n, unique=True))
    unit = draw(st.sampled_from(list(UNITS)))
    minus = draw(st.sampled_from(["△", "-"]))
    low = 1_000 if glued else 0
    comparing = draw(st.booleans())
    rows: list[list[int | float | None]] = []
    if comparing:
        with_rate = draw(st.booleans()) and not glued
        header = ["예산액", "전년도", "증감"] + (["증감률"] if with_rate else [])
        for _ in labels:
            current = draw(st.one_of(st.integers(100, 999), st.integers(1_000, 9_999_999)) if not glued
                           else st.integers(2_000, 9_999_999))
            previous = draw(st.one_of(st.integers(100, 999), st.integers(1_000, 9_999_999)) if not glued
                            else st.integers(2_000, 9_999_999))
            if glued and abs(current - previous) < 1_000:
                previous = current + 1_000
            row: list[int | float | None] = [current, previous, current - previous]
            if with_rate:
                row.append(round((current - previous) / previous * 100, 1))
            rows.append(row)
    else:
        width = draw(st.integers(2, 4))
        header = draw(st.lists(st.sampled_from(PLACES), min_size=width, max_size=width, unique=True))
        for _ in labels:
            rows.append([draw(st.one_of(st.integers(low, 999) if not glued else st.integers(1_000, 9_999),
                                        st.integers(max(low, 1_000), 9_999_999))) for _ in header])
    return Sample(unit, labels, header, rows, comparing, minus)


def _display(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * max(0, width - _display(text))
    return space + text if right else text + space


def render(sample: Sample, form: str) -> str:
    note = f"(단위 : {sample.unit})"
    head = ["구분", *sample.header]
    body = [[label, *(_figure(v, sample.minus) for v in row)] for label, row in zip(sample.labels, sample.rows)]
    if form == "box":
        lines = ["┏━━━━━━━━┯" + "┯".join("━━━━━━━━" for _ in sample.header) + "┓",
                 "┃ " + " │ ".join(head) + " ┃",
                 "┣━━━━━━━━┿" + "┿".join("━━━━━━━━" for _ in sample.header) + "┫"]
        lines += ["┃ " + " │ ".join(cells) + " ┃" for cells in body]
        lines.append("┗━━━━━━━━┷" + "┷".join("━━━━━━━━" for _ in sample.header) + "┛")
    elif form == "pipes":
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(cells) + " |" for cells in body]
    elif form == "tabs":
        lines = ["\t".join(head)] + ["\t".join(cells) for cells in body]
    elif form == "spaces":
        widths = [max(_display(r[k]) for r in [head, *body]) + 4 for k in range(len(head))]
        lines = ["".join(_pad(cell, w, k > 0) for k, (cell, w) in enumerate(zip(r, widths))).rstrip()
                 for r in [head, *body]]
    elif form == "cells":
        lines = head + [cell for cells in body for cell in cells]
    elif form == "glued":
        lines = [" ".join(head)] + [cells[0] + " " + "".join(cells[1:]) for cells in body]
    else:
        raise ValueError(form)
    return "\n".join(["2025년도 세출예산 현황", note, *lines])


def _expected(sample: Sample) -> list[tuple]:
    scale = UNITS[sample.unit]
    out = []
    for label, row in zip(sample.labels, sample.rows):
        if sample.comparing:
            current, previous, change = row[:3]
            rate = row[3] if len(row) > 3 else None
            direction = None if not change else ("increase" if change > 0 else "decrease")
            out.append((label, current * scale, previous * scale, change * scale, rate, direction))
        else:
            for place, value in zip(sample.header, row):
                out.append((f"{label} {place}", value * scale, None, None, None, None))
    return out


def _got(result) -> list[tuple]:
    return [(m.subject, m.value, m.prev_value, m.change_value, m.change_pct, m.direction)
            for m in result.metrics if m.source_kind == "table"]


def _close(got: list[tuple], want: list[tuple]) -> bool:
    if len(got) != len(want):
        return False
    for g, w in zip(got, want):
        if g[0] != w[0] or g[5] != w[5]:
            return False
        for a, b in zip(g[1:5], w[1:5]):
            if (a is None) != (b is None) or a is not None and abs(a - b) > 1e-6 * max(1.0, abs(b)):
                return False
    return True


@pytest.mark.parametrize("form", ["box", "pipes", "tabs", "spaces", "cells"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sample=samples())
def test_every_form_gives_back_the_cells(extract, form: str, sample: Sample) -> None:
    text = render(sample, form)
    got = _got(extract(text))
    assert _close(got, _expected(sample)), f"{form}:\n{text}\n{got}"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sample=samples(glued=True))
def test_figures_glued_together_are_split_by_their_grouping(extract, sample: Sample) -> None:
    text = render(sample, "glued")
    got = _got(extract(text))
    assert _close(got, _expected(sample)), f"glued:\n{text}\n{got}"
