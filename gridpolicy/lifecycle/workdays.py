"""The lifecycle's clock: a time plus a limit, and working days between two times, for one
policy's calendar. Answers as `WorkCalendar.add` does; working days come from a table of
each year's working days (built once per year), so a step never walks a calendar day by day."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from zoneinfo import ZoneInfo

from ..calendar import WorkCalendar
from ..clock import Clock
from ..syntax.nodes import Duration

_ONE_DAY = dt.timedelta(days=1)
_MAX_CACHED = 4096  # times remembered (a case asks the same sums again and again)


class WorkdayClock:
    """`add(start, limit)` and `workdays_between(start, end)` in the policy's time zone."""

    def __init__(self, calendar: WorkCalendar, tz: ZoneInfo, clock: Clock):
        self.calendar = calendar
        self.tz = tz
        self.clock = clock  # the policy's: office hours (workhours, urgent_hours, urgent_days)
        self._years: dict[int, list[int]] = {}  # year -> ordinals of its working days, in order
        self._adds: dict[tuple[dt.datetime, str, float], dt.datetime] = {}
        self._nth: dict[tuple[int, int], dt.date] = {}  # (day's ordinal, n) -> nth_workday_after
        self._offsets: dict[int, dt.timedelta | None] = {}  # year -> the zone's one offset that year, if one
        self._steady: dict[int, dt.timedelta | None] = {}  # year -> that offset if it holds from year-1 to year+1

    def _offset(self, year: int) -> dt.timedelta | None:
        """The zone's UTC offset in `year` when it is the same all year (sampled at noon daily), else None."""
        if year in self._offsets:
            return self._offsets[year]
        if len(self._offsets) > 1000:
            self._offsets.clear()
        first = dt.datetime(year, 1, 1, 12, tzinfo=self.tz)
        offsets = {(first + dt.timedelta(days=k)).utcoffset() for k in range(0, 366)}
        hit = self._offsets[year] = offsets.pop() if len(offsets) == 1 else None
        return hit

    def local(self, start: dt.datetime) -> dt.datetime:
        """`start.astimezone(tz)`; when `start` is written in the zone's offset of a steady
        stretch of years, only its zone is replaced (the same instant and wall time)."""
        if start.tzinfo is self.tz:
            return start
        year = start.year
        try:
            off = self._steady[year]
        except KeyError:
            if len(self._steady) > 1000:
                self._steady.clear()
            off = self._offset(year)
            off = self._steady[year] = off if self._offset(year - 1) == off == self._offset(year + 1) else None
        if off is not None and start.utcoffset() == off:
            return start.replace(tzinfo=self.tz)
        return start.astimezone(self.tz)

    def _workdays(self, year: int) -> list[int]:
        days = self._years.get(year)
        if days is None:
            day, end, days = dt.date(year, 1, 1), dt.date(year, 12, 31), []
            is_workday = self.calendar.is_workday
            while True:
                if is_workday(day):
                    days.append(day.toordinal())
                if day == end:
                    break
                day += _ONE_DAY
            self._years[year] = days
        return days

    def nth_workday_after(self, day: dt.date, n: int) -> dt.date:
        """The `n`-th working day after `day` (`day` itself for n <= 0)."""
        if n <= 0:
            return day
        year = day.year
        days = self._workdays(year)
        i = bisect_right(days, day.toordinal())
        while len(days) - i < n:
            n -= len(days) - i
            year, i = year + 1, 0
            days = self._workdays(year)
        return dt.date.fromordinal(days[i + n - 1])

    def add(self, start: dt.datetime, d: Duration) -> dt.datetime:
        """The time `d` after `start`, in the policy's zone, as `WorkCalendar.add` counts minutes,
        hours, days and working days, and the policy's `Clock` office-hour units (cached)."""
        key = (start, d.unit, d.amount)
        hit = self._adds.get(key)
        if hit is None:
            if len(self._adds) > _MAX_CACHED:
                self._adds.clear()
            local = self.local(start)
            if d.unit == "workdays":
                n, ordinal = int(d.amount), local.toordinal()
                day = self._nth.get((ordinal, n))
                if day is None:
                    if len(self._nth) > _MAX_CACHED:
                        self._nth.clear()
                    day = self._nth[ordinal, n] = self.nth_workday_after(local.date(), n)
                hit = local.replace(year=day.year, month=day.month, day=day.day)
            elif d.unit in ("minutes", "hours", "days"):
                hit = self.calendar.add(local, d)[0]
            else:  # office-hour units, as the routing clock counts them
                hit = self.clock.add(local, d)[0]
            self._adds[key] = hit
        return hit

    def workdays_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Working days after `start`'s date up to and including `end`'s date."""
        day, last = self.local(start).date(), self.local(end).date()
        if (last - day).days > 800:
            return int((last - day).days * 5 / 7)
        if last <= day:
            return 0
        n, year, first = 0, day.year, day.toordinal()
        while year <= last.year:
            days = self._workdays(year)
            n += bisect_right(days, last.toordinal()) - bisect_right(days, first)
            year += 1
        return n
