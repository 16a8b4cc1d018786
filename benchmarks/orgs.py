"""Organisations for the benchmarks, and a server process that serves one.

``python benchmarks/orgs.py KIND LATENCY`` builds the organisation ``KIND``
(``demo``: the seeded year 2025; ``big``: the same company with every person
cloned into a team of eleven, about 200,000 worklogs; ``huge``: fifty-three
clones, about 1,000,000; ``recent``: the demo company over the twelve months
up to today) and serves it on a free loopback
port with that latency per request, printing ``URL <url>`` once ready.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import sys
import time
import uuid

from tt_notebook.emulator import (
    EmulatorServer,
    FaultPlan,
    Organisation,
    Person,
    build_organisation,
)

CLONES = 11


def big_organisation(clones: int = CLONES) -> Organisation:
    """The demo year with each person cloned ``clones`` times (~200k worklogs).

    Clones log the same work a few minutes apart, under new account ids, so
    every day's pages hold eleven times the rows of the demo company.
    """
    base = build_organisation()
    rng = random.Random(11)
    people: list[Person] = []
    worklogs = []
    next_id = 1
    for n in range(clones):
        ids = {}
        for person in base.people:
            account = f"712020:{uuid.UUID(int=rng.getrandbits(128), version=4)}"
            ids[person.account_id] = account
            name = None if person.name is None else f"{person.name} {n + 1}"
            people.append(dataclasses.replace(person, account_id=account, name=name))
        shift = dt.timedelta(minutes=n)
        for w in base.worklogs:
            worklogs.append(
                dataclasses.replace(
                    w,
                    worklog_id=next_id,
                    jira_worklog_id=100_000_000 + next_id,
                    author_id=ids[w.author_id],
                    start=w.start + shift,
                    created=None,
                    updated=None,
                )
            )
            next_id += 1
    return Organisation(people, base.projects, base.issues, base.tags, worklogs)


def recent_organisation(today: dt.date) -> Organisation:
    """The demo company over the twelve months that end today."""
    return build_organisation(start=today - dt.timedelta(days=364), end=today)


def build(kind: str) -> Organisation:
    """The organisation named ``kind``."""
    if kind == "demo":
        return build_organisation()
    if kind == "big":
        return big_organisation()
    if kind == "huge":
        return big_organisation(clones=53)
    if kind == "recent":
        return recent_organisation(dt.datetime.now(dt.UTC).date())
    raise SystemExit(f"unknown organisation {kind!r}: demo, big, huge or recent")


def main() -> None:
    kind, latency = sys.argv[1], float(sys.argv[2])
    org = build(kind)
    server = EmulatorServer(org, faults=FaultPlan(latency=latency)).start()
    print(f"URL {server.url} WORKLOGS {len(org.worklogs)}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
