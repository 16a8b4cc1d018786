"""Fixtures shared by the test tiers.

- ``unit/`` tests need no server; HTTP edge cases the emulator cannot produce
  are mocked with ``responses`` at the adapter, below the token and cache
  layers, so those layers still run for real.
- ``integration/`` tests talk HTTP over loopback to one emulator per test
  session (``emulator``), the seeded 2025 organisation, and give every test a
  real requests-cache SQLite file in its own temporary folder
  (``make_session``).
- ``emulator/`` tests check the emulator itself (fixtures in that folder).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tt_notebook import connection
from tt_notebook.config import Secret, Settings
from tt_notebook.emulator import DEMO_TOKEN, EmulatorServer
from tt_notebook.session import TimetrackerSession, build_session

SessionFactory = Callable[..., TimetrackerSession]


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorServer]:
    """The seeded demo organisation, served on a free loopback port."""
    with EmulatorServer() as server:
        yield server


@pytest.fixture
def make_session(emulator: EmulatorServer, tmp_path: Path) -> Iterator[SessionFactory]:
    """Build sessions to ``emulator`` whose cache lives in this test's folder."""
    made: list[TimetrackerSession] = []

    def make(
        timezone: str = "UTC",
        token: str = DEMO_TOKEN,
        server: EmulatorServer | None = None,
        cache_dir: Path | None = None,
        **options: Any,
    ) -> TimetrackerSession:
        settings = Settings(
            token=Secret(token),
            timezone=timezone,
            base_url=(server or emulator).url,
            cache_dir=cache_dir or tmp_path / "cache",
            **options,
        )
        session = build_session(settings)
        made.append(session)
        return session

    yield make
    for session in made:
        session.close()


@pytest.fixture(autouse=True)
def _no_current_session(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each test starts with no notebook-wide session, so one test's connect()
    # cannot quietly serve another's reader call.
    monkeypatch.setattr(connection, "_current", None)
