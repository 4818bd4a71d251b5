"""gridpolicy test PATH: run the YAML rule tests beside the rules (optionally with coverage)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..ruletest import CaseResult, discover, run_file
from .common import load_or_report


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("test", help="运行规则测试 run rule tests")
    p.add_argument("path", help="rule folder (tests: *.test.yaml and tests/*.yaml in it)")
    p.add_argument("--tests", help="a test file or folder other than the default")
    p.add_argument("-v", "--verbose", action="store_true")
    p.add_argument("--coverage", action="store_true",
                   help="报告哪些分流规则、排除标准、事项、退出和等级档次没有被测试 "
                        "report the routes, criteria, matters, exits and grade bands no test exercises")
    p.add_argument("--min-coverage", type=float, metavar="N",
                   help="总覆盖率低于 N%% 时失败 fail when total coverage is below N percent")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="覆盖率报告的格式 format of the coverage report")
    p.add_argument("--watch", action="store_true",
                   help="规则或测试文件改动时重新运行（Ctrl-C 结束）re-run whenever a rule or test file changes (Ctrl-C stops)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "watch", False):
        return watch(args)
    return run_once(args)


def snapshot(*roots: Path) -> dict[Path, tuple[int, int]]:
    """(mtime, size) of every rule, registry and test file under `roots`."""
    out: dict[Path, tuple[int, int]] = {}
    for root in roots:
        files = [root] if root.is_file() else [p for p in root.rglob("*") if p.suffix in (".gp", ".yaml", ".yml")]
        for p in files:
            try:
                st = p.stat()
            except OSError:
                continue
            out[p] = (st.st_mtime_ns, st.st_size)
    return out


def watch(args: argparse.Namespace, *, poll: float = 0.5, max_runs: int | None = None) -> int:
    """Run the tests, then again after every change, until Ctrl-C (or `max_runs` runs)."""
    import time

    roots = [Path(args.path)] + ([Path(args.tests)] if args.tests else [])
    code, runs = 0, 0
    try:
        while True:
            seen = snapshot(*roots)
            code = run_once(args)
            runs += 1
            if max_runs is not None and runs >= max_runs:
                return code
            print("等待改动… watching for changes (Ctrl-C stops)", flush=True)
            while snapshot(*roots) == seen:
                time.sleep(poll)
            print("\n文件已改动，重新运行 files changed, running again", flush=True)
    except KeyboardInterrupt:
        return code


def run_once(args: argparse.Namespace) -> int:
    policy = load_or_report(args.path)
    if policy is None:
        return 1
    files = discover(Path(args.tests or args.path))
    if not files:
        print(f"{args.path}: 没有找到规则测试 no rule tests found (*.test.yaml, tests/*.yaml)")
        return 1
    passed = failed = 0
    results: list[CaseResult] = []
    for file in files:
        for result in run_file(policy, file):
            results.append(result)
            if result.ok:
                passed += 1
                if args.verbose:
                    print(f"通过 PASS {result.location} {result.name}")
            else:
                failed += 1
                print(f"失败 FAIL {result.location} {result.name}")
                for problem in result.problems:
                    print(f"    {problem}")
    print(f"{passed} 个通过 passed, {failed} 个失败 failed ({len(files)} 个文件 files)")
    below = False
    if args.coverage or args.min_coverage is not None:
        from ..coverage import compute

        cov = compute(policy, results)
        if args.format == "json":
            print(json.dumps(cov.to_dict(), ensure_ascii=False, indent=2))
        elif args.coverage:
            print(cov.report())
        else:
            print(cov.summary())
        if args.min_coverage is not None and cov.percent + 1e-9 < args.min_coverage:
            below = True
            print(f"覆盖率 {cov.percent:.1f}% 低于要求的 {args.min_coverage:g}% — "
                  f"coverage {cov.percent:.1f}% is below the required {args.min_coverage:g}%")
    return 1 if failed or below else 0
