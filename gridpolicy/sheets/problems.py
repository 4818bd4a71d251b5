"""A bad cell of an imported workbook, named by sheet, row and column, in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass


def letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(ord("A") + rem) + out
    return out


@dataclass(frozen=True)
class CellProblem:
    sheet: str
    row: int  # 1-based as the spreadsheet numbers it (the header is row 1); 0: the whole sheet
    column: int  # 0-based index; -1: the whole row
    header: str  # the column's Chinese header
    message_zh: str
    message_en: str
    header_en: str = ""
    sheet_en: str = ""

    @property
    def cell(self) -> str:
        if self.row and self.column >= 0:
            return f"{letter(self.column)}{self.row}"
        return str(self.row) if self.row else ""

    def render(self) -> str:
        where_zh = f"工作表“{self.sheet}”"
        where_en = f"sheet '{self.sheet}'" + (f" ({self.sheet_en})" if self.sheet_en else "")
        if not self.sheet:
            return f"{self.message_zh}\n    {self.message_en}"
        if self.row:
            where_zh += f"第 {self.row} 行"
            where_en += f" row {self.row}"
        if self.column >= 0 and self.header:
            where_zh += f" {letter(self.column)} 列（{self.header}）"
            where_en += f" column {letter(self.column)} ({self.header_en or self.header})"
        return f"{where_zh}：{self.message_zh}\n    {where_en}: {self.message_en}"

    def to_dict(self) -> dict[str, object]:
        return {"sheet": self.sheet, "row": self.row, "column": letter(self.column) if self.column >= 0 else "",
                "header": self.header, "cell": self.cell, "message_zh": self.message_zh,
                "message_en": self.message_en}


class WorkbookError(Exception):
    """The workbook has bad cells; nothing was written. `problems` lists every one."""

    def __init__(self, problems: list[CellProblem]):
        self.problems = problems
        super().__init__("\n".join(p.render() for p in problems))
