"""Outcomes beyond handling: referral channels (转介渠道), a route's `outcome` (redirect, hold,
refuse) and its `refer` (a channel, or `if(condition, channel, channel)`), and the admission gate (准入审查) with its exemptions.

GP092 a redirect without a channel; GP093 outcome properties that do not fit the outcome;
GP094 a gate exemption without a period; GP097 a second gate.
"""

from __future__ import annotations

from ..model import OUTCOMES, REFERRAL_KINDS, Exemption, Gate, Referral
from ..syntax.nodes import Call, Decl, Duration, Expr, Name, Symbol
from .clocks import IF
from .context import Context
from .props import Props
from .typer import Typer, condition


def check_referrals(ctx: Context) -> None:
    out: list[Referral] = []
    for d in ctx.unique(ctx.decls("referral"), {}, ("转介渠道", "referral")):
        p = Props(d, ctx.rep)
        kind = "other"
        k = p.name("kind")
        if k is not None:
            if k[0] in REFERRAL_KINDS:
                kind = k[0]
            else:
                ctx.rep.unknown(k[1], "渠道类别", "referral kind", k[0], REFERRAL_KINDS)
        dept = None
        dn = p.name("department")
        if dn is not None:
            dept = ctx.ref(dn[0], dn[1], ctx.departments, ("部门", "department"))
        out.append(Referral(d.ident, d.title, kind, p.literal("contact", "string") or "", dept, p.meta(), d.span))
    ctx.model["referrals"] = tuple(out)
    ctx.referrals = {r.id: r for r in out}  # type: ignore[attr-defined]


def referral_of(ctx: Context, p: Props) -> str | None:
    ref = p.name("refer")
    if ref is None:
        return None
    return ctx.ref(ref[0], ref[1], getattr(ctx, "referrals", {}), ("转介渠道", "referral"))


def referral_expr(ctx: Context, e: Expr, typer: Typer) -> Expr | None:
    """A route's `refer` that depends on the item: `if(condition, channel, channel)`, nested;
    typed, with each channel a `Symbol` of kind `referral` (None when reported)."""
    if isinstance(e, Name):
        found = ctx.ref(e.id, e.span, getattr(ctx, "referrals", {}), ("转介渠道", "referral"))
        return Symbol(e.span, "referral", found) if found else None
    if isinstance(e, Call) and e.func in IF and len(e.args) == 3 and not e.kwargs:
        cond, ty = typer.infer(e.args[0])
        typer.want(e.args[0], ty, ("bool",))
        a, b = referral_expr(ctx, e.args[1], typer), referral_expr(ctx, e.args[2], typer)
        return None if a is None or b is None else Call(e.span, "if", (cond, a, b))
    ctx.rep.report("GP023", e.span, "转介渠道写渠道名称，或 if(条件, 渠道一, 渠道二)",
                   "`refer` names a channel, or if(condition, channel, other channel)")
    return None



class RouteOutcome:
    """A route's outcome properties, checked together."""

    def __init__(self, ctx: Context, d: Decl, p: Props, typer: Typer | None = None):
        self.outcome = "handle"
        o = p.name("outcome")
        if o is not None:
            if o[0] in OUTCOMES:
                self.outcome = o[0]
            else:
                ctx.rep.unknown(o[1], "处理结果", "outcome", o[0], OUTCOMES)
        # `refer X`, or `refer if(condition, X, Y)` (the channel depends on the item).
        self.referral: str | None = None
        self.referral_expr: Expr | None = None
        prop = p.get("refer")
        arg = p.one(prop) if prop is not None else None
        if arg is not None and isinstance(arg.value, Call) and typer is not None:
            self.referral_expr = referral_expr(ctx, arg.value, typer)
        elif arg is not None:
            self.referral = referral_of(ctx, p)
        self.reason = p.literal("reason", "string") or ""
        self.review: Duration | None = p.literal("review", "duration")
        if self.outcome == "redirect" and p.get("refer") is None:
            ctx.rep.report("GP092", (o[1] if o else d.id_span), "转介（redirect）必须用 refer 写明去向渠道",
                           "a redirect must name its channel with `refer`")
        if self.outcome == "hold" and self.review is None:
            ctx.rep.report("GP093", (o[1] if o else d.id_span), "挂账（hold）必须用 review 写明复核周期",
                           "a hold must state its review interval with `review`")
        if self.review is not None and self.outcome != "hold":
            ctx.rep.report("GP093", p.span("review"), "复核周期（review）只用于挂账（outcome hold）",
                           "`review` is for `outcome hold` only")
        if self.outcome in ("redirect", "refuse"):
            for key in ("limit", "stages", "escalate", "handlers", "continue"):
                if p.get(key) is not None:
                    ctx.rep.report("GP093", p.span(key), f"转介或拒绝的规则不写“{key}”（事项不在此办理）",
                                   f"a {self.outcome} route takes no '{key}' (the item is not handled here)")
        if self.outcome == "hold":
            for key in ("limit", "stages", "escalate", "continue"):
                if p.get(key) is not None:
                    ctx.rep.report("GP093", p.span(key), f"挂账的规则不写“{key}”（按复核周期复核）",
                                   f"a hold route takes no '{key}' (it is reviewed every `review`)")
        if self.outcome == "handle" and p.get("refer") is not None:
            ctx.rep.report("GP093", p.span("refer"), "办理的规则不写转介渠道（refer 用于 redirect 或 refuse）",
                           "`refer` is for redirect or refuse routes")

    @property
    def needs_destination(self) -> bool:
        """Whether the route must name a tier or a department (handled or held here)."""
        return self.outcome in ("handle", "hold")


def check_gates(ctx: Context) -> None:
    decls = ctx.unique(ctx.decls("gate"), {}, ("准入审查", "gate"))
    out: list[Gate] = []
    for n, d in enumerate(decls):
        if n:
            ctx.rep.report("GP097", d.id_span, f"准入审查只能声明一个（第一个在 {decls[0].span}）",
                           f"only one gate may be declared (the first is at {decls[0].span})")
            continue
        p = Props(d, ctx.rep)
        scope = ctx.item_names()
        applies, applies_text = condition(ctx, p, "applies", scope, False)
        lists = []
        for name, span, _ in p.names("lists"):
            if ctx.ref(name, span, ctx.lists, ("清单", "list")):
                if not ctx.lists[name].admission:
                    ctx.rep.report("GP023", span, f"清单“{name}”不是准入清单（admission true）",
                                   f"list '{name}' is not an admission list")
                lists.append(name)
        if p.get("lists") is None:
            lists = [lid for lid, lst in ctx.lists.items() if lst.admission]
        criteria_decl = {c.id for c in ctx.model.get("criteria", ())}
        criteria = []
        for name, span, _ in p.names("criteria"):
            if name in criteria_decl:
                criteria.append(name)
            else:
                ctx.rep.unknown(span, "排除标准", "criterion", name, sorted(criteria_decl))
        if p.get("criteria") is None:
            criteria = [c.id for c in ctx.model.get("criteria", ())]
        exemptions = []
        for x in ctx.unique([c for c in d.children if c.kind == "exemption"], {}, ("豁免", "exemption")):
            xp = Props(x, ctx.rep)
            cond, text = condition(ctx, xp, "when", scope, True)
            period = xp.literal("period", "duration")
            if xp.get("period") is None:
                ctx.rep.report("GP094", x.id_span, f"豁免“{x.id}”必须用 period 写明期限（自上报起多久内适用）",
                               f"exemption '{x.id}' must state its period (how long after the report it holds)")
            if cond is not None and period is not None:
                exemptions.append(Exemption(x.ident, x.title, cond, text, period,
                                            xp.literal("basis", "string") or "", xp.meta(), x.span))
        out.append(Gate(d.ident, d.title, applies, applies_text, tuple(lists), tuple(criteria),
                        referral_of(ctx, p), p.literal("reason", "string") or "", tuple(exemptions), p.meta(), d.span))
    ctx.model["gates"] = tuple(out)


__all__ = ["RouteOutcome", "Typer", "check_gates", "check_referrals", "referral_expr",
           "referral_of"]
