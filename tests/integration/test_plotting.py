from __future__ import annotations

from collections.abc import Iterator

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from tests.conftest import SessionFactory
from tt_notebook import WorkCalendar, fetch_worklogs
from tt_notebook.frames import empty_worklogs
from tt_notebook.plotting import (
    daily_hours,
    people_colours,
    plot_billable_share,
    plot_burnup,
    plot_calendar_heatmap,
    plot_expected_vs_actual,
    plot_hours,
    plot_hours_by_day,
    plot_hours_by_week,
    plot_top_issues,
    plot_utilization,
    plot_weekday_hour_heatmap,
    project_colours,
)

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
    with pytest.raises(ValueError, match=r"cannot group by 'team': give one of \["):
        plot_hours_by_day(empty_worklogs("UTC"), by="team")


# -- the other charts, on the seeded demo organisation -------------------------

MARCH_WEEKS = ("2025-03-03", "2025-03-30")  # four whole ISO weeks
CALENDAR = WorkCalendar(
    non_working_projects=["LEAVE"], people={"Jürgen Müller": {"hours_per_day": 6}}
)


@pytest.fixture
def march(make_session: SessionFactory) -> pd.DataFrame:
    return fetch_worklogs(*MARCH_WEEKS, session=make_session("Europe/Budapest"))


@pytest.fixture(autouse=True)
def _fresh_colours() -> Iterator[None]:
    # Colours are handed out once per process; each test starts from none.
    project_colours.reset()
    people_colours.reset()
    yield
    plt.close("all")


def test_weekly_bars_add_up_and_are_labelled_by_their_monday(
    march: pd.DataFrame,
) -> None:
    ax = plot_hours_by_week(march)
    heights = sum(bar.get_height() for bars in ax.containers for bar in bars)
    assert heights == pytest.approx(2733.9272, abs=1e-3)
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "03 Mar",
        "10 Mar",
        "17 Mar",
        "24 Mar",
    ]
    assert ax.get_title() == "Hours per week by project, 2025-03-03 to 2025-03-30"
    assert ax.get_xlabel() == "Week, from Monday (Europe/Budapest)"
    # Listed top to bottom as stacked: the largest project is at the bottom.
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["LEAVE", "OPS", "INT", "SUP", "MOB", "WEB", "DATA"]


def test_a_project_keeps_its_colour_in_every_chart(march: pd.DataFrame) -> None:
    by_day = plot_hours_by_day(march)
    one_week = march.tt.between("2025-03-10", "2025-03-16")
    top = plot_top_issues(one_week, 5)
    expected = {
        "DATA": "#1f77b4",
        "INT": "#ff7f0e",
        "LEAVE": "#2ca02c",
        "MOB": "#d62728",
        "OPS": "#9467bd",
        "SUP": "#8c564b",
        "WEB": "#e377c2",
    }
    for bars in by_day.containers:
        assert to_hex(bars[0].get_facecolor()) == expected[bars.get_label()]
    legend = top.get_legend()
    for patch, text in zip(legend.get_patches(), legend.get_texts(), strict=True):
        assert to_hex(patch.get_facecolor()) == expected[text.get_text()]


def test_expected_vs_actual_cells_say_logged_over_expected_hours(
    march: pd.DataFrame,
) -> None:
    ax = plot_expected_vs_actual(march, CALENDAR)
    people = [t.get_text() for t in ax.get_yticklabels()]
    assert people[:3] == ["Ákos Szabó", "Arjun Mehta", "Beatriz Gonçalves"]
    assert people[-1] == "(deleted user)"
    assert len(people) == 18
    # Ákos's four weeks, then Arjun's first (Indian holiday-free part time).
    assert [t.get_text() for t in ax.texts[:5]] == [
        "47/40",
        "39/40",
        "41/40",
        "37/40",
        "23/24",
    ]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "03 Mar",
        "10 Mar",
        "17 Mar",
        "24 Mar",
    ]


def test_utilization_bars_are_the_accessors_and_say_which_are_under_target(
    march: pd.DataFrame,
) -> None:
    ax = plot_utilization(march, CALENDAR, target=0.95)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # Lowest at the bottom (first), highest at the top.
    assert labels[:3] == ["Beatriz Gonçalves", "José Núñez", "(deleted user)"]
    assert labels[-1] == "Grace Kim"
    widths = [round(p.get_width(), 4) for p in ax.patches]
    assert widths[:3] == [0.7791, 0.8654, 0.8693]
    share = march.tt.utilization(CALENDAR)
    assert sorted(widths) == sorted(share.round(4).tolist())
    assert to_hex(ax.patches[0].get_facecolor()) == "#e6862e"  # under 95 %
    assert to_hex(ax.patches[-1].get_facecolor()) == "#3b75af"


def test_calendar_heatmap_has_a_square_per_day_and_blanks_outside_the_range(
    make_session: SessionFactory,
) -> None:
    year = fetch_worklogs(
        "2025-01-01", "2025-12-31", session=make_session("Europe/Budapest")
    )
    ax = plot_calendar_heatmap(year, people="Grace Kim")
    grid = ax.images[0].get_array()
    assert grid.shape == (7, 53)
    # 2025 starts on a Wednesday: Monday and Tuesday of week one are blank.
    assert grid.mask[:, 0].tolist() == [True, True, False, False, False, False, False]
    assert float(grid[2, 0]) == 0.0  # New Year's Day
    assert float(grid[0, 1]) == 8.0
    grace = year.loc[year["author"] == "Grace Kim", "hours"].sum()
    assert float(grid.sum()) == pytest.approx(grace)
    assert float(grid.sum()) == pytest.approx(1995.3164, abs=1e-3)
    months = [t.get_text() for t in ax.get_xticklabels()]
    assert months == [
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    ]


def test_weekday_hour_heatmap_is_the_accessors_pivot(march: pd.DataFrame) -> None:
    ax = plot_weekday_hour_heatmap(march)
    grid = ax.images[0].get_array()
    assert grid.shape == (7, 24)
    assert float(grid.sum()) == pytest.approx(2733.9272, abs=1e-3)
    assert float(grid[0, 9]) == pytest.approx(62.65)  # Mondays, 09:00 to 10:00
    assert ax.get_xlabel() == "Hour the worklog started (Europe/Budapest)"


def test_billable_share_draws_all_work_and_each_billable_project(
    march: pd.DataFrame,
) -> None:
    ax = plot_billable_share(march, by="project")
    labels = [line.get_label() for line in ax.get_lines()]
    # LEAVE is never billable: no line along zero for it.
    assert labels == ["all work", "DATA", "INT", "MOB", "OPS", "SUP", "WEB"]
    overall = ax.get_lines()[0].get_ydata()
    assert [round(float(v), 4) for v in overall] == [0.5892, 0.6093, 0.6535, 0.5755]


def test_top_issues_are_the_accessors_largest_first(march: pd.DataFrame) -> None:
    ax = plot_top_issues(march, 3)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "WEB-20  Black Friday landing page",
        "SUP-10  Handle data import help",
        "LEAVE-1  Vacation",
    ]  # bottom to top
    widths = [round(p.get_width(), 4) for p in ax.patches]
    assert widths == [53.9333, 56.9333, 134.0]


def test_burnup_marks_the_day_the_budget_ran_out(
    make_session: SessionFactory,
) -> None:
    q1 = fetch_worklogs(
        "2025-01-01", "2025-03-31", session=make_session("Europe/Budapest")
    )
    ax = plot_burnup(q1, "MOB", 1000)
    assert [t.get_text() for t in ax.texts] == [
        " budget 1,000 h",
        "budget reached 2025-03-07",
        "1,331 h logged: 133% of the budget",
    ]
    mob = q1.loc[q1["project_key"] == "MOB", "hours"].sum()
    assert float(ax.get_lines()[0].get_ydata()[-1]) == pytest.approx(mob)
    # The same project by its numeric id and by its name.
    by_id = plot_burnup(q1, "10001", 1000)
    by_name = plot_burnup(q1, "Mobile app", 1000)
    assert by_id.get_title() == by_name.get_title() == ax.get_title()
    assert ax.get_title() == (
        "MOB burn-up against a budget of 1,000 h, 2025-01-01 to 2025-03-31"
    )


def test_burnup_under_budget_forecasts_at_the_recent_pace(
    make_session: SessionFactory,
) -> None:
    q1 = fetch_worklogs(
        "2025-01-01", "2025-03-31", session=make_session("Europe/Budapest")
    )
    ax = plot_burnup(q1, "WEB", 3000)
    assert ax.texts[-1].get_text() == (
        "1,895 h logged: 63% of the budget; at the pace of the last 28 days, "
        "used up 2025-05-23"
    )
    assert ax.get_legend().get_texts()[0].get_text() == "at 21.1 h a day"


def test_every_chart_is_a_method_of_df_tt_plot(march: pd.DataFrame) -> None:
    plot = march.tt.plot
    pairs = [
        (plot.hours_by_day(), plot_hours_by_day(march)),
        (plot.hours_by_week(by="person"), plot_hours_by_week(march, by="person")),
        (plot(freq="M"), plot_hours(march, freq="M")),
        (
            plot.expected_vs_actual(CALENDAR),
            plot_expected_vs_actual(march, CALENDAR),
        ),
        (plot.utilization(CALENDAR), plot_utilization(march, CALENDAR)),
        (plot.calendar_heatmap(), plot_calendar_heatmap(march)),
        (plot.weekday_hour_heatmap(), plot_weekday_hour_heatmap(march)),
        (plot.billable_share(freq="D"), plot_billable_share(march, freq="D")),
        (plot.top_issues(5), plot_top_issues(march, 5)),
        (plot.burnup("WEB", 900), plot_burnup(march, "WEB", 900)),
    ]
    for mine, theirs in pairs:
        assert mine.get_title() == theirs.get_title()
    assert [mine.get_title() for mine, _ in pairs][2] == (
        "Hours per month by project, 2025-03-03 to 2025-03-30"
    )


def test_charts_draw_on_the_axes_they_are_given(march: pd.DataFrame) -> None:
    _, axes = plt.subplots(1, 2)
    assert plot_top_issues(march, ax=axes[0]) is axes[0]
    assert march.tt.plot.utilization(CALENDAR, ax=axes[1]) is axes[1]
