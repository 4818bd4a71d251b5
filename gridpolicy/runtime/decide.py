"""Deciding: an item's values -> refused, or the deciding route with its tier, handlers,
department, deadline and escalation; the fields of the `Decision` (built by the facade)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from ..clock import exact_time
from ..contract import Item, Named, Reason
from ..engine.compiler import MatterState
from ..engine.program import Program
from ..model import Matter, PolicyModel, Route
from ..syntax.nodes import Duration
from .deadlines import Deadlines
from .gate import Gate
from .handling import Handling, _given
from .items import ItemValidator
from .matters import Matters
from .reasons import Refs


class Decider:
    """Decides items with a compiled program; every table and cache it reads is its own
    attribute (bound once here), so the hot path does no lookups through other objects."""

    def __init__(self, model: PolicyModel, program: Program, items: ItemValidator, matters: Matters,
                 deadlines: Deadlines, refs: Refs):
        self._tz = ZoneInfo(model.header.timezone)
        self.gate = gate = Gate(model, program, refs)
        self._gate_applies = gate.applies
        self._gate_check = gate.check
        self._gate_referral = gate.referral
        self._deadline = deadlines.deadline
        self._times = deadlines.times
        self._deadline_of = deadlines.deadline_of
        self._class_times = deadlines.class_times
        self._class_limits = deadlines.class_limits
        self._route_referrals = refs.route_referrals
        # Per route: its `refer` as a function of the item (None: constant or none) and the
        # `Referral` of each channel it can give.
        self._refer_fns = tuple(None if r.referral_expr is None else program.compiler.compile(r.referral_expr)
                                for r in model.routes)
        self._channel_referrals = refs.route_channel_referrals
        self._outcomes = tuple(r.outcome for r in model.routes)
        self._hold_review = tuple((r.review, refs.limit(r.review)) if r.review else None for r in model.routes)
        self._plain = items.plain_values
        self._values = items.values
        self._state_of = matters.state_of
        self._matter_of = matters.of
        self._class_traits = matters.class_traits
        self._class_handlers = matters.class_handlers
        handling = Handling(model, program, refs.tiers, refs.departments)
        self.handling = handling
        # Grids are checked (and a scope computed) only where the rules carry a registry.
        self._locate = handling.locate if handling.places else None
        self._handlers = handling.handlers
        self._local_parents = handling.local_parents
        self._localize = handling.localize
        self._dept_tiers = {d.id: d.tier for d in model.departments}
        self._scope_field = handling.scope_field
        self._admitted_list = {lst.id: lst.admission for lst in model.lists}
        self._no_matter = matters.none
        self._unlisted = matters.unlisted
        self._first = program.first
        self._destination = program.destination
        self._criteria = program.criteria
        self._trait_values = program.trait_values
        self._route_ids = program.route_ids
        self._route_list = model.routes
        self._add = deadlines.add
        self._escalation = deadlines.escalation
        self._calendar_reason = refs.calendar
        self._policy_ref = refs.policy
        self._tier_refs = refs.tiers
        self._role_refs = refs.roles
        self._dept_refs = refs.departments
        self._route_reasons = refs.routes
        self._criterion_reasons = refs.criteria
        self._list_reasons = refs.lists
        self._unlisted_reason = refs.unlisted
        fixed = program.fixed
        # `match`'s answer for each route with a fixed destination.
        self._answers = tuple(None if f is None or f[1] in handling.local_parents else (r.id, f[0])
                              for r, f in zip(model.routes, fixed))
        # What a decision by route i reuses: (route, its reason, its handlers' roles (None: from
        # the matter), (tier id, tier, department) if fixed, time limit, its `TimeLimit`,
        # dispatch, whether it escalates).
        self._by_route = tuple(
            (r, self._route_reasons[i],
             None if "matter" in r.handlers else tuple(self._role_refs_of(list(r.handlers))),
             None if f is None else (f[0], self._tier_refs[f[0]], self._dept_refs[f[1]] if f[1] else None),
             r.limit, refs.limit(r.limit) if r.limit else None, r.dispatch, bool(r.escalation))
            for i, (r, f) in enumerate(zip(model.routes, fixed)))

    def _admitted(self, matter: Matter) -> bool:
        return self._admitted_list[matter.list]

    def decide(self, item: Item | Mapping[str, Any], at: dt.datetime | None) -> dict[str, Any]:
        """The fields of the item's `Decision`; its handlers and escalation steps as dicts of
        their fields. Raises `ItemError` for a bad item."""
        tried = at is None and type(item) is dict
        values = self._plain(item) if tried else None  # type: ignore[arg-type]
        if values is None:
            values = self._values(item, at, plain_tried=tried)
        reported = values["reported_at"]
        when = at or reported
        query = values["matter"]
        if query is None:
            matter_ref, matter_reason, matter, state = self._no_matter
        else:
            matter_ref, matter_reason, matter, state = self._matter_of(query, when.astimezone(self._tz).date())
        values["matter"] = state
        reasons: list[Reason] = [matter_reason] if matter_reason is not None else []
        klass = state.klass
        if klass is not None and klass in self._class_traits:
            self._traits(klass, values, item)
        if self._locate is not None:
            self._locate(values, item, reasons)
        gate = None
        if self._gate_applies(values):
            refused, gate = self._gate_check(matter, state, values, self._trait_values, reasons,
                                             self._criterion_reasons, reported, when, self._add)
            if refused:
                dept = self._dept_refs[matter.owner] if matter and matter.owner else None
                return {
                    "item_id": values["id"], "kind": values["kind"], "outcome": "refuse", "matter": matter_ref,
                    "tier": None, "handlers": {"roles": [], "department": dept, "lead": None, "assisting": [],
                                               "unit": None},
                    "deadline": None, "time_limit": None, "escalation": [], "dispatch": "", "reasons": reasons,
                    "policy": self._policy_ref, "evaluated_at": exact_time(when),
                    "scope": self._tier_refs.get(values[self._scope_field]) if self._scope_field else None,
                    "stages": [], "referral": self._gate_referral, "hold": None, "gate": gate,
                    "calendar_estimated": False}
        i, matched = self._first(values)
        decided, reason, roles, fixed, limit, time_limit, dispatch, escalates = self._by_route[i]
        outcome = self._outcomes[i]
        if outcome == "redirect" or outcome == "refuse":
            for k in (*(matched or ()), i):
                reasons.append(self._route_reasons[k])
            return {
                "item_id": values["id"], "kind": values["kind"], "outcome": outcome, "matter": matter_ref,
                "tier": None, "handlers": {"roles": [], "department": None, "lead": None, "assisting": [],
                                           "unit": None},
                "deadline": None, "time_limit": None, "escalation": [], "dispatch": dispatch, "reasons": reasons,
                "policy": self._policy_ref, "evaluated_at": exact_time(when),
                "scope": self._tier_refs.get(values[self._scope_field]) if self._scope_field else None,
                "stages": [], "referral": self._referral(i, values), "hold": None, "gate": gate,
                "calendar_estimated": False}
        if fixed is None:
            tier_id, dept_id = self._destination(i, values)
            tier_ref, dept_ref = self._tier_refs[tier_id], self._dept_refs[dept_id] if dept_id else None
        else:
            tier_id, tier_ref, dept_ref = fixed
            dept_id = dept_ref.code if dept_ref is not None else None
        if dept_id in self._local_parents:  # a department chosen by locality (the street's 派出所)
            dept_id = self._localize(dept_id, values, reasons)
            tier_id = self._dept_tiers[dept_id]
            tier_ref, dept_ref = self._tier_refs[tier_id], self._dept_refs[dept_id]
        if matched is None:
            reasons.append(reason)
            role_list = list(roles) if roles is not None else self._role_refs_of(self.roles_of(decided, matter, klass))
        else:
            names: list[str] = []
            for k in (*matched, i):
                reasons.append(self._route_reasons[k])
                names += self.roles_of(self._route_list[k], matter, klass)
            role_list = self._role_refs_of(names)
        lead, assisting, unit = self._handlers(i, tier_id, dept_id, state, values)
        deadline = None
        stages: list[dict[str, Any]] = []
        steps: list[dict[str, Any]] = []
        estimated = False
        hold = None
        times = self._times[i]
        by_class = False
        if times is None and klass is not None and outcome == "handle" and klass in self._class_times:
            times = self._class_times[klass]  # the route declares no limit: the class's own
            time_limit = self._class_limits.get(klass)
            by_class = True
        if times is not None or escalates:
            local = reported.astimezone(self._tz)
            if type(times) is Duration:  # a constant limit: the fast path
                deadline, estimated = self._add(local, times)
                if estimated:
                    reasons.append(self._calendar_reason(deadline.year))
            elif times is not None:
                deadline, time_limit, stages, estimated = (
                    self._deadline_of(times, values, local, reasons) if by_class
                    else self._deadline(i, values, local, reasons))
            if escalates:
                steps = self._escalation(decided, tier_id, deadline or local, reasons)
        if outcome == "hold":
            review, review_limit = self._hold_review[i]  # type: ignore[misc]
            next_review, guessed = self._add(reported.astimezone(self._tz), review)
            estimated |= guessed
            hold = {"review": review_limit, "next_review": next_review}
        return {
            "item_id": values["id"], "kind": values["kind"], "outcome": outcome, "matter": matter_ref,
            "tier": tier_ref, "handlers": {"roles": role_list, "department": dept_ref, "lead": lead,
                                           "assisting": assisting, "unit": unit},
            "deadline": deadline, "time_limit": time_limit, "escalation": steps, "dispatch": dispatch,
            "reasons": reasons, "policy": self._policy_ref, "evaluated_at": exact_time(when),
            "scope": self._tier_refs.get(values[scope]) if (scope := self._scope_field) else None,
            "stages": stages, "referral": self._route_referrals[i] if self._refer_fns[i] is None
            else self._referral(i, values), "hold": hold, "gate": gate,
            "calendar_estimated": estimated}

    def _referral(self, i: int, values: dict[str, Any]) -> Any:
        """Route i's `Referral` for these values (its `refer` may depend on the item)."""
        fn = self._refer_fns[i]
        if fn is None:
            return self._route_referrals[i]
        return self._channel_referrals[i][fn(values)]  # type: ignore[index]

    def _traits(self, klass: str, values: dict[str, Any], item: Item | Mapping[str, Any]) -> None:
        """The values the item's class implies, for the fields the item leaves out."""
        for key, value in self._class_traits[klass]:
            if not _given(item, key):
                values[key] = value

    def match(self, item: Item | Mapping[str, Any], at: dt.datetime | None = None) -> tuple[str, str] | None:
        """Only the routing step of `route`: (deciding route id, tier code), or None when a
        task is refused. Validates the item like `route`; builds no `Decision`."""
        matter, values = self._condition_values(item, at)
        if self._gate_applies(values) and self.refusal(matter, values["matter"].status, values, []):
            return None
        i = self._first(values)[0]
        answer = self._answers[i]
        if answer is not None:
            return answer
        tier_id, dept_id = self._destination(i, values)
        if dept_id in self._local_parents:
            tier_id = self._dept_tiers[self._localize(dept_id, values, [])]
        return self._route_ids[i], tier_id

    def condition_values(self, item: Item | Mapping[str, Any], at: dt.datetime | None = None) -> dict[str, Any]:
        """The values the routes' conditions see for an item (its fields with defaults, the
        matter's state, its class's traits, its locality), for tools that explain a decision.
        Validates the item like `route`."""
        return self._condition_values(item, at)[1]

    def _condition_values(self, item: Item | Mapping[str, Any], at: dt.datetime | None
                          ) -> tuple[Matter | None, dict[str, Any]]:
        tried = at is None and type(item) is dict
        values = self._plain(item) if tried else None  # type: ignore[arg-type]
        if values is None:
            values = self._values(item, at, plain_tried=tried)
        query = values["matter"]
        matter, state = self._state_of(query, (at or values["reported_at"]).astimezone(self._tz).date())
        values["matter"] = state
        if state.klass is not None and state.klass in self._class_traits:
            self._traits(state.klass, values, item)
        if self._locate is not None:
            self._locate(values, item, [])
        return matter, values

    def refusal(self, matter: Matter | None, status: str, values: dict[str, Any],
                reasons: list[Reason]) -> bool:
        """Whether the gate refuses a task with these values (an exemption whose condition holds
        admits it: its period is not looked at here)."""
        state = values.get("matter")
        if not isinstance(state, MatterState) or state.status != status:
            state = MatterState(matter.code if matter else None, matter.list if matter else None,
                                matter.batch if matter else None, status, matter.owner if matter else None)
        far = dt.datetime(2199, 1, 1, tzinfo=dt.UTC)
        return self._gate_check(matter, state, values, self._trait_values, reasons, self._criterion_reasons,
                                far, far, lambda start, period: (start, False))[0]

    def roles_of(self, route: Route, matter: Matter | None, klass: str | None = None) -> list[str]:
        """The route's handler roles; `matter` stands for the listed matter's or the class's own."""
        out: list[str] = []
        for h in route.handlers:
            if h == "matter":
                out += matter.handlers if matter else self._class_handlers.get(klass, ()) if klass else []
            else:
                out.append(h)
        return out

    def _role_refs_of(self, roles: list[str]) -> list[Named]:
        """The handlers' role references, each once, in order."""
        role_refs = self._role_refs
        return [role_refs[r] for r in dict.fromkeys(roles)] if roles else []
