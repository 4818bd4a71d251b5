"""GP106: list entries whose dates mean they are never in force; GP107: exits that change
no outcome."""

from __future__ import annotations

import datetime as dt

from ..compiler import MatterState
from ..diagnostics import WARNING, Reporter
from ..model import Matter, PolicyModel
from .domain import Domain


def _end(model: PolicyModel, m: Matter) -> tuple[dt.date | None, str]:
    ex = next((e for e in model.exits if e.matter == m.code), None)
    ends = [(d, why) for d, why in ((m.expires, "expires"), (ex.date if ex else None, "exit")) if d is not None]
    return min(ends) if ends else (None, "")


def never_in_force(model: PolicyModel, rep: Reporter) -> None:
    start_policy = model.header.effective
    for m in model.matters:
        end, why = _end(model, m)
        if end is None:
            continue
        start = m.effective
        what = {"expires": ("临时准入到期", "its expiry"), "exit": ("退出", "its exit")}[why]
        if start is not None and end <= start:
            rep.report("GP106", m.span, f"事项 {m.code}「{m.name}」{start} 起施行，但 {end} 已{what[0]}，从未生效",
                       f"matter {m.code} takes effect on {start} but {what[1]} is on {end}: never in force",
                       severity=WARNING)
        elif start_policy is not None and end <= start_policy:
            rep.report("GP106", m.span,
                       f"事项 {m.code}「{m.name}」在 {end} 已{what[0]}，早于本规则集施行日 {start_policy}，在本规则集下从未生效",
                       f"matter {m.code} ends ({what[1]}, {end}) before the policy takes effect on "
                       f"{start_policy}: never in force under it", severity=WARNING)


def idle_exits(d: Domain, rep: Reporter) -> None:
    """An exit changes nothing if the matter has already expired, or if no item about it is
    decided differently once its status turns from in force to exited."""
    model = d.model
    by_code = {m.code: m for m in model.matters}
    for ex in model.exits:
        m = by_code.get(ex.matter)
        if m is None:
            continue
        if m.expires is not None and m.expires <= ex.date:
            rep.report("GP107", ex.span, f"退出 {ex.id} 无实际作用：事项 {m.code} 已于 {m.expires} 临时准入到期",
                       f"exit {ex.id} changes nothing: matter {m.code} already expired on {m.expires}",
                       severity=WARNING)
            continue
        changed = False
        seen = 0
        rep_state = d.state_of.get((m.code, "in_force"))
        for s in d.samples:
            if rep_state is None or s.values["matter"] is not rep_state:
                continue
            seen += 1
            values = dict(s.values)
            state: MatterState = values["matter"]
            values["matter"] = MatterState(state.code, state.list, state.batch, "exited", state.owner)
            if d.simulate(values, m).outcome != s.outcome:
                changed = True
                break
        if not changed and seen:
            zh_note, en_note = d.note(set(d.read))
            rep.report("GP107", ex.span,
                       f"退出 {ex.id} 不改变任何结果：事项 {m.code} 退出前后，所有问题和任务的处理都相同{zh_note}",
                       f"exit {ex.id} changes no outcome: every item about {m.code} is decided the same "
                       f"before and after it{en_note}", severity=WARNING)
