"""The checked lifecycle model: what a `lifecycle` declaration says, resolved and typed.

One `Lifecycle` is the case rules for the routes it covers: how returns are arbitrated,
how extensions are granted, the ladder of notices on overdue cases, follow-up and redo,
挂账 (holding) and merging duplicates. Immutable and picklable, like the policy model.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Meta
from ..syntax.nodes import Duration, Span

# Event types hosts send, in the order the docs list them.
EVENT_TYPES: tuple[str, ...] = (
    "returned", "arbitrated", "extension_requested", "extension_approved", "extension_rejected",
    "completed", "followup", "reopened", "merged", "held", "resumed",
)
# The rule block (`on NAME { ... }`) that governs each event type.
BLOCK_OF: dict[str, str] = {
    "returned": "returned", "arbitrated": "returned",
    "extension_requested": "extension", "extension_approved": "extension", "extension_rejected": "extension",
    "completed": "completed", "followup": "followup", "reopened": "reopened",
    "merged": "merged", "held": "held", "resumed": "held",
}
# Rule blocks: canonical name -> Chinese name.
BLOCKS: dict[str, str] = {
    "returned": "退回", "extension": "延期", "overdue": "逾期", "completed": "办结", "followup": "回访",
    "reopened": "重办", "held": "挂账", "merged": "合并",
}
# Notice kinds (a notice goes to a supervisor; the handler keeps the case): English -> Chinese.
NOTICE_KINDS: dict[str, str] = {"remind": "催办", "supervise": "督办", "bulletin": "通报", "interview": "约谈"}
FOLLOWUP_RESULTS: dict[str, str] = {"satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意"}
STATUSES: tuple[str, ...] = ("open", "arbitration", "overdue", "held", "merged", "closed", "reopened")


@dataclass(frozen=True, slots=True)
class Target:
    """Whom a rule names: a department, or a tier (with no department)."""

    department: str | None
    tier: str | None

    @property
    def code(self) -> str:
        return self.department or self.tier or ""


@dataclass(frozen=True, slots=True)
class NoticeStep:
    """One rung of a ladder: a notice of `kind` to `to`, `after` the deadline (overdue ladder)
    or at the `count`-th failed redo (redo ladder)."""

    kind: str  # remind | supervise | bulletin | interview
    after: Duration | None
    count: int | None
    to: Target
    label: str
    span: Span


@dataclass(frozen=True, slots=True)
class ReturnRule:
    reasons: tuple[tuple[str, str], ...]  # (code, label) of the reasons a return may give
    within: Duration | None  # a return later than this after dispatch is not accepted
    arbiter: Target
    limit: Duration | None  # the arbiter decides within this
    clock: str  # continue: the original deadline stands | restart: a new limit from arbitration
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class ExtensionRule:
    approver: Target
    max: Duration  # longest extension one approval may grant
    times: int  # approved extensions allowed per case
    before: Duration | None  # must be requested at least this long before the deadline
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class OverdueRule:
    ladder: tuple[NoticeStep, ...]  # by `after`, increasing
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class CompletedRule:
    followup: Duration | None  # the follow-up visit is due this long after completion; None: none
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class FollowupRule:
    redo: tuple[str, ...]  # results that reopen the case when the dissatisfaction is reasonable
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class ReopenRule:
    by: str  # same: the unit at fault redoes it | above: the tier above the handler does
    limit: Duration | None  # the redo's time limit; None: the original route's limit
    ladder: tuple[NoticeStep, ...]  # by `count`, increasing
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class HoldRule:
    review: Duration  # the held case is reviewed at this interval
    reviewer: Target
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class MergeRule:
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class Lifecycle:
    id: str
    name: str
    routes: tuple[str, ...]  # route ids it covers; () covers every route no other names
    returned: ReturnRule | None
    extension: ExtensionRule | None
    overdue: OverdueRule | None
    completed: CompletedRule | None
    followup: FollowupRule | None
    reopened: ReopenRule | None
    held: HoldRule | None
    merged: MergeRule | None
    meta: Meta
    span: Span

    def rule(self, block: str) -> object | None:
        """The rule block `block` (a key of BLOCKS), or None if the lifecycle has none."""
        return getattr(self, block)


def _plain(value: object) -> object:
    """A rule block as comparable JSON-like values: spans and notes left out, durations as text."""
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, Target):
        return value.code
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {k: _plain(getattr(value, k)) for k in value.__dataclass_fields__ if k not in ("meta", "span")}
    return value


def signature(lc: Lifecycle) -> dict[str, object]:
    """What `gridpolicy diff` compares of a lifecycle: the routes it covers and each rule block."""
    return {"routes": list(lc.routes), **{block: _plain(lc.rule(block)) for block in BLOCKS}}
