"""Fixtures for the emulator's own tests.

Three kinds:

- ``demo_org``: the default seeded organisation (the year 2025), built once
  per test session because the data tests and every server share it.
- ``big_server``: that organisation served over real HTTP on a free loopback
  port, one per test module, so that a module's request-log assertions never
  see another module's traffic. ``api_url`` is its API root and ``api`` a
  ``requests`` session with the admin token and the CSRF header
  (``make_api`` builds sessions with other tokens).
- hand-made organisations, built in the test modules that use them
  (``tiny_server`` in ``test_emulator_day_bounds.py``), whose every worklog
  is written out, for exact day-boundary, ordering and paging checks.

Every client here has ``trust_env`` off: no proxy setting of the machine can
send the traffic anywhere but 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import requests

from tt_notebook.emulator import (
    DEMO_TOKEN,
    EmulatorServer,
    Organisation,
    build_organisation,
)

API_ROOT = "/timetracker/api/latest/public"


@pytest.fixture(scope="session")
def demo_org() -> Organisation:
    """The default organisation: seed 2025, the whole year 2025."""
    return build_organisation()


@pytest.fixture(scope="module")
def big_server(demo_org: Organisation) -> Iterator[EmulatorServer]:
    """The default organisation served on a free loopback port."""
    with EmulatorServer(demo_org) as server:
        yield server


@pytest.fixture(scope="module")
def api_url(big_server: EmulatorServer) -> str:
    """The API root of ``big_server``, ending in ``/public``."""
    return big_server.url + API_ROOT


ClientFactory = Callable[[str | None], requests.Session]


@pytest.fixture
def make_api() -> Iterator[ClientFactory]:
    """Build sessions with a given token (or none) and the CSRF header."""
    made: list[requests.Session] = []

    def make(token: str | None) -> requests.Session:
        session = requests.Session()
        session.trust_env = False
        if token is not None:
            session.headers["x-everit-api-key"] = token
        session.headers["x-requested-by"] = "tt-notebook-tests"
        made.append(session)
        return session

    yield make
    for session in made:
        session.close()


@pytest.fixture
def api(make_api: ClientFactory) -> requests.Session:
    """A session with the admin token and the CSRF header."""
    return make_api(DEMO_TOKEN)
