"""What every page builder reads: the policy, the page date, and names for ids.

A `Context` is built once per site. Its lookups turn the ids a rule file uses (tiers, roles,
departments, fields, enum codes) into the names people read; `src` links a declaration to
its line on the published rule file.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from ..model import Matter, PolicyModel
from ..runtime import Policy
from ..syntax.nodes import Span, Symbol
from .markdown import cell

STATUS = {
    "in_force": ("✅ 有效", "in force"),
    "not_yet_in_force": ("🕒 尚未生效", "not yet in force"),
    "exited": ("⛔ 已退出", "exited"),
    "expired": ("⌛ 临时准入已到期", "temporary admission expired"),
}
ENVELOPE_NAMES = {"kind": "类型（问题/任务）", "matter": "事项", "grid": "网格", "reported_at": "上报时间",
                  "id": "编号"}
KIND_NAMES = {"issue": "问题", "task": "下派任务"}


def display_name(file: str) -> str:
    """A rule file's name as the pages show it: relative to the working folder when it is
    below it (so `load("/abs/rules")` and `load("rules")` publish the same pages)."""
    path = Path(file)
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
    return file


def source_page(file: str) -> str:
    """The page (relative to the rules folder) that shows one rule file with line anchors."""
    return "source/" + re.sub(r"[^\w.-]+", "_", display_name(file)).strip("_") + ".md"


class Context:
    """One policy's pages share this: the model, the page date, the registry and name lookups."""

    def __init__(self, policy: Policy, as_of: dt.date, *, registry: Any = None, registry_note: str = "",
                 changes: str | None = None, changes_from: str = "", sources: Any = None,
                 history: str | None = None, releases: Any = (), evaluations: Any = None) -> None:
        self.policy = policy
        self.evaluations = evaluations  # {formula id: Charted} from `docs --evaluation`; None: not given
        self.releases = list(releases)  # sealed release bundles, for the release history page
        self._release_policies: dict[str, Policy] = {}
        self.m: PolicyModel = policy.model
        self.as_of = as_of
        self.registry = list(registry or [])
        self.registry_note = registry_note
        self.changes = changes
        self.changes_from = changes_from
        self.history = history  # the change log from the rule folder's git history (Markdown)
        self.sources = sources
        self.unresolved: list[str] = []  # citations with no section in the sources file
        m = self.m
        self.tiers = {t.id: t for t in m.tiers}
        self.roles = {r.id: r for r in m.roles}
        self.departments = {d.id: d for d in m.departments}
        self.fields = {f.id: f for f in m.fields}
        self.lists = {lst.id: lst for lst in m.lists}
        self.batches = {b.id: b for lst in m.lists for b in lst.batches}
        self.matters = {mt.code: mt for mt in m.matters}
        self.grades = {g.id: g for g in m.grades}
        self.enum_labels = {code: label for f in m.fields for code, label in f.values}
        self.exit_of = {e.matter: e for e in m.exits}

    def release_policy(self, bundle: Any) -> Policy:
        """The Policy of one release bundle (loaded once per site)."""
        from ..release import load_bundle_policy

        if bundle.digest not in self._release_policies:
            self._release_policies[bundle.digest] = load_bundle_policy(bundle)
        return self._release_policies[bundle.digest]

    # ---- links -------------------------------------------------------------------------------

    def src(self, span: Span, depth: int = 0) -> str:
        """A link to `file:line` on the rendered rule file."""
        name = display_name(span.file)
        if span.file not in self.m.sources:
            return f"`{name}:{span.line}`"
        up = "../" * depth
        return f"[`{name}:{span.line}`]({up}{source_page(span.file)}#__codelineno-0-{span.line})"

    # ---- names -------------------------------------------------------------------------------

    def tier_name(self, tid: str | None) -> str:
        if tid is None:
            return "—"
        if tid == "above":
            return "上一级 above"
        t = self.tiers.get(tid)
        return t.name if t else tid

    def role_name(self, rid: str) -> str:
        if rid == "matter":
            return "事项的承办角色 the matter's handlers"
        r = self.roles.get(rid)
        return r.name if r else rid

    def dept_name(self, did: str | None) -> str:
        if not did:
            return "—"
        d = self.departments.get(did)
        return d.name if d else did

    def symbol_label(self, s: Symbol) -> str:
        v = s.value
        tables: dict[str, dict[str, Any]] = {"tier": self.tiers, "department": self.departments,
                                             "role": self.roles, "list": self.lists, "batch": self.batches,
                                             "matter": self.matters}
        if s.kind in tables and v in tables[s.kind]:
            return str(tables[s.kind][v].name)
        if s.kind == "status" and v in STATUS:
            return STATUS[v][0].split(" ", 1)[1]
        if s.kind == "kind":
            return KIND_NAMES.get(v, v)
        if v in self.enum_labels:
            return self.enum_labels[v]
        if v in STATUS:
            return STATUS[v][0].split(" ", 1)[1]
        return KIND_NAMES.get(v, v)

    def name_label(self, name: str) -> str:
        f = self.fields.get(name)
        return f.name if f else ENVELOPE_NAMES.get(name, name)

    def value(self, v: Any) -> str:
        """A trait or default value by its names (enum labels, tiers, departments)."""
        if isinstance(v, frozenset | set | tuple | list):
            return "、".join(self.enum_labels.get(x, str(x)) for x in sorted(v)) or "（无）"
        if isinstance(v, bool):
            return "是" if v else "否"
        if isinstance(v, str):
            return self.enum_labels.get(v) or (self.tiers[v].name if v in self.tiers else
                                               self.dept_name(v) if v in self.departments else v)
        return str(v)

    # ---- statuses ----------------------------------------------------------------------------

    def status(self, mt: Matter) -> str:
        """The matter's status key as of the page date; 'listed' for a matter on a list that is
        not an admission list (e.g. a negative list), which is never 'in force' for grids."""
        status = self.policy.matter_status(mt, self.as_of)
        if status == "in_force" and not self.lists[mt.list].admission:
            return "listed"
        return status

    def status_text(self, mt: Matter, english: bool = False) -> str:
        status = self.status(mt)
        if status == "listed":
            return "📋 在列 listed" if english else "📋 在列"
        zh, en = STATUS[status]
        return f"{zh} {en}" if english else zh

    def meta_lines(self, meta: Any, depth: int = 0) -> list[str]:
        """A declaration's note, source and assumptions, escaped, citations linked."""
        lines = []
        if meta.note:
            lines += [f"说明 Note：{self.cite(meta.note, depth)}", ""]
        if meta.source:
            lines += [f"出处 Source：{self.cite(meta.source, depth)}", ""]
        for a in meta.assumptions:
            lines += ['!!! warning "假设 Assumption"', f"    {self.cite(a, depth)}", ""]
        return lines

    def cite(self, value: str, depth: int = 0) -> str:
        """Rule text escaped for a page `depth` folders below the rules folder, each citation
        (`practice.md §2.6`) linked to its section of the sources page."""
        escaped = cell(value)
        if self.sources is None:
            return escaped
        return self.sources.link_citations(escaped, "../" * depth + "sources.md", self.unresolved.append)
