"""A declaration's properties by canonical key, with shape-checked accessors (GP020–GP023)."""

from __future__ import annotations

from typing import Any

from ..diagnostics import Reporter
from ..model import Meta
from ..syntax import keywords as kw
from ..syntax.nodes import Arg, Decl, Literal, Name, Prop, Span, Unary

# Properties that may be written on several lines; their arguments add up.
REPEATABLE = ("note", "assumption", "source", "entry", "band", "holidays", "workdays", "notice", "office_hours")


def const_number(e: object) -> float | None:
    """The value of a number constant (`3`, `-2.5`), else None."""
    if isinstance(e, Literal) and e.kind == "number":
        return e.value
    if isinstance(e, Unary) and e.op == "-" and isinstance(e.operand, Literal) and e.operand.kind == "number":
        return -e.operand.value
    return None


class Props:
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

    def span(self, key: str) -> Span:
        """Where property `key` is written (the declaration, if it is not)."""
        prop = self.get(key)
        return prop.span if prop is not None else self.decl.span

    def require(self, key: str) -> Prop | None:
        prop = self.get(key)
        if prop is None:
            zh_key = {**kw.COMMON_PROPERTIES, **kw.PROPERTIES.get(self.decl.kind, {})}.get(key, key)
            self.rep.report("GP021", self.decl.id_span, f"缺少属性“{zh_key}”（{key}）",
                            f"{self.decl.kind} '{self.decl.id}' needs property '{key}'")
        return prop

    def one(self, prop: Prop) -> Arg | None:
        if len(prop.args) != 1 or prop.args[0].target is not None:
            self.rep.report("GP023", prop.span, f"“{prop.key}”只接受一个值",
                            f"'{prop.key}' takes exactly one value")
            return None
        return prop.args[0]

    def literal(self, key: str, kind: str, required: bool = False) -> Any:
        prop = self.require(key) if required else self.get(key)
        if prop is None:
            return None
        arg = self.one(prop)
        if arg is None:
            return None
        v = arg.value
        if kind == "number" and (n := const_number(v)) is not None:
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
        """Names written bare, each with its label (`a: 1`'s `a`) if any."""
        return [(name, span, arg.label) for name, span, arg in self._names(key, quoted=False)]

    def names_or_strings(self, key: str) -> list[tuple[str, Span]]:
        """Names, each written bare or quoted."""
        return [(name, span) for name, span, _ in self._names(key, quoted=True)]

    def name(self, key: str, required: bool = False) -> tuple[str, Span] | None:
        """One name, written bare."""
        return self._name(key, required, quoted=False)

    def name_or_string(self, key: str, required: bool = False) -> tuple[str, Span] | None:
        """One name, written bare or quoted (a Chinese name with a space: "119 消防救援")."""
        return self._name(key, required, quoted=True)

    def _name_of(self, arg: Arg, quoted: bool) -> tuple[str, Span] | None:
        if isinstance(arg.value, Name):
            return arg.value.id, arg.value.span
        if quoted and isinstance(arg.value, Literal) and arg.value.kind == "string":
            return arg.value.value, arg.value.span
        return None

    def _not_a_name(self, prop: Prop, arg: Arg, quoted: bool, many: bool) -> None:
        zh = "名称" if quoted else "名称（不加引号）"
        en = ("names" if many else "a name") + ("" if quoted else " (without quotes)")
        self.rep.report("GP023", arg.span, f"“{prop.key}”的值应为{zh}", f"'{prop.key}' takes {en}")

    def _names(self, key: str, quoted: bool) -> list[tuple[str, Span, Arg]]:
        out: list[tuple[str, Span, Arg]] = []
        prop = self.get(key)
        if prop is None:
            return out
        for arg in prop.args:
            hit = self._name_of(arg, quoted) if arg.target is None else None
            if hit is None:
                self._not_a_name(prop, arg, quoted, many=True)
            else:
                out.append((*hit, arg))
        return out

    def _name(self, key: str, required: bool, quoted: bool) -> tuple[str, Span] | None:
        prop = self.require(key) if required else self.get(key)
        arg = self.one(prop) if prop is not None else None
        if prop is None or arg is None:
            return None
        hit = self._name_of(arg, quoted)
        if hit is None:
            self._not_a_name(prop, arg, quoted, many=False)
        return hit

    def meta(self) -> Meta:
        note = "\n\n".join(self.strings("note"))
        return Meta(note, self.strings("assumption"), "\n".join(self.strings("source")))
