"""The service's wire models: the schemas of the OpenAPI document, and the request-body and
error-response snippets the endpoints declare (bodies are read by hand, see `body`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..contract import AdmitResult, Evaluation, Item, ItemErrorDetail, ReleaseRef
from ..decisionlog import LoggedDecision
from ..lifecycle import CaseState

MAX_BODY = 1 << 20  # one item, a proposal, formula data
MAX_BATCH_BODY = 16 << 20
MAX_BATCH = 1000


class ErrorResponse(BaseModel):
    """An error. `details` names each bad field (`path`) with a Chinese and an English message."""

    error: str = Field(description="invalid_item | invalid_json | too_large | log_unavailable | unauthorized | "
                                   "reload_disabled | reload_failed | not_found | internal | host_not_allowed | "
                                   "origin_not_allowed | unsupported_media_type | timeout | too_many_connections")
    message_zh: str
    message_en: str
    details: list[ItemErrorDetail] = []
    error_id: str | None = Field(default=None, description="internal errors: the id the server logged the error "
                                                           "under, with its traceback")


class BatchRequest(BaseModel):
    items: list[Item] = Field(max_length=MAX_BATCH, description=f"At most {MAX_BATCH} items.")


class BatchError(BaseModel):
    """An item of a batch that was invalid; the other items are still decided."""

    index: int
    item_id: str | None
    error: str = "invalid_item"
    details: list[ItemErrorDetail]


class BatchResponse(BaseModel):
    results: list[LoggedDecision | BatchError] = Field(description="One entry per item, in order.")
    errors: int = Field(description="How many items were invalid.")


class AdmitRequest(BaseModel):
    """A proposed matter: its name (and code) and values for the policy's fields."""

    model_config = ConfigDict(extra="allow")
    name: str = Field(max_length=200)
    code: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=10_000)


class LoggedAdmitResult(AdmitResult):
    decision_id: str


class EvaluateRequest(BaseModel):
    formula: str = Field(max_length=200, description="Formula id.")
    data: dict[str, Any] = Field(description="The formula's inputs.")


class LoggedEvaluation(Evaluation):
    decision_id: str


class LoggedCaseState(CaseState):
    decision_id: str


class ReloadErrorInfo(BaseModel):
    at: dt.datetime
    diagnostics: list[dict[str, str]]


class PolicyInfo(BaseModel):
    id: str
    name: str
    version: str
    digest: str
    loaded_at: dt.datetime
    generation: int = Field(description="0 at start, +1 on each reload that changed the rules.")
    path: str
    files: list[str]
    warnings: int
    last_reload_error: ReloadErrorInfo | None = Field(
        description="The last reload that failed (the previous policy kept serving); null once a reload succeeds.")
    watcher: WatcherInfo | None = Field(default=None, description="The rule folder's watcher.")
    releases: list[ReleaseRef] | None = Field(
        default=None, description="Serving a releases folder: every release, oldest first; null for a rule folder.")
    in_force: str | None = Field(default=None, description="The version of the release in force now (releases only).")


class ReloadResult(BaseModel):
    changed: bool
    policy: PolicyInfo


class WatcherInfo(BaseModel):
    """The rule folder's watcher: reloads on edits to the rules and the grid registry."""

    state: str = Field(description="watching | off | restarting (the watcher failed and is being started again)")
    path: str = Field(description="The folder watched, relative to where the rules are (its name).")
    restarts: int = Field(description="How often the watcher had to be started again.")
    last_change: dt.datetime | None = Field(description="When the watcher last saw a change.")
    error: str | None = Field(description="Why the watcher last failed, if it did.")


class Health(BaseModel):
    status: str = Field(description="ok | degraded (decisions made, something needs attention) | "
                                    "unavailable (decisions refused; HTTP 503)")
    digest: str
    log: str = Field(default="off", description="ok | unavailable (the last write failed) | off (no log)")
    watcher: str = Field(default="off", description="watching | restarting | off")
    problems: list[str] = Field(default=[], description="What is wrong, in Chinese and English.")


def body_of(model: type[BaseModel] | str) -> dict[str, Any]:
    """`openapi_extra` declaring a JSON request body of the schema `model` (a model or a schema name)."""
    name = model if isinstance(model, str) else model.__name__
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{name}"}}}}}


ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorResponse, "description": "请求体过大 body too large"},
    422: {"model": ErrorResponse, "description": "输入无效 invalid input (field path, Chinese and English message)"},
    503: {"model": ErrorResponse, "description": "决定日志不可写，未作决定 decision log unavailable; nothing decided"},
}

__all__ = ["ERRORS", "MAX_BATCH", "MAX_BATCH_BODY", "MAX_BODY", "AdmitRequest", "BatchError", "BatchRequest",
           "BatchResponse", "ErrorResponse", "EvaluateRequest", "Health", "LoggedAdmitResult", "LoggedCaseState",
           "LoggedDecision", "LoggedEvaluation", "PolicyInfo", "ReloadErrorInfo", "ReloadResult", "WatcherInfo",
           "body_of"]
