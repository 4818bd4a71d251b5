"""Conditions compiled on first use (engine.program): a policy compiles only what its decisions
need, once per route, in any thread, and decides exactly as with every condition compiled."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import pytest

import gridpolicy
from gridpolicy.engine.program import Program

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import workload

RULES = workload.rules(300)
ITEMS = [workload.gp_item(it, k) for k, it in enumerate(workload.items(400))]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The route positions whose condition a program compiles, in order."""
    calls: list[int] = []
    original = Program.condition

    def condition(self: Program, index: int) -> Any:
        if self._compiled[index] is None:
            calls.append(index)
        return original(self, index)
    monkeypatch.setattr(Program, "condition", condition)
    return calls


def test_nothing_is_compiled_before_it_is_used(counted: list[int]) -> None:
    policy = gridpolicy.loads(workload.gp_text(RULES))
    assert counted == []
    policy.route(ITEMS[0])
    assert len(counted) < len(RULES)


def test_lazily_compiled_decisions_equal_eagerly_compiled_ones() -> None:
    lazy = gridpolicy.loads(workload.gp_text(RULES))
    eager = gridpolicy.loads(workload.gp_text(RULES))
    assert len(eager.program.conditions) == len(RULES)  # compiles every one
    for item in ITEMS:
        assert lazy.route_json(item) == eager.route_json(item)
        assert lazy.match(item) == eager.match(item)
    for k, compiled in enumerate(lazy.program.routes):  # tools see the same functions
        assert compiled.condition is lazy.program.condition(k)
        values = {"category": "c01", "severity": 3, "flag_a": True, "flag_b": False, "flag_c": True}
        assert compiled.condition(values) == eager.program.routes[k].condition(values)


def test_threads_compile_each_condition_once_and_agree(counted: list[int]) -> None:
    policy = gridpolicy.loads(workload.gp_text(RULES))
    other = gridpolicy.loads(workload.gp_text(RULES))
    expected = [other.route_json(it) for it in ITEMS]
    counted.clear()
    results: dict[int, list[bytes]] = {}
    start = threading.Barrier(8)

    def work(n: int) -> None:
        start.wait()
        results[n] = [policy.route_json(it) for it in ITEMS]
    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results.values())
    assert len(counted) == len(set(counted))  # each condition compiled once


@pytest.mark.parametrize("tier", ["district", "grid"])
def test_fixed_destinations_are_the_compiled_ones(tier: str) -> None:
    text = workload.gp_head() + f'route a "a" {{\n  when severity >= 2\n  tier {tier}\n}}\nroute rest "rest" {{\n  tier grid\n}}\n'
    program = gridpolicy.loads(text).program
    for k in range(2):
        assert program.fixed[k] == program.destination(k, {})
