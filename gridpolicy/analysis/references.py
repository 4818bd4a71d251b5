"""GP105: roles and departments that nothing in the policy refers to (routes, matters, the
event catalogue, roles, department parents, field defaults)."""

from __future__ import annotations

from ..diagnostics import WARNING, Reporter
from ..model import PolicyModel
from ..syntax.nodes import Expr, Symbol
from .domain import reads, walk


def unused(model: PolicyModel, rep: Reporter) -> None:
    roles: set[str] = set()
    depts: set[str] = set()
    exprs: list[Expr | None] = [c.condition for c in model.criteria]
    for r in model.routes:
        exprs += [r.condition, r.tier, r.department]
        roles |= {h for h in r.handlers if h != "matter"}
        depts |= {s.department for s in r.escalation if s.department}
        exprs += list(r.assisting)
    for m in model.matters:
        roles |= set(m.handlers)
        if m.owner:
            depts.add(m.owner)
    for c in model.classes:  # the event catalogue's owners, assisting departments and handlers
        roles |= set(c.handlers)
        depts |= {*c.assisting, *((c.owner,) if c.owner else ())}
    depts |= {d.parent for d in model.departments if d.parent}
    for role in model.roles:
        if role.assigned_by:
            depts.add(role.assigned_by)
    for f in model.fields:
        if f.type == "department" and isinstance(f.default, str):
            depts.add(f.default)
        if f.type == "role" and isinstance(f.default, str):
            roles.add(f.default)
    for e in exprs:
        for n in walk(e):
            if isinstance(n, Symbol):
                (roles if n.kind == "role" else depts if n.kind == "department" else set()).add(n.value)
    # A route that sends work to a department-typed field can reach every department.
    dept_fields = {f.id for f in model.fields if f.type == "department"}
    via_field = any(reads(r.department) & dept_fields for r in model.routes)
    for role in model.roles:
        if role.id not in roles:
            rep.report("GP105", role.span, f"角色“{role.id}”（{role.name}）没有被任何事项或分流规则引用",
                       f"role '{role.id}' is referred to by no matter and no route", severity=WARNING)
    if via_field:
        return
    for dept in model.departments:
        if dept.id not in depts:
            rep.report("GP105", dept.span, f"部门“{dept.id}”（{dept.name}）没有被任何事项、角色或分流规则引用",
                       f"department '{dept.id}' is referred to by no matter, role or route", severity=WARNING)
