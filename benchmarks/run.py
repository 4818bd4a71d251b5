"""Run the benchmark: gridpolicy beside its peers on the synthetic routing workload.

    python -m benchmarks.run                       # N = 10, 100, 1000, 10000
    python -m benchmarks.run --sizes 10,100 --repeats 1 --items 200 --smoke

Checks first that every engine gives the floor's answer for every item (exit 1 if not),
then prints one table of microseconds per decision (median of the repeats; CPU time of
this process) with each engine's ratio to gridpolicy's full `route()`, then load times
and memory. `--smoke` skips timing and only checks the answers.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import peers
from . import workload as w

ROOT = Path(__file__).resolve().parent.parent


def per_item_us(fn: Callable[[Any], Any], items: list[Any], repeats: int, budget: float) -> float:
    """Median over `repeats` of CPU microseconds per call, over as many items as fit `budget` s."""
    start = time.process_time()
    for it in items[:20]:
        fn(it)
    each = max((time.process_time() - start) / min(20, len(items)), 1e-7)
    count = max(20, min(len(items), int(budget / each)))
    sample = items[:count]
    times = []
    for _ in range(repeats):
        t = time.process_time()
        for it in sample:
            fn(it)
        times.append((time.process_time() - t) / count * 1e6)
    return statistics.median(times)


def answers(fn: Callable[[Any], tuple[str, str]], items: list[Any], at_least: int, seconds: float
            ) -> list[tuple[str, str]]:
    """The engine's answers for the items, in order: all of them, or (for a slow engine) those
    it gives within `seconds`, but at least `at_least`."""
    out = []
    end = time.monotonic() + seconds
    for k, it in enumerate(items):
        if k >= at_least and time.monotonic() > end:
            break
        out.append(fn(it))
    return out


def gridpolicy_engines(folder: Path) -> tuple[Any, dict[str, Callable[[dict[str, Any]], tuple[str, str]]]]:
    import gridpolicy

    policy = gridpolicy.load(folder)

    def route(item: dict[str, Any]) -> tuple[str, str]:
        return w.decided_route(policy.route(item))

    def match(item: dict[str, Any]) -> tuple[str, str]:
        found = policy.match(item)
        assert found is not None
        return found
    return policy, {"gridpolicy route() (full Decision)": route, "gridpolicy match() (routing step)": match}


def load_times(folder: Path, cache_dir: Path) -> tuple[float, float]:
    """(cold load s, load from the compiled cache s), each in a fresh process."""
    code = ("import time, gridpolicy, sys; t = time.perf_counter(); gridpolicy.load(sys.argv[1]); "
            "print(time.perf_counter() - t)")
    env = {**os.environ, "GRIDPOLICY_CACHE": str(cache_dir)}
    for f in cache_dir.glob("*.pickle"):
        f.unlink()
    cold = float(subprocess.run([sys.executable, "-c", code, str(folder)], env=env, check=True,
                                capture_output=True, text=True).stdout)
    warm = statistics.median(
        float(subprocess.run([sys.executable, "-c", code, str(folder)], env=env, check=True,
                             capture_output=True, text=True).stdout) for _ in range(3))
    return cold, warm


def rss_mb(folder: Path, cache_dir: Path) -> tuple[float, float]:
    """(resident MB of a fresh Python, of a fresh process holding the loaded policy)."""
    code = ("import sys\nif sys.argv[1] != '-':\n    import gridpolicy; p = gridpolicy.load(sys.argv[1])\n"
            "print([int(x.split()[1]) for x in open('/proc/self/status') if x.startswith('VmRSS')][0] / 1024)")
    env = {**os.environ, "GRIDPOLICY_CACHE": str(cache_dir)}
    base = float(subprocess.run([sys.executable, "-c", code, "-"], env=env, check=True,
                                capture_output=True, text=True).stdout)
    held = float(subprocess.run([sys.executable, "-c", code, str(folder)], env=env, check=True,
                                capture_output=True, text=True).stdout)
    return base, held


def shipped_route_us(repeats: int) -> float:
    """CPU µs per `route()` on the shipped rules, over random items of their own schema (the
    benchmark runs it in a fresh process)."""
    import gridpolicy
    from gridpolicy.contract import ItemError

    from .shipped import random_items

    policy = gridpolicy.load(ROOT / "rules")
    items = random_items(policy, 3000)

    def route(item: dict[str, Any]) -> None:
        with contextlib.suppress(ItemError):
            policy.route(item)
    for it in items:  # warm the working-day cache, as a running service has it
        route(it)
    return per_item_us(route, items, repeats, 1.0)


def stream_rate(policy: Any, items: list[dict[str, Any]], repeats: int) -> float:
    """Decisions per CPU second through `route_many`."""
    rates = []
    for _ in range(repeats):
        t = time.process_time()
        n = sum(1 for _ in policy.route_many(items))
        rates.append(n / (time.process_time() - t))
    return statistics.median(rates)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10,100,1000,10000")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--items", type=int, default=3000, help="items per size")
    ap.add_argument("--budget", type=float, default=0.5, help="CPU seconds per engine per repeat, at most")
    ap.add_argument("--smoke", action="store_true", help="check the answers only; no timing")
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="gridpolicy-bench-"))
    try:
        return _run(args, sizes, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(args: argparse.Namespace, sizes: list[int], work: Path) -> int:
    cache_dir = work / "cache"
    os.environ["GRIDPOLICY_CACHE"] = str(cache_dir)
    table: dict[str, dict[int, float]] = {}
    folders: dict[int, Path] = {}
    stream: dict[int, float] = {}
    disagreements = 0
    for n in sizes:
        rules = w.rules(n)
        items = w.items(args.items)
        gp_items = [w.gp_item(it, k) for k, it in enumerate(items)]
        floor = w.Floor(rules)
        expected = [floor.decide(it) for it in items]
        assert expected == [w.reference(rules, it) for it in items[:200]] + expected[200:]
        folders[n] = folder = w.write_gp(rules, work / f"rules-{n}")
        policy, gp = gridpolicy_engines(folder)
        engines: list[tuple[str, Callable[[Any], tuple[str, str]], list[Any]]] = [
            (label, fn, gp_items) for label, fn in gp.items()]
        for make in peers.PEERS:
            made = make(rules)
            if made is not None:
                engines.append((made[1], made[0], items))
        engines.append(("hand-written Python, indexed by category (floor)", floor.decide, items))
        for label, fn, its in engines:
            got = answers(fn, its, 30, 3.0) if not args.smoke else [fn(it) for it in its]
            bad = sum(g != e for g, e in zip(got, expected))
            if bad:
                disagreements += bad
                print(f"N={n}: {label} disagrees with the floor on {bad} of {len(got)} items", file=sys.stderr)
        print(f"N={n}: {len(engines)} engines agree on {len(items)} items" if not disagreements
              else f"N={n}: disagreements", file=sys.stderr)
        if args.smoke:
            continue
        for label, fn, its in engines:
            table.setdefault(label, {})[n] = per_item_us(fn, its, args.repeats, args.budget)
        stream[n] = stream_rate(policy, gp_items, args.repeats)
    if disagreements:
        return 1
    if args.smoke:
        print("smoke: all engines agree")
        return 0
    ref = table["gridpolicy route() (full Decision)"]
    print(f"\nPython {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs; "
          f"CPU µs per decision, median of {args.repeats}; ratio = engine / gridpolicy route()\n")
    head = "| engine | " + " | ".join(f"N={n}" for n in sizes) + " |"
    print(head)
    print("| --- |" + " --- |" * len(sizes))
    for label, row in table.items():
        cells = [f"{row[n]:,.2f} µs ({row[n] / ref[n]:.2g}×)" for n in sizes]
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("| gridpolicy route_many(), decisions/s | " + " | ".join(f"{stream[n]:,.0f}" for n in sizes) + " |")
    shipped = float(subprocess.run(  # a fresh process: not beside the heap of the peers above
        [sys.executable, "-c", f"from benchmarks.run import shipped_route_us; print(shipped_route_us({args.repeats}))"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout)
    print(f"\ngridpolicy route() on the shipped rules (rules/, random items of its own schema): "
          f"{shipped:,.2f} µs per full Decision")
    if ref.get(sizes[0]) and len(sizes) > 1:
        print(f"\ngridpolicy route() at N={sizes[-1]} / N={sizes[0]}: {ref[sizes[-1]] / ref[sizes[0]]:.2f}×")
    print("\n| rules | cold load | load from compiled cache |\n| --- | --- | --- |")
    for n in sizes:
        if n > 1000:
            continue
        cold, warm = load_times(folders[n], cache_dir)
        print(f"| {n} | {cold * 1000:,.0f} ms | {warm * 1000:,.1f} ms |")
    if 1000 in folders:
        base, held = rss_mb(folders[1000], cache_dir)
        print(f"\nmemory: fresh Python {base:.1f} MB RSS; holding a loaded 1000-rule policy {held:.1f} MB RSS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
