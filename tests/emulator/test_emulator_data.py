"""The seeded organisation: what it contains, and that it is reproducible."""

from __future__ import annotations

import collections
import itertools
import re
import threading
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tt_notebook.emulator import (
    Issue,
    Organisation,
    Person,
    Project,
    Tag,
    Worklog,
    build_organisation,
    local_to_utc,
)

BUDAPEST = ZoneInfo("Europe/Budapest")
NEW_YORK = ZoneInfo("America/New_York")


def local(worklog: Worklog, org: Organisation) -> datetime:
    """The worklog's start on its author's own wall clock."""
    return worklog.start.astimezone(ZoneInfo(org.person(worklog.author_id).timezone))


def by_name(org: Organisation, name: str) -> Person:
    return next(p for p in org.people if p.name == name)


def project_key(org: Organisation, worklog: Worklog) -> str:
    return org.project(org.issue(worklog.issue_id).project_id).key


# -- size and reference data --------------------------------------------------


def test_default_organisation_has_the_documented_size(demo_org: Organisation) -> None:
    assert len(demo_org.people) == 18
    assert len(demo_org.projects) == 7
    assert len(demo_org.issues) == 139
    assert len(demo_org.tags) == 10
    assert len(demo_org.worklogs) == 18971


def test_people_work_in_nine_time_zones(demo_org: Organisation) -> None:
    zones = collections.Counter(p.timezone for p in demo_org.people)
    assert zones == {
        "Europe/Budapest": 3,
        "Europe/Warsaw": 1,
        "Europe/Berlin": 2,
        "Europe/Paris": 1,
        "Europe/London": 2,
        "America/New_York": 4,
        "America/Sao_Paulo": 2,
        "Asia/Kolkata": 2,
        "Asia/Tokyo": 1,
    }


def test_names_include_non_ascii_letters(demo_org: Organisation) -> None:
    names = {p.name for p in demo_org.people}
    assert {"Zoltán Kovács", "Łucja Wiśniewska", "José Núñez", "Zoë Fischer"} <= names


def test_account_ids_look_like_atlassian_ids(demo_org: Organisation) -> None:
    pattern = re.compile(
        r"712020:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
    )
    assert all(pattern.match(p.account_id) for p in demo_org.people)
    assert demo_org.people[0].account_id == (
        "712020:d66887a3-a556-4782-952b-f8818ec8d8bc"
    )


def test_groups_and_the_part_timer(demo_org: Organisation) -> None:
    groups = collections.Counter(g for p in demo_org.people for g in p.groups)
    assert groups == {
        "developers": 9,
        "consultants": 5,
        "support": 4,
        "team-leads": 1,
    }
    part_timers = [(p.name, p.hours_per_day) for p in demo_org.people]
    assert [pt for pt in part_timers if pt[1] != 8.0] == [("Jürgen Müller", 6.0)]


def test_one_deleted_user_without_name_whose_worklogs_stop_mid_year(
    demo_org: Organisation,
) -> None:
    deleted = [p for p in demo_org.people if p.deleted]
    assert len(deleted) == 1
    assert deleted[0].name is None
    assert deleted[0].timezone == "America/New_York"
    own = [w for w in demo_org.worklogs if w.author_id == deleted[0].account_id]
    assert len(own) == 556
    assert max(local(w, demo_org).date() for w in own) == date(2025, 7, 2)


def test_projects_include_one_non_working_leave_project(
    demo_org: Organisation,
) -> None:
    assert [(p.id, p.key, p.non_working) for p in demo_org.projects] == [
        ("10000", "WEB", False),
        ("10001", "MOB", False),
        ("10002", "OPS", False),
        ("10003", "DATA", False),
        ("10004", "INT", False),
        ("10005", "SUP", False),
        ("10006", "LEAVE", True),
    ]
    assert demo_org.project("10006").name == "Leave & absence"


def test_issues_have_keys_of_their_project_and_numeric_ids(
    demo_org: Organisation,
) -> None:
    assert [i.id for i in demo_org.issues] == list(range(20001, 20140))
    for issue in demo_org.issues:
        key = demo_org.project(issue.project_id).key
        assert re.fullmatch(rf"{key}-[0-9]+", issue.key)
    summaries = {i.summary for i in demo_org.issues}
    assert {"Übersetzung der Oberfläche", "Café checkout flow", "Vacation"} <= summaries
    assert demo_org.issue(20001) == Issue(20001, "WEB-4", "Fix gift cards", "10000")


def test_tags_include_one_archived_and_default_colours(
    demo_org: Organisation,
) -> None:
    assert [t.name for t in demo_org.tags] == [
        "development",
        "meeting",
        "review",
        "support",
        "research",
        "testing",
        "travel",
        "admin",
        "on-call",
        "documentation",
    ]
    assert [t.id for t in demo_org.tags if t.archived] == [8]
    assert [t.id for t in demo_org.tags if t.color_index is None] == [1, 4, 10]


# -- worklogs: shape ----------------------------------------------------------


def test_worklogs_are_sorted_with_sequential_ids(demo_org: Organisation) -> None:
    logs = demo_org.worklogs
    assert [w.worklog_id for w in logs] == list(range(1, 18972))
    assert all(a.start <= b.start for a, b in itertools.pairwise(logs))
    assert all(w.start.utcoffset() == timedelta(0) for w in logs)
    jira_ids = [w.jira_worklog_id for w in logs]
    assert jira_ids == sorted(set(jira_ids))


def test_first_and_last_worklog_of_the_default_year(demo_org: Organisation) -> None:
    assert demo_org.worklogs[0] == Worklog(
        worklog_id=1,
        jira_worklog_id=310001,
        issue_id=20045,
        author_id="712020:162b1977-5e32-42d0-b80d-fb898d7f51aa",
        start=datetime(2025, 1, 1, 4, 5, tzinfo=UTC),
        duration_seconds=6300,
        description="",
        billable=False,
        tag_ids=(),
        created=datetime(2025, 1, 1, 6, 15, tzinfo=UTC),
        updated=None,
    )
    last = demo_org.worklogs[-1]
    assert (last.worklog_id, last.start, last.duration_seconds) == (
        18971,
        datetime(2025, 12, 31, 22, 16, tzinfo=UTC),
        4800,
    )


def test_durations_are_mostly_whole_minutes_between_15_min_and_4_h(
    demo_org: Organisation,
) -> None:
    work = [w for w in demo_org.worklogs if project_key(demo_org, w) != "LEAVE"]
    assert min(w.duration_seconds for w in work) == 900
    assert max(w.duration_seconds for w in work) <= 4 * 3600 + 59
    whole = sum(w.duration_seconds % 60 == 0 for w in demo_org.worklogs)
    assert whole / len(demo_org.worklogs) > 0.98


def test_each_working_day_has_two_to_seven_pieces_of_normal_work(
    demo_org: Organisation,
) -> None:
    # Late and midnight extras come on top of the 2-7 pieces of the day.
    pieces: collections.Counter[tuple[str, date]] = collections.Counter()
    for w in demo_org.worklogs:
        start = local(w, demo_org)
        if project_key(demo_org, w) != "LEAVE" and start.hour not in (0, 23):
            pieces[(w.author_id, start.date())] += 1
    weekday = {k: n for k, n in pieces.items() if k[1].weekday() < 5}
    assert set(weekday.values()) <= set(range(1, 8))
    assert sum(2 <= n <= 7 for n in weekday.values()) / len(weekday) > 0.99


def test_days_vary_in_length(demo_org: Organisation) -> None:
    seconds: collections.Counter[tuple[str, date]] = collections.Counter()
    for w in demo_org.worklogs:
        if project_key(demo_org, w) != "LEAVE":
            seconds[(w.author_id, local(w, demo_org).date())] += w.duration_seconds
    hours = [s / 3600 for s in seconds.values()]
    assert sum(h >= 10 for h in hours) > 200
    assert sum(h < 6 for h in hours) > 300


def test_billable_share_follows_the_project(demo_org: Organisation) -> None:
    share: dict[str, list[bool]] = collections.defaultdict(list)
    for w in demo_org.worklogs:
        share[project_key(demo_org, w)].append(w.billable)
    ratio = {key: sum(flags) / len(flags) for key, flags in share.items()}
    assert ratio["WEB"] > 0.85
    assert ratio["MOB"] > 0.8
    assert ratio["INT"] < 0.1
    assert ratio["LEAVE"] == 0.0


def test_worklogs_carry_zero_to_two_distinct_tags(demo_org: Organisation) -> None:
    counts = collections.Counter(len(w.tag_ids) for w in demo_org.worklogs)
    assert set(counts) == {0, 1, 2}
    assert all(len(set(w.tag_ids)) == len(w.tag_ids) for w in demo_org.worklogs)


def test_descriptions_include_empty_and_non_ascii_texts(
    demo_org: Organisation,
) -> None:
    texts = collections.Counter(w.description for w in demo_org.worklogs)
    assert 0.05 < texts[""] / len(demo_org.worklogs) < 0.25
    for text in ("Code-Review für Zoë", "Réunion d'équipe", "修正 bug", "Deploy 🚀"):
        assert texts[text] > 100


# -- worklogs: the calendar ---------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "holiday"),
    [
        ("Europe/Budapest", date(2025, 5, 1)),
        ("Europe/London", date(2025, 12, 25)),
        ("America/New_York", date(2025, 7, 4)),
        ("America/New_York", date(2025, 11, 27)),
    ],
)
def test_nobody_logs_on_a_public_holiday_of_their_zone(
    demo_org: Organisation, zone: str, holiday: date
) -> None:
    people = {p.account_id for p in demo_org.people if p.timezone == zone}
    on_holiday = [
        w
        for w in demo_org.worklogs
        if w.author_id in people and local(w, demo_org).date() == holiday
    ]
    assert on_holiday == []


def test_vacations_are_full_non_billable_days_on_leave(
    demo_org: Organisation,
) -> None:
    vacation = next(i for i in demo_org.issues if i.summary == "Vacation")
    days: collections.Counter[str] = collections.Counter()
    for w in demo_org.worklogs:
        if w.issue_id == vacation.id:
            person = demo_org.person(w.author_id)
            assert w.duration_seconds == person.hours_per_day * 3600
            assert not w.billable
            days[w.author_id] += 1
    active = [p for p in demo_org.people if not p.deleted]
    assert all(days[p.account_id] == 21 for p in active)


def test_some_working_days_have_nothing_logged(demo_org: Organisation) -> None:
    zoltan = by_name(demo_org, "Zoltán Kovács")
    logged = {
        local(w, demo_org).date()
        for w in demo_org.worklogs
        if w.author_id == zoltan.account_id
    }
    weekdays = [
        date(2025, 1, 1) + timedelta(days=n)
        for n in range(365)
        if (date(2025, 1, 1) + timedelta(days=n)).weekday() < 5
    ]
    # 261 weekdays: 7 are Hungarian holidays, 10 sick or missed days.
    assert len(weekdays) == 261
    assert len([d for d in weekdays if d not in logged]) == 17


def test_weekend_work_is_on_call_duty_only(demo_org: Organisation) -> None:
    on_call = demo_org.issue(
        next(i.id for i in demo_org.issues if i.summary == "On-call rotation")
    )
    weekend = [w for w in demo_org.worklogs if local(w, demo_org).weekday() >= 5]
    assert len(weekend) == 47
    assert {w.issue_id for w in weekend} == {on_call.id}
    assert {demo_org.person(w.author_id).name for w in weekend} == {
        "Ákos Szabó",
        "Łucja Wiśniewska",
        "Siobhán O'Connor",
        "Marcus Johnson",
        "Grace Kim",
    }


def test_work_near_and_across_local_midnight_in_four_zones(
    demo_org: Organisation,
) -> None:
    late, across, at_midnight = set(), set(), set()
    for w in demo_org.worklogs:
        start = local(w, demo_org)
        zone = demo_org.person(w.author_id).timezone
        if start.hour == 23:
            late.add(zone)
            if (start + timedelta(seconds=w.duration_seconds)).date() > start.date():
                across.add(zone)
        if (start.hour, start.minute) == (0, 0):
            at_midnight.add(zone)
    zones = {"Europe/Budapest", "America/New_York", "America/Sao_Paulo", "Asia/Kolkata"}
    assert late == zones
    assert across == zones
    assert at_midnight == zones


def _day_of(org: Organisation, name: str, day: date) -> list[tuple[str, int]]:
    person = by_name(org, name)
    return [
        (local(w, org).isoformat(), w.duration_seconds)
        for w in org.worklogs
        if w.author_id == person.account_id and local(w, org).date() == day
    ]


def test_europe_on_call_works_across_both_dst_changes(
    demo_org: Organisation,
) -> None:
    # Spring: 02:00 becomes 03:00; 02:40 does not exist and moves forward.
    assert _day_of(demo_org, "Ákos Szabó", date(2025, 3, 30)) == [
        ("2025-03-30T01:30:00+01:00", 3600),
        ("2025-03-30T03:40:00+02:00", 1800),
    ]
    # Autumn: 02:00-02:59 happens twice; the second entry is the second 02:40.
    assert _day_of(demo_org, "Ákos Szabó", date(2025, 10, 26)) == [
        ("2025-10-26T01:30:00+02:00", 3600),
        ("2025-10-26T02:40:00+01:00", 2400),
    ]
    assert _day_of(demo_org, "Siobhán O'Connor", date(2025, 3, 30)) == [
        ("2025-03-30T00:30:00+00:00", 3600),
        ("2025-03-30T02:40:00+01:00", 1800),
    ]


def test_new_york_on_call_works_across_both_dst_changes(
    demo_org: Organisation,
) -> None:
    assert _day_of(demo_org, "Grace Kim", date(2025, 3, 9)) == [
        ("2025-03-09T01:30:00-05:00", 3600),
        ("2025-03-09T03:40:00-04:00", 1800),
    ]
    assert _day_of(demo_org, "Grace Kim", date(2025, 11, 2)) == [
        ("2025-11-02T00:30:00-04:00", 3600),
        ("2025-11-02T01:40:00-05:00", 2400),
    ]


# -- determinism and periods --------------------------------------------------


def test_same_seed_gives_an_equal_organisation(demo_org: Organisation) -> None:
    assert build_organisation() == demo_org


def test_another_seed_gives_other_people_and_worklogs(
    demo_org: Organisation,
) -> None:
    other = build_organisation(seed=2026)
    assert other != demo_org
    assert other.people[0].name == demo_org.people[0].name
    assert other.people[0].account_id != demo_org.people[0].account_id
    assert len(other.worklogs) != len(demo_org.worklogs)


def test_building_the_default_year_takes_well_under_two_seconds() -> None:
    started = time.perf_counter()
    build_organisation()
    assert time.perf_counter() - started < 2.0


def test_a_short_period_keeps_every_start_inside_it() -> None:
    org = build_organisation(start=date(2025, 3, 1), end=date(2025, 3, 31))
    days = {local(w, org).date() for w in org.worklogs}
    assert min(days) == date(2025, 3, 1)
    assert max(days) == date(2025, 3, 31)
    assert len(org.worklogs) == 1583


def test_end_before_start_is_refused() -> None:
    with pytest.raises(ValueError, match="before start"):
        build_organisation(start=date(2025, 2, 1), end=date(2025, 1, 31))


# -- local time ---------------------------------------------------------------


def test_local_to_utc_moves_a_skipped_time_forward() -> None:
    assert local_to_utc(date(2025, 3, 30), 2 * 60 + 30, BUDAPEST) == datetime(
        2025, 3, 30, 1, 30, tzinfo=UTC
    )


def test_local_to_utc_picks_the_occurrence_of_a_repeated_time() -> None:
    first = local_to_utc(date(2025, 11, 2), 90, NEW_YORK)
    second = local_to_utc(date(2025, 11, 2), 90, NEW_YORK, fold=1)
    assert first == datetime(2025, 11, 2, 5, 30, tzinfo=UTC)
    assert second == datetime(2025, 11, 2, 6, 30, tzinfo=UTC)


def test_local_to_utc_rolls_minutes_past_midnight_into_the_next_day() -> None:
    assert local_to_utc(date(2025, 6, 1), 24 * 60 + 10, BUDAPEST) == datetime(
        2025, 6, 1, 22, 10, tzinfo=UTC
    )


# -- organisations by hand ----------------------------------------------------


def tiny() -> Organisation:
    return Organisation(
        people=[Person("712020:a", "Ann", "UTC", ("support",), False, 8.0)],
        projects=[Project("10000", "WEB", "Web shop", False)],
        issues=[Issue(20001, "WEB-1", "Checkout", "10000")],
        tags=[Tag(1, "development", "Coding", False, None)],
    )


def test_add_worklog_gives_the_next_ids_and_keeps_the_order() -> None:
    org = tiny()
    late = org.add_worklog(20001, "712020:a", datetime(2025, 1, 2, tzinfo=UTC), 900)
    early = org.add_worklog(
        20001,
        "712020:a",
        datetime(2025, 1, 1, 12, tzinfo=BUDAPEST),
        600,
        "x",
        True,
        [1],
    )
    assert (late.worklog_id, late.jira_worklog_id) == (1, 1)
    assert (early.worklog_id, early.jira_worklog_id) == (2, 2)
    assert early.start == datetime(2025, 1, 1, 11, tzinfo=UTC)
    assert early.start.tzinfo is UTC
    assert [w.worklog_id for w in org.worklogs] == [2, 1]
    assert org.worklog(2).tag_ids == (1,)
    assert org.revision == 2


def test_remove_worklog_takes_it_out_of_the_list_and_lookups() -> None:
    org = tiny()
    for hour in (9, 10, 11):
        org.add_worklog(20001, "712020:a", datetime(2025, 1, 2, hour, tzinfo=UTC), 900)
    removed = org.remove_worklog(2)
    assert removed.start == datetime(2025, 1, 2, 10, tzinfo=UTC)
    assert [w.worklog_id for w in org.worklogs] == [1, 3]
    with pytest.raises(KeyError):
        org.worklog(2)
    assert org.add_worklog(20001, "712020:a", removed.start, 60).worklog_id == 4


def test_concurrent_adds_get_distinct_ids_in_order() -> None:
    org = tiny()
    base = datetime(2025, 1, 1, tzinfo=UTC)

    def add(offset: int) -> None:
        for n in range(50):
            start = base + timedelta(minutes=offset * 50 + n)
            org.add_worklog(20001, "712020:a", start, 60)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(w.worklog_id for w in org.worklogs) == list(range(1, 401))
    starts = [w.start for w in org.worklogs]
    assert starts == sorted(starts)
    assert len(set(starts)) == 400


def test_worklogs_given_by_hand_are_sorted_and_continue_the_ids() -> None:
    a = Worklog(
        7, 70, 20001, "712020:a", datetime(2025, 1, 2, tzinfo=UTC), 60, "", False, ()
    )
    b = Worklog(
        3, 90, 20001, "712020:a", datetime(2025, 1, 1, tzinfo=UTC), 60, "", False, ()
    )
    org = tiny()
    org = Organisation(org.people, org.projects, org.issues, org.tags, [a, b])
    assert org.worklogs == [b, a]
    added = org.add_worklog(20001, "712020:a", datetime(2025, 1, 3, tzinfo=UTC), 60)
    assert (added.worklog_id, added.jira_worklog_id) == (8, 91)


def test_worklogs_between_is_half_open() -> None:
    org = tiny()
    for hour in (9, 10, 11):
        org.add_worklog(20001, "712020:a", datetime(2025, 1, 2, hour, tzinfo=UTC), 900)
    found = org.worklogs_between(
        datetime(2025, 1, 2, 10, tzinfo=UTC), datetime(2025, 1, 2, 11, tzinfo=UTC)
    )
    assert [w.worklog_id for w in found] == [2]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"issue_id": 99}, "unknown issue"),
        ({"author_id": "712020:b"}, "unknown author"),
        ({"tag_ids": (5,)}, "unknown tag"),
        ({"start": datetime(2025, 1, 1)}, "naive start"),
        ({"duration_seconds": 0}, "no positive duration"),
    ],
)
def test_bad_worklogs_are_refused(change: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {
        "issue_id": 20001,
        "author_id": "712020:a",
        "start": datetime(2025, 1, 1, tzinfo=UTC),
        "duration_seconds": 60,
        "tag_ids": (),
    }
    fields.update(change)
    with pytest.raises(ValueError, match=message):
        tiny().add_worklog(**fields)  # type: ignore[arg-type]


def test_duplicate_ids_and_dangling_projects_are_refused() -> None:
    org = tiny()
    with pytest.raises(ValueError, match="duplicate person"):
        Organisation(org.people * 2, org.projects, org.issues, org.tags)
    with pytest.raises(ValueError, match="unknown project"):
        Organisation(org.people, [], org.issues, org.tags)


def test_lookups_raise_key_error_for_unknown_ids() -> None:
    org = tiny()
    assert org.person("712020:a").name == "Ann"
    assert org.project("10000").key == "WEB"
    assert org.tag(1).name == "development"
    with pytest.raises(KeyError):
        org.person("712020:x")
    with pytest.raises(KeyError):
        org.project("1")
    with pytest.raises(KeyError):
        org.issue(1)


def test_created_and_updated_default_to_the_end_of_the_work() -> None:
    start = datetime(2025, 1, 1, 9, tzinfo=UTC)
    worklog = Worklog(1, 1, 20001, "712020:a", start, 5400, "", False, ())
    assert worklog.end == datetime(2025, 1, 1, 10, 30, tzinfo=UTC)
    assert worklog.created_at == worklog.end
    assert worklog.updated_at == worklog.end


def test_no_two_worklogs_of_a_person_overlap_by_mere_seconds(
    demo_org: Organisation,
) -> None:
    # Pieces of a day follow each other; one with odd seconds must not run
    # into the next by those seconds (an artefact, not a real overlap).
    by_person: dict[str, list[Worklog]] = {}
    for worklog in demo_org.worklogs:
        by_person.setdefault(worklog.author_id, []).append(worklog)
    slivers = [
        (a.worklog_id, b.worklog_id)
        for logs in by_person.values()
        for a, b in itertools.pairwise(logs)
        if timedelta(0) < a.end - b.start < timedelta(minutes=1)
    ]
    assert slivers == []
