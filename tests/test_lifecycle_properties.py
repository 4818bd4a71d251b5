"""Properties of the step engine over generated timelines (hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from lifecycle_support import START, case, stepper

from gridpolicy.lifecycle import CaseError, CaseState

STEP = stepper()
T0 = dt.datetime.fromisoformat(START)


def fields_for(kind: str, state: CaseState, data: st.DataObject) -> dict[str, Any]:
    lead = state.handler.lead.code if state.handler.lead else "scj"
    if kind == "returned":
        return {"by": lead, "reason": data.draw(st.sampled_from(["属地不符", "not_our_remit"]))}
    if kind == "arbitrated":
        return {"to": data.draw(st.sampled_from(["zfw", "scj", "community", "street"]))}
    if kind == "extension_requested":
        return {"workdays": data.draw(st.integers(1, 12)), "reason": "需协调"}
    if kind in ("extension_approved", "extension_rejected"):
        return {"by": "zfw"}
    if kind == "followup":
        return {"result": data.draw(st.sampled_from(["satisfied", "基本满意", "dissatisfied"])),
                "reasonable": data.draw(st.booleans())}
    if kind == "merged":
        return {"into": "c0"}
    if kind == "held":
        return {"reason": "需立项"}
    return {}


def timeline(data: st.DataObject, length: int) -> list[dict[str, Any]]:
    """A valid timeline: each event one the rules allow next, at strictly later times."""
    events: list[dict[str, Any]] = []
    t = T0
    for _ in range(length):
        state = STEP(case(*events))
        if not state.next_events:
            break
        kind = data.draw(st.sampled_from(state.next_events))
        t += dt.timedelta(minutes=data.draw(st.integers(1, 60 * 24 * 6)))
        event = {"type": kind, "at": t.isoformat(), **fields_for(kind, state, data)}
        try:
            STEP(case(*events, event))
        except CaseError:
            continue
        events.append(event)
    return events


def dump(state: CaseState) -> dict[str, Any]:
    return state.model_dump(mode="json")


@settings(max_examples=60, deadline=None)
@given(st.data(), st.integers(0, 8))
def test_a_later_event_never_changes_an_earlier_state(data: st.DataObject, length: int) -> None:
    events = timeline(data, length + 1)
    if not events:
        return
    *before, last = events
    last_at = dt.datetime.fromisoformat(last["at"])
    # any time strictly before the added event
    lo = dt.datetime.fromisoformat(before[-1]["at"]) if before else T0
    span = max(0, int((last_at - lo).total_seconds() // 60) - 1)
    when = lo + dt.timedelta(minutes=data.draw(st.integers(0, span)))
    assert dump(STEP(case(*before), when)) == dump(STEP(case(*events), when))


@settings(max_examples=60, deadline=None)
@given(st.data(), st.integers(1, 9))
def test_step_over_a_prefix_is_the_state_at_that_event(data: st.DataObject, length: int) -> None:
    events = timeline(data, length)
    for k in range(len(events)):
        at = dt.datetime.fromisoformat(events[k]["at"])
        assert dump(STEP(case(*events[: k + 1]))) == dump(STEP(case(*events), at))


@settings(max_examples=40, deadline=None)
@given(st.data(), st.integers(1, 8))
def test_step_is_deterministic_and_statuses_are_known(data: st.DataObject, length: int) -> None:
    events = timeline(data, length)
    a, b = STEP(case(*events)), STEP(case(*events))
    assert dump(a) == dump(b)
    assert a.status in ("open", "arbitration", "overdue", "held", "merged", "closed", "reopened")
    # overdue is set exactly when the status says so
    assert (a.overdue is not None) == (a.status == "overdue")
    # notices listed as due are due by `at`, the next one after it
    assert all(n.due_at <= a.at for n in a.notices)
    assert a.next_notice is None or a.next_notice.due_at > a.at
