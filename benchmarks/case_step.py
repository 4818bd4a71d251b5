"""`Policy.step` on a 10-event case beside `Policy.route` on the same item (issue 23's target:
step within 3x route), under the shipped rules.

The target row steps the same case again, as a host does when it asks where a case stands
(the engine remembers the checked events and the case run of cases it has seen). A second
row, shown and not judged, steps a case never seen before each call: the same events moved
by a new number of microseconds, so nothing of the events or their times is remembered.

    python -m benchmarks.case_step [--rounds 9] [--budget 2.0]

The two take turns, `--rounds` rounds each of a batch sized to about `--budget / rounds` CPU
seconds; each figure is the median of its rounds in CPU time of this process, so both see the
same moments of a shared machine. Prints one table and whether the target is met (with
`--check`, exit 1 if not). A separate measurement from `benchmarks.run`, run by `make bench`.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gridpolicy

ROOT = Path(__file__).resolve().parent.parent
TARGET = 3.0
ITEM = {"id": "B-10", "kind": "issue", "responsible_department": "zhujian", "reported_at": "2026-03-02T10:00:00+08:00"}


def _ev(kind: str, at: str, **fields: Any) -> dict[str, Any]:
    return {"type": kind, "at": f"2026-{at}:00+08:00", **fields}


# Every kind of block acts: a return and its arbitration, an extension, two redos, a close.
CASE = {"item": ITEM, "events": [
    _ev("returned", "03-03T09:00", by="zhujian", reason="属地不符"),
    _ev("arbitrated", "03-03T16:00", to="zhujian"),
    _ev("extension_requested", "03-04T10:00", workdays=3, reason="需协调施工单位"),
    _ev("extension_approved", "03-04T15:00", by="xiaoneng"),
    _ev("completed", "03-11T16:00", by="zhujian"),
    _ev("followup", "03-12T09:00", result="不满意"),
    _ev("completed", "03-13T16:00"),
    _ev("followup", "03-16T09:00", result="不满意"),
    _ev("completed", "03-17T16:00"),
    _ev("followup", "03-18T09:00", result="满意"),
]}


def moved(case: dict[str, Any], microseconds: int) -> dict[str, Any]:
    """`case` with every event `microseconds` (< 1 s) later (its times are whole seconds)."""
    frac = f".{microseconds:06d}"
    return {"item": case["item"], "events": [{**e, "at": e["at"][:19] + frac + e["at"][19:]} for e in case["events"]]}


def rounds_us(engines: list[tuple[str, Callable[[], Any]]], rounds: int, budget: float) -> dict[str, float]:
    """Median CPU microseconds per call of each engine, the engines taking turns."""
    sizes = []
    for _, fn in engines:
        start = time.process_time()
        for _ in range(20):
            fn()
        per = max((time.process_time() - start) / 20, 1e-7)
        sizes.append(max(1, int(budget / rounds / len(engines) / per)))
    samples: dict[str, list[float]] = {label: [] for label, _ in engines}
    gc.freeze()
    try:
        for _ in range(rounds):
            for (label, fn), n in zip(engines, sizes):
                start = time.process_time()
                for _ in range(n):
                    fn()
                samples[label].append((time.process_time() - start) / n * 1e6)
    finally:
        gc.unfreeze()
    return {label: statistics.median(s) for label, s in samples.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--budget", type=float, default=2.0, help="CPU seconds in all")
    ap.add_argument("--check", action="store_true", help="exit 1 if the target is not met")
    args = ap.parse_args(argv)
    policy = gridpolicy.load(ROOT / "rules")
    state = policy.step(CASE)
    assert state.status == "closed" and state.redos == 2 and len(CASE["events"]) == 10, state.status
    route, step, cold = "route(item)", "step(case of 10 events)", "step(a case not seen before)"
    fresh = (moved(CASE, n % 999_999 + 1) for n in itertools.count())
    us = rounds_us([(route, lambda: policy.route(ITEM)), (step, lambda: policy.step(CASE)),
                    (cold, lambda: policy.step(next(fresh)))], args.rounds, args.budget)
    ratio = us[step] / us[route]
    print("| 调用 call | µs | ×route |\n| --- | ---: | ---: |")
    for label in (route, step, cold):
        print(f"| {label} | {us[label]:.1f} | {us[label] / us[route]:.2f} |")
    ok = ratio <= TARGET
    print(f"\nstep / route = {ratio:.2f} (target ≤ {TARGET:g}): {'met 达标' if ok else 'NOT met 未达标'}")
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
