"""Summary, fillchecker and tag answers, written out by hand, to typed frames."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from tt_notebook.errors import ConfigurationError
from tt_notebook.frames import (
    FILLCHECKER_COLUMNS,
    SUMMARY_COLUMNS,
    TAG_COLUMNS,
    fillchecker_frame,
    fillchecker_table,
    summary_frame,
    summary_frames,
    tags_frame,
)

AMOUNTS = {
    "billable_duration": "timedelta64[ns]",
    "non_billable_duration": "timedelta64[ns]",
    "total_duration": "timedelta64[ns]",
    "billable_hours": "float64",
    "non_billable_hours": "float64",
    "total_hours": "float64",
}


def seconds(
    billable: int, non_billable: int, total: int | None = None
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "billableLoggedSeconds": billable,
        "nonBillableLoggedSeconds": non_billable,
    }
    if total is not None:
        item["totalLogged"] = total
    return item


def dtypes(df: pd.DataFrame) -> dict[str, str]:
    return df.dtypes.astype(str).to_dict()


@pytest.mark.parametrize(
    ("view", "entity"),
    [
        ("user", {"author_id": "string", "author": "string", "avatar_url": "string"}),
        (
            "project",
            {"project_id": "string", "project_key": "string", "project_name": "string"},
        ),
        (
            "issue",
            {
                "issue_id": "Int64",
                "issue_key": "string",
                "issue_summary": "string",
                "project_id": "string",
            },
        ),
        ("tag", {"tag_id": "Int64", "tag": "string"}),
        ("billing", {"billable": "boolean"}),
    ],
)
def test_every_summary_view_has_its_columns_even_when_empty(
    view: str, entity: dict[str, str]
) -> None:
    expected = {**entity, **AMOUNTS}
    assert SUMMARY_COLUMNS[view] == expected
    assert dtypes(summary_frame(view, [])) == expected
    assert dtypes(summary_frame(f"{view}View", [])) == expected


def test_user_view_keeps_exact_seconds_and_a_deleted_users_missing_name() -> None:
    items = [
        {
            "user": {"id": "712020:dana", "name": "Dana", "avatar": "https://a/d.png"},
            **seconds(86400, 14400, 100800),
        },
        {"user": {"id": "712020:gone"}, **seconds(0, 3601, 3601)},
    ]
    df = summary_frame("user", items)
    assert df["author_id"].tolist() == ["712020:dana", "712020:gone"]
    assert df["author"].isna().tolist() == [False, True]
    assert df["avatar_url"].tolist()[0] == "https://a/d.png"
    assert df["total_duration"].tolist() == [
        pd.Timedelta(seconds=100800),
        pd.Timedelta(seconds=3601),
    ]
    assert df["billable_hours"].tolist() == [24.0, 0.0]
    assert df["non_billable_hours"].tolist() == [4.0, 3601 / 3600]
    assert df["total_hours"].tolist() == [28.0, 3601 / 3600]


def test_a_missing_total_is_billable_plus_non_billable() -> None:
    df = summary_frame(
        "project",
        [
            {
                "project": {"id": 10000, "key": "OPS", "name": "Operations"},
                **seconds(60, 30),
            }
        ],
    )
    assert df["total_duration"].tolist() == [pd.Timedelta(seconds=90)]
    assert df["project_id"].tolist() == ["10000"]  # a string, as in the worklog frame


def test_rows_are_sorted_by_total_then_first_column() -> None:
    items = [
        {
            "issue": {"id": 3, "key": "OPS-3", "summary": "c", "projectId": "10000"},
            **seconds(0, 60, 60),
        },
        {
            "issue": {"id": 1, "key": "OPS-1", "summary": "a", "projectId": "10000"},
            **seconds(0, 600, 600),
        },
        {
            "issue": {"id": 2, "key": "OPS-2", "summary": "b", "projectId": 10000},
            **seconds(60, 0, 60),
        },
    ]
    df = summary_frame("issue", items)
    assert df["issue_key"].tolist() == ["OPS-1", "OPS-2", "OPS-3"]
    assert df["project_id"].tolist() == ["10000", "10000", "10000"]


def test_untagged_work_is_na_and_a_two_tag_worklog_counts_under_both() -> None:
    # One hour tagged dev+review and half an hour untagged: the tag view says
    # 2.5 hours in all, the user view 1.5.
    report = {
        "userView": [{"user": {"id": "a", "name": "Ann"}, **seconds(5400, 0, 5400)}],
        "tagView": [
            {"tag": {"id": 1, "name": "dev"}, **seconds(3600, 0, 3600)},
            {"tag": {"id": 2, "name": "review"}, **seconds(3600, 0, 3600)},
            {"tag": None, **seconds(1800, 0, 1800)},
        ],
    }
    frames = summary_frames(report, ["user", "tag"])
    tags = frames["tag"]
    assert tags["tag"].isna().tolist() == [False, False, True]
    assert tags["tag_id"].isna().tolist() == [False, False, True]
    assert tags["total_hours"].tolist() == [1.0, 1.0, 0.5]
    assert tags["total_hours"].sum() == 2.5
    assert frames["user"]["total_hours"].sum() == 1.5


def test_billing_view_has_one_row_per_flag() -> None:
    df = summary_frame(
        "billing",
        [
            {"billable": False, **seconds(0, 7200, 7200)},
            {"billable": True, **seconds(3600, 0, 3600)},
        ],
    )
    assert df["billable"].tolist() == [False, True]
    assert df["total_hours"].tolist() == [2.0, 1.0]


def test_summary_frames_give_an_empty_frame_for_a_view_the_answer_lacks() -> None:
    frames = summary_frames({"userView": []}, ["projectView", "billing"])
    assert list(frames) == ["project", "billing"]
    assert all(len(f) == 0 for f in frames.values())
    with pytest.raises(ConfigurationError, match="Unknown summary views"):
        summary_frames({}, ["versionView"])


FILL = [
    {
        "accountId": "712020:bob",
        "daySummaries": [
            {"date": "2024-11-18", "realWorkInSeconds": 28800, "nonWorkInSeconds": 0},
            {"date": "2024-11-19", "realWorkInSeconds": 0, "nonWorkInSeconds": 28800},
            {"date": "2024-11-20", "realWorkInSeconds": 3601, "nonWorkInSeconds": 0},
        ],
    },
    {
        "accountId": "712020:ann",
        "daySummaries": [
            {"date": "2024-11-18", "realWorkInSeconds": 0, "nonWorkInSeconds": 0},
            {"date": "2024-11-19", "realWorkInSeconds": 14400, "nonWorkInSeconds": 0},
            {"date": "2024-11-20", "realWorkInSeconds": 14400},
        ],
    },
]


def test_fillchecker_long_frame_is_one_row_per_person_and_day() -> None:
    df = fillchecker_frame(FILL, {"712020:ann": "Ann"})
    assert dtypes(df) == FILLCHECKER_COLUMNS
    assert df["author_id"].tolist() == ["712020:ann"] * 3 + ["712020:bob"] * 3
    assert df["author"].isna().tolist() == [False] * 3 + [True] * 3
    assert (
        df["date"].tolist() == [pd.Timestamp(f"2024-11-{d}") for d in (18, 19, 20)] * 2
    )
    assert df["real_work_hours"].tolist() == [0.0, 4.0, 4.0, 8.0, 0.0, 3601 / 3600]
    assert df["non_work_duration"].tolist()[3:5] == [
        pd.Timedelta(0),
        pd.Timedelta(hours=8),
    ]
    # A field the answer left out is missing, not zero.
    assert df["non_work_duration"].isna().tolist() == [
        False,
        False,
        True,
        False,
        False,
        False,
    ]


def test_fillchecker_table_is_person_by_day() -> None:
    table = fillchecker_table(fillchecker_frame(FILL, {"712020:ann": "Ann"}))
    assert table.index.tolist() == ["712020:bob", "Ann"]
    assert table.columns.tolist() == [
        pd.Timestamp(f"2024-11-{d}") for d in (18, 19, 20)
    ]
    assert table.loc["Ann"].tolist() == [0.0, 4.0, 4.0]
    assert table.loc["712020:bob"].tolist() == [8.0, 0.0, 3601 / 3600]
    off = fillchecker_table(fillchecker_frame(FILL), values="non_work_hours")
    assert off.loc["712020:bob"].tolist() == [0.0, 8.0, 0.0]


def test_fillchecker_table_fills_a_missing_day_with_zero() -> None:
    gap = [
        {
            "accountId": "a",
            "daySummaries": [
                {
                    "date": "2024-11-18",
                    "realWorkInSeconds": 3600,
                    "nonWorkInSeconds": 0,
                },
                {
                    "date": "2024-11-20",
                    "realWorkInSeconds": 7200,
                    "nonWorkInSeconds": 0,
                },
            ],
        }
    ]
    assert fillchecker_table(fillchecker_frame(gap)).iloc[0].tolist() == [1.0, 0.0, 2.0]


def test_empty_fillchecker_frames_keep_their_columns() -> None:
    df = fillchecker_frame([])
    assert dtypes(df) == FILLCHECKER_COLUMNS
    assert fillchecker_table(df).shape == (0, 0)


def test_tags_frame_has_the_documented_dtypes_and_na_for_the_default_colour() -> None:
    df = tags_frame(
        [
            {
                "id": 7,
                "name": "admin",
                "description": "Admin tasks",
                "archived": True,
                "colorIndex": 4,
            },
            {
                "id": 1,
                "name": "développement",
                "description": "Coding",
                "archived": False,
                "colorIndex": None,
            },
            {"id": 3, "name": "support"},
        ]
    )
    assert dtypes(df) == TAG_COLUMNS
    assert df["tag_id"].tolist() == [1, 3, 7]
    assert df["name"].tolist() == ["développement", "support", "admin"]
    assert df["color_index"].isna().tolist() == [True, True, False]
    assert df["archived"].isna().tolist() == [False, True, False]
    assert df["description"].isna().tolist() == [False, True, False]
    assert dtypes(tags_frame([])) == TAG_COLUMNS


def test_seconds_are_exact_beyond_float_hours() -> None:
    # A year of one person's seconds: the duration is exact to the second.
    df = summary_frame("user", [{"user": {"id": "a"}, **seconds(31_536_001, 0)}])
    assert df["total_duration"].iloc[0] == pd.Timedelta(seconds=31_536_001)
    assert df["total_hours"].iloc[0] == np.float64(31_536_001 / 3600)
