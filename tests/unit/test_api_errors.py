"""Error mapping and completeness checks, on answers the emulator never gives."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses

from tt_notebook import api
from tt_notebook.config import Secret, Settings
from tt_notebook.errors import (
    APIError,
    AuthenticationError,
    IncompleteResultError,
    PermissionDeniedError,
    ValidationError,
)
from tt_notebook.session import TimetrackerSession, build_session

BASE = "https://tt.example.test"
DETAILS = BASE + "/timetracker/api/latest/public/report/details"
TOKEN = "demo-token-unit"


@pytest.fixture
def session(tmp_path: Path) -> Iterator[TimetrackerSession]:
    settings = Settings(
        token=Secret(TOKEN), timezone="UTC", base_url=BASE, cache_dir=tmp_path
    )
    with build_session(settings) as session:
        yield session


def query() -> api.DetailsQuery:
    return api.DetailsQuery.build("2025-03-01", "2025-03-31")


def value(wid: int) -> dict[str, Any]:
    return {
        "issue": {"id": 1, "key": "A-1", "summary": "s"},
        "project": {"id": "1", "key": "A", "name": "A"},
        "worklog": {
            "id": wid,
            "durationInSeconds": 60,
            "startTime": "2025-03-02T00:00:00Z",
            "author": {"id": "u"},
        },
    }


@responses.activate
def test_token_is_sent_in_the_header_but_not_kept_on_the_request(
    session: TimetrackerSession,
) -> None:
    responses.post(
        DETAILS, json={"total": 0, "startAt": 0, "maxResults": 1000, "values": []}
    )
    rows = api.details_report(session, query())
    assert rows == []
    sent = responses.calls[0].request
    assert sent.headers["x-everit-api-key"] == TOKEN
    assert sent.headers["x-requested-by"] == "tt_notebook"
    assert sent.headers["x-timezone"] == "UTC"


@responses.activate
def test_token_is_not_sent_to_another_host(session: TimetrackerSession) -> None:
    responses.get("https://elsewhere.example.test/x", json={})
    session.http.get("https://elsewhere.example.test/x")
    assert "x-everit-api-key" not in responses.calls[0].request.headers


@responses.activate
def test_401_raises_authentication_error_that_says_how_to_get_a_token(
    session: TimetrackerSession,
) -> None:
    responses.post(DETAILS, status=401, json={"message": "no"})
    with pytest.raises(AuthenticationError) as info:
        api.details_report(session, query())
    text = str(info.value)
    assert "My Preferences > REST API" in text
    assert "POST /report/details, HTTP 401" in text
    assert TOKEN not in text
    assert TOKEN not in repr(info.value)
    assert info.value.status_code == 401


@responses.activate
def test_400_carries_the_servers_field_errors(session: TimetrackerSession) -> None:
    body = {
        "additionalErrors": [{"errorType": "TooManyDataForTimesheet", "extra": {}}],
        "fieldErrors": [{"errorType": "InvalidFormat", "paths": [["startDate"]]}],
    }
    responses.post(DETAILS, status=400, json=body)
    with pytest.raises(ValidationError) as info:
        api.details_report(session, query())
    assert info.value.field_errors == body["fieldErrors"]
    assert info.value.additional_errors == body["additionalErrors"]
    assert "startDate: InvalidFormat; TooManyDataForTimesheet" in str(info.value)


@responses.activate
def test_empty_400_points_at_the_csrf_header(session: TimetrackerSession) -> None:
    responses.post(
        DETAILS, status=400, json={"additionalErrors": [], "fieldErrors": []}
    )
    with pytest.raises(ValidationError, match="x-requested-by"):
        api.details_report(session, query())


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (403, AuthenticationError),
        (479, PermissionDeniedError),
        (500, APIError),
        (418, APIError),
    ],
)
@responses.activate
def test_other_statuses_map_to_the_error_tree(
    session: TimetrackerSession, status: int, error: type[APIError]
) -> None:
    responses.post(DETAILS, status=status, body="oops")
    with pytest.raises(error) as info:
        api.details_report(session, query())
    assert info.value.status_code == status
    assert info.value.endpoint == "POST /report/details"


@responses.activate
def test_a_short_result_raises_after_one_fresh_reread(
    session: TimetrackerSession,
) -> None:
    # The server announces three worklogs but only ever sends two.
    page = {
        "total": 3,
        "startAt": 0,
        "maxResults": 1000,
        "values": [value(1), value(2)],
    }
    responses.post(DETAILS, json=page)
    with pytest.raises(IncompleteResultError) as info:
        api.details_report(session, query())
    assert (info.value.expected, info.value.received) == (3, 2)
    # Each attempt asks for offset 0, then offset 2 (the page was short); the
    # second attempt bypasses the cache.
    assert [c.request.body.count(b'"startAt": 2') for c in responses.calls] == [
        0,
        1,
        0,
        1,
    ]


@responses.activate
def test_duplicated_rows_across_pages_are_dropped(session: TimetrackerSession) -> None:
    # A worklog that shifts between pages arrives twice; it is kept once.
    responses.post(
        DETAILS,
        json={
            "total": 3,
            "startAt": 0,
            "maxResults": 2,
            "values": [value(1), value(2)],
        },
    )
    responses.post(
        DETAILS,
        json={
            "total": 3,
            "startAt": 2,
            "maxResults": 2,
            "values": [value(2), value(3)],
        },
    )
    rows = api.details_report(session, query(), page_size=2)
    assert [r["worklog"]["id"] for r in rows] == [1, 2, 3]


@responses.activate
def test_invalid_json_is_an_api_error(session: TimetrackerSession) -> None:
    responses.post(DETAILS, body='{"total": 3, "val')
    with pytest.raises(APIError, match="not valid JSON"):
        api.details_report(session, query())
