"""Departments: their kinds, their hierarchy and the names rule files and items may use.

A department is referred to by its id, its declared Chinese name or its short name
(`department 退役军人局`, `responsible_department: "区民政局"`). `DepartmentNames` is that
lookup; `hierarchy_problems` finds what is wrong with the `parent` links (unknown parents,
cycles, a parent at a lower tier than its unit).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from .syntax.nodes import Span

# Kinds of department (部门类别), with their Chinese names.
DEPARTMENT_KINDS: dict[str, str] = {
    "party": "党委部门",  # 区委政法委, 区委组织部 ...
    "government": "政府部门",  # 区民政局, 区城管局 ...
    "vertical": "垂直管理单位",  # 消防救援大队, 公安分局 -> 派出所 ...
    "utility": "公共服务企业",  # 供水、燃气、供电公司
    "channel": "外部渠道",  # 110/119/120/122, courts, the petition channel
    "other": "其他",
}
ZH_DEPARTMENT_KINDS = {zh: en for en, zh in DEPARTMENT_KINDS.items()}
DEFAULT_KIND = "government"


class DepartmentLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def short(self) -> str: ...
    @property
    def tier(self) -> str: ...
    @property
    def parent(self) -> str | None: ...
    @property
    def span(self) -> Span: ...


@dataclass(frozen=True, slots=True)
class NameClash:
    name: str
    first: str  # department id that has the name first
    second: str
    span: Span  # the second's declaration


class DepartmentNames:
    """id, Chinese name or short name -> department id. Ids win over names: a name equal to
    another department's id is a clash, as is a name two departments share."""

    def __init__(self, departments: Iterable[DepartmentLike]):
        self.ids: dict[str, DepartmentLike] = {}
        self.by_name: dict[str, str] = {}
        self.clashes: list[NameClash] = []
        depts = list(departments)
        for d in depts:
            self.ids[d.id] = d
            self.by_name[d.id] = d.id
        for d in depts:
            for name in dict.fromkeys(n for n in (d.name, d.short) if n and n != d.id):
                other = self.by_name.get(name)
                if other is None:
                    self.by_name[name] = d.id
                elif other != d.id:
                    self.clashes.append(NameClash(name, other, d.id, d.span))

    def resolve(self, name: str) -> str | None:
        return self.by_name.get(name)

    def known(self) -> list[str]:
        return list(self.by_name)


@dataclass(frozen=True, slots=True)
class HierarchyProblem:
    kind: str  # unknown_parent | cycle | parent_below
    department: str
    parent: str
    span: Span


def hierarchy_problems(departments: Iterable[DepartmentLike], level: Callable[[str], int]
                       ) -> list[HierarchyProblem]:
    """What is wrong with the `parent` links: a parent that is no department, a chain that
    comes back to itself (reported once, at its first member), a parent on a lower tier than
    its unit (`level` gives a tier's level)."""
    by_id = {d.id: d for d in departments}
    out: list[HierarchyProblem] = []
    for d in by_id.values():
        if d.parent is None:
            continue
        parent = by_id.get(d.parent)
        if parent is None:
            out.append(HierarchyProblem("unknown_parent", d.id, d.parent, d.span))
        elif level(parent.tier) < level(d.tier):
            out.append(HierarchyProblem("parent_below", d.id, d.parent, d.span))
    reported: set[str] = set()
    for d in by_id.values():
        seen: list[str] = []
        cur: str | None = d.id
        while cur is not None and cur in by_id and cur not in seen:
            seen.append(cur)
            cur = by_id[cur].parent
        if cur is not None and cur in seen:
            loop = seen[seen.index(cur):]
            if not reported & set(loop):
                reported.update(loop)
                first = by_id[loop[0]]
                out.append(HierarchyProblem("cycle", first.id, first.parent or "", first.span))
    return out


def ancestors(dept: str, parents: dict[str, str | None]) -> list[str]:
    """`dept`'s parent, its parent's parent, ... (stops at a cycle)."""
    out: list[str] = []
    cur = parents.get(dept)
    while cur is not None and cur not in out and cur != dept:
        out.append(cur)
        cur = parents.get(cur)
    return out


def units_of(dept: str, parents: dict[str, str | None]) -> list[str]:
    """The departments whose parent is `dept`, in declaration order."""
    return [d for d, p in parents.items() if p == dept]
