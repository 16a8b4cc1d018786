"""Day boundaries of the details report, on a tiny hand-made organisation.

Every worklog is written out here, so each expected list of ids can be
checked by reading the fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import requests

from tt_notebook.emulator import (
    EmulatorServer,
    Issue,
    Organisation,
    Person,
    Project,
    Role,
    Tag,
)

pytestmark = pytest.mark.integration

BUDAPEST = ZoneInfo("Europe/Budapest")
NEW_YORK = ZoneInfo("America/New_York")
HAVANA = ZoneInfo("America/Havana")
ANN = "712020:00000000-0000-4000-8000-00000000000a"
BOB = "712020:00000000-0000-4000-8000-00000000000b"
TOKENS: dict[str, tuple[str | None, Role]] = {
    "admin-t": (None, "admin"),
    "ann-t": (ANN, "member"),
}


@pytest.fixture(scope="module")
def tiny_server() -> Iterator[EmulatorServer]:
    org = Organisation(
        people=[
            Person(ANN, "Ann Ágota", "Europe/Budapest", ("developers",), False, 8.0),
            Person(BOB, None, "America/New_York", ("support",), True, 8.0),
        ],
        projects=[
            Project("10000", "WEB", "Web shop", False),
            Project("10001", "LEAVE", "Leave & absence", True),
        ],
        issues=[
            Issue(20001, "WEB-1", "Café checkout flow", "10000"),
            Issue(20002, "LEAVE-1", "Vacation", "10001"),
        ],
        tags=[Tag(1, "development", "Coding work", False, None)],
    )
    add = org.add_worklog
    # 1-5: around Budapest's spring DST change, in Ann's local time.
    add(20001, ANN, datetime(2025, 3, 29, 23, 59, tzinfo=BUDAPEST), 60)
    add(20001, ANN, datetime(2025, 3, 30, 0, 0, tzinfo=BUDAPEST), 3600, "", True, [1])
    add(20001, ANN, datetime(2025, 3, 30, 3, 0, tzinfo=BUDAPEST), 900)
    add(20002, ANN, datetime(2025, 3, 31, 23, 59, tzinfo=BUDAPEST), 60)
    add(20001, ANN, datetime(2025, 4, 1, 0, 0, tzinfo=BUDAPEST), 1800)
    # 6-7: around New York's autumn change, Bob's.
    add(20001, BOB, datetime(2025, 11, 2, 23, 59, tzinfo=NEW_YORK), 60)
    add(20001, BOB, datetime(2025, 11, 3, 0, 0, tzinfo=NEW_YORK), 60)
    # 8-9: Havana skips its midnight on 9 March 2025 (00:00 becomes 01:00).
    add(20001, BOB, datetime(2025, 3, 9, 4, 59, tzinfo=UTC), 60)
    add(20001, BOB, datetime(2025, 3, 9, 5, 0, tzinfo=UTC), 60)
    with EmulatorServer(org, tokens=TOKENS) as server:
        yield server


def ids(
    server: EmulatorServer,
    zone: str | None,
    first: str,
    last: str,
    token: str = "admin-t",
    **extra: object,
) -> list[int]:
    headers = {"x-everit-api-key": token, "x-requested-by": "tests"}
    if zone is not None:
        headers["x-timezone"] = zone
    body = {"startAt": 0, "startDate": first, "endDate": last, **extra}
    with requests.Session() as session:
        session.trust_env = False
        response = session.post(
            server.url + "/timetracker/api/latest/public/report/details",
            json=body,
            headers=headers,
        )
    assert response.status_code == 200
    return [v["worklog"]["id"] for v in response.json()["values"]]


def test_local_midnight_of_the_start_day_is_in_and_of_the_day_after_is_out(
    tiny_server: EmulatorServer,
) -> None:
    assert ids(tiny_server, "Europe/Budapest", "2025-03-30", "2025-03-31") == [2, 3, 4]


def test_the_same_dates_in_utc_are_other_instants(
    tiny_server: EmulatorServer,
) -> None:
    # Budapest is UTC+1 then UTC+2: worklog 2 (00:00 local) is 29 March in
    # UTC, and worklog 5 (00:00 local on 1 April) is still 31 March in UTC.
    assert ids(tiny_server, "UTC", "2025-03-30", "2025-03-31") == [3, 4, 5]
    assert ids(tiny_server, None, "2025-03-30", "2025-03-31") == [3, 4, 5]


def test_a_single_day_that_lost_an_hour(tiny_server: EmulatorServer) -> None:
    assert ids(tiny_server, "Europe/Budapest", "2025-03-30", "2025-03-30") == [2, 3]


def test_a_day_of_25_hours_ends_at_the_next_local_midnight(
    tiny_server: EmulatorServer,
) -> None:
    assert ids(tiny_server, "America/New_York", "2025-11-02", "2025-11-02") == [6]
    assert ids(tiny_server, "America/New_York", "2025-11-03", "2025-11-03") == [7]


def test_a_day_whose_midnight_was_skipped_starts_at_the_change(
    tiny_server: EmulatorServer,
) -> None:
    assert ids(tiny_server, "America/Havana", "2025-03-08", "2025-03-08") == [8]
    assert ids(tiny_server, "America/Havana", "2025-03-09", "2025-03-09") == [9]


def test_paging_the_tiny_organisation(tiny_server: EmulatorServer) -> None:
    pages = [
        ids(tiny_server, "UTC", "2025-01-01", "2025-12-31", startAt=n, maxResults=4)
        for n in (0, 4, 8)
    ]
    assert pages == [[8, 9, 1, 2], [3, 4, 5, 6], [7]]


def test_ordering_by_time_spent_descending_breaks_ties_by_id(
    tiny_server: EmulatorServer,
) -> None:
    found = ids(
        tiny_server,
        "UTC",
        "2025-01-01",
        "2025-12-31",
        orderBy="-worklogTimeSpent",
    )
    assert found == [2, 5, 3, 1, 4, 6, 7, 8, 9]


def test_a_member_token_given_by_hand_sees_only_its_person(
    tiny_server: EmulatorServer,
) -> None:
    found = ids(tiny_server, "UTC", "2025-01-01", "2025-12-31", token="ann-t")
    assert found == [1, 2, 3, 4, 5]
    assert tiny_server.token_account("ann-t") == ANN


def test_hand_made_tokens_replace_the_demo_tokens(
    tiny_server: EmulatorServer,
) -> None:
    with pytest.raises(KeyError):
        tiny_server.token_account("demo-token")


def test_add_token_checks_its_arguments(tiny_server: EmulatorServer) -> None:
    with pytest.raises(ValueError, match="needs an account id"):
        tiny_server.add_token("x", None, "member")
    with pytest.raises(ValueError, match="role must be one of"):
        tiny_server.add_token("x", ANN, "owner")  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        tiny_server.add_token("x", "712020:unknown", "member")


def test_demo_tokens_of_a_tiny_organisation_without_leads() -> None:
    org = Organisation(
        people=[
            Person("712020:1", "Dev", "UTC", ("developers",), False, 8.0),
            Person("712020:2", "Sup", "UTC", ("support",), False, 8.0),
        ],
        projects=[],
        issues=[],
        tags=[],
    )
    server = EmulatorServer(org)
    assert server.token_account("demo-token") is None
    assert server.token_account("demo-lead-token") == "712020:1"
    assert server.token_account("demo-member-token") == "712020:2"
