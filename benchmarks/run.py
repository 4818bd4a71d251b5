"""Run the benchmark: gridpolicy beside its peers on the synthetic routing workload.

    python -m benchmarks.run                       # N = 10, 100, 1000, 10000
    python -m benchmarks.run --sizes 10,100 --repeats 1 --items 200 --smoke

Checks first that every engine gives the floor's answer for every item (exit 1 if not),
then prints one table of microseconds per decision with each engine's ratio to gridpolicy's
full `route()`, throughput (`route_many`, the JSON-lines command in one process and with
`--jobs 2`), load times, memory, the memory of the JSON-lines command over a large input,
and which targets of issue 7 are met. `--smoke` skips timing and only checks the answers.

Timing: the engines take turns, `--repeats` rounds of a batch each (batches sized so that
an engine's rounds together take about `--budget` CPU seconds); each engine's figure is the
median of its rounds, in CPU time of this process. Taking turns puts every engine through
the same moments of a shared machine, so the ratios hold even when the machine's speed
drifts during the run. The throughput rows (`route_many`, the `--jsonl` loop) take their
turns too, 50 items a call. The engines' rules are built first and frozen out of the cyclic
garbage collector (`gc.freeze`) while they are timed, so that no engine pays for scanning
the heaps of the others.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
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

from . import command, growth, history, peers
from . import workload as w

ROOT = Path(__file__).resolve().parent.parent
ROUTE = "gridpolicy route() (full Decision)"
MATCH = "gridpolicy match() (validation + routing step)"
STEP = "gridpolicy routing step alone, on validated values (internal)"
FLOOR = "hand-written Python, indexed by category (floor)"
ZEN = "GoRules ZEN, ZenEngine.evaluate"
RJSON = "gridpolicy route_json() (the Decision's JSON bytes)"
JFLOOR = "hand-written Python writing route_json()'s bytes (JSON floor)"
INVALID = "gridpolicy route(), invalid item (a value out of range)"
INVALID_KEY = "gridpolicy route(), invalid item (an unknown key)"
MANY = "route_many"
JSONL = "route --jsonl loop"


def rounds_us(engines: list[tuple[str, Callable[[Any], Any], list[Any]]], repeats: int, budget: float
              ) -> dict[str, float]:
    """Median CPU microseconds per call of each engine, the engines taking turns for
    `repeats` rounds; each round runs a batch of about `budget / repeats` seconds."""
    batches = []
    for label, fn, items in engines:
        start = time.process_time()
        for it in items[:20]:
            fn(it)
        each = max((time.process_time() - start) / min(20, len(items)), 1e-7)
        size = max(1, min(len(items), int(budget / repeats / each)))
        batches.append((label, fn, items, size))
    times: dict[str, list[float]] = {label: [] for label, _, _, _ in batches}
    for r in range(repeats):
        for label, fn, items, size in batches:
            offset = (r * size) % len(items)
            sample = (items[offset:] + items[:offset])[:size]
            t = time.process_time()
            for it in sample:
                fn(it)
            times[label].append((time.process_time() - t) / size * 1e6)
    return {label: statistics.median(ts) for label, ts in times.items()}


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

    # `match` returns the floor's answer itself: timed as called, like the floor's bound method
    # (the answer check compares it with the floor's, so a refusal would show as a disagreement).
    return policy, {ROUTE: route, MATCH: policy.match}


def routing_step(policy: Any, items: list[dict[str, Any]]
                 ) -> tuple[Callable[[dict[str, Any]], tuple[str, str]], list[dict[str, Any]]]:
    """The routing step alone, on values `match()` has already validated (internal calls, for
    seeing where `match()` spends its time)."""
    from gridpolicy.engine.compiler import UNLISTED

    prepared = []
    for item in items:
        values = policy.items.plain_values(item)
        values["matter"] = UNLISTED
        prepared.append(values)
    program = policy.program
    first, ids, fixed, destination = program.first, program.route_ids, program.fixed, program.destination

    def step(values: dict[str, Any]) -> tuple[str, str]:
        i = first(values)[0]
        return ids[i], (fixed[i] or destination(i, values))[0]
    return step, prepared


def json_and_invalid(rules: list[w.Rule], policy: Any, items: list[dict[str, Any]]
                     ) -> tuple[list[tuple[str, Callable[[Any], Any], list[Any]]], int]:
    """`route_json()` and its hand-written floor (checked byte for byte on every item: the count
    of differences is returned), and `route()` of invalid items, as engines of `rounds_us`."""
    from gridpolicy.contract import ItemError

    texts: dict[str, tuple[bytes, bytes]] = {}
    for it in items:
        rid = w.decided_route(policy.route(it))[0]
        if rid not in texts:
            texts[rid] = w.JsonFloor.texts_of(rid, policy.route_json(it), it)
    floor = w.JsonFloor(rules, texts)
    bad = sum(floor.decide(it) != policy.route_json(it) for it in items)

    def invalid(item: dict[str, Any]) -> None:
        try:
            policy.route(item)
        except ItemError:
            return
        raise AssertionError("an invalid item was decided")
    out_of_range = [{**it, "severity": 9} for it in items]
    unknown_key = [{**it, "severty": 2} for it in items]
    return [(RJSON, policy.route_json, items), (JFLOOR, floor.decide, items), (INVALID, invalid, out_of_range),
            (INVALID_KEY, invalid, unknown_key)], bad


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
    return rounds_us([("shipped", route, items)], repeats, 1.0)["shipped"]


BATCH = 50  # items per call of the throughput rows


def throughput_engines(policy: Any, items: list[dict[str, Any]]
                       ) -> list[tuple[str, Callable[[Any], Any], list[Any]]]:
    """`route_many` and the `route --jsonl` loop (parse, decide, write the decision's JSON:
    what one core of the command does) as engines of `rounds_us`, each call taking `BATCH`
    items or lines; so they are timed in turn with the others, at the same moments."""
    from gridpolicy.cli.route_cmd import decide_lines

    lines = [json.dumps(x, ensure_ascii=False).encode() + b"\n" for x in items]
    item_batches = [items[k:k + BATCH] for k in range(0, len(items), BATCH)]
    line_batches = [(k + 1, b"".join(lines[k:k + BATCH])) for k in range(0, len(lines), BATCH)]

    def many(batch: list[dict[str, Any]]) -> None:
        for _ in policy.route_many(batch):
            pass

    def jsonl(batch: tuple[int, list[bytes]]) -> None:
        decide_lines(policy, batch, None)
    return [(MANY, many, item_batches), (JSONL, jsonl, line_batches)]


def stream_memory(folder: Path, lines: list[bytes], gigabytes: float) -> tuple[int, list[tuple[float, float]]]:
    """Pipe about `gigabytes` of JSON lines (the given lines, over and over) through
    `gridpolicy route FOLDER - --jsonl`; return the lines sent and (GB sent, peak resident MB
    so far) readings of the command's process along the way."""
    block = b"".join(lines)
    total = int(gigabytes * 1e9)
    proc = subprocess.Popen([sys.executable, "-m", "gridpolicy", "route", str(folder), "-", "--jsonl"],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    assert proc.stdin is not None
    readings: list[tuple[float, float]] = []
    sent = 0
    status = Path(f"/proc/{proc.pid}/status")

    def peak_mb() -> float:
        try:
            text = status.read_text()
        except OSError:
            return float("nan")
        return next((int(x.split()[1]) / 1024 for x in text.splitlines() if x.startswith("VmHWM")), float("nan"))

    next_reading = 0.0
    while sent < total:
        proc.stdin.write(block)
        sent += len(block)
        if sent / total >= next_reading:
            readings.append((sent / 1e9, peak_mb()))
            next_reading += 0.1
    proc.stdin.flush()
    readings.append((sent / 1e9, peak_mb()))  # the last chunks are still in flight: near the end
    proc.stdin.close()
    proc.wait()
    return sent // len(block) * len(lines), readings


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10,100,1000,10000")
    ap.add_argument("--repeats", type=int, default=15, help="rounds per engine (median reported)")
    ap.add_argument("--items", type=int, default=3000, help="items per size")
    ap.add_argument("--budget", type=float, default=1.5, help="CPU seconds per engine and size, about")
    ap.add_argument("--cli-lines", type=int, default=300_000, help="lines for the command-line throughput runs")
    ap.add_argument("--stream-gb", type=float, default=1.0, help="gigabytes piped through `route --jsonl` (0: skip)")
    ap.add_argument("--smoke", action="store_true", help="check the answers only; no timing")
    ap.add_argument("--no-history", dest="history", action="store_false",
                    help="skip the comparison with the start of issue 14 (needs git history)")
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
    lines_rate: dict[int, float] = {}
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
        engines.append((STEP, *routing_step(policy, gp_items)))
        for make in peers.PEERS:
            for decide, label in make(rules):
                engines.append((label, decide, items))
        engines.append((FLOOR, floor.decide, items))
        for label, fn, its in engines:
            got = answers(fn, its, 30, 3.0) if not args.smoke else [fn(it) for it in its]
            bad = sum(g != e for g, e in zip(got, expected))
            if bad:
                disagreements += bad
                print(f"N={n}: {label} disagrees with the floor on {bad} of {len(got)} items", file=sys.stderr)
        print(f"N={n}: {len(engines)} engines agree on {len(items)} items" if not disagreements
              else f"N={n}: disagreements", file=sys.stderr)
        extra, bad = json_and_invalid(rules, policy, gp_items)
        if bad:
            disagreements += bad
            print(f"N={n}: the JSON floor's bytes differ from route_json() on {bad} items", file=sys.stderr)
        if args.smoke:
            continue
        engines += extra
        engines += throughput_engines(policy, gp_items)
        # Everything built so far (every engine's rules) lives until the timing is done: keep
        # the cyclic collector off it, so no engine pays for scanning the others' heaps.
        gc.collect()
        gc.freeze()
        for label, us in rounds_us(engines, args.repeats, args.budget).items():
            if label == MANY:
                stream[n] = BATCH / us * 1e6
            elif label == JSONL:
                lines_rate[n] = BATCH / us * 1e6
            else:
                table.setdefault(label, {})[n] = us
        del engines, policy, gp
        gc.unfreeze()
    if disagreements:
        return 1
    if args.smoke:
        print("smoke: all engines agree")
        return 0
    return _report(args, sizes, work, table, folders, stream, lines_rate, cache_dir)


def _report(args: argparse.Namespace, sizes: list[int], work: Path, table: dict[str, dict[int, float]],
            folders: dict[int, Path], stream: dict[int, float], lines_rate: dict[int, float],
            cache_dir: Path) -> int:
    ref = table[ROUTE]
    print(f"\nPython {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs; "
          f"CPU µs per decision, median of {args.repeats} rounds taken in turn; ratio = engine / gridpolicy route()\n")
    print("| engine | " + " | ".join(f"N={n}" for n in sizes) + " |")
    print("| --- |" + " --- |" * len(sizes))
    for label, row in table.items():
        cells = [f"{row[n]:,.2f} µs ({row[n] / ref[n]:.2g}×)" for n in sizes]
        print(f"| {label} | " + " | ".join(cells) + " |")
    floor = table[FLOOR]
    print(f"| {MATCH} ÷ floor | " + " | ".join(f"{table[MATCH][n] / floor[n]:.1f}×" for n in sizes) + " |")
    print(f"| {STEP} ÷ floor | " + " | ".join(f"{table[STEP][n] / floor[n]:.1f}×" for n in sizes) + " |")
    if JFLOOR in table:
        print(f"| {RJSON} ÷ JSON floor | " + " | ".join(f"{table[RJSON][n] / table[JFLOOR][n]:.1f}×" for n in sizes)
              + " |")
        for label in (INVALID, INVALID_KEY):
            print(f"| {label} ÷ a valid item's route() | "
                  + " | ".join(f"{table[label][n] / ref[n]:.2f}×" for n in sizes) + " |")
    print("| gridpolicy route_many(), decisions/s | " + " | ".join(f"{stream[n]:,.0f}" for n in sizes) + " |")
    print("| `route --jsonl` loop in one process, lines/s | "
          + " | ".join(f"{lines_rate[n]:,.0f}" for n in sizes) + " |")
    shipped = float(subprocess.run(  # a fresh process: not beside the heap of the peers above
        [sys.executable, "-c", f"from benchmarks.run import shipped_route_us; print(shipped_route_us({args.repeats}))"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout)
    print(f"\ngridpolicy route() on the shipped rules (rules/, random items of their own schema): "
          f"{shipped:,.2f} µs per full Decision")
    then_now = None
    if args.history:
        out = subprocess.run(  # fresh processes, as for the shipped figure
            [sys.executable, "-c", f"import json; from pathlib import Path; from benchmarks.history import measure; "
             f"print(json.dumps(measure(Path({str(work)!r}), {args.repeats})))"],
            cwd=ROOT, check=True, capture_output=True, text=True).stdout
        then_now = json.loads(out.strip().splitlines()[-1])
    if then_now:
        (a, b), (c, d) = then_now["same code"], then_now["then and now"]
        print(f"\nroute() on the shipped rules against the start of issue 14 ({history.START}): today's code on "
              f"then's / today's rules {a:.2f} / {b:.2f} µs ({b / a:.2f}×); then's code and rules / today's "
              f"{c:.2f} / {d:.2f} µs ({d / c:.2f}×)")
    grows = ref[sizes[-1]] / ref[sizes[0]] if len(sizes) > 1 else None
    if grows is not None:
        print(f"\ngridpolicy route() at N={sizes[-1]} / N={sizes[0]}: {grows:.2f}×")
    loads: dict[int, tuple[float, float]] = {}
    rows = []
    for n in sizes:
        rows.append(growth.measure(n, folders[n]))
        loads[n] = (rows[-1].cold_load, rows[-1].cached_load)
    print(f"\nGrowth (fresh processes, CPU time; route() from the table above):\n\n{growth.table(rows, ref)}")
    held = None
    if 1000 in folders:
        base, held = rss_mb(folders[1000], cache_dir)
        print(f"\nmemory: fresh Python {base:.1f} MB RSS; holding a loaded 1000-rule policy {held:.1f} MB RSS")
    commands: list[command.Rates] = []
    n_cli = 1000 if 1000 in folders else sizes[-1]
    if args.cli_lines:
        import gridpolicy

        from .shipped import random_items
        synthetic = command.write_lines(work / "items.jsonl", [w.gp_item(it, k) for k, it in
                                                                 enumerate(w.items(args.cli_lines, seed=3))])
        commands.append(command.measure(f"synthetic N={n_cli}", folders[n_cli], synthetic, args.cli_lines))
        shipped_items = random_items(gridpolicy.load(ROOT / "rules"), args.cli_lines, seed=11)
        real = command.write_lines(work / "shipped.jsonl", shipped_items)
        commands.append(command.measure("shipped rules/, items of their schema", ROOT / "rules", real, args.cli_lines))
        print(f"\n`gridpolicy route FILE --jsonl` (the command, fresh processes, medians of 3 turns; start-up "
              f"is a run on an empty file):\n\n{command.table(commands)}")
    peaks: list[tuple[float, float]] = []
    if args.stream_gb > 0 and Path("/proc/self/status").exists():
        lines = [json.dumps(w.gp_item(it, k), ensure_ascii=False).encode() + b"\n"
                 for k, it in enumerate(w.items(20_000, seed=4))]
        t = time.perf_counter()
        count, peaks = stream_memory(folders[n_cli], lines, args.stream_gb)
        secs = time.perf_counter() - t
        print(f"\nstreaming {peaks[-1][0]:.2f} GB ({count:,} lines) through `gridpolicy route - --jsonl`, "
              f"N={n_cli}, in {secs:.0f} s: peak resident memory of the command as the input went by\n")
        print("| GB sent | " + " | ".join(f"{gb:.2f}" for gb, _ in peaks) + " |")
        print("| --- |" + " --- |" * len(peaks))
        print("| peak MB | " + " | ".join(f"{mb:.1f}" for _, mb in peaks) + " |")
    _targets(sizes, table, stream, lines_rate, shipped, grows, loads, held, commands, peaks, rows, then_now)
    return 0


def _margins(sizes: list[int], table: dict[str, dict[int, float]]) -> None:
    """Each peer's fastest form against gridpolicy's full route() (peer µs ÷ route() µs: how
    many times faster gridpolicy is), and against match() (the same work as the peers do:
    an answer, no Decision object)."""
    route, match = table[ROUTE], table[MATCH]
    families: dict[str, list[str]] = {}
    for label in table:
        if label.startswith("gridpolicy") or label in (FLOOR, JFLOOR):
            continue
        family = "GoRules ZEN" if label.startswith("GoRules ZEN") else label.replace(peers.INDEXED, "")
        families.setdefault(family, []).append(label)
    print("\nFair margins: each peer's fastest form ÷ gridpolicy (×: how many times faster gridpolicy is)\n")
    print("| peer (fastest form) | " + " | ".join(f"N={n} ÷ route() / ÷ match()" for n in sizes) + " |")
    print("| --- |" + " --- |" * len(sizes))
    for family, labels in families.items():
        cells = []
        for n in sizes:
            best = min(labels, key=lambda lb: table[lb][n])
            form = best[len(family):].strip(", ") or "plain"
            cells.append(f"{table[best][n] / route[n]:.2g}× / {table[best][n] / match[n]:.2g}× ({form})")
        print(f"| {family} | " + " | ".join(cells) + " |")


def _targets(sizes: list[int], table: dict[str, dict[int, float]], stream: dict[int, float],
             lines_rate: dict[int, float], shipped: float, grows: float | None,
             loads: dict[int, tuple[float, float]], held: float | None, commands: list[command.Rates],
             peaks: list[tuple[float, float]], growth_rows: list[growth.Row],
             then_now: dict[str, list[float]] | None = None) -> None:
    """Each target of issues 7, 14 and 22 with this run's figures."""
    _margins(sizes, table)
    route, match, floor = table[ROUTE], table[MATCH], table[FLOOR]
    rows: list[tuple[str, bool | None, str]] = [
        ("route() on the shipped rules ≤ 25 µs", shipped <= 25, f"{shipped:.1f} µs")]
    if ZEN in table:
        zen = table[ZEN]
        rows.append(("match() faster than ZEN's fastest path at every size", all(match[n] < zen[n] for n in sizes),
                     " / ".join(f"{match[n]:.1f} vs {zen[n]:.1f} µs" for n in sizes)))
        rows.append(("route() ≤ 1.0× ZEN's ZenEngine.evaluate at every size (issue 22)",
                     all(route[n] <= zen[n] for n in sizes), " / ".join(f"{route[n] / zen[n]:.2f}×" for n in sizes)))
    if JFLOOR in table:
        rows.append(("route_json() ≤ 1.3× its hand-written floor (byte-identical JSON) at every size (issue 22)",
                     all(table[RJSON][n] <= 1.3 * table[JFLOOR][n] for n in sizes),
                     " / ".join(f"{table[RJSON][n] / table[JFLOOR][n]:.2f}×" for n in sizes)))
        for label, what in ((INVALID, "a value out of range"), (INVALID_KEY, "an unknown key")):
            rows.append((f"an invalid item ({what}) costs ≤ a valid one at every size (issue 22)",
                         all(table[label][n] <= route[n] for n in sizes),
                         " / ".join(f"{table[label][n] / route[n]:.2f}×" for n in sizes)))
    if then_now:
        (a, b), (c, d) = then_now["same code"], then_now["then and now"]
        rows.append(("route() on the shipped rules ≤ 1.3× the start of issue 14, same code (issue 14)", b <= 1.3 * a,
                     f"{b / a:.2f}× ({a:.1f} → {b:.1f} µs)"))
        rows.append(("route() on the shipped rules ≤ 1.3× the start of issue 14, its code and rules (issue 14)",
                     d <= 1.3 * c, f"{d / c:.2f}× ({c:.1f} → {d:.1f} µs)"))
    rows.append(("match() within 10× of the floor at every size", all(match[n] <= 10 * floor[n] for n in sizes),
                 " / ".join(f"{match[n] / floor[n]:.1f}×" for n in sizes)))
    others = [label for label in table if label not in (FLOOR, JFLOOR, ZEN) and not label.startswith("gridpolicy")]
    if others:
        rows.append(("route() faster than every other peer, every form, at every size",
                     all(route[n] < table[o][n] for o in others for n in sizes),
                     f"slowest ratio {max(route[n] / table[o][n] for o in others for n in sizes):.2f}"))
    if 10 in route and 1000 in route:
        rows.append(("route() at N=1000 ≤ 2× N=10", route[1000] <= 2 * route[10],
                     f"{route[1000] / route[10]:.2f}×" + (f" (N={sizes[-1]}: {grows:.2f}×)" if grows else "")))
    rows.append(("route_many() ≥ 100,000/s at every size", all(v >= 100_000 for v in stream.values()),
                 " / ".join(f"{v / 1000:,.0f}k" for v in stream.values())))
    rows.append(("`route --jsonl` loop in one process ≥ 100,000 lines/s", all(v >= 100_000 for v in lines_rate.values()),
                 " / ".join(f"{v / 1000:,.0f}k" for v in lines_rate.values())))
    for c in commands:
        rows.append((f"the `route --jsonl` command ≥ 100,000 lines per CPU second, {c.label}", c.cpu_rate >= 100_000,
                     f"{c.cpu_rate / 1000:,.0f}k (wall: {c.wall_rate[1] / 1000:,.0f}k)"))
        rows.append((f"`--jobs 2` faster than `--jobs 1`, {c.label}", c.wall_rate[2] > c.wall_rate[1],
                     f"{c.wall_rate[2] / c.wall_rate[1]:.2f}×"))
    if 1000 in loads:
        cold, warm = loads[1000]
        rows.append(("load() of 1000 rules < 1 s cold", cold < 1, f"{cold * 1000:.0f} ms"))
        rows.append(("load() of 1000 rules < 100 ms from the cache", warm < 0.1, f"{warm * 1000:.0f} ms"))
    if 10000 in loads:
        cold, warm = loads[10000]
        rows.append(("load() of 10,000 rules ≤ 2 s cold (issue 22)", cold <= 2, f"{cold:.2f} s"))
        rows.append(("load() of 10,000 rules ≤ 100 ms from the cache (issue 22)", warm <= 0.1, f"{warm * 1000:.0f} ms"))
    for r in growth_rows:
        if r.rules == 10000:
            rows.append(("unpickle a 10,000-rule policy ≤ 200 ms, gc on (issue 22)", r.unpickle <= 0.2,
                         f"{r.unpickle * 1000:.0f} ms"))
    if growth_rows:
        rows.append(("`gridpolicy check` ≤ 5× cold load at every size (issue 22)",
                     all(r.check_cpu <= 5 * r.cold_cpu for r in growth_rows),
                     " / ".join(f"{r.check_cpu / r.cold_cpu:.2f}×" for r in growth_rows)))
    if held is not None:
        rows.append(("a loaded 1000-rule policy < 50 MB resident", held < 50, f"{held:.1f} MB"))
    if len(peaks) >= 3:
        early, last = peaks[1][1], peaks[-1][1]
        rows.append((f"`route --jsonl` memory constant over {peaks[-1][0]:.1f} GB", last <= early * 1.1 + 2,
                     f"{early:.1f} MB at {peaks[1][0]:.2f} GB, {last:.1f} MB at the end"))
    print("\n| target (issues 7, 14, 22) | met | this run |\n| --- | --- | --- |")
    for text, met, figures in rows:
        print(f"| {text} | {'yes' if met else 'NO'} | {figures} |")


if __name__ == "__main__":
    sys.exit(main())
