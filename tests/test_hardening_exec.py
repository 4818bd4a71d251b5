"""No code execution: nothing in a rule file or an item is evaluated as Python.

The usual tricks — dunder attribute names, calls to Python builtins, format strings, huge
numbers, deep nesting — are refused by the checker or treated as plain data; and loading and
routing never reach `eval`; `compile` and `exec` run only in gridpolicy/engine/codegen.py, on
generated source that passed its whitelist (no text from rules or items is written into it)."""

from __future__ import annotations

import builtins
import contextlib
import json
import sys
from pathlib import Path

import pytest
from conftest import BASE, item
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gridpolicy
from gridpolicy.contract import ItemError
from gridpolicy.diagnostics import PolicyError


def route_with(cond: str) -> str:
    return BASE.replace("when urgency == emergency", "when " + cond, 1)


@pytest.mark.parametrize("cond", [
    "matter.__class__ == 1",
    "matter.__class__.__mro__ != none",
    "urgency.__class__ == 1",
    "matter.code.__globals__ == 1",
    "__import__(\"os\") == 1",
    "eval(\"1\") == 1",
    "getattr(matter, \"__class__\") == 1",
    "__builtins__ == 1",
    "urgency.__dict__ == 1",
    "open(\"/etc/passwd\") == 1",
    "exec(\"x=1\") == 1",
    "round(people, 10000000000) > 1",
])
def test_python_tricks_in_rules_are_refused(cond: str) -> None:
    with pytest.raises(PolicyError) as info:
        gridpolicy.loads(route_with(cond))
    codes = {d.code for d in info.value.errors}
    assert codes & {"GP020", "GP023", "GP031", "GP032", "GP040", "GP041"}, [d.render() for d in info.value.errors]


FORMAT_TRICKS = ["{0.__class__.__mro__}", "%s%s%s%n", "{urgency}", "${jndi:ldap://x}", "{{7*7}}",
                 "__import__('os').system('id')", "\\x00\\u0000"]


@pytest.mark.parametrize("trick", FORMAT_TRICKS)
def test_format_strings_in_rules_are_data(trick: str) -> None:
    escaped = trick.replace("\\", "\\\\").replace('"', '\\"')
    text = BASE.replace('route emergency "紧急上报"', f'route emergency "{escaped}"', 1)
    policy = gridpolicy.loads(text)
    decision = policy.route(item(urgency="emergency"))
    assert decision.reasons[-1].text_zh.count(trick) == 1, decision.reasons[-1].text_zh


@pytest.mark.parametrize("trick", FORMAT_TRICKS)
def test_format_strings_in_items_are_data(policy, trick: str) -> None:
    decision = policy.route(item(id=trick, matter=trick, grid=trick))
    assert decision.item_id == trick and decision.matter.query == trick
    assert json.loads(decision.model_dump_json())["item_id"] == trick
    with pytest.raises(ItemError) as info:
        policy.route(item(urgency=trick))
    assert info.value.errors[0].path == "urgency"


def test_dunder_field_names_in_items_are_unknown_fields(policy) -> None:
    with pytest.raises(ItemError) as info:
        policy.route(item(__class__="x", __dict__={}, __init__=1))
    assert {e.path for e in info.value.errors} == {"__class__", "__dict__", "__init__"}


def test_only_the_verified_validator_is_compiled_and_routing_compiles_nothing(monkeypatch) -> None:
    """`compile`/`exec` are reached only from gridpolicy.engine.codegen (the validator's fast path,
    whose source is checked against a whitelist first), only while loading; `eval` never."""
    text = route_with("urgency == emergency and people > 3") + '\nrole x "{0.__class__}"\n'
    gridpolicy.loads(BASE)  # warm up the grammar once (Lark builds it with regexes, not eval)
    real = {name: getattr(builtins, name) for name in ("eval", "exec", "compile")}
    calls: list[str] = []

    def guarded(name: str):
        def call(*args: object, **kwargs: object) -> object:
            frame = sys._getframe(1)
            while frame is not None and not frame.f_code.co_filename.endswith(CODEGEN):
                frame = frame.f_back
            if frame is None or name == "eval":
                raise AssertionError(f"{name} reached outside gridpolicy/engine/codegen.py")
            calls.append(name)
            return real[name](*args, **kwargs)
        return call

    for name in real:
        monkeypatch.setattr(builtins, name, guarded(name))
    policy = gridpolicy.loads(text)
    assert "exec" in calls and "compile" in calls
    loaded = len(calls)
    for fields in ({"urgency": "emergency", "people": 9}, {"id": "{0.__class__}"}, {"matter": "__import__"},
                   {"__class__": 1}, {"urgency": "__import__('os')"}):
        for decide in (policy.route, policy.match, policy.route_json):
            with contextlib.suppress(ItemError):
                decide(item(**fields))
    assert policy.evaluate("score", {"contact": 90, "tasks": 80}).value == 84.0
    assert len(calls) == loaded  # routing and evaluation compile nothing


CODEGEN = str(Path("gridpolicy") / "engine" / "codegen.py")


# ---- huge numbers computed at run time -------------------------------------------------------------

def product(name: str, groups: int, size: int = 8) -> str:
    """name ** (groups * size), written shallow enough for the depth limit."""
    return " * ".join("(" + " * ".join([name] * size) + ")" for _ in range(groups))


PRODUCT = product("people", 8)  # 100000 ** 64: an int far beyond a float


@pytest.mark.parametrize(("cond", "tier"), [
    (f"{PRODUCT} > 1", "street"),                 # int comparisons stay exact
    (f"{PRODUCT} / 3 > 1", "grid"),               # too large for a float: missing, so false
    (f"{PRODUCT} + 0.5 > 1", "grid"),
    (f"{PRODUCT} - {PRODUCT} + 0.5 > 1", "grid"),  # exact ints: 0.5
    (f"{PRODUCT} % 7 >= 0", "street"),
])
def test_huge_intermediate_numbers_do_not_crash_route(cond: str, tier: str) -> None:
    policy = gridpolicy.loads(route_with(cond))
    assert policy.route(item(people=100_000)).tier.code == tier


def formula(value: str) -> gridpolicy.Policy:
    return gridpolicy.loads(BASE.replace("value round(weighted(contact: 0.4, tasks: 0.6), 1)", "value " + value))


@pytest.mark.parametrize(("value", "data", "expected"), [
    ("round(contact, 400)", {"contact": 12.5, "tasks": 1}, 12.5),
    ("round(contact, -400)", {"contact": 12.5, "tasks": 1}, 0.0),
    ("round(contact, tasks)", {"contact": 12.25, "tasks": 100}, 12.25),
])
def test_round_with_extreme_digits(value: str, data: dict[str, float], expected: float) -> None:
    assert formula(value).evaluate("score", data).value == expected


@pytest.mark.parametrize("value", [
    product("contact", 25),  # 100 ** 200
    f"{product('contact', 25)} / 3",
    f"round({product('contact', 25)}, 1)",
    f"avg({product('contact', 25)}, tasks)",
    f"sum({product('contact', 25)}, tasks)",
    f"max({product('contact', 25)}, tasks)",
])
def test_formula_result_beyond_float_is_an_item_error(value: str) -> None:
    policy = formula(value)
    with pytest.raises(ItemError) as info:
        policy.evaluate("score", {"contact": 100, "tasks": 1})
    assert info.value.errors[0].message_en


FORMULA_HEAD = '''policy g "生成" { version "1"; authority "测试"; effective 2024-01-01 }
tier grid "网格" { level 1 }
route fallback "兜底" { tier grid }
'''


@st.composite
def numeric_exprs(draw: st.DrawFn, depth: int = 0) -> str:
    leaves = ["a", "b", "0", "1", "999999999999999", "0.5", "-1", "1000000000000000"]
    kind = draw(st.integers(0, 2)) if depth < 5 else 0
    if kind == 0:
        return draw(st.sampled_from(leaves))
    if kind == 1:
        op = draw(st.sampled_from(["+", "-", "*", "/", "%"]))
        return f"({draw(numeric_exprs(depth + 1))} {op} {draw(numeric_exprs(depth + 1))})"
    fn = draw(st.sampled_from(["round", "min", "max", "sum", "avg", "abs", "clamp"]))
    args = draw(st.lists(numeric_exprs(depth + 1), min_size=1, max_size=3))
    return f"{fn}({', '.join(args)})"


NUMBERS = st.one_of(st.integers(-10 ** 15, 10 ** 15), st.floats(-1e15, 1e15))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(numeric_exprs(), NUMBERS, NUMBERS)
def test_generated_formulas_give_a_value_or_an_item_error(expr: str, a: float, b: float) -> None:
    text = FORMULA_HEAD + f'formula f "公式" {{ input a "甲"; input b "乙"; value {expr} }}\n'
    try:
        policy = gridpolicy.loads(text)
    except PolicyError as exc:  # wrong arity and the like: located diagnostics
        assert all(d.span.line >= 1 for d in exc.errors)
        return
    try:
        value = policy.evaluate("f", {"a": a, "b": b}).value
    except ItemError as exc:
        assert exc.errors[0].message_en
        return
    assert isinstance(value, float)
