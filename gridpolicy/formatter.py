"""The canonical layout of rule files: `format_text(text)` -> formatted text.

The layout is printed from the syntax tree, so formatting never changes meaning; comments are
re-attached by line (a comment on its own line stays before the property or declaration that
follows it, a comment after code stays at the end of that line); one blank line between
declarations or properties is kept where the author left one. Every keyword, property key,
operator and duration unit is written in one language: English, Chinese, or (by default) the
language most of the file's keywords are already written in.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from .diagnostics import Diagnostic, Reporter
from .syntax import keywords as kw
from .syntax.nodes import (
    Arg,
    Attr,
    Binary,
    Call,
    Comment,
    Decl,
    Duration,
    Expr,
    Include,
    ListLit,
    Literal,
    Module,
    Name,
    Prop,
    Span,
    Unary,
)
from .syntax.parser import parse

INDENT = "  "
WIDTH = 100
LANGS = ("en", "zh")

# Declarations that may be written on one line when they have at most two short properties.
ONE_LINE_KINDS = frozenset({"tier", "role", "department", "batch", "input", "field", "traits", "class", "referral"})
# Declarations whose braces the grammar makes optional: an empty body is written without them.
OPTIONAL_BODY = frozenset({"tier", "role", "department", "batch", "input", "class"})

# Binding strength, loosest first; mirrors grammar.lark.
P_OR, P_AND, P_NOT, P_CMP, P_RANGE, P_SUM, P_PRODUCT, P_NEG, P_POSTFIX, P_ATOM = range(1, 11)
CMP_OPS = frozenset({"==", "!=", "<", "<=", ">", ">="})
# Chinese operators: the first spelling in keywords.py; "not in" is written `不 属于` (the space
# keeps `不属于` from reading as one name).
ZH_OPS = {en: zh[0] for en, zh in kw.OPERATORS.items() if en in ("and", "or", "not", "in")}
ZH_OPS["not in"] = f"{kw.OPERATORS['not'][-1]} {kw.OPERATORS['in'][0]}"
# Duration units: English singular and plural, and the Chinese spelling (the last in keywords.py).
EN_UNITS = {unit: (spellings[0], spellings[1]) for unit, spellings in kw.DURATION_UNITS.items()}
# The Chinese spellings are those of `Duration.text_zh`: 3个工作日, 1小时, 2天, 30分钟.
ZH_UNITS = {"minutes": "分钟", "hours": "小时", "days": "天", "workdays": "个工作日", "workhours": "工作时",
            "urgent_hours": "紧急工作时", "urgent_days": "紧急工作日"}
assert all(ZH_UNITS[u] in kw.DURATION_UNITS[u] for u in kw.DURATION_UNITS)


class FormatError(Exception):
    """The text has syntax errors; it is not formatted. `diagnostics` says why."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("; ".join(f"{d.span} {d.code}: {d.message_en}" for d in diagnostics))


def format_text(text: str, file: str = "<text>", lang: str | None = None) -> str:
    """Format one rule file's text. `lang` is "en", "zh" or None (keep the file's dominant
    language). Raises `FormatError` with the diagnostics if the text does not parse."""
    if lang not in (None, *LANGS):
        raise ValueError(f"lang must be one of {LANGS} or None, not {lang!r}")
    reporter = Reporter()
    module = parse(text, file, reporter)
    if module is None or reporter.has_errors:
        raise FormatError([d for d in reporter.diagnostics if d.severity == "error"])
    clean = text[1:] if text.startswith("\ufeff") else text
    clean = clean.replace("\r\n", "\n").replace("\r", "\n")
    return _Printer(module, clean.split("\n"), lang or dominant_language(module)).run()


def dominant_language(module: Module) -> str:
    """"zh" if more of the module's keywords and property keys are written in Chinese, else "en"."""
    zh = en = 0
    for word in written_keywords(module):
        if word.isascii():
            en += 1
        else:
            zh += 1
    return "zh" if zh > en else "en"


def written_keywords(module: Module) -> Iterator[str]:
    def walk(d: Decl) -> Iterator[str]:
        yield d.keyword
        keys = kw.property_keys(d.kind)
        for p in d.props:
            if p.key in keys:
                yield p.key
        for c in d.children:
            yield from walk(c)

    for item in module.items:
        if isinstance(item, Decl):
            yield from walk(item)


# ---- expressions -------------------------------------------------------------------------


def quote(value: str) -> str:
    """A one-line string literal for `value` (the parser's `unquote` reverses it)."""
    out = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{out}"'


def block_safe(value: str) -> bool:
    """True if `value` reads back unchanged from a triple-quoted block."""
    return ("\n" in value and '"""' not in value and not value.startswith("\n") and not value.endswith("\n")
            and textwrap.dedent(value) == value and "\r" not in value)


def _number(value: float | int) -> str:
    if isinstance(value, bool):
        raise TypeError(value)
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(value)), "f")
    return text if "." in text else text + ".0"


def _amount(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else _number(float(value))


def duration_text(d: Duration, lang: str) -> str:
    """A duration in the given language: `3 workdays`, `1 hour`, `3个工作日`."""
    amount = _amount(d.amount)
    if lang == "zh":
        return f"{amount}{ZH_UNITS[d.unit]}"
    one, many = EN_UNITS[d.unit]
    return f"{amount} {one if amount == '1' else many}"


def operator(op: str, lang: str) -> str:
    if lang == "zh" and op in ZH_OPS:
        return ZH_OPS[op]
    return op


def literal_word(word: str, lang: str) -> str:
    """true / false / none in the given language."""
    return kw.OPERATORS[word][0] if lang == "zh" else word


def _prec(e: Expr) -> int:
    if isinstance(e, Binary):
        if e.op == "or":
            return P_OR
        if e.op == "and":
            return P_AND
        if e.op in CMP_OPS or e.op in ("in", "not in"):
            return P_CMP
        if e.op == "..":
            return P_RANGE
        return P_SUM if e.op in ("+", "-") else P_PRODUCT
    if isinstance(e, Unary):
        return P_NOT if e.op == "not" else P_NEG
    if isinstance(e, Attr | Call):
        return P_POSTFIX
    return P_ATOM


def expr_text(e: Expr, lang: str) -> str:
    """An expression with the fewest parentheses that parse back to the same tree."""

    def sub(x: Expr, least: int) -> str:
        text = expr_text(x, lang)
        return f"({text})" if _prec(x) < least else text

    if isinstance(e, Binary):
        p = _prec(e)
        if p in (P_OR, P_AND, P_SUM, P_PRODUCT):  # left-associative chains
            left, right = sub(e.left, p), sub(e.right, p + 1)
        else:  # comparisons and ranges do not chain
            left, right = sub(e.left, p + 1), sub(e.right, p + 1)
        return f"{left} {operator(e.op, lang)} {right}"
    if isinstance(e, Unary):
        if e.op == "not":
            return f"{operator('not', lang)} {sub(e.operand, P_NOT)}"
        return f"-{sub(e.operand, P_NEG)}"
    if isinstance(e, Attr):
        return f"{sub(e.obj, P_POSTFIX)}.{e.name}"
    if isinstance(e, Call):
        args = [expr_text(a, lang) for a in e.args] + [f"{k}: {expr_text(v, lang)}" for k, v in e.kwargs]
        return f"{kw.function_name(e.func, lang)}({', '.join(args)})"
    if isinstance(e, ListLit):
        return "[" + ", ".join(expr_text(i, lang) for i in e.items) + "]"
    if isinstance(e, Name):
        if e.id in ("matter", kw.DECLARATIONS["matter"]):
            return kw.DECLARATIONS["matter"] if lang == "zh" else "matter"
        return e.id
    if isinstance(e, Literal):
        return _literal(e, lang)
    raise TypeError(f"cannot format {type(e).__name__}")


def _literal(e: Literal, lang: str) -> str:
    v = e.value
    if e.kind == "number":
        return _number(v)
    if e.kind == "string":
        return quote(v)
    if e.kind == "date":
        return v.isoformat()
    if e.kind == "datetime":
        assert isinstance(v, dt.datetime)
        return v.isoformat()
    if e.kind == "duration":
        return duration_text(v, lang)
    if e.kind == "bool":
        return literal_word("true" if v else "false", lang)
    if e.kind == "none":
        return literal_word("none", lang)
    raise TypeError(f"cannot format a {e.kind} literal")


# ---- declarations ------------------------------------------------------------------------


@dataclass
class _Unit:
    """A printed line's source anchor: the lines it came from and the comments it carries."""

    start: int
    end: int
    leading: list[Comment] = field(default_factory=list)
    trailing: list[Comment] = field(default_factory=list)


class _Printer:
    def __init__(self, module: Module, lines: list[str], lang: str):
        self.module = module
        self.lines = lines
        self.lang = lang
        self.units: dict[int, _Unit] = {}  # id(node) -> its (first) line
        self.closes: dict[int, _Unit] = {}  # id(decl) -> its closing brace
        self.order: list[_Unit] = []
        self.tail: list[Comment] = []
        self.out: list[str] = []

    # comments --------------------------------------------------------------------------

    def _anchor(self, key: object, start: int, end: int, close: bool = False) -> None:
        unit = _Unit(start, end)
        (self.closes if close else self.units)[id(key)] = unit
        self.order.append(unit)

    def _collect(self, d: Decl | Include) -> None:
        if isinstance(d, Include):
            self._anchor(d, d.span.line, d.span.end_line)
            return
        # The head runs from the keyword to the line before the first property or child.
        first_inner = min([p.span.line for p in d.props] + [c.span.line for c in d.children] + [d.span.end_line])
        self._anchor(d, d.span.line, max(d.span.line, first_inner - 1))
        inner: list[Prop | Decl] = [*d.props, *d.children]
        for node in sorted(inner, key=lambda n: (n.span.line, n.span.column)):
            if isinstance(node, Decl):
                self._collect(node)
            else:
                self._anchor(node, node.span.line, node.span.end_line)
        self._anchor(d, d.span.end_line, d.span.end_line, close=True)

    def _attach(self) -> None:
        for item in self.module.items:
            self._collect(item)
        for c in self.module.comments:
            line = c.span.line
            before = self.lines[line - 1][: c.span.column - 1] if 0 < line <= len(self.lines) else ""
            if before.strip():
                owner = None
                for unit in self.order:
                    if unit.start <= line <= unit.end:
                        owner = unit
                if owner is None:
                    owner = next((u for u in reversed(self.order) if u.start <= line), None)
                if owner is None:
                    self.tail.append(c)
                elif owner.trailing:
                    owner.leading.append(c)
                else:
                    owner.trailing.append(c)
            else:
                owner = next((u for u in self.order if u.start > line), None)
                if owner is None:
                    self.tail.append(c)
                else:
                    owner.leading.append(c)

    def _blank_before(self, line: int) -> bool:
        return 1 < line <= len(self.lines) + 1 and not self.lines[line - 2].strip()

    def _emit(self, unit: _Unit, indent: str, text: str, first_in_block: bool) -> None:
        """Print a unit's leading comments, then its line(s) with its trailing comment."""
        comments = sorted(unit.leading, key=lambda c: c.span.line)
        start_lines = [c.span.line for c in comments] + [unit.start]
        for i, c in enumerate(comments):
            if self._blank_before(c.span.line) and not (first_in_block and i == 0):
                self._blank()
            self.out.append(indent + c.text.rstrip())
        if comments:
            if self._blank_before(unit.start) and start_lines[-2] < unit.start - 1:
                self._blank()
        elif self._blank_before(unit.start) and not first_in_block:
            self._blank()
        parts = text.split("\n")
        for i, part in enumerate(parts):
            line = indent + part if part else ""
            if i == len(parts) - 1 and unit.trailing:
                line = f"{line}  {unit.trailing[0].text.rstrip()}"
            self.out.append(line)

    def _blank(self) -> None:
        if self.out and self.out[-1] != "":
            self.out.append("")

    # layout ----------------------------------------------------------------------------

    def run(self) -> str:
        self._attach()
        for i, item in enumerate(self.module.items):
            self._item(item, "", i == 0)
        for c in sorted(self.tail, key=lambda c: c.span.line):
            if self.out and self._blank_before(c.span.line):
                self._blank()
            self.out.append(c.text.rstrip())
        while self.out and self.out[-1] == "":
            self.out.pop()
        return "\n".join(self.out) + "\n" if self.out else ""

    def _item(self, item: Decl | Include, indent: str, first: bool) -> None:
        if isinstance(item, Include):
            word = kw.DECLARATIONS["include"] if self.lang == "zh" else "include"
            self._emit(self.units[id(item)], indent, f"{word} {quote(item.path)}", first)
            return
        self._decl(item, indent, first)

    def keyword(self, kind: str) -> str:
        return kw.DECLARATIONS.get(kind, kind) if self.lang == "zh" else kind

    def prop_key(self, kind: str, key: str) -> str:
        canon = kw.property_keys(kind).get(key)
        if canon is None:
            return key
        if self.lang == "zh":
            return {**kw.COMMON_PROPERTIES, **kw.PROPERTIES.get(kind, {})}[canon]
        return canon

    def head(self, d: Decl) -> str:
        parts = [self.keyword(d.kind)]
        if d.id is not None:
            parts.append(d.id)
        if d.label is not None:
            parts.append(quote(d.label))
        return " ".join(parts)

    def _arg(self, a: Arg, indent: str) -> str:
        v = a.value
        if isinstance(v, Literal) and v.kind == "string" and a.target is None and block_safe(v.value):
            # Continuation lines are relative to the property; `_emit` adds its indent.
            body = "\n".join(INDENT + ln if ln else "" for ln in v.value.split("\n"))
            text = '"""\n' + body + "\n" + INDENT + '"""'
        else:
            text = expr_text(v, self.lang)
            if a.target is not None:
                text += " -> " + expr_text(a.target, self.lang)
        if a.label is not None:
            text += " " + quote(a.label)
        return text

    def prop_text(self, kind: str, p: Prop, indent: str) -> str:
        key = self.prop_key(kind, p.key)
        args = [self._arg(a, indent) for a in p.args]
        one = f"{key} {', '.join(args)}"
        if len(args) < 2 or ("\n" not in one and len(indent) + _width(one) <= WIDTH):
            return one
        cont = "\n" + INDENT * 2
        return key + " " + ("," + cont).join(args)

    def _one_line(self, d: Decl, indent: str) -> str | None:
        if d.kind not in ONE_LINE_KINDS or d.children or len(d.props) > 2 \
                or any(kw.property_keys(d.kind).get(p.key) in kw.COMMON_PROPERTIES for p in d.props):
            return None
        units = [self.units[id(n)] for n in (d, *d.props)]
        if any(u.trailing for u in units) or any(u.leading for u in units[1:]) \
                or self.closes[id(d)].leading:
            return None
        if not d.props:
            return self.head(d) if d.kind in OPTIONAL_BODY else self.head(d) + " {}"
        props = [self.prop_text(d.kind, p, indent) for p in d.props]
        text = f"{self.head(d)} {{ {' '.join(props)} }}"
        if "\n" in text or len(indent) + _width(text) > WIDTH:
            return None
        return text

    def _decl(self, d: Decl, indent: str, first: bool) -> None:
        head_unit = self.units[id(d)]
        close_unit = self.closes[id(d)]
        one = self._one_line(d, indent)
        if one is not None:
            merged = _Unit(head_unit.start, close_unit.end, head_unit.leading + close_unit.leading,
                           close_unit.trailing)
            self._emit(merged, indent, one, first)
            return
        if not d.props and not d.children and not close_unit.leading and d.kind in OPTIONAL_BODY:
            head_unit.trailing = head_unit.trailing or close_unit.trailing
            self._emit(head_unit, indent, self.head(d), first)
            return
        self._emit(head_unit, indent, self.head(d) + " {", first)
        inner = indent + INDENT
        nodes: list[Prop | Decl] = sorted([*d.props, *d.children], key=lambda n: (n.span.line, n.span.column))
        for i, node in enumerate(nodes):
            if isinstance(node, Decl):
                self._decl(node, inner, i == 0)
            else:
                self._emit(self.units[id(node)], inner, self.prop_text(d.kind, node, inner), i == 0)
        if close_unit.leading:
            for c in sorted(close_unit.leading, key=lambda c: c.span.line):
                if self._blank_before(c.span.line) and nodes:
                    self._blank()
                self.out.append(inner + c.text.rstrip())
        line = indent + "}"
        if close_unit.trailing:
            line += "  " + close_unit.trailing[0].text.rstrip()
        self.out.append(line)


def _width(text: str) -> int:
    """Display columns: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def spanless(obj: object) -> object:
    """A projection of a syntax tree or checked model without source positions, for comparing
    meaning: dataclasses become (type, fields...) tuples; spans, digests and source texts go."""
    import dataclasses

    skip = {"span", "id_span", "digest", "sources", "files", "text", "keyword"}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        if isinstance(obj, Span):
            return None
        return (type(obj).__name__, *(
            (f.name, spanless(getattr(obj, f.name))) for f in dataclasses.fields(obj) if f.name not in skip))
    if isinstance(obj, dict):
        return tuple(sorted(((spanless(k), spanless(v)) for k, v in obj.items()), key=repr))
    if isinstance(obj, list | tuple):
        return tuple(spanless(x) for x in obj)
    if isinstance(obj, frozenset | set):
        return tuple(sorted((spanless(x) for x in obj), key=repr))
    return obj
