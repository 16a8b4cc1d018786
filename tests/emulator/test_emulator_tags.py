"""Tag writes: create, update, delete, archive and restore.

A week of the default organisation, new for each test, because these tests
change its tags.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
import requests

from tt_notebook.emulator import (
    DEMO_LEAD_TOKEN,
    DEMO_MEMBER_TOKEN,
    DEMO_TOKEN,
    EmulatorServer,
    build_organisation,
)

pytestmark = pytest.mark.integration

API = "/timetracker/api/latest/public"
Call = Callable[..., requests.Response]


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    org = build_organisation(start=date(2025, 3, 3), end=date(2025, 3, 9))
    with EmulatorServer(org) as running:
        yield running


@pytest.fixture
def call(server: EmulatorServer) -> Iterator[Call]:
    with requests.Session() as session:
        session.trust_env = False

        def send(
            method: str,
            route: str,
            *,
            token: str = DEMO_TOKEN,
            behalf: str | None = None,
            **kwargs: object,
        ) -> requests.Response:
            headers = {"x-everit-api-key": token, "x-requested-by": "tests"}
            if behalf is not None:
                headers["x-everit-on-behalf-account"] = behalf
            return session.request(
                method,
                server.url + API + route,
                headers=headers,
                **kwargs,  # type: ignore[arg-type]
            )

        yield send


def field_errors(*errors: tuple[str, str]) -> dict[str, object]:
    return {
        "additionalErrors": [],
        "fieldErrors": [{"errorType": e, "paths": [[f]]} for e, f in errors],
    }


def tag_names(call: Call, **params: str) -> list[str]:
    return [t["name"] for t in call("GET", "/tag", params=params).json()["worklogTags"]]


def tags_in_details(call: Call) -> dict[int, list[dict[str, object]]]:
    body = call(
        "POST",
        "/report/details",
        json={
            "startAt": 0,
            "maxResults": 1000,
            "startDate": "2025-03-03",
            "endDate": "2025-03-09",
        },
    ).json()
    return {v["worklog"]["id"]: v["worklog"]["worklogTags"] for v in body["values"]}


# -- create -------------------------------------------------------------------


def test_create_gives_the_new_unarchived_tag(call: Call) -> None:
    response = call(
        "POST",
        "/tag",
        json={"name": " security ", "description": "Audits", "colorIndex": 2},
    )
    assert response.status_code == 200
    assert response.json() == {
        "id": 11,
        "name": "security",
        "description": "Audits",
        "archived": False,
        "colorIndex": 2,
    }
    assert tag_names(call)[-1] == "security"


def test_a_created_tag_can_be_put_on_a_worklog(
    call: Call, server: EmulatorServer
) -> None:
    call("POST", "/tag", json={"name": "security", "description": ""})
    response = call(
        "POST",
        "/worklog",
        behalf=server.org.people[0].account_id,
        json={
            "issueId": 20001,
            "workDate": "2025-03-05",
            "durationInSeconds": 600,
            "worklogTagIds": [11],
        },
    )
    assert response.json()["worklogTags"] == [{"id": 11, "name": "security"}]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, [("Required", "name"), ("Required", "description")]),
        ({"name": "  ", "description": ""}, [("Required", "name")]),
        ({"name": "Development", "description": ""}, [("Invalid", "name")]),
        ({"name": "ADMIN ", "description": ""}, [("Invalid", "name")]),
        ({"name": "x" * 256, "description": ""}, [("Exceed", "name")]),
        ({"name": "x", "description": "y" * 4001}, [("Exceed", "description")]),
        ({"name": 5, "description": ""}, [("InvalidFormat", "name")]),
        (
            {"name": "x", "description": "", "colorIndex": 16},
            [("Invalid", "colorIndex")],
        ),
        (
            {"name": "x", "description": "", "colorIndex": -1},
            [("Invalid", "colorIndex")],
        ),
        (
            {"name": "x", "description": "", "colorIndex": "2"},
            [("InvalidFormat", "colorIndex")],
        ),
    ],
)
def test_create_refuses_bad_fields(
    call: Call, body: dict[str, object], expected: list[tuple[str, str]]
) -> None:
    response = call("POST", "/tag", json=body)
    assert response.status_code == 400
    assert response.json() == field_errors(*expected)
    assert len(tag_names(call)) == 10


@pytest.mark.parametrize("token", [DEMO_LEAD_TOKEN, DEMO_MEMBER_TOKEN])
@pytest.mark.parametrize(
    ("method", "route"),
    [
        ("POST", "/tag"),
        ("PUT", "/tag/1"),
        ("DELETE", "/tag/1"),
        ("POST", "/tag/1/archive"),
        ("POST", "/tag/8/restore"),
    ],
)
def test_only_an_administrator_changes_tags(
    call: Call, token: str, method: str, route: str
) -> None:
    response = call(method, route, token=token, json={"name": "x", "description": ""})
    assert response.status_code == 479
    assert response.json() == {
        "message": "Only a Timetracker administrator may change tags."
    }
    assert len(tag_names(call)) == 10


def test_every_token_lists_tags(call: Call) -> None:
    assert tag_names(call, archived="true") == ["admin"]
    assert len(call("GET", "/tag", token=DEMO_MEMBER_TOKEN).json()["worklogTags"]) == 10


# -- update -------------------------------------------------------------------


def test_put_replaces_name_description_and_colour(call: Call) -> None:
    response = call("PUT", "/tag/2", json={"name": "meetings", "description": "Calls"})
    assert response.status_code == 200
    assert response.json() == {
        "id": 2,
        "name": "meetings",
        "description": "Calls",
        "archived": False,
        "colorIndex": None,
    }


def test_a_renamed_tag_shows_in_reports_at_once(call: Call) -> None:
    before = tags_in_details(call)
    tagged = next(i for i, t in before.items() if {"id": 1, "name": "development"} in t)
    call("PUT", "/tag/1", json={"name": "coding", "description": "Coding work"})
    assert {"id": 1, "name": "coding"} in tags_in_details(call)[tagged]


def test_put_keeps_the_archived_flag_and_allows_the_own_name(call: Call) -> None:
    body = call("PUT", "/tag/8", json={"name": "Admin", "description": "Old"}).json()
    assert (body["name"], body["archived"]) == ("Admin", True)


def test_put_refuses_the_name_of_another_tag(call: Call) -> None:
    response = call("PUT", "/tag/2", json={"name": "review", "description": ""})
    assert response.json() == field_errors(("Invalid", "name"))


# -- delete, archive, restore ---------------------------------------------------


def test_delete_answers_204_and_takes_the_tag_off_every_worklog(
    call: Call, server: EmulatorServer
) -> None:
    carried = [w.worklog_id for w in server.org.worklogs if 1 in w.tag_ids]
    assert len(carried) == 56
    response = call("DELETE", "/tag/1")
    assert response.status_code == 204
    assert response.content == b""
    assert "Content-Type" not in response.headers
    assert "development" not in tag_names(call)
    assert all(1 not in server.org.worklog(i).tag_ids for i in carried)
    assert all(
        {"id": 1, "name": "development"} not in tags
        for tags in tags_in_details(call).values()
    )
    assert call("DELETE", "/tag/1").status_code == 404


def test_a_connection_goes_on_after_a_204(call: Call) -> None:
    assert call("DELETE", "/tag/3").status_code == 204
    assert call("GET", "/tag").status_code == 200


def test_archive_and_restore_answer_the_tag(call: Call) -> None:
    archived = call("POST", "/tag/2/archive")
    assert archived.status_code == 200
    assert archived.json() == {
        "id": 2,
        "name": "meeting",
        "description": "Meetings and calls",
        "archived": True,
        "colorIndex": 3,
    }
    assert tag_names(call, archived="true") == ["meeting", "admin"]
    assert call("POST", "/tag/2/archive", json={}).json()["archived"] is True
    restored = call("POST", "/tag/8/restore", json={"note": "back"})
    assert restored.json()["archived"] is False
    assert tag_names(call, archived="true") == ["meeting"]


def test_archive_refuses_a_body_that_is_not_an_object(call: Call) -> None:
    response = call("POST", "/tag/2/archive", data=b"[1]")
    assert response.status_code == 400
    assert response.json() == {
        "additionalErrors": [],
        "fieldErrors": [{"errorType": "InvalidFormat", "paths": [[]]}],
    }


@pytest.mark.parametrize(
    ("method", "route"),
    [
        ("PUT", "/tag/99"),
        ("DELETE", "/tag/99"),
        ("POST", "/tag/99/archive"),
        ("POST", "/tag/99/restore"),
    ],
)
def test_an_unknown_tag_is_404(call: Call, method: str, route: str) -> None:
    response = call(method, route, json={"name": "x", "description": ""})
    assert response.status_code == 404
    assert response.json() == {"message": "No worklog tag with id 99."}


@pytest.mark.parametrize("route", ["/tag/abc", "/tag/-1/archive", "/tag/1.5/restore"])
def test_a_tag_id_that_is_not_a_number_is_400(call: Call, route: str) -> None:
    method = "PUT" if route == "/tag/abc" else "POST"
    response = call(method, route, json={"name": "x", "description": ""})
    assert response.status_code == 400
    assert response.json() == field_errors(("InvalidFormat", "worklogTagId"))
