"""The decision endpoints: `/v1/route`, `/v1/route:batch`, `/v1/admit`, `/v1/evaluate`, `/v1/case`.

Each reads its body itself (so malformed JSON, a wrong body type and every invalid field get the
same bilingual 422 as the Python API's `ItemError`), grabs the serving policy once, decides in a
worker thread, encodes the answer, and only then logs the decision (`Record`): nothing that
could not be answered is logged, and nothing is answered before it is logged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from fastapi import FastAPI, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from ..contract import ItemError, PolicyRef
from ..decisionlog import Decided, LoggedDecision, decide
from .body import guarded, json_body, json_object, parse_at
from .errors import ApiError, detail, invalid
from .models import (
    ERRORS,
    MAX_BATCH,
    MAX_BATCH_BODY,
    MAX_BODY,
    AdmitRequest,
    BatchError,
    BatchRequest,
    BatchResponse,
    EvaluateRequest,
    LoggedAdmitResult,
    LoggedCaseState,
    LoggedEvaluation,
    body_of,
)
from .state import PolicyHolder
from .text import lone_surrogate

# Logs answered decisions durably (raises ApiError 503 when the log cannot be written).
Record = Callable[[list[Decided]], None]


def logged_json(d: Decided) -> bytes:
    """`LoggedDecision(**dict(decision), decision_id=...).model_dump_json()`, encoded: the
    decision's JSON (the fast encoder's, kept in `d` for the log) with the id as the last
    field, as the model orders it."""
    return d.output_json()[:-1] + b',"decision_id":' + orjson.dumps(d.decision_id) + b"}"


def policy_ref(policy: Any) -> PolicyRef:
    return PolicyRef(name=policy.header.name, version=policy.header.version, digest=policy.digest)


def add_decision_routes(app: FastAPI, holder: PolicyHolder, record: Record) -> None:
    """Register the decision endpoints on `app`, deciding with `holder`'s policy."""

    @app.post("/v1/route", response_model=LoggedDecision, responses=ERRORS, openapi_extra=body_of("Item"),
              summary="分流一个事项 route one item", tags=["decisions"])
    async def route(request: Request,
                    at: str | None = Query(None, description="Decide as of this time (ISO 8601 with offset); "
                                                             "default: the item's reported_at.")) -> Response:
        item = json_object(await json_body(request, MAX_BODY))
        when = parse_at(at)
        policy = holder.current.policy  # grabbed once: this request sees one version

        def work() -> tuple[bytes, str]:
            decision, d = decide("route", item, lambda: guarded(lambda: policy.route(item, when)), at=when)
            body = logged_json(d)  # the answer exists before it is logged
            record([d])
            return body, d.decision_id

        body, did = await run_in_threadpool(work)
        return Response(body, media_type="application/json", headers={"X-Decision-Id": did})

    @app.post("/v1/route:batch", response_model=BatchResponse, responses=ERRORS, openapi_extra=body_of(BatchRequest),
              summary="批量分流 route many items", tags=["decisions"])
    async def route_batch(request: Request, at: str | None = Query(None, description="As for /v1/route.")
                          ) -> Response:
        body = json_object(await json_body(request, MAX_BATCH_BODY, batch_key="items"))
        items = body.get("items")
        if not isinstance(items, list):
            raise ApiError(422, "invalid_item", "items 应为事项数组", "`items` must be an array of items",
                           [detail("items", "应为数组", "must be an array")])
        if len(items) > MAX_BATCH:
            raise ApiError(422, "invalid_item", f"一次最多 {MAX_BATCH} 个事项", f"at most {MAX_BATCH} items per batch",
                           [detail("items", f"超过 {MAX_BATCH} 个", f"more than {MAX_BATCH} items")])
        when = parse_at(at)
        policy = holder.current.policy

        def work() -> bytes:
            results: list[Decided | BatchError] = []
            for n, item in enumerate(items):
                try:
                    bad = lone_surrogate(item)
                    if bad is not None:
                        raise ItemError([detail(bad, "含有不成对的代理字符，不是合法的 Unicode 文本",
                                                 "holds a lone surrogate: not valid Unicode text")])
                    _, d = decide("route", item, lambda item=item: guarded(  # type: ignore[misc]
                        lambda: policy.route(item, when)), at=when)
                except ItemError as exc:
                    item_id = item.get("id") if isinstance(item, dict) else None
                    results.append(BatchError(index=n, item_id=item_id if isinstance(item_id, str) else None,
                                              details=[d.model_copy(update={"path": f"items[{n}]" + (
                                                  f".{d.path}" if d.path else "")}) for d in exc.errors]))
                    continue
                results.append(d)
            errors = sum(isinstance(r, BatchError) for r in results)
            # BatchResponse's JSON, written from the parts' own (as `BatchResponse.model_dump_json`),
            # before anything is logged
            answer = b"".join((b'{"results":[', b",".join(
                r.model_dump_json().encode() if isinstance(r, BatchError) else logged_json(r)
                for r in results), b'],"errors":', str(errors).encode(), b"}"))
            record([r for r in results if isinstance(r, Decided)])
            return answer

        return Response(await run_in_threadpool(work), media_type="application/json")

    @app.post("/v1/admit", response_model=LoggedAdmitResult, responses=ERRORS, openapi_extra=body_of(AdmitRequest),
              summary="准入审查：拟下放事项是否触及排除标准 check a proposed matter", tags=["decisions"])
    async def admit(request: Request) -> Response:
        proposal = json_object(await json_body(request, MAX_BODY))
        bad = [detail(k, f"{k} 应为文字" + ("（拟下放事项的名称）" if k == "name" else ""),
                       f"`{k}` must be a string" + (" (the proposed matter's name)" if k == "name" else ""))
               for k in ("name", "code", "note")
               if not isinstance(proposal.get(k), str) and (k == "name" or proposal.get(k) is not None)]
        if bad:
            raise invalid(ItemError(bad))
        policy = holder.current.policy

        def work() -> bytes:
            result, d = decide("admit", proposal, lambda: guarded(lambda: policy.admit(proposal)),
                               policy=policy_ref(policy))
            answer = LoggedAdmitResult(**dict(result), decision_id=d.decision_id).model_dump_json().encode()
            record([d])
            return answer

        return Response(await run_in_threadpool(work), media_type="application/json")

    @app.post("/v1/evaluate", response_model=LoggedEvaluation, responses=ERRORS,
              openapi_extra=body_of(EvaluateRequest), summary="计算评价公式 evaluate a formula", tags=["decisions"])
    async def evaluate(request: Request) -> Response:
        body = json_object(await json_body(request, MAX_BODY))
        formula, data = body.get("formula"), body.get("data")
        bad = []
        if not isinstance(formula, str):
            bad.append(detail("formula", "缺少公式编号 formula", "`formula` (a formula id) is missing"))
        if not isinstance(data, dict):
            bad.append(detail("data", "data 应为公式输入的 JSON 对象", "`data` must be an object of the formula's inputs"))
        if bad:
            raise invalid(ItemError(bad))
        assert isinstance(formula, str) and isinstance(data, dict)
        policy = holder.current.policy

        def work() -> bytes:
            result, d = decide("evaluate", body, lambda: guarded(lambda: policy.evaluate(formula, data), "data"),
                               policy=policy_ref(policy))
            answer = LoggedEvaluation(**dict(result), decision_id=d.decision_id).model_dump_json().encode()
            record([d])
            return answer

        return Response(await run_in_threadpool(work), media_type="application/json")

    @app.post("/v1/case", response_model=LoggedCaseState, responses=ERRORS, openapi_extra=body_of("Case"),
              summary="案件全程跟踪：案件当前状态 where a case stands after its events", tags=["decisions"])
    async def case(request: Request,
                   at: str | None = Query(None, description="The state as of this time (ISO 8601 with offset); "
                                                            "default: the case's last event.")) -> Response:
        body = json_object(await json_body(request, MAX_BODY))
        when = parse_at(at)
        policy = holder.current.policy

        def work() -> tuple[bytes, str]:
            state, d = decide("case_state", body, lambda: guarded(lambda: policy.step(body, when)), at=when)
            answer = LoggedCaseState(**dict(state), decision_id=d.decision_id).model_dump_json().encode()
            record([d])
            return answer, d.decision_id

        answer, did = await run_in_threadpool(work)
        return Response(answer, media_type="application/json", headers={"X-Decision-Id": did})

    # ---- the policy ----
