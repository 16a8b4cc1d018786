"""df.tt.to_csv, to_excel and to_parquet on a hand-made frame."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from tests.unit.test_accessor import day, frame, worklog

ZONE = "America/New_York"


def two() -> pd.DataFrame:
    return frame(
        [
            worklog("2025-03-09 01:30", ZONE, seconds=5401, tags=("dev", "review")),
            worklog("2025-03-09 03:15", ZONE, minutes=30, person="gone", project="WEB"),
        ],
        ZONE,
        "2025-03-09",
        "2025-03-10",
    )


def test_csv_has_offsets_whole_seconds_and_joined_tags() -> None:
    df = two()
    text = df.tt.to_csv()
    assert text is not None
    header, first, second = text.splitlines()
    assert header.split(",")[11:] == [
        "start",
        "date",
        "duration_seconds",
        "hours",
        "billable",
        "tags",
    ]
    # 01:30 EST, then 03:15 EDT: the clocks went forward in between.
    assert first.split(",")[11:14] == [
        "2025-03-09 01:30:00-05:00",
        "2025-03-09",
        "5401",
    ]
    assert first.endswith(',True,"dev, review"')
    assert second.split(",")[9:14] == [
        "712020:gone",
        "",
        "2025-03-09 03:15:00-04:00",
        "2025-03-09",
        "1800",
    ]


def test_csv_goes_to_a_file_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "worklogs.csv"
    assert two().tt.to_csv(path) is None
    back = pd.read_csv(path)
    assert back["duration_seconds"].tolist() == [5401, 1800]
    assert back["tags"].fillna("").tolist() == ["dev, review", ""]


def test_excel_has_five_sheets_with_local_naive_times() -> None:
    buffer = io.BytesIO()
    two().tt.to_excel(buffer)
    sheets = pd.read_excel(buffer, sheet_name=None)
    assert list(sheets) == ["worklogs", "by day", "by project", "by person", "about"]
    worklogs = sheets["worklogs"]
    assert worklogs["start"].tolist() == [
        pd.Timestamp("2025-03-09 01:30"),
        pd.Timestamp("2025-03-09 03:15"),
    ]
    assert worklogs["duration_seconds"].tolist() == [5401, 1800]
    # Excel keeps 15 significant digits, so the last bit of an hour may go.
    assert sheets["by day"]["date"].tolist() == [day("2025-03-09"), day("2025-03-10")]
    assert sheets["by day"]["hours"].tolist() == pytest.approx(
        [5401 / 3600 + 0.5, 0.0], rel=1e-15
    )
    assert sheets["by project"]["project"].tolist() == ["OPS", "WEB"]
    assert sheets["by project"]["hours"].tolist() == pytest.approx(
        [5401 / 3600, 0.5], rel=1e-15
    )
    assert sheets["by person"]["author"].tolist() == ["712020:gone", "Ann"]
    about = dict(zip(sheets["about"]["item"], sheets["about"]["value"], strict=True))
    assert about["time zone"] == ZONE
    assert about["first day"] == "2025-03-09"
    assert about["last day"] == "2025-03-10"
    assert "local wall-clock time in America/New_York" in about["note"]


def test_parquet_keeps_zone_durations_dtypes_and_attrs() -> None:
    df = two()
    buffer = io.BytesIO()
    df.tt.to_parquet(buffer)
    back = pd.read_parquet(buffer)
    # Every dtype survives but the tag lists', which come back as objects.
    expected = df.dtypes.astype(str).to_dict() | {"tags": "object"}
    assert back.dtypes.astype(str).to_dict() == expected
    assert back["start"].tolist() == df["start"].tolist()
    assert back["duration"].tolist() == [
        pd.Timedelta(seconds=5401),
        pd.Timedelta(minutes=30),
    ]
    assert [list(t) for t in back["tags"]] == [["dev", "review"], []]
    assert back.attrs == df.attrs
    pd.testing.assert_series_equal(back.tt.totals(by="tag"), df.tt.totals(by="tag"))
