"""API rows to typed DataFrames; the column schemas; the readers that fetch them.

The worklog schema (one row per worklog) is defined once here, in
:data:`WORKLOG_COLUMNS`; the report frames in :data:`SUMMARY_COLUMNS`,
:data:`FILLCHECKER_COLUMNS` and :data:`TAG_COLUMNS`. All are documented in
the README. Timestamps are parsed
as UTC instants whatever form the server used, and converted to the
session's zone as a separate last step.
"""

from __future__ import annotations

import contextlib
import gc
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from . import api
from .config import DateLike
from .errors import ConfigurationError
from .session import TimetrackerSession

__all__ = [
    "FILLCHECKER_COLUMNS",
    "SUMMARY_COLUMNS",
    "SUMMARY_VIEWS",
    "TAG_COLUMNS",
    "WORKLOG_COLUMNS",
    "empty_worklogs",
    "fetch_fillchecker",
    "fetch_summary",
    "fetch_tags",
    "fetch_worklogs",
    "fillchecker_frame",
    "fillchecker_table",
    "summary_frame",
    "summary_frames",
    "tags_frame",
    "worklog_dtypes",
    "worklogs_frame",
    "worklogs_from_json",
]

#: Worklog frame columns and their dtypes; ``{tz}`` is the frame's zone.
WORKLOG_COLUMNS: dict[str, str] = {
    "worklog_id": "Int64",
    "jira_worklog_id": "Int64",
    "issue_id": "Int64",
    "issue_key": "category",
    "issue_summary": "category",
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
    "tags": "list<item: string>[pyarrow]",
}


#: Tag names per worklog: an Arrow list of strings. An element reads as a
#: Python list; the column takes a tenth of the memory of lists in objects.
TAGS_DTYPE = pd.ArrowDtype(pa.list_(pa.string()))


def worklog_dtypes(timezone: str) -> dict[str, Any]:
    """The dtype of every worklog column for a frame in ``timezone``."""
    dtypes: dict[str, Any] = {}
    for name, spec in WORKLOG_COLUMNS.items():
        if name == "start":
            dtypes[name] = pd.DatetimeTZDtype("ns", zoneinfo.ZoneInfo(timezone))
        elif spec == "category":
            dtypes[name] = pd.CategoricalDtype(pd.Index([], dtype="string"))
        elif name == "tags":
            dtypes[name] = TAGS_DTYPE
        else:
            dtypes[name] = pd.api.types.pandas_dtype(spec)
    return dtypes


def empty_worklogs(timezone: str) -> pd.DataFrame:
    """A worklog frame with no rows but every column and dtype."""
    frame = worklogs_frame([], timezone)
    return frame


def _get(row: Mapping[str, Any] | None, key: str) -> Any:
    return row.get(key) if isinstance(row, Mapping) else None


def _objects(values: Iterable[Any]) -> list[dict[str, Any]]:
    # JSON objects arrive as dicts; anything else (a missing or null nested
    # object) becomes an empty one, so every field read below is a plain get.
    return [
        v if type(v) is dict else dict(v) if isinstance(v, Mapping) else {}
        for v in values
    ]


def _category(values: Sequence[Any]) -> pd.Categorical[Any]:
    # Categories of the nullable string dtype, so a category's values stay
    # strings and a missing one is NA, never the text "None". Factorising
    # first converts each distinct value once, not once per row.
    # Categories are sorted, so that grouping sorts by the values themselves.
    raw = np.asarray(values, dtype=object)
    try:
        codes, uniques = pd.factorize(raw, sort=True)
    except TypeError:  # a mix of types cannot be ordered: keep first seen
        codes, uniques = pd.factorize(raw)
    categories = pd.Index([str(u) for u in uniques], dtype="string")
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories))


_EMPTY: dict[str, Any] = {}


def _tag_names(tags: Any) -> list[str]:
    if tags.__class__ is not list or not tags:
        return []
    return [str(t["name"]) for t in tags if t.__class__ is dict and "name" in t]


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
    return _frame(worklog_columns(_objects(rows)), timezone, attrs)


#: The raw fields gathered per page, before any conversion.
_RAW = (
    "worklog_id",
    "jira_worklog_id",
    "issue_id",
    "issue_key",
    "issue_summary",
    "description",
    "project_id",
    "project_key",
    "project_name",
    "author_id",
    "author",
    "start",
    "seconds",
    "billable",
    "tags",
)


def worklog_columns(
    values: list[dict[str, Any]], into: dict[str, list[Any]] | None = None
) -> dict[str, list[Any]]:
    """Gather one details page's fields into plain lists, one per column.

    Cheap and free of pandas, so that it can run in the thread that fetched
    the page while other pages are still on the way. One pass over the rows
    with bound ``append`` methods is several times faster than a list
    comprehension per field. With ``into``, the rows are appended to those
    lists instead of new ones.
    """
    columns = into if into is not None else {name: [] for name in _RAW}
    (
        worklog_id, jira_worklog_id, issue_id, issue_key, issue_summary,
        description, project_id, project_key, project_name, author_id, author,
        start, seconds, billable, tags,
    ) = (columns[name].append for name in _RAW)  # fmt: skip
    for row in values:
        issue, project, worklog = (
            row.get("issue"),
            row.get("project"),
            row.get("worklog"),
        )
        # A missing or null nested object reads as empty: its fields are NA.
        if issue.__class__ is not dict:
            issue = _EMPTY
        if project.__class__ is not dict:
            project = _EMPTY
        if worklog.__class__ is not dict:
            worklog = _EMPTY
        who = worklog.get("author")
        if who.__class__ is not dict:
            who = _EMPTY
        worklog_id(worklog.get("id"))
        jira_worklog_id(worklog.get("jiraWorklogId"))
        issue_id(issue.get("id"))
        issue_key(issue.get("key"))
        issue_summary(issue.get("summary"))
        description(worklog.get("description"))
        project_id(project.get("id"))
        project_key(project.get("key"))
        project_name(project.get("name"))
        author_id(who.get("id"))
        author(who.get("name"))
        start(worklog.get("startTime"))
        seconds(worklog.get("durationInSeconds"))
        billable(worklog.get("isBillable"))
        tags(_tag_names(worklog.get("worklogTags")))
    return columns


def join_columns(
    pieces: Iterable[tuple[dict[str, list[Any]], list[bool] | None]],
) -> dict[str, list[Any]]:
    """Concatenate per-page columns, dropping the rows marked as repeats."""
    joined: dict[str, list[Any]] = {name: [] for name in _RAW}
    for columns, keep in pieces:
        for name in _RAW:
            values = columns[name]
            if keep is None:
                joined[name] += values
            else:
                joined[name] += [v for v, k in zip(values, keep, strict=True) if k]
    return joined


def _frame(
    raw: dict[str, list[Any]], timezone: str, attrs: Mapping[str, Any]
) -> pd.DataFrame:
    zone = zoneinfo.ZoneInfo(timezone)

    # 1. Parse instants as UTC, whatever offset the server wrote, then convert.
    starts = pd.to_datetime(
        pd.Series(raw["start"], dtype="string"), utc=True, format="ISO8601"
    )
    start = pd.DatetimeIndex(starts).as_unit("ns").tz_convert(zone)

    # 2. Durations in exact whole seconds; hours derived for plotting.
    seconds = pd.array(raw["seconds"], dtype="Int64")
    as_float = seconds.to_numpy(dtype="float64", na_value=np.nan)
    duration = pd.to_timedelta(as_float, unit="s")

    frame = pd.DataFrame(
        {
            "worklog_id": pd.array(raw["worklog_id"], dtype="Int64"),
            "jira_worklog_id": pd.array(raw["jira_worklog_id"], dtype="Int64"),
            "issue_id": pd.array(raw["issue_id"], dtype="Int64"),
            "issue_key": _category(raw["issue_key"]),
            "issue_summary": _category(raw["issue_summary"]),
            "description": pd.array(raw["description"], dtype="string"),
            "project_id": _category(raw["project_id"]),
            "project_key": _category(raw["project_key"]),
            "project_name": _category(raw["project_name"]),
            "author_id": _category(raw["author_id"]),
            "author": _category(raw["author"]),
            "start": start,
            "date": start.tz_localize(None).normalize(),
            "duration": pd.TimedeltaIndex(duration).as_unit("ns"),
            "hours": as_float / 3600.0,
            "billable": pd.array(raw["billable"], dtype="boolean"),
            "tags": pd.arrays.ArrowExtensionArray(
                pa.array(raw["tags"], type=TAGS_DTYPE.pyarrow_dtype)
            ),
        }
    )

    # 3. A stable order, a fresh index, and the zone recorded for the accessor.
    frame = frame.sort_values(["start", "worklog_id"], kind="stable", ignore_index=True)
    frame.attrs.update({"timezone": timezone, **attrs})
    return frame


def worklogs_from_json(
    pages: Iterable[bytes | str], timezone: str, *, attrs: Mapping[str, Any] = {}
) -> pd.DataFrame:
    """Build the worklog frame from raw details report answers (JSON text).

    For answers saved earlier, or fetched by other means. Each page is
    decoded and gathered into columns on its own; a worklog that appears on
    two pages is kept once.

    Parameters
    ----------
    pages : iterable of bytes or str
        Bodies of ``POST /report/details`` answers, each with ``values``.
    timezone : str
        IANA zone of the ``start`` and ``date`` columns.
    attrs : mapping
        Stored in ``DataFrame.attrs`` besides ``"timezone"``.

    Examples
    --------
    >>> page = (
    ...     b'{"total": 1, "values": [{"worklog": {"id": 7, '
    ...     b'"startTime": "2025-01-02T08:00:00Z", "durationInSeconds": 60}}]}'
    ... )
    >>> worklogs_from_json([page, page], "UTC")["worklog_id"].tolist()
    [7]
    """
    with _collection_paused():
        # Page by page, so that only one page's decoded objects are alive.
        columns: dict[str, list[Any]] = {name: [] for name in _RAW}
        for page in pages:
            answer = api.loads(page.encode() if isinstance(page, str) else page)
            items = answer.get("values") if isinstance(answer, dict) else None
            if not isinstance(items, list):
                raise ValueError("A details report page has no 'values' list.")
            worklog_columns(_objects(items), into=columns)

        # Each worklog once, as it first appeared.
        ids = columns["worklog_id"]
        if len(set(ids)) != len(ids):
            columns = join_columns([(columns, api.first_seen(ids, set()))])
        return _frame(columns, timezone, attrs)


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
    from .connection import resolve_session

    session = resolve_session(session)
    query = api.DetailsQuery.build(
        start, end, users=users, projects=projects, billable=billable
    )

    # A cell run again gets a copy of the frame it built last time, for as
    # long as every page behind it is fresh in the cache.
    key = ("worklogs", query, session.timezone)
    if not refresh and not session.offline:
        known = session.remembered(key)
        if known is not None:
            return _copy_frame(known)
    expiry: list[float] = []
    with _collection_paused():
        pieces = api.details_pieces(
            session,
            query,
            parse=worklog_columns,
            progress=progress,
            refresh=refresh,
            expiry=expiry,
        )
        frame = _frame(
            join_columns(pieces),
            session.timezone,
            {"start": query.start.isoformat(), "end": query.end.isoformat()},
        )
    session.remember(key, frame, min(expiry, default=0.0))
    return _copy_frame(frame)


def _copy_frame(frame: pd.DataFrame) -> pd.DataFrame:
    # Deep, so that no caller can change another's; the tag lists are
    # immutable Arrow data, read out as new Python lists each time.
    return frame.copy(deep=True)


@contextlib.contextmanager
def _collection_paused() -> Iterator[None]:
    # Decoding pages creates millions of small acyclic objects, which set off
    # full garbage collections that rescan everything alive: pausing the
    # collector while a report is decoded and framed costs nothing and saves
    # much of the time. It is restored to what it was.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# Report frames --------------------------------------------------------------

#: Summary report views: the short name used here, and the API's view name.
SUMMARY_VIEWS: dict[str, str] = {
    "user": "userView",
    "project": "projectView",
    "issue": "issueView",
    "tag": "tagView",
    "billing": "billingView",
}

_AMOUNT_COLUMNS: dict[str, str] = {
    "billable_duration": "timedelta64[ns]",
    "non_billable_duration": "timedelta64[ns]",
    "total_duration": "timedelta64[ns]",
    "billable_hours": "float64",
    "non_billable_hours": "float64",
    "total_hours": "float64",
}

#: Columns and dtypes of each summary view's frame.
SUMMARY_COLUMNS: dict[str, dict[str, str]] = {
    "user": {
        "author_id": "string",
        "author": "string",
        "avatar_url": "string",
        **_AMOUNT_COLUMNS,
    },
    "project": {
        "project_id": "string",
        "project_key": "string",
        "project_name": "string",
        **_AMOUNT_COLUMNS,
    },
    "issue": {
        "issue_id": "Int64",
        "issue_key": "string",
        "issue_summary": "string",
        "project_id": "string",
        **_AMOUNT_COLUMNS,
    },
    "tag": {"tag_id": "Int64", "tag": "string", **_AMOUNT_COLUMNS},
    "billing": {"billable": "boolean", **_AMOUNT_COLUMNS},
}

#: Columns and dtypes of the long fillchecker frame: one row per person and day.
FILLCHECKER_COLUMNS: dict[str, str] = {
    "author_id": "string",
    "author": "string",
    "date": "datetime64[ns]",
    "real_work_duration": "timedelta64[ns]",
    "non_work_duration": "timedelta64[ns]",
    "real_work_hours": "float64",
    "non_work_hours": "float64",
}

#: Columns and dtypes of the tag frame.
TAG_COLUMNS: dict[str, str] = {
    "tag_id": "Int64",
    "name": "string",
    "description": "string",
    "archived": "boolean",
    "color_index": "Int64",
}

# Where each summary view keeps its entity, and which of its fields go where.
_SUMMARY_FIELDS: dict[str, tuple[str | None, dict[str, str]]] = {
    "user": ("user", {"author_id": "id", "author": "name", "avatar_url": "avatar"}),
    "project": (
        "project",
        {"project_id": "id", "project_key": "key", "project_name": "name"},
    ),
    "issue": (
        "issue",
        {
            "issue_id": "id",
            "issue_key": "key",
            "issue_summary": "summary",
            "project_id": "projectId",
        },
    ),
    "tag": ("tag", {"tag_id": "id", "tag": "name"}),
    "billing": (None, {"billable": "billable"}),
}


def _seconds(values: Sequence[Any]) -> tuple[pd.TimedeltaIndex, np.ndarray]:
    """Exact durations and hours of whole-second counts (NA stays NA)."""
    seconds = pd.array(list(values), dtype="Int64").to_numpy(
        dtype="float64", na_value=np.nan
    )
    duration = pd.TimedeltaIndex(pd.to_timedelta(seconds, unit="s")).as_unit("ns")
    return duration, seconds / 3600.0


def _typed(columns: Mapping[str, Any], schema: Mapping[str, str]) -> pd.DataFrame:
    typed: dict[str, Any] = {}
    for name, spec in schema.items():
        dtype: Any = spec
        if spec.startswith(("timedelta", "datetime", "float")):
            typed[name] = pd.Series(columns[name]).astype(dtype).to_numpy()
        else:
            typed[name] = pd.array(list(columns[name]), dtype=dtype)
    return pd.DataFrame(typed)


def summary_frame(view: str, items: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Turn the items of one summary report view into a tidy frame.

    Parameters
    ----------
    view : {"user", "project", "issue", "tag", "billing"}
        Which view the items come from (``"userView"`` and so on work too).
    items : iterable of mapping
        The view's list, each item holding its entity (``user``,
        ``project``, ``issue``, ``tag``; ``billable`` for the billing view)
        and ``billableLoggedSeconds``, ``nonBillableLoggedSeconds`` and
        ``totalLogged``.

    Returns
    -------
    pandas.DataFrame
        Columns as in :data:`SUMMARY_COLUMNS`: the entity's fields, then
        billable, non-billable and total time as exact durations and as
        hours. Sorted by total time, largest first (ties by the first
        column). A missing total is billable plus non-billable. The tag view's
        untagged work has NA ``tag_id`` and ``tag``, and a worklog with two
        tags counts under both, so tag totals can exceed the user totals.

    Examples
    --------
    >>> items = [
    ...     {"tag": {"id": 3, "name": "support"}, "billableLoggedSeconds": 5400,
    ...      "nonBillableLoggedSeconds": 1800, "totalLogged": 7200},
    ...     {"tag": None, "billableLoggedSeconds": 0,
    ...      "nonBillableLoggedSeconds": 900, "totalLogged": 900},
    ... ]
    >>> frame = summary_frame("tag", items)
    >>> frame["tag"].tolist(), frame["total_hours"].tolist()
    (['support', <NA>], [2.0, 0.25])
    """
    short = {v: k for k, v in SUMMARY_VIEWS.items()}.get(view, view)
    if short not in SUMMARY_COLUMNS:
        raise ValueError(
            f"Unknown summary view {view!r}: use one of {sorted(SUMMARY_VIEWS)}."
        )
    entity_key, fields = _SUMMARY_FIELDS[short]
    rows = [r for r in items if isinstance(r, Mapping)]
    entities = [r if entity_key is None else r.get(entity_key) for r in rows]
    columns: dict[str, Any] = {
        name: [_get(e, key) for e in entities] for name, key in fields.items()
    }
    if short in ("user", "project"):
        id_column = next(iter(fields))
        columns[id_column] = [None if v is None else str(v) for v in columns[id_column]]
    if short == "issue":
        columns["project_id"] = [
            None if v is None else str(v) for v in columns["project_id"]
        ]

    # Exact seconds; a total the server left out is the sum of the two parts.
    billable = [_get(r, "billableLoggedSeconds") for r in rows]
    non_billable = [_get(r, "nonBillableLoggedSeconds") for r in rows]
    total = [
        t
        if (t := _get(r, "totalLogged")) is not None
        else (None if b is None or n is None else b + n)
        for r, b, n in zip(rows, billable, non_billable, strict=True)
    ]
    for prefix, values in (
        ("billable", billable),
        ("non_billable", non_billable),
        ("total", total),
    ):
        columns[f"{prefix}_duration"], columns[f"{prefix}_hours"] = _seconds(values)

    frame = _typed(columns, SUMMARY_COLUMNS[short])
    first = next(iter(fields))
    return frame.sort_values(
        ["total_duration", first],
        ascending=[False, True],
        kind="stable",
        na_position="last",
        ignore_index=True,
    )


def summary_frames(
    report: Mapping[str, Iterable[Mapping[str, Any]]],
    views: Iterable[str] = tuple(SUMMARY_VIEWS),
) -> dict[str, pd.DataFrame]:
    """One frame per view of a summary report answer (see :func:`summary_frame`).

    A view the answer lacks gives an empty frame with the view's columns.

    Examples
    --------
    >>> report = {"userView": [{"user": {"id": "a-1", "name": "Zoë"},
    ...     "billableLoggedSeconds": 3600, "nonBillableLoggedSeconds": 0,
    ...     "totalLogged": 3600}]}
    >>> frames = summary_frames(report, ["user", "project"])
    >>> frames["user"].loc[0, "author"], len(frames["project"])
    ('Zoë', 0)
    """
    return {
        short: summary_frame(short, report.get(SUMMARY_VIEWS[short]) or [])
        for short in _views(views)
    }


def _views(views: Iterable[str]) -> list[str]:
    if isinstance(views, str):
        views = [views]
    short = {v: k for k, v in SUMMARY_VIEWS.items()}
    chosen = [short.get(v, v) for v in views]
    unknown = [v for v in chosen if v not in SUMMARY_VIEWS]
    if unknown:
        raise ConfigurationError(
            f"Unknown summary views {unknown}: use {sorted(SUMMARY_VIEWS)}."
        )
    return list(dict.fromkeys(chosen))


def fetch_summary(
    start: DateLike,
    end: DateLike,
    *,
    views: Iterable[str] = tuple(SUMMARY_VIEWS),
    users: Iterable[str] | None = None,
    projects: Iterable[str | int] | None = None,
    billable: bool | None = None,
    session: TimetrackerSession | None = None,
    refresh: bool = False,
) -> dict[str, pd.DataFrame]:
    """Fetch the summary report: totals per user, project, issue, tag, billing.

    Parameters
    ----------
    start, end : datetime.date or str
        First and last day, both included, in the session's time zone.
    views : list of str
        Any of ``"user"``, ``"project"``, ``"issue"``, ``"tag"``,
        ``"billing"``; all of them by default.
    users, projects, billable
        Filters, as for :func:`fetch_worklogs`.
    session : TimetrackerSession, optional
        The last one connected when omitted.
    refresh : bool
        Ask the service again even for a fresh cached answer.

    Returns
    -------
    dict of str to pandas.DataFrame
        One frame per view (:data:`SUMMARY_COLUMNS`), in the order asked;
        ``attrs`` hold ``timezone``, ``start``, ``end`` and ``view``.

    Examples
    --------
    >>> import tt_notebook as tt
    >>> session = tt.demo(timezone="Europe/Budapest")
    >>> report = tt.fetch_summary("2025-03-03", "2025-03-09", session=session)
    >>> list(report)
    ['user', 'project', 'issue', 'tag', 'billing']
    >>> report["billing"]["billable"].tolist()
    [True, False]
    """
    from .connection import resolve_session

    session = resolve_session(session)
    chosen = _views(views)
    query = api.DetailsQuery.build(
        start, end, users=users, projects=projects, billable=billable
    )
    report = api.summary_report(
        session, query, views=[SUMMARY_VIEWS[v] for v in chosen], refresh=refresh
    )
    frames = summary_frames(report, chosen)
    for short, frame in frames.items():
        frame.attrs.update(
            {
                "timezone": session.timezone,
                "start": query.start.isoformat(),
                "end": query.end.isoformat(),
                "view": short,
            }
        )
    return frames


def fillchecker_frame(
    reports: Iterable[Mapping[str, Any]],
    names: Mapping[str, str | None] | None = None,
) -> pd.DataFrame:
    """Turn fillchecker ``userReports`` into a long frame, one row per person and day.

    Parameters
    ----------
    reports : iterable of mapping
        Items shaped ``{"accountId": ..., "daySummaries": [{"date": ...,
        "realWorkInSeconds": ..., "nonWorkInSeconds": ...}]}``.
    names : mapping, optional
        Display name of each account id, for the ``author`` column (NA where
        unknown).

    Returns
    -------
    pandas.DataFrame
        Columns as in :data:`FILLCHECKER_COLUMNS`, sorted by account id and
        day. Real work and non-work (time on the non-working projects) are
        exact durations and hours.

    Examples
    --------
    >>> reports = [{"accountId": "a-1", "daySummaries": [
    ...     {"date": "2025-03-03", "realWorkInSeconds": 28800, "nonWorkInSeconds": 0},
    ...     {"date": "2025-03-04", "realWorkInSeconds": 0, "nonWorkInSeconds": 28800},
    ... ]}]
    >>> frame = fillchecker_frame(reports, {"a-1": "Zoë"})
    >>> frame[["author", "real_work_hours", "non_work_hours"]].to_dict("list")
    ... # doctest: +NORMALIZE_WHITESPACE
    {'author': ['Zoë', 'Zoë'], 'real_work_hours': [8.0, 0.0],
     'non_work_hours': [0.0, 8.0]}
    """
    names = names or {}
    accounts: list[Any] = []
    days: list[Any] = []
    work: list[Any] = []
    other: list[Any] = []
    for report in reports:
        if not isinstance(report, Mapping):
            continue
        account = report.get("accountId")
        for day in report.get("daySummaries") or []:
            accounts.append(None if account is None else str(account))
            days.append(_get(day, "date"))
            work.append(_get(day, "realWorkInSeconds"))
            other.append(_get(day, "nonWorkInSeconds"))
    columns: dict[str, Any] = {
        "author_id": accounts,
        "author": [names.get(a) if a is not None else None for a in accounts],
        "date": pd.to_datetime(
            pd.Series(days, dtype="string"), format="%Y-%m-%d"
        ).astype("datetime64[ns]"),
    }
    columns["real_work_duration"], columns["real_work_hours"] = _seconds(work)
    columns["non_work_duration"], columns["non_work_hours"] = _seconds(other)
    frame = _typed(columns, FILLCHECKER_COLUMNS)
    return frame.sort_values(
        ["author_id", "date"], kind="stable", ignore_index=True, na_position="last"
    )


def fillchecker_table(
    frame: pd.DataFrame, values: str = "real_work_hours"
) -> pd.DataFrame:
    """The fillchecker as a person-by-day table.

    Parameters
    ----------
    frame : pandas.DataFrame
        A long fillchecker frame (:func:`fetch_fillchecker`).
    values : str
        The column to show: ``"real_work_hours"``, ``"non_work_hours"``, or a
        duration column.

    Returns
    -------
    pandas.DataFrame
        One row per person, labelled with the display name (the account id
        where it is unknown), one column per day, zero where a day is
        missing.

    Examples
    --------
    >>> reports = [{"accountId": "a-1", "daySummaries": [
    ...     {"date": "2025-03-03", "realWorkInSeconds": 28800, "nonWorkInSeconds": 0},
    ...     {"date": "2025-03-04", "realWorkInSeconds": 3600, "nonWorkInSeconds": 0},
    ... ]}]
    >>> table = fillchecker_table(fillchecker_frame(reports))
    >>> table.index.tolist(), table.iloc[0].tolist()
    (['a-1'], [8.0, 1.0])
    """
    if values not in frame.columns:
        raise ValueError(f"values must be a column of the frame, not {values!r}.")
    zero: Any = pd.Timedelta(0) if frame[values].dtype.kind == "m" else 0.0
    ids = frame["author_id"].astype("string")
    table = (
        pd.DataFrame({"author_id": ids, "date": frame["date"], "v": frame[values]})
        .groupby(["author_id", "date"], sort=True)["v"]
        .sum()
        .unstack("date", fill_value=zero)
    )
    if len(frame):
        days = pd.date_range(frame["date"].min(), frame["date"].max(), freq="D")
        table = table.reindex(columns=days.as_unit("ns"), fill_value=zero)
    labels = (
        frame.drop_duplicates("author_id")
        .set_index(frame["author_id"].drop_duplicates().astype("string"))["author"]
        .astype("string")
    )
    names = labels.reindex(table.index).fillna(
        pd.Series(table.index, index=table.index)
    )
    table.index = pd.Index(names.to_numpy(), dtype="string", name="author")
    table.columns.name = "date"
    return table.sort_index(kind="stable")


def fetch_fillchecker(
    start: DateLike,
    end: DateLike,
    *,
    users: Iterable[str] | None = None,
    groups: Iterable[str] | None = None,
    projects: Iterable[str | int] | None = None,
    non_working_projects: Iterable[str | int] | None = None,
    names: bool = True,
    session: TimetrackerSession | None = None,
    refresh: bool = False,
) -> pd.DataFrame:
    """Fetch the fillchecker report: real work and non-work per person and day.

    Parameters
    ----------
    start, end : datetime.date or str
        First and last day, both included, in the session's time zone.
    users : list of str, optional
        Account ids.
    groups : list of str, optional
        Jira group names, whose members are listed.
    projects : list of str or int, optional
        Only worklogs of these numeric project ids count.
    non_working_projects : list of str or int, optional
        Numeric ids of projects (leave, holidays) counted as non-work.
    names : bool
        Fill ``author`` with display names from the summary report (one more
        request); NA for people who logged nothing in the range.
    session : TimetrackerSession, optional
        The last one connected when omitted.
    refresh : bool
        Ask the service again even for a fresh cached answer.

    Returns
    -------
    pandas.DataFrame
        The long frame of :func:`fillchecker_frame`; :func:`fillchecker_table`
        turns it into a person-by-day table.

    Raises
    ------
    ConfigurationError
        When neither ``users`` nor ``groups`` is given: the service would
        answer with nobody.

    Examples
    --------
    >>> import tt_notebook as tt
    >>> session = tt.demo(timezone="Europe/Budapest")
    >>> fill = tt.fetch_fillchecker(
    ...     "2025-03-03", "2025-03-09", groups=["developers"], session=session
    ... )
    >>> sorted(set(fill["date"].dt.day))
    [3, 4, 5, 6, 7, 8, 9]
    """
    from .connection import resolve_session

    if isinstance(users, str) or isinstance(groups, str):
        raise ConfigurationError("users and groups take lists of strings.")
    users, groups = list(users or ()), list(groups or ())
    if not users and not groups:
        raise ConfigurationError(
            "fetch_fillchecker needs users= (account ids) or groups= (Jira "
            "groups): the service lists nobody otherwise."
        )
    session = resolve_session(session)
    reports = api.fillchecker_report(
        session,
        start,
        end,
        users=users,
        groups=groups,
        projects=projects,
        non_working_project_ids=non_working_projects,
        refresh=refresh,
    )
    known: dict[str, str | None] = {}
    if names:
        query = api.DetailsQuery.build(start, end, users=users or None)
        report = api.summary_report(session, query, views=["userView"], refresh=refresh)
        for item in report.get("userView") or []:
            user = _get(item, "user")
            if _get(user, "id") is not None:
                known[str(_get(user, "id"))] = _get(user, "name")
    frame = fillchecker_frame(reports, known)
    query = api.DetailsQuery.build(start, end)
    frame.attrs.update(
        {
            "timezone": session.timezone,
            "start": query.start.isoformat(),
            "end": query.end.isoformat(),
        }
    )
    return frame


def tags_frame(tags: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Turn tag objects into a frame, sorted by id.

    Examples
    --------
    >>> frame = tags_frame([
    ...     {"id": 7, "name": "admin", "description": "Admin tasks",
    ...      "archived": True, "colorIndex": 4},
    ...     {"id": 1, "name": "development", "archived": False, "colorIndex": None},
    ... ])
    >>> frame["name"].tolist(), frame["color_index"].tolist()
    (['development', 'admin'], [<NA>, 4])
    """
    rows = [t for t in tags if isinstance(t, Mapping)]
    fields = {
        "tag_id": "id",
        "name": "name",
        "description": "description",
        "archived": "archived",
        "color_index": "colorIndex",
    }
    columns = {name: [_get(t, key) for t in rows] for name, key in fields.items()}
    frame = _typed(columns, TAG_COLUMNS)
    return frame.sort_values("tag_id", kind="stable", ignore_index=True)


def fetch_tags(
    *, archived: bool | None = None, session: TimetrackerSession | None = None
) -> pd.DataFrame:
    """Fetch the site's worklog tags as a frame (:data:`TAG_COLUMNS`).

    Parameters
    ----------
    archived : bool, optional
        True for archived tags only, False for active ones; all when omitted.
    session : TimetrackerSession, optional
        The last one connected when omitted.

    Examples
    --------
    >>> import tt_notebook as tt
    >>> tags = tt.fetch_tags(session=tt.demo())
    >>> list(tags.columns)
    ['tag_id', 'name', 'description', 'archived', 'color_index']
    """
    from .connection import resolve_session

    session = resolve_session(session)
    return tags_frame(api.list_tags(session, archived=archived))
