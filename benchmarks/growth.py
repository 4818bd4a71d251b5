"""How the costs grow with the rule set: load (cold and from the compiled cache), the
`gridpolicy check` command (deep checks included), a decision and memory, for each size.

Each figure comes from a fresh process; times are CPU seconds of that whole process
(interpreter start and imports included), so that a loaded machine moves them less than
wall time and the ratio check / cold load compares like with like.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# VmHWM, not ru_maxrss: a process started by fork and exec inherits its parent's ru_maxrss.
_TAIL = ("import resource, json\nr = resource.getrusage(resource.RUSAGE_SELF)\n"
         "status = {x.split(':')[0]: int(x.split()[1]) / 1024 for x in open('/proc/self/status') "
         "if x.startswith(('VmRSS', 'VmHWM'))}\n"
         "print(json.dumps({'cpu': r.ru_utime + r.ru_stime, 'inner': inner, 'rss': status['VmRSS'], "
         "'peak': status['VmHWM'], 'unpickle': globals().get('unpickle')}))\n")
LOAD = ("import sys, time, pickle\nimport gridpolicy\nt = time.process_time()\np = gridpolicy.load(sys.argv[1])\n"
        "inner = time.process_time() - t\nb = pickle.dumps(p)\nt = time.process_time()\npickle.loads(b)\n"
        "unpickle = time.process_time() - t\n") + _TAIL
CHECK = ("import sys, os, time, contextlib\nfrom gridpolicy.cli import main\nt = time.process_time()\n"
         "with open(os.devnull, 'w') as null, contextlib.redirect_stdout(null), contextlib.redirect_stderr(null):\n"
         "    main(['check', sys.argv[1]])\ninner = time.process_time() - t\n") + _TAIL


@dataclass
class Row:
    rules: int
    cold_cpu: float  # a process that loads the rules, cold (no compiled cache): whole CPU s
    cold_load: float  # of which load()
    cached_load: float  # load() from the compiled cache, s
    check_cpu: float  # the `gridpolicy check` process, cold: whole CPU s
    check_peak_mb: float  # its peak resident memory
    held_mb: float  # resident memory of a process holding the loaded policy
    unpickle: float  # pickle.loads of the loaded policy, in that process (gc on), s


def _run(code: str, folder: Path, cache: Path) -> dict[str, float]:
    env = {**os.environ, "GRIDPOLICY_CACHE": str(cache)}
    out = subprocess.run([sys.executable, "-c", code, str(folder)], env=env, check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(rules: int, folder: Path) -> Row:
    """One row: a cold load, two cached loads (the faster kept), a cold `gridpolicy check`."""
    with tempfile.TemporaryDirectory(prefix="gridpolicy-growth-") as tmp:
        cold = _run(LOAD, folder, Path(tmp) / "a")
        cached = min(_run(LOAD, folder, Path(tmp) / "a")["inner"] for _ in range(2))
        check = _run(CHECK, folder, Path(tmp) / "b")
    return Row(rules, cold["cpu"], cold["inner"], cached, check["cpu"], check["peak"], cold["rss"], cold["unpickle"])


def table(rows: list[Row], route_us: dict[int, float]) -> str:
    """The growth table, as Markdown."""
    lines = ["| rules | load, cold (process / load()) | load from cache | `gridpolicy check` (process) | "
             "check ÷ cold load | route() | memory held | check peak memory | unpickle |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        us = route_us.get(r.rules)
        lines.append(f"| {r.rules:,} | {r.cold_cpu:.2f} s / {r.cold_load:.2f} s | {r.cached_load * 1000:,.1f} ms | "
                     f"{r.check_cpu:.2f} s | {r.check_cpu / r.cold_cpu:.2f}× | "
                     f"{'' if us is None else f'{us:.2f} µs'} | {r.held_mb:.1f} MB | {r.check_peak_mb:.1f} MB | "
                     f"{r.unpickle * 1000:,.0f} ms |")
    return "\n".join(lines)
