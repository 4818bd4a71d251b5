"""The admission gate at run time: whether a task may go to grids — on an admitting list, in
force, caught by no exclusion criterion — or admitted by an exemption within its period.

A policy that declares no `gate` has the implicit one: tasks (`kind == task`), every admission
list, every criterion; its reasons cite the first admission list's declaration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ..contract import ChannelRef, Named, Reason, Referral
from ..engine.compiler import MatterState
from ..engine.program import Program
from ..model import Matter, PolicyModel
from .reasons import Refs, make

Fn = Callable[[dict[str, Any]], Any]


class Gate:
    def __init__(self, model: PolicyModel, program: Program, refs: Refs):
        gate = model.gates[0] if model.gates else None
        self.declared = gate is not None
        compiler = program.compiler
        admitting = [lst for lst in model.lists if lst.admission]
        cite = str(gate.span) if gate else (str(admitting[0].span) if admitting else "")
        if gate is not None and gate.applies is not None:
            cond = compiler.condition(gate.applies)
            self.applies: Fn = cond
        else:
            self.applies = _is_task
        self.lists = frozenset(gate.lists) if gate else frozenset(lst.id for lst in admitting)
        wanted = set(gate.criteria) if gate else None
        self.criteria = tuple((k, fn) for k, (c, fn) in enumerate(program.criteria)
                              if wanted is None or c.id in wanted)
        self.code = gate.id if gate else "admission"
        self.name = gate.name if gate else "网格准入审查"
        self.referral: Referral | None = None
        if gate is not None and gate.referral:
            self.referral = make(Referral, {"channel": refs.channels[gate.referral], "reason": gate.reason,
                                            "source": str(gate.span)})
        names = "、".join(f"《{lst.name}》" for lst in model.lists if lst.id in self.lists) or "准入事项清单"
        self.unlisted = make(Reason, {
            "kind": "list", "id": "unlisted", "text_zh": f"未列入{names}的工作，不得下派网格",
            "text_en": "work not on an admission list may not be pushed down to grids", "source": cite})
        self.not_admitting = {
            lst.id: make(Reason, {"kind": "list", "id": lst.id,
                                  "text_zh": f"《{lst.name}》不是准入审查认可的准入清单，其中事项不能下派网格",
                                  "text_en": f"'{lst.id}' is not an admission list of the gate",
                                  "source": str(lst.span)})
            for lst in model.lists}
        self.exemptions = tuple(
            (compiler.condition(x.condition), x.period,
             make(Named, {"code": x.id, "name": x.name}),
             make(Reason, {"kind": "exemption", "id": x.id,
                           "text_zh": f"豁免「{x.name}」：{x.text}，自上报起 {x.period.text_zh}内立即执行，不受准入清单限制"
                                      + (f"（依据：{x.basis}）" if x.basis else ""),
                           "text_en": f"exemption '{x.id}' applies: {x.text}; carried out at once, within "
                                      f"{x.period} of the report", "source": str(x.span)}))
            for x in (gate.exemptions if gate else ()))

    def check(self, matter: Matter | None, state: MatterState, values: dict[str, Any],
              trait_values: dict[str, dict[str, Any]], reasons: list[Reason], criterion_reasons: list[Reason],
              reported: dt.datetime, when: dt.datetime, add: Callable[..., tuple[dt.datetime, bool]]
              ) -> tuple[bool, dict[str, Any]]:
        """(refused, the decision's `gate` fields); the reasons are appended."""
        for cond, period, named, reason in self.exemptions:
            if cond(values):
                until = add(reported, period)[0]
                if when <= until:
                    reasons.append(reason)
                    return False, {"code": self.code, "name": self.name, "passed": True, "exemption": named,
                                   "until": until}
        refused = False
        if matter is None:
            refused = True
            reasons.append(self.unlisted)
        elif matter.list not in self.lists:
            refused = True
            reasons.append(self.not_admitting[matter.list])
        elif state.status != "in_force":
            refused = True
        # The criteria apply to the task as given and, for a matter that declares traits, to the
        # matter itself (a banned matter is refused naming the criterion that bans it).
        profile = trait_values.get(matter.code) if matter is not None else None
        for k, fn in self.criteria:
            if fn(values) or (profile is not None and fn(profile)):
                refused = True
                reasons.append(criterion_reasons[k])
        return refused, {"code": self.code, "name": self.name, "passed": not refused, "exemption": None,
                         "until": None}


def _is_task(values: dict[str, Any]) -> bool:
    return values["kind"] == "task"


__all__ = ["ChannelRef", "Gate"]
