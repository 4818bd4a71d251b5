"""Stage `catalogs`: named catalogues of entries."""

from __future__ import annotations

from ..model import Catalog
from ..syntax.nodes import Name
from .context import Context
from .props import Props


def check_catalogs(ctx: Context) -> None:
    decls = ctx.decls("catalog")
    out = []
    for d in ctx.unique(decls, {}, ("目录", "catalog")):
        p = Props(d, ctx.rep)
        entries = []
        for q in p.by_key.get("entry", []):
            for arg in q.args:
                key = arg.value.id if isinstance(arg.value, Name) else str(getattr(arg.value, "value", ""))
                entries.append((key, arg.label or key))
        out.append(Catalog(d.ident, d.title, tuple(entries), p.meta(), d.span))
    ctx.model["catalogs"] = tuple(out)
