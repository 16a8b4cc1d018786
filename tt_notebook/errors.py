"""The error and warning trees of tt_notebook.

Every error raised on purpose derives from :class:`TTError`; every warning from
:class:`TTWarning`. API errors are built from the HTTP response and carry the
status code and the endpoint path, never the token or the full URL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "APIError",
    "AuthenticationError",
    "ConfigurationError",
    "IncompleteResultError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "SyncIncompleteError",
    "TTError",
    "TTWarning",
    "ValidationError",
]

TOKEN_HELP = (
    "Create a token in Jira: Apps > Timetracker > My Preferences > REST API, "
    "give it a name, press '+', and copy the value shown once. An administrator "
    "must first allow API tokens in Timetracker's settings."
)


class TTError(Exception):
    """Base class of every error that tt_notebook raises on purpose."""


class ConfigurationError(TTError, ValueError):
    """A setting or argument is missing or malformed (token, time zone, dates)."""


class IncompleteResultError(TTError):
    """A report could not be fetched completely, so no partial result is returned.

    Parameters
    ----------
    message : str
        What was wrong and what to do.
    expected : int
        The row count that the server announced.
    received : int
        The number of distinct rows that arrived.
    """

    def __init__(self, message: str, *, expected: int, received: int) -> None:
        super().__init__(message)
        self.expected = expected
        self.received = received


class APIError(TTError):
    """The Timetracker API answered with an error status.

    Parameters
    ----------
    message : str
        What was wrong and what to do next.
    status_code : int or None
        The HTTP status, or None when no response arrived.
    endpoint : str
        The method and API path, such as ``"POST /report/details"``; never a
        full URL, never a header.
    """

    def __init__(self, message: str, *, status_code: int | None, endpoint: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.endpoint = endpoint

    def __str__(self) -> str:
        status = "no response" if self.status_code is None else self.status_code
        return f"{self.args[0]} [{self.endpoint}, HTTP {status}]"


class AuthenticationError(APIError):
    """The token was missing, unknown or revoked (HTTP 401 or 403)."""


class PermissionDeniedError(APIError):
    """The token's user lacks a Timetracker permission (HTTP 479)."""


class NotFoundError(APIError):
    """The requested object does not exist or is not visible to the token."""


class RateLimitError(APIError):
    """The service kept answering 429 Too Many Requests after every retry."""


class SyncIncompleteError(APIError):
    """Timetracker has not finished syncing worklogs with Jira (HTTP 567)."""


class ValidationError(APIError):
    """The service rejected the request's parameters (HTTP 400).

    Attributes
    ----------
    field_errors : list of dict
        The server's ``fieldErrors``: each has ``errorType`` and ``paths``.
    additional_errors : list of dict
        The server's ``additionalErrors``: each has ``errorType`` and ``extra``.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None,
        endpoint: str,
        field_errors: Sequence[Mapping[str, Any]] = (),
        additional_errors: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        super().__init__(message, status_code=status_code, endpoint=endpoint)
        self.field_errors = [dict(e) for e in field_errors]
        self.additional_errors = [dict(e) for e in additional_errors]


class TTWarning(UserWarning):
    """Base class of every warning that tt_notebook issues."""
