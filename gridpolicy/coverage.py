"""Rule-test coverage: which routes, exclusion criteria, matters, catalogue classes, exits,
referral channels, gate exemptions and grade bands the rule tests exercise (from
`ruletest.CaseResult.touched`), and which they leave untested. A class counts when a case's item
resolves to it; a referral channel when a decision sends the requester there (a redirect, or a
refusal by a route or the gate); an exemption when it admits a case's task.

A matter counts as exercised when a case decides an item about it (in any status: the
reason of an exited matter names its exit, which counts for both). A band counts when a
case's evaluation lands in it; only grades some formula uses are counted, since no test
can reach the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .ruletest import CaseResult
from .runtime import Policy
from .syntax.nodes import Span

KINDS: tuple[tuple[str, str, str], ...] = (
    ("route", "分流规则", "routes"),
    ("criterion", "排除标准", "criteria"),
    ("matter", "事项", "matters"),
    ("class", "分类小类", "catalogue classes"),
    ("exit", "退出", "exits"),
    ("referral", "转介渠道", "referral channels"),
    ("exemption", "准入豁免", "gate exemptions"),
    ("band", "等级档次", "grade bands"),
    ("lifecycle", "督办规则块", "lifecycle blocks"),
)


@dataclass(frozen=True, slots=True)
class Target:
    kind: str
    id: str
    name: str
    span: Span


@dataclass
class Coverage:
    targets: list[Target]
    covered: set[tuple[str, str]] = field(default_factory=set)

    def of(self, kind: str) -> tuple[int, int]:
        """(covered, total) for one kind."""
        ts = [t for t in self.targets if t.kind == kind]
        return sum(1 for t in ts if (t.kind, t.id) in self.covered), len(ts)

    @property
    def total(self) -> tuple[int, int]:
        return sum(1 for t in self.targets if (t.kind, t.id) in self.covered), len(self.targets)

    @property
    def percent(self) -> float:
        done, total = self.total
        return 100.0 if total == 0 else 100.0 * done / total

    def missed(self) -> list[Target]:
        return [t for t in self.targets if (t.kind, t.id) not in self.covered]

    def summary(self) -> str:
        parts = []
        for kind, zh, en in KINDS:
            done, total = self.of(kind)
            if total:
                parts.append(f"{zh} {en} {done}/{total} ({_pct(done, total)})")
        done, total = self.total
        return f"覆盖率 coverage: {'; '.join(parts)}; 总计 total {done}/{total} ({_pct(done, total)})"

    def report(self) -> str:
        """The untested parts, one a line, grouped by kind, then the summary line."""
        lines = []
        for kind, zh, en in KINDS:
            miss = [t for t in self.missed() if t.kind == kind]
            if miss:
                lines.append(f"未测试的{zh} untested {en}:")
                lines += [f"  {t.span}  {t.id}  {t.name}" for t in miss]
        lines.append(self.summary())
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        done, total = self.total
        return {
            "covered": done, "total": total, "percent": round(self.percent, 2),
            "kinds": {en: {"covered": self.of(k)[0], "total": self.of(k)[1]} for k, _, en in KINDS},
            "untested": [{"kind": t.kind, "id": t.id, "name": t.name, "file": t.span.file,
                          "line": t.span.line} for t in self.missed()],
        }


def targets(policy: Policy) -> list[Target]:
    """Everything a complete test suite should exercise, in source order within each kind."""
    m = policy.model
    out = [Target("route", r.id, r.name, r.span) for r in m.routes]
    out += [Target("criterion", c.id, c.name, c.span) for c in m.criteria]
    out += [Target("matter", x.code, x.name, x.span) for x in m.matters]
    out += [Target("class", c.id, c.name, c.span) for c in m.classes]
    out += [Target("exit", e.id, e.name, e.span) for e in m.exits]
    out += [Target("referral", r.id, r.name, r.span) for r in m.referrals]
    out += [Target("exemption", x.id, x.name, x.span) for g in m.gates for x in g.exemptions]
    used = {f.grade for f in m.formulas if f.grade}
    out += [Target("band", f"{g.id}.{b.id}", f"{g.name} {b.label}", g.span)
            for g in m.grades if g.id in used for b in g.bands]
    from .lifecycle.ruletest import targets as lifecycle_targets

    out += [Target("lifecycle", ident, name, span) for ident, name, span in lifecycle_targets(policy)]
    return out


def compute(policy: Policy, results: Iterable[CaseResult]) -> Coverage:
    """Coverage of `policy` by the cases' touched (kind, id) pairs."""
    exit_matter = {e.id: e.matter for e in policy.model.exits}
    cov = Coverage(targets(policy))
    for r in results:
        for kind, ident in r.touched:
            cov.covered.add((kind, ident))
            if kind == "exit" and ident in exit_matter:
                cov.covered.add(("matter", exit_matter[ident]))
    return cov


def _pct(done: int, total: int) -> str:
    return "100%" if total == 0 else f"{100.0 * done / total:.1f}%"
