"""GP107: exits that change no outcome (the old algorithm, kept as a test oracle)."""

from __future__ import annotations

from gridpolicy.diagnostics import WARNING, Reporter
from gridpolicy.engine.compiler import MatterState

from .domain import Constraint, Domain, reads, route_reads


def idle_exits(d: Domain, rep: Reporter) -> None:
    """An exit changes nothing if the matter has already expired, or if no item about it is
    decided differently once its status turns from in force to exited."""
    model = d.model
    by_code = {m.code: m for m in model.matters}
    for ex in model.exits:
        m = by_code.get(ex.matter)
        if m is None:
            continue
        if m.ends is not None and m.ends <= ex.date:
            rep.report("GP107", ex.span, f"退出 {ex.id} 无实际作用：事项 {m.code} 临时准入有效期至 {m.expires}（含当日），"
                       f"{ex.date} 退出时已到期",
                       f"exit {ex.id} changes nothing: matter {m.code} was valid through {m.expires} (inclusive), "
                       f"so it has expired by the exit on {ex.date}",
                       severity=WARNING)
            continue
        state = d.state_of.get((m.code, "in_force"))
        if state is None:
            continue
        exited = MatterState(state.code, state.list, state.batch, "exited", state.owner)
        d.assume(exited, d.matter_for(state))
        names = set(d.reach.reads)
        for r in model.routes:
            names |= route_reads(r)

        def differs(v: dict, exited: MatterState = exited) -> bool:
            return d.simulate(v).outcome != d.simulate(v | {"matter": exited}).outcome
        # A task admitted while the matter is in force is refused once it has exited.
        verdict, _ = d.search([d.reach], {"matter": [state], "kind": ["task"]})
        # Otherwise issues (which always reach the routes) change only if a route looks at the matter.
        looks = any("matter" in reads(r.condition) | reads(r.tier) | reads(r.department) for r in model.routes)
        if verdict != "found" and looks:
            verdict, _ = d.search([Constraint(frozenset(names), differs)], {"matter": [state]})
        changed, seen = verdict == "found", True
        if not changed and seen:
            zh_note, en_note = d.note(names, verdict == "none~")
            rep.report("GP107", ex.span,
                       f"退出 {ex.id} 不改变任何结果：事项 {m.code} 退出前后，所有问题和任务的处理都相同{zh_note}",
                       f"exit {ex.id} changes no outcome: every item about {m.code} is decided the same "
                       f"before and after it{en_note}", severity=WARNING)
