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
    "CacheMissError",
    "ConfigurationError",
    "IncompleteResultError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "StaleCacheWarning",
    "SyncIncompleteError",
    "TTError",
    "TTWarning",
    "ValidationError",
    "error_from_response",
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


class CacheMissError(TTError):
    """An offline session was asked for something that is not in its cache."""


class TTWarning(UserWarning):
    """Base class of every warning that tt_notebook issues."""


class StaleCacheWarning(TTWarning):
    """The service failed, so an expired cached answer was served instead."""


def error_from_response(status: int, body: Any, endpoint: str) -> APIError:
    """Build the error for an HTTP error status and its decoded body.

    The mapping is by status code, never by message text.

    Parameters
    ----------
    status : int
        HTTP status, 400 or more.
    body : object
        The decoded JSON body, or None.
    endpoint : str
        Method and API path, such as ``"POST /report/details"``.

    Examples
    --------
    >>> err = error_from_response(479, None, "GET /tag")
    >>> type(err).__name__, err.status_code
    ('PermissionDeniedError', 479)
    """
    if status == 400:
        return _validation_error(body, endpoint)
    if status in (401, 403):
        return AuthenticationError(
            f"The Timetracker API rejected the token (HTTP {status}). Check that "
            f"it was copied whole and has not been revoked. {TOKEN_HELP}",
            status_code=status,
            endpoint=endpoint,
        )
    if status == 479:
        return PermissionDeniedError(
            "The token's user lacks a Timetracker permission needed here; ask a "
            "Timetracker administrator to grant it in Global Settings.",
            status_code=status,
            endpoint=endpoint,
        )
    if status == 404:
        return NotFoundError(
            "Not found, or not visible to this token.",
            status_code=status,
            endpoint=endpoint,
        )
    if status == 429:
        return RateLimitError(
            "The service is rate limiting this token and kept doing so after "
            "every retry; wait a minute and try again.",
            status_code=status,
            endpoint=endpoint,
        )
    if status == 567:
        return SyncIncompleteError(
            "Timetracker has not finished syncing worklogs with Jira; try again "
            "in a few minutes.",
            status_code=status,
            endpoint=endpoint,
        )
    return APIError(
        f"The Timetracker API answered with an error (HTTP {status}).",
        status_code=status,
        endpoint=endpoint,
    )


def _validation_error(body: Any, endpoint: str) -> ValidationError:
    fields: list[Mapping[str, Any]] = []
    extra: list[Mapping[str, Any]] = []
    if isinstance(body, Mapping):
        fields = [e for e in body.get("fieldErrors") or [] if isinstance(e, Mapping)]
        extra = [
            e for e in body.get("additionalErrors") or [] if isinstance(e, Mapping)
        ]
    parts = [
        f"{'/'.join('.'.join(map(str, p)) for p in e.get('paths') or [])}: "
        f"{e.get('errorType')}"
        for e in fields
    ]
    parts += [str(e.get("errorType")) for e in extra]
    if parts:
        message = "The service rejected the request: " + "; ".join(parts) + "."
    else:
        message = (
            "The service rejected the request without saying why (HTTP 400). For "
            "POST calls this is what a missing x-requested-by header gives."
        )
    return ValidationError(
        message,
        status_code=400,
        endpoint=endpoint,
        field_errors=fields,
        additional_errors=extra,
    )
