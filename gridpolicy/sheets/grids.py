"""The grid sheet: one row per grid of the registry files (registry/*.yaml), and its import as
edits of the YAML text in place (comments and layout kept), validated by the registry model."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import did_you_mean
from ..registry import Grid, RegistryError, parse_registry
from ..registry import read_text as read_registry
from ..syntax.sources import REGISTRY_DIR, registry_files
from .columns import SEP, Column, SheetSpec, split_names
from .edits import Edit, apply
from .problems import CellProblem
from .tables import Table

GRIDS = SheetSpec("网格", "grids", "grid", (), (
    Column("file", "台账文件", "registry file", "text", 14), Column("street", "街道编码", "street code", "text", 8),
    Column("street_name", "街道", "street", "text", 12), Column("community", "社区编码", "community code", "text", 8),
    Column("community_name", "社区", "community", "text", 14), Column("code", "网格编码", "grid code", "text", 18),
    Column("name", "网格名称", "grid name", "text", 20), Column("party_org", "网格党组织", "party organisation", "text", 24),
    Column("households", "户数", "households", "text", 8),
    Column("east", "东至", "east", "text", 18), Column("south", "南至", "south", "text", 18),
    Column("west", "西至", "west", "text", 18), Column("north", "北至", "north", "text", 18),
    Column("leader", "网格长联系电话", "leader's contact", "text", 12),
    Column("staff", "网格员（角色×人数 电话）", "staff (role×count contact)", "text", 40),
    Column("auxiliary", "辅助力量", "auxiliary", "text", 30)))
SIMPLE = ("name", "party_org", "households")
BOUNDS = ("east", "south", "west", "north")
STAFF_RE = re.compile(r"^(?P<role>[^\W\d]\w*)(?:\s*[×x*]\s*(?P<count>\d+))?(?:\s+(?P<contact>[0-9+()\- ]+))?$")


def staff_cell(grid: Grid) -> str:
    parts = []
    for s in grid.staff:
        text = s.role + (f"×{s.count}" if s.count != 1 else "")
        parts.append(text + (f" {s.contact}" if s.contact else ""))
    return "\n".join(parts)


def _files(folder: Path) -> list[Path]:
    return registry_files(folder / REGISTRY_DIR)


def grid_table(folder: Path) -> Table:
    rows: list[list[Any]] = []
    for path in _files(folder):
        reg = parse_registry(read_registry(path), str(path))
        for street in reg.streets:
            for com in street.communities:
                for g in com.grids:
                    b = g.boundaries
                    rows.append([path.name, street.code, street.name, com.code, com.name, g.code, g.name,
                                 g.party_org or "", "" if g.households is None else g.households,
                                 b.east, b.south, b.west, b.north, g.leader.contact, staff_cell(g),
                                 SEP.join(g.auxiliary)])
    return Table(GRIDS.name, [c.header for c in GRIDS.columns], rows, [c.width for c in GRIDS.columns])


# ---- import --------------------------------------------------------------------------------


@dataclass
class _Node:
    node: Any

    def get(self, key: str) -> Any:
        for k, v in self.node.value:
            if k.value == key:
                return v
        return None

    def key_node(self, key: str) -> Any:
        return next((k for k, _ in self.node.value if k.value == key), None)


def _scalar(value: str) -> str:
    """A YAML scalar for a string: plain when that reads back as the same string, else quoted."""
    if value and yaml.safe_load(value) == value and "#" not in value and ": " not in value:
        return value
    return json.dumps(value, ensure_ascii=False)


def _staff_yaml(text: str) -> list[str]:
    out = []
    for part in [p.strip() for p in text.split("\n") if p.strip()]:
        m = STAFF_RE.match(part)
        if not m:
            raise ValueError(part)
        fields = [f"role: {m['role']}"]
        if m["count"] and int(m["count"]) != 1:
            fields.append(f"count: {int(m['count'])}")
        if m["contact"]:
            fields.append(f"contact: {json.dumps(m['contact'].strip())}")
        out.append("{" + ", ".join(fields) + "}")
    return out


def _replace_node(text: str, node: Any, new: str, tag: Any) -> Edit:
    start, end = node.start_mark.index, node.end_mark.index
    end = start + len(text[start:end].rstrip())
    return Edit(start, end, new, tag)


def import_grids(folder: Path, table: list[tuple[int, dict[str, str]]], problems: list[CellProblem],
                 roles: set[str]) -> dict[Path, str]:
    """New texts of the registry files for the grid sheet's rows ((row number, {key: text})),
    staff and auxiliary roles checked against `roles`. Problems go to `problems`; files whose
    text would not change are left out."""
    letters = {c.key: i for i, c in enumerate(GRIDS.columns)}

    def bad(row: int, key: str, zh: str, en: str) -> None:
        problems.append(CellProblem(GRIDS.name, row, letters[key], GRIDS.column(key).zh, zh, en,
                                    GRIDS.column(key).en, GRIDS.en))

    texts = {p.name: (p, read_registry(p)) for p in _files(folder)}
    edits: dict[str, list[Edit]] = {name: [] for name in texts}
    roots = {name: yaml.compose(text) for name, (_, text) in texts.items()}
    grids: dict[str, tuple[str, Any, Any]] = {}  # code -> (file, grid node, community node)
    communities: dict[tuple[str, str, str], Any] = {}
    for name, root in roots.items():
        for street in _Node(root).get("streets").value:
            for com in _Node(street).get("communities").value:
                communities[(name, _Node(street).get("code").value, _Node(com).get("code").value)] = com
                for g in _Node(com).get("grids").value:
                    grids[_Node(g).get("code").value] = (name, g, com)
    seen: set[str] = set()
    for row, cells in table:
        code = cells.get("code", "")
        file = cells.get("file", "") or (next(iter(texts)) if len(texts) == 1 else "")
        if file not in texts:
            bad(row, "file", f"没有台账文件“{file}”（应为 {', '.join(texts)} 之一）",
                f"no registry file '{file}' (one of {', '.join(texts)})")
            continue
        if code in seen:
            bad(row, "code", f"网格编码 {code} 重复", f"grid code {code} is listed twice")
            continue
        seen.add(code)
        named = [("staff", m["role"]) for m in (STAFF_RE.match(p.strip()) for p in cells.get("staff", "").split("\n"))
                 if m] + [("auxiliary", r) for r in split_names(cells.get("auxiliary", ""))]
        unknown = [(key, r) for key, r in named if r not in roles]
        for key, r in unknown:
            hint = did_you_mean(r, roles)
            bad(row, key, f"未知的角色“{r}”" + (f"，是不是“{hint}”？" if hint else ""),
                f"unknown role '{r}'" + (f"; did you mean '{hint}'?" if hint else ""))
        if unknown:
            continue
        if code not in grids:
            com = communities.get((file, cells.get("street", ""), cells.get("community", "")))
            if com is None:
                bad(row, "community", "找不到该街道编码与社区编码对应的社区（表格导入只能在已有社区中新增网格）",
                    "no community with this street and community code (an import adds grids to existing communities)")
                continue
            try:
                block = _new_grid(cells)
            except ValueError as exc:
                bad(row, "staff", f"网格员写法不对：“{exc}”，应写成 grid_worker×2 12345",
                    f"staff entry '{exc}' should read like grid_worker×2 12345")
                continue
            seq = _Node(com).get("grids")
            col = seq.value[0].start_mark.column
            end = seq.end_mark.index
            end = len(texts[file][1][:end].rstrip())
            indent = " " * (col - 2)
            edits[file].append(Edit(end, end, "\n" + "\n".join(
                (indent + ("- " if i == 0 else "  ") + line) for i, line in enumerate(block)), (row, "code")))
            continue
        gfile, node, _ = grids[code]
        if gfile != file:
            bad(row, "file", f"网格 {code} 在台账文件 {gfile} 中", f"grid {code} is in registry file {gfile}")
            continue
        _edit_grid(texts[file][1], _Node(node), cells, row, edits[file], bad)
    missing = sorted(set(grids) - seen)
    for code in missing:
        problems.append(CellProblem(GRIDS.name, 0, letters["code"], GRIDS.column("code").zh,
                                    f"缺少网格 {code}（表格导入不删除网格；撤销网格请在台账文件中修改）",
                                    f"grid {code} is missing (an import does not delete grids; edit the registry file)"))
    out: dict[Path, str] = {}
    for name, (path, text) in texts.items():
        if not edits[name]:
            continue
        new, where = apply(text, edits[name])
        try:
            parse_registry(new, name)
        except RegistryError as exc:
            for p in exc.problems:
                hit = next(((tag, a, b) for tag, a, b in where if a <= p.line <= b), None)
                if hit:
                    bad(hit[0][0], hit[0][1], p.message_zh, p.message_en)
                else:
                    problems.append(CellProblem(GRIDS.name, 0, 0, "", f"{name}:{p.line} {p.path} {p.message_zh}",
                                                f"{name}:{p.line} {p.path} {p.message_en}"))
            continue
        out[path] = new
    return out


def _new_grid(cells: dict[str, str]) -> list[str]:
    lines = [f"code: {json.dumps(cells.get('code', ''))}", f"name: {_scalar(cells.get('name', ''))}"]
    if cells.get("party_org"):
        lines.append(f"party_org: {_scalar(cells['party_org'])}")
    if cells.get("households"):
        lines.append(f"households: {cells['households']}")
    lines.append("boundaries:")
    lines += [f"  {k}: {_scalar(cells.get(k, ''))}" for k in BOUNDS]
    lines.append(f"leader: {{role: grid_leader, contact: {json.dumps(cells.get('leader', ''))}}}")
    staff = _staff_yaml(cells.get("staff", ""))
    if staff:
        lines.append("staff:")
        lines += [f"  - {s}" for s in staff]
    aux = split_names(cells.get("auxiliary", ""))
    if aux:
        lines.append(f"auxiliary: [{', '.join(aux)}]")
    return lines


def _edit_grid(text: str, grid: _Node, cells: dict[str, str], row: int, edits: list[Edit], bad: Any) -> None:
    def current(key: str) -> str:
        node = grid.get(key)
        return "" if node is None else str(yaml.safe_load(text[node.start_mark.index:node.end_mark.index]) or "")

    indent = " " * grid.key_node("code").start_mark.column
    for key in SIMPLE:
        new = cells.get(key, "")
        if new == current(key):
            continue
        node = grid.get(key)
        value = new if key == "households" else _scalar(new)
        if node is None:
            at = grid.get("name").end_mark.index
            edits.append(Edit(at, at, f"\n{indent}{key}: {value}", (row, key)))
        elif not new:
            knode = grid.key_node(key)
            start = text.rfind("\n", 0, knode.start_mark.index)
            edits.append(Edit(start, node.end_mark.index, "", (row, key)))
        else:
            edits.append(_replace_node(text, node, value, (row, key)))
    bounds = _Node(grid.get("boundaries"))
    for key in BOUNDS:
        node = bounds.get(key)
        if node is not None and cells.get(key, "") != node.value:
            edits.append(_replace_node(text, node, _scalar(cells.get(key, "")), (row, key)))
    leader = _Node(grid.get("leader")).get("contact")
    if leader is not None and cells.get("leader", "") != leader.value:
        edits.append(_replace_node(text, leader, json.dumps(cells.get("leader", "")), (row, "leader")))
    reg = parse_registry_grid(text, grid)
    if cells.get("staff", "") != staff_cell(reg):
        try:
            staff = _staff_yaml(cells.get("staff", ""))
        except ValueError as exc:
            bad(row, "staff", f"网格员写法不对：“{exc}”，应写成 grid_worker×2 12345",
                f"staff entry '{exc}' should read like grid_worker×2 12345")
        else:
            node = grid.get("staff")
            col = " " * (node.value[0].start_mark.column - 2) if node is not None and node.value else indent + "  "
            block = "\n".join(f"{col}- {s}" for s in staff)
            if node is None:
                at = grid.get("leader").end_mark.index
                edits.append(Edit(at, at, f"\n{indent}staff:\n{block}", (row, "staff")))
            else:
                start = text.rfind("\n", 0, node.start_mark.index) + 1
                end = node.start_mark.index + len(text[node.start_mark.index:node.end_mark.index].rstrip())
                edits.append(Edit(start, end, block, (row, "staff")))
    aux = split_names(cells.get("auxiliary", ""))
    if aux != list(reg.auxiliary):
        node = grid.get("auxiliary")
        flow = f"[{', '.join(aux)}]"
        if node is None:
            at = _last_end(text, grid)
            edits.append(Edit(at, at, f"\n{indent}auxiliary: {flow}", (row, "auxiliary")))
        else:
            edits.append(_replace_node(text, node, flow, (row, "auxiliary")))


def _last_end(text: str, grid: _Node) -> int:
    _, value = grid.node.value[-1]
    end = value.end_mark.index
    return len(text[:end].rstrip())


def parse_registry_grid(text: str, grid: _Node) -> Grid:
    start, end = grid.node.start_mark.index, grid.node.end_mark.index
    data = yaml.safe_load(_dedent(text[start:end], grid.node.start_mark.column))
    return Grid.model_validate(data)


def _dedent(block: str, column: int) -> str:
    lines = block.split("\n")
    return "\n".join([lines[0]] + [line[column:] for line in lines[1:]])
