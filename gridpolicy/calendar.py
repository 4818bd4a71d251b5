"""Deadlines: clock time and Chinese working days (public holidays and 调休 make-up days).

Working days come from `chinese_calendar` (maintained from the State Council's yearly
notices), overridden by the policy's own `calendar` block. For a year that neither knows,
weekends are the only rest days and the result says it was estimated.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar

from .model import Calendar
from .syntax.nodes import Duration


@lru_cache(maxsize=64)
def _library_year(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]] | None:
    """(holidays, make-up workdays) known to chinese_calendar for a year, or None."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return None
    holidays = frozenset(d for d in chinese_calendar.holidays if d.year == year)
    workdays = frozenset(d for d in chinese_calendar.workdays if d.year == year)
    return holidays, workdays


class WorkCalendar:
    """Answers "is this a working day" for one policy."""

    def __init__(self, calendar: Calendar):
        self.holidays = calendar.holidays
        self.workdays = calendar.workdays

    def is_workday(self, day: dt.date) -> bool:
        return self._is_workday(day)[0]

    def _is_workday(self, day: dt.date) -> tuple[bool, bool]:
        """(is a working day, whether the answer had to be estimated)."""
        if day in self.workdays:
            return True, False
        if day in self.holidays:
            return False, False
        known = _library_year(day.year)
        if known is None:
            return day.weekday() < 5, True
        holidays, workdays = known
        if day in workdays:
            return True, False
        if day in holidays:
            return False, False
        return day.weekday() < 5, False

    def add(self, start: dt.datetime, limit: Duration) -> tuple[dt.datetime, bool]:
        """The time `limit` after `start`, and whether the calendar had to be estimated.

        minutes/hours/days: elapsed clock time. workdays: the same time of day on the N-th
        working day after the start's date (a report on a rest day starts counting from the
        next working day).
        """
        if limit.unit == "minutes":
            return start + dt.timedelta(minutes=limit.amount), False
        if limit.unit == "hours":
            return start + dt.timedelta(hours=limit.amount), False
        if limit.unit == "days":
            return start + dt.timedelta(days=limit.amount), False
        day = start.date()
        remaining = int(limit.amount)
        estimated = False
        while remaining > 0:
            day += dt.timedelta(days=1)
            working, guessed = self._is_workday(day)
            estimated |= guessed
            if working:
                remaining -= 1
        return start.replace(year=day.year, month=day.month, day=day.day), estimated
