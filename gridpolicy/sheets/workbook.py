"""Reading and writing .xlsx workbooks (openpyxl): the tables as sheets with a bold, frozen
two-language header row, wrapped text and real date cells."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .problems import CellProblem, WorkbookError
from .tables import Table

GUIDE = "填写说明"
GUIDE_ROWS = (
    ("本工作簿由 gridpolicy export 从规则文件生成；改好后用 gridpolicy import 写回规则文件。",
     "Generated from the rule files by gridpolicy export; gridpolicy import writes it back."),
    ("每行一项；第一行是表头，请勿改动表头。编号列不能为空，也不能重复。",
     "One item a row; row 1 is the header, keep it. Ids are required and unique."),
    ("多个别名、承办角色、协办部门用“、”分隔；日期写成 2024-03-01。",
     "Separate several aliases, roles or departments with 、; write dates as 2024-03-01."),
    ("部门、角色、批次可以写编号，也可以写中文名称或简称，导入时换成编号。",
     "Departments, roles and batches may be written by id or by Chinese name or short name."),
    ("新增一行即新增一项；删除行不会删除规则（退出事项请在“退出事项”表登记）。",
     "A new row adds an item; deleting a row deletes nothing (record exits on the exits sheet)."),
    ("导入前会检查全部规则；任何一格有错，都会指出工作表、行和列，并且不写入任何文件。",
     "Import checks the whole rule set first; any bad cell is named by sheet, row and column and "
     "nothing is written."),
    ("“出处”写原文依据；“假设”写原文没有给出、由本规则集假定的内容。",
     "'出处' (source) cites the text; '假设' (assumption) states what the text does not give."),
)


@dataclass
class Sheet:
    """A read sheet: its header cells and its data rows with their spreadsheet row numbers."""

    headers: list[Any]
    rows: list[tuple[int, list[Any]]]


def write_workbook(tables: list[Table], path: str | Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    guide = wb.active
    assert guide is not None
    guide.title = GUIDE
    guide.append(["说明", "Notes"])
    for zh, en in GUIDE_ROWS:
        guide.append([zh, en])
    guide.column_dimensions["A"].width = 70
    guide.column_dimensions["B"].width = 70
    guide["A1"].font = guide["B1"].font = Font(bold=True)
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for table in tables:
        ws = wb.create_sheet(table.name)
        ws.append(table.headers)
        for head in ws[1]:
            head.font = bold
            head.fill = fill
            head.alignment = Alignment(wrap_text=True, vertical="center")
        for values in table.rows:
            ws.append(values)
        for i, width in enumerate(table.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, str):
                    cell.number_format = "@"  # text: Excel must not turn 0101 into 101
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
        if table.rows:
            ws.auto_filter.ref = ws.dimensions
    wb.save(path)


def read_workbook(path: str | Path) -> dict[str, Sheet]:
    """Every sheet of an .xlsx file. Raises `WorkbookError` if it cannot be read."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise WorkbookError([CellProblem("", 0, -1, "", f"找不到文件“{path}”", f"no file '{path}'")]) from None
    except (BadZipFile, OSError, KeyError, ValueError) as exc:
        raise WorkbookError([CellProblem("", 0, -1, "", f"无法读取“{path}”：不是 .xlsx 工作簿（{exc}）",
                                         f"cannot read '{path}': not an .xlsx workbook ({exc})")]) from None
    out: dict[str, Sheet] = {}
    try:
        for ws in wb.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            if not rows:
                continue
            out[ws.title] = Sheet(list(rows[0]), [(i, list(r)) for i, r in enumerate(rows[1:], start=2)])
    finally:
        wb.close()
    return out
