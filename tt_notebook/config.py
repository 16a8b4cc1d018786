"""Settings: the token (never shown), time zone, service address and cache place.

Values come from arguments first, then from environment variables:

``TIMETRACKER_API_KEY``
    the API token;
``TIMETRACKER_TIMEZONE``
    an IANA time-zone name such as ``Europe/Budapest``;
``TIMETRACKER_BASE_URL``
    the service root, ``https://jttp-cloud.everit.biz`` by default;
``TT_NOTEBOOK_CACHE_DIR``
    where the HTTP cache lives (the user cache directory by default).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias
from urllib.parse import urlsplit

from .errors import TOKEN_HELP, ConfigurationError

__all__ = [
    "DEFAULT_BASE_URL",
    "DateLike",
    "Secret",
    "Settings",
    "local_timezone_name",
    "parse_date",
    "validate_timezone",
]

DEFAULT_BASE_URL = "https://jttp-cloud.everit.biz"
API_PATH = "/timetracker/api/{version}/public"

#: What the readers accept as a calendar day.
DateLike: TypeAlias = dt.date | str

_VERSION = re.compile(r"^(latest|\d+)$")


class Secret:
    """A string that does not show itself: repr, str and format print stars.

    Parameters
    ----------
    value : str
        The secret, such as an API token.

    Examples
    --------
    >>> token = Secret("demo-token")
    >>> token
    Secret('***')
    >>> token.reveal()
    'demo-token'
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the secret itself, for the one place that must send it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> str:
        raise TypeError("a Secret cannot be pickled")

    # Copies share the value (a str is immutable), so they need no pickling.
    def __copy__(self) -> Secret:
        return self

    def __deepcopy__(self, memo: object) -> Secret:
        return self


def _zone_name(zone: object) -> str:
    key = getattr(zone, "key", None)
    return key if isinstance(key, str) else str(zone)


def validate_timezone(name: str) -> str:
    """Return ``name`` if it is an IANA time zone known here, else raise.

    A ``zoneinfo.ZoneInfo`` is accepted too, and its name returned.

    Raises
    ------
    ConfigurationError
        When the name is not a known zone.
    """
    if not isinstance(name, str):
        name = _zone_name(name)
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ConfigurationError(
            f"Unknown time zone {name!r}: use an IANA name such as "
            "'Europe/Budapest', 'America/New_York' or 'UTC'."
        ) from exc
    return name


def local_timezone_name() -> str:
    """Return the IANA name of this machine's time zone, or ``"UTC"``.

    Reads ``TZ``, then the target of ``/etc/localtime``, then
    ``/etc/timezone``; a name that zoneinfo does not know is skipped.
    """
    candidates: list[str] = []
    if os.environ.get("TZ"):
        candidates.append(os.environ["TZ"].lstrip(":"))
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text().strip())
    for name in candidates:
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
        return name
    return "UTC"


def parse_date(value: DateLike, name: str = "date") -> dt.date:
    """Turn a ``datetime.date`` or a ``"YYYY-MM-DD"`` string into a date.

    Raises
    ------
    ConfigurationError
        When the value is not a calendar day.

    Examples
    --------
    >>> parse_date("2025-03-30")
    datetime.date(2025, 3, 30)
    """
    if isinstance(value, dt.datetime):
        raise ConfigurationError(
            f"{name} must be a calendar day, not a moment: pass "
            f"{value.date().isoformat()!r} instead of {value!r}."
        )
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigurationError(
        f"{name} {value!r} is not a date: give a datetime.date or a string in "
        "the form 'YYYY-MM-DD', such as '2025-03-01'."
    )


def _default_cache_dir() -> Path:
    env = os.environ.get("TT_NOTEBOOK_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("tt_notebook", appauthor=False))


@dataclass(frozen=True)
class Settings:
    """How to reach the Timetracker API, and as whom.

    Parameters
    ----------
    token : Secret
        The API token; shown nowhere.
    timezone : str
        IANA zone sent as ``x-timezone``; report days are bounded in it and
        frames are converted to it.
    base_url : str
        The service root, without the ``/timetracker/api/...`` path.
    api_version : str
        ``"latest"`` or a number such as ``"22"``.
    cache_dir : pathlib.Path
        Folder of the SQLite HTTP cache.
    timeout : float
        Seconds to wait for a connection and for each read.
    recent_expiry : float
        Seconds a cached report is fresh when its range reaches yesterday,
        today or later: worklogs there still change.
    closed_expiry : float
        Seconds after which a cached report of a closed past range is asked
        again: late edits and deletions happen there too, but rarely.
    retry_budget : float
        Seconds one call may spend on retries and their waits, all told.
    backoff_factor : float
        Base of the exponential wait between retries of reads (seconds); a
        ``Retry-After`` from the service takes precedence.
    offline : bool
        Answer only from the cache; raise :class:`CacheMissError` for
        anything not cached, and refuse writes.
    """

    token: Secret = field(repr=False)
    timezone: str = "UTC"
    base_url: str = DEFAULT_BASE_URL
    api_version: str = "latest"
    cache_dir: Path = field(default_factory=_default_cache_dir)
    timeout: float = 30.0
    recent_expiry: float = 300.0
    closed_expiry: float = 86400.0
    retry_budget: float = 120.0
    backoff_factor: float = 0.5
    offline: bool = False

    def __post_init__(self) -> None:
        # 1. The token: a Secret, trimmed of what pasting adds, and sendable.
        if not isinstance(self.token, Secret):
            raise ConfigurationError(
                "Settings takes the token as Secret('...'), so that it never "
                "shows; tt_notebook.connect(token='...') wraps it for you."
            )
        value = self.token.reveal()
        if not isinstance(value, str) or not value.strip():
            raise ConfigurationError(f"The API token is empty. {TOKEN_HELP}")
        value = value.strip()
        # A space or control character inside means it is not a token, and
        # the HTTP library would quote it in its error message.
        if any(c.isspace() or not c.isprintable() for c in value):
            raise ConfigurationError(
                "The API token contains spaces or control characters, so it was "
                "not copied whole or is not a token; copy it again from "
                "Timetracker (the token itself is not shown here)."
            )
        object.__setattr__(self, "token", Secret(value))

        # 2. Zone, folder and version, accepting the obvious other types.
        object.__setattr__(self, "timezone", validate_timezone(self.timezone))
        object.__setattr__(self, "cache_dir", Path(self.cache_dir).expanduser())
        object.__setattr__(self, "api_version", str(self.api_version))
        if not _VERSION.match(self.api_version):
            raise ConfigurationError(
                f"api_version {self.api_version!r} is neither 'latest' nor a number."
            )

        # 3. The service root: http(s), no API path, no query.
        parts = urlsplit(str(self.base_url))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigurationError(
                f"base_url {self.base_url!r} is not an http(s) address: give the "
                f"service root, such as {DEFAULT_BASE_URL!r}."
            )
        if "/timetracker/api" in parts.path:
            raise ConfigurationError(
                f"base_url {self.base_url!r} includes the API path: give only the "
                f"service root, such as {DEFAULT_BASE_URL!r}; the client adds "
                "'/timetracker/api/<version>/public' itself."
            )
        if parts.query or parts.fragment:
            raise ConfigurationError(
                "base_url must not carry a query or fragment: give only the "
                "service root."
            )

        # 4. Durations in seconds.
        for name in ("timeout", "recent_expiry", "closed_expiry", "retry_budget"):
            seconds = getattr(self, name)
            if isinstance(seconds, bool) or not isinstance(seconds, int | float):
                raise ConfigurationError(f"{name} must be a number of seconds.")
            if not seconds > 0:
                raise ConfigurationError(
                    f"{name} must be a positive number of seconds."
                )
        if not self.backoff_factor >= 0:
            raise ConfigurationError("backoff_factor must be zero or more seconds.")

    @property
    def api_root(self) -> str:
        """The URL under which every public endpoint lives."""
        return self.base_url.rstrip("/") + API_PATH.format(version=self.api_version)

    @classmethod
    def from_env(
        cls,
        *,
        token: str | Secret | None = None,
        timezone: str | None = None,
        base_url: str | None = None,
        api_version: str = "latest",
        cache_dir: str | os.PathLike[str] | None = None,
        timeout: float = 30.0,
        offline: bool = False,
    ) -> Settings:
        """Build settings from arguments, falling back to the environment.

        Raises
        ------
        ConfigurationError
            When no token is given and ``TIMETRACKER_API_KEY`` is unset, or a
            value is malformed.
        """
        if token is None:
            token = os.environ.get("TIMETRACKER_API_KEY")
        if token is None:
            raise ConfigurationError(
                "No API token: pass token=... or set the TIMETRACKER_API_KEY "
                f"environment variable. {TOKEN_HELP}"
            )
        secret = token if isinstance(token, Secret) else Secret(token)
        zone = (
            timezone or os.environ.get("TIMETRACKER_TIMEZONE") or local_timezone_name()
        )
        return cls(
            token=secret,
            timezone=zone,
            base_url=base_url
            or os.environ.get("TIMETRACKER_BASE_URL")
            or DEFAULT_BASE_URL,
            api_version=api_version,
            cache_dir=Path(cache_dir) if cache_dir else _default_cache_dir(),
            timeout=timeout,
            offline=offline,
        )
