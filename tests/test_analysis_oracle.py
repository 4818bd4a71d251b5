"""The route analyses over bit sets (`gridpolicy.analysis.space`) find what the search they
replaced found (`tests/oracle`, a copy of it): the same codes, lines and messages, examples
included, on random small rule sets."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import analyze_routes

import gridpolicy
from gridpolicy.analysis import Domain, Space, analyze

HEAD = """
policy p "测试" {
  version "1"
  effective 2024-01-01
  routing ROUTING
}
tier grid "网格" { level 1 }
tier community "社区" { level 2 }
tier street "街道" { level 3 }
department minzheng "民政局" { tier street }
department jie "街道办" { tier community }
role worker "网格员" { category staff assigned_by minzheng }
role helper "协管员" { category staff assigned_by jie }
field urgency "紧急程度" {
  type enum
  values normal "一般", urgent "紧急", emergency "特急"
  default normal
}
field big "重大" { type bool default false }
field score "分值" { type number range 0 .. 100 }
field needs "所需能力" { type set values law "执法", tech "技术", care "照护" }
field dept "部门" { type department }
criterion law "执法" { when law in needs }
list admission "准入清单" {
  admission true
  matter M01 "调解" { handlers worker owner minzheng effective 2024-03-01 }
  matter M02 "收集" { handlers helper owner jie }
}
exit X1 "退出" { matter M02 date 2025-01-01 approved_by "委" ref "1" reason "r" }
"""

ATOMS = [
    "urgency == normal", "urgency == urgent", "urgency == emergency", "urgency in [urgent, emergency]",
    "urgency != normal", "urgency == none", "big", "not big", "big == true", "big == false",
    "score >= 60", "score < 30", "score > 80", "law in needs", "tech in needs", "care in needs",
    "needs == none", "kind == task", "kind == issue", "matter == M01", "matter in [M01, M02]",
    "has(dept)", "dept == jie", "tier_of(dept) == street",
]
atom = st.sampled_from(ATOMS)
clause = st.one_of(
    atom,
    st.builds(lambda a, b: f"({a} or {b})", atom, atom),
    st.builds(lambda a: f"not ({a})", atom),
)
condition = st.lists(clause, min_size=1, max_size=3).map(" and ".join)
route = st.tuples(
    st.one_of(st.none(), condition),
    st.sampled_from(["tier grid", "tier community", "tier street", "department jie", "department dept"]),
    st.sampled_from(["", "handlers worker", "handlers matter", "handlers helper"]),
    st.booleans(),  # continue
)


def text(routes: list[tuple], routing: str) -> str:
    out = [HEAD.replace("ROUTING", routing)]
    for k, (cond, where, handlers, cont) in enumerate(routes):
        if cond is None:
            cont = False
        if where == "department dept":
            cond = "has(dept)" if cond is None else f"has(dept) and ({cond})"
        body = [f"when {cond}"] if cond else []
        body += [where, handlers, "continue true" if cont else ""]
        out.append(f'route r{k} "规则{k}" {{ ' + " ".join(b for b in body if b) + " }")
    out.append('route z "兜底" { tier grid handlers matter }')
    return "\n".join(out) + "\n"


def findings(diagnostics: list) -> list[tuple]:
    return [(d.code, d.span.line, d.span.column, d.message_zh, d.message_en) for d in diagnostics
            if d.code in ("GP101", "GP102", "GP103", "GP104", "GP107")]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(route, min_size=1, max_size=6), st.sampled_from(["first", "unique"]))
def test_bit_sets_find_what_the_search_found(routes: list[tuple], routing: str) -> None:
    policy = gridpolicy.loads(text(routes, routing))
    old, sampled = analyze_routes(policy)
    if sampled:  # the old search answered from a sample: not exact, nothing to compare
        return
    new = findings(analyze(policy))
    assert new == findings(old)
    probe = Space(Domain(policy), layout=False)  # the same space in slices: the same findings
    widest = max(len(c) for c in probe.classes.values())
    if widest > 1:
        assert findings(analyze(policy, max_bits=probe.total // widest)) == new


def test_examples_agree_on_an_overlap() -> None:
    routes = [("urgency == emergency", "tier street", "", False), ("big", "tier community", "handlers worker", False)]
    policy = gridpolicy.loads(text(routes, "unique"))
    old, _ = analyze_routes(policy)
    assert any(f[0] == "GP102" for f in findings(old))
    assert findings(analyze(policy)) == findings(old)
