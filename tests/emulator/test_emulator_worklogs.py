"""Worklog read, create, update and delete, on a small hand-made organisation.

Every person, issue and tag is written out here; the server is new for each
test, because these tests change its data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

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

ANN = "712020:00000000-0000-4000-8000-00000000000a"  # lead of the developers
DAN = "712020:00000000-0000-4000-8000-00000000000d"  # a developer
BOB = "712020:00000000-0000-4000-8000-00000000000b"  # support, a member
CEC = "712020:00000000-0000-4000-8000-00000000000c"  # deleted
TOKENS: dict[str, tuple[str | None, Role]] = {
    "admin-t": (None, "admin"),
    "ann-t": (ANN, "lead"),
    "bob-t": (BOB, "member"),
}
API = "/timetracker/api/latest/public"
Call = Callable[..., requests.Response]


def small_org() -> Organisation:
    org = Organisation(
        people=[
            Person(ANN, "Ann Ágota", "Europe/Budapest", ("developers",), False, 8.0),
            Person(DAN, "Dan", "Europe/London", ("developers",), False, 8.0),
            Person(BOB, "Bob", "America/New_York", ("support",), False, 8.0),
            Person(CEC, None, "UTC", ("support",), True, 8.0),
        ],
        projects=[
            Project("10000", "WEB", "Web shop", False),
            Project("10001", "LEAVE", "Leave & absence", True),
        ],
        issues=[
            Issue(20001, "WEB-1", "Café checkout flow", "10000"),
            Issue(20002, "LEAVE-1", "Vacation", "10001"),
        ],
        tags=[
            Tag(1, "development", "Coding work", False, None),
            Tag(2, "admin", "Retired", True, 4),
            Tag(3, "review", "Reviews", False, 5),
        ],
    )
    # 1: Ann's, with the archived tag. 2: Bob's.
    org.add_worklog(
        20001, ANN, datetime(2025, 3, 18, 8, 30, tzinfo=UTC), 5400, "Old", True, [2]
    )
    org.add_worklog(20001, BOB, datetime(2025, 3, 18, 14, tzinfo=UTC), 1800, "Bob's")
    return org


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(small_org(), tokens=TOKENS) as running:
        yield running


@pytest.fixture
def call(server: EmulatorServer) -> Iterator[Call]:
    """Send one request: ``call(method, route, token=..., zone=..., **kwargs)``."""
    with requests.Session() as session:
        session.trust_env = False

        def send(
            method: str,
            route: str,
            *,
            token: str = "admin-t",
            zone: str | None = None,
            behalf: str | None = None,
            **kwargs: object,
        ) -> requests.Response:
            headers = {"x-everit-api-key": token, "x-requested-by": "tests"}
            if zone is not None:
                headers["x-timezone"] = zone
            if behalf is not None:
                headers["x-everit-on-behalf-account"] = behalf
            return session.request(
                method,
                server.url + API + route,
                headers=headers,
                **kwargs,  # type: ignore[arg-type]
            )

        yield send


def field_errors(*errors: tuple[str, ...]) -> dict[str, object]:
    """The 400 body listing ``(errorType, *path)`` items in order."""
    return {
        "additionalErrors": [],
        "fieldErrors": [{"errorType": e[0], "paths": [list(e[1:])]} for e in errors],
    }


NEW = {
    "issueId": 20001,
    "workDate": "2025-03-19",
    "workStartTime": "09:15",
    "durationInSeconds": 3600,
    "description": "Pairing on checkout",
    "isBillable": True,
    "worklogTagIds": [3, 1],
}


# -- create -------------------------------------------------------------------


def test_create_gives_the_stored_worklog_in_the_documented_shape(
    server: EmulatorServer, call: Call
) -> None:
    response = call(
        "POST", "/worklog", token="bob-t", zone="America/New_York", json=NEW
    )
    assert response.status_code == 200
    assert response.json() == {
        "worklogId": 3,
        "jiraWorklogId": 3,
        "issueId": 20001,
        "workDate": "2025-03-19",
        "workStartTime": "09:15",
        "durationInSeconds": 3600,
        "description": "Pairing on checkout",
        "isBillable": True,
        "worklogTagIds": [1, 3],
        "worklogTags": [{"id": 1, "name": "development"}, {"id": 3, "name": "review"}],
    }
    stored = server.org.worklog(3)
    assert stored.author_id == BOB
    assert stored.start == datetime(2025, 3, 19, 13, 15, tzinfo=UTC)
    assert stored.created is not None


def test_the_same_body_in_another_zone_is_another_instant(
    server: EmulatorServer, call: Call
) -> None:
    call("POST", "/worklog", token="bob-t", zone="Asia/Tokyo", json=NEW)
    call("POST", "/worklog", token="bob-t", json=NEW)
    assert server.org.worklog(3).start == datetime(2025, 3, 19, 0, 15, tzinfo=UTC)
    assert server.org.worklog(4).start == datetime(2025, 3, 19, 9, 15, tzinfo=UTC)


def test_a_skipped_local_time_moves_forward_and_no_time_means_midnight(
    server: EmulatorServer, call: Call
) -> None:
    skipped = {**NEW, "workDate": "2025-03-30", "workStartTime": "02:30"}
    body = call(
        "POST", "/worklog", token="ann-t", zone="Europe/Budapest", json=skipped
    ).json()
    assert body["workStartTime"] == "03:30"
    assert server.org.worklog(3).start == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)
    untimed = {k: v for k, v in NEW.items() if k != "workStartTime"}
    body = call("POST", "/worklog", token="ann-t", zone="Europe/Budapest", json=untimed)
    assert body.json()["workStartTime"] == "00:00"
    assert server.org.worklog(4).start == datetime(2025, 3, 18, 23, 0, tzinfo=UTC)


def test_create_has_no_id_field_only_worklog_id(call: Call) -> None:
    body = call("POST", "/worklog", token="bob-t", json=NEW).json()
    assert "id" not in body


def test_create_defaults_description_billable_and_tags(call: Call) -> None:
    minimal = {"issueId": 20002, "workDate": "2025-03-20", "durationInSeconds": 28800}
    body = call("POST", "/worklog", token="bob-t", json=minimal).json()
    assert (body["description"], body["isBillable"], body["worklogTags"]) == (
        "",
        False,
        [],
    )


def test_create_lists_every_missing_required_field(call: Call) -> None:
    response = call("POST", "/worklog", token="bob-t", json={})
    assert response.status_code == 400
    assert response.json() == field_errors(
        ("Required", "workDate"),
        ("Required", "durationInSeconds"),
        ("Required", "issueId"),
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"workDate": "2025-3-19"}, ("InvalidFormat", "workDate")),
        ({"workDate": "2025-02-29"}, ("InvalidFormat", "workDate")),
        ({"workDate": "3000-01-01"}, ("Invalid", "workDate")),
        ({"workStartTime": "9:15"}, ("InvalidFormat", "workStartTime")),
        ({"workStartTime": "24:00"}, ("InvalidFormat", "workStartTime")),
        ({"workStartTime": "09:15:00"}, ("InvalidFormat", "workStartTime")),
        ({"durationInSeconds": 0}, ("Invalid", "durationInSeconds")),
        ({"durationInSeconds": 86401}, ("Exceed", "durationInSeconds")),
        ({"durationInSeconds": "3600"}, ("InvalidFormat", "durationInSeconds")),
        ({"durationInSeconds": 3600.0}, ("InvalidFormat", "durationInSeconds")),
        ({"issueId": 99}, ("InvalidByJira", "issueId")),
        ({"issueId": "WEB-1"}, ("InvalidFormat", "issueId")),
        ({"description": 5}, ("InvalidFormat", "description")),
        ({"isBillable": "yes"}, ("InvalidFormat", "isBillable")),
        ({"worklogTagIds": [99]}, ("Invalid", "worklogTagIds")),
        ({"worklogTagIds": [2]}, ("Invalid", "worklogTagIds")),
        ({"worklogTagIds": ["development"]}, ("InvalidFormat", "worklogTagIds")),
        ({"worklogTagIds": 1}, ("InvalidFormat", "worklogTagIds")),
    ],
)
def test_create_refuses_a_bad_field(
    server: EmulatorServer,
    call: Call,
    change: dict[str, object],
    expected: tuple[str, str],
) -> None:
    response = call("POST", "/worklog", token="bob-t", json={**NEW, **change})
    assert response.status_code == 400
    assert response.json() == field_errors(expected)
    assert len(server.org.worklogs) == 2


@pytest.mark.parametrize("raw", [b"[]", b"null", b"{oops", b'"x"'])
def test_create_refuses_a_body_that_is_not_an_object(call: Call, raw: bytes) -> None:
    response = call("POST", "/worklog", token="bob-t", data=raw)
    assert response.status_code == 400
    assert response.json() == field_errors(("InvalidFormat",))


def test_create_needs_the_csrf_header(server: EmulatorServer) -> None:
    with requests.Session() as session:
        session.trust_env = False
        response = session.post(
            server.url + API + "/worklog",
            json=NEW,
            headers={"x-everit-api-key": "bob-t"},
        )
    assert response.status_code == 400
    assert response.json() == {"additionalErrors": [], "fieldErrors": []}


def test_duplicate_tag_ids_are_stored_once(call: Call) -> None:
    body = call(
        "POST", "/worklog", token="bob-t", json={**NEW, "worklogTagIds": [1, 1, 3]}
    ).json()
    assert body["worklogTagIds"] == [1, 3]


# -- on behalf of someone else ---------------------------------------------------


def test_the_admin_logs_work_on_behalf_of_anyone(
    server: EmulatorServer, call: Call
) -> None:
    response = call("POST", "/worklog", behalf=BOB, json=NEW)
    assert response.status_code == 200
    assert server.org.worklog(3).author_id == BOB


def test_a_lead_acts_for_their_group_and_a_member_for_nobody_else(
    server: EmulatorServer, call: Call
) -> None:
    assert call("POST", "/worklog", token="ann-t", behalf=DAN, json=NEW).ok
    assert server.org.worklog(3).author_id == DAN
    refused = call("POST", "/worklog", token="ann-t", behalf=BOB, json=NEW)
    assert refused.status_code == 479
    assert refused.json() == {
        "message": "This token may not log work on behalf of that account."
    }
    assert (
        call("POST", "/worklog", token="bob-t", behalf=ANN, json=NEW).status_code == 479
    )
    assert call("POST", "/worklog", token="bob-t", behalf=BOB, json=NEW).ok
    assert len(server.org.worklogs) == 4


def test_a_token_of_nobody_must_say_whose_work_it_is(call: Call) -> None:
    response = call("POST", "/worklog", json=NEW)
    assert response.status_code == 400
    assert response.json() == field_errors(("Required", "x-everit-on-behalf-account"))


@pytest.mark.parametrize("account", [CEC, "712020:nobody"])
def test_work_on_behalf_of_a_deleted_or_unknown_account_is_invalid(
    call: Call, account: str
) -> None:
    response = call("POST", "/worklog", behalf=account, json=NEW)
    assert response.status_code == 400
    assert response.json() == field_errors(("Invalid", "x-everit-on-behalf-account"))


def test_the_on_behalf_header_is_ignored_by_other_routes(call: Call) -> None:
    response = call(
        "GET", "/worklog", token="bob-t", behalf=ANN, params={"worklogId": 2}
    )
    assert response.status_code == 200


# -- read -----------------------------------------------------------------------


def test_a_created_worklog_can_be_read_back_and_is_in_the_report(call: Call) -> None:
    created = call("POST", "/worklog", token="bob-t", json=NEW).json()
    read = call("GET", "/worklog", token="bob-t", params={"worklogId": 3}).json()
    assert read == created
    report = call(
        "POST",
        "/report/details",
        token="bob-t",
        json={"startAt": 0, "startDate": "2025-03-19", "endDate": "2025-03-19"},
    ).json()
    assert [v["worklog"]["id"] for v in report["values"]] == [3]
    assert report["values"][0]["worklog"]["author"] == {"id": BOB, "name": "Bob"}


# -- update ---------------------------------------------------------------------


def test_patch_changes_only_the_fields_given(
    server: EmulatorServer, call: Call
) -> None:
    response = call(
        "PATCH",
        "/worklog",
        zone="Europe/Budapest",
        json={
            "worklogId": 1,
            "partialWorklog": {"durationInSeconds": 7200, "description": "New"},
        },
    )
    assert response.status_code == 200
    assert response.json() == {
        "error": None,
        "worklog": {
            "worklogId": 1,
            "jiraWorklogId": 1,
            "issueId": 20001,
            "workDate": "2025-03-18",
            "workStartTime": "09:30",
            "durationInSeconds": 7200,
            "description": "New",
            "isBillable": True,
            "worklogTagIds": [2],
            "worklogTags": [{"id": 2, "name": "admin"}],
        },
    }
    assert server.org.worklog(1).updated is not None


def test_patch_of_the_date_keeps_the_local_start_time_of_the_zone(
    server: EmulatorServer, call: Call
) -> None:
    call(
        "PATCH",
        "/worklog",
        zone="Europe/Budapest",
        json={"worklogId": 1, "partialWorklog": {"workDate": "2025-04-01"}},
    )
    # 09:30 in Budapest, now in summer time: 07:30 UTC.
    assert server.org.worklog(1).start == datetime(2025, 4, 1, 7, 30, tzinfo=UTC)
    call(
        "PATCH",
        "/worklog",
        json={"worklogId": 1, "partialWorklog": {"workStartTime": "23:50"}},
    )
    assert server.org.worklog(1).start == datetime(2025, 4, 1, 23, 50, tzinfo=UTC)


def test_patch_clears_tags_and_description_and_ignores_nulls(
    server: EmulatorServer, call: Call
) -> None:
    body = call(
        "PATCH",
        "/worklog",
        json={
            "worklogId": 1,
            "partialWorklog": {
                "worklogTagIds": [],
                "description": "",
                "isBillable": None,
            },
        },
    ).json()["worklog"]
    assert (body["worklogTagIds"], body["description"], body["isBillable"]) == (
        [],
        "",
        True,
    )


def test_patch_keeps_an_archived_tag_already_on_but_refuses_to_add_one(
    call: Call,
) -> None:
    kept = call(
        "PATCH",
        "/worklog",
        json={"worklogId": 1, "partialWorklog": {"worklogTagIds": [2, 1]}},
    )
    assert kept.json()["worklog"]["worklogTagIds"] == [1, 2]
    added = call(
        "PATCH",
        "/worklog",
        json={"worklogId": 2, "partialWorklog": {"worklogTagIds": [2]}},
    )
    assert added.json() == field_errors(("Invalid", "partialWorklog", "worklogTagIds"))


def test_patch_of_an_unknown_or_hidden_worklog_is_200_with_not_found(
    call: Call,
) -> None:
    for token, worklog_id in (("admin-t", 99), ("bob-t", 1)):
        response = call(
            "PATCH",
            "/worklog",
            token=token,
            json={"worklogId": worklog_id, "partialWorklog": {"description": "x"}},
        )
        assert response.status_code == 200
        assert response.json() == {
            "error": {
                "message": "Worklog not found",
                "result": "WORKLOG_NOT_FOUND",
                "worklogId": worklog_id,
            },
            "worklog": None,
        }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, [("Required", "worklogId"), ("Required", "partialWorklog")]),
        (
            {"worklogId": "1", "partialWorklog": []},
            [("InvalidFormat", "worklogId"), ("InvalidFormat", "partialWorklog")],
        ),
        (
            {"worklogId": 1, "partialWorklog": {"durationInSeconds": -5}},
            [("Invalid", "partialWorklog", "durationInSeconds")],
        ),
        (
            {"worklogId": 1, "partialWorklog": {"issueId": 7, "workDate": "tomorrow"}},
            [
                ("InvalidFormat", "partialWorklog", "workDate"),
                ("InvalidByJira", "partialWorklog", "issueId"),
            ],
        ),
    ],
)
def test_patch_refuses_bad_fields_with_nested_paths(
    call: Call, body: dict[str, object], expected: list[tuple[str, ...]]
) -> None:
    response = call("PATCH", "/worklog", json=body)
    assert response.status_code == 400
    assert response.json() == field_errors(*expected)


def test_an_empty_patch_changes_nothing(server: EmulatorServer, call: Call) -> None:
    response = call("PATCH", "/worklog", json={"worklogId": 2, "partialWorklog": {}})
    assert response.json()["worklog"]["description"] == "Bob's"
    assert server.org.worklog(2).updated is None


# -- delete ---------------------------------------------------------------------


def test_delete_answers_the_empty_envelope_then_not_found(
    server: EmulatorServer, call: Call
) -> None:
    first = call("DELETE", "/worklog", token="bob-t", params={"worklogId": 2})
    assert first.status_code == 200
    assert first.json() == {"error": None, "worklog": None}
    with pytest.raises(KeyError):
        server.org.worklog(2)
    again = call("DELETE", "/worklog", token="bob-t", params={"worklogId": 2})
    assert again.status_code == 200
    assert again.json()["error"] == {
        "message": "Worklog not found",
        "result": "WORKLOG_NOT_FOUND",
        "worklogId": 2,
    }


def test_a_member_cannot_delete_anothers_worklog(
    server: EmulatorServer, call: Call
) -> None:
    response = call("DELETE", "/worklog", token="bob-t", params={"worklogId": 1})
    assert response.json()["error"]["result"] == "WORKLOG_NOT_FOUND"
    assert server.org.worklog(1).author_id == ANN


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ("Required", "worklogId")),
        ({"worklogId": "x"}, ("InvalidFormat", "worklogId")),
    ],
)
def test_delete_needs_an_integer_id(
    call: Call, params: dict[str, str], expected: tuple[str, str]
) -> None:
    response = call("DELETE", "/worklog", params=params)
    assert response.status_code == 400
    assert response.json() == field_errors(expected)
