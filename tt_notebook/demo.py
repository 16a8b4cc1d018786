"""The built-in emulator, started for demos, Binder and tests.

This module joins the client and :mod:`tt_notebook.emulator`, which know
nothing of each other.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .emulator import EmulatorServer
    from .session import TimetrackerSession

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


PREFIX = "tt_notebook_demo_"


def _demo_cache_dir() -> Path:
    # The emulator listens on a new port each run, so its answers could never
    # be reused across processes: keep them in a private folder removed at
    # exit. A process that is killed (a notebook kernel, say) cannot remove
    # its folder, so each new one removes those of processes no longer alive.
    global _cache_dir
    with _lock:
        if _cache_dir is None:
            _sweep_orphans(Path(tempfile.gettempdir()))
            _cache_dir = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}_"))
            atexit.register(shutil.rmtree, _cache_dir, True)
        return _cache_dir


def _sweep_orphans(folder: Path) -> None:
    for path in folder.glob(f"{PREFIX}*_*"):
        pid = path.name[len(PREFIX) :].split("_", 1)[0]
        if pid.isdigit() and not _alive(int(pid)) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
        IANA zone of the session; UTC by default (unlike :func:`connect`,
        which defaults to this machine's zone), so demo output is the same
        everywhere.
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
    # The HTTP stack is imported on first use: `import tt_notebook` stays fast.
    from .connection import connect

    return connect(
        token or DEMO_TOKEN,
        timezone,
        base_url=server.url,
        cache_dir=cache_dir or _demo_cache_dir(),
    )
