"""The one printer of expressions: a syntax tree (or a checked one) back to rule text, with
the fewest parentheses that parse back to the same tree, strings quoted with their escapes, in
English or Chinese. The formatter, `diff`, the site and the decision reasons all print with it.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable

from . import keywords as kw
from .nodes import Attr, Binary, Call, Duration, Expr, ListLit, Literal, Name, Symbol, Unary
from .numbers import duration_text as _duration_text
from .numbers import literal_number

# Binding strength, loosest first; mirrors grammar.lark.
P_OR, P_AND, P_NOT, P_CMP, P_RANGE, P_SUM, P_PRODUCT, P_NEG, P_POSTFIX, P_ATOM = range(1, 11)
CMP_OPS = frozenset({"==", "!=", "<", "<=", ">", ">="})
# Chinese operators: the first spelling in keywords.py; "not in" is written `不 属于` (the space
# keeps `不属于` from reading as one name).
ZH_OPS = {en: zh[0] for en, zh in kw.OPERATORS.items() if en in ("and", "or", "not", "in")}
ZH_OPS["not in"] = f"{kw.OPERATORS['not'][-1]} {kw.OPERATORS['in'][0]}"
# The checker names a function over a set of records `<function>_records` (`sum_records`).
RECORDS = "_records"


def quote(value: str) -> str:
    """A one-line string literal for `value` (the parser's `unquote` reverses it)."""
    out = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{out}"'


def block_safe(value: str) -> bool:
    """True if `value` reads back unchanged from a triple-quoted block."""
    return ("\n" in value and '"""' not in value and not value.startswith("\n") and not value.endswith("\n")
            and textwrap.dedent(value) == value and "\r" not in value)


def duration_text(d: Duration, lang: str) -> str:
    """A duration in the given language: `3 workdays`, `1 hour`, `3个工作日`."""
    return _duration_text(d.amount, d.unit, lang)


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


class Spelling:
    """How `expr_text` writes an expression's parts. The default writes rule text in `lang`; a
    tool that shows expressions to people (the site) overrides `node` for the parts it words
    its own way (labels for names, × for *, phrases for calls) and `operator`, while the printer
    keeps the one precedence table and puts the parentheses."""

    def __init__(self, lang: str = "en"):
        self.lang = lang

    def node(self, e: Expr, render: Render) -> tuple[str, int] | None:
        """`e` written whole (and its binding strength, for the parentheses around it), or None
        for the printer's way. `render(sub, least)` writes a sub-expression, in parentheses
        when it binds less tightly than `least`."""
        return None

    def operator(self, op: str) -> str:
        return operator(op, self.lang)

    def paren(self, text: str) -> str:
        return f"({text})"


Render = Callable[[Expr, int], str]
_SPELLING = {"en": Spelling("en"), "zh": Spelling("zh")}


def expr_text(e: Expr, lang: str = "en", spelling: Spelling | None = None) -> str:
    """An expression with the fewest parentheses that parse back to the same tree (as rule text
    in `lang`, or as `spelling` words it)."""
    sp = spelling or _SPELLING.get(lang) or Spelling(lang)
    return _text(e, sp)


def _text(e: Expr, sp: Spelling) -> str:
    return _spelled(e, sp)[0]


def _spelled(e: Expr, sp: Spelling) -> tuple[str, int]:
    lang = sp.lang

    def sub(x: Expr, least: int) -> str:
        text, prec = _spelled(x, sp)
        return sp.paren(text) if prec < least else text

    custom = sp.node(e, sub)
    if custom is not None:
        return custom
    if isinstance(e, Binary):
        p = _prec(e)
        if p in (P_OR, P_AND, P_SUM, P_PRODUCT):  # left-associative chains
            left, right = sub(e.left, p), sub(e.right, p + 1)
        else:  # comparisons and ranges do not chain
            left, right = sub(e.left, p + 1), sub(e.right, p + 1)
        return f"{left} {sp.operator(e.op)} {right}", p
    if isinstance(e, Unary):
        if e.op == "not":
            return f"{sp.operator('not')} {sub(e.operand, P_NOT)}", P_NOT
        return f"-{sub(e.operand, P_NEG)}", P_NEG
    if isinstance(e, Attr):
        return f"{sub(e.obj, P_POSTFIX)}.{e.name}", P_POSTFIX
    if isinstance(e, Call):
        args = [_text(a, sp) for a in e.args] + [f"{k}: {_text(v, sp)}" for k, v in e.kwargs]
        return f"{kw.function_name(e.func.removesuffix(RECORDS), lang)}({', '.join(args)})", P_POSTFIX
    if isinstance(e, ListLit):
        return "[" + ", ".join(_text(i, sp) for i in e.items) + "]", P_ATOM
    if isinstance(e, Symbol):  # a name the checker resolved: written as the name it was
        return e.value, P_ATOM
    if isinstance(e, Name):
        if e.id in ("matter", kw.DECLARATIONS["matter"]):
            return (kw.DECLARATIONS["matter"] if lang == "zh" else "matter"), P_ATOM
        return e.id, P_ATOM
    if isinstance(e, Literal):
        return _literal(e, lang), P_ATOM
    raise TypeError(f"cannot format {type(e).__name__}")


def _literal(e: Literal, lang: str) -> str:
    v = e.value
    if e.kind == "number":
        return literal_number(v)
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
