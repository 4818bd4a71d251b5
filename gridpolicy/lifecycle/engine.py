"""The step engine: the first decision plus a case's events -> its `CaseState` as of a time.

Pure and deterministic: the state depends only on the policy, the case and `at` (default:
the last event's time). Events after `at` are checked but do not act, so the state at a time
never depends on what happened later. Every event is checked before anything is built: a
bad event raises `CaseError` and no state is returned (nothing is half-applied).

Jobs: `events` reads the case, `tables` holds the policy's references and clock, `apply`
applies each event to a `run.Run`, `snapshot` builds the state as of a time.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..contract import Decision
from ..syntax.nodes import Duration
from .apply import apply
from .events import CaseError, case_error, split_case
from .model import Lifecycle
from .run import Run, Stage
from .snapshot import state
from .state import CaseState
from .tables import Tables

if TYPE_CHECKING:
    from ..runtime import Policy


class CaseEngine:
    """Steps cases under one policy's lifecycles."""

    def __init__(self, policy: Policy, lifecycles: tuple[Lifecycle, ...]):
        self.policy = policy
        self.lifecycles = lifecycles
        self.tables = Tables(policy, lifecycles)

    def step(self, case: Any, at: dt.datetime | None = None) -> CaseState:
        item, events = split_case(case)
        if at is not None and (at.tzinfo is None):
            raise case_error("at", "at 须带时区", "'at' needs an offset")
        decision = self.policy.route(dict(item) if not isinstance(item, dict) else item)
        when = at or (events[-1].at if events else decision.evaluated_at)
        t = self.tables
        run = self.start(decision)
        scratch: Run | None = None  # events after `when` are applied to a copy: checked, not shown
        for ev in events:
            if ev.at > when and scratch is None:
                scratch = copy.deepcopy(run)
            apply(t, scratch or run, ev)
        return state(t, run, decision, when)

    def start(self, decision: Decision) -> Run:
        t = self.tables
        handler = {"lead": decision.handlers.department, "assisting": [], "roles": list(decision.handlers.roles),
                   "unit": None, "tier": decision.tier}
        reasons = [t.decision_reason(r) for r in decision.reasons]
        if decision.outcome == "refuse":
            return Run(None, handler, [], "closed", None, reasons=reasons)
        route = next((r.id for r in reversed(decision.reasons) if r.kind == "route"), None)
        lc = t.by_route.get(route or "", t.catch_all)
        limit = Duration(decision.time_limit.amount, decision.time_limit.unit) if decision.time_limit else None
        # the first stage starts at the item's report time (the decision's clock start)
        stage = Stage("handle", decision.evaluated_at, decision.deadline, limit)
        run = Run(lc, handler, [stage], "open", limit, current=stage, handling=stage, reasons=reasons)
        if lc is not None:
            run.reasons.append(t.lifecycle_reasons[lc.id])
        return run


def step(policy: Policy, lifecycles: tuple[Lifecycle, ...], case: Mapping[str, Any],
         at: dt.datetime | None = None) -> CaseState:
    """`CaseEngine(policy, lifecycles).step(case, at)` (builds the engine each call)."""
    return CaseEngine(policy, lifecycles).step(case, at)


__all__ = ["CaseEngine", "CaseError", "step"]
