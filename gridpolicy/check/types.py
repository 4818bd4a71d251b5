"""Static types of expressions, for the checker."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Ty:
    """kind: number text bool date datetime duration none any enum set tier department role
    matter list batch status records range. `domain` lists allowed symbols where finite."""

    kind: str
    domain: tuple[str, ...] | None = None
    owner: str = ""  # the field (or input) this type comes from

    def __str__(self) -> str:
        return self.kind if not self.owner else f"{self.kind}({self.owner})"


NUMBER = Ty("number")
TEXT = Ty("text")
BOOL = Ty("bool")
DATE = Ty("date")
DATETIME = Ty("datetime")
DURATION = Ty("duration")
NONE = Ty("none")
ANY = Ty("any")

SYMBOLIC = ("enum", "tier", "department", "role", "batch", "status", "kind", "class", "major", "ctype")
# Symbolic kinds whose constants have several spellings (`Context.alias`).
ALIASED = ("department", "class", "major", "ctype")

TYPE_NAMES_ZH = {
    "number": "数字", "text": "文字", "bool": "是/否", "date": "日期", "datetime": "时间",
    "duration": "时长", "none": "无", "any": "任意", "enum": "选项", "set": "集合", "tier": "层级",
    "department": "部门", "role": "角色", "matter": "事项", "list": "清单", "batch": "批次",
    "status": "状态", "records": "记录集", "range": "区间", "kind": "类别",
    "class": "小类", "major": "大类", "ctype": "分类类型",
}


def zh(t: Ty) -> str:
    return TYPE_NAMES_ZH.get(t.kind, t.kind)


def comparable(a: Ty, b: Ty) -> bool:
    if "any" in (a.kind, b.kind) or "none" in (a.kind, b.kind):
        return True
    if a.kind == b.kind:
        return True
    pairs = {frozenset(("date", "datetime")), frozenset(("text", "enum")), frozenset(("text", "matter"))}
    return frozenset((a.kind, b.kind)) in pairs
