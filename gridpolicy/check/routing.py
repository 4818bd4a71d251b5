"""Stage `routes`: where items go (tier, department, handlers), their time limits and
escalation steps."""

from __future__ import annotations

from ..model import Escalation, Route
from ..syntax.nodes import Duration, Expr, Literal, Name, Symbol
from .context import Context
from .props import Props
from .typer import Typer, condition
from .types import Ty
from .values import check_duration

ABOVE = ("above", "上一级")

def check_routes(ctx: Context) -> None:
    decls = ctx.decls("route")
    out: list[Route] = []
    scope = ctx.item_names()
    for d in ctx.unique(decls, {}, ("分流规则", "route")):
        p = Props(d, ctx.rep)
        cond, text = condition(ctx, p, "when", scope, False)
        typer = Typer(ctx, scope, "item")
        tier_expr = None
        tprop = p.get("tier")
        if tprop is not None and (arg := p.one(tprop)) is not None:
            tier_expr, ty = typer.infer(arg.value, Ty("tier", tuple(ctx.tiers)))
            if ty.kind not in ("tier", "any"):
                ctx.type_error(arg.value, "层级", "a tier")
        dept_expr = None
        dprop = p.get("department")
        if dprop is not None and (arg := p.one(dprop)) is not None:
            dept_expr, ty = typer.infer(arg.value, Ty("department", tuple(ctx.departments)))
            if ty.kind not in ("department", "any"):
                ctx.type_error(arg.value, "部门", "a department")
        cont = bool(p.literal("continue", "bool"))
        if tier_expr is None and dept_expr is None and tprop is None and dprop is None and not cont:
            ctx.rep.report("GP021", d.id_span, f"分流规则“{d.ident}”需要层级（tier）或承办部门（department）",
                           f"route '{d.ident}' needs a tier or a department")
        handlers = []
        for name, span, _ in p.names("handlers"):
            if name in ("matter", "事项") or ctx.ref(name, span, ctx.roles, ("角色", "role")):
                handlers.append("matter" if name in ("matter", "事项") else name)
        limit = p.literal("limit", "duration")
        if limit is not None:
            check_duration(ctx, limit, p.span("limit"))
        route_level = ctx.tier_level(tier_expr.value) if isinstance(tier_expr, Symbol) else None
        if route_level is None and isinstance(dept_expr, Symbol):
            route_level = ctx.tier_level(ctx.departments[dept_expr.value].tier)
        escalation = check_escalation(ctx, p, route_level)
        assisting: list[Expr] = []
        for prop in p.by_key.get("assisting", []):
            for arg in prop.args:
                expr, ty = typer.infer(arg.value, Ty("department", tuple(ctx.departments)))
                if ty.kind not in ("department", "any"):
                    ctx.type_error(arg.value, "部门", "a department")
                else:
                    assisting.append(expr)
        out.append(Route(d.ident, d.title, cond, text, tier_expr, tuple(handlers), dept_expr, limit,
                         escalation, cont, p.literal("dispatch", "string") or "", p.meta(), d.span,
                         tuple(assisting)))
    if out and not any(r.condition is None and not r.cont for r in out):
        ctx.rep.report("GP058", out[-1].span, "没有兜底分流规则：每一件问题都必须有去处，请在最后加一条不带条件（when）的规则",
                       "no catch-all route: every issue must go somewhere; end with a route without 'when'")
    elif not out and ctx.src.decls:
        ctx.rep.report("GP058", ctx.src.decls[0].span, "规则集没有任何分流规则", "the policy has no routes")
    ctx.model["routes"] = tuple(out)


def check_escalation(ctx: Context, p: Props, level: int | None) -> tuple[Escalation, ...]:
    prop = p.get("escalate")
    if prop is None:
        return ()
    steps: list[Escalation] = []
    prev_level = level
    prev_after: Duration | None = None
    for arg in prop.args:
        if not (isinstance(arg.value, Literal) and arg.value.kind == "duration" and isinstance(arg.target, Name)):
            ctx.rep.report("GP023", arg.span, "升级写法：时长 -> 层级或部门，如 2 工作日 -> community",
                           "escalation is written: duration -> tier or department, e.g. 2 workdays -> community")
            continue
        after: Duration = arg.value.value
        check_duration(ctx, after, arg.value.span)
        target = arg.target.id
        tier = dept = None
        if target in ABOVE:
            tier = "above"
        elif target in ctx.tiers:
            tier = target
        elif ctx.department_names.resolve(target) is not None:
            dept = ctx.department_names.resolve(target)
        else:
            ctx.rep.unknown(arg.target.span, "层级或部门", "tier or department", target,
                            [*ctx.tiers, *ctx.department_names.known()])
            continue
        if tier:
            target_level = ctx.tier_level(tier if tier != "above" else None)
        else:
            assert dept is not None
            target_level = ctx.tier_level(ctx.departments[dept].tier)
        if tier != "above" and prev_level is not None and target_level <= prev_level:
            ctx.rep.report("GP053", arg.target.span,
                           f"升级目标“{target}”不高于上一级处理层级（应逐级向上）",
                           f"escalation to '{target}' is not above the tier before it")
        if prev_after is not None and _minutes(after) <= _minutes(prev_after):
            ctx.rep.report("GP053", arg.value.span, "升级时间应逐步加长",
                           "escalation steps must come later one after another")
        if tier != "above":
            prev_level = target_level
        prev_after = after
        steps.append(Escalation(after, tier, dept, arg.label or ""))
    return tuple(steps)


def _minutes(d: Duration) -> float:
    return d.amount * {"minutes": 1, "hours": 60, "days": 1440, "workdays": 1440 * 1.4}[d.unit]
