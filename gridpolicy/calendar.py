"""Working days: Chinese public holidays and 调休 make-up days, for one policy.

Working days come from `chinese_calendar` (maintained from the State Council's yearly
notices), overridden by the policy's own `calendar` block; a year the block declares by a
notice (`notice 2027 "…"`) is known from the block alone. For a year that neither knows,
weekends are the only rest days and the answer says it was estimated.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar

from .model import Calendar
from .syntax.nodes import Duration

UTC = dt.UTC


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


@lru_cache(maxsize=1)
def library_last_year() -> int:
    """The last year chinese_calendar knows (from its holiday table)."""
    return max(d.year for d in chinese_calendar.holidays)


def library_knows(year: int) -> bool:
    return _library_year(year) is not None


class WorkCalendar:
    """Answers "is this a working day" for one policy."""

    def __init__(self, calendar: Calendar):
        self.holidays = calendar.holidays
        self.workdays = calendar.workdays
        self.declared_years = frozenset(n.year for n in calendar.notices)

    def knows(self, year: int) -> bool:
        """Whether the year's holidays are known (declared by a notice or in chinese_calendar)."""
        return year in self.declared_years or library_knows(year)

    def last_known_year(self) -> int:
        """The last year up to which every year is known."""
        year = library_last_year()
        while year + 1 in self.declared_years:
            year += 1
        return year

    def is_workday(self, day: dt.date) -> bool:
        return self.is_workday_estimated(day)[0]

    def is_workday_estimated(self, day: dt.date) -> tuple[bool, bool]:
        """(is a working day, whether the answer had to be estimated)."""
        if day in self.workdays:
            return True, False
        if day in self.holidays:
            return False, False
        if day.year in self.declared_years:
            return day.weekday() < 5, False
        known = _library_year(day.year)
        if known is None:
            return day.weekday() < 5, True
        holidays, workdays = known
        if day in workdays:
            return True, False
        if day in holidays:
            return False, False
        return day.weekday() < 5, False

    _is_workday = is_workday_estimated  # the name older callers use

    def add(self, start: dt.datetime, limit: Duration) -> tuple[dt.datetime, bool]:
        """The time `limit` after `start` (in `start`'s zone), and whether the calendar had to
        be estimated. minutes/hours: elapsed time (absolute, right across DST); days: the same
        time of day N days later; workdays: the same time of day on the N-th working day after
        the start's date (a report on a rest day starts counting from the next working day).
        `gridpolicy.clock.Clock` adds every unit, office hours included."""
        if limit.unit in ("minutes", "hours"):
            delta = dt.timedelta(minutes=limit.amount) if limit.unit == "minutes" else dt.timedelta(hours=limit.amount)
            return (start.astimezone(UTC) + delta).astimezone(start.tzinfo), False
        if limit.unit == "days":
            return start + dt.timedelta(days=limit.amount), False
        day = start.date()
        remaining = int(limit.amount)
        estimated = False
        while remaining > 0:
            day += dt.timedelta(days=1)
            working, guessed = self.is_workday_estimated(day)
            estimated |= guessed
            if working:
                remaining -= 1
        return start.replace(year=day.year, month=day.month, day=day.day), estimated
