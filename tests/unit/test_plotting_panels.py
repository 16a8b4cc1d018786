"""Charts without a server: the colour map, empty ranges, frames that do not fit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from tt_notebook import WorkCalendar
from tt_notebook.frames import empty_worklogs
from tt_notebook.plotting import (
    ColourMap,
    plot_billable_share,
    plot_burnup,
    plot_calendar_heatmap,
    plot_expected_vs_actual,
    plot_hours_by_day,
    plot_hours_by_week,
    plot_top_issues,
    plot_utilization,
    plot_weekday_hour_heatmap,
)

CALENDAR = WorkCalendar()


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def empty_week() -> pd.DataFrame:
    df = empty_worklogs("Europe/Budapest")
    df.attrs.update(timezone="Europe/Budapest", start="2030-01-07", end="2030-01-13")
    return df


CHARTS: dict[str, Callable[[pd.DataFrame], Any]] = {
    "hours_by_day": plot_hours_by_day,
    "hours_by_week": plot_hours_by_week,
    "expected_vs_actual": lambda df: plot_expected_vs_actual(df, CALENDAR),
    "utilization": lambda df: plot_utilization(df, CALENDAR),
    "calendar_heatmap": plot_calendar_heatmap,
    "weekday_hour_heatmap": plot_weekday_hour_heatmap,
    "billable_share": plot_billable_share,
    "top_issues": plot_top_issues,
    "burnup": lambda df: plot_burnup(df, "WEB", 100),
}

TITLES = {
    "hours_by_day": "Hours per day by project, 2030-01-07 to 2030-01-13",
    "hours_by_week": "Hours per week by project, 2030-01-07 to 2030-01-13",
    "expected_vs_actual": (
        "Hours logged against expected, per person and week, 2030-01-07 to 2030-01-13"
    ),
    "utilization": "Utilization against a target of 100%, 2030-01-07 to 2030-01-13",
    "calendar_heatmap": (
        "Hours per day, whole team, 2030-01-07 to 2030-01-13 (Europe/Budapest)"
    ),
    "weekday_hour_heatmap": (
        "Hours logged by weekday and starting hour, 2030-01-07 to 2030-01-13"
    ),
    "billable_share": "Billable share of hours per week, 2030-01-07 to 2030-01-13",
    "top_issues": "Top 10 issues by hours, 2030-01-07 to 2030-01-13",
    "burnup": "WEB burn-up against a budget of 100 h, 2030-01-07 to 2030-01-13",
}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_an_empty_range_draws_a_titled_no_worklogs_panel(name: str) -> None:
    ax = CHARTS[name](empty_week())
    assert [t.get_text() for t in ax.texts] == ["No worklogs in this range"]
    assert ax.get_title() == TITLES[name]
    assert list(ax.get_xticks()) == []
    assert list(ax.get_yticks()) == []


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_a_frame_that_is_not_a_worklog_frame_is_a_clear_error(name: str) -> None:
    with pytest.raises(ValueError, match=r"lacks the columns \['worklog_id'"):
        CHARTS[name](pd.DataFrame({"hours": [1.0]}))


def test_the_colour_map_gives_colours_in_alphabetical_order_and_keeps_them() -> None:
    colours = ColourMap("projects")
    colours.register(["WEB", "DATA", "OPS"])
    assert colours.colours(["WEB", "DATA", "OPS"]) == ["#2ca02c", "#1f77b4", "#ff7f0e"]
    # A name seen later takes the next free colour; the others keep theirs.
    colours.register(["AAA", "WEB"])
    assert colours["AAA"] == "#d62728"
    assert colours["WEB"] == "#2ca02c"
    assert colours["other"] == "#b3b3b3"


def test_fixed_colours_win_and_reset_forgets_everything() -> None:
    colours = ColourMap("projects")
    colours.register(["DATA"])
    colours.set({"DATA": "black", "LEAVE": "0.8"})
    assert colours.colours(["DATA", "LEAVE", "WEB"]) == ["black", "0.8", "#ff7f0e"]
    colours.reset()
    assert colours["WEB"] == "#1f77b4"
    assert repr(colours) == "<ColourMap projects: 1 names>"


def test_the_palette_has_eighteen_colours_before_it_repeats() -> None:
    colours = ColourMap("people")
    names = [f"person {i:02d}" for i in range(19)]
    given = colours.colours(names)
    assert len(set(given[:18])) == 18
    assert given[18] == given[0] == "#1f77b4"
    assert "#7f7f7f" not in given  # grey is kept for "other"


def test_an_unknown_freq_is_refused() -> None:
    with pytest.raises(ValueError, match="freq must be 'D', 'W' or 'M', not 'Q'"):
        plot_billable_share(empty_week(), freq="Q")


def test_a_budget_must_be_positive() -> None:
    with pytest.raises(ValueError, match="budget must be a positive number"):
        plot_burnup(empty_week(), "WEB", 0)
