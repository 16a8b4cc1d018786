"""What a route of the emulator is given, and what it may give back.

Internal to the emulator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import Message
from typing import Literal, NamedTuple

from .faults import Fault, FaultRecord

__all__: list[str] = []

Role = Literal["admin", "lead", "member"]
"""What a token may see: everything, a group and oneself, or oneself."""


@dataclass(frozen=True, slots=True)
class Grant:
    """What one token stands for."""

    account_id: str | None
    role: Role


@dataclass(slots=True)
class Request:
    """What a route needs of one request.

    Attributes
    ----------
    method : str
        HTTP method.
    path : str
        API path below ``/public``, such as ``"/tag/3/archive"``.
    params : dict of str to str
        Path variables of the route template, such as ``worklogTagId``.
    query : dict of str to str
        Query parameters (the first value of each).
    body : object
        The parsed JSON body, ``None`` when absent, or
        :data:`~tt_notebook.emulator.fields.NOT_JSON`.
    headers : Message
        Request headers.
    grant : Grant
        The token's account and role.
    number : int
        The request's number among the API requests since the fault plan
        was set, from 1.
    data_faults : list
        ``(fault, index, match)`` of the data faults to apply before a
        report is computed.
    applied : list of FaultRecord
        Data faults applied, completed with the status once it is known.
    """

    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    body: object
    headers: Message
    grant: Grant
    number: int = 0
    data_faults: list[tuple[Fault, int, int]] = field(default_factory=list)
    applied: list[FaultRecord] = field(default_factory=list)


class Answer(NamedTuple):
    """A route's answer other than a plain 200 with a JSON body."""

    status: int
    payload: object
    headers: dict[str, str]


class RawJson(NamedTuple):
    """A route's answer already serialised, sent as it is."""

    data: bytes
