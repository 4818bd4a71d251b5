"""A pickled policy (as a distributed engine's worker receives it) decides as the original;
unpickling pauses the cyclic collector and leaves it as it found it."""

from __future__ import annotations

import gc
import pickle
import sys
from pathlib import Path

import pytest

import gridpolicy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import workload


@pytest.mark.parametrize("collector_on", [True, False])
def test_pickle_round_trip(collector_on: bool) -> None:
    policy = gridpolicy.loads(workload.gp_text(workload.rules(120)))
    data = pickle.dumps(policy)
    was = gc.isenabled()
    try:
        gc.enable() if collector_on else gc.disable()
        runs: list[str] = []
        gc.callbacks.append(lambda phase, info: runs.append(phase))
        try:
            copy = pickle.loads(data)  # tens of thousands of objects: no collection among them
        finally:
            gc.callbacks.pop()
        assert runs == []
        assert gc.isenabled() is collector_on
    finally:
        gc.enable() if was else gc.disable()
    assert copy.model.digest == policy.model.digest
    for k, item in enumerate(workload.items(300)):
        gp = workload.gp_item(item, k)
        assert copy.route_json(gp) == policy.route_json(gp)
