"""A local emulator of the Everit Timetracker Cloud public REST API.

It serves a seeded, realistic organisation over real HTTP on a loopback port,
for demos, Binder and the test suite. It uses only the standard library and
imports nothing from the rest of :mod:`tt_notebook`; the client knows nothing
of it either.

Examples
--------
>>> from tt_notebook.emulator import DEMO_TOKEN, EmulatorServer
>>> server = EmulatorServer().start()  # doctest: +SKIP
>>> server.url  # doctest: +SKIP
'http://127.0.0.1:41229'
>>> server.stop()  # doctest: +SKIP
"""

from .data import (
    Issue,
    Organisation,
    Person,
    Project,
    Tag,
    Worklog,
    build_organisation,
    local_to_utc,
)
from .server import (
    DEMO_LEAD_TOKEN,
    DEMO_MEMBER_TOKEN,
    DEMO_TOKEN,
    EmulatorServer,
    RecordedRequest,
    Role,
    serve,
)

__all__ = [
    "DEMO_LEAD_TOKEN",
    "DEMO_MEMBER_TOKEN",
    "DEMO_TOKEN",
    "EmulatorServer",
    "Issue",
    "Organisation",
    "Person",
    "Project",
    "RecordedRequest",
    "Role",
    "Tag",
    "Worklog",
    "build_organisation",
    "local_to_utc",
    "serve",
]
