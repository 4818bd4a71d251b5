"""Checked schema -> one generated Python function: the item validator's fast path.

The only place where gridpolicy compiles Python source (as Jinja2 compiles templates). What
goes into the source is limited so that nothing from a rule file or an item can become code:

- names are the generator's own (`values`, `raw`, `A0`, ...);
- constants are `repr` of exact `str`, `int`, finite `float`, `bool` or `None` values
  (field ids, range bounds, limits): `repr` of such a value is always one inert literal;
- any other object (a default value, a table of accepted spellings, a converter) is passed
  in the namespace under a generated name, never written into the source.

`_verified` parses the source and checks every node against a whitelist before `compile`
sees it; the function runs with empty builtins and only the names given to it.
"""

from __future__ import annotations

import ast
import datetime as dt
import math
from collections.abc import Callable
from typing import Any

Validator = Callable[[dict[str, Any]], "dict[str, Any] | None"]

# What the generated source may contain.
_NODES = (ast.Module, ast.FunctionDef, ast.Pass, ast.arguments, ast.arg, ast.Return, ast.If, ast.Try,
          ast.ExceptHandler, ast.Assign, ast.Compare, ast.BoolOp, ast.UnaryOp, ast.Not, ast.And,
          ast.Or, ast.Is, ast.IsNot, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.USub, ast.Name, ast.Load,
          ast.Store, ast.Constant, ast.Subscript, ast.Dict, ast.Call, ast.Tuple, ast.Attribute)
_ATTRIBUTES = frozenset({"tzinfo", "year"})
_LOCALS = frozenset({"data", "values", "raw", "t", "ok", "when"})
_BUILTINS: dict[str, Any] = {"type": type, "len": len, "str": str, "int": int, "float": float,
                             "KeyError": KeyError, "TypeError": TypeError, "ValueError": ValueError,
                             "fromisoformat": dt.datetime.fromisoformat}


class CodegenError(Exception):
    """The generator was asked to write something it does not write (a bug, not bad input)."""


def literal(value: Any) -> str:
    """`value` as a Python literal; only for values whose `repr` is one inert literal."""
    if value is None or type(value) in (bool, int, str) or (type(value) is float and math.isfinite(value)):
        return repr(value)
    raise CodegenError(f"not a literal: {type(value).__name__}")


class ValidatorSpec:
    """What the fast path checks: the schema's fields by kind, as the runtime prepares them."""

    def __init__(self, *, defaults: dict[str, Any], max_fields: int,
                 bools: tuple[tuple[str, Any], ...],
                 codes: tuple[tuple[str, Any, dict[str, str]], ...],
                 numbers: tuple[tuple[str, Any, float, float], ...],
                 texts: tuple[tuple[str, Any, int], ...],
                 others: tuple[tuple[str, Any, Callable[[Any], tuple[bool, Any]]], ...],
                 required: tuple[str, ...], min_year: int, max_year: int):
        self.defaults = defaults
        self.max_fields = max_fields
        self.bools, self.codes, self.numbers, self.texts, self.others = bools, codes, numbers, texts, others
        self.required = required
        self.min_year, self.max_year = min_year, max_year


def validator_source(spec: ValidatorSpec) -> tuple[str, dict[str, Any]]:
    """The source of `plain_values(data)` and the objects it refers to by name.

    `plain_values` returns the values of an item that is plainly valid (known keys, each
    value already in its canonical form, a report time given), else None; the caller then
    runs the full check, which accepts the item with the same values or names every error."""
    names: dict[str, Any] = {"DEFAULTS": spec.defaults}
    lit = literal

    def obj(prefix: str, value: Any) -> str:
        """A generated name for an object passed in, not written."""
        if value is None or value is True or value is False:
            return repr(value)
        name = f"{prefix}{len(names)}"
        names[name] = value
        return name

    out = ["def plain_values(data):",
           f"    if len(data) > {lit(spec.max_fields)}:",
           "        return None",
           "    values = {**DEFAULTS, **data}",
           f"    if len(values) != {lit(len(spec.defaults))}:",  # a key that is no field's
           "        return None",
           "    try:"]
    body = []
    for key, default in spec.bools:
        extra = "" if default is True or default is False else f" and raw is not {obj('D', default)}"
        body += [f"raw = values[{lit(key)}]",
                 f"if raw is not True and raw is not False{extra}:", "    return None"]
    for key, default, accepted in spec.codes:  # KeyError: a value not accepted
        body += [f"raw = values[{lit(key)}]",
                 f"if raw is not {obj('D', default)}:",
                 f"    values[{lit(key)}] = {obj('A', accepted)}[raw]"]
    for key, default, lo, hi in spec.numbers:
        body += [f"raw = values[{lit(key)}]",
                 f"if raw is not {obj('D', default)}:",
                 "    t = type(raw)",
                 f"    if not ((t is int or t is float) and {lit(lo)} <= raw <= {lit(hi)}):",
                 "        return None"]
    for key, default, longest in spec.texts:
        body += [f"raw = values[{lit(key)}]",
                 f"if raw is not {obj('D', default)} and (type(raw) is not str or len(raw) > {lit(longest)}):",
                 "    return None"]
    for key, default, coerce in spec.others:
        body += [f"raw = values[{lit(key)}]", f"if raw is not {obj('D', default)}:"]
        if default is not None:
            body += ["    if raw is None:", "        return None"]
        body += [f"    ok, values[{lit(key)}] = {obj('C', coerce)}(raw)",
                 "    if not ok:", "        return None"]
    out += ["        " + line for line in body or ["pass"]]
    short = lit(200)
    out += ["    except (KeyError, TypeError):",  # TypeError: an unhashable value for a code
            "        return None",
            "    raw = values['id']",
            f"    if type(raw) is not str or not raw or len(raw) > {short}:",
            "        return None",
            "    raw = values['kind']",
            "    if raw != 'issue' and raw != 'task':",
            "        return None",
            "    raw = values['matter']",
            f"    if raw is not None and (type(raw) is not str or len(raw) > {short}):",
            "        return None",
            "    raw = values['grid']",
            f"    if raw is not None and (type(raw) is not str or len(raw) > {short}):",
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
        out += [f"    if values[{lit(key)}] is None:", "        return None"]
    out.append("    return values")
    return "\n".join(out) + "\n", names


def build_validator(spec: ValidatorSpec, label: str) -> Validator:
    """The compiled `plain_values` of `spec`; `label` names it in tracebacks."""
    source, names = validator_source(spec)
    namespace: dict[str, Any] = {"__builtins__": {}, **_BUILTINS, **names}
    code = compile(_verified(source, frozenset(namespace)), f"<gridpolicy validator {label}>", "exec")
    exec(code, namespace)  # noqa: S102 - verified generated source, see the module docstring
    fn: Validator = namespace["plain_values"]
    return fn


def _verified(source: str, given: frozenset[str]) -> ast.Module:
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
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in given):
            raise CodegenError("generated code calls something it was not given")
        if isinstance(node, ast.FunctionDef) and (node.name != "plain_values" or node.decorator_list):
            raise CodegenError(f"generated code defines {node.name!r}")
    return tree
