"""The client's endpoint functions and cache policy, against the emulator."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SessionFactory
from tt_notebook import api, fetch_worklogs
from tt_notebook.emulator import DEMO_MEMBER_TOKEN, EmulatorServer, Fault, FaultPlan
from tt_notebook.errors import APIError, NotFoundError

pytestmark = pytest.mark.integration


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    """A private emulator: these tests write worklogs and tags."""
    with EmulatorServer() as server:
        yield server


def report_bodies(server: EmulatorServer) -> list[tuple[str, str, int]]:
    return [
        (r.body["startDate"], r.body["endDate"], r.body["startAt"])
        for r in server.requests_log
        if r.path.endswith("/report/details")
    ]


def test_a_longer_range_fetches_only_the_months_not_yet_cached(
    server: EmulatorServer, make_session: SessionFactory
) -> None:
    session = make_session("Europe/Budapest", server=server)
    fetch_worklogs("2025-01-01", "2025-03-31", session=session)
    server.clear_log()
    df = fetch_worklogs("2025-01-01", "2025-04-30", session=session)
    assert {(a, b) for a, b, _ in report_bodies(server)} == {
        ("2025-04-01", "2025-04-30")
    }
    assert df["date"].min() == dt.datetime(2025, 1, 1)
    assert df["date"].max() == dt.datetime(2025, 4, 30)


def test_closed_ranges_are_kept_a_day_and_open_ones_minutes(
    server: EmulatorServer, make_session: SessionFactory
) -> None:
    session = make_session("UTC", server=server)
    today = dt.datetime.now(dt.UTC).date()
    fetch_worklogs("2025-02-01", "2025-02-28", session=session)
    fetch_worklogs(today.replace(day=1), today, session=session)
    lifetimes = {}
    for response in session.http.cache.responses.values():
        body = json.loads(response.request.body)
        lifetime = (response.expires - response.created_at).total_seconds()
        lifetimes[body["startDate"]] = round(lifetime)
    assert lifetimes == {"2025-02-01": 86400, today.replace(day=1).isoformat(): 300}


def test_a_worklog_written_through_the_client_shows_in_the_next_report(
    server: EmulatorServer, make_session: SessionFactory
) -> None:
    # The member's token: their own worklogs, reports of their own work.
    session = make_session("America/Sao_Paulo", DEMO_MEMBER_TOKEN, server=server)
    before = fetch_worklogs("2025-03-01", "2025-03-31", session=session)
    issue = server.org.issues[0]
    created = api.create_worklog(
        session,
        issue_id=issue.id,
        work_date="2025-03-18",
        start_time="23:30",
        duration=4200,
        description="Ünnepi átállás",
        billable=True,
    )
    wid = created["worklogId"]
    assert created["workDate"] == "2025-03-18"
    assert created["workStartTime"] == "23:30"

    after = fetch_worklogs("2025-03-01", "2025-03-31", session=session)
    assert len(after) == len(before) + 1
    row = after[after["worklog_id"] == wid].iloc[0]
    assert str(row["start"]) == "2025-03-18 23:30:00-03:00"
    assert row["date"] == dt.datetime(2025, 3, 18)
    assert row["duration"] == dt.timedelta(seconds=4200)

    updated = api.update_worklog(session, wid, duration=3600)
    assert updated["durationInSeconds"] == 3600
    again = fetch_worklogs("2025-03-01", "2025-03-31", session=session)
    assert again.loc[again["worklog_id"] == wid, "hours"].tolist() == [1.0]

    api.delete_worklog(session, wid)
    gone = fetch_worklogs("2025-03-01", "2025-03-31", session=session)
    assert len(gone) == len(before)
    with pytest.raises(NotFoundError):
        api.get_worklog(session, wid)
    with pytest.raises(NotFoundError):
        api.delete_worklog(session, wid)


def test_get_worklog_gives_wall_clock_values_in_the_session_zone(
    server: EmulatorServer, make_session: SessionFactory
) -> None:
    worklog = server.org.worklogs[100]
    for zone in ("UTC", "Asia/Kolkata"):
        got = api.get_worklog(make_session(zone, server=server), worklog.worklog_id)
        local = worklog.start.astimezone(zoneinfo.ZoneInfo(zone))
        assert got["worklogId"] == worklog.worklog_id
        assert got["workDate"] == local.date().isoformat()
        assert got["workStartTime"] == local.strftime("%H:%M")


def test_the_administrator_logs_work_on_behalf_of_a_person(
    server: EmulatorServer, make_session: SessionFactory
) -> None:
    person = server.org.people[3]
    created = api.create_worklog(
        make_session("UTC", server=server),
        issue_id=server.org.issues[5].id,
        work_date="2025-06-02",
        start_time="09:00",
        duration=1800,
        on_behalf_of=person.account_id,
    )
    assert server.org.worklog(created["worklogId"]).author_id == person.account_id


def test_a_write_is_not_retried_after_the_service_answered(
    server: EmulatorServer, make_session: SessionFactory
) -> None:
    server.set_faults(
        FaultPlan(
            [
                Fault("status", method="POST", path="/worklog", times=1, status=503),
            ]
        )
    )
    session = make_session("UTC", DEMO_MEMBER_TOKEN, server=server, backoff_factor=0.01)
    count = len(server.org.worklogs)
    with pytest.raises(APIError) as info:
        api.create_worklog(
            session,
            issue_id=server.org.issues[0].id,
            work_date="2025-05-05",
            duration=600,
        )
    assert info.value.status_code == 503
    assert [r.method for r in server.requests_log] == ["POST"]
    assert len(server.org.worklogs) == count


def test_tags_can_be_created_changed_archived_restored_and_deleted(
    server: EmulatorServer, make_session: SessionFactory
) -> None:
    session = make_session("UTC", server=server)
    before = api.list_tags(session)
    tag = api.create_tag(session, "spike", "Time-boxed research", color_index=3)
    assert tag["name"] == "spike"
    assert tag["archived"] is False
    assert len(api.list_tags(session)) == len(before) + 1  # not the cached list
    changed = api.update_tag(session, tag["id"], "spikes", "Research spikes")
    assert changed["name"] == "spikes"
    assert api.archive_tag(session, tag["id"])["archived"] is True
    assert tag["id"] in [t["id"] for t in api.list_tags(session, archived=True)]
    assert api.restore_tag(session, tag["id"])["archived"] is False
    api.delete_tag(session, tag["id"])
    assert [t["id"] for t in api.list_tags(session)] == [t["id"] for t in before]


def test_summary_and_fillchecker_answer_through_the_client(
    server: EmulatorServer, make_session: SessionFactory
) -> None:
    session = make_session("Europe/Budapest", server=server)
    query = api.DetailsQuery.build("2025-03-03", "2025-03-09")
    summary = api.summary_report(session, query, views=["userView", "projectView"])
    details = api.details_report(session, query)
    total = sum(r["worklog"]["durationInSeconds"] for r in details)
    assert sum(u["totalLogged"] for u in summary["userView"]) == total
    assert sum(p["totalLogged"] for p in summary["projectView"]) == total

    people = [p.account_id for p in server.org.people[:2]]
    reports = api.fillchecker_report(session, "2025-03-03", "2025-03-09", users=people)
    assert sorted(r["accountId"] for r in reports) == sorted(people)
    assert [d["date"] for d in reports[0]["daySummaries"]] == [
        f"2025-03-0{d}" for d in range(3, 10)
    ]


def test_progress_bar_shows_pages_for_long_fetches(
    server: EmulatorServer,
    make_session: SessionFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    session = make_session("UTC", server=server)
    api.details_report(
        session, api.DetailsQuery.build("2025-01-01", "2025-02-28"), page_size=500
    )
    err = capsys.readouterr().err
    assert "worklogs: 100%" in err
    assert "page" in err
    api.details_report(
        session,
        api.DetailsQuery.build("2025-05-01", "2025-05-31"),
        page_size=500,
        progress=False,
    )
    assert capsys.readouterr().err == ""


def test_a_cell_run_again_gets_its_own_copy_of_the_same_frame(
    server: EmulatorServer, make_session: SessionFactory
) -> None:
    session = make_session("UTC", server=server)
    first = fetch_worklogs("2025-02-01", "2025-02-28", session=session)
    server.clear_log()
    first.loc[0, "hours"] = -1.0
    first["tags"].iloc[0].append("changed by the caller")
    second = fetch_worklogs("2025-02-01", "2025-02-28", session=session)
    assert server.requests_log == []
    assert second.loc[0, "hours"] != -1.0
    assert "changed by the caller" not in second["tags"].iloc[0]
    assert len(second) == len(first)


def test_a_write_from_another_session_on_the_same_cache_is_seen(
    server: EmulatorServer, make_session: SessionFactory, tmp_path: Path
) -> None:
    shared = tmp_path / "shared"
    reader = make_session("UTC", server=server, cache_dir=shared)
    writer = make_session("UTC", DEMO_MEMBER_TOKEN, server=server, cache_dir=shared)
    before = fetch_worklogs("2025-02-01", "2025-02-28", session=reader)
    created = api.create_worklog(
        writer, issue_id=server.org.issues[1].id, work_date="2025-02-12", duration=60
    )
    after = fetch_worklogs("2025-02-01", "2025-02-28", session=reader)
    assert len(after) == len(before) + 1
    assert created["worklogId"] in set(after["worklog_id"])
