"""Deciding: an item's values -> refused, or the deciding route with its tier, handlers,
department, deadline and escalation; the fields of the `Decision` (built by the facade)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from ..contract import Item, Named, Reason
from ..engine.program import Program
from ..model import Matter, PolicyModel, Route
from .deadlines import Deadlines
from .items import ItemValidator
from .matters import Matters
from .reasons import Refs


class Decider:
    """Decides items with a compiled program; every table and cache it reads is its own
    attribute (bound once here), so the hot path does no lookups through other objects."""

    def __init__(self, model: PolicyModel, program: Program, items: ItemValidator, matters: Matters,
                 deadlines: Deadlines, refs: Refs):
        self._tz = ZoneInfo(model.header.timezone)
        self._plain = items.plain_values
        self._values = items.values
        self._find = matters.find
        self._matter_of = matters.of
        self._matter_parts = matters.parts
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
        self._answers = tuple(None if f is None else (r.id, f[0]) for r, f in zip(model.routes, fixed))
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
        values = self._plain(item) if at is None and type(item) is dict else None
        if values is None:
            values = self._values(item, at)
        reported = values["reported_at"]
        when = at or reported
        query = values["matter"]
        if query is None:
            matter_ref, matter_reason, matter, state = self._no_matter
        else:
            matter_ref, matter_reason, matter, state = self._matter_of(query, when.astimezone(self._tz).date())
        values["matter"] = state
        reasons: list[Reason] = [matter_reason] if matter_reason is not None else []
        if values["kind"] == "task" and self.refusal(matter, state.status, values, reasons):
            dept = self._dept_refs[matter.owner] if matter and matter.owner else None
            return {
                "item_id": values["id"], "kind": "task", "outcome": "refuse", "matter": matter_ref,
                "tier": None, "handlers": {"roles": [], "department": dept},
                "deadline": None, "time_limit": None, "escalation": [], "dispatch": "", "reasons": reasons,
                "policy": self._policy_ref, "evaluated_at": when}
        i, matched = self._first(values)
        decided, reason, roles, fixed, limit, time_limit, dispatch, escalates = self._by_route[i]
        if fixed is None:
            tier_id, dept_id = self._destination(i, values)
            tier_ref, dept_ref = self._tier_refs[tier_id], self._dept_refs[dept_id] if dept_id else None
        else:
            tier_id, tier_ref, dept_ref = fixed
        if matched is None:
            reasons.append(reason)
            role_list = list(roles) if roles is not None else self._role_refs_of(self.roles_of(decided, matter))
        else:
            names: list[str] = []
            for k in (*matched, i):
                reasons.append(self._route_reasons[k])
                names += self.roles_of(self._route_list[k], matter)
            role_list = self._role_refs_of(names)
        deadline = None
        steps: list[dict[str, Any]] = []
        if limit is not None or escalates:
            local = reported.astimezone(self._tz)
            if limit is not None:
                deadline, estimated = self._add(local, limit)
                if estimated:
                    reasons.append(self._calendar_reason(deadline.year))
            if escalates:
                steps = self._escalation(decided, tier_id, deadline or local, reasons)
        return {
            "item_id": values["id"], "kind": values["kind"], "outcome": "handle", "matter": matter_ref,
            "tier": tier_ref, "handlers": {"roles": role_list, "department": dept_ref}, "deadline": deadline,
            "time_limit": time_limit, "escalation": steps, "dispatch": dispatch, "reasons": reasons,
            "policy": self._policy_ref, "evaluated_at": when}

    def match(self, item: Item | Mapping[str, Any], at: dt.datetime | None = None) -> tuple[str, str] | None:
        """Only the routing step of `route`: (deciding route id, tier code), or None when a
        task is refused. Validates the item like `route`; builds no `Decision`."""
        values = self._plain(item) if at is None and type(item) is dict else None
        if values is None:
            values = self._values(item, at)
        query = values["matter"]
        matter = self._find(query) if query else None
        if matter is None:
            state = self._unlisted
        else:
            state = self._matter_parts(matter, (at or values["reported_at"]).astimezone(self._tz).date())[0]
        values["matter"] = state
        if values["kind"] == "task" and self.refusal(matter, state.status, values, []):
            return None
        i = self._first(values)[0]
        return self._answers[i] or (self._route_ids[i], self._destination(i, values)[0])

    def refusal(self, matter: Matter | None, status: str, values: dict[str, Any],
                 reasons: list[Reason]) -> bool:
        refused = False
        if matter is None or not self._admitted(matter):
            refused = True
            reasons.append(self._list_reasons[matter.list] if matter is not None else self._unlisted_reason)
        elif status != "in_force":
            refused = True
        # The criteria apply to the task as given and, for a matter that declares traits, to the
        # matter itself (a banned matter is refused naming the criterion that bans it).
        profile = self._trait_values.get(matter.code) if matter is not None else None
        for k, (_, fn) in enumerate(self._criteria):
            if fn(values) or (profile is not None and fn(profile)):
                refused = True
                reasons.append(self._criterion_reasons[k])
        return refused

    def roles_of(self, route: Route, matter: Matter | None) -> list[str]:
        out: list[str] = []
        for h in route.handlers:
            if h == "matter":
                out += matter.handlers if matter else []
            else:
                out.append(h)
        return out

    def _role_refs_of(self, roles: list[str]) -> list[Named]:
        """The handlers' role references, each once, in order."""
        role_refs = self._role_refs
        return [role_refs[r] for r in dict.fromkeys(roles)] if roles else []
