"""Rule tests of lifecycles: `case: {item: ..., events: [...]}` in the rule-test YAML files
(events in, state out), and what each such test exercises, for coverage."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .model import BLOCKS

if TYPE_CHECKING:
    from ..runtime import Policy


def run_case_test(policy: Policy, case: Any, at: dt.datetime | None) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The case state as JSON and the (kind, id) pairs it exercised: the first decision's
    reasons and tier, and `("lifecycle", "<lifecycle>.<block>")` for every block that acted
    (the overdue block when one of its notices fell due). Raises `CaseError` for a bad case."""
    state = policy.step(case, at)
    touched = [(r.kind, r.id) for r in state.reasons]
    if state.decision.tier is not None:
        touched.append(("tier", state.decision.tier.code))
    lc = next((x for x in policy.model.lifecycles if state.lifecycle and x.id == state.lifecycle.code), None)
    if lc is not None and lc.overdue is not None:
        ladder = {str(s.span) for s in lc.overdue.ladder}
        if any(n.source in ladder for n in [*state.notices]):
            touched.append(("lifecycle", f"{lc.id}.overdue"))
    return state.model_dump(mode="json"), touched


def targets(policy: Policy) -> list[tuple[str, str, Any]]:
    """(id, name, span) of every lifecycle block a complete rule-test suite exercises."""
    out = []
    for lc in policy.model.lifecycles:
        for block, zh in BLOCKS.items():
            rule = lc.rule(block)
            if rule is not None:
                out.append((f"{lc.id}.{block}", f"{lc.name} {zh}", rule.span))  # type: ignore[attr-defined]
    return out
