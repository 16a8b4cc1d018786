"""The client against the emulator's faults on purpose: complete or a clear error."""

from __future__ import annotations

import datetime as dt
import logging
import time
import zoneinfo
from collections.abc import Iterator
from email.utils import formatdate

import pytest

from tests.conftest import SessionFactory
from tt_notebook import api, fetch_worklogs
from tt_notebook.emulator import DEMO_TOKEN, EmulatorServer, Fault, FaultPlan
from tt_notebook.errors import APIError, RateLimitError, SyncIncompleteError

pytestmark = pytest.mark.integration

FAST = {"backoff_factor": 0.01}


@pytest.fixture(scope="module")
def faulty() -> Iterator[EmulatorServer]:
    """An emulator of its own: these tests change its faults and its data."""
    with EmulatorServer() as server:
        yield server


@pytest.fixture(autouse=True)
def _clean_plan(faulty: EmulatorServer) -> Iterator[None]:
    faulty.set_faults(FaultPlan())
    faulty.clear_log()
    yield
    faulty.set_faults(FaultPlan())


def ids_in(server: EmulatorServer, start: str, end: str, zone: str) -> list[int]:
    """Worklog ids whose local start day is in range, from the data itself."""
    tz = zoneinfo.ZoneInfo(zone)
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return sorted(
        w.worklog_id
        for w in server.org.worklogs
        if first <= w.start.astimezone(tz).date() <= last
    )


def fetched_ids(df: object) -> list[int]:
    return sorted(int(i) for i in df["worklog_id"])  # type: ignore[index]


def statuses(server: EmulatorServer) -> list[tuple[str, int | None]]:
    return [(r.kind, r.status) for r in server.fault_log]


def test_a_429_storm_ends_in_the_right_data(
    faulty: EmulatorServer, make_session: SessionFactory
) -> None:
    faulty.set_faults(
        FaultPlan(
            [
                Fault(
                    "status",
                    path="/report/details",
                    times=8,
                    status=429,
                    retry_after="0.05",
                ),
            ]
        )
    )
    session = make_session("Europe/Budapest", server=faulty, **FAST)
    df = fetch_worklogs("2025-04-01", "2025-05-31", session=session)
    assert fetched_ids(df) == ids_in(
        faulty, "2025-04-01", "2025-05-31", "Europe/Budapest"
    )
    assert statuses(faulty) == [("status", 429)] * 8


@pytest.mark.parametrize(
    "retry_after", ["1", "0.2", "in-a-while"], ids=["seconds", "fraction", "junk"]
)
def test_every_form_of_retry_after_is_retried(
    faulty: EmulatorServer, make_session: SessionFactory, retry_after: str
) -> None:
    faulty.set_faults(
        FaultPlan(
            [
                Fault(
                    "status", path="/tag", times=1, status=429, retry_after=retry_after
                ),
            ]
        )
    )
    tags = api.list_tags(make_session("UTC", server=faulty, **FAST))
    assert len(tags) == len(faulty.org.tags)
    assert [r.method for r in faulty.requests_log] == ["GET", "GET"]


def test_retry_after_as_an_http_date_is_retried(
    faulty: EmulatorServer, make_session: SessionFactory
) -> None:
    soon = formatdate(time.time() + 1, usegmt=True)
    faulty.set_faults(
        FaultPlan(
            [
                Fault("status", path="/tag", times=1, status=503, retry_after=soon),
            ]
        )
    )
    tags = api.list_tags(make_session("UTC", server=faulty, **FAST))
    assert len(tags) == len(faulty.org.tags)
    assert statuses(faulty) == [("status", 503)]


def test_5xx_bursts_end_in_the_right_data(
    faulty: EmulatorServer, make_session: SessionFactory
) -> None:
    # Each request fails with one of four statuses a fifth of the time in
    # all; seven failures in a row (past the six retries) have odds of about
    # one in a hundred thousand per request, so the data must come through.
    faulty.set_faults(
        FaultPlan(
            [
                Fault("status", path="/report/details", share=0.05, status=s)
                for s in (502, 503, 504, 567)
            ],
            seed=7,
        )
    )
    session = make_session("America/New_York", server=faulty, **FAST)
    query = api.DetailsQuery.build("2025-01-01", "2025-12-31")
    rows = api.details_report(session, query, page_size=200, progress=False)
    assert sorted(r["worklog"]["id"] for r in rows) == ids_in(
        faulty, "2025-01-01", "2025-12-31", "America/New_York"
    )
    assert len(faulty.fault_log) >= 5
    assert {s for _, s in statuses(faulty)} <= {502, 503, 504, 567}


def test_a_plain_500_is_not_retried(
    faulty: EmulatorServer, make_session: SessionFactory
) -> None:
    faulty.set_faults(FaultPlan([Fault("status", path="/tag", status=500)]))
    with pytest.raises(APIError) as info:
        api.list_tags(make_session("UTC", server=faulty, **FAST))
    assert info.value.status_code == 500
    assert len(faulty.requests_log) == 1


def test_sync_incomplete_that_never_ends_raises_its_own_error(
    faulty: EmulatorServer, make_session: SessionFactory
) -> None:
    faulty.set_faults(FaultPlan([Fault("status", path="/tag", status=567)]))
    with pytest.raises(SyncIncompleteError, match="not finished syncing"):
        api.list_tags(make_session("UTC", server=faulty, **FAST))
    assert len(faulty.requests_log) == 7  # the first try and six retries


def test_the_retry_budget_bounds_a_call(
    faulty: EmulatorServer, make_session: SessionFactory
) -> None:
    faulty.set_faults(
        FaultPlan(
            [
                Fault("status", path="/tag", status=429, retry_after="1"),
            ]
        )
    )
    session = make_session("UTC", server=faulty, retry_budget=1.5, **FAST)
    with pytest.raises(RateLimitError) as info:
        api.list_tags(session)
    assert info.value.status_code == 429
    # One wait of a second fits in the budget; a second would overrun it.
    assert len(faulty.requests_log) == 2


def test_a_dropped_connection_is_retried(
    faulty: EmulatorServer, make_session: SessionFactory
) -> None:
    faulty.set_faults(FaultPlan([Fault("drop", path="/report/details", nth=[1, 3])]))
    session = make_session("Asia/Kolkata", server=faulty, **FAST)
    df = fetch_worklogs("2025-07-01", "2025-07-31", session=session)
    assert fetched_ids(df) == ids_in(faulty, "2025-07-01", "2025-07-31", "Asia/Kolkata")
    assert [r.kind for r in faulty.fault_log] == ["drop", "drop"]


def test_a_truncated_body_is_asked_again_and_never_kept(
    faulty: EmulatorServer, make_session: SessionFactory
) -> None:
    faulty.set_faults(FaultPlan([Fault("truncate", path="/report/details", nth=[1])]))
    session = make_session("UTC", server=faulty, **FAST)
    df = fetch_worklogs("2025-08-01", "2025-08-31", session=session)
    assert fetched_ids(df) == ids_in(faulty, "2025-08-01", "2025-08-31", "UTC")
    assert [r.kind for r in faulty.fault_log] == ["truncate"]
    for response in session.http.cache.responses.values():
        assert isinstance(response.json(), dict)


def test_a_body_that_is_always_truncated_is_a_clear_error(
    faulty: EmulatorServer, make_session: SessionFactory
) -> None:
    faulty.set_faults(FaultPlan([Fault("truncate", path="/tag")]))
    session = make_session("UTC", server=faulty, **FAST)
    with pytest.raises(APIError, match="not valid JSON"):
        api.list_tags(session)
    assert len(faulty.requests_log) == 3
    assert list(session.http.cache.responses.keys()) == []


@pytest.mark.parametrize("kind", ["create_worklog", "delete_worklog"])
def test_data_changed_while_paging_gives_no_duplicate_and_no_gap(
    faulty: EmulatorServer, make_session: SessionFactory, kind: str
) -> None:
    faulty.set_faults(FaultPlan([Fault(kind, path="/report/details", nth=[2])]))
    session = make_session("Europe/London", server=faulty, **FAST)
    query = api.DetailsQuery.build("2025-09-01", "2025-09-30")
    rows = api.details_report(session, query, page_size=200, progress=False)
    ids = [r["worklog"]["id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == ids_in(faulty, "2025-09-01", "2025-09-30", "Europe/London")
    assert [r.kind for r in faulty.fault_log] == [kind]


def test_no_log_line_or_error_text_holds_the_token(
    faulty: EmulatorServer,
    make_session: SessionFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    faulty.set_faults(
        FaultPlan(
            [
                Fault(
                    "status",
                    path="/report/details",
                    times=2,
                    status=503,
                    retry_after="0.05",
                ),
                Fault("truncate", path="/tag", times=1),
            ]
        )
    )
    texts = []
    session = make_session("UTC", server=faulty, **FAST)
    fetch_worklogs("2025-10-01", "2025-10-31", session=session)
    api.list_tags(session)
    bad = make_session("UTC", token="wrong-" + DEMO_TOKEN, server=faulty, **FAST)
    with pytest.raises(APIError) as info:
        api.list_tags(bad)
    texts += [str(info.value), repr(info.value), repr(session), repr(bad)]
    assert "GET /tag" in caplog.text
    for text in [caplog.text, *texts]:
        assert DEMO_TOKEN not in text


def test_an_error_on_one_page_cancels_the_pages_not_yet_sent(
    faulty: EmulatorServer, make_session: SessionFactory
) -> None:
    # A year is twelve month pieces; with one worker they go one by one, so
    # after the first fails nothing else should be asked.
    faulty.set_faults(FaultPlan([Fault("status", path="/report/details", status=500)]))
    session = make_session("UTC", server=faulty, **FAST)
    query = api.DetailsQuery.build("2025-01-01", "2025-12-31")
    with pytest.raises(APIError):
        api.details_report(session, query, workers=1, progress=False)
    assert len(faulty.requests_log) == 1


def test_a_service_too_slow_to_answer_says_so(
    faulty: EmulatorServer, make_session: SessionFactory
) -> None:
    faulty.set_faults(FaultPlan(latency=1.0))
    session = make_session("UTC", server=faulty, timeout=0.2, **FAST)
    with pytest.raises(APIError, match="did not answer in time") as info:
        api.list_tags(session)
    assert info.value.status_code is None
