"""Property test: compiled conditions agree with a small reference interpreter written from
the documented semantics (missing values, three operators, tiers ordered by level)."""

from __future__ import annotations

from typing import Any

from conftest import BASE
from hypothesis import given, settings
from hypothesis import strategies as st

import gridpolicy

HEADER = BASE.split("criterion professional")[0]  # header, tiers, roles, fields
TIERS = ["grid", "community", "street", "district", "city"]
LEVEL = {t: i for i, t in enumerate(TIERS)}

# A condition is a pair (rule text, reference function over a dict of field values).
Cond = tuple[str, Any]


def _cmp(op: str, x: Any, y: Any) -> bool:
    if op == "==":
        return x == y
    if op == "!=":
        return x != y
    if x is None or y is None:
        return False
    return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]


OPS = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])

atoms = st.one_of(
    st.builds(lambda op, v: (f"urgency {op} {v}", lambda d: _cmp(op, d.get("urgency", "normal"), v)),
              st.sampled_from(["==", "!="]), st.sampled_from(["normal", "urgent", "emergency"])),
    st.builds(lambda op, t: (f"scope {op} {t}",
                             lambda d: _cmp(op, LEVEL[d.get("scope", "grid")], LEVEL[t])), OPS, st.sampled_from(TIERS)),
    st.builds(lambda op, n: (f"people {op} {n}", lambda d: _cmp(op, d.get("people", 1), n)),
              OPS, st.integers(0, 100)),
    st.builds(lambda neg, v: (f"{v} {'not in' if neg else 'in'} needs",
                              lambda d: (v in d.get("needs", [])) != neg),
              st.booleans(), st.sampled_from(["law", "pro"])),
    st.just(("verified", lambda d: d.get("verified", False) is True)),
    st.just(("has(owner)", lambda d: d.get("owner") is not None)),
    st.builds(lambda op, v: (f"owner {op} {v}", lambda d: _cmp(op, d.get("owner"), v)),
              st.sampled_from(["==", "!="]), st.sampled_from(["zfw", "scj"])),
    st.builds(lambda op, t: (f"handled_tier {op} {t}",
                             lambda d: _cmp(op, None if d.get("handled_tier") is None else LEVEL[d["handled_tier"]],
                                            LEVEL[t])), OPS, st.sampled_from(TIERS)),
    st.builds(lambda vs: (f"urgency in [{', '.join(vs)}]", lambda d: d.get("urgency", "normal") in vs),
              st.lists(st.sampled_from(["normal", "urgent", "emergency"]), min_size=1, max_size=3)),
)


def _combine(children: st.SearchStrategy[Cond]) -> st.SearchStrategy[Cond]:
    def both(op: str, a: Cond, b: Cond) -> Cond:
        fa, fb = a[1], b[1]
        if op == "and":
            return (f"({a[0]}) and ({b[0]})", lambda d: fa(d) and fb(d))
        return (f"({a[0]}) or ({b[0]})", lambda d: fa(d) or fb(d))

    return st.one_of(
        st.builds(both, st.sampled_from(["and", "or"]), children, children),
        st.builds(lambda a: (f"not ({a[0]})", lambda d, f=a[1]: not f(d)), children),
    )


conditions = st.recursive(atoms, _combine, max_leaves=8)

items = st.fixed_dictionaries({}, optional={
    "urgency": st.sampled_from(["normal", "urgent", "emergency"]),
    "scope": st.sampled_from(TIERS),
    "people": st.integers(0, 100),
    "needs": st.lists(st.sampled_from(["law", "pro"]), unique=True),
    "verified": st.booleans(),
    "owner": st.sampled_from(["zfw", "scj"]),
    "handled_tier": st.sampled_from(TIERS),
})

_CACHE: dict[str, gridpolicy.Policy] = {}


def _policy(cond: str) -> gridpolicy.Policy:
    if cond not in _CACHE:
        _CACHE[cond] = gridpolicy.loads(HEADER + f'criterion c "c" {{ when {cond} }}\nroute r {{ tier grid }}\n')
    return _CACHE[cond]


@settings(max_examples=300, deadline=None)
@given(conditions, st.lists(items, min_size=1, max_size=5))
def test_compiled_conditions_match_the_reference(cond: Cond, samples: list[dict[str, Any]]) -> None:
    text, reference = cond
    policy = _policy(text)
    for values in samples:
        caught = not policy.admit({"name": "x", **values}).admitted
        assert caught == bool(reference(values)), (text, values)


@settings(max_examples=100, deadline=None)
@given(conditions, items)
def test_task_refusal_matches_the_criterion(cond: Cond, values: dict[str, Any]) -> None:
    text, reference = cond
    policy = _policy(text)
    item = {"id": "p", "kind": "task", "matter": "none", "reported_at": "2026-03-02T10:00:00+08:00", **values}
    decision = policy.route(item)
    criteria = [r.id for r in decision.reasons if r.kind == "criterion"]
    assert (criteria == ["c"]) == bool(reference(values))
