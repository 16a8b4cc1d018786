"""A real HTTP server that answers like the Timetracker Cloud public API.

:class:`EmulatorServer` serves an :class:`~tt_notebook.emulator.data.Organisation`
on a loopback port, in a background thread, under the same paths as the
vendor's service (``/timetracker/api/<version>/public/...``). It implements
what the client reads: the details report, the tag list and reading one
worklog, with the documented authentication, CSRF and time-zone rules and
the documented error bodies. Where the real behaviour is unknown it makes one
choice, recorded in ``docs/design/emulator.md``.

Only the standard library is used, so the emulator runs wherever the package
is installed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from operator import attrgetter
from types import TracebackType
from typing import Any, Literal, NamedTuple, cast
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .data import Organisation, Person, Worklog, build_organisation

__all__ = [
    "DEMO_LEAD_TOKEN",
    "DEMO_MEMBER_TOKEN",
    "DEMO_TOKEN",
    "EmulatorServer",
    "RecordedRequest",
    "Role",
    "serve",
]

logger = logging.getLogger(__name__)

DEMO_TOKEN = "demo-token"
"""Administrator token: sees every worklog."""
DEMO_LEAD_TOKEN = "demo-lead-token"
"""Team-lead token: sees the worklogs of the lead group and the lead's own."""
DEMO_MEMBER_TOKEN = "demo-member-token"
"""Member token: sees only one person's own worklogs."""

Role = Literal["admin", "lead", "member"]
"""What a token may see: everything, a group and oneself, or oneself."""

_ROLES: tuple[Role, ...] = ("admin", "lead", "member")
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_PATH = re.compile(r"/timetracker/api/(?P<version>[^/]+)/public(?P<route>/.*)?")
_VERSION = re.compile(r"latest|[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_UNSIGNED = re.compile(r"[0-9]+")
_ORDER_FIELDS = (
    "worklogStartTime",
    "worklogCreated",
    "worklogTimeSpent",
    "worklogUpdated",
)
_MAX_BODY_BYTES = 10 * 1024 * 1024
_RESULT_CACHE_SIZE = 32
_EMPTY_VALIDATION: dict[str, list[object]] = {"additionalErrors": [], "fieldErrors": []}


class RecordedRequest(NamedTuple):
    """One request as the emulator received it, without any header but one.

    Attributes
    ----------
    method : str
        HTTP method.
    path : str
        Path without the query string.
    query : dict of str to str
        Query parameters (the first value of each).
    body : object
        The parsed JSON body, or ``None`` when absent or not JSON.
    timezone : str or None
        The ``x-timezone`` header, if sent.
    """

    method: str
    path: str
    query: dict[str, str]
    body: Any
    timezone: str | None


class _ApiError(Exception):
    """An answer other than 200, raised from anywhere in a route."""

    def __init__(
        self, status: int, payload: object, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(status)
        self.status = status
        self.payload = payload
        self.headers = dict(headers or {})


def _field_error(error_type: str, *path: str) -> dict[str, object]:
    return {"errorType": error_type, "paths": [list(path)]}


def _validation(errors: list[dict[str, object]]) -> _ApiError:
    return _ApiError(400, {"additionalErrors": [], "fieldErrors": errors})


def _message(status: int, text: str) -> _ApiError:
    return _ApiError(status, {"message": text})


@dataclass(frozen=True, slots=True)
class _Grant:
    """What one token stands for."""

    account_id: str | None
    role: Role


@dataclass(slots=True)
class _Request:
    """What a route needs of one request."""

    method: str
    query: dict[str, str]
    body: object
    headers: Message
    grant: _Grant


_NOT_JSON = object()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Clients page concurrently; the default backlog of 5 refuses bursts.
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], emulator: EmulatorServer) -> None:
        self.emulator = emulator
        super().__init__(address, _Handler)


class EmulatorServer:
    """A local Timetracker Cloud API over real HTTP on a loopback port.

    Parameters
    ----------
    org : Organisation, optional
        The data served; :func:`~tt_notebook.emulator.build_organisation`
        with its defaults when omitted.
    host : str
        Address to listen on; keep the default loopback address.
    port : int
        Port; 0 picks a free one when started.
    max_page_size : int
        Largest details-report page; bigger ``maxResults`` are clamped.
    default_page_size : int
        Page size when a request gives no ``maxResults``.
    tokens : mapping of str to (str or None, Role), optional
        Accepted tokens, each to ``(account id, role)``; the account id is
        ``None`` for an administrator who is nobody in particular. When
        omitted, the three demo tokens: :data:`DEMO_TOKEN` (admin),
        :data:`DEMO_LEAD_TOKEN` (the first active member of ``team-leads``)
        and :data:`DEMO_MEMBER_TOKEN` (the first active person outside
        ``lead_group``).
    lead_group : str
        The Jira group whose worklogs a ``"lead"`` token sees besides its
        own.

    Attributes
    ----------
    org : Organisation
        The data served; changes through its methods show at once.
    max_page_size, default_page_size : int
        Paging limits, as given.

    Notes
    -----
    Implemented: ``POST /report/details``, ``GET /tag`` and
    ``GET /worklog``. Other documented endpoints (summary, fillchecker,
    worklog and tag writes) answer 404 or 405, so a client using them fails
    loudly rather than reading invented data. ``filters``, ``jql``,
    ``expand`` and ``reportTagFilter`` in a details request are accepted and
    ignored.

    Examples
    --------
    >>> import json, urllib.request
    >>> from datetime import date
    >>> from tt_notebook.emulator import build_organisation
    >>> org = build_organisation(start=date(2025, 3, 1), end=date(2025, 3, 7))
    >>> with EmulatorServer(org) as server:
    ...     request = urllib.request.Request(
    ...         server.url + "/timetracker/api/latest/public/tag",
    ...         headers={"x-everit-api-key": DEMO_TOKEN},
    ...     )
    ...     with urllib.request.urlopen(request) as response:
    ...         tags = json.load(response)["worklogTags"]
    >>> tags[0]["name"]
    'development'
    """

    def __init__(
        self,
        org: Organisation | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        max_page_size: int = 1000,
        default_page_size: int = 50,
        tokens: Mapping[str, tuple[str | None, Role]] | None = None,
        lead_group: str = "developers",
    ) -> None:
        if max_page_size < 1:
            raise ValueError(f"max_page_size must be at least 1, not {max_page_size}")
        if not 1 <= default_page_size <= max_page_size:
            raise ValueError(
                f"default_page_size must be between 1 and {max_page_size}, "
                f"not {default_page_size}"
            )
        self.org = org if org is not None else build_organisation()
        self.max_page_size = max_page_size
        self.default_page_size = default_page_size
        self.lead_group = lead_group
        self._host = host
        self._requested_port = port
        self._grants: dict[str, _Grant] = {}
        if tokens is None:
            tokens = self._demo_tokens()
        for token, (account_id, role) in tokens.items():
            self.add_token(token, account_id, role)
        self._log: list[RecordedRequest] = []
        self._log_lock = threading.Lock()
        self._entries: dict[int, tuple[Worklog, dict[str, object]]] = {}
        self._results: OrderedDict[tuple[object, ...], tuple[list[Worklog], int]] = (
            OrderedDict()
        )
        self._results_lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        # Tokens stay out of the repr: it ends up in notebooks and logs.
        state = f"url={self.url!r}" if self._httpd else "stopped"
        return f"<EmulatorServer {state} worklogs={len(self.org.worklogs)}>"

    # -- lifecycle ----------------------------------------------------------

    def start(self) -> EmulatorServer:
        """Start serving in a background daemon thread; return ``self``."""
        if self._httpd is not None:
            return self
        self._httpd = _HTTPServer((self._host, self._requested_port), self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"tt-emulator-{self.port}",
            daemon=True,
        )
        self._thread.start()
        logger.info("emulator listening on %s", self.url)
        return self

    def stop(self) -> None:
        """Stop serving, drop open connections and release the port."""
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        httpd.shutdown()
        # Keep-alive connections would otherwise be served after the stop.
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        httpd.server_close()
        if thread is not None:
            thread.join()
        self._httpd = None
        self._thread = None
        logger.info("emulator stopped")

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port listened on (``RuntimeError`` before :meth:`start`)."""
        if self._httpd is None:
            raise RuntimeError("the emulator is not running; call start() first")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """The service root, such as ``"http://127.0.0.1:8765"``.

        The API itself lives under ``/timetracker/api/<version>/public``.
        """
        return f"http://{self._host}:{self.port}"

    # -- tokens -------------------------------------------------------------

    def _demo_tokens(self) -> dict[str, tuple[str | None, Role]]:
        active = [p for p in self.org.people if not p.deleted]
        tokens: dict[str, tuple[str | None, Role]] = {DEMO_TOKEN: (None, "admin")}
        lead: Person | None = next(
            (p for p in active if "team-leads" in p.groups),
            active[0] if active else None,
        )
        if lead is not None:
            tokens[DEMO_LEAD_TOKEN] = (lead.account_id, "lead")
        others = [p for p in active if p is not lead]
        member = next((p for p in others if self.lead_group not in p.groups), None)
        if member is None and others:
            member = others[0]
        if member is not None:
            tokens[DEMO_MEMBER_TOKEN] = (member.account_id, "member")
        return tokens

    def add_token(self, token: str, account_id: str | None, role: Role) -> None:
        """Accept another token.

        Parameters
        ----------
        token : str
            The value clients send in ``x-everit-api-key``.
        account_id : str or None
            The person the token acts as; ``None`` only for ``"admin"``.
        role : {"admin", "lead", "member"}
            What the token may see.

        Raises
        ------
        ValueError
            If the token is empty, the role unknown, or the account missing
            or unknown.
        """
        if not token:
            raise ValueError("a token must be a non-empty string")
        if role not in _ROLES:
            raise ValueError(f"role must be one of {_ROLES}, not {role!r}")
        if account_id is None and role != "admin":
            raise ValueError(f"a {role} token needs an account id")
        if account_id is not None:
            self.org.person(account_id)
        self._grants[token] = _Grant(account_id, role)

    def token_account(self, token: str) -> str | None:
        """Return the account id a token acts as (``None`` for the admin).

        Raises
        ------
        KeyError
            If the token is not accepted; the message does not repeat it.
        """
        try:
            return self._grants[token].account_id
        except KeyError:
            raise KeyError("unknown token") from None

    def token_role(self, token: str) -> Role:
        """Return the role of a token (``KeyError`` if not accepted)."""
        try:
            return self._grants[token].role
        except KeyError:
            raise KeyError("unknown token") from None

    def _visible_authors(self, grant: _Grant) -> frozenset[str] | None:
        """Return whose worklogs a grant sees; ``None`` means everyone's."""
        if grant.role == "admin":
            return None
        own = {grant.account_id} if grant.account_id else set()
        if grant.role == "lead":
            own |= {p.account_id for p in self.org.members(self.lead_group)}
        return frozenset(own)

    # -- request log --------------------------------------------------------

    @property
    def requests_log(self) -> list[RecordedRequest]:
        """A snapshot of every request received so far, oldest first.

        Records carry no token and no header except ``x-timezone``.
        """
        with self._log_lock:
            return list(self._log)

    def clear_log(self) -> None:
        """Forget the requests recorded so far."""
        with self._log_lock:
            self._log.clear()

    def _record(self, record: RecordedRequest) -> None:
        with self._log_lock:
            self._log.append(record)

    def _track(self, connection: socket.socket, *, open_: bool) -> None:
        with self._connections_lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    # -- dispatch -----------------------------------------------------------

    def _answer(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        body: object,
        headers: Message,
    ) -> tuple[int, object, dict[str, str]]:
        # 1. Authentication comes first, for every path.
        token = headers.get("x-everit-api-key")
        grant = self._grants.get(token) if token else None
        if grant is None:
            raise _message(401, "Missing or unknown x-everit-api-key header.")

        # 2. The CSRF guard on every state-changing method.
        if method in _WRITE_METHODS and "x-requested-by" not in headers:
            raise _ApiError(400, _EMPTY_VALIDATION)

        # 3. The route: a known version, a known path, an allowed method.
        match = _PATH.fullmatch(path)
        if match is None or not _VERSION.fullmatch(match["version"]):
            raise _message(404, f"No such resource: {path}")
        routes = _ROUTES.get(match["route"] or "")
        if routes is None:
            raise _message(404, f"No such resource: {path}")
        route = routes.get(method)
        if route is None:
            allowed = ", ".join(sorted(routes))
            raise _ApiError(
                405,
                {"message": f"Method {method} is not allowed here; use {allowed}."},
                {"Allow": allowed},
            )
        return 200, route(self, _Request(method, query, body, headers, grant)), {}

    # -- routes -------------------------------------------------------------

    def _details(self, request: _Request) -> object:
        body = request.body
        if not isinstance(body, dict):
            raise _validation([_field_error("InvalidFormat")])
        tz = _request_zone(request.headers)
        errors: list[dict[str, object]] = []

        # 1. Validate every field first, so that one answer lists all errors.
        start_at = _int_field(body, "startAt", errors, required=True)
        if start_at is not None and start_at < 0:
            errors.append(_field_error("Invalid", "startAt"))
        max_results = _int_field(body, "maxResults", errors, required=False)
        start_date = _date_field(body, "startDate", errors)
        end_date = _date_field(body, "endDate", errors)
        if start_date and end_date and end_date < start_date:
            errors.append(_field_error("Invalid", "endDate"))
        users = _strings_field(body, "users", errors)
        groups = _strings_field(body, "groups", errors)
        projects = _strings_field(body, "projects", errors, numbers=True)
        billable = body.get("filterBillable")
        if billable is not None and not isinstance(billable, bool):
            errors.append(_field_error("InvalidFormat", "filterBillable"))
        order = body.get("orderBy", "worklogStartTime")
        order = "worklogStartTime" if order is None else order
        if not isinstance(order, str) or order.removeprefix("-") not in _ORDER_FIELDS:
            errors.append(_field_error("Invalid", "orderBy"))
        # The None checks only narrow the types: no errors means all are set.
        if (
            errors
            or start_at is None
            or start_date is None
            or end_date is None
            or not isinstance(order, str)
        ):
            raise _validation(errors)

        # 2. The authors asked for: users and group members together.
        authors: frozenset[str] | None = None
        if users or groups:
            wanted = set(users or ())
            for group in groups or ():
                wanted |= {p.account_id for p in self.org.members(group)}
            authors = frozenset(wanted)

        # 3. Matching worklogs, sorted, from the cache when asked before.
        first, last = _day_bounds(start_date, end_date, tz)
        matches, seconds = self._matches(
            self._visible_authors(request.grant),
            authors,
            frozenset(projects) if projects else None,
            billable,
            first,
            last,
            order,
        )

        # 4. The page.
        size = self.default_page_size if max_results is None else max_results
        size = min(max(size, 1), self.max_page_size)
        page = matches[start_at : start_at + size]
        return {
            "total": len(matches),
            "startAt": start_at,
            "maxResults": size,
            "totalWorkTimeInSeconds": seconds,
            "values": [self._entry(w) for w in page],
        }

    def _matches(
        self,
        visible: frozenset[str] | None,
        authors: frozenset[str] | None,
        projects: frozenset[str] | None,
        billable: bool | None,
        first: datetime,
        last: datetime,
        order: str,
    ) -> tuple[list[Worklog], int]:
        org = self.org
        key = (org.revision, visible, authors, projects, billable, first, last, order)
        with self._results_lock:
            cached = self._results.get(key)
            if cached is not None:
                self._results.move_to_end(key)
                return cached

        # 1. The date range by bisection, then the cheap filters.
        matches = org.worklogs_between(first, last)
        if visible is not None:
            matches = [w for w in matches if w.author_id in visible]
        if authors is not None:
            matches = [w for w in matches if w.author_id in authors]
        if projects is not None:
            project_of = {i.id: i.project_id for i in org.issues}
            matches = [w for w in matches if project_of[w.issue_id] in projects]
        if billable is not None:
            matches = [w for w in matches if w.billable is billable]

        # 2. The order. The range comes sorted by (start, id); stable sorts
        # keep ties in ascending id order in either direction.
        descending = order.startswith("-")
        field_name = order.removeprefix("-")
        if field_name != "worklogStartTime":
            matches.sort(key=attrgetter("worklog_id"))
            matches.sort(key=_ORDER_KEYS[field_name], reverse=descending)
        elif descending:
            matches.sort(key=attrgetter("start"), reverse=True)
        result = (matches, sum(w.duration_seconds for w in matches))

        with self._results_lock:
            self._results[key] = result
            while len(self._results) > _RESULT_CACHE_SIZE:
                self._results.popitem(last=False)
        return result

    def _entry(self, worklog: Worklog) -> dict[str, object]:
        """The details-report item of a worklog, built once and kept."""
        cached = self._entries.get(worklog.worklog_id)
        if cached is not None and cached[0] is worklog:
            return cached[1]
        org = self.org
        issue = org.issue(worklog.issue_id)
        project = org.project(issue.project_id)
        entry: dict[str, object] = {
            "issue": {"id": issue.id, "key": issue.key, "summary": issue.summary},
            "project": {"id": project.id, "key": project.key, "name": project.name},
            "worklog": {
                "id": worklog.worklog_id,
                "jiraWorklogId": worklog.jira_worklog_id,
                "description": worklog.description,
                "durationInSeconds": worklog.duration_seconds,
                "isBillable": worklog.billable,
                "startTime": _utc_timestamp(worklog.start),
                "author": self._author(worklog.author_id),
                "worklogTags": self._tag_refs(worklog),
            },
        }
        self._entries[worklog.worklog_id] = (worklog, entry)
        return entry

    def _author(self, account_id: str) -> dict[str, object]:
        name = self.org.person(account_id).name
        # Jira no longer gives the name of a deleted user: the key is absent.
        return {"id": account_id} if name is None else {"id": account_id, "name": name}

    def _tag_refs(self, worklog: Worklog) -> list[dict[str, object]]:
        return [
            {"id": t, "name": self.org.tag(t).name} for t in sorted(worklog.tag_ids)
        ]

    def _tags(self, request: _Request) -> object:
        archived = request.query.get("archived")
        wanted: bool | None = None
        if archived is not None:
            if archived.lower() not in ("true", "false"):
                raise _validation([_field_error("InvalidFormat", "archived")])
            wanted = archived.lower() == "true"
        return {
            "worklogTags": [
                {
                    "id": tag.id,
                    "name": tag.name,
                    "description": tag.description,
                    "archived": tag.archived,
                    "colorIndex": tag.color_index,
                }
                for tag in sorted(self.org.tags, key=attrgetter("id"))
                if wanted is None or tag.archived is wanted
            ]
        }

    def _worklog(self, request: _Request) -> object:
        tz = _request_zone(request.headers)
        raw = request.query.get("worklogId")
        if raw is None:
            raise _validation([_field_error("Required", "worklogId")])
        if not _UNSIGNED.fullmatch(raw):
            raise _validation([_field_error("InvalidFormat", "worklogId")])
        worklog_id = int(raw)
        visible = self._visible_authors(request.grant)
        try:
            worklog = self.org.worklog(worklog_id)
        except KeyError:
            worklog = None
        if worklog is None or (
            visible is not None and worklog.author_id not in visible
        ):
            raise _ApiError(
                404,
                {
                    "error": {
                        "message": "Worklog not found",
                        "result": "WORKLOG_NOT_FOUND",
                        "worklogId": worklog_id,
                    },
                    "worklog": None,
                },
            )
        local = worklog.start.astimezone(tz)
        return {
            "worklogId": worklog.worklog_id,
            "jiraWorklogId": worklog.jira_worklog_id,
            "issueId": worklog.issue_id,
            "workDate": local.date().isoformat(),
            "workStartTime": local.strftime("%H:%M"),
            "durationInSeconds": worklog.duration_seconds,
            "description": worklog.description,
            "isBillable": worklog.billable,
            "worklogTagIds": sorted(worklog.tag_ids),
            "worklogTags": self._tag_refs(worklog),
        }


_Route = Callable[[EmulatorServer, _Request], object]
_ROUTES: dict[str, dict[str, _Route]] = {
    "/report/details": {"POST": EmulatorServer._details},
    "/tag": {"GET": EmulatorServer._tags},
    "/worklog": {"GET": EmulatorServer._worklog},
}
_ORDER_KEYS: dict[str, Callable[[Worklog], Any]] = {
    "worklogCreated": attrgetter("created_at"),
    "worklogUpdated": attrgetter("updated_at"),
    "worklogTimeSpent": attrgetter("duration_seconds"),
}


# ---------------------------------------------------------------------------
# Field parsing


def _request_zone(headers: Message) -> ZoneInfo:
    name = (headers.get("x-timezone") or "").strip()
    if not name:
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise _validation([_field_error("Invalid", "x-timezone")]) from None


def _int_field(
    body: dict[str, Any], name: str, errors: list[dict[str, object]], *, required: bool
) -> int | None:
    value = body.get(name)
    if value is None:
        if required:
            errors.append(_field_error("Required", name))
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors.append(_field_error("InvalidFormat", name))
        return None
    return value


def _date_field(
    body: dict[str, Any], name: str, errors: list[dict[str, object]]
) -> date | None:
    value = body.get(name)
    if value is None:
        errors.append(_field_error("Required", name))
        return None
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        errors.append(_field_error("InvalidFormat", name))
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(_field_error("InvalidFormat", name))
        return None


def _strings_field(
    body: dict[str, Any],
    name: str,
    errors: list[dict[str, object]],
    *,
    numbers: bool = False,
) -> list[str] | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, list):
        errors.append(_field_error("InvalidFormat", name))
        return None
    items: list[str] = []
    for item in value:
        if isinstance(item, str):
            items.append(item)
        elif numbers and isinstance(item, int) and not isinstance(item, bool):
            items.append(str(item))
        else:
            errors.append(_field_error("InvalidFormat", name))
            return None
    return items


def _day_bounds(first: date, last: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Return the instants of local midnight starting ``first`` and after ``last``.

    ``fold=0`` is right for both kinds of DST change at midnight: a skipped
    midnight maps to the instant of the change, a repeated one to its first
    occurrence, which is where the day begins either way.
    """
    lowest = datetime.min.replace(tzinfo=UTC)
    highest = datetime.max.replace(tzinfo=UTC)
    try:
        start = datetime.combine(first, dtime(), tzinfo=tz).astimezone(UTC)
    except OverflowError:
        start = lowest
    try:
        following = last + timedelta(days=1)
        end = datetime.combine(following, dtime(), tzinfo=tz).astimezone(UTC)
    except OverflowError:
        end = highest
    return start, end


def _utc_timestamp(instant: datetime) -> str:
    utc = instant.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def _json_bytes(payload: object) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


# ---------------------------------------------------------------------------
# HTTP


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "TimetrackerEmulator/1.0"
    # Small responses after a buffered header write would wait for the
    # peer's delayed ACK without this: 40 ms per keep-alive request.
    disable_nagle_algorithm = True
    # An idle keep-alive connection is closed after this many seconds.
    timeout = 30

    @property
    def _emulator(self) -> EmulatorServer:
        return cast(_HTTPServer, self.server).emulator

    def setup(self) -> None:
        super().setup()
        self._emulator._track(self.connection, open_=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self._emulator._track(self.connection, open_=False)

    def do_GET(self) -> None:
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def _handle(self) -> None:
        started = time.perf_counter()
        method = self.command

        # 1. Split the target and read the whole body, even when the answer
        # will be an error: unread bytes would corrupt the next keep-alive
        # request on this connection.
        target = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(target.query, True).items()}
        try:
            raw = self._read_body()
        except _ApiError as exc:
            self.close_connection = True
            self._send(exc.status, exc.payload, exc.headers)
            return
        body: object = None
        if raw:
            try:
                body = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                body = _NOT_JSON

        # 2. Record it: the path, the query, the body and the zone; no token.
        emulator = self._emulator
        emulator._record(
            RecordedRequest(
                method,
                target.path,
                query,
                None if body is _NOT_JSON else body,
                self.headers.get("x-timezone"),
            )
        )

        # 3. Answer.
        try:
            status, payload, headers = emulator._answer(
                method, target.path, query, body, self.headers
            )
        except _ApiError as exc:
            status, payload, headers = exc.status, exc.payload, exc.headers
        except Exception:
            logger.exception("emulator failed on %s %s", method, target.path)
            status, payload, headers = 500, {"message": "Internal emulator error"}, {}
        size = self._send(status, payload, headers)
        logger.debug(
            "%s %s -> %s, %s bytes, %.1f ms",
            method,
            target.path,
            status,
            size,
            1000 * (time.perf_counter() - started),
        )

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        length_text = self.headers.get("Content-Length")
        if not length_text:
            return b""
        try:
            length = int(length_text)
        except ValueError:
            raise _message(400, "Invalid Content-Length header.") from None
        if length < 0:
            raise _message(400, "Invalid Content-Length header.")
        if length > _MAX_BODY_BYTES:
            raise _message(413, "Request body too large.")
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise _message(400, "Malformed chunked body.") from None
            if size == 0:
                # Trailer lines, if any, end with an empty line.
                while self.rfile.readline(1024).strip():
                    pass
                return b"".join(parts)
            total += size
            if total > _MAX_BODY_BYTES:
                raise _message(413, "Request body too large.")
            parts.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _send(self, status: int, payload: object, headers: Mapping[str, str]) -> int:
        data = _json_bytes(payload)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        return len(data)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # _handle logs each request once, with its timing.
        pass

    def log_message(self, format: str, *args: Any) -> None:
        # Only the request line and errors of http.server arrive here, never
        # header values.
        logger.debug("%s %s", self.address_string(), format % args)


# ---------------------------------------------------------------------------
# Foreground


def serve(host: str = "127.0.0.1", port: int = 8765, seed: int = 2025) -> None:
    """Run the emulator in the foreground until interrupted with Ctrl-C.

    Prints the service URL and the demo tokens with whom they act as.

    Parameters
    ----------
    host : str
        Address to listen on; keep the loopback default.
    port : int
        Port; 0 picks a free one.
    seed : int
        Seed of the generated organisation.

    Examples
    --------
    >>> serve(port=0)  # doctest: +SKIP
    Timetracker emulator: http://127.0.0.1:41229/timetracker/api/latest/public
    """
    server = EmulatorServer(build_organisation(seed), host=host, port=port).start()
    org = server.org
    print(f"Timetracker emulator: {server.url}/timetracker/api/latest/public")
    print(f"Service root (base URL): {server.url}")
    print(f"Organisation: seed {seed}, {len(org.worklogs)} worklogs")
    for token in (DEMO_TOKEN, DEMO_LEAD_TOKEN, DEMO_MEMBER_TOKEN):
        try:
            account = server.token_account(token)
        except KeyError:
            continue
        who = "everyone" if account is None else org.person(account).name or account
        print(f"  x-everit-api-key: {token:<18} ({server.token_role(token)}: {who})")
    print("Press Ctrl-C to stop.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
