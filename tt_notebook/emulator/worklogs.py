"""The worklog routes of the emulated API: read, create, update, delete.

Internal to the emulator. ``workDate`` and ``workStartTime`` are wall-clock
values in the ``x-timezone`` zone, both when read and when written. A token
may read and change the worklogs it may see in reports; others are
``WORKLOG_NOT_FOUND``, as if they did not exist.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .context import Request
from .data import Organisation, Worklog, local_to_utc
from .fields import (
    UNSIGNED,
    ApiError,
    Fields,
    body_fields,
    field_error,
    request_zone,
    validation,
)
from .reports import tag_refs

if TYPE_CHECKING:
    from .server import EmulatorServer

__all__: list[str] = []

ON_BEHALF = "x-everit-on-behalf-account"
MAX_DURATION_SECONDS = 24 * 3600
"""The longest worklog accepted; longer is ``Exceed``."""
FIRST_WORK_DATE = date(1900, 1, 1)
LAST_WORK_DATE = date(2999, 12, 31)
"""``workDate`` outside these days is ``Invalid``."""
_NEW_FIELDS = (
    "workDate",
    "workStartTime",
    "durationInSeconds",
    "issueId",
    "description",
    "isBillable",
    "worklogTagIds",
)


def not_found(worklog_id: int) -> dict[str, object]:
    """The business envelope of a worklog that is not there."""
    return {
        "error": {
            "message": "Worklog not found",
            "result": "WORKLOG_NOT_FOUND",
            "worklogId": worklog_id,
        },
        "worklog": None,
    }


def worklog_body(
    org: Organisation, worklog: Worklog, tz: ZoneInfo
) -> dict[str, object]:
    """A worklog as the create, update and read routes give it."""
    local = worklog.start.astimezone(tz)
    return {
        "worklogId": worklog.worklog_id,
        "jiraWorklogId": worklog.jira_worklog_id,
        "issueId": worklog.issue_id,
        "workDate": local.date().isoformat(),
        "workStartTime": local.strftime("%H:%M"),
        "durationInSeconds": worklog.duration_seconds,
        "description": worklog.description,
        "isBillable": worklog.billable,
        "worklogTagIds": sorted(worklog.tag_ids),
        "worklogTags": tag_refs(org, worklog),
    }


def _query_id(request: Request) -> int:
    raw = request.query.get("worklogId")
    if raw is None:
        raise validation([field_error("Required", "worklogId")])
    if not UNSIGNED.fullmatch(raw):
        raise validation([field_error("InvalidFormat", "worklogId")])
    return int(raw)


def _visible(
    server: EmulatorServer, request: Request, worklog_id: int
) -> Worklog | None:
    try:
        worklog = server.org.worklog(worklog_id)
    except KeyError:
        return None
    visible = server._visible_authors(request.grant)
    if visible is not None and worklog.author_id not in visible:
        return None
    return worklog


# ---------------------------------------------------------------------------
# Routes


def get_worklog(server: EmulatorServer, request: Request) -> object:
    """``GET /worklog?worklogId=``: one worklog, or 404 with the envelope."""
    tz = request_zone(request.headers)
    worklog_id = _query_id(request)
    worklog = _visible(server, request, worklog_id)
    if worklog is None:
        raise ApiError(404, not_found(worklog_id))
    return worklog_body(server.org, worklog, tz)


def create_worklog(server: EmulatorServer, request: Request) -> object:
    """``POST /worklog``: log work, as the token's user or on behalf of one."""
    fields = body_fields(request.body)
    tz = request_zone(request.headers)

    # 1. Whose work it is, then every field.
    author_id = _author(server, request, fields)
    values = _read_worklog_fields(server, fields, None, required=True)
    fields.raise_if_any()
    assert author_id is not None
    start = _start(fields, values["workDate"], values.get("workStartTime"), tz)
    fields.raise_if_any()

    # 2. Store it.
    worklog = server.org.add_worklog(
        values["issueId"],
        author_id,
        start,
        values["durationInSeconds"],
        values.get("description", ""),
        values.get("isBillable", False),
        values.get("worklogTagIds", ()),
        created=datetime.now(UTC),
    )
    return worklog_body(server.org, worklog, tz)


def update_worklog(server: EmulatorServer, request: Request) -> object:
    """``PATCH /worklog``: change some fields; 200 with ``{error, worklog}``."""
    fields = body_fields(request.body)
    tz = request_zone(request.headers)

    # 1. The worklog named, and the partial worklog.
    worklog_id = fields.integer("worklogId", required=True, minimum=0)
    partial = fields.body.get("partialWorklog")
    current = None if worklog_id is None else _visible(server, request, worklog_id)
    values: dict[str, Any] = {}
    if partial is None:
        fields.error("Required", "partialWorklog")
    elif not isinstance(partial, dict):
        fields.error("InvalidFormat", "partialWorklog")
    else:
        inner = Fields(partial, fields.errors, ("partialWorklog",))
        values = _read_worklog_fields(server, inner, current, required=False)
    fields.raise_if_any()
    assert worklog_id is not None
    if current is None:
        return not_found(worklog_id)

    # 2. Date and time: the given parts replace those of the current local
    # start, in the request's zone.
    changes: dict[str, Any] = {}
    if "workDate" in values or "workStartTime" in values:
        local = current.start.astimezone(tz)
        work_date = values.get("workDate", local.date())
        hour_minute = values.get("workStartTime", (local.hour, local.minute))
        inner = Fields(fields.body["partialWorklog"], prefix=("partialWorklog",))
        changes["start"] = _start(inner, work_date, hour_minute, tz)
        inner.raise_if_any()
    renames = {
        "durationInSeconds": "duration_seconds",
        "issueId": "issue_id",
        "description": "description",
        "isBillable": "billable",
        "worklogTagIds": "tag_ids",
    }
    for name, attribute in renames.items():
        if name in values:
            changes[attribute] = values[name]
    if "tag_ids" in changes:
        changes["tag_ids"] = tuple(changes["tag_ids"])

    # 3. Store the new version, unless it vanished meanwhile.
    if not changes:
        return {"error": None, "worklog": worklog_body(server.org, current, tz)}
    changed = dataclasses.replace(current, updated=datetime.now(UTC), **changes)
    try:
        stored = server.org.replace_worklog(changed)
    except KeyError:
        return not_found(worklog_id)
    return {"error": None, "worklog": worklog_body(server.org, stored, tz)}


def delete_worklog(server: EmulatorServer, request: Request) -> object:
    """``DELETE /worklog?worklogId=``: 200 with ``{error, worklog: null}``."""
    worklog_id = _query_id(request)
    if _visible(server, request, worklog_id) is None:
        return not_found(worklog_id)
    try:
        server.org.remove_worklog(worklog_id)
    except KeyError:
        return not_found(worklog_id)
    return {"error": None, "worklog": None}


# ---------------------------------------------------------------------------
# Fields


def _author(server: EmulatorServer, request: Request, fields: Fields) -> str | None:
    """The author of a new worklog: the token's user or the one acted for.

    Raises 479 when the token may not act for the account named.
    """
    grant = request.grant
    named = (request.headers.get(ON_BEHALF) or "").strip()
    if not named:
        if grant.account_id is None:
            # A token of nobody in particular must say whose work it is.
            fields.errors.append(field_error("Required", ON_BEHALF))
        return grant.account_id
    try:
        person = server.org.person(named)
    except KeyError:
        person = None
    if person is None or person.deleted:
        fields.errors.append(field_error("Invalid", ON_BEHALF))
        return None
    visible = server._visible_authors(grant)
    if visible is not None and named not in visible:
        raise ApiError(
            479,
            {"message": "This token may not log work on behalf of that account."},
        )
    return named


def _read_worklog_fields(
    server: EmulatorServer,
    fields: Fields,
    current: Worklog | None,
    *,
    required: bool,
) -> dict[str, Any]:
    """Read the NewWorklog fields that are present; check their references."""
    org = server.org
    values: dict[str, Any] = {}
    for name in _NEW_FIELDS:
        if not required and not fields.present(name):
            continue
        value: Any
        if name == "workDate":
            value = fields.day(name, required=required)
            if value is not None and not FIRST_WORK_DATE <= value <= LAST_WORK_DATE:
                fields.error("Invalid", name)
                value = None
        elif name == "workStartTime":
            value = fields.time_of_day(name)
        elif name == "durationInSeconds":
            value = fields.integer(
                name,
                required=required,
                minimum=1,
                maximum=MAX_DURATION_SECONDS,
                above_maximum="Exceed",
            )
        elif name == "issueId":
            value = fields.integer(name, required=required)
            if value is not None:
                try:
                    org.issue(value)
                except KeyError:
                    fields.error("InvalidByJira", name)
                    value = None
        elif name == "description":
            value = fields.string(name)
        elif name == "isBillable":
            value = fields.boolean(name)
        else:
            value = _tag_ids(org, fields, current)
        if value is not None:
            values[name] = value
    return values


def _tag_ids(
    org: Organisation, fields: Fields, current: Worklog | None
) -> list[int] | None:
    """Known tag ids, without repeats; an archived tag only if already on."""
    ids = fields.integers("worklogTagIds")
    if ids is None:
        return None
    kept = set() if current is None else set(current.tag_ids)
    unique = list(dict.fromkeys(ids))
    for tag_id in unique:
        try:
            tag = org.tag(tag_id)
        except KeyError:
            fields.error("Invalid", "worklogTagIds")
            return None
        if tag.archived and tag_id not in kept:
            fields.error("Invalid", "worklogTagIds")
            return None
    return unique


def _start(
    fields: Fields, work_date: date, hour_minute: tuple[int, int] | None, tz: ZoneInfo
) -> datetime:
    """The UTC instant of a local date and ``HH:mm`` (midnight when absent)."""
    hour, minute = hour_minute or (0, 0)
    try:
        return local_to_utc(work_date, 60 * hour + minute, tz)
    except OverflowError:
        fields.error("Invalid", "workDate")
        return datetime.min.replace(tzinfo=UTC)
