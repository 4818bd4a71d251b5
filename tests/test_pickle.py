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


def test_a_cached_or_unpickled_policy_unpickles_its_conditions_only_when_used(tmp_path, monkeypatch) -> None:
    from gridpolicy.engine.parts import ELIDED

    monkeypatch.setenv("GRIDPOLICY_CACHE", str(tmp_path / "cache"))
    folder = workload.write_gp(workload.rules(200), tmp_path / "rules")
    fresh = gridpolicy.load(folder)
    for policy in (gridpolicy.load(folder), pickle.loads(pickle.dumps(fresh))):
        assert policy._kept is None and policy._model is None  # routing's tables built without them
        assert all(r.condition is ELIDED for r in policy._light.routes)
        assert policy.header == fresh.header and policy.digest == fresh.digest
        for k, item in enumerate(workload.items(200)):
            gp = workload.gp_item(item, k)
            assert policy.route_json(gp) == fresh.route_json(gp)
        assert policy.model == fresh.model and policy.routes == fresh.routes  # the whole model on request
        assert pickle.loads(pickle.dumps(policy)).model == fresh.model


def test_an_elided_condition_cannot_be_compiled() -> None:
    from gridpolicy.engine.compiler import Compiler
    from gridpolicy.engine.parts import ELIDED

    with pytest.raises(AttributeError):
        Compiler({}, {}, []).condition(ELIDED)
