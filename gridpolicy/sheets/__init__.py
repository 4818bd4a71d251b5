"""The matter list as a spreadsheet: `export_workbook(rules, path)` writes the admission list,
exits, catalogue, departments and grids as an .xlsx workbook; `import_workbook(path, rules)`
writes a filled-in workbook back into the rule files (in place, comments kept), or raises
`WorkbookError` naming every bad cell by sheet, row and column and writes nothing."""

from __future__ import annotations

from pathlib import Path

from .columns import RULE_SHEETS
from .grids import grid_table
from .importer import ImportResult, import_workbook
from .problems import CellProblem, WorkbookError
from .tables import Table, read_sources, rule_table
from .workbook import write_workbook


def export_tables(folder: str | Path) -> list[Table]:
    """The workbook of a rule folder as tables: the four rule sheets and the grid sheet."""
    sources = read_sources(folder)
    return [*(rule_table(sources, spec) for spec in RULE_SHEETS), grid_table(Path(folder))]


def export_workbook(folder: str | Path, path: str | Path) -> None:
    """Write the workbook of the rule folder `folder` to `path`."""
    write_workbook(export_tables(folder), path)


__all__ = ["CellProblem", "ImportResult", "WorkbookError", "export_tables", "export_workbook", "import_workbook"]
