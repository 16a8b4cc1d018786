"""A local emulator of the Everit Timetracker Cloud public REST API.

It serves a seeded, realistic organisation over real HTTP on a loopback port,
for demos, Binder and the test suite, and fails on purpose when given a
:class:`FaultPlan`. It uses only the standard library and imports nothing
from the rest of :mod:`tt_notebook`; the client knows nothing of it either.

Examples
--------
>>> from tt_notebook.emulator import DEMO_TOKEN, EmulatorServer
>>> server = EmulatorServer().start()  # doctest: +SKIP
>>> server.url  # doctest: +SKIP
'http://127.0.0.1:41229'
>>> plan = FaultPlan([Fault("status", status=429, times=2)])
>>> server.set_faults(plan)  # doctest: +SKIP
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
from .faults import Fault, FaultPlan, FaultRecord
from .server import (
    DEMO_FILTERS,
    DEMO_LEAD_TOKEN,
    DEMO_MEMBER_TOKEN,
    DEMO_TOKEN,
    EmulatorServer,
    RecordedRequest,
    Role,
    serve,
)

__all__ = [
    "DEMO_FILTERS",
    "DEMO_LEAD_TOKEN",
    "DEMO_MEMBER_TOKEN",
    "DEMO_TOKEN",
    "EmulatorServer",
    "Fault",
    "FaultPlan",
    "FaultRecord",
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
