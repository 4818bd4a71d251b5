"""The peer engines, each given the synthetic rules in its own language and called the way
its documentation recommends for rules that do not change: ZEN's decision pre-compiled from
a `ZenDecisionContent`, Cedar's policies parsed once into a `PolicySet`, rule-engine's and
cel-python's expressions compiled once.

The interpreted peers (rule-engine, json-logic, cel-python) come in two forms: a plain loop
over every rule, and with the category index the hand-written floor has (the rules bucketed
by category, each bucket's rules without their category test, in rule order).

Each `make_*` returns a list of `(decide, label)` where `decide(item) -> (rule id, tier)`,
empty when the engine is not installed. Nothing here installs anything.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .workload import CATEGORIES, Rule

Decide = Callable[[dict[str, Any]], tuple[str, str]]
Made = list[tuple[Decide, str]]
INDEXED = ", indexed by category"


def buckets(rules: list[Rule], compile_rule: Callable[[Rule, bool], Any]) -> dict[str, list[tuple[Any, Rule]]]:
    """The floor's category index for a peer: per category, the rules that allow it, in
    rule order, each compiled without its category test (`compile_rule(rule, False)`)."""
    out: dict[str, list[tuple[Any, Rule]]] = {c: [] for c in CATEGORIES}
    for r in rules:
        compiled = compile_rule(r, False)
        for c in (r.categories or CATEGORIES):
            out[c].append((compiled, r))
    return out


def _jdm(rules: list[Rule]) -> str:
    """A GoRules JDM graph: input -> decision table (first hit) -> output."""
    inputs = [{"id": "i_cat", "name": "category", "field": "category"},
              {"id": "i_sev", "name": "severity", "field": "severity"},
              *({"id": f"i_{f}", "name": f, "field": f} for f in ("a", "b", "c"))]
    outputs = [{"id": "o_rule", "name": "rule", "field": "rule"}, {"id": "o_tier", "name": "tier", "field": "tier"}]
    rows = []
    for r in rules:
        row = {"_id": r.id, "i_cat": ", ".join(f'"{c}"' for c in r.categories),
               "i_sev": f">= {r.severity}" if r.severity else "",
               "o_rule": f'"{r.id}"', "o_tier": f'"{r.tier}"'}
        for f in ("a", "b", "c"):
            row[f"i_{f}"] = ""
        for f, want in r.flags:
            row[f"i_{f}"] = "true" if want else "false"
        rows.append(row)
    pos = {"x": 0, "y": 0}
    graph = {
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "request", "position": pos},
            {"id": "table", "type": "decisionTableNode", "name": "routing", "position": pos,
             "content": {"hitPolicy": "first", "inputs": inputs, "outputs": outputs, "rules": rows}},
            {"id": "out", "type": "outputNode", "name": "response", "position": pos},
        ],
        "edges": [{"id": "e1", "sourceId": "in", "targetId": "table", "type": "edge"},
                  {"id": "e2", "sourceId": "table", "targetId": "out", "type": "edge"}],
    }
    return json.dumps(graph)


def make_zen_engine(rules: list[Rule]) -> Made:
    """`ZenEngine.evaluate(key, context)` with a loader handing out a pre-compiled
    `ZenDecisionContent` (the documentation's pattern for best performance)."""
    try:
        import zen
    except ImportError:
        return []
    content = zen.ZenDecisionContent(_jdm(rules))  # parsed once, as a host would keep it
    engine = zen.ZenEngine({"loader": lambda key: content})

    def decide(item: dict[str, Any]) -> tuple[str, str]:
        out = engine.evaluate("routing", item)["result"]
        return out["rule"], out["tier"]
    return [(decide, "GoRules ZEN, ZenEngine.evaluate")]


def make_zen_decision(rules: list[Rule]) -> Made:
    """`ZenDecision.evaluate(context)`, the decision created from a `ZenDecisionContent`."""
    try:
        import zen
    except ImportError:
        return []
    decision = zen.ZenEngine().create_decision(zen.ZenDecisionContent(_jdm(rules)))

    def decide(item: dict[str, Any]) -> tuple[str, str]:
        out = decision.evaluate(item)["result"]
        return out["rule"], out["tier"]
    return [(decide, "GoRules ZEN, ZenDecision.evaluate")]


def make_cedar(rules: list[Rule]) -> Made:
    """Cedar has no first match: one permit per rule; the lowest-numbered satisfied one wins.
    The policies are parsed once into a `PolicySet` and the (empty) entities into an
    `Entities` handle, both reused on every call, as cedarpy's documentation recommends."""
    try:
        import cedarpy
    except ImportError:
        return []
    texts = []
    for r in rules:
        conds = []
        if r.categories:
            conds.append(" || ".join(f'context.category == "{c}"' for c in r.categories))
        if r.severity:
            conds.append(f"context.severity >= {r.severity}")
        conds += [f"context.{f} == {'true' if want else 'false'}" for f, want in r.flags]
        when = f" when {{ {' && '.join(f'({c})' for c in conds)} }}" if conds else ""
        texts.append(f"permit(principal, action, resource){when};")
    policies = cedarpy.PolicySet.from_str("\n".join(texts))
    entities = cedarpy.Entities.from_json_str("[]")
    by_id = {f"policy{i}": (i, r) for i, r in enumerate(rules)}

    def decide(item: dict[str, Any]) -> tuple[str, str]:
        request = {"principal": 'User::"host"', "action": 'Action::"route"', "resource": 'Item::"x"',
                   "context": item}
        result = cedarpy.is_authorized(request, policies, entities)
        _, rule = min(by_id[p] for p in result.diagnostics.reasons)
        return rule.id, rule.tier
    return [(decide, "AWS Cedar (cedarpy), pre-parsed PolicySet")]


def _first(compiled: list[tuple[Any, Rule]], holds: Callable[[Any, dict[str, Any]], bool]) -> Decide:
    def decide(item: dict[str, Any]) -> tuple[str, str]:
        for c, r in compiled:
            if holds(c, item):
                return r.id, r.tier
        raise AssertionError("no catch-all")
    return decide


def _indexed(index: dict[str, list[tuple[Any, Rule]]], holds: Callable[[Any, dict[str, Any]], bool]) -> Decide:
    def decide(item: dict[str, Any]) -> tuple[str, str]:
        for c, r in index[item["category"]]:
            if holds(c, item):
                return r.id, r.tier
        raise AssertionError("no catch-all")
    return decide


def _both(rules: list[Rule], label: str, compile_rule: Callable[[Rule, bool], Any],
          holds: Callable[[Any, dict[str, Any]], bool]) -> Made:
    """A peer as a plain loop over every rule and with the floor's category index."""
    plain = [(compile_rule(r, True), r) for r in rules]
    return [(_first(plain, holds), label), (_indexed(buckets(rules, compile_rule), holds), label + INDEXED)]


def make_rule_engine(rules: list[Rule]) -> Made:
    try:
        import rule_engine
    except ImportError:
        return []

    def compile_rule(r: Rule, with_category: bool) -> Any:
        parts = []
        if r.categories and with_category:
            parts.append("category in [" + ", ".join(f"'{c}'" for c in r.categories) + "]")
        if r.severity:
            parts.append(f"severity >= {r.severity}")
        parts += [f"{f} == {'true' if want else 'false'}" for f, want in r.flags]
        return rule_engine.Rule(" and ".join(parts) or "true")
    return _both(rules, "rule-engine", compile_rule, lambda rule, item: rule.matches(item))


def make_json_logic(rules: list[Rule]) -> Made:
    try:
        from json_logic import jsonLogic
    except ImportError:
        return []

    def compile_rule(r: Rule, with_category: bool) -> Any:
        parts: list[Any] = []
        if r.categories and with_category:
            parts.append({"in": [{"var": "category"}, list(r.categories)]})
        if r.severity:
            parts.append({">=": [{"var": "severity"}, r.severity]})
        parts += [{"===": [{"var": f}, want]} for f, want in r.flags]
        return {"and": parts} if parts else True
    return _both(rules, "json-logic (panzi-json-logic)", compile_rule,
                 lambda logic, item: logic is True or jsonLogic(logic, item))


def make_cel(rules: list[Rule]) -> Made:
    try:
        import celpy
    except ImportError:
        return []
    env = celpy.Environment()

    def compile_rule(r: Rule, with_category: bool) -> Any:
        parts = []
        if r.categories and with_category:
            parts.append("category in [" + ", ".join(f'"{c}"' for c in r.categories) + "]")
        if r.severity:
            parts.append(f"severity >= {r.severity}")
        parts += [f"{f} == {'true' if want else 'false'}" for f, want in r.flags]
        return env.program(env.compile(" && ".join(parts) or "true"))
    plain = [(compile_rule(r, True), r) for r in rules]
    index = buckets(rules, compile_rule)

    def decide(item: dict[str, Any]) -> tuple[str, str]:
        activation = celpy.json_to_cel(item)
        for prog, r in plain:
            if bool(prog.evaluate(activation)):
                return r.id, r.tier
        raise AssertionError("no catch-all")

    def decide_indexed(item: dict[str, Any]) -> tuple[str, str]:
        activation = celpy.json_to_cel(item)
        for prog, r in index[item["category"]]:
            if bool(prog.evaluate(activation)):
                return r.id, r.tier
        raise AssertionError("no catch-all")
    return [(decide, "cel-python, compiled"), (decide_indexed, "cel-python, compiled" + INDEXED)]


PEERS = (make_zen_engine, make_zen_decision, make_cedar, make_rule_engine, make_json_logic, make_cel)
