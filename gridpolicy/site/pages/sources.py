"""The sources page: every document the rule files cite, by section, with issuer, date and a
link where a public copy exists. Citations on the other pages link here."""

from __future__ import annotations

from ..context import Context
from ..markdown import cell, link, text
from ..sources import KINDS
from .common import head


def build(ctx: Context) -> dict[str, str]:
    lines = head("出处 Sources",
                 "规则文件中的假设和说明引用的公开资料：每条列出标题、发布机关、日期和可公开访问的链接（如有）。"
                 "链接指向第三方网站，内容以原发布机关为准。 The public documents the rule files cite: title, "
                 "issuing body, date and a public link where one exists. Links lead to third-party sites; the "
                 "issuing body's own text prevails.")
    src = ctx.sources
    if src is None:
        return {"sources.md": "\n".join([*lines, "本规则集没有出处文件（sources.yaml）。 No sources file.", ""])}
    lines += [f"以下各节对应规则文件中的引用 {text(src.document)} §x.y。 {cell(src.title)}", "",
              "可信度 Kind：" + "；".join(f"**{k}** {v}" for k, v in KINDS.items()), ""]
    for key in sorted(src.sections, key=lambda k: [int(x) for x in k.split(".")]):
        sec = src.sections[key]
        lines += [f"## §{key} {text(sec.title)} {{ #{src.section_anchor(key)} }}", "",
                  '<div class="gp-rows" markdown>', ""]
        for s in sec.sources:
            title = link(s.title, s.url) if s.url else text(s.title)
            facts = [x for x in (text(s.issuer), s.date) if x]
            where = "" if s.url else " · 未找到公开链接 no public link found"
            lines.append(f"- **{title}** · {' · '.join(facts) + ' · ' if facts else ''}`{s.kind}`{where}")
        lines += ["", "</div>", ""]
    return {"sources.md": "\n".join(lines)}
