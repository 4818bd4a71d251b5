"""“我的问题怎么办”: pick a category and a grid (and how urgent it is) and see who handles it,
in how long and how it is escalated — answered by the runtime itself at build time.

Every combination is routed with `Policy.route` when the page is generated and stored in the
page as JSON; `javascripts/handling.js` shows the answer for the chosen combination, so the
page works offline with no server. Without JavaScript the page lists every category's answer
for an ordinary report.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from ...contract import Decision, ItemError
from ..context import Context
from ..markdown import attr, cell, text
from .common import head

OTHER = ""  # the category "not on any list"
URGENCY_FIELD = "urgency"
OUTCOME = {"handle": "受理办理 handled", "refuse": "不予下派网格 not for the grid",
           "redirect": "请转其他渠道 goes to another channel", "hold": "挂账跟踪 on the standing register"}


CLASS = "class:"  # the value prefix of a catalogue class among the categories


def categories(ctx: Context) -> list[tuple[str, str, str]]:
    """(value, label, group): the event catalogue's classes (when the rules have one), then the
    listed matters in list order, then OTHER."""
    out = []
    for c in getattr(ctx.m, "classifications", ()):  # the event catalogue (language v2)
        for major in c.majors:
            out += [(CLASS + k.id, k.name, f"{c.name} · {major.name}") for k in major.classes]
    out += [(mt.code, f"{mt.name}（{mt.code}）", ctx.lists[mt.list].name) for mt in ctx.m.matters]
    return [*out, (OTHER, "其他问题（不在清单上）other", "其他 other")]


def query(ctx: Context, value: str) -> str:
    """What an item's `matter` says for a category value."""
    if value.startswith(CLASS):
        cls = next(k for k in getattr(ctx.m, "classes", ()) if k.id == value[len(CLASS):])
        return str(cls.name)
    return ctx.matters[value].name if value else ""


def urgencies(ctx: Context) -> list[tuple[str, str]]:
    f = ctx.fields.get(URGENCY_FIELD)
    return list(f.values) if f is not None and f.type == "enum" else []


def answer(d: Decision) -> dict[str, Any]:
    """The part of a decision a resident reads (plain text; the page script shows it as text).
    Roles and the tier are codes too, so the script can add the chosen grid's contacts and the
    names of its community and street."""
    h = d.handlers
    lead = getattr(h, "lead", None)  # language v2: the one lead, assisting departments, the unit
    unit = getattr(h, "unit", None)
    return {
        "outcome": OUTCOME.get(d.outcome, d.outcome),
        "matter": f"{d.matter.name}（{d.matter.code}）" if d.matter.code else "",
        "tier": [d.tier.code, d.tier.name] if d.tier else None,
        "department": h.department.name if h.department else "",
        "lead": lead.name if lead is not None and lead.kind != "tier" else "",
        "assisting": [a.name for a in getattr(h, "assisting", [])],
        "unit": unit.name if unit is not None else "",
        "roles": [[r.code, r.name] for r in d.handlers.roles],
        "limit": d.time_limit.text_zh if d.time_limit else "",
        "escalation": [{"after": s.after.text_zh,
                        "to": (s.tier.name if s.tier else "") + (f" · {s.department.name}" if s.department else ""),
                        "label": s.label} for s in d.escalation],
        "dispatch": d.dispatch,
        "reasons": [r.text_zh for r in d.reasons],
        **_elsewhere(d),
    }


def _elsewhere(d: Decision) -> dict[str, Any]:
    """Where to go instead (a redirect) and when a held problem is reviewed (language v2)."""
    out: dict[str, Any] = {}
    referral = getattr(d, "referral", None)
    if referral is not None:
        out["referral"] = {"name": referral.channel.name, "contact": referral.channel.contact,
                           "reason": referral.reason}
    hold = getattr(d, "hold", None)
    if hold is not None:
        out["review"] = hold.review.text_zh
    return out


def grid_facts(entry: Any) -> dict[str, Any]:
    """A grid's names for the tiers it sits in, and its staff's contacts by role."""
    contacts = {entry.grid.leader.role: entry.grid.leader.contact}
    for st in entry.grid.staff:
        contacts.setdefault(st.role, st.contact)
    return {"places": {"grid": entry.grid.name, "community": entry.community.name, "street": entry.street.name},
            "contacts": contacts}


def table(ctx: Context) -> dict[str, Any]:
    """Every (category, grid, urgency) routed: {"answers": [...], "pick": {"c|g|u": index},
    "grids": {code: grid_facts}}; equal answers are stored once."""
    tz = ZoneInfo(ctx.m.header.timezone)
    at = dt.datetime.combine(ctx.as_of, dt.time(9, 0), tzinfo=tz).isoformat()
    grids = ctx.registry or [None]
    answers: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    pick: dict[str, int] = {}
    for code, _, _ in categories(ctx):
        matter = query(ctx, code)
        for entry in grids:
            grid = entry.grid.code if entry is not None else ""
            for u, _ in urgencies(ctx) or [("", "")]:
                item: dict[str, Any] = {"id": "site-handling", "kind": "issue", "reported_at": at}
                if matter:
                    item["matter"] = matter
                if grid:
                    item["grid"] = grid
                if u:
                    item[URGENCY_FIELD] = u
                try:
                    shown = answer(ctx.policy.route(item))
                except ItemError as exc:
                    shown = {"error": str(exc)}
                key = json.dumps(shown, ensure_ascii=False, sort_keys=True)
                if key not in seen:
                    seen[key] = len(answers)
                    answers.append(shown)
                pick[f"{code}|{grid}|{u}"] = seen[key]
    facts = {e.grid.code: grid_facts(e) for e in ctx.registry}
    return {"answers": answers, "pick": pick, "grids": facts}


def packed(data: dict[str, Any]) -> dict[str, Any]:
    """`table`'s data for the page, smaller: each answer's reasons and escalation steps become
    indices into shared lists (`reasons`, `steps`), since many answers share them."""
    reasons: dict[str, int] = {}
    steps: dict[str, int] = {}

    def intern(table: dict[str, int], value: Any) -> int:
        key = json.dumps(value, ensure_ascii=False, sort_keys=True)
        return table.setdefault(key, len(table))

    answers = []
    for a in data["answers"]:
        if "error" in a:
            answers.append(a)
            continue
        answers.append({**a, "reasons": [intern(reasons, r) for r in a["reasons"]],
                        "escalation": [intern(steps, x) for x in a["escalation"]]})
    return {**data, "answers": answers, "reasons": [json.loads(k) for k in reasons],
            "steps": [json.loads(k) for k in steps]}


def _script_json(data: object) -> str:
    """JSON that cannot end its <script> element or open a comment."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _select(name: str, label: str, groups: list[tuple[str, list[tuple[str, str]]]]) -> str:
    opts = []
    for group, options in groups:
        inner = "".join(f'<option value="{attr(v)}">{attr(t)}</option>' for v, t in options)
        opts.append(f'<optgroup label="{attr(group)}">{inner}</optgroup>' if group else inner)
    return (f'<label for="gp-ask-{name}">{label}</label>'
            f'<select id="gp-ask-{name}" name="{name}">{"".join(opts)}</select>')


def build(ctx: Context) -> dict[str, str]:
    lines = head("我的问题怎么办 How is my issue handled",
                 "选择问题类别和所在网格，查看由谁办理、多长时间办结、逾期后如何升级。答案由规则在生成本页时逐项计算，"
                 "离线也能使用。 Pick a category and your grid to see who handles it, within how long, and how it "
                 "is escalated. The answers were computed from the rules when this page was built; it works offline.")
    cats: dict[str, list[tuple[str, str]]] = {}
    for code, label, group in categories(ctx):
        cats.setdefault(group, []).append((code, label))
    grid_groups: dict[str, list[tuple[str, str]]] = {}
    for e in ctx.registry:
        grid_groups.setdefault(f"{e.street.name} · {e.community.name}", []).append((e.grid.code, e.grid.name))
    data = table(ctx)
    form = ['<form class="gp-ask" id="gp-ask" onsubmit="return false">',
            _select("category", "问题类别 Category", list(cats.items()))]
    if grid_groups:
        form.append(_select("grid", "所在网格 Grid", list(grid_groups.items())))
    if urgencies(ctx):
        form.append(_select("urgency", "紧急程度 Urgency", [("", urgencies(ctx))]))
    form.append("</form>")
    lines += ["\n".join(form), "",
              '<div class="gp-answer" id="gp-answer" aria-live="polite"></div>', "",
              f'<script type="application/json" id="gp-handling-data">{_script_json(packed(data))}</script>', "",
              "<noscript>本页的查询需要 JavaScript；下方列出各类别一般情况下的办理方式。 The lookup needs "
              "JavaScript; every category's ordinary answer is listed below.</noscript>", "",
              "紧急情况请直接拨打 110 / 119 / 120。 In an emergency call 110, 119 or 120.", ""]
    lines += static_list(ctx, data)
    return {"handling.md": "\n".join(lines)}


def static_list(ctx: Context, data: dict[str, Any]) -> list[str]:
    """Each category's answer for an ordinary report in the first grid (readable without script)."""
    first = ctx.registry[0].grid.code if ctx.registry else ""
    u = urgencies(ctx)[0][0] if urgencies(ctx) else ""
    lines = ['??? note "全部类别一览 Every category (ordinary report)"', ""]
    for code, label, _ in categories(ctx):
        a = data["answers"][data["pick"][f"{code}|{first}|{u}"]]
        if "error" in a:
            lines.append(f"    - **{text(label)}**：{cell(a['error'])}")
            continue
        who = "、".join(name for _, name in a["roles"]) or a["department"] or "—"
        limit = a["limit"] or "—"
        up = "；".join(f"逾期 {s['after']} → {s['to']}" for s in a["escalation"]) or "—"
        lines.append(f"    - **{text(label)}**：{cell(a['tier'][1] if a['tier'] else '—')} · "
                     f"{cell(who)} · 时限 {cell(limit)} · 升级 {cell(up)}")
    lines.append("")
    return lines
