"""Escalation steps of a route: transfers (移交) and notices (催办, 督办, 通报, 约谈).

`escalate 2 workdays -> street` transfers; `1 workday -> remind(zhengfawei) "催办"` sends a
notice while the handler keeps the case. GP053 ("must go upward") applies to transfers; a
notice may go to a supervisor of the same tier (e.g. 区委政法委 supervising a district
department), never below the handler. Steps come later one after another (GP053).
"""

from __future__ import annotations

from ..model import Escalation
from ..syntax.nodes import Call, Duration, Literal, Name
from .context import Context
from .props import Props
from .values import check_duration

ABOVE = ("above", "上一级")
# Every spelling of a step kind -> its code.
KIND_NAMES: dict[str, str] = {
    "transfer": "transfer", "移交": "transfer",
    "remind": "remind", "催办": "remind",
    "supervise": "supervise", "督办": "supervise",
    "bulletin": "bulletin", "通报": "bulletin",
    "interview": "interview", "约谈": "interview",
}
KIND_ZH = {"transfer": "移交", "remind": "催办", "supervise": "督办", "bulletin": "通报", "interview": "约谈"}


def check_escalation(ctx: Context, p: Props, level: int | None) -> tuple[Escalation, ...]:
    prop = p.get("escalate")
    if prop is None:
        return ()
    steps: list[Escalation] = []
    handler_level = level  # the tier holding the case: transfers move it, notices do not
    prev_after: Duration | None = None
    for arg in prop.args:
        kind = "transfer"
        target = arg.target
        if isinstance(target, Call) and target.func in KIND_NAMES and len(target.args) == 1 and not target.kwargs:
            kind = KIND_NAMES[target.func]
            target = target.args[0]
        if not (isinstance(arg.value, Literal) and arg.value.kind == "duration" and isinstance(target, Name)):
            if isinstance(arg.target, Call) and arg.target.func not in KIND_NAMES:
                ctx.rep.unknown(arg.target.span, "升级方式", "escalation kind", arg.target.func,
                                [k for k in KIND_NAMES if k.isascii()] + [k for k in KIND_NAMES if not k.isascii()])
                continue
            ctx.rep.report("GP023", arg.span, "升级写法：时长 -> 层级或部门（移交），或 时长 -> 催办(部门)（督促），"
                                              "如 2 工作日 -> community、1 工作日 -> 催办(zhengfawei)",
                           "escalation is written: duration -> tier or department (a transfer), or duration -> "
                           "remind(department) (a notice), e.g. 2 workdays -> community, 1 workday -> remind(zfw)")
            continue
        after: Duration = arg.value.value
        check_duration(ctx, after, arg.value.span)
        name = target.id
        tier = dept = None
        if name in ABOVE:
            tier = "above"
        elif name in ctx.tiers:
            tier = name
        elif ctx.department_names.resolve(name) is not None:
            dept = ctx.department_names.resolve(name)
        else:
            ctx.rep.unknown(target.span, "层级或部门", "tier or department", name,
                            [*ctx.tiers, *ctx.department_names.known()])
            continue
        if tier:
            target_level = ctx.tier_level(tier if tier != "above" else None)
        else:
            assert dept is not None
            target_level = ctx.tier_level(ctx.departments[dept].tier)
        if tier != "above" and handler_level is not None:
            if kind == "transfer" and target_level <= handler_level:
                ctx.rep.report("GP053", target.span,
                               f"移交目标“{name}”不高于当前承办层级（移交应逐级向上；同级监督请用 催办/督办/通报/约谈）",
                               f"transfer to '{name}' is not above the tier holding the case (transfers go upward; "
                               "for same-tier supervision use remind/supervise/bulletin/interview)")
            elif kind != "transfer" and target_level < handler_level:
                ctx.rep.report("GP053", target.span, f"{KIND_ZH[kind]}对象“{name}”低于承办层级（督促应发给同级或上级）",
                               f"a {kind} notice to '{name}' goes below the tier holding the case")
        if prev_after is not None and _minutes(after) <= _minutes(prev_after):
            ctx.rep.report("GP053", arg.value.span, "升级时间应逐步加长",
                           "escalation steps must come later one after another")
        if kind == "transfer" and tier != "above":
            handler_level = target_level
        prev_after = after
        steps.append(Escalation(after, tier, dept, arg.label or "", kind))
    return tuple(steps)


_PER_UNIT = {"minutes": 1, "hours": 60, "urgent_hours": 60, "urgent_days": 1440, "days": 1440,
             "workdays": 1440 * 1.4, "workhours": 60 * 3.7}


def _minutes(d: Duration) -> float:
    """A rough common measure, for ordering steps of different units."""
    return d.amount * _PER_UNIT[d.unit]
