"""`import_workbook(path, folder)`: a filled-in matter-list workbook back into the rule files.

Rows update the declarations they name in place (only the properties whose cells changed are
rewritten; comments and everything else stay), new rows add declarations at the end of their
list, major class or file. The edited rule set is checked as a whole before anything is written;
every problem is reported at its sheet, row and column, and if there is any, nothing is written.
Files are then laid out by the formatter and replaced atomically.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, PolicyError, Reporter
from ..formatter import format_text
from ..syntax import keywords as kw
from ..syntax.nodes import Decl, Literal
from ..syntax.parser import parse
from ..syntax.printer import quote
from .columns import (
    NAME_RE,
    RULE_SHEETS,
    CellError,
    Column,
    SheetSpec,
    canonical,
    cell_of,
    dsl,
    normal,
    prop_of,
    traits_of,
    traits_text,
)
from .edits import Edit, add_child, add_prop, apply, remove_prop, replace_block, replace_label, replace_prop
from .grids import GRIDS, import_grids
from .problems import CellProblem, WorkbookError
from .tables import Located, read_sources, rows_of, walk
from .workbook import Sheet, read_workbook

Tag = tuple[str, int, int]  # sheet, row, column index


@dataclass
class ImportResult:
    """What an import changed: file -> new text, and the check's warnings."""

    changed: dict[Path, str] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    rows: dict[str, tuple[int, int]] = field(default_factory=dict)  # sheet -> (updated, added)


def import_workbook(workbook: str | Path, folder: str | Path, *, write: bool = True) -> ImportResult:
    """Import `workbook` into the rule folder. Raises `WorkbookError` listing every bad cell
    (nothing is written then). With `write=False` only reports what would change."""
    folder = Path(folder)
    sheets = read_workbook(workbook)
    try:
        sources = read_sources(folder)
    except PolicyError as exc:
        raise WorkbookError([CellProblem("", 0, -1, "", "规则文件本身有语法错误，请先修正：" + e.message_zh,
                                         "the rule files do not parse; fix them first: " + e.message_en)
                             for e in exc.errors]) from None
    plan = _Planner(sources, sheets)
    plan.run()
    grid_texts: dict[Path, str] = {}
    if GRIDS.name in sheets:
        grid_rows = plan.cells_by_key(GRIDS, sheets[GRIDS.name])
        if grid_rows is not None:
            roles = {loc.decl.ident for loc in walk(sources) if loc.decl.kind == "role"}
            grid_texts = import_grids(folder, grid_rows, plan.problems, roles)
    texts = plan.new_texts()
    result = ImportResult(rows=plan.counts)
    if texts:
        result.warnings = _check(folder, texts, plan)
    if plan.problems:
        order = {name: i for i, name in enumerate([*(s.name for s in RULE_SHEETS), GRIDS.name])}
        raise WorkbookError(sorted(plan.problems, key=lambda p: (order.get(p.sheet, -1), p.row, p.column)))
    for file, text in texts.items():
        result.changed[Path(file)] = format_text(text, file)
    result.changed.update(grid_texts)
    if write:
        write_atomically(result.changed)
    return result


def write_atomically(files: dict[Path, str]) -> None:
    """Write every file beside its final name first, then rename them all into place."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            staged.append((tmp, path))
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)


def _check(folder: Path, texts: dict[str, str], plan: _Planner) -> list[Diagnostic]:
    """Check the edited rule set in a copy of the folder; errors become cell problems."""
    from ..loader import load

    with tempfile.TemporaryDirectory(prefix="gridpolicy-import-") as tmp:
        copy = Path(tmp) / folder.name
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".*"))
        for file, text in texts.items():
            (copy / Path(file).name).write_text(text, encoding="utf-8")
        try:
            policy = load(copy, cache=False)
        except PolicyError as exc:
            for d in exc.errors:
                plan.trace(Path(d.span.file).name, d)
            return []
        return list(policy.warnings)


class _Planner:
    def __init__(self, sources: Any, sheets: dict[str, Sheet]):
        self.sources = sources
        self.sheets = sheets
        self.problems: list[CellProblem] = []
        self.edits: dict[str, list[Edit]] = {}
        self.where: dict[str, list[tuple[Any, int, int]]] = {}
        self.counts: dict[str, tuple[int, int]] = {}
        self.resolve = _names(sources)

    # cells -------------------------------------------------------------------------------

    def bad(self, spec: SheetSpec, row: int, col: int, zh: str, en: str) -> None:
        header, header_en = (spec.columns[col].zh, spec.columns[col].en) if col >= 0 else ("", "")
        self.problems.append(CellProblem(spec.name, row, col, header, zh, en, header_en, spec.en))

    def cells_by_key(self, spec: SheetSpec, sheet: Sheet) -> list[tuple[int, dict[str, str]]] | None:
        """The sheet's rows as {column key: normalised text}, by spreadsheet row number; None if
        the sheet lacks its id column. Columns are found by header (Chinese or English)."""
        index: dict[int, Column] = {}
        known = {c.zh: c for c in spec.columns} | {c.en: c for c in spec.columns} | \
                {c.header: c for c in spec.columns}
        for i, h in enumerate(sheet.headers):
            text = normal(h)
            col = known.get(text) or known.get(text.split("\n")[0].strip())
            if col is not None:
                index[i] = col
        self.present = {c.key for c in index.values()}
        ident = spec.columns[[c.kind for c in spec.columns].index("id")] if spec is not GRIDS else spec.column("code")
        if ident.key not in self.present:
            self.bad(spec, 1, -1, f"缺少“{ident.zh}”列（表头应为“{ident.zh}”或“{ident.en}”）",
                     f"the '{ident.en}' column is missing (its header is '{ident.zh}' or '{ident.en}')")
            return None
        rows = []
        for number, values in sheet.rows:
            cells: dict[str, str] = {}
            for i, col in index.items():
                value = values[i] if i < len(values) else None
                try:
                    cells[col.key] = normal(value)
                except CellError as exc:
                    self.bad(spec, number, spec.columns.index(col), exc.zh, exc.en)
                    cells[col.key] = ""
            if any(cells.values()):
                rows.append((number, cells))
        return rows

    # planning ----------------------------------------------------------------------------

    def run(self) -> None:
        for spec in RULE_SHEETS:
            if spec.name in self.sheets:
                rows = self.cells_by_key(spec, self.sheets[spec.name])
                if rows is not None:
                    self._sheet(spec, rows)

    def _sheet(self, spec: SheetSpec, rows: list[tuple[int, dict[str, str]]]) -> None:
        existing = {loc.decl.ident: loc for loc in rows_of(self.sources, spec)}
        seen: dict[str, int] = {}
        updated = added = 0
        id_col = spec.columns.index(spec.column("@id"))
        for number, cells in rows:
            ident = cells.get("@id", "")
            if not ident:
                self.bad(spec, number, id_col, "编号不能为空", "the id is empty")
                continue
            if ident in seen:
                self.bad(spec, number, id_col, f"编号 {ident} 与第 {seen[ident]} 行重复",
                         f"id {ident} is used on row {seen[ident]} too")
                continue
            seen[ident] = number
            loc = existing.get(ident)
            if loc is None:
                added += self._add(spec, number, cells)
            else:
                updated += self._update(spec, number, cells, loc)
        for ident, loc in existing.items():
            if ident not in seen:
                self.bad(spec, 0, id_col, f"缺少 {ident}“{loc.decl.title}”：表格导入不删除声明"
                         + ("；退出事项请在“退出事项”表中登记" if spec.kind == "matter" else "，请在规则文件中删除"),
                         f"{ident} '{loc.decl.title}' is missing: an import does not delete declarations"
                         + (" (record an exit on the exits sheet)" if spec.kind == "matter" else
                            "; delete it in the rule file"))
        self.counts[spec.name] = (updated, added)

    def _value(self, spec: SheetSpec, number: int, col: Column, text: str) -> str | None:
        """The rule text of a property cell, or None (reported) if it cannot be written."""
        try:
            text = canonical(col, text)
            value = traits_text(text) if col.kind == "traits" else dsl(col, text, self.resolve)
        except CellError as exc:
            self.bad(spec, number, spec.columns.index(col), exc.zh, exc.en)
            return None
        if col.kind == "traits" or text.startswith("="):
            snippet = f"traits {{\n{value}\n}}" if col.kind == "traits" else f"{col.key} {value}"
            reporter = Reporter()
            parse(f"list __l {{\n matter __x {{\n{snippet}\n}}\n}}\n" if spec.kind == "matter"
                  else f"exit __x {{\n{snippet}\n}}\n", "<cell>", reporter)
            if reporter.has_errors:
                d = reporter.diagnostics[0]
                self.bad(spec, number, spec.columns.index(col), f"写法有误：{d.message_zh}",
                         f"cannot be read: {d.message_en}")
                return None
        return value

    def _update(self, spec: SheetSpec, number: int, cells: dict[str, str], loc: Located) -> int:
        decl = loc.decl
        edits = self.edits.setdefault(loc.file, [])
        text = self.sources.texts[loc.file]
        n = 0
        for i, col in enumerate(spec.columns):
            if col.key not in self.present or col.kind == "id":
                continue
            new = cells.get(col.key, "")
            if col.kind == "parent":
                at = -1 if col.key == "@parent" else -2
                if new != loc.parents[at].ident:
                    self.bad(spec, number, i, f"不能在表格中把 {decl.ident} 移到“{new}”（原在 {loc.parents[at].ident}）",
                             f"{decl.ident} cannot be moved to '{new}' from a spreadsheet (it is in "
                             f"{loc.parents[at].ident})")
                continue
            try:
                if canonical(col, new) == canonical(col, normal(cell_of(decl, col))):
                    continue
            except CellError as exc:
                self.bad(spec, number, i, exc.zh, exc.en)
                continue
            tag: Tag = (spec.name, number, i)
            n = 1
            if col.kind == "label":
                edits.append(replace_label(text, decl, new, quote(new), tag))
                continue
            value = self._value(spec, number, col, new) if new else ""
            if value is None:
                continue
            if col.kind == "traits":
                block = traits_of(decl)
                body = f"traits {{\n  {value.replace(chr(10), chr(10) + '  ')}\n}}" if value else ""
                if block is not None:
                    edits.append(replace_block(text, block, body, tag))
                elif body:
                    edits.append(add_child(text, decl, body, tag))
                continue
            props = [p for p in decl.props if col.key == _key(decl, p.key)]
            if not value:
                edits.extend(remove_prop(text, p, tag) for p in props)
            elif props:
                edits.append(replace_prop(text, props[0], f"{props[0].key} {value}", tag))
                edits.extend(remove_prop(text, p, tag) for p in props[1:])
            else:
                edits.append(add_prop(text, decl, f"{col.key} {value}", tag))
        return n

    def _add(self, spec: SheetSpec, number: int, cells: dict[str, str]) -> int:
        ident = cells["@id"]
        id_col = spec.columns.index(spec.column("@id"))
        if not NAME_RE.match(ident):
            self.bad(spec, number, id_col, f"“{ident}”不是编号（字母开头，由字母、数字、下划线组成）",
                     f"'{ident}' is not an id (a letter, then letters, digits and underscores)")
            return 0
        container, after, file = self._place(spec, number, cells)
        if file is None:
            return 0
        lines = []
        row_tag: Tag = (spec.name, number, -1)
        tags: list[Tag] = [row_tag]  # one a line of the new declaration
        for i, col in enumerate(spec.columns):
            text = cells.get(col.key, "")
            if col.kind in ("id", "label", "parent") or not text:
                continue
            value = self._value(spec, number, col, text)
            if value is None:
                return 0
            if col.kind == "traits":
                lines.append("traits {\n  " + value.replace("\n", "\n  ") + "\n}")
            else:
                lines.append(f"{col.key} {value}")
            tags.extend([(spec.name, number, i)] * (lines[-1].count("\n") + 1))
        tags.append(row_tag)
        label = cells.get("@label", "")
        head = f"{spec.kind} {ident}" + (f" {quote(label)}" if label else "")
        body = "\n".join("  " + line.replace("\n", "\n  ") for line in lines)
        block = f"{head} {{\n{body}\n}}" if lines else f"{head} {{\n}}"
        text = self.sources.texts[file]
        self.edits.setdefault(file, []).append(add_child(text, container, block, tags, after))
        return 1

    def _place(self, spec: SheetSpec, number: int, cells: dict[str, str]
               ) -> tuple[Decl | None, Decl | None, str | None]:
        """Where a new row's declaration goes: (container, declaration to follow, file)."""
        if not spec.parents:
            last = None
            for loc in walk(self.sources):
                if loc.decl.kind == spec.kind and not loc.parents:
                    last = loc
            if last is None:
                file = self.sources.modules[-1].file
                return None, None, file
            return None, last.decl, last.file
        want = [cells.get("@grandparent", ""), cells.get("@parent", "")][-len(spec.parents):]
        for loc in walk(self.sources):
            if loc.decl.kind == spec.parents[-1] and loc.decl.ident == want[-1] and \
                    (len(want) == 1 or (loc.parents and loc.parents[-1].ident == want[0]) or not want[0]):
                return loc.decl, None, loc.file
        col = spec.columns.index(spec.column("@parent"))
        self.bad(spec, number, col, f"找不到{spec.columns[col].zh}“{want[-1]}”；新增的行须写明已有的{spec.columns[col].zh}",
                 f"no {spec.columns[col].en} '{want[-1]}'; a new row must name an existing {spec.columns[col].en}")
        return None, None, None

    # results -----------------------------------------------------------------------------

    def new_texts(self) -> dict[str, str]:
        out = {}
        for file, edits in self.edits.items():
            if edits:
                out[file], self.where[Path(file).name] = apply(self.sources.texts[file], edits)
        return out

    def trace(self, name: str, d: Diagnostic) -> None:
        """Report a check error at the cell whose edit is on the error's line."""
        for tag, first, last in self.where.get(name, []):
            if first <= d.span.line <= last:
                if isinstance(tag, list):  # a new declaration: a tag for each of its lines
                    tag = tag[min(d.span.line - first, len(tag) - 1)]
                sheet, row, col = tag
                spec = next(s for s in RULE_SHEETS if s.name == sheet)
                self.bad(spec, row, col, f"{d.message_zh}（{d.code}）" + (f"；{d.hint_zh}" if d.hint_zh else ""),
                         f"{d.message_en} ({d.code})" + (f"; {d.hint_en}" if d.hint_en else ""))
                return
        self.problems.append(CellProblem("", 0, -1, "", f"{name}:{d.span.line}: {d.message_zh}（{d.code}）",
                                         f"{name}:{d.span.line}: {d.message_en} ({d.code})"))


def _key(decl: Decl, key: str) -> str:
    return kw.property_keys(decl.kind).get(key, key)


def _names(sources: Any) -> dict[str, str]:
    """Chinese names a cell may use instead of an id: labels of departments, roles, batches,
    lists and referrals, and departments' short names (a name used twice is left out)."""
    seen: dict[str, set[str]] = {}
    for loc in walk(sources):
        d = loc.decl
        if d.kind in ("department", "role", "batch", "list", "referral", "matter") and d.id:
            names = [d.label] if d.label else []
            if d.kind == "department":
                short = prop_of(d, "short")
                value = short.args[0].value if short and short.args else None
                if isinstance(value, Literal) and isinstance(value.value, str):
                    names.append(value.value)
            for n in names:
                seen.setdefault(n, set()).add(d.id)
    return {name: next(iter(ids)) for name, ids in seen.items() if len(ids) == 1}
