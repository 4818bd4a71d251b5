"""Deep checks (gridpolicy.analysis): each GP1xx code fires where it should, not elsewhere,
and can be silenced on its line."""

from __future__ import annotations

import pytest

import gridpolicy
from gridpolicy.analysis import Domain, Space, analyze
from gridpolicy.analysis.formulas import value_range
from gridpolicy.cli import main
from gridpolicy.diagnostics import CODES

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
role worker "网格员" { category staff assigned_by minzheng }
field urgency "紧急程度" {
  type enum
  values normal "一般", urgent "紧急", emergency "特急"
  default normal
}
field big "重大" { type bool default false }
field score "分值" { type number range 0 .. 100 }
field needs "所需能力" { type set values law "执法", tech "技术" }
criterion law "执法" { when law in needs }
list admission "准入清单" {
  admission true
  matter M01 "调解" { handlers worker owner minzheng effective 2024-03-01 }
  matter M02 "收集" { handlers worker owner minzheng effective 2024-03-01 }
}
"""
CATCH_ALL = 'route z "兜底" { tier grid handlers matter }\n'


def policy(body: str, routing: str = "first") -> gridpolicy.Policy:
    return gridpolicy.loads(HEAD.replace("ROUTING", routing) + body)


def codes(body: str, routing: str = "first") -> list[tuple[str, int]]:
    text = HEAD.replace("ROUTING", routing) + body
    lines = text.splitlines()
    out = []
    for d in analyze(gridpolicy.loads(text)):
        out.append((d.code, d.span.line))
        assert d.excerpt == lines[d.span.line - 1]
    return out


def line_of(body: str, needle: str) -> int:
    text = HEAD + body
    return next(n for n, ln in enumerate(text.splitlines(), 1) if needle in ln)


CASES = [
    # (name, routes and more, routing, expected codes, lines marked by a needle)
    ("clean", 'route a "特急" { when urgency == emergency tier street }\n'
              'route b "紧急" { when urgency == urgent tier community }\n' + CATCH_ALL, "first", []),
    ("shadowed by one", 'route a "特急" { when urgency == emergency tier street }\n'
                        'route b "特急重大" { when urgency == emergency and big tier community }\n'
                        'route c "紧急" { when urgency == urgent tier community }\n' + CATCH_ALL,
     "first", [("GP101", 'route b')]),
    ("shadowed by two together", 'route a "重大" { when big tier street }\n'
                                 'route b "不重大" { when not big tier community }\n'
                                 'route c "特急" { when urgency == emergency tier community }\n' + CATCH_ALL,
     "first", [("GP101", 'route c'), ("GP101", 'route z')]),
    ("big may be missing: not shadowed", 'route a "重大" { when big == true tier street }\n'
                                         'route b "不重大" { when big == false tier community }\n'
                                         'route c "未填" { when urgency == emergency tier community }\n'
                                         + CATCH_ALL, "first", []),
    ("contradiction", 'route a "矛盾" { when urgency == urgent and urgency == normal tier street }\n'
                      'route b "特急" { when urgency == emergency tier street }\n' + CATCH_ALL,
     "first", [("GP101", 'route a'), ("GP103", 'field urgency')]),
    ("after the catch-all", CATCH_ALL + 'route late "晚" { when big tier street }\n', "first",
     [("GP101", 'route late'), ("GP103", 'field big')]),
    ("continue route shadowed", 'route a "全部" { when urgency == none or urgency != none tier street }\n'
                                'route c "附加" { when big tier street continue true }\n' + CATCH_ALL,
     "first", [("GP101", 'route c'), ("GP101", 'route z')]),
    ("number boundary not shadowed", 'route a "高" { when score >= 60 tier street }\n'
                                     'route b "中" { when score > 59.5 tier community }\n' + CATCH_ALL,
     "first", []),
    ("number shadowed", 'route a "高" { when score >= 60 tier street }\n'
                        'route b "更高" { when score > 80 tier community }\n' + CATCH_ALL,
     "first", [("GP101", 'route b')]),
    ("unique overlap", 'route a "特急" { when urgency == emergency tier street }\n'
                       'route b "重大" { when big tier community }\n'
                       'route c "紧急" { when urgency == urgent tier community }\n' + CATCH_ALL,
     "unique", [("GP102", 'route b')]),
    ("unique overlap, same outcome", 'route a "特急" { when urgency == emergency tier street }\n'
                                     'route b "重大" { when big tier street }\n'
                                     'route c "紧急" { when urgency == urgent and not big tier community }\n'
                                     + CATCH_ALL, "unique", []),
    ("first: overlap allowed", 'route a "特急" { when urgency == emergency tier street }\n'
                               'route b "重大" { when big tier community }\n'
                               'route c "紧急" { when urgency == urgent tier community }\n' + CATCH_ALL,
     "first", []),
    ("gap: urgent only falls through", 'route a "特急" { when urgency == emergency tier street }\n' + CATCH_ALL,
     "first", [("GP103", 'field urgency')]),
    ("matter named but never decided", 'route a "调解" { when matter in [M01, M02] tier street }\n'
                                       'route b "收集" { when matter == M02 tier community }\n' + CATCH_ALL,
     "first", [("GP101", 'route b')]),
    ("matter part-shadowed", 'route a "收集" { when matter == M02 tier street }\n'
                             'route b "两项" { when matter in [M01, M02] tier community }\n' + CATCH_ALL,
     "first", [("GP104", 'route b')]),
    ("unused role and department", 'role idle "闲置" { category other }\n'
                                   'department spare "闲置部门" { tier street }\n' + CATCH_ALL,
     "first", [("GP105", 'role idle'), ("GP105", 'department spare')]),
    ("never in force", 'list old "旧清单" { admission true\n'
                       '  matter M09 "旧事项" { handlers worker effective 2023-01-01 expires 2023-06-01 }\n}\n'
                       + CATCH_ALL, "first", [("GP106", 'matter M09')]),
    ("exit before the policy", 'list old "旧清单" { admission true\n  matter M08 "旧事项" { handlers worker }\n}\n'
                               'exit X1 "退出" { matter M08 date 2023-12-01 approved_by "委" ref "1" reason "r" }\n'
                               + CATCH_ALL, "first", [("GP106", 'matter M08')]),
    ("exit that matters", 'exit X1 "退出" { matter M01 date 2025-01-01 approved_by "委" ref "1" reason "r" }\n'
                          + CATCH_ALL, "first", []),
    ("exit that changes nothing", 'list neg "负面清单" { admission false\n'
                                  '  matter N1 "负面" { handlers worker }\n}\n'
                                  'exit X2 "退出" { matter N1 date 2025-01-01 approved_by "委" ref "1" reason "r" }\n'
                                  + CATCH_ALL, "first", [("GP107", 'exit X2')]),
    ("exit after expiry", 'list tmp "临时" { admission true\n'
                          '  matter T1 "临时" { handlers worker effective 2024-02-01 expires 2024-06-01 }\n}\n'
                          'exit X3 "退出" { matter T1 date 2024-07-01 approved_by "委" ref "1" reason "r" }\n'
                          + CATCH_ALL, "first", [("GP107", 'exit X3')]),
    ("formula out of range", 'formula f "考核" {\n  input a "甲" { range 0 .. 100 }\n'
                             '  input b "乙" { range 0 .. 100 }\n  value a * 0.5 + b * 0.6\n  range 0 .. 100\n}\n'
                             + CATCH_ALL, "first", [("GP108", 'formula f')]),
    ("formula fine", 'grade g "等级" { band 90 -> a "优", 0 -> c "差" }\n'
                     'formula f "考核" {\n  input a "甲" { range 0 .. 100 }\n'
                     '  input b "乙" { range 0 .. 100 }\n  value a * 0.4 + b * 0.6\n  grade g\n}\n'
                     + CATCH_ALL, "first", []),
    ("grade gap without declared range", 'grade g "等级" { band 90 -> a "优", 60 -> c "合格" }\n'
                                         'formula f "考核" {\n  input a "甲" { range 0 .. 100 }\n'
                                         '  value a\n  grade g\n}\n' + CATCH_ALL, "first", [("GP109", 'formula f')]),
    ("band out of reach", 'grade g "等级" { band 120 -> s "超", 60 -> c "合格", 0 -> d "差" }\n'
                          'formula f "考核" {\n  input a "甲" { range 0 .. 100 }\n'
                          '  value clamp(a, 0, 100)\n  grade g\n}\n' + CATCH_ALL, "first", [("GP109", 'grade g')]),
]


@pytest.mark.parametrize(("name", "body", "routing", "expected"), CASES, ids=[c[0] for c in CASES])
def test_codes(name: str, body: str, routing: str, expected: list[tuple[str, str]]) -> None:
    got = sorted(codes(body, routing))
    want = sorted((code, line_of(body, needle)) for code, needle in expected)
    assert got == want


def test_shadow_message_names_the_shadowing_routes() -> None:
    body = ('route a "重大" { when big tier street }\nroute b "不重大" { when not big tier community }\n'
            'route c "特急" { when urgency == emergency tier community }\n' + CATCH_ALL)
    msgs = [d.message_en for d in analyze(policy(body)) if d.code == "GP101"]
    assert msgs == ["route 'c' is shadowed by earlier route(s) a, b and can never fire",
                    "route 'z' is shadowed by earlier route(s) a, b and can never fire"]


def test_gap_shows_an_example_item() -> None:
    body = 'route a "特急" { when urgency == emergency tier street }\n' + CATCH_ALL
    [d] = analyze(policy(body))  # normal is the default: the catch-all is meant for it
    assert "urgency = urgent:" in d.message_en and '"urgency": "urgent"' in d.message_en
    body2 = 'route a "特急" { when needs == none tier street }\n' + CATCH_ALL
    [d2] = analyze(policy(body2))  # a set without default: each declared value is looked at
    assert "needs = law, tech:" in d2.message_en


def test_approximate_findings_say_so() -> None:
    body = ('route a "高" { when score >= 60 tier street }\nroute b "更高" { when score > 80 tier community }\n'
            + CATCH_ALL)
    [d] = analyze(policy(body))
    assert "approximate" in d.message_en and "score" in d.message_en and "近似" in d.message_zh
    exact = ('route a "特急" { when urgency == emergency tier street }\n'
             'route b "特急重大" { when urgency == emergency and big tier community }\n'
             'route c "紧急" { when urgency == urgent tier community }\n' + CATCH_ALL)
    assert all("approximate" not in d.message_en for d in analyze(policy(exact)))


def test_ignore_comment_silences_only_that_code() -> None:
    body = ('route a "特急" { when urgency == emergency tier street }\n'
            'route b "特急重大" { when urgency == emergency and big tier community } # gridpolicy: ignore GP101\n'
            'route c "紧急" { when urgency == urgent tier community }\n' + CATCH_ALL)
    assert analyze(policy(body)) == []
    other = body.replace("ignore GP101", "ignore GP102")
    assert [d.code for d in analyze(policy(other))] == ["GP101"]


def test_codes_registered() -> None:
    for code in ("GP101", "GP102", "GP103", "GP104", "GP105", "GP106", "GP107", "GP108", "GP109"):
        assert code in CODES


def test_refused_tasks_do_not_reach_routes() -> None:
    # Tasks that need law enforcement are refused before routing: a route only they would reach is dead.
    body = 'route a "执法任务" { when kind == task and law in needs tier street }\n' + CATCH_ALL
    assert [d.code for d in analyze(policy(body))] == ["GP103", "GP101"]  # law: no issue route either
    ok = 'route a "执法问题" { when kind == issue and law in needs tier street }\n' + CATCH_ALL
    assert analyze(policy(ok)) == []


def test_search_is_exact_and_capped() -> None:
    body = ('route a "特急" { when urgency == emergency tier street }\n'
            'route b "特急重大" { when urgency == emergency and big tier community }\n' + CATCH_ALL)
    d = Domain(policy(body))
    # kind 2 x matter (M01 and M02 cannot be told apart: 2 statuses + unlisted) x urgency 4 x big 3
    # x needs 5 (4 subsets + missing)
    assert d.total == 2 * 3 * 4 * 3 * 5
    assert d.search(d.decides(0))[0] == "found"
    assert d.search(d.decides(1)) == ("none", None)
    verdict, values = d.search(d.decides(2))
    assert verdict == "found" and values is not None and values["urgency"] != "emergency"
    small = Domain(policy(body), max_items=3)
    assert small.search(small.decides(1)) == ("none~", None)
    # A space over its cap is sampled; a sample this small misses items: flagged as such.
    diags = analyze(policy(body), max_items=3, max_bits=10)
    assert diags and all("3 sampled" in x.message_en and "抽查 3 个" in x.message_zh for x in diags)
    assert Space(Domain(policy(body), max_items=3), max_bits=10).count == 3


def test_departments_merged_by_tier_unless_named() -> None:
    body = ('department sifa "司法局" { tier street }\ndepartment jie "街道办" { tier community }\n'
            'field dept "部门" { type department }\n'
            'route a "部门" { when tier_of(dept) == street tier street }\n'
            'route b "部门" { when dept == jie tier community }\n' + CATCH_ALL)
    assert Domain(policy(body)).domains["dept"] == ["minzheng", "jie", None]


@pytest.mark.parametrize(("value", "ranges", "want", "exact"), [
    ("a * 0.4 + b * 0.6", {"a": (0, 100), "b": (0, 100)}, (0, 100), True),
    ("a - b", {"a": (0, 10), "b": (0, 5)}, (-5, 10), True),
    ("a * a", {"a": (-1, 2), "b": (0, 1)}, (-2, 4), False),
    ("clamp(a + b, 0, 100)", {"a": (0, 100), "b": (0, 100)}, (0, 100), True),
    ("weighted(a: 0.5, b: 0.5)", {"a": (0, 100), "b": (20, 40)}, (10, 70), True),
])
def test_value_range(value: str, ranges: dict[str, tuple[int, int]], want: tuple[int, int], exact: bool) -> None:
    inputs = "".join(f'  input {k} "{k}" {{ range {lo} .. {hi} }}\n' for k, (lo, hi) in ranges.items())
    p = policy(f'formula f "f" {{\n{inputs}  value {value}\n}}\n' + CATCH_ALL)
    assert value_range(p.model.formulas[0]) == ((float(want[0]), float(want[1])), exact)


def test_cli_check_reports_and_strict(tmp_path, capsys) -> None:
    body = 'route a "特急" { when urgency == emergency tier street }\n' + CATCH_ALL
    (tmp_path / "p.gp").write_text(HEAD.replace("ROUTING", "first") + body, encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 0
    assert "GP103" in capsys.readouterr().err
    assert main(["check", str(tmp_path), "--strict"]) == 1
    assert main(["check", str(tmp_path), "--strict", "--no-deep"]) == 0


def test_simulation_agrees_with_the_runtime() -> None:
    """The analyses decide synthetic items with `Domain.simulate`; it must agree with
    `Policy.route` on every combination of the finite fields (matter in force)."""
    import itertools

    body = ('route a "特急" { when urgency == emergency and kind == issue tier street handlers worker }\n'
            'route c "附加" { when big continue true handlers worker tier grid }\n'
            'route b "重大" { when big and matter == M01 tier community }\n' + CATCH_ALL)
    p = policy(body)
    d = Domain(p)
    in_force = d.state_of[("M01", "in_force")]
    for kind, urgency, big, needs, matter in itertools.product(
            ("issue", "task"), ("normal", "urgent", "emergency"), (True, False), ([], ["law"], ["tech"]),
            ("M01", None)):
        item = {"id": "x", "kind": kind, "urgency": urgency, "big": big, "needs": needs,
                "reported_at": "2026-03-02T10:00:00+08:00"}
        if matter:
            item["matter"] = matter
        decision = p.route(item)
        values = p.program.defaults | {"id": "x", "kind": kind, "urgency": urgency, "big": big,
                                  "needs": frozenset(needs), "matter": in_force if matter else d.domains["matter"][-1]}
        sim = d.simulate(values).outcome
        assert sim.refused == (decision.outcome == "refuse"), item
        if not sim.refused:
            assert sim.tier == decision.tier.code, item
            assert list(sim.handlers) == [r.code for r in decision.handlers.roles], item
