"""The OpenAPI 3 document of the API as the emulator serves it.

The server answers ``GET /openapi.json`` with :func:`document`. The same
document is committed beside this file as ``openapi.json``; a test checks
that the two are equal and that the document's paths and methods are
exactly the server's routing table, so none can drift from the others.
Regenerate the file after a change with::

    python -c "from tt_notebook.emulator import openapi; openapi.write()"

The document describes the emulator, not the vendor's service: where the
real behaviour is unknown it states the emulator's choice (see
``docs/design/emulator.md``).

Examples
--------
>>> doc = document()
>>> doc["openapi"], sorted(doc["paths"])[:2]
('3.0.3', ['/report/details', '/report/fillchecker'])
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["COMMITTED", "document", "text", "write"]

_JSON = "application/json"
_FIELD_ERRORS = [
    "Exceed",
    "Invalid",
    "InvalidByJira",
    "InvalidFormat",
    "LoggablePeriod",
    "MaxHoursPerDay",
    "Required",
    "TooManyPeriodicIssues",
]
_ADDITIONAL_ERRORS = [
    "JiraError",
    "PeriodicLimit",
    "PeriodicLoggablePeriod",
    "PeriodicMaxHoursPerDay",
    "TooManyDataForTimesheet",
    "TooManyWorklogsToExport",
    "NoActiveLicense",
    "ManualUpgradeNeeded",
]
_VIEWS = ["userView", "projectView", "issueView", "tagView", "billingView"]
_EXPAND = ["AUTHOR", "PROJECT", "STATUS", "TYPE", "ASSIGNEE", "REPORTER", "PRIORITY"]
_ORDERS = [
    f"{sign}{name}"
    for name in (
        "worklogStartTime",
        "worklogCreated",
        "worklogTimeSpent",
        "worklogUpdated",
    )
    for sign in ("", "-")
]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(
    properties: dict[str, Any], required: list[str] | None = None, *, closed: bool
) -> dict[str, Any]:
    """An object schema; ``closed`` answers may carry no other property."""
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    if closed:
        schema["additionalProperties"] = False
    return schema


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {_JSON: {"schema": schema}}}


_STRING: dict[str, Any] = {"type": "string"}
_INTEGER: dict[str, Any] = {"type": "integer"}
_SECONDS: dict[str, Any] = {"type": "integer", "minimum": 0}
_DAY: dict[str, Any] = {"type": "string", "format": "date", "example": "2025-03-18"}
_ID_TEXT_OR_NUMBER: dict[str, Any] = {"oneOf": [_STRING, _INTEGER]}


def _schemas() -> dict[str, Any]:
    # 1. Errors.
    schemas: dict[str, Any] = {
        "Message": _object({"message": _STRING}, ["message"], closed=True),
        "ValidationError": _object(
            {
                "additionalErrors": _array(
                    _object(
                        {
                            "errorType": {"type": "string", "enum": _ADDITIONAL_ERRORS},
                            "extra": {"type": "object"},
                        },
                        ["errorType", "extra"],
                        closed=True,
                    )
                ),
                "fieldErrors": _array(
                    _object(
                        {
                            "errorType": {"type": "string", "enum": _FIELD_ERRORS},
                            "paths": _array(_array(_STRING)),
                        },
                        ["errorType", "paths"],
                        closed=True,
                    )
                ),
            },
            ["additionalErrors", "fieldErrors"],
            closed=True,
        ),
    }

    # 2. Worklogs.
    new_worklog: dict[str, dict[str, Any]] = {
        "workDate": {**_DAY, "description": "Day of the work in x-timezone."},
        "workStartTime": {
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
            "description": "HH:mm in x-timezone; 00:00 when absent.",
        },
        "durationInSeconds": {"type": "integer", "minimum": 1, "maximum": 86400},
        "issueId": {**_INTEGER, "description": "Numeric Jira issue id."},
        "description": _STRING,
        "isBillable": {"type": "boolean"},
        "worklogTagIds": _array(_INTEGER),
    }
    tag_ref = _object({"id": _INTEGER, "name": _STRING}, ["id", "name"], closed=True)
    schemas["TagRef"] = tag_ref
    schemas["NewWorklog"] = _object(
        new_worklog, ["workDate", "durationInSeconds", "issueId"], closed=False
    )
    schemas["PartialWorklog"] = _object(
        {name: {**value, "nullable": True} for name, value in new_worklog.items()},
        closed=False,
    )
    schemas["WorklogUpdate"] = _object(
        {
            "worklogId": {**_INTEGER, "minimum": 0},
            "partialWorklog": _ref("PartialWorklog"),
        },
        ["worklogId", "partialWorklog"],
        closed=False,
    )
    worklog_fields = {
        "worklogId": _INTEGER,
        "jiraWorklogId": _INTEGER,
        "issueId": _INTEGER,
        "workDate": _DAY,
        "workStartTime": {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$"},
        "durationInSeconds": _INTEGER,
        "description": _STRING,
        "isBillable": {"type": "boolean"},
        "worklogTagIds": _array(_INTEGER),
        "worklogTags": _array(_ref("TagRef")),
    }
    schemas["Worklog"] = _object(worklog_fields, list(worklog_fields), closed=True)
    schemas["WorklogEnvelope"] = _object(
        {
            "error": {
                **_object(
                    {
                        "message": {**_STRING, "nullable": True},
                        "result": {**_STRING, "example": "WORKLOG_NOT_FOUND"},
                        "worklogId": _INTEGER,
                    },
                    ["message", "result", "worklogId"],
                    closed=True,
                ),
                "nullable": True,
            },
            "worklog": {**_ref("Worklog"), "nullable": True},
        },
        ["error", "worklog"],
        closed=True,
    )

    # 3. Report requests: the filters shared by details and summary.
    filters = {
        "startAt": {"type": "integer", "minimum": 0},
        "startDate": _DAY,
        "endDate": {**_DAY, "description": "Inclusive; not before startDate."},
        "maxResults": {
            **_INTEGER,
            "description": "Details: clamped to 1..1000, default 50. Summary: ignored.",
        },
        "filterBillable": {"type": "boolean"},
        "projects": _array(_ID_TEXT_OR_NUMBER),
        "users": _array(_STRING),
        "groups": _array(_STRING),
        "filters": {
            **_array(_ID_TEXT_OR_NUMBER),
            "description": "Saved-filter ids; an issue passes if any selects it.",
        },
        "jql": {
            **_STRING,
            "description": "project = / project in (...) / key = / key in (...), "
            "joined by AND; anything else is 400.",
        },
        "expand": _array({"type": "string", "enum": _EXPAND}),
    }
    tag_filter_note = "reportTagFilter: any value but null is refused (400 Invalid)."
    schemas["DetailsRequest"] = {
        **_object(
            {**filters, "orderBy": {"type": "string", "enum": _ORDERS}},
            ["startAt", "startDate", "endDate"],
            closed=False,
        ),
        "description": tag_filter_note,
    }
    schemas["SummaryRequest"] = {
        **_object(
            {
                **filters,
                "groupBy": {
                    "oneOf": [
                        {"type": "string", "enum": _VIEWS},
                        _array({"type": "string", "enum": _VIEWS}),
                    ]
                },
            },
            ["startAt", "startDate", "endDate"],
            closed=False,
        ),
        "description": tag_filter_note + " No paging: every item is returned.",
    }
    schemas["FillcheckerRequest"] = _object(
        {
            "dateFrom": _DAY,
            "dateUntil": {**_DAY, "description": "At most 731 days after dateFrom."},
            "users": _array(_STRING),
            "groups": _array(_STRING),
            "projects": _array(_INTEGER),
            "nonWorkingProjectIds": _array(_INTEGER),
        },
        ["dateFrom", "dateUntil"],
        closed=False,
    )

    # 4. Report answers.
    user = _object(
        {"id": _STRING, "name": _STRING, "avatar": _STRING},
        ["id"],
        closed=True,
    )
    schemas["User"] = {**user, "description": "No name for a deleted user."}
    project = _object(
        {"id": _STRING, "key": _STRING, "name": _STRING},
        ["id", "key", "name"],
        closed=True,
    )
    schemas["Project"] = project
    schemas["DetailsItem"] = _object(
        {
            "issue": _object(
                {"id": _INTEGER, "key": _STRING, "summary": _STRING},
                ["id", "key", "summary"],
                closed=True,
            ),
            "project": _ref("Project"),
            "worklog": _object(
                {
                    "id": _INTEGER,
                    "jiraWorklogId": _INTEGER,
                    "description": _STRING,
                    "durationInSeconds": _INTEGER,
                    "isBillable": {"type": "boolean"},
                    "startTime": {
                        "type": "string",
                        "format": "date-time",
                        "example": "2025-03-18T08:30:00.000Z",
                    },
                    "author": _ref("User"),
                    "worklogTags": _array(_ref("TagRef")),
                },
                [
                    "id",
                    "jiraWorklogId",
                    "description",
                    "durationInSeconds",
                    "isBillable",
                    "startTime",
                    "author",
                    "worklogTags",
                ],
                closed=True,
            ),
        },
        ["issue", "project", "worklog"],
        closed=True,
    )
    schemas["DetailsReport"] = _object(
        {
            "total": _SECONDS,
            "startAt": _SECONDS,
            "maxResults": {"type": "integer", "minimum": 1},
            "totalWorkTimeInSeconds": _SECONDS,
            "values": _array(_ref("DetailsItem")),
        },
        ["total", "startAt", "maxResults", "totalWorkTimeInSeconds", "values"],
        closed=True,
    )
    seconds = {
        "billableLoggedSeconds": _SECONDS,
        "nonBillableLoggedSeconds": _SECONDS,
        "totalLogged": _SECONDS,
    }
    entities = {
        "userView": ("user", _ref("User")),
        "projectView": ("project", _ref("Project")),
        "issueView": (
            "issue",
            _object(
                {
                    "id": _INTEGER,
                    "key": _STRING,
                    "summary": _STRING,
                    "projectId": _STRING,
                },
                ["id", "key", "summary", "projectId"],
                closed=True,
            ),
        ),
        "tagView": ("tag", {**_ref("TagRef"), "nullable": True}),
        "billingView": ("billable", {"type": "boolean"}),
    }
    schemas["SummaryReport"] = _object(
        {
            view: _array(
                _object({key: entity, **seconds}, [key, *seconds], closed=True)
            )
            for view, (key, entity) in entities.items()
        },
        ["userView"],
        closed=True,
    )
    schemas["FillcheckerReport"] = _object(
        {
            "userReports": _array(
                _object(
                    {
                        "accountId": _STRING,
                        "daySummaries": _array(
                            _object(
                                {
                                    "date": _DAY,
                                    "realWorkInSeconds": _SECONDS,
                                    "nonWorkInSeconds": _SECONDS,
                                },
                                ["date", "realWorkInSeconds", "nonWorkInSeconds"],
                                closed=True,
                            )
                        ),
                    },
                    ["accountId", "daySummaries"],
                    closed=True,
                )
            )
        },
        ["userReports"],
        closed=True,
    )

    # 5. Tags.
    tag_fields = {
        "id": _INTEGER,
        "name": _STRING,
        "description": _STRING,
        "archived": {"type": "boolean"},
        "colorIndex": {**_INTEGER, "nullable": True},
    }
    schemas["Tag"] = _object(tag_fields, list(tag_fields), closed=True)
    schemas["TagList"] = _object(
        {"worklogTags": _array(_ref("Tag"))}, ["worklogTags"], closed=True
    )
    schemas["TagRequest"] = _object(
        {
            "name": {
                "type": "string",
                "minLength": 1,
                "maxLength": 255,
                "description": "Unique, ignoring case and outer blanks.",
            },
            "description": {"type": "string", "maxLength": 4000},
            "colorIndex": {
                "type": "integer",
                "minimum": 0,
                "maximum": 15,
                "nullable": True,
            },
        },
        ["name", "description"],
        closed=False,
    )

    # 6. Examples, for readers and for the examples phase of the property
    # test; the ids exist in every organisation build_organisation makes.
    examples: dict[str, dict[str, Any]] = {
        "NewWorklog": {
            "issueId": 20001,
            "workDate": "2025-03-05",
            "workStartTime": "09:00",
            "durationInSeconds": 3600,
            "description": "Code review",
            "isBillable": True,
            "worklogTagIds": [1],
        },
        "WorklogUpdate": {
            "worklogId": 1,
            "partialWorklog": {"durationInSeconds": 1800},
        },
        "DetailsRequest": {
            "startAt": 0,
            "maxResults": 1000,
            "startDate": "2025-03-03",
            "endDate": "2025-03-09",
            "orderBy": "-worklogStartTime",
            "jql": "project in (WEB, MOB)",
        },
        "SummaryRequest": {
            "startAt": 0,
            "startDate": "2025-03-03",
            "endDate": "2025-03-09",
            "groupBy": ["projectView", "tagView", "billingView"],
            "expand": ["AUTHOR"],
        },
        "FillcheckerRequest": {
            "dateFrom": "2025-03-03",
            "dateUntil": "2025-03-09",
            "groups": ["support"],
            "nonWorkingProjectIds": [10006],
        },
        "TagRequest": {"name": "security", "description": "Audits", "colorIndex": 2},
    }
    for name, example in examples.items():
        schemas[name]["example"] = example
    return schemas


def _header(name: str, description: str, *, required: bool) -> dict[str, Any]:
    return {
        "name": name,
        "in": "header",
        "required": required,
        "schema": _STRING,
        "description": description,
    }


_CSRF = _header(
    "x-requested-by",
    "Any value, even empty; without it a write answers 400 with empty lists.",
    required=True,
)
_ZONE = _header(
    "x-timezone", "IANA zone of dates and times; UTC when absent.", required=False
)
_ON_BEHALF = _header(
    "x-everit-on-behalf-account",
    "Account to log work for: anyone for an administrator, the group for a "
    "lead, only oneself for a member (479 otherwise).",
    required=False,
)


def _tag_id(example: int) -> dict[str, Any]:
    return {
        "name": "worklogTagId",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 0},
        "example": example,
    }


# The delete example is another tag, so the other examples still find theirs.
_TAG_ID = _tag_id(3)
_DELETED_TAG_ID = _tag_id(10)
_WORKLOG_ID = {
    "name": "worklogId",
    "in": "query",
    "required": True,
    "schema": {"type": "integer", "minimum": 0},
    "example": 1,
}


def _operation(
    summary: str,
    responses: dict[str, Any],
    *,
    parameters: Sequence[dict[str, Any]] = (),
    body: str | None = None,
    body_required: bool = True,
) -> dict[str, Any]:
    # Every operation can meet a missing token and the injected faults.
    operation: dict[str, Any] = {
        "summary": summary,
        "parameters": list(parameters),
        "responses": {
            **responses,
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "429": {"$ref": "#/components/responses/Fault"},
            "5XX": {"$ref": "#/components/responses/Fault"},
        },
    }
    if body is not None:
        operation["requestBody"] = {
            "required": body_required,
            "content": {_JSON: {"schema": _ref(body)}},
        }
    return operation


def _answer(name: str, description: str) -> dict[str, Any]:
    return _json(_ref(name), description)


_INVALID = {"400": {"$ref": "#/components/responses/Invalid"}}
_FORBIDDEN = {"479": {"$ref": "#/components/responses/Forbidden"}}
_NO_TAG = {"404": _answer("Message", "No tag with this id.")}


def _paths() -> dict[str, Any]:
    write = [_CSRF]
    return {
        "/worklog": {
            "get": _operation(
                "Read one worklog",
                {
                    "200": _answer("Worklog", "The worklog."),
                    "404": _answer(
                        "WorklogEnvelope",
                        "WORKLOG_NOT_FOUND, also for a worklog the token may not see.",
                    ),
                    **_INVALID,
                },
                parameters=[_WORKLOG_ID, _ZONE],
            ),
            "post": _operation(
                "Create a worklog",
                {
                    "200": _answer("Worklog", "The stored worklog."),
                    **_INVALID,
                    **_FORBIDDEN,
                },
                parameters=[*write, _ZONE, _ON_BEHALF],
                body="NewWorklog",
            ),
            "patch": _operation(
                "Change some fields of a worklog",
                {
                    "200": _answer(
                        "WorklogEnvelope",
                        "error null and the worklog, or WORKLOG_NOT_FOUND.",
                    ),
                    **_INVALID,
                },
                parameters=[*write, _ZONE],
                body="WorklogUpdate",
            ),
            "delete": _operation(
                "Delete a worklog",
                {
                    "200": _answer(
                        "WorklogEnvelope",
                        "Both null when deleted, or WORKLOG_NOT_FOUND.",
                    ),
                    **_INVALID,
                },
                parameters=[_WORKLOG_ID, *write],
            ),
        },
        "/report/details": {
            "post": _operation(
                "One page of worklogs with their issue and project",
                {"200": _answer("DetailsReport", "The page."), **_INVALID},
                parameters=[*write, _ZONE],
                body="DetailsRequest",
            )
        },
        "/report/summary": {
            "post": _operation(
                "Totals by user and by the views asked for",
                {"200": _answer("SummaryReport", "Largest total first."), **_INVALID},
                parameters=[*write, _ZONE],
                body="SummaryRequest",
            )
        },
        "/report/fillchecker": {
            "post": _operation(
                "Work and non-work per person and day",
                {
                    "200": _answer("FillcheckerReport", "Every day, zeros included."),
                    **_INVALID,
                },
                parameters=[*write, _ZONE],
                body="FillcheckerRequest",
            )
        },
        "/tag": {
            "get": _operation(
                "List worklog tags",
                {"200": _answer("TagList", "By id."), **_INVALID},
                parameters=[
                    {
                        "name": "archived",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "boolean"},
                    }
                ],
            ),
            "post": _operation(
                "Create a tag (administrators only)",
                {"200": _answer("Tag", "The new tag."), **_INVALID, **_FORBIDDEN},
                parameters=write,
                body="TagRequest",
            ),
        },
        "/tag/{worklogTagId}": {
            "put": _operation(
                "Replace a tag's name, description and colour",
                {
                    "200": _answer("Tag", "The changed tag."),
                    **_INVALID,
                    **_FORBIDDEN,
                    **_NO_TAG,
                },
                parameters=[_TAG_ID, *write],
                body="TagRequest",
            ),
            "delete": _operation(
                "Delete a tag and take it off every worklog",
                {
                    "204": {"description": "Deleted."},
                    **_INVALID,
                    **_FORBIDDEN,
                    **_NO_TAG,
                },
                parameters=[_DELETED_TAG_ID, *write],
            ),
        },
        **{
            f"/tag/{{worklogTagId}}/{action}": {
                "post": _operation(
                    f"{action.capitalize()} a tag",
                    {
                        "200": _answer("Tag", "The tag."),
                        **_INVALID,
                        **_FORBIDDEN,
                        **_NO_TAG,
                    },
                    parameters=[_TAG_ID, *write],
                    body="AnyObject",
                    body_required=False,
                )
            }
            for action in ("archive", "restore")
        },
    }


@functools.cache
def _document() -> dict[str, Any]:
    fault_headers = {
        "Retry-After": {
            "description": "Seconds, fractional seconds or an HTTP date, "
            "when the fault plan sets one.",
            "schema": _STRING,
        }
    }
    schemas = _schemas()
    schemas["AnyObject"] = {"type": "object", "description": "Ignored."}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Timetracker Cloud public API, as emulated by tt_notebook",
            "version": "1.0.0",
            "description": (
                "The routes served by tt_notebook.emulator under "
                "/timetracker/api/{version}/public, where version is 'latest' "
                "or a number. Choices where the vendor's behaviour is unknown "
                "are listed in docs/design/emulator.md. Bodies above 10 MiB are "
                "refused with 413; a known path with another method is 405."
            ),
        },
        "servers": [
            {
                "url": "/timetracker/api/{version}/public",
                "variables": {"version": {"default": "latest"}},
            }
        ],
        "security": [{"apiKey": []}],
        "paths": _paths(),
        "components": {
            "securitySchemes": {
                "apiKey": {"type": "apiKey", "in": "header", "name": "x-everit-api-key"}
            },
            "schemas": schemas,
            "responses": {
                "Invalid": _answer("ValidationError", "A field or header is wrong."),
                "Unauthorized": _answer("Message", "Missing or unknown token."),
                "Forbidden": _answer("Message", "The token lacks a permission."),
                "Fault": {
                    **_answer("Message", "Injected by the fault plan."),
                    "headers": fault_headers,
                },
            },
        },
    }


def document() -> dict[str, Any]:
    """Return the OpenAPI 3 document (a new copy each call)."""
    return copy.deepcopy(_document())


COMMITTED = Path(__file__).with_name("openapi.json")
"""Where the committed copy of the document lives."""


def text() -> str:
    """The document as the committed file holds it."""
    return json.dumps(document(), indent=2, ensure_ascii=False) + "\n"


def write(path: Path = COMMITTED) -> None:
    """Write the document to the committed file (or ``path``)."""
    path.write_text(text(), encoding="utf-8")
