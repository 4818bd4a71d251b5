"""Time: batches, effective dates, exits, temporary admission, and working-day deadlines
across public holidays and make-up working days (调休)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import BASE, item

import gridpolicy
from gridpolicy.calendar import WorkCalendar
from gridpolicy.model import Calendar
from gridpolicy.syntax.nodes import Duration

CST = dt.timezone(dt.timedelta(hours=8))


def at(day: str, time: str = "10:00") -> str:
    return f"{day}T{time}:00+08:00"


# (matter, date, expected status): both sides of each batch start, own date, exit and expiry.
STATUS = [
    ("M01", "2024-02-29", "not_yet_in_force"),
    ("M01", "2024-03-01", "in_force"),
    ("M02", "2024-08-31", "not_yet_in_force"),
    ("M02", "2024-09-01", "in_force"),
    ("M02", "2025-08-31", "in_force"),
    ("M02", "2025-09-01", "in_force"),  # `expires` is the last day in force, that day included
    ("M02", "2025-09-02", "expired"),
    ("M03", "2025-06-29", "in_force"),
    ("M03", "2025-06-30", "exited"),
    ("M04", "2025-01-14", "not_yet_in_force"),
    ("M04", "2025-01-15", "in_force"),
    ("no-such-matter", "2025-01-15", "unlisted"),
]


@pytest.mark.parametrize(("matter", "day", "status"), STATUS)
def test_matter_status_as_of_the_report_date(policy: gridpolicy.Policy, matter: str, day: str, status: str) -> None:
    task = policy.route(item(kind="task", matter=matter, reported_at=at(day)))
    issue = policy.route(item(kind="issue", matter=matter, reported_at=at(day)))
    assert task.matter.status == status == issue.matter.status
    assert task.outcome == ("handle" if status == "in_force" else "refuse")
    assert issue.outcome == "handle"  # issues are always routed


def test_explicit_at_overrides_reported_at(policy: gridpolicy.Policy) -> None:
    task = item(kind="task", matter="M03", reported_at=at("2025-06-01"))
    assert policy.route(task).outcome == "handle"
    later = dt.datetime(2025, 7, 1, 9, tzinfo=CST)
    decision = policy.route(task, at=later)
    assert decision.outcome == "refuse" and decision.evaluated_at == later


def test_report_time_in_another_offset_uses_the_policy_day(policy: gridpolicy.Policy) -> None:
    # 2025-06-29 17:00 UTC is already 2025-06-30 01:00 in Asia/Shanghai: the exit applies.
    decision = policy.route(item(kind="task", matter="M03", reported_at="2025-06-29T17:00:00+00:00"))
    assert decision.matter.status == "exited"


# (reported_at, workdays, expected deadline) — 2026 National Day: Oct 1–7 off, Sep 20 and Oct 10 worked.
WORKDAYS = [
    (at("2026-03-02"), 3, at("2026-03-05")),            # Monday → Thursday
    (at("2026-03-06"), 1, at("2026-03-09")),            # Friday → Monday
    (at("2026-03-07"), 1, at("2026-03-09")),            # Saturday → Monday
    (at("2026-09-30"), 1, at("2026-10-08")),            # across the National Day holiday
    (at("2026-09-30"), 3, at("2026-10-10")),            # Saturday Oct 10 is a make-up working day
    (at("2026-09-18"), 1, at("2026-09-20")),            # Sunday Sep 20 is a make-up working day
    (at("2026-02-13"), 1, at("2026-02-14")),            # Saturday Feb 14 is a make-up working day (Spring Festival)
    (at("2026-02-14"), 1, at("2026-02-24")),            # Spring Festival Feb 15–23
]


@pytest.mark.parametrize(("start", "n", "expected"), WORKDAYS)
def test_working_days_follow_the_official_calendar(start: str, n: int, expected: str) -> None:
    cal = WorkCalendar(Calendar())
    due, estimated = cal.add(dt.datetime.fromisoformat(start), Duration(n, "workdays"))
    assert due == dt.datetime.fromisoformat(expected) and not estimated


def test_policy_calendar_covers_years_the_library_does_not_know(policy: gridpolicy.Policy) -> None:
    # The demo policy declares 2027-01-01..03 as holidays and Saturday 2027-01-09 as a workday.
    d = policy.route(item(reported_at=at("2026-12-31")))
    assert d.deadline == dt.datetime.fromisoformat(at("2027-01-06"))
    assert any(r.kind == "calendar" for r in d.reasons)  # weekends of 2027 are estimated
    d = policy.route(item(reported_at=at("2027-01-07")))
    assert d.deadline == dt.datetime.fromisoformat(at("2027-01-11"))  # Fri 8, Sat 9 (worked), Mon 11


def test_clock_limits_and_escalation_times(policy: gridpolicy.Policy) -> None:
    d = policy.route(item(urgency="emergency", reported_at=at("2026-10-01", "23:30")))
    assert d.deadline == dt.datetime.fromisoformat("2026-10-02T00:30:00+08:00")  # hours ignore holidays
    assert [(s.tier.code, s.due.isoformat()) for s in d.escalation] == [("district", "2026-10-02T02:30:00+08:00")]


def test_escalation_counts_from_the_deadline(policy: gridpolicy.Policy) -> None:
    d = policy.route(item(matter="M01", reported_at=at("2026-03-02")))
    assert d.deadline.isoformat() == "2026-03-05T10:00:00+08:00"
    assert [(s.tier.code, s.due.isoformat()) for s in d.escalation] == [
        ("community", "2026-03-06T10:00:00+08:00"), ("street", "2026-03-10T10:00:00+08:00")]


NEW_YORK = BASE.replace('effective 2024-01-01', 'effective 2024-01-01\n  timezone "America/New_York"', 1)


@pytest.mark.parametrize("reported", [
    "2026-11-01T01:30:00-05:00",  # the second 01:30 of the night clocks go back (fold 1)
    "2026-11-01T01:30:00-04:00",  # the first one (fold 0)
    "2026-03-02T10:00:00-05:00",
])
def test_cached_working_day_deadlines_equal_computed_ones_to_the_fold(reported: str) -> None:
    policy = gridpolicy.loads(NEW_YORK)
    first = policy.route(item(id="a", reported_at=reported))  # computes and caches the day count
    again = policy.route(item(id="b", reported_at=reported))  # from the cache
    local = dt.datetime.fromisoformat(reported).astimezone(policy.timezone)
    expected, _ = policy.deadlines.calendar.add(local, policy.model.routes[-1].limit)
    assert first.deadline is not None and first.deadline == again.deadline == expected
    assert (first.deadline.fold, again.deadline.fold) == (expected.fold, expected.fold)
    assert again.deadline.isoformat() == expected.isoformat()
