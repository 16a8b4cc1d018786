"""matplotlib charts of time usage; each takes ``ax=None`` and returns the Axes.

Every chart reads a worklog frame (:func:`tt_notebook.fetch_worklogs`) through
the ``df.tt`` accessor, so its numbers are the accessor's: exact sums, days
and weeks of the frame's time zone, every period of the range. Dates are
labelled in that zone, a range with nothing logged draws a readable "No
worklogs in this range" panel instead of raising, and each project keeps one
colour across charts (see :data:`project_colours`). The same charts are
methods of ``df.tt.plot``.

matplotlib is imported when a chart is drawn, not when tt_notebook is.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .accessor import FREQS, GROUPS, TimetrackerAccessor
from .calendar import WorkCalendar

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "ColourMap",
    "PlotAccessor",
    "daily_hours",
    "people_colours",
    "period_hours",
    "plot_billable_share",
    "plot_burnup",
    "plot_calendar_heatmap",
    "plot_expected_vs_actual",
    "plot_hours",
    "plot_hours_by_day",
    "plot_hours_by_week",
    "plot_top_issues",
    "plot_utilization",
    "plot_weekday_hour_heatmap",
    "project_colours",
]

#: Friendly names for the ``by`` argument, and the column each one means.
GROUPINGS = {
    "project": "project_key",
    "author": "author",
    "person": "author",
    "issue": "issue_key",
}
UNKNOWN = "(unknown)"
OTHER = "other"
NO_WORKLOGS = "No worklogs in this range"
DELETED = "(deleted user)"

# Column names of the frame and the accessor grouping that means the same.
_GROUP_OF = {"project_key": "project", "issue_key": "issue", "author": "author"}
_LABEL = {"project": "project", "author": "person", "issue": "issue"}
_PERIOD_WORD = {"date": "day", "week": "week", "month": "month"}
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_OTHER_COLOUR = "#b3b3b3"
_MUTED = "0.4"


# -- colours -------------------------------------------------------------------


def _palette() -> list[str]:
    # tab10 without its grey (kept for "other"), then tab20's lighter shades
    # without theirs: 18 colours that stay apart in a stacked bar.
    import matplotlib as mpl
    from matplotlib.colors import to_hex

    tab20 = mpl.colormaps["tab20"]
    dark = [to_hex(tab20(2 * i)) for i in range(10) if i != 7]
    light = [to_hex(tab20(2 * i + 1)) for i in range(10) if i != 7]
    return dark + light


class ColourMap:
    """One colour per name, handed out once and kept for the whole session.

    A chart asks for the colours of the names it draws; names it has not
    seen before get the next free colour of the palette, in alphabetical
    order, so a project keeps its colour in every later chart. Charts of a
    worklog frame first register every category of its ``project_key`` (or
    ``author``) column, seen in the range or not, so that a filtered frame
    gives the same colours as the frame it came from.

    Parameters
    ----------
    name : str
        What the names are, for the repr.

    Examples
    --------
    >>> colours = ColourMap("projects")
    >>> colours.register(["WEB", "DATA"])
    >>> colours["DATA"], colours["WEB"]
    ('#1f77b4', '#ff7f0e')
    >>> colours.set({"WEB": "black"})
    >>> colours["WEB"], colours["OPS"]
    ('black', '#2ca02c')
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._given: dict[str, str] = {}
        self._fixed: dict[str, str] = {}
        self._next = 0

    def __repr__(self) -> str:
        return f"<ColourMap {self.name}: {len(self._given) + len(self._fixed)} names>"

    def register(self, names: Iterable[Any]) -> None:
        """Give a colour to each new name, in sorted order."""
        palette = _palette()
        new = sorted({str(n) for n in names} - set(self._given) - set(self._fixed))
        for label in new:
            if label == OTHER:
                continue
            self._given[label] = palette[self._next % len(palette)]
            self._next += 1

    def set(self, colours: Mapping[str, str]) -> None:
        """Fix the colours of some names (any matplotlib colour)."""
        self._fixed.update({str(k): v for k, v in colours.items()})

    def reset(self) -> None:
        """Forget every colour given out or fixed."""
        self._given.clear()
        self._fixed.clear()
        self._next = 0

    def __getitem__(self, label: Any) -> str:
        label = str(label)
        if label == OTHER:
            return _OTHER_COLOUR
        if label not in self._fixed and label not in self._given:
            self.register([label])
        return self._fixed.get(label) or self._given[label]

    def colours(self, labels: Iterable[Any]) -> list[str]:
        """The colour of each label, in order."""
        labels = list(labels)
        self.register(labels)
        return [self[label] for label in labels]


#: Colours of project keys, shared by every chart of the session.
project_colours = ColourMap("projects")
#: Colours of people (display names), shared by every chart of the session.
people_colours = ColourMap("people")


def _colour_map(group: str) -> ColourMap | None:
    return {"project": project_colours, "author": people_colours}.get(group)


def _register_frame(df: pd.DataFrame) -> None:
    # Every category of the fetch, not only those of this range: a week
    # without OPS must not shift the colours of the projects after it.
    for column, colours in (
        ("project_key", project_colours),
        ("author", people_colours),
    ):
        if column not in df.columns:
            continue
        values = df[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            colours.register(values.cat.categories)
        else:
            colours.register(values.dropna().unique())


# -- the frame -----------------------------------------------------------------


def _require(df: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"{what} needs the columns {missing}, which the frame lacks; pass a "
            "frame from tt_notebook.fetch_worklogs."
        )


def _tt(df: pd.DataFrame, what: str) -> TimetrackerAccessor:
    try:
        accessor = TimetrackerAccessor(df)
    except AttributeError as exc:
        raise ValueError(f"{what}: {exc}") from exc
    _register_frame(df)
    return accessor


def _group(df: pd.DataFrame, by: str, what: str) -> str:
    """The accessor grouping for ``by``: a friendly name or a column name."""
    column = GROUPINGS.get(by, by)
    group = _GROUP_OF.get(column, by)
    if group not in GROUPS and column not in df.columns:
        raise ValueError(
            f"{what} cannot group by {by!r}: give one of "
            f"{sorted(GROUPINGS)} or a column of the frame."
        )
    return "author" if group == "person" else group


def _zone(df: pd.DataFrame) -> str:
    zone = df.attrs.get("timezone")
    if zone:
        return str(zone)
    if "start" in df.columns and isinstance(df["start"].dtype, pd.DatetimeTZDtype):
        return str(df["start"].dtype.tz)
    return "local time"


def _span(tt: TimetrackerAccessor) -> str:
    span = tt.span()
    if span is None:
        return ""
    first, last = span
    return f", {first.date()} to {last.date()}"


def _person_labels(df: pd.DataFrame, labels: pd.Index) -> pd.Index:
    # The accessor labels a person without a name by the account id; in a
    # chart a reader wants to know it is a deleted user, not an id.
    nameless = df.loc[df["author"].isna(), "author_id"].dropna().astype(str).unique()
    if not len(nameless):
        return labels
    if len(nameless) == 1:
        names = {nameless[0]: DELETED}
    else:
        names = {a: f"(deleted user {a.split(':')[-1][:8]})" for a in nameless}
    renamed: pd.Index = pd.Index(
        [names.get(str(v), v) for v in labels], name=labels.name
    )
    return renamed


def _person_key(label: Any) -> tuple[bool, str]:
    # People sorted as a reader expects (Ákos beside Arjun), the nameless last.
    text = str(label)
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text.startswith("("), plain.casefold()


def _period_ticks(ax: Axes, starts: pd.DatetimeIndex, centre: float, form: str) -> None:
    """Ticks at the middle of each period, labelled by its first day, thinned."""
    import matplotlib.dates as mdates

    step = max(1, math.ceil(len(starts) / 14))
    chosen = starts[::step]
    middles = chosen + pd.Timedelta(days=centre)
    ax.set_xticks(
        [float(mdates.date2num(t)) for t in middles],
        [t.strftime(form) for t in chosen],
    )


def _series(result: pd.Series | pd.DataFrame) -> pd.Series:
    # totals() without by= is a Series; the union type is for mypy.
    assert isinstance(result, pd.Series)
    return result


def _new_axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=size, layout="constrained")
    return new


def _no_worklogs(ax: Axes, title: str) -> Axes:
    """A readable panel where a chart has nothing to draw."""
    ax.text(
        0.5,
        0.5,
        NO_WORKLOGS,
        ha="center",
        va="center",
        transform=ax.transAxes,
        fontsize=12,
        color=_MUTED,
    )
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title)
    return ax


def _percent_axis(ax: Axes, axis: str = "y") -> None:
    from matplotlib.ticker import PercentFormatter

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))


def _date_axis(ax: Axes) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _period(freq: str, allowed: Sequence[str] = ("date", "week", "month")) -> str:
    period = FREQS.get(freq)
    if period not in allowed:
        raise ValueError(f"freq must be 'D', 'W' or 'M', not {freq!r}.")
    return str(period)


# -- hours per period ----------------------------------------------------------


def period_hours(
    df: pd.DataFrame, by: str = "project", freq: str = "D", top: int = 10
) -> pd.DataFrame:
    """Hours per period (rows, every period of the range) and group (columns).

    Parameters
    ----------
    df : pandas.DataFrame
        A worklog frame.
    by : str
        ``"project"``, ``"author"`` (or ``"person"``), ``"issue"``, a
        grouping of ``df.tt`` or a column name.
    freq : {"D", "W", "M"}
        Local days, ISO weeks (labelled by their Monday) or months.
    top : int
        At most ``top`` columns: past the ``top - 1`` largest groups, the
        rest are folded into one ``"other"`` column.

    Returns
    -------
    pandas.DataFrame
        Columns sorted by total hours, largest first.

    Examples
    --------
    >>> import tt_notebook as tt
    >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-16", session=tt.demo())
    >>> table = period_hours(df, "project", freq="W", top=3)
    >>> list(table.columns), [str(w.date()) for w in table.index]
    (['DATA', 'WEB', 'other'], ['2025-03-03', '2025-03-10'])
    """
    what = "period_hours"
    group = _group(df, by, what)
    _period(freq)
    tt = _tt(df, what)
    table = tt.totals(by=group, freq=freq)
    assert isinstance(table, pd.DataFrame)
    if group == "author":
        table.columns = _person_labels(df, pd.Index(table.columns))
    table.columns = pd.Index([str(c) for c in table.columns])
    order = table.sum().sort_values(ascending=False, kind="stable").index
    table = table[order]
    if len(order) > top:
        kept = table.iloc[:, : top - 1].copy()
        kept[OTHER] = table.iloc[:, top - 1 :].sum(axis=1)
        table = kept
    table.columns.name = GROUPINGS.get(by, by)
    return table


def daily_hours(df: pd.DataFrame, column: str, top: int = 10) -> pd.DataFrame:
    """Hours per local day (rows, every day of the range) and group (columns).

    :func:`period_hours` by day: exact sums turned into hours once; groups
    past the ``top`` largest are folded into one ``"other"`` column.
    """
    table = period_hours(df, column, "D", top)
    table.index.name = "date"
    table.columns.name = column
    return table


def plot_hours(
    df: pd.DataFrame,
    by: str = "project",
    *,
    freq: str = "D",
    ax: Axes | None = None,
    top: int = 10,
) -> Axes:
    """Stacked bars of hours per day, week or month, by project or person.

    Parameters
    ----------
    df : pandas.DataFrame
        A worklog frame from :func:`tt_notebook.fetch_worklogs`.
    by : str
        ``"project"``, ``"author"`` (or ``"person"``), ``"issue"``, or any
        column name of the frame.
    freq : {"D", "W", "M"}
        One bar per local day, ISO week (from Monday) or month.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.
    top : int
        At most ``top`` stacked series: the ``top - 1`` largest groups one by
        one, and the rest together as ``"other"``.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import tt_notebook as tt
    >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-30", session=tt.demo())
    >>> ax = plot_hours(df, by="person", freq="W")
    >>> ax.get_title()
    'Hours per week by person, 2025-03-03 to 2025-03-30'
    """
    import matplotlib.dates as mdates

    what = "plot_hours"
    group = _group(df, by, what)
    period = _period(freq)
    ax = _new_axes(ax, (11, 4.5))
    tt = _tt(df, what)
    table = period_hours(df, by, freq, top)
    column = GROUPINGS.get(by, by)
    label = _LABEL.get(group, column)
    word = _PERIOD_WORD[period]
    title = f"Hours per {word} by {label}{_span(tt)}"

    # 1. Empty ranges draw a readable panel instead of failing.
    ax.set_ylabel("Hours")
    axis_label = {"date": "Day", "week": "Week, from Monday", "month": "Month"}
    ax.set_xlabel(f"{axis_label[period]} ({_zone(df)})")
    if table.empty or not table.to_numpy().any():
        return _no_worklogs(ax, title)

    # 2. One bar segment per group and period, stacked, each group its colour.
    colours = _colour_map(group)
    if colours is not None:
        palette = colours.colours(table.columns)
    else:
        cycle = _palette()
        palette = [
            _OTHER_COLOUR if name == OTHER else cycle[i % len(cycle)]
            for i, name in enumerate(table.columns)
        ]
    days = pd.DatetimeIndex(table.index)
    width = {"date": 0.8, "week": 5.6, "month": 24.0}[period]
    centre = {"date": 0.0, "week": 3.0, "month": 14.0}[period]
    x = days + pd.Timedelta(days=centre)
    # A week or month only partly inside the range is drawn paler: its bar
    # holds only the range's days.
    span = tt.span()
    ends = days + (
        pd.offsets.MonthEnd(0) if period == "month" else pd.Timedelta(days=6)
    )
    partial = np.zeros(len(days), dtype=bool)
    if period != "date" and span is not None:
        partial = np.asarray((days < span[0]) | (ends > span[1]))
    bottom = np.zeros(len(table))
    for name, colour in zip(table.columns, palette, strict=True):
        heights = table[name].to_numpy(dtype=float)
        bars = ax.bar(
            x,
            heights,
            bottom=bottom,
            width=width,
            label=str(name),
            color=colour,
            linewidth=0,
        )
        for patch in np.asarray(bars.patches, dtype=object)[partial]:
            patch.set_alpha(0.45)
        bottom = bottom + heights

    # 3. Weekends shaded, dates in the frame's own calendar, legend outside.
    if period == "date":
        for day in days[days.day_of_week >= 5]:
            ax.axvspan(
                float(mdates.date2num(day - pd.Timedelta(hours=12))),
                float(mdates.date2num(day + pd.Timedelta(hours=12))),
                color="0.94",
                zorder=0,
                linewidth=0,
            )
    if period == "date":
        _date_axis(ax)
    else:
        form = "%d %b" if period == "week" else "%b %Y"
        _period_ticks(ax, days, centre, form)
        if partial.any():
            ax.set_xlabel(f"{ax.get_xlabel()}; paler: partly outside the range")
    # Limits stay inside the range's periods, so the date offset label names
    # the range's own month, and the tallest bar keeps some headroom.
    low = x[0] - pd.Timedelta(days=width / 2 + 0.2)
    high = x[-1] + pd.Timedelta(days=width / 2 + 0.2)
    ax.set_xlim(float(mdates.date2num(low)), float(mdates.date2num(high)))
    ax.set_ylim(0, float(bottom.max()) * 1.08)
    ax.grid(axis="y", color="0.85", linewidth=0.6)
    ax.set_axisbelow(True)
    # The legend lists the groups top to bottom, as they are stacked, in
    # full colour whatever the first bar's.
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=colour, label=str(name))
        for name, colour in zip(table.columns, palette, strict=True)
    ]
    ax.legend(
        handles=handles[::-1],
        title=label,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
    )
    ax.set_title(title)
    return ax


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
        At most ``top`` stacked series: the ``top - 1`` largest groups one by
        one, and the rest together as ``"other"``.

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
    return plot_hours(df, by, freq="D", ax=ax, top=top)


def plot_hours_by_week(
    df: pd.DataFrame, by: str = "project", *, ax: Axes | None = None, top: int = 10
) -> Axes:
    """Stacked bars of hours per ISO week (Monday to Sunday), by project or person.

    The parameters are those of :func:`plot_hours_by_day`; a week is
    labelled by its Monday and the first and last weeks may reach outside
    the range.

    Examples
    --------
    >>> import tt_notebook as tt
    >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-30", session=tt.demo())
    >>> ax = plot_hours_by_week(df, by="project")
    >>> len(ax.containers)  # one set of bars per project
    7
    """
    return plot_hours(df, by, freq="W", ax=ax, top=top)


# -- against a working calendar ------------------------------------------------


def plot_expected_vs_actual(
    df: pd.DataFrame,
    calendar: WorkCalendar,
    *,
    freq: str = "W",
    people: Iterable[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Hours logged against hours expected, per person and week (or day, month).

    A grid with one row per person and one column per period: each cell is
    coloured by the hours logged minus those expected (red: fewer, blue:
    more) and, when the grid is small enough to read, says "logged/expected"
    in whole hours. Periods with nothing expected and nothing logged stay
    white.

    Parameters
    ----------
    df : pandas.DataFrame
        A worklog frame.
    calendar : WorkCalendar
        Who is expected to work when (``non_working_projects`` count as
        absence, which lowers the expected hours).
    freq : {"W", "D", "M"}
        ISO weeks (labelled by their Monday), days or months.
    people : list of str, optional
        Account ids or names to show; everyone in the frame when omitted.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import tt_notebook as tt
    >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-30", session=tt.demo())
    >>> cal = tt.WorkCalendar(non_working_projects=["LEAVE"])
    >>> ax = plot_expected_vs_actual(df, cal)
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['03 Mar', '10 Mar', '17 Mar', '24 Mar']
    """
    from matplotlib.colors import TwoSlopeNorm

    what = "plot_expected_vs_actual"
    period = _period(freq)
    ax = _new_axes(ax, (11, 6))
    tt = _tt(df, what)
    word = _PERIOD_WORD[period]
    title = f"Hours logged against expected, per person and {word}{_span(tt)}"
    table = tt.expected_vs_actual(calendar, freq=freq, people=people)
    if table.empty:
        return _no_worklogs(ax, title)

    # 1. Person-by-period grids of logged and expected hours.
    label = table["author"].fillna(table["author_id"]).astype(str)
    label = pd.Series(_person_labels(df, pd.Index(label)), index=table.index)
    keyed = table.assign(label=label)
    actual = keyed.pivot_table(
        index="label", columns=period, values="actual_hours", aggfunc="sum", sort=True
    )
    actual = actual.loc[sorted(actual.index, key=_person_key)]
    expected = keyed.pivot_table(
        index="label", columns=period, values="expected_hours", aggfunc="sum"
    ).reindex_like(actual)
    logged = actual.to_numpy(dtype=float)
    due = expected.to_numpy(dtype=float)
    difference = logged - due
    quiet = (logged == 0) & (due == 0)
    shown = np.ma.masked_array(difference, mask=quiet)

    # 2. Diverging colours around zero, as wide as the largest difference.
    reach = max(1.0, float(np.nanmax(np.abs(difference))) if difference.size else 1.0)
    norm = TwoSlopeNorm(vmin=-reach, vcenter=0.0, vmax=reach)
    image = ax.imshow(shown, cmap="RdBu", norm=norm, aspect="auto")
    bar = ax.figure.colorbar(image, ax=ax, shrink=0.85, pad=0.02)
    bar.set_label("hours logged minus expected")
    rows, columns = actual.shape
    if rows * columns <= 400 and columns <= 16:
        for i in range(rows):
            for j in range(columns):
                if quiet[i, j]:
                    continue
                strong = abs(difference[i, j]) > 0.6 * reach
                ax.text(
                    j,
                    i,
                    f"{logged[i, j]:.0f}/{due[i, j]:.0f}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if strong else "0.15",
                )

    # 3. People down the side, periods along the bottom in the frame's zone.
    ax.set_yticks(range(rows), [str(p) for p in actual.index])
    dates = pd.DatetimeIndex(actual.columns)
    form = {"date": "%d %b", "week": "%d %b", "month": "%b %Y"}[period]
    step = max(1, math.ceil(columns / 18))
    ticks = list(range(0, columns, step))
    ax.set_xticks(ticks, [dates[t].strftime(form) for t in ticks])
    axis_label = {"date": "Day", "week": "Week, from Monday", "month": "Month"}
    ax.set_xlabel(f"{axis_label[period]} ({_zone(df)}); cells: logged/expected hours")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title)
    return ax


def plot_utilization(
    df: pd.DataFrame,
    calendar: WorkCalendar,
    *,
    target: float = 1.0,
    people: Iterable[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Each person's utilization (hours logged over hours expected) against a target.

    Horizontal bars, highest first, with the percentage at the end of each
    bar; bars under ``target`` are orange, the others blue, and a dashed
    line marks the target. People with no hours expected in the range (all
    on leave, say) are listed without a bar.

    Parameters
    ----------
    df : pandas.DataFrame
        A worklog frame.
    calendar : WorkCalendar
        The expected hours (see :meth:`TimetrackerAccessor.utilization`).
    target : float
        The share of expected hours a person should log, such as 0.9.
    people : list of str, optional
        Account ids or names to show; everyone in the frame when omitted.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import tt_notebook as tt
    >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-30", session=tt.demo())
    >>> cal = tt.WorkCalendar(non_working_projects=["LEAVE"])
    >>> ax = plot_utilization(df, cal, target=0.9)
    >>> ax.get_title()
    'Utilization against a target of 90%, 2025-03-03 to 2025-03-30'
    """
    what = "plot_utilization"
    ax = _new_axes(ax, (9, 6))
    tt = _tt(df, what)
    title = f"Utilization against a target of {target:.0%}{_span(tt)}"
    share = tt.utilization(calendar, people=people)
    if share.empty:
        return _no_worklogs(ax, title)

    # 1. Highest at the top; people with nothing expected at the bottom.
    share.index = _person_labels(df, pd.Index(share.index.astype(str)))
    share = share.loc[sorted(share.index, key=_person_key, reverse=True)]
    known = share.dropna().sort_values(ascending=True, kind="stable")
    unknown = share[share.isna()]
    order = pd.concat([unknown, known])
    values = order.fillna(0.0).to_numpy(dtype=float)
    under, over = "#e6862e", "#3b75af"
    # Compared as shown, in whole percent: a bar labelled 90% is not "under"
    # a target of 90%.
    colours = [under if round(v * 100) < round(target * 100) else over for v in values]
    positions = np.arange(len(order))
    ax.barh(positions, values, color=colours, height=0.7)

    # 2. The numbers at the bar ends, the target as a line.
    for y, value, missing in zip(positions, values, order.isna(), strict=True):
        text = "nothing expected" if missing else f"{value:.0%}"
        ax.text(value + 0.01, float(y), text, va="center", fontsize=8, color="0.2")
    line = ax.axvline(target, color="0.2", linestyle="--", linewidth=1)
    from matplotlib.patches import Patch

    ax.legend(
        [line, Patch(color=over), Patch(color=under)],
        [f"target {target:.0%}", "at or over target", "under target"],
        loc="lower right",
        frameon=True,
        framealpha=0.9,
        edgecolor="none",
        fontsize=8,
    )
    ax.set_yticks(positions, [str(p) for p in order.index])
    ax.set_xlim(0, max(float(values.max()), target) * 1.15)
    ax.set_ylim(-0.6, len(order) - 0.1)
    _percent_axis(ax, "x")
    ax.set_xlabel("Hours logged as a share of hours expected")
    ax.grid(axis="x", color="0.88", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_title(title)
    return ax


# -- calendars and clocks ------------------------------------------------------


def _people_mask(df: pd.DataFrame, people: str | Iterable[str] | None) -> pd.Series:
    if people is None:
        return pd.Series(True, index=df.index)
    chosen = [people] if isinstance(people, str) else list(people)
    names = df["author"].astype("string")
    ids = df["author_id"].astype("string")
    mask = names.isin(chosen) | ids.isin(chosen)
    return mask.fillna(False).astype(bool)


def plot_calendar_heatmap(
    df: pd.DataFrame,
    *,
    people: str | Iterable[str] | None = None,
    ax: Axes | None = None,
    cmap: str = "Greens",
) -> Axes:
    """A year-calendar heatmap: one square per day, coloured by the hours logged.

    Columns are ISO weeks, rows Monday to Sunday, months named along the
    top; days outside the range are left blank. Days are local days of the
    frame's zone.

    Parameters
    ----------
    df : pandas.DataFrame
        A worklog frame, typically of a whole year.
    people : str or list of str, optional
        A person (display name or account id) or several; the whole team
        when omitted (the day's hours summed over everyone).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.
    cmap : str
        A matplotlib colour map name.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import tt_notebook as tt
    >>> df = tt.fetch_worklogs("2025-01-01", "2025-03-31", session=tt.demo())
    >>> ax = plot_calendar_heatmap(df, people="Grace Kim")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
    """
    what = "plot_calendar_heatmap"
    ax = _new_axes(ax, (12, 2.5))
    tt = _tt(df, what)
    mine = df.loc[_people_mask(df, people)]
    mine.attrs = dict(df.attrs)
    if people is None:
        who = "whole team"
    elif isinstance(people, str):
        who = people
    else:
        who = ", ".join(people)
    title = f"Hours per day, {who}{_span(tt)} ({_zone(df)})"
    span = tt.span()
    if mine.empty or span is None:
        return _no_worklogs(ax, title)

    # 1. One cell per day: column = week since the first Monday, row = weekday.
    daily = TimetrackerAccessor(mine).totals(freq="D")
    days = pd.DatetimeIndex(daily.index)
    first_monday = days[0] - pd.Timedelta(days=int(days[0].day_of_week))
    week = ((days - first_monday).days // 7).to_numpy()
    weekday = days.day_of_week.to_numpy()
    grid = np.full((7, int(week.max()) + 1), np.nan)
    grid[weekday, week] = daily.to_numpy(dtype=float)
    # Days with nothing logged are grey, days outside the range blank.
    import matplotlib as mpl

    colours = mpl.colormaps[cmap].with_extremes(under="#e6e6e6", bad="white")
    top = max(float(np.nanmax(grid)), 1.0)
    image = ax.imshow(
        np.ma.masked_invalid(grid),
        cmap=colours,
        vmin=1e-9,
        vmax=top,
        aspect="equal",
    )
    bar = ax.figure.colorbar(image, ax=ax, pad=0.01, fraction=0.02, aspect=10)
    bar.set_label("hours (grey: none)")

    # 2. A thin white grid between days; months named above their first week.
    columns = grid.shape[1]
    ax.set_xticks(np.arange(-0.5, columns, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, 7, 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.2)
    ax.tick_params(which="both", length=0)
    firsts = days[days.day == 1]
    if len(firsts) == 0 or firsts[0] != days[0]:
        firsts = pd.DatetimeIndex(days[:1].append(firsts))
    starts = [int((d - first_monday).days // 7) for d in firsts]
    ax.set_xticks(starts, [d.strftime("%b") for d in firsts])
    ax.xaxis.tick_top()
    ax.set_yticks(range(7), list(_WEEKDAYS))
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title, pad=18)
    return ax


def plot_weekday_hour_heatmap(
    df: pd.DataFrame, *, ax: Axes | None = None, cmap: str = "Blues"
) -> Axes:
    """When work starts: hours logged by weekday and local starting hour.

    A 7-by-24 grid of the frame's zone; a worklog counts wholly in the hour
    it starts (the accessor's rule), so a four-hour morning block shows at
    its first hour.

    Parameters
    ----------
    df : pandas.DataFrame
        A worklog frame.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.
    cmap : str
        A matplotlib colour map name.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import tt_notebook as tt
    >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-30", session=tt.demo())
    >>> ax = plot_weekday_hour_heatmap(df)
    >>> ax.get_xlabel()
    'Hour the worklog started (UTC)'
    """
    what = "plot_weekday_hour_heatmap"
    ax = _new_axes(ax, (11, 3.8))
    tt = _tt(df, what)
    title = f"Hours logged by weekday and starting hour{_span(tt)}"
    ax.set_xlabel(f"Hour the worklog started ({_zone(df)})")
    if df.empty:
        return _no_worklogs(ax, title)
    grid = tt.pivot(index="weekday", columns="hour_of_day")
    image = ax.imshow(grid.to_numpy(dtype=float), cmap=cmap, vmin=0.0, aspect="auto")
    bar = ax.figure.colorbar(image, ax=ax, pad=0.01)
    bar.set_label("hours")
    ax.set_yticks(range(7), list(_WEEKDAYS))
    ax.set_xticks(range(24), [f"{h:02d}" for h in range(24)])
    ax.set_xticks(np.arange(-0.5, 24, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, 7, 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    ax.tick_params(which="both", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title)
    return ax


# -- billable work and issues --------------------------------------------------


def plot_billable_share(
    df: pd.DataFrame,
    *,
    freq: str = "W",
    by: str | None = None,
    target: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """The billable share of hours over time, for the team or per project.

    Parameters
    ----------
    df : pandas.DataFrame
        A worklog frame.
    freq : {"W", "D", "M"}
        One point per ISO week (labelled by its Monday), day or month.
    by : str, optional
        ``"project"`` (or another grouping) for one line per group, in the
        group's colour, beside the black line of all work.
    target : float, optional
        A share to mark with a dashed line, such as 0.75.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        A period with nothing logged has no point (a gap in the line).

    Examples
    --------
    >>> import tt_notebook as tt
    >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-30", session=tt.demo())
    >>> ax = plot_billable_share(df, by="project")
    >>> [line.get_label() for line in ax.get_lines()][:3]
    ['all work', 'DATA', 'INT']
    """
    what = "plot_billable_share"
    period = _period(freq)
    ax = _new_axes(ax, (11, 4.5))
    tt = _tt(df, what)
    group = None if by is None else _group(df, by, what)
    word = _PERIOD_WORD[period]
    per = f" by {_LABEL.get(group, group)}" if group else ""
    title = f"Billable share of hours per {word}{per}{_span(tt)}"
    axis_label = {"date": "Day", "week": "Week, from Monday", "month": "Month"}
    ax.set_xlabel(f"{axis_label[period]} ({_zone(df)})")
    ax.set_ylabel("Billable share")
    if df.empty:
        return _no_worklogs(ax, title)

    # 1. The share of all work, every period of the range (NaN: nothing);
    # a week's point sits mid-week, as a week's bar would.
    periods = pd.DatetimeIndex(tt.totals(freq=freq).index)
    centre = {"date": 0.0, "week": 3.0, "month": 14.0}[period]
    x = periods + pd.Timedelta(days=centre)
    overall = tt.billable_share(by=period)["billable_share"].reindex(periods)
    marker = "o" if len(periods) <= 60 else None
    ax.plot(
        x,
        overall.to_numpy(dtype=float),
        color="black",
        linewidth=2.4,
        marker=marker,
        markersize=4,
        label="all work",
        zorder=3,
    )

    # 2. One thinner line per group, in the group's colour; a group never
    # billable in the range (leave) would only draw a line along zero.
    if group is not None:
        parts = tt.billable_share(by=[period, group])
        billed = parts["billable_hours"].groupby(level=group).sum()
        shares = parts["billable_share"]
        table = shares.unstack(group).reindex(periods)
        table = table[[c for c in table.columns if billed.get(c, 0.0) > 0]]
        if group == "author":
            table.columns = _person_labels(df, pd.Index(table.columns))
        colours = _colour_map(group)
        cycle = _palette()
        for i, name in enumerate(table.columns):
            colour = colours[name] if colours is not None else cycle[i % len(cycle)]
            ax.plot(
                x,
                table[name].to_numpy(dtype=float),
                color=colour,
                linewidth=1.4,
                marker=marker,
                markersize=3,
                label=str(name),
            )

    # 3. A percent axis from 0 to 100 %, the target dashed, legend outside.
    if target is not None:
        ax.axhline(
            target,
            color="0.3",
            linestyle="--",
            linewidth=1,
            label=f"target {target:.0%}",
        )
    ax.set_ylim(-0.02, 1.02)
    _percent_axis(ax, "y")
    if period == "week":
        _period_ticks(ax, periods, centre, "%d %b")
    else:
        _date_axis(ax)
    ax.grid(color="0.88", linewidth=0.6)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_title(title)
    return ax


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def plot_top_issues(df: pd.DataFrame, n: int = 10, *, ax: Axes | None = None) -> Axes:
    """Horizontal bars of the ``n`` issues with the most hours, in project colours.

    Parameters
    ----------
    df : pandas.DataFrame
        A worklog frame.
    n : int
        How many issues to show.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import tt_notebook as tt
    >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-30", session=tt.demo())
    >>> ax = plot_top_issues(df, 3)
    >>> ax.get_yticklabels()[-1].get_text()  # the largest, at the top
    'LEAVE-1  Vacation'
    """
    what = "plot_top_issues"
    ax = _new_axes(ax, (10, 0.42 * max(n, 4) + 1.2))
    tt = _tt(df, what)
    title = f"Top {n} issues by hours{_span(tt)}"
    top = tt.top_issues(n)
    if top.empty:
        return _no_worklogs(ax, title)

    # 1. Largest at the top; each bar in its project's colour.
    top = top.iloc[::-1]
    projects = top["project_key"].fillna(UNKNOWN).astype(str)
    colours = project_colours.colours(projects)
    positions = np.arange(len(top))
    hours = top["hours"].to_numpy(dtype=float)
    ax.barh(positions, hours, color=colours, height=0.7)
    summaries = top["issue_summary"].fillna("").astype(str)
    labels = [
        f"{key}  {_shorten(summary, 42)}".rstrip()
        for key, summary in zip(top.index.astype(str), summaries, strict=True)
    ]
    ax.set_yticks(positions, labels)

    # 2. Hours at the bar ends; a legend of the projects shown.
    for y, value in zip(positions, hours, strict=True):
        ax.text(value, float(y), f" {value:,.1f} h", va="center", fontsize=8)
    ax.set_xlim(0, float(hours.max()) * 1.15)
    from matplotlib.patches import Patch

    shown = sorted(set(projects))
    ax.legend(
        [Patch(color=project_colours[p]) for p in shown],
        shown,
        title="project",
        loc="lower right",
        frameon=False,
    )
    ax.set_xlabel("Hours")
    ax.grid(axis="x", color="0.88", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_title(title)
    return ax


# -- budgets -------------------------------------------------------------------


def plot_burnup(
    df: pd.DataFrame,
    project: str,
    budget: float,
    *,
    pace_days: int = 28,
    ax: Axes | None = None,
) -> Axes:
    """Burn-up of a project: hours logged so far, day by day, against a budget.

    The line climbs by each local day's hours on the project; a dashed line
    marks the budget. When the budget was reached the day is marked; when
    not, a dotted line carries on at the pace of the last ``pace_days``
    days to say when it would be.

    Parameters
    ----------
    df : pandas.DataFrame
        A worklog frame; the burn-up starts at its first day.
    project : str
        Project key (``"WEB"``), numeric id (``"10000"``) or name.
    budget : float
        The project's budget in hours.
    pace_days : int
        How many days at the end of the range set the pace of the forecast.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import tt_notebook as tt
    >>> df = tt.fetch_worklogs("2025-01-01", "2025-03-31", session=tt.demo())
    >>> ax = plot_burnup(df, "MOB", budget=1500)
    >>> ax.get_title()
    'MOB burn-up against a budget of 1,500 h, 2025-01-01 to 2025-03-31'
    """
    import matplotlib.dates as mdates

    what = "plot_burnup"
    if budget <= 0:
        raise ValueError(f"budget must be a positive number of hours, not {budget!r}.")
    tt = _tt(df, what)
    ax = _new_axes(ax, (11, 4.5))
    match = (
        (df["project_key"].astype("string") == project)
        | (df["project_id"].astype("string") == project)
        | (df["project_name"].astype("string") == project)
    ).fillna(False)
    keys = df.loc[match.astype(bool), "project_key"].astype("string").dropna().unique()
    key = str(keys[0]) if len(keys) else project
    title = f"{key} burn-up against a budget of {budget:,.0f} h{_span(tt)}"
    ax.set_xlabel(f"Day ({_zone(df)})")
    ax.set_ylabel("Hours logged, cumulative")
    mine = df.loc[match.astype(bool)]
    mine.attrs = dict(df.attrs)
    if mine.empty:
        return _no_worklogs(ax, title)

    # 1. The cumulative line, every day of the range, in the project's colour.
    per_day = _series(TimetrackerAccessor(mine).totals(freq="D"))
    daily = per_day.to_numpy(dtype=float)
    burned = np.cumsum(daily)
    days = pd.DatetimeIndex(per_day.index)
    x = np.asarray(mdates.date2num(days), dtype=float)
    colour = project_colours[key]
    ax.fill_between(x, burned, color=colour, alpha=0.15)
    ax.plot(x, burned, color=colour, linewidth=2)
    ax.axhline(budget, color="0.2", linestyle="--", linewidth=1)
    ax.text(x[0], budget, f" budget {budget:,.0f} h", va="top", fontsize=9)

    # 2. The day the budget ran out, or when it would at the recent pace.
    total = float(burned[-1])
    top = max(budget, total)
    note = f"{total:,.0f} h logged: {total / budget:.0%} of the budget"
    if total >= budget:
        first = int(np.argmax(burned >= budget))
        ax.plot([x[first]], [burned[first]], "o", color="black")
        ax.annotate(
            f"budget reached {days[first].date()}",
            (x[first], burned[first]),
            xytext=(-8, 10),
            textcoords="offset points",
            ha="right",
            fontsize=9,
            color="black",
        )
    else:
        recent = daily[-pace_days:]
        pace = float(recent.sum()) / max(1, len(recent))
        if pace > 0:
            left = math.ceil((budget - total) / pace)
            end = days[-1] + pd.Timedelta(days=left)
            note += f"; at the pace of the last {len(recent)} days, used up "
            note += str(end.date())
            # A forecast far past the range would squeeze the range to a sliver.
            if left <= 2 * len(days):
                ax.plot(
                    [x[-1], float(mdates.date2num(end))],
                    [total, budget],
                    linestyle=":",
                    color=colour,
                    linewidth=1.6,
                    label=f"at {pace:.1f} h a day",
                )
    ax.text(
        0.01,
        0.97,
        note,
        transform=ax.transAxes,
        va="top",
        fontsize=9,
        color="0.2",
    )
    ax.set_ylim(0, top * 1.15)
    _date_axis(ax)
    ax.grid(color="0.88", linewidth=0.6)
    ax.set_axisbelow(True)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="lower right", frameon=False)
    ax.set_title(title)
    return ax


# -- df.tt.plot ----------------------------------------------------------------


class PlotAccessor:
    """The charts of one worklog frame, as ``df.tt.plot``.

    Each method is the chart function of the same name (``hours_by_day`` is
    :func:`plot_hours_by_day`, and so on) with the frame filled in; calling
    the namespace itself draws :func:`plot_hours`.

    Examples
    --------
    >>> import tt_notebook as tt
    >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-09", session=tt.demo())
    >>> ax = df.tt.plot.hours_by_day(by="person")
    >>> ax.get_legend().get_title().get_text()
    'person'
    """

    def __init__(self, df: pd.DataFrame) -> None:
        self._df = df

    def __call__(
        self,
        by: str = "project",
        *,
        freq: str = "D",
        ax: Axes | None = None,
        top: int = 10,
    ) -> Axes:
        """Stacked hours per period: :func:`plot_hours`."""
        return plot_hours(self._df, by, freq=freq, ax=ax, top=top)

    def hours_by_day(
        self, by: str = "project", *, ax: Axes | None = None, top: int = 10
    ) -> Axes:
        """Stacked hours per day: :func:`plot_hours_by_day`."""
        return plot_hours_by_day(self._df, by, ax=ax, top=top)

    def hours_by_week(
        self, by: str = "project", *, ax: Axes | None = None, top: int = 10
    ) -> Axes:
        """Stacked hours per ISO week: :func:`plot_hours_by_week`."""
        return plot_hours_by_week(self._df, by, ax=ax, top=top)

    def expected_vs_actual(
        self,
        calendar: WorkCalendar,
        *,
        freq: str = "W",
        people: Iterable[str] | None = None,
        ax: Axes | None = None,
    ) -> Axes:
        """Logged against expected hours: :func:`plot_expected_vs_actual`."""
        return plot_expected_vs_actual(
            self._df, calendar, freq=freq, people=people, ax=ax
        )

    def utilization(
        self,
        calendar: WorkCalendar,
        *,
        target: float = 1.0,
        people: Iterable[str] | None = None,
        ax: Axes | None = None,
    ) -> Axes:
        """Utilization per person against a target: :func:`plot_utilization`."""
        return plot_utilization(self._df, calendar, target=target, people=people, ax=ax)

    def calendar_heatmap(
        self,
        *,
        people: str | Iterable[str] | None = None,
        ax: Axes | None = None,
        cmap: str = "Greens",
    ) -> Axes:
        """Hours per day as a year calendar: :func:`plot_calendar_heatmap`."""
        return plot_calendar_heatmap(self._df, people=people, ax=ax, cmap=cmap)

    def weekday_hour_heatmap(
        self, *, ax: Axes | None = None, cmap: str = "Blues"
    ) -> Axes:
        """Hours by weekday and starting hour: :func:`plot_weekday_hour_heatmap`."""
        return plot_weekday_hour_heatmap(self._df, ax=ax, cmap=cmap)

    def billable_share(
        self,
        *,
        freq: str = "W",
        by: str | None = None,
        target: float | None = None,
        ax: Axes | None = None,
    ) -> Axes:
        """Billable share over time: :func:`plot_billable_share`."""
        return plot_billable_share(self._df, freq=freq, by=by, target=target, ax=ax)

    def top_issues(self, n: int = 10, *, ax: Axes | None = None) -> Axes:
        """The issues with the most hours: :func:`plot_top_issues`."""
        return plot_top_issues(self._df, n, ax=ax)

    def burnup(
        self,
        project: str,
        budget: float,
        *,
        pace_days: int = 28,
        ax: Axes | None = None,
    ) -> Axes:
        """A project's hours against its budget: :func:`plot_burnup`."""
        return plot_burnup(self._df, project, budget, pace_days=pace_days, ax=ax)
