"""The generated validator: only whitelisted source is compiled, and nothing from a rule file
or an item is written into it."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import pytest
from conftest import BASE, item

import gridpolicy
from gridpolicy.codegen import CodegenError, ValidatorSpec, _verified, build_validator, literal, validator_source

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
        _verified(source, GIVEN)


def sources(policy: gridpolicy.Policy) -> tuple[str, dict[str, object]]:
    return validator_source(policy._validator_spec)


def test_the_shipped_rules_validator_is_whitelisted_and_names_only_field_ids() -> None:
    policy = gridpolicy.load(ROOT / "rules")
    source, names = sources(policy)
    _verified(source, GIVEN | frozenset(names) | {"str", "int", "float"})
    strings = {node.value for node in ast.walk(ast.parse(source))
               if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    assert strings <= {f.id for f in policy.fields} | {"id", "kind", "matter", "grid", "reported_at", "issue", "task"}


HOSTILE = '''field urgency "紧急程度" {
  type enum
  values routine "'); import os; os.system('id') #", emergency "\\"\\"\\"\\n__import__('os')"
  default routine
}'''


def test_labels_from_rule_files_are_data_not_source() -> None:
    text = BASE
    start = text.index("field urgency")
    end = text.index("}", start) + 1
    policy = gridpolicy.load(text[:start] + HOSTILE + text[end:])
    source, names = sources(policy)
    assert "import" not in source and "os.system" not in source
    accepted = next(v for v in names.values() if isinstance(v, dict) and "emergency" in v)
    assert accepted["'); import os; os.system('id') #"] == "routine"
    decision = policy.route(item(urgency='"""\n__import__(\'os\')'))
    assert decision.outcome == "handle"
    assert policy._plain_values(item(urgency="'); import os; os.system('id') #"))["urgency"] == "routine"


def test_a_schema_without_fields_still_gets_a_validator() -> None:
    spec = ValidatorSpec(defaults=dict.fromkeys(("id", "kind", "matter", "reported_at", "grid")), max_fields=200,
                         bools=(), codes=(), numbers=(), texts=(), others=(), required=(), min_year=1900, max_year=2200)
    fn = build_validator(spec, "empty")
    good = {"id": "x", "kind": "issue", "reported_at": "2026-01-02T03:04:05+08:00"}
    assert fn(good)["reported_at"].year == 2026
    for bad in ({**good, "other": 1}, {**good, "kind": "x"}, {**good, "reported_at": "2026-01-02"},
                {**good, "id": ""}, {**good, "reported_at": "3000-01-01T00:00:00Z"}):
        assert fn(bad) is None, bad
