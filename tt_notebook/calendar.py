"""Working calendars: which days people are expected to work, and how long.

A :class:`WorkCalendar` holds the organisation's rule (working weekdays,
public holidays, hours per day, projects that mean absence) and per-person
:class:`PersonSchedule` overrides (part time, other weekdays, other holidays,
days off, another time zone). The ``df.tt`` accessor compares it with what
was logged.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .config import DateLike, parse_date
from .errors import ConfigurationError

__all__ = ["PersonSchedule", "Schedule", "WorkCalendar"]

#: Monday to Friday, as ``datetime.date.weekday()`` numbers them.
WEEKDAYS = (0, 1, 2, 3, 4)


def _days(values: Iterable[DateLike], what: str) -> frozenset[dt.date]:
    if isinstance(values, str | dt.date):
        raise ConfigurationError(f"{what} takes a list of days, not one day.")
    return frozenset(parse_date(v, what) for v in values)


def _weekdays(values: Iterable[int]) -> tuple[int, ...]:
    if isinstance(values, str):
        raise ConfigurationError("weekdays takes numbers 0 (Monday) to 6 (Sunday).")
    days = tuple(sorted(set(values)))
    if any(
        isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in days
    ):
        raise ConfigurationError(
            f"weekdays takes numbers 0 (Monday) to 6 (Sunday), not {values!r}."
        )
    return days


def _hours(value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigurationError(f"hours_per_day must be a number, not {value!r}.")
    if not 0 <= value <= 24:
        raise ConfigurationError(f"hours_per_day must be 0 to 24, not {value!r}.")
    return float(value)


def _zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ConfigurationError(
            f"Unknown time zone {name!r}: use an IANA name such as 'Europe/Budapest'."
        ) from exc
    return name


@dataclass(frozen=True)
class Schedule:
    """One person's resolved working rule; see :meth:`WorkCalendar.schedule`.

    Parameters
    ----------
    hours_per_day : float
        Hours expected on a working day.
    weekdays : tuple of int
        Working weekdays, 0 for Monday to 6 for Sunday.
    holidays : frozenset of datetime.date
        Days not worked although their weekday is a working one.
    timezone : str or None
        The zone whose calendar days the person's work is counted on; None
        for the frame's own zone.
    """

    hours_per_day: float
    weekdays: tuple[int, ...]
    holidays: frozenset[dt.date]
    timezone: str | None

    def expected_hours(self, start: DateLike, end: DateLike) -> pd.Series:
        """Hours expected on each day from ``start`` to ``end``, both included.

        Returns
        -------
        pandas.Series
            float64, indexed by every day (naive midnight, named ``date``),
            zero on days off.

        Examples
        --------
        >>> rule = Schedule(8.0, (0, 1, 2, 3, 4), frozenset(), None)
        >>> rule.expected_hours("2025-03-07", "2025-03-10").tolist()
        [8.0, 0.0, 0.0, 8.0]
        """
        first, last = parse_date(start, "start"), parse_date(end, "end")
        days = pd.date_range(first, last, freq="D", name="date", unit="ns")
        working = np.isin(days.day_of_week, self.weekdays)
        if self.holidays:
            off = pd.DatetimeIndex(sorted(self.holidays)).as_unit("ns")
            working &= ~days.isin(off)
        hours = np.where(working, self.hours_per_day, 0.0)
        return pd.Series(hours, index=days, dtype="float64", name="expected_hours")


@dataclass(frozen=True, init=False)
class PersonSchedule:
    """What differs for one person from the :class:`WorkCalendar`'s rule.

    Every field left as None keeps the calendar's value.

    Parameters
    ----------
    hours_per_day : float, optional
        Part time, such as 4.0.
    weekdays : iterable of int, optional
        Working weekdays, 0 for Monday to 6 for Sunday, such as ``(0, 1, 2)``.
    holidays : iterable of date or str, optional
        Public holidays that replace the calendar's (someone in another
        country).
    days_off : iterable of date or str
        Personal days off added to the holidays (leave not logged as work).
    timezone : str, optional
        IANA zone whose calendar days the person's work counts on.

    Examples
    --------
    >>> PersonSchedule(hours_per_day=4, weekdays=[3, 0]).weekdays
    (0, 3)
    """

    hours_per_day: float | None
    weekdays: tuple[int, ...] | None
    holidays: frozenset[dt.date] | None
    days_off: frozenset[dt.date]
    timezone: str | None

    def __init__(
        self,
        *,
        hours_per_day: float | None = None,
        weekdays: Iterable[int] | None = None,
        holidays: Iterable[DateLike] | None = None,
        days_off: Iterable[DateLike] = (),
        timezone: str | None = None,
    ) -> None:
        set_ = object.__setattr__
        set_(
            self,
            "hours_per_day",
            None if hours_per_day is None else _hours(hours_per_day),
        )
        set_(self, "weekdays", None if weekdays is None else _weekdays(weekdays))
        set_(
            self, "holidays", None if holidays is None else _days(holidays, "holidays")
        )
        set_(self, "days_off", _days(days_off, "days_off"))
        set_(self, "timezone", None if timezone is None else _zone(timezone))


@dataclass(frozen=True, init=False)
class WorkCalendar:
    """Working weekdays, public holidays and hours per day, with personal rules.

    Parameters
    ----------
    hours_per_day : float
        Hours expected on a working day.
    weekdays : iterable of int
        Working weekdays, 0 for Monday to 6 for Sunday.
    holidays : iterable of date or str
        Public holidays (``"YYYY-MM-DD"`` or dates).
    people : mapping of str to PersonSchedule or mapping
        Per-person overrides, keyed by Atlassian account id or display name
        (an account id is matched first). A plain mapping is read as the
        keyword arguments of :class:`PersonSchedule`.
    non_working_projects : iterable of str
        Keys or ids of projects whose worklogs mean absence (leave, sick
        days): their hours are not counted as work, and they lower the hours
        expected that day instead, never below zero.

    Examples
    --------
    >>> cal = WorkCalendar(
    ...     holidays=["2025-03-14"],
    ...     people={"Ann": {"hours_per_day": 4, "timezone": "America/New_York"}},
    ... )
    >>> cal.expected_hours("2025-03-13", "2025-03-16").tolist()
    [8.0, 0.0, 0.0, 0.0]
    >>> cal.expected_hours("2025-03-13", "2025-03-13", person="Ann").tolist()
    [4.0]
    >>> cal.schedule("Ann").timezone
    'America/New_York'
    """

    hours_per_day: float
    weekdays: tuple[int, ...]
    holidays: frozenset[dt.date]
    people: Mapping[str, PersonSchedule] = field(hash=False)
    non_working_projects: frozenset[str]

    def __init__(
        self,
        *,
        hours_per_day: float = 8.0,
        weekdays: Iterable[int] = WEEKDAYS,
        holidays: Iterable[DateLike] = (),
        people: Mapping[str, PersonSchedule | Mapping[str, Any]] | None = None,
        non_working_projects: Iterable[str] = (),
    ) -> None:
        set_ = object.__setattr__
        set_(self, "hours_per_day", _hours(hours_per_day))
        set_(self, "weekdays", _weekdays(weekdays))
        set_(self, "holidays", _days(holidays, "holidays"))
        if isinstance(non_working_projects, str):
            raise ConfigurationError(
                "non_working_projects takes a list of project keys or ids."
            )
        set_(self, "non_working_projects", frozenset(map(str, non_working_projects)))
        schedules: dict[str, PersonSchedule] = {}
        for key, value in (people or {}).items():
            if isinstance(value, PersonSchedule):
                schedules[str(key)] = value
            elif isinstance(value, Mapping):
                schedules[str(key)] = PersonSchedule(**value)
            else:
                raise ConfigurationError(
                    f"people[{key!r}] must be a PersonSchedule or a mapping of its "
                    "arguments."
                )
        set_(self, "people", schedules)

    def with_person(self, person: str, **changes: Any) -> WorkCalendar:
        """A copy with ``person``'s :class:`PersonSchedule` set from ``changes``.

        Examples
        --------
        >>> cal = WorkCalendar().with_person("712020:ann", weekdays=[0, 1, 2])
        >>> cal.schedule("712020:ann").weekdays
        (0, 1, 2)
        """
        return WorkCalendar(
            hours_per_day=self.hours_per_day,
            weekdays=self.weekdays,
            holidays=self.holidays,
            people={**self.people, person: PersonSchedule(**changes)},
            non_working_projects=self.non_working_projects,
        )

    def override(self, *keys: str | None) -> PersonSchedule | None:
        """The first personal override found under ``keys`` (id, then name)."""
        for key in keys:
            if key is not None and key in self.people:
                return self.people[key]
        return None

    def schedule(self, *keys: str | None) -> Schedule:
        """The rule for the person found under ``keys``, or the calendar's own.

        Parameters
        ----------
        *keys : str
            Account id and display name to look up, in that order.
        """
        own = self.override(*keys) or PersonSchedule()
        holidays = self.holidays if own.holidays is None else own.holidays
        return Schedule(
            hours_per_day=(
                self.hours_per_day if own.hours_per_day is None else own.hours_per_day
            ),
            weekdays=self.weekdays if own.weekdays is None else own.weekdays,
            holidays=holidays | own.days_off,
            timezone=own.timezone,
        )

    def expected_hours(
        self, start: DateLike, end: DateLike, *, person: str | None = None
    ) -> pd.Series:
        """Hours expected each day from ``start`` to ``end``, both included.

        Parameters
        ----------
        start, end : date or str
            First and last day.
        person : str, optional
            Account id or display name whose override applies.

        Returns
        -------
        pandas.Series
            float64 indexed by day (naive midnight), zero on days off.
        """
        return self.schedule(person).expected_hours(start, end)
