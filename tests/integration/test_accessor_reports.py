"""The summary, fillchecker and tag frames from the emulator agree with df.tt.

The worklog frame of the same range and zone is the reference: the summary
report's totals must be its exact sums per person, project, issue, tag and
billable flag, and the fillchecker's days its sums per person and local day.
"""

from __future__ import annotations

import pandas as pd
import pytest

import tt_notebook as tt
from tests.conftest import SessionFactory
from tt_notebook.accessor import UNTAGGED
from tt_notebook.emulator import DEMO_MEMBER_TOKEN, EmulatorServer
from tt_notebook.errors import ConfigurationError

pytestmark = pytest.mark.integration

FIRST, LAST = "2025-03-24", "2025-04-06"  # the spring clock change inside


def exact(sums: pd.Series) -> dict[object, int]:
    return {k: int(v.total_seconds()) for k, v in sums.items() if v != pd.Timedelta(0)}


def column(frame: pd.DataFrame, key: str) -> dict[object, int]:
    return {
        k: int(v.total_seconds())
        for k, v in zip(frame[key], frame["total_duration"], strict=True)
    }


@pytest.fixture
def budapest(make_session: SessionFactory) -> tt.TimetrackerSession:
    return make_session("Europe/Budapest")


def test_summary_views_are_the_exact_sums_of_the_worklogs(
    budapest: tt.TimetrackerSession,
) -> None:
    df = tt.fetch_worklogs(FIRST, LAST, session=budapest)
    report = tt.fetch_summary(FIRST, LAST, session=budapest)
    assert list(report) == ["user", "project", "issue", "tag", "billing"]
    assert column(report["user"], "author_id") == exact(
        df.tt.totals(by="author_id", values="duration")
    )
    assert column(report["project"], "project_key") == exact(
        df.tt.totals(by="project", values="duration")
    )
    assert column(report["issue"], "issue_key") == exact(
        df.tt.totals(by="issue", values="duration")
    )
    tags = report["tag"].assign(tag=report["tag"]["tag"].fillna(UNTAGGED))
    assert column(tags, "tag") == exact(df.tt.totals(by="tag", values="duration"))
    assert column(report["billing"], "billable") == exact(
        df.tt.totals(by="billable", values="duration")
    )
    users = report["user"]
    assert (
        users["billable_duration"] + users["non_billable_duration"]
        == users["total_duration"]
    ).all()
    assert users["total_hours"].is_monotonic_decreasing
    assert report["user"].attrs == {
        "timezone": "Europe/Budapest",
        "start": FIRST,
        "end": LAST,
        "view": "user",
    }


def test_summary_of_one_view_with_filters(budapest: tt.TimetrackerSession) -> None:
    df = tt.fetch_worklogs(FIRST, LAST, billable=True, session=budapest)
    report = tt.fetch_summary(
        FIRST, LAST, views=["project"], billable=True, session=budapest
    )
    assert list(report) == ["project"]
    assert column(report["project"], "project_key") == exact(
        df.tt.totals(by="project", values="duration")
    )
    assert (report["project"]["non_billable_duration"] == pd.Timedelta(0)).all()


def test_fillchecker_days_are_the_worked_and_absent_sums_per_local_day(
    emulator: EmulatorServer, budapest: tt.TimetrackerSession
) -> None:
    org = emulator.org
    developers = [p.account_id for p in org.members("developers")]
    leave = next(p for p in org.projects if p.non_working)
    fill = tt.fetch_fillchecker(
        FIRST,
        LAST,
        groups=["developers"],
        non_working_projects=[leave.id],
        session=budapest,
    )
    assert set(fill["author_id"]) == set(developers)
    assert len(fill) == 14 * len(developers)  # every day, zeros included

    df = tt.fetch_worklogs(FIRST, LAST, users=developers, session=budapest)
    calendar = tt.WorkCalendar(non_working_projects=[leave.key])
    grid = df.tt.expected_vs_actual(calendar, people=developers)
    merged = fill.merge(grid, on=["author_id", "date"], how="outer", validate="1:1")
    assert len(merged) == len(fill)
    assert merged["real_work_hours"].tolist() == pytest.approx(
        merged["actual_hours"].tolist(), abs=1e-9
    )
    assert merged["non_work_hours"].tolist() == pytest.approx(
        merged["absence_hours"].tolist(), abs=1e-9
    )
    named = fill.dropna(subset=["author"])
    names = {p.account_id: p.name for p in org.people}
    assert all(
        names[a] == n for a, n in zip(named["author_id"], named["author"], strict=True)
    )

    table = tt.fillchecker_table(fill)
    assert table.shape == (len(developers), 14)
    assert not table.isna().any().any()


def test_fillchecker_needs_users_or_groups(
    emulator: EmulatorServer, budapest: tt.TimetrackerSession
) -> None:
    emulator.clear_log()
    with pytest.raises(ConfigurationError, match=r"users= .* or groups="):
        tt.fetch_fillchecker(FIRST, LAST, session=budapest)
    assert emulator.requests_log == []


def test_a_member_sees_only_their_own_fillchecker_row(
    emulator: EmulatorServer, make_session: SessionFactory
) -> None:
    session = make_session("UTC", DEMO_MEMBER_TOKEN)
    everyone = [p.account_id for p in emulator.org.people]
    fill = tt.fetch_fillchecker(
        "2025-03-03", "2025-03-04", users=everyone, session=session
    )
    assert set(fill["author_id"]) == {emulator.token_account(DEMO_MEMBER_TOKEN)}


def test_tags_frame_lists_the_organisations_tags(
    emulator: EmulatorServer, budapest: tt.TimetrackerSession
) -> None:
    tags = tt.fetch_tags(session=budapest)
    org = sorted(emulator.org.tags, key=lambda t: t.id)
    assert tags["tag_id"].tolist() == [t.id for t in org]
    assert tags["name"].tolist() == [t.name for t in org]
    assert tags["archived"].tolist() == [t.archived for t in org]
    assert [None if pd.isna(c) else c for c in tags["color_index"]] == [
        t.color_index for t in org
    ]
    archived = tt.fetch_tags(archived=True, session=budapest)
    assert archived["name"].tolist() == [t.name for t in org if t.archived]
