"""Clocks and outcomes in the language (issue 14 items 2, 3, 4, 7): what the checker says about
them, and the decisions they give (table-driven over the demonstration set in examples/)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import BASE

import gridpolicy
from gridpolicy.diagnostics import PolicyError

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "when_outcome"
HEAD, _, TAIL = BASE.partition("route emergency")


def diagnostics(extra: str, before_routes: bool = True) -> list[tuple[str, str, int]]:
    """(code, severity, line within `extra`) of every diagnostic `extra` causes."""
    text = HEAD + extra + "\nroute emergency" + TAIL if before_routes else BASE + extra
    offset = (HEAD if before_routes else BASE).count("\n")
    try:
        policy = gridpolicy.loads(text)
    except PolicyError as exc:
        found = exc.diagnostics
    else:
        found = list(policy.warnings)
    return [(d.code, d.severity, d.span.line - offset) for d in found]


# (rule text added to the base policy, expected code, its line in the text)
CHECKS = [
    # GP090: a stage due no later than the one before it, for some report time
    ('route s "分段" {\n  tier street\n  stages 4 hours -> a "一", 4 hours -> b "二"\n}', "GP090", 3),
    ('calendar { office_hours "08:30-12:00", "14:30-17:30" }\nroute s "分段" {\n  tier street\n'
     '  stages 1 workday -> a "签收", 6 workhours -> b "处置"\n}', "GP090", 4),
    # GP091: workhours need office hours
    ('route w "工作时" {\n  tier grid\n  limit 4 workhours\n}', "GP091", 3),
    ('route w "工作时" {\n  tier grid\n  limit 4 工作时\n}', "GP091", 3),
    # GP092: a redirect without a channel
    ('route r "转介" {\n  outcome redirect\n  reason "请拨打 110"\n}', "GP092", 2),
    # GP093: outcome properties that do not fit
    ('route h "挂账" {\n  tier street\n  outcome hold\n}', "GP093", 3),
    ('route h "挂账" {\n  tier street\n  review 30 days\n}', "GP093", 3),
    ('referral p "110" { kind emergency }\nroute r "转介" {\n  outcome redirect\n  refer p\n  limit 3 hours\n}',
     "GP093", 5),
    # GP094: an exemption without a period
    ('gate g "准入审查" {\n  exemption e "应急" {\n    when urgency == emergency\n  }\n}', "GP094", 2),
    # GP096: bad office hours
    ('calendar { office_hours "8:30-12:00", "11:00-13:00" }', "GP096", 1),
    ('calendar { office_hours "12:00-08:30" }', "GP096", 1),
    # GP097: two gates
    ('gate g "一" { }\ngate h "二" { }', "GP097", 2),
    # GP053: transfers go upward; notices may stay at the same tier but not go below
    ('route t "移交" {\n  department scj\n  limit 1 day\n  escalate 1 day -> transfer(zfw)\n}', "GP053", 4),
    ('route t "督促" {\n  department scj\n  limit 1 day\n  escalate 1 day -> remind(community)\n}', "GP053", 4),
    # unknown kinds, referrals and units
    ('route t "督促" {\n  department scj\n  limit 1 day\n  escalate 1 day -> scold(zfw)\n}', "GP031", 4),
    ('route r "转介" {\n  outcome redirect\n  refer nowhere\n}', "GP031", 3),
    ('referral p "渠道" { kind nowhere }', "GP031", 1),
    ('route r "结果" {\n  tier grid\n  outcome maybe\n}', "GP031", 3),
    # limits: units may not be mixed, a bare field is not a limit
    ('route l "时限" {\n  tier grid\n  limit 3 workdays + 2 hours\n}', "GP040", 3),
    ('route l "时限" {\n  tier grid\n  limit people\n}', "GP040", 3),
    ('route l "时限" {\n  tier grid\n  limit if(people, 1 day, 2 days)\n}', "GP040", 3),
    ('route l "时限" {\n  tier grid\n  limit 1 day\n  stages 1 day -> a "一", 2 days -> b "二"\n}', "GP022", 3),
]


@pytest.mark.parametrize(("text", "code", "line"), CHECKS)
def test_the_checker_locates_each_problem(text: str, code: str, line: int) -> None:
    found = diagnostics(text)
    assert any(c == code and ln == line for c, _, ln in found), found


def test_notices_to_a_same_tier_supervisor_are_allowed() -> None:
    assert diagnostics('route t "督促" {\n  department scj\n  limit 1 day\n'
                       '  escalate 1 day -> remind(zfw), 2 days -> 督办(zfw), 3 days -> city_hall\n}') == []


def test_stages_that_increase_for_every_report_time_are_clean() -> None:
    assert diagnostics('calendar { office_hours "08:30-12:00", "14:30-17:30" }\nroute s "分段" {\n  tier street\n'
                       '  stages 1 workday -> a "签收", 8 workhours -> b "处置", 5 workdays -> c "办结"\n}') == []


def test_a_date_past_the_known_calendar_warns() -> None:
    from gridpolicy.calendar import library_last_year
    year = library_last_year() + 2
    found = diagnostics(f'list later "后续" {{\n  admission true\n  matter L1 "以后" {{ effective {year}-03-01 }}\n}}')
    assert ("GP095", "warning", 3) in found
    declared = diagnostics(f'calendar {{ notice {year - 1} "通知一"; notice {year} "通知二" }}\n'
                           f'list later "后续" {{\n  admission true\n  matter L1 "以后" {{ effective {year}-03-01 }}\n}}')
    assert not any(c == "GP095" for c, _, _ in declared)


def test_the_horizon_warns_ahead_of_the_known_years() -> None:
    from gridpolicy.calendar import library_last_year
    days = (dt.date(library_last_year() + 1, 1, 1) - dt.date.today()).days  # today + days: the first unknown day
    if not 0 < days <= 730:
        pytest.skip("the installed calendar reaches too far ahead of today for a two-year horizon")
    found = diagnostics(f'calendar {{ horizon {days} days }}')
    assert ("GP095", "warning", 1) in found
    if days > 1:
        assert not any(c == "GP095" for c, _, _ in diagnostics(f'calendar {{ horizon {days - 1} days }}'))


# ---- decisions: the demonstration set ----------------------------------------------------

FRIDAY = "2026-03-06T16:00:00+08:00"


@pytest.fixture(scope="module")
def demo() -> gridpolicy.Policy:
    return gridpolicy.load(EXAMPLE)


def test_the_demonstration_set_checks_clean(demo: gridpolicy.Policy) -> None:
    assert demo.warnings == ()


# (item fields, expected parts of the decision)
DECISIONS = [
    ({"category": "garbage"}, {"outcome": "handle", "deadline": "2026-03-09T11:00:00+08:00",
                               "time_limit": {"unit": "workhours", "clock": "office_hours",
                                              "office_hours": "08:30–12:00、14:30–17:30"},
                               "escalation": [("remind", "zhengfawei", "2026-03-09T17:30:00+08:00"),
                                              ("bulletin", "zhengfawei", "2026-03-11T11:00:00+08:00"),
                                              ("transfer", "city_office", "2026-03-16T11:00:00+08:00")]}),
    ({"category": "water_main"}, {"outcome": "handle", "deadline": "2026-03-13T16:00:00+08:00",
                                  "stages": [("fence", "2026-03-06T19:00:00+08:00", "round_the_clock"),
                                             ("repair", "2026-03-07T00:00:00+08:00", "round_the_clock"),
                                             ("restore", "2026-03-13T16:00:00+08:00", "working_days")],
                                  "escalation": [("supervise", "zhengfawei", "2026-03-16T16:00:00+08:00")]}),
    ({"category": "fire"}, {"outcome": "redirect", "tier": None, "deadline": None,
                            "referral": ("fire_119", "emergency", "119")}),
    ({"category": "judgment"}, {"outcome": "redirect", "referral": ("court", "court", "12368")}),
    ({"category": "tap"}, {"outcome": "redirect", "referral": ("repair_market", "market", "")}),
    ({"category": "backlog"}, {"outcome": "hold", "tier": "street", "deadline": None,
                               "hold": ("30天", "2026-04-05T16:00:00+08:00")}),
    ({"category": "hotline"}, {"deadline": "2026-03-13T16:00:00+08:00", "time_limit": {"amount": 5.0}}),
    ({"category": "hotline", "channel": "online"}, {"deadline": "2026-03-11T16:00:00+08:00",
                                                     "time_limit": {"amount": 3.0}}),
    ({"category": "hotline", "channel": "online", "extra_days": 2}, {"deadline": "2026-03-13T16:00:00+08:00",
                                                                      "time_limit": {"amount": 5.0}}),
    ({"kind": "task", "matter": "清扫楼道"}, {"outcome": "refuse", "gate": ("grid_admission", False, None),
                                          "referral": ("admission_office", "department", "区委政法委综治科")}),
    ({"kind": "task", "matter": "M01"}, {"outcome": "handle", "gate": ("grid_admission", True, None)}),
    ({"kind": "task", "source": "command_centre", "urgency": "emergency"},
     {"outcome": "handle", "tier": "grid", "deadline": "2026-03-06T18:00:00+08:00",
      "gate": ("grid_admission", True, "emergency_order")}),
]


@pytest.mark.parametrize(("fields", "expected"), DECISIONS)
def test_decisions_of_the_demonstration_set(demo: gridpolicy.Policy, fields: dict, expected: dict) -> None:
    item = {"id": "t", "kind": "issue", "reported_at": FRIDAY, **fields}
    d = demo.route(item)
    assert json.loads(d.model_dump_json()) == json.loads(demo.route_json(item))
    if "outcome" in expected:
        assert d.outcome == expected["outcome"]
    if "tier" in expected:
        assert (d.tier.code if d.tier else None) == expected["tier"]
    if "deadline" in expected:
        assert (d.deadline.isoformat() if d.deadline else None) == expected["deadline"]
    for key, value in expected.get("time_limit", {}).items():
        assert getattr(d.time_limit, key) == value
    if "escalation" in expected:
        assert [(s.kind, (s.department.code if s.department else s.tier.code), s.due.isoformat())
                for s in d.escalation] == expected["escalation"]
    if "stages" in expected:
        assert [(s.code, s.deadline.isoformat(), s.limit.clock) for s in d.stages] == expected["stages"]
        assert d.deadline == d.stages[-1].deadline
    if "referral" in expected:
        ch = d.referral.channel
        assert (ch.code, ch.kind, ch.contact) == expected["referral"] and d.referral.reason
        assert d.referral.source.startswith(str(EXAMPLE / ""))  or ":" in d.referral.source
    if "hold" in expected:
        assert (d.hold.review.text_zh, d.hold.next_review.isoformat()) == expected["hold"]
    if "gate" in expected:
        g = d.gate
        assert (g.code, g.passed, g.exemption.code if g.exemption else None) == expected["gate"]
    # every reason cites its rule (the query of an unknown matter has none to cite)
    assert all(r.source for r in d.reasons if r.kind != "matter"), [r for r in d.reasons if not r.source]


def test_an_exemption_holds_within_its_period_only(demo: gridpolicy.Policy) -> None:
    item = {"id": "t", "kind": "task", "source": "command_centre", "urgency": "emergency", "reported_at": FRIDAY}
    within = demo.route(item, at=dt.datetime.fromisoformat("2026-03-09T15:59:00+08:00"))
    after = demo.route(item, at=dt.datetime.fromisoformat("2026-03-09T16:01:00+08:00"))
    assert within.outcome == "handle" and within.gate.until.isoformat() == "2026-03-09T16:00:00+08:00"
    assert after.outcome == "refuse" and [r.id for r in after.reasons][-1] == "unlisted"


def test_refusals_cite_the_declaring_line(demo: gridpolicy.Policy) -> None:
    d = demo.route({"id": "t", "kind": "task", "reported_at": FRIDAY})
    assert d.outcome == "refuse"
    assert all(r.source.rsplit(":", 2)[-2].isdigit() for r in d.reasons)


def test_without_a_gate_the_admission_lists_gate_tasks_and_cite_their_line(policy: gridpolicy.Policy) -> None:
    d = policy.route({"id": "t", "kind": "task", "reported_at": FRIDAY})
    assert d.outcome == "refuse" and d.gate.code == "admission" and not d.gate.passed
    unlisted = next(r for r in d.reasons if r.id == "unlisted")
    line = BASE[:BASE.index("list grid_items")].count("\n") + 1
    assert unlisted.kind == "list" and unlisted.source.endswith(f":{line}:1")


def test_an_unknown_year_is_flagged_in_the_decision(policy: gridpolicy.Policy) -> None:
    from gridpolicy.calendar import library_last_year
    year = library_last_year() + 2
    d = policy.route({"id": "t", "kind": "issue", "reported_at": f"{year}-06-01T10:00:00+08:00"})
    assert d.calendar_estimated is True
    assert any(r.kind == "calendar" and r.id == f"calendar-{year}" for r in d.reasons)
    known = policy.route({"id": "t", "kind": "issue", "reported_at": "2026-06-01T10:00:00+08:00"})
    assert known.calendar_estimated is False
