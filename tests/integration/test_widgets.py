"""The login form, driven from Python against the emulator (no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tt_notebook import connection
from tt_notebook.emulator import DEMO_TOKEN, EmulatorServer
from tt_notebook.widgets import login_form

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _cache_in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TT_NOTEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TIMETRACKER_API_KEY", raising=False)


def test_building_the_form_sends_no_request(emulator: EmulatorServer) -> None:
    emulator.clear_log()
    form = login_form(timezone="Europe/Budapest", base_url=emulator.url)
    assert form.timezone.value == "Europe/Budapest"
    assert form.token.value == ""
    assert emulator.requests_log == []


def test_connect_reports_success_and_empties_the_password_field(
    emulator: EmulatorServer,
) -> None:
    form = login_form(timezone="Asia/Kolkata", base_url=emulator.url)
    form.token.value = DEMO_TOKEN
    form.button.click()
    assert form.session is not None
    assert form.session.timezone == "Asia/Kolkata"
    assert connection.current_session() is form.session
    assert form.token.value == ""
    assert "time zone Asia/Kolkata" in form.status.value
    assert f"sees {len(emulator.org.tags)} worklog tags" in form.status.value


def test_rejected_token_shows_in_the_status_line_without_the_token(
    emulator: EmulatorServer,
) -> None:
    form = login_form(base_url=emulator.url)
    form.token.value = "wrong-demo-token"
    form.button.click()
    assert form.session is None
    assert "rejected the token" in form.status.value
    assert "wrong-demo-token" not in form.status.value
    assert not form.button.disabled


def test_token_from_the_environment_is_used_but_never_copied_into_the_field(
    emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIMETRACKER_API_KEY", DEMO_TOKEN)
    form = login_form(timezone="UTC", base_url=emulator.url)
    assert form.token.value == ""
    assert form.token.placeholder == "using TIMETRACKER_API_KEY"
    assert form.connect() is form.session is not None


def test_empty_form_says_a_token_is_needed(emulator: EmulatorServer) -> None:
    form = login_form(base_url=emulator.url)
    assert form.connect() is None
    assert "No API token" in form.status.value
