"""WorkCalendar, and df.tt's expected-versus-actual methods, on hand-made frames.

The week used throughout is Monday 10 to Sunday 16 March 2025, with Friday
14 March a public holiday. Ann works part time, 4 hours every weekday;
Bob works 8 hours and takes Wednesday as leave, logged on the non-working
LEAVE project, and works 2 hours on Saturday.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tt_notebook as tt
from tests.unit.test_accessor import day, frame, worklog
from tt_notebook.errors import ConfigurationError

ZONE = "Europe/Budapest"
WEEK = [f"2025-03-{d}" for d in range(10, 17)]
CALENDAR = tt.WorkCalendar(
    holidays=["2025-03-14"],
    people={"Ann": tt.PersonSchedule(hours_per_day=4)},
    non_working_projects=["LEAVE"],
)


def week() -> pd.DataFrame:
    return frame(
        [
            worklog("2025-03-10 09:00", ZONE, minutes=240, person="ann"),
            worklog("2025-03-11 09:00", ZONE, minutes=300, person="ann"),
            worklog("2025-03-10 09:00", ZONE, minutes=480, person="bob"),
            worklog(
                "2025-03-12 08:00", ZONE, minutes=480, person="bob", project="LEAVE"
            ),
            worklog("2025-03-15 10:00", ZONE, minutes=120, person="bob"),
        ],
        ZONE,
        WEEK[0],
        WEEK[-1],
    )


def test_expected_hours_skip_weekends_and_holidays() -> None:
    cal = tt.WorkCalendar(holidays=["2025-03-14"])
    assert cal.expected_hours("2025-03-13", "2025-03-17").tolist() == [
        8.0,
        0.0,
        0.0,
        0.0,
        8.0,
    ]


def test_personal_rules_override_hours_weekdays_holidays_and_days_off() -> None:
    cal = tt.WorkCalendar(
        holidays=["2025-03-14"],
        people={
            "Ann": tt.PersonSchedule(
                hours_per_day=4, weekdays=[0, 1, 2], days_off=["2025-03-12"]
            ),
            "712020:bob": {"holidays": []},
        },
    )
    assert cal.expected_hours(WEEK[0], WEEK[-1], person="Ann").tolist() == [
        4.0,
        4.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
    ]
    assert cal.expected_hours(WEEK[0], WEEK[-1], person="712020:bob").tolist() == [
        8.0,
        8.0,
        8.0,
        8.0,
        8.0,
        0.0,
        0.0,
    ]
    four_day = tt.WorkCalendar().with_person("Cy", weekdays=[0, 1, 2, 3])
    assert four_day.schedule("Cy").weekdays == (0, 1, 2, 3)
    assert four_day.schedule("someone else").weekdays == (0, 1, 2, 3, 4)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weekdays": [7]}, "0 \\(Monday\\) to 6"),
        ({"hours_per_day": 25}, "0 to 24"),
        ({"holidays": "2025-01-01"}, "a list of days"),
        ({"holidays": ["2025-02-30"]}, "is not a date"),
        ({"people": {"Ann": 4}}, "PersonSchedule or a mapping"),
        ({"people": {"Ann": {"timezone": "Mars/Olympus"}}}, "Unknown time zone"),
        ({"non_working_projects": "LEAVE"}, "a list of project keys"),
    ],
)
def test_bad_calendars_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        tt.WorkCalendar(**kwargs)  # type: ignore[arg-type]


def test_expected_versus_actual_per_day() -> None:
    table = week().tt.expected_vs_actual(CALENDAR)
    assert table.columns.tolist() == [
        "author_id",
        "author",
        "date",
        "expected_hours",
        "actual_hours",
        "absence_hours",
        "difference_hours",
        "utilization",
    ]
    ann, bob = table.iloc[:7], table.iloc[7:]
    assert ann["author"].unique().tolist() == ["Ann"]
    assert ann["date"].tolist() == [day(d) for d in WEEK]
    assert ann["expected_hours"].tolist() == [4.0, 4.0, 4.0, 4.0, 0.0, 0.0, 0.0]
    assert ann["actual_hours"].tolist() == [4.0, 5.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    assert ann["utilization"].tolist()[:4] == [1.0, 1.25, 0.0, 0.0]
    assert np.isnan(ann["utilization"].iloc[4])  # the holiday: nothing expected
    # Bob's leave is absence: it lowers Wednesday's expected hours to zero.
    assert bob["expected_hours"].tolist() == [8.0, 8.0, 0.0, 8.0, 0.0, 0.0, 0.0]
    assert bob["absence_hours"].tolist() == [0.0, 0.0, 8.0, 0.0, 0.0, 0.0, 0.0]
    assert bob["actual_hours"].tolist() == [8.0, 0.0, 0.0, 0.0, 0.0, 2.0, 0.0]
    assert bob["difference_hours"].tolist() == [0.0, -8.0, 0.0, -8.0, 0.0, 2.0, 0.0]


def test_expected_versus_actual_per_week_and_over_the_range() -> None:
    weekly = week().tt.expected_vs_actual(CALENDAR, freq="W")
    assert weekly[["author", "week", "expected_hours", "actual_hours"]].to_dict(
        "list"
    ) == {
        "author": ["Ann", "Bob"],
        "week": [day("2025-03-10"), day("2025-03-10")],
        "expected_hours": [16.0, 24.0],
        "actual_hours": [9.0, 10.0],
    }
    whole = week().tt.expected_vs_actual(CALENDAR, freq=None)
    assert "week" not in whole.columns
    assert whole["utilization"].tolist() == [9 / 16, 10 / 24]


def test_utilization_is_a_series_by_person_and_period() -> None:
    df = week()
    assert df.tt.utilization(CALENDAR).to_dict() == {"Ann": 9 / 16, "Bob": 10 / 24}
    weekly = df.tt.utilization(CALENDAR, freq="W")
    assert weekly.index.names == ["author", "week"]
    assert weekly[("Bob", day("2025-03-10"))] == 10 / 24


def test_missing_days_are_working_days_with_nothing_logged() -> None:
    gaps = week().tt.missing_days(CALENDAR)
    assert gaps.to_dict("list") == {
        "author_id": ["712020:ann", "712020:ann", "712020:bob", "712020:bob"],
        "author": ["Ann", "Ann", "Bob", "Bob"],
        "date": [
            day("2025-03-12"),
            day("2025-03-13"),
            day("2025-03-11"),
            day("2025-03-13"),
        ],
        "expected_hours": [4.0, 4.0, 8.0, 8.0],
    }


def test_overtime_counts_work_on_a_day_off_wholly() -> None:
    extra = week().tt.overtime(CALENDAR)
    assert extra.to_dict("list") == {
        "author_id": ["712020:ann", "712020:bob"],
        "author": ["Ann", "Bob"],
        "date": [day("2025-03-11"), day("2025-03-15")],
        "expected_hours": [4.0, 0.0],
        "actual_hours": [5.0, 2.0],
        "overtime_hours": [1.0, 2.0],
    }


def test_a_person_with_their_own_zone_is_counted_on_their_local_days() -> None:
    # 16:30 UTC on Sunday is 01:30 on Monday in Tokyo.
    df = frame(
        [worklog("2025-03-09 16:30", "UTC", minutes=60, person="ann")],
        "UTC",
        "2025-03-09",
        "2025-03-10",
    )
    tokyo = tt.WorkCalendar(people={"Ann": {"timezone": "Asia/Tokyo"}})
    by_day = df.tt.expected_vs_actual(tokyo)
    assert by_day["actual_hours"].tolist() == [0.0, 1.0]
    assert df.tt.missing_days(tokyo)["date"].tolist() == []
    local = df.tt.expected_vs_actual(tt.WorkCalendar())
    assert local["actual_hours"].tolist() == [1.0, 0.0]
    assert df.tt.missing_days(tt.WorkCalendar())["date"].tolist() == [day("2025-03-10")]


def test_people_picks_who_is_listed_including_someone_who_logged_nothing() -> None:
    table = week().tt.expected_vs_actual(
        CALENDAR, freq=None, people=["Bob", "712020:zed"]
    )
    assert table[["author_id", "author", "expected_hours", "actual_hours"]].to_dict(
        "list"
    ) == {
        "author_id": ["712020:zed", "712020:bob"],
        "author": [None, "Bob"],
        "expected_hours": [32.0, 24.0],
        "actual_hours": [0.0, 10.0],
    }
    with pytest.raises(ValueError, match="list of account ids"):
        week().tt.expected_vs_actual(CALENDAR, people="Bob")
