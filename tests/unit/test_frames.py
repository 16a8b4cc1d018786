import datetime as dt
from typing import Any

import pandas as pd
import pytest

from tt_notebook.frames import WORKLOG_COLUMNS, empty_worklogs, worklogs_frame


def row(
    wid: int = 1,
    start: str = "2025-03-18T08:30:00.000Z",
    seconds: int = 5400,
    author: dict[str, Any] | None = None,
    **issue: Any,
) -> dict[str, Any]:
    return {
        "issue": {
            "id": 20417,
            "key": "OPS-12",
            "summary": "Quarterly planning",
            **issue,
        },
        "project": {"id": "10000", "key": "OPS", "name": "Operations"},
        "worklog": {
            "id": wid,
            "jiraWorklogId": 310000 + wid,
            "description": "Réunion d'équipe 🚀",
            "durationInSeconds": seconds,
            "isBillable": True,
            "startTime": start,
            "author": author if author is not None else {"id": "a-1", "name": "Zoë"},
            "worklogTags": [{"id": 3, "name": "support"}, {"id": 4, "name": "meeting"}],
        },
    }


EXPECTED_DTYPES = {
    "worklog_id": "Int64",
    "jira_worklog_id": "Int64",
    "issue_id": "Int64",
    "issue_key": "category",
    "issue_summary": "category",
    "description": "string",
    "project_id": "category",
    "project_key": "category",
    "project_name": "category",
    "author_id": "category",
    "author": "category",
    "start": "datetime64[ns, Europe/Budapest]",
    "date": "datetime64[ns]",
    "duration": "timedelta64[ns]",
    "hours": "float64",
    "billable": "boolean",
    "tags": "list<item: string>[pyarrow]",
}


def dtypes(df: pd.DataFrame) -> dict[str, str]:
    return {name: str(dtype) for name, dtype in df.dtypes.items()}


def test_schema_table_lists_every_column_in_order() -> None:
    assert list(WORKLOG_COLUMNS) == list(EXPECTED_DTYPES)


def test_rows_get_the_documented_dtypes() -> None:
    df = worklogs_frame([row(1), row(2)], "Europe/Budapest")
    assert dtypes(df) == EXPECTED_DTYPES


def test_empty_frame_has_the_same_columns_and_dtypes() -> None:
    df = empty_worklogs("Europe/Budapest")
    assert len(df) == 0
    assert dtypes(df) == EXPECTED_DTYPES


def test_values_are_parsed_exactly() -> None:
    df = worklogs_frame([row(7, seconds=5401)], "Europe/Budapest")
    first = df.iloc[0]
    assert first["worklog_id"] == 7
    assert first["jira_worklog_id"] == 310007
    assert first["description"] == "Réunion d'équipe 🚀"
    assert first["start"] == pd.Timestamp("2025-03-18 09:30", tz="Europe/Budapest")
    assert first["duration"] == pd.Timedelta(seconds=5401)
    assert first["hours"] == pytest.approx(5401 / 3600)
    assert first["tags"] == ["support", "meeting"]
    assert bool(first["billable"]) is True


def test_utc_and_offset_timestamps_give_the_same_instant() -> None:
    df = worklogs_frame(
        [row(1, "2025-03-18T08:30:00.000Z"), row(2, "2025-03-18T09:30:00+01:00")],
        "America/New_York",
    )
    assert df["start"].iloc[0] == df["start"].iloc[1]
    assert str(df["start"].iloc[0]) == "2025-03-18 04:30:00-04:00"


def test_date_is_the_local_day_of_the_start() -> None:
    # 22:30 UTC on 30 March is 00:30 on 31 March in Budapest (summer time).
    df = worklogs_frame([row(1, "2025-03-30T22:30:00.000Z")], "Europe/Budapest")
    assert df["date"].iloc[0] == pd.Timestamp("2025-03-31")
    utc = worklogs_frame([row(1, "2025-03-30T22:30:00.000Z")], "UTC")
    assert utc["date"].iloc[0] == pd.Timestamp("2025-03-30")


def test_missing_nested_fields_become_na() -> None:
    deleted = row(1, author={"id": "712020:gone"})
    deleted["issue"].pop("summary")
    deleted["worklog"].pop("worklogTags")
    df = worklogs_frame([deleted], "UTC")
    assert df["author"].isna().tolist() == [True]
    assert df["author_id"].tolist() == ["712020:gone"]
    assert df["issue_summary"].isna().tolist() == [True]
    assert df["tags"].tolist() == [[]]


def test_rows_are_sorted_by_start_then_id() -> None:
    df = worklogs_frame(
        [
            row(3, "2025-03-18T10:00:00Z"),
            row(2, "2025-03-18T08:00:00Z"),
            row(1, "2025-03-18T10:00:00Z"),
        ],
        "UTC",
    )
    assert df["worklog_id"].tolist() == [2, 1, 3]


def test_attrs_record_the_zone_and_range() -> None:
    df = worklogs_frame([], "Asia/Kolkata", attrs={"start": "2025-01-01"})
    assert df.attrs == {"timezone": "Asia/Kolkata", "start": "2025-01-01"}
    assert dt.date.fromisoformat(df.attrs["start"]) == dt.date(2025, 1, 1)
