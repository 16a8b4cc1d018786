"""tt_notebook: Everit Timetracker worklogs as typed pandas DataFrames.

Connect with :func:`connect` (a token) or :func:`demo` (the built-in
emulator), then fetch with :func:`fetch_worklogs` and chart with
:func:`plot_hours_by_day`. matplotlib and ipywidgets load only when a chart or
a form is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .config import Settings
from .connection import connect, current_session
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
from .frames import WORKLOG_COLUMNS, fetch_worklogs
from .session import TimetrackerSession

if TYPE_CHECKING:
    from .plotting import plot_hours_by_day
    from .widgets import login_form

__all__ = [
    "WORKLOG_COLUMNS",
    "APIError",
    "AuthenticationError",
    "ConfigurationError",
    "IncompleteResultError",
    "Settings",
    "TTError",
    "TTWarning",
    "TimetrackerSession",
    "ValidationError",
    "__version__",
    "connect",
    "current_session",
    "demo",
    "fetch_worklogs",
    "login_form",
    "plot_hours_by_day",
]

__version__ = "0.1.0"

_LAZY = {"plot_hours_by_day": "plotting", "login_form": "widgets"}


def __getattr__(name: str) -> Any:
    # Charts and forms import matplotlib and ipywidgets, which are slow to
    # load; they are imported on first use, not with the package.
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'tt_notebook' has no attribute {name!r}")
