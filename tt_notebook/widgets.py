"""ipywidgets forms: a thin shell over :func:`tt_notebook.connect` and the readers.

- :func:`login_form`: token, time zone and Connect.
- :func:`report_form`: days, people, projects, billable, Fetch; a table and a
  chart of the result, and the frame itself as ``form.frame``.
- :func:`dashboard`: the report form plus chart and grouping pickers that
  redraw in place.

Building a form sends no request. Every button has a method twin
(``connect()``, ``fetch()``), and every action has a plain-function twin
(:func:`tt_notebook.connect`, :func:`tt_notebook.fetch_worklogs`), because a
notebook cell cannot wait for a click. Callbacks never swallow errors: each
one is shown in the form's status line and logged.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import logging
import os
import warnings
import zoneinfo
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import ipywidgets as widgets
import pandas as pd

from . import api
from .config import DEFAULT_BASE_URL, local_timezone_name, validate_timezone
from .connection import connect, current_session
from .errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    PermissionDeniedError,
    RateLimitError,
    SyncIncompleteError,
    TTError,
    TTWarning,
)
from .frames import fetch_worklogs
from .plotting import plot_hours_by_day, plot_hours_by_week
from .session import TimetrackerSession

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "CHARTS",
    "QUICK_RANGES",
    "ChartFunction",
    "Dashboard",
    "LoginForm",
    "ReportForm",
    "dashboard",
    "describe_error",
    "login_form",
    "quick_range",
    "report_form",
]

logger = logging.getLogger(__name__)

#: Quick date choices, in the order the buttons show them.
QUICK_RANGES = ("this week", "last week", "this month", "last month")
#: Grouping picker values and the frame column each one groups by.
GROUPINGS = {"project": "project_key", "person": "author", "issue": "issue_key"}
#: The people and projects lists cover this many days, ending today.
CHOICES_DAYS = 365
#: Rows of the results table before the rest fold into one line.
TABLE_ROWS = 15
_WIDE = widgets.Layout(width="460px")
_LABELS = {"description_width": "90px"}
#: Status lines start where the inputs do, under their labels' column.
_INDENTED = widgets.Layout(margin="0 0 0 98px")
_COLOURS = {"ok": "#1b5e20", "error": "#b00020", "warning": "#8a5300", "info": "#444"}


class ChartFunction(Protocol):
    """What a dashboard chart is: a frame and a grouping in, an Axes out."""

    def __call__(
        self, df: pd.DataFrame, by: str = ..., *, ax: Axes | None = ...
    ) -> Axes: ...


# Helpers ------------------------------------------------------------------


def quick_range(name: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """Return the first and last day of a quick date choice.

    Weeks run Monday to Sunday; months from the first to the last day. Both
    days are included, as in :func:`tt_notebook.fetch_worklogs`.

    Parameters
    ----------
    name : str
        One of :data:`QUICK_RANGES`.
    today : datetime.date
        The day the choice counts from.

    Examples
    --------
    >>> import datetime as dt
    >>> quick_range("last month", dt.date(2025, 3, 18))
    (datetime.date(2025, 2, 1), datetime.date(2025, 2, 28))
    >>> quick_range("this week", dt.date(2025, 3, 18))
    (datetime.date(2025, 3, 17), datetime.date(2025, 3, 23))
    """
    monday = today - dt.timedelta(days=today.weekday())
    first = today.replace(day=1)
    if name == "this week":
        return monday, monday + dt.timedelta(days=6)
    if name == "last week":
        return monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)
    if name == "this month":
        after = (first + dt.timedelta(days=32)).replace(day=1)
        return first, after - dt.timedelta(days=1)
    if name == "last month":
        last = first - dt.timedelta(days=1)
        return last.replace(day=1), last
    raise ConfigurationError(
        f"Unknown quick range {name!r}: use one of {', '.join(QUICK_RANGES)}."
    )


def describe_error(exc: BaseException, host: str = "the service") -> str:
    """Say in plain words what went wrong, and what to do next.

    The mapping is by error type and status code, never by message text. The
    text holds no token: no error of tt_notebook carries one.

    Parameters
    ----------
    exc : BaseException
        What a connect or fetch raised.
    host : str
        The service's host, for messages about reaching it.

    Examples
    --------
    >>> from tt_notebook.errors import AuthenticationError
    >>> err = AuthenticationError("no", status_code=401, endpoint="GET /tag")
    >>> describe_error(err).split(":")[0]
    'The service refused the token (HTTP 401)'
    """
    status = getattr(exc, "status_code", None)
    if isinstance(exc, AuthenticationError):
        return (
            f"The service refused the token (HTTP {status}): either the token is "
            "wrong or revoked, or API tokens are not enabled (a Timetracker "
            "administrator must allow them). Paste the token again, copied "
            "whole, or create one under Apps > Timetracker > My Preferences > "
            "REST API."
        )
    if isinstance(exc, PermissionDeniedError):
        return (
            f"The token works, but its user lacks a Timetracker permission "
            f"(HTTP {status}); ask a Timetracker administrator to grant it."
        )
    if isinstance(exc, RateLimitError):
        return (
            "The service is rate limiting these requests (too many, too fast) "
            "and kept doing so through every retry; wait a minute and try again."
        )
    if isinstance(exc, SyncIncompleteError):
        return (
            "Timetracker has not finished syncing worklogs with Jira "
            f"(HTTP {status}); try again in a few minutes."
        )
    if isinstance(exc, APIError) and status is None:
        return (
            f"Could not reach {host}: check the base URL under Advanced and the "
            "network connection."
        )
    if isinstance(exc, APIError) and status == 404:
        return (
            f"{host} has no Timetracker API at this address (HTTP 404): check the "
            "base URL and the API version under Advanced."
        )
    if isinstance(exc, APIError) and status is not None and status >= 500:
        return (
            f"{host} is failing (HTTP {status}); it may be down or busy. Try again "
            "in a few minutes."
        )
    if isinstance(exc, APIError):
        return str(exc.args[0])  # the form adds the endpoint and status itself
    if isinstance(exc, TTError):
        return str(exc)
    return f"Unexpected error ({type(exc).__name__}): {exc}"


def _status(text: str, kind: str = "ok", detail: str = "") -> str:
    colour = _COLOURS[kind]
    body = f'<span style="color:{colour}">{html.escape(text)}</span>'
    if detail:
        body += f' <span style="color:#777">[{html.escape(detail)}]</span>'
    return body


def _report_failure(
    status: widgets.HTML, what: str, exc: BaseException, host: str
) -> None:
    # Expected failures are one log line; anything else keeps its traceback.
    if isinstance(exc, TTError):
        logger.warning("%s failed: %s", what, exc)
    else:
        logger.error("%s failed unexpectedly", what, exc_info=exc)
    detail = ""
    if isinstance(exc, APIError):
        code = "no response" if exc.status_code is None else exc.status_code
        detail = f"{exc.endpoint}, HTTP {code}"
    status.value = _status(describe_error(exc, host), "error", detail)


def _clear(output: widgets.Output) -> None:
    # In a kernel the frontend holds what the Output captured, so clear it
    # there; without a kernel the outputs are only the kernel-side list.
    from IPython import get_ipython

    if get_ipython() is not None:
        output.clear_output()
    else:
        output.outputs = ()


def _labelled(text: str, widget: Any, width: str = "90px") -> widgets.HBox:
    # ToggleButtons put their own description above the buttons; a label of
    # the same width as the other descriptions keeps the form in one column.
    label = widgets.HTML(
        f'<div style="text-align:right">{html.escape(text)}</div>',
        layout=widgets.Layout(width=width, margin="0 8px 0 0"),
    )
    return widgets.HBox([label, widget])


def _sorted_options(labels: Mapping[str, str]) -> list[tuple[str, str]]:
    # Alphabetical, ignoring case; "(deleted user)" and the like go last.
    pairs = [(label, key) for key, label in labels.items()]
    return sorted(pairs, key=lambda p: (p[0].startswith("("), p[0].casefold()))


def _host(session: TimetrackerSession) -> str:
    return urlsplit(session.api_root).netloc


def _today(timezone: str | None) -> dt.date:
    zone = zoneinfo.ZoneInfo(timezone or local_timezone_name())
    return dt.datetime.now(zone).date()


def _bundle(form: Any, text: str, **kwargs: Any) -> Any:
    # The widget view, with a short stable text instead of the widget repr
    # (which lists every option of every child).
    data = form.widget._repr_mimebundle_(**kwargs)
    if isinstance(data, dict):
        data["text/plain"] = text
    return data


# Login --------------------------------------------------------------------


class LoginForm:
    """A form for the API token and time zone, with a Connect button.

    The token is typed into a password field, which is emptied as soon as
    Connect is pressed, whether the connection succeeds or not, so a notebook
    saved afterwards (with its widget state) holds no token. A token from
    ``TIMETRACKER_API_KEY`` is used when the field is left empty; it is never
    copied into the field, whose placeholder says it is being used.

    Attributes
    ----------
    session : TimetrackerSession or None
        The connected session, after a successful Connect.
    token, timezone, demo, base_url, api_version, button, status
        The form's widgets: password field, zone combobox, "Use demo data"
        switch, base URL and API version (under "Advanced"), Connect button
        and status line.
    widget : ipywidgets.VBox
        The whole form; displaying the form displays it.
    """

    def __init__(
        self,
        *,
        timezone: str | None = None,
        base_url: str | None = None,
        api_version: str = "latest",
        demo: bool = False,
    ) -> None:
        self.session: TimetrackerSession | None = None
        self._callbacks: list[Callable[[TimetrackerSession], None]] = []
        self.token = widgets.Password(
            description="API token", layout=_WIDE, style=_LABELS
        )
        self.timezone = widgets.Combobox(
            description="Time zone",
            options=sorted(zoneinfo.available_timezones()),
            value=timezone
            or os.environ.get("TIMETRACKER_TIMEZONE")
            or local_timezone_name(),
            placeholder="an IANA zone, such as Europe/Budapest",
            ensure_option=False,
            layout=_WIDE,
            style=_LABELS,
        )
        self.demo = widgets.Checkbox(
            description="Use demo data (the built-in emulator's 2025 organisation)",
            value=demo,
            indent=False,
            layout=widgets.Layout(width="460px", margin="2px 0 2px 94px"),
        )
        self.base_url = widgets.Text(
            description="Base URL",
            value=base_url
            or os.environ.get("TIMETRACKER_BASE_URL")
            or DEFAULT_BASE_URL,
            layout=_WIDE,
            style=_LABELS,
        )
        self.api_version = widgets.Text(
            description="API version",
            value=api_version,
            placeholder="latest, or a number",
            layout=widgets.Layout(width="240px"),
            style=_LABELS,
        )
        advanced = widgets.Accordion(
            children=[widgets.VBox([self.base_url, self.api_version])],
            layout=widgets.Layout(width="460px"),
        )
        advanced.set_title(0, "Advanced")
        advanced.selected_index = None
        self.button = widgets.Button(
            description="Connect",
            button_style="primary",
            icon="plug",
            layout=widgets.Layout(margin="4px 0 4px 94px"),
        )
        self.status = widgets.HTML(value="", layout=_INDENTED)
        self.button.on_click(self._on_click)
        self.demo.observe(self._on_demo, names="value")
        self._on_demo(None)
        self.widget = widgets.VBox(
            [self.token, self.timezone, self.demo, advanced, self.button, self.status]
        )

    def __repr__(self) -> str:
        if self.session is None:
            return "<LoginForm: not connected>"
        return f"<LoginForm: connected, time zone {self.session.timezone}>"

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return _bundle(self, repr(self), **kwargs)

    def _on_click(self, _button: Any) -> None:
        self.connect()

    def _on_demo(self, _change: Any) -> None:
        demo = self.demo.value
        self.base_url.disabled = self.api_version.disabled = demo
        if demo:
            self.token.placeholder = "empty for demo-token, or another demo token"
        elif os.environ.get("TIMETRACKER_API_KEY"):
            self.token.placeholder = "using TIMETRACKER_API_KEY"
        else:
            self.token.placeholder = "paste token"

    def on_connect(self, callback: Callable[[TimetrackerSession], None]) -> None:
        """Call ``callback(session)`` after every successful Connect."""
        self._callbacks.append(callback)

    def connect(self) -> TimetrackerSession | None:
        """Do what the Connect button does; return the session or None.

        Errors are shown in the form's status line and logged, never raised.
        For code that should raise, use :func:`tt_notebook.connect`.
        """
        # 1. Take the token out of the field first: whatever happens next,
        #    the widget state no longer holds it.
        typed = self.token.value.strip()
        self.token.value = ""
        zone = self.timezone.value.strip()
        host = "the demo emulator" if self.demo.value else self._typed_host()
        self.status.value = _status("Connecting…", "info")
        self.button.disabled = True
        try:
            if not zone:
                raise ConfigurationError(
                    "No time zone: type or pick one, such as Europe/Budapest."
                )
            validate_timezone(zone)
            session = self._connect(typed or None, zone)
            # connect() has just checked the token with this call: a cache hit.
            tags = api.list_tags(session)
        except Exception as exc:
            _report_failure(self.status, "Connect", exc, host)
            return None
        finally:
            self.button.disabled = False

        # 2. Say what the token can see, then tell the forms that follow.
        self.session = session
        where = (
            "demo data" if self.demo.value else f"API {session.settings.api_version}"
        )
        self.status.value = _status(
            f"Connected to {_host(session)} ({where}), time zone {session.timezone}. "
            f"The token is accepted and sees {len(tags)} worklog tags."
        )
        for callback in self._callbacks:
            try:
                callback(session)
            except Exception as exc:
                _report_failure(self.status, "A Connect callback", exc, _host(session))
        return session

    def _connect(self, token: str | None, zone: str) -> TimetrackerSession:
        if self.demo.value:
            from .demo import demo

            return demo(zone, token=token)
        return connect(
            token=token,
            timezone=zone,
            base_url=self.base_url.value.strip() or None,
            api_version=self.api_version.value.strip() or "latest",
        )

    def _typed_host(self) -> str:
        return urlsplit(self.base_url.value.strip()).netloc or "the service"


def login_form(
    *,
    timezone: str | None = None,
    base_url: str | None = None,
    api_version: str = "latest",
    demo: bool = False,
) -> LoginForm:
    """Return a login form: token, time zone, demo switch, Advanced, Connect.

    Parameters
    ----------
    timezone : str, optional
        Pre-selected zone; ``TIMETRACKER_TIMEZONE`` or this machine's zone.
    base_url : str, optional
        Pre-filled service root (under "Advanced");
        ``TIMETRACKER_BASE_URL`` or the Everit cloud.
    api_version : str
        Pre-filled API version (under "Advanced").
    demo : bool
        Start with "Use demo data" on: Connect then starts the built-in
        emulator and connects to it, with the typed demo token or
        ``demo-token``.

    Examples
    --------
    >>> form = login_form(timezone="Europe/Budapest")
    >>> form.timezone.value, form.session is None
    ('Europe/Budapest', True)
    """
    return LoginForm(
        timezone=timezone, base_url=base_url, api_version=api_version, demo=demo
    )


# Reports ------------------------------------------------------------------

SessionSource = TimetrackerSession | LoginForm | None


def _plot_total_hours(
    df: pd.DataFrame, by: str = "project", *, ax: Axes | None = None
) -> Axes:
    """Horizontal bars of total hours per project, person or issue."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(10, 4.5), layout="constrained")
    table = _hours_table(df, by)
    ax.set_xlabel("Hours")
    if table.empty:
        ax.text(0.5, 0.5, "No worklogs in this range", ha="center", va="center")
        ax.set_axis_off()
        return ax
    hours = table["hours"][::-1]
    ax.barh([str(label) for label in hours.index], hours.to_numpy(), color="#4c72b0")
    ax.grid(axis="x", color="0.85", linewidth=0.6)
    ax.set_axisbelow(True)
    title = f"Total hours by {by}"
    if df.attrs.get("start") and df.attrs.get("end"):
        title += f", {df.attrs['start']} to {df.attrs['end']}"
    ax.set_title(title)
    return ax


#: Charts of the dashboard's chart picker: label to drawing function.
CHARTS: dict[str, ChartFunction] = {
    "Hours per day (stacked)": plot_hours_by_day,
    "Hours per week (stacked)": plot_hours_by_week,
    "Total hours": _plot_total_hours,
}


def _hours_table(df: pd.DataFrame, by: str) -> pd.DataFrame:
    column = GROUPINGS.get(by, by)
    labels = (
        df[column]
        .astype("string")
        .fillna("(deleted user)" if by == "person" else "(none)")
    )
    seconds = df["duration"].dt.total_seconds()
    table = pd.DataFrame(
        {
            "hours": seconds.groupby(labels).sum() / 3600.0,
            "worklogs": seconds.groupby(labels).size(),
        }
    ).sort_values("hours", ascending=False, kind="stable")
    if len(table) > TABLE_ROWS:
        rest = table.iloc[TABLE_ROWS - 1 :]
        table = table.iloc[: TABLE_ROWS - 1].copy()
        table.loc[f"({len(rest)} more)"] = [rest["hours"].sum(), rest["worklogs"].sum()]
    total = table["hours"].sum()
    table["share"] = table["hours"] / total if total else 0.0
    table.index.name = by
    return table


def _table_output(df: pd.DataFrame, by: str) -> dict[str, Any]:
    # One header row (the grouping is a column, not the index) and a caption
    # that says what the numbers are.
    table = _hours_table(df, by)
    shown = pd.DataFrame(
        {
            by: table.index,
            "hours": table["hours"].map("{:,.1f}".format),
            "worklogs": table["worklogs"].map("{:,}".format),
            "share": table["share"].map("{:.0%}".format),
        }
    )
    caption = f"Hours by {by}"
    if df.attrs.get("start") and df.attrs.get("end"):
        caption += f", {df.attrs['start']} to {df.attrs['end']}"
    return {
        "output_type": "display_data",
        "data": {
            "text/html": f"<p><b>{html.escape(caption)}</b></p>"
            + shown.to_html(index=False),
            "text/plain": shown.to_string(index=False),
        },
        "metadata": {},
    }


def _chart_output(
    chart: ChartFunction, df: pd.DataFrame, by: str, name: str
) -> dict[str, Any]:
    # A Figure of its own, not pyplot's: no global state, nothing to close,
    # and the same PNG with any matplotlib backend.
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 4.2), layout="constrained")
    chart(df, by=by, ax=figure.add_subplot())
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=96)
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    return {
        "output_type": "display_data",
        "data": {"image/png": png, "text/plain": f"<chart: {name} by {by}>"},
        "metadata": {},
    }


class ReportForm:
    """Pick days, people, projects and billable; Fetch; see a table and a chart.

    Building the form sends no request. The people and projects lists are
    filled from the summary report of the :data:`CHOICES_DAYS` days ending
    ``today``: when the linked login form connects, when the form is shown
    with a session already connected, or by :meth:`load_choices`. An empty
    list selection means everyone, or every project.

    Parameters
    ----------
    session : TimetrackerSession, LoginForm or None
        Where to fetch: a session; a login form (its session once
        connected); or None for the last connected session.
    today : datetime.date, optional
        The day quick choices count from; the real today in the session's
        zone when omitted.
    by : str
        Grouping of the table and chart: ``"project"``, ``"person"`` or
        ``"issue"``.

    Attributes
    ----------
    frame : pandas.DataFrame or None
        The last fetched worklog frame, for the next cell.
    start, end, people, projects, billable, fetch_button, status
        The form's widgets.
    table, chart : ipywidgets.Output
        The results area.
    widget : ipywidgets.VBox
        The whole form.
    """

    def __init__(
        self,
        session: SessionSource = None,
        *,
        today: dt.date | None = None,
        by: str = "project",
    ) -> None:
        if by not in GROUPINGS:
            raise ConfigurationError(
                f"by takes one of {', '.join(GROUPINGS)}; got {by!r}."
            )
        self.frame: pd.DataFrame | None = None
        self.by = by
        self.chart_name = next(iter(CHARTS))
        self.charts: Mapping[str, ChartFunction] = CHARTS
        self._source = session
        self._today = today
        self._choices_for: TimetrackerSession | None = None
        if isinstance(session, LoginForm):
            session.on_connect(self._on_session)

        # 1. Days, with quick choices.
        first, last = quick_range("last month", self.today())
        self.start = widgets.DatePicker(description="From", value=first, style=_LABELS)
        self.end = widgets.DatePicker(
            description="To", value=last, style={"description_width": "30px"}
        )
        self.quick: list[Any] = []
        for name in QUICK_RANGES:
            button = widgets.Button(
                description=name.capitalize(),
                tooltip=f"Set the days to {name}",
                layout=widgets.Layout(width="108px"),
            )
            button.on_click(lambda _b, name=name: self.set_range(name))
            self.quick.append(button)

        # 2. Filters: people, projects, billable.
        self.people = widgets.SelectMultiple(
            description="People", options=[], rows=7, layout=_WIDE, style=_LABELS
        )
        self.projects = widgets.SelectMultiple(
            description="Projects", options=[], rows=7, layout=_WIDE, style=_LABELS
        )
        self.choices_note = widgets.HTML(
            value=_status("Connect to fill the people and projects lists.", "info"),
            layout=_INDENTED,
        )
        self.billable = widgets.ToggleButtons(
            options=[("All", "all"), ("Billable", "yes"), ("Non-billable", "no")],
            value="all",
            style={"button_width": "100px"},
        )

        # 3. Fetch, its progress and status, and the results.
        self.fetch_button = widgets.Button(
            description="Fetch",
            button_style="primary",
            icon="download",
            layout=widgets.Layout(margin="4px 0 4px 94px"),
        )
        self.fetch_button.on_click(lambda _b: self.fetch())
        self.progress = widgets.Output(layout=_INDENTED)
        self.status = widgets.HTML(value="", layout=_INDENTED)
        self.table = widgets.Output(layout=widgets.Layout(margin="6px 0 0 98px"))
        self.chart = widgets.Output()
        self.controls = widgets.VBox(
            [
                widgets.HBox([self.start, self.end]),
                widgets.HBox(self.quick, layout=widgets.Layout(margin="0 0 0 94px")),
                self.people,
                self.projects,
                self.choices_note,
                _labelled("Billable", self.billable),
            ]
        )
        self.widget = widgets.VBox(
            [
                self.controls,
                self.fetch_button,
                self.progress,
                self.status,
                self.table,
                self.chart,
            ]
        )

    def __repr__(self) -> str:
        name = type(self).__name__
        if self.frame is None:
            return f"<{name}: nothing fetched>"
        return f"<{name}: {len(self.frame):,} worklogs>"

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        # Shown with a session already connected: fill the lists now.
        session = self._session_or_none()
        if session is not None and self._choices_for is not session:
            self.load_choices()
        return _bundle(self, repr(self), **kwargs)

    # -- the session ------------------------------------------------------

    @property
    def session(self) -> TimetrackerSession:
        """The session fetches use now.

        Raises
        ------
        ConfigurationError
            When nothing is connected yet.
        """
        if isinstance(self._source, TimetrackerSession):
            return self._source
        if isinstance(self._source, LoginForm):
            if self._source.session is None:
                raise ConfigurationError(
                    "Not connected yet: press Connect in the login form first."
                )
            return self._source.session
        return current_session()

    def _session_or_none(self) -> TimetrackerSession | None:
        try:
            return self.session
        except ConfigurationError:
            return None

    def today(self) -> dt.date:
        """The day quick choices count from (``today=``, or the zone's today)."""
        if self._today is not None:
            return self._today
        session = self._session_or_none()
        return _today(session.timezone if session else None)

    def _on_session(self, session: TimetrackerSession) -> None:
        # A new token or zone sees other data: drop what the old one fetched.
        self.frame = None
        self.table.outputs = ()
        self.chart.outputs = ()
        self.status.value = ""
        self.load_choices()

    # -- actions ----------------------------------------------------------

    def set_range(self, name: str) -> tuple[dt.date, dt.date]:
        """Set the date pickers to a quick choice (see :func:`quick_range`)."""
        first, last = quick_range(name, self.today())
        self.start.value, self.end.value = first, last
        return first, last

    def load_choices(self) -> bool:
        """Fill the people and projects lists from the summary report.

        Returns whether it worked; a failure shows in the status line.
        """
        try:
            session = self.session
            last = self.today()
            first = last - dt.timedelta(days=CHOICES_DAYS - 1)
            self.choices_note.value = _status("Loading people and projects…", "info")
            views = api.summary_report(
                session,
                api.DetailsQuery.build(first, last),
                views=("userView", "projectView"),
            )
        except Exception as exc:
            host = self._host_or_default()
            self.choices_note.value = ""
            _report_failure(self.status, "Loading people and projects", exc, host)
            return False
        people: dict[str, str] = {}
        for item in views.get("userView", []):
            user = item.get("user") or {}
            if user.get("id"):
                people[str(user["id"])] = str(user.get("name") or "(deleted user)")
        projects: dict[str, str] = {}
        for item in views.get("projectView", []):
            project = item.get("project") or {}
            if project.get("id") is not None:
                label = f"{project.get('key') or '?'}: {project.get('name') or ''}"
                projects[str(project["id"])] = label.strip(": ")
        self.people.options = _sorted_options(people)
        self.projects.options = _sorted_options(projects)
        self._choices_for = session
        self.choices_note.value = _status(
            f"{len(people)} people and {len(projects)} projects logged time from "
            f"{first} to {last}. Select none for all; Ctrl-click for several.",
            "info",
        )
        return True

    def fetch(self) -> pd.DataFrame | None:
        """Do what the Fetch button does; return the frame or None.

        The frame is also kept as :attr:`frame`. Errors are shown in the
        status line and logged, never raised; for code that should raise,
        use :func:`tt_notebook.fetch_worklogs`.
        """
        self.fetch_button.disabled = True
        host = self._host_or_default()
        try:
            session = self.session
            if self.start.value is None or self.end.value is None:
                raise ConfigurationError("Pick a first and a last day.")
            self.status.value = _status(
                f"Fetching worklogs from {self.start.value} to {self.end.value}…",
                "info",
            )
            billable = {"all": None, "yes": True, "no": False}[self.billable.value]
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", TTWarning)
                # tqdm draws its bar into this Output while the fetch runs.
                with self.progress:
                    frame = fetch_worklogs(
                        self.start.value,
                        self.end.value,
                        users=list(self.people.value) or None,
                        projects=list(self.projects.value) or None,
                        billable=billable,
                        session=session,
                        progress=True,
                    )
        except Exception as exc:
            _report_failure(self.status, "Fetch", exc, host)
            return None
        finally:
            _clear(self.progress)
            self.fetch_button.disabled = False
        notes = self._notes(caught)

        # Results: the frame for the next cell, a table and a chart.
        self.frame = frame
        hours = frame["hours"].sum()
        self.status.value = _status(
            f"{len(frame):,} worklogs, {hours:,.1f} hours, "
            f"{frame.attrs['start']} to {frame.attrs['end']} ({session.timezone}). "
            "The form's .frame holds it for the next cell." + notes,
            "warning" if notes else "ok",
        )
        self.redraw()
        return frame

    def _notes(self, caught: list[warnings.WarningMessage]) -> str:
        notes = []
        for warning in caught:
            if issubclass(warning.category, TTWarning):
                logger.warning("Fetch: %s", warning.message)
                notes.append(str(warning.message))
            else:
                warnings.warn_explicit(
                    warning.message, warning.category, warning.filename, warning.lineno
                )
        return "".join(f" Warning: {note}" for note in notes)

    def redraw(self) -> None:
        """Draw the table and the chart of :attr:`frame` again, in place."""
        if self.frame is None:
            return
        try:
            chart = self.charts[self.chart_name]
            self.table.outputs = (_table_output(self.frame, self.by),)
            self.chart.outputs = (
                _chart_output(chart, self.frame, self.by, self.chart_name),
            )
        except Exception as exc:
            _report_failure(self.status, "Drawing", exc, self._host_or_default())

    def _host_or_default(self) -> str:
        session = self._session_or_none()
        return _host(session) if session else "the service"


def report_form(
    session: SessionSource = None, *, today: dt.date | None = None, by: str = "project"
) -> ReportForm:
    """Return a report form: days, people, projects, billable, Fetch, results.

    Parameters
    ----------
    session : TimetrackerSession, LoginForm or None
        A session, a login form (its session once connected), or None for
        the last connected session.
    today : datetime.date, optional
        The day quick choices (this week, last week, this month, last month)
        count from; the real today in the session's zone when omitted.
    by : str
        ``"project"``, ``"person"`` or ``"issue"``: the table's and the
        chart's grouping.

    Examples
    --------
    >>> import datetime as dt
    >>> form = report_form(today=dt.date(2025, 6, 18))
    >>> form.start.value, form.end.value
    (datetime.date(2025, 5, 1), datetime.date(2025, 5, 31))
    >>> form.set_range("this week")
    (datetime.date(2025, 6, 16), datetime.date(2025, 6, 22))
    """
    return ReportForm(session, today=today, by=by)


class Dashboard(ReportForm):
    """The report form plus chart and grouping pickers that redraw in place.

    Parameters
    ----------
    session, today, by
        As for :class:`ReportForm`.
    charts : mapping of str to ChartFunction, optional
        The chart picker's choices, label to function ``f(df, by=, ax=)``;
        :data:`CHARTS` when omitted.

    Attributes
    ----------
    chart_picker, group_picker : ipywidgets widgets
        Changing either redraws the table and chart of :attr:`frame`, with no
        new request.
    """

    def __init__(
        self,
        session: SessionSource = None,
        *,
        today: dt.date | None = None,
        by: str = "project",
        charts: Mapping[str, ChartFunction] | None = None,
    ) -> None:
        super().__init__(session, today=today, by=by)
        self.charts = dict(charts or CHARTS)
        if not self.charts:
            raise ConfigurationError("charts needs at least one chart.")
        self.chart_name = next(iter(self.charts))
        self.chart_picker = widgets.Dropdown(
            description="Chart",
            options=list(self.charts),
            value=self.chart_name,
            layout=widgets.Layout(width="300px"),
            style=_LABELS,
        )
        self.group_picker = widgets.ToggleButtons(
            options=[("Project", "project"), ("Person", "person"), ("Issue", "issue")],
            value=by,
            style={"button_width": "90px"},
        )
        self.chart_picker.observe(self._on_pick, names="value")
        self.group_picker.observe(self._on_pick, names="value")
        pickers = widgets.HBox(
            [self.chart_picker, _labelled("By", self.group_picker, width="40px")]
        )
        self.widget.children = (
            self.controls,
            self.fetch_button,
            self.progress,
            self.status,
            pickers,
            self.table,
            self.chart,
        )

    def _on_pick(self, _change: Any) -> None:
        self.chart_name = self.chart_picker.value
        self.by = self.group_picker.value
        self.redraw()


def dashboard(
    session: SessionSource = None,
    *,
    today: dt.date | None = None,
    by: str = "project",
    charts: Mapping[str, ChartFunction] | None = None,
) -> Dashboard:
    """Return the report form with a chart picker and a grouping picker.

    Parameters
    ----------
    session : TimetrackerSession, LoginForm or None
        As for :func:`report_form`.
    today : datetime.date, optional
        As for :func:`report_form`.
    by : str
        The grouping picked at first.
    charts : mapping of str to ChartFunction, optional
        Chart label to a function ``f(df, by=..., ax=...)`` returning the
        Axes, such as :func:`tt_notebook.plot_hours_by_day`; :data:`CHARTS`
        when omitted.

    Examples
    --------
    >>> import datetime as dt
    >>> board = dashboard(today=dt.date(2025, 6, 18))
    >>> board.chart_picker.options
    ('Hours per day (stacked)', 'Hours per week (stacked)', 'Total hours')
    """
    return Dashboard(session, today=today, by=by, charts=charts)
