"""The report form and the dashboard, driven from Python against the emulator."""

from __future__ import annotations

import base64
import datetime as dt
import logging
import warnings
import zoneinfo
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.conftest import SessionFactory
from tt_notebook import fetch_worklogs, widgets
from tt_notebook.emulator import DEMO_MEMBER_TOKEN, DEMO_TOKEN, EmulatorServer
from tt_notebook.errors import StaleCacheWarning
from tt_notebook.frames import empty_worklogs
from tt_notebook.session import TimetrackerSession
from tt_notebook.widgets import dashboard, login_form, quick_range, report_form

pytestmark = pytest.mark.integration

TODAY = dt.date(2025, 6, 18)  # a Wednesday inside the demo year
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _cache_in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TT_NOTEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TIMETRACKER_API_KEY", raising=False)


def summary_requests(server: EmulatorServer) -> int:
    return sum(r.path.endswith("/report/summary") for r in server.requests_log)


def chart_png(form: widgets.ReportForm) -> bytes:
    (output,) = form.chart.outputs
    return base64.b64decode(output["data"]["image/png"])


def authors_between(server: EmulatorServer, first: dt.date, last: dt.date) -> set[str]:
    return {
        w.author_id
        for w in server.org.worklogs
        if first <= w.start.astimezone(dt.UTC).date() <= last
    }


# Quick date choices -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "today", "expected"),
    [
        ("this week", TODAY, ("2025-06-16", "2025-06-22")),
        ("last week", TODAY, ("2025-06-09", "2025-06-15")),
        ("this month", TODAY, ("2025-06-01", "2025-06-30")),
        ("last month", TODAY, ("2025-05-01", "2025-05-31")),
        ("last week", dt.date(2025, 1, 1), ("2024-12-23", "2024-12-29")),
        ("this week", dt.date(2025, 1, 1), ("2024-12-30", "2025-01-05")),
        ("last month", dt.date(2025, 1, 31), ("2024-12-01", "2024-12-31")),
        ("this month", dt.date(2024, 2, 29), ("2024-02-01", "2024-02-29")),
        ("this week", dt.date(2025, 6, 22), ("2025-06-16", "2025-06-22")),
    ],
)
def test_quick_choices_count_from_the_given_day(
    name: str, today: dt.date, expected: tuple[str, str]
) -> None:
    first, last = quick_range(name, today)
    assert (first.isoformat(), last.isoformat()) == expected


def test_an_unknown_quick_choice_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown quick range 'yesterday'"):
        quick_range("yesterday", TODAY)


def test_quick_buttons_set_the_date_pickers() -> None:
    form = report_form(today=TODAY)
    assert (form.start.value, form.end.value) == quick_range("last month", TODAY)
    labels = [button.description for button in form.quick]
    assert labels == ["This week", "Last week", "This month", "Last month"]
    form.quick[0].click()
    assert (form.start.value, form.end.value) == (
        dt.date(2025, 6, 16),
        dt.date(2025, 6, 22),
    )


def test_without_today_the_quick_choices_use_the_sessions_zone(
    make_session: SessionFactory,
) -> None:
    # Kiritimati is UTC+14 and Pago Pago UTC-11: a day apart most hours.
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        form = report_form(make_session(zone))
        now = dt.datetime.now(zoneinfo.ZoneInfo(zone)).date()
        assert form.today() in (now, now - dt.timedelta(days=1))
        assert form.set_range("this week")[0] == now - dt.timedelta(now.weekday())


# The people and projects lists --------------------------------------------


def test_building_the_forms_sends_no_request(
    emulator: EmulatorServer, make_session: SessionFactory
) -> None:
    session = make_session()
    emulator.clear_log()
    report_form(session, today=TODAY)
    dashboard(login_form(base_url=emulator.url), today=TODAY)
    assert emulator.requests_log == []


def test_lists_fill_from_one_summary_report_when_the_login_form_connects(
    emulator: EmulatorServer,
) -> None:
    login = login_form(timezone="UTC", base_url=emulator.url)
    board = dashboard(login, today=TODAY)
    assert board.people.options == ()
    login.token.value = DEMO_TOKEN
    emulator.clear_log()
    login.connect()

    assert summary_requests(emulator) == 1
    (summary,) = [r for r in emulator.requests_log if r.path.endswith("summary")]
    assert summary.body["startDate"] == "2024-06-19"
    assert summary.body["endDate"] == "2025-06-18"
    ids = authors_between(emulator, dt.date(2025, 1, 1), TODAY)
    assert {value for _, value in board.people.options} == ids
    names = {emulator.org.person(i).name or "(deleted user)" for i in ids}
    assert {label for label, _ in board.people.options} == names
    labels = [label for label, _ in board.projects.options]
    assert "LEAVE: Leave & absence" in labels
    assert labels == sorted(labels, key=str.casefold)
    assert f"{len(ids)} people and" in board.choices_note.value


def test_a_member_token_lists_only_its_own_person(emulator: EmulatorServer) -> None:
    login = login_form(timezone="UTC", base_url=emulator.url)
    form = report_form(login, today=TODAY)
    login.token.value = DEMO_MEMBER_TOKEN
    login.connect()
    account = emulator.token_account(DEMO_MEMBER_TOKEN)
    assert [value for _, value in form.people.options] == [account]


def test_shown_with_a_connected_session_the_lists_fill_once(
    emulator: EmulatorServer, make_session: SessionFactory
) -> None:
    form = report_form(make_session(), today=TODAY)
    emulator.clear_log()
    form._repr_mimebundle_()
    form._repr_mimebundle_()
    assert summary_requests(emulator) == 1
    assert len(form.people.options) > 1


def test_shown_before_connecting_the_lists_wait(emulator: EmulatorServer) -> None:
    form = report_form(login_form(base_url=emulator.url), today=TODAY)
    emulator.clear_log()
    bundle = form._repr_mimebundle_()
    assert bundle["text/plain"] == "<ReportForm: nothing fetched>"
    assert emulator.requests_log == []
    assert "Connect to fill" in form.choices_note.value


# Fetch --------------------------------------------------------------------


def test_fetch_gives_the_same_frame_as_fetch_worklogs(
    make_session: SessionFactory,
) -> None:
    session = make_session("Europe/Budapest")
    form = report_form(session, today=TODAY)
    form.set_range("last week")
    form.fetch_button.click()
    expected = fetch_worklogs("2025-06-09", "2025-06-15", session=session)
    assert form.frame is not None
    pd.testing.assert_frame_equal(form.frame, expected)
    hours = f"{expected['hours'].sum():,.1f} hours"
    assert f"{len(expected):,} worklogs, {hours}" in form.status.value
    assert "2025-06-09 to 2025-06-15 (Europe/Budapest)" in form.status.value
    assert repr(form) == f"<ReportForm: {len(expected):,} worklogs>"


def test_fetch_shows_a_table_and_a_chart(make_session: SessionFactory) -> None:
    form = report_form(make_session(), today=TODAY)
    frame = form.fetch()
    assert frame is not None
    (table,) = form.table.outputs
    per_project = frame.groupby("project_key", observed=True)["hours"].sum()
    top = per_project.idxmax()
    assert table["data"]["text/plain"].splitlines()[1].split()[0] == top
    assert (
        "<b>Hours by project, 2025-05-01 to 2025-05-31</b>"
        in table["data"]["text/html"]
    )
    assert "<table" in table["data"]["text/html"]
    assert chart_png(form).startswith(PNG)
    assert form.progress.outputs == ()
    assert not form.fetch_button.disabled


def test_fetch_applies_people_projects_and_billable(
    emulator: EmulatorServer, make_session: SessionFactory
) -> None:
    form = report_form(make_session(), today=TODAY)
    form.load_choices()
    web = next(v for label, v in form.projects.options if label.startswith("WEB:"))
    # Someone with non-billable WEB work in the form's range (May 2025).
    person = next(
        w.author_id
        for w in emulator.org.worklogs
        if dt.date(2025, 5, 1) <= w.start.astimezone(dt.UTC).date() <= TODAY
        and emulator.org.issue(w.issue_id).project_id == web
        and not w.billable
    )
    form.people.value = (person,)
    form.projects.value = (web,)
    form.billable.value = "no"
    form.start.value = dt.date(2025, 5, 1)
    form.end.value = TODAY
    frame = form.fetch()
    assert frame is not None
    assert len(frame) > 0
    assert set(frame["author_id"].astype(str)) == {person}
    assert set(frame["project_key"].astype(str)) == {"WEB"}
    assert not frame["billable"].any()


def test_fetch_before_connecting_says_to_connect(emulator: EmulatorServer) -> None:
    form = report_form(login_form(base_url=emulator.url), today=TODAY)
    assert form.fetch() is None
    assert "Not connected yet: press Connect" in form.status.value
    assert form.frame is None


def test_fetch_with_no_session_at_all_says_how_to_connect() -> None:
    form = report_form(today=TODAY)
    assert form.fetch() is None
    assert "No session" in form.status.value


def test_fetch_with_the_days_reversed_says_so(make_session: SessionFactory) -> None:
    form = report_form(make_session(), today=TODAY)
    form.start.value, form.end.value = dt.date(2025, 3, 9), dt.date(2025, 3, 3)
    assert form.fetch() is None
    assert "after" in form.status.value
    assert not form.fetch_button.disabled


def test_fetch_without_a_day_asks_for_both(make_session: SessionFactory) -> None:
    form = report_form(make_session(), today=TODAY)
    form.end.value = None
    assert form.fetch() is None
    assert "Pick a first and a last day" in form.status.value


def test_a_stale_cache_warning_shows_in_the_status(
    make_session: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def stale(*_args: Any, **_kwargs: Any) -> pd.DataFrame:
        warnings.warn("Served from the cache.", StaleCacheWarning, stacklevel=2)
        frame = empty_worklogs("UTC")
        frame.attrs.update(start="2025-06-09", end="2025-06-15")
        return frame

    monkeypatch.setattr(widgets, "fetch_worklogs", stale)
    form = report_form(make_session(), today=TODAY)
    assert form.fetch() is not None
    assert "Warning: Served from the cache." in form.status.value


def test_an_unexpected_fetch_error_is_shown_and_logged(
    make_session: SessionFactory,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("out of paper")

    monkeypatch.setattr(widgets, "fetch_worklogs", broken)
    form = report_form(make_session(), today=TODAY)
    with caplog.at_level(logging.ERROR, logger="tt_notebook.widgets"):
        assert form.fetch() is None
    assert "Unexpected error (RuntimeError): out of paper" in form.status.value
    assert caplog.records[-1].exc_info is not None


def test_an_empty_range_draws_a_readable_panel(make_session: SessionFactory) -> None:
    form = report_form(make_session(), today=TODAY)
    form.start.value = form.end.value = dt.date(2030, 1, 1)
    frame = form.fetch()
    assert frame is not None
    assert frame.empty
    assert "0 worklogs, 0.0 hours" in form.status.value
    assert chart_png(form).startswith(PNG)


def test_connecting_again_drops_the_old_tokens_results(
    emulator: EmulatorServer,
) -> None:
    login = login_form(timezone="UTC", base_url=emulator.url)
    form = report_form(login, today=TODAY)
    login.token.value = DEMO_TOKEN
    login.connect()
    assert form.fetch() is not None
    login.token.value = DEMO_MEMBER_TOKEN
    login.connect()
    assert form.frame is None
    assert form.table.outputs == ()
    assert form.chart.outputs == ()


# The dashboard's pickers --------------------------------------------------


def test_pickers_redraw_in_place_without_a_request(
    emulator: EmulatorServer, make_session: SessionFactory
) -> None:
    board = dashboard(make_session(), today=TODAY)
    assert board.fetch() is not None
    first_chart = chart_png(board)
    emulator.clear_log()

    board.group_picker.value = "person"
    assert board.table.outputs[0]["data"]["text/plain"].split()[0] == "person"
    assert board.chart.outputs[0]["data"]["text/plain"] == (
        "<chart: Hours per day (stacked) by person>"
    )
    board.chart_picker.value = "Hours per week (stacked)"
    assert board.chart.outputs[0]["data"]["text/plain"] == (
        "<chart: Hours per week (stacked) by person>"
    )
    board.chart_picker.value = "Total hours"
    assert (
        board.chart.outputs[0]["data"]["text/plain"] == "<chart: Total hours by person>"
    )
    assert chart_png(board) != first_chart
    assert emulator.requests_log == []


def test_a_dashboard_takes_its_own_charts(make_session: SessionFactory) -> None:
    calls: list[tuple[int, str]] = []

    def mine(df: pd.DataFrame, by: str = "project", *, ax: Any = None) -> Any:
        calls.append((len(df), by))
        ax.plot([0, 1], [0, 1])
        return ax

    board = dashboard(make_session(), today=TODAY, by="issue", charts={"Mine": mine})
    assert board.chart_picker.options == ("Mine",)
    frame = board.fetch()
    assert frame is not None
    assert calls == [(len(frame), "issue")]


def test_a_failing_chart_is_shown_not_raised(make_session: SessionFactory) -> None:
    def broken(df: pd.DataFrame, by: str = "project", *, ax: Any = None) -> Any:
        raise ValueError("no ink")

    board = dashboard(make_session(), today=TODAY, charts={"Broken": broken})
    assert board.fetch() is not None
    assert "no ink" in board.status.value


def test_the_issue_table_folds_the_long_tail(make_session: SessionFactory) -> None:
    board = dashboard(make_session(), today=TODAY, by="issue")
    frame = board.fetch()
    assert frame is not None
    lines = board.table.outputs[0]["data"]["text/plain"].splitlines()
    issues = frame["issue_key"].nunique()
    assert len(lines) == 1 + widgets.TABLE_ROWS
    assert lines[-1].lstrip().startswith(f"({issues - widgets.TABLE_ROWS + 1} more)")


def test_an_unknown_grouping_is_refused_when_building() -> None:
    with pytest.raises(ValueError, match="by takes one of project, person, issue"):
        dashboard(by="tag")


def test_forms_accept_a_session_object_directly(make_session: SessionFactory) -> None:
    session: TimetrackerSession = make_session("Asia/Tokyo")
    board = dashboard(session, today=TODAY)
    assert board.session is session
