"""The ``df.tt`` accessor: the questions people ask of a timesheet.

Importing :mod:`tt_notebook` registers it on every DataFrame. It works on a
worklog frame (:func:`tt_notebook.fetch_worklogs`), checks its columns when
first used, never changes the frame, and returns new frames and Series.

Three rules hold in every method:

- Durations are summed as exact nanosecond integers and turned into hours
  once, at the end; ``values="duration"`` returns the exact sums instead.
- Days, weeks, months and hours are those of the frame's time zone; a
  worklog counts wholly on the day (and in the hour) it starts.
- Groups are the ones present in the frame (``observed=True``); a period
  axis lists every period of the frame's range, zero where nothing was logged.
"""

from __future__ import annotations

import importlib.util
import os
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, Literal, TypeAlias, cast

import numpy as np
import pandas as pd

from .calendar import WorkCalendar
from .config import DateLike, parse_date

if TYPE_CHECKING:
    from .plotting import PlotAccessor

__all__ = [
    "GROUPS",
    "REQUIRED_COLUMNS",
    "UNTAGGED",
    "TimetrackerAccessor",
]

#: Columns the accessor needs; a frame without one of them has no ``.tt``.
REQUIRED_COLUMNS = (
    "worklog_id",
    "issue_key",
    "issue_summary",
    "project_id",
    "project_key",
    "author_id",
    "author",
    "start",
    "date",
    "duration",
    "billable",
    "tags",
)

#: Friendly group names: what each means. Any column name works as well.
GROUPS = {
    "project": "project key",
    "issue": "issue key",
    "author": "person, by account id, labelled with the display name",
    "person": "the same as author",
    "tag": "tag name, once per tag of a worklog; UNTAGGED when it has none",
    "billable": "billable flag",
    "date": "local calendar day (also 'day')",
    "week": "ISO week, labelled by its Monday",
    "month": "calendar month, labelled by its first day",
    "hour": "local hour, as a zone-aware instant: 23 or 25 on clock-change days",
    "hour_of_day": "hour of the local clock, 0 to 23",
    "weekday": "0 for Monday to 6 for Sunday",
}

#: The tag label of worklogs without tags in tag totals.
UNTAGGED = "(untagged)"

#: ``freq`` values and the period key each one means.
FREQS = {"h": "hour", "D": "date", "W": "week", "W-MON": "week", "M": "month"}
FREQS.update({"MS": "month", "ME": "month"})

_COLUMN_OF = {"project": "project_key", "issue": "issue_key", "billable": "billable"}
_PERIODS = ("date", "week", "month", "hour", "hour_of_day", "weekday")
# Typed loosely: pandas-stubs do not know that frames divide by a Timedelta.
_HOUR: Any = pd.Timedelta(hours=1)
_ZERO: Any = pd.Timedelta(0)
_NS_HOUR = 3_600_000_000_000
_NS_DAY = 24 * _NS_HOUR

Values: TypeAlias = Literal["hours", "duration"]
Keys: TypeAlias = str | Sequence[str] | None
PathOrBuffer: TypeAlias = str | os.PathLike[str] | IO[bytes]


def _names(keys: Keys) -> list[str]:
    if keys is None:
        return []
    if isinstance(keys, str):
        return [keys]
    return list(keys)


def _require(module: str, what: str) -> None:
    # Optional extras fail where they are used, with the command that helps.
    if importlib.util.find_spec(module) is None:
        raise ImportError(f"{what} needs {module}: pip install 'tt_notebook[export]'.")


def _check_values(values: str) -> None:
    if values not in ("hours", "duration"):
        raise ValueError(f"values must be 'hours' or 'duration', not {values!r}.")


def _as_values(obj: Any, values: Values) -> Any:
    return obj / _HOUR if values == "hours" else obj


def _categorical(series: pd.Series) -> pd.Categorical:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return cast(pd.Categorical, series.array)
    return pd.Categorical(series)


def _column(series: pd.Series) -> Any:
    # Extension arrays (categorical, Arrow strings) group much faster as
    # themselves than as the object arrays to_numpy would make of them.
    if isinstance(series.dtype, pd.api.extensions.ExtensionDtype):
        return series.array
    return series.to_numpy()


def _plain(index: pd.Index) -> pd.Index:
    # Group labels leave as plain values: a categorical index would carry the
    # frame's unobserved categories into the caller's next groupby.
    if isinstance(index, pd.CategoricalIndex):
        return index.astype(index.categories.dtype)
    return index


def _day_starts(days: pd.DatetimeIndex, zone: zoneinfo.ZoneInfo) -> pd.DatetimeIndex:
    """The first instant of each local day, also where midnight is skipped."""
    return days.tz_localize(
        zone, ambiguous=np.ones(len(days), dtype=bool), nonexistent="shift_forward"
    )


@dataclass(frozen=True)
class _Key:
    name: str
    values: Any  # one value per (possibly tag-exploded) row


@pd.api.extensions.register_dataframe_accessor("tt")
class TimetrackerAccessor:
    """Timesheet answers on a worklog frame, as ``df.tt``.

    Parameters
    ----------
    df : pandas.DataFrame
        A worklog frame: every column of :data:`REQUIRED_COLUMNS`, ``start``
        zone-aware, ``date`` naive, ``duration`` a timedelta.

    Raises
    ------
    AttributeError
        Naming the columns that are missing or of the wrong kind (so
        ``hasattr(df, "tt")`` is False for other frames).

    Examples
    --------
    >>> import pandas as pd
    >>> import tt_notebook as tt
    >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-09", session=tt.demo())
    >>> float(df.tt.totals(freq="D").sum()) == float(df["hours"].sum())
    True
    >>> pd.DataFrame({"x": [1]}).tt  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AttributeError: df.tt needs a worklog frame; this one lacks the columns [...]...
    """

    def __init__(self, df: pd.DataFrame) -> None:
        missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
        if missing:
            raise AttributeError(
                f"df.tt needs a worklog frame; this one lacks the columns {missing}. "
                "Use a frame from tt_notebook.fetch_worklogs (columns: "
                "tt_notebook.WORKLOG_COLUMNS)."
            )
        wrong = []
        if not isinstance(df["start"].dtype, pd.DatetimeTZDtype):
            wrong.append("start (zone-aware datetimes)")
        if df["date"].dtype.kind != "M" or isinstance(
            df["date"].dtype, pd.DatetimeTZDtype
        ):
            wrong.append("date (naive datetimes)")
        if df["duration"].dtype.kind != "m":
            wrong.append("duration (timedeltas)")
        if wrong:
            raise AttributeError(
                f"df.tt needs a worklog frame; these columns have the wrong dtype: "
                f"{', '.join(wrong)}."
            )
        self._df = df

    # -- the frame's calendar ------------------------------------------------

    @property
    def timezone(self) -> str:
        """The IANA zone of ``start`` and ``date``."""
        return str(self._zone)

    @property
    def _zone(self) -> zoneinfo.ZoneInfo:
        dtype: Any = self._df["start"].dtype
        tz = dtype.tz
        if isinstance(tz, zoneinfo.ZoneInfo):
            return tz
        return zoneinfo.ZoneInfo(str(tz))

    @property
    def plot(self) -> PlotAccessor:
        """The charts of this frame: ``df.tt.plot.hours_by_week()`` and others.

        Each method is a chart of :mod:`tt_notebook.plotting` with this frame
        filled in; matplotlib is imported on first use.
        """
        from .plotting import PlotAccessor

        return PlotAccessor(self._df)

    def _dates(self) -> np.ndarray:
        return self._df["date"].to_numpy().astype("datetime64[ns]", copy=False)

    def _durations(self) -> np.ndarray:
        return self._df["duration"].to_numpy().astype("timedelta64[ns]", copy=False)

    def _starts(self) -> pd.DatetimeIndex:
        return pd.DatetimeIndex(self._df["start"]).as_unit("ns")

    def span(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """First and last day of the frame's range (naive midnights), or None.

        The range is ``attrs["start"]`` to ``attrs["end"]`` (set by
        :func:`~tt_notebook.fetch_worklogs`), widened to any worklog outside
        it; without attrs, the first and last worklog's days. None for an
        empty frame without attrs.

        Examples
        --------
        >>> import tt_notebook as tt
        >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-09", session=tt.demo())
        >>> [str(day.date()) for day in df.tt.span()]
        ['2025-03-03', '2025-03-09']
        """
        bounds: list[pd.Timestamp] = []
        attrs = self._df.attrs
        try:
            if attrs.get("start") and attrs.get("end"):
                bounds += [pd.Timestamp(attrs["start"]), pd.Timestamp(attrs["end"])]
        except (TypeError, ValueError):
            bounds = []
        dates = self._dates()
        low: Any = dates.min() if len(dates) else None
        high: Any = dates.max() if len(dates) else None
        if low is not None and (np.isnat(low) or np.isnat(high)):
            # NaT wins numpy's min and max; rare, so only then filter it out.
            present = dates[~np.isnat(dates)]
            low, high = (present.min(), present.max()) if len(present) else (None, None)
        if low is not None:
            bounds += [pd.Timestamp(low), pd.Timestamp(high)]
        if not bounds:
            return None
        return min(bounds).normalize(), max(bounds).normalize()

    def _full(self, name: str) -> pd.Index | None:
        """Every period of the range for a period key; None for other keys."""
        if name not in _PERIODS:
            return None
        if name == "hour_of_day":
            return pd.Index(np.arange(24, dtype="int64"), name=name)
        if name == "weekday":
            return pd.Index(np.arange(7, dtype="int64"), name=name)
        span = self.span()
        if span is None:
            if name == "hour":
                empty = pd.DatetimeIndex([], dtype=pd.DatetimeTZDtype("ns", self._zone))
                return empty.rename(name)
            return pd.DatetimeIndex([], dtype="datetime64[ns]", name=name)
        first, last = span
        if name == "date":
            return pd.date_range(first, last, freq="D", name=name, unit="ns")
        if name == "week":
            monday = first - pd.Timedelta(days=first.day_of_week)
            return pd.date_range(monday, last, freq="7D", name=name, unit="ns")
        if name == "month":
            return pd.date_range(
                first.replace(day=1), last, freq="MS", name=name, unit="ns"
            )
        bounds = _day_starts(
            pd.DatetimeIndex([first, last + pd.Timedelta(days=1)]), self._zone
        )
        hours = pd.date_range(bounds[0], bounds[1], freq="h", inclusive="left")
        return hours.as_unit("ns").rename(name)

    # -- grouping keys -------------------------------------------------------

    def _explode_tags(self) -> tuple[np.ndarray, pd.Series]:
        """Row positions and tag names, one pair per tag (NA for no tags)."""
        lists = pd.Series(self._df["tags"].to_numpy(), dtype="object")
        exploded = lists.explode()
        return exploded.index.to_numpy(), exploded.reset_index(drop=True)

    def _key(self, name: str, take: np.ndarray | None, tags: pd.Series | None) -> _Key:
        df = self._df
        label = "date" if name == "day" else name
        if label == "person":
            label = "author"

        def rows(values: Any) -> Any:
            return values if take is None else values[take]

        if label == "tag":
            assert tags is not None
            codes, found = pd.factorize(tags.to_numpy(), sort=True)
            names = pd.Index(found, dtype="string")
            if UNTAGGED not in names:
                names = names.append(pd.Index([UNTAGGED], dtype="string"))
            codes[codes < 0] = names.get_loc(UNTAGGED)
            return _Key(label, pd.Categorical.from_codes(codes, names))
        if label == "author":
            return _Key(label, rows(_categorical(df["author_id"])))
        if label in _COLUMN_OF:
            return _Key(label, rows(_column(df[_COLUMN_OF[label]])))
        if label == "date":
            # Already local midnights; grouping them as they are is fastest.
            return _Key(label, rows(self._dates()))
        if label in ("week", "month", "weekday"):
            days = self._dates().astype("datetime64[D]")
            if label == "month":
                values = days.astype("datetime64[M]").astype("datetime64[ns]")
            else:
                number = days.view("int64")
                weekday = (number + 3) % 7  # 1970-01-01 was a Thursday
                if label == "weekday":
                    values = weekday
                else:
                    values = (
                        (number - weekday)
                        .astype("datetime64[D]")
                        .astype("datetime64[ns]")
                    )
            return _Key(label, rows(values))
        if label in ("hour", "hour_of_day"):
            starts = self._starts()
            utc = starts.asi8
            wall = starts.tz_localize(None).asi8
            if label == "hour_of_day":
                return _Key(label, rows((wall // _NS_HOUR) % 24))
            # Floor the local wall clock to the hour, then step back by the
            # start's own offset: right on both sides of a clock change.
            floored = wall - wall % _NS_HOUR - (wall - utc)
            hours = pd.DatetimeIndex(floored, tz="UTC").tz_convert(self._zone)
            return _Key(label, rows(hours.array))
        if label in df.columns:
            return _Key(label, rows(_column(df[label])))
        raise ValueError(
            f"Unknown grouping {name!r}: use one of {sorted(GROUPS)} or a column of "
            "the frame."
        )

    def _keys(self, names: Sequence[str]) -> tuple[list[_Key], np.ndarray | None]:
        take: np.ndarray | None = None
        tags: pd.Series | None = None
        if "tag" in names:
            take, tags = self._explode_tags()
        return [self._key(n, take, tags) for n in names], take

    def _name_slots(self, wanted: np.ndarray | None) -> np.ndarray:
        """Per account-id code, the code of its display name (-1 none, -2 absent).

        Every row of one account carries the same name, so any row of it
        will do: for the ``wanted`` id codes a sample of rows is read first,
        and all rows only if some wanted id was not in it.
        """
        ids = _categorical(self._df["author_id"])
        codes = np.asarray(ids.codes)
        name_codes = np.asarray(_categorical(self._df["author"]).codes)
        # One spare slot at the end takes the rows whose id is missing (-1).
        slot = np.full(len(ids.categories) + 1, -2, dtype=np.int64)
        full = wanted is None
        if wanted is not None:
            step = max(1, len(codes) // 4096)
            slot[codes[::step]] = name_codes[::step]
            full = bool((slot[wanted[wanted >= 0]] == -2).any())
        if full:
            slot[codes] = name_codes
        return slot

    def _author_labels(self, ids: pd.Index) -> pd.Index:
        """Account ids (a categorical index) as display names, or the id."""
        if not isinstance(ids, pd.CategoricalIndex):
            ids = pd.CategoricalIndex(ids)
        codes = np.asarray(ids.codes)
        named = self._name_slots(codes)[codes]
        names = np.asarray(_categorical(self._df["author"]).categories, dtype=object)
        accounts = np.asarray(ids.categories, dtype=object)
        labels: list[str | None] = [
            None if c < 0 else (names[n] if n >= 0 else accounts[c])
            for c, n in zip(codes.tolist(), named.tolist(), strict=True)
        ]
        return pd.Index(pd.array(labels, dtype="string"), name=ids.name)

    def _author_names(self) -> dict[str, str | None]:
        """Display name of each account id in the frame (None when unknown)."""
        ids = _categorical(self._df["author_id"])
        names = _categorical(self._df["author"]).categories
        return {
            str(ids.categories[i]): (None if code < 0 else str(names[code]))
            for i, code in enumerate(self._name_slots(None)[:-1].tolist())
            if code != -2
        }

    def _sum(
        self, names: Sequence[str], columns: Mapping[str, np.ndarray]
    ) -> pd.DataFrame:
        """Exact timedelta sums of ``columns`` per combination of ``names``."""
        keys, take = self._keys(names)
        values = {c: (v if take is None else v[take]) for c, v in columns.items()}
        rows = pd.RangeIndex(len(next(iter(values.values()))))
        # Series keys: a plain list of arrays as long as the frame would be
        # read as one key per row.
        by = [pd.Series(k.values, index=rows, copy=False) for k in keys]
        options: dict[str, Any] = {"observed": True, "dropna": False, "sort": True}
        grouped: pd.DataFrame
        if len(values) == 1:
            # A Series groups a little faster than a one-column frame.
            ((name, array),) = values.items()
            series = pd.Series(array, index=rows, name=name, copy=False)
            grouped = series.groupby(by, **options).sum().to_frame()
        else:
            data = pd.DataFrame(values, index=rows, copy=False)
            grouped = data.groupby(by, **options).sum()
        # Plain labels; account ids become names.
        levels = []
        for position, key in enumerate(keys):
            level = grouped.index.get_level_values(position)
            level = (
                self._author_labels(level) if key.name == "author" else _plain(level)
            )
            levels.append(level.rename(key.name))
        grouped.index = (
            levels[0] if len(levels) == 1 else pd.MultiIndex.from_arrays(levels)
        )
        # Sorted by label: a categorical's own order is that of first
        # appearance in the data, and people are listed by name, not id.
        return grouped.sort_index(kind="stable")

    def _complete(self, frame: Any, name: str, axis: int = 0) -> Any:
        full = self._full(name)
        if full is None:
            return frame
        if axis == 0:
            return frame.reindex(full, fill_value=_ZERO)
        return frame.reindex(columns=full, fill_value=_ZERO)

    # -- totals and pivots ---------------------------------------------------

    def totals(
        self, by: Keys = None, *, freq: str | None = None, values: Values = "hours"
    ) -> pd.Series | pd.DataFrame:
        """Time logged per group, per period, or per period and group.

        Parameters
        ----------
        by : str or list of str, optional
            Group names (see :data:`GROUPS`: ``"project"``, ``"issue"``,
            ``"author"``, ``"tag"``, ``"billable"``, ``"week"``...) or
            column names.
        freq : {"h", "D", "W", "M"}, optional
            Period: local hour, day, ISO week (labelled by its Monday) or
            month (labelled by its first day).
        values : {"hours", "duration"}
            Hours as float64, or the exact sums as timedelta64[ns].

        Returns
        -------
        pandas.Series or pandas.DataFrame
            A Series per group or per period (sorted by key); with both
            ``freq`` and ``by``, a DataFrame with one row per period and one
            column per group. Every period of the range is present, zero
            where nothing was logged.

        Notes
        -----
        In tag totals a worklog with two tags counts once under each, so
        they add up to more than the frame's total; worklogs without tags
        count under :data:`UNTAGGED`. ``by="author"`` groups by account id
        and labels each with the display name (the id when the name is
        missing, as for a deleted user).

        Examples
        --------
        >>> import tt_notebook as tt
        >>> session = tt.demo(timezone="Europe/Budapest")
        >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-09", session=session)
        >>> df.tt.totals(freq="D").round(1).tolist()
        [124.0, 117.0, 134.5, 139.4, 139.9, 0.0, 3.0]
        >>> df.tt.totals(by="project").round(1)["WEB"]
        np.float64(141.6)
        >>> df.tt.totals(by="project", freq="W").shape
        (1, 7)
        """
        _check_values(values)
        names = _names(by)
        if freq is not None:
            if freq not in FREQS:
                raise ValueError(
                    f"freq must be one of {sorted(set(FREQS))}, not {freq!r}."
                )
            names = [FREQS[freq], *names]
        if not names:
            raise ValueError("Give by= (such as 'project') or freq= (such as 'D').")
        sums = self._duration_by(names)
        result: pd.Series | pd.DataFrame
        if freq is not None and len(names) > 1:
            levels = list(range(1, len(names)))
            wide = sums.unstack(level=levels, fill_value=_ZERO)
            result = _as_values(self._complete(wide, names[0]), values)
        else:
            result = _as_values(sums.rename(values), values)
        return result

    def _duration_by(self, names: Sequence[str]) -> pd.Series:
        """Exact sums per group; every period when grouped by one period key."""
        sums: pd.Series = self._sum(names, {"duration": self._durations()})["duration"]
        if len(names) == 1:
            sums = self._complete(sums, names[0])
        return sums

    def pivot(
        self,
        index: str | Sequence[str] = "author",
        columns: str | Sequence[str] = "week",
        *,
        values: Values = "hours",
    ) -> pd.DataFrame:
        """Time logged as a table: a row per ``index`` group, a column per ``columns``.

        Parameters
        ----------
        index, columns : str or list of str
            Group names as in :meth:`totals` (periods included).
        values : {"hours", "duration"}
            Hours as float64, or exact timedelta64[ns] sums.

        Returns
        -------
        pandas.DataFrame
            Zero where nothing was logged; a period axis of one level lists
            every period of the range.

        Examples
        --------
        >>> import tt_notebook as tt
        >>> df = tt.fetch_worklogs("2025-03-01", "2025-03-31", session=tt.demo())
        >>> table = df.tt.pivot(index="author", columns="week")
        >>> [week.strftime("%d %b") for week in table.columns]
        ['24 Feb', '03 Mar', '10 Mar', '17 Mar', '24 Mar', '31 Mar']
        """
        _check_values(values)
        rows, cols = _names(index), _names(columns)
        if not rows or not cols:
            raise ValueError("pivot needs both index= and columns=.")
        sums = self._sum([*rows, *cols], {"duration": self._durations()})["duration"]
        levels = list(range(len(rows), len(rows) + len(cols)))
        table = sums.unstack(level=levels, fill_value=_ZERO)
        if len(rows) == 1:
            table = self._complete(table, rows[0])
        if len(cols) == 1:
            table = self._complete(table, cols[0], axis=1)
        result: pd.DataFrame = _as_values(table, values)
        return result

    def billable_share(self, by: Keys = None) -> pd.DataFrame:
        """Billable and non-billable hours, and the billable share, per group.

        Parameters
        ----------
        by : str or list of str, optional
            Groups as in :meth:`totals`; one row labelled ``"total"`` when
            omitted.

        Returns
        -------
        pandas.DataFrame
            Columns ``billable_hours``, ``non_billable_hours``,
            ``total_hours`` and ``billable_share`` (0 to 1; NaN where nothing
            was logged). A worklog whose flag is missing counts as
            non-billable.

        Examples
        --------
        >>> import tt_notebook as tt
        >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-09", session=tt.demo())
        >>> share = df.tt.billable_share(by="project")
        >>> float(share.loc["LEAVE", "billable_share"])
        0.0
        >>> list(share.columns)
        ['billable_hours', 'non_billable_hours', 'total_hours', 'billable_share']
        """
        durations = self._durations()
        flags = self._df["billable"].to_numpy(dtype=bool, na_value=False)
        billable = np.where(flags, durations, np.timedelta64(0, "ns"))
        columns = {"total": durations, "billable": billable}
        names = _names(by)
        if names:
            sums = self._sum(names, columns)
        else:
            totals = {c: pd.Series(v).sum() for c, v in columns.items()}
            sums = pd.DataFrame(totals, index=pd.Index(["total"], dtype="string"))
        total = sums["total"] / _HOUR
        paid = sums["billable"] / _HOUR
        share = (sums["billable"] / sums["total"]).where(sums["total"] > _ZERO)
        return pd.DataFrame(
            {
                "billable_hours": paid,
                "non_billable_hours": (sums["total"] - sums["billable"]) / _HOUR,
                "total_hours": total,
                "billable_share": share.astype("float64"),
            },
            index=sums.index,
        )

    def top_issues(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` issues with the most time logged.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``issue_key``; columns ``issue_summary``,
            ``project_key``, ``hours`` and ``worklogs``, largest first (ties
            by key).

        Examples
        --------
        >>> import tt_notebook as tt
        >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-09", session=tt.demo())
        >>> top = df.tt.top_issues(3)
        >>> list(top.columns), len(top)
        (['issue_summary', 'project_key', 'hours', 'worklogs'], 3)
        """
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"n must be a whole number of issues, not {n!r}.")
        df = self._df
        data = pd.DataFrame(
            {"duration": self._durations(), "row": np.arange(len(df))}, copy=False
        )
        grouped = data.groupby(_column(df["issue_key"]), dropna=False, sort=True)
        sums = grouped["duration"].sum()
        order = np.argsort(-sums.to_numpy().view("int64"), kind="stable")[:n]
        rows = grouped["row"].min().to_numpy()[order]
        return pd.DataFrame(
            {
                "issue_summary": df["issue_summary"].array.take(rows).astype("string"),
                "project_key": df["project_key"].array.take(rows).astype("string"),
                "hours": (sums.iloc[order] / _HOUR).to_numpy(),
                "worklogs": grouped.size().to_numpy(dtype="int64")[order],
            },
            index=pd.Index(sums.index[order], dtype="string", name="issue_key"),
        )

    def compare(
        self,
        other: pd.DataFrame,
        by: Keys = "project",
        *,
        labels: tuple[str, str] = ("this", "other"),
    ) -> pd.DataFrame:
        """Hours per group here and in ``other`` (another period), side by side.

        Parameters
        ----------
        other : pandas.DataFrame
            A worklog frame of the period to compare with.
        by : str or list of str
            Groups as in :meth:`totals`.
        labels : (str, str)
            Column names of this frame's and ``other``'s hours.

        Returns
        -------
        pandas.DataFrame
            The two hour columns (zero for a group absent from one side),
            ``difference`` (this minus other) and ``change`` (the difference
            over other's hours; NaN where other logged nothing).

        Examples
        --------
        >>> import tt_notebook as tt
        >>> df = tt.fetch_worklogs("2025-02-01", "2025-03-31", session=tt.demo())
        >>> march = df.tt.between("2025-03-01", "2025-03-31")
        >>> february = df.tt.between("2025-02-01", "2025-02-28")
        >>> table = march.tt.compare(february, labels=("March", "February"))
        >>> list(table.columns)
        ['March', 'February', 'difference', 'change']
        """
        names = _names(by)
        if not names:
            raise ValueError("compare needs by= (such as 'project').")
        mine = self._duration_by(names)
        theirs = other.tt._duration_by(names)
        joined = pd.concat([mine, theirs], axis=1, keys=list(labels), sort=True)
        joined = joined.fillna(_ZERO)
        this, that = joined[labels[0]], joined[labels[1]]
        difference = this - that
        return pd.DataFrame(
            {
                labels[0]: this / _HOUR,
                labels[1]: that / _HOUR,
                "difference": difference / _HOUR,
                "change": (difference / that).where(that > _ZERO).astype("float64"),
            },
            index=joined.index,
        )

    # -- rows ----------------------------------------------------------------

    def between(self, start: DateLike, end: DateLike) -> pd.DataFrame:
        """The worklogs whose local day is from ``start`` to ``end``, both included.

        Returns
        -------
        pandas.DataFrame
            A new frame (same index labels) whose ``attrs`` record the range,
            so periods with nothing logged still show as zero.

        Examples
        --------
        >>> import tt_notebook as tt
        >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-09", session=tt.demo())
        >>> monday = df.tt.between("2025-03-03", "2025-03-03")
        >>> sorted({str(day.date()) for day in monday["date"]}), monday.attrs["end"]
        (['2025-03-03'], '2025-03-03')
        """
        first, last = parse_date(start, "start"), parse_date(end, "end")
        if first > last:
            raise ValueError(f"start {first} is after end {last}.")
        dates = self._dates()
        low, high = np.datetime64(first, "ns"), np.datetime64(last, "ns")
        subset = self._df.loc[(dates >= low) & (dates <= high)].copy()
        subset.attrs = {
            **self._df.attrs,
            "start": first.isoformat(),
            "end": last.isoformat(),
        }
        return subset

    def tz_convert(self, tz: str) -> pd.DataFrame:
        """The same worklogs seen from another time zone.

        ``start`` is converted, ``date`` becomes the local day there, and
        ``attrs["timezone"]`` says so. The range in ``attrs`` stays as
        fetched; that zone's first and last days may be partly covered.

        Examples
        --------
        >>> import tt_notebook as tt
        >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-03", session=tt.demo())
        >>> str(df.tt.tz_convert("Asia/Tokyo")["start"].dtype)
        'datetime64[ns, Asia/Tokyo]'
        """
        zone = zoneinfo.ZoneInfo(tz)
        out = self._df.copy()
        start = self._starts().tz_convert(zone)
        out["start"] = start
        out["date"] = start.tz_localize(None).normalize()
        out.attrs = {**self._df.attrs, "timezone": tz}
        return out

    def tags(self) -> pd.DataFrame:
        """One row per worklog and tag: a long table of the ``tags`` lists.

        Returns
        -------
        pandas.DataFrame
            The frame's columns with ``tags`` replaced by ``tag`` (a
            categorical of names; NA for a worklog without tags, which keeps
            one row). A worklog with two tags has two rows, so summing this
            table counts its time twice.

        Examples
        --------
        >>> import tt_notebook as tt
        >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-03", session=tt.demo())
        >>> long = df.tt.tags()
        >>> "tag" in long.columns and "tags" not in long.columns
        True
        """
        take, tags = self._explode_tags()
        position = self._df.columns.get_loc("tags")
        long = self._df.drop(columns="tags").iloc[take].reset_index(drop=True)
        names = pd.array(tags.to_numpy(), dtype="string")
        long.insert(int(position), "tag", pd.Categorical(names))  # type: ignore[arg-type]
        return long

    def overlaps(self) -> pd.DataFrame:
        """Worklogs that start before an earlier one of the same person ended.

        Returns
        -------
        pandas.DataFrame
            One row per overlapping worklog: ``author_id``, ``author``,
            ``worklog_id``, ``start``, ``end``, then the earlier worklog that
            reaches furthest (``earlier_worklog_id``, ``earlier_start``,
            ``earlier_end``) and the ``overlap`` (timedelta). Sorted by
            person and start.

        Notes
        -----
        Each worklog is listed once, beside the earlier worklog that ends
        last; a third worklog it also overlaps is not listed separately.

        Examples
        --------
        >>> import tt_notebook as tt
        >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-09", session=tt.demo())
        >>> list(df.tt.overlaps().columns)[:4]
        ['author_id', 'author', 'worklog_id', 'start']
        """
        df = self._df
        ids = _categorical(df["author_id"])
        start = self._starts().asi8
        length = self._durations()
        length = np.where(np.isnat(length), np.timedelta64(0, "ns"), length)
        end = start + length.view("int64")
        worklog = df["worklog_id"].to_numpy(dtype="float64", na_value=np.nan)

        # 1. Sort by person, start, id; the running latest end within a person.
        order = np.lexsort((worklog, start, np.asarray(ids.codes)))
        who = np.asarray(ids.codes)[order]
        s, e = start[order], end[order]
        reach = pd.Series(e).groupby(who).cummax().to_numpy()
        position = np.arange(len(order))
        record = np.maximum.accumulate(np.where(e >= reach, position, -1))

        # 2. A worklog overlaps when it starts before the previous reach.
        same = np.zeros(len(order), dtype=bool)
        same[1:] = who[1:] == who[:-1]
        previous = np.concatenate([[np.iinfo(np.int64).min], reach[:-1]])
        hit = same & (s < previous) & (who >= 0)
        rows = order[hit]
        earlier = order[record[np.flatnonzero(hit) - 1]]
        zone = self._zone

        def instants(values: np.ndarray) -> pd.DatetimeIndex:
            return pd.DatetimeIndex(values, tz="UTC").tz_convert(zone)

        return pd.DataFrame(
            {
                "author_id": df["author_id"].array.take(rows).astype("string"),
                "author": df["author"].array.take(rows).astype("string"),
                "worklog_id": df["worklog_id"].array.take(rows),
                "start": instants(start[rows]),
                "end": instants(end[rows]),
                "earlier_worklog_id": df["worklog_id"].array.take(earlier),
                "earlier_start": instants(start[earlier]),
                "earlier_end": instants(end[earlier]),
                "overlap": pd.to_timedelta(
                    np.minimum(end[rows], end[earlier]) - start[rows], unit="ns"
                ),
            }
        )

    def long_days(self, limit: float | pd.Timedelta = 10.0) -> pd.DataFrame:
        """Days on which one person logged more than ``limit``.

        Parameters
        ----------
        limit : float or pandas.Timedelta
            Hours (or a duration) a day may have; longer days are listed.

        Returns
        -------
        pandas.DataFrame
            ``author_id``, ``author``, ``date`` and ``hours``, by person and
            day.

        Examples
        --------
        >>> import tt_notebook as tt
        >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-09", session=tt.demo())
        >>> days = df.tt.long_days(9.5)
        >>> bool((days["hours"] > 9.5).all()), list(days.columns)
        (True, ['author_id', 'author', 'date', 'hours'])
        """
        bound = limit if isinstance(limit, pd.Timedelta) else pd.Timedelta(hours=limit)
        sums = self._sum(["author_id", "date"], {"duration": self._durations()})
        long = sums.loc[sums["duration"] > bound, "duration"].reset_index()
        author_id = long["author_id"].astype("string")
        names = self._author_names()
        return pd.DataFrame(
            {
                "author_id": author_id,
                "author": pd.array(
                    [names.get(a) for a in author_id.tolist()], dtype="string"
                ),
                "date": long["date"].astype("datetime64[ns]"),
                "hours": (long["duration"] / _HOUR).astype("float64"),
            }
        )

    # -- working calendars ---------------------------------------------------

    def _people(
        self, calendar: WorkCalendar, people: Iterable[str] | None
    ) -> list[tuple[str, str | None]]:
        names = self._author_names()
        if people is None:
            chosen = list(names.items())
        else:
            if isinstance(people, str):
                raise ValueError("people takes a list of account ids or names.")
            by_name = {n: i for i, n in names.items() if n is not None}
            chosen = []
            for key in people:
                account = key if key in names else by_name.get(key, key)
                chosen.append((account, names.get(account)))
        return sorted(dict(chosen).items(), key=lambda p: (p[1] or p[0], p[0]))

    def _person_days(
        self, calendar: WorkCalendar, people: Iterable[str] | None
    ) -> pd.DataFrame:
        """One row per person and day of the range: expected, absent, worked."""
        df = self._df
        span = self.span()
        persons = self._people(calendar, people) if span is not None else []
        days = (
            pd.date_range(span[0], span[1], freq="D", unit="ns")
            if span is not None
            else pd.DatetimeIndex([], dtype="datetime64[ns]")
        )
        rules = [calendar.schedule(account, name) for account, name in persons]

        # 1. Each worklog's day: the frame's, or that of the person's own zone.
        ids = _categorical(df["author_id"])
        codes = np.asarray(ids.codes)
        local = self._dates().copy()
        zones = {r.timezone for r in rules if r.timezone not in (None, self.timezone)}
        for zone in zones:
            accounts = [
                a
                for (a, _), r in zip(persons, rules, strict=True)
                if r.timezone == zone
            ]
            mask = np.isin(codes, ids.categories.get_indexer(pd.Index(accounts)))
            starts = self._starts()[mask].tz_convert(zone)
            local[mask] = starts.tz_localize(None).normalize().to_numpy()

        # 2. Exact sums per person and day, worked and absent apart.
        durations = self._durations()
        absent = np.zeros(len(df), dtype=bool)
        if calendar.non_working_projects:
            projects = list(calendar.non_working_projects)
            absent = (
                df["project_key"].isin(projects) | df["project_id"].isin(projects)
            ).to_numpy(dtype=bool)
        nothing = np.timedelta64(0, "ns")
        sums = (
            pd.DataFrame(
                {
                    "work": np.where(absent, nothing, durations),
                    "absence": np.where(absent, durations, nothing),
                    "code": codes,
                    "day": local,
                },
                copy=False,
            )
            .groupby(["code", "day"], sort=False)
            .sum()
        )

        # 3. Spread the sums over a person-by-day grid.
        n_days = len(days)
        slot_of_code = np.full(len(ids.categories) + 1, -1, dtype=np.int64)
        person_codes = ids.categories.get_indexer(pd.Index([a for a, _ in persons]))
        known = person_codes >= 0
        slot_of_code[person_codes[known]] = np.flatnonzero(known)
        work = np.zeros(len(persons) * n_days, dtype=np.int64)
        absence = np.zeros_like(work)
        if len(sums) and n_days:
            code_level = sums.index.get_level_values(0).to_numpy(dtype=np.int64)
            day_level = (
                sums.index.get_level_values(1).to_numpy().astype("datetime64[ns]")
            )
            person = slot_of_code[code_level]
            day = (day_level - days[0].to_datetime64()).view("int64") // _NS_DAY
            inside = (person >= 0) & (day >= 0) & (day < n_days)
            flat = person[inside] * n_days + day[inside]
            work[flat] = sums["work"].to_numpy().view("int64")[inside]
            absence[flat] = sums["absence"].to_numpy().view("int64")[inside]

        # 4. Expected hours, lowered by absence, never below zero.
        if persons and n_days:
            base = np.concatenate(
                [
                    r.expected_hours(days[0].date(), days[-1].date()).to_numpy()
                    for r in rules
                ]
            )
        else:
            base = np.zeros(0, dtype="float64")
        absence_hours = absence / _NS_HOUR
        return pd.DataFrame(
            {
                "author_id": pd.array(
                    np.repeat([a for a, _ in persons], n_days).tolist(), dtype="string"
                ),
                "author": pd.array(
                    np.repeat(
                        np.array([n for _, n in persons], dtype=object), n_days
                    ).tolist(),
                    dtype="string",
                ),
                "date": np.tile(days.to_numpy(), len(persons)),
                "scheduled_hours": base.astype("float64"),
                "expected_hours": np.maximum(base - absence_hours, 0.0),
                "actual_hours": work / _NS_HOUR,
                "absence_hours": absence_hours,
            }
        )

    def expected_vs_actual(
        self,
        calendar: WorkCalendar,
        *,
        freq: str | None = "D",
        people: Iterable[str] | None = None,
    ) -> pd.DataFrame:
        """Hours expected by a working calendar beside the hours logged.

        Parameters
        ----------
        calendar : WorkCalendar
            Working weekdays, holidays, hours per day, personal rules.
        freq : {"D", "W", "M"} or None
            One row per person and day, ISO week or month; None for one row
            per person over the whole range.
        people : list of str, optional
            Account ids or display names to list (someone who logged nothing
            shows with zero); everyone in the frame when omitted.

        Returns
        -------
        pandas.DataFrame
            ``author_id``, ``author``, the period (``date``, ``week`` or
            ``month``), ``expected_hours``, ``actual_hours``,
            ``absence_hours`` (hours on the calendar's non-working projects,
            which lower the expected hours instead of counting as work),
            ``difference_hours`` (actual minus expected) and ``utilization``
            (actual over expected; NaN where nothing was expected).

        Notes
        -----
        A person with their own time zone has their worklogs counted on the
        days of that zone, within the frame's range: a worklog that falls on
        a day outside it there is left out.

        Examples
        --------
        >>> import tt_notebook as tt
        >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-09", session=tt.demo())
        >>> cal = tt.WorkCalendar(non_working_projects=["LEAVE"])
        >>> week = df.tt.expected_vs_actual(cal, freq="W")
        >>> list(week.columns)  # doctest: +NORMALIZE_WHITESPACE
        ['author_id', 'author', 'week', 'expected_hours', 'actual_hours',
         'absence_hours', 'difference_hours', 'utilization']
        """
        grid = self._person_days(calendar, people)
        period = None
        if freq is not None:
            if FREQS.get(freq) not in ("date", "week", "month"):
                raise ValueError(f"freq must be 'D', 'W', 'M' or None, not {freq!r}.")
            period = FREQS[freq]
        amounts = ["expected_hours", "actual_hours", "absence_hours"]
        if period == "date":
            table = grid[["author_id", "author", "date", *amounts]]
        else:
            keys = ["author_id", "author"]
            if period is not None:
                days = grid["date"].to_numpy().astype("datetime64[D]")
                if period == "month":
                    start = days.astype("datetime64[M]").astype("datetime64[ns]")
                else:
                    number = days.view("int64")
                    start = (number - (number + 3) % 7).astype("datetime64[D]")
                    start = start.astype("datetime64[ns]")
                grid = grid.assign(**{period: start})
                keys.append(period)
            table = (
                grid.groupby(keys, sort=False, dropna=False)[amounts]
                .sum()
                .reset_index()
            )
        actual, expected = table["actual_hours"], table["expected_hours"]
        utilization = np.divide(
            actual.to_numpy(),
            expected.to_numpy(),
            out=np.full(len(table), np.nan),
            where=expected.to_numpy() > 0,
        )
        return table.assign(
            difference_hours=actual - expected, utilization=utilization
        ).reset_index(drop=True)

    def utilization(
        self,
        calendar: WorkCalendar,
        *,
        freq: str | None = None,
        people: Iterable[str] | None = None,
    ) -> pd.Series:
        """Hours logged over hours expected, per person (and period).

        Parameters are those of :meth:`expected_vs_actual`; ``freq=None``
        gives one value per person for the whole range.

        Returns
        -------
        pandas.Series
            Indexed by the person's label (display name, or account id when
            it is missing), and by period when ``freq`` is given; NaN where
            nothing was expected.

        Examples
        --------
        >>> import tt_notebook as tt
        >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-09", session=tt.demo())
        >>> cal = tt.WorkCalendar(non_working_projects=["LEAVE"])
        >>> df.tt.utilization(cal).name
        'utilization'
        """
        table = self.expected_vs_actual(calendar, freq=freq, people=people)
        label = table["author"].fillna(table["author_id"]).rename("author")
        keys: list[Any] = [label]
        if freq is not None:
            period = FREQS[freq]
            keys.append(table[period])
        series = table["utilization"].copy()
        series.index = (
            pd.MultiIndex.from_arrays(keys) if len(keys) > 1 else pd.Index(label)
        )
        return series

    def missing_days(
        self, calendar: WorkCalendar, *, people: Iterable[str] | None = None
    ) -> pd.DataFrame:
        """Working days on which a person logged nothing at all.

        Parameters
        ----------
        calendar : WorkCalendar
            Which days are working days for whom.
        people : list of str, optional
            Account ids or names; everyone in the frame when omitted.

        Returns
        -------
        pandas.DataFrame
            ``author_id``, ``author``, ``date`` and ``expected_hours``, by
            person and day. Time on a non-working project (leave) counts as
            something logged.

        Examples
        --------
        >>> import tt_notebook as tt
        >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-09", session=tt.demo())
        >>> gaps = df.tt.missing_days(tt.WorkCalendar())
        >>> list(gaps.columns)
        ['author_id', 'author', 'date', 'expected_hours']
        """
        grid = self._person_days(calendar, people)
        empty = (
            (grid["scheduled_hours"] > 0)
            & (grid["actual_hours"] == 0)
            & (grid["absence_hours"] == 0)
        )
        gaps = grid.loc[empty, ["author_id", "author", "date", "scheduled_hours"]]
        return gaps.rename(columns={"scheduled_hours": "expected_hours"}).reset_index(
            drop=True
        )

    def overtime(
        self,
        calendar: WorkCalendar,
        *,
        freq: str | None = "D",
        people: Iterable[str] | None = None,
    ) -> pd.DataFrame:
        """Periods in which a person logged more than expected.

        Returns
        -------
        pandas.DataFrame
            The rows of :meth:`expected_vs_actual` with more hours than
            expected: ``author_id``, ``author``, the period,
            ``expected_hours``, ``actual_hours`` and ``overtime_hours``.
            Work on a day off counts wholly as overtime.

        Examples
        --------
        >>> import tt_notebook as tt
        >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-09", session=tt.demo())
        >>> extra = df.tt.overtime(tt.WorkCalendar(), freq="W")
        >>> bool((extra["overtime_hours"] > 0).all())
        True
        """
        table = self.expected_vs_actual(calendar, freq=freq, people=people)
        over = table.loc[table["difference_hours"] > 0]
        over = over.drop(columns=["absence_hours", "utilization"])
        return over.rename(columns={"difference_hours": "overtime_hours"}).reset_index(
            drop=True
        )

    # -- export --------------------------------------------------------------

    def _flat(self) -> pd.DataFrame:
        """The frame with plain cells: tags joined, durations in whole seconds."""
        out = self._df.copy()
        out["tags"] = pd.array(
            [
                ", ".join(map(str, t))
                if isinstance(t, list | tuple | np.ndarray)
                else None
                for t in out["tags"]
            ],
            dtype="string",
        )
        seconds = self._durations().astype("timedelta64[s]").view("int64")
        nat = np.isnat(self._durations())
        out["duration"] = pd.arrays.IntegerArray(np.where(nat, 0, seconds), nat)
        return out.rename(columns={"duration": "duration_seconds"})

    def to_csv(
        self, path: str | os.PathLike[str] | None = None, **kwargs: Any
    ) -> str | None:
        """Write the worklogs as CSV (UTF-8); the text when ``path`` is None.

        ``start`` is written with its UTC offset, ``date`` as a day,
        ``duration`` as ``duration_seconds`` (whole seconds) and ``tags`` as
        names joined by ``", "``. Other keyword arguments go to
        :meth:`pandas.DataFrame.to_csv`.

        Examples
        --------
        >>> import tt_notebook as tt
        >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-03", session=tt.demo())
        >>> df.tt.to_csv().splitlines()[0].split(",")[11:15]
        ['start', 'date', 'duration_seconds', 'hours']
        """
        options = {"index": False, **kwargs}
        result: str | None = self._flat().to_csv(path, **options)
        return result

    def to_excel(self, path: PathOrBuffer) -> None:
        """Write an Excel workbook: worklogs, by day, by project, by person.

        Excel cannot store time zones, so ``start`` is written as the local
        wall-clock time of the frame's zone, without offset; the ``about``
        sheet names the zone and the range. Needs openpyxl
        (``pip install 'tt_notebook[export]'``).

        Examples
        --------
        >>> import io
        >>> import pandas as pd
        >>> import tt_notebook as tt
        >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-03", session=tt.demo())
        >>> buffer = io.BytesIO()
        >>> df.tt.to_excel(buffer)
        >>> list(pd.read_excel(buffer, sheet_name=None))
        ['worklogs', 'by day', 'by project', 'by person', 'about']
        """
        _require("openpyxl", "to_excel")
        sheets = self._sheets()
        target: Any = path
        with pd.ExcelWriter(target, engine="openpyxl") as writer:
            for name, (frame, index) in sheets.items():
                frame.to_excel(writer, sheet_name=name, index=index)

    def _sheets(self) -> dict[str, tuple[pd.DataFrame, bool]]:
        flat = self._flat()
        flat["start"] = self._starts().tz_localize(None)
        span = self.span()
        about = pd.DataFrame(
            {
                "item": ["time zone", "first day", "last day", "worklogs", "note"],
                "value": [
                    self.timezone,
                    "" if span is None else span[0].date().isoformat(),
                    "" if span is None else span[1].date().isoformat(),
                    str(len(self._df)),
                    f"start is local wall-clock time in {self.timezone}, without "
                    "offset; hours are exact sums of durations",
                ],
            }
        )
        day, project, person = (
            (self._duration_by([key]) / _HOUR).rename("hours").to_frame()
            for key in ("date", "project", "author")
        )
        return {
            "worklogs": (flat, False),
            "by day": (day, True),
            "by project": (project, True),
            "by person": (person, True),
            "about": (about, False),
        }

    def to_parquet(self, path: PathOrBuffer, **kwargs: Any) -> None:
        """Write the worklogs as Parquet, keeping every dtype.

        Zone-aware ``start``, exact ``duration``, the nullable dtypes,
        categoricals and ``attrs`` survive :func:`pandas.read_parquet`; the
        ``tags`` lists come back as NumPy arrays of names, which ``df.tt``
        reads the same. Needs pyarrow (``pip install 'tt_notebook[export]'``).

        Examples
        --------
        >>> import io
        >>> import pandas as pd
        >>> import tt_notebook as tt
        >>> session = tt.demo(timezone="Europe/Budapest")
        >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-03", session=session)
        >>> buffer = io.BytesIO()
        >>> df.tt.to_parquet(buffer)
        >>> str(pd.read_parquet(buffer)["start"].dtype)
        'datetime64[ns, Europe/Budapest]'
        """
        _require("pyarrow", "to_parquet")
        # pandas records an Arrow list column's dtype in the file under a
        # name it cannot read back; lists in an object column it can.
        out = self._df.copy()
        out["tags"] = pd.Series(out["tags"].tolist(), index=out.index, dtype=object)
        out.to_parquet(path, engine="pyarrow", index=False, **kwargs)
