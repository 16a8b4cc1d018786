"""The HTTP session: headers, the token kept out of the cache, retries, caching.

:func:`build_session` returns a :class:`TimetrackerSession`, a small object
that owns one :class:`requests_cache.CachedSession`. Three rules hold for the
token:

1. It is added to a request only at the transport layer (the adapter's
   ``send``), so the request that requests-cache sees, keys and stores never
   has it; the response is handed back with that token-free request attached.
2. It is added only for requests to the configured service, so a redirect to
   another host never receives it.
3. Cache keys start with an HMAC of the token under a random per-cache salt:
   each token has its own partition and nothing secret is stored.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import re
import secrets
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
import requests_cache
from requests.adapters import BaseAdapter, HTTPAdapter
from requests_cache.models.request import CachedRequest
from requests_cache.models.response import CachedResponse
from urllib3.exceptions import MaxRetryError, ResponseError
from urllib3.util.retry import Retry

from .config import Secret, Settings
from .errors import ConfigurationError

__all__ = ["TOKEN_HEADER", "TimetrackerSession", "build_session"]

logger = logging.getLogger(__name__)

TOKEN_HEADER = "x-everit-api-key"
# requests-cache matches ignored names exactly, so list every spelling in use;
# the header never reaches the cache anyway (rule 1), this is a second defence.
_TOKEN_SPELLINGS = (TOKEN_HEADER, "X-Everit-API-Key", "X-Everit-Api-Key")
_REPORT_PATH = re.compile(r"/public/report/(details|summary|fillchecker)$")
RETRY_STATUSES = (429, 502, 503, 504, 567)
CACHE_FILE = "http_cache.sqlite"
#: Frames remembered per session for cells run again.
MEMO_SIZE = 8
SALT_FILE = "cache_key_salt"


_call = threading.local()


class ReadRetry(Retry):
    """urllib3 ``Retry`` with fractional ``Retry-After`` and a time budget.

    The stock parser raises on ``"0.5"`` and loses the response; here a
    number (integer or not) or an HTTP date is honoured, anything else falls
    back to exponential backoff, and every wait is clamped to
    ``retry_after_max``. A retry whose wait would end past the call's budget
    (``budget`` seconds from the start of the call, across all its attempts)
    is not made: the last answer is returned, or the error raised.
    """

    def __init__(self, *args: Any, budget: float = 120.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget = budget

    def new(self, **kwargs: Any) -> ReadRetry:
        retry = super().new(**kwargs)
        retry.budget = self.budget
        return retry

    def parse_retry_after(self, retry_after: str) -> float:
        value = retry_after.strip()
        try:
            seconds = float(value)
        except ValueError:
            try:
                when = parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                return 0.0
            seconds = when.timestamp() - time.time()
        if seconds != seconds:  # NaN
            return 0.0
        return float(min(max(seconds, 0.0), self.retry_after_max))

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: Any = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> ReadRetry:
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        wait = retry.get_backoff_time()
        if response is not None and self.respect_retry_after_header:
            wait = max(wait, retry.get_retry_after(response) or 0.0)
        started = getattr(_call, "started", None)
        if wait >= 5:
            status = getattr(response, "status", None) or type(error).__name__
            logger.info("%s answered %s; asking again in %.0f s", url, status, wait)
        if started is not None and time.monotonic() - started + wait > self.budget:
            raise MaxRetryError(
                _pool,
                url or "",
                ResponseError(f"retry time budget of {self.budget:g} s used up"),
            )
        return retry


def is_read_request(method: str | None, url: str | None) -> bool:
    """Whether a request only reads: any GET, and the report POSTs."""
    if method == "GET":
        return True
    path = urlsplit(url or "").path
    return method == "POST" and _REPORT_PATH.search(path) is not None


def read_retry(
    *, total: int = 6, backoff_factor: float = 0.5, budget: float = 120.0
) -> ReadRetry:
    """The retry policy for reads: 429 and 5xx gateway errors, POST reports too."""
    return ReadRetry(
        budget=budget,
        total=total,
        connect=3,
        read=2,
        status=total,
        other=0,
        redirect=3,
        backoff_factor=backoff_factor,
        backoff_jitter=backoff_factor / 2,
        backoff_max=30,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "POST", "HEAD"}),
        respect_retry_after_header=True,
        retry_after_max=60,
        raise_on_status=False,
    )


def _write_retry() -> Retry:
    # A write is retried only when the connection could not be opened, so the
    # server cannot have acted on it; never after a status or a broken read.
    return Retry(total=2, connect=2, read=0, status=0, other=0, redirect=0)


class TokenAdapter(BaseAdapter):
    """Transport adapter that adds the token to a copy of each outgoing request.

    Parameters
    ----------
    token : Secret
        The API token.
    origin : str
        ``scheme://host:port`` of the service; only requests to it get the token.
    timeout : float
        Seconds, used when a caller gives no timeout.
    retry : urllib3.util.retry.Retry
        The policy for requests that only read.
    """

    def __init__(
        self, token: Secret, origin: str, timeout: float, retry: Retry
    ) -> None:
        super().__init__()
        self._token = token
        self._origin = origin
        self._timeout = timeout
        self._read = HTTPAdapter(max_retries=retry, pool_maxsize=16)
        self._write = HTTPAdapter(max_retries=_write_retry(), pool_maxsize=4)

    def send(  # type: ignore[override]
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | None = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """Send a copy of ``request`` with the token; return a token-free reply."""
        outgoing = request.copy()
        if _origin_of(request.url) == self._origin:
            outgoing.headers[TOKEN_HEADER] = self._token.reveal()
        reads = is_read_request(request.method, request.url)
        adapter = self._read if reads else self._write
        _call.started = time.monotonic()
        response = adapter.send(
            outgoing,
            stream=stream,
            timeout=timeout if timeout is not None else self._timeout,
            verify=verify,
            cert=cert,
            proxies=proxies,
        )
        response.request = request
        return response

    def close(self) -> None:
        """Close both connection pools."""
        self._read.close()
        self._write.close()


def _origin_of(url: str | None) -> str:
    parts = urlsplit(url or "")
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme, 0)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def _load_salt(cache_dir: Path) -> bytes:
    """The cache's 32-byte key salt, created once, readable by the owner only.

    The salt makes the partition prefix useless to anyone without this
    folder. It is written to a private temporary file and linked into place,
    so another process never sees a half-written salt: whoever links first
    wins and everyone reads the winner's. A damaged salt (empty, not hex, the
    wrong length) is replaced; entries keyed with the old one are then
    unreachable, which costs refetches, never data.
    """
    path = cache_dir / SALT_FILE
    for _ in range(2):
        salt = _read_salt(path)
        if salt is not None:
            return salt
        fresh = secrets.token_bytes(32)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".salt-")
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(fresh.hex())
            try:
                os.link(tmp, path)
            except FileExistsError:
                if _read_salt(path) is None:
                    logger.warning("Replacing the damaged cache key salt %s", path)
                    os.replace(tmp, path)
                    return fresh
                continue
            return fresh
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    raise ConfigurationError(
        f"Could not create the cache key salt {path}: check that the cache "
        "folder is writable."
    )


def _read_salt(path: Path) -> bytes | None:
    try:
        salt = bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError):
        return None
    if len(salt) != 32:
        return None
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)
    return salt


def _private_folder(folder: Path) -> None:
    # The cache holds names and descriptions of people's work: owner only.
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except (FileExistsError, NotADirectoryError) as exc:
        raise ConfigurationError(
            f"cache_dir {str(folder)!r} is not a folder: give a folder path, or "
            "leave it out to use the user cache directory."
        ) from exc
    except OSError as exc:
        raise ConfigurationError(
            f"cache_dir {str(folder)!r} cannot be created ({exc.strerror}): give "
            "a writable folder."
        ) from exc
    if not folder.is_dir():
        raise ConfigurationError(f"cache_dir {str(folder)!r} is not a folder.")


def token_fingerprint(token: Secret, salt: bytes) -> str:
    """A keyed, one-way fingerprint of the token: the cache partition name."""
    return hmac.new(salt, token.reveal().encode(), hashlib.sha256).hexdigest()[:24]


def _cacheable(response: requests.Response) -> bool:
    request = response.request
    return is_read_request(request.method, request.url)


class TimetrackerSession:
    """A connection to one Timetracker service, as one token, in one time zone.

    Build it with :func:`tt_notebook.connect` (or :func:`build_session`). It
    owns a ``requests_cache.CachedSession`` in :attr:`http`; pass the whole
    object as ``session=`` to every reader.

    Parameters
    ----------
    settings : Settings
        Token, zone, address, cache folder and timeout.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.timezone = settings.timezone
        self.api_root = settings.api_root
        self.offline = settings.offline
        _private_folder(settings.cache_dir)
        self.cache_path = settings.cache_dir / CACHE_FILE
        self.partition = token_fingerprint(
            settings.token, _load_salt(settings.cache_dir)
        )
        partition = self.partition

        def key_fn(request: Any, **kwargs: Any) -> str:
            return partition + "-" + requests_cache.create_key(request, **kwargs)

        self.http = requests_cache.CachedSession(
            str(self.cache_path),
            backend="sqlite",
            wal=True,
            allowable_methods=("GET", "POST"),
            allowable_codes=(200,),
            match_headers=["x-timezone"],
            ignored_parameters=list(_TOKEN_SPELLINGS),
            key_fn=key_fn,
            filter_fn=_cacheable,
            expire_after=300,
        )
        self.http.headers.update(
            {
                "x-requested-by": "tt_notebook",
                "x-timezone": settings.timezone,
                "Accept": "application/json",
                "User-Agent": "tt_notebook",
            }
        )
        adapter = TokenAdapter(
            settings.token,
            _origin_of(self.api_root),
            settings.timeout,
            read_retry(
                budget=settings.retry_budget, backoff_factor=settings.backoff_factor
            ),
        )
        self.http.mount("http://", adapter)
        self.http.mount("https://", adapter)
        self._lock = threading.Lock()
        # Frames already built from cached pages, for a cell run again: each
        # is kept until the earliest expiry of its pages, and only while the
        # cache file is unchanged: ``generation`` counts this session's
        # deletions, SQLite's data_version every other connection's commits
        # (other sessions, other processes).
        self.generation = 0
        self._memo: dict[Any, tuple[Any, float, tuple[int, int]]] = {}

    def __repr__(self) -> str:
        return (
            f"TimetrackerSession(api_root={self.api_root!r}, "
            f"timezone={self.timezone!r}, cache={str(self.cache_path)!r})"
        )

    def cached(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
    ) -> CachedResponse | None:
        """The cached answer to this request, expired or not, if there is one."""
        prepared = self.http.prepare_request(
            requests.Request(method, url, json=json, params=params)
        )
        key = self.http.cache.create_key(prepared)
        response = self.http.cache.get_response(key)
        return response if isinstance(response, CachedResponse) else None

    def _cache_version(self) -> tuple[int, int]:
        storage: Any = self.http.cache.responses  # the SQLite table's dict
        with storage.connection() as con:
            (data_version,) = con.execute("PRAGMA data_version").fetchone()
        return self.generation, int(data_version)

    def remembered(self, key: Any) -> Any:
        """A value stored by :meth:`remember` that is still valid, or None."""
        with self._lock:
            entry = self._memo.get(key)
        if entry is None:
            return None
        value, until, version = entry
        if time.time() >= until or version != self._cache_version():
            return None
        return value

    def remember(self, key: Any, value: Any, until: float) -> None:
        """Keep ``value`` until POSIX time ``until`` or the cache file changes."""
        if until <= time.time():
            return
        version = self._cache_version()
        with self._lock:
            self._memo[key] = (value, until, version)
            while len(self._memo) > MEMO_SIZE:
                self._memo.pop(next(iter(self._memo)))

    def _deleted(self) -> None:
        with self._lock:
            self.generation += 1
            self._memo.clear()

    def forget(self, request: requests.PreparedRequest | CachedRequest) -> None:
        """Delete the cached answer to ``request`` (a broken one, say)."""
        self.http.cache.delete(self.http.cache.create_key(request))
        self._deleted()

    def forget_where(self, predicate: Callable[[CachedRequest], bool]) -> int:
        """Delete every cached answer, of any token, whose request matches.

        Every partition is searched because another token may see the same
        worklogs; deleting never reveals anything.
        """
        keys = [
            key
            for key, response in self.http.cache.responses.items()
            if predicate(response.request)
        ]
        self.http.cache.delete(*keys)
        self._deleted()
        return len(keys)

    def clear_cache(self) -> None:
        """Delete every cached response of this token's partition."""
        prefix = self.partition + "-"
        keys = [k for k in self.http.cache.responses if k.startswith(prefix)]
        self.http.cache.delete(*keys)
        self._deleted()
        logger.info("Cleared %d cached responses", len(keys))

    def close(self) -> None:
        """Close connections and the cache file."""
        self.http.close()

    def __enter__(self) -> TimetrackerSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def build_session(settings: Settings) -> TimetrackerSession:
    """Return a :class:`TimetrackerSession` for ``settings``; sends no request."""
    return TimetrackerSession(settings)
