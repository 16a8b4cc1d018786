from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from tests.conftest import SessionFactory
from tt_notebook import fetch_worklogs
from tt_notebook.frames import empty_worklogs
from tt_notebook.plotting import daily_hours, plot_hours_by_day

pytestmark = pytest.mark.integration


def test_stacked_bars_add_up_to_the_frames_hours(make_session: SessionFactory) -> None:
    df = fetch_worklogs(
        "2025-03-01", "2025-03-31", session=make_session("Europe/Budapest")
    )
    ax = plot_hours_by_day(df, by="project")
    heights = sum(bar.get_height() for bars in ax.containers for bar in bars)
    assert heights == pytest.approx(df["hours"].sum())
    assert ax.get_xlabel() == "Day (Europe/Budapest)"
    assert ax.get_title() == "Hours per day by project, 2025-03-01 to 2025-03-31"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sorted(legend) == sorted(df["project_key"].astype(str).unique())
    plt.close(ax.figure)


def test_every_day_of_the_range_is_a_row_and_empty_days_are_zero(
    make_session: SessionFactory,
) -> None:
    df = fetch_worklogs("2025-03-01", "2025-03-31", session=make_session("UTC"))
    table = daily_hours(df, "author")
    assert len(table) == 31
    assert table.index[0] == pd.Timestamp("2025-03-01")
    assert not table.isna().any().any()
    assert table.sum().sum() == pytest.approx(df["hours"].sum())


def test_groups_past_top_fold_into_other(make_session: SessionFactory) -> None:
    df = fetch_worklogs("2025-03-03", "2025-03-07", session=make_session("UTC"))
    table = daily_hours(df, "issue_key", top=4)
    assert list(table.columns)[-1] == "other"
    assert table.shape[1] == 4
    assert table.sum().sum() == pytest.approx(df["hours"].sum())


def test_empty_range_draws_a_readable_panel() -> None:
    df = empty_worklogs("UTC")
    df.attrs.update(start="2030-01-01", end="2030-01-07")
    ax = plot_hours_by_day(df)
    assert [t.get_text() for t in ax.texts] == ["No worklogs in this range"]
    plt.close(ax.figure)


def test_unknown_grouping_column_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"columns \['team'\]"):
        plot_hours_by_day(empty_worklogs("UTC"), by="team")
