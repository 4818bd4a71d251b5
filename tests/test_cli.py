"""The command line: exit codes, JSON out, explanations, rule tests with diffs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import BASE

from gridpolicy.cli import main


@pytest.fixture()
def rules(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "policy.gp").write_text(BASE, encoding="utf-8")
    return folder


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_ok_and_broken(rules, capsys) -> None:
    code, out, _ = run(capsys, "check", str(rules))
    assert code == 0 and "0 个错误 errors" in out
    (rules / "policy.gp").write_text(BASE.replace("limit 1 hour", "limt 1 hour"), encoding="utf-8")
    code, _, err = run(capsys, "check", str(rules))
    assert code == 1
    assert "policy.gp:" in err and "GP020" in err and "^" in err and "did you mean 'limit'" in err


def test_check_json(rules, capsys) -> None:
    (rules / "policy.gp").write_text(BASE.replace("limit 1 hour", "limt 1 hour"), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(rules), "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    assert data["diagnostics"][0]["code"] == "GP020" and data["diagnostics"][0]["line"] > 0


def test_route_one_many_and_explain(rules, tmp_path, capsys) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"id": "a", "kind": "issue", "matter": "M01",
                               "reported_at": "2026-03-02T10:00:00+08:00"}), encoding="utf-8")
    code, out, _ = run(capsys, "route", str(rules), str(one))
    assert code == 0 and json.loads(out)["tier"]["code"] == "grid"
    many = tmp_path / "many.jsonl"
    many.write_text('{"id": "a", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00"}\n'
                    '{"id": "b", "kind": "nope"}\n', encoding="utf-8")
    code, out, _ = run(capsys, "route", str(rules), str(many))
    data = json.loads(out)
    assert code == 1 and data[0]["outcome"] == "handle" and data[1]["error"] == "invalid_item"
    code, out, _ = run(capsys, "route", str(rules), str(one), "--explain")
    assert "网格" in out and "依据 reasons" in out and "截止 deadline" in out


def test_eval(rules, tmp_path, capsys) -> None:
    data = tmp_path / "d.json"
    data.write_text('{"contact": 90, "tasks": 95}', encoding="utf-8")
    code, out, _ = run(capsys, "eval", str(rules), "score", str(data))
    assert code == 0 and json.loads(out)["grade"]["code"] == "five"


def test_rule_tests_pass_and_fail_with_a_diff(rules, capsys) -> None:
    tests = rules / "tests"
    tests.mkdir()
    (tests / "a.yaml").write_text(
        "- name: 调解在网格\n"
        "  item: {id: a, kind: issue, matter: 调解, reported_at: '2026-03-02T10:00:00+08:00'}\n"
        "  expect: {outcome: handle, tier: grid, handlers.roles: [leader, worker], reasons: [M01, local]}\n"
        "- name: 错误的预期\n"
        "  item: {id: b, kind: issue, urgency: emergency, reported_at: '2026-03-02T10:00:00+08:00'}\n"
        "  expect: {tier: grid}\n"
        "- name: 评分\n"
        "  evaluate: score\n"
        "  data: {contact: 80, tasks: 80}\n"
        "  expect: {value: 80, grade: four}\n", encoding="utf-8")
    code, out, _ = run(capsys, "test", str(rules))
    assert code == 1
    assert "2 个通过 passed, 1 个失败 failed" in out
    assert "a.yaml:4 错误的预期" in out and "tier: 预期 expected \"grid\", 实际 got \"street\"" in out


def test_rule_test_yaml_errors_are_located(rules, capsys) -> None:
    (rules / "bad.test.yaml").write_text("- name: x\n  item: {id: [\n", encoding="utf-8")
    code, out, _ = run(capsys, "test", str(rules))
    assert code == 1 and "bad.test.yaml:" in out and "YAML" in out
