"""gridpolicy check PATH: parse, check and run the deep checks; exit 1 on errors."""

from __future__ import annotations

import argparse
import json
import sys

from ..diagnostics import PolicyError
from ..loader import load


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="检查规则文件 check rule files")
    p.add_argument("path", help="rule folder or file")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--no-deep", action="store_true",
                   help="跳过深度检查 skip the deep checks (GP1xx: shadowed routes, gaps, unused names …)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        policy = load(args.path)
        diagnostics = list(policy.warnings)
        errors = 0
    except PolicyError as exc:
        policy = None
        diagnostics = exc.diagnostics
        errors = len(exc.errors)
    if policy is not None and not args.no_deep:
        from ..analysis import analyze

        diagnostics += analyze(policy)
    warnings = sum(1 for d in diagnostics if d.severity == "warning")
    if args.format == "json":
        print(json.dumps({"ok": errors == 0, "errors": errors, "warnings": warnings,
                          "diagnostics": [d.to_dict() for d in diagnostics]}, ensure_ascii=False, indent=2))
    else:
        for d in diagnostics:
            print(d.render(), file=sys.stderr)
            print(file=sys.stderr)
        if policy is not None:
            m = policy.model
            print(f"{args.path}: {m.header.name} {m.header.version} — "
                  f"{len(m.matters)} 项事项 matters, {len(m.routes)} 条分流规则 routes, "
                  f"{len(m.criteria)} 条排除标准 criteria, {len(m.formulas)} 个公式 formulas; "
                  f"{errors} 个错误 errors, {warnings} 个警告 warnings")
        else:
            print(f"{args.path}: {errors} 个错误 errors, {warnings} 个警告 warnings", file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0
