"""Case timelines, table-driven: events in, state out (and bad events out as located errors)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from lifecycle_support import START, case, ev, stepper

from gridpolicy.lifecycle import CaseError, case_state_schema

STEP = stepper()


def T(at: str) -> dt.datetime:  # a time literal in the tables
    day, time = at.split()
    return dt.datetime.fromisoformat(f"2026-{day}T{time}:00+08:00")


def get(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = obj[int(part)] if isinstance(obj, list) else obj[part]
    return obj


# (name, events, at, {dotted path: expected}) — times as "MM-DD HH:MM" on 2026, +08:00.
TIMELINES: list[tuple[str, list[dict[str, Any]], str | None, dict[str, Any]]] = [
    ("a new case is open with the route's deadline", [], None, {
        "status": "open", "deadline": "2026-03-09T10:00:00+08:00", "handler.lead.code": "scj",
        "handler.tier.code": "district", "stages.0.code": "handle", "overdue": None, "notices": [],
        "next_notice.kind": "remind", "next_notice.due_at": "2026-03-10T10:00:00+08:00",
        "next_events": ["returned", "extension_requested", "completed", "held", "merged"],
        "lifecycle.code": "track"}),
    ("overdue a day: the reminder is due, the bulletin comes next", [], "03-10 11:00", {
        "status": "overdue", "overdue.stage": "handle", "overdue.workdays": 1, "overdue.minutes": 1500,
        "notices.0.kind": "remind", "notices.0.to.code": "zfw", "notices.0.due_at": "2026-03-10T10:00:00+08:00",
        "next_notice.kind": "bulletin", "next_notice.to.code": "city_hall",
        "next_notice.due_at": "2026-03-16T10:00:00+08:00"}),
    ("overdue 5 workdays: both notices, none to come", [], "03-16 10:00", {
        "status": "overdue", "notices.1.kind": "bulletin", "next_notice": None}),
    ("returned in time goes to arbitration with its own limit", [
        ev("returned", "03-03 09:00", by="scj", reason="属地不符")], None, {
        "status": "arbitration", "stages.1.code": "arbitration", "deadline": "2026-03-04T09:00:00+08:00",
        "returns.0.reason.code": "wrong_locality", "returns.0.accepted": True, "returns.0.arbiter.code": "zfw",
        "next_events": ["arbitrated", "merged"]}),
    ("a return by reason code works as by label", [
        ev("returned", "03-03 09:00", by="区市场监管局", reason="not_our_remit")], None, {
        "returns.0.reason.name": "非本部门职责", "returns.0.by.code": "scj"}),
    ("a late return is not accepted: the handler keeps it", [
        ev("returned", "03-05 09:00", by="scj", reason="属地不符")], None, {
        "status": "open", "returns.0.accepted": False, "handler.lead.code": "scj", "stages.0.code": "handle"}),
    ("arbitration hands the case over; the original clock continues", [
        ev("returned", "03-03 09:00", by="scj", reason="属地不符"),
        ev("arbitrated", "03-03 16:00", to="zfw")], None, {
        "status": "open", "handler.lead.code": "zfw", "deadline": "2026-03-09T10:00:00+08:00",
        "returns.0.arbitrated_to.code": "zfw", "stages.1.completed_at": "2026-03-03T16:00:00+08:00"}),
    ("the original clock runs during arbitration", [
        ev("returned", "03-03 09:00", by="scj", reason="属地不符")], "03-10 12:00", {
        "status": "overdue", "overdue.stage": "arbitration", "notices.0.kind": "remind"}),
    ("an extension approved in time moves the deadline", [
        ev("extension_requested", "03-04 10:00", workdays=3, reason="需协调"),
        ev("extension_approved", "03-04 15:00", by="区委政法委")], None, {
        "status": "open", "deadline": "2026-03-12T10:00:00+08:00", "stages.0.original_deadline": "2026-03-09T10:00:00+08:00",
        "stages.0.extensions": 1, "extensions.0.status": "approved", "extensions.0.by.code": "zfw",
        "next_events": ["returned", "completed", "held", "merged"]}),
    ("an extension until a time", [
        ev("extension_requested", "03-04 10:00", until="2026-03-11T17:00:00+08:00", reason="需协调"),
        ev("extension_approved", "03-04 15:00", by="zfw")], None, {"deadline": "2026-03-11T17:00:00+08:00"}),
    ("notices run from the extended deadline", [
        ev("extension_requested", "03-04 10:00", workdays=3, reason="需协调"),
        ev("extension_approved", "03-04 15:00", by="zfw")], "03-13 11:00", {
        "status": "overdue", "overdue.workdays": 1, "notices.0.due_at": "2026-03-13T10:00:00+08:00"}),
    ("a pending extension lists only its decision", [
        ev("extension_requested", "03-04 10:00", workdays=3, reason="需协调")], None, {
        "extensions.0.status": "pending",
        "next_events": ["returned", "extension_approved", "extension_rejected", "completed", "held", "merged"]}),
    ("a rejected extension leaves the deadline", [
        ev("extension_requested", "03-04 10:00", workdays=3, reason="需协调"),
        ev("extension_rejected", "03-04 15:00", by="zfw")], None, {
        "deadline": "2026-03-09T10:00:00+08:00", "extensions.0.status": "rejected"}),
    ("an extension asked less than a workday before the deadline is refused", [
        ev("extension_requested", "03-06 11:00", workdays=2, reason="来不及")], None, {
        "extensions.0.status": "refused", "deadline": "2026-03-09T10:00:00+08:00"}),
    ("an extension longer than the maximum is refused", [
        ev("extension_requested", "03-03 11:00", workdays=11, reason="工程量大")], None, {
        "extensions.0.status": "refused"}),
    ("a second extension is refused (times 1)", [
        ev("extension_requested", "03-03 11:00", workdays=2, reason="a"),
        ev("extension_approved", "03-03 12:00", by="zfw"),
        ev("extension_requested", "03-04 11:00", workdays=2, reason="b")], None, {
        "extensions.1.status": "refused", "deadline": "2026-03-11T10:00:00+08:00"}),
    ("completed: follow-up due the next workday", [
        ev("completed", "03-06 16:00", by="scj")], None, {
        "status": "open", "stages.0.completed_at": "2026-03-06T16:00:00+08:00", "stages.1.code": "followup",
        "deadline": "2026-03-09T16:00:00+08:00", "next_events": ["followup", "reopened", "merged"],
        "overdue": None, "next_notice": None}),
    ("completed on time: no notice ever falls due", [
        ev("completed", "03-06 16:00")], "03-20 10:00", {"status": "open", "notices": [], "overdue": None}),
    ("completed late: the notices already due stay", [
        ev("completed", "03-11 16:00")], "03-20 10:00", {"notices.0.kind": "remind", "status": "open"}),
    ("satisfied follow-up closes the case", [
        ev("completed", "03-06 16:00"), ev("followup", "03-09 09:00", result="满意")], None, {
        "status": "closed", "satisfaction": "satisfied", "deadline": None, "next_events": ["reopened"]}),
    ("basically satisfied closes it too", [
        ev("completed", "03-06 16:00"), ev("followup", "03-09 09:00", result="basically_satisfied")], None, {
        "status": "closed", "satisfaction": "basically_satisfied"}),
    ("reasonable dissatisfaction: the tier above redoes it", [
        ev("completed", "03-06 16:00"), ev("followup", "03-09 09:00", result="不满意", reasonable=True)], None, {
        "status": "reopened", "redos": 1, "handler.tier.code": "city", "handler.lead": None,
        "stages.2.code": "redo", "deadline": "2026-03-12T09:00:00+08:00", "counted_against_handler": True}),
    ("unreasonable dissatisfaction: closed, not counted", [
        ev("completed", "03-06 16:00"), ev("followup", "03-09 09:00", result="dissatisfied", reasonable=False)], None, {
        "status": "closed", "counted_against_handler": False, "redos": 0}),
    ("a closed case may be reopened", [
        ev("completed", "03-06 16:00"), ev("followup", "03-09 09:00", result="satisfied"),
        ev("reopened", "03-10 09:00", reason="核查不合格")], None, {"status": "reopened", "redos": 1}),
    ("two failed redos bring the bulletin", [
        ev("completed", "03-03 16:00"), ev("followup", "03-04 09:00", result="dissatisfied"),
        ev("completed", "03-05 16:00"), ev("followup", "03-06 09:00", result="dissatisfied"),
        ev("completed", "03-09 16:00"), ev("followup", "03-10 09:00", result="dissatisfied")], None, {
        "redos": 3, "notices.0.kind": "bulletin", "notices.0.stage": "redo",
        "notices.0.due_at": "2026-03-10T09:00:00+08:00", "notices.0.label": "两次重办仍不满意"}),
    ("merged into another case: no deadline, nothing next", [
        ev("merged", "03-03 09:00", into="c0")], "03-20 10:00", {
        "status": "merged", "merged_into": "c0", "deadline": None, "overdue": None, "notices": [],
        "next_events": []}),
    ("held: no overdue while on the register, reviews due", [
        ev("held", "03-05 09:00", reason="需市级立项解决")], "2026-04-10 09:00", {
        "status": "held", "overdue": None, "hold.reviewer.code": "zfw",
        "notices.0.kind": "review", "notices.0.due_at": "2026-04-04T09:00:00+08:00",
        "next_notice.due_at": "2026-05-04T09:00:00+08:00", "next_events": ["resumed", "completed", "merged"]}),
    ("resumed: a fresh limit from resumption", [
        ev("held", "03-05 09:00", reason="需市级立项解决"), ev("resumed", "03-16 09:00")], None, {
        "status": "open", "deadline": "2026-03-23T09:00:00+08:00", "hold": None}),
    ("a refused task has no lifecycle and is closed", [], None, {
        "status": "closed", "lifecycle": None, "stages": [], "next_events": []}),
    ("routes a lifecycle names use it: clock restarts on arbitration", [
        ev("returned", "03-03 09:00", by="scj", reason="属地不符"),
        ev("arbitrated", "03-04 09:00", to="community")], None, {
        "lifecycle.code": "local_cases", "handler.tier.code": "community", "handler.lead": None,
        "deadline": "2026-03-09T09:00:00+08:00"}),
]
ITEM_FOR = {
    "a refused task has no lifecycle and is closed": {"kind": "task", "matter": "不存在的事项", "owner": None},
    "routes a lifecycle names use it: clock restarts on arbitration": {"owner": None},
}


@pytest.mark.parametrize(("name", "events", "at", "expect"), TIMELINES, ids=[t[0] for t in TIMELINES])
def test_timeline(name: str, events: list[dict[str, Any]], at: str | None, expect: dict[str, Any]) -> None:
    c = case(*events, **ITEM_FOR.get(name, {}))
    when = None if at is None else dt.datetime.fromisoformat(at.replace(" ", "T") + ":00+08:00") \
        if at.startswith("20") else T(at)
    state = STEP(c, when).model_dump(mode="json")
    for path, want in expect.items():
        got = get(state, path)
        if isinstance(want, str) and want[:4].isdigit() and isinstance(got, str):
            assert dt.datetime.fromisoformat(got) == dt.datetime.fromisoformat(want), (path, got)
        else:
            assert got == want, (path, got)


def test_local_case_is_on_the_grid() -> None:
    state = STEP(case(owner=None))
    assert state.decision.reasons[-1].id == "local"
    assert state.deadline == dt.datetime.fromisoformat("2026-03-05T10:00:00+08:00")


# (name, events, error path, words in the English message)
BAD: list[tuple[str, list[dict[str, Any]], str, str]] = [
    ("unknown type, with a guess", [ev("retruned", "03-03 09:00", by="scj", reason="x")], "events[0].type",
     "did you mean 'returned'"),
    ("no type", [{"at": START}], "events[0].type", "no type"),
    ("time before the report", [ev("completed", "03-01 09:00")], "events[0].at", "out of order"),
    ("time before the previous event", [ev("completed", "03-05 09:00"), ev("followup", "03-04 09:00",
                                                                         result="满意")], "events[1].at", "out of order"),
    ("time without an offset", [{"type": "completed", "at": "2026-03-03T10:00:00"}], "events[0].at", "offset"),
    ("unknown field", [ev("completed", "03-03 09:00", bye="scj")], "events[0].bye", "did you mean 'by'"),
    ("missing field", [ev("returned", "03-03 09:00", by="scj")], "events[0].reason", "needs 'reason'"),
    ("return reason not in the rules", [ev("returned", "03-03 09:00", by="scj", reason="太忙")],
     "events[0].reason", "not one the rules allow"),
    ("return by someone who is not the handler", [ev("returned", "03-03 09:00", by="zfw", reason="属地不符")],
     "events[0].by", "not the handler"),
    ("unknown department", [ev("returned", "03-03 09:00", by="区市场监督局", reason="属地不符")],
     "events[0].by", "did you mean"),
    ("arbitration without a return", [ev("arbitrated", "03-03 09:00", to="zfw")], "events[0].type",
     "without a return"),
    ("approval without a request", [ev("extension_approved", "03-03 09:00", by="zfw")], "events[0].type",
     "without a pending request"),
    ("approval after a refused request", [ev("extension_requested", "03-03 11:00", workdays=11, reason="x"),
                                          ev("extension_approved", "03-03 12:00", by="zfw")],
     "events[1].type", "without a pending request"),
    ("approval by someone the rules do not name", [ev("extension_requested", "03-03 11:00", workdays=1, reason="x"),
                                                   ev("extension_approved", "03-03 12:00", by="scj")],
     "events[1].by", "may not approve"),
    ("two requests pending", [ev("extension_requested", "03-03 11:00", workdays=1, reason="x"),
                              ev("extension_requested", "03-03 12:00", workdays=1, reason="y")],
     "events[1].type", "already pending"),
    ("workdays and until together", [ev("extension_requested", "03-03 11:00", workdays=1, until=START, reason="x")],
     "events[0].workdays", "either"),
    ("until before the deadline", [ev("extension_requested", "03-03 11:00", until="2026-03-05T10:00:00+08:00",
                                      reason="x")], "events[0].until", "after the current deadline"),
    ("event after closing", [ev("completed", "03-06 16:00"), ev("followup", "03-09 09:00", result="满意"),
                             ev("completed", "03-10 09:00")], "events[2].type", "closed"),
    ("event after merging", [ev("merged", "03-03 09:00", into="c0"), ev("completed", "03-04 09:00")],
     "events[1].type", "merged"),
    ("follow-up before completion", [ev("followup", "03-03 09:00", result="满意")], "events[0].type",
     "completed case"),
    ("follow-up result unknown", [ev("completed", "03-03 09:00"), ev("followup", "03-04 09:00", result="还行")],
     "events[1].result", "satisfied"),
    ("reasonable not a boolean", [ev("completed", "03-03 09:00"),
                                  ev("followup", "03-04 09:00", result="不满意", reasonable="yes")],
     "events[1].reasonable", "true or false"),
    ("resumed without hold", [ev("resumed", "03-03 09:00")], "events[0].type", "only a held case"),
    ("completed during arbitration", [ev("returned", "03-03 09:00", by="scj", reason="属地不符"),
                                      ev("completed", "03-03 10:00")], "events[1].type", "being handled"),
]


@pytest.mark.parametrize(("name", "events", "path", "words"), BAD, ids=[b[0] for b in BAD])
def test_bad_events_are_located_errors(name: str, events: list[dict[str, Any]], path: str, words: str) -> None:
    with pytest.raises(CaseError) as info:
        STEP(case(*events))
    paths = [e.path for e in info.value.errors]
    assert path in paths, paths
    detail = info.value.errors[paths.index(path)]
    assert words in detail.message_en, detail.message_en
    assert detail.message_zh and not detail.message_zh.isascii()
    assert info.value.to_dict()["error"] == "invalid_case"


def test_a_bad_event_after_at_still_fails_and_nothing_is_returned() -> None:
    bad = case(ev("completed", "03-03 09:00"), ev("arbitrated", "03-10 09:00", to="zfw"))
    with pytest.raises(CaseError) as info:
        STEP(bad, T("03-04 09:00"))
    assert info.value.errors[0].path == "events[1].type"


def test_every_event_error_is_reported_at_once() -> None:
    with pytest.raises(CaseError) as info:
        STEP(case(ev("nope", "03-03 09:00"), {"type": "completed"}, ev("returned", "03-03 09:00")))
    assert [e.path for e in info.value.errors] == ["events[0].type", "events[1].at", "events[2].by", "events[2].reason"]


@pytest.mark.parametrize(("bad", "path"), [
    ([], ""), ({"item": 1}, "item"), ({"item": {"id": "x", "kind": "issue"}}, "item.reported_at"),
    ({"item": {"id": "x", "kind": "issue", "reported_at": START}, "events": {}}, "events"),
    ({"item": {"id": "x", "kind": "issue", "reported_at": START}, "evnts": []}, "evnts"),
])
def test_bad_case_shapes(bad: Any, path: str) -> None:
    with pytest.raises(CaseError) as info:
        STEP(bad)
    assert path in [e.path for e in info.value.errors]


def test_reasons_cite_the_rules_that_acted() -> None:
    state = STEP(case(ev("returned", "03-03 09:00", by="scj", reason="属地不符"), ev("arbitrated", "03-03 16:00", to="zfw")))
    lifecycle = [r for r in state.reasons if r.kind == "lifecycle"]
    assert [r.event for r in lifecycle] == [None, 0, 1]
    assert all(r.source.startswith("<text>:") for r in lifecycle)
    assert [h.type for h in state.history] == ["returned", "arbitrated"]
    assert all(h.text_zh and h.text_en for h in state.history)


def test_state_validates_against_its_published_schema() -> None:
    import jsonschema_rs

    validator = jsonschema_rs.validator_for(case_state_schema(), validate_formats=True)
    for name, events, at, _ in TIMELINES:
        c = case(*events, **ITEM_FOR.get(name, {}))
        when = None if at is None or at.startswith("20") else T(at)
        validator.validate(STEP(c, when).model_dump(mode="json"))


# ---- a case stepped again (the engine remembers cases it has seen) ----------------------------

AGAIN = [ev("returned", "03-03 09:00", by="scj", reason="属地不符"), ev("arbitrated", "03-03 16:00", to="zfw"),
         ev("extension_requested", "03-04 10:00", workdays=3, reason="需协调"),
         ev("extension_approved", "03-04 15:00", by="zfw"), ev("completed", "03-05 16:00"),
         ev("followup", "03-06 09:00", result="不满意", reasonable=True)]


def test_a_case_stepped_again_is_the_same_state_and_shares_nothing_a_host_can_change() -> None:
    step = stepper()
    first = [step(case(*AGAIN), at) for at in (None, T("03-20 09:00"))]
    for _ in range(3):  # the third sight and later come from what the engine remembers
        again = [step(case(*AGAIN), at) for at in (None, T("03-20 09:00"))]
        assert [s.model_dump(mode="json") for s in again] == [s.model_dump(mode="json") for s in first]
    state = step(case(*AGAIN))
    state.stages[0].deadline = None
    state.returns[0].accepted = False
    state.extensions[0].status = "rejected"
    state.handler.roles.append(state.handler.tier)  # type: ignore[arg-type]
    state.history.clear()
    assert step(case(*AGAIN)).model_dump(mode="json") == first[0].model_dump(mode="json")


# Values equal to a valid one (True == 1 == 1.0) that are not valid: a remembered case must not answer for them.
ALIKE = [
    ("workdays as a boolean", 2, {"workdays": True}, "events[2].workdays"),
    ("workdays as a float", 2, {"workdays": 3.0}, "events[2].workdays"),
    ("reasonable as a number", 5, {"reasonable": 1}, "events[5].reasonable"),
]


@pytest.mark.parametrize(("name", "index", "change", "path"), ALIKE, ids=[a[0] for a in ALIKE])
def test_a_remembered_case_does_not_answer_for_an_equal_but_invalid_one(name: str, index: int, change: dict[str, Any],
                                                                        path: str) -> None:
    step = stepper()
    for _ in range(3):
        step(case(*AGAIN))
    events = [dict(e) for e in AGAIN]
    events[index].update(change)
    with pytest.raises(CaseError) as info:
        step(case(*events))
    assert path in [e.path for e in info.value.errors]


def test_a_remembered_case_follows_its_item() -> None:
    step = stepper()
    for _ in range(3):
        step(case(*AGAIN))
    with pytest.raises(CaseError) as info:  # the same events, another first handler: scj may not return it now
        step(case(*AGAIN, owner="zfw"))
    assert info.value.errors[0].path == "events[0].by"


# ---- a merged case follows its primary -------------------------------------------------------

def primary_case(*events: dict[str, Any]) -> dict[str, Any]:
    return case(*events, id="c0")


def merged_case(*events: dict[str, Any], primary: Any = None) -> dict[str, Any]:
    c = case(ev("merged", "03-03 09:00", into="c0"), *events)
    if primary is not None:
        c["primary"] = primary
    return c


PRIMARY = [  # (name, the merged case, at, {path: expected})
    ("without its primary the merged case only says where it went", merged_case(), None, {
        "status": "merged", "merged_into": "c0", "primary": None, "deadline": None}),
    ("the primary's progress as of the same time", merged_case(primary=primary_case(
        ev("extension_requested", "03-04 10:00", workdays=3, reason="需协调"),
        ev("extension_approved", "03-04 15:00", by="zfw"))), None, {
        "status": "merged", "deadline": None, "at": "2026-03-04T15:00:00+08:00", "primary.case_id": "c0",
        "primary.status": "open", "primary.deadline": "2026-03-12T10:00:00+08:00", "primary.handler.lead.code": "scj"}),
    ("at a later time the primary is overdue, the merged case is not", merged_case(primary=primary_case()),
     "03-10 11:00", {"status": "merged", "overdue": None, "primary.status": "overdue", "primary.notices.0.kind": "remind",
                     "primary.at": "2026-03-10T11:00:00+08:00"}),
    ("a closed primary closes the progress", merged_case(primary=primary_case(
        ev("completed", "03-04 16:00"), ev("followup", "03-05 09:00", result="满意"))), None, {
        "status": "merged", "primary.status": "closed", "primary.satisfaction": "satisfied"}),
    ("a primary merged in turn carries its own primary", merged_case(primary={
        **case(ev("merged", "03-03 12:00", into="c9"), id="c0"), "primary": case(id="c9")}), "03-04 09:00", {
        "primary.status": "merged", "primary.primary.case_id": "c9", "primary.primary.status": "open"}),
    ("before the merge the case is its own and the primary is not shown", merged_case(primary=primary_case()),
     "03-03 08:00", {"status": "open", "primary": None}),
]


@pytest.mark.parametrize(("name", "c", "at", "expect"), PRIMARY, ids=[p[0] for p in PRIMARY])
def test_a_merged_case_follows_its_primary(name: str, c: dict[str, Any], at: str | None, expect: dict[str, Any]) -> None:
    state = STEP(c, T(at) if at else None).model_dump(mode="json")
    for path, want in expect.items():
        assert get(state, path) == want, (path, get(state, path))


BAD_PRIMARY = [  # (name, case, path, English words)
    ("a primary for a case never merged", {**case(), "primary": primary_case()}, "primary", "no merged event"),
    ("the primary is another case", merged_case(primary=case(id="c7")), "primary.item.id", "('c0'), not 'c7'"),
    ("a bad event of the primary", merged_case(primary=primary_case(ev("arbitrated", "03-04 09:00", to="zfw"))),
     "primary.events[0].type", "without a return"),
    ("a primary that is not an object", merged_case(primary=[1]), "primary", "JSON object"),
    ("a primary without a report time", merged_case(primary={"item": {"id": "c0", "kind": "issue"}}),
     "primary.item.reported_at", "reported_at"),
]


@pytest.mark.parametrize(("name", "c", "path", "words"), BAD_PRIMARY, ids=[b[0] for b in BAD_PRIMARY])
def test_a_bad_primary_is_a_located_error(name: str, c: dict[str, Any], path: str, words: str) -> None:
    with pytest.raises(CaseError) as info:
        STEP(c)
    paths = [e.path for e in info.value.errors]
    assert path in paths, paths
    assert words in info.value.errors[paths.index(path)].message_en


def test_primaries_nest_at_most_eight_deep() -> None:
    deepest: dict[str, Any] = case(id="p9")
    for n in range(9, 0, -1):
        deepest = {**case(ev("merged", "03-03 09:00", into=f"p{n}"), id=f"p{n - 1}"), "primary": deepest}
    with pytest.raises(CaseError) as info:
        STEP(deepest)
    assert info.value.errors[0].path.startswith("primary")
    assert "too deep" in info.value.errors[0].message_en
