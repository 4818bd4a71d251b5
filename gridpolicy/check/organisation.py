"""Stages `departments` and `roles`: who handles work, and at which tier."""

from __future__ import annotations

from dataclasses import replace

from ..departments import DEFAULT_KIND, DEPARTMENT_KINDS, ZH_DEPARTMENT_KINDS, DepartmentNames, hierarchy_problems
from ..model import Department, Role
from .context import Context
from .props import Props

ROLE_CATEGORIES = ("leader", "staff", "auxiliary", "other")

def check_departments(ctx: Context) -> None:
    decls = ctx.decls("department")
    parents = {}
    for d in ctx.unique(decls, ctx.departments, ("部门", "department")):
        p = Props(d, ctx.rep)
        tier = p.name("tier", required=True)
        tier_id = ctx.ref(*tier, ctx.tiers, ("层级", "tier")) if tier else None
        k = p.name("kind")
        kind = DEFAULT_KIND
        if k is not None:
            kind = ZH_DEPARTMENT_KINDS.get(k[0], k[0])
            if kind not in DEPARTMENT_KINDS:
                ctx.rep.unknown(k[1], "部门类别（kind）", "department kind", k[0],
                                [*DEPARTMENT_KINDS, *ZH_DEPARTMENT_KINDS])
                kind = DEFAULT_KIND
        parents[d.ident] = p.name_or_string("parent")
        area = p.strings("area")
        if area and p.get("parent") is None:
            ctx.rep.report("GP082", p.span("area"), f"部门“{d.ident}”写了辖区（area），还须用 parent 写明上级部门：辖区内上级部门的工作由它承办",
                           f"department '{d.ident}' has an `area`: name its `parent`, whose work in the area it takes")
        ctx.departments[d.ident] = Department(d.ident, d.title, tier_id or "",
                                           p.literal("short", "string") or "", p.meta(), d.span, kind,
                                           area=area)
    # Names (id, Chinese name, short name) must each name one department (GP081).
    names = ctx.department_names = DepartmentNames(ctx.departments.values())
    for clash in names.clashes:
        ctx.rep.report("GP081", clash.span, f"名称“{clash.name}”同时指向部门 {clash.first} 和 {clash.second}",
                       f"the name '{clash.name}' refers to both departments {clash.first} and {clash.second}")
    # Parents, by any of their names; then the hierarchy as a whole (GP080).
    for dept_id, parent in parents.items():
        if parent is None:
            continue
        found = names.resolve(parent[0])
        ctx.departments[dept_id] = replace(ctx.departments[dept_id], parent=found or parent[0])
    spans = {dept_id: parent[1] for dept_id, parent in parents.items() if parent is not None}
    for problem in hierarchy_problems(ctx.departments.values(), ctx.tier_level):
        span = spans.get(problem.department, problem.span)
        if problem.kind == "unknown_parent":
            ctx.rep.unknown(span, "上级部门", "parent department", problem.parent, names.known(), code="GP080")
        elif problem.kind == "parent_below":
            ctx.rep.report("GP080", span, f"上级部门 {problem.parent} 的层级低于部门 {problem.department}",
                           f"parent department {problem.parent} is on a lower tier than {problem.department}")
        else:
            ctx.rep.report("GP080", span, f"部门 {problem.department} 的上级部门链条成环（经过 {problem.parent}）",
                           f"the parent chain of department {problem.department} is a cycle (through {problem.parent})")
    ctx.model["departments"] = tuple(ctx.departments.values())


def check_roles(ctx: Context) -> None:
    decls = ctx.decls("role")
    for d in ctx.unique(decls, ctx.roles, ("角色", "role")):
        p = Props(d, ctx.rep)
        cat = p.name("category")
        category = cat[0] if cat else "staff"
        if cat and category not in ROLE_CATEGORIES:
            ctx.rep.unknown(cat[1], "角色类别", "role category", category, ROLE_CATEGORIES)
        by = p.name_or_string("assigned_by")
        dept = ctx.department_ref(*by) if by else None
        t = p.name("tier")
        tier = ctx.ref(*t, ctx.tiers, ("层级", "tier")) if t else None
        ctx.roles[d.ident] = Role(d.ident, d.title, category, dept, tier, p.meta(), d.span)
    ctx.model["roles"] = tuple(ctx.roles.values())
