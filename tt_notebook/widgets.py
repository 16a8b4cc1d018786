"""ipywidgets forms: a thin shell over :func:`tt_notebook.connect`.

Building a form sends no request. Every action has a plain-function twin,
because a notebook cell cannot wait for a click.
"""

from __future__ import annotations

import html
import logging
import os
import zoneinfo
from typing import Any
from urllib.parse import urlsplit

import ipywidgets as widgets

from . import api
from .config import DEFAULT_BASE_URL, local_timezone_name
from .connection import connect
from .errors import TTError
from .session import TimetrackerSession

__all__ = ["LoginForm", "login_form"]

logger = logging.getLogger(__name__)


class LoginForm:
    """A form for the API token and time zone, with a Connect button.

    The token is typed into a password field, which is emptied as soon as
    the connection succeeds, so a notebook saved afterwards (with its widget
    state) holds no token. A token from ``TIMETRACKER_API_KEY`` is used when
    the field is left empty; it is never copied into the field.

    Attributes
    ----------
    session : TimetrackerSession or None
        The connected session, after a successful Connect.
    widget : ipywidgets.VBox
        The whole form; displaying the form displays it.
    """

    def __init__(self, *, timezone: str | None = None, base_url: str | None = None):
        self.session: TimetrackerSession | None = None
        from_env = bool(os.environ.get("TIMETRACKER_API_KEY"))
        self.token = widgets.Password(
            description="API token",
            placeholder="using TIMETRACKER_API_KEY" if from_env else "paste token",
            layout=widgets.Layout(width="420px"),
        )
        self.timezone = widgets.Combobox(
            description="Time zone",
            options=sorted(zoneinfo.available_timezones()),
            value=timezone
            or os.environ.get("TIMETRACKER_TIMEZONE")
            or local_timezone_name(),
            ensure_option=True,
            layout=widgets.Layout(width="420px"),
        )
        self.base_url = widgets.Text(
            description="Base URL",
            value=base_url
            or os.environ.get("TIMETRACKER_BASE_URL")
            or DEFAULT_BASE_URL,
            layout=widgets.Layout(width="420px"),
        )
        advanced = widgets.Accordion(children=[widgets.VBox([self.base_url])])
        advanced.set_title(0, "Advanced")
        advanced.selected_index = None
        self.button = widgets.Button(
            description="Connect", button_style="primary", icon="plug"
        )
        self.status = widgets.HTML(value="")
        self.button.on_click(self._on_click)
        self.widget = widgets.VBox(
            [self.token, self.timezone, advanced, self.button, self.status]
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def _on_click(self, _button: Any) -> None:
        self.connect()

    def connect(self) -> TimetrackerSession | None:
        """Do what the Connect button does; return the session or None.

        Errors are shown in the form's status line and logged, never raised
        and never silently dropped.
        """
        self.status.value = "Connecting…"
        self.button.disabled = True
        try:
            session = connect(
                token=self.token.value or None,
                timezone=self.timezone.value or None,
                base_url=self.base_url.value.strip() or None,
            )
            # connect() has just checked the token with this call: a cache hit.
            tags = api.list_tags(session)
        except TTError as exc:
            logger.warning("Connect failed: %s", exc)
            self.status.value = _status(str(exc), error=True)
            return None
        except Exception as exc:
            logger.exception("Connect failed unexpectedly")
            self.status.value = _status(f"Unexpected error: {exc!r}", error=True)
            return None
        finally:
            self.button.disabled = False
        self.token.value = ""
        self.session = session
        host = urlsplit(session.api_root).netloc
        self.status.value = _status(
            f"Connected to {host}, time zone {session.timezone}; the token is "
            f"accepted and sees {len(tags)} worklog tags."
        )
        return session


def _status(text: str, *, error: bool = False) -> str:
    colour = "#b00020" if error else "#1b5e20"
    return f'<span style="color:{colour}">{html.escape(text)}</span>'


def login_form(
    *, timezone: str | None = None, base_url: str | None = None
) -> LoginForm:
    """Return a login form: password field, time-zone box and Connect button.

    Parameters
    ----------
    timezone : str, optional
        Pre-selected zone; ``TIMETRACKER_TIMEZONE`` or this machine's zone.
    base_url : str, optional
        Pre-filled service root (under "Advanced").

    Examples
    --------
    >>> form = login_form(timezone="Europe/Budapest")
    >>> form.timezone.value, form.session is None
    ('Europe/Budapest', True)
    """
    return LoginForm(timezone=timezone, base_url=base_url)
