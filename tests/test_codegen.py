"""The generated validator: only whitelisted source is compiled, and nothing from a rule file
or an item is written into it."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import pytest
from conftest import BASE, item
from hypothesis import given, settings
from hypothesis import strategies as st

import gridpolicy
from gridpolicy.contract import ItemError
from gridpolicy.engine.codegen import CodegenError, ValidatorSpec, build_validator, literal, validator_source, verified
from gridpolicy.model import ENVELOPE

ROOT = Path(__file__).resolve().parent.parent
GIVEN = frozenset({"DEFAULTS", "A1", "type", "len", "fromisoformat", "KeyError", "TypeError", "ValueError"})


@pytest.mark.parametrize("value", [None, True, False, 0, -3, 2 ** 80, 1.5, -1e15, "", "a'b\"c\\n\u2028", "类别"])
def test_literals_round_trip(value: object) -> None:
    assert ast.literal_eval(literal(value)) == value


class Text(str):
    def __repr__(self) -> str:
        return "__import__('os')"


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, b"x", Text("x"), [1], {"a": 1}, object(),
                                   frozenset()])
def test_only_plain_values_are_written_as_literals(value: object) -> None:
    with pytest.raises(CodegenError):
        literal(value)


@pytest.mark.parametrize("source", [
    "import os\n",
    "def plain_values(data):\n    return open('x')\n",
    "def plain_values(data):\n    return data.__class__\n",
    "def plain_values(data):\n    return getattr(data, 'x')\n",
    "def plain_values(data):\n    return (lambda: 1)()\n",
    "def plain_values(data):\n    return b'x'\n",
    "def plain_values(data):\n    return [x for x in data]\n",
    "def plain_values(data):\n    return f'{data}'\n",
    "def other(data):\n    return None\n",
    "@A1\ndef plain_values(data):\n    return None\n",
    "def plain_values(data):\n    return DEFAULTS.copy()\n",
    "def plain_values(data):\n    return data[0](1)\n",
    "def plain_values(data):\n    global x\n    return None\n",
    "def plain_values(data):\n    for x in data:\n        pass\n",
    "def plain_values(data):\n    del data\n",
    "def first(values):\n    yield values\n",
    "def first(values):\n    return values.__getitem__('x')\n",
    "def first(values):\n    return CONDS.pop()(values)\n",
])
def test_the_whitelist_refuses_what_the_generator_never_writes(source: str) -> None:
    with pytest.raises(CodegenError):
        verified(source, GIVEN)


def sources(policy: gridpolicy.Policy) -> tuple[str, dict[str, object]]:
    return validator_source(policy.items.validator_spec)


def test_the_shipped_rules_validator_is_whitelisted_and_names_only_field_ids() -> None:
    policy = gridpolicy.load(ROOT / "rules")
    source, names = sources(policy)
    verified(source, GIVEN | frozenset(names) | {"str", "int", "float"})
    strings = {node.value for node in ast.walk(ast.parse(source))
               if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    assert strings <= {f.id for f in policy.fields} | {"id", "kind", "matter", "grid", "grids", "reported_at", "issue",
                                                       "task"}


HOSTILE = '''field urgency "紧急程度" {
  type enum
  values routine "'); import os; os.system('id') #", emergency "\\"\\"\\"\\n__import__('os')"
  default routine
}'''


def test_labels_from_rule_files_are_data_not_source() -> None:
    text = BASE
    start = text.index("field urgency")
    end = text.index("}", start) + 1
    policy = gridpolicy.loads(text[:start] + HOSTILE + text[end:])
    source, names = sources(policy)
    assert "import" not in source and "os.system" not in source
    accepted = next(v for v in names.values() if isinstance(v, dict) and "emergency" in v)
    assert accepted["'); import os; os.system('id') #"] == "routine"
    decision = policy.route(item(urgency='"""\n__import__(\'os\')'))
    assert decision.outcome == "handle"
    assert policy.items.plain_values(item(urgency="'); import os; os.system('id') #"))["urgency"] == "routine"


def test_a_schema_without_fields_still_gets_a_validator() -> None:
    spec = ValidatorSpec(defaults=dict.fromkeys(ENVELOPE), max_fields=200,
                         bools=(), codes=(), numbers=(), texts=(), others=(), required=(), min_year=1900, max_year=2200)
    fn = build_validator(spec, "empty")
    good = {"id": "x", "kind": "issue", "reported_at": "2026-01-02T03:04:05+08:00"}
    assert fn(good)["reported_at"].year == 2026
    for bad in ({**good, "other": 1}, {**good, "kind": "x"}, {**good, "reported_at": "2026-01-02"},
                {**good, "id": ""}, {**good, "reported_at": "3000-01-01T00:00:00Z"}, {**good, "grids": "g1"},
                {**good, "grids": ["g1", 2]}, {**good, "grids": [""]}):
        assert fn(bad) is None, bad


# ---- random schemas: the generated fast path agrees with the full check --------------------------

SCHEMA_HEAD = '''policy g "生成" { version "1"; authority "测试"; effective 2024-01-01 }
tier grid "网格" { level 1 }
tier street "街道" { level 2 }
route fallback "兜底" { tier grid }
'''
# (field type, its declaration body, defaults it may have)
KINDS = {
    "enum": ('type enum; values a "甲", b "乙"', ["a", "b"]),
    "number": ("type number; range 0 .. 10", ["1", "2.5"]),
    "bool": ("type bool", ["true", "false"]),
    "text": ("type text", ['"无"']),
    "tier": ("type tier", ["grid"]),
    "set": ('type set; values law "执法", pro "专业"', []),
    "date": ("type date", []),
    "datetime": ("type datetime", []),
}
EDGES = [None, True, False, 0, -1, 10, 11, 10.0, 10.5, -0.0, "a", "b", "甲", "c", "grid", "街道", "无", "",
         "x" * 10_000, "x" * 10_001, "2026-03-02", "2026-02-30", "2026-03-02T10:00:00+08:00", "2026-03-02T10:00:00",
         ["law"], ["执法", "pro"], ["x"], []]  # each kind's limits, both sides
RAW_VALUES = st.one_of(
    st.sampled_from(EDGES), st.integers(-2, 12), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=3),
    st.lists(st.sampled_from(["law", "pro", "执法", "x"]), max_size=3),
)


VALID = {"enum": "a", "number": 3, "bool": True, "text": "t", "tier": "grid", "set": ["law"],
         "date": "2026-03-02", "datetime": "2026-03-02T10:00:00+08:00"}


@st.composite
def schemas(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    """A schema of random fields, and an item valid for it."""
    valid, lines = {}, []
    for k in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(sorted(KINDS)))
        body, defaults = KINDS[kind]
        if defaults and draw(st.booleans()):
            body += f"; default {draw(st.sampled_from(defaults))}"
        if draw(st.booleans()):
            body += "; required true"
        valid[f"f{k}"] = VALID[kind]
        lines.append(f'field f{k} "字段{k}" {{ {body} }}')
    return SCHEMA_HEAD + "\n".join(lines) + "\n", valid


@settings(max_examples=100, deadline=None)
@given(schemas(), st.data())
def test_generated_validators_agree_with_the_full_check_on_random_schemas(schema, data) -> None:
    text, valid = schema
    policy = gridpolicy.loads(text)
    verified(*_sources_and_names(policy))
    base = {"id": "t", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00", **valid}
    assert policy.items.plain_values(dict(base)) is not None
    edges = [{**base, key: value} for key in valid for value in EDGES]  # every field at every limit
    edges += [{k: v for k, v in base.items() if k != key} for key in valid]  # and left out
    for _ in range(10):  # and one or two fields changed or left out at random
        changed = data.draw(st.dictionaries(st.sampled_from([*valid, "other"]), RAW_VALUES, max_size=2))
        dropped = data.draw(st.sets(st.sampled_from(sorted(valid)), max_size=1))
        edges.append({k: v for k, v in {**base, **changed}.items() if k not in dropped})
    for item_ in edges:
        plain = policy.items.plain_values(dict(item_))
        try:
            checked = policy.items.checked_values(dict(item_))
        except ItemError:
            assert plain is None, (text, item_)
            continue
        if plain is not None:
            assert plain == checked, (text, item_)
            assert [type(v) for v in plain.values()] == [type(checked[k]) for k in plain], (text, item_)


def _sources_and_names(policy: gridpolicy.Policy) -> tuple[str, frozenset[str]]:
    source, names = validator_source(policy.items.validator_spec)
    return source, GIVEN | frozenset(names) | {"str", "int", "float"}
