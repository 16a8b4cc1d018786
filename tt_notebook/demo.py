"""The built-in emulator, started for demos, Binder and tests.

This module joins the client and :mod:`tt_notebook.emulator`, which know
nothing of each other.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from .connection import connect
from .session import TimetrackerSession

if TYPE_CHECKING:
    from .emulator import EmulatorServer

__all__ = ["demo", "demo_server"]

_server: EmulatorServer | None = None
_cache_dir: Path | None = None
_lock = threading.Lock()


def demo_server() -> EmulatorServer:
    """Return the process's emulator, starting it on a free loopback port once."""
    global _server
    with _lock:
        if _server is None:
            from .emulator import EmulatorServer

            _server = EmulatorServer().start()
            atexit.register(_server.stop)
        return _server


def _demo_cache_dir() -> Path:
    # The emulator listens on a new port each run, so its answers could never
    # be reused across processes: keep them in a private folder removed at exit.
    global _cache_dir
    with _lock:
        if _cache_dir is None:
            _cache_dir = Path(tempfile.mkdtemp(prefix="tt_notebook_demo_"))
            atexit.register(shutil.rmtree, _cache_dir, True)
        return _cache_dir


def demo(
    timezone: str = "UTC", *, token: str | None = None, cache_dir: str | None = None
) -> TimetrackerSession:
    """Start the built-in emulator and return a session connected to it.

    The emulator serves a seeded organisation (the year 2025, the same on
    every machine) on a free loopback port, in a background thread, until the
    process ends.

    Parameters
    ----------
    timezone : str
        IANA zone of the session.
    token : str, optional
        One of the emulator's demo tokens; the administrator's
        (``"demo-token"``, sees everyone) when omitted.
    cache_dir : str, optional
        HTTP cache folder; a temporary one removed at exit when omitted.

    Returns
    -------
    TimetrackerSession
        Also made the current session.

    Examples
    --------
    >>> import tt_notebook as tt
    >>> session = tt.demo(timezone="America/New_York")
    >>> session.timezone
    'America/New_York'
    """
    from .emulator import DEMO_TOKEN

    server = demo_server()
    return connect(
        token or DEMO_TOKEN,
        timezone,
        base_url=server.url,
        cache_dir=cache_dir or _demo_cache_dir(),
    )
