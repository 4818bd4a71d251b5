"""Catalogue analyses: classes without an owner (GP110) and classes a route names that an
earlier route always takes first (GP111)."""

from __future__ import annotations

from ..diagnostics import WARNING, Reporter
from ..model import PolicyModel
from ..syntax.nodes import Symbol
from .domain import Constraint, Domain, walk


def unowned(model: PolicyModel, rep: Reporter) -> None:
    """GP110: a class with no owner department: nobody answers for it (责任主体唯一)."""
    for c in model.classes:
        if c.owner is None:
            rep.report("GP110", c.span, f"小类“{c.id}”（{c.name}）没有主管部门（owner）：这类事项无人承担主体责任",
                       f"class '{c.id}' ({c.name}) has no owner department: nobody answers for such items",
                       severity=WARNING, hint=("写明 owner（主管部门）", "give the class an owner"))


def named_classes(model: PolicyModel, route_index: int) -> list[str]:
    """The classes route `route_index`'s condition names: by `matter.class`, by `matter == ...`
    / `matter in [...]` with a class, or all classes of a major class it names."""
    classes = {c.id: c for c in model.classes}
    out: dict[str, None] = {}
    for n in walk(model.routes[route_index].condition):
        if not isinstance(n, Symbol):
            continue
        if n.kind in ("class", "matter") and n.value in classes:
            out.setdefault(n.value, None)
        elif n.kind == "major":
            for c in model.classes:
                if c.major == n.value:
                    out.setdefault(c.id, None)
    return list(out)


def shadowed(d: Domain, rep: Reporter) -> None:
    """GP111: a route names a class, but every item of that class that the route matches is
    decided by an earlier route."""
    routes = d.model.routes
    for i, r in enumerate(routes):
        classes = named_classes(d.model, i)
        if not classes or d.search(d.decides(i))[0] != "found":
            continue  # names no class, or never fires at all (GP101 says so)
        for code in classes:
            states = d.class_states(code)
            verdict, _ = d.search([*d.decides(i), Constraint(frozenset({"matter"}), lambda _: True)],
                                  {"matter": states})
            if verdict == "found":
                continue
            by = []
            for j in range(i):
                if routes[j].cont:
                    continue
                v, _ = d.search([*d.decides(j), d.cond(i)], {"matter": states})
                if v == "found":
                    by.append(routes[j].id)
            if not by:
                continue  # the route's own condition excludes the class: not a shadow
            rep.report("GP111", r.span,
                       f"分流规则“{r.id}”点名了小类 {code}，但这类事项都先被前面的规则 {'、'.join(by)} 处理",
                       f"route '{r.id}' names class {code}, but earlier route(s) {', '.join(by)} decide every "
                       f"such item first", severity=WARNING,
                       hint=("把这条规则移到前面，或收窄前面的规则", "move this route up or narrow the earlier ones"))
