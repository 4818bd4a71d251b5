"""Checked model -> generated Python functions for the two steps every decision takes: the
item validator's fast path and the walk of the routing index.

The only place where gridpolicy compiles Python source (as Jinja2 compiles templates). What
goes into the source is limited so that nothing from a rule file or an item can become code:

- names are the generator's own (`values`, `raw`, `A0`, ...);
- constants are `repr` of exact `str`, `int`, finite `float`, `bool` or `None` values
  (field ids, range bounds, limits): `repr` of such a value is always one inert literal;
- any other object (a default value, a table of accepted spellings, a converter, a route's
  compiled condition, a mask table) is passed in the namespace under a generated name, never
  written into the source.

`verified` parses the source and checks every node against a whitelist before `compile`
sees it; the function runs with empty builtins and only the names given to it.
"""

from __future__ import annotations

import ast
import datetime as dt
import math
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import CodeType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .index import RouteIndex

Validator = Callable[[dict[str, Any]], "dict[str, Any] | None"]
Router = Callable[[dict[str, Any]], "tuple[int, list[int] | None]"]

# What the generated source may contain.
_NODES = (ast.Module, ast.FunctionDef, ast.Pass, ast.Expr, ast.arguments, ast.arg, ast.Return, ast.If, ast.Try,
          ast.ExceptHandler, ast.Assign, ast.AugAssign, ast.While, ast.Compare, ast.BoolOp, ast.UnaryOp,
          ast.BinOp, ast.IfExp, ast.Not, ast.And, ast.Or, ast.Is, ast.IsNot, ast.Eq, ast.NotEq, ast.Lt, ast.LtE,
          ast.Gt, ast.USub, ast.Sub, ast.BitAnd, ast.BitXor, ast.Name, ast.Load, ast.Store, ast.Constant,
          ast.Subscript, ast.Dict, ast.List, ast.Call, ast.Tuple, ast.Attribute)
_ATTRIBUTES = frozenset({"tzinfo", "year", "get", "bit_length", "append", "isascii"})
_FUNCTIONS = frozenset({"plain_values", "first"})
_SURROGATE = re.compile("[\ud800-\udfff]")
_LOCALS = frozenset({"data", "values", "raw", "t", "ok", "when", "mask", "low", "j", "i", "x", "hit", "matched"})
_BUILTINS: dict[str, Any] = {"type": type, "len": len, "str": str, "int": int, "float": float,
                             "KeyError": KeyError, "TypeError": TypeError, "ValueError": ValueError,
                             "fromisoformat": dt.datetime.fromisoformat, "bisect_left": bisect_left}

MAX_GRIDS = 100  # grid codes one item may touch (`grids`)


def lone_surrogate(raw: Any) -> bool:
    """Whether a string, or a string of a list, holds a lone surrogate (JSON's `"\\ud800"`): not
    Unicode text. `str.isascii` is a flag check, so ASCII text costs no search."""
    if type(raw) is str:
        return not raw.isascii() and _SURROGATE.search(raw) is not None
    if type(raw) is list:
        return any(type(x) is str and not x.isascii() and _SURROGATE.search(x) is not None for x in raw)
    return False


def grids_ok(raw: Any) -> bool:
    """Whether `grids` is a list of at most `MAX_GRIDS` grid codes (strings of 1-200 characters)."""
    return type(raw) is list and len(raw) <= MAX_GRIDS and all(type(g) is str and 0 < len(g) <= 200 for g in raw)


class CodegenError(Exception):
    """The generator was asked to write something it does not write (a bug, not bad input)."""


def literal(value: Any) -> str:
    """`value` as a Python literal; only for values whose `repr` is one inert literal."""
    if value is None or type(value) in (bool, int, str) or (type(value) is float and math.isfinite(value)):
        return repr(value)
    raise CodegenError(f"not a literal: {type(value).__name__}")


@dataclass(frozen=True, kw_only=True)
class ValidatorSpec:
    """What the fast path checks: the schema's fields by kind, as the runtime prepares them
    (each with its default, so that an omitted field is recognised by identity)."""

    defaults: dict[str, Any]  # every key an item may have, with its default
    max_fields: int
    bools: tuple[tuple[str, Any], ...]
    codes: tuple[tuple[str, Any, dict[str, str]], ...]  # the code of each accepted spelling
    numbers: tuple[tuple[str, Any, float, float], ...]  # inclusive bounds
    texts: tuple[tuple[str, Any, int], ...]  # longest length
    others: tuple[tuple[str, Any, Callable[[Any], tuple[bool, Any]]], ...]  # the field's converter
    required: tuple[str, ...]
    min_year: int
    max_year: int


def validator_source(spec: ValidatorSpec) -> tuple[str, dict[str, Any]]:
    """The source of `plain_values(data)` and the objects it refers to by name.

    `plain_values` returns the values of an item that is plainly valid (known keys, each
    value already in its canonical form, no lone surrogate in a free string, a report time
    given), else None; the caller then
    runs the full check, which accepts the item with the same values or names every error."""
    names: dict[str, Any] = {"DEFAULTS": spec.defaults, "LONE": lone_surrogate}
    lit = literal

    def obj(prefix: str, value: Any) -> str:
        """A generated name for an object passed in, not written."""
        if value is None or value is True or value is False:
            return repr(value)
        name = f"{prefix}{len(names)}"
        names[name] = value
        return name

    out = ["def plain_values(data):"]
    if len(spec.defaults) > spec.max_fields:  # else the size check below covers it
        out += [f"    if len(data) > {lit(spec.max_fields)}:", "        return None"]
    out += ["    values = {**DEFAULTS, **data}",
            f"    if len(values) != {lit(len(spec.defaults))}:",  # a key that is no field's
            "        return None",
            "    try:"]
    body = []
    # A required field without a default: its check refuses None too, so it needs no other.
    checked = {key for key, default, *_ in (*spec.bools, *spec.codes, *spec.numbers)
               if default is None and key in spec.required}
    for key, default in spec.bools:
        extra = "" if default is True or default is False or key in checked else f" and raw is not {obj('D', default)}"
        body += [f"raw = values[{lit(key)}]",
                 f"if raw is not True and raw is not False{extra}:", "    return None"]
    for key, default, accepted in spec.codes:  # KeyError: a value not accepted (None included)
        if key in checked:
            body += [f"values[{lit(key)}] = {obj('A', accepted)}[values[{lit(key)}]]"]
            continue
        body += [f"raw = values[{lit(key)}]",
                 f"if raw is not {obj('D', default)}:",
                 f"    values[{lit(key)}] = {obj('A', accepted)}[raw]"]
    for key, default, lo, hi in spec.numbers:
        test = ["t = type(raw)", f"if not ((t is int or t is float) and {lit(lo)} <= raw <= {lit(hi)}):",
                "    return None"]
        body += [f"raw = values[{lit(key)}]"]
        body += test if key in checked else [f"if raw is not {obj('D', default)}:", *("    " + t for t in test)]
    for key, default, longest in spec.texts:
        body += [f"raw = values[{lit(key)}]",
                 f"if raw is not {obj('D', default)} and (type(raw) is not str or len(raw) > {lit(longest)}"
                 " or not raw.isascii() and LONE(raw)):",
                 "    return None"]
    for key, default, coerce in spec.others:
        body += [f"raw = values[{lit(key)}]", f"if raw is not {obj('D', default)}:"]
        if default is not None:
            body += ["    if raw is None:", "        return None"]
        body += ["    if LONE(raw):", "        return None"]  # a free set of strings, say
        body += [f"    ok, values[{lit(key)}] = {obj('C', coerce)}(raw)",
                 "    if not ok:", "        return None"]
    out += ["        " + line for line in body or ["pass"]]
    short = lit(200)
    out += ["    except (KeyError, TypeError):",  # TypeError: an unhashable value for a code
            "        return None",
            "    raw = values['id']",
            f"    if type(raw) is not str or not raw or len(raw) > {short} or not raw.isascii() and LONE(raw):",
            "        return None",
            "    raw = values['kind']",
            "    if raw != 'issue' and raw != 'task':",
            "        return None",
            "    raw = values['matter']",
            f"    if raw is not None and (type(raw) is not str or len(raw) > {short} or not raw.isascii() and LONE(raw)):",
            "        return None",
            "    raw = values['grid']",
            f"    if raw is not None and (type(raw) is not str or len(raw) > {short} or not raw.isascii() and LONE(raw)):",
            "        return None",
            "    raw = values['grids']",
            f"    if raw is not None and (not {obj('G', grids_ok)}(raw) or LONE(raw)):",
            "        return None",
            "    raw = values['reported_at']",  # missing: it is now; the full check takes the time
            "    if type(raw) is not str or len(raw) > 40:",
            "        return None",
            "    try:",
            "        when = fromisoformat(raw)",
            "    except ValueError:",
            "        return None",
            f"    if when.tzinfo is None or not {lit(spec.min_year)} <= when.year <= {lit(spec.max_year)}:",
            "        return None",
            "    values['reported_at'] = when"]
    for key in spec.required:
        if key not in checked:
            out += [f"    if values[{lit(key)}] is None:", "        return None"]
    out.append("    return values")
    return "\n".join(out) + "\n", names


def build_validator(spec: ValidatorSpec, label: str) -> Validator:
    """The compiled `plain_values` of `spec`; `label` names it in tracebacks."""
    source, names = validator_source(spec)
    fn: Validator = _build(source, names, "plain_values", f"<gridpolicy validator {label}>")
    return fn


def router_source(index: RouteIndex, positions: tuple[int, ...] | None) -> tuple[str, dict[str, Any]]:
    """The source of `first(values)`: `index.first(values, CONDS, CONT)` for an index that
    is not split, its tests unrolled; `positions` maps the index's own route positions to the
    policy's (for a part of a split index). `FALLBACK` (the interpreted walk) takes the
    values the tests cannot class (an unhashable value, a number compared with text)."""
    names: dict[str, Any] = {"EXACT": index.exact}
    lit = literal

    def obj(prefix: str, value: Any) -> str:
        name = f"{prefix}{len(names)}"
        names[name] = value
        return name

    def mask(value: int) -> str:  # by name: parts of one index then share their source (and code)
        return obj("M", value)

    tests = [f"mask &= {obj('T', table)}.get(values.get({lit(key)}), {mask(other)})"
             for key, table, other in index.code_tests]
    for key, table, cuts, gaps in index.number_tests:
        tests += [f"x = values.get({lit(key)})", f"hit = {obj('T', table)}.get(x)",
                  f"mask &= {obj('G', gaps)}[bisect_left({obj('C', cuts)}, x)] if hit is None else hit"]
    for slot, table, other in index.matter_tests:
        read = "MATTER_CODE(values.get('matter'))" if slot == "code" else \
            f"MATTER_ATTR(values.get('matter'), {lit(slot)})"
        tests.append(f"mask &= {obj('T', table)}.get({read}, {mask(other)})")
    out = ["def first(values):", f"    mask = {mask(index.everything)}", "    try:"]
    if index.code_tests and index.settled:  # a settled route left first by the first test: only it
        out += ["        " + tests[0], "        low = mask & -mask", f"        if low & {mask(index.settled)}:",
                "            mask = low", "        else:"]
        out += ["            " + t for t in tests[1:]] or ["            pass"]
    else:
        out += ["        " + t for t in tests] or ["        pass"]
    at = "j" if positions is None else f"{obj('P', positions)}[j]"
    out += ["    except TypeError:",
            "        return FALLBACK(values)",
            "    matched = None",
            "    while mask:",
            "        low = mask & -mask",
            "        j = low.bit_length() - 1",
            f"        i = {at}",
            "        if EXACT[j] or CONDS[i](values):",
            "            if not CONT[i]:",
            "                return i, matched",
            "            if matched is None:",
            "                matched = []",
            "            matched.append(i)",
            "        mask ^= low",
            "    return FALLBACK(values)"]  # no route: the interpreted walk names the broken guarantee
    return "\n".join(out) + "\n", names


def build_router(index: RouteIndex, conds: Sequence[Callable[[dict[str, Any]], Any]], cont: Sequence[bool],
                 label: str) -> Router:
    """`index.first(values, conds, cont)` as one compiled function per part of the index
    (a split index looks the part up, then calls the part's function)."""
    def fallback(values: dict[str, Any]) -> tuple[int, list[int] | None]:
        return index.first(values, conds, cont)
    # `conds` is used as given, not copied: a program puts each condition in its place when it
    # compiles it (see engine.program).
    given = {"CONDS": conds, "CONT": tuple(cont), "FALLBACK": fallback, "MATTER_CODE": _matter_code,
             "MATTER_ATTR": _matter_attr}

    def one(part: RouteIndex, positions: tuple[int, ...] | None) -> Router:
        source, names = router_source(part, positions)
        fn: Router = _build(source, {**given, **names}, "first", f"<gridpolicy router {label}>")
        return fn
    if index.split is None:
        return one(index, None)
    parts = {value: one(part, positions) for value, (part, positions) in (index.parts or {}).items()}
    other = one(*index.other_part) if index.other_part is not None else fallback
    key = index.split

    def first(values: dict[str, Any]) -> tuple[int, list[int] | None]:
        try:
            part = parts.get(values.get(key), other)
        except TypeError:  # an unhashable value: the whole index
            return fallback(values)
        return part(values)
    return first


def _matter_code(matter: Any) -> str | None:
    return getattr(matter, "code", None)


def _matter_attr(matter: Any, slot: str) -> Any:
    return getattr(matter, slot, None)


def _build(source: str, names: dict[str, Any], entry: str, filename: str) -> Any:
    """Run verified source in a namespace of `names` and the few builtins it may use; return
    the function it defines."""
    namespace: dict[str, Any] = {"__builtins__": {}, **_BUILTINS, **names}
    exec(_compiled(source, frozenset(namespace), filename), namespace)
    return namespace[entry]


@lru_cache(maxsize=512)
def _compiled(source: str, given: frozenset[str], filename: str) -> CodeType:
    """The code of verified source (the parts of a split index mostly share theirs)."""
    return compile(verified(source, given), filename, "exec")


def verified(source: str, given: frozenset[str]) -> ast.Module:
    """The parsed source, if every node is of a whitelisted kind, every name is a local or
    one of `given`, every attribute is whitelisted and every constant is a plain literal."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if not isinstance(node, _NODES):
            raise CodegenError(f"generated code has a {type(node).__name__} node")
        if isinstance(node, ast.Name) and node.id not in given and node.id not in _LOCALS:
            raise CodegenError(f"generated code names {node.id!r}")
        if isinstance(node, ast.Attribute) and node.attr not in _ATTRIBUTES:
            raise CodegenError(f"generated code reads attribute {node.attr!r}")
        if isinstance(node, ast.Constant):
            literal(node.value)
        func = node.func if isinstance(node, ast.Call) else None
        if isinstance(func, ast.Subscript):  # CONDS[i](values): an element of a given table
            func = func.value
        if func is not None and not (isinstance(func, ast.Name) and func.id in given
                                     or isinstance(func, ast.Attribute)):
            raise CodegenError("generated code calls something it was not given")
        if isinstance(node, ast.FunctionDef) and (node.name not in _FUNCTIONS or node.decorator_list):
            raise CodegenError(f"generated code defines {node.name!r}")
    return tree
