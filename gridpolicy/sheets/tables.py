"""The workbook's content as plain tables, read from a rule folder's syntax trees (so a value is
shown as written, and an import can put it back where it was)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import PolicyError, Reporter
from ..syntax.nodes import Decl
from ..syntax.sources import SourceSet, read
from .columns import SheetSpec, cell_of

Cell = str | dt.date | int


@dataclass(frozen=True)
class Located:
    """A declaration with the declarations it sits in (outermost first) and its file."""

    decl: Decl
    parents: tuple[Decl, ...]
    file: str


@dataclass
class Table:
    """One sheet: its name, its column headers and its rows (header row excluded)."""

    name: str
    headers: list[str]
    rows: list[list[Cell]]
    widths: list[int]


def read_sources(folder: str | Path) -> SourceSet:
    """Parse a rule folder; raises `PolicyError` if a file does not parse."""
    reporter = Reporter()
    sources = read(folder, reporter)
    if reporter.has_errors:
        raise PolicyError(reporter.diagnostics)
    return sources


def walk(sources: SourceSet) -> Iterator[Located]:
    """Every declaration of every file, in file order."""
    for module in sources.modules:
        stack: list[tuple[Decl, tuple[Decl, ...]]] = [
            (d, ()) for d in reversed(module.items) if isinstance(d, Decl)]
        while stack:
            decl, parents = stack.pop()
            yield Located(decl, parents, module.file)
            stack.extend((c, (*parents, decl)) for c in reversed(decl.children))


def rows_of(sources: SourceSet, spec: SheetSpec) -> list[Located]:
    return [loc for loc in walk(sources)
            if loc.decl.kind == spec.kind and tuple(p.kind for p in loc.parents) == spec.parents]


def rule_table(sources: SourceSet, spec: SheetSpec) -> Table:
    rows: list[list[Cell]] = []
    for loc in rows_of(sources, spec):
        row: list[Cell] = []
        for col in spec.columns:
            if col.key == "@parent":
                row.append(loc.parents[-1].ident)
            elif col.key == "@grandparent":
                row.append(loc.parents[-2].ident)
            else:
                row.append(cell_of(loc.decl, col))
        rows.append(row)
    return Table(spec.name, [c.header for c in spec.columns], rows, [c.width for c in spec.columns])
