"""gridpolicy import FILE --into RULES: write a filled-in matter-list workbook back into the rule files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .common import fail


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="从工作簿导入事项清单 import the matter list from a workbook",
                       description="把改好的工作簿写回规则文件：只改动有变化的属性，注释保留；任何一格有错都指出工作表、行、列，"
                                   "且不写入任何文件。 Write a workbook back into the rule files: only changed properties"
                                   " are rewritten, comments kept; any bad cell is reported by sheet, row and column and"
                                   " nothing is written.")
    p.add_argument("xlsx", metavar="FILE", help="workbook (.xlsx) made by `gridpolicy export`")
    p.add_argument("--into", required=True, metavar="RULES", help="rule folder to update")
    p.add_argument("--dry-run", action="store_true", help="只报告将改动的文件 — report what would change, write nothing")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..sheets.importer import import_workbook
    from ..sheets.problems import WorkbookError

    if not Path(args.into).is_dir():
        fail(f"“{args.into}”不是规则文件夹", f"'{args.into}' is not a rule folder")
    try:
        result = import_workbook(args.xlsx, args.into, write=not args.dry_run)
    except WorkbookError as exc:
        if args.format == "json":
            print(json.dumps({"ok": False, "problems": [p.to_dict() for p in exc.problems]},
                             ensure_ascii=False, indent=2))
        else:
            for p in exc.problems:
                print(p.render(), file=sys.stderr)
            n = len(exc.problems)
            print(f"共 {n} 处错误，未写入任何文件 — {n} problem(s), nothing written", file=sys.stderr)
        return 1
    files = sorted(str(p) for p in result.changed)
    if args.format == "json":
        print(json.dumps({"ok": True, "written": not args.dry_run, "files": files,
                          "rows": {k: {"updated": u, "added": a} for k, (u, a) in result.rows.items()},
                          "warnings": [d.to_dict() for d in result.warnings]}, ensure_ascii=False, indent=2))
        return 0
    for d in result.warnings:
        print(d.render(), file=sys.stderr)
    verb = ("将改写", "would change") if args.dry_run else ("已改写", "changed")
    for f in files:
        print(f"{verb[0]} {verb[1]}: {f}")
    rows = "，".join(f"{k} 改 {u} 增 {a}" for k, (u, a) in result.rows.items() if u or a)
    print(f"{len(files)} 个文件 files; {rows or '没有改动 no changes'}")
    return 0
