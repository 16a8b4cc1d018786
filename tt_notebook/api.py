"""The only module that sends requests: endpoints, paging, errors.

Every function takes a :class:`~tt_notebook.session.TimetrackerSession` and
returns plain JSON-shaped Python objects; :mod:`tt_notebook.frames` turns them
into DataFrames.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests
from requests_cache import DO_NOT_CACHE

from .config import DateLike, parse_date
from .errors import (
    TOKEN_HELP,
    APIError,
    AuthenticationError,
    ConfigurationError,
    IncompleteResultError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    SyncIncompleteError,
    ValidationError,
)
from .session import TimetrackerSession, is_read_request

__all__ = [
    "DetailsQuery",
    "details_report",
    "get_worklog",
    "list_tags",
    "month_chunks",
]

logger = logging.getLogger(__name__)

#: Rows asked for per details page; the server may grant fewer and says so.
PAGE_SIZE = 1000
#: Concurrent page requests once the first page has told the total.
WORKERS = 4
#: More pages than this show a progress bar.
PROGRESS_MIN_PAGES = 3


def _raise_for_status(response: requests.Response, endpoint: str) -> None:
    status = response.status_code
    if status < 400:
        return
    body = _json_or_none(response)
    if status == 400:
        raise _validation_error(body, endpoint)
    if status in (401, 403):
        raise AuthenticationError(
            f"The Timetracker API rejected the token (HTTP {status}). Check that "
            f"it was copied whole and has not been revoked. {TOKEN_HELP}",
            status_code=status,
            endpoint=endpoint,
        )
    if status == 479:
        raise PermissionDeniedError(
            "The token's user lacks a Timetracker permission needed here; ask a "
            "Timetracker administrator to grant it in Global Settings.",
            status_code=status,
            endpoint=endpoint,
        )
    if status == 404:
        raise NotFoundError(
            "Not found, or not visible to this token.",
            status_code=status,
            endpoint=endpoint,
        )
    if status == 429:
        raise RateLimitError(
            "The service is rate limiting this token and kept doing so after "
            "every retry; wait a minute and try again.",
            status_code=status,
            endpoint=endpoint,
        )
    if status == 567:
        raise SyncIncompleteError(
            "Timetracker has not finished syncing worklogs with Jira; try again "
            "in a few minutes.",
            status_code=status,
            endpoint=endpoint,
        )
    raise APIError(
        f"The Timetracker API answered with an error (HTTP {status}).",
        status_code=status,
        endpoint=endpoint,
    )


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _validation_error(body: Any, endpoint: str) -> ValidationError:
    fields: list[Mapping[str, Any]] = []
    extra: list[Mapping[str, Any]] = []
    if isinstance(body, Mapping):
        fields = [e for e in body.get("fieldErrors") or [] if isinstance(e, Mapping)]
        extra = [
            e for e in body.get("additionalErrors") or [] if isinstance(e, Mapping)
        ]
    parts = [
        f"{'/'.join('.'.join(map(str, p)) for p in e.get('paths') or [])}: "
        f"{e.get('errorType')}"
        for e in fields
    ]
    parts += [str(e.get("errorType")) for e in extra]
    if parts:
        message = "The service rejected the request: " + "; ".join(parts) + "."
    else:
        message = (
            "The service rejected the request without saying why (HTTP 400). For "
            "POST calls this is what a missing x-requested-by header gives."
        )
    return ValidationError(
        message,
        status_code=400,
        endpoint=endpoint,
        field_errors=fields,
        additional_errors=extra,
    )


def request_json(
    session: TimetrackerSession,
    method: str,
    path: str,
    *,
    json: Mapping[str, Any] | None = None,
    params: Mapping[str, Any] | None = None,
    expire_after: float | None = None,
    refresh: bool = False,
) -> Any:
    """Send one request and return its decoded JSON body.

    Parameters
    ----------
    session : TimetrackerSession
        Where to send it.
    method, path : str
        HTTP method and the path below the public API root, such as
        ``"/report/details"``.
    json, params : mapping, optional
        Request body and query parameters.
    expire_after : float, optional
        Seconds the answer stays fresh in the cache; writes are never cached.
    refresh : bool
        Ask the service again even when a fresh answer is cached.

    Raises
    ------
    APIError
        Or one of its subclasses, built from the response.
    """
    endpoint = f"{method} {path}"
    url = session.api_root + path
    kwargs: dict[str, Any] = {"json": json, "params": params}
    if not is_read_request(method, url):
        kwargs["expire_after"] = DO_NOT_CACHE
    elif expire_after is not None:
        kwargs["expire_after"] = expire_after
    if refresh:
        kwargs["force_refresh"] = True

    # 1. Send; urllib3 retries transient failures inside the adapter.
    started = time.perf_counter()
    try:
        response = session.http.request(method, url, **kwargs)
    except requests.exceptions.RetryError as exc:
        raise RateLimitError(
            "The service kept answering with temporary errors; try again later.",
            status_code=None,
            endpoint=endpoint,
        ) from exc
    except requests.exceptions.RequestException as exc:
        raise APIError(
            f"Could not reach the Timetracker service ({type(exc).__name__}). "
            "Check base_url and the network connection.",
            status_code=None,
            endpoint=endpoint,
        ) from exc
    logger.debug(
        "%s %s start=%s -> %s cache=%s %.0f ms",
        method,
        path,
        (json or {}).get("startAt", "-"),
        response.status_code,
        "hit" if getattr(response, "from_cache", False) else "miss",
        (time.perf_counter() - started) * 1000,
    )

    # 2. Map error statuses to the error tree, then decode.
    _raise_for_status(response, endpoint)
    try:
        return response.json()
    except ValueError as exc:
        raise APIError(
            "The service's answer was not valid JSON (cut short?); try again.",
            status_code=response.status_code,
            endpoint=endpoint,
        ) from exc


@dataclass(frozen=True)
class DetailsQuery:
    """The filter part of a details report request, already validated.

    Build it with :meth:`build`; :meth:`body` gives the JSON request body of
    one page.
    """

    start: dt.date
    end: dt.date
    users: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    billable: bool | None = None

    @classmethod
    def build(
        cls,
        start: DateLike,
        end: DateLike,
        *,
        users: Iterable[str] | None = None,
        projects: Iterable[str | int] | None = None,
        billable: bool | None = None,
    ) -> DetailsQuery:
        """Validate the arguments of a details report.

        Raises
        ------
        ConfigurationError
            For a day that is not a date, a start after the end, a project key
            where an id is needed, or a billable flag that is not a bool.
        """
        first, last = parse_date(start, "start"), parse_date(end, "end")
        if first > last:
            raise ConfigurationError(
                f"start {first.isoformat()} is after end {last.isoformat()}: "
                "swap them (both days are included)."
            )
        if billable is not None and not isinstance(billable, bool):
            raise ConfigurationError("billable must be True, False or None.")
        if isinstance(users, str) or isinstance(projects, str | int):
            raise ConfigurationError(
                "users and projects take lists, such as users=['712020:...']."
            )
        project_ids = tuple(str(p).strip() for p in projects or ())
        for pid in project_ids:
            if not pid.isdigit():
                raise ConfigurationError(
                    f"projects takes numeric Jira project ids such as '10000', "
                    f"not {pid!r}; a fetched frame lists them in project_id."
                )
        return cls(first, last, tuple(users or ()), project_ids, billable)

    def body(self, start_at: int, max_results: int) -> dict[str, Any]:
        """The JSON body that asks for one page."""
        body: dict[str, Any] = {
            "startDate": self.start.isoformat(),
            "endDate": self.end.isoformat(),
            "startAt": start_at,
            "maxResults": max_results,
            "orderBy": "worklogStartTime",
        }
        if self.users:
            body["users"] = list(self.users)
        if self.projects:
            body["projects"] = list(self.projects)
        if self.billable is not None:
            body["filterBillable"] = self.billable
        return body

    def split_months(self) -> list[DetailsQuery]:
        """The same query cut into calendar-month pieces."""
        return [
            DetailsQuery(a, b, self.users, self.projects, self.billable)
            for a, b in month_chunks(self.start, self.end)
        ]


def month_chunks(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Cut the inclusive range into calendar-month pieces.

    Examples
    --------
    >>> month_chunks(dt.date(2025, 1, 20), dt.date(2025, 3, 2))  # doctest: +ELLIPSIS
    [(datetime.date(2025, 1, 20), datetime.date(2025, 1, 31)), ...]
    >>> len(month_chunks(dt.date(2025, 1, 20), dt.date(2025, 3, 2)))
    3
    """
    chunks = []
    first = start
    while first <= end:
        next_month = (first.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        last = min(end, next_month - dt.timedelta(days=1))
        chunks.append((first, last))
        first = next_month
    return chunks


def _expiry(session: TimetrackerSession, query: DetailsQuery) -> float:
    # A range that reaches yesterday (in the session's zone) can still change
    # under people's hands; a closed past range changes only by late edits.
    today = dt.datetime.now(zoneinfo.ZoneInfo(session.timezone)).date()
    if query.end >= today - dt.timedelta(days=1):
        return session.settings.recent_expiry
    return session.settings.closed_expiry


@dataclass
class _Chunk:
    query: DetailsQuery
    pages: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    total: int = 0
    totals_seen: set[int] = field(default_factory=set)


def details_report(
    session: TimetrackerSession,
    query: DetailsQuery,
    *,
    page_size: int = PAGE_SIZE,
    workers: int = WORKERS,
    progress: bool = True,
    refresh: bool = False,
) -> list[dict[str, Any]]:
    """Fetch every row of a details report, complete or not at all.

    The range is cut into calendar months, each fetched page by page (its own
    cache entries). Once a month's first page tells ``total`` and the page
    size the server granted, its other pages are fetched by ``workers``
    threads. Rows are de-duplicated by worklog id.

    Parameters
    ----------
    session : TimetrackerSession
        Where to ask.
    query : DetailsQuery
        Days and filters.
    page_size : int
        Rows to ask for per page.
    workers : int
        Page requests in flight at once.
    progress : bool
        Show a progress bar for more than a few pages.
    refresh : bool
        Ignore fresh cached pages.

    Returns
    -------
    list of dict
        The ``values`` items of every page, in start order.

    Raises
    ------
    IncompleteResultError
        When the rows that arrived disagree with ``total`` even after one
        fresh re-read (the data changed while paging, or the server lost
        rows).
    """
    if page_size < 1 or workers < 1:
        raise ConfigurationError("page_size and workers must be at least 1.")
    chunks = query.split_months()
    try:
        return _fetch_chunks(session, chunks, page_size, workers, progress, refresh)
    except IncompleteResultError:
        if refresh:
            raise
        logger.info("Report changed while paging; reading it again without cache")
        return _fetch_chunks(session, chunks, page_size, workers, progress, True)


def _fetch_chunks(
    session: TimetrackerSession,
    queries: Sequence[DetailsQuery],
    page_size: int,
    workers: int,
    progress: bool,
    refresh: bool,
) -> list[dict[str, Any]]:
    chunks = [_Chunk(q) for q in queries]

    def page(chunk: _Chunk, start_at: int) -> tuple[_Chunk, int, dict[str, Any]]:
        body = chunk.query.body(start_at, page_size)
        answer = request_json(
            session,
            "POST",
            "/report/details",
            json=body,
            expire_after=_expiry(session, chunk.query),
            refresh=refresh,
        )
        if not isinstance(answer, Mapping) or not isinstance(
            answer.get("values"), list
        ):
            raise APIError(
                "The details report answer has no 'values' list.",
                status_code=200,
                endpoint="POST /report/details",
            )
        return chunk, start_at, dict(answer)

    # 1. First pages of every month at once: they tell totals and page sizes.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        firsts = [pool.submit(page, c, 0) for c in chunks]
        later: list[Future[tuple[_Chunk, int, dict[str, Any]]]] = []
        bar = None
        for future in firsts:
            chunk, _, answer = future.result()
            values = answer["values"]
            chunk.pages[0] = values
            chunk.total = _int_field(answer, "total")
            chunk.totals_seen.add(chunk.total)
            granted = _int_field(answer, "maxResults") or len(values) or page_size
            step = max(1, min(granted, page_size))
            if values and len(values) < step:
                step = len(values)

            # 2. The rest of this month's pages, concurrently.
            later += [
                pool.submit(page, chunk, offset)
                for offset in range(step, chunk.total, step)
            ]
        pages_total = len(firsts) + len(later)
        if progress and pages_total > PROGRESS_MIN_PAGES:
            from tqdm.auto import tqdm

            bar = tqdm(total=pages_total, initial=len(firsts), unit="page")
        try:
            for future in later:
                chunk, offset, answer = future.result()
                chunk.pages[offset] = answer["values"]
                chunk.totals_seen.add(_int_field(answer, "total"))
                if bar is not None:
                    bar.update(1)
        finally:
            if bar is not None:
                bar.close()

    # 3. Join in page order, de-duplicate, and check against the totals.
    rows: list[dict[str, Any]] = []
    seen: set[Any] = set()
    for chunk in chunks:
        received = 0
        for offset in sorted(chunk.pages):
            for row in chunk.pages[offset]:
                wid = (row.get("worklog") or {}).get("id")
                if wid in seen:
                    continue
                seen.add(wid)
                rows.append(row)
                received += 1
        if len(chunk.totals_seen) > 1 or received != chunk.total:
            raise IncompleteResultError(
                f"The details report for {chunk.query.start}..{chunk.query.end} "
                f"announced {sorted(chunk.totals_seen)} worklogs but {received} "
                "distinct ones arrived; the data changed while paging. Fetch "
                "again with refresh=True.",
                expected=chunk.total,
                received=received,
            )
    return rows


def _int_field(answer: Mapping[str, Any], name: str) -> int:
    value = answer.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise APIError(
            f"The details report answer has no valid {name!r}.",
            status_code=200,
            endpoint="POST /report/details",
        )
    return value


def iter_tags(payload: Any) -> Iterator[dict[str, Any]]:
    """Yield the tag objects of a ``GET /tag`` answer."""
    tags = payload.get("worklogTags") if isinstance(payload, Mapping) else None
    if not isinstance(tags, list):
        raise APIError(
            "The tag list answer has no 'worklogTags' list.",
            status_code=200,
            endpoint="GET /tag",
        )
    yield from (dict(t) for t in tags if isinstance(t, Mapping))


def list_tags(
    session: TimetrackerSession, *, archived: bool | None = None
) -> list[dict[str, Any]]:
    """Return the site's worklog tags, optionally only (non-)archived ones."""
    params = None if archived is None else {"archived": str(archived).lower()}
    return list(iter_tags(request_json(session, "GET", "/tag", params=params)))


def get_worklog(session: TimetrackerSession, worklog_id: int) -> dict[str, Any]:
    """Return one worklog by its numeric Timetracker id.

    Raises
    ------
    ConfigurationError
        When ``worklog_id`` is not a whole number (an issue key, say).
    NotFoundError
        When no such worklog is visible to the token.
    """
    if isinstance(worklog_id, bool) or not isinstance(worklog_id, int):
        raise ConfigurationError(
            f"worklog_id must be the numeric Timetracker worklog id, not "
            f"{worklog_id!r}."
        )
    answer = request_json(session, "GET", "/worklog", params={"worklogId": worklog_id})
    if not isinstance(answer, Mapping):
        raise APIError(
            "The worklog answer is not an object.",
            status_code=200,
            endpoint="GET /worklog",
        )
    return dict(answer)
