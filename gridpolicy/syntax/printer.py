"""The one printer of expressions: a syntax tree (or a checked one) back to rule text, with
the fewest parentheses that parse back to the same tree, strings quoted with their escapes, in
English or Chinese. The formatter, `diff`, the site and the decision reasons all print with it.
"""

from __future__ import annotations

import datetime as dt
import textwrap

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


def expr_text(e: Expr, lang: str = "en") -> str:
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
        return f"{kw.function_name(e.func.removesuffix(RECORDS), lang)}({', '.join(args)})"
    if isinstance(e, ListLit):
        return "[" + ", ".join(expr_text(i, lang) for i in e.items) + "]"
    if isinstance(e, Symbol):  # a name the checker resolved: written as the name it was
        return e.value
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
