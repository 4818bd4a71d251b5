"""Decision-log and batch figures for `make bench` (issue 20), as ratios measured in one run.

- logged vs unlogged: `route()` alone, then `route()` + `DecisionLog.write` on SQLite in batches
  of 100, and single decisions from 8 threads (group commit), durability full;
- batch: `gridpolicy route RULES ITEMS.parquet --out OUT.parquet` per core (decisions per
  CPU-second) and its wall-clock speed-up with `--jobs 2`.

Prints CPU-time rates as well as wall-clock ones: on a shared machine the CPU rate is the one
that says what a core does. `python -m benchmarks.scale [--items N]`.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import gridpolicy
from gridpolicy.decisionlog import DecisionLog, LoggedPolicy, decide

ROOT = Path(__file__).resolve().parent.parent


def _items(n: int) -> list[dict]:
    return [{"id": f"S-{k}", "kind": "issue" if k % 3 else "task", "matter": "矛盾纠纷调解",
             "reported_at": f"2026-03-{2 + k % 20:02d}T10:00:00+08:00", **({"urgency": "emergency"} if k % 5 == 0 else {})}
            for k in range(n)]


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=3000)
    args = ap.parse_args()
    policy = gridpolicy.load(ROOT / "rules")
    items = _items(args.items)
    tmp = Path(tempfile.mkdtemp(prefix="gp-scale-"))
    print(f"# decision log and batch (issue 20); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    c0 = time.process_time()
    for it in items:
        policy.route(it)
    unlogged = len(items) / (time.process_time() - c0)
    print(f"route() unlogged                         {unlogged:10,.0f} decisions per CPU-second")

    log = DecisionLog(tmp / "b.sqlite")
    c0, t0 = time.process_time(), time.perf_counter()
    for k in range(0, len(items), 100):
        log.write([decide("route", it, lambda it=it: policy.route(it))[1] for it in items[k:k + 100]])
    cpu, wall = time.process_time() - c0, time.perf_counter() - t0
    print(f"route() + SQLite log, batches of 100     {len(items) / cpu:10,.0f} per CPU-second "
          f"({len(items) / wall:,.0f}/s wall)   logged/unlogged {len(items) / cpu / unlogged:.2f}")
    log.close()

    log = DecisionLog(tmp / "t.sqlite")
    logged = LoggedPolicy(policy, log)
    per = max(1, len(items) // 8)

    def worker(k: int) -> None:
        for it in items[k * per:(k + 1) * per]:
            logged.route(it)
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    c0, t0 = time.process_time(), time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu, wall = time.process_time() - c0, time.perf_counter() - t0
    print(f"single logged decisions, 8 threads       {8 * per / wall:10,.0f}/s wall ({8 * per / cpu:,.0f} per CPU-second)")
    log.close()

    import pyarrow as pa
    import pyarrow.parquet as pq

    big = _items(args.items * 10)
    src = tmp / "items.parquet"
    pq.write_table(pa.Table.from_pylist(big), src)
    walls = {}
    for jobs in (1, 2):
        before, t0 = _children_cpu(), time.perf_counter()
        subprocess.run([sys.executable, "-m", "gridpolicy", "route", str(ROOT / "rules"), str(src), "--out",
                        str(tmp / f"out{jobs}.parquet"), "--jobs", str(jobs)], check=False, capture_output=True)
        walls[jobs] = time.perf_counter() - t0
        cpu = _children_cpu() - before
        print(f"route --out parquet, --jobs {jobs}            {len(big) / cpu:10,.0f} per CPU-second "
              f"({len(big) / walls[jobs]:,.0f}/s wall, incl. start-up)")
    print(f"speed-up with --jobs 2 (wall)            {walls[1] / walls[2]:10.2f}x")


if __name__ == "__main__":
    main()
