"""`route()` on the shipped rules now against the start of issue 14 (language v2), whose target
is "route() on the shipped rules stays within 1.3x of today's time":

- the same work: today's code deciding random items of their own schema under the rules of then
  and of now, taking turns in one process (the rules grew from 31 to many more routes, with a
  catalogue, a gate, stages; the ratio says what the larger rules cost);
- then and now: the code and rules of then against the code and rules of now, each in fresh
  processes taking turns (`shipped_route_us` of each tree), which is the figure the target names.

Both need git and the repository's history; without them the rows are left out.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

START = "ac7386b"  # the last commit before language v2 (issue 14) landed
ROOT = Path(__file__).resolve().parent.parent


def tree(commit: str, dest: Path) -> Path | None:
    """The repository's tree at `commit`, extracted into `dest`, or None without git history."""
    try:
        data = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit], check=True,
                              capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile() as fh:
        fh.write(data)
        fh.seek(0)
        with tarfile.open(fileobj=fh) as tar:
            tar.extractall(dest, filter="data")
    return dest


def same_code(then_rules: Path, now_rules: Path, repeats: int) -> tuple[float, float]:
    """(µs per route() under the rules of then, of now), today's code, taking turns."""
    import gridpolicy
    from gridpolicy.contract import ItemError

    from .run import rounds_us
    from .shipped import random_items

    engines = []
    for label, folder in (("then", then_rules), ("now", now_rules)):
        policy = gridpolicy.load(folder)
        items = random_items(policy, 3000)

        def route(item: dict[str, Any], policy: Any = policy) -> None:
            with contextlib.suppress(ItemError):
                policy.route(item)
        for it in items:  # warm the working-day cache, as a running service has it
            route(it)
        engines.append((label, route, items))
    got = rounds_us(engines, repeats, 1.0)
    return got["then"], got["now"]


def across_versions(then_tree: Path, repeats: int, turns: int = 3) -> tuple[float, float]:
    """(µs per route() of then's code on then's rules, of today's on today's): medians of `turns`
    fresh processes each, taking turns."""
    code = f"from benchmarks.run import shipped_route_us; print(shipped_route_us({repeats}))"
    runs: dict[Path, list[float]] = {then_tree: [], ROOT: []}
    with tempfile.TemporaryDirectory(prefix="gridpolicy-history-") as tmp:
        for _ in range(turns):
            for k, where in enumerate(runs):
                env = {**os.environ, "PYTHONPATH": str(where), "GRIDPOLICY_CACHE": str(Path(tmp) / str(k))}
                out = subprocess.run([sys.executable, "-c", code], cwd=where, env=env, check=True,
                                     capture_output=True, text=True).stdout
                runs[where].append(float(out.strip().splitlines()[-1]))
    return statistics.median(runs[then_tree]), statistics.median(runs[ROOT])


def measure(work: Path, repeats: int) -> dict[str, tuple[float, float]] | None:
    """Both comparisons, or None without the history."""
    then = tree(START, work / f"tree-{START}")
    if then is None:
        return None
    return {"same code": same_code(then / "rules", ROOT / "rules", repeats),
            "then and now": across_versions(then, repeats)}
