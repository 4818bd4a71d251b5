"""Determinism: the same policy and item give byte-identical decision JSON in every run and every
process, whatever the hash seed, and whether the policy came from the compiled cache or not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r'''
import datetime as dt, json, sys
import gridpolicy
policy = gridpolicy.load(sys.argv[1])
items = json.loads(sys.argv[2])
at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
out = [policy.digest]
for it in items:
    for when in (None, at):
        try:
            out.append(policy.route(it, at=when).model_dump_json())
        except gridpolicy.ItemError as exc:
            out.append(json.dumps(exc.to_dict(), ensure_ascii=False, sort_keys=True))
out.append(policy.admit({"name": "新事项", "needs": ["law_enforcement"]}).model_dump_json())
sys.stdout.write("\n".join(out))
'''

ITEMS = [
    {"id": "d1", "kind": "issue", "matter": "矛盾纠纷调解", "reported_at": "2026-09-30T10:00:00+08:00"},
    {"id": "d2", "kind": "task", "matter": "M03", "reported_at": "2026-03-02T10:00:00+08:00"},
    {"id": "d3", "kind": "issue", "urgency": "emergency", "reported_at": "2026-03-02T10:00:00+08:00"},
    {"id": "d4", "kind": "task", "matter": "不存在", "reported_at": "2027-02-10T10:00:00+08:00",
     "needs": ["law_enforcement", "industry_supervision", "professional"]},
    {"id": "d5", "kind": "issue", "urgncy": "x", "reported_at": "2026-03-02T10:00:00"},
]


def _run(seed: str, cache: str, tmp_path: Path) -> bytes:
    import json

    env = {**os.environ, "PYTHONHASHSEED": seed, "GRIDPOLICY_CACHE": cache, "GRIDPOLICY_RULES": str(ROOT / "rules")}
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT / "rules"), json.dumps(ITEMS, ensure_ascii=False)],
                          env=env, capture_output=True, timeout=300, cwd=tmp_path, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def test_decisions_are_byte_identical_across_processes_and_hash_seeds(tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    runs = {
        "seed0-nocache": _run("0", "off", tmp_path),
        "seed1-nocache": _run("1", "off", tmp_path),
        "seed12345-cold-cache": _run("12345", cache, tmp_path),
        "random-warm-cache": _run("random", cache, tmp_path),
    }
    first = next(iter(runs.values()))
    assert first.count(b"\n") == 2 * len(ITEMS) + 1
    assert b"invalid_item" in first and b'"outcome":"refuse"' in first
    for name, out in runs.items():
        assert out == first, name


def test_decisions_are_identical_within_a_process(policy) -> None:
    from conftest import BASE, item

    import gridpolicy

    again = gridpolicy.loads(BASE)
    for fields in ({"urgency": "emergency"}, {"matter": "M01", "kind": "task"}, {"people": 80, "scope": "street"}):
        a = policy.route(item(**fields)).model_dump_json()
        assert a == policy.route(item(**fields)).model_dump_json() == again.route(item(**fields)).model_dump_json()
