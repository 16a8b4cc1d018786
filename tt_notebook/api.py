"""The only module that sends requests: endpoints, paging, errors, retries.

Every function takes a :class:`~tt_notebook.session.TimetrackerSession` and
returns plain JSON-shaped Python objects; :mod:`tt_notebook.frames` turns them
into DataFrames. Reads (GET and the report POSTs) are cached and retried;
writes are neither, except where the connection could not even be opened.
"""

from __future__ import annotations

import datetime as dt
import json as json_module
import logging
import random
import re
import threading
import time
import warnings
import zoneinfo
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import numpy as np
import requests
from requests_cache import DO_NOT_CACHE

from .config import DateLike, parse_date
from .errors import (
    APIError,
    CacheMissError,
    ConfigurationError,
    IncompleteResultError,
    NotFoundError,
    RateLimitError,
    StaleCacheWarning,
    error_from_response,
)
from .session import RETRY_STATUSES, TimetrackerSession, is_read_request

__all__ = [
    "DetailsQuery",
    "archive_tag",
    "create_tag",
    "create_worklog",
    "delete_tag",
    "delete_worklog",
    "details_pieces",
    "details_report",
    "fillchecker_report",
    "get_worklog",
    "list_tags",
    "month_chunks",
    "request_json",
    "restore_tag",
    "summary_report",
    "update_tag",
    "update_worklog",
]

logger = logging.getLogger(__name__)

_fast_loads: Callable[[bytes], Any] | None
try:  # orjson decodes the large report pages two to three times faster
    from orjson import loads as _fast_loads
except ImportError:  # pragma: no cover - the standard library will do
    _fast_loads = None


def loads(content: bytes) -> Any:
    """Decode a JSON answer body (UTF-8 bytes)."""
    if _fast_loads is not None:
        return _fast_loads(content)
    return json_module.loads(content)


#: Rows asked for per details page; the server may grant fewer and says so.
PAGE_SIZE = 1000
#: Concurrent page requests once the first page has told the total.
WORKERS = 4
#: More pages than this show a progress bar.
PROGRESS_MIN_PAGES = 3
#: Extra attempts for a read whose body broke off or was not valid JSON;
#: urllib3 cannot retry these, as they happen after the status line arrived.
BODY_RETRIES = 2
SUMMARY_VIEWS = ("userView", "projectView", "issueView", "tagView", "billingView")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_STALE_STATUSES = frozenset({*RETRY_STATUSES, 500})


def request_json(
    session: TimetrackerSession,
    method: str,
    path: str,
    *,
    json: Mapping[str, Any] | None = None,
    params: Mapping[str, Any] | None = None,
    expire_after: float | None = None,
    refresh: bool = False,
    headers: Mapping[str, str] | None = None,
    expiry: list[float] | None = None,
) -> Any:
    """Send one request and return its decoded JSON body (None when empty).

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
        Seconds a read's answer stays fresh in the cache.
    refresh : bool
        Ask the service again even when a fresh answer is cached.
    headers : mapping, optional
        Extra request headers (never the token: the session adds it).
    expiry : list, optional
        Gets the answer's cache expiry appended, as a POSIX time (0.0 for an
        answer that must not be reused, such as a stale fallback).

    Raises
    ------
    APIError
        Or one of its subclasses, built from the response.
    CacheMissError
        When the session is offline and the answer is not cached.
    StaleCacheWarning
        Issued (not raised) when the service failed and an expired cached
        answer was returned instead.
    """
    endpoint = f"{method} {path}"
    url = session.api_root + path
    reads = is_read_request(method, url)
    if expiry is not None and (session.offline or not reads):
        expiry.append(0.0)
    if session.offline:
        return _offline_answer(session, method, url, json, params, endpoint, reads)
    kwargs: dict[str, Any] = {"json": json, "params": params, "headers": headers}
    if not reads:
        kwargs["expire_after"] = DO_NOT_CACHE
    elif expire_after is not None:
        kwargs["expire_after"] = expire_after
    if refresh:
        kwargs["force_refresh"] = True

    attempts = 1 + BODY_RETRIES if reads else 1
    for attempt in range(attempts):
        # 1. Send; urllib3 retries statuses and failed connections inside.
        started = time.perf_counter()
        try:
            response = session.http.request(method, url, **kwargs)
        except requests.exceptions.RequestException as exc:
            broken = isinstance(exc, requests.exceptions.ChunkedEncodingError)
            if reads and broken and attempt + 1 < attempts:
                logger.info("%s: answer broke off; asking again", endpoint)
                _pause(attempt)
                continue
            error = _transport_error(exc, endpoint, session.settings.timeout)
            if reads:
                if expiry is not None:
                    expiry.append(0.0)
                return _stale_or_raise(session, method, url, json, params, error)
            raise error from exc
        logger.debug(
            "%s %s start=%s -> %s cache=%s %.0f ms",
            method,
            path,
            (json or {}).get("startAt", "-"),
            response.status_code,
            "hit" if getattr(response, "from_cache", False) else "miss",
            (time.perf_counter() - started) * 1000,
        )

        # 2. Error statuses become errors; a failing service may fall back to
        #    an expired cached answer.
        if response.status_code >= 400:
            error = error_from_response(
                response.status_code, _json_or_none(response), endpoint
            )
            if reads and response.status_code in _STALE_STATUSES:
                if expiry is not None:
                    expiry.append(0.0)
                return _stale_or_raise(session, method, url, json, params, error)
            raise error

        # 3. Decode. A broken body that arrived complete per HTTP was cached:
        #    drop it before asking again.
        if not response.content:
            return None
        try:
            answer = loads(response.content)
        except ValueError:
            if reads:
                session.forget(response.request)
            if reads and attempt + 1 < attempts:
                logger.info("%s: answer was not valid JSON; asking again", endpoint)
                kwargs["force_refresh"] = True
                _pause(attempt)
                continue
            raise APIError(
                "The service's answer was not valid JSON (cut short?); try again.",
                status_code=response.status_code,
                endpoint=endpoint,
            ) from None
        if expiry is not None and reads:
            expiry.append(_expires_at(response))
        return answer
    raise AssertionError("unreachable")  # pragma: no cover


def _expires_at(response: requests.Response) -> float:
    # requests-cache sets `expires` on fresh and cached answers alike, as a
    # naive UTC datetime; None means it never expires.
    expires = getattr(response, "expires", None)
    if expires is None:
        return float("inf")
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=dt.UTC)
    return float(expires.timestamp())


def _pause(attempt: int) -> None:
    time.sleep(min(4.0, 0.2 * 2**attempt) * (0.5 + random.random()))


def _json_or_none(response: requests.Response) -> Any:
    try:
        return loads(response.content)
    except ValueError:
        return None


def _transport_error(exc: Exception, endpoint: str, timeout: float) -> APIError:
    if isinstance(exc, requests.exceptions.RetryError):
        return RateLimitError(
            "The service kept answering with temporary errors until the retry "
            "budget ran out; try again later.",
            status_code=None,
            endpoint=endpoint,
        )
    if _timed_out(exc):
        return APIError(
            f"The Timetracker service did not answer in time (timeout "
            f"{timeout:g} s per attempt, after retries). Try again later or "
            "raise timeout=.",
            status_code=None,
            endpoint=endpoint,
        )
    return APIError(
        f"Could not reach the Timetracker service ({type(exc).__name__}). "
        "Check base_url and the network connection.",
        status_code=None,
        endpoint=endpoint,
    )


def _timed_out(exc: BaseException) -> bool:
    # requests reports a read timeout that outlasted the retries as a
    # ConnectionError around urllib3's MaxRetryError(ReadTimeoutError).
    seen: BaseException | None = exc
    for _ in range(6):
        if seen is None:
            return False
        if isinstance(seen, requests.exceptions.Timeout | TimeoutError):
            return True
        reason = getattr(seen, "reason", None)
        if isinstance(reason, BaseException) and "Timeout" in type(reason).__name__:
            return True
        nested = seen.args[0] if seen.args else None
        seen = nested if isinstance(nested, BaseException) else seen.__cause__
    return False


def _stale_or_raise(
    session: TimetrackerSession,
    method: str,
    url: str,
    json: Mapping[str, Any] | None,
    params: Mapping[str, Any] | None,
    error: APIError,
) -> Any:
    cached = session.cached(method, url, json=json, params=params)
    if cached is None:
        raise error
    warnings.warn(
        f"{error} Served the cached answer from "
        f"{cached.created_at:%Y-%m-%d %H:%M} UTC instead; it may be out of date.",
        StaleCacheWarning,
        stacklevel=4,
    )
    return loads(cached.content)


def _offline_answer(
    session: TimetrackerSession,
    method: str,
    url: str,
    json: Mapping[str, Any] | None,
    params: Mapping[str, Any] | None,
    endpoint: str,
    reads: bool,
) -> Any:
    if not reads:
        raise CacheMissError(
            f"{endpoint} changes data, which an offline session cannot do: "
            "connect with offline=False."
        )
    cached = session.cached(method, url, json=json, params=params)
    if cached is None:
        raise CacheMissError(
            f"{endpoint} with these parameters is not in the cache, and the "
            "session is offline: fetch it once online (offline=False) first."
        )
    return loads(cached.content)


@dataclass(frozen=True)
class DetailsQuery:
    """The filter part of a details report request, already validated.

    Build it with :meth:`build`; :meth:`body` gives the JSON request body of
    one page.
    """

    start: dt.date
    end: dt.date
    users: tuple[str, ...] | None = None
    projects: tuple[str, ...] | None = None
    billable: bool | None = None

    @property
    def matches_nothing(self) -> bool:
        """Whether an empty filter list (``users=[]``) rules out every row."""
        return self.users == () or self.projects == ()

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
        return cls(
            first,
            last,
            None if users is None else _account_ids(users),
            None if projects is None else _project_ids(projects),
            _flag(billable, "billable"),
        )

    def body(self, start_at: int, max_results: int) -> dict[str, Any]:
        """The JSON body that asks for one page."""
        body: dict[str, Any] = {
            "startDate": self.start.isoformat(),
            "endDate": self.end.isoformat(),
            "startAt": start_at,
            "maxResults": max_results,
            "orderBy": "worklogStartTime",
        }
        if self.users is not None:
            body["users"] = list(self.users)
        if self.projects is not None:
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
    while True:
        if first.month == 12:
            month_end = first.replace(day=31)
        else:
            month_end = first.replace(month=first.month + 1, day=1) - dt.timedelta(1)
        if month_end >= end:
            chunks.append((first, end))
            return chunks
        chunks.append((first, month_end))
        first = month_end + dt.timedelta(days=1)


def _expiry(session: TimetrackerSession, last_day: dt.date) -> float:
    # A range that reaches yesterday (in the session's zone) can still change
    # under people's hands; a closed past range changes only by late edits.
    today = dt.datetime.now(zoneinfo.ZoneInfo(session.timezone)).date()
    if last_day >= today - dt.timedelta(days=1):
        return session.settings.recent_expiry
    return session.settings.closed_expiry


@dataclass
class _Page:
    ids: list[Any]
    piece: Any  # the page's values, or what the caller's parse made of them


@dataclass
class _Chunk:
    query: DetailsQuery
    pages: dict[int, _Page] = field(default_factory=dict)
    total: int = 0
    totals_seen: set[int] = field(default_factory=set)

    def distinct(self) -> int:
        """How many distinct worklogs the chunk's pages hold."""
        return len({wid for page in self.pages.values() for wid in page.ids})

    def complete(self) -> bool:
        """Whether one total was seen and that many distinct rows arrived."""
        return len(self.totals_seen) == 1 and self.distinct() == self.total


#: A page's parsed piece, and which of its rows to keep (None: all of them).
Piece = tuple[Any, list[bool] | None]


def details_report(
    session: TimetrackerSession,
    query: DetailsQuery,
    *,
    page_size: int = PAGE_SIZE,
    workers: int = WORKERS,
    progress: bool = True,
    refresh: bool = False,
    expiry: list[float] | None = None,
) -> list[dict[str, Any]]:
    """Fetch every row of a details report, complete or not at all.

    The range is cut into calendar months, each fetched page by page (its own
    cache entries). Once a month's first page tells ``total`` and the page
    size the server granted, its other pages are fetched by ``workers``
    threads. Rows are de-duplicated by worklog id. A month whose rows
    disagree with its total (the data changed while paging) is read once
    more, bypassing the cache.

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
    expiry : list, optional
        Gets every page's cache expiry appended (see :func:`request_json`).

    Returns
    -------
    list of dict
        The ``values`` items of every page, in start order, each worklog once.

    Raises
    ------
    IncompleteResultError
        When a month's rows still disagree with its total after the re-read.
    """
    pieces = details_pieces(
        session,
        query,
        page_size=page_size,
        workers=workers,
        progress=progress,
        refresh=refresh,
        expiry=expiry,
    )
    rows: list[dict[str, Any]] = []
    for values, keep in pieces:
        rows += (
            values
            if keep is None
            else [v for v, k in zip(values, keep, strict=True) if k]
        )
    return rows


def details_pieces(
    session: TimetrackerSession,
    query: DetailsQuery,
    *,
    parse: Callable[[list[dict[str, Any]]], Any] | None = None,
    page_size: int = PAGE_SIZE,
    workers: int = WORKERS,
    progress: bool = True,
    refresh: bool = False,
    expiry: list[float] | None = None,
) -> list[Piece]:
    """Like :func:`details_report`, but each page is parsed as it arrives.

    ``parse`` runs in the worker thread that fetched the page, on the page's
    ``values``, so that turning pages into columns overlaps with waiting for
    the next pages. The result is one ``(piece, keep)`` pair per page in
    start order, where ``keep`` marks the rows that are not repeats of an
    earlier worklog (None when every row is kept).
    """
    if page_size < 1 or workers < 1:
        raise ConfigurationError("page_size and workers must be at least 1.")
    if query.matches_nothing:
        return []
    chunks = [_Chunk(q) for q in query.split_months()]
    fetch = _Fetch(session, page_size, workers, progress, parse, expiry)
    fetch.run(chunks, refresh)

    # 1. A changed month is read again, fresh; other months keep their pages.
    changed = [i for i, c in enumerate(chunks) if not c.complete()]
    if changed:
        logger.info("%d month(s) changed while paging; reading again", len(changed))
        again = [_Chunk(chunks[i].query) for i in changed]
        fetch.run(again, True)
        for i, chunk in zip(changed, again, strict=True):
            chunks[i] = chunk
    for chunk in chunks:
        if not chunk.complete():
            raise IncompleteResultError(
                f"The details report for {chunk.query.start}..{chunk.query.end} "
                f"announced {sorted(chunk.totals_seen)} worklogs but "
                f"{chunk.distinct()} distinct ones arrived, twice; the data keeps "
                "changing while paging. Try again in a moment.",
                expected=chunk.total,
                received=chunk.distinct(),
            )

    # 2. Each worklog once, in page order, even one that moved between pages
    #    or months while paging.
    seen: set[Any] = set()
    pieces: list[Piece] = []
    for chunk in chunks:
        for offset in sorted(chunk.pages):
            page = chunk.pages[offset]
            keep = first_seen(page.ids, seen)
            pieces.append((page.piece, None if all(keep) else keep))
    return pieces


def first_seen(ids: Iterable[Any], seen: set[Any]) -> list[bool]:
    """Mark each id not in ``seen`` before it (its first occurrence); add it.

    Examples
    --------
    >>> first_seen([1, 2, 1, 3], {3})
    [True, True, False, False]
    """
    keep = []
    for wid in ids:
        keep.append(wid not in seen)
        seen.add(wid)
    return keep


class _Fetch:
    """Pages of month chunks, fetched and parsed by a bounded pool of threads."""

    def __init__(
        self,
        session: TimetrackerSession,
        page_size: int,
        workers: int,
        progress: bool,
        parse: Callable[[list[dict[str, Any]]], Any] | None,
        expiry: list[float] | None,
    ) -> None:
        self.session = session
        self.page_size = page_size
        self.workers = workers
        self.progress = progress
        self.parse = parse
        self.expiry = expiry
        self.failed = threading.Event()

    def page(
        self, chunk: _Chunk, start_at: int, refresh: bool
    ) -> tuple[_Chunk, int, dict[str, Any], _Page]:
        # Once one page has failed the report cannot complete: pages that a
        # worker picks up afterwards are not sent at all.
        if self.failed.is_set():
            raise CancelledError
        try:
            return self._page(chunk, start_at, refresh)
        except BaseException:
            self.failed.set()
            raise

    def _page(
        self, chunk: _Chunk, start_at: int, refresh: bool
    ) -> tuple[_Chunk, int, dict[str, Any], _Page]:
        answer = request_json(
            self.session,
            "POST",
            "/report/details",
            json=chunk.query.body(start_at, self.page_size),
            expire_after=_expiry(self.session, chunk.query.end),
            refresh=refresh,
            expiry=self.expiry,
        )
        values = answer.get("values") if isinstance(answer, Mapping) else None
        if not isinstance(values, list) or not all(type(v) is dict for v in values):
            raise APIError(
                "The details report answer has no 'values' list of objects.",
                status_code=200,
                endpoint="POST /report/details",
            )
        ids = [(v.get("worklog") or {}).get("id") for v in values]
        piece = values if self.parse is None else self.parse(values)
        return chunk, start_at, answer, _Page(ids, piece)

    def run(self, chunks: Sequence[_Chunk], refresh: bool) -> None:
        pool = ThreadPoolExecutor(max_workers=self.workers)
        progress_bar = _Progress(self.progress, len(chunks))
        try:
            # 1. First pages of every month at once: they tell totals and sizes.
            firsts = [pool.submit(self.page, c, 0, refresh) for c in chunks]
            later: list[Future[tuple[_Chunk, int, dict[str, Any], _Page]]] = []
            for future in firsts:
                chunk, _, answer, page = future.result()
                chunk.pages[0] = page
                chunk.total = _count(answer, "total")
                chunk.totals_seen.add(chunk.total)
                granted = _count(answer, "maxResults") or self.page_size
                step = max(1, min(granted, self.page_size))
                if page.ids and len(page.ids) < min(step, chunk.total):
                    step = len(page.ids)  # the server sent less than it said

                # 2. The rest of this month's pages, concurrently.
                offsets = range(step, chunk.total, step)
                later += [pool.submit(self.page, chunk, o, refresh) for o in offsets]
                progress_bar.found(len(offsets))
                progress_bar.done()

            # 3. Collect them.
            for future in later:
                chunk, offset, answer, page = future.result()
                chunk.pages[offset] = page
                chunk.totals_seen.add(_count(answer, "total"))
                progress_bar.done()
        finally:
            # On an error or Ctrl-C, pages not yet started are dropped at
            # once; the few in flight finish in the background.
            pool.shutdown(wait=False, cancel_futures=True)
            progress_bar.close()


class _Progress:
    """A tqdm bar over pages, shown once more than a few pages are known."""

    def __init__(self, enabled: bool, known: int) -> None:
        self.enabled = enabled
        self.known = known
        self.finished = 0
        self.bar: Any = None

    def found(self, pages: int) -> None:
        self.known += pages
        if self.bar is not None:
            self.bar.total = self.known
            self.bar.refresh()

    def done(self) -> None:
        self.finished += 1
        if self.bar is None and self.enabled and self.known > PROGRESS_MIN_PAGES:
            from tqdm.auto import tqdm

            self.bar = tqdm(
                total=self.known, initial=self.finished, unit="page", desc="worklogs"
            )
        elif self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _count(answer: Mapping[str, Any], name: str) -> int:
    value = answer.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise APIError(
            f"The details report answer has no valid {name!r}.",
            status_code=200,
            endpoint="POST /report/details",
        )
    return value


def summary_report(
    session: TimetrackerSession,
    query: DetailsQuery,
    *,
    views: Sequence[str] = SUMMARY_VIEWS,
    expand: Sequence[str] = ("AUTHOR",),
    refresh: bool = False,
) -> dict[str, list[dict[str, Any]]]:
    """Fetch the summary report: totals grouped by user, project, issue, tag…

    Parameters
    ----------
    session : TimetrackerSession
        Where to ask.
    query : DetailsQuery
        Days and filters, as for the details report.
    views : sequence of str
        ``userView``, ``projectView``, ``issueView``, ``tagView``,
        ``billingView``; the service always adds ``userView``.
    expand : sequence of str
        Extra details, such as ``"AUTHOR"`` for avatars.
    refresh : bool
        Ignore a fresh cached answer.

    Returns
    -------
    dict
        View name to its list of items, each with ``billableLoggedSeconds``,
        ``nonBillableLoggedSeconds`` and ``totalLogged``.

    Notes
    -----
    The report is asked in one request, not in month pieces, because its
    items are totals; whether the real service pages it is not known.
    """
    unknown = [v for v in views if v not in SUMMARY_VIEWS]
    if isinstance(views, str) or unknown:
        raise ConfigurationError(
            f"views takes a list of {', '.join(SUMMARY_VIEWS)}; got {views!r}."
        )
    if query.matches_nothing:
        return {name: [] for name in dict.fromkeys(["userView", *views])}
    body = query.body(0, PAGE_SIZE)
    del body["orderBy"]
    body.update({"groupBy": list(views), "expand": list(expand)})
    answer = request_json(
        session,
        "POST",
        "/report/summary",
        json=body,
        expire_after=_expiry(session, query.end),
        refresh=refresh,
    )
    if not isinstance(answer, Mapping):
        raise APIError(
            "The summary report answer is not an object.",
            status_code=200,
            endpoint="POST /report/summary",
        )
    return {
        name: [dict(item) for item in items if isinstance(item, Mapping)]
        for name, items in answer.items()
        if isinstance(items, list)
    }


def fillchecker_report(
    session: TimetrackerSession,
    start: DateLike,
    end: DateLike,
    *,
    users: Iterable[str] | None = None,
    groups: Iterable[str] | None = None,
    projects: Iterable[str | int] | None = None,
    non_working_project_ids: Iterable[str | int] | None = None,
    refresh: bool = False,
) -> list[dict[str, Any]]:
    """Fetch the fillchecker report: per person and day, work and non-work.

    Parameters
    ----------
    session : TimetrackerSession
        Where to ask.
    start, end : datetime.date or str
        First and last day, both included.
    users, groups : list of str, optional
        Account ids and Jira group names; the service answers nothing when
        both are empty.
    projects : list of str or int, optional
        Only worklogs in these numeric project ids count.
    non_working_project_ids : list of str or int, optional
        Projects (leave, holidays) counted as non-work.
    refresh : bool
        Ignore a fresh cached answer.

    Returns
    -------
    list of dict
        The ``userReports`` items: ``accountId`` and ``daySummaries`` with
        ``date``, ``realWorkInSeconds`` and ``nonWorkInSeconds``.
    """
    query = DetailsQuery.build(start, end, users=users, projects=projects)
    body: dict[str, Any] = {
        "dateFrom": query.start.isoformat(),
        "dateUntil": query.end.isoformat(),
        "users": list(query.users or ()),
        "groups": _strings(groups, "groups"),
        "projects": [int(p) for p in query.projects or ()],
        "nonWorkingProjectIds": [
            int(p) for p in _project_ids(non_working_project_ids or ())
        ],
    }
    answer = request_json(
        session,
        "POST",
        "/report/fillchecker",
        json=body,
        expire_after=_expiry(session, query.end),
        refresh=refresh,
    )
    return _objects_in(answer, "userReports", "POST /report/fillchecker")


# Tags ---------------------------------------------------------------------


def list_tags(
    session: TimetrackerSession, *, archived: bool | None = None
) -> list[dict[str, Any]]:
    """Return the site's worklog tags, optionally only (non-)archived ones."""
    params = None if archived is None else {"archived": str(archived).lower()}
    answer = request_json(session, "GET", "/tag", params=params)
    return _objects_in(answer, "worklogTags", "GET /tag")


def _objects_in(answer: Any, name: str, endpoint: str) -> list[dict[str, Any]]:
    """The objects of the list ``name`` in an answer, or a clear error."""
    items = answer.get(name) if isinstance(answer, Mapping) else None
    if not isinstance(items, list):
        raise APIError(
            f"The answer has no {name!r} list.", status_code=200, endpoint=endpoint
        )
    return [dict(item) for item in items if isinstance(item, Mapping)]


def create_tag(
    session: TimetrackerSession,
    name: str,
    description: str = "",
    *,
    color_index: int | None = None,
) -> dict[str, Any]:
    """Create a worklog tag and return it, with its new ``id``."""
    body = _tag_body(name, description, color_index)
    return _tag_write(session, "POST", "/tag", body)


def update_tag(
    session: TimetrackerSession,
    tag_id: int,
    name: str,
    description: str = "",
    *,
    color_index: int | None = None,
) -> dict[str, Any]:
    """Replace a tag's name, description and colour; return the stored tag."""
    body = _tag_body(name, description, color_index)
    return _tag_write(session, "PUT", f"/tag/{_id(tag_id, 'tag_id')}", body)


def delete_tag(session: TimetrackerSession, tag_id: int) -> None:
    """Delete a worklog tag."""
    _tag_write(session, "DELETE", f"/tag/{_id(tag_id, 'tag_id')}", None)


def archive_tag(session: TimetrackerSession, tag_id: int) -> dict[str, Any]:
    """Archive a tag (hidden from new worklogs, kept on old ones)."""
    return _tag_write(session, "POST", f"/tag/{_id(tag_id, 'tag_id')}/archive", {})


def restore_tag(session: TimetrackerSession, tag_id: int) -> dict[str, Any]:
    """Take a tag out of the archive."""
    return _tag_write(session, "POST", f"/tag/{_id(tag_id, 'tag_id')}/restore", {})


def _tag_body(name: str, description: str, color_index: int | None) -> dict[str, Any]:
    if not isinstance(name, str) or not name.strip():
        raise ConfigurationError("A tag needs a non-empty name.")
    body: dict[str, Any] = {"name": name, "description": description}
    if color_index is not None:
        body["colorIndex"] = _id(color_index, "color_index", minimum=0)
    return body


def _tag_write(
    session: TimetrackerSession, method: str, path: str, body: dict[str, Any] | None
) -> dict[str, Any]:
    answer = request_json(session, method, path, json=body)
    # Every cached tag list, of every token, may now be wrong.
    session.forget_where(lambda r: _path_of(r.url).endswith("/public/tag"))
    return dict(answer) if isinstance(answer, Mapping) else {}


# Worklogs -----------------------------------------------------------------


def get_worklog(
    session: TimetrackerSession, worklog_id: int, *, refresh: bool = False
) -> dict[str, Any]:
    """Return one worklog by its numeric Timetracker id.

    ``workDate`` and ``workStartTime`` are in the session's time zone.

    Raises
    ------
    ConfigurationError
        When ``worklog_id`` is not a whole number (an issue key, say).
    NotFoundError
        When no such worklog is visible to the token.
    """
    wid = _id(worklog_id, "worklog_id")
    answer = request_json(
        session, "GET", "/worklog", params={"worklogId": wid}, refresh=refresh
    )
    return _worklog_or_raise(answer, wid, "GET /worklog")


def create_worklog(
    session: TimetrackerSession,
    *,
    issue_id: int,
    work_date: DateLike,
    duration: int | dt.timedelta,
    start_time: str | dt.time | None = None,
    description: str = "",
    billable: bool | None = None,
    tag_ids: Sequence[int] = (),
    on_behalf_of: str | None = None,
) -> dict[str, Any]:
    """Log work on an issue and return the stored worklog.

    Parameters
    ----------
    session : TimetrackerSession
        Who logs it: the token's user; ``work_date`` and ``start_time`` are
        wall-clock values in the session's time zone.
    issue_id : int
        The numeric Jira issue id (not the key such as ``"WEB-17"``).
    work_date : datetime.date or str
        The day of the work.
    duration : int or datetime.timedelta
        Length, in whole seconds when an int.
    start_time : str or datetime.time, optional
        ``"HH:mm"``.
    description : str
        What was done.
    billable : bool, optional
        The billable flag; the service's default when omitted.
    tag_ids : sequence of int
        Worklog tag ids (see :func:`list_tags`).
    on_behalf_of : str, optional
        Atlassian account id of the person the work is logged for (sent as
        ``x-everit-on-behalf-account``); the token's user needs the right to
        do so, else the service answers 479.

    Returns
    -------
    dict
        The stored worklog, with ``worklogId``. Cached reports that cover its
        day are dropped from the cache.
    """
    body = _worklog_fields(
        issue_id=issue_id,
        work_date=work_date,
        duration=duration,
        start_time=start_time,
        description=description,
        billable=billable,
        tag_ids=tag_ids,
    )
    headers = {}
    if on_behalf_of is not None:
        headers["x-everit-on-behalf-account"] = _strings([on_behalf_of], "x")[0]
    answer = request_json(session, "POST", "/worklog", json=body, headers=headers)
    if not isinstance(answer, Mapping) or "worklogId" not in answer:
        raise APIError(
            "The service did not return the created worklog's worklogId.",
            status_code=200,
            endpoint="POST /worklog",
        )
    _forget_days(session, [body["workDate"]], None)
    return dict(answer)


def update_worklog(
    session: TimetrackerSession,
    worklog_id: int,
    *,
    issue_id: int | None = None,
    work_date: DateLike | None = None,
    duration: int | dt.timedelta | None = None,
    start_time: str | dt.time | None = None,
    description: str | None = None,
    billable: bool | None = None,
    tag_ids: Sequence[int] | None = None,
) -> dict[str, Any]:
    """Change some fields of a worklog and return it as stored.

    Fields left as None are unchanged. Cached reports that cover its old or
    new day are dropped from the cache.

    Raises
    ------
    NotFoundError
        When the service answers ``WORKLOG_NOT_FOUND``.
    APIError
        When it answers any other error in its result envelope.
    """
    wid = _id(worklog_id, "worklog_id")
    changes = _worklog_fields(
        issue_id=issue_id,
        work_date=work_date,
        duration=duration,
        start_time=start_time,
        description=description,
        billable=billable,
        tag_ids=tag_ids,
    )
    if not changes:
        raise ConfigurationError("update_worklog needs at least one field to change.")
    before = get_worklog(session, wid, refresh=True)
    answer = request_json(
        session, "PATCH", "/worklog", json={"worklogId": wid, "partialWorklog": changes}
    )
    stored = _worklog_or_raise(answer, wid, "PATCH /worklog")
    _forget_days(session, [before.get("workDate"), stored.get("workDate")], wid)
    return stored


def delete_worklog(session: TimetrackerSession, worklog_id: int) -> None:
    """Delete a worklog.

    Raises
    ------
    NotFoundError
        When the service answers ``WORKLOG_NOT_FOUND``: nothing was deleted.
    """
    wid = _id(worklog_id, "worklog_id")
    before = get_worklog(session, wid, refresh=True)
    answer = request_json(session, "DELETE", "/worklog", params={"worklogId": wid})
    if isinstance(answer, Mapping) and answer.get("error"):
        _worklog_or_raise(answer, wid, "DELETE /worklog")
    _forget_days(session, [before.get("workDate")], wid)


def _worklog_or_raise(answer: Any, wid: int, endpoint: str) -> dict[str, Any]:
    # PATCH and DELETE answer 200 with {error, worklog}; GET may too.
    if not isinstance(answer, Mapping):
        raise APIError(
            "The worklog answer is not an object.", status_code=200, endpoint=endpoint
        )
    error = answer.get("error")
    if isinstance(error, Mapping):
        result = error.get("result")
        if result == "WORKLOG_NOT_FOUND":
            raise NotFoundError(
                f"Worklog {wid} was not found, or is not visible to this token.",
                status_code=200,
                endpoint=endpoint,
            )
        raise APIError(
            f"The service refused the change to worklog {wid}: {result}"
            + (f" ({error.get('message')})" if error.get("message") else "")
            + ".",
            status_code=200,
            endpoint=endpoint,
        )
    worklog = answer.get("worklog", answer) if "error" in answer else answer
    if not isinstance(worklog, Mapping):
        raise APIError(
            f"The service answered without worklog {wid}.",
            status_code=200,
            endpoint=endpoint,
        )
    return dict(worklog)


def _worklog_fields(
    *,
    issue_id: int | None,
    work_date: DateLike | None,
    duration: int | dt.timedelta | None,
    start_time: str | dt.time | None,
    description: str | None,
    billable: bool | None,
    tag_ids: Sequence[int] | None,
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if issue_id is not None:
        if isinstance(issue_id, str) and not issue_id.isdigit():
            raise ConfigurationError(
                f"issue_id must be the numeric Jira issue id, not the key "
                f"{issue_id!r}: Timetracker does not accept keys. A fetched "
                "frame lists ids in its issue_id column."
            )
        fields["issueId"] = _id(int(issue_id), "issue_id")
    if work_date is not None:
        fields["workDate"] = parse_date(work_date, "work_date").isoformat()
    if duration is not None:
        seconds = (
            duration.total_seconds() if isinstance(duration, dt.timedelta) else duration
        )
        if isinstance(seconds, bool) or seconds <= 0 or seconds != int(seconds):
            raise ConfigurationError(
                f"duration must be a positive whole number of seconds, not "
                f"{duration!r}."
            )
        fields["durationInSeconds"] = int(seconds)
    if start_time is not None:
        text = (
            start_time.strftime("%H:%M")
            if isinstance(start_time, dt.time)
            else start_time
        )
        if not isinstance(text, str) or not _TIME.match(text):
            raise ConfigurationError(
                f"start_time must be 'HH:mm' (24-hour), such as '08:30'; got "
                f"{start_time!r}."
            )
        fields["workStartTime"] = text
    if description is not None:
        fields["description"] = str(description)
    if billable is not None:
        fields["isBillable"] = _flag(billable, "billable")
    if tag_ids is not None:
        fields["worklogTagIds"] = [_id(t, "tag_ids") for t in tag_ids]
    return fields


def _forget_days(
    session: TimetrackerSession, days: Iterable[Any], worklog_id: int | None
) -> None:
    # Cached reports of any zone or token whose range reaches the written day
    # are stale; one day either side covers every zone's idea of that day.
    written = [dt.date.fromisoformat(d) for d in days if isinstance(d, str)]

    def stale(request: Any) -> bool:
        path = _path_of(request.url)
        if worklog_id is not None and path.endswith("/public/worklog"):
            query = parse_qs(urlsplit(request.url).query)
            return query.get("worklogId") == [str(worklog_id)]
        if "/public/report/" not in path:
            return False
        first, last = _body_range(request)
        if first is None or last is None:
            return True
        return any(
            first - dt.timedelta(days=1) <= day <= last + dt.timedelta(days=1)
            for day in written
        )

    dropped = session.forget_where(stale)
    logger.info("Dropped %d cached answers after a worklog write", dropped)


def _body_range(request: Any) -> tuple[dt.date | None, dt.date | None]:
    try:
        body = json_module.loads(request.body or b"{}")
        first = str(body.get("startDate") or body.get("dateFrom"))
        last = str(body.get("endDate") or body.get("dateUntil"))
        return dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    except (TypeError, ValueError, AttributeError):
        return None, None  # unreadable: treated as covering every day


def _path_of(url: str | None) -> str:
    return urlsplit(url or "").path


def _id(value: Any, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigurationError(
            f"{name} must be a whole number of at least {minimum} (a numeric id), "
            f"not {value!r}."
        )
    return value


def _strings(values: Iterable[str] | None, name: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ConfigurationError(f"{name} takes a list, such as {name}=['...'].")
    return [str(v) for v in values]


def _account_ids(values: Iterable[str]) -> tuple[str, ...]:
    ids = tuple(v.strip() for v in _strings(values, "users"))
    for account in ids:
        if not account or any(c.isspace() for c in account):
            raise ConfigurationError(
                f"users takes Atlassian account ids such as '712020:0d6f…', not "
                f"display names like {account!r}; a fetched frame lists them in "
                "author_id."
            )
    return ids


def _flag(value: Any, name: str) -> bool | None:
    # numpy and pandas booleans are fine; 1, "yes" and NA are not.
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    raise ConfigurationError(f"{name} must be True, False or None.")


def _project_ids(values: Iterable[str | int]) -> tuple[str, ...]:
    if isinstance(values, str | int):
        raise ConfigurationError("projects take lists, such as projects=['10000'].")
    ids = tuple(v.strip() for v in _strings(values, "projects"))  # type: ignore[arg-type]
    for pid in ids:
        if not pid.isdigit():
            raise ConfigurationError(
                f"projects takes numeric Jira project ids such as '10000', "
                f"not {pid!r}; a fetched frame lists them in project_id."
            )
    return ids
