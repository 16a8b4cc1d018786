"""Writes, result envelopes, stale and offline answers, on mocked responses."""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import responses

from tt_notebook import api
from tt_notebook.config import Secret, Settings
from tt_notebook.errors import (
    APIError,
    CacheMissError,
    ConfigurationError,
    NotFoundError,
    StaleCacheWarning,
)
from tt_notebook.session import TimetrackerSession, build_session

BASE = "https://tt.example.test"
ROOT = BASE + "/timetracker/api/latest/public"


def make(tmp_path: Path, **kwargs: object) -> TimetrackerSession:
    settings = Settings(
        token=Secret("demo-token-unit"),
        timezone="Europe/Budapest",
        base_url=BASE,
        cache_dir=tmp_path,
        **kwargs,  # type: ignore[arg-type]
    )
    return build_session(settings)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[TimetrackerSession]:
    with make(tmp_path) as session:
        yield session


STORED = {
    "worklogId": 9921,
    "jiraWorklogId": 310522,
    "issueId": 20417,
    "workDate": "2025-03-18",
    "workStartTime": "08:30",
    "durationInSeconds": 5400,
    "description": "Backlog grooming",
    "isBillable": False,
    "worklogTagIds": [3],
}


@responses.activate
def test_create_worklog_sends_the_documented_body_and_returns_the_stored_one(
    session: TimetrackerSession,
) -> None:
    responses.post(ROOT + "/worklog", json=STORED)
    stored = api.create_worklog(
        session,
        issue_id=20417,
        work_date="2025-03-18",
        start_time="08:30",
        duration=5400,
        description="Backlog grooming",
        billable=False,
        tag_ids=[3],
    )
    assert stored == STORED
    sent = responses.calls[0].request
    assert sent.headers["x-timezone"] == "Europe/Budapest"
    assert sent.headers["x-requested-by"] == "tt_notebook"
    import json

    assert json.loads(sent.body) == {
        "issueId": 20417,
        "workDate": "2025-03-18",
        "workStartTime": "08:30",
        "durationInSeconds": 5400,
        "description": "Backlog grooming",
        "isBillable": False,
        "worklogTagIds": [3],
    }


@responses.activate
def test_writes_are_never_cached(session: TimetrackerSession) -> None:
    responses.post(ROOT + "/worklog", json=STORED)
    for _ in range(2):
        api.create_worklog(session, issue_id=20417, work_date="2025-03-18", duration=60)
    assert len(responses.calls) == 2
    assert len(list(session.http.cache.responses)) == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"issue_id": "WEB-17"}, "not the key 'WEB-17'"),
        ({"duration": 0}, "positive whole number of seconds"),
        ({"duration": 90.5}, "positive whole number of seconds"),
        ({"start_time": "8:30"}, "'HH:mm'"),
        ({"start_time": "24:00"}, "'HH:mm'"),
        ({"work_date": "18.03.2025"}, "YYYY-MM-DD"),
        ({"tag_ids": ["support"]}, "tag_ids must be a whole number"),
    ],
)
def test_malformed_worklogs_are_refused_before_sending(
    session: TimetrackerSession, kwargs: dict[str, object], message: str
) -> None:
    args: dict[str, object] = {
        "issue_id": 20417,
        "work_date": "2025-03-18",
        "duration": 60,
        **kwargs,
    }
    with (
        responses.RequestsMock() as mock,
        pytest.raises(ConfigurationError, match=message),
    ):
        api.create_worklog(session, **args)  # type: ignore[arg-type]
    assert len(mock.calls) == 0


@responses.activate
def test_patch_answering_worklog_not_found_raises(
    session: TimetrackerSession,
) -> None:
    responses.get(ROOT + "/worklog", json=STORED)
    responses.patch(
        ROOT + "/worklog",
        json={
            "error": {
                "message": None,
                "result": "WORKLOG_NOT_FOUND",
                "worklogId": 9921,
            },
            "worklog": None,
        },
    )
    with pytest.raises(NotFoundError, match="Worklog 9921 was not found"):
        api.update_worklog(session, 9921, duration=7200)


@responses.activate
def test_patch_answering_another_error_raises_an_api_error(
    session: TimetrackerSession,
) -> None:
    responses.get(ROOT + "/worklog", json=STORED)
    responses.patch(
        ROOT + "/worklog",
        json={
            "error": {
                "message": "Period closed",
                "result": "PERIOD_LOCKED",
                "worklogId": 9921,
            },
            "worklog": None,
        },
    )
    with pytest.raises(APIError, match=r"PERIOD_LOCKED \(Period closed\)"):
        api.update_worklog(session, 9921, description="late")


@responses.activate
def test_patch_returns_the_stored_worklog(session: TimetrackerSession) -> None:
    responses.get(ROOT + "/worklog", json=STORED)
    changed = {**STORED, "durationInSeconds": 7200}
    responses.patch(ROOT + "/worklog", json={"error": None, "worklog": changed})
    assert api.update_worklog(session, 9921, duration=7200) == changed


@responses.activate
def test_delete_of_a_missing_worklog_raises_not_found(
    session: TimetrackerSession,
) -> None:
    responses.get(ROOT + "/worklog", json=STORED)
    responses.delete(
        ROOT + "/worklog",
        json={
            "error": {
                "message": None,
                "result": "WORKLOG_NOT_FOUND",
                "worklogId": 9921,
            },
            "worklog": None,
        },
    )
    with pytest.raises(NotFoundError):
        api.delete_worklog(session, 9921)


def test_ids_must_be_numbers(session: TimetrackerSession) -> None:
    for bad in ("WEB-17", 3.0, True, 0):
        with pytest.raises(ConfigurationError, match="worklog_id must be a whole"):
            api.get_worklog(session, bad)  # type: ignore[arg-type]


@responses.activate
def test_a_failing_service_falls_back_to_an_expired_cached_answer(
    session: TimetrackerSession,
) -> None:
    tags = {"worklogTags": [{"id": 1, "name": "dev"}]}
    responses.get(ROOT + "/tag", json=tags)
    api.request_json(session, "GET", "/tag", expire_after=1)
    time.sleep(1.1)
    responses.replace(responses.GET, ROOT + "/tag", status=503, body="busy")
    with pytest.warns(StaleCacheWarning, match="HTTP 503.*cached answer from"):
        answer = api.request_json(session, "GET", "/tag")
    assert answer == tags


@responses.activate
def test_a_rejected_token_never_falls_back_to_the_cache(
    session: TimetrackerSession,
) -> None:
    responses.get(ROOT + "/tag", json={"worklogTags": []})
    api.request_json(session, "GET", "/tag", expire_after=1)
    time.sleep(1.1)
    responses.replace(responses.GET, ROOT + "/tag", status=401, json={})
    with pytest.raises(APIError, match="rejected the token"):
        api.request_json(session, "GET", "/tag")


@responses.activate
def test_offline_session_answers_from_cache_and_sends_nothing(
    tmp_path: Path,
) -> None:
    responses.get(ROOT + "/tag", json={"worklogTags": [{"id": 1, "name": "dev"}]})
    with make(tmp_path) as online:
        api.list_tags(online)
    with make(tmp_path, offline=True) as offline:
        assert api.list_tags(offline) == [{"id": 1, "name": "dev"}]
        with pytest.raises(CacheMissError, match="not in the cache"):
            api.list_tags(offline, archived=True)
        with pytest.raises(CacheMissError, match="offline session cannot"):
            api.create_tag(offline, "research")
    assert len(responses.calls) == 1


@responses.activate
def test_tag_writes_drop_cached_tag_lists(session: TimetrackerSession) -> None:
    responses.get(ROOT + "/tag", json={"worklogTags": []})
    responses.post(
        ROOT + "/tag",
        json={
            "id": 11,
            "name": "research",
            "description": "",
            "archived": False,
            "colorIndex": 2,
        },
    )
    api.list_tags(session)
    api.list_tags(session)
    created = api.create_tag(session, "research", color_index=2)
    api.list_tags(session)
    assert created["id"] == 11
    assert [c.request.method for c in responses.calls] == ["GET", "POST", "GET"]


@responses.activate
def test_a_worklog_write_drops_cached_reports_covering_its_day(
    session: TimetrackerSession,
) -> None:
    page = {"total": 0, "startAt": 0, "maxResults": 1000, "values": []}
    responses.post(ROOT + "/report/details", json=page)
    responses.post(ROOT + "/worklog", json=STORED)
    march = api.DetailsQuery.build("2025-03-01", "2025-03-31")
    april = api.DetailsQuery.build("2025-04-02", "2025-04-30")
    for query in (march, april, march, april):
        api.details_report(session, query)
    assert len(responses.calls) == 2  # the repeats came from the cache
    api.create_worklog(session, issue_id=20417, work_date="2025-03-18", duration=60)
    api.details_report(session, march)
    api.details_report(session, april)
    bodies = [c.request.body for c in responses.calls[3:]]
    assert len(bodies) == 1
    assert b'"startDate": "2025-03-01"' in bodies[0]
