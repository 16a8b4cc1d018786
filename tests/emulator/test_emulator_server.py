"""The emulator's HTTP surface: routes, error bodies, paging and visibility."""

from __future__ import annotations

import http.client
import json
import logging
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

from tt_notebook.emulator import (
    DEMO_LEAD_TOKEN,
    DEMO_MEMBER_TOKEN,
    DEMO_TOKEN,
    EmulatorServer,
    Organisation,
    RecordedRequest,
    build_organisation,
)

ClientFactory = Callable[[str | None], requests.Session]
pytestmark = pytest.mark.integration

AKOS = "712020:602ac25b-f929-4a91-9f0a-ea68001d5229"
DANA = "712020:3a59c162-b54e-4daa-86d0-cb0c3078ff5a"
DELETED = "712020:75d5ce18-ebd9-4c02-a5c9-0f87a381d5df"


def field_errors(*errors: tuple[str, str]) -> dict[str, object]:
    """The 400 body listing ``(errorType, field)`` pairs in order."""
    return {
        "additionalErrors": [],
        "fieldErrors": [{"errorType": e, "paths": [[f]]} for e, f in errors],
    }


def post_details(
    api: requests.Session,
    api_url: str,
    body: dict[str, object],
    zone: str | None = None,
) -> requests.Response:
    headers = {"x-timezone": zone} if zone else {}
    return api.post(f"{api_url}/report/details", json=body, headers=headers)


def details(
    api: requests.Session, api_url: str, *, zone: str | None = None, **body: object
) -> requests.Response:
    return post_details(api, api_url, body, zone)


def expected_ids(
    org: Organisation, first: date, last: date, zone: str, authors: set[str] | None
) -> list[int]:
    """Worklog ids in range, computed from the organisation, not the server."""
    tz = ZoneInfo(zone)
    return [
        w.worklog_id
        for w in org.worklogs
        if first <= w.start.astimezone(tz).date() <= last
        and (authors is None or w.author_id in authors)
    ]


# -- lifecycle ----------------------------------------------------------------


def test_url_is_the_loopback_service_root(big_server: EmulatorServer) -> None:
    assert big_server.port > 0
    assert big_server.url == f"http://127.0.0.1:{big_server.port}"


def test_port_is_unknown_before_start() -> None:
    server = EmulatorServer(build_organisation(end=date(2025, 1, 3)))
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.url


def test_start_twice_keeps_one_server_and_stop_releases_the_port() -> None:
    server = EmulatorServer(build_organisation(end=date(2025, 1, 3)))
    with server:
        assert server.start() is server
        port = server.port
        assert "demo-token" not in repr(server)
    with pytest.raises(ConnectionRefusedError):
        socket_to(port).request("GET", "/")


def socket_to(port: int) -> http.client.HTTPConnection:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.connect()
    return connection


def test_stop_closes_open_keep_alive_connections() -> None:
    server = EmulatorServer(build_organisation(end=date(2025, 1, 3))).start()
    connection = socket_to(server.port)
    connection.request("GET", "/x", headers={"x-everit-api-key": DEMO_TOKEN})
    assert connection.getresponse().read()
    server.stop()

    def ask_again() -> None:
        connection.request("GET", "/x", headers={"x-everit-api-key": DEMO_TOKEN})
        connection.getresponse().read()

    with pytest.raises((http.client.HTTPException, OSError)):
        ask_again()
    connection.close()


# -- authentication and the CSRF guard ----------------------------------------


def test_missing_token_is_401_with_a_message(
    make_api: ClientFactory, api_url: str
) -> None:
    response = make_api(None).get(f"{api_url}/tag")
    assert response.status_code == 401
    assert response.json() == {"message": "Missing or unknown x-everit-api-key header."}


def test_unknown_token_is_401(make_api: ClientFactory, api_url: str) -> None:
    response = make_api("not-a-token").get(f"{api_url}/tag")
    assert response.status_code == 401


def test_token_header_name_is_case_insensitive(
    make_api: ClientFactory, api_url: str
) -> None:
    response = make_api(None).get(
        f"{api_url}/tag", headers={"X-Everit-API-Key": DEMO_TOKEN}
    )
    assert response.status_code == 200


def test_authentication_is_checked_before_the_csrf_header(
    make_api: ClientFactory, api_url: str
) -> None:
    response = make_api(None).post(
        f"{api_url}/report/details", json={}, headers={"x-requested-by": None}
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("method", "route"), [("POST", "/report/details"), ("DELETE", "/worklog")]
)
def test_writes_without_x_requested_by_get_the_empty_400(
    api: requests.Session, api_url: str, method: str, route: str
) -> None:
    response = api.request(
        method, f"{api_url}{route}", json={}, headers={"x-requested-by": None}
    )
    assert response.status_code == 400
    assert response.content == b'{"additionalErrors":[],"fieldErrors":[]}'


def test_an_empty_x_requested_by_is_enough(api: requests.Session, api_url: str) -> None:
    response = api.post(
        f"{api_url}/report/details",
        json={"startAt": 0, "startDate": "2025-01-02", "endDate": "2025-01-02"},
        headers={"x-requested-by": ""},
    )
    assert response.status_code == 200


def test_reads_need_no_x_requested_by(api: requests.Session, api_url: str) -> None:
    response = api.get(f"{api_url}/tag", headers={"x-requested-by": None})
    assert response.status_code == 200


# -- routing ------------------------------------------------------------------


def test_a_numeric_api_version_works_like_latest(
    api: requests.Session, big_server: EmulatorServer
) -> None:
    latest = api.get(f"{big_server.url}/timetracker/api/latest/public/tag")
    numbered = api.get(f"{big_server.url}/timetracker/api/22/public/tag")
    assert numbered.status_code == 200
    assert numbered.json() == latest.json()


@pytest.mark.parametrize(
    "path",
    [
        "/timetracker/api/v2/public/tag",
        "/timetracker/api/latest/public/report/timesheet",
        "/timetracker/api/latest/public/tag/3/colour",
        "/timetracker/api/latest/public",
        "/timetracker/api/latest/tag",
        "/favicon.ico",
    ],
)
def test_unknown_paths_are_404_json(
    api: requests.Session, big_server: EmulatorServer, path: str
) -> None:
    response = api.get(big_server.url + path)
    assert response.status_code == 404
    assert response.json() == {"message": f"No such resource: {path}"}


@pytest.mark.parametrize(
    ("method", "route", "allowed"),
    [
        ("GET", "/report/details", "POST"),
        ("PUT", "/report/summary", "POST"),
        ("GET", "/report/fillchecker", "POST"),
        ("DELETE", "/tag", "GET, POST"),
        ("GET", "/tag/3", "DELETE, PUT"),
        ("GET", "/tag/3/archive", "POST"),
        ("PUT", "/worklog", "DELETE, GET, PATCH, POST"),
    ],
)
def test_a_wrong_method_on_a_known_path_is_405(
    api: requests.Session, api_url: str, method: str, route: str, allowed: str
) -> None:
    response = api.request(method, f"{api_url}{route}", json={})
    assert response.status_code == 405
    assert response.headers["Allow"] == allowed
    assert response.json() == {
        "message": f"Method {method} is not allowed here; use {allowed}."
    }


def test_responses_are_utf8_json_with_a_length(
    api: requests.Session, api_url: str
) -> None:
    response = details(
        api, api_url, startAt=0, startDate="2025-03-03", endDate="2025-03-03"
    )
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert int(response.headers["Content-Length"]) == len(response.content)
    # Non-ASCII text is sent as UTF-8, not as \\u escapes.
    assert "Ákos Szabó".encode() in response.content
    assert b"\\u" not in response.content


def test_one_connection_serves_many_requests(big_server: EmulatorServer) -> None:
    connection = socket_to(big_server.port)
    first_socket = connection.sock
    for _ in range(3):
        connection.request(
            "GET",
            "/timetracker/api/latest/public/tag",
            headers={"x-everit-api-key": DEMO_TOKEN},
        )
        response = connection.getresponse()
        assert response.status == 200
        assert len(json.loads(response.read())["worklogTags"]) == 10
    assert connection.sock is first_socket
    connection.close()


# -- tags ---------------------------------------------------------------------


def test_tag_list_gives_every_tag_in_the_documented_shape(
    api: requests.Session, api_url: str
) -> None:
    tags = api.get(f"{api_url}/tag").json()["worklogTags"]
    assert [t["id"] for t in tags] == list(range(1, 11))
    assert tags[:2] == [
        {
            "id": 1,
            "name": "development",
            "description": "Coding work",
            "archived": False,
            "colorIndex": None,
        },
        {
            "id": 2,
            "name": "meeting",
            "description": "Meetings and calls",
            "archived": False,
            "colorIndex": 3,
        },
    ]


@pytest.mark.parametrize(
    ("value", "ids"),
    [("true", [8]), ("TRUE", [8]), ("false", [1, 2, 3, 4, 5, 6, 7, 9, 10])],
)
def test_tag_list_filters_by_archived(
    api: requests.Session, api_url: str, value: str, ids: list[int]
) -> None:
    tags = api.get(f"{api_url}/tag", params={"archived": value}).json()["worklogTags"]
    assert [t["id"] for t in tags] == ids


def test_tag_list_refuses_a_non_boolean_archived(
    api: requests.Session, api_url: str
) -> None:
    response = api.get(f"{api_url}/tag", params={"archived": "maybe"})
    assert response.status_code == 400
    assert response.json() == field_errors(("InvalidFormat", "archived"))


# -- details report: validation -----------------------------------------------


def test_details_lists_every_missing_required_field(
    api: requests.Session, api_url: str
) -> None:
    response = details(api, api_url)
    assert response.status_code == 400
    assert response.json() == field_errors(
        ("Required", "startAt"), ("Required", "startDate"), ("Required", "endDate")
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"startDate": "2025-3-1"}, ("InvalidFormat", "startDate")),
        ({"startDate": "2025-02-30"}, ("InvalidFormat", "startDate")),
        ({"endDate": 20250301}, ("InvalidFormat", "endDate")),
        ({"endDate": "2025-02-28"}, ("Invalid", "endDate")),
        ({"startAt": -1}, ("Invalid", "startAt")),
        ({"startAt": "0"}, ("InvalidFormat", "startAt")),
        ({"maxResults": "50"}, ("InvalidFormat", "maxResults")),
        ({"orderBy": "worklogAuthor"}, ("Invalid", "orderBy")),
        ({"orderBy": 1}, ("Invalid", "orderBy")),
        ({"users": "712020:a"}, ("InvalidFormat", "users")),
        ({"projects": [True]}, ("InvalidFormat", "projects")),
        ({"filterBillable": "yes"}, ("InvalidFormat", "filterBillable")),
    ],
)
def test_details_refuses_a_bad_field(
    api: requests.Session,
    api_url: str,
    change: dict[str, object],
    expected: tuple[str, str],
) -> None:
    body: dict[str, object] = {
        "startAt": 0,
        "startDate": "2025-03-01",
        "endDate": "2025-03-31",
    }
    body.update(change)
    response = post_details(api, api_url, body)
    assert response.status_code == 400
    assert response.json() == field_errors(expected)


@pytest.mark.parametrize("raw", [b"[1, 2]", b'"text"', b"{not json", b""])
def test_details_refuses_a_body_that_is_not_a_json_object(
    api: requests.Session, api_url: str, raw: bytes
) -> None:
    response = api.post(
        f"{api_url}/report/details",
        data=raw,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "additionalErrors": [],
        "fieldErrors": [{"errorType": "InvalidFormat", "paths": [[]]}],
    }


def test_an_unknown_time_zone_is_a_field_error(
    api: requests.Session, api_url: str
) -> None:
    response = details(
        api,
        api_url,
        zone="Mars/Olympus_Mons",
        startAt=0,
        startDate="2025-03-01",
        endDate="2025-03-31",
    )
    assert response.status_code == 400
    assert response.json() == field_errors(("Invalid", "x-timezone"))


# -- details report: content --------------------------------------------------


def test_details_items_have_the_documented_shape(
    api: requests.Session, api_url: str
) -> None:
    # Ákos's on-call night when Budapest's clocks went back.
    body = details(
        api,
        api_url,
        zone="Europe/Budapest",
        startAt=0,
        startDate="2025-10-26",
        endDate="2025-10-26",
        users=[AKOS],
    ).json()
    assert list(body) == [
        "total",
        "startAt",
        "maxResults",
        "totalWorkTimeInSeconds",
        "values",
    ]
    on_call = {"id": 20058, "key": "OPS-15", "summary": "On-call rotation"}
    operations = {"id": "10002", "key": "OPS", "name": "Operations"}
    author = {"id": AKOS, "name": "Ákos Szabó"}
    assert body == {
        "total": 2,
        "startAt": 0,
        "maxResults": 50,
        "totalWorkTimeInSeconds": 6000,
        "values": [
            {
                "issue": on_call,
                "project": operations,
                "worklog": {
                    "id": 15542,
                    "jiraWorklogId": 333262,
                    "description": "DST switch-over checks",
                    "durationInSeconds": 3600,
                    "isBillable": False,
                    "startTime": "2025-10-25T23:30:00.000Z",
                    "author": author,
                    "worklogTags": [{"id": 9, "name": "on-call"}],
                },
            },
            {
                "issue": on_call,
                "project": operations,
                "worklog": {
                    "id": 15545,
                    "jiraWorklogId": 333265,
                    "description": "DST switch-over checks",
                    "durationInSeconds": 2400,
                    "isBillable": False,
                    "startTime": "2025-10-26T01:40:00.000Z",
                    "author": author,
                    "worklogTags": [{"id": 9, "name": "on-call"}],
                },
            },
        ],
    }


def test_a_deleted_author_has_an_id_but_no_name(
    api: requests.Session, api_url: str
) -> None:
    body = details(
        api,
        api_url,
        startAt=0,
        maxResults=1,
        startDate="2025-03-03",
        endDate="2025-03-03",
        users=[DELETED],
    ).json()
    assert body["total"] == 7
    assert body["values"][0]["worklog"]["author"] == {"id": DELETED}
    assert body["values"][0]["worklog"]["description"] == "Code-Review für Zoë"


@pytest.mark.parametrize(
    ("zone", "total", "seconds"),
    [
        ("UTC", 1639, 10315984),
        ("Asia/Kolkata", 1643, 10326364),
        ("America/New_York", 1639, 10325284),
        ("Europe/Budapest", 1636, 10296184),
    ],
)
def test_the_time_zone_sets_the_day_boundaries(
    api: requests.Session,
    api_url: str,
    demo_org: Organisation,
    zone: str,
    total: int,
    seconds: int,
) -> None:
    body = details(
        api,
        api_url,
        zone=zone,
        startAt=0,
        maxResults=1,
        startDate="2025-03-01",
        endDate="2025-03-31",
    ).json()
    assert (body["total"], body["totalWorkTimeInSeconds"]) == (total, seconds)
    march = expected_ids(demo_org, date(2025, 3, 1), date(2025, 3, 31), zone, None)
    assert len(march) == total


def test_no_x_timezone_means_utc(api: requests.Session, api_url: str) -> None:
    body = details(
        api,
        api_url,
        startAt=0,
        maxResults=1,
        startDate="2025-03-01",
        endDate="2025-03-31",
    ).json()
    assert body["total"] == 1639


def test_start_times_are_utc_with_milliseconds(
    api: requests.Session, api_url: str
) -> None:
    body = details(
        api,
        api_url,
        zone="Asia/Kolkata",
        startAt=0,
        maxResults=1000,
        startDate="2025-06-01",
        endDate="2025-06-30",
    ).json()
    pattern = re.compile(
        r"2025-0[56]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.000Z"
    )
    assert all(pattern.fullmatch(v["worklog"]["startTime"]) for v in body["values"])


def test_project_and_billable_filters_combine(
    api: requests.Session, api_url: str
) -> None:
    body = details(
        api,
        api_url,
        startAt=0,
        maxResults=1000,
        startDate="2025-05-01",
        endDate="2025-05-31",
        projects=["10000", 10001],
        filterBillable=True,
    ).json()
    assert body["total"] == 567
    assert {v["project"]["key"] for v in body["values"]} == {"WEB", "MOB"}
    assert all(v["worklog"]["isBillable"] for v in body["values"])


def test_filter_billable_false_keeps_only_non_billable(
    api: requests.Session, api_url: str
) -> None:
    body = details(
        api,
        api_url,
        startAt=0,
        maxResults=1000,
        startDate="2025-05-01",
        endDate="2025-05-07",
        filterBillable=False,
    ).json()
    assert body["total"] > 0
    assert not any(v["worklog"]["isBillable"] for v in body["values"])


def test_groups_filter_expands_to_the_members(
    api: requests.Session, api_url: str, demo_org: Organisation
) -> None:
    body = details(
        api,
        api_url,
        startAt=0,
        maxResults=1000,
        startDate="2025-05-01",
        endDate="2025-05-31",
        groups=["support"],
    ).json()
    support = {p.account_id for p in demo_org.members("support")}
    assert body["total"] == 361
    assert {v["worklog"]["author"]["id"] for v in body["values"]} == support


def test_an_unknown_user_matches_nothing(api: requests.Session, api_url: str) -> None:
    body = details(
        api,
        api_url,
        startAt=0,
        startDate="2025-05-01",
        endDate="2025-05-31",
        users=["712020:nobody"],
    ).json()
    assert (body["total"], body["totalWorkTimeInSeconds"], body["values"]) == (0, 0, [])


# -- details report: order ----------------------------------------------------


def ids_and(body: dict[str, object], field: str) -> list[tuple[int, object]]:
    values = body["values"]
    assert isinstance(values, list)
    return [(v["worklog"]["id"], v["worklog"][field]) for v in values]


def test_descending_start_time(api: requests.Session, api_url: str) -> None:
    body = details(
        api,
        api_url,
        startAt=0,
        maxResults=5,
        startDate="2025-05-05",
        endDate="2025-05-05",
        orderBy="-worklogStartTime",
    ).json()
    assert body["total"] == 55
    assert ids_and(body, "startTime") == [
        (6822, "2025-05-05T23:45:00.000Z"),
        (6821, "2025-05-05T19:05:00.000Z"),
        (6820, "2025-05-05T18:50:00.000Z"),
        (6819, "2025-05-05T18:10:00.000Z"),
        (6818, "2025-05-05T18:00:00.000Z"),
    ]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (
            "worklogTimeSpent",
            [(6804, 1200), (6805, 1200), (6798, 1800), (6792, 2100), (6815, 2400)],
        ),
        (
            "-worklogTimeSpent",
            [(6801, 28800), (6806, 14400), (6816, 14280), (6791, 14100), (6800, 14100)],
        ),
    ],
)
def test_time_spent_order_breaks_ties_by_ascending_id(
    api: requests.Session, api_url: str, order: str, expected: list[tuple[int, int]]
) -> None:
    body = details(
        api,
        api_url,
        startAt=0,
        maxResults=5,
        startDate="2025-05-05",
        endDate="2025-05-05",
        orderBy=order,
    ).json()
    assert ids_and(body, "durationInSeconds") == expected


@pytest.mark.parametrize(
    ("order", "attribute", "descending"),
    [
        ("worklogCreated", "created_at", False),
        ("-worklogCreated", "created_at", True),
        ("worklogUpdated", "updated_at", False),
        ("-worklogUpdated", "updated_at", True),
    ],
)
def test_created_and_updated_orders(
    api: requests.Session,
    api_url: str,
    demo_org: Organisation,
    order: str,
    attribute: str,
    descending: bool,
) -> None:
    body = details(
        api,
        api_url,
        startAt=0,
        maxResults=1000,
        startDate="2025-05-01",
        endDate="2025-05-14",
        orderBy=order,
    ).json()
    keys = [
        getattr(demo_org.worklog(v["worklog"]["id"]), attribute) for v in body["values"]
    ]
    assert len(keys) == 689
    assert keys == sorted(keys, reverse=descending)


# -- details report: paging ---------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "effective"), [(5000, 1000), (1000, 1000), (7, 7), (0, 1), (-3, 1)]
)
def test_max_results_is_clamped_and_echoed(
    api: requests.Session, api_url: str, asked: int, effective: int
) -> None:
    body = details(
        api,
        api_url,
        startAt=0,
        maxResults=asked,
        startDate="2025-01-01",
        endDate="2025-12-31",
    ).json()
    assert body["maxResults"] == effective
    assert len(body["values"]) == effective


def test_default_page_size_is_50(api: requests.Session, api_url: str) -> None:
    body = details(
        api, api_url, startAt=0, startDate="2025-01-01", endDate="2025-12-31"
    ).json()
    assert (body["maxResults"], len(body["values"])) == (50, 50)


def test_pages_together_give_every_worklog_once(
    api: requests.Session,
    api_url: str,
    big_server: EmulatorServer,
    demo_org: Organisation,
) -> None:
    big_server.clear_log()
    ids: list[int] = []
    seconds = 0
    start_at, total = 0, None
    while total is None or start_at < total:
        body = details(
            api,
            api_url,
            zone="Asia/Tokyo",
            startAt=start_at,
            maxResults=500,
            startDate="2025-01-01",
            endDate="2025-03-31",
        ).json()
        total = body["total"]
        ids += [v["worklog"]["id"] for v in body["values"]]
        seconds += sum(v["worklog"]["durationInSeconds"] for v in body["values"])
        assert body["totalWorkTimeInSeconds"] == 31120681
        start_at += len(body["values"])
    q1 = expected_ids(demo_org, date(2025, 1, 1), date(2025, 3, 31), "Asia/Tokyo", None)
    assert total == 5018
    assert ids == q1
    assert seconds == 31120681
    pages = [r for r in big_server.requests_log if r.path.endswith("/report/details")]
    assert len(pages) == 11


def test_a_start_beyond_the_total_gives_an_empty_page(
    api: requests.Session, api_url: str
) -> None:
    body = details(
        api, api_url, startAt=6000, startDate="2025-01-01", endDate="2025-03-31"
    ).json()
    assert (body["total"], body["startAt"], body["values"]) == (5034, 6000, [])


def test_a_full_page_of_the_whole_year_is_quick(
    api: requests.Session, api_url: str
) -> None:
    response = details(
        api,
        api_url,
        startAt=9000,
        maxResults=1000,
        startDate="2025-01-01",
        endDate="2025-12-31",
        orderBy="-worklogTimeSpent",
    )
    assert len(response.json()["values"]) == 1000
    # Generous: the server needs about 20 ms; this guards against a
    # regression to seconds, not against a busy machine.
    assert response.elapsed < timedelta(seconds=1)


# -- reading one worklog ------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "work_date", "work_start"),
    [
        ("Europe/Budapest", "2025-10-26", "02:40"),
        ("UTC", "2025-10-26", "01:40"),
        ("Asia/Kolkata", "2025-10-26", "07:10"),
        ("America/Los_Angeles", "2025-10-25", "18:40"),
    ],
)
def test_get_worklog_gives_date_and_time_in_the_requested_zone(
    api: requests.Session, api_url: str, zone: str, work_date: str, work_start: str
) -> None:
    response = api.get(
        f"{api_url}/worklog", params={"worklogId": 15545}, headers={"x-timezone": zone}
    )
    assert response.status_code == 200
    assert response.json() == {
        "worklogId": 15545,
        "jiraWorklogId": 333265,
        "issueId": 20058,
        "workDate": work_date,
        "workStartTime": work_start,
        "durationInSeconds": 2400,
        "description": "DST switch-over checks",
        "isBillable": False,
        "worklogTagIds": [9],
        "worklogTags": [{"id": 9, "name": "on-call"}],
    }


def test_get_unknown_worklog_is_404_with_the_business_envelope(
    api: requests.Session, api_url: str
) -> None:
    response = api.get(f"{api_url}/worklog", params={"worklogId": 999999})
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "message": "Worklog not found",
            "result": "WORKLOG_NOT_FOUND",
            "worklogId": 999999,
        },
        "worklog": None,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ("Required", "worklogId")),
        ({"worklogId": "abc"}, ("InvalidFormat", "worklogId")),
        ({"worklogId": "-1"}, ("InvalidFormat", "worklogId")),
        ({"worklogId": ""}, ("InvalidFormat", "worklogId")),
    ],
)
def test_get_worklog_needs_an_integer_id(
    api: requests.Session,
    api_url: str,
    params: dict[str, str],
    expected: tuple[str, str],
) -> None:
    response = api.get(f"{api_url}/worklog", params=params)
    assert response.status_code == 400
    assert response.json() == field_errors(expected)


def test_get_worklog_refuses_an_unknown_time_zone(
    api: requests.Session, api_url: str
) -> None:
    response = api.get(
        f"{api_url}/worklog", params={"worklogId": 1}, headers={"x-timezone": "Nowhere"}
    )
    assert response.status_code == 400
    assert response.json() == field_errors(("Invalid", "x-timezone"))


# -- visibility ---------------------------------------------------------------


def test_demo_tokens_act_as_known_people(big_server: EmulatorServer) -> None:
    assert big_server.token_account(DEMO_TOKEN) is None
    assert big_server.token_role(DEMO_TOKEN) == "admin"
    assert big_server.token_account(DEMO_LEAD_TOKEN) == DANA
    assert big_server.token_role(DEMO_LEAD_TOKEN) == "lead"
    assert big_server.token_account(DEMO_MEMBER_TOKEN) == AKOS
    assert big_server.token_role(DEMO_MEMBER_TOKEN) == "member"
    with pytest.raises(KeyError, match="unknown token"):
        big_server.token_account("nope")


def year_authors(session: requests.Session, api_url: str) -> tuple[int, set[str]]:
    total, authors, start_at = None, set(), 0
    while total is None or start_at < total:
        body = details(
            session,
            api_url,
            startAt=start_at,
            maxResults=1000,
            startDate="2025-01-01",
            endDate="2025-12-31",
        ).json()
        total = body["total"]
        authors |= {v["worklog"]["author"]["id"] for v in body["values"]}
        start_at += len(body["values"])
    return total, authors


def test_a_member_sees_only_their_own_worklogs(
    make_api: ClientFactory, api_url: str, demo_org: Organisation
) -> None:
    total, authors = year_authors(make_api(DEMO_MEMBER_TOKEN), api_url)
    assert authors == {AKOS}
    assert total == sum(w.author_id == AKOS for w in demo_org.worklogs) == 1102


def test_a_lead_sees_the_developers_and_themselves(
    make_api: ClientFactory, api_url: str, demo_org: Organisation
) -> None:
    total, authors = year_authors(make_api(DEMO_LEAD_TOKEN), api_url)
    developers = {p.account_id for p in demo_org.members("developers")}
    assert authors == developers | {DANA}
    assert total == 10305


def test_the_admin_sees_everyone(
    make_api: ClientFactory, api_url: str, demo_org: Organisation
) -> None:
    total, authors = year_authors(make_api(DEMO_TOKEN), api_url)
    assert authors == {p.account_id for p in demo_org.people}
    assert total == len(demo_org.worklogs)


def test_a_member_cannot_read_anothers_worklog(
    make_api: ClientFactory, api_url: str
) -> None:
    member = make_api(DEMO_MEMBER_TOKEN)
    own = member.get(f"{api_url}/worklog", params={"worklogId": 15545})
    other = member.get(f"{api_url}/worklog", params={"worklogId": 1})
    assert own.status_code == 200
    assert other.status_code == 404
    assert other.json()["error"]["result"] == "WORKLOG_NOT_FOUND"


def test_a_member_asking_for_others_gets_nothing(
    make_api: ClientFactory, api_url: str
) -> None:
    body = details(
        make_api(DEMO_MEMBER_TOKEN),
        api_url,
        startAt=0,
        startDate="2025-01-01",
        endDate="2025-12-31",
        users=[DANA],
    ).json()
    assert body["total"] == 0


# -- the request log ----------------------------------------------------------


def test_request_log_records_each_request_without_tokens(
    api: requests.Session,
    api_url: str,
    big_server: EmulatorServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    big_server.clear_log()
    assert big_server.requests_log == []
    with caplog.at_level(logging.DEBUG, logger="tt_notebook.emulator"):
        details(
            api,
            api_url,
            zone="Asia/Tokyo",
            startAt=0,
            startDate="2025-01-02",
            endDate="2025-01-02",
        )
        api.get(f"{api_url}/worklog", params={"worklogId": "1"})
    path = "/timetracker/api/latest/public"
    assert big_server.requests_log == [
        RecordedRequest(
            "POST",
            f"{path}/report/details",
            {},
            {"startAt": 0, "startDate": "2025-01-02", "endDate": "2025-01-02"},
            "Asia/Tokyo",
        ),
        RecordedRequest("GET", f"{path}/worklog", {"worklogId": "1"}, None, None),
    ]
    assert big_server.requests_log[0].timezone == "Asia/Tokyo"
    assert "POST /timetracker/api/latest/public/report/details -> 200" in caplog.text
    for token in (DEMO_TOKEN, DEMO_LEAD_TOKEN, DEMO_MEMBER_TOKEN):
        assert token not in caplog.text
        assert token not in repr(big_server.requests_log)


# -- changes while serving ----------------------------------------------------


@pytest.fixture
def small_server() -> Iterator[EmulatorServer]:
    """A week of the default organisation, for tests that change it."""
    org = build_organisation(start=date(2025, 3, 3), end=date(2025, 3, 9))
    with EmulatorServer(org, max_page_size=100, default_page_size=10) as server:
        yield server


def test_added_and_removed_worklogs_show_in_the_next_report(
    small_server: EmulatorServer, api: requests.Session
) -> None:
    url = small_server.url + "/timetracker/api/latest/public"
    query: dict[str, object] = {
        "startAt": 0,
        "startDate": "2025-03-05",
        "endDate": "2025-03-05",
    }
    before = post_details(api, url, query).json()["total"]
    person = small_server.org.people[0]
    start = datetime.combine(date(2025, 3, 5), time(12), tzinfo=UTC)
    added = small_server.org.add_worklog(20001, person.account_id, start, 600)
    assert post_details(api, url, query).json()["total"] == before + 1
    small_server.org.remove_worklog(added.worklog_id)
    assert post_details(api, url, query).json()["total"] == before


def test_page_size_settings_apply(
    small_server: EmulatorServer, api: requests.Session
) -> None:
    url = small_server.url + "/timetracker/api/latest/public"
    query: dict[str, object] = {
        "startAt": 0,
        "startDate": "2025-03-03",
        "endDate": "2025-03-09",
    }
    assert post_details(api, url, query).json()["maxResults"] == 10
    query["maxResults"] = 500
    assert post_details(api, url, query).json()["maxResults"] == 100


def test_bad_page_size_settings_are_refused() -> None:
    org = build_organisation(end=date(2025, 1, 3))
    with pytest.raises(ValueError, match="max_page_size"):
        EmulatorServer(org, max_page_size=0)
    with pytest.raises(ValueError, match="default_page_size"):
        EmulatorServer(org, max_page_size=10, default_page_size=11)


# -- the foreground server -----------------------------------------------------


def test_serve_prints_the_url_and_tokens_and_stops_on_ctrl_c() -> None:
    code = "from tt_notebook.emulator import serve; serve(port=0, seed=7)"
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        assert child.stdout is not None
        lines = [child.stdout.readline() for _ in range(7)]
        match = re.fullmatch(
            r"Timetracker emulator: (http://127\.0\.0\.1:[0-9]+)"
            r"/timetracker/api/latest/public\n",
            lines[0],
        )
        assert match is not None
        assert lines[1] == f"Service root (base URL): {match[1]}\n"
        assert lines[2].startswith("Organisation: seed 7, ")
        assert lines[3].split() == [
            "x-everit-api-key:",
            "demo-token",
            "(admin:",
            "everyone)",
        ]
        assert lines[4].split()[:2] == ["x-everit-api-key:", "demo-lead-token"]
        assert lines[5].split()[:2] == ["x-everit-api-key:", "demo-member-token"]
        assert lines[6] == "Press Ctrl-C to stop.\n"
        with requests.Session() as session:
            session.trust_env = False
            response = session.get(
                match[1] + "/timetracker/api/latest/public/tag",
                headers={"x-everit-api-key": DEMO_TOKEN},
            )
        assert response.status_code == 200
        child.send_signal(signal.SIGINT)
        assert child.wait(timeout=10) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
