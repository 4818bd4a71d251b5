"""The peer engines, each given the synthetic rules in its own language.

Each `make_*` returns `(decide, label)` where `decide(item) -> (rule id, tier)`, or None when
the engine is not installed. Nothing here installs anything.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .workload import Rule

Decide = Callable[[dict[str, Any]], tuple[str, str]]


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


def make_zen_engine(rules: list[Rule]) -> tuple[Decide, str] | None:
    """ZEN's fastest path: `ZenEngine.evaluate(key, context)` with a loader."""
    try:
        import zen
    except ImportError:
        return None
    content = zen.ZenDecisionContent(_jdm(rules))  # parsed once, as a host would keep it
    engine = zen.ZenEngine({"loader": lambda key: content})

    def decide(item: dict[str, Any]) -> tuple[str, str]:
        out = engine.evaluate("routing", item)["result"]
        return out["rule"], out["tier"]
    return decide, "GoRules ZEN, ZenEngine.evaluate"


def make_zen_decision(rules: list[Rule]) -> tuple[Decide, str] | None:
    try:
        import zen
    except ImportError:
        return None
    decision = zen.ZenEngine().create_decision(_jdm(rules))

    def decide(item: dict[str, Any]) -> tuple[str, str]:
        out = decision.evaluate(item)["result"]
        return out["rule"], out["tier"]
    return decide, "GoRules ZEN, ZenDecision.evaluate"


def make_cedar(rules: list[Rule]) -> tuple[Decide, str] | None:
    """Cedar has no first match: one permit per rule; the lowest-numbered satisfied one wins."""
    try:
        import cedarpy
    except ImportError:
        return None
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
    policies = "\n".join(texts)
    by_id = {f"policy{i}": (i, r) for i, r in enumerate(rules)}

    def decide(item: dict[str, Any]) -> tuple[str, str]:
        request = {"principal": 'User::"host"', "action": 'Action::"route"', "resource": 'Item::"x"',
                   "context": item}
        result = cedarpy.is_authorized(request, policies, [])
        _, rule = min(by_id[p] for p in result.diagnostics.reasons)
        return rule.id, rule.tier
    return decide, "AWS Cedar (cedarpy)"


def make_rule_engine(rules: list[Rule]) -> tuple[Decide, str] | None:
    try:
        import rule_engine
    except ImportError:
        return None
    compiled = []
    for r in rules:
        parts = []
        if r.categories:
            parts.append("category in [" + ", ".join(f"'{c}'" for c in r.categories) + "]")
        if r.severity:
            parts.append(f"severity >= {r.severity}")
        parts += [f"{f} == {'true' if want else 'false'}" for f, want in r.flags]
        compiled.append((rule_engine.Rule(" and ".join(parts) or "true"), r))

    def decide(item: dict[str, Any]) -> tuple[str, str]:
        for rule, r in compiled:
            if rule.matches(item):
                return r.id, r.tier
        raise AssertionError("no catch-all")
    return decide, "rule-engine"


def make_json_logic(rules: list[Rule]) -> tuple[Decide, str] | None:
    try:
        from json_logic import jsonLogic
    except ImportError:
        return None
    compiled = []
    for r in rules:
        parts: list[Any] = []
        if r.categories:
            parts.append({"in": [{"var": "category"}, list(r.categories)]})
        if r.severity:
            parts.append({">=": [{"var": "severity"}, r.severity]})
        parts += [{"===": [{"var": f}, want]} for f, want in r.flags]
        compiled.append(({"and": parts} if parts else True, r))

    def decide(item: dict[str, Any]) -> tuple[str, str]:
        for logic, r in compiled:
            if logic is True or jsonLogic(logic, item):
                return r.id, r.tier
        raise AssertionError("no catch-all")
    return decide, "json-logic (panzi-json-logic)"


def make_cel(rules: list[Rule]) -> tuple[Decide, str] | None:
    try:
        import celpy
    except ImportError:
        return None
    env = celpy.Environment()
    compiled = []
    for r in rules:
        parts = []
        if r.categories:
            parts.append("category in [" + ", ".join(f'"{c}"' for c in r.categories) + "]")
        if r.severity:
            parts.append(f"severity >= {r.severity}")
        parts += [f"{f} == {'true' if want else 'false'}" for f, want in r.flags]
        compiled.append((env.program(env.compile(" && ".join(parts) or "true")), r))

    def decide(item: dict[str, Any]) -> tuple[str, str]:
        activation = celpy.json_to_cel(item)
        for prog, r in compiled:
            if bool(prog.evaluate(activation)):
                return r.id, r.tier
        raise AssertionError("no catch-all")
    return decide, "cel-python, compiled"


PEERS = (make_zen_engine, make_zen_decision, make_cedar, make_rule_engine, make_json_logic, make_cel)
