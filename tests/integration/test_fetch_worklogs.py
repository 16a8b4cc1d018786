"""fetch_worklogs over loopback against the emulator, with a real SQLite cache."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import SessionFactory
from tt_notebook import api, fetch_worklogs
from tt_notebook.emulator import (
    DEMO_MEMBER_TOKEN,
    DEMO_TOKEN,
    EmulatorServer,
    Issue,
    Organisation,
    Person,
    Project,
)
from tt_notebook.errors import AuthenticationError, ConfigurationError, ValidationError
from tt_notebook.frames import WORKLOG_COLUMNS

pytestmark = pytest.mark.integration


def expected_seconds(
    org: Organisation, start: dt.date, end: dt.date, zone: str, users: set[str]
) -> tuple[int, int]:
    """Count and total seconds of the worklogs whose local start day is in range.

    Computed from the organisation directly, not through the emulator's own
    filtering code, so the two can disagree.
    """
    tz = zoneinfo.ZoneInfo(zone)
    chosen = [
        w
        for w in org.worklogs
        if start <= w.start.astimezone(tz).date() <= end and w.author_id in users
    ]
    return len(chosen), sum(w.duration_seconds for w in chosen)


def test_hours_equal_the_emulators_worklogs_to_the_second(
    emulator: EmulatorServer, make_session: SessionFactory
) -> None:
    zone = "America/New_York"
    people = [p.account_id for p in emulator.org.people[:3]]
    session = make_session(zone)

    df = fetch_worklogs("2025-02-20", "2025-04-10", users=people, session=session)

    count, seconds = expected_seconds(
        emulator.org, dt.date(2025, 2, 20), dt.date(2025, 4, 10), zone, set(people)
    )
    assert count > 300
    assert len(df) == count
    assert df["worklog_id"].is_unique
    assert int(df["duration"].sum().total_seconds()) == seconds
    assert df["hours"].sum() == pytest.approx(seconds / 3600, abs=1e-9)
    assert set(df["author_id"].astype(str)) == set(people)
    assert str(df["start"].dtype) == "datetime64[ns, America/New_York]"


def test_whole_year_in_small_pages_matches_the_organisation(
    emulator: EmulatorServer, make_session: SessionFactory
) -> None:
    session = make_session("Asia/Kolkata")
    query = api.DetailsQuery.build("2025-01-01", "2025-12-31")
    rows = api.details_report(session, query, page_size=700, progress=False)
    everyone = {p.account_id for p in emulator.org.people}
    count, _ = expected_seconds(
        emulator.org,
        dt.date(2025, 1, 1),
        dt.date(2025, 12, 31),
        "Asia/Kolkata",
        everyone,
    )
    assert len(rows) == count
    assert len({r["worklog"]["id"] for r in rows}) == count


def test_project_and_billable_filters_are_applied(
    emulator: EmulatorServer, make_session: SessionFactory
) -> None:
    project = next(p for p in emulator.org.projects if not p.non_working)
    df = fetch_worklogs(
        "2025-05-01",
        "2025-05-31",
        projects=[project.id],
        billable=True,
        session=make_session("UTC"),
    )
    assert len(df) > 0
    assert set(df["project_key"].astype(str)) == {project.key}
    assert df["billable"].all()


@pytest.fixture
def midnight_server() -> Iterator[EmulatorServer]:
    """A tiny organisation with worklogs at local midnight in New York."""
    tz = zoneinfo.ZoneInfo("America/New_York")
    org = Organisation(
        people=[Person("712020:ny", "Noor", "America/New_York", (), False, 8.0)],
        projects=[Project("10000", "OPS", "Operations", False)],
        issues=[Issue(20001, "OPS-1", "Night shift", "10000")],
        tags=[],
    )
    for day, minutes in [(1, 30), (2, 60), (3, 90), (4, 120)]:
        org.add_worklog(
            20001,
            "712020:ny",
            dt.datetime(2025, 11, day, 0, 0, tzinfo=tz),
            minutes * 60,
        )
    # One minute before the range starts, local time.
    org.add_worklog(
        20001,
        "712020:ny",
        dt.datetime(2025, 11, 1, 23, 59, tzinfo=tz) - dt.timedelta(days=1),
        60,
    )
    with EmulatorServer(org) as server:
        yield server


def test_local_midnight_of_the_first_day_is_in_and_of_the_day_after_is_out(
    midnight_server: EmulatorServer, make_session: SessionFactory
) -> None:
    # 1 to 3 November 2025 in New York; the clocks fall back on 2 November.
    session = make_session("America/New_York", server=midnight_server)
    df = fetch_worklogs("2025-11-01", "2025-11-03", session=session)
    assert [str(s) for s in df["start"]] == [
        "2025-11-01 00:00:00-04:00",
        "2025-11-02 00:00:00-04:00",
        "2025-11-03 00:00:00-05:00",
    ]
    assert df["hours"].tolist() == [0.5, 1.0, 1.5]
    assert df["date"].tolist() == [pd.Timestamp(f"2025-11-0{d}") for d in (1, 2, 3)]

    # The same days in UTC are other instants: 00:00 New York is 04:00/05:00 UTC.
    utc = fetch_worklogs(
        "2025-11-01", "2025-11-03", session=make_session("UTC", server=midnight_server)
    )
    assert utc["hours"].tolist() == [0.0 + 1 / 60, 0.5, 1.0, 1.5]


def test_an_empty_range_has_every_column_and_dtype(
    make_session: SessionFactory,
) -> None:
    df = fetch_worklogs(
        "2030-01-01", "2030-01-31", session=make_session("Europe/Budapest")
    )
    full = fetch_worklogs(
        "2025-01-06", "2025-01-06", session=make_session("Europe/Budapest")
    )
    assert len(df) == 0
    assert list(df.columns) == list(WORKLOG_COLUMNS)
    assert len(full) > 0
    assert df.dtypes.astype(str).to_dict() == full.dtypes.astype(str).to_dict()


def test_deleted_author_has_no_name_but_keeps_hours(
    emulator: EmulatorServer, make_session: SessionFactory
) -> None:
    deleted = next(p for p in emulator.org.people if p.deleted)
    df = fetch_worklogs(
        "2025-01-01",
        "2025-03-31",
        users=[deleted.account_id],
        session=make_session("UTC"),
    )
    assert len(df) > 0
    assert df["author"].isna().all()
    assert set(df["author_id"].astype(str)) == {deleted.account_id}


def test_second_fetch_is_answered_from_the_cache(
    emulator: EmulatorServer, make_session: SessionFactory
) -> None:
    session = make_session("Europe/London")
    emulator.clear_log()
    first = fetch_worklogs("2025-06-01", "2025-07-31", session=session)
    sent = len(emulator.requests_log)
    second = fetch_worklogs("2025-06-01", "2025-07-31", session=session)
    assert sent >= 2  # one month chunk at least each
    assert len(emulator.requests_log) == sent
    pd.testing.assert_frame_equal(first, second)


def test_refresh_asks_the_service_again(
    emulator: EmulatorServer, make_session: SessionFactory
) -> None:
    session = make_session("Europe/London")
    fetch_worklogs("2025-06-01", "2025-06-30", session=session)
    emulator.clear_log()
    fetch_worklogs("2025-06-01", "2025-06-30", session=session, refresh=True)
    assert len(emulator.requests_log) >= 1


def test_time_zone_is_part_of_the_cache_key(
    emulator: EmulatorServer, make_session: SessionFactory, tmp_path: Path
) -> None:
    shared = tmp_path / "shared-cache"
    budapest = make_session("Europe/Budapest", cache_dir=shared)
    fetch_worklogs("2025-08-01", "2025-08-31", session=budapest)
    emulator.clear_log()
    sao_paulo = make_session("America/Sao_Paulo", cache_dir=shared)
    df = fetch_worklogs("2025-08-01", "2025-08-31", session=sao_paulo)
    assert len(emulator.requests_log) >= 1
    assert {r[4] for r in emulator.requests_log} == {"America/Sao_Paulo"}
    assert str(df["start"].dtype) == "datetime64[ns, America/Sao_Paulo]"


def test_two_tokens_never_share_cached_rows(
    emulator: EmulatorServer, make_session: SessionFactory, tmp_path: Path
) -> None:
    shared = tmp_path / "shared-cache"
    admin = fetch_worklogs(
        "2025-09-01", "2025-09-30", session=make_session("UTC", cache_dir=shared)
    )
    emulator.clear_log()
    member = fetch_worklogs(
        "2025-09-01",
        "2025-09-30",
        session=make_session("UTC", DEMO_MEMBER_TOKEN, cache_dir=shared),
    )
    who = emulator.token_account(DEMO_MEMBER_TOKEN)
    assert len(emulator.requests_log) >= 1  # not served from the admin's entries
    assert set(member["author_id"].astype(str)) == {who}
    assert 0 < len(member) < len(admin)


def test_cache_file_holds_no_trace_of_the_token(
    emulator: EmulatorServer, make_session: SessionFactory, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    session = make_session("Europe/Budapest", cache_dir=cache)
    df = fetch_worklogs("2025-10-01", "2025-10-31", session=session)
    api.list_tags(session)
    session.close()
    files = sorted(p for p in cache.iterdir() if p.is_file())
    assert [p.name for p in files if p.suffix == ".sqlite"] == ["http_cache.sqlite"]
    data = b"".join(p.read_bytes() for p in files)
    assert len(df) > 0
    assert len(data) > 100_000
    for needle in (DEMO_TOKEN, DEMO_TOKEN.upper()):
        assert needle.encode() not in data
        assert needle.encode("utf-16-le") not in data


def test_unknown_token_raises_authentication_error(
    make_session: SessionFactory,
) -> None:
    session = make_session("UTC", token="not-a-demo-token")
    with pytest.raises(AuthenticationError) as info:
        fetch_worklogs("2025-01-01", "2025-01-31", session=session)
    assert "My Preferences > REST API" in str(info.value)
    assert "not-a-demo-token" not in str(info.value)


def test_server_field_errors_reach_the_caller(make_session: SessionFactory) -> None:
    session = make_session("UTC")
    body = {"startAt": 0, "startDate": "2025-13-01", "endDate": "2025-01-31"}
    with pytest.raises(ValidationError) as info:
        api.request_json(session, "POST", "/report/details", json=body)
    assert info.value.field_errors == [
        {"errorType": "InvalidFormat", "paths": [["startDate"]]}
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": "2025-02-01", "end": "2025-01-01"}, "is after end"),
        ({"start": "2025-02-30", "end": "2025-03-01"}, "is not a date"),
        ({"projects": ["WEB"]}, "numeric Jira project ids"),
        ({"users": "712020:abc"}, "users takes a list"),
        ({"billable": "yes"}, "True, False or None"),
    ],
)
def test_bad_arguments_fail_before_any_request(
    emulator: EmulatorServer,
    make_session: SessionFactory,
    kwargs: dict[str, object],
    message: str,
) -> None:
    args: dict[str, object] = {"start": "2025-01-01", "end": "2025-01-31", **kwargs}
    emulator.clear_log()
    with pytest.raises(ConfigurationError, match=message):
        fetch_worklogs(session=make_session("UTC"), **args)  # type: ignore[arg-type]
    assert emulator.requests_log == []


def test_readers_without_a_session_say_how_to_connect() -> None:
    with pytest.raises(ConfigurationError, match=r"tt_notebook\.connect"):
        fetch_worklogs("2025-01-01", "2025-01-31")


def test_an_empty_filter_list_gives_an_empty_frame_without_asking(
    emulator: EmulatorServer, make_session: SessionFactory
) -> None:
    emulator.clear_log()
    df = fetch_worklogs("2025-03-01", "2025-03-31", users=[], session=make_session())
    assert len(df) == 0
    assert list(df.columns) == list(WORKLOG_COLUMNS)
    assert emulator.requests_log == []
