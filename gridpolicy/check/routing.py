"""Stage `routes`: where items go (tier, department, handlers), their time limits (`clocks`),
outcomes (`outcomes`) and escalation steps (`escalation`)."""

from __future__ import annotations

from ..model import Route
from ..syntax.nodes import Expr, Symbol
from .clocks import Limits, declared_times
from .context import Context
from .escalation import ABOVE, check_escalation
from .outcomes import RouteOutcome
from .props import Props
from .typer import Typer, condition
from .types import Ty

__all__ = ["ABOVE", "check_routes"]

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
        outcome = RouteOutcome(ctx, d, p, typer)
        if tier_expr is None and dept_expr is None and tprop is None and dprop is None and not cont \
                and outcome.needs_destination:
            ctx.rep.report("GP021", d.id_span, f"分流规则“{d.ident}”需要层级（tier）或承办部门（department）",
                           f"route '{d.ident}' needs a tier or a department")
        handlers = []
        for name, span, _ in p.names("handlers"):
            if name in ("matter", "事项") or ctx.ref(name, span, ctx.roles, ("角色", "role")):
                handlers.append("matter" if name in ("matter", "事项") else name)
        limit_spec, stages = declared_times(ctx, p, Limits(ctx, typer))
        limit = limit_spec.const if limit_spec is not None else None
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
                         tuple(assisting), limit_spec=limit_spec, stages=stages, outcome=outcome.outcome,
                         referral=outcome.referral, reason=outcome.reason, review=outcome.review,
                         referral_expr=outcome.referral_expr))
    if out and not any(r.condition is None and not r.cont for r in out):
        ctx.rep.report("GP058", out[-1].span, "没有兜底分流规则：每一件问题都必须有去处，请在最后加一条不带条件（when）的规则",
                       "no catch-all route: every issue must go somewhere; end with a route without 'when'")
    elif not out and ctx.src.decls:
        ctx.rep.report("GP058", ctx.src.decls[0].span, "规则集没有任何分流规则", "the policy has no routes")
    ctx.model["routes"] = tuple(out)
