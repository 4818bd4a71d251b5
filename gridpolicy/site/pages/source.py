"""Each rule file as a page with line anchors, the target of every "Source" link."""

from __future__ import annotations

from ..context import Context, display_name, source_page
from ..markdown import MARKER, code, fenced


def build(ctx: Context) -> dict[str, str]:
    out = {}
    for file, body in sorted(ctx.m.sources.items()):
        out[source_page(file)] = "\n".join([
            f"# 规则文件 {code(display_name(file))}", "", MARKER, "",
            "各页面中的“定义位置”链接指向本页的行号。 The 'Source' links on other pages point at lines here.", "",
            *fenced(body, 'gridpolicy linenums="1"'), ""])
    return out
