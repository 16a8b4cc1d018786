"""Connecting: settings to a checked session, and the notebook's current session."""

from __future__ import annotations

import logging
import os
import threading

from . import api
from .config import Secret, Settings
from .errors import ConfigurationError
from .session import TimetrackerSession, build_session

__all__ = ["connect", "current_session", "resolve_session", "set_current_session"]

logger = logging.getLogger(__name__)

_current: TimetrackerSession | None = None
_current_lock = threading.Lock()


def connect(
    token: str | Secret | None = None,
    timezone: str | None = None,
    *,
    base_url: str | None = None,
    api_version: str = "latest",
    cache_dir: str | os.PathLike[str] | None = None,
    timeout: float = 30.0,
    offline: bool = False,
    check: bool = True,
) -> TimetrackerSession:
    """Connect to the Timetracker API and make that the current session.

    Parameters
    ----------
    token : str, optional
        The API token; ``TIMETRACKER_API_KEY`` when omitted. It is kept in
        memory only: never written to the cache, a log or a repr.
    timezone : str, optional
        IANA zone for report days and frame timestamps;
        ``TIMETRACKER_TIMEZONE`` or this machine's zone when omitted.
    base_url : str, optional
        The service root; ``TIMETRACKER_BASE_URL`` or the Everit cloud.
    api_version : str
        ``"latest"`` or a number.
    cache_dir : path, optional
        Folder of the HTTP cache; ``TT_NOTEBOOK_CACHE_DIR`` or the user cache
        directory.
    timeout : float
        Seconds per connection attempt and per read.
    offline : bool
        Answer only from the cache (expired answers included) and send
        nothing; what is not cached raises :class:`CacheMissError`.
    check : bool
        Send one cheap request (the tag list) to check the token now, rather
        than at the first report. Skipped when offline.

    Returns
    -------
    TimetrackerSession

    Raises
    ------
    ConfigurationError
        No token, an unknown time zone, or a malformed address.
    AuthenticationError
        When ``check`` is on and the service rejects the token.

    Examples
    --------
    >>> import tt_notebook as tt
    >>> url = tt.demo().settings.base_url
    >>> session = tt.connect("demo-token", "Asia/Kolkata", base_url=url)
    >>> session.timezone
    'Asia/Kolkata'
    """
    settings = Settings.from_env(
        token=token,
        timezone=timezone,
        base_url=base_url,
        api_version=api_version,
        cache_dir=cache_dir,
        timeout=timeout,
        offline=offline,
    )
    session = build_session(settings)
    if check and not offline:
        try:
            tags = api.list_tags(session)
        except BaseException:
            session.close()
            raise
        logger.info(
            "Connected to %s in %s; %d tags visible",
            settings.base_url,
            settings.timezone,
            len(tags),
        )
    set_current_session(session)
    return session


def set_current_session(session: TimetrackerSession) -> None:
    """Make ``session`` the one readers use when given no ``session=``."""
    global _current
    with _current_lock:
        _current = session


def current_session() -> TimetrackerSession:
    """Return the session of the last :func:`connect` or :func:`demo` call.

    Raises
    ------
    ConfigurationError
        When nothing has connected yet in this process.
    """
    with _current_lock:
        session = _current
    if session is None:
        raise ConfigurationError(
            "No session: call tt_notebook.connect(token=..., timezone=...) or "
            "tt_notebook.demo() first, or pass session=."
        )
    return session


def resolve_session(session: object) -> TimetrackerSession:
    """The session a reader should use: the one given, or the current one.

    Raises
    ------
    ConfigurationError
        When ``session`` is something else (a token string, say), or None and
        nothing has connected yet.
    """
    if session is None:
        return current_session()
    if not isinstance(session, TimetrackerSession):
        raise ConfigurationError(
            f"session= takes a session from tt_notebook.connect() or "
            f"tt_notebook.demo(), not a {type(session).__name__}."
        )
    return session
