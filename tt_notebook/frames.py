"""API rows to typed DataFrames; the column schemas; the readers that fetch them.

The worklog schema (one row per worklog) is defined once here, in
:data:`WORKLOG_COLUMNS`, and documented in the README. Timestamps are parsed
as UTC instants whatever form the server used, and converted to the
session's zone as a separate last step.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import api
from .config import DateLike
from .session import TimetrackerSession

__all__ = [
    "WORKLOG_COLUMNS",
    "empty_worklogs",
    "fetch_worklogs",
    "worklog_dtypes",
    "worklogs_frame",
]

#: Worklog frame columns and their dtypes; ``{tz}`` is the frame's zone.
WORKLOG_COLUMNS: dict[str, str] = {
    "worklog_id": "Int64",
    "jira_worklog_id": "Int64",
    "issue_id": "Int64",
    "issue_key": "string",
    "issue_summary": "string",
    "description": "string",
    "project_id": "category",
    "project_key": "category",
    "project_name": "category",
    "author_id": "category",
    "author": "category",
    "start": "datetime64[ns, {tz}]",
    "date": "datetime64[ns]",
    "duration": "timedelta64[ns]",
    "hours": "float64",
    "billable": "boolean",
    "tags": "object",
}


def worklog_dtypes(timezone: str) -> dict[str, Any]:
    """The dtype of every worklog column for a frame in ``timezone``."""
    dtypes: dict[str, Any] = {}
    for name, spec in WORKLOG_COLUMNS.items():
        if name == "start":
            dtypes[name] = pd.DatetimeTZDtype("ns", zoneinfo.ZoneInfo(timezone))
        elif spec == "category":
            dtypes[name] = pd.CategoricalDtype(pd.Index([], dtype="string"))
        else:
            dtypes[name] = pd.api.types.pandas_dtype(spec)
    return dtypes


def empty_worklogs(timezone: str) -> pd.DataFrame:
    """A worklog frame with no rows but every column and dtype."""
    frame = worklogs_frame([], timezone)
    return frame


def _get(row: Mapping[str, Any] | None, key: str) -> Any:
    return row.get(key) if isinstance(row, Mapping) else None


def _category(values: Sequence[Any]) -> pd.Categorical:
    # Categories of the nullable string dtype, so a category's values stay
    # strings and a missing one is NA, never the text "None".
    strings = pd.array([None if v is None else str(v) for v in values], dtype="string")
    return pd.Categorical(strings)


def worklogs_frame(
    rows: Iterable[Mapping[str, Any]], timezone: str, *, attrs: Mapping[str, Any] = {}
) -> pd.DataFrame:
    """Turn details report ``values`` items into the typed worklog frame.

    Parameters
    ----------
    rows : iterable of mapping
        Items shaped ``{"issue": ..., "project": ..., "worklog": ...}``.
    timezone : str
        IANA zone of the ``start`` and ``date`` columns.
    attrs : mapping
        Stored in ``DataFrame.attrs`` besides ``"timezone"``.

    Returns
    -------
    pandas.DataFrame
        One row per worklog, columns and dtypes as in :data:`WORKLOG_COLUMNS`,
        sorted by ``start`` then ``worklog_id``. Missing nested fields (a
        deleted author's name, an issue without summary) are NA.

    Examples
    --------
    >>> row = {
    ...     "issue": {"id": 7, "key": "OPS-1", "summary": "Café"},
    ...     "project": {"id": "10000", "key": "OPS", "name": "Operations"},
    ...     "worklog": {"id": 1, "jiraWorklogId": 2, "durationInSeconds": 5400,
    ...                 "isBillable": True, "startTime": "2025-03-30T22:30:00.000Z",
    ...                 "author": {"id": "a1"}, "worklogTags": [{"name": "dev"}]},
    ... }
    >>> df = worklogs_frame([row], "Europe/Budapest")
    >>> df.loc[0, "issue_key"], float(df.loc[0, "hours"]), df["author"].isna()[0]
    ('OPS-1', 1.5, np.True_)
    >>> str(df.loc[0, "date"].date())
    '2025-03-31'
    """
    zone = zoneinfo.ZoneInfo(timezone)
    items = list(rows)
    issues = [_get(r, "issue") for r in items]
    projects = [_get(r, "project") for r in items]
    worklogs = [_get(r, "worklog") for r in items]
    authors = [_get(w, "author") for w in worklogs]

    # 1. Parse instants as UTC, whatever offset the server wrote, then convert.
    starts = pd.to_datetime(
        pd.Series([_get(w, "startTime") for w in worklogs], dtype="string"),
        utc=True,
        format="ISO8601",
    )
    start = pd.DatetimeIndex(starts).as_unit("ns").tz_convert(zone)

    # 2. Durations in exact whole seconds; hours derived for plotting.
    seconds = pd.array([_get(w, "durationInSeconds") for w in worklogs], dtype="Int64")
    duration = pd.to_timedelta(
        seconds.to_numpy(dtype="float64", na_value=np.nan), unit="s"
    )

    frame = pd.DataFrame(
        {
            "worklog_id": pd.array([_get(w, "id") for w in worklogs], dtype="Int64"),
            "jira_worklog_id": pd.array(
                [_get(w, "jiraWorklogId") for w in worklogs], dtype="Int64"
            ),
            "issue_id": pd.array([_get(i, "id") for i in issues], dtype="Int64"),
            "issue_key": pd.array([_get(i, "key") for i in issues], dtype="string"),
            "issue_summary": pd.array(
                [_get(i, "summary") for i in issues], dtype="string"
            ),
            "description": pd.array(
                [_get(w, "description") for w in worklogs], dtype="string"
            ),
            "project_id": _category([_get(p, "id") for p in projects]),
            "project_key": _category([_get(p, "key") for p in projects]),
            "project_name": _category([_get(p, "name") for p in projects]),
            "author_id": _category([_get(a, "id") for a in authors]),
            "author": _category([_get(a, "name") for a in authors]),
            "start": start,
            "date": start.tz_localize(None).normalize(),
            "duration": pd.TimedeltaIndex(duration).as_unit("ns"),
            "hours": seconds.to_numpy(dtype="float64", na_value=np.nan) / 3600.0,
            "billable": pd.array(
                [_get(w, "isBillable") for w in worklogs], dtype="boolean"
            ),
            "tags": pd.Series(
                [
                    [str(t.get("name")) for t in _get(w, "worklogTags") or []]
                    for w in worklogs
                ],
                dtype="object",
            ),
        }
    )

    # 3. A stable order, a fresh index, and the zone recorded for the accessor.
    frame = frame.sort_values(["start", "worklog_id"], kind="stable", ignore_index=True)
    frame.attrs.update({"timezone": timezone, **attrs})
    return frame


def fetch_worklogs(
    start: DateLike,
    end: DateLike,
    *,
    users: Iterable[str] | None = None,
    projects: Iterable[str | int] | None = None,
    billable: bool | None = None,
    session: TimetrackerSession | None = None,
    progress: bool = True,
    refresh: bool = False,
) -> pd.DataFrame:
    """Fetch the worklogs of a date range as a typed DataFrame.

    Parameters
    ----------
    start, end : datetime.date or str
        First and last day, both included, as ``"YYYY-MM-DD"`` or dates. Days
        are bounded at midnight in the session's time zone.
    users : list of str, optional
        Atlassian account ids of the authors to keep.
    projects : list of str or int, optional
        Numeric Jira project ids (such as ``"10000"``) to keep.
    billable : bool, optional
        True for billable worklogs only, False for non-billable only.
    session : TimetrackerSession, optional
        From :func:`tt_notebook.connect` or :func:`tt_notebook.demo`; the
        last one connected when omitted.
    progress : bool
        Show a progress bar for long fetches.
    refresh : bool
        Ask the service again even for fresh cached pages.

    Returns
    -------
    pandas.DataFrame
        One row per worklog; see :data:`WORKLOG_COLUMNS`. ``attrs`` holds
        ``timezone``, ``start`` and ``end``.

    Raises
    ------
    ConfigurationError
        For malformed arguments, or no session.
    IncompleteResultError
        When the report could not be fetched completely.
    APIError
        Or a subclass, when the service refused.

    Examples
    --------
    >>> import tt_notebook as tt
    >>> session = tt.demo(timezone="Europe/Budapest")
    >>> df = tt.fetch_worklogs("2025-03-03", "2025-03-07", session=session)
    >>> len(df) > 0, str(df["start"].dtype)
    (True, 'datetime64[ns, Europe/Budapest]')
    """
    from .connection import current_session

    session = session or current_session()
    query = api.DetailsQuery.build(
        start, end, users=users, projects=projects, billable=billable
    )
    rows = api.details_report(session, query, progress=progress, refresh=refresh)
    return worklogs_frame(
        rows,
        session.timezone,
        attrs={"start": query.start.isoformat(), "end": query.end.isoformat()},
    )
