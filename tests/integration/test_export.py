"""``tt-notebook export`` against the emulator: files, progress bar, errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import tt_notebook as tt
from tests.conftest import SessionFactory
from tt_notebook.cli import main
from tt_notebook.emulator import DEMO_TOKEN, EmulatorServer

pytestmark = pytest.mark.integration


@pytest.fixture
def environment(
    emulator: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> EmulatorServer:
    """The token in TIMETRACKER_API_KEY, as a user would set it; a private cache."""
    monkeypatch.setenv("TIMETRACKER_API_KEY", DEMO_TOKEN)
    monkeypatch.setenv("TT_NOTEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TIMETRACKER_BASE_URL", raising=False)
    monkeypatch.delenv("TIMETRACKER_TIMEZONE", raising=False)
    return emulator


def export(*args: str) -> int:
    return main(["export", "--from", "2025-03-24", "--to", "2025-04-06", *args])


def test_csv_export_writes_every_worklog_and_shows_progress(
    environment: EmulatorServer,
    make_session: SessionFactory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "worklogs.csv"
    status = export(
        "--tz", "Europe/Budapest", "--base-url", environment.url, "--out", str(out)
    )
    captured = capsys.readouterr()
    df = tt.fetch_worklogs(
        "2025-03-24", "2025-04-06", session=make_session("Europe/Budapest")
    )
    assert status == 0
    assert (
        f"Wrote {len(df)} worklogs, 2025-03-24 to 2025-04-06 in Europe/Budapest"
        in captured.out
    )
    assert "export: 100%" in captured.err  # the fetch and the writing step
    assert "2/2" in captured.err
    back = pd.read_csv(out)
    assert back["worklog_id"].tolist() == df["worklog_id"].tolist()
    assert back["duration_seconds"].sum() == df["duration"].sum().total_seconds()
    assert back["start"].iloc[0] == str(df["start"].iloc[0])


def test_xlsx_export_from_the_out_suffix(
    environment: EmulatorServer, tmp_path: Path
) -> None:
    out = tmp_path / "report.xlsx"
    status = export(
        "--tz",
        "America/New_York",
        "--base-url",
        environment.url,
        "--out",
        str(out),
        "--no-progress",
    )
    assert status == 0
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == ["worklogs", "by day", "by project", "by person", "about"]
    assert len(sheets["by day"]) == 14
    about = dict(zip(sheets["about"]["item"], sheets["about"]["value"], strict=True))
    assert about["time zone"] == "America/New_York"


def test_parquet_export_of_one_project_keeps_the_schema(
    environment: EmulatorServer, tmp_path: Path
) -> None:
    out = tmp_path / "web.data"
    project = next(p for p in environment.org.projects if p.key == "WEB")
    status = export(
        "--tz",
        "Asia/Tokyo",
        "--base-url",
        environment.url,
        "--out",
        str(out),
        "--format",
        "parquet",
        "--project",
        project.id,
        "--no-progress",
    )
    assert status == 0
    back = pd.read_parquet(out)
    assert set(back["project_key"].astype(str)) == {"WEB"}
    assert str(back["start"].dtype) == "datetime64[ns, Asia/Tokyo]"
    assert back.attrs["start"] == "2025-03-24"


def test_demo_export_needs_no_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TIMETRACKER_API_KEY", raising=False)
    out = tmp_path / "demo.csv"
    assert export("--demo", "--tz", "UTC", "--out", str(out), "--no-progress") == 0
    expected = tt.fetch_worklogs("2025-03-24", "2025-04-06", session=tt.demo("UTC"))
    assert pd.read_csv(out)["worklog_id"].tolist() == expected["worklog_id"].tolist()


def test_no_token_is_a_plain_error(
    environment: EmulatorServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("TIMETRACKER_API_KEY")
    status = export("--base-url", environment.url, "--out", str(tmp_path / "x.csv"))
    assert status == 1
    assert "TIMETRACKER_API_KEY" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_an_unknown_format_is_refused_before_any_request(
    environment: EmulatorServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.clear_log()
    status = export("--base-url", environment.url, "--out", str(tmp_path / "x.json"))
    assert status == 2
    assert "--format csv, xlsx or parquet" in capsys.readouterr().err
    assert environment.requests_log == []
