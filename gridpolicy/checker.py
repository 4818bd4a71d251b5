"""Syntax tree -> checked policy model, with diagnostics for everything wrong in it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import lru_cache
from typing import Any

from . import keywords as kw
from . import types as T
from .diagnostics import WARNING, Reporter
from .model import (
    Band,
    Batch,
    Calendar,
    Catalog,
    Criterion,
    Department,
    Escalation,
    Exit,
    Field,
    Formula,
    Grade,
    GridPlace,
    Header,
    Input,
    Matter,
    MatterList,
    Meta,
    PolicyModel,
    Role,
    Route,
    Tier,
)
from .nodes import (
    Arg,
    Attr,
    Binary,
    Call,
    Decl,
    Duration,
    Expr,
    ListLit,
    Literal,
    Name,
    Prop,
    Span,
    Symbol,
    Unary,
)
from .sources import SourceSet
from .types import Ty

FIELD_TYPES = ("enum", "set", "number", "text", "bool", "date", "datetime", "tier", "department", "role")
ROLE_CATEGORIES = ("leader", "staff", "auxiliary", "other")
STATUSES = ("in_force", "not_yet_in_force", "exited", "expired", "unlisted")
KINDS = ("issue", "task")
RESERVED_FIELDS = ("id", "kind", "matter", "reported_at", "grid")
ABOVE = ("above", "上一级")

# Functions usable in conditions over an item.
ITEM_FUNCTIONS = ("has", "above", "tier_of", "count", "contains")
# Functions usable in formulas.
FORMULA_FUNCTIONS = ("round", "min", "max", "sum", "avg", "count", "rate", "weighted", "abs", "clamp")
# Properties that may be written on several lines; their arguments add up.
REPEATABLE = ("note", "assumption", "source", "entry", "band", "holidays", "workdays")
GRID_ATTRS = ("community", "street", "name")  # from the grid registry
MATTER_ATTRS = {"batch": "batch", "list": "list", "status": "status", "owner": "department"}


@lru_cache(maxsize=16)
def _lines(text: str) -> tuple[str, ...]:
    """A file's lines as the parser counts them (BOM dropped; CRLF and bare CR end lines).
    Cached: splitting the whole file once per expression made checking quadratic."""
    return tuple(text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def _text_of(sources: SourceSet, span: Span) -> str:
    """The source text an expression was written as (for the docs and explanations)."""
    text = sources.texts.get(span.file)
    if text is None or span.line <= 0:
        return ""
    lines = _lines(text)
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1: span.end_column - 1]
    parts = [lines[span.line - 1][span.column - 1:]]
    parts += lines[span.line: span.end_line - 1]
    parts.append(lines[span.end_line - 1][: span.end_column - 1])
    return " ".join(p.strip() for p in parts)


class _Props:
    """A declaration's properties by canonical key, with shape-checked accessors."""

    def __init__(self, decl: Decl, rep: Reporter):
        self.decl = decl
        self.rep = rep
        self.by_key: dict[str, list[Prop]] = {}
        keys = kw.property_keys(decl.kind)
        for prop in decl.props:
            canon = keys.get(prop.key)
            if canon is None and decl.kind == "traits":
                canon = prop.key
            if canon is None:
                known = sorted(k for k in keys if k.isascii()) + sorted(k for k in keys if not k.isascii())
                zh_kind = kw.DECLARATIONS.get(decl.kind, decl.kind)
                self.rep.unknown(prop.span, f"{zh_kind}属性", f"property of {decl.kind}", prop.key,
                                 known, code="GP020")
                continue
            if canon in self.by_key and canon not in REPEATABLE:
                self.rep.report("GP022", prop.span, f"属性“{prop.key}”重复出现",
                                f"property '{prop.key}' given more than once")
                continue
            self.by_key.setdefault(canon, []).append(prop)

    def get(self, key: str) -> Prop | None:
        props = self.by_key.get(key)
        return props[0] if props else None

    def require(self, key: str) -> Prop | None:
        prop = self.get(key)
        if prop is None:
            zh_key = {**kw.COMMON_PROPERTIES, **kw.PROPERTIES.get(self.decl.kind, {})}.get(key, key)
            self.rep.report("GP021", self.decl.id_span, f"缺少属性“{zh_key}”（{key}）",
                            f"{self.decl.kind} '{self.decl.id}' needs property '{key}'")
        return prop

    def _one(self, prop: Prop) -> Arg | None:
        if len(prop.args) != 1 or prop.args[0].target is not None:
            self.rep.report("GP023", prop.span, f"“{prop.key}”只接受一个值",
                            f"'{prop.key}' takes exactly one value")
            return None
        return prop.args[0]

    def literal(self, key: str, kind: str, required: bool = False) -> Any:
        prop = self.require(key) if required else self.get(key)
        if prop is None:
            return None
        arg = self._one(prop)
        if arg is None:
            return None
        v = arg.value
        if kind == "number" and (n := Checker.const_number(v)) is not None:
            return n
        if isinstance(v, Literal) and v.kind == kind:
            return v.value
        if kind == "bool" and isinstance(v, Name) and v.id in ("yes", "no"):
            return v.id == "yes"
        words = {"string": ("带引号的文字", "quoted text"), "date": ("日期", "a date"),
                 "number": ("数字", "a number"), "bool": ("true/false（是/否）", "true or false"),
                 "duration": ("时长", "a duration")}[kind]
        self.rep.report("GP023", arg.span, f"“{prop.key}”的值应为{words[0]}",
                        f"'{prop.key}' takes {words[1]}")
        return None

    def strings(self, key: str) -> tuple[str, ...]:
        out: list[str] = []
        for prop in self.by_key.get(key, []):
            for arg in prop.args:
                if isinstance(arg.value, Literal) and arg.value.kind == "string" and arg.target is None:
                    out.append(arg.value.value)
                else:
                    self.rep.report("GP023", arg.span, f"“{prop.key}”的值应为带引号的文字",
                                    f"'{prop.key}' takes quoted text")
        return tuple(out)

    def names(self, key: str) -> list[tuple[str, Span, str | None]]:
        out: list[tuple[str, Span, str | None]] = []
        prop = self.get(key)
        if prop is None:
            return out
        for arg in prop.args:
            if isinstance(arg.value, Name) and arg.target is None:
                out.append((arg.value.id, arg.value.span, arg.label))
            else:
                self.rep.report("GP023", arg.span, f"“{prop.key}”的值应为名称（不加引号）",
                                f"'{prop.key}' takes names (without quotes)")
        return out

    def name(self, key: str, required: bool = False) -> tuple[str, Span] | None:
        prop = self.require(key) if required else self.get(key)
        if prop is None:
            return None
        arg = self._one(prop)
        if arg is None:
            return None
        if isinstance(arg.value, Name):
            return arg.value.id, arg.value.span
        self.rep.report("GP023", arg.span, f"“{prop.key}”的值应为名称（不加引号）",
                        f"'{prop.key}' takes a name (without quotes)")
        return None

    def meta(self) -> Meta:
        note = "\n\n".join(self.strings("note"))
        return Meta(note, self.strings("assumption"), "\n".join(self.strings("source")))


class Checker:
    def __init__(self, sources: SourceSet, rep: Reporter):
        self.src = sources
        self.rep = rep
        self.tiers: dict[str, Tier] = {}
        self.departments: dict[str, Department] = {}
        self.roles: dict[str, Role] = {}
        self.fields: dict[str, Field] = {}
        self.lists: dict[str, MatterList] = {}
        self.matters: dict[str, Matter] = {}
        self.matter_keys: dict[str, str] = {}  # code, name or alias -> code
        self.batches: dict[str, Batch] = {}

    # ---- entry -------------------------------------------------------------------------

    def run(self) -> PolicyModel | None:
        by_kind: dict[str, list[Decl]] = {}
        for d in self.src.decls:
            by_kind.setdefault(d.kind, []).append(d)
        header = self.header(by_kind.get("policy", []))
        self.check_tiers(by_kind.get("tier", []))
        self.check_departments(by_kind.get("department", []))
        self.check_roles(by_kind.get("role", []))
        self.check_fields(by_kind.get("field", []))
        calendar = self.check_calendar(by_kind.get("calendar", []))
        self.check_lists(by_kind.get("list", []))
        criteria = self.check_criteria(by_kind.get("criterion", []))
        exits = self.check_exits(by_kind.get("exit", []))
        grades = self.check_grades(by_kind.get("grade", []))
        formulas = self.check_formulas(by_kind.get("formula", []), {g.id: g for g in grades})
        routes = self.check_routes(by_kind.get("route", []))
        catalogs = self.check_catalogs(by_kind.get("catalog", []))
        grids = self.check_registries()
        if self.rep.has_errors or header is None:
            return None
        return PolicyModel(
            header=header,
            tiers=tuple(self.tiers.values()),
            roles=tuple(self.roles.values()),
            departments=tuple(self.departments.values()),
            fields=tuple(self.fields.values()),
            criteria=criteria,
            lists=tuple(self.lists.values()),
            exits=exits,
            routes=routes,
            formulas=formulas,
            grades=grades,
            calendar=calendar,
            catalogs=catalogs,
            files=tuple(self.src.texts),
            digest=self.src.digest,
            sources=dict(self.src.texts),
            grids=grids,
        )

    # ---- helpers -----------------------------------------------------------------------

    def unique(self, decls: Iterable[Decl], seen: dict[str, Any], what: tuple[str, str]) -> list[Decl]:
        out = []
        first: dict[str, Decl] = {}
        for d in decls:
            if d.id is None:
                self.rep.report("GP023", d.span, f"{what[0]}缺少名称", f"{what[1]} has no name")
                continue
            if d.id in seen or d.id in first:
                prev = first.get(d.id)
                where = f"（已在 {prev.id_span} 定义）" if prev else ""
                self.rep.report("GP030", d.id_span, f"{what[0]}“{d.id}”重复定义{where}",
                                f"{what[1]} '{d.id}' is defined twice"
                                + (f" (first at {prev.id_span})" if prev else ""))
                continue
            first[d.id] = d
            out.append(d)
        return out

    def ref(self, name: str, span: Span, table: dict[str, Any], what: tuple[str, str]) -> str | None:
        if name in table:
            return name
        self.rep.unknown(span, what[0], what[1], name, table)
        return None

    def tier_level(self, tier: str | None) -> int:
        return self.tiers[tier].level if tier in self.tiers else 0

    # ---- header, tiers, departments, roles ---------------------------------------------

    def header(self, decls: list[Decl]) -> Header | None:
        if not decls:
            first = self.src.decls[0].span if self.src.decls else Span(
                next(iter(self.src.texts), "<text>"), 1, 1, 1, 1)
            self.rep.report("GP057", first, "缺少规则集声明（policy …）",
                            "the policy header (policy ... { version ... }) is missing",
                            hint=("在第一个文件开头写：policy 名称 \"中文名\" { version \"1\" }",
                                  "start the first file with: policy name \"title\" { version \"1\" }"))
            return None
        for extra in decls[1:]:
            self.rep.report("GP057", extra.span, f"规则集声明只能有一个（第一个在 {decls[0].span}）",
                            f"only one policy header allowed (first at {decls[0].span})")
        d = decls[0]
        p = _Props(d, self.rep)
        routing = p.name("routing")
        mode = routing[0] if routing else "first"
        if mode not in ("first", "unique"):
            self.rep.report("GP023", routing[1] if routing else d.span,
                            "分流方式只能是 first（先匹配先得）或 unique（规则互不重叠）",
                            "routing must be 'first' or 'unique'")
        version = p.literal("version", "string", required=True)
        tz = p.literal("timezone", "string") or "Asia/Shanghai"
        try:
            from zoneinfo import ZoneInfo

            ZoneInfo(tz)
        except Exception:
            self.rep.report("GP041", p.get("timezone").span if p.get("timezone") else d.span,
                            f"未知时区“{tz}”", f"unknown time zone '{tz}'")
        return Header(d.id or "policy", d.label or d.id or "", str(version or ""), p.strings("authority"),
                      p.literal("effective", "date"), mode, tz, p.meta(), d.span)

    def check_tiers(self, decls: list[Decl]) -> None:
        for d in self.unique(decls, self.tiers, ("层级", "tier")):
            p = _Props(d, self.rep)
            level = p.literal("level", "number")
            self.tiers[d.id] = Tier(d.id, d.label or d.id, int(level) if level is not None else 0,
                                    p.meta(), d.span)
        # Levels: given, or by order of declaration.
        tiers = list(self.tiers.values())
        if tiers and all(t.level == 0 for t in tiers):
            tiers = [replace(t, level=i) for i, t in enumerate(tiers, 1)]
        tiers.sort(key=lambda t: t.level)
        levels = [t.level for t in tiers]
        if len(set(levels)) != len(levels):
            dup = next(t for t in tiers if levels.count(t.level) > 1)
            self.rep.report("GP059", dup.span, f"层级级别 {dup.level} 重复", f"tier level {dup.level} used twice")
        self.tiers = {t.id: t for t in tiers}
        if not self.tiers and self.src.decls:
            self.rep.report("GP021", self.src.decls[0].span, "规则集没有声明任何层级（tier）",
                            "the policy declares no tiers")

    def check_departments(self, decls: list[Decl]) -> None:
        for d in self.unique(decls, self.departments, ("部门", "department")):
            p = _Props(d, self.rep)
            tier = p.name("tier", required=True)
            tier_id = self.ref(*tier, self.tiers, ("层级", "tier")) if tier else None
            self.departments[d.id] = Department(d.id, d.label or d.id, tier_id or "",
                                                p.literal("short", "string") or "", p.meta(), d.span)

    def check_roles(self, decls: list[Decl]) -> None:
        for d in self.unique(decls, self.roles, ("角色", "role")):
            p = _Props(d, self.rep)
            cat = p.name("category")
            category = cat[0] if cat else "staff"
            if cat and category not in ROLE_CATEGORIES:
                self.rep.unknown(cat[1], "角色类别", "role category", category, ROLE_CATEGORIES)
            by = p.name("assigned_by")
            dept = self.ref(*by, self.departments, ("部门", "department")) if by else None
            t = p.name("tier")
            tier = self.ref(*t, self.tiers, ("层级", "tier")) if t else None
            self.roles[d.id] = Role(d.id, d.label or d.id, category, dept, tier, p.meta(), d.span)

    # ---- schema --------------------------------------------------------------------------

    def check_fields(self, decls: list[Decl]) -> None:
        for d in self.unique(decls, self.fields, ("字段", "field")):
            if d.id in RESERVED_FIELDS:
                self.rep.report("GP030", d.id_span, f"“{d.id}”是事项的固定字段，不能重新定义",
                                f"'{d.id}' is part of the fixed item envelope and cannot be redefined")
                continue
            p = _Props(d, self.rep)
            t = p.name("type", required=True)
            ftype = t[0] if t else "text"
            if t and ftype not in FIELD_TYPES:
                self.rep.unknown(t[1], "字段类型", "field type", ftype, FIELD_TYPES)
                ftype = "text"
            values: list[tuple[str, str]] = []
            if ftype in ("enum", "set"):
                for name, span, label in p.names("values"):
                    if name in dict(values):
                        self.rep.report("GP030", span, f"取值“{name}”重复", f"value '{name}' listed twice")
                    values.append((name, label or name))
                if ftype == "enum" and not values:
                    self.rep.report("GP021", d.id_span, f"选项字段“{d.id}”需要列出取值（values）",
                                    f"enum field '{d.id}' needs its values")
            elif p.get("values"):
                self.rep.report("GP023", p.get("values").span, "只有 enum 和 set 字段可以列出取值",
                                "only enum and set fields take values")
            rng = self.range_of(p, "range")
            required = bool(p.literal("required", "bool"))
            field = Field(d.id, d.label or d.id, ftype, tuple(values), None, required, rng, p.meta(), d.span)
            default_prop = p.get("default")
            if default_prop is not None:
                field = replace(field, default=self.default_value(field, default_prop))
            elif ftype == "set":
                field = replace(field, default=frozenset())
            self.fields[d.id] = field

    def range_of(self, p: _Props, key: str) -> tuple[float, float] | None:
        prop = p.get(key)
        if prop is None:
            return None
        arg = prop.args[0]
        if len(prop.args) == 1 and isinstance(arg.value, Binary) and arg.value.op == "..":
            lo, hi = self.const_number(arg.value.left), self.const_number(arg.value.right)
            if lo is not None and hi is not None and lo < hi:
                return (lo, hi)
        self.rep.report("GP023", prop.span, f"“{prop.key}”应写成“下限 .. 上限”，如 0 .. 100",
                        f"'{prop.key}' takes 'low .. high', e.g. 0 .. 100")
        return None

    @staticmethod
    def const_number(e: Expr) -> float | None:
        if isinstance(e, Literal) and e.kind == "number":
            return e.value
        if isinstance(e, Unary) and e.op == "-" and isinstance(e.operand, Literal) and e.operand.kind == "number":
            return -e.operand.value
        return None

    def field_type(self, f: Field) -> Ty:
        if f.type == "enum":
            return Ty("enum", f.value_codes, f.id)
        if f.type == "set":
            return Ty("set", f.value_codes or None, f.id)
        if f.type == "tier":
            return Ty("tier", tuple(self.tiers), f.id)
        if f.type == "department":
            return Ty("department", tuple(self.departments), f.id)
        if f.type == "role":
            return Ty("role", tuple(self.roles), f.id)
        return Ty(f.type, None, f.id)

    def value_of(self, f: Field, e: Expr) -> Any:
        """A constant of field `f`'s type, from a default or trait value. Reports errors."""
        ty = self.field_type(f)
        if f.type == "set":
            items = e.items if isinstance(e, ListLit) else (e,)
            out = []
            for item in items:
                v = self.symbol_or_string(item, Ty("enum", ty.domain, f.id) if ty.domain else T.TEXT)
                if v is not None:
                    out.append(v)
            return frozenset(out)
        if f.type in ("enum", "tier", "department", "role"):
            return self.symbol_or_string(e, ty)
        if f.type == "number":
            n = self.const_number(e)
            if n is None:
                self.type_error(e, "数字", "a number")
            elif f.range and not f.range[0] <= n <= f.range[1]:
                self.rep.report("GP040", e.span, f"{n} 超出范围 {f.range[0]} .. {f.range[1]}",
                                f"{n} is outside the range {f.range[0]} .. {f.range[1]}")
            return n
        if f.type == "bool":
            if isinstance(e, Literal) and e.kind == "bool":
                return e.value
            self.type_error(e, "true/false", "true or false")
            return None
        if f.type in ("text", "date", "datetime"):
            kind = "string" if f.type == "text" else f.type
            if isinstance(e, Literal) and e.kind == kind:
                return e.value
            self.type_error(e, T.TYPE_NAMES_ZH[f.type], f.type)
        return None

    def symbol_or_string(self, e: Expr, ty: Ty) -> str | None:
        name = e.id if isinstance(e, Name) else e.value if isinstance(e, Literal) and e.kind == "string" else None
        if name is None:
            self.type_error(e, T.zh(ty), ty.kind)
            return None
        if ty.domain is not None and name not in ty.domain:
            self.rep.unknown(e.span, f"{T.zh(ty)}取值", f"{ty.kind} value", name, ty.domain)
            return None
        return name

    def type_error(self, e: Expr, want_zh: str, want_en: str) -> None:
        self.rep.report("GP040", e.span, f"这里应为{want_zh}", f"expected {want_en} here")

    def default_value(self, f: Field, prop: Prop) -> Any:
        if len(prop.args) != 1:
            self.rep.report("GP023", prop.span, "默认值只能有一个", "a default takes one value")
            return None
        return self.value_of(f, prop.args[0].value)

    def check_calendar(self, decls: list[Decl]) -> Calendar:
        holidays: set[dt.date] = set()
        workdays: set[dt.date] = set()
        for d in decls:
            p = _Props(d, self.rep)
            for key, into in (("holidays", holidays), ("workdays", workdays)):
                for arg in (a for prop in p.by_key.get(key, []) for a in prop.args):
                    into.update(self.dates(arg.value))
        both = holidays & workdays
        if both:
            day = min(both)
            self.rep.report("GP023", decls[0].span, f"{day} 同时被列为节假日和调休上班日",
                            f"{day} is listed both as a holiday and as a make-up workday")
        return Calendar(frozenset(holidays), frozenset(workdays))

    def dates(self, e: Expr) -> list[dt.date]:
        if isinstance(e, Literal) and e.kind == "date":
            return [e.value]
        if isinstance(e, Binary) and e.op == ".." and isinstance(e.left, Literal) and isinstance(
                e.right, Literal) and e.left.kind == e.right.kind == "date":
            a, b = e.left.value, e.right.value
            if b < a or (b - a).days > 366:
                self.rep.report("GP023", e.span, "日期区间无效（应从早到晚，且不超过一年）",
                                "invalid date range (must run forward, at most a year)")
                return []
            return [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]
        self.type_error(e, "日期或日期区间（2026-10-01 .. 2026-10-08）", "a date or date range")
        return []

    # ---- lists, matters, exits ------------------------------------------------------------

    def check_lists(self, decls: list[Decl]) -> None:
        for d in self.unique(decls, self.lists, ("清单", "list")):
            p = _Props(d, self.rep)
            batches: dict[str, Batch] = {}
            for b in self.unique([c for c in d.children if c.kind == "batch"], {}, ("批次", "batch")):
                bp = _Props(b, self.rep)
                batches[b.id] = Batch(b.id, b.label or b.id, bp.literal("effective", "date"), bp.meta(), b.span)
            self.batches.update(batches)
            matters = []
            for m in self.unique([c for c in d.children if c.kind == "matter"], self.matters, ("事项", "matter")):
                matter = self.check_matter(m, d.id, batches)
                self.matters[matter.code] = matter
                matters.append(matter)
            self.lists[d.id] = MatterList(d.id, d.label or d.id, bool(p.literal("admission", "bool")),
                                          p.strings("authority"), tuple(batches.values()), tuple(matters),
                                          p.meta(), d.span)
        # Names and aliases must identify one matter.
        for m in self.matters.values():
            for key in (m.code, m.name, *m.aliases):
                other = self.matter_keys.get(key)
                if other is not None and other != m.code:
                    self.rep.report("GP030", m.span, f"名称或别名“{key}”同时属于事项 {other} 和 {m.code}",
                                    f"name or alias '{key}' belongs to both {other} and {m.code}")
                self.matter_keys.setdefault(key, m.code)

    def check_matter(self, d: Decl, list_id: str, batches: dict[str, Batch]) -> Matter:
        p = _Props(d, self.rep)
        batch = p.name("batch")
        batch_id = self.ref(*batch, batches, ("批次", "batch")) if batch else None
        effective = p.literal("effective", "date")
        if effective is None and batch_id:
            effective = batches[batch_id].effective
        expires = p.literal("expires", "date")
        if expires is not None and effective is not None and expires <= effective:
            self.rep.report("GP056", p.get("expires").span, f"截止日期 {expires} 不晚于生效日期 {effective}",
                            f"expiry {expires} is not after the effective date {effective}")
        handlers = []
        for name, span, _ in p.names("handlers"):
            if self.ref(name, span, self.roles, ("角色", "role")):
                handlers.append(name)
        owner = p.name("owner")
        owner_id = self.ref(*owner, self.departments, ("部门", "department")) if owner else None
        traits: list[tuple[str, Any]] = []
        for t in d.children:
            tp = _Props(t, self.rep)
            for key, props in tp.by_key.items():
                prop = props[0]
                if key not in self.fields:
                    self.rep.unknown(prop.span, "字段", "field", key, self.fields)
                    continue
                if len(prop.args) != 1:
                    self.rep.report("GP023", prop.span, "特征只能取一个值（集合用 [ ] 括起）",
                                    "a trait takes one value (use [ ] for a set)")
                    continue
                traits.append((key, self.value_of(self.fields[key], prop.args[0].value)))
        return Matter(d.id, d.label or d.id, list_id, p.strings("aliases"), batch_id, effective, expires,
                      tuple(handlers), owner_id, p.literal("basis", "string") or "", tuple(traits),
                      p.meta(), d.span)

    def check_exits(self, decls: list[Decl]) -> tuple[Exit, ...]:
        out = []
        for d in self.unique(decls, {}, ("退出", "exit")):
            p = _Props(d, self.rep)
            m = p.name("matter")
            if m is None and p.get("matter") is not None:
                arg = p.get("matter").args[0].value
                if isinstance(arg, Literal) and arg.kind == "string":
                    m = (self.matter_keys.get(arg.value, arg.value), arg.span)
            if m is None:
                p.require("matter")
                continue
            code = self.matter_keys.get(m[0])
            if code is None:
                self.rep.unknown(m[1], "事项", "matter", m[0], self.matter_keys, code="GP051")
                continue
            matter = self.matters[code]
            lst = p.name("list")
            if lst and lst[0] != matter.list:
                self.rep.report("GP051", lst[1], f"事项 {code} 不在清单“{lst[0]}”中（在“{matter.list}”中）",
                                f"matter {code} is not on list '{lst[0]}' (it is on '{matter.list}')")
            date = p.literal("date", "date", required=True)
            if date is None:
                continue
            if matter.effective and date <= matter.effective:
                self.rep.report("GP052", p.get("date").span,
                                f"退出日期 {date} 不晚于事项 {code} 的生效日期 {matter.effective}",
                                f"exit date {date} is not after matter {code} takes effect ({matter.effective})")
            approved = p.literal("approved_by", "string", required=True)
            ref = p.literal("ref", "string", required=True)
            reason = p.literal("reason", "string", required=True)
            out.append(Exit(d.id, d.label or d.id, code, matter.list, date, approved or "", ref or "",
                            reason or "", p.meta(), d.span))
        seen: dict[str, Exit] = {}
        for e in out:
            if e.matter in seen:
                self.rep.report("GP030", e.span, f"事项 {e.matter} 已在 {seen[e.matter].span} 退出",
                                f"matter {e.matter} already exits at {seen[e.matter].span}")
            seen[e.matter] = e
        return tuple(out)

    # ---- criteria and routes ----------------------------------------------------------------

    def item_names(self) -> dict[str, Ty]:
        names = {f.id: self.field_type(f) for f in self.fields.values()}
        names.update({
            "id": T.TEXT, "grid": T.TEXT, "reported_at": T.DATETIME,
            "kind": Ty("kind", KINDS, "kind"), "matter": Ty("matter"),
        })
        return names

    def condition(self, p: _Props, key: str, scope: dict[str, Ty], required: bool) -> tuple[Expr | None, str]:
        prop = p.require(key) if required else p.get(key)
        if prop is None:
            return None, ""
        arg = p._one(prop)
        if arg is None:
            return None, ""
        expr, ty = Typer(self, scope, "item").infer(arg.value)
        if ty.kind not in ("bool", "any", "none"):
            self.rep.report("GP040", arg.value.span, f"条件应为“是/否”判断，这里是{T.zh(ty)}",
                            f"a condition must be true or false, this is {ty.kind}")
        return expr, _text_of(self.src, arg.value.span)

    def check_criteria(self, decls: list[Decl]) -> tuple[Criterion, ...]:
        out = []
        scope = self.item_names()
        for d in self.unique(decls, {}, ("排除标准", "criterion")):
            p = _Props(d, self.rep)
            cond, text = self.condition(p, "when", scope, True)
            if cond is not None:
                out.append(Criterion(d.id, d.label or d.id, cond, text, p.literal("basis", "string") or "",
                                     p.meta(), d.span))
        return tuple(out)

    def check_routes(self, decls: list[Decl]) -> tuple[Route, ...]:
        out: list[Route] = []
        scope = self.item_names()
        for d in self.unique(decls, {}, ("分流规则", "route")):
            p = _Props(d, self.rep)
            cond, text = self.condition(p, "when", scope, False)
            typer = Typer(self, scope, "item")
            tier_expr = None
            tprop = p.get("tier")
            if tprop is not None and (arg := p._one(tprop)) is not None:
                tier_expr, ty = typer.infer(arg.value, Ty("tier", tuple(self.tiers)))
                if ty.kind not in ("tier", "any"):
                    self.type_error(arg.value, "层级", "a tier")
            dept_expr = None
            dprop = p.get("department")
            if dprop is not None and (arg := p._one(dprop)) is not None:
                dept_expr, ty = typer.infer(arg.value, Ty("department", tuple(self.departments)))
                if ty.kind not in ("department", "any"):
                    self.type_error(arg.value, "部门", "a department")
            cont = bool(p.literal("continue", "bool"))
            if tier_expr is None and dept_expr is None and tprop is None and dprop is None and not cont:
                self.rep.report("GP021", d.id_span, f"分流规则“{d.id}”需要层级（tier）或承办部门（department）",
                                f"route '{d.id}' needs a tier or a department")
            handlers = []
            for name, span, _ in p.names("handlers"):
                if name in ("matter", "事项") or self.ref(name, span, self.roles, ("角色", "role")):
                    handlers.append("matter" if name in ("matter", "事项") else name)
            limit = p.literal("limit", "duration")
            if limit is not None:
                self.check_duration(limit, p.get("limit").span)
            route_level = self.tier_level(tier_expr.value) if isinstance(tier_expr, Symbol) else None
            if route_level is None and isinstance(dept_expr, Symbol):
                route_level = self.tier_level(self.departments[dept_expr.value].tier)
            escalation = self.check_escalation(p, route_level)
            out.append(Route(d.id, d.label or d.id, cond, text, tier_expr, tuple(handlers), dept_expr, limit,
                             escalation, cont, p.literal("dispatch", "string") or "", p.meta(), d.span))
        if out and not any(r.condition is None and not r.cont for r in out):
            self.rep.report("GP058", out[-1].span, "没有兜底分流规则：每一件问题都必须有去处，请在最后加一条不带条件（when）的规则",
                            "no catch-all route: every issue must go somewhere; end with a route without 'when'")
        elif not out and self.src.decls:
            self.rep.report("GP058", self.src.decls[0].span, "规则集没有任何分流规则", "the policy has no routes")
        return tuple(out)

    def check_duration(self, d: Duration, span: Span) -> None:
        if d.unit in ("days", "workdays") and not float(d.amount).is_integer():
            self.rep.report("GP041", span, "天数和工作日数必须是整数", "days and workdays must be whole numbers")

    def check_escalation(self, p: _Props, level: int | None) -> tuple[Escalation, ...]:
        prop = p.get("escalate")
        if prop is None:
            return ()
        steps: list[Escalation] = []
        prev_level = level
        prev_after: Duration | None = None
        for arg in prop.args:
            if not (isinstance(arg.value, Literal) and arg.value.kind == "duration" and isinstance(arg.target, Name)):
                self.rep.report("GP023", arg.span, "升级写法：时长 -> 层级或部门，如 2 工作日 -> community",
                                "escalation is written: duration -> tier or department, e.g. 2 workdays -> community")
                continue
            after: Duration = arg.value.value
            self.check_duration(after, arg.value.span)
            target = arg.target.id
            tier = dept = None
            if target in ABOVE:
                tier = "above"
            elif target in self.tiers:
                tier = target
            elif target in self.departments:
                dept = target
            else:
                self.rep.unknown(arg.target.span, "层级或部门", "tier or department", target,
                                 [*self.tiers, *self.departments])
                continue
            target_level = self.tier_level(tier if tier != "above" else None) if tier else \
                self.tier_level(self.departments[dept].tier)
            if tier != "above" and prev_level is not None and target_level <= prev_level:
                self.rep.report("GP053", arg.target.span,
                                f"升级目标“{target}”不高于上一级处理层级（应逐级向上）",
                                f"escalation to '{target}' is not above the tier before it")
            if prev_after is not None and _minutes(after) <= _minutes(prev_after):
                self.rep.report("GP053", arg.value.span, "升级时间应逐步加长",
                                "escalation steps must come later one after another")
            if tier != "above":
                prev_level = target_level
            prev_after = after
            steps.append(Escalation(after, tier, dept, arg.label or ""))
        return tuple(steps)

    # ---- formulas and grades ------------------------------------------------------------------

    def check_grades(self, decls: list[Decl]) -> tuple[Grade, ...]:
        out = []
        for d in self.unique(decls, {}, ("等级", "grade")):
            p = _Props(d, self.rep)
            bands: list[Band] = []
            p.require("band")
            for arg in (a for prop in p.by_key.get("band", []) for a in prop.args):
                n = self.const_number(arg.value)
                if n is None or not isinstance(arg.target, Name):
                    self.rep.report("GP023", arg.span, "档次写法：分数线 -> 名称 \"中文名\"，如 90 -> five \"五星\"",
                                    "a band is written: threshold -> name \"label\", e.g. 90 -> five \"five stars\"")
                    continue
                if bands and n >= bands[-1].threshold:
                    self.rep.report("GP054", arg.value.span,
                                    f"分数线 {n} 应低于上一档 {bands[-1].threshold}（从高到低排列）",
                                    f"threshold {n} must be below the previous band's {bands[-1].threshold} "
                                    "(list bands from highest to lowest)")
                bands.append(Band(n, arg.target.id, arg.label or arg.target.id))
            out.append(Grade(d.id, d.label or d.id, tuple(bands), p.meta(), d.span))
        return tuple(out)

    def check_formulas(self, decls: list[Decl], grades: dict[str, Grade]) -> tuple[Formula, ...]:
        out = []
        for d in self.unique(decls, {}, ("公式", "formula")):
            p = _Props(d, self.rep)
            inputs: list[Input] = []
            for i in self.unique([c for c in d.children if c.kind == "input"], {}, ("输入", "input")):
                ip = _Props(i, self.rep)
                t = ip.name("type")
                itype = t[0] if t else "number"
                if itype not in ("number", "records"):
                    self.rep.unknown(t[1], "输入类型", "input type", itype, ("number", "records"))
                fields = tuple(n for n, _, _ in ip.names("fields"))
                inputs.append(Input(i.id, i.label or i.id, itype, self.range_of(ip, "range"), fields,
                                    ip.meta(), i.span))
            scope = {i.id: (Ty("records", i.fields, i.id) if i.type == "records" else Ty("number", None, i.id))
                     for i in inputs}
            prop = p.require("value")
            if prop is None or (arg := p._one(prop)) is None:
                continue
            value, ty = Typer(self, scope, "formula").infer(arg.value)
            if ty.kind not in ("number", "any"):
                self.type_error(arg.value, "数字", "a number")
            rnd = p.literal("round", "number")
            g = p.name("grade")
            grade = self.ref(*g, grades, ("等级", "grade")) if g else None
            rng = self.range_of(p, "range")
            if grade and rng and grades[grade].bands and grades[grade].bands[-1].threshold > rng[0]:
                self.rep.report("GP054", g[1], f"等级“{grade}”的最低档 {grades[grade].bands[-1].threshold} "
                                f"高于公式下限 {rng[0]}，部分分数没有等级",
                                f"grade '{grade}' starts at {grades[grade].bands[-1].threshold}, above the "
                                f"formula's minimum {rng[0]}: some scores get no grade", severity=WARNING)
            out.append(Formula(d.id, d.label or d.id, tuple(inputs), value, _text_of(self.src, arg.value.span),
                               int(rnd) if rnd is not None else None, grade, rng, p.meta(), d.span))
        return tuple(out)

    def check_registries(self) -> tuple[GridPlace, ...]:
        """The grid registry files beside the rules, validated (GP015 with file and line)."""
        from .registry import RegistryError, parse_registry

        places: dict[str, GridPlace] = {}
        for name, text in self.src.registries.items():
            self.rep.add_source(name, text)
            try:
                registry = parse_registry(text, name)
            except RegistryError as exc:
                for p in exc.problems:
                    where = f"（{p.path}）" if p.path else ""
                    self.rep.report("GP015", Span(name, max(p.line, 1), 1, max(p.line, 1), 2),
                                    f"网格台账有误{where}：{p.message_zh}",
                                    f"grid registry invalid{f' ({p.path})' if p.path else ''}: {p.message_en}")
                continue
            for entry in registry.grids():
                if entry.code in places:
                    self.rep.report("GP015", Span(name, 1, 1, 1, 2), f"网格编码 {entry.code} 在多个台账文件中出现",
                                    f"grid code {entry.code} appears in more than one registry file")
                places[entry.code] = GridPlace(entry.code, entry.grid.name, entry.community.name, entry.street.name)
        return tuple(places.values())

    def check_catalogs(self, decls: list[Decl]) -> tuple[Catalog, ...]:
        out = []
        for d in self.unique(decls, {}, ("目录", "catalog")):
            p = _Props(d, self.rep)
            entries = []
            for q in p.by_key.get("entry", []):
                for arg in q.args:
                    key = arg.value.id if isinstance(arg.value, Name) else str(getattr(arg.value, "value", ""))
                    entries.append((key, arg.label or key))
            out.append(Catalog(d.id, d.label or d.id, tuple(entries), p.meta(), d.span))
        return tuple(out)


def _minutes(d: Duration) -> float:
    return d.amount * {"minutes": 1, "hours": 60, "days": 1440, "workdays": 1440 * 1.4}[d.unit]


class Typer:
    """Infers and checks expression types; returns a resolved copy of the expression in which
    bare names that denote constants become `Symbol`s."""

    def __init__(self, checker: Checker, scope: dict[str, Ty], mode: str, records: Ty | None = None):
        self.c = checker
        self.scope = scope
        self.mode = mode  # item | formula | record
        self.records = records

    @property
    def rep(self) -> Reporter:
        return self.c.rep

    def symbol_tables(self) -> dict[str, dict[str, Any]]:
        c = self.c
        return {"tier": c.tiers, "department": c.departments, "role": c.roles, "list": c.lists}

    def infer(self, e: Expr, expected: Ty | None = None) -> tuple[Expr, Ty]:
        method: Callable[[Any, Ty | None], tuple[Expr, Ty]] = getattr(self, "t_" + type(e).__name__)
        return method(e, expected)

    def t_Literal(self, e: Literal, expected: Ty | None) -> tuple[Expr, Ty]:
        kind = {"string": "text"}.get(e.kind, e.kind)
        if e.kind == "string" and expected is not None:
            if expected.kind == "matter":
                code = self.c.matter_keys.get(e.value)
                if code is None:
                    self.rep.unknown(e.span, "事项", "matter", e.value, self.c.matter_keys)
                    return e, T.ANY
                return Symbol(e.span, "matter", code), expected
            if expected.kind in T.SYMBOLIC and expected.domain is not None:
                if e.value not in expected.domain:
                    self.rep.unknown(e.span, f"{T.zh(expected)}取值", f"{expected.kind} value", e.value, expected.domain)
                    return e, T.ANY
                return Symbol(e.span, expected.kind, e.value), expected
        return e, Ty(kind)

    def t_Symbol(self, e: Symbol, expected: Ty | None) -> tuple[Expr, Ty]:
        return e, Ty(e.kind)

    def t_Name(self, e: Name, expected: Ty | None) -> tuple[Expr, Ty]:
        if self.mode == "record" and self.records is not None and e.id in (self.records.domain or ()):
            return e, T.ANY
        # A value the context expects wins over a field of the same name (tier `grid` vs the
        # envelope field `grid`).
        if expected is not None and expected.domain is not None and e.id in expected.domain \
                and expected.kind in (*T.SYMBOLIC, "set"):
            kind = "enum" if expected.kind == "set" else expected.kind
            return Symbol(e.span, kind, e.id), Ty(kind, expected.domain, expected.owner)
        if e.id in self.scope:
            return e, self.scope[e.id]
        if expected is not None and expected.kind == "matter" and e.id in self.c.matter_keys:
            return Symbol(e.span, "matter", self.c.matter_keys[e.id]), expected
        if self.mode == "item":
            for kind, table in self.symbol_tables().items():
                if e.id in table:
                    return Symbol(e.span, kind, e.id), Ty(kind, tuple(table))
        known = list(self.scope)
        if expected is not None and expected.domain:
            known += list(expected.domain)
        if self.mode == "record" and self.records is not None:
            known += list(self.records.domain or ())
        if self.mode == "item":
            for table in self.symbol_tables().values():
                known += list(table)
        what = ("字段或取值", "field or value") if self.mode == "item" else ("输入", "input")
        self.rep.unknown(e.span, *what, e.id, known)
        return e, T.ANY

    def t_Attr(self, e: Attr, expected: Ty | None) -> tuple[Expr, Ty]:
        obj, ty = self.infer(e.obj)
        if ty.kind == "matter" and e.name in MATTER_ATTRS:
            kind = MATTER_ATTRS[e.name]
            domain = {"batch": tuple(self.c.batches), "list": tuple(self.c.lists), "status": STATUSES,
                      "department": tuple(self.c.departments)}[kind]
            return Attr(e.span, obj, e.name), Ty(kind, domain)
        if isinstance(e.obj, Name) and e.obj.id == "grid" and ty.kind == "text" and e.name in GRID_ATTRS:
            return Attr(e.span, obj, e.name), T.TEXT
        if ty.kind == "department" and e.name == "tier":
            return Attr(e.span, obj, e.name), Ty("tier", tuple(self.c.tiers))
        if ty.kind == "any":
            return Attr(e.span, obj, e.name), T.ANY
        allowed = list(MATTER_ATTRS) if ty.kind == "matter" else ["tier"] if ty.kind == "department" else \
            list(GRID_ATTRS) if isinstance(e.obj, Name) and e.obj.id == "grid" else []
        self.rep.unknown(e.span, f"{T.zh(ty)}的属性", f"attribute of {ty.kind}", e.name, allowed)
        return e, T.ANY

    def t_ListLit(self, e: ListLit, expected: Ty | None) -> tuple[Expr, Ty]:
        elem = Ty("enum", expected.domain, expected.owner) if expected and expected.kind == "set" else expected
        items, tys = [], []
        for item in e.items:
            r, t = self.infer(item, elem)
            items.append(r)
            tys.append(t)
        kinds = {t.kind for t in tys} - {"any"}
        if len(kinds) > 1 and not kinds <= {"enum", "text"}:
            self.rep.report("GP040", e.span, "列表中的值类型不一致", "list items have different types")
        domain = elem.domain if elem else None
        return ListLit(e.span, tuple(items)), Ty("set", domain, elem.owner if elem else "")

    def t_Unary(self, e: Unary, expected: Ty | None) -> tuple[Expr, Ty]:
        operand, ty = self.infer(e.operand)
        if e.op == "not":
            self.want(e.operand, ty, ("bool",))
            return Unary(e.span, "not", operand), T.BOOL
        self.want(e.operand, ty, ("number", "duration"))
        return Unary(e.span, "-", operand), ty

    def want(self, e: Expr, ty: Ty, kinds: tuple[str, ...]) -> None:
        if ty.kind not in (*kinds, "any", "none"):
            want_zh = "或".join(T.TYPE_NAMES_ZH.get(k, k) for k in kinds)
            self.rep.report("GP040", e.span, f"这里应为{want_zh}，实际是{T.zh(ty)}",
                            f"expected {' or '.join(kinds)} here, got {ty.kind}")

    def t_Binary(self, e: Binary, expected: Ty | None) -> tuple[Expr, Ty]:
        op = e.op
        if op in ("and", "or"):
            left, lt = self.infer(e.left)
            right, rt = self.infer(e.right)
            self.want(e.left, lt, ("bool",))
            self.want(e.right, rt, ("bool",))
            return Binary(e.span, op, left, right), T.BOOL
        if op in ("in", "not in"):
            if isinstance(e.right, ListLit):
                # `x in [a, b]`: the list's items take x's type (inferred once, so bare
                # values such as `exited` are not first looked up as fields).
                left, lt = self.infer(e.left)
                if lt.kind == "matter":
                    right: Expr = ListLit(e.right.span, tuple(self.infer(i, lt)[0] for i in e.right.items))
                else:
                    right, _ = self.t_ListLit(e.right, Ty("set", lt.domain, lt.owner) if lt.domain else None)
                return Binary(e.span, op, left, right), T.BOOL
            right, rt = self.infer(e.right, None)
            if rt.kind == "set":
                elem = Ty("enum", rt.domain, rt.owner) if rt.domain else T.TEXT
                left, lt = self.infer(e.left, elem)
                return Binary(e.span, op, left, right), T.BOOL
            if rt.kind == "list":
                left, lt = self.infer(e.left, Ty("matter"))
                self.want(e.left, lt, ("matter",))
                return Binary(e.span, op, left, right), T.BOOL
            if rt.kind == "range":
                left, lt = self.infer(e.left)
                self.want(e.left, lt, ("number",))
                return Binary(e.span, op, left, right), T.BOOL
            if rt.kind == "text":
                left, lt = self.infer(e.left)
                self.want(e.left, lt, ("text",))
                return Binary(e.span, op, left, right), T.BOOL
            if rt.kind != "any":
                self.rep.report("GP040", e.right.span, f"“属于/in”右边应为集合、列表、清单或区间，实际是{T.zh(rt)}",
                                f"the right side of 'in' must be a set, list, matter list or range, got {rt.kind}")
            left, _ = self.infer(e.left)
            return Binary(e.span, op, left, right), T.BOOL
        if op == "..":
            left, lt = self.infer(e.left)
            right, rt = self.infer(e.right)
            self.want(e.left, lt, ("number", "date"))
            self.want(e.right, rt, ("number", "date"))
            return Binary(e.span, op, left, right), Ty("range")
        if op in ("==", "!=", "<", "<=", ">", ">="):
            left, right, lt, rt = self.pair(e.left, e.right)
            if not T.comparable(lt, rt):
                self.rep.report("GP040", e.span, f"不能比较{T.zh(lt)}和{T.zh(rt)}",
                                f"cannot compare {lt.kind} with {rt.kind}")
            if op not in ("==", "!=") and lt.kind not in ("number", "date", "datetime", "duration", "tier", "any"):
                self.rep.report("GP040", e.span, f"{T.zh(lt)}不能比较大小", f"{lt.kind} values cannot be ordered")
            return Binary(e.span, op, left, right), T.BOOL
        # arithmetic
        left, lt = self.infer(e.left)
        right, rt = self.infer(e.right)
        if op == "-" and lt.kind in ("date", "datetime") and rt.kind == lt.kind:
            return Binary(e.span, op, left, right), T.NUMBER  # difference in days
        if op in ("+", "-") and lt.kind in ("date", "datetime") and rt.kind == "duration":
            return Binary(e.span, op, left, right), lt
        self.want(e.left, lt, ("number",))
        self.want(e.right, rt, ("number",))
        return Binary(e.span, op, left, right), T.NUMBER

    def pair(self, a: Expr, b: Expr) -> tuple[Expr, Expr, Ty, Ty]:
        """Infer two operands, letting a bare name on one side take the other side's type."""
        if self.is_bare(a) and not self.is_bare(b):
            right, rt = self.infer(b)
            left, lt = self.infer(a, rt)
        else:
            left, lt = self.infer(a)
            right, rt = self.infer(b, lt)
        return left, right, lt, rt

    def is_bare(self, e: Expr) -> bool:
        return isinstance(e, Name) and e.id not in self.scope and not (
            self.mode == "record" and self.records is not None and e.id in (self.records.domain or ()))

    def t_Call(self, e: Call, expected: Ty | None) -> tuple[Expr, Ty]:
        allowed = ITEM_FUNCTIONS if self.mode == "item" else FORMULA_FUNCTIONS
        if e.func not in allowed:
            self.rep.unknown(e.span, "函数", "function", e.func, allowed, code="GP032")
            return e, T.ANY
        f = e.func
        if e.kwargs and f != "weighted":
            self.rep.report("GP023", e.span, f"函数 {f} 不接受“名称: 值”形式的参数",
                            f"function {f} takes no 'name: value' arguments")
        if self.mode == "item":
            return self.item_call(e)
        return self.formula_call(e)

    def arity(self, e: Call, lo: int, hi: int) -> bool:
        if not lo <= len(e.args) <= hi:
            n = str(lo) if lo == hi else f"{lo}–{hi}"
            self.rep.report("GP023", e.span, f"函数 {e.func} 需要 {n} 个参数，给了 {len(e.args)} 个",
                            f"function {e.func} takes {n} argument(s), got {len(e.args)}")
            return False
        return True

    def item_call(self, e: Call) -> tuple[Expr, Ty]:
        f = e.func
        if f == "has":
            if self.arity(e, 1, 1) and not (isinstance(e.args[0], Name) and e.args[0].id in self.scope):
                self.rep.report("GP023", e.args[0].span, "has(...) 的参数应为字段名", "has(...) takes a field name")
            return e, T.BOOL
        if not self.arity(e, 1, 2 if f == "contains" else 1):
            return e, T.ANY
        hint = {"above": Ty("tier", tuple(self.c.tiers)),
                "tier_of": Ty("department", tuple(self.c.departments))}.get(f)
        args, tys = zip(*(self.infer(a, hint) for a in e.args), strict=True)
        call = Call(e.span, f, tuple(args))
        if f == "above":
            self.want(e.args[0], tys[0], ("tier",))
            return call, Ty("tier", tuple(self.c.tiers))
        if f == "tier_of":
            self.want(e.args[0], tys[0], ("department",))
            return call, Ty("tier", tuple(self.c.tiers))
        if f == "count":
            self.want(e.args[0], tys[0], ("set",))
            return call, T.NUMBER
        if f == "contains":
            if len(e.args) != 2:
                self.arity(e, 2, 2)
            self.want(e.args[0], tys[0], ("text",))
            return call, T.BOOL
        return call, T.ANY

    def formula_call(self, e: Call) -> tuple[Expr, Ty]:
        f = e.func
        if f == "weighted":
            if e.args or not e.kwargs:
                self.rep.report("GP023", e.span, "weighted 写法：weighted(输入: 权重, …)",
                                "weighted is written weighted(input: weight, ...)")
                return e, T.NUMBER
            total = 0.0
            kwargs = []
            for name, w in e.kwargs:
                if name not in self.scope:
                    self.rep.unknown(w.span, "输入", "input", name, self.scope)
                n = self.c.const_number(w)
                if n is None:
                    self.type_error_expr(w)
                else:
                    total += n
                kwargs.append((name, w))
            if abs(total - 1.0) > 1e-9:
                self.rep.report("GP055", e.span, f"权重之和为 {round(total, 6)}，应为 1",
                                f"weights sum to {round(total, 6)}, not 1")
            return Call(e.span, f, (), tuple(kwargs)), T.NUMBER
        if f in ("sum", "avg", "count", "rate") and e.args:
            first, ty = self.infer(e.args[0])
            if ty.kind == "records":
                lo = 1 if f == "count" else 2
                if not self.arity(e, lo, 2):
                    return e, T.NUMBER
                inner = Typer(self.c, self.scope, "record", ty)
                rest = []
                for a in e.args[1:]:
                    r, rt = inner.infer(a)
                    if f in ("count", "rate"):
                        inner.want(a, rt, ("bool",))
                    rest.append(r)
                return Call(e.span, f + "_records", (first, *rest)), T.NUMBER
            if f == "rate":
                self.rep.report("GP040", e.args[0].span, "rate 的第一个参数应为记录集",
                                "rate takes a set of records first")
                return e, T.NUMBER
        if f == "round" and not self.arity(e, 1, 2):
            return e, T.NUMBER
        if f == "clamp" and not self.arity(e, 3, 3):
            return e, T.NUMBER
        if f == "abs" and not self.arity(e, 1, 1):
            return e, T.NUMBER
        if f in ("min", "max", "sum", "avg") and not e.args:
            self.arity(e, 1, 99)
            return e, T.NUMBER
        args = []
        for a in e.args:
            r, t = self.infer(a)
            self.want(a, t, ("number",))
            args.append(r)
        return Call(e.span, f, tuple(args)), T.NUMBER

    def type_error_expr(self, e: Expr) -> None:
        self.rep.report("GP040", e.span, "这里应为数字常量", "expected a number constant here")


def check(sources: SourceSet, reporter: Reporter) -> PolicyModel | None:
    """Check parsed sources; returns the model, or None if there were errors."""
    return Checker(sources, reporter).run()

