"""The worklog-tag routes of the emulated API.

Internal to the emulator. Tags are global to the site. Every token may list
them; only an administrator's may create, change, archive, restore or
delete one (479 for the others).
"""

from __future__ import annotations

import dataclasses
from operator import attrgetter
from typing import TYPE_CHECKING

from .context import Answer, Request
from .data import Tag
from .fields import (
    NOT_JSON,
    UNSIGNED,
    ApiError,
    Fields,
    body_fields,
    field_error,
    message,
    not_json_object,
    validation,
)

if TYPE_CHECKING:
    from .server import EmulatorServer

__all__: list[str] = []

MAX_NAME_LENGTH = 255
MAX_DESCRIPTION_LENGTH = 4000
MAX_COLOR_INDEX = 15
"""``colorIndex`` runs from 0 to this; ``null`` is the default colour."""


def tag_body(tag: Tag) -> dict[str, object]:
    """The documented Tag object."""
    return {
        "id": tag.id,
        "name": tag.name,
        "description": tag.description,
        "archived": tag.archived,
        "colorIndex": tag.color_index,
    }


def list_tags(server: EmulatorServer, request: Request) -> object:
    """``GET /tag``: every tag, or the (non-)archived ones, by id."""
    archived = request.query.get("archived")
    wanted: bool | None = None
    if archived is not None:
        if archived.lower() not in ("true", "false"):
            raise validation([field_error("InvalidFormat", "archived")])
        wanted = archived.lower() == "true"
    return {
        "worklogTags": [
            tag_body(tag)
            for tag in sorted(server.org.tags, key=attrgetter("id"))
            if wanted is None or tag.archived is wanted
        ]
    }


def create_tag(server: EmulatorServer, request: Request) -> object:
    """``POST /tag``: a new, unarchived tag."""
    _need_admin(request)
    name, description, color = _tag_request(server, body_fields(request.body), None)
    return tag_body(server.org.add_tag(name, description, color))


def update_tag(server: EmulatorServer, request: Request) -> object:
    """``PUT /tag/{worklogTagId}``: replace name, description and colour."""
    _need_admin(request)
    tag_id = _path_id(request)
    name, description, color = _tag_request(server, body_fields(request.body), tag_id)
    tag = _existing(server, tag_id)
    changed = dataclasses.replace(
        tag, name=name, description=description, color_index=color
    )
    return tag_body(server.org.replace_tag(changed))


def delete_tag(server: EmulatorServer, request: Request) -> object:
    """``DELETE /tag/{worklogTagId}``: 204; the tag leaves every worklog."""
    _need_admin(request)
    tag_id = _path_id(request)
    _existing(server, tag_id)
    try:
        server.org.remove_tag(tag_id)
    except KeyError:
        raise _no_tag(tag_id) from None
    return Answer(204, None, {})


def archive_tag(server: EmulatorServer, request: Request) -> object:
    """``POST /tag/{worklogTagId}/archive``: the tag, archived."""
    return _set_archived(server, request, True)


def restore_tag(server: EmulatorServer, request: Request) -> object:
    """``POST /tag/{worklogTagId}/restore``: the tag, no longer archived."""
    return _set_archived(server, request, False)


def _set_archived(server: EmulatorServer, request: Request, archived: bool) -> object:
    _need_admin(request)
    tag_id = _path_id(request)
    # The body is not documented: none, or any JSON object, is accepted.
    if request.body is NOT_JSON or (
        request.body is not None and not isinstance(request.body, dict)
    ):
        raise not_json_object()
    tag = _existing(server, tag_id)
    return tag_body(server.org.replace_tag(dataclasses.replace(tag, archived=archived)))


# ---------------------------------------------------------------------------
# Checks


def _need_admin(request: Request) -> None:
    if request.grant.role != "admin":
        raise ApiError(
            479, {"message": "Only a Timetracker administrator may change tags."}
        )


def _path_id(request: Request) -> int:
    raw = request.params["worklogTagId"]
    if not UNSIGNED.fullmatch(raw):
        raise validation([field_error("InvalidFormat", "worklogTagId")])
    return int(raw)


def _no_tag(tag_id: int) -> ApiError:
    return message(404, f"No worklog tag with id {tag_id}.")


def _existing(server: EmulatorServer, tag_id: int) -> Tag:
    try:
        return server.org.tag(tag_id)
    except KeyError:
        raise _no_tag(tag_id) from None


def _tag_request(
    server: EmulatorServer, fields: Fields, tag_id: int | None
) -> tuple[str, str, int | None]:
    """Read a WorklogTagRequest: name and description required, colour not.

    A name is unique on the site, ignoring case and outer blanks.
    """
    name = fields.string("name", required=True)
    if name is not None:
        name = name.strip()
        if not name:
            fields.error("Required", "name")
        elif len(name) > MAX_NAME_LENGTH:
            fields.error("Exceed", "name")
        elif any(
            t.name.strip().casefold() == name.casefold() and t.id != tag_id
            for t in server.org.tags
        ):
            fields.error("Invalid", "name")
    description = fields.string("description", required=True)
    if description is not None and len(description) > MAX_DESCRIPTION_LENGTH:
        fields.error("Exceed", "description")
    color = fields.integer("colorIndex", minimum=0, maximum=MAX_COLOR_INDEX)
    fields.raise_if_any()
    assert name is not None
    assert description is not None
    return name, description, color
