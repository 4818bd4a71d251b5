"""gridpolicy export RULES --xlsx FILE: the matter list, exits, catalogue, departments and grids as a workbook."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..diagnostics import PolicyError
from ..registry import RegistryError
from .common import fail


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="导出事项清单工作簿 export the matter list as a workbook",
                       description="把准入事项清单、退出事项、事件分类、部门和网格导出为 Excel 工作簿（每项一行，含出处与假设）。"
                                   " Export the admission list, exits, catalogue, departments and grids as an .xlsx"
                                   " workbook, one row per item with its source and assumptions.")
    p.add_argument("path", metavar="RULES", help="rule folder")
    p.add_argument("--xlsx", required=True, metavar="FILE", help="workbook to write (.xlsx)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..sheets import export_tables
    from ..sheets.workbook import write_workbook

    if not Path(args.path).is_dir():
        fail(f"“{args.path}”不是规则文件夹", f"'{args.path}' is not a rule folder")
    try:
        tables = export_tables(args.path)
    except PolicyError as exc:
        for d in exc.errors:
            print(d.render(), file=sys.stderr)
        return 1
    except RegistryError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    try:
        write_workbook(tables, args.xlsx)
    except OSError as exc:
        print(f"无法写入“{args.xlsx}”：{exc.strerror} — cannot write '{args.xlsx}': {exc.strerror}", file=sys.stderr)
        return 1
    counts = "，".join(f"{t.name} {len(t.rows)} 行" for t in tables)
    print(f"{args.xlsx}: {counts} — {sum(len(t.rows) for t in tables)} rows written")
    return 0
