"""A seeded, realistic organisation for the Timetracker emulator.

The organisation holds people, projects, issues, worklog tags and worklogs.
:func:`build_organisation` generates one from a seed: the same seed gives the
same data on every machine, because every random choice comes from one
``random.Random(seed)`` and nothing depends on the clock, on ``hash()`` of
strings or on the order of a set.

Times are stored as aware UTC instants. Work is planned as local wall-clock
times in each person's own zone and converted with :mod:`zoneinfo`, so days,
public holidays, midnights and DST changes fall where they would for a real
team spread over several zones.
"""

from __future__ import annotations

import bisect
import dataclasses
import logging
import math
import random
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

__all__ = [
    "Issue",
    "Organisation",
    "Person",
    "Project",
    "Tag",
    "Worklog",
    "build_organisation",
    "local_to_utc",
]

logger = logging.getLogger(__name__)

_K = TypeVar("_K")
_V = TypeVar("_V")


@dataclass(frozen=True, slots=True)
class Person:
    """A Jira user who logs work.

    Parameters
    ----------
    account_id : str
        Atlassian account id, such as ``"712020:<uuid>"``.
    name : str or None
        Display name; ``None`` for a deleted user, whose name Jira no longer
        reveals.
    timezone : str
        IANA zone the person works in; their days and holidays follow it.
    groups : tuple of str
        Jira group names, such as ``"developers"``.
    deleted : bool
        Whether the account was deleted (the worklogs remain).
    hours_per_day : float
        Contracted hours of a normal working day.

    Examples
    --------
    >>> Person("712020:1", "Ann", "UTC", ("support",), False, 8.0).name
    'Ann'
    """

    account_id: str
    name: str | None
    timezone: str
    groups: tuple[str, ...]
    deleted: bool
    hours_per_day: float


@dataclass(frozen=True, slots=True)
class Project:
    """A Jira project.

    Parameters
    ----------
    id : str
        Numeric Jira project id as a string, such as ``"10000"``.
    key : str
        Project key, such as ``"WEB"``.
    name : str
        Display name.
    non_working : bool
        Whether time on it is leave or absence rather than work.

    Examples
    --------
    >>> Project("10000", "WEB", "Web shop", False).key
    'WEB'
    """

    id: str
    key: str
    name: str
    non_working: bool


@dataclass(frozen=True, slots=True)
class Issue:
    """A Jira issue that work is logged on.

    Parameters
    ----------
    id : int
        Numeric Jira issue id.
    key : str
        Issue key, such as ``"WEB-17"``.
    summary : str
        Issue title.
    project_id : str
        Id of the project the issue belongs to.

    Examples
    --------
    >>> Issue(20001, "WEB-1", "Café checkout flow", "10000").key
    'WEB-1'
    """

    id: int
    key: str
    summary: str
    project_id: str


@dataclass(frozen=True, slots=True)
class Tag:
    """A Timetracker worklog tag.

    Parameters
    ----------
    id : int
        Tag id.
    name : str
        Tag name.
    description : str
        Free text.
    archived : bool
        Whether the tag is archived.
    color_index : int or None
        Colour slot; ``None`` means the default colour.

    Examples
    --------
    >>> Tag(1, "development", "Coding work", False, None).name
    'development'
    """

    id: int
    name: str
    description: str
    archived: bool
    color_index: int | None


@dataclass(frozen=True, slots=True)
class Worklog:
    """One logged piece of work.

    Parameters
    ----------
    worklog_id : int
        Timetracker worklog id.
    jira_worklog_id : int
        Jira's own worklog id.
    issue_id : int
        Id of the issue the work is logged on.
    author_id : str
        Account id of the person who did the work.
    start : datetime
        Aware start instant (stored in UTC by :func:`build_organisation`).
    duration_seconds : int
        Length of the work in seconds.
    description : str
        Work description, possibly empty.
    billable : bool
        Billable flag.
    tag_ids : tuple of int
        Ids of the worklog's tags.
    created : datetime, optional
        When the worklog was entered; the end of the work when omitted.
    updated : datetime, optional
        When it was last changed; ``created`` when omitted.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> w = Worklog(1, 2, 20001, "712020:1", datetime(2025, 3, 18, 8, tzinfo=UTC),
    ...             3600, "", True, ())
    >>> w.created_at.isoformat()
    '2025-03-18T09:00:00+00:00'
    """

    worklog_id: int
    jira_worklog_id: int
    issue_id: int
    author_id: str
    start: datetime
    duration_seconds: int
    description: str
    billable: bool
    tag_ids: tuple[int, ...]
    created: datetime | None = None
    updated: datetime | None = None

    @property
    def end(self) -> datetime:
        """The instant the work ended."""
        return self.start + timedelta(seconds=self.duration_seconds)

    @property
    def created_at(self) -> datetime:
        """When the worklog was entered (the end of the work if not recorded)."""
        return self.created if self.created is not None else self.end

    @property
    def updated_at(self) -> datetime:
        """When the worklog was last changed (its creation if not recorded)."""
        return self.updated if self.updated is not None else self.created_at


def _sort_key(worklog: Worklog) -> tuple[datetime, int]:
    return (worklog.start, worklog.worklog_id)


def _start_of(worklog: Worklog) -> datetime:
    return worklog.start


@dataclass(eq=True, repr=False)
class Organisation:
    """Everything the emulator serves: people, projects, issues, tags, worklogs.

    Build one with :func:`build_organisation`, or by hand from explicit lists
    (tests build tiny ones). References are checked on construction and
    ``worklogs`` is kept sorted by ``(start, worklog_id)``.

    Parameters
    ----------
    people : list of Person
        Users, in a stable order.
    projects : list of Project
        Projects.
    issues : list of Issue
        Issues; each must name a known project.
    tags : list of Tag
        Worklog tags.
    worklogs : list of Worklog, optional
        Worklogs; each must name a known issue, author and tags, and carry an
        aware ``start``.

    Attributes
    ----------
    revision : int
        Incremented by every change, so that caches of derived answers can
        tell when they are stale.
    tag_revision : int
        Incremented by every change of a tag (which also changes
        ``revision``), for caches that hold tag names.

    Notes
    -----
    Change worklogs only through :meth:`add_worklog`,
    :meth:`replace_worklog` and :meth:`remove_worklog`, and tags through
    :meth:`add_tag`, :meth:`replace_tag` and :meth:`remove_tag`; they hold
    the lock and keep the order. Reading
    ``worklogs`` directly while another thread changes it may see a list in
    the middle of an update; :meth:`worklogs_between` takes the lock.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> org = Organisation(
    ...     people=[Person("712020:1", "Ann", "UTC", (), False, 8.0)],
    ...     projects=[Project("10000", "WEB", "Web shop", False)],
    ...     issues=[Issue(20001, "WEB-1", "Checkout", "10000")],
    ...     tags=[],
    ... )
    >>> w = org.add_worklog(20001, "712020:1", datetime(2025, 1, 2, 9, tzinfo=UTC), 900)
    >>> (w.worklog_id, len(org.worklogs))
    (1, 1)
    """

    people: list[Person]
    projects: list[Project]
    issues: list[Issue]
    tags: list[Tag]
    worklogs: list[Worklog] = field(default_factory=list)
    revision: int = field(default=0, init=False, compare=False)
    tag_revision: int = field(default=0, init=False, compare=False)
    _people_by_id: dict[str, Person] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _projects_by_id: dict[str, Project] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _issues_by_id: dict[int, Issue] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _tags_by_id: dict[int, Tag] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _worklogs_by_id: dict[int, Worklog] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _lock: threading.RLock = field(
        init=False, repr=False, compare=False, default_factory=threading.RLock
    )
    _next_worklog_id: int = field(init=False, repr=False, compare=False, default=1)
    _next_jira_worklog_id: int = field(init=False, repr=False, compare=False, default=1)

    def __post_init__(self) -> None:
        # 1. Index the reference data; duplicates would make lookups ambiguous.
        self.people = list(self.people)
        self.projects = list(self.projects)
        self.issues = list(self.issues)
        self.tags = list(self.tags)
        self._people_by_id = _index(self.people, lambda p: p.account_id, "person")
        self._projects_by_id = _index(self.projects, lambda p: p.id, "project")
        self._issues_by_id = _index(self.issues, lambda i: i.id, "issue")
        self._tags_by_id = _index(self.tags, lambda t: t.id, "tag")
        for issue in self.issues:
            if issue.project_id not in self._projects_by_id:
                raise ValueError(
                    f"issue {issue.key} names unknown project {issue.project_id!r}"
                )

        # 2. Check and order the worklogs, and continue their id sequences.
        for worklog in self.worklogs:
            self._check_worklog(worklog)
        self.worklogs = sorted(
            (
                w
                if w.start.tzinfo is UTC
                else _replace_start(w, w.start.astimezone(UTC))
                for w in self.worklogs
            ),
            key=_sort_key,
        )
        self._worklogs_by_id = _index(self.worklogs, lambda w: w.worklog_id, "worklog")
        self._next_worklog_id = 1 + max(self._worklogs_by_id, default=0)
        self._next_jira_worklog_id = 1 + max(
            (w.jira_worklog_id for w in self.worklogs), default=0
        )

    def __repr__(self) -> str:
        # The default repr would list every worklog: thousands of lines.
        return (
            f"<Organisation people={len(self.people)} projects={len(self.projects)}"
            f" issues={len(self.issues)} tags={len(self.tags)}"
            f" worklogs={len(self.worklogs)}>"
        )

    def _check_worklog(self, worklog: Worklog) -> None:
        if worklog.start.tzinfo is None or worklog.start.utcoffset() is None:
            raise ValueError(f"worklog {worklog.worklog_id} has a naive start time")
        if worklog.issue_id not in self._issues_by_id:
            raise ValueError(
                f"worklog {worklog.worklog_id} names unknown issue {worklog.issue_id}"
            )
        if worklog.author_id not in self._people_by_id:
            raise ValueError(
                f"worklog {worklog.worklog_id} names unknown author "
                f"{worklog.author_id!r}"
            )
        for tag_id in worklog.tag_ids:
            if tag_id not in self._tags_by_id:
                raise ValueError(
                    f"worklog {worklog.worklog_id} names unknown tag {tag_id}"
                )
        if worklog.duration_seconds <= 0:
            raise ValueError(f"worklog {worklog.worklog_id} has no positive duration")

    def person(self, account_id: str) -> Person:
        """Return the person with this account id (``KeyError`` if unknown)."""
        return self._people_by_id[account_id]

    def project(self, project_id: str) -> Project:
        """Return the project with this id (``KeyError`` if unknown)."""
        return self._projects_by_id[project_id]

    def issue(self, issue_id: int) -> Issue:
        """Return the issue with this id (``KeyError`` if unknown)."""
        return self._issues_by_id[issue_id]

    def tag(self, tag_id: int) -> Tag:
        """Return the tag with this id (``KeyError`` if unknown)."""
        with self._lock:
            return self._tags_by_id[tag_id]

    def worklog(self, worklog_id: int) -> Worklog:
        """Return the worklog with this id (``KeyError`` if unknown)."""
        with self._lock:
            return self._worklogs_by_id[worklog_id]

    def members(self, group: str) -> list[Person]:
        """Return the people in a Jira group, in the organisation's order."""
        return [p for p in self.people if group in p.groups]

    def worklogs_between(self, start: datetime, end: datetime) -> list[Worklog]:
        """Return the worklogs with ``start <= worklog.start < end``, in order.

        Parameters
        ----------
        start, end : datetime
            Aware instants bounding the half-open range.

        Returns
        -------
        list of Worklog
            A new list, sorted by ``(start, worklog_id)``.
        """
        with self._lock:
            lo = bisect.bisect_left(self.worklogs, start, key=_start_of)
            hi = bisect.bisect_left(self.worklogs, end, lo=lo, key=_start_of)
            return self.worklogs[lo:hi]

    def add_worklog(
        self,
        issue_id: int,
        author_id: str,
        start: datetime,
        duration_seconds: int,
        description: str = "",
        billable: bool = False,
        tag_ids: Sequence[int] = (),
        *,
        created: datetime | None = None,
        updated: datetime | None = None,
    ) -> Worklog:
        """Add a worklog with the next worklog and Jira worklog ids.

        Parameters
        ----------
        issue_id : int
            A known issue id.
        author_id : str
            A known account id.
        start : datetime
            Aware start instant; stored converted to UTC.
        duration_seconds : int
            Positive length in seconds.
        description : str
            Work description.
        billable : bool
            Billable flag.
        tag_ids : sequence of int
            Known tag ids.
        created, updated : datetime, optional
            Entry and change instants; see :class:`Worklog`.

        Returns
        -------
        Worklog
            The stored worklog.

        Raises
        ------
        ValueError
            If a reference is unknown, ``start`` is naive or the duration is
            not positive.
        """
        with self._lock:
            worklog = Worklog(
                worklog_id=self._next_worklog_id,
                jira_worklog_id=self._next_jira_worklog_id,
                issue_id=issue_id,
                author_id=author_id,
                start=start,
                duration_seconds=int(duration_seconds),
                description=description,
                billable=billable,
                tag_ids=tuple(tag_ids),
                created=created,
                updated=updated,
            )
            self._check_worklog(worklog)
            worklog = _replace_start(worklog, start.astimezone(UTC))
            bisect.insort(self.worklogs, worklog, key=_sort_key)
            self._worklogs_by_id[worklog.worklog_id] = worklog
            self._next_worklog_id += 1
            self._next_jira_worklog_id += 1
            self.revision += 1
            return worklog

    def remove_worklog(self, worklog_id: int) -> Worklog:
        """Remove a worklog and return it (``KeyError`` if unknown)."""
        with self._lock:
            worklog = self._worklogs_by_id.pop(worklog_id)
            index = bisect.bisect_left(self.worklogs, _sort_key(worklog), key=_sort_key)
            del self.worklogs[index]
            self.revision += 1
            return worklog

    def replace_worklog(self, worklog: Worklog) -> Worklog:
        """Store a changed worklog in place of the one with the same id.

        Parameters
        ----------
        worklog : Worklog
            The new version, usually made with :func:`dataclasses.replace`;
            its ``worklog_id`` must be known.

        Returns
        -------
        Worklog
            The stored worklog (its start converted to UTC).

        Raises
        ------
        KeyError
            If the worklog id is unknown.
        ValueError
            If a reference is unknown, ``start`` is naive or the duration is
            not positive.
        """
        with self._lock:
            old = self._worklogs_by_id[worklog.worklog_id]
            self._check_worklog(worklog)
            worklog = _replace_start(worklog, worklog.start.astimezone(UTC))
            index = bisect.bisect_left(self.worklogs, _sort_key(old), key=_sort_key)
            del self.worklogs[index]
            bisect.insort(self.worklogs, worklog, key=_sort_key)
            self._worklogs_by_id[worklog.worklog_id] = worklog
            self.revision += 1
            return worklog

    def add_tag(
        self, name: str, description: str = "", color_index: int | None = None
    ) -> Tag:
        """Add an unarchived tag with the next tag id and return it."""
        with self._lock:
            tag = Tag(
                1 + max(self._tags_by_id, default=0),
                name,
                description,
                False,
                color_index,
            )
            self.tags.append(tag)
            self._tags_by_id[tag.id] = tag
            self._tag_changed()
            return tag

    def replace_tag(self, tag: Tag) -> Tag:
        """Store a changed tag in place of the one with the same id.

        Raises
        ------
        KeyError
            If the tag id is unknown.
        """
        with self._lock:
            old = self._tags_by_id[tag.id]
            self.tags[self.tags.index(old)] = tag
            self._tags_by_id[tag.id] = tag
            self._tag_changed()
            return tag

    def remove_tag(self, tag_id: int) -> Tag:
        """Remove a tag, and take it off every worklog that carries it.

        Raises
        ------
        KeyError
            If the tag id is unknown.
        """
        with self._lock:
            tag = self._tags_by_id.pop(tag_id)
            self.tags.remove(tag)
            for index, worklog in enumerate(self.worklogs):
                if tag_id in worklog.tag_ids:
                    kept = tuple(t for t in worklog.tag_ids if t != tag_id)
                    changed = dataclasses.replace(worklog, tag_ids=kept)
                    self.worklogs[index] = changed
                    self._worklogs_by_id[worklog.worklog_id] = changed
            self._tag_changed()
            return tag

    def _tag_changed(self) -> None:
        self.tag_revision += 1
        self.revision += 1


def _replace_start(worklog: Worklog, start: datetime) -> Worklog:
    return Worklog(
        worklog.worklog_id,
        worklog.jira_worklog_id,
        worklog.issue_id,
        worklog.author_id,
        start,
        worklog.duration_seconds,
        worklog.description,
        worklog.billable,
        worklog.tag_ids,
        worklog.created,
        worklog.updated,
    )


def _index(items: Iterable[_V], key: Callable[[_V], _K], what: str) -> dict[_K, _V]:
    index: dict[_K, _V] = {}
    for item in items:
        k = key(item)
        if k in index:
            raise ValueError(f"duplicate {what} id {k!r}")
        index[k] = item
    return index


# ---------------------------------------------------------------------------
# Local time


def local_to_utc(
    day: date, minute_of_day: int, tz: ZoneInfo, *, fold: int = 0
) -> datetime:
    """Convert a local wall-clock time to an aware UTC instant.

    Parameters
    ----------
    day : date
        Local calendar day.
    minute_of_day : int
        Minutes after local midnight; values of 1440 and more roll into the
        following days.
    tz : ZoneInfo
        The zone of the wall clock.
    fold : int
        Which occurrence of an ambiguous time (in the hour repeated when
        clocks go back) is meant: 0 the first, 1 the second.

    Returns
    -------
    datetime
        The instant in UTC.

    Notes
    -----
    A time that does not exist (in the hour skipped when clocks go forward)
    is moved forward by the length of the gap: 02:30 on a night when 02:00
    becomes 03:00 gives 03:30.

    Examples
    --------
    >>> from zoneinfo import ZoneInfo
    >>> local_to_utc(date(2025, 3, 30), 150, ZoneInfo("Europe/Budapest")).isoformat()
    '2025-03-30T01:30:00+00:00'
    """
    naive = datetime.combine(day, time()) + timedelta(minutes=minute_of_day)
    utc = naive.replace(tzinfo=tz, fold=fold).astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) != naive:
        # Nonexistent: the offset from before the change (fold=0) is what
        # moves the wall time forward rather than back.
        utc = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    return utc


def _dst_hours(day: date, tz: ZoneInfo) -> tuple[list[int], list[int]]:
    """Return the local hours of a day that are skipped and that repeat."""
    start = datetime.combine(day, time(0, 0), tzinfo=tz).utcoffset()
    end = datetime.combine(day, time(23, 59), tzinfo=tz).utcoffset()
    skipped: list[int] = []
    repeated: list[int] = []
    if start == end:
        return skipped, repeated
    for hour in range(24):
        naive = datetime.combine(day, time(hour, 30))
        first = naive.replace(tzinfo=tz, fold=0).utcoffset() or timedelta()
        second = naive.replace(tzinfo=tz, fold=1).utcoffset() or timedelta()
        # PEP 495: in a gap fold=0 uses the earlier (smaller) offset, in a
        # repeated hour it uses the earlier (larger, summer) one.
        if first < second:
            skipped.append(hour)
        elif first > second:
            repeated.append(hour)
    return skipped, repeated


# ---------------------------------------------------------------------------
# Public holidays


def _easter_sunday(year: int) -> date:
    # The anonymous Gregorian computus.
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """Return the n-th given weekday of a month (n = -1 for the last)."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    following = date(year + month // 12, month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


_MON, _THU, _FRI = 0, 3, 4

# Fixed-date holidays per zone: a few per country, enough to shape the data.
_FIXED_HOLIDAYS: dict[str, tuple[tuple[int, int], ...]] = {
    "Europe/Budapest": ((1, 1), (3, 15), (5, 1), (8, 20), (10, 23), (11, 1)),
    "Europe/Warsaw": ((1, 1), (1, 6), (5, 1), (5, 3), (8, 15), (11, 1), (11, 11)),
    "Europe/Berlin": ((1, 1), (5, 1), (10, 3)),
    "Europe/Paris": ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11)),
    "Europe/London": ((1, 1),),
    "America/New_York": ((1, 1), (7, 4)),
    "America/Sao_Paulo": ((1, 1), (4, 21), (5, 1), (9, 7), (10, 12), (11, 2)),
    "Asia/Kolkata": ((1, 26), (5, 1), (8, 15), (10, 2)),
    "Asia/Tokyo": ((1, 1), (2, 11), (4, 29), (5, 3), (5, 5), (11, 3), (11, 23)),
}
_CHRISTMAS_ZONES = (
    "Europe/Budapest",
    "Europe/Warsaw",
    "Europe/Berlin",
    "Europe/London",
    "Europe/Paris",
)


def _holidays(zone: str, year: int) -> set[date]:
    """Return the public holidays of the country a zone stands for."""
    days = {date(year, m, d) for m, d in _FIXED_HOLIDAYS.get(zone, ())}
    easter = _easter_sunday(year)
    if zone in _CHRISTMAS_ZONES:
        days |= {date(year, 12, 25), date(year, 12, 26), easter + timedelta(days=1)}
    if zone in ("Europe/Berlin", "Europe/London", "America/Sao_Paulo"):
        days.add(easter - timedelta(days=2))
    if zone == "Europe/London":
        days |= {
            _nth_weekday(year, 5, _MON, 1),
            _nth_weekday(year, 5, _MON, -1),
            _nth_weekday(year, 8, _MON, -1),
        }
    if zone == "America/New_York":
        days |= {
            _nth_weekday(year, 1, _MON, 3),
            _nth_weekday(year, 5, _MON, -1),
            _nth_weekday(year, 9, _MON, 1),
            _nth_weekday(year, 11, _THU, 4),
            date(year, 12, 25),
        }
    if zone == "America/Sao_Paulo":
        days |= {easter - timedelta(days=48), easter - timedelta(days=47)}
        days |= {date(year, 11, 15), date(year, 11, 20), date(year, 12, 25)}
    if zone == "Asia/Kolkata":
        days.add(date(year, 12, 25))
    if zone == "Asia/Tokyo":
        days |= {date(year, 12, 30), date(year, 12, 31)}
    return days


# ---------------------------------------------------------------------------
# Reference data

# (name, zone, groups, hours per day, traits). Traits shape the generated
# work: "night_owl" logs late and at midnight, "on_call" works some weekends
# and the DST nights, "deleted" leaves mid-period and loses the name.
_PEOPLE: tuple[tuple[str | None, str, tuple[str, ...], float, frozenset[str]], ...] = (
    ("Zoltán Kovács", "Europe/Budapest", ("developers",), 8, frozenset({"night_owl"})),
    ("Eszter Nagy", "Europe/Budapest", ("developers",), 8, frozenset()),
    ("Ákos Szabó", "Europe/Budapest", ("support",), 8, frozenset({"on_call"})),
    ("Łucja Wiśniewska", "Europe/Warsaw", ("developers",), 8, frozenset({"on_call"})),
    ("Zoë Fischer", "Europe/Berlin", ("developers",), 8, frozenset()),
    ("Jürgen Müller", "Europe/Berlin", ("consultants",), 6, frozenset()),
    ("Chloé Dubois", "Europe/Paris", ("consultants",), 8, frozenset()),
    ("Oliver Bennett", "Europe/London", ("consultants",), 8, frozenset()),
    ("Siobhán O'Connor", "Europe/London", ("support",), 8, frozenset({"on_call"})),
    (
        "Dana Whitfield",
        "America/New_York",
        ("consultants", "team-leads"),
        8,
        frozenset(),
    ),
    (
        "Marcus Johnson",
        "America/New_York",
        ("developers",),
        8,
        frozenset({"night_owl", "on_call"}),
    ),
    (None, "America/New_York", ("developers",), 8, frozenset({"deleted"})),
    ("Grace Kim", "America/New_York", ("support",), 8, frozenset({"on_call"})),
    ("José Núñez", "America/Sao_Paulo", ("consultants",), 8, frozenset({"night_owl"})),
    ("Beatriz Gonçalves", "America/Sao_Paulo", ("developers",), 8, frozenset()),
    ("Priya Raman", "Asia/Kolkata", ("developers",), 8, frozenset({"night_owl"})),
    ("Arjun Mehta", "Asia/Kolkata", ("support",), 8, frozenset()),
    ("Yuki Tanaka", "Asia/Tokyo", ("developers",), 8, frozenset()),
)

# Local start of a normal working day, in minutes after midnight.
_DAY_START: dict[str, int] = {
    "America/New_York": 8 * 60 + 30,
    "America/Sao_Paulo": 9 * 60,
    "Asia/Kolkata": 9 * 60 + 30,
    "Asia/Tokyo": 9 * 60,
}
_EUROPE_DAY_START = 8 * 60

# (id, key, name, non-working, share of billable work)
_PROJECTS: tuple[tuple[str, str, str, bool, float], ...] = (
    ("10000", "WEB", "Web shop", False, 0.92),
    ("10001", "MOB", "Mobile app", False, 0.88),
    ("10002", "OPS", "Operations", False, 0.25),
    ("10003", "DATA", "Data platform", False, 0.75),
    ("10004", "INT", "Internal", False, 0.03),
    ("10005", "SUP", "Customer support", False, 0.6),
    ("10006", "LEAVE", "Leave & absence", True, 0.0),
)

# Per project: fixed summaries, then topics and actions combined into more.
_ISSUE_TEXT: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "WEB": (
        (
            "Café checkout flow",
            "Übersetzung der Oberfläche",
            "Cookie consent banner",
            "Product search returns duplicates",
            "Black Friday landing page",
            "Accessibility audit (WCAG 2.1)",
        ),
        (
            "shopping cart",
            "payment page",
            "customer account page",
            "order history",
            "newsletter sign-up",
            "product filters",
            "wish list",
            "gift cards",
        ),
        ("Implement", "Fix", "Redesign", "Add tests for", "Speed up"),
    ),
    "MOB": (
        (
            "Push notifications on Android",
            "Offline mode for iOS",
            "Crash on start-up (Android 15)",
            "Dark mode",
            "App Store release 3.2",
            "Biometric login",
        ),
        (
            "onboarding screens",
            "in-app purchases",
            "map view",
            "settings screen",
            "deep links",
            "image upload",
            "chat view",
            "barcode scanner",
        ),
        ("Implement", "Fix", "Polish", "Add tests for", "Localise"),
    ),
    "OPS": (
        (
            "On-call rotation",
            "Incident response",
            "Night deploy window",
            "Kubernetes upgrade",
            "TLS certificate renewal",
            "Backup restore drill",
            "Monitoring alerts tuning",
        ),
        (
            "CI pipeline",
            "log shipping",
            "database failover",
            "staging environment",
            "secrets rotation",
            "cloud cost report",
            "VPN access",
            "container registry",
        ),
        ("Automate", "Migrate", "Document", "Harden", "Review"),
    ),
    "DATA": (
        (
            "Nightly ETL job",
            "Revenue dashboard",
            "Données clients : dédoublonnage",
            "Churn prediction model",
            "GDPR data export",
            "Event tracking schema",
        ),
        (
            "ingestion pipeline",
            "data warehouse",
            "BI reports",
            "data quality checks",
            "forecast model",
            "customer segments",
            "sales KPIs",
            "event stream",
        ),
        ("Build", "Fix", "Optimise", "Validate", "Backfill"),
    ),
    "INT": (
        (
            "Team meetings",
            "Hiring: interviews",
            "Onboarding of new colleagues",
            "Company all-hands",
            "Training: Python & pandas",
            "Équipe offsite planning",
        ),
        (
            "internal wiki",
            "developer tooling",
            "knowledge sharing",
            "security training",
            "office move",
            "budget planning",
            "retrospectives",
            "tech radar",
        ),
        ("Organise", "Update", "Prepare", "Review"),
    ),
    "SUP": (
        (
            "Customer tickets: 1st level",
            "Escalations",
            "Ayuda con facturación",
            "Refund requests",
            "Knowledge base",
            "Hotline",
        ),
        (
            "login problems",
            "invoice questions",
            "shipping delays",
            "account deletion requests",
            "API questions",
            "data import help",
            "password resets",
            "mobile app feedback",
        ),
        ("Handle", "Investigate", "Answer", "Follow up on"),
    ),
}
_COMBINED_ISSUES_PER_PROJECT = 16
_LEAVE_ISSUES = (
    "Vacation",
    "Sick leave",
    "Public holiday",
    "Parental leave",
    "Training & conferences",
    "Time off in lieu",
)

# (id, name, description, archived, colour index)
_TAGS: tuple[tuple[int, str, str, bool, int | None], ...] = (
    (1, "development", "Coding work", False, None),
    (2, "meeting", "Meetings and calls", False, 3),
    (3, "review", "Code and design review", False, 5),
    (4, "support", "Helping customers", False, None),
    (5, "research", "Spikes and investigations", False, 2),
    (6, "testing", "QA and testing", False, 6),
    (7, "travel", "Travel time", False, 1),
    (8, "admin", "Admin tasks (retired in spring)", True, 4),
    (9, "on-call", "On-call duty", False, 7),
    (10, "documentation", "Writing docs", False, None),
)
_ADMIN_TAG, _ONCALL_TAG, _DEV_TAG = 8, 9, 1
# The archived tag was used for the first weeks of the period, then retired.
_ADMIN_TAG_DAYS = 90

# Per group: project weights, tag weights, descriptions.
_GROUP_PROJECTS: dict[str, tuple[tuple[str, float], ...]] = {
    "developers": (("WEB", 4), ("MOB", 3), ("DATA", 2), ("INT", 1), ("OPS", 0.5)),
    "consultants": (("DATA", 3), ("WEB", 2), ("INT", 1.5), ("SUP", 1)),
    "support": (("SUP", 5), ("OPS", 2), ("INT", 1)),
}
_GROUP_TAGS: dict[str, tuple[tuple[int, float], ...]] = {
    "developers": ((1, 5), (3, 2), (6, 2), (5, 1), (2, 1.5), (10, 0.7)),
    "consultants": ((2, 4), (7, 1), (5, 1.5), (10, 1.5), (3, 0.5)),
    "support": ((4, 5), (9, 1), (2, 1), (10, 0.7)),
}
_GROUP_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "developers": (
        "",
        "",
        "Implementation",
        "Bug fixing",
        "Code-Review für Zoë",
        "Pair programming",
        "Unit tests",
        "Refactoring",
        "修正 bug",
        "Deploy 🚀",
        "Sprint planning",
        "Daily stand-up",
        "Investigating flaky test",
        "Réunion d'équipe",
        "Performance tuning",
        "Documentation update",
    ),
    "consultants": (
        "",
        "",
        "Workshop with client",
        "Requirements analysis",
        "Réunion d'équipe",
        "Travel to client ✈️",
        "Estimation",
        "Proposal writing",
        "Stakeholder meeting",
        "Backlog grooming",
        "Reunião com o cliente",
        "Angebot überarbeiten",
    ),
    "support": (
        "",
        "",
        "Ticket triage",
        "Customer call",
        "Incident follow-up",
        "Answering e-mails",
        "Escalation to dev team",
        "Atención al cliente",
        "Knowledge base article",
        "On-call handover",
        "Rückfragen zum Kundenkonto",
    ),
}
_LATE_DESCRIPTIONS = ("Hotfix after hours", "Late bug fix", "Deploy 🚀", "")
_MIDNIGHT_DESCRIPTIONS = ("Night deploy 🚀", "Midnight release", "Nightly migration")
_ONCALL_DESCRIPTIONS = ("On-call", "Pager alert", "Incident triage", "")


# ---------------------------------------------------------------------------
# The generator


@dataclass
class _Profile:
    """Working habits of one generated person."""

    index: int
    person: Person
    tz: ZoneInfo
    group: str
    traits: frozenset[str]
    day_start: int
    last_day: date
    projects: list[str]
    project_weights: list[float]
    issue_offset: int


@dataclass
class _Planned:
    """A worklog before ids are assigned."""

    start: datetime
    author_index: int
    issue_id: int
    author_id: str
    duration_seconds: int
    description: str
    billable: bool
    tag_ids: tuple[int, ...]
    created: datetime
    updated: datetime | None


@dataclass
class _Context:
    """What every step of the generator reads."""

    rng: random.Random
    start: date
    end: date
    projects: dict[str, Project]
    billable_share: dict[str, float]
    issues_by_project: dict[str, list[Issue]]
    issue_by_summary: dict[str, Issue]
    planned: list[_Planned] = field(default_factory=list)

    def add(
        self,
        profile: _Profile,
        issue: Issue,
        start: datetime,
        seconds: int,
        description: str,
        tag_ids: tuple[int, ...],
        billable: bool | None = None,
    ) -> None:
        rng = self.rng
        if billable is None:
            key = self.projects[issue.project_id].key
            billable = rng.random() < self.billable_share[key]
        end = start + timedelta(seconds=seconds)

        # Most worklogs are entered right after the work, some hours later,
        # a few days late; a few are edited afterwards.
        lag = rng.random()
        if lag < 0.7:
            created = end + timedelta(minutes=rng.randint(0, 30))
        elif lag < 0.95:
            created = end + timedelta(hours=rng.randint(1, 8))
        else:
            created = end + timedelta(days=rng.randint(1, 5))
        updated = None
        if rng.random() < 0.1:
            updated = created + timedelta(minutes=rng.randint(10, 14400))
        self.planned.append(
            _Planned(
                start,
                profile.index,
                issue.id,
                profile.person.account_id,
                seconds,
                description,
                billable,
                tag_ids,
                created,
                updated,
            )
        )


def build_organisation(
    seed: int = 2025,
    start: date = date(2025, 1, 1),
    end: date = date(2025, 12, 31),
) -> Organisation:
    """Generate a realistic organisation with a year of worklogs.

    Parameters
    ----------
    seed : int
        Seed of the one random generator used; the same seed gives the same
        organisation on every machine.
    start, end : date
        First and last day (inclusive) of the period worked.

    Returns
    -------
    Organisation
        18 people in 9 time zones (one part-timer, one deleted user whose
        worklogs stay), 7 projects (one non-working: ``LEAVE``), 139 issues,
        10 tags (one archived), and about 19,000 worklogs for the default
        year: holidays, vacations, sick and missed days, long and short days,
        work near and across local midnight and across DST changes.

    Raises
    ------
    ValueError
        If ``end`` is before ``start``.

    Examples
    --------
    >>> org = build_organisation(seed=7, start=date(2025, 3, 1), end=date(2025, 3, 31))
    >>> org == build_organisation(seed=7, start=date(2025, 3, 1), end=date(2025, 3, 31))
    True
    >>> org.project("10006").key
    'LEAVE'
    """
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    rng = random.Random(seed)

    # 1. People first, so account ids do not depend on the period.
    people = [
        Person(
            account_id=f"712020:{uuid.UUID(int=rng.getrandbits(128), version=4)}",
            name=name,
            timezone=zone,
            groups=groups,
            deleted="deleted" in traits,
            hours_per_day=float(hours),
        )
        for name, zone, groups, hours, traits in _PEOPLE
    ]

    # 2. Projects, issues and tags.
    projects = [Project(pid, key, name, nw) for pid, key, name, nw, _ in _PROJECTS]
    issues = _build_issues(rng, projects)
    tags = [Tag(*row) for row in _TAGS]
    ctx = _Context(
        rng=rng,
        start=start,
        end=end,
        projects={p.id: p for p in projects},
        billable_share={key: share for _, key, _, _, share in _PROJECTS},
        issues_by_project={p.key: [] for p in projects},
        issue_by_summary={i.summary: i for i in issues},
    )
    key_of = {p.id: p.key for p in projects}
    for issue in issues:
        ctx.issues_by_project[key_of[issue.project_id]].append(issue)

    # 3. Each person's habits, then their days one by one.
    midpoint = start + (end - start) // 2
    for index, (person, row) in enumerate(zip(people, _PEOPLE, strict=True)):
        profile = _profile(rng, index, person, row[4], midpoint, end)
        _generate_person(ctx, profile)

    # 4. Ids follow the order of the work, as if entered in that order; the
    # Jira counter has gaps because Jira worklogs outside Timetracker share it.
    ctx.planned.sort(key=lambda p: (p.start, p.author_index))
    worklogs: list[Worklog] = []
    jira_id = 310_000
    for number, plan in enumerate(ctx.planned, start=1):
        jira_id += 1 + (rng.randint(1, 4) if rng.random() < 0.2 else 0)
        worklogs.append(
            Worklog(
                worklog_id=number,
                jira_worklog_id=jira_id,
                issue_id=plan.issue_id,
                author_id=plan.author_id,
                start=plan.start,
                duration_seconds=plan.duration_seconds,
                description=plan.description,
                billable=plan.billable,
                tag_ids=plan.tag_ids,
                created=plan.created,
                updated=plan.updated,
            )
        )
    logger.debug("built organisation: seed=%s worklogs=%s", seed, len(worklogs))
    return Organisation(people, projects, issues, tags, worklogs)


def _build_issues(rng: random.Random, projects: list[Project]) -> list[Issue]:
    issues: list[Issue] = []
    next_id = 20001
    for project in projects:
        if project.non_working:
            summaries = list(_LEAVE_ISSUES)
        else:
            fixed, topics, actions = _ISSUE_TEXT[project.key]
            combined = [f"{a} {t}" for t in topics for a in actions]
            summaries = list(fixed) + rng.sample(combined, _COMBINED_ISSUES_PER_PROJECT)
            rng.shuffle(summaries)
        number = 0
        for summary in summaries:
            # Gaps in the keys stand for issues deleted or moved away.
            number += 1 + (rng.randint(1, 3) if rng.random() < 0.15 else 0)
            issues.append(
                Issue(next_id, f"{project.key}-{number}", summary, project.id)
            )
            next_id += 1
    return issues


def _profile(
    rng: random.Random,
    index: int,
    person: Person,
    traits: frozenset[str],
    midpoint: date,
    end: date,
) -> _Profile:
    group = next(g for g in person.groups if g in _GROUP_PROJECTS)
    weights = _GROUP_PROJECTS[group]
    base = _DAY_START.get(person.timezone, _EUROPE_DAY_START)
    return _Profile(
        index=index,
        person=person,
        tz=ZoneInfo(person.timezone),
        group=group,
        traits=traits,
        day_start=base + rng.choice((-30, -15, 0, 0, 15, 30, 60)),
        last_day=midpoint if person.deleted else end,
        projects=[key for key, _ in weights],
        project_weights=[w * rng.uniform(0.5, 1.5) for _, w in weights],
        issue_offset=rng.randrange(1000),
    )


def _generate_person(ctx: _Context, profile: _Profile) -> None:
    rng = ctx.rng
    zone = profile.person.timezone

    # 1. The person's working days: Monday to Friday in their own zone,
    # without the public holidays of their country.
    holidays: set[date] = set()
    for year in range(ctx.start.year, ctx.end.year + 1):
        holidays |= _holidays(zone, year)
    days = [
        ctx.start + timedelta(days=n)
        for n in range((profile.last_day - ctx.start).days + 1)
    ]
    working = [d for d in days if d.weekday() < 5 and d not in holidays]

    # 2. Vacation blocks, the longest in summer when the period has one.
    vacation = _plan_vacation(rng, working, len(days))

    # 3. Day by day: leave, sickness, missed days, normal days, weekend duty.
    leave = {i.summary: i for i in ctx.issues_by_project["LEAVE"]}
    sick_left = 0
    late_yesterday = False
    for day in days:
        if day.weekday() >= 5:
            late_yesterday = False
            if "on_call" in profile.traits:
                _weekend_duty(ctx, profile, day)
            continue
        if day in holidays:
            late_yesterday = False
            continue
        if day in vacation:
            _full_day(ctx, profile, day, leave["Vacation"], ("", "Vacation"))
            late_yesterday = False
            continue
        if sick_left == 0 and rng.random() < 0.015:
            sick_left = rng.randint(1, 3)
        if sick_left:
            sick_left -= 1
            if rng.random() < 0.5:
                _full_day(ctx, profile, day, leave["Sick leave"], ("", "Sick"))
            late_yesterday = False
            continue
        if rng.random() < 0.012:
            # Forgot to log: nothing at all that day.
            late_yesterday = False
            continue
        late_yesterday = _working_day(ctx, profile, day, late_yesterday)


def _plan_vacation(
    rng: random.Random, working: list[date], period_days: int
) -> set[date]:
    """Choose vacation days: 21 a year, in blocks, the longest in summer."""
    budget = round(21 * period_days / 365)
    lengths: list[int] = []
    for length in (10, 5, 3, 2, 1, 1):
        if sum(lengths) + length <= min(budget, len(working)):
            lengths.append(length)
    taken: set[int] = set()
    for number, length in enumerate(lengths):
        starts = range(len(working) - length + 1)
        summer = [i for i in starts if working[i].month in (7, 8)]
        candidates = summer if number == 0 and summer else list(starts)
        # Retry a few random starts, then take the first free place.
        tries = [rng.choice(candidates) for _ in range(20)] + list(starts)
        for first in tries:
            block = set(range(first, first + length))
            if not block & taken:
                taken |= block
                break
    return {working[i] for i in taken}


def _full_day(
    ctx: _Context, profile: _Profile, day: date, issue: Issue, texts: tuple[str, ...]
) -> None:
    seconds = round(profile.person.hours_per_day * 3600)
    start = local_to_utc(day, 9 * 60, profile.tz)
    ctx.add(profile, issue, start, seconds, ctx.rng.choice(texts), (), billable=False)


def _split_minutes(rng: random.Random, total: int) -> list[int]:
    """Split a day's minutes (a multiple of 5) into 2-7 pieces of 15-240."""
    low = max(2, math.ceil(total / 240))
    count = rng.randint(low, max(low, min(7, total // 15)))
    pieces: list[int] = []
    remaining = total
    for left in range(count, 1, -1):
        lo = max(15, remaining - 240 * (left - 1))
        hi = min(240, remaining - 15 * (left - 1))
        mode = min(max(remaining / left, lo), hi)
        piece = 5 * round(rng.triangular(lo, hi, mode) / 5)
        piece = min(max(piece, lo), hi)
        pieces.append(piece)
        remaining -= piece
    pieces.append(remaining)
    return pieces


def _day_minutes(rng: random.Random, hours_per_day: float) -> int:
    target = hours_per_day * 60
    kind = rng.random()
    if kind < 0.07:
        minutes = rng.uniform(600, 720) if hours_per_day >= 8 else target * 1.4
    elif kind < 0.17:
        minutes = target * rng.uniform(0.5, 0.8)
    else:
        minutes = target + rng.triangular(-60, 60, 0)
    return max(30, 5 * round(minutes / 5))


def _pick_issue(ctx: _Context, profile: _Profile, day: date) -> Issue:
    rng = ctx.rng
    key = rng.choices(profile.projects, weights=profile.project_weights)[0]
    issues = ctx.issues_by_project[key]
    # The issues in work drift through the backlog over the period.
    progress = (day - ctx.start).days / max(1, (ctx.end - ctx.start).days)
    centre = profile.issue_offset + progress * len(issues)
    return issues[round(centre + rng.triangular(-4, 4, 0)) % len(issues)]


def _pick_tags(rng: random.Random, profile: _Profile, early: bool) -> tuple[int, ...]:
    roll = rng.random()
    count = 0 if roll < 0.3 else 1 if roll < 0.85 else 2
    pool = _GROUP_TAGS[profile.group]
    ids = [tag_id for tag_id, _ in pool]
    weights = [weight for _, weight in pool]
    if early:
        ids.append(_ADMIN_TAG)
        weights.append(1.0)
    chosen: list[int] = []
    while len(chosen) < count:
        tag_id = rng.choices(ids, weights=weights)[0]
        if tag_id not in chosen:
            chosen.append(tag_id)
    return tuple(sorted(chosen))


def _working_day(
    ctx: _Context, profile: _Profile, day: date, late_yesterday: bool
) -> bool:
    """Log a normal working day; return whether it ended with late work."""
    rng = ctx.rng
    tz = profile.tz
    early = (day - ctx.start).days < _ADMIN_TAG_DAYS
    night_owl = "night_owl" in profile.traits
    descriptions = _GROUP_DESCRIPTIONS[profile.group]

    # 1. Night owls sometimes start the day with a deploy at local midnight.
    if night_owl and not late_yesterday and rng.random() < 0.025:
        issue = ctx.issue_by_summary["Night deploy window"]
        seconds = 60 * rng.randrange(30, 95, 5)
        start = local_to_utc(day, 0, tz)
        ctx.add(profile, issue, start, seconds, rng.choice(_MIDNIGHT_DESCRIPTIONS), ())

    # 2. The day's pieces in sequence from the local morning, with short
    # gaps and usually a lunch break around the middle.
    total = _day_minutes(rng, profile.person.hours_per_day)
    cursor = profile.day_start + 5 * round(rng.triangular(-30, 45, 0) / 5)
    lunch = rng.random() < 0.7
    worked = 0
    for minutes in _split_minutes(rng, total):
        seconds = 60 * minutes
        odd = rng.random()
        if odd < 0.06 and 16 < minutes < 240:
            seconds += 60 * rng.choice((-1, 1, 2, 3))
        elif odd < 0.07:
            seconds += rng.randint(1, 59)
        issue = _pick_issue(ctx, profile, day)
        tags = _pick_tags(rng, profile, early)
        start = local_to_utc(day, cursor, tz)
        ctx.add(profile, issue, start, seconds, rng.choice(descriptions), tags)
        worked += minutes
        gap = rng.random()
        # The next piece starts after this one ends, on a whole minute: a
        # piece with odd seconds must not overlap the next by those seconds.
        cursor += -(-seconds // 60) + (
            0
            if gap < 0.45
            else rng.randrange(5, 20, 5)
            if gap < 0.9
            else rng.randrange(20, 50, 5)
        )
        if lunch and worked >= total * 0.4:
            cursor += rng.randrange(30, 65, 5)
            lunch = False

    # 3. Night owls sometimes come back late; some of it runs past midnight.
    if night_owl and cursor < 22 * 60 + 45 and rng.random() < 0.05:
        first = 23 * 60 + rng.randrange(0, 60, 5)
        seconds = 60 * rng.randrange(20, 95, 5)
        issue = _pick_issue(ctx, profile, day)
        start = local_to_utc(day, first, tz)
        tags = (_DEV_TAG,) if profile.group == "developers" else ()
        ctx.add(profile, issue, start, seconds, rng.choice(_LATE_DESCRIPTIONS), tags)
        return first * 60 + seconds > 24 * 3600
    return False


def _weekend_duty(ctx: _Context, profile: _Profile, day: date) -> None:
    rng = ctx.rng
    tz = profile.tz
    issue = ctx.issue_by_summary["On-call rotation"]
    tags = (_ONCALL_TAG,)

    # 1. On the nights the clocks change, on-call people watch the switch:
    # work across a skipped hour, in it (moved forward), and in both
    # occurrences of a repeated hour.
    skipped, repeated = _dst_hours(day, tz)
    for hour in skipped[:1]:
        text = "DST switch-over checks"
        ctx.add(profile, issue, local_to_utc(day, hour * 60 - 30, tz), 3600, text, tags)
        ctx.add(profile, issue, local_to_utc(day, hour * 60 + 40, tz), 1800, text, tags)
    for hour in repeated[:1]:
        text = "DST switch-over checks"
        first = local_to_utc(day, hour * 60 - 30, tz)
        second = local_to_utc(day, hour * 60 + 40, tz, fold=1)
        ctx.add(profile, issue, first, 3600, text, tags)
        ctx.add(profile, issue, second, 2400, text, tags)
    if skipped or repeated:
        return

    # 2. Otherwise an occasional call-out during the day.
    if rng.random() < 0.04:
        for _ in range(rng.randint(1, 2)):
            minute = 60 * rng.randint(9, 20) + rng.randrange(0, 60, 5)
            seconds = 60 * rng.randrange(30, 155, 5)
            text = rng.choice(_ONCALL_DESCRIPTIONS)
            ctx.add(profile, issue, local_to_utc(day, minute, tz), seconds, text, tags)
