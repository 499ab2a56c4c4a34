"""Bar chart geometry: one scale for every bar, rows stacked, earlier values beside values."""
from __future__ import annotations

from pipeline.review.charts import BAR_AREA, BAR_GAP, BAR_HEIGHT, LABEL_WIDTH, ROW_GAP, BarInput, bar_chart


def test_bars_share_one_scale_and_earlier_values_get_their_own_bar() -> None:
    chart = bar_chart([BarInput("예산", 200.0, 100.0, "#m1"), BarInput("인건비", 50.0)], "t", lambda v: f"{v:.0f}")
    first, second = chart.rows
    assert [b.width for b in first.bars] == [BAR_AREA, BAR_AREA / 2]
    assert [b.css for b in first.bars] == ["value", "earlier"]
    assert [b.text for b in first.bars] == ["200", "100"]
    assert [b.width for b in second.bars] == [BAR_AREA / 4]
    assert first.href == "#m1" and second.href is None
    assert second.bars[0].y == 2 * BAR_HEIGHT + BAR_GAP + ROW_GAP
    assert chart.height == 3 * BAR_HEIGHT + BAR_GAP + ROW_GAP + 2
    assert chart.label_width == LABEL_WIDTH


def test_a_negative_value_is_drawn_by_its_size_and_keeps_its_sign_in_the_figure() -> None:
    chart = bar_chart([BarInput("감액", -30.0), BarInput("증액", 60.0)], "t", lambda v: f"{v:+.0f}")
    assert chart.rows[0].bars[0].width == BAR_AREA / 2
    assert chart.rows[0].bars[0].text == "-30"


def test_all_zero_values_give_empty_bars_not_a_division_by_zero() -> None:
    chart = bar_chart([BarInput("영", 0.0)], "t", str)
    assert chart.rows[0].bars[0].width == 0
