"""Request fields of the emulated API: parsing, validation and error bodies.

Internal to the emulator. Every route reads its JSON body through
:class:`Fields`, which collects all field errors of a request so that one
400 answer lists them all, in the documented shape::

    {"additionalErrors": [], "fieldErrors": [{"errorType": ..., "paths": [[...]]}]}

Types are strict: ``"0"`` is not a number and ``1.0`` is not an integer. A
JSON ``null`` counts as an absent field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from email.message import Message
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__: list[str] = []

DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TIME_OF_DAY = re.compile(r"(?P<hour>[01][0-9]|2[0-3]):(?P<minute>[0-5][0-9])")
UNSIGNED = re.compile(r"[0-9]{1,18}")
EMPTY_VALIDATION: dict[str, list[object]] = {"additionalErrors": [], "fieldErrors": []}


class ApiError(Exception):
    """An answer other than 200, raised from anywhere in a route."""

    def __init__(
        self, status: int, payload: object, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(status)
        self.status = status
        self.payload = payload
        self.headers = dict(headers or {})


def field_error(error_type: str, *path: str) -> dict[str, object]:
    """One ``fieldErrors`` item for the field at ``path``."""
    return {"errorType": error_type, "paths": [list(path)]}


def validation(
    errors: list[dict[str, object]],
    additional: list[dict[str, object]] | None = None,
) -> ApiError:
    """The 400 answer listing field errors (and errors not tied to a field)."""
    return ApiError(400, {"additionalErrors": additional or [], "fieldErrors": errors})


def message(status: int, text: str) -> ApiError:
    """An answer with a ``{"message": text}`` body."""
    return ApiError(status, {"message": text})


def not_json_object() -> ApiError:
    """The 400 for a body that is not a JSON object: the empty path."""
    return validation([field_error("InvalidFormat")])


NOT_JSON = object()
"""The body of a request whose body is not JSON."""


def body_fields(body: object) -> Fields:
    """The body as :class:`Fields`; 400 on the empty path if not an object."""
    if not isinstance(body, dict):
        raise not_json_object()
    return Fields(body)


class Fields:
    """Typed reads of one JSON object, collecting the errors found.

    Parameters
    ----------
    body : mapping
        The object read.
    errors : list
        Where field errors are appended; shared by the nested readers of
        one request.
    prefix : tuple of str
        Path of ``body`` inside the request, such as ``("partialWorklog",)``.

    Attributes
    ----------
    errors : list
        The ``fieldErrors`` items found so far.
    additional : list
        The ``additionalErrors`` items found so far.
    """

    def __init__(
        self,
        body: Mapping[str, Any],
        errors: list[dict[str, object]] | None = None,
        prefix: tuple[str, ...] = (),
    ) -> None:
        self.body = body
        self.errors: list[dict[str, object]] = [] if errors is None else errors
        self.additional: list[dict[str, object]] = []
        self.prefix = prefix

    def error(self, error_type: str, name: str) -> None:
        """Record an error on the field ``name``."""
        self.errors.append(field_error(error_type, *self.prefix, name))

    def jira_error(self, name: str, text: str) -> None:
        """Record ``Invalid`` on ``name`` and a ``JiraError`` saying why."""
        self.error("Invalid", name)
        self.additional.append({"errorType": "JiraError", "extra": {"message": text}})

    def raise_if_any(self) -> None:
        """Raise the 400 answer when an error was recorded."""
        if self.errors or self.additional:
            raise validation(self.errors, self.additional)

    def present(self, name: str) -> bool:
        """Whether the field is given and not ``null``."""
        return self.body.get(name) is not None

    def _value(self, name: str, required: bool) -> Any:
        value = self.body.get(name)
        if value is None and required:
            self.error("Required", name)
        return value

    def integer(
        self,
        name: str,
        *,
        required: bool = False,
        minimum: int | None = None,
        maximum: int | None = None,
        above_maximum: str = "Invalid",
    ) -> int | None:
        """An integer, ``Invalid`` below ``minimum``, above ``maximum`` too."""
        value = self._value(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error("InvalidFormat", name)
            return None
        if minimum is not None and value < minimum:
            self.error("Invalid", name)
            return None
        if maximum is not None and value > maximum:
            self.error(above_maximum, name)
            return None
        return value

    def boolean(self, name: str) -> bool | None:
        """A JSON boolean."""
        value = self._value(name, False)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.error("InvalidFormat", name)
            return None
        return value

    def string(self, name: str, *, required: bool = False) -> str | None:
        """A JSON string."""
        value = self._value(name, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error("InvalidFormat", name)
            return None
        return value

    def day(self, name: str, *, required: bool = True) -> date | None:
        """A ``yyyy-MM-dd`` calendar date."""
        value = self._value(name, required)
        if value is None:
            return None
        if isinstance(value, str) and DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.error("InvalidFormat", name)
        return None

    def time_of_day(self, name: str) -> tuple[int, int] | None:
        """A 24-hour ``HH:mm`` time as ``(hour, minute)``."""
        value = self._value(name, False)
        if value is None:
            return None
        match = TIME_OF_DAY.fullmatch(value) if isinstance(value, str) else None
        if match is None:
            self.error("InvalidFormat", name)
            return None
        return int(match["hour"]), int(match["minute"])

    def strings(self, name: str, *, numbers: bool = False) -> list[str] | None:
        """A list of strings; with ``numbers``, integers are taken as text."""
        value = self._value(name, False)
        if value is None:
            return None
        if not isinstance(value, list):
            self.error("InvalidFormat", name)
            return None
        items: list[str] = []
        for item in value:
            if isinstance(item, str):
                items.append(item)
            elif numbers and isinstance(item, int) and not isinstance(item, bool):
                items.append(str(item))
            else:
                self.error("InvalidFormat", name)
                return None
        return items

    def integers(self, name: str) -> list[int] | None:
        """A list of integers."""
        value = self._value(name, False)
        if value is None:
            return None
        if not isinstance(value, list) or any(
            isinstance(item, bool) or not isinstance(item, int) for item in value
        ):
            self.error("InvalidFormat", name)
            return None
        return list(value)

    def date_range(
        self, first_name: str, last_name: str, *, max_days: int | None = None
    ) -> tuple[date, date] | None:
        """Two required dates, the second not before the first.

        More than ``max_days`` days in the range is ``Exceed`` on the second.
        """
        first = self.day(first_name)
        last = self.day(last_name)
        if first is None or last is None:
            return None
        if last < first:
            self.error("Invalid", last_name)
            return None
        if max_days is not None and (last - first).days + 1 > max_days:
            self.error("Exceed", last_name)
            return None
        return first, last


def parse_json(raw: bytes) -> tuple[bool, object]:
    """Parse a request body; return ``(ok, value)``.

    NaN, infinities, invalid UTF-8 and nesting too deep for the parser are
    not JSON here.
    """
    try:
        return True, json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False, None


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def request_zone(headers: Message) -> ZoneInfo:
    """The ``x-timezone`` zone; UTC when absent or blank, 400 when unknown."""
    name = (headers.get("x-timezone") or "").strip()
    if not name:
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise validation([field_error("Invalid", "x-timezone")]) from None


def day_bounds(first: date, last: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Return the instants of local midnight starting ``first`` and after ``last``.

    ``fold=0`` is right for both kinds of DST change at midnight: a skipped
    midnight maps to the instant of the change, a repeated one to its first
    occurrence, which is where the day begins either way.
    """
    lowest = datetime.min.replace(tzinfo=UTC)
    highest = datetime.max.replace(tzinfo=UTC)
    try:
        start = datetime.combine(first, dtime(), tzinfo=tz).astimezone(UTC)
    except OverflowError:
        start = lowest
    try:
        following = last + timedelta(days=1)
        end = datetime.combine(following, dtime(), tzinfo=tz).astimezone(UTC)
    except OverflowError:
        end = highest
    return start, end


def utc_timestamp(instant: datetime) -> str:
    """``2025-03-18T08:30:00.000Z``: UTC with milliseconds."""
    utc = instant.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def json_bytes(payload: object) -> bytes:
    """Compact UTF-8 JSON, non-ASCII text unescaped."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
