"""Stages `departments` and `roles`: who handles work, and at which tier."""

from __future__ import annotations

from ..model import Department, Role
from .context import Context
from .props import Props

ROLE_CATEGORIES = ("leader", "staff", "auxiliary", "other")

def check_departments(ctx: Context) -> None:
    decls = ctx.decls("department")
    for d in ctx.unique(decls, ctx.departments, ("部门", "department")):
        p = Props(d, ctx.rep)
        tier = p.name("tier", required=True)
        tier_id = ctx.ref(*tier, ctx.tiers, ("层级", "tier")) if tier else None
        ctx.departments[d.ident] = Department(d.ident, d.title, tier_id or "",
                                           p.literal("short", "string") or "", p.meta(), d.span)
    ctx.model["departments"] = tuple(ctx.departments.values())


def check_roles(ctx: Context) -> None:
    decls = ctx.decls("role")
    for d in ctx.unique(decls, ctx.roles, ("角色", "role")):
        p = Props(d, ctx.rep)
        cat = p.name("category")
        category = cat[0] if cat else "staff"
        if cat and category not in ROLE_CATEGORIES:
            ctx.rep.unknown(cat[1], "角色类别", "role category", category, ROLE_CATEGORIES)
        by = p.name("assigned_by")
        dept = ctx.ref(*by, ctx.departments, ("部门", "department")) if by else None
        t = p.name("tier")
        tier = ctx.ref(*t, ctx.tiers, ("层级", "tier")) if t else None
        ctx.roles[d.ident] = Role(d.ident, d.title, category, dept, tier, p.meta(), d.span)
    ctx.model["roles"] = tuple(ctx.roles.values())
