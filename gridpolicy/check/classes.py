"""Stage `classifications`: the event catalogue (事件/部件分类) — classifications, their major
classes (大类) and minor classes (小类) with owners, assisting departments, handlers, traits and
their own (staged) time limits (`limit`, `stages`, read as a route's: see `clocks`).

Runs after `lists`: a class's id, code, name and aliases join the keys an item's `matter` may
use, and a key that also names a listed matter (or another class) is an error (GP030).
"""

from __future__ import annotations

from ..catalogue import CLASS_TYPES, ZH_CLASS_TYPES, MatterKeys
from ..model import Classification, EventClass, MajorClass
from ..syntax.nodes import Decl
from .clocks import Limits, declared_times
from .context import Context
from .props import Props
from .typer import Typer
from .values import traits_of


def check_classifications(ctx: Context) -> None:
    out: list[Classification] = []
    for d in ctx.unique(ctx.decls("classification"), {}, ("分类", "classification")):
        p = Props(d, ctx.rep)
        t = p.name("type", required=True)
        ctype = "event"
        if t is not None:
            word = ZH_CLASS_TYPES.get(t[0], t[0])
            if word in CLASS_TYPES:
                ctype = word
            else:
                ctx.rep.unknown(t[1], "分类类型", "classification type", t[0], [*CLASS_TYPES, *ZH_CLASS_TYPES])
        majors: list[MajorClass] = []
        for m in ctx.unique([c for c in d.children if c.kind == "major"], ctx.majors, ("大类", "major")):
            mp = Props(m, ctx.rep)
            classes = tuple(check_class(ctx, c, m.ident, d.ident, ctype)
                            for c in ctx.unique([c for c in m.children if c.kind == "class"], ctx.classes,
                                                ("小类", "class")))
            for c in classes:
                ctx.classes[c.id] = c
            if not classes:
                ctx.rep.report("GP021", m.id_span, f"大类“{m.ident}”没有小类（class）",
                               f"major class '{m.ident}' has no classes")
            major = MajorClass(m.ident, m.title, mp.literal("code", "string") or "", d.ident, classes,
                               mp.meta(), m.span)
            ctx.majors[m.ident] = major
            majors.append(major)
        out.append(Classification(d.ident, d.title, ctype, p.literal("standard", "string") or "",
                                  tuple(majors), p.meta(), d.span))
    keys = MatterKeys(ctx.matters.values(), ctx.classes.values())
    for conflict in keys.conflicts:
        ctx.rep.report("GP030", conflict.span,
                       f"名称、代码或别名“{conflict.key}”同时指向 {conflict.first} 和 {conflict.second}",
                       f"name, code or alias '{conflict.key}' names both {conflict.first} and {conflict.second}")
    for key in keys:
        code = keys.code_of(key)
        if code is not None:
            ctx.matter_keys.setdefault(key, code)
    for c in ctx.classes.values():
        for key in c.keys:
            if keys.code_of(key) == c.id:
                ctx.class_keys.setdefault(key, c.id)
    # Major classes by id, code or name, for `matter.major == 市容环境`.
    for major in ctx.majors.values():
        for key in (major.id, major.code, major.name):
            if key:
                other = ctx.major_keys.setdefault(key, major.id)
                if other != major.id:
                    ctx.rep.report("GP030", major.span, f"大类名称或代码“{key}”同时属于 {other} 和 {major.id}",
                                   f"major class name or code '{key}' belongs to both {other} and {major.id}")
    ctx.model["classifications"] = tuple(out)


def check_class(ctx: Context, d: Decl, major: str, classification: str, ctype: str) -> EventClass:
    p = Props(d, ctx.rep)
    owner = p.name_or_string("owner")
    owner_id = ctx.department_ref(*owner) if owner else None
    assisting = []
    for name, span in p.names_or_strings("assisting"):
        dept = ctx.department_ref(name, span)
        if dept is not None and dept not in assisting:
            assisting.append(dept)
    handlers = [name for name, span, _ in p.names("handlers") if ctx.ref(name, span, ctx.roles, ("角色", "role"))]
    traits = traits_of(ctx, d)
    # The class's own (staged) limit, which may depend on the item like a route's.
    limit, stages = declared_times(ctx, p, Limits(ctx, Typer(ctx, ctx.item_names(), "item")), ("小类", "class"))
    return EventClass(d.ident, d.title, p.literal("code", "string") or "", major, classification, ctype,
                      p.strings("aliases"), owner_id, tuple(a for a in assisting if a != owner_id),
                      tuple(handlers), p.literal("register", "string") or "", p.literal("close", "string") or "",
                      traits, p.meta(), d.span, limit, stages)
