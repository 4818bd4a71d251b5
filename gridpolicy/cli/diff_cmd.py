"""gridpolicy diff OLD NEW: what changed between two versions of the rules, and its impact."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..batchio import SUFFIXES as BATCH_SUFFIXES
from ..batchio import BatchIOError, read_batches
from ..diagnostics import PolicyError
from ..release.errors import ReleaseError
from ..runtime import Policy
from .common import dump, read_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("diff", help="比较两个版本的规则 compare two versions of the rules",
                       description="OLD 和 NEW 可以是文件夹、文件，或 git 版本 REV:PATH（如 HEAD~1:rules/）。"
                                   " OLD and NEW are folders, files, or git revisions REV:PATH (e.g. HEAD~1:rules/).")
    p.add_argument("old", help="旧版本 old version: folder, file or REV:PATH")
    p.add_argument("new", help="新版本 new version: folder, file or REV:PATH")
    p.add_argument("--items", metavar="FILE",
                   help="样例事项（JSON 数组、JSON lines、Parquet 或 CSV），显示哪些处理结果会改变 "
                        "sample items (JSON array, JSON lines, Parquet or CSV): show which would be decided "
                        "differently")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--exit-code", action="store_true",
                   help="有变化时以 1 退出 exit 1 when there are differences (like git diff)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..diff import diff, impact

    sides = []
    for spec in (args.old, args.new):
        try:
            sides.append(load_side(spec))
        except PolicyError as exc:
            for d in exc.diagnostics:
                print(d.render(), file=sys.stderr)
            print(f"{spec}: {len(exc.errors)} 个错误 error(s)", file=sys.stderr)
            return 2
        except ReleaseError as exc:
            print(f"{spec}: {exc.message_zh} — {exc.message_en}", file=sys.stderr)
            return 2
        except ValueError as exc:
            print(f"{spec}: {exc}", file=sys.stderr)
            return 2
    old, new = sides
    result = diff(old, new)
    result.old_source, result.new_source = args.old, args.new
    if args.items:
        if Path(args.items).suffix.lower() in BATCH_SUFFIXES:  # streamed in record batches
            try:
                result.impact = impact(old, new, (r for b in read_batches(args.items) for r in b))
            except BatchIOError as exc:
                print(f"{exc.zh} — {exc.en}", file=sys.stderr)
                return 2
        else:
            items = read_json(args.items)
            if isinstance(items, dict):
                items = [items]
            result.impact = impact(old, new, items)
    print(dump(result.to_dict()) if args.format == "json" else result.render())
    return 1 if args.exit_code and not result.empty else 0


def load_side(spec: str) -> Policy:
    """Load one side of a diff: a rule folder or file, a release bundle or folder, or `REV:PATH`."""
    from ..diff import materialise
    from ..opener import load

    with materialise(spec) as path:
        return load(path)
