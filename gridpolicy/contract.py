"""The host-facing contract: items in, decisions out (pydantic models, JSON-ready).

Keep these stable: host systems in other languages depend on their JSON shape.
"""

from __future__ import annotations

import builtins
import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Item(BaseModel):
    """An incoming item. Fields beyond the envelope are the policy schema's (checked by
    the policy; unknown ones are an error)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: str = Field(description="Caller's id, echoed back in the decision.")
    kind: Literal["issue", "task"] = Field(
        description="issue: a problem found in or reported to a grid; task: work a department "
                    "wants grid staff to do.")
    matter: str | None = Field(default=None, description="Matter code, name or alias.")
    reported_at: dt.datetime | None = Field(
        default=None, description="ISO 8601 with offset; default: now, Asia/Shanghai.")
    grid: str | None = Field(default=None, description="Grid code.")
    grids: list[str] | None = Field(
        default=None, description="Every grid the item touches (codes); a scope field declared "
                                  "`from grids` is computed from them unless the item gives it.")


class Named(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    name: str


class TierRef(Named):
    level: int


class MatterRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    query: str | None = Field(description="What the item said (code, name or alias).")
    code: str | None = Field(description="The listed matter's code, or the catalogue class's id.")
    name: str | None
    list: str | None
    batch: str | None
    status: Literal["in_force", "not_yet_in_force", "exited", "expired", "unlisted", "classified"] = Field(
        description="A listed matter's status; `classified` for a catalogue class; `unlisted` for "
                    "a query that names nothing.")
    resolved: Literal["list", "class"] | None = Field(
        default=None, description="What the query resolved to: a listed matter or a catalogue class.")
    classification: str | None = Field(default=None, description="The catalogue of the class.")
    major: Named | None = Field(default=None, description="The class's major class (大类).")
    type: Literal["event", "component"] | None = Field(
        default=None, description="The class's type: event (事件) or component (部件).")
    suggestions: builtins.list[str] = Field(  # `list` is a field of this model
        default=[], description="For a query that names nothing: the names it probably meant.")


class LeadRef(BaseModel):
    """The one lead (主办, 责任主体唯一)."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["department", "unit", "tier"] = Field(
        description="A department, a concrete unit from the grid registry, or (no unit known) the tier.")
    code: str
    name: str


class UnitRef(BaseModel):
    """A concrete unit from the grid registry: a grid, a community (居委会) or a street (街道办)."""

    model_config = ConfigDict(frozen=True)

    locality: Literal["grid", "community", "street"]
    code: str = Field(description="Grid code; `street/community` codes for a community; the street code.")
    name: str


class Handlers(BaseModel):
    roles: list[Named] = []
    department: Named | None = None
    lead: LeadRef | None = Field(default=None, description="The lead (主办); null only for refusals.")
    assisting: list[Named] = Field(default=[], description="Assisting departments (协办), each once.")
    unit: UnitRef | None = Field(default=None, description="The unit at the decision's tier, from the grid registry.")


Unit = Literal["minutes", "hours", "days", "workdays", "workhours", "urgent_hours", "urgent_days"]
ClockName = Literal["round_the_clock", "calendar_days", "working_days", "office_hours"]


class TimeLimit(BaseModel):
    model_config = ConfigDict(frozen=True)

    amount: float
    unit: Unit
    text_zh: str
    clock: ClockName | None = Field(
        default=None,
        description="What the limit counts: round_the_clock (elapsed time: minutes, hours, urgent_hours, "
                    "urgent_days), calendar_days, working_days, or office_hours (workhours: the office "
                    "hours of working days the calendar declares).")
    office_hours: str = Field(default="", description="For office_hours: the office periods, e.g. "
                                                      "'08:30–12:00、14:30–17:30'.")


class Stage(BaseModel):
    """One named stage of a staged limit (e.g. 围挡 3 urgent_hours → 抢修 8 urgent_hours → 恢复 5
    workdays); each counts from the report."""

    code: str
    name: str
    limit: TimeLimit
    deadline: dt.datetime


class ChannelRef(BaseModel):
    """Where a requester should go instead: an emergency line, a court, the petition channel, a
    market or property service, a department."""

    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    kind: str = Field(description="emergency | court | appeal | petition | market | property | "
                                  "department | hotline | other")
    contact: str = Field(default="", description="Telephone number, address or web site.")


class Referral(BaseModel):
    """Where the requester should go instead, and what to tell them."""

    model_config = ConfigDict(frozen=True)

    channel: ChannelRef
    reason: str = Field(default="", description="What to tell the requester (the rule's `reason`).")
    source: str = Field(default="", description="file:line:column of the rule that refers.")


class Hold(BaseModel):
    """挂账: put on the standing problem register, reviewed at an interval."""

    review: TimeLimit
    next_review: dt.datetime


class GateRef(BaseModel):
    """The admission gate the item (a task) passed through."""

    code: str
    name: str
    passed: bool
    exemption: Named | None = Field(default=None, description="The exemption that admitted the task, if any.")
    until: dt.datetime | None = Field(default=None, description="End of the exemption's period.")


EscalationKind = Literal["transfer", "remind", "supervise", "bulletin", "interview"]


class EscalationStep(BaseModel):
    after: TimeLimit = Field(description="Counted from the deadline.")
    due: dt.datetime
    tier: TierRef | None = None
    department: Named | None = None
    label: str = ""
    kind: EscalationKind = Field(
        default="transfer",
        description="transfer (移交: the target takes the case over) or a notice while the handler keeps "
                    "it: remind (催办), supervise (督办), bulletin (通报), interview (约谈).")


class Reason(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["route", "criterion", "matter", "exit", "list", "calendar", "envelope", "class", "grid", "gate",
                  "exemption", "department"]
    id: str
    text_zh: str
    text_en: str
    source: str = Field(description="file:line:column in the rule files.")


class PolicyRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    version: str
    digest: str
    effective: dt.date | None = Field(
        default=None, description="The date this version is in force from: a release's effective date, else the "
                                  "policy header's `effective`.")
    approved_by: str | None = Field(default=None, description="Who approved the release; null for a working folder.")
    ref: str | None = Field(default=None, description="The approving document (批准文号); null for a working folder.")


class ReleaseRef(BaseModel):
    """One sealed rule release (`gridpolicy release`), as `GET /v1/policy` lists it."""

    model_config = ConfigDict(frozen=True)

    version: str
    effective: dt.date
    approved_by: str
    ref: str
    digest: str = Field(description="SHA-256 over the bundle's files (independent of the gridpolicy version).")
    signed: bool
    file: str = Field(description="The bundle's file name in the releases folder.")


class Decision(BaseModel):
    """What the policy decided for one item, with every reason."""

    item_id: str
    kind: Literal["issue", "task"]
    outcome: Literal["handle", "refuse", "redirect", "hold"] = Field(
        description="handle; refuse (a task that may not go to grids); redirect (not a grid or 12345 "
                    "ticket: `referral` says where to go); hold (挂账: on the standing register, `hold` says "
                    "when it is reviewed).")
    matter: MatterRef
    tier: TierRef | None
    handlers: Handlers
    deadline: dt.datetime | None
    time_limit: TimeLimit | None
    escalation: list[EscalationStep]
    dispatch: str = Field(default="", description="How the deciding route says to dispatch the work (派单说明).")
    reasons: list[Reason]
    policy: PolicyRef
    evaluated_at: dt.datetime = Field(description="The time as of which the rules were applied.")
    scope: TierRef | None = Field(
        default=None, description="The scope the rules saw, when the policy computes it from the grids "
                                  "(a field declared `from grids`): the item's own value, else the computed one.")
    stages: list[Stage] = Field(default=[], description="The staged limit's stages; `deadline` is the last "
                                                        "one's. Empty for a single limit.")
    referral: Referral | None = Field(default=None, description="Where the requester should go instead "
                                                                "(redirects, and refusals that say so).")
    hold: Hold | None = None
    gate: GateRef | None = Field(default=None, description="The admission gate, for items it applies to.")
    calendar_estimated: bool = Field(
        default=False, description="A working-day or office-hour count ran into a year whose holidays "
                                   "neither chinese_calendar nor the policy's calendar block knows (a reason "
                                   "of kind 'calendar' says which).")


class AdmitResult(BaseModel):
    """Whether a proposed matter may be delegated to grids."""

    admitted: bool
    criteria: list[Reason] = Field(description="Exclusion criteria that caught the proposal.")
    similar: list[Named] = Field(default=[], description="Listed matters with the same name or alias.")


class Evaluation(BaseModel):
    formula: Named
    value: float
    grade: Named | None
    grade_table: str | None
    inputs: dict[str, Any]


class ItemErrorDetail(BaseModel):
    path: str
    message_zh: str
    message_en: str


class ItemError(ValueError):
    """An item (or formula data) is invalid. `errors` names each field path that is wrong."""

    def __init__(self, errors: list[ItemErrorDetail]):
        self.errors = errors
        text = "; ".join(f"{e.path}: {e.message_zh} / {e.message_en}" for e in errors)
        super().__init__(f"invalid item: {text}")

    def to_dict(self) -> dict[str, Any]:
        return {"error": "invalid_item", "details": [e.model_dump() for e in self.errors]}
