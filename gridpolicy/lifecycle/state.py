"""The host contract of `Policy.step`: `CaseState` (pydantic, JSON-ready) and its JSON Schema.

Keep these stable: hosts depend on their JSON shape (extend, don't rename).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ..contract import Decision, Named, PolicyRef, TierRef, TimeLimit

Status = Literal["open", "arbitration", "overdue", "held", "merged", "closed", "reopened"]
StageCode = Literal["handle", "arbitration", "followup", "redo"]
M = TypeVar("M", bound=BaseModel)
NoticeKind = Literal["remind", "supervise", "bulletin", "interview", "review"]


class CaseHandler(BaseModel):
    """Who has the case now."""

    lead: Named | None = Field(default=None, description="The lead department (主办), if a department has it.")
    assisting: list[Named] = Field(default=[], description="Assisting departments (协办).")
    roles: list[Named] = Field(default=[], description="Staff roles that handle it.")
    unit: Named | None = Field(default=None, description="The named local unit (which 居委会 / 街道办), if known.")
    tier: TierRef | None = Field(default=None, description="The tier that has the case.")


class CaseStage(BaseModel):
    code: StageCode = Field(description="handle 办理 | arbitration 审定 | followup 回访 | redo 重办")
    name: str
    started_at: dt.datetime
    deadline: dt.datetime | None = Field(description="After extensions; null: no time limit.")
    original_deadline: dt.datetime | None = Field(description="The deadline before any extension.")
    limit: TimeLimit | None
    completed_at: dt.datetime | None = Field(description="When the stage ended (done, decided, merged or held).")
    extensions: int = Field(default=0, description="Approved extensions of this stage.")


class Overdue(BaseModel):
    stage: StageCode
    deadline: dt.datetime
    minutes: int = Field(description="Clock minutes past the deadline.")
    workdays: int = Field(description="Working days past the deadline (whole days, by date).")
    text_zh: str


class Notice(BaseModel):
    """A notice to a supervisor (the handler keeps the case), due by `at` or next."""

    kind: NoticeKind = Field(description="remind 催办 | supervise 督办 | bulletin 通报 | interview 约谈 | review 挂账复核")
    kind_zh: str
    to: Named = Field(description="The department (or tier) the notice goes to.")
    due_at: dt.datetime
    stage: StageCode | None = Field(description="The stage it is about (null for a review of a held case).")
    label: str = ""
    source: str = Field(description="file:line:column of the rule that sets it.")


class Extension(BaseModel):
    event: int = Field(description="Index of the request in `events`.")
    requested_at: dt.datetime
    workdays: int | None
    until: dt.datetime | None
    reason: str
    status: Literal["pending", "approved", "rejected", "refused"] = Field(
        description="refused: the rules did not allow the request (too late, too long, too many).")
    decided_at: dt.datetime | None = None
    by: Named | None = None
    deadline: dt.datetime | None = Field(default=None, description="The deadline the approval set.")


class CaseReturn(BaseModel):
    event: int
    at: dt.datetime
    by: Named
    reason: Named
    accepted: bool = Field(description="false: returned too late, the handler keeps the case.")
    arbiter: Named | None = None
    arbitrated_to: Named | None = None
    arbitrated_at: dt.datetime | None = None


class Hold(BaseModel):
    reason: str
    since: dt.datetime
    review_every: TimeLimit
    reviewer: Named
    next_review: dt.datetime


class CaseEvent(BaseModel):
    """One applied event and what it did (the case's timeline)."""

    model_config = ConfigDict(frozen=True)

    index: int
    type: str
    at: dt.datetime
    text_zh: str
    text_en: str
    source: str = Field(default="", description="file:line:column of the rule that acted, if any.")


class CaseReason(BaseModel):
    model_config = ConfigDict(frozen=True)
    kind: str = Field(description="lifecycle, or a decision reason's kind (route, matter, ...).")
    id: str
    event: int | None = Field(default=None, description="The event it is about; null: the first routing.")
    text_zh: str
    text_en: str
    source: str = Field(description="file:line:column in the rule files.")


class CaseState(BaseModel):
    """Where a case stands as of `at`: the first decision plus every event up to `at`."""

    case_id: str = Field(description="The item's id.")
    status: Status
    at: dt.datetime = Field(description="The time as of which the state holds.")
    lifecycle: Named | None = Field(description="The lifecycle rules that apply; null for a refused task.")
    handler: CaseHandler
    stages: list[CaseStage]
    deadline: dt.datetime | None = Field(description="The deadline of the running stage, if any.")
    overdue: Overdue | None
    notices: list[Notice] = Field(description="Notices due by `at` (already due), oldest first.")
    next_notice: Notice | None = Field(description="The next notice to fall due after `at`, if any.")
    next_events: list[str] = Field(description="Event types the rules allow next.")
    extensions: list[Extension]
    returns: list[CaseReturn]
    redos: int = Field(description="Times the case was reopened.")
    satisfaction: Literal["satisfied", "basically_satisfied", "dissatisfied"] | None
    counted_against_handler: bool = Field(
        description="false when the last follow-up found the dissatisfaction unreasonable (not redone, not counted).")
    merged_into: str | None
    hold: Hold | None
    history: list[CaseEvent] = Field(description="The events applied, with what each did.")
    reasons: list[CaseReason]
    decision: Decision = Field(description="The first routing of the item.")
    policy: PolicyRef
    primary: CaseState | None = Field(
        default=None, description="A merged case follows its primary: the primary case's state as of `at`, when the "
                                  "host sent the primary case with it (`primary` in the case); else null.")


_new = object.__new__
# The slot descriptors of pydantic's BaseModel: setting through them skips object.__setattr__.
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def build(cls: type[M], **fields: Any) -> M:
    """`cls.model_construct(**fields)` without its per-call overhead, for values the engine
    built itself (already valid). `fields` must name every field of `cls`."""
    return make(cls, fields)


def make(cls: type[M], fields: dict[str, Any]) -> M:
    """`build(cls, **fields)`; `fields` becomes the instance's own `__dict__`."""
    m = _new(cls)
    _set_dict(m, fields)
    _set_fields_set(m, set(fields))
    _set_extra(m, None)
    _set_private(m, None)
    return m


def case_state_schema(*, dialect: bool = True) -> dict[str, Any]:
    """The JSON Schema of a case state (pydantic `CaseState`)."""
    s = CaseState.model_json_schema()
    ref = s.pop("$ref", None)  # `primary` is a CaseState: the state itself is the schema's root, "#"
    if ref is not None:
        defs = s.pop("$defs")
        s = _root(defs.pop(ref.rsplit("/", 1)[1]), ref)
        if defs:
            s["$defs"] = _root(defs, ref)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **s} if dialect else s


def _root(node: Any, ref: str) -> Any:
    """`node` with each `{"$ref": ref}` made `{"$ref": "#"}`."""
    if isinstance(node, dict):
        return {k: "#" if k == "$ref" and v == ref else _root(v, ref) for k, v in node.items()}
    if isinstance(node, list):
        return [_root(v, ref) for v in node]
    return node


def case_schema(*, dialect: bool = True) -> dict[str, Any]:
    """The JSON Schema of a case as hosts send it: an item and its events."""
    from .events import COMMON, FIELDS, TYPE_ZH

    field_schemas: dict[str, dict[str, Any]] = {
        "by": {"type": "string", "minLength": 1, "description": "Department id or name."},
        "to": {"type": "string", "minLength": 1, "description": "Department id or name, or a tier code."},
        "reason": {"type": "string", "minLength": 1, "maxLength": 2000},
        "workdays": {"type": "integer", "minimum": 1, "maximum": 500},
        "until": {"type": "string", "format": "date-time"},
        "result": {"type": "string", "enum": ["satisfied", "basically_satisfied", "dissatisfied", "满意", "基本满意", "不满意"]},
        "reasonable": {"type": "boolean", "default": True},
        "into": {"type": "string", "minLength": 1, "description": "The primary case's id."},
    }
    variants = []
    for kind, spec in FIELDS.items():
        props: dict[str, Any] = {
            "type": {"enum": [kind, TYPE_ZH[kind]]},
            "at": {"type": "string", "format": "date-time", "description": "ISO 8601 with an offset."},
            "id": {"type": "string"}, "note": {"type": "string"},
            **{k: field_schemas[k] for k in spec},
        }
        required = ["type", "at", *(k for k, req in spec.items() if req)]
        v: dict[str, Any] = {"title": kind, "type": "object", "properties": props, "required": required,
                             "additionalProperties": False}
        if kind == "extension_requested":
            v["oneOf"] = [{"required": ["workdays"]}, {"required": ["until"]}]
        variants.append(v)
    assert set(COMMON) <= {"type", "at", "id", "note"}
    s: dict[str, Any] = {
        "title": "Case", "type": "object", "additionalProperties": False, "required": ["item"],
        "properties": {
            "item": {"type": "object", "required": ["id", "kind", "reported_at"],
                     "description": "The item as `route` takes it; reported_at is required (the clocks start there)."},
            "events": {"type": "array", "maxItems": 1000, "items": {"oneOf": variants},
                       "description": "In time order."},
            "primary": {"$ref": "#", "description": "For a merged case: the primary case (the case `merged.into` "
                                                    "names), so the state follows its progress."},
        },
    }
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **s} if dialect else s
