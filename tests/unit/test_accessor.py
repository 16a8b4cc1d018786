"""The df.tt accessor on small hand-made worklog frames.

Every frame here is built by ``frames.worklogs_frame`` from details-report
rows written out below, so the expected values can be checked by hand. Local
wall-clock times are turned into UTC instants by ``worklog()``, the way the
service sends them.
"""

from __future__ import annotations

import copy
import datetime as dt
import zoneinfo
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

import tt_notebook as tt
from tt_notebook.accessor import UNTAGGED
from tt_notebook.frames import empty_worklogs, worklogs_frame

PROJECTS = {
    "OPS": {"id": "10000", "key": "OPS", "name": "Operations"},
    "WEB": {"id": "10001", "key": "WEB", "name": "Web shop"},
    "DATA": {"id": "10002", "key": "DATA", "name": "Data platform"},
    "LEAVE": {"id": "10006", "key": "LEAVE", "name": "Leave & absence"},
}
PEOPLE = {
    "ann": {"id": "712020:ann", "name": "Ann"},
    "bob": {"id": "712020:bob", "name": "Bob"},
    "gone": {"id": "712020:gone"},  # a deleted user: no name
}
_ids = iter(range(1, 10_000))


def worklog(
    local: str,
    zone: str,
    *,
    minutes: float = 60,
    seconds: int | None = None,
    person: str = "ann",
    project: str = "OPS",
    issue: str | None = None,
    tags: tuple[str, ...] = (),
    billable: bool = True,
    fold: int = 0,
) -> dict[str, Any]:
    """One details-report row starting at local wall time ``local`` in ``zone``."""
    wall = dt.datetime.fromisoformat(local).replace(
        tzinfo=zoneinfo.ZoneInfo(zone), fold=fold
    )
    utc = wall.astimezone(dt.UTC)
    wid = next(_ids)
    key = issue or f"{project}-1"
    return {
        "issue": {
            "id": 20000 + sum(map(ord, key)),
            "key": key,
            "summary": f"{key} work",
        },
        "project": PROJECTS[project],
        "worklog": {
            "id": wid,
            "jiraWorklogId": 300000 + wid,
            "description": "",
            "durationInSeconds": seconds if seconds is not None else int(minutes * 60),
            "isBillable": billable,
            "startTime": utc.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "author": PEOPLE[person],
            "worklogTags": [{"id": i, "name": t} for i, t in enumerate(tags)],
        },
    }


def frame(
    rows: list[dict[str, Any]],
    zone: str,
    start: str | None = None,
    end: str | None = None,
) -> pd.DataFrame:
    """A worklog frame as fetch_worklogs makes it, with its range in attrs."""
    attrs = {} if start is None else {"start": start, "end": end or start}
    return worklogs_frame(rows, zone, attrs=attrs)


def day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


# -- the accessor's contract -------------------------------------------------


def test_a_frame_without_the_worklog_columns_has_no_tt() -> None:
    df = frame([worklog("2025-03-03 09:00", "UTC")], "UTC").drop(
        columns=["tags", "duration"]
    )
    with pytest.raises(
        AttributeError, match=r"lacks the columns \['duration', 'tags'\]"
    ):
        _ = df.tt
    assert not hasattr(df, "tt")


def test_a_naive_start_column_is_named_as_the_wrong_dtype() -> None:
    df = frame([worklog("2025-03-03 09:00", "UTC")], "UTC")
    df["start"] = df["start"].dt.tz_localize(None)
    with pytest.raises(AttributeError, match=r"start \(zone-aware datetimes\)"):
        _ = df.tt


def test_importing_the_package_registers_tt_without_matplotlib() -> None:
    import subprocess
    import sys

    code = (
        "import sys, pandas as pd, tt_notebook;"
        "print(hasattr(pd.DataFrame, 'tt'), 'matplotlib' in sys.modules, "
        "'ipywidgets' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "False", "False"]


CALENDAR = tt.WorkCalendar(non_working_projects=["LEAVE"])

#: Every public method of df.tt, called the way a notebook would.
METHODS: dict[str, Callable[[pd.DataFrame], Any]] = {
    "span": lambda d: d.tt.span(),
    "totals by project": lambda d: d.tt.totals(by="project"),
    "totals by author": lambda d: d.tt.totals(by="author"),
    "totals by tag": lambda d: d.tt.totals(by="tag"),
    "totals per day": lambda d: d.tt.totals(freq="D"),
    "totals per hour": lambda d: d.tt.totals(freq="h"),
    "totals per week and project": lambda d: d.tt.totals(by="project", freq="W"),
    "totals per month": lambda d: d.tt.totals(freq="M"),
    "pivot": lambda d: d.tt.pivot(index="author", columns="week"),
    "billable share": lambda d: d.tt.billable_share(by="project"),
    "billable share overall": lambda d: d.tt.billable_share(),
    "top issues": lambda d: d.tt.top_issues(3),
    "compare": lambda d: d.tt.compare(d, by="project"),
    "between": lambda d: d.tt.between("2025-03-03", "2025-03-04"),
    "tz_convert": lambda d: d.tt.tz_convert("Asia/Tokyo"),
    "tags": lambda d: d.tt.tags(),
    "overlaps": lambda d: d.tt.overlaps(),
    "long days": lambda d: d.tt.long_days(1.0),
    "expected vs actual": lambda d: d.tt.expected_vs_actual(CALENDAR),
    "utilization": lambda d: d.tt.utilization(CALENDAR, freq="W"),
    "missing days": lambda d: d.tt.missing_days(CALENDAR),
    "overtime": lambda d: d.tt.overtime(CALENDAR),
    "to_csv": lambda d: d.tt.to_csv(),
}


def sample() -> pd.DataFrame:
    zone = "Europe/Budapest"
    return frame(
        [
            worklog("2025-03-03 09:00", zone, minutes=90, tags=("dev", "review")),
            worklog("2025-03-03 09:30", zone, minutes=30, project="WEB"),
            worklog("2025-03-04 23:30", zone, minutes=70, person="bob"),
            worklog("2025-03-05 08:00", zone, minutes=480, project="LEAVE"),
            worklog("2025-03-05 10:00", zone, person="gone", billable=False),
        ],
        zone,
        "2025-03-03",
        "2025-03-09",
    )


@pytest.mark.parametrize("method", list(METHODS))
def test_no_method_changes_the_frame(method: str) -> None:
    df = sample()
    before = df.copy(deep=True)
    attrs = copy.deepcopy(df.attrs)
    METHODS[method](df)
    pd.testing.assert_frame_equal(df, before)
    assert df.attrs == attrs
    assert df["tags"].tolist() == before["tags"].tolist()


# -- calendar correctness ------------------------------------------------------


def test_worklog_from_2330_to_0040_counts_on_the_day_it_started() -> None:
    zone = "Europe/Budapest"
    df = frame(
        [worklog("2025-03-12 23:30", zone, minutes=70)],
        zone,
        "2025-03-12",
        "2025-03-13",
    )
    daily = df.tt.totals(freq="D")
    assert daily.to_dict() == {day("2025-03-12"): 70 / 60, day("2025-03-13"): 0.0}
    hourly = df.tt.totals(freq="h")
    assert hourly[pd.Timestamp("2025-03-12 23:00", tz=zone)] == 70 / 60
    assert hourly[pd.Timestamp("2025-03-13 00:00", tz=zone)] == 0.0


def test_daily_weekly_and_monthly_totals_add_up_exactly_to_the_worklogs() -> None:
    zone = "America/New_York"
    odd = [1, 7, 59, 3599, 3601, 86399, 12345, 2, 31, 1800]
    rows = [
        worklog(
            f"2025-0{3 + i % 2}-{1 + (i * 3) % 28:02d} 0{i % 10}:17", zone, seconds=s
        )
        for i, s in enumerate(odd * 5)
    ]
    df = frame(rows, zone, "2025-03-01", "2025-04-30")
    total = pd.Timedelta(seconds=sum(odd) * 5)
    assert df["duration"].sum() == total
    for freq in ("h", "D", "W", "M"):
        assert df.tt.totals(freq=freq, values="duration").sum() == total, freq
    for by in ("project", "author", "issue", "billable", "weekday", "hour_of_day"):
        assert df.tt.totals(by=by, values="duration").sum() == total, by
    assert df.tt.pivot("author", "date", values="duration").sum().sum() == total


def test_sums_are_exact_and_rounded_only_for_display() -> None:
    # 1,000 worklogs of 7 seconds: adding their float hours drifts, adding the
    # seconds does not, and every view agrees to the last bit.
    zone = "UTC"
    rows = [worklog("2025-03-03 09:00", zone, seconds=7) for _ in range(1000)]
    df = frame(rows, zone, "2025-03-03")
    exact = 7000 / 3600
    assert df["hours"].sum() != exact  # the drift this avoids
    assert df.tt.totals(by="project")["OPS"] == exact
    assert df.tt.totals(freq="D").iloc[0] == exact
    assert df.tt.pivot("author", "week").iloc[0, 0] == exact
    assert df.tt.billable_share().loc["total", "total_hours"] == exact


def test_spring_forward_day_in_budapest_has_23_hours() -> None:
    zone = "Europe/Budapest"
    df = frame(
        [
            worklog("2025-03-30 01:30", zone, minutes=30),  # CET, +01:00
            worklog("2025-03-30 03:30", zone, minutes=45),  # CEST, +02:00
            worklog("2025-03-30 23:15", zone, minutes=60),
        ],
        zone,
        "2025-03-30",
    )
    hourly = df.tt.totals(freq="h")
    assert len(hourly) == 23
    labels = [str(h) for h in hourly.index[:4]]
    assert labels == [
        "2025-03-30 00:00:00+01:00",
        "2025-03-30 01:00:00+01:00",
        "2025-03-30 03:00:00+02:00",
        "2025-03-30 04:00:00+02:00",
    ]
    assert hourly.iloc[1] == 0.5
    assert hourly.iloc[2] == 0.75
    assert hourly.iloc[-1] == 1.0
    assert hourly.sum() == 2.25
    assert df.tt.totals(freq="D").tolist() == [2.25]


def test_fall_back_day_in_new_york_has_25_hours() -> None:
    zone = "America/New_York"
    df = frame(
        [
            worklog("2025-11-02 01:30", zone, minutes=30, fold=0),  # EDT, -04:00
            worklog("2025-11-02 01:30", zone, minutes=45, fold=1),  # EST, -05:00
            worklog("2025-11-02 12:00", zone, minutes=60),
        ],
        zone,
        "2025-11-02",
    )
    hourly = df.tt.totals(freq="h")
    assert len(hourly) == 25
    assert [str(h) for h in hourly.index[1:3]] == [
        "2025-11-02 01:00:00-04:00",
        "2025-11-02 01:00:00-05:00",
    ]
    assert hourly.iloc[1:3].tolist() == [0.5, 0.75]
    assert hourly[pd.Timestamp("2025-11-02 12:00", tz=zone)] == 1.0
    assert df.tt.totals(freq="D").tolist() == [2.25]
    assert df.tt.totals(by="hour_of_day")[1] == 1.25


def test_sao_paulo_2018_midnight_change_groups_by_local_day_and_week() -> None:
    # Clocks went from 00:00 straight to 01:00 on 4 November 2018, and back
    # from 00:00 to 23:00 on 17 February 2018: midnight is missing or late.
    zone = "America/Sao_Paulo"
    df = frame(
        [
            worklog("2018-02-17 23:30", zone, minutes=60, fold=0),  # -02:00
            worklog("2018-02-17 23:30", zone, minutes=30, fold=1),  # -03:00
            worklog("2018-11-03 23:30", zone, minutes=60),
            worklog("2018-11-04 01:00", zone, minutes=30),  # the day's first minute
            worklog("2018-11-04 09:00", zone, minutes=60),
        ],
        zone,
        "2018-02-17",
        "2018-11-04",
    )
    daily = df.tt.totals(freq="D")
    assert daily[day("2018-02-17")] == 1.5
    assert daily[day("2018-02-18")] == 0.0
    assert daily[day("2018-11-03")] == 1.0
    assert daily[day("2018-11-04")] == 1.5
    weekly = df.tt.totals(freq="W")
    assert weekly[day("2018-02-12")] == 1.5
    assert weekly[day("2018-10-29")] == 2.5
    hourly = df.tt.between("2018-11-04", "2018-11-04").tt.totals(freq="h")
    assert len(hourly) == 23
    assert str(hourly.index[0]) == "2018-11-04 01:00:00-02:00"
    assert hourly.iloc[0] == 0.5
    long_day = df.tt.between("2018-02-17", "2018-02-17").tt.totals(freq="h")
    assert len(long_day) == 25
    assert long_day.iloc[-2:].tolist() == [1.0, 0.5]


def test_work_at_noon_and_midnight_keeps_its_hour_in_every_view() -> None:
    zone = "Asia/Kolkata"  # +05:30: hours are not UTC hours
    df = frame(
        [
            worklog("2025-06-02 00:00", zone, minutes=10),
            worklog("2025-06-02 00:59", zone, minutes=20),
            worklog("2025-06-02 12:00", zone, minutes=30),
            worklog("2025-06-02 12:59", zone, minutes=40),
        ],
        zone,
        "2025-06-02",
    )
    by_hour = df.tt.totals(by="hour_of_day")
    assert by_hour[0] == 0.5
    assert by_hour[12] == pytest.approx(70 / 60, abs=0)
    assert by_hour.drop([0, 12]).eq(0.0).all()
    hourly = df.tt.totals(freq="h")
    assert hourly[pd.Timestamp("2025-06-02 00:00", tz=zone)] == 0.5
    assert hourly[pd.Timestamp("2025-06-02 12:00", tz=zone)] == 70 / 60
    pivot = df.tt.pivot("author", "hour_of_day")
    assert pivot.loc["Ann", 0] == 0.5
    assert pivot.loc["Ann", 12] == 70 / 60
    assert df.tt.totals(freq="D").tolist() == [100 / 60]


def test_grouping_by_a_category_shows_no_phantom_groups() -> None:
    df = sample().tt.between("2025-03-03", "2025-03-03")
    # LEAVE and Bob are still categories of the sliced frame, with no rows.
    assert set(df["project_key"].cat.categories) == {"LEAVE", "OPS", "WEB"}
    assert "Bob" in set(df["author"].cat.categories)
    by_project = df.tt.totals(by="project")
    assert by_project.to_dict() == {"OPS": 1.5, "WEB": 0.5}
    assert str(by_project.index.dtype) == "string"
    assert list(df.tt.totals(by="author").index) == ["Ann"]
    assert list(df.tt.pivot("project", "author").index) == ["OPS", "WEB"]
    assert list(df.tt.billable_share(by="project").index) == ["OPS", "WEB"]
    assert list(df.tt.totals(by="project", freq="W").columns) == ["OPS", "WEB"]


def test_a_period_with_nothing_logged_is_zero_never_nan() -> None:
    zone = "UTC"
    df = frame(
        [
            worklog("2025-03-03 09:00", zone, person="ann"),
            worklog("2025-03-05 09:00", zone, person="bob", project="WEB"),
        ],
        zone,
        "2025-03-03",
        "2025-03-06",
    )
    table = df.tt.pivot("author", "date")
    assert table.to_dict("index") == {
        "Ann": {
            day("2025-03-03"): 1.0,
            day("2025-03-04"): 0.0,
            day("2025-03-05"): 0.0,
            day("2025-03-06"): 0.0,
        },
        "Bob": {
            day("2025-03-03"): 0.0,
            day("2025-03-04"): 0.0,
            day("2025-03-05"): 1.0,
            day("2025-03-06"): 0.0,
        },
    }
    wide = df.tt.totals(by="project", freq="D")
    assert not wide.isna().any().any()
    assert wide["WEB"].tolist() == [0.0, 0.0, 1.0, 0.0]
    assert df.tt.totals(freq="D").tolist() == [1.0, 0.0, 1.0, 0.0]
    compared = df.tt.compare(df.tt.between("2025-03-03", "2025-03-03"))
    assert compared.loc["WEB"].tolist()[:3] == [1.0, 0.0, 1.0]


# -- an empty frame ------------------------------------------------------------

EMPTY_SERIES = {
    "totals by project": ("float64", "string"),
    "totals by author": ("float64", "string"),
    "totals by tag": ("float64", "string"),
    "totals per day": ("float64", "datetime64[ns]"),
    "totals per hour": ("float64", "datetime64[ns, Europe/Budapest]"),
    "totals per month": ("float64", "datetime64[ns]"),
    "utilization": ("float64", None),
}


ONE_ROW_ANYWAY = ("span", "to_csv", "billable share overall")


@pytest.mark.parametrize("method", [m for m in METHODS if m not in ONE_ROW_ANYWAY])
def test_an_empty_frame_gives_an_empty_typed_result(method: str) -> None:
    df = empty_worklogs("Europe/Budapest")
    result = METHODS[method](df)
    assert len(result) == 0
    if method in EMPTY_SERIES:
        values, index = EMPTY_SERIES[method]
        assert isinstance(result, pd.Series)
        assert str(result.dtype) == values
        if index is not None:
            assert str(result.index.dtype) == index
    else:
        assert isinstance(result, pd.DataFrame)
        assert len(result.columns) > 0 or method in (
            "totals per week and project",
            "pivot",
        )


def test_empty_frame_results_keep_their_columns_and_dtypes() -> None:
    df = empty_worklogs("Europe/Budapest")
    assert df.tt.span() is None
    assert df.tt.to_csv().splitlines() == [
        "worklog_id,jira_worklog_id,issue_id,issue_key,issue_summary,description,"
        "project_id,project_key,project_name,author_id,author,start,date,"
        "duration_seconds,hours,billable,tags"
    ]
    overall = df.tt.billable_share()
    assert overall.index.tolist() == ["total"]
    assert overall.iloc[0, :3].tolist() == [0.0, 0.0, 0.0]
    assert np.isnan(overall.loc["total", "billable_share"])
    assert df.tt.overlaps().dtypes.astype(str).to_dict() == {
        "author_id": "string",
        "author": "string",
        "worklog_id": "Int64",
        "start": "datetime64[ns, Europe/Budapest]",
        "end": "datetime64[ns, Europe/Budapest]",
        "earlier_worklog_id": "Int64",
        "earlier_start": "datetime64[ns, Europe/Budapest]",
        "earlier_end": "datetime64[ns, Europe/Budapest]",
        "overlap": "timedelta64[ns]",
    }
    assert df.tt.long_days().dtypes.astype(str).to_dict() == {
        "author_id": "string",
        "author": "string",
        "date": "datetime64[ns]",
        "hours": "float64",
    }
    assert df.tt.top_issues().dtypes.astype(str).to_dict() == {
        "issue_summary": "string",
        "project_key": "string",
        "hours": "float64",
        "worklogs": "int64",
    }
    assert df.tt.expected_vs_actual(CALENDAR).dtypes.astype(str).to_dict() == {
        "author_id": "string",
        "author": "string",
        "date": "datetime64[ns]",
        "expected_hours": "float64",
        "actual_hours": "float64",
        "absence_hours": "float64",
        "difference_hours": "float64",
        "utilization": "float64",
    }
    assert df.tt.tags().dtypes.astype(str).to_dict()["tag"] == "category"


def test_an_empty_range_still_lists_every_day_with_zero() -> None:
    df = frame([], "Europe/Budapest", "2025-03-03", "2025-03-05")
    assert df.tt.totals(freq="D").to_dict() == {
        day("2025-03-03"): 0.0,
        day("2025-03-04"): 0.0,
        day("2025-03-05"): 0.0,
    }
    assert len(df.tt.totals(freq="h")) == 72


# -- groupings -----------------------------------------------------------------


def test_a_worklog_with_two_tags_counts_once_per_tag_only_in_the_tag_view() -> None:
    zone = "UTC"
    df = frame(
        [
            worklog("2025-03-03 09:00", zone, minutes=60, tags=("dev", "review")),
            worklog("2025-03-03 11:00", zone, minutes=30),
        ],
        zone,
        "2025-03-03",
    )
    assert df.tt.totals(by="tag").to_dict() == {
        "dev": 1.0,
        "review": 1.0,
        UNTAGGED: 0.5,
    }
    assert df.tt.totals(by="project").to_dict() == {"OPS": 1.5}
    assert df.tt.totals(freq="D").tolist() == [1.5]
    long = df.tt.tags()
    assert [None if pd.isna(t) else t for t in long["tag"]] == ["dev", "review", None]
    assert long["worklog_id"].tolist() == [df["worklog_id"][0]] * 2 + [
        df["worklog_id"][1]
    ]


def test_authors_are_labelled_by_name_and_a_deleted_user_by_account_id() -> None:
    zone = "UTC"
    df = frame(
        [
            worklog("2025-03-03 09:00", zone, person="bob", minutes=30),
            worklog("2025-03-03 10:00", zone, person="gone", minutes=45),
            worklog("2025-03-03 11:00", zone, person="ann", minutes=60),
        ],
        zone,
        "2025-03-03",
    )
    assert df.tt.totals(by="author").to_dict() == {
        "712020:gone": 0.75,
        "Ann": 1.0,
        "Bob": 0.5,
    }
    assert df.tt.totals(by="author_id").to_dict() == {
        "712020:ann": 1.0,
        "712020:bob": 0.5,
        "712020:gone": 0.75,
    }


def test_pivot_author_by_week_labels_iso_weeks_by_their_monday() -> None:
    zone = "Europe/Budapest"
    df = frame(
        [
            worklog("2025-03-02 10:00", zone, person="ann"),  # Sunday of week 9
            worklog("2025-03-03 10:00", zone, person="ann", minutes=30),  # Monday
            worklog("2025-03-12 10:00", zone, person="bob", minutes=90),
        ],
        zone,
        "2025-03-01",
        "2025-03-16",
    )
    table = df.tt.pivot(index="author", columns="week")
    assert list(table.columns) == [
        day("2025-02-24"),
        day("2025-03-03"),
        day("2025-03-10"),
    ]
    assert table.to_dict("list") == {
        day("2025-02-24"): [1.0, 0.0],
        day("2025-03-03"): [0.5, 0.0],
        day("2025-03-10"): [0.0, 1.5],
    }
    assert list(table.index) == ["Ann", "Bob"]
    months = df.tt.totals(freq="M")
    assert months.to_dict() == {day("2025-03-01"): 3.0}


def test_billable_share_per_project() -> None:
    zone = "UTC"
    df = frame(
        [
            worklog("2025-03-03 09:00", zone, minutes=90, billable=True),
            worklog("2025-03-03 11:00", zone, minutes=30, billable=False),
            worklog(
                "2025-03-03 12:00", zone, minutes=60, billable=False, project="WEB"
            ),
        ],
        zone,
        "2025-03-03",
    )
    share = df.tt.billable_share(by="project")
    assert share.to_dict("index") == {
        "OPS": {
            "billable_hours": 1.5,
            "non_billable_hours": 0.5,
            "total_hours": 2.0,
            "billable_share": 0.75,
        },
        "WEB": {
            "billable_hours": 0.0,
            "non_billable_hours": 1.0,
            "total_hours": 1.0,
            "billable_share": 0.0,
        },
    }
    assert df.tt.billable_share().loc["total", "billable_share"] == 0.5


def test_top_issues_are_the_largest_first_with_ties_by_key() -> None:
    zone = "UTC"
    df = frame(
        [
            worklog("2025-03-03 09:00", zone, issue="OPS-2", minutes=60),
            worklog("2025-03-03 10:00", zone, issue="OPS-1", minutes=60),
            worklog("2025-03-03 11:00", zone, issue="WEB-9", project="WEB", minutes=30),
            worklog("2025-03-03 12:00", zone, issue="WEB-9", project="WEB", minutes=45),
        ],
        zone,
        "2025-03-03",
    )
    top = df.tt.top_issues(2)
    assert top.index.tolist() == ["WEB-9", "OPS-1"]
    assert top.to_dict("index")["WEB-9"] == {
        "issue_summary": "WEB-9 work",
        "project_key": "WEB",
        "hours": 1.25,
        "worklogs": 2,
    }


def test_compare_two_periods_side_by_side() -> None:
    zone = "UTC"
    df = frame(
        [
            worklog("2025-02-10 09:00", zone, minutes=60),
            worklog("2025-03-10 09:00", zone, minutes=90),
            worklog("2025-03-11 09:00", zone, minutes=30, project="WEB"),
        ],
        zone,
        "2025-02-01",
        "2025-03-31",
    )
    march = df.tt.between("2025-03-01", "2025-03-31")
    february = df.tt.between("2025-02-01", "2025-02-28")
    table = march.tt.compare(february, labels=("March", "February"))
    assert table.loc["OPS"].tolist() == [1.5, 1.0, 0.5, 0.5]
    assert table.loc["WEB", ["March", "February", "difference"]].tolist() == [
        0.5,
        0.0,
        0.5,
    ]
    assert np.isnan(table.loc["WEB", "change"])


def test_between_keeps_the_local_days_and_records_the_range() -> None:
    zone = "America/New_York"
    df = frame(
        [
            worklog("2025-03-03 23:30", zone),
            worklog("2025-03-04 00:10", zone),
        ],
        zone,
        "2025-03-01",
        "2025-03-31",
    )
    one = df.tt.between("2025-03-04", "2025-03-04")
    assert one["date"].tolist() == [day("2025-03-04")]
    assert one.attrs == {"timezone": zone, "start": "2025-03-04", "end": "2025-03-04"}
    with pytest.raises(ValueError, match="after end"):
        df.tt.between("2025-03-05", "2025-03-04")


def test_tz_convert_moves_worklogs_to_the_local_days_of_another_zone() -> None:
    df = frame([worklog("2025-03-03 23:30", "UTC")], "UTC", "2025-03-03")
    tokyo = df.tt.tz_convert("Asia/Tokyo")
    assert tokyo["date"].tolist() == [day("2025-03-04")]
    assert str(tokyo["start"].iloc[0]) == "2025-03-04 08:30:00+09:00"
    assert tokyo.attrs["timezone"] == "Asia/Tokyo"
    assert df["date"].tolist() == [day("2025-03-03")]


def test_overlaps_pair_each_worklog_with_the_earlier_one_reaching_furthest() -> None:
    zone = "UTC"
    df = frame(
        [
            worklog("2025-03-03 09:00", zone, minutes=60),  # A 09:00-10:00
            worklog("2025-03-03 09:30", zone, minutes=15),  # B inside A
            worklog("2025-03-03 09:50", zone, minutes=40),  # C overlaps A by 10
            worklog("2025-03-03 10:30", zone, minutes=10),  # D: C ends at 10:30
            worklog("2025-03-03 09:15", zone, minutes=60, person="bob"),
        ],
        zone,
        "2025-03-03",
    )
    ids = df.set_index("start")["worklog_id"]
    a, b, c = (
        ids[pd.Timestamp(f"2025-03-03 {t}", tz=zone)]
        for t in ("09:00", "09:30", "09:50")
    )
    found = df.tt.overlaps()
    assert found["worklog_id"].tolist() == [b, c]
    assert found["earlier_worklog_id"].tolist() == [a, a]
    assert found["overlap"].tolist() == [
        pd.Timedelta(minutes=15),
        pd.Timedelta(minutes=10),
    ]
    assert found["author"].tolist() == ["Ann", "Ann"]


def test_long_days_lists_person_days_over_the_limit() -> None:
    zone = "UTC"
    df = frame(
        [
            worklog("2025-03-03 08:00", zone, minutes=300),
            worklog("2025-03-03 14:00", zone, minutes=301),
            worklog("2025-03-04 08:00", zone, minutes=600),
            worklog("2025-03-03 08:00", zone, minutes=700, person="gone"),
        ],
        zone,
        "2025-03-03",
        "2025-03-04",
    )
    days = df.tt.long_days(10)
    assert days.to_dict("list") == {
        "author_id": ["712020:ann", "712020:gone"],
        "author": ["Ann", None],
        "date": [day("2025-03-03"), day("2025-03-03")],
        "hours": [601 / 60, 700 / 60],
    }
    assert len(df.tt.long_days(pd.Timedelta(hours=12))) == 0


def test_unknown_groupings_and_values_are_refused() -> None:
    df = sample()
    with pytest.raises(ValueError, match="Unknown grouping 'colour'"):
        df.tt.totals(by="colour")
    with pytest.raises(ValueError, match="freq must be one of"):
        df.tt.totals(freq="Q")
    with pytest.raises(ValueError, match="'hours' or 'duration'"):
        df.tt.totals(by="project", values="minutes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"by= .* or freq="):
        df.tt.totals()
