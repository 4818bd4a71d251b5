"""Semantic diff of two versions of a policy: what a reviewer must see before publishing.

Compares the checked models (`PolicyModel`), never the text: moving a declaration to
another file, re-indenting or re-commenting changes nothing; conditions are compared as
syntax trees without their source positions.

`diff(old, new)` gives a `PolicyDiff`; `impact(old, new, items)` decides sample items under
both and lists those decided differently. `PolicyDiff.to_dict()` is the JSON that
`gridpolicy diff --format json` prints and the docs site's change log reads:

    {
      "old": {"name": str, "version": str, "digest": str, "source": str},
      "new": {... the same ...},
      "changes": [
        {"section": "header" | "tier" | "role" | "department" | "field" | "criterion" | "list"
                    | "matter" | "major" | "class" | "exit" | "route" | "formula" | "grade" | "lifecycle",
         "id": str,                      # the declaration's id (matter code, route id, ...)
         "change": "added" | "removed" | "changed" | "moved" | "reordered" | "exited"
                   | "redated" | "reassigned" | "renamed",
         "field": str | null,            # what changed, e.g. "batch", "condition", "limit"
         "old": JSON | null, "new": JSON | null,   # the values before and after
         "text_zh": str, "text_en": str}           # one line for a person
      ],
      "impact": null | {                # only with items
        "items": int, "changed": int,
        "decisions": [
          {"item_id": str,
           "changes": {"outcome" | "tier" | "department" | "handlers" | "lead" | "assisting" | "unit"
                       | "deadline" | "time_limit" | "matter_status" | "route" | "error": [old, new]}}
        ]
      }
    }

Sides given as `REV:PATH` (e.g. `HEAD~1:rules/`) are materialised from git with
`git archive` into a temporary folder; PATH is relative to the current directory.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import io
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .contract import Decision, ItemError
from .decisionlog import summary
from .lifecycle.model import signature as lifecycle_signature
from .model import PolicyModel
from .runtime import Policy
from .syntax.nodes import Duration, Expr, Span
from .syntax.numbers import number_text
from .syntax.printer import expr_text

SECTIONS_ZH = {
    "header": "规则集", "tier": "层级", "role": "角色", "department": "部门", "field": "字段",
    "criterion": "排除标准", "list": "清单", "matter": "事项", "exit": "退出", "route": "分流规则",
    "formula": "公式", "grade": "等级", "major": "大类", "class": "小类", "referral": "转介渠道", "gate": "准入审查",
    "calendar": "日历", "lifecycle": "全程督办",
}


@dataclass(frozen=True, slots=True)
class Change:
    section: str
    id: str
    change: str
    field: str | None
    old: Any
    new: Any
    text_zh: str
    text_en: str

    def to_dict(self) -> dict[str, Any]:
        return {"section": self.section, "id": self.id, "change": self.change, "field": self.field,
                "old": _jsonable(self.old), "new": _jsonable(self.new),
                "text_zh": self.text_zh, "text_en": self.text_en}


@dataclass
class ItemImpact:
    item_id: str
    changes: dict[str, tuple[Any, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"item_id": self.item_id,
                "changes": {k: [_jsonable(a), _jsonable(b)] for k, (a, b) in self.changes.items()}}

    def describe(self) -> str:
        return "; ".join(f"{k}: {_show(a)} → {_show(b)}" for k, (a, b) in self.changes.items())


@dataclass
class Impact:
    items: int
    decisions: list[ItemImpact]

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "changed": len(self.decisions),
                "decisions": [d.to_dict() for d in self.decisions]}


@dataclass
class PolicyDiff:
    old: PolicyModel
    new: PolicyModel
    changes: list[Change] = field(default_factory=list)
    impact: Impact | None = None
    old_source: str = ""
    new_source: str = ""

    @property
    def empty(self) -> bool:
        return not self.changes and not (self.impact and self.impact.decisions)

    def to_dict(self) -> dict[str, Any]:
        def side(m: PolicyModel, src: str) -> dict[str, str]:
            return {"name": m.header.name, "version": m.header.version, "digest": m.digest, "source": src}
        return {"old": side(self.old, self.old_source), "new": side(self.new, self.new_source),
                "changes": [c.to_dict() for c in self.changes],
                "impact": self.impact.to_dict() if self.impact else None}

    def render(self) -> str:
        o, n = self.old.header, self.new.header
        out = [f"规则变更 policy diff: {o.name} {o.version} → {n.name} {n.version}"]
        if not self.changes:
            out.append("  规则内容没有变化 no change in the rules")
        section = None
        for c in self.changes:
            if c.section != section:
                section = c.section
                out.append(f"{SECTIONS_ZH[section]} {section}:")
            mark = {"added": "+", "removed": "-"}.get(c.change, "~")
            out.append(f"  {mark} {c.text_zh}")
            out.append(f"      {c.text_en}")
        if self.impact is not None:
            im = self.impact
            out.append(f"影响 impact: {im.items} 件样例中 {len(im.decisions)} 件处理结果不同 "
                       f"— {len(im.decisions)} of {im.items} items decided differently")
            for d in im.decisions:
                out.append(f"  {d.item_id}: {d.describe()}")
        return "\n".join(out)


# ---- comparison ---------------------------------------------------------------------------


def canon(x: Any) -> Any:
    """A value with every source position removed, for comparing syntax trees."""
    if isinstance(x, Span):
        return None
    if isinstance(x, Expr):
        return (type(x).__name__,) + tuple(canon(getattr(x, f.name)) for f in dataclasses.fields(x)
                                           if f.name != "span")
    if isinstance(x, tuple):
        return tuple(canon(i) for i in x)
    return x


def diff(old: Policy | PolicyModel, new: Policy | PolicyModel) -> PolicyDiff:
    """Every change between two checked policies, grouped by section in a fixed order."""
    a = old.model if isinstance(old, Policy) else old
    b = new.model if isinstance(new, Policy) else new
    d = PolicyDiff(a, b)
    ch = d.changes
    _header(a, b, ch)
    _simple(ch, "tier", a.tiers, b.tiers, lambda t: {"name": t.name, "level": t.level, "locality": t.locality})
    _simple(ch, "role", a.roles, b.roles, lambda r: {"name": r.name, "category": r.category,
                                                     "assigned_by": r.assigned_by, "tier": r.tier})
    _simple(ch, "department", a.departments, b.departments, lambda x: {
        "name": x.name, "tier": x.tier, "short": x.short, "kind": x.kind, "parent": x.parent, "area": list(x.area)})
    _simple(ch, "field", a.fields, b.fields, lambda f: {
        "type": f.type, "values": [f"{c} {lbl}" for c, lbl in f.values], "default": f.default,
        "required": f.required, "range": f.range, "from": f.computed or None})
    _criteria(a, b, ch)
    _simple(ch, "list", a.lists, b.lists, lambda x: {
        "name": x.name, "admission": x.admission, "authority": list(x.authority),
        "batches": [f"{bt.id} {bt.effective or '—'}" for bt in x.batches]})
    _matters(a, b, ch)
    _simple(ch, "major", a.majors, b.majors, lambda m: {"name": m.name, "code": m.code,
                                                       "classification": m.classification})
    _simple(ch, "class", a.classes, b.classes, lambda c: {
        "name": c.name, "code": c.code, "major": c.major, "type": c.type, "aliases": list(c.aliases),
        "owner": c.owner, "assisting": list(c.assisting), "handlers": list(c.handlers),
        "traits": [f"{k} {_show(v)}" for k, v in c.traits], "register": c.register, "close": c.close,
        "limit": None if c.limit is None or c.stages else _limit_show(c.limit),
        "stages": [f"{_limit_show(s.limit)} -> {s.code} {s.name}" for s in c.stages]})
    _exits(a, b, ch)
    _simple(ch, "referral", a.referrals, b.referrals, lambda x: {
        "name": x.name, "kind": x.kind, "contact": x.contact, "department": x.department})
    _gates(a, b, ch)
    _calendar(a, b, ch)
    _routes(a, b, ch)
    _formulas(a, b, ch)
    _grades(a, b, ch)
    _simple(ch, "lifecycle", a.lifecycles, b.lifecycles, lifecycle_signature)
    return d


def _add(ch: list[Change], section: str, ident: str, change: str, fld: str | None, old: Any, new: Any,
         zh: str, en: str) -> None:
    ch.append(Change(section, ident, change, fld, old, new, zh, en))


def _header(a: PolicyModel, b: PolicyModel, ch: list[Change]) -> None:
    for key, zh in (("name", "名称"), ("version", "版本"), ("effective", "施行日期"), ("routing", "分流方式"),
                    ("timezone", "时区"), ("authority", "制定机关"), ("district_code", "区划代码"),
                    ("unknown_grid", "未知网格")):
        x, y = getattr(a.header, key), getattr(b.header, key)
        if x != y:
            _add(ch, "header", b.header.id, "changed", key, x, y, f"{zh}：{_show(x)} → {_show(y)}",
                 f"{key}: {_show(x)} → {_show(y)}")


def _keyed(xs: Iterable[Any], key: str = "id") -> dict[str, Any]:
    return {getattr(x, key): x for x in xs}


def _simple(ch: list[Change], section: str, old: Iterable[Any], new: Iterable[Any], sig: Any) -> None:
    """Added, removed, and per-aspect changes; `sig(x)` maps aspect names to comparable values."""
    zh = SECTIONS_ZH[section]
    a, b = _keyed(old), _keyed(new)
    for k in b.keys() - a.keys():
        _add(ch, section, k, "added", None, None, b[k].name, f"新增{zh} {k}「{b[k].name}」", f"{section} {k} added")
    for k in a.keys() - b.keys():
        _add(ch, section, k, "removed", None, a[k].name, None, f"删除{zh} {k}「{a[k].name}」",
             f"{section} {k} removed")
    for k in a.keys() & b.keys():
        p, q = sig(a[k]), sig(b[k])
        for aspect in p:
            if p[aspect] != q[aspect]:
                _add(ch, section, k, "changed", aspect, p[aspect], q[aspect],
                     f"{zh} {k}「{b[k].name}」{aspect}：{_show(p[aspect])} → {_show(q[aspect])}",
                     f"{section} {k} {aspect}: {_show(p[aspect])} → {_show(q[aspect])}")
    _sort_tail(ch, section)


def _sort_tail(ch: list[Change], section: str) -> None:
    """Order the changes just added for `section` by id, added/removed/changed last to first."""
    start = len(ch)
    while start > 0 and ch[start - 1].section == section:
        start -= 1
    ch[start:] = sorted(ch[start:], key=lambda c: (c.id, c.change, c.field or ""))


def _criteria(a: PolicyModel, b: PolicyModel, ch: list[Change]) -> None:
    x, y = _keyed(a.criteria), _keyed(b.criteria)
    for k in y.keys() - x.keys():
        t = expr_text(y[k].condition)
        _add(ch, "criterion", k, "added", "condition", None, t, f"新增排除标准 {k}「{y[k].name}」：{t}",
             f"criterion {k} added: {t}")
    for k in x.keys() - y.keys():
        _add(ch, "criterion", k, "removed", "condition", expr_text(x[k].condition), None,
             f"删除排除标准 {k}「{x[k].name}」", f"criterion {k} removed")
    for k in x.keys() & y.keys():
        if canon(x[k].condition) != canon(y[k].condition):
            t0, t1 = expr_text(x[k].condition), expr_text(y[k].condition)
            _add(ch, "criterion", k, "changed", "condition", t0, t1,
                 f"排除标准 {k} 条件：{t0} → {t1}", f"criterion {k} condition: {t0} → {t1}")
        if x[k].name != y[k].name:
            _add(ch, "criterion", k, "renamed", "name", x[k].name, y[k].name,
                 f"排除标准 {k} 改名：{x[k].name} → {y[k].name}", f"criterion {k} renamed")
    _sort_tail(ch, "criterion")


def _matters(a: PolicyModel, b: PolicyModel, ch: list[Change]) -> None:
    x, y = _keyed(a.matters, "code"), _keyed(b.matters, "code")
    for k in y.keys() - x.keys():
        m = y[k]
        where = m.list + (f"/{m.batch}" if m.batch else "")
        _add(ch, "matter", k, "added", None, None, {"name": m.name, "list": m.list, "batch": m.batch,
                                                       "effective": m.effective},
             f"新增事项 {k}「{m.name}」，列入 {where}，{m.effective or '—'} 起施行",
             f"matter {k} added to {where}, in force from {m.effective or '—'}")
    for k in x.keys() - y.keys():
        _add(ch, "matter", k, "removed", None, x[k].name, None, f"删除事项 {k}「{x[k].name}」（没有退出记录，直接删除）",
             f"matter {k} removed (deleted, not exited)")
    for k in x.keys() & y.keys():
        m, n = x[k], y[k]
        if m.name != n.name or m.aliases != n.aliases:
            _add(ch, "matter", k, "renamed", "name", [m.name, *m.aliases], [n.name, *n.aliases],
                 f"事项 {k} 名称或别名：{_show([m.name, *m.aliases])} → {_show([n.name, *n.aliases])}",
                 f"matter {k} name or aliases changed")
        for fld, zh in (("list", "清单"), ("batch", "批次")):
            if getattr(m, fld) != getattr(n, fld):
                _add(ch, "matter", k, "moved", fld, getattr(m, fld), getattr(n, fld),
                     f"事项 {k}「{n.name}」{zh}：{_show(getattr(m, fld))} → {_show(getattr(n, fld))}",
                     f"matter {k} moved: {fld} {_show(getattr(m, fld))} → {_show(getattr(n, fld))}")
        for fld, zh in (("effective", "施行日期"), ("expires", "临时准入有效期至（含当日）")):
            if getattr(m, fld) != getattr(n, fld):
                _add(ch, "matter", k, "redated", fld, getattr(m, fld), getattr(n, fld),
                     f"事项 {k}「{n.name}」{zh}：{_show(getattr(m, fld))} → {_show(getattr(n, fld))}",
                     f"matter {k} re-dated: {fld} {_show(getattr(m, fld))} → {_show(getattr(n, fld))}")
        for fld, zh in (("handlers", "处理角色"), ("owner", "主责部门")):
            if getattr(m, fld) != getattr(n, fld):
                _add(ch, "matter", k, "reassigned", fld, getattr(m, fld), getattr(n, fld),
                     f"事项 {k}「{n.name}」{zh}：{_show(getattr(m, fld))} → {_show(getattr(n, fld))}",
                     f"matter {k} re-assigned: {fld} {_show(getattr(m, fld))} → {_show(getattr(n, fld))}")
        if m.traits != n.traits or m.basis != n.basis:
            _add(ch, "matter", k, "changed", "traits", dict(m.traits) | {"basis": m.basis},
                 dict(n.traits) | {"basis": n.basis}, f"事项 {k} 属性或依据有修改", f"matter {k} traits or basis changed")
    _sort_tail(ch, "matter")


def _exits(a: PolicyModel, b: PolicyModel, ch: list[Change]) -> None:
    x, y = _keyed(a.exits, "matter"), _keyed(b.exits, "matter")
    names = {m.code: m.name for m in (*a.matters, *b.matters)}
    for k in y.keys() - x.keys():
        e = y[k]
        _add(ch, "exit", k, "exited", "date", None, e.date,
             f"事项 {k}「{names.get(k, '')}」于 {e.date} 退出清单（{e.id}，批准：{e.approved_by}，文号：{e.ref}）",
             f"matter {k} exits on {e.date} ({e.id}, approved by {e.approved_by}, ref {e.ref})")
    for k in x.keys() - y.keys():
        _add(ch, "exit", k, "removed", "date", x[k].date, None,
             f"撤销事项 {k} 的退出记录 {x[k].id}（原定 {x[k].date}）", f"exit {x[k].id} of matter {k} withdrawn")
    for k in x.keys() & y.keys():
        if x[k].date != y[k].date:
            _add(ch, "exit", k, "redated", "date", x[k].date, y[k].date,
                 f"事项 {k} 退出日期：{x[k].date} → {y[k].date}", f"exit of matter {k} re-dated")
        if (x[k].approved_by, x[k].ref, x[k].reason) != (y[k].approved_by, y[k].ref, y[k].reason):
            _add(ch, "exit", k, "changed", "record", [x[k].approved_by, x[k].ref, x[k].reason],
                 [y[k].approved_by, y[k].ref, y[k].reason], f"事项 {k} 的退出记录（批准、文号或理由）有修改",
                 f"exit record of matter {k} changed")
    _sort_tail(ch, "exit")


def _limit_show(limit: Any) -> str:
    """A limit as diffs compare it: the duration when constant (the same in zh and en), else
    the expression as written."""
    return str(limit.const) if limit.const is not None else expr_text(limit.expr)


def _route_parts(r: Any) -> dict[str, tuple[Any, Any]]:
    """Route aspect -> (comparable key, shown value)."""
    esc = [f"{s.after} -> {s.tier or s.department}" if s.kind == "transfer" else
           f"{s.after} -> {s.kind}({s.tier or s.department})" for s in r.escalation]
    spec = r.limit_spec
    limit = str(r.limit) if r.limit and (spec is None or spec.constant) else (_limit_show(spec) if spec else None)
    if r.stages:
        limit = None
    stages = [f"{_limit_show(s.limit)} -> {s.code} {s.name}" for s in getattr(r, "stages", ())]
    return {
        "condition": (canon(r.condition), expr_text(r.condition) if r.condition else "（兜底 catch-all）"),
        "tier": (canon(r.tier), _expr_show(r.tier)),
        "department": (canon(r.department), _expr_show(r.department)),
        "handlers": (r.handlers, list(r.handlers)),
        "limit": (limit, limit),
        "stages": (tuple(stages), stages),
        "escalation": (tuple(esc), esc),
        "outcome": (r.outcome, r.outcome),
        "refer": (r.referral or canon(r.referral_expr),
                  r.referral or (expr_text(r.referral_expr) if r.referral_expr is not None else None)),
        "reason": (r.reason, r.reason),
        "review": (r.review, str(r.review) if r.review else None),
        "continue": (r.cont, r.cont),
        "dispatch": (r.dispatch, r.dispatch),
        "assisting": (canon(r.assisting), [_expr_show(e) for e in r.assisting]),
    }


ROUTE_ZH = {"condition": "条件", "tier": "层级", "department": "承办部门", "handlers": "处理角色",
            "limit": "时限", "stages": "分段时限", "escalation": "升级", "continue": "继续匹配", "dispatch": "派单方式",
            "assisting": "协办部门", "outcome": "处理结果", "refer": "转介渠道", "reason": "理由", "review": "复核周期"}


def _routes(a: PolicyModel, b: PolicyModel, ch: list[Change]) -> None:
    x, y = _keyed(a.routes), _keyed(b.routes)
    old_order = [r.id for r in a.routes]
    new_order = [r.id for r in b.routes]
    for k in new_order:
        if k not in x:
            r = y[k]
            cond = expr_text(r.condition) if r.condition else None
            _add(ch, "route", k, "added", None, None, {"position": new_order.index(k) + 1, "condition": cond},
                 f"新增分流规则 {k}「{r.name}」（第 {new_order.index(k) + 1} 条）：{cond or '兜底'}",
                 f"route {k} added at position {new_order.index(k) + 1}")
    for k in old_order:
        if k not in y:
            _add(ch, "route", k, "removed", None, expr_text(x[k].condition) if x[k].condition else None, None, f"删除分流规则 {k}「{x[k].name}」",
                 f"route {k} removed")
    common_old = [k for k in old_order if k in y]
    common_new = [k for k in new_order if k in x]
    sm = difflib.SequenceMatcher(a=common_old, b=common_new, autojunk=False)
    stay: set[str] = set()  # the longest run kept in order; the others moved
    for blk in sm.get_matching_blocks():
        stay.update(common_old[blk.a:blk.a + blk.size])
    for k in common_new:
        if k not in stay:
            i, j = old_order.index(k) + 1, new_order.index(k) + 1
            _add(ch, "route", k, "reordered", "position", i, j,
                 f"分流规则 {k}「{y[k].name}」调整顺序：第 {i} 条 → 第 {j} 条（先匹配者优先，可能改变结果）",
                 f"route {k} moved from position {i} to {j} (first match wins: may change decisions)")
    for k in common_new:
        p, q = _route_parts(x[k]), _route_parts(y[k])
        for aspect in p:
            if p[aspect][0] != q[aspect][0]:
                _add(ch, "route", k, "changed", aspect, p[aspect][1], q[aspect][1],
                     f"分流规则 {k}「{y[k].name}」{ROUTE_ZH[aspect]}：{_show(p[aspect][1])} → {_show(q[aspect][1])}",
                     f"route {k} {aspect}: {_show(p[aspect][1])} → {_show(q[aspect][1])}")


def _gates(a: PolicyModel, b: PolicyModel, ch: list[Change]) -> None:
    def sig(g: Any) -> dict[str, Any]:
        return {"applies": g.applies_text or "kind == task", "lists": list(g.lists), "criteria": list(g.criteria),
                "refer": g.referral, "reason": g.reason,
                "exemptions": [f"{x.id}: {x.text}; {x.period}" for x in g.exemptions]}
    _simple(ch, "gate", a.gates, b.gates, sig)


def _calendar(a: PolicyModel, b: PolicyModel, ch: list[Change]) -> None:
    x, y = a.calendar, b.calendar
    aspects = {
        "holidays": (sorted(map(str, x.holidays)), sorted(map(str, y.holidays)), "节假日"),
        "workdays": (sorted(map(str, x.workdays)), sorted(map(str, y.workdays)), "调休上班"),
        "office_hours": ([f"{s:%H:%M}-{e:%H:%M}" for s, e in x.office_hours],
                         [f"{s:%H:%M}-{e:%H:%M}" for s, e in y.office_hours], "办公时间"),
        "notice": ([f"{n.year} {n.title}" for n in x.notices], [f"{n.year} {n.title}" for n in y.notices], "节假日通知"),
    }
    for key, (old, new, zh) in aspects.items():
        if old != new:
            _add(ch, "calendar", "calendar", "changed", key, old, new, f"日历{zh}：{_show(old)} → {_show(new)}",
                 f"calendar {key}: {_show(old)} → {_show(new)}")


def _formulas(a: PolicyModel, b: PolicyModel, ch: list[Change]) -> None:
    def sig(f: Any) -> dict[str, tuple[Any, Any]]:
        return {"value": (canon(f.value), expr_text(f.value)),
                "inputs": (tuple((i.id, i.type, i.range, i.fields) for i in f.inputs),
                           [f"{i.id}:{i.type}" + (f" {i.range[0]}..{i.range[1]}" if i.range else "") for i in f.inputs]),
                "round": (f.round, f.round), "grade": (f.grade, f.grade), "range": (f.range, f.range)}
    x, y = _keyed(a.formulas), _keyed(b.formulas)
    for k in y.keys() - x.keys():
        _add(ch, "formula", k, "added", None, None, expr_text(y[k].value), f"新增公式 {k}「{y[k].name}」：{expr_text(y[k].value)}",
             f"formula {k} added")
    for k in x.keys() - y.keys():
        _add(ch, "formula", k, "removed", None, expr_text(x[k].value), None, f"删除公式 {k}「{x[k].name}」", f"formula {k} removed")
    for k in x.keys() & y.keys():
        p, q = sig(x[k]), sig(y[k])
        for aspect in p:
            if p[aspect][0] != q[aspect][0]:
                _add(ch, "formula", k, "changed", aspect, p[aspect][1], q[aspect][1],
                     f"公式 {k}「{y[k].name}」{aspect}：{_show(p[aspect][1])} → {_show(q[aspect][1])}",
                     f"formula {k} {aspect}: {_show(p[aspect][1])} → {_show(q[aspect][1])}")
    _sort_tail(ch, "formula")


def _grades(a: PolicyModel, b: PolicyModel, ch: list[Change]) -> None:
    def bands(g: Any) -> list[str]:
        return [f"{number_text(bd.threshold)} -> {bd.id} {bd.label}" for bd in g.bands]
    x, y = _keyed(a.grades), _keyed(b.grades)
    for k in y.keys() - x.keys():
        _add(ch, "grade", k, "added", "bands", None, bands(y[k]), f"新增等级 {k}「{y[k].name}」：{_show(bands(y[k]))}",
             f"grade {k} added")
    for k in x.keys() - y.keys():
        _add(ch, "grade", k, "removed", "bands", bands(x[k]), None, f"删除等级 {k}「{x[k].name}」", f"grade {k} removed")
    for k in x.keys() & y.keys():
        if bands(x[k]) != bands(y[k]):
            _add(ch, "grade", k, "changed", "bands", bands(x[k]), bands(y[k]),
                 f"等级 {k} 档次：{_show(bands(x[k]))} → {_show(bands(y[k]))}",
                 f"grade {k} bands: {_show(bands(x[k]))} → {_show(bands(y[k]))}")
    _sort_tail(ch, "grade")


# ---- impact on items ------------------------------------------------------------------------


def _summary(d: Decision | ItemError) -> dict[str, Any]:
    if isinstance(d, ItemError):
        return {"error": sorted({e.path for e in d.errors})}
    return summary(d.model_dump(mode="json"))  # the one decision summary (replay's too)


def impact(old: Policy, new: Policy, items: Iterable[Mapping[str, Any]],
           now: dt.datetime | None = None) -> Impact:
    """Decide each item under both policies; keep those decided differently. Items without
    `reported_at` are taken as reported at `now` (the same instant for both sides)."""
    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    out: list[ItemImpact] = []
    n = 0
    for n, item in enumerate(items, 1):
        if isinstance(item, Mapping) and item.get("reported_at") is None:
            item = {**item, "reported_at": now.isoformat()}
        a, b = _summary(_decide(old, item)), _summary(_decide(new, item))
        changes = {k: (a.get(k), b.get(k)) for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)}
        if changes:
            ident = item.get("id") if isinstance(item, Mapping) else None
            out.append(ItemImpact(str(ident if ident is not None else f"#{n}"), changes))
    return Impact(n, out)


def _decide(policy: Policy, item: Any) -> Decision | ItemError:
    try:
        return policy.route(item)
    except ItemError as exc:
        return exc


# ---- loading a side -------------------------------------------------------------------------


@contextmanager
def materialise(spec: str) -> Iterator[str]:
    """A path for `spec`: itself if it exists, else `REV:PATH` extracted from git into a
    temporary folder (removed afterwards)."""
    if os.path.exists(spec) or ":" not in spec:
        yield spec
        return
    rev, path = spec.split(":", 1)
    prefix = _git("rev-parse", "--show-prefix").strip()
    top = _git("rev-parse", "--show-toplevel").strip()
    full = os.path.normpath(os.path.join(prefix, path or "."))
    if full.startswith(".."):
        raise ValueError(f"{spec}: 路径在仓库之外 path is outside the repository")
    data = _git("-C", top, "archive", "--format=tar", rev, "--", full, binary=True)
    with tempfile.TemporaryDirectory(prefix="gridpolicy-diff-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(tmp, filter="data")
        yield str(Path(tmp) / full)


def _git(*args: str, binary: bool = False) -> Any:
    try:
        res = subprocess.run(["git", *args], capture_output=True, check=True)
    except FileNotFoundError:
        raise ValueError("找不到 git 命令 git is not installed") from None
    except subprocess.CalledProcessError as exc:
        msg = exc.stderr.decode("utf-8", "replace").strip()
        raise ValueError(f"git {' '.join(args[:3])}: {msg}") from None
    return res.stdout if binary else res.stdout.decode("utf-8")


# ---- showing values -------------------------------------------------------------------------


def _expr_show(e: Expr | None) -> str | None:
    return None if e is None else expr_text(e)




def _jsonable(v: Any) -> Any:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, Duration):
        return str(v)
    if isinstance(v, (tuple, list)):
        return [_jsonable(i) for i in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(i) for k, i in v.items()}
    if isinstance(v, (frozenset, set)):
        return sorted(_jsonable(i) for i in v)
    return v


def _show(v: Any) -> str:
    v = _jsonable(v)
    if v is None:
        return "—"
    if isinstance(v, list):
        return "[" + ", ".join(_show(i) for i in v) + "]"
    return str(v)
