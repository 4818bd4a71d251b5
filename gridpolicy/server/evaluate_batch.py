"""`POST /v1/evaluate:batch` (issue 16): a formula per group over records sent in the body —
`{"formula", "records": {INPUT: [record, ...]}, "by"?, "period"? | "from"?/"to"?, "params"?}` —
answered as `gridpolicy evaluate --format json` answers (ranked groups, grades, awards) with a
decision_id, and logged as an `evaluate` decision. A hook of the evaluation package: the
service's own modules are unchanged but for the one call that registers it."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import FastAPI, Request, Response
from starlette.concurrency import run_in_threadpool

from ..contract import ItemError
from ..decisionlog import decide
from .body import json_body, json_object
from .decisions import Record, policy_ref
from .errors import detail, invalid
from .models import ERRORS, MAX_BATCH_BODY
from .state import PolicyHolder

PATH = "/v1/evaluate:batch"
REQUEST_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["formula", "records"], "additionalProperties": False,
    "properties": {
        "formula": {"type": "string", "description": "The formula's id."},
        "records": {"type": "object", "description": "Each records input's records: {INPUT: [{field: value}, ...]}.",
                    "additionalProperties": {"type": "array", "items": {"type": "object"}}},
        "by": {"type": "string", "description": "Group by: a record field, community / street (from grid), month."},
        "period": {"type": "string", "description": "2026, 2026Q1 or 2026-03."},
        "from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"},
        "params": {"type": "object", "additionalProperties": {"type": "number"},
                   "description": "Number inputs (parameters) by id."},
    },
}


def add_evaluate_batch_route(app: FastAPI, holder: PolicyHolder, record: Record) -> None:
    @app.post(PATH, responses=ERRORS, tags=["decisions"], summary="按数据分组评价 a formula per group over records",
              openapi_extra={"requestBody": {"required": True,
                                             "content": {"application/json": {"schema": REQUEST_SCHEMA}}}})
    async def evaluate_batch(request: Request) -> Response:
        body = json_object(await json_body(request, MAX_BATCH_BODY))
        policy = holder.current.policy

        def work() -> bytes:
            try:
                result, d = decide("evaluate", body, lambda: _evaluate(policy, body), policy=policy_ref(policy))
            except ItemError as exc:
                raise invalid(exc) from None
            record([d])
            return orjson.dumps({**result, "decision_id": d.decision_id})

        return Response(await run_in_threadpool(work), media_type="application/json")


def _evaluate(policy: Any, body: dict[str, Any]) -> dict[str, Any]:
    from ..evaluation import date_range, evaluate_groups, parse_period, records_source
    from ..evaluation.report import to_dict

    bad = [detail(k, f"未知字段“{k}”", f"unknown field '{k}'") for k in body if k not in REQUEST_SCHEMA["properties"]]
    formula, records, params = body.get("formula"), body.get("records"), body.get("params") or {}
    if not isinstance(formula, str):
        bad.append(detail("formula", "缺少公式编号 formula", "`formula` (a formula id) is missing"))
    if not isinstance(records, dict) or not records:
        bad.append(detail("records", "records 应为 {输入: [记录, …]}", "`records` must be {INPUT: [record, ...]}"))
    if not isinstance(params, dict) or not all(isinstance(v, int | float) and not isinstance(v, bool)
                                               for v in params.values()):
        bad.append(detail("params", "params 应为 {参数: 数值}", "`params` must be {NAME: number}"))
    for key in ("by", "period", "from", "to"):
        if body.get(key) is not None and not isinstance(body[key], str):
            bad.append(detail(key, f"{key} 应为文字", f"`{key}` must be a string"))
    if body.get("period") and (body.get("from") or body.get("to")):
        bad.append(detail("period", "period 与 from/to 不能同时给出", "give period or from/to, not both"))
    if bad:
        raise ItemError(bad)
    assert isinstance(formula, str) and isinstance(records, dict)
    sources = {name: [records_source(f"records.{name}", rows)] for name, rows in records.items()}
    period = parse_period(body["period"]) if body.get("period") else \
        date_range(body.get("from"), body.get("to")) if (body.get("from") or body.get("to")) else None
    return to_dict(evaluate_groups(policy, formula, sources, by=body.get("by"), period=period,
                                   params={k: float(v) for k, v in params.items()}))
