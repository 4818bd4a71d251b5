"""Stage `header` and `tiers`: the policy header (name, version, routing mode, time zone) and
the chain of responsibility tiers, lowest level first."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from ..locality import LOCALITIES, ZH_LOCALITIES
from ..model import Header, Tier
from ..syntax.nodes import Span
from .context import Context
from .props import Props


def check_header(ctx: Context) -> None:
    decls = ctx.decls("policy")
    if not decls:
        first = ctx.src.decls[0].span if ctx.src.decls else Span(
            next(iter(ctx.src.texts), "<text>"), 1, 1, 1, 1)
        ctx.rep.report("GP057", first, "缺少规则集声明（policy …）",
                       "the policy header (policy ... { version ... }) is missing",
                       hint=("在第一个文件开头写：policy 名称 \"中文名\" { version \"1\" }",
                             "start the first file with: policy name \"title\" { version \"1\" }"))
        ctx.model["header"] = None
        return
    for extra in decls[1:]:
        ctx.rep.report("GP057", extra.span, f"规则集声明只能有一个（第一个在 {decls[0].span}）",
                       f"only one policy header allowed (first at {decls[0].span})")
    d = decls[0]
    p = Props(d, ctx.rep)
    routing = p.name("routing")
    mode = routing[0] if routing else "first"
    if mode not in ("first", "unique"):
        ctx.rep.report("GP023", routing[1] if routing else d.span,
                       "分流方式只能是 first（先匹配先得）或 unique（规则互不重叠）",
                       "routing must be 'first' or 'unique'")
    version = p.literal("version", "string", required=True)
    tz = p.literal("timezone", "string") or "Asia/Shanghai"
    try:
        ZoneInfo(tz)
    except Exception:
        ctx.rep.report("GP041", p.span("timezone"),
                       f"未知时区“{tz}”", f"unknown time zone '{tz}'")
    district_code = p.literal("district_code", "string") or ""
    if district_code and not (district_code.isascii() and district_code.isdigit() and len(district_code) <= 12):
        ctx.rep.report("GP041", p.span("district_code"), f"区划代码“{district_code}”应为不超过 12 位的数字",
                       f"district code '{district_code}' must be a division code of at most 12 digits")
    unknown = p.name("unknown_grid")
    unknown_grid = "reason"
    if unknown is not None:
        unknown_grid = UNKNOWN_GRID.get(unknown[0], "")
        if not unknown_grid:
            ctx.rep.unknown(unknown[1], "未知网格的处理方式（unknown_grid）", "unknown_grid handling", unknown[0],
                            list(UNKNOWN_GRID))
            unknown_grid = "reason"
    ctx.model["header"] = Header(d.ident or "policy", d.title or "", str(version or ""),
                                 p.strings("authority"), p.literal("effective", "date"), mode, tz, p.meta(),
                                 d.span, district_code, unknown_grid)


# What an unknown grid code is: a reason in the decision, or an input error.
UNKNOWN_GRID = {"reason": "reason", "说明": "reason", "error": "error", "报错": "error"}


def check_tiers(ctx: Context) -> None:
    decls = ctx.decls("tier")
    for d in ctx.unique(decls, ctx.tiers, ("层级", "tier")):
        p = Props(d, ctx.rep)
        level = p.literal("level", "number")
        ctx.tiers[d.ident] = Tier(d.ident, d.title, int(level) if level is not None else 0,
                                  p.meta(), d.span, _locality(ctx, p, d.ident))
    # Levels: given, or by order of declaration.
    tiers = list(ctx.tiers.values())
    if tiers and all(t.level == 0 for t in tiers):
        tiers = [replace(t, level=i) for i, t in enumerate(tiers, 1)]
    tiers.sort(key=lambda t: t.level)
    levels = [t.level for t in tiers]
    if len(set(levels)) != len(levels):
        dup = next(t for t in tiers if levels.count(t.level) > 1)
        ctx.rep.report("GP059", dup.span, f"层级级别 {dup.level} 重复", f"tier level {dup.level} used twice")
    ctx.tiers = {t.id: t for t in tiers}
    if not ctx.tiers and ctx.src.decls:
        ctx.rep.report("GP021", ctx.src.decls[0].span, "规则集没有声明任何层级（tier）",
                       "the policy declares no tiers")
    ctx.model["tiers"] = tuple(ctx.tiers.values())


def _locality(ctx: Context, p: Props, tier_id: str) -> str | None:
    """The registry level a tier stands for: given, else the level its id names (if any)."""
    loc = p.name("locality")
    if loc is None:
        return tier_id if tier_id in LOCALITIES else None
    word = ZH_LOCALITIES.get(loc[0], loc[0])
    if word not in LOCALITIES:
        ctx.rep.unknown(loc[1], "属地级别（locality）", "locality", loc[0], [*LOCALITIES, *ZH_LOCALITIES])
        return None
    return word
