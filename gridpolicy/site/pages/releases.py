"""The release history: every sealed release, who approved it, from when, what changed in
words (the semantic diff kept in its manifest), and the matters' statuses as of its date."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..context import STATUS, Context
from ..markdown import anchor, cell, code, text
from .common import head


def build(ctx: Context) -> dict[str, str]:
    lines = head("发布版本 Release history",
                 "每个版本由区委政法委批准后封存发布，自生效日期起施行；事项按上报时的有效版本办理。 Each release is "
                 "approved and sealed, in force from its effective date; an item is decided under the release in "
                 "force when it was reported.")
    bundles = list(ctx.releases)
    if not bundles:
        lines += ["尚无封存发布的版本；本站由规则文件夹直接生成（起草中的规则）。 No sealed release yet: these pages "
                  "come straight from the rule folder (the rules as drafted).", "",
                  "发布方法见 [规则发布](../guide/releases.md)。 See the releases guide.", ""]
        return {"releases.md": "\n".join(lines)}
    ordered = sorted(bundles, key=lambda b: (b.effective, b.manifest["created_at"]), reverse=True)
    in_force = next((b for b in ordered if b.effective <= ctx.as_of), None)
    lines += ["| 版本 Version | 生效 Effective | 批准 Approved by | 文号 Reference | 状态 Status |",
              "| --- | --- | --- | --- | --- |"]
    for b in ordered:
        state = ("✅ 现行 in force" if b is in_force else "🕒 待施行 upcoming" if b.effective > ctx.as_of
                 else "已被取代 superseded")
        lines.append(f"| [{text(b.version)}](#{anchor('release', b.version)}) | {b.effective.isoformat()} | "
                     f"{cell(b.manifest['approved_by'])} | {cell(b.manifest['ref'])} | {state} |")
    lines += ["", f"状态按 {ctx.as_of.isoformat()} 计。 Status as of {ctx.as_of.isoformat()}.", "",
              '<div class="gp-cards" markdown>', ""]
    for b in ordered:
        lines += _release(ctx, b)
    lines += ["</div>", ""]
    return {"releases.md": "\n".join(lines)}


def _release(ctx: Context, b: Any) -> list[str]:
    m = b.manifest
    sig = f"已签名 signed（密钥 key {code(b.signature['key_id'])}）" if b.signature else "未签名 unsigned"
    out = [f"## {text(b.version)} {{ #{anchor('release', b.version)} }}", "",
           f"- **生效日期 Effective：** {b.effective.isoformat()}",
           f"- **批准机关 Approved by：** {cell(m['approved_by'])}",
           f"- **文号 Reference：** {cell(m['ref'])}",
           f"- **摘要 Digest：** {code(b.digest[:16])}；{sig}；gridpolicy {text(m['tool_version'])}",
           f"- **规则测试 Rule tests：** {m['tests']['passed']}/{m['tests']['total']} 通过 passed"
           + (f"；覆盖率 coverage {m['coverage']:.1f}%" if m.get("coverage") is not None else ""), ""]
    if m.get("notes"):
        out += ["**发布说明 Notes：**", "", *[f"> {text(line)}" if line.strip() else ">"
                                          for line in str(m["notes"]).splitlines()], ""]
    prev = m.get("previous")
    if prev:
        changes = (m.get("diff") or {}).get("changes") or []
        out += [f"**与 {text(prev['version'])} 相比的变化 Changes since {text(prev['version'])}：**"
                f"{len(changes)} 处 change(s)", ""]
        out += [f"- {text(c['text_zh'])}<br>{text(c['text_en'])}" for c in changes] or ["- 规则内容没有变化 no change"]
        im = m.get("impact") or {}
        if im:
            out += ["", f"样例影响 Impact: {im.get('changed', 0)}/{im.get('items', 0)} 件样例处理结果不同 sample items "
                        "decided differently"]
        out.append("")
    else:
        out += ["首个发布版本。 The first release.", ""]
    out += _statuses(ctx, b)
    return out


def _statuses(ctx: Context, b: Any) -> list[str]:
    """The admission matters' statuses on the release's own effective date, under its rules."""
    policy = ctx.release_policy(b)
    counts: Counter[str] = Counter()
    rows = []
    for mt in policy.matters:
        lst = next((lst for lst in policy.lists if lst.id == mt.list), None)
        if lst is None or not lst.admission:
            continue
        status = policy.matter_status(mt, b.effective)
        counts[status] += 1
        rows.append(f"| {text(mt.code)} | {cell(mt.name)} | {STATUS[status][0]} {STATUS[status][1]} |")
    if not rows:
        return []
    summary = "；".join(f"{STATUS[s][0]} {n}" for s, n in sorted(counts.items()))
    return [f'<details markdown><summary>{b.effective.isoformat()} 施行时的准入事项 Admission matters on '
            f'{b.effective.isoformat()}：{summary}</summary>', "",
            "| 编码 Code | 事项 Matter | 状态 Status |", "| --- | --- | --- |", *rows, "", "</details>", ""]
