"""The reports of the emulated API: details, summary and fillchecker.

Internal to the emulator. The three share one notion of which worklogs a
request selects (:class:`Selection`): a half-open UTC range from the local
day bounds, what the token may see, and the filters of the body. The
details report pages a sorted selection; the summary report adds it up by
user, project, issue, tag and billable flag; the fillchecker adds it up by
person and local day.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .context import RawJson, Request
from .data import Organisation, Worklog
from .fields import (
    Fields,
    body_fields,
    day_bounds,
    json_bytes,
    request_zone,
    utc_timestamp,
)
from .jql import JqlError, issues_matching

if TYPE_CHECKING:
    from .server import EmulatorServer

__all__: list[str] = []

SUMMARY_VIEWS = ("userView", "projectView", "issueView", "tagView", "billingView")
"""The ``groupBy`` values of the summary report, in the answer's order."""
EXPAND_VALUES = frozenset(
    {"AUTHOR", "PROJECT", "STATUS", "TYPE", "ASSIGNEE", "REPORTER", "PRIORITY"}
)
"""The ``expand`` values accepted; only ``AUTHOR`` changes an answer."""
ORDER_FIELDS = (
    "worklogStartTime",
    "worklogCreated",
    "worklogTimeSpent",
    "worklogUpdated",
)
"""The ``orderBy`` fields of the details report, each also with ``-``."""
FILLCHECKER_MAX_DAYS = 731
"""The longest fillchecker range: two years, leap day included."""

_ORDER_KEYS: dict[str, Callable[[Worklog], Any]] = {
    "worklogCreated": attrgetter("created_at"),
    "worklogUpdated": attrgetter("updated_at"),
    "worklogTimeSpent": attrgetter("duration_seconds"),
}
_RESULT_CACHE_SIZE = 32


@dataclass(frozen=True, slots=True)
class Selection:
    """Which worklogs a report request selects.

    ``None`` in a filter means no filtering by it.
    """

    first: datetime
    last: datetime
    visible: frozenset[str] | None = None
    authors: frozenset[str] | None = None
    projects: frozenset[str] | None = None
    billable: bool | None = None
    issues: frozenset[int] | None = None


def select(org: Organisation, selection: Selection) -> list[Worklog]:
    """Return the selected worklogs, sorted by ``(start, worklog_id)``."""
    # The date range by bisection, then the cheap filters.
    matches = org.worklogs_between(selection.first, selection.last)
    visible, authors = selection.visible, selection.authors
    if visible is not None:
        matches = [w for w in matches if w.author_id in visible]
    if authors is not None:
        matches = [w for w in matches if w.author_id in authors]
    if selection.issues is not None:
        issues = selection.issues
        matches = [w for w in matches if w.issue_id in issues]
    if selection.projects is not None:
        projects = selection.projects
        project_of = {i.id: i.project_id for i in org.issues}
        matches = [w for w in matches if project_of[w.issue_id] in projects]
    if selection.billable is not None:
        billable = selection.billable
        matches = [w for w in matches if w.billable is billable]
    return matches


class ResultCache:
    """Sorted selections with their total seconds, for the recent requests.

    A client pages through one query; keeping its sorted result makes every
    page after the first a slice. Entries are keyed on the organisation's
    revision, so a change makes them unreachable.
    """

    def __init__(self, size: int = _RESULT_CACHE_SIZE) -> None:
        self._size = size
        self._results: OrderedDict[tuple[object, ...], tuple[list[Worklog], int]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def get(
        self, org: Organisation, selection: Selection, order: str
    ) -> tuple[list[Worklog], int]:
        """Return the selection sorted by ``order`` and its total seconds."""
        key = (id(org), org.revision, selection, order)
        with self._lock:
            cached = self._results.get(key)
            if cached is not None:
                self._results.move_to_end(key)
                return cached

        # The range comes sorted by (start, id); stable sorts keep ties in
        # ascending id order in either direction.
        matches = select(org, selection)
        descending = order.startswith("-")
        field_name = order.removeprefix("-")
        if field_name != "worklogStartTime":
            matches.sort(key=attrgetter("worklog_id"))
            matches.sort(key=_ORDER_KEYS[field_name], reverse=descending)
        elif descending:
            matches.sort(key=attrgetter("start"), reverse=True)
        result = (matches, sum(w.duration_seconds for w in matches))

        with self._lock:
            self._results[key] = result
            while len(self._results) > self._size:
                self._results.popitem(last=False)
        return result


class EntryCache:
    """Details-report items as JSON bytes, made once per worklog version.

    A page is then the join of its items' bytes: serialising a 1,000-item
    page anew would cost ten times more than the rest of the request. An
    item holds tag names, so a change of any tag empties the cache.
    """

    def __init__(self) -> None:
        self._entries: dict[int, tuple[Worklog, bytes]] = {}
        self._tag_revision = -1
        self._lock = threading.Lock()

    def entry(self, org: Organisation, worklog: Worklog) -> bytes:
        """Return the details-report item of a worklog, as JSON."""
        with self._lock:
            if self._tag_revision != org.tag_revision:
                self._entries.clear()
                self._tag_revision = org.tag_revision
            cached = self._entries.get(worklog.worklog_id)
        if cached is not None and cached[0] is worklog:
            return cached[1]
        issue = org.issue(worklog.issue_id)
        project = org.project(issue.project_id)
        entry = json_bytes(
            {
                "issue": {"id": issue.id, "key": issue.key, "summary": issue.summary},
                "project": {
                    "id": project.id,
                    "key": project.key,
                    "name": project.name,
                },
                "worklog": {
                    "id": worklog.worklog_id,
                    "jiraWorklogId": worklog.jira_worklog_id,
                    "description": worklog.description,
                    "durationInSeconds": worklog.duration_seconds,
                    "isBillable": worklog.billable,
                    "startTime": utc_timestamp(worklog.start),
                    "author": author(org, worklog.author_id),
                    "worklogTags": tag_refs(org, worklog),
                },
            }
        )
        with self._lock:
            self._entries[worklog.worklog_id] = (worklog, entry)
        return entry


def author(
    org: Organisation, account_id: str, *, avatar: bool = False
) -> dict[str, object]:
    """The ``author``/``user`` object: ``id``, ``name`` and maybe ``avatar``."""
    name = org.person(account_id).name
    # Jira no longer gives the name of a deleted user: the key is absent.
    found: dict[str, object] = {"id": account_id}
    if name is not None:
        found["name"] = name
    if avatar:
        found["avatar"] = avatar_url(account_id)
    return found


def avatar_url(account_id: str) -> str:
    """A made-up avatar address on the reserved ``.example`` domain."""
    return f"https://avatar.example/48/{account_id.rpartition(':')[2]}.png"


def tag_refs(org: Organisation, worklog: Worklog) -> list[dict[str, object]]:
    """The ``[{id, name}]`` list of a worklog's tags, by id."""
    return [{"id": t, "name": org.tag(t).name} for t in sorted(worklog.tag_ids)]


# ---------------------------------------------------------------------------
# Request bodies


def authors_asked(
    org: Organisation, users: list[str] | None, groups: list[str] | None
) -> frozenset[str] | None:
    """``users`` and the members of ``groups`` together; ``None`` if neither."""
    if not users and not groups:
        return None
    wanted = set(users or ())
    for group in groups or ():
        wanted |= {p.account_id for p in org.members(group)}
    return frozenset(wanted)


def _issue_filter(server: EmulatorServer, fields: Fields) -> frozenset[int] | None:
    """The issues allowed by ``filters`` (any of them) and ``jql`` together."""
    org = server.org
    allowed: frozenset[int] | None = None

    # 1. Saved filters: an issue passes when any one of them selects it.
    filters = fields.strings("filters", numbers=True)
    if filters:
        union: set[int] = set()
        for filter_id in filters:
            text = server.saved_filters.get(filter_id)
            if text is None:
                fields.jira_error("filters", f"The filter {filter_id} does not exist.")
                continue
            found = issues_matching(text, org)
            union |= {i.id for i in org.issues} if found is None else found
        allowed = frozenset(union)

    # 2. The query of the request itself.
    jql = fields.string("jql")
    if jql is not None:
        try:
            found = issues_matching(jql, org)
        except JqlError as exc:
            fields.jira_error("jql", f"Unsupported JQL: {exc}")
            return None
        if found is not None:
            allowed = found if allowed is None else allowed & found
    return allowed


def _expand(fields: Fields) -> frozenset[str]:
    values = fields.strings("expand") or []
    if any(value not in EXPAND_VALUES for value in values):
        fields.error("Invalid", "expand")
        return frozenset()
    return frozenset(values)


def report_selection(
    server: EmulatorServer, request: Request, fields: Fields, tz: ZoneInfo
) -> tuple[Selection | None, frozenset[str]]:
    """Read the filters shared by the details and summary reports.

    Returns the selection (``None`` when a field was wrong; the errors are
    in ``fields``) and the ``expand`` values.
    """
    days = fields.date_range("startDate", "endDate")
    users = fields.strings("users")
    groups = fields.strings("groups")
    projects = fields.strings("projects", numbers=True)
    billable = fields.boolean("filterBillable")
    issues = _issue_filter(server, fields)
    expand = _expand(fields)
    # The tag filter's shape is unknown: refused rather than guessed.
    if fields.present("reportTagFilter"):
        fields.error("Invalid", "reportTagFilter")
    if days is None:
        return None, expand
    first, last = day_bounds(days[0], days[1], tz)
    selection = Selection(
        first,
        last,
        server._visible_authors(request.grant),
        authors_asked(server.org, users, groups),
        frozenset(projects) if projects else None,
        billable,
        issues,
    )
    return selection, expand


# ---------------------------------------------------------------------------
# Routes


def details(server: EmulatorServer, request: Request) -> object:
    """``POST /report/details``: one page of worklogs with issue and project."""
    fields = body_fields(request.body)
    tz = request_zone(request.headers)

    # 1. Validate every field first, so that one answer lists all errors.
    start_at = fields.integer("startAt", required=True, minimum=0)
    max_results = fields.integer("maxResults")
    selection, _ = report_selection(server, request, fields, tz)
    order = fields.body.get("orderBy")
    order = "worklogStartTime" if order is None else order
    if not isinstance(order, str) or order.removeprefix("-") not in ORDER_FIELDS:
        fields.error("Invalid", "orderBy")
    fields.raise_if_any()
    # No errors means every value is set; the checks narrow the types.
    assert start_at is not None
    assert selection is not None
    assert isinstance(order, str)

    # 2. Faults that change the data, then the sorted matches (cached).
    server._apply_data_faults(request, selection)
    matches, seconds = server._results.get(server.org, selection, order)

    # 3. The page.
    size = server.default_page_size if max_results is None else max_results
    size = min(max(size, 1), server.max_page_size)
    page = matches[start_at : start_at + size]
    head = json_bytes(
        {
            "total": len(matches),
            "startAt": start_at,
            "maxResults": size,
            "totalWorkTimeInSeconds": seconds,
        }
    )
    entry = server._entries.entry
    values = b",".join(entry(server.org, w) for w in page)
    return RawJson(head[:-1] + b',"values":[' + values + b"]}")


def summary(server: EmulatorServer, request: Request) -> object:
    """``POST /report/summary``: totals by user and the views asked for."""
    fields = body_fields(request.body)
    tz = request_zone(request.headers)

    # 1. The same fields as the details report, and the views.
    fields.integer("startAt", required=True, minimum=0)
    fields.integer("maxResults")
    selection, expand = report_selection(server, request, fields, tz)
    views = _group_by(fields)
    fields.raise_if_any()
    assert selection is not None

    # 2. The matches, added up once per view.
    server._apply_data_faults(request, selection)
    matches, _ = server._results.get(server.org, selection, "worklogStartTime")
    org = server.org
    answer: dict[str, object] = {}
    for view in SUMMARY_VIEWS:
        if view in views:
            answer[view] = _view_items(org, matches, view, "AUTHOR" in expand)
    return answer


def _group_by(fields: Fields) -> frozenset[str]:
    value = fields.body.get("groupBy")
    names = [value] if isinstance(value, str) else value
    if value is None:
        names = []
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        fields.error("InvalidFormat", "groupBy")
        return frozenset({"userView"})
    if any(name not in SUMMARY_VIEWS for name in names):
        fields.error("Invalid", "groupBy")
    return frozenset({"userView", *names})


def _view_items(
    org: Organisation, matches: Iterable[Worklog], view: str, avatars: bool
) -> list[dict[str, object]]:
    # 1. Billable and non-billable seconds per entity of the view.
    project_of = {i.id: i.project_id for i in org.issues}
    totals: dict[object, list[int]] = {}
    for worklog in matches:
        keys: Iterable[object]
        if view == "userView":
            keys = (worklog.author_id,)
        elif view == "projectView":
            keys = (project_of[worklog.issue_id],)
        elif view == "issueView":
            keys = (worklog.issue_id,)
        elif view == "tagView":
            # A worklog with two tags counts in both; one without in None.
            keys = worklog.tag_ids or (None,)
        else:
            keys = (worklog.billable,)
        for key in keys:
            pair = totals.setdefault(key, [0, 0])
            pair[0 if worklog.billable else 1] += worklog.duration_seconds

    # 2. The items, largest first; ties by id, the untagged item last.
    def rank(item: tuple[object, list[int]]) -> tuple[int, bool, Any]:
        key, (billable, other) = item
        return (-(billable + other), key is None, key if key is not None else 0)

    items: list[dict[str, object]] = []
    for group, (billable, other) in sorted(totals.items(), key=rank):
        item = _entity(org, view, group, avatars)
        item["billableLoggedSeconds"] = billable
        item["nonBillableLoggedSeconds"] = other
        item["totalLogged"] = billable + other
        items.append(item)
    return items


def _entity(org: Organisation, view: str, key: Any, avatars: bool) -> dict[str, object]:
    if view == "userView":
        return {"user": author(org, key, avatar=avatars)}
    if view == "projectView":
        project = org.project(key)
        return {"project": {"id": project.id, "key": project.key, "name": project.name}}
    if view == "issueView":
        issue = org.issue(key)
        return {
            "issue": {
                "id": issue.id,
                "key": issue.key,
                "summary": issue.summary,
                "projectId": issue.project_id,
            }
        }
    if view == "tagView":
        return {"tag": None if key is None else {"id": key, "name": org.tag(key).name}}
    return {"billable": key}


def fillchecker(server: EmulatorServer, request: Request) -> object:
    """``POST /report/fillchecker``: work and non-work per person and day."""
    fields = body_fields(request.body)
    tz = request_zone(request.headers)

    # 1. Validate the fields.
    days = fields.date_range("dateFrom", "dateUntil", max_days=FILLCHECKER_MAX_DAYS)
    users = fields.strings("users")
    groups = fields.strings("groups")
    projects = fields.integers("projects")
    non_working = fields.integers("nonWorkingProjectIds")
    fields.raise_if_any()
    assert days is not None

    # 2. The people: those named and the members of the groups named, that
    # the token may see, in the organisation's order. Neither: nobody.
    org = server.org
    asked = authors_asked(org, users, groups)
    if asked is None:
        return {"userReports": []}
    visible = server._visible_authors(request.grant)
    people = [
        p.account_id
        for p in org.people
        if p.account_id in asked and (visible is None or p.account_id in visible)
    ]

    # 3. Seconds per person and local day of the worklog's start.
    first, last = day_bounds(days[0], days[1], tz)
    selection = Selection(
        first,
        last,
        visible,
        asked,
        frozenset(str(p) for p in projects) if projects else None,
    )
    server._apply_data_faults(request, selection)
    matches, _ = server._results.get(org, selection, "worklogStartTime")
    non_work = {str(p) for p in non_working or ()}
    project_of = {i.id: i.project_id for i in org.issues}
    seconds: dict[tuple[str, date], list[int]] = {}
    for worklog in matches:
        day = worklog.start.astimezone(tz).date()
        pair = seconds.setdefault((worklog.author_id, day), [0, 0])
        pair[1 if project_of[worklog.issue_id] in non_work else 0] += (
            worklog.duration_seconds
        )

    # 4. Every day of the range for every person, zeros included.
    count = (days[1] - days[0]).days + 1
    calendar = [days[0] + timedelta(days=n) for n in range(count)]
    return {
        "userReports": [
            {
                "accountId": account_id,
                "daySummaries": [
                    _day_summary(day, seconds.get((account_id, day), (0, 0)))
                    for day in calendar
                ],
            }
            for account_id in people
        ]
    }


def _day_summary(day: date, pair: Iterable[int]) -> dict[str, object]:
    real, other = pair
    return {
        "date": day.isoformat(),
        "realWorkInSeconds": real,
        "nonWorkInSeconds": other,
    }
