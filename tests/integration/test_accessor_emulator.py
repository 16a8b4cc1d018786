"""df.tt on worklogs fetched from the emulator, checked against its organisation.

Expected values are computed from ``emulator.org`` directly (each worklog's
start converted to the zone with the standard library), not through the
accessor or the emulator's report code, so the two can disagree.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict

import pandas as pd
import pytest

import tt_notebook as tt
from tests.conftest import SessionFactory
from tt_notebook.accessor import UNTAGGED
from tt_notebook.emulator import EmulatorServer, Organisation

pytestmark = pytest.mark.integration


def seconds_by(
    org: Organisation, zone: str, first: str, last: str, key: str
) -> dict[object, int]:
    """Seconds per local day, local hour, person or tag, from the organisation."""
    tz = zoneinfo.ZoneInfo(zone)
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    tags = {t.id: t.name for t in org.tags}
    sums: dict[object, int] = defaultdict(int)
    for w in org.worklogs:
        local = w.start.astimezone(tz)
        if not start <= local.date() <= end:
            continue
        if key == "date":
            sums[pd.Timestamp(local.date())] += w.duration_seconds
        elif key == "hour":
            hour = local.replace(minute=0, second=0, microsecond=0)
            sums[pd.Timestamp(hour).tz_convert(zone)] += w.duration_seconds
        elif key == "author":
            sums[w.author_id] += w.duration_seconds
        else:
            for name in [tags[i] for i in w.tag_ids] or [UNTAGGED]:
                sums[name] += w.duration_seconds
    return dict(sums)


def exact(sums: pd.Series) -> dict[object, int]:
    """Whole seconds of a duration Series, dropping zeros."""
    return {k: int(v.total_seconds()) for k, v in sums.items() if v != pd.Timedelta(0)}


def test_daily_totals_across_the_spring_change_in_budapest_match_to_the_second(
    emulator: EmulatorServer, make_session: SessionFactory
) -> None:
    zone = "Europe/Budapest"
    df = tt.fetch_worklogs("2025-03-24", "2025-04-06", session=make_session(zone))
    daily = df.tt.totals(freq="D", values="duration")
    assert len(daily) == 14  # every day, the weekend ones included
    assert exact(daily) == seconds_by(
        emulator.org, zone, "2025-03-24", "2025-04-06", "date"
    )
    assert daily.sum() == df["duration"].sum()


@pytest.mark.parametrize(
    ("zone", "day", "hours"),
    [
        ("Europe/Budapest", "2025-03-30", 23),
        ("America/New_York", "2025-11-02", 25),
        ("America/New_York", "2025-03-09", 23),
        ("Europe/Budapest", "2025-10-26", 25),
    ],
)
def test_the_hourly_view_of_a_clock_change_day_has_23_or_25_hours(
    emulator: EmulatorServer,
    make_session: SessionFactory,
    zone: str,
    day: str,
    hours: int,
) -> None:
    df = tt.fetch_worklogs(day, day, session=make_session(zone))
    hourly = df.tt.totals(freq="h", values="duration")
    assert len(hourly) == hours
    assert hourly.index.is_unique
    assert exact(hourly) == seconds_by(emulator.org, zone, day, day, "hour")
    assert hourly.sum() == df.tt.totals(freq="D", values="duration").iloc[0]


def test_person_and_tag_totals_match_the_organisation(
    emulator: EmulatorServer, make_session: SessionFactory
) -> None:
    zone = "Asia/Kolkata"
    df = tt.fetch_worklogs("2025-05-01", "2025-05-31", session=make_session(zone))
    org = emulator.org
    by_id = exact(df.tt.totals(by="author_id", values="duration"))
    assert by_id == seconds_by(org, zone, "2025-05-01", "2025-05-31", "author")
    by_tag = exact(df.tt.totals(by="tag", values="duration"))
    assert by_tag == seconds_by(org, zone, "2025-05-01", "2025-05-31", "tag")
    # Labels: names, and the deleted user under the account id.
    deleted = next(p for p in org.people if p.deleted)
    labels = set(df.tt.totals(by="author").index)
    assert deleted.account_id in labels
    assert {p.name for p in org.people if p.name} <= labels


def test_a_filtered_frame_shows_only_its_own_groups(
    make_session: SessionFactory,
) -> None:
    df = tt.fetch_worklogs("2025-06-01", "2025-06-30", session=make_session("UTC"))
    web = df[df["project_key"] == "WEB"]
    assert len(web["project_key"].cat.categories) > 1  # the frame keeps them all
    assert web.tt.totals(by="project").index.tolist() == ["WEB"]
    assert web.tt.billable_share(by="project").index.tolist() == ["WEB"]
    assert web.tt.totals(by="project", freq="W").columns.tolist() == ["WEB"]
    people = set(web["author"].dropna().astype(str)) | set(
        web.loc[web["author"].isna(), "author_id"].astype(str)
    )
    assert set(web.tt.pivot("author", "month").index) == people
    assert not web.tt.pivot("author", "date").isna().any().any()


def test_worked_and_absent_hours_add_up_to_every_worklog(
    emulator: EmulatorServer, make_session: SessionFactory
) -> None:
    zone = "Europe/London"
    df = tt.fetch_worklogs("2025-07-01", "2025-07-31", session=make_session(zone))
    leave = [p.key for p in emulator.org.projects if p.non_working]
    calendar = tt.WorkCalendar(non_working_projects=leave)
    table = df.tt.expected_vs_actual(calendar)
    assert len(table) == 31 * df["author_id"].nunique()
    logged = table["actual_hours"].sum() + table["absence_hours"].sum()
    assert logged == pytest.approx(
        df["duration"].sum() / pd.Timedelta(hours=1), abs=1e-9
    )
    on_leave = df.loc[df["project_key"].isin(leave), "duration"].sum()
    assert table["absence_hours"].sum() == pytest.approx(
        on_leave / pd.Timedelta(hours=1)
    )
    assert (table["expected_hours"] >= 0).all()


def test_each_person_counted_on_the_days_of_their_own_zone(
    emulator: EmulatorServer, make_session: SessionFactory
) -> None:
    # Fetched in UTC with a margin, so no one's local day is cut off at the edges.
    df = tt.fetch_worklogs("2025-02-27", "2025-03-12", session=make_session("UTC"))
    org = emulator.org
    zones = {p.account_id: p.timezone for p in org.people}
    calendar = tt.WorkCalendar(people={a: {"timezone": z} for a, z in zones.items()})
    grid = df.tt.expected_vs_actual(calendar)
    inner = grid[grid["date"].between("2025-03-03", "2025-03-09")]
    got = {
        (a, d): round(h * 3600)
        for a, d, h in zip(
            inner["author_id"], inner["date"], inner["actual_hours"], strict=True
        )
        if h
    }
    want: dict[tuple[str, pd.Timestamp], int] = defaultdict(int)
    for w in org.worklogs:
        local = w.start.astimezone(zoneinfo.ZoneInfo(zones[w.author_id])).date()
        if dt.date(2025, 3, 3) <= local <= dt.date(2025, 3, 9):
            want[(w.author_id, pd.Timestamp(local))] += w.duration_seconds
    assert got == dict(want)
