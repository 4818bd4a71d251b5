"""gridpolicy check PATH: parse, check and run the deep checks; exit 1 on errors.

A file is checked as part of its folder (its declarations refer to the other files'), and
only its own problems are shown, with a count of those in the other files."""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
from pathlib import Path

from ..diagnostics import Diagnostic, PolicyError
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
    if Path(args.path).is_file() and in_policy_folder(Path(args.path)):
        return _run_file(args)
    try:
        policy = load(args.path)
        diagnostics = list(policy.warnings)
        errors = 0
    except PolicyError as exc:
        policy = None
        diagnostics = exc.diagnostics
        errors = len(exc.errors)
    if policy is not None and Path(args.path).is_dir():
        diagnostics += retroactive(Path(args.path), policy)
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


def retroactive(path: Path, policy: object) -> list[Diagnostic]:
    """GP068 against the previous version (latest release, else git HEAD), as of today in the
    policy's time zone; nothing when there is no previous version."""
    from ..release import previous_policy
    from ..retro import retroactive_matters, today_in

    previous = previous_policy(path)
    if previous is None:
        return []
    old, base = previous
    return retroactive_matters(policy, old, today_in(policy), base=base)


_HEADER = re.compile(r"^[^\S\n]*(policy|规则集)[^\S\n]", re.M)


def in_policy_folder(file: Path) -> bool:
    """Whether `file` is one part of a policy folder: another rule file beside it, and exactly
    one policy header among them (a folder of unrelated examples has one per file)."""
    from ..syntax.sources import SUFFIX

    try:
        files = [p for p in file.parent.iterdir() if p.suffix == SUFFIX and p.is_file()]
        headers = sum(1 for p in files if _HEADER.search(p.read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return False
    return len(files) > 1 and headers == 1


def _run_file(args: argparse.Namespace) -> int:
    from ..diagnose import diagnose_folder

    folder = Path(args.path).parent
    diagnosis = diagnose_folder(folder, deep=not args.no_deep)
    if diagnosis.policy is not None:
        extra = tuple(retroactive(folder, diagnosis.policy))
        if extra:
            diagnosis = dataclasses.replace(diagnosis, diagnostics=(*diagnosis.diagnostics, *extra))
    mine = diagnosis.of_file(args.path)
    others = [d for d in diagnosis.diagnostics if d not in mine]
    errors = sum(1 for d in mine if d.severity == "error")
    warnings = len(mine) - errors
    other_errors = sum(1 for d in others if d.severity == "error")
    if args.format == "json":
        print(json.dumps({"ok": diagnosis.errors == 0, "errors": errors, "warnings": warnings,
                          "folder": str(folder), "other_files": {"errors": other_errors,
                                                                  "warnings": len(others) - other_errors},
                          "diagnostics": [d.to_dict() for d in mine]}, ensure_ascii=False, indent=2))
    else:
        for d in mine:
            print(d.render(), file=sys.stderr)
            print(file=sys.stderr)
        print(_file_summary(args.path, folder, mine, others), file=sys.stderr if diagnosis.errors else sys.stdout)
    return 1 if diagnosis.errors or (args.strict and diagnosis.warnings) else 0


def _file_summary(path: str, folder: Path, mine: list[Diagnostic], others: list[Diagnostic]) -> str:
    errors = sum(1 for d in mine if d.severity == "error")
    line = (f"{path}: {errors} 个错误 errors, {len(mine) - errors} 个警告 warnings"
            f"（随所在文件夹 {folder.as_posix()}/ 一起检查 checked with its folder）")
    if others:
        oe = sum(1 for d in others if d.severity == "error")
        files = len({d.span.file for d in others})
        line += (f"\n  文件夹中其他 {files} 个文件另有 {oe} 个错误、{len(others) - oe} 个警告；"
                 f"运行 gridpolicy check {folder.as_posix()}/ 查看"
                 f"\n  the other {files} file(s) of the folder have {oe} error(s) and {len(others) - oe} "
                 f"warning(s); run gridpolicy check {folder.as_posix()}/ to see them")
    return line
