"""The real `gridpolicy route --jsonl` command, timed as a host runs it: a fresh process
reading a file of JSON lines, writing decisions to a discarded output.

Figures per run: wall seconds and the CPU seconds of the command's processes (from
`RUSAGE_CHILDREN`), each less the same of a run on an empty file (start-up: imports and
loading the rules from the compiled cache). One core's rate is lines per CPU second of
`--jobs 1`, which a loaded machine moves much less than wall time; `--jobs 2` is judged by
wall time, since its point is to use the second CPU.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def run(folder: Path, path: Path, jobs: int) -> tuple[float, float]:
    """(wall s, CPU s) of `gridpolicy route FOLDER PATH --jsonl --jobs N`, output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "gridpolicy", "route", str(folder), str(path), "--jsonl", "--jobs",
                    str(jobs)], check=False, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


@dataclass
class Rates:
    label: str
    lines: int
    start_wall: float
    start_cpu: float
    cpu_rate: float  # lines per CPU second, --jobs 1, start-up subtracted
    wall_rate: dict[int, float]  # lines per wall second by --jobs, start-up subtracted


def write_lines(path: Path, items: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for it in items:
            out.write(json.dumps(it, ensure_ascii=False) + "\n")
    return path


def measure(label: str, folder: Path, path: Path, lines: int, repeats: int = 3) -> Rates:
    """Medians of `repeats` runs of each: an empty file, `--jobs 1`, `--jobs 2` (taking turns)."""
    empty = path.with_name("empty.jsonl")
    empty.write_text("")
    run(folder, empty, 1)  # fills the compiled cache
    turns: dict[str, list[tuple[float, float]]] = {"empty": [], "1": [], "2": []}
    for _ in range(repeats):
        turns["empty"].append(run(folder, empty, 1))
        turns["1"].append(run(folder, path, 1))
        turns["2"].append(run(folder, path, 2))

    def med(key: str, k: int) -> float:
        return statistics.median(t[k] for t in turns[key])
    sw, sc = med("empty", 0), med("empty", 1)
    return Rates(label, lines, sw, sc, lines / max(med("1", 1) - sc, 1e-9),
                 {j: lines / max(med(str(j), 0) - sw, 1e-9) for j in (1, 2)})


def table(rates: list[Rates]) -> str:
    out = ["| rules, items | lines | start-up (wall / CPU) | `--jobs 1` lines per CPU s | `--jobs 1` lines/s (wall) "
           "| `--jobs 2` lines/s (wall) | `--jobs 2` ÷ `--jobs 1` |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in rates:
        out.append(f"| {r.label} | {r.lines:,} | {r.start_wall:.2f} / {r.start_cpu:.2f} s | {r.cpu_rate:,.0f} | "
                   f"{r.wall_rate[1]:,.0f} | {r.wall_rate[2]:,.0f} | {r.wall_rate[2] / r.wall_rate[1]:.2f}× |")
    return "\n".join(out)
