"""What the stages of the checker share: the parsed sources, the reporter, the symbol tables
filled stage by stage, and the parts of the model being built."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..catalogue import ZH_CLASS_TYPES
from ..departments import DepartmentNames
from ..diagnostics import Reporter
from ..model import Batch, Department, EventClass, Field, MajorClass, Matter, MatterList, Role, Tier
from ..syntax.lines import lines as source_lines
from ..syntax.nodes import Decl, Expr, Literal, Name, Span
from ..syntax.sources import SourceSet
from . import types as T
from .types import Ty

KINDS = ("issue", "task")  # the item envelope's `kind`


class Context:
    """The checker's state. Each stage reads the declarations of its kinds (`decls`), the
    tables earlier stages filled, and stores its part of the model under `model[name]` (the
    `PolicyModel` field it fills)."""

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
        self.department_names = DepartmentNames(())  # id, name or short name -> id (stage `departments`)
        self.classes: dict[str, EventClass] = {}
        self.majors: dict[str, MajorClass] = {}
        self.class_keys: dict[str, str] = {}  # a class's id, code, name or alias -> class id
        self.major_keys: dict[str, str] = {}  # a major class's id, code or name -> major id
        self.model: dict[str, Any] = {}
        # Records inputs of the formula being checked: input id -> record field -> its type.
        self.record_types: dict[str, dict[str, Ty]] = {}
        self._by_kind: dict[str, list[Decl]] = {}
        for d in sources.decls:
            self._by_kind.setdefault(d.kind, []).append(d)
        index_labels(sources.decls, rep.labels)

    def decls(self, kind: str) -> list[Decl]:
        """The top-level declarations of `kind`, in source order."""
        return self._by_kind.get(kind, [])

    def unique(self, decls: Iterable[Decl], seen: dict[str, Any], what: tuple[str, str]) -> list[Decl]:
        """The declarations with a name not yet in `seen` nor given twice (GP023, GP030)."""
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
        """`name` if `table` has it; else reports it unknown (GP031, with a "did you mean")."""
        if name in table:
            return name
        self.rep.unknown(span, what[0], what[1], name, table)
        return None

    def department_ref(self, name: str, span: Span) -> str | None:
        """The department `name` refers to (by id, Chinese name or short name); else reports it
        unknown (GP031, with a "did you mean")."""
        found = self.department_names.resolve(name)
        if found is None:
            self.rep.unknown(span, "部门", "department", name, self.department_names.known())
        return found

    def alias(self, kind: str, name: str) -> str | None:
        """The constant of `kind` that `name` spells, where constants have several spellings:
        departments (id, name, short name), classes (id, code, name, alias), major classes
        (id, code, name) and class types (event/事件, component/部件)."""
        if kind == "department":
            return self.department_names.resolve(name)
        if kind == "class":
            return self.class_keys.get(name)
        if kind == "major":
            return self.major_keys.get(name)
        if kind == "ctype":
            return ZH_CLASS_TYPES.get(name, name if name in ZH_CLASS_TYPES.values() else None)
        return None

    def tier_level(self, tier: str | None) -> int:
        return self.tiers[tier].level if tier in self.tiers else 0

    def type_error(self, e: Expr, want_zh: str, want_en: str) -> None:
        self.rep.report("GP040", e.span, f"这里应为{want_zh}", f"expected {want_en} here")

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

    def item_names(self) -> dict[str, Ty]:
        """The names a condition over an item may use: the schema's fields and the envelope."""
        names = {f.id: self.field_type(f) for f in self.fields.values()}
        names.update({
            "id": T.TEXT, "grid": T.TEXT, "grids": Ty("set"), "reported_at": T.DATETIME,
            "kind": Ty("kind", KINDS, "kind"), "matter": Ty("matter"),
        })
        return names

    def text_of(self, span: Span) -> str:
        """The source text an expression was written as (for the docs and explanations)."""
        text = self.src.texts.get(span.file)
        if text is None or span.line <= 0:
            return ""
        lines = source_lines(text)
        if span.line == span.end_line:
            return lines[span.line - 1][span.column - 1: span.end_column - 1]
        parts = [lines[span.line - 1][span.column - 1:]]
        parts += lines[span.line: span.end_line - 1]
        parts.append(lines[span.end_line - 1][: span.end_column - 1])
        return " ".join(p.strip() for p in parts)


_KIND_WORDS = {"tier": ("层级", "tier"), "department": ("部门", "department"), "role": ("角色", "role"),
               "batch": ("批次", "batch"), "matter": ("事项", "matter"), "field": ("字段", "field"),
               "list": ("清单", "list"), "route": ("分流规则", "route"), "referral": ("转介渠道", "referral channel"),
               "class": ("小类", "class"), "major": ("大类", "major class"), "criterion": ("排除标准", "criterion")}
_SHORT_KEYS = ("short", "简称")
_VALUE_KEYS = ("values", "取值")


def index_labels(decls: Iterable[Decl], labels: dict[str, list[tuple[str, str, str]]]) -> None:
    """Chinese names -> (what, what in English, id) of the declarations, their short names
    and the labelled values of fields."""
    stack = list(decls)
    while stack:
        d = stack.pop()
        stack.extend(d.children)
        what = _KIND_WORDS.get(d.kind)
        if what is None or d.id is None:
            continue
        names = [d.label] if d.label else []
        for p in d.props:
            if p.key in _SHORT_KEYS:
                names += [a.value.value for a in p.args if isinstance(a.value, Literal) and isinstance(a.value.value, str)]
            elif d.kind == "field" and p.key in _VALUE_KEYS:
                for a in p.args:
                    if a.label and isinstance(a.value, Name):
                        v = a.value.id
                        labels.setdefault(a.label, []).append(
                            (f"字段 {d.id} 的取值 {v} ", f"value '{v}' of field '{d.id}'", v))
        for n in names:
            labels.setdefault(n, []).append((f"{what[0]} {d.id} ", f"{what[1]} '{d.id}'", d.id))
