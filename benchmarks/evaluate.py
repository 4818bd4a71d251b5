"""`gridpolicy evaluate` on a city's year of follow-ups: 1M rows of a UTF-8 CSV (with the BOM
Excel writes) grouped by grid under the shipped `satisfaction` formula, beside a plain-Python
`csv` pass over the same file doing the least that answer needs (issue 16's target: within
4x that pass), and the peak memory of each (bounded: the engine streams the file).

    python -m benchmarks.evaluate [--rows 1000000] [--rounds 3] [--check]

The two take turns, `--rounds` rounds each, in fresh child processes (so each peak memory is
its own); each figure is the median wall time of its rounds on the same machine moments. The
file is generated once into benchmarks/.data (about 45 MB for 1M rows).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data"
TARGET = 4.0
RESULTS = ("满意", "satisfied", "基本满意", "basically_satisfied", "不满意", "dissatisfied")


def generate(rows: int) -> Path:
    path = DATA / f"followups-{rows}.csv"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(16)
    grids = [f"3410020{s:02d}{c:03d}{g:03d}" for s in range(1, 10) for c in range(1, 21) for g in range(1, 11)]
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["grid", "department", "at", "result", "reasonable"])
        for _ in range(rows):
            w.writerow([rnd.choice(grids), "", f"2026-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}",
                        rnd.choice(RESULTS), rnd.choice(("true", "false", ""))])
    tmp.rename(path)
    return path


PLAIN = r'''
import csv, sys, time, resource
t = time.perf_counter()
sat = {"满意", "satisfied"}; basic = {"基本满意", "basically_satisfied"}; dis = {"不满意", "dissatisfied"}
groups = {}
with open(sys.argv[1], encoding="utf-8-sig", newline="") as fh:
    r = csv.reader(fh)
    next(r)
    for grid, _dept, _at, result, reasonable in r:
        g = groups.get(grid)
        if g is None:
            g = groups[grid] = [0, 0, 0]
        if result in sat:
            g[0] += 1
        elif result in basic:
            g[1] += 1
        if not (result in dis and reasonable == "false"):
            g[2] += 1
values = {k: round(100 * (a + b) / n, 1) for k, (a, b, n) in groups.items() if n}
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(values))
'''

ENGINE = r'''
import sys, time, resource
import gridpolicy
from gridpolicy.evaluation import evaluate_groups, open_source
policy = gridpolicy.load(sys.argv[2])
t = time.perf_counter()
r = evaluate_groups(policy, "satisfaction", {"visits": [open_source(sys.argv[1], policy)]}, by="grid")
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(r.groups))
'''


def run(code: str, *args: str) -> tuple[float, int, int]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True).stdout
    seconds, rss, groups = out.split()
    return float(seconds), int(rss), int(groups)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--check", action="store_true", help="exit 1 if the target is not met")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    path = generate(args.rows)
    plain, engine = [], []
    for _ in range(args.rounds):
        plain.append(run(PLAIN, str(path)))
        engine.append(run(ENGINE, str(path), str(ROOT / "rules")))
    assert {g for _, _, g in plain} == {g for _, _, g in engine}, "the two passes found different groups"
    p, e = statistics.median(x for x, _, _ in plain), statistics.median(x for x, _, _ in engine)
    p_mb, e_mb = max(m for _, m, _ in plain) / 1024, max(m for _, m, _ in engine) / 1024
    ratio = e / p
    ok = ratio <= TARGET
    row = {"rows": args.rows, "groups": engine[0][2], "plain_csv_s": round(p, 3), "evaluate_s": round(e, 3),
           "ratio": round(ratio, 2), "target": TARGET, "plain_peak_mb": round(p_mb), "evaluate_peak_mb": round(e_mb),
           "met": ok, "at": time.strftime("%Y-%m-%d %H:%M")}
    if args.json:
        print(json.dumps(row))
    else:
        print(f"evaluate {args.rows:,} follow-ups by grid ({row['groups']} groups), median of {args.rounds}:")
        print(f"  plain Python csv pass   {p:7.2f} s   peak {p_mb:6.0f} MB")
        print(f"  gridpolicy evaluate     {e:7.2f} s   peak {e_mb:6.0f} MB   {ratio:.2f}x (target <= {TARGET}x): "
              + ("met" if ok else "NOT met"))
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
