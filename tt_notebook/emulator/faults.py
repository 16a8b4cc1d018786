"""Faults on purpose: a deterministic plan of failures the emulator injects.

A :class:`FaultPlan` is a list of :class:`Fault` rules plus a latency. Each
rule matches requests by method and API path, picks some of the matching
requests (the n-th ones, the first N, or a seeded random share) and spoils
their answer: another status, a dropped connection, a truncated body, or a
worklog created or deleted just before the answer. The same plan and seed
give the same faults on the same sequence of requests, on every machine:
every random draw comes from ``random.Random`` seeded with a string, which
does not depend on ``hash()`` randomisation.

Only the standard library is used, like the rest of the emulator.
"""

from __future__ import annotations

import math
import random
import re
import threading
from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass, field
from typing import NamedTuple

__all__ = ["Fault", "FaultPlan", "FaultRecord"]

FAULT_KINDS = ("status", "drop", "truncate", "create_worklog", "delete_worklog")
"""What a fault does; see :class:`Fault`."""
FAULT_STATUSES = (429, 500, 502, 503, 504, 567)
"""The statuses a ``"status"`` fault may answer."""
RESPONSE_KINDS = frozenset({"status", "drop", "truncate"})
DATA_KINDS = frozenset({"create_worklog", "delete_worklog"})

_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_SPEC_KEYS = frozenset(
    {"kind", "method", "path", "nth", "times", "share", "status", "retry_after"}
)
# Commas separate pairs, except inside a value such as an HTTP date
# ("Wed, 21 Oct 2026 07:28:00 GMT"): a pair starts with a key and "=".
_SPEC_SPLIT = re.compile(r",\s*(?=[a-z_]+\s*=)")


@dataclass(frozen=True, slots=True)
class Fault:
    """One rule of a fault plan: which requests fail, and how.

    Parameters
    ----------
    kind : {"status", "drop", "truncate", "create_worklog", "delete_worklog"}
        ``"status"`` answers ``status`` with a JSON ``{"message": ...}`` body
        instead of running the route. ``"drop"`` runs the route, sends the
        status line, the headers and half of the body, then closes the
        connection. ``"truncate"`` runs the route and sends ``200`` with a
        ``Content-Length`` matching the body cut to half: complete per HTTP,
        broken as JSON. ``"create_worklog"`` and ``"delete_worklog"`` add a
        worklog to, or delete one from, the matching report's results just
        before the report is computed (on the details and summary reports
        and the fillchecker; other routes ignore them).
    method : str, optional
        HTTP method to match, in any case; every method when omitted.
    path : str, optional
        API path below ``/public`` to match, such as ``"/report/details"``
        or a route template such as ``"/tag/{worklogTagId}"``; every API
        path when omitted.
    nth : sequence of int, optional
        Which matching requests fail, counted from 1.
    times : int, optional
        The first ``times`` matching requests fail.
    share : float, optional
        Each matching request fails with this probability, drawn from the
        plan's seed and the request's number among the matches.
    status : int, optional
        For ``"status"`` only, and required there: 429, 500, 502, 503, 504
        or 567.
    retry_after : str, optional
        For ``"status"`` only: the ``Retry-After`` header to send, as whole
        seconds (``"2"``), fractional seconds (``"0.5"``), an HTTP date, or
        any other text, to test a client on junk.

    Raises
    ------
    ValueError
        If the kind or status is unknown, a value is out of range, more than
        one of ``nth``, ``times`` and ``share`` is given, or ``status`` or
        ``retry_after`` is given for a kind that does not use it.

    Notes
    -----
    With none of ``nth``, ``times`` and ``share``, every matching request
    fails. Each fault counts its matching requests on its own, from the
    moment its plan is set.

    Examples
    --------
    >>> Fault("status", path="/report/details", times=3, status=429,
    ...       retry_after="0.5")
    Fault('status=429,path=/report/details,times=3,retry_after=0.5')
    >>> Fault.from_spec("drop,method=post,nth=2+5").nth
    (2, 5)
    """

    kind: str
    _: KW_ONLY
    method: str | None = None
    path: str | None = None
    nth: Sequence[int] | None = None
    times: int | None = None
    share: float | None = None
    status: int | None = None
    retry_after: str | None = None

    def __post_init__(self) -> None:
        # 1. What the fault does, and the fields that only some kinds use.
        if self.kind not in FAULT_KINDS:
            raise ValueError(
                f"fault kind must be one of {FAULT_KINDS}, not {self.kind!r}"
            )
        if self.kind == "status":
            if self.status not in FAULT_STATUSES:
                raise ValueError(
                    f"a status fault needs status one of {FAULT_STATUSES}, "
                    f"not {self.status!r}"
                )
        elif self.status is not None or self.retry_after is not None:
            raise ValueError(
                f"status and retry_after are for status faults, not {self.kind}"
            )
        if self.retry_after is not None:
            _check_retry_after(self.retry_after)

        # 2. Which requests it matches.
        if self.method is not None:
            method = self.method.upper()
            if method not in _METHODS:
                raise ValueError(f"unknown HTTP method {self.method!r}")
            object.__setattr__(self, "method", method)
        if self.path is not None and not self.path.startswith("/"):
            raise ValueError(
                f"path must start with '/', as in '/report/details', not {self.path!r}"
            )

        # 3. Which of the matching requests it spoils.
        chosen = [self.nth is not None, self.times is not None, self.share is not None]
        if sum(chosen) > 1:
            raise ValueError("give at most one of nth, times and share")
        if self.nth is not None:
            nth = tuple(self.nth)
            if not nth or any(
                isinstance(n, bool) or not isinstance(n, int) or n < 1 for n in nth
            ):
                raise ValueError(
                    f"nth must list request numbers from 1, not {self.nth!r}"
                )
            object.__setattr__(self, "nth", tuple(sorted(set(nth))))
        if self.times is not None and (isinstance(self.times, bool) or self.times < 0):
            raise ValueError(f"times must be a count from 0, not {self.times!r}")
        if self.share is not None and not 0.0 <= self.share <= 1.0:
            raise ValueError(f"share must be between 0 and 1, not {self.share!r}")

    def __repr__(self) -> str:
        return f"Fault({self.spec()!r})"

    def spec(self) -> str:
        """Return the fault as ``tt-notebook demo-server --fault`` text."""
        head = f"status={self.status}" if self.kind == "status" else self.kind
        parts = [head]
        if self.method is not None:
            parts.append(f"method={self.method}")
        if self.path is not None:
            parts.append(f"path={self.path}")
        if self.nth is not None:
            parts.append("nth=" + "+".join(str(n) for n in self.nth))
        if self.times is not None:
            parts.append(f"times={self.times}")
        if self.share is not None:
            parts.append(f"share={self.share:g}")
        if self.retry_after is not None:
            parts.append(f"retry_after={self.retry_after}")
        return ",".join(parts)

    @classmethod
    def from_spec(cls, text: str) -> Fault:
        """Parse the ``--fault`` text of ``tt-notebook demo-server``.

        Parameters
        ----------
        text : str
            Comma-separated ``key=value`` pairs; keys are the parameters of
            :class:`Fault`. The kind may stand alone first (``"drop"``) or
            be given as ``kind=drop``; ``status=429`` alone means a status
            fault. ``nth`` lists numbers joined by ``+`` (``nth=2+5``).

        Returns
        -------
        Fault

        Raises
        ------
        ValueError
            If a key is unknown or repeated, or a value does not parse.

        Examples
        --------
        >>> Fault.from_spec("status=503,share=0.25").share
        0.25
        >>> Fault.from_spec("status=429,retry_after=Wed, 21 Oct 2026 07:28:00 GMT")
        Fault('status=429,retry_after=Wed, 21 Oct 2026 07:28:00 GMT')
        """
        values: dict[str, str] = {}
        for number, part in enumerate(_SPEC_SPLIT.split(text.strip())):
            key, sep, value = (s.strip() for s in part.partition("="))
            if not sep:
                if number == 0 and key in FAULT_KINDS:
                    key, value = "kind", key
                else:
                    raise ValueError(
                        f"expected key=value in fault {text!r}, got {part!r}"
                    )
            if key not in _SPEC_KEYS:
                raise ValueError(f"unknown key {key!r} in fault {text!r}")
            if key in values:
                raise ValueError(f"key {key!r} given twice in fault {text!r}")
            values[key] = value
        kind = values.pop("kind", "status" if "status" in values else "")
        try:
            return cls(
                kind,
                method=values.get("method"),
                path=values.get("path"),
                nth=_parse_nth(values["nth"]) if "nth" in values else None,
                times=int(values["times"]) if "times" in values else None,
                share=float(values["share"]) if "share" in values else None,
                status=int(values["status"]) if "status" in values else None,
                retry_after=values.get("retry_after"),
            )
        except ValueError as exc:
            raise ValueError(f"bad fault {text!r}: {exc}") from exc

    def matches(self, method: str, path: str, template: str | None) -> bool:
        """Whether a request's method and API path are this fault's."""
        if self.method is not None and method != self.method:
            return False
        return self.path is None or self.path in (path, template)

    def fires(self, seed: int, index: int, match: int) -> bool:
        """Whether the ``match``-th matching request (from 1) is spoilt."""
        if self.nth is not None:
            return match in self.nth
        if self.times is not None:
            return match <= self.times
        if self.share is not None:
            return draw(seed, "share", index, match) < self.share
        return True


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """Faults and latency for an :class:`~tt_notebook.emulator.EmulatorServer`.

    Parameters
    ----------
    faults : sequence of Fault
        The rules, in order. All matching ``create_worklog`` and
        ``delete_worklog`` faults of a request apply; of the matching
        ``status``, ``drop`` and ``truncate`` faults, only the first.
    latency : float
        Seconds every API request waits before it is answered.
    jitter : float
        Each wait is ``latency`` plus a seeded uniform draw in
        ``[-jitter, +jitter]``, never below zero.
    seed : int
        Seed of every random draw: shares, jitter, and which worklog a data
        fault copies or deletes.

    Raises
    ------
    ValueError
        If ``latency`` or ``jitter`` is negative or not finite.

    Examples
    --------
    >>> plan = FaultPlan([Fault("drop", path="/report/details", nth=[2])],
    ...                  latency=0.05, jitter=0.01, seed=1)
    >>> len(plan.faults), plan.latency
    (1, 0.05)
    """

    faults: Sequence[Fault] = ()
    _: KW_ONLY
    latency: float = 0.0
    jitter: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        faults = tuple(self.faults)
        for fault in faults:
            if not isinstance(fault, Fault):
                raise TypeError(
                    f"faults must be Fault objects, not {type(fault).__name__}"
                )
        object.__setattr__(self, "faults", faults)
        for name in ("latency", "jitter"):
            value = getattr(self, name)
            if not math.isfinite(value) or value < 0:
                raise ValueError(
                    f"{name} must be a finite number of seconds >= 0, not {value!r}"
                )

    def delay(self, request: int) -> float:
        """Return how long the ``request``-th API request (from 1) waits."""
        if not self.jitter:
            return self.latency
        offset = (2 * draw(self.seed, "jitter", 0, request) - 1) * self.jitter
        return max(0.0, self.latency + offset)


class FaultRecord(NamedTuple):
    """One injected fault, as :attr:`EmulatorServer.fault_log` lists it.

    Attributes
    ----------
    kind : str
        The fault's kind.
    method : str
        The request's method.
    path : str
        The request's API path below ``/public``, such as
        ``"/report/details"``.
    request : int
        The request's number among the API requests since the plan was set,
        from 1.
    status : int
        The status sent: the injected one, 200 for ``"truncate"``, or the
        real answer's for the other kinds.
    worklog_id : int or None
        The worklog a data fault created or deleted.
    """

    kind: str
    method: str
    path: str
    request: int
    status: int
    worklog_id: int | None = None


def draw(seed: int, purpose: str, index: int, number: int) -> float:
    """Return a uniform number in [0, 1) fixed by its four arguments."""
    return random.Random(f"{seed}/{purpose}/{index}/{number}").random()


@dataclass(slots=True)
class Decision:
    """What the plan does to one request."""

    request: int
    delay: float
    response: Fault | None = None
    data: list[tuple[Fault, int, int]] = field(default_factory=list)


class FaultState:
    """A plan with its counters: the part of a server that decides faults."""

    def __init__(self, plan: FaultPlan) -> None:
        self.plan = plan
        self._requests = 0
        self._matches = [0] * len(plan.faults)
        self._lock = threading.Lock()

    def decide(self, method: str, path: str, template: str | None) -> Decision:
        """Count one API request and return what happens to it."""
        plan = self.plan
        with self._lock:
            self._requests += 1
            decision = Decision(self._requests, plan.delay(self._requests))
            for index, fault in enumerate(plan.faults):
                if not fault.matches(method, path, template):
                    continue
                self._matches[index] += 1
                match = self._matches[index]
                if not fault.fires(plan.seed, index, match):
                    continue
                if fault.kind in DATA_KINDS:
                    decision.data.append((fault, index, match))
                elif decision.response is None:
                    decision.response = fault
        return decision


def _parse_nth(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("+"))


def _check_retry_after(value: str) -> None:
    # Any text is allowed, junk included, because clients must survive junk;
    # only what would break the header itself is refused.
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"retry_after must be a non-empty text, not {value!r}")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError(f"retry_after must be one header line, not {value!r}")
