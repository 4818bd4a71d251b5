"""The type rules: infers and checks the types of expressions, resolving bare names that
denote constants (enum values, tiers, matters...) into `Symbol`s."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..diagnostics import Reporter
from ..syntax.nodes import Attr, Binary, Call, Expr, ListLit, Literal, Name, Symbol, Unary
from . import types as T
from .context import Context
from .props import Props, const_number
from .types import Ty

STATUSES = ("in_force", "not_yet_in_force", "exited", "expired", "unlisted", "classified")
# Functions usable in conditions over an item.
ITEM_FUNCTIONS = ("has", "above", "tier_of", "count", "contains")
# Functions usable in formulas.
FORMULA_FUNCTIONS = ("round", "min", "max", "sum", "avg", "count", "rate", "weighted", "abs", "clamp",
                     "where", "if", "points")
GRID_ATTRS = ("community", "street", "name")  # from the grid registry
MATTER_ATTRS = {"batch": "batch", "list": "list", "status": "status", "owner": "department",
                "class": "class", "major": "major", "type": "ctype"}


def condition(ctx: Context, p: Props, key: str, scope: dict[str, Ty], required: bool
              ) -> tuple[Expr | None, str]:
    """The checked condition under `key` (must be true or false) and its source text."""
    prop = p.require(key) if required else p.get(key)
    if prop is None:
        return None, ""
    arg = p.one(prop)
    if arg is None:
        return None, ""
    expr, ty = Typer(ctx, scope, "item").infer(arg.value)
    if ty.kind not in ("bool", "any", "none"):
        ctx.rep.report("GP040", arg.value.span, f"条件应为“是/否”判断，这里是{T.zh(ty)}",
                       f"a condition must be true or false, this is {ty.kind}")
    return expr, ctx.text_of(arg.value.span)


class Typer:
    """Infers and checks expression types; returns a resolved copy of the expression in which
    bare names that denote constants become `Symbol`s."""

    def __init__(self, checker: Context, scope: dict[str, Ty], mode: str, records: Ty | None = None):
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
            if expected.kind in T.ALIASED and (found := self.c.alias(expected.kind, e.value)) is not None:
                return Symbol(e.span, expected.kind, found), expected
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
            return e, self.c.record_types.get(self.records.owner, {}).get(e.id, T.ANY)
        # A value the context expects wins over a field of the same name (tier `grid` vs the
        # envelope field `grid`).
        if expected is not None and expected.kind in T.ALIASED and e.id not in self.scope \
                and (found := self.c.alias(expected.kind, e.id)) is not None:
            return Symbol(e.span, expected.kind, found), Ty(expected.kind, expected.domain, expected.owner)
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
            dept = self.c.department_names.resolve(e.id)
            if dept is not None:  # a department by its Chinese name or short name
                return Symbol(e.span, "department", dept), Ty("department", tuple(self.c.departments))
        if expected is not None and expected.kind in T.ALIASED:
            known_aliases = {"department": self.c.department_names.known(), "class": list(self.c.class_keys),
                             "major": list(self.c.major_keys), "ctype": ["event", "component", "事件", "部件"]}
            fields = [n for n, t in self.scope.items() if t.kind == expected.kind] if self.mode == "item" else []
            self.rep.unknown(e.span, T.zh(expected), {"ctype": "class type"}.get(expected.kind, expected.kind),
                             e.id, [*fields, *known_aliases[expected.kind]])
            return e, T.ANY
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
                      "department": tuple(self.c.departments), "class": tuple(self.c.classes),
                      "major": tuple(self.c.majors), "ctype": ("event", "component")}[kind]
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
                listed: Expr
                if lt.kind == "matter" or lt.kind in T.ALIASED:
                    listed = ListLit(e.right.span, tuple(self.infer(i, lt)[0] for i in e.right.items))
                else:
                    listed, _ = self.t_ListLit(e.right, Ty("set", lt.domain, lt.owner) if lt.domain else None)
                return Binary(e.span, op, left, listed), T.BOOL
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
                n = const_number(w)
                if n is None:
                    self.type_error_expr(w)
                else:
                    total += n
                kwargs.append((name, w))
            if abs(total - 1.0) > 1e-9:
                self.rep.report("GP055", e.span, f"权重之和为 {round(total, 6)}，应为 1",
                                f"weights sum to {round(total, 6)}, not 1")
            return Call(e.span, f, (), tuple(kwargs)), T.NUMBER
        if f == "where":
            return self.where_call(e)
        if f == "if":
            if not self.arity(e, 3, 3):
                return e, T.NUMBER
            cond, ct = self.infer(e.args[0])
            self.want(e.args[0], ct, ("bool",))
            branches = []
            for a in e.args[1:]:
                r, t = self.infer(a)
                self.want(a, t, ("number",))
                branches.append(r)
            return Call(e.span, f, (cond, *branches)), T.NUMBER
        if f == "points" and not self.arity(e, 4, 4):
            return e, T.NUMBER
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

    def where_call(self, e: Call) -> tuple[Expr, Ty]:
        """`where(records, condition)`: the records meeting the condition (still records)."""
        if self.mode != "formula" or not self.arity(e, 2, 2):
            if self.mode != "formula":
                self.rep.report("GP040", e.span, "where 只能用于公式中的记录集，不能用于单条记录",
                                "where applies to a formula's records, not inside one record")
            return e, T.ANY
        first, ty = self.infer(e.args[0])
        if ty.kind != "records":
            self.rep.report("GP040", e.args[0].span, "where 的第一个参数应为记录集",
                            "where takes a set of records first")
            return e, T.ANY
        inner = Typer(self.c, self.scope, "record", ty)
        cond, ct = inner.infer(e.args[1])
        inner.want(e.args[1], ct, ("bool",))
        return Call(e.span, "where_records", (first, cond)), ty

    def type_error_expr(self, e: Expr) -> None:
        self.rep.report("GP040", e.span, "这里应为数字常量", "expected a number constant here")

