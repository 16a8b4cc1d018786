"""matplotlib charts of time usage; each takes ``ax=None`` and returns the Axes.

matplotlib is imported when a chart is drawn, not when tt_notebook is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_hours_by_day"]

#: Friendly names for the ``by`` argument, and the column each one means.
GROUPINGS = {
    "project": "project_key",
    "author": "author",
    "person": "author",
    "issue": "issue_key",
}
UNKNOWN = "(unknown)"
OTHER = "other"


def _require(df: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"{what} needs the columns {missing}, which the frame lacks; pass a "
            "frame from tt_notebook.fetch_worklogs."
        )


def _day_range(df: pd.DataFrame) -> pd.DatetimeIndex:
    start, end = df.attrs.get("start"), df.attrs.get("end")
    if start and end:
        return pd.date_range(start, end, freq="D")
    if df.empty:
        return pd.DatetimeIndex([])
    return pd.date_range(df["date"].min(), df["date"].max(), freq="D")


def daily_hours(df: pd.DataFrame, column: str, top: int = 10) -> pd.DataFrame:
    """Hours per local day (rows, every day of the range) and group (columns).

    Sums exact durations and converts to hours once; groups past the ``top``
    largest are folded into one ``"other"`` column.
    """
    labels = df[column].astype("string").fillna(UNKNOWN)
    seconds = df["duration"].dt.total_seconds()
    table = seconds.groupby([df["date"], labels]).sum().unstack(fill_value=0.0) / 3600.0
    table = table.reindex(_day_range(df), fill_value=0.0)
    order = table.sum().sort_values(ascending=False, kind="stable").index
    table = table[order]
    if len(order) > top:
        kept = table.iloc[:, : top - 1]
        kept[OTHER] = table.iloc[:, top - 1 :].sum(axis=1)
        table = kept
    table.index.name = "date"
    table.columns.name = column
    result: pd.DataFrame = table
    return result


def plot_hours_by_day(
    df: pd.DataFrame, by: str = "project", *, ax: Axes | None = None, top: int = 10
) -> Axes:
    """Stacked bars of hours per day, one colour per project (or person, issue).

    Parameters
    ----------
    df : pandas.DataFrame
        A worklog frame from :func:`tt_notebook.fetch_worklogs`.
    by : str
        ``"project"``, ``"author"`` (or ``"person"``), ``"issue"``, or any
        column name of the frame.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.
    top : int
        The largest groups drawn one by one; the rest stack as ``"other"``.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import tt_notebook as tt
    >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-09", session=tt.demo())
    >>> ax = tt.plot_hours_by_day(df, by="project")
    >>> ax.get_ylabel()
    'Hours'
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    column = GROUPINGS.get(by, by)
    _require(df, ["date", "duration", column], "plot_hours_by_day")
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 4.5), layout="constrained")
    tz = df.attrs.get("timezone") or _zone_of(df)
    table = daily_hours(df, column, top)

    # 1. Empty ranges draw a readable panel instead of failing.
    ax.set_ylabel("Hours")
    ax.set_xlabel(f"Day ({tz})")
    if table.empty or not table.to_numpy().any():
        ax.text(
            0.5,
            0.5,
            "No worklogs in this range",
            ha="center",
            va="center",
            transform=ax.transAxes,
            fontsize=12,
            color="0.4",
        )
        ax.set_yticks([])
        return ax

    # 2. One bar segment per group and day, stacked.
    colours = plt.get_cmap("tab20" if table.shape[1] > 10 else "tab10")
    bottom = pd.Series(0.0, index=table.index)
    for i, name in enumerate(table.columns):
        colour: Any = "0.7" if name == OTHER else colours(i)
        ax.bar(
            table.index,
            table[name],
            bottom=bottom,
            width=0.8,
            label=str(name),
            color=colour,
            linewidth=0,
        )
        bottom = bottom + table[name]

    # 3. Weekends shaded, dates in the frame's own calendar, legend outside.
    days = pd.DatetimeIndex(table.index)
    for day in days[days.day_of_week >= 5]:
        ax.axvspan(
            mdates.date2num(day - pd.Timedelta(hours=12)),
            mdates.date2num(day + pd.Timedelta(hours=12)),
            color="0.94",
            zorder=0,
            linewidth=0,
        )
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    # Limits stay inside the range's days, so the date offset label names the
    # range's own month, and the tallest bar keeps some headroom.
    half_day = pd.Timedelta(hours=12)
    ax.set_xlim(
        mdates.date2num(table.index[0] - half_day),
        mdates.date2num(table.index[-1] + half_day),
    )
    ax.set_ylim(0, float(bottom.max()) * 1.08)
    ax.grid(axis="y", color="0.85", linewidth=0.6)
    ax.set_axisbelow(True)
    label = {"project_key": "project", "author": "person", "issue_key": "issue"}
    ax.legend(
        title=label.get(column, column),
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
    )
    first, last = table.index[0].date(), table.index[-1].date()
    ax.set_title(f"Hours per day by {label.get(column, column)}, {first} to {last}")
    return ax


def _zone_of(df: pd.DataFrame) -> str:
    if "start" in df.columns and isinstance(df["start"].dtype, pd.DatetimeTZDtype):
        return str(df["start"].dtype.tz)
    return "local time"
