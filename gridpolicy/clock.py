"""Time arithmetic for time limits: one model for every unit, public for hosts and tools.

A `Clock` holds a policy's time zone, working calendar and office hours, and adds limits:

- `minutes`, `hours` and the round-the-clock units `urgent_hours` (紧急工作时) and
  `urgent_days` (紧急工作日, 24 hours each) are elapsed (absolute) time: correct across
  daylight-saving changes;
- `days` are calendar days: the same local time of day, N days later;
- `workdays`: the same local time of day on the N-th working day after the start's date
  (a report on a rest day starts counting from the next working day);
- `workhours` (工作时): time inside the declared office hours of working days; a report
  outside them starts counting at the next office period, and a limit used up exactly at
  the end of a period is due then (not at the next period's start).

Every result is a local time in the policy's zone that exists (a wall-clock result that
falls in a spring-forward gap is moved to the same instant written in the zone's offset)
and never before the start. `add` also says whether the calendar had to be estimated
(a year neither chinese_calendar nor the policy's calendar block knows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from .calendar import WorkCalendar
from .syntax.limits import MAX_YEAR, MIN_YEAR
from .syntax.nodes import Duration

UTC = dt.UTC

# The clocks a limit can run on, as decisions state them.
ROUND_THE_CLOCK = "round_the_clock"
CALENDAR_DAYS = "calendar_days"
WORKING_DAYS = "working_days"
OFFICE_HOURS = "office_hours"
CLOCKS = (ROUND_THE_CLOCK, CALENDAR_DAYS, WORKING_DAYS, OFFICE_HOURS)


class UnitInfo(NamedTuple):
    clock: str
    zh: str  # the unit as a Chinese text writes it after the number
    seconds: int  # elapsed seconds per unit for round-the-clock units, else 0


UNITS: dict[str, UnitInfo] = {
    "minutes": UnitInfo(ROUND_THE_CLOCK, "分钟", 60),
    "hours": UnitInfo(ROUND_THE_CLOCK, "小时", 3600),
    "urgent_hours": UnitInfo(ROUND_THE_CLOCK, "紧急工作时", 3600),
    "urgent_days": UnitInfo(ROUND_THE_CLOCK, "紧急工作日", 86400),
    "days": UnitInfo(CALENDAR_DAYS, "天", 0),
    "workdays": UnitInfo(WORKING_DAYS, "个工作日", 0),
    "workhours": UnitInfo(OFFICE_HOURS, "工作时", 0),
}

CLOCK_TEXT: dict[str, tuple[str, str]] = {
    ROUND_THE_CLOCK: ("全天候连续计时", "round the clock (elapsed time)"),
    CALENDAR_DAYS: ("按自然日计算", "calendar days"),
    WORKING_DAYS: ("按工作日计算（法定节假日与调休）", "working days (public holidays and make-up days)"),
    OFFICE_HOURS: ("按工作日的办公时间计算", "office hours of working days"),
}

# Units whose amount must be whole.
WHOLE_UNITS = frozenset(("days", "workdays"))
# How far the office-hours walk looks for working time before it gives up (a calendar that
# declares no working day for years).
_MAX_WALK_DAYS = 3660


_fromisoformat = dt.datetime.fromisoformat
MAX_TIMESTAMP_CHARS = 40  # longer text is not a timestamp (and is not parsed)


def parse_timestamp(raw: Any, naive: dt.tzinfo | None = None) -> dt.datetime | None:
    """The one reader of timestamps: an aware datetime within the supported years
    (`MIN_YEAR`..`MAX_YEAR`) from a `datetime` or an ISO 8601 string of at most 40 characters
    (`Z` and every form Python 3.11 reads), else None. A time without an offset is refused, or
    read in the zone `naive` when one is given. Far years are refused because deadline
    arithmetic would overflow; `timestamp_problem` says which rule `raw` broke."""
    if type(raw) is str:  # the hot path: items carry strings
        if len(raw) > MAX_TIMESTAMP_CHARS:
            return None
        try:
            value = _fromisoformat(raw)
        except ValueError:
            return None
    elif isinstance(raw, dt.datetime):
        value = raw
    elif isinstance(raw, str) and len(raw) <= MAX_TIMESTAMP_CHARS:  # a str subclass
        try:
            value = _fromisoformat(str(raw))
        except ValueError:
            return None
    else:
        return None
    if value.tzinfo is None:
        if naive is None:
            return None
        value = value.replace(tzinfo=naive)
    return value if MIN_YEAR <= value.year <= MAX_YEAR else None


def timestamp_problem(raw: Any) -> tuple[str, str]:
    """Why `parse_timestamp` refuses `raw` (Chinese, English), for a located message."""
    example = "2026-03-02T09:30:00+08:00"
    value = raw if isinstance(raw, dt.datetime) else None
    if isinstance(raw, str) and len(raw) <= MAX_TIMESTAMP_CHARS:
        try:
            value = _fromisoformat(raw)
        except ValueError:
            value = None
    if value is None:
        return (f"应为带时区的 ISO 8601 时间，如 {example}", f"must be an ISO 8601 time with an offset, e.g. {example}")
    if value.tzinfo is None:
        return (f"必须带时区，如 {example}", f"must carry a time zone offset, e.g. {example}")
    return (f"年份应在 {MIN_YEAR}–{MAX_YEAR} 之间", f"the year must be within {MIN_YEAR}-{MAX_YEAR}")


def clock_of(unit: str) -> str:
    return UNITS[unit].clock


def limit_text_zh(limit: Duration) -> str:
    return limit.text_zh


@dataclass(frozen=True, slots=True)
class OfficeHours:
    """Office periods of a working day, local time: sorted, each start before its end, none
    overlapping (the checker guarantees it; `OfficeHours.of` checks it too)."""

    periods: tuple[tuple[dt.time, dt.time], ...]

    @classmethod
    def of(cls, periods: list[tuple[dt.time, dt.time]] | tuple[tuple[dt.time, dt.time], ...]) -> OfficeHours:
        ordered = tuple(sorted(periods))
        for i, (start, end) in enumerate(ordered):
            if not start < end:
                raise ValueError(f"office period {start}-{end}: the start must be before the end")
            if i and ordered[i - 1][1] > start:
                raise ValueError(f"office periods overlap at {start}")
        return cls(ordered)

    @property
    def daily(self) -> dt.timedelta:
        """Office time of one working day (wall clock)."""
        return sum((_wall_seconds(s, e) for s, e in self.periods), dt.timedelta())

    @property
    def text(self) -> str:
        return "、".join(f"{s:%H:%M}–{e:%H:%M}" for s, e in self.periods)


def _wall_seconds(start: dt.time, end: dt.time) -> dt.timedelta:
    return dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, start)


class Clock:
    """Adds time limits for one policy (its zone, working calendar and office hours)."""

    def __init__(self, calendar: WorkCalendar, tz: dt.tzinfo, office_hours: OfficeHours | None = None):
        self.calendar = calendar
        self.tz = tz
        self.office_hours = office_hours
        self._steady: dict[int, bool] = {}

    def steady(self, year: int) -> bool:
        """Whether the zone's offset is one whole number of minutes all year (no DST change,
        no local mean time): then wall-clock and elapsed arithmetic agree within the year."""
        hit = self._steady.get(year)
        if hit is None:
            if len(self._steady) > 1000:
                self._steady.clear()
            first = dt.datetime(year, 1, 1, 12, tzinfo=self.tz)
            offsets = {(first + dt.timedelta(days=k)).utcoffset() for k in range(0, 366)}
            offset = offsets.pop() if len(offsets) == 1 else None
            hit = self._steady[year] = offset is not None and not (offset.seconds % 60 or offset.microseconds)
        return hit

    def local(self, t: dt.datetime) -> dt.datetime:
        """`t` as a local time of the policy's zone (an aware `t` required)."""
        if t.tzinfo is None:
            raise ValueError("a time zone offset is required")
        return t.astimezone(UTC).astimezone(self.tz)

    def add(self, start: dt.datetime, limit: Duration) -> tuple[dt.datetime, bool]:
        """The local time `limit` after `start` (as `exact_time` writes it), and whether the
        calendar was estimated."""
        info = UNITS.get(limit.unit)
        if info is None:
            raise ValueError(f"unknown time unit {limit.unit!r}")
        if info.clock == ROUND_THE_CLOCK:
            elapsed = dt.timedelta(seconds=limit.amount * info.seconds)
            if start.tzinfo is self.tz and self.steady(start.year):
                due = start + elapsed  # wall-clock = elapsed within a steady year
                if due.year == start.year:
                    return due, False
            return self.written((start.astimezone(UTC) + elapsed).astimezone(self.tz)), False
        local = start if start.tzinfo is self.tz else self.local(start)
        if info.clock == CALENDAR_DAYS:
            return self.wall(local + dt.timedelta(days=int(limit.amount))), False
        if info.clock == WORKING_DAYS:
            day, estimated = self.workday_after(local.date(), int(limit.amount))
            return self.wall(local.replace(year=day.year, month=day.month, day=day.day)), estimated
        due, estimated = self.add_office_time(local, dt.timedelta(hours=limit.amount))
        return self.written(due), estimated

    def wall(self, local: dt.datetime) -> dt.datetime:
        """A wall-clock result as it exists and is written (`exists`, `exact_time`)."""
        if self.steady(local.year):
            return local
        return exact_time(self.exists(local))

    def written(self, local: dt.datetime) -> dt.datetime:
        return local if self.steady(local.year) else exact_time(local)

    def exists(self, local: dt.datetime) -> dt.datetime:
        """A wall-clock result as a time that exists: in a spring-forward gap, the same instant
        written in the zone's offset at that instant; any other time unchanged (with its fold)."""
        normal = local.astimezone(UTC).astimezone(self.tz)
        if normal.replace(tzinfo=None, fold=0) != local.replace(tzinfo=None, fold=0):
            return normal
        return local

    def workday_after(self, day: dt.date, n: int) -> tuple[dt.date, bool]:
        """The n-th working day after `day` (n=0: `day` itself), and whether estimated."""
        estimated = False
        remaining = n
        while remaining > 0:
            day += dt.timedelta(days=1)
            working, guessed = self.calendar.is_workday_estimated(day)
            estimated |= guessed
            if working:
                remaining -= 1
        return day, estimated

    def office_periods(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The office periods of `day` as UTC instants ([] on a rest day)."""
        assert self.office_hours is not None
        out = []
        for s, e in self.office_hours.periods:
            start = dt.datetime.combine(day, s, tzinfo=self.tz).astimezone(UTC)
            end = dt.datetime.combine(day, e, tzinfo=self.tz).astimezone(UTC)
            if start < end:
                out.append((start, end))
        return out

    def add_office_time(self, start: dt.datetime, amount: dt.timedelta) -> tuple[dt.datetime, bool]:
        """The local time at which `amount` of office time after `start` is used up."""
        if self.office_hours is None or not self.office_hours.periods:
            raise ValueError("workhours need office hours in the calendar (calendar { office_hours … })")
        local = self.local(start)
        if amount <= dt.timedelta():
            return local, False
        now = local.astimezone(UTC)
        remaining = amount
        estimated = False
        day = local.date()
        for _ in range(_MAX_WALK_DAYS):
            working, guessed = self.calendar.is_workday_estimated(day)
            estimated |= guessed
            if working:
                for p_start, p_end in self.office_periods(day):
                    if p_end <= now:
                        continue
                    begin = max(p_start, now)
                    available = p_end - begin
                    if remaining <= available:
                        return (begin + remaining).astimezone(self.tz), estimated
                    remaining -= available
                    now = p_end
            day += dt.timedelta(days=1)
        raise ValueError(f"no working time within {_MAX_WALK_DAYS} days of {local.isoformat()}")

    def office_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Office time of working days between two instants (zero if `end` is not later)."""
        if self.office_hours is None:
            raise ValueError("no office hours declared")
        a, b = start.astimezone(UTC), end.astimezone(UTC)
        total = dt.timedelta()
        if b <= a:
            return total
        day = self.local(start).date()
        last = self.local(end).date()
        while day <= last:
            if self.calendar.is_workday(day):
                for p_start, p_end in self.office_periods(day):
                    lo, hi = max(p_start, a), min(p_end, b)
                    if lo < hi:
                        total += hi - lo
            day += dt.timedelta(days=1)
        return total


def exact_time(t: dt.datetime) -> dt.datetime:
    """`t`, or the same instant in UTC when its offset is not a whole number of minutes (local
    mean time before 1901 in most zones, e.g. +08:05:43): JSON and RFC 3339 write offsets in
    minutes, so a decision shows such times in UTC, the same in `route` and `route_json`."""
    offset = t.utcoffset()
    if offset is not None and (offset.seconds % 60 or offset.microseconds):
        return t.astimezone(UTC)
    return t


# A reference fortnight (no public holiday in China) for comparing stage limits.
_REFERENCE = dt.date(2025, 3, 3)  # a Monday
_REFERENCE_STEP = dt.timedelta(minutes=15)


def stage_counterexample(clock: Clock, limits: list[Duration]) -> tuple[dt.datetime, int] | None:
    """A report time at which stage `i + 1` of `limits` (each counted from the report) is not
    due after stage `i`, as (report time, i); None if the stages increase for every report in
    a reference fortnight of working days and weekends, every 15 minutes."""
    start = dt.datetime.combine(_REFERENCE, dt.time(), tzinfo=clock.tz)
    for k in range(14 * 24 * 4):
        t = start + k * _REFERENCE_STEP
        previous = None
        for i, limit in enumerate(limits):
            due = clock.add(t, limit)[0]
            if previous is not None and due <= previous:
                return t, i - 1
            previous = due
    return None
