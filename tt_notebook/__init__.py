"""tt_notebook: Everit Timetracker worklogs as typed pandas DataFrames.

Connect with :func:`connect` (a token) or :func:`demo` (the built-in
emulator), then fetch with :func:`fetch_worklogs` (or the report readers
:func:`fetch_summary`, :func:`fetch_fillchecker`, :func:`fetch_tags`), ask
questions with ``df.tt`` (registered on import), and chart with
:func:`plot_hours_by_day`. matplotlib and ipywidgets load only when a chart or
a form is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .accessor import TimetrackerAccessor  # importing it registers df.tt
from .calendar import PersonSchedule, WorkCalendar
from .config import Settings
from .demo import demo
from .errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    IncompleteResultError,
    TTError,
    TTWarning,
    ValidationError,
)

if TYPE_CHECKING:
    from .connection import connect, current_session
    from .frames import (
        WORKLOG_COLUMNS,
        fetch_fillchecker,
        fetch_summary,
        fetch_tags,
        fetch_worklogs,
        fillchecker_table,
    )
    from .plotting import (
        plot_billable_share,
        plot_burnup,
        plot_calendar_heatmap,
        plot_expected_vs_actual,
        plot_hours,
        plot_hours_by_day,
        plot_hours_by_week,
        plot_top_issues,
        plot_utilization,
        plot_weekday_hour_heatmap,
    )
    from .session import TimetrackerSession
    from .widgets import dashboard, login_form, report_form

__all__ = [
    "WORKLOG_COLUMNS",
    "APIError",
    "AuthenticationError",
    "ConfigurationError",
    "IncompleteResultError",
    "PersonSchedule",
    "Settings",
    "TTError",
    "TTWarning",
    "TimetrackerAccessor",
    "TimetrackerSession",
    "ValidationError",
    "WorkCalendar",
    "__version__",
    "connect",
    "current_session",
    "dashboard",
    "demo",
    "fetch_fillchecker",
    "fetch_summary",
    "fetch_tags",
    "fetch_worklogs",
    "fillchecker_table",
    "login_form",
    "plot_billable_share",
    "plot_burnup",
    "plot_calendar_heatmap",
    "plot_expected_vs_actual",
    "plot_hours",
    "plot_hours_by_day",
    "plot_hours_by_week",
    "plot_top_issues",
    "plot_utilization",
    "plot_weekday_hour_heatmap",
    "report_form",
]

__version__ = "0.1.0"

_LAZY = {
    # The HTTP stack (requests, requests-cache, urllib3) loads with the
    # first connection or read, matplotlib with the first chart and
    # ipywidgets with the first form.
    **dict.fromkeys(["connect", "current_session"], "connection"),
    **dict.fromkeys(
        [
            "WORKLOG_COLUMNS",
            "fetch_fillchecker",
            "fetch_summary",
            "fetch_tags",
            "fetch_worklogs",
            "fillchecker_table",
        ],
        "frames",
    ),
    "TimetrackerSession": "session",
    **dict.fromkeys(
        [
            "plot_billable_share",
            "plot_burnup",
            "plot_calendar_heatmap",
            "plot_expected_vs_actual",
            "plot_hours",
            "plot_hours_by_day",
            "plot_hours_by_week",
            "plot_top_issues",
            "plot_utilization",
            "plot_weekday_hour_heatmap",
        ],
        "plotting",
    ),
    **dict.fromkeys(["dashboard", "login_form", "report_form"], "widgets"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'tt_notebook' has no attribute {name!r}")
