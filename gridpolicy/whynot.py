"""Why not: for an item, every route before the deciding one, with the part of its condition
that did not hold and the values that part saw (the studio shows it beside the decision)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .runtime import Policy
from .syntax.nodes import Attr, Binary, Expr, Name, walk
from .syntax.printer import expr_text


@dataclass(frozen=True)
class Clause:
    """One part (conjunct) of a route's condition that was false, and what it saw."""

    text: str
    values: tuple[tuple[str, str], ...]  # (name as written, value shown)


@dataclass(frozen=True)
class Miss:
    """A route before the deciding one: it did not apply (`clauses` say why), or it applied and
    let matching go on (`continued`)."""

    route: str
    name: str
    line: int
    file: str
    continued: bool
    clauses: tuple[Clause, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"route": self.route, "name": self.name, "file": self.file, "line": self.line,
                "continued": self.continued,
                "clauses": [{"text": c.text, "values": [list(v) for v in c.values]} for c in self.clauses]}


def conjuncts(e: Expr) -> list[Expr]:
    """The parts of `a and b and c`, left to right."""
    if isinstance(e, Binary) and e.op == "and":
        return [*conjuncts(e.left), *conjuncts(e.right)]
    return [e]


def show(value: Any) -> str:
    """A value as a person reads it: a matter state by its code and status, None as —."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是 true" if value else "否 false"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    code = getattr(value, "code", None)
    if code is not None or hasattr(value, "status"):
        status = getattr(value, "status", None)
        return f"{code or '—'}" + (f"（{status}）" if status else "")
    if isinstance(value, list | tuple | set | frozenset):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)


def why_not(policy: Policy, item: Mapping[str, Any], at: dt.datetime | None = None) -> list[Miss]:
    """The routes tried before the one that decides `item`, in order. Empty when the first
    route decides it, or when the admission gate refuses it before routing. Raises `ItemError`
    for a bad item, like `route`."""
    values = policy.decider.condition_values(item, at)
    program = policy.program
    decided, _ = program.first(values)
    compiler = program.compiler
    out: list[Miss] = []
    for k, route in enumerate(policy.model.routes[:decided]):
        if route.condition is None:
            continue
        if route.cont and program.condition(k)(values):
            out.append(Miss(route.id, route.name, route.span.line, route.span.file, True, ()))
            continue
        failed = []
        for part in conjuncts(route.condition):
            if compiler.condition(part)(values):
                continue
            seen: dict[str, str] = {}
            inner = {id(n.obj) for n in walk(part) if isinstance(n, Attr)}  # `matter` of `matter.class`
            for node in walk(part):
                if isinstance(node, Name | Attr) and id(node) not in inner:
                    text = expr_text(node)
                    if text not in seen:
                        try:
                            seen[text] = show(compiler.compile(node)(values))
                        except Exception:  # a name the compiler reads only inside a larger form
                            continue
            failed.append(Clause(expr_text(part), tuple(seen.items())))
        out.append(Miss(route.id, route.name, route.span.line, route.span.file, False, tuple(failed)))
    return out
