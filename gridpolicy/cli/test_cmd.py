"""gridpolicy test PATH: run the YAML rule tests beside the rules."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..ruletest import discover, run_file
from .common import load_or_report


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("test", help="运行规则测试 run rule tests")
    p.add_argument("path", help="rule folder (tests: *.test.yaml and tests/*.yaml in it)")
    p.add_argument("--tests", help="a test file or folder other than the default")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    policy = load_or_report(args.path)
    if policy is None:
        return 1
    files = discover(Path(args.tests or args.path))
    if not files:
        print(f"{args.path}: 没有找到规则测试 no rule tests found (*.test.yaml, tests/*.yaml)")
        return 1
    passed = failed = 0
    for file in files:
        for result in run_file(policy, file):
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
    return 1 if failed else 0
