"""A real HTTP server that answers like the Timetracker Cloud public API.

:class:`EmulatorServer` serves an :class:`~tt_notebook.emulator.data.Organisation`
on a loopback port, in a background thread, under the same paths as the
vendor's service (``/timetracker/api/<version>/public/...``). It implements
every documented endpoint: worklog read, create, update and delete, the
details, summary and fillchecker reports, and the tag list and writes, with
the documented authentication, CSRF and time-zone rules and error bodies.
Where the real behaviour is unknown it makes one choice, recorded in
``docs/design/emulator.md``. A :class:`~tt_notebook.emulator.FaultPlan`
makes it fail on purpose, and ``/openapi.json`` describes what it serves.

Only the standard library is used, so the emulator runs wherever the package
is installed.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, NamedTuple, cast
from urllib.parse import parse_qs, urlsplit

from . import reports, tags, worklogs
from .context import Answer, Grant, RawJson, Request, Role
from .data import Organisation, Person, build_organisation
from .faults import Decision, Fault, FaultPlan, FaultRecord, FaultState, draw
from .fields import (
    EMPTY_VALIDATION,
    NOT_JSON,
    ApiError,
    json_bytes,
    message,
    parse_json,
)
from .jql import JqlError, issues_matching
from .openapi import document as openapi_document

__all__ = [
    "DEMO_FILTERS",
    "DEMO_LEAD_TOKEN",
    "DEMO_MEMBER_TOKEN",
    "DEMO_TOKEN",
    "ROUTES",
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
DEMO_FILTERS: dict[str, str] = {
    "10100": "project = WEB",
    "10101": "project in (OPS, SUP)",
    "10102": "project = LEAVE",
}
"""Saved Jira filters (id to JQL) that ``filters`` in a report may name."""

_ROLES: tuple[Role, ...] = ("admin", "lead", "member")
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_PATH = re.compile(r"/timetracker/api/(?P<version>[^/]+)/public(?P<route>/.*)?")
_VERSION = re.compile(r"latest|[0-9]+")
_MAX_BODY_BYTES = 10 * 1024 * 1024
_OPENAPI_PATH = "/openapi.json"
_FAULT_MESSAGES = {
    429: "Too many requests; retry later.",
    500: "Internal server error.",
    502: "Bad gateway.",
    503: "Service unavailable; retry later.",
    504: "Gateway timeout.",
    567: "Worklog synchronization between Jira and Timetracker is not complete.",
}

_Route = Callable[["EmulatorServer", Request], object]
ROUTES: dict[str, dict[str, _Route]] = {
    "/worklog": {
        "GET": worklogs.get_worklog,
        "POST": worklogs.create_worklog,
        "PATCH": worklogs.update_worklog,
        "DELETE": worklogs.delete_worklog,
    },
    "/report/details": {"POST": reports.details},
    "/report/summary": {"POST": reports.summary},
    "/report/fillchecker": {"POST": reports.fillchecker},
    "/tag": {"GET": tags.list_tags, "POST": tags.create_tag},
    "/tag/{worklogTagId}": {"PUT": tags.update_tag, "DELETE": tags.delete_tag},
    "/tag/{worklogTagId}/archive": {"POST": tags.archive_tag},
    "/tag/{worklogTagId}/restore": {"POST": tags.restore_tag},
}
"""The routing table: path template below ``/public`` to method to route."""
_TEMPLATES = [
    (
        template,
        re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))),
    )
    for template in ROUTES
]


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


class _Target(NamedTuple):
    """Where a request goes: its API path, route template and variables."""

    api_path: str
    version_ok: bool
    template: str | None
    params: dict[str, str]


def _target(path: str) -> _Target | None:
    """Resolve a URL path; ``None`` when it is not under an API root."""
    match = _PATH.fullmatch(path)
    if match is None:
        return None
    api_path = match["route"] or "/"
    for template, pattern in _TEMPLATES:
        found = pattern.fullmatch(api_path)
        if found is not None:
            return _Target(
                api_path,
                bool(_VERSION.fullmatch(match["version"])),
                template,
                found.groupdict(),
            )
    return _Target(api_path, bool(_VERSION.fullmatch(match["version"])), None, {})


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Clients page concurrently; the default backlog of 5 refuses bursts.
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], emulator: EmulatorServer) -> None:
        self.emulator = emulator
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that goes away mid-request is normal (timeouts, dropped
        # connections in tests); socketserver would print a traceback.
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            logger.debug("connection ended early: %s", type(error).__name__)
        else:
            logger.error("emulator failed on a connection", exc_info=error)


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
    faults : FaultPlan, optional
        Faults and latency to inject; none when omitted.
    saved_filters : mapping of str to str, optional
        Saved Jira filters, id to JQL, for ``filters`` in report requests;
        when omitted, those of :data:`DEMO_FILTERS` whose projects exist.

    Attributes
    ----------
    org : Organisation
        The data served; changes through its methods show at once.
    max_page_size, default_page_size : int
        Paging limits, as given.
    saved_filters : dict of str to str
        The saved filters.

    Raises
    ------
    ValueError
        If a page size is out of range or a saved filter's JQL is outside
        the supported subset.

    Notes
    -----
    Routes: ``GET``, ``POST``, ``PATCH`` and ``DELETE /worklog``;
    ``POST /report/details``, ``/report/summary`` and
    ``/report/fillchecker``; ``GET`` and ``POST /tag``; ``PUT`` and
    ``DELETE /tag/{worklogTagId}``; ``POST /tag/{worklogTagId}/archive``
    and ``/restore``. ``GET /openapi.json`` (no token needed) gives the
    OpenAPI 3 document of them.

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
        faults: FaultPlan | None = None,
        saved_filters: Mapping[str, str] | None = None,
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
        self.saved_filters: dict[str, str] = {}
        for filter_id, text in (saved_filters or DEMO_FILTERS).items():
            try:
                issues_matching(text, self.org)
            except JqlError as exc:
                # The demo filters name the demo projects; a hand-made
                # organisation may lack them.
                if saved_filters is None:
                    continue
                raise ValueError(f"saved filter {filter_id}: {exc}") from None
            self.saved_filters[filter_id] = text
        self._host = host
        self._requested_port = port
        self._grants: dict[str, Grant] = {}
        if tokens is None:
            tokens = self._demo_tokens()
        for token, (account_id, role) in tokens.items():
            self.add_token(token, account_id, role)
        self._log: list[RecordedRequest] = []
        self._fault_log: list[FaultRecord] = []
        self._log_lock = threading.Lock()
        self._faults = FaultState(faults or FaultPlan())
        self._results = reports.ResultCache()
        self._entries = reports.EntryCache()
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
        self._grants[token] = Grant(account_id, role)

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

    def _visible_authors(self, grant: Grant) -> frozenset[str] | None:
        """Return whose worklogs a grant sees; ``None`` means everyone's."""
        if grant.role == "admin":
            return None
        own = {grant.account_id} if grant.account_id else set()
        if grant.role == "lead":
            own |= {p.account_id for p in self.org.members(self.lead_group)}
        return frozenset(own)

    # -- faults -------------------------------------------------------------

    @property
    def faults(self) -> FaultPlan:
        """The fault plan in force (an empty one when none was set)."""
        return self._faults.plan

    def set_faults(self, plan: FaultPlan | None) -> None:
        """Put a fault plan in force, or none; its counters start from zero.

        Requests are counted from the next one on: ``nth=[1]`` means the
        first request after this call. The fault log is kept; see
        :meth:`clear_log`.

        Examples
        --------
        >>> from datetime import date
        >>> from tt_notebook.emulator import Fault, FaultPlan
        >>> server = EmulatorServer(build_organisation(end=date(2025, 1, 3)))
        >>> server.set_faults(FaultPlan([Fault("status", status=503, nth=[2])]))
        >>> server.faults.faults[0].status
        503
        """
        self._faults = FaultState(plan or FaultPlan())
        if plan is not None and plan.faults:
            logger.info(
                "fault plan: %s; latency %.3f s, jitter %.3f s, seed %s",
                "; ".join(f.spec() for f in plan.faults),
                plan.latency,
                plan.jitter,
                plan.seed,
            )

    @property
    def fault_log(self) -> list[FaultRecord]:
        """A snapshot of every fault injected so far, oldest first."""
        with self._log_lock:
            return list(self._fault_log)

    def _log_fault(self, record: FaultRecord) -> None:
        with self._log_lock:
            self._fault_log.append(record)
        logger.info(
            "injected fault %s on %s %s (request %s, status %s%s)",
            record.kind,
            record.method,
            record.path,
            record.request,
            record.status,
            "" if record.worklog_id is None else f", worklog {record.worklog_id}",
        )

    def _apply_data_faults(
        self, request: Request, selection: reports.Selection
    ) -> None:
        """Create or delete worklogs of a report's selection, as planned."""
        pending, request.data_faults = request.data_faults, []
        for fault, index, match in pending:
            worklog_id = self._data_fault(fault, index, match, request, selection)
            if worklog_id is not None:
                request.applied.append(
                    FaultRecord(
                        fault.kind,
                        request.method,
                        request.path,
                        request.number,
                        0,
                        worklog_id,
                    )
                )

    def _data_fault(
        self,
        fault: Fault,
        index: int,
        match: int,
        request: Request,
        selection: reports.Selection,
    ) -> int | None:
        # 1. Delete one of the selected worklogs, or copy one: the copy has
        # the same start, so it sorts right after its original.
        org = self.org
        candidates = reports.select(org, selection)
        share = draw(self._faults.plan.seed, "data", index, match)
        if candidates:
            chosen = candidates[int(share * len(candidates))]
            if fault.kind == "delete_worklog":
                try:
                    org.remove_worklog(chosen.worklog_id)
                except KeyError:
                    return None
                return chosen.worklog_id
            copy = org.add_worklog(
                chosen.issue_id,
                chosen.author_id,
                chosen.start,
                chosen.duration_seconds,
                chosen.description,
                chosen.billable,
                chosen.tag_ids,
                created=datetime.now(UTC),
            )
            return copy.worklog_id
        if fault.kind == "delete_worklog":
            return None

        # 2. Nothing to copy: a new worklog at the start of the range, by
        # someone and on an issue the selection lets through.
        if not 1900 <= selection.first.year <= 2999:
            return None
        people = [
            p.account_id
            for p in org.people
            if not p.deleted
            and (selection.visible is None or p.account_id in selection.visible)
            and (selection.authors is None or p.account_id in selection.authors)
        ]
        project_of = {i.id: i.project_id for i in org.issues}
        issues = [
            i.id
            for i in org.issues
            if (selection.issues is None or i.id in selection.issues)
            and (selection.projects is None or project_of[i.id] in selection.projects)
        ]
        if not people or not issues:
            return None
        added = org.add_worklog(
            issues[0],
            people[0],
            selection.first,
            1800,
            "Added while you were paging",
            bool(selection.billable),
            created=datetime.now(UTC),
        )
        return added.worklog_id

    # -- request log --------------------------------------------------------

    @property
    def requests_log(self) -> list[RecordedRequest]:
        """A snapshot of every request received so far, oldest first.

        Records carry no token and no header except ``x-timezone``.
        """
        with self._log_lock:
            return list(self._log)

    def clear_log(self) -> None:
        """Forget the requests and the faults recorded so far."""
        with self._log_lock:
            self._log.clear()
            self._fault_log.clear()

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
        target: _Target | None,
        query: dict[str, str],
        body: object,
        headers: Message,
        decision: Decision | None,
        applied: list[FaultRecord],
    ) -> Answer:
        # 1. Authentication comes first, for every path.
        token = headers.get("x-everit-api-key")
        grant = self._grants.get(token) if token else None
        if grant is None:
            raise message(401, "Missing or unknown x-everit-api-key header.")

        # 2. The CSRF guard on every state-changing method.
        if method in _WRITE_METHODS and "x-requested-by" not in headers:
            raise ApiError(400, EMPTY_VALIDATION)

        # 3. The route: a known version, a known path, an allowed method.
        if target is None or not target.version_ok or target.template is None:
            raise message(404, f"No such resource: {path}")
        routes = ROUTES[target.template]
        route = routes.get(method)
        if route is None:
            allowed = ", ".join(sorted(routes))
            raise ApiError(
                405,
                {"message": f"Method {method} is not allowed here; use {allowed}."},
                {"Allow": allowed},
            )
        request = Request(
            method,
            target.api_path,
            target.params,
            query,
            body,
            headers,
            grant,
            decision.request if decision else 0,
            list(decision.data) if decision else [],
            applied,
        )
        result = route(self, request)
        if isinstance(result, Answer):
            return result
        return Answer(200, result, {})


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

    def __getattr__(self, name: str) -> Any:
        # http.server looks up do_<METHOD>; every method, even one it does
        # not know (QUERY, PROPFIND), goes to the router, which answers 405
        # with Allow on a known path, so no method gets an HTML 501.
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def send_error(
        self, code: int, message: str | None = None, explain: str | None = None
    ) -> None:
        # http.server's own errors (a bad request line, an unknown method,
        # headers too long) as JSON like every other answer, not HTML.
        text = message or self.responses.get(code, ("Error",))[0]
        self.close_connection = True
        self._send(code, json_bytes({"message": text}), {})

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
        except ApiError as exc:
            self.close_connection = True
            self._send(exc.status, json_bytes(exc.payload), exc.headers)
            return
        body: object = None
        if raw:
            ok, parsed = parse_json(raw)
            body = parsed if ok else NOT_JSON

        # 2. Record it: the path, the query, the body and the zone; no token.
        emulator = self._emulator
        emulator._record(
            RecordedRequest(
                method,
                target.path,
                query,
                None if body is NOT_JSON else body,
                self.headers.get("x-timezone"),
            )
        )
        if target.path == _OPENAPI_PATH:
            status = self._send_openapi(method)
            self._log_request(method, target.path, status, started)
            return

        # 3. The fault plan's say: a wait, maybe an answer instead of the
        # route's, maybe a spoilt answer, maybe data changed first.
        resolved = _target(target.path)
        decision = None
        fault = None
        if resolved is not None:
            decision = emulator._faults.decide(
                method, resolved.api_path, resolved.template
            )
            if decision.delay > 0:
                time.sleep(decision.delay)
            fault = decision.response
        if decision is not None and fault is not None and fault.kind == "status":
            self._send_status_fault(fault, method, resolved, decision)
            self._log_request(method, target.path, fault.status or 0, started)
            return

        # 4. Answer.
        applied: list[FaultRecord] = []
        try:
            status, payload, headers = emulator._answer(
                method,
                target.path,
                resolved,
                query,
                body,
                self.headers,
                decision,
                applied,
            )
        except ApiError as exc:
            status, payload, headers = exc.status, exc.payload, exc.headers
        except Exception:
            logger.exception("emulator failed on %s %s", method, target.path)
            status, payload, headers = 500, {"message": "Internal emulator error"}, {}

        # 5. Log the faults before sending: a client that has its answer
        # must find them in the log.
        if isinstance(payload, RawJson):
            data = payload.data
        else:
            data = b"" if payload is None else json_bytes(payload)
        sent = 200 if fault is not None and fault.kind == "truncate" else status
        for record in applied:
            emulator._log_fault(record._replace(status=sent))
        if fault is not None and decision is not None and resolved is not None:
            emulator._log_fault(
                FaultRecord(
                    fault.kind, method, resolved.api_path, decision.request, sent
                )
            )
        if fault is None:
            self._send(status, data, headers)
        elif fault.kind == "drop":
            self._send_dropped(status, data, headers)
        else:
            self._send(200, _cut(data), headers, no_content=False)
        self._log_request(method, target.path, sent, started, len(data))

    def _log_request(
        self, method: str, path: str, status: int, started: float, size: int = 0
    ) -> None:
        logger.debug(
            "%s %s -> %s, %s bytes, %.1f ms",
            method,
            path,
            status,
            size,
            1000 * (time.perf_counter() - started),
        )

    def _send_openapi(self, method: str) -> int:
        if method not in ("GET", "HEAD"):
            self._send(
                405,
                json_bytes(
                    {"message": f"Method {method} is not allowed here; use GET."}
                ),
                {"Allow": "GET"},
            )
            return 405
        self._send(200, _openapi_bytes(), {})
        return 200

    def _send_status_fault(
        self, fault: Fault, method: str, resolved: _Target | None, decision: Decision
    ) -> None:
        status = fault.status or 500
        headers = (
            {} if fault.retry_after is None else {"Retry-After": fault.retry_after}
        )
        api_path = resolved.api_path if resolved is not None else ""
        # Logged before sending, like every fault: see _handle.
        self._emulator._log_fault(
            FaultRecord("status", method, api_path, decision.request, status)
        )
        self._send(status, json_bytes({"message": _FAULT_MESSAGES[status]}), headers)

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        length_text = self.headers.get("Content-Length")
        if not length_text:
            return b""
        try:
            length = int(length_text)
        except ValueError:
            raise message(400, "Invalid Content-Length header.") from None
        if length < 0:
            raise message(400, "Invalid Content-Length header.")
        if length > _MAX_BODY_BYTES:
            raise message(413, "Request body too large.")
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise message(400, "Malformed chunked body.") from None
            if size == 0:
                # Trailer lines, if any, end with an empty line.
                while self.rfile.readline(1024).strip():
                    pass
                return b"".join(parts)
            total += size
            if total > _MAX_BODY_BYTES:
                raise message(413, "Request body too large.")
            parts.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _send(
        self,
        status: int,
        data: bytes,
        headers: Mapping[str, str],
        *,
        no_content: bool = True,
    ) -> None:
        try:
            self.send_response(status)
            # A 204 has neither a body nor the headers that describe one.
            if not (no_content and status == 204):
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD" and data:
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _send_dropped(
        self, status: int, data: bytes, headers: Mapping[str, str]
    ) -> None:
        # The real head, half of the body, then the end of the connection:
        # the client sees fewer bytes than Content-Length promised.
        self.close_connection = True
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # _handle logs each request once, with its timing.
        pass

    def log_message(self, format: str, *args: Any) -> None:
        # Only the request line and errors of http.server arrive here, never
        # header values.
        logger.debug("%s %s", self.address_string(), format % args)


@functools.cache
def _openapi_bytes() -> bytes:
    return json_bytes(openapi_document())


def _cut(data: bytes) -> bytes:
    """The first half of a body, ending on a whole UTF-8 character."""
    end = len(data) // 2
    while 0 < end < len(data) and data[end] & 0xC0 == 0x80:
        end -= 1
    return data[:end]


# ---------------------------------------------------------------------------
# Foreground


def serve(
    host: str = "127.0.0.1",
    port: int = 8765,
    seed: int = 2025,
    *,
    faults: FaultPlan | None = None,
) -> None:
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
    faults : FaultPlan, optional
        Faults and latency to inject; printed when given.

    Examples
    --------
    >>> serve(port=0)  # doctest: +SKIP
    Timetracker emulator: http://127.0.0.1:41229/timetracker/api/latest/public
    """
    server = EmulatorServer(
        build_organisation(seed), host=host, port=port, faults=faults
    ).start()
    # Ctrl-C may come as soon as the last line is out: every print is
    # inside the try, so the interrupt always ends the server cleanly.
    try:
        _print_banner(server, seed, faults)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def _print_banner(server: EmulatorServer, seed: int, faults: FaultPlan | None) -> None:
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
    if faults is not None and (faults.faults or faults.latency or faults.jitter):
        print(
            f"Faults (seed {faults.seed}): latency {faults.latency:g} s, "
            f"jitter {faults.jitter:g} s"
        )
        for fault in faults.faults:
            print(f"  --fault {fault.spec()}")
    print("Press Ctrl-C to stop.", flush=True)
