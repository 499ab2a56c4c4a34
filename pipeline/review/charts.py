"""Horizontal bar charts as geometry for an inline SVG template: the figures are ours,
drawn by the browser from the page itself, with no charting library or service.

A chart is a list of rows; each row has a label and one or two bars (a value and, for
money metrics, the earlier value it is compared with). All bars share one linear scale
from zero to the largest value, so that lengths compare across rows.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

LABEL_WIDTH = 220        # px kept left of the bars for the row labels
BAR_AREA = 420           # px of the longest bar
VALUE_WIDTH = 120        # px kept right of the bars for the figures
BAR_HEIGHT = 14
BAR_GAP = 3              # between a row's two bars
ROW_GAP = 10             # between rows


@dataclass(frozen=True)
class BarInput:
    """What one chart row shows: a label, a value, optionally an earlier value, and where it links."""
    label: str
    value: float
    earlier: float | None = None
    href: str | None = None


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    text: str            # the figure written after the bar
    css: str             # value / earlier


@dataclass(frozen=True)
class ChartRow:
    label: str
    label_y: float
    href: str | None
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    bar_height: int
    rows: list[ChartRow]
    title: str


def bar_chart(inputs: list[BarInput], title: str, format_value: Callable[[float], str]) -> Chart:
    """The geometry of one chart: negative values are drawn from zero like their magnitude
    (their figure keeps the sign); `format_value` writes a figure for its bar."""
    largest = max([abs(i.value) for i in inputs] + [abs(i.earlier) for i in inputs if i.earlier is not None] + [0.0])
    scale = BAR_AREA / largest if largest > 0 else 0.0
    rows: list[ChartRow] = []
    y = 0.0
    for item in inputs:
        figures = [(item.value, "value")] + ([(item.earlier, "earlier")] if item.earlier is not None else [])
        bars = [Bar(y + k * (BAR_HEIGHT + BAR_GAP), round(abs(v) * scale, 2), format_value(v), css)
                for k, (v, css) in enumerate(figures)]
        height = len(bars) * BAR_HEIGHT + (len(bars) - 1) * BAR_GAP
        rows.append(ChartRow(item.label, y + height / 2, item.href, bars))
        y += height + ROW_GAP
    return Chart(LABEL_WIDTH + BAR_AREA + VALUE_WIDTH, max(0, int(y - ROW_GAP)) + 2, LABEL_WIDTH,
                 BAR_HEIGHT, rows, title)
