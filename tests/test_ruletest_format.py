"""The rule-test file format: unknown keys are errors with a "did you mean", and a YAML error
is a located failure, never a silent skip (issue 19)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BASE

import gridpolicy
from gridpolicy.ruletest import run_file

ITEM = "{id: T-1, kind: issue, urgency: emergency, reported_at: '2026-03-02T10:00:00+08:00'}"


@pytest.fixture(scope="module")
def policy() -> gridpolicy.Policy:
    return gridpolicy.loads(BASE)


def _run(policy: gridpolicy.Policy, tmp_path: Path, text: str) -> list[tuple[int, bool, list[str]]]:
    f = tmp_path / "t.yaml"
    f.write_text(text, encoding="utf-8")
    return [(r.line, r.ok, r.problems) for r in run_file(policy, f, "t.yaml")]


@pytest.mark.parametrize(("expect", "found"), [
    ("{teir: street}", "未知的预期键“teir” unknown expectation key 'teir'；是否想写“tier”？ did you mean 'tier'?"),
    ("{tier.cod: street}", "未知的预期键“cod” unknown expectation key 'cod'；是否想写“code”？ did you mean 'code'?"),
])
def test_unknown_expectation_keys(policy: gridpolicy.Policy, tmp_path: Path, expect: str, found: str) -> None:
    [(line, ok, problems)] = _run(policy, tmp_path, f"- name: a\n  item: {ITEM}\n  expect: {expect}\n")
    assert (line, ok) == (1, False)
    assert any(found in p for p in problems), problems


def test_a_right_key_still_passes(policy: gridpolicy.Policy, tmp_path: Path) -> None:
    assert _run(policy, tmp_path, f"- name: a\n  item: {ITEM}\n  expect: {{tier: street}}\n") == [(1, True, [])]


def test_unknown_case_key(policy: gridpolicy.Policy, tmp_path: Path) -> None:
    [(line, ok, problems)] = _run(policy, tmp_path, f"- name: a\n  itme: {ITEM}\n  expect: {{tier: street}}\n")
    assert (line, ok) == (1, False)
    assert problems == ["未知的用例键“itme” unknown case key 'itme'；是否想写“item”？ did you mean 'item'?"]


def test_a_yaml_error_is_located_and_fails(policy: gridpolicy.Policy, tmp_path: Path) -> None:
    text = f"- name: a\n  item: {ITEM}\n  expect: {{tier: street}}\n- name: b\n   item: x\n"
    [(line, ok, problems)] = _run(policy, tmp_path, text)
    assert (line, ok) == (5, False)
    assert "t.yaml:5:" in problems[0] and "none of this file's cases ran" in problems[0]


def test_watch_runs_again_after_a_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse
    import threading
    import time

    from gridpolicy.cli import test_cmd

    (tmp_path / "rules.gp").write_text(BASE, encoding="utf-8")
    tests = tmp_path / "tests"
    tests.mkdir()
    case = tests / "a.yaml"
    case.write_text(f"- name: a\n  item: {ITEM}\n  expect: {{teir: street}}\n", encoding="utf-8")

    def fix() -> None:
        time.sleep(0.6)
        case.write_text(f"- name: a\n  item: {ITEM}\n  expect: {{tier: street}}\n", encoding="utf-8")

    threading.Thread(target=fix).start()
    args = argparse.Namespace(path=str(tmp_path), tests=None, verbose=False, coverage=False, min_coverage=None,
                              format="text", watch=True)
    assert test_cmd.watch(args, poll=0.05, max_runs=2) == 0
    out = capsys.readouterr().out
    assert "0 个通过 passed, 1 个失败 failed" in out and "1 个通过 passed, 0 个失败 failed" in out
    assert "files changed, running again" in out
