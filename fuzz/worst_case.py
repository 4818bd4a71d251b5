"""Time `load` and `route` on the most expensive rule files the limits allow, and on inputs the
limits refuse. Prints a Markdown table (docs/robustness.md quotes it).

    .venv/bin/python fuzz/worst_case.py            # all cases, about a minute
    .venv/bin/python fuzz/worst_case.py routes     # the cases whose name contains "routes"
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import gridpolicy
from gridpolicy.diagnostics import PolicyError
from gridpolicy.syntax import limits as parser
from gridpolicy.syntax import sources

HEAD = '''policy w "最坏情况" { version "1"; authority "测试"; effective 2024-01-01 }
tier grid "网格" { level 1 }
tier street "街道" { level 2 }
role worker "网格员"
field level "等级" { type enum; values low "低", mid "中", high "高"; default low }
field n "数量" { type number; range 0 .. 1000000 }
field tags "标签" { type set; values a "甲", b "乙" }
'''
TAIL = 'route fallback "兜底" { tier grid; limit 3 workdays; escalate 1 workday -> above }\n'
ITEM = {"id": "w", "kind": "issue", "level": "high", "n": 5, "tags": ["b"], "reported_at": "2026-03-02T10:00:00+08:00"}


def fill(block: Callable[[int], str], budget: int = parser.MAX_TOKENS - 200) -> str:
    """HEAD, then as many blocks as fit under the per-file token limit, then the catch-all."""
    parts, used, i = [HEAD], parser.token_estimate(HEAD + TAIL), 0
    while True:
        b = block(i)
        cost = parser.token_estimate(b, parser.MAX_TOKENS)
        if used + cost > budget or (i + 8) >= sources.MAX_DECLARATIONS:
            break
        parts.append(b)
        used, i = used + cost, i + 1
    return "".join(parts) + TAIL


def and_chain(i: int) -> str:
    # Every term is true for ITEM but the last, so no route matches early.
    terms = " and ".join(f"n != {1000 + k}" for k in range(parser.MAX_EXPR_DEPTH - 2))
    return f'route r{i} "与链" {{\n  when {terms} and n > 100\n  tier street\n}}\n'


CASES: dict[str, Callable[[], str | Path]] = {
    "routes: most routes (one condition each)": lambda: fill(
        lambda i: f'route r{i} "规则{i}" {{ when n > {i} and level == mid; tier street; limit 2 days }}\n'),
    f"routes: longest and-chains (depth {parser.MAX_EXPR_DEPTH - 1}), every term evaluated": lambda: fill(and_chain),
    f"routes: largest list literals ({parser.MAX_EXPR_NODES - 10} items)": lambda: fill(
        lambda i: f'route r{i} "名单" {{ when n in [{", ".join(str(k) for k in range(parser.MAX_EXPR_NODES - 10))}]'
                  f' and level == low; tier street }}\n'),
    f"route: {parser.MAX_ARGS - 1} escalation steps of about two years each": lambda: HEAD + (
        f'route long "长时限" {{ when level == high; tier grid; limit {parser.MAX_DURATION["workdays"]} workdays\n'
        "  escalate " + ", ".join(f"{parser.MAX_DURATION['workdays'] - 100 + k} workdays -> above"
                                  for k in range(parser.MAX_ARGS - 1)) + " }\n") + TAIL,
    "matters: most matters on one list": lambda: fill(
        lambda i: f'  matter M{i} "事项{i}" {{ effective 2024-01-01; handlers worker }}\n').replace(
        HEAD, HEAD + 'list l "清单" {\n  admission true\n').replace(TAIL, "}\n" + TAIL),
    "files: most files, policy token limit": lambda: _folder(),
    "refused: 1 MB of '('": lambda: HEAD + "(" * (parser.MAX_TEXT_CHARS - 2000) + "\n",
    "refused: 60,000 tokens of 'not'": lambda: HEAD + 'route x "x" { when ' + "not " * 59_000 + "n > 1 }\n",
    "refused: 20,000 full-width commas": lambda: HEAD + "，" * 20_000 + "\n",
    "refused: 200-deep sum": lambda: HEAD + 'route x "x" { when ' + " + ".join(["n"] * 200) + " > 1 }\n",
    "refused: 10**100000 literal": lambda: HEAD + 'route x "x" { when n > 1' + "0" * 100_000 + " }\n" + TAIL,
}

_TMP: list[tempfile.TemporaryDirectory[str]] = []


def _folder() -> Path:
    tmp = tempfile.TemporaryDirectory()
    _TMP.append(tmp)
    root = Path(tmp.name)
    (root / "000.gp").write_text(HEAD + TAIL, encoding="utf-8")
    per_file = sources.MAX_POLICY_TOKENS // (sources.MAX_FILES - 1) - 10
    routes_per_file = max(1, per_file // 20)
    k = 0
    for f in range(1, sources.MAX_FILES):
        body = "".join(f'route f{f}_{j} "r" {{ when n > {j} and level == mid; tier street }}\n'
                       for j in range(routes_per_file))
        k += routes_per_file
        if k >= sources.MAX_DECLARATIONS - 20:
            break
        (root / f"{f:03}.gp").write_text(body, encoding="utf-8")
    return root


def run(name: str, make: Callable[[], str | Path]) -> str:
    src = make()
    size = sum(p.stat().st_size for p in src.glob("*.gp")) if isinstance(src, Path) else len(src.encode())
    t0 = time.perf_counter()
    try:
        policy = gridpolicy.loads(src) if isinstance(src, str) else gridpolicy.load(src, cache=False)
    except PolicyError as exc:
        took = time.perf_counter() - t0
        codes = ",".join(sorted({d.code for d in exc.errors}))
        return f"| {name} | {size / 1e6:.2f} MB | {took:.2f} s | — | {codes} |"
    took = time.perf_counter() - t0
    times = []
    for day in range(1, 6):  # a new report day each time: nothing computed for one item helps the next
        t1 = time.perf_counter()
        policy.route({**ITEM, "reported_at": f"2026-03-{day:02}T10:00:00+08:00"})
        times.append(time.perf_counter() - t1)
    n_routes = len(policy.routes)
    return (f"| {name} | {size / 1e6:.2f} MB | {took:.2f} s | {statistics.median(times) * 1000:.2f} ms "
            f"| loaded ({n_routes} routes, {len(policy.matters)} matters) |")


def main(argv: list[str]) -> None:
    print(f"Python {sys.version.split()[0]}; limits: file {parser.MAX_TEXT_CHARS:,} chars / {parser.MAX_TOKENS:,} "
          f"tokens, policy {sources.MAX_POLICY_TOKENS:,} tokens / {sources.MAX_DECLARATIONS:,} declarations / "
          f"{sources.MAX_FILES} files, expression depth {parser.MAX_EXPR_DEPTH} / {parser.MAX_EXPR_NODES:,} nodes\n")
    print("| case | size | load | route (median of 5) | result |")
    print("|---|---|---|---|---|")
    for name, make in CASES.items():
        if not argv or any(a in name for a in argv):
            print(run(name, make), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
