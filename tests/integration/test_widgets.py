"""The login form, driven from Python against the emulator (no browser)."""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from typing import Any

import pytest

from tt_notebook import connection, widgets
from tt_notebook.emulator import DEMO_MEMBER_TOKEN, DEMO_TOKEN, EmulatorServer
from tt_notebook.errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    PermissionDeniedError,
    RateLimitError,
    SyncIncompleteError,
    ValidationError,
)
from tt_notebook.widgets import describe_error, login_form

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _cache_in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TT_NOTEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TIMETRACKER_API_KEY", raising=False)
    monkeypatch.delenv("TIMETRACKER_BASE_URL", raising=False)


def closed_port() -> int:
    """A loopback port that nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_building_the_form_sends_no_request(emulator: EmulatorServer) -> None:
    emulator.clear_log()
    form = login_form(timezone="Europe/Budapest", base_url=emulator.url)
    assert form.timezone.value == "Europe/Budapest"
    assert form.token.value == ""
    assert form.api_version.value == "latest"
    assert form.demo.value is False
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
    assert repr(form) == "<LoginForm: connected, time zone Asia/Kolkata>"


def test_a_rejected_token_is_explained_and_cleared_from_the_field(
    emulator: EmulatorServer,
) -> None:
    form = login_form(base_url=emulator.url)
    form.token.value = "wrong-demo-token"
    form.button.click()
    assert form.session is None
    assert "refused the token (HTTP 401)" in form.status.value
    assert "API tokens are not enabled" in form.status.value
    assert form.status.value.count("GET /tag, HTTP 401") == 1
    assert "wrong-demo-token" not in form.status.value
    assert form.token.value == ""
    assert not form.button.disabled


def test_token_from_the_environment_is_used_but_never_copied_into_the_field(
    emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIMETRACKER_API_KEY", DEMO_TOKEN)
    form = login_form(timezone="UTC", base_url=emulator.url)
    assert form.token.value == ""
    assert form.token.placeholder == "using TIMETRACKER_API_KEY"
    assert form.connect() is form.session is not None
    assert form.token.value == ""


def test_empty_form_says_a_token_is_needed(emulator: EmulatorServer) -> None:
    form = login_form(base_url=emulator.url)
    assert form.connect() is None
    assert "No API token" in form.status.value


def test_an_unknown_zone_is_refused_before_any_request(
    emulator: EmulatorServer,
) -> None:
    form = login_form(timezone="Europe/Budpest", base_url=emulator.url)
    form.token.value = DEMO_TOKEN
    emulator.clear_log()
    assert form.connect() is None
    assert "Unknown time zone &#x27;Europe/Budpest&#x27;" in form.status.value
    assert emulator.requests_log == []
    assert form.token.value == ""


def test_an_empty_zone_asks_for_one(emulator: EmulatorServer) -> None:
    form = login_form(timezone="UTC", base_url=emulator.url)
    form.timezone.value = "  "
    form.token.value = DEMO_TOKEN
    assert form.connect() is None
    assert "No time zone" in form.status.value


def test_an_unreachable_service_says_so_and_names_the_host() -> None:
    port = closed_port()
    form = login_form(timezone="UTC", base_url=f"http://127.0.0.1:{port}")
    form.token.value = DEMO_TOKEN
    assert form.connect() is None
    assert f"Could not reach 127.0.0.1:{port}" in form.status.value
    assert "check the base URL under Advanced" in form.status.value


def test_a_rate_limited_connect_says_to_wait(
    emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def limited(**_kwargs: Any) -> None:
        raise RateLimitError("429", status_code=429, endpoint="GET /tag")

    monkeypatch.setattr(widgets, "connect", limited)
    form = login_form(timezone="UTC", base_url=emulator.url)
    form.token.value = DEMO_TOKEN
    assert form.connect() is None
    assert "rate limiting" in form.status.value
    assert "wait a minute" in form.status.value


def test_the_api_version_under_advanced_reaches_the_address(
    emulator: EmulatorServer,
) -> None:
    form = login_form(timezone="UTC", base_url=emulator.url, api_version="2")
    form.token.value = DEMO_TOKEN
    session = form.connect()
    assert session is not None
    assert session.api_root.endswith("/timetracker/api/2/public")
    assert "(API 2)" in form.status.value


def test_a_malformed_api_version_is_refused(emulator: EmulatorServer) -> None:
    form = login_form(timezone="UTC", base_url=emulator.url)
    form.api_version.value = "v2"
    form.token.value = DEMO_TOKEN
    assert form.connect() is None
    assert "api_version &#x27;v2&#x27;" in form.status.value


def test_use_demo_data_connects_to_the_emulator_without_a_token() -> None:
    form = login_form(timezone="Europe/Budapest", demo=True)
    assert form.base_url.disabled
    assert form.api_version.disabled
    assert "demo-token" in form.token.placeholder
    session = form.connect()
    assert session is not None
    assert session.api_root.startswith("http://127.0.0.1:")
    assert "(demo data)" in form.status.value


def test_use_demo_data_takes_a_typed_demo_token(emulator: EmulatorServer) -> None:
    form = login_form(timezone="UTC", demo=True)
    form.token.value = DEMO_MEMBER_TOKEN
    assert form.connect() is not None
    assert form.token.value == ""
    form.token.value = "not-a-demo-token"
    assert form.connect() is None
    assert "refused the token" in form.status.value


def test_turning_demo_off_enables_the_advanced_fields() -> None:
    form = login_form(demo=True)
    form.demo.value = False
    assert not form.base_url.disabled
    assert not form.api_version.disabled
    assert form.token.placeholder == "paste token"


def test_connect_callbacks_get_the_new_session(emulator: EmulatorServer) -> None:
    form = login_form(timezone="UTC", base_url=emulator.url)
    seen: list[object] = []
    form.on_connect(seen.append)
    form.token.value = DEMO_TOKEN
    session = form.connect()
    assert seen == [session]


def test_a_failing_connect_callback_is_shown_not_raised(
    emulator: EmulatorServer,
) -> None:
    form = login_form(timezone="UTC", base_url=emulator.url)

    def broken(_session: object) -> None:
        raise RuntimeError("listener fell over")

    form.on_connect(broken)
    form.token.value = f"  {DEMO_TOKEN} "  # pasted with spaces around it
    assert form.connect() is not None
    assert "listener fell over" in form.status.value


def test_an_unexpected_error_is_shown_and_logged_with_its_traceback(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(**_kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(widgets, "connect", broken)
    form = login_form(timezone="UTC")
    form.token.value = DEMO_TOKEN
    with caplog.at_level(logging.ERROR, logger="tt_notebook.widgets"):
        assert form.connect() is None
    assert "Unexpected error (RuntimeError): disk on fire" in form.status.value
    assert caplog.records[-1].exc_info is not None
    assert not form.button.disabled


def test_the_form_shows_a_short_text_for_notebooks() -> None:
    bundle = login_form(timezone="UTC")._repr_mimebundle_()
    assert bundle["text/plain"] == "<LoginForm: not connected>"
    assert "application/vnd.jupyter.widget-view+json" in bundle


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            AuthenticationError("x", status_code=403, endpoint="GET /tag"),
            "refused the token (HTTP 403): either the token is wrong or revoked, "
            "or API tokens are not enabled",
        ),
        (
            PermissionDeniedError("x", status_code=479, endpoint="GET /tag"),
            "lacks a Timetracker permission (HTTP 479)",
        ),
        (
            RateLimitError("x", status_code=None, endpoint="GET /tag"),
            "rate limiting these requests",
        ),
        (
            SyncIncompleteError("x", status_code=567, endpoint="GET /tag"),
            "not finished syncing",
        ),
        (
            APIError("x", status_code=None, endpoint="GET /tag"),
            "Could not reach example.test:",
        ),
        (
            APIError("x", status_code=404, endpoint="GET /tag"),
            "example.test has no Timetracker API at this address (HTTP 404)",
        ),
        (
            APIError("x", status_code=503, endpoint="GET /tag"),
            "example.test is failing (HTTP 503)",
        ),
        (
            ValidationError("Rejected: x.", status_code=400, endpoint="GET /tag"),
            "Rejected: x.",
        ),
        (ConfigurationError("Start is after end."), "Start is after end."),
        (KeyError("boom"), "Unexpected error (KeyError): 'boom'"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else "",
)
def test_each_failure_kind_has_its_own_plain_message(
    error: BaseException, expected: str
) -> None:
    assert expected in describe_error(error, "example.test")
