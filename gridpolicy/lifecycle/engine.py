"""The step engine: the first decision plus a case's events -> its `CaseState` as of a time.

Pure and deterministic: the state depends only on the policy, the case and `at` (default:
the last event's time). Events after `at` are checked but do not act, so the state at a time
never depends on what happened later. Every event is checked before anything is built: a
bad event raises `CaseError` and no state is returned (nothing is half-applied).

Jobs: `events` reads the case, `tables` holds the policy's references and clock, `apply`
applies each event to a `run.Run`, `snapshot` builds the state as of a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..contract import Decision, ItemError, ItemErrorDetail
from ..syntax.nodes import Duration
from .apply import apply
from .events import CaseError, Event, case_error, split_case
from .model import Lifecycle
from .run import Run, Stage, set_fields
from .snapshot import state
from .state import CaseState
from .tables import Tables

MAX_RUNS = 1024  # cases remembered per policy
MAX_ONCE = 4096  # cases noted as seen once
MAX_PRIMARIES = 8  # a primary merged into another, and so on

if TYPE_CHECKING:
    from ..runtime import Policy


class CaseEngine:
    """Steps cases under one policy's lifecycles."""

    def __init__(self, policy: Policy, lifecycles: tuple[Lifecycle, ...]):
        self.policy = policy
        self.lifecycles = lifecycles
        self.tables = Tables(policy, lifecycles)
        # A host steps a case again as its events come in, or asks where it stands now. By the
        # events of a case seen before (as plain values): the events, checked, and the case run
        # after all of them by what the run starts from (the first decision). A run is never
        # changed once applied; `snapshot` copies what it hands out.
        self._seen: dict[tuple[Any, ...], tuple[list[Event], dict[tuple[Any, ...], Run]]] = {}
        self._once: dict[tuple[Any, ...], None] = {}

    def step(self, case: Any, at: dt.datetime | None = None) -> CaseState:
        """The case's state as of `at` (default: its last event; with a primary, the later of
        the two cases' last events). Raises `CaseError` naming each bad field."""
        primary = case.get("primary") if isinstance(case, Mapping) else None
        return self.own(case, at) if primary is None else self.merged(case, primary, at, 1)

    def merged(self, case: Mapping[str, Any], primary: Any, at: dt.datetime | None, depth: int) -> CaseState:
        """A case with its primary (the case its `merged` event names): its own state, with the
        primary's state as of the same time when it is merged by then."""
        state = self.own(case, at)
        into = next((e.get("into") for e in split_case(case)[1] if e.type == "merged"), None)
        if into is None:
            raise case_error("primary", "只有合并的案件（有 merged 事件）才附带主案件 primary",
                             "only a merged case comes with its primary: the case has no merged event")
        if depth > MAX_PRIMARIES:
            raise case_error("primary", f"主案件嵌套过深（最多 {MAX_PRIMARIES} 层）",
                             f"primaries nest too deep (at most {MAX_PRIMARIES})")
        nested = primary.get("primary") if isinstance(primary, Mapping) else None
        try:
            first = self.own(primary, at) if nested is None else self.merged(primary, nested, at, depth + 1)
            if at is None and first.at < state.at:  # as of the same time: the later last event
                first = self.own(primary, state.at) if nested is None else self.merged(primary, nested, state.at,
                                                                                       depth + 1)
        except CaseError as exc:
            raise CaseError([_under("primary.", e) for e in exc.errors]) from None
        except ItemError as exc:  # the primary's item, as route() found it
            raise CaseError([_under("primary.item.", e) for e in exc.errors]) from None
        if first.case_id != into:
            raise case_error("primary.item.id", f"主案件应为合并事件所指的“{into}”，而不是“{first.case_id}”",
                             f"the primary must be the case the merged event names ('{into}'), not '{first.case_id}'")
        if at is None and state.at < first.at:
            state = self.own(case, first.at)
        if state.status == "merged":
            set_fields(state, primary=first)
        return state

    def own(self, case: Any, at: dt.datetime | None = None) -> CaseState:
        """The case's own state (a `primary` it carries is not looked at)."""
        t = self.tables
        seen = _events_key(case)  # the case's events as plain values, if it has the plain JSON shape
        try:
            known = self._seen.get(seen) if seen is not None else None
        except TypeError:  # a list or object among the values
            seen = known = None
        if known is None:
            item, events = split_case(case)
        else:  # these very events were checked before (for an item reported at the same time)
            item, events = case["item"], known[0]
        if at is not None and (at.tzinfo is None):
            raise case_error("at", "at 须带时区", "'at' needs an offset")
        decision = self.policy.route(dict(item) if not isinstance(item, dict) else item)
        when = at or (events[-1].at if events else decision.evaluated_at)
        if events and events[-1].at > when:
            run = self.start(decision)
            scratch: Run | None = None  # events after `when` are applied to a copy: checked, not shown
            for ev in events:
                if ev.at > when and scratch is None:
                    scratch = run.copy()
                apply(t, scratch or run, ev)
            return state(t, run, decision, when)
        start = _start_key(decision)
        ran = known[1].get(start) if known is not None else None
        if ran is None:
            ran = self.start(decision)
            for ev in events:
                apply(t, ran, ev)
            if seen is not None:
                self.remember(seen, known, events, start, ran)
        return state(t, ran, decision, when)

    def remember(self, seen: tuple[Any, ...], known: tuple[list[Event], dict[tuple[Any, ...], Run]] | None,
                 events: list[Event], start: tuple[Any, ...], ran: Run) -> None:
        """Keep the events and run of a case seen for the second time (a case seen once is only
        noted: remembering every case would keep all of them alive)."""
        if known is None:
            if seen not in self._once:
                if len(self._once) >= MAX_ONCE:
                    self._once.clear()
                self._once[seen] = None
                return
            if len(self._seen) >= MAX_RUNS:
                self._seen.clear()
            known = self._seen[seen] = (events, {})
        if len(known[1]) < 16:
            known[1][start] = ran

    def start(self, decision: Decision) -> Run:
        t = self.tables
        h = decision.handlers
        handler = {"lead": h.department, "assisting": list(h.assisting), "roles": list(h.roles),
                   "unit": t.unit(h.unit) if h.unit is not None else None, "tier": decision.tier}
        reasons = [t.decision_reason(r) for r in decision.reasons]
        if decision.outcome == "refuse":
            return Run(None, handler, [], "closed", None, reasons=reasons)
        route = next((r.id for r in reversed(decision.reasons) if r.kind == "route"), None)
        lc = t.by_route.get(route or "", t.catch_all)
        limit = Duration(decision.time_limit.amount, decision.time_limit.unit) if decision.time_limit else None
        # the first stage starts at the item's report time (the decision's clock start)
        stage = Stage("handle", decision.evaluated_at, decision.deadline, limit)
        run = Run(lc, handler, [stage], "open", limit, current=stage, handling=stage, reasons=reasons,
                  ladder=t.ladder_of(decision, lc) if lc is not None else ())
        if lc is not None:
            run.reasons.append(t.lifecycle_reasons[lc.id])
        return run


def _under(prefix: str, e: ItemErrorDetail) -> ItemErrorDetail:
    return ItemErrorDetail(path=prefix + e.path if e.path else prefix.rstrip("."), message_zh=e.message_zh,
                           message_en=e.message_en)


def _events_key(case: Any) -> tuple[Any, ...] | None:
    """The case's report time and events as hashable plain values, if it is plain JSON (dicts,
    lists, scalars), else None. Two cases with equal keys have the same checked events: besides
    `workdays` and `reasonable` (whose types are part of the key: True == 1 == 1.0), a field is
    valid only as text, which no other value equals, and times must be text."""
    if type(case) is not dict or len(case) > 2:
        return None
    item, events = case.get("item"), case.get("events", [])
    if type(item) is not dict or type(events) is not list or len(case) != 1 + ("events" in case):
        return None
    reported = item.get("reported_at")
    if type(reported) is not str:
        return None
    key: list[Any] = [reported]
    for raw in events:
        if type(raw) is not dict or type(raw.get("at")) is not str:
            return None
        key.append(tuple(raw.items()))
        if "workdays" in raw:
            key.append(type(raw["workdays"]))
        if "reasonable" in raw:
            key.append(type(raw["reasonable"]))
        if "until" in raw and type(raw["until"]) is not str:
            return None
    return (*key,)  # unhashable if a list or object is among the values


def _start_key(d: Decision) -> tuple[Any, ...]:
    """What `CaseEngine.start` reads of a decision."""
    h, limit = d.handlers, d.time_limit
    return (d.outcome, d.evaluated_at, d.deadline, limit.amount if limit else None, limit.unit if limit else None,
            h.department.code if h.department else None, tuple(r.code for r in h.roles),
            tuple(a.code for a in h.assisting), h.unit.code if h.unit else None,
            d.tier.code if d.tier else None, tuple((r.kind, r.id, r.source, r.text_zh) for r in d.reasons))


def step(policy: Policy, lifecycles: tuple[Lifecycle, ...], case: Mapping[str, Any],
         at: dt.datetime | None = None) -> CaseState:
    """`CaseEngine(policy, lifecycles).step(case, at)` (builds the engine each call)."""
    return CaseEngine(policy, lifecycles).step(case, at)


__all__ = ["CaseEngine", "CaseError", "step"]
