"""The HTTP decision service (FastAPI). `create_app(path)` gives the ASGI app.

Every endpoint reads the body itself (so malformed JSON, a wrong body type and every invalid field
get the same bilingual 422 as the Python API's `ItemError`), grabs the serving policy once, runs the
decision in a worker thread and writes the decision log before it answers.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
import os
import time
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, TypeVar

import orjson
from fastapi import FastAPI, Header, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..contract import AdmitResult, Decision, Evaluation, Item, ItemError, ItemErrorDetail, ReleaseRef
from ..decisionlog import DecisionLog, LoggedDecision, new_decision_id
from ..encoder import encode_decision_bytes
from ..lifecycle import CaseError, CaseState, case_schema
from ..pii import DEFAULT_FIELDS, Masker, load_key
from ..release import ReleaseSet
from ..schema import item_schema
from ..version import __version__
from .guard import BodyError, Guard, GuardConfig
from .state import PolicyHolder
from .text import lone_surrogate

log = logging.getLogger("gridpolicy.server")

MAX_BODY = 1 << 20  # one item, a proposal, formula data
MAX_BATCH_BODY = 16 << 20
MAX_BATCH = 1000
RELOAD_TOKEN_ENV = "GRIDPOLICY_RELOAD_TOKEN"

T = TypeVar("T")


# ---- wire models (the OpenAPI document's schemas) --------------------------------------------

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


# ---- errors -----------------------------------------------------------------------------------

class ApiError(Exception):
    def __init__(self, status: int, error: str, zh: str, en: str, details: list[ItemErrorDetail] | None = None):
        self.status, self.body = status, ErrorResponse(error=error, message_zh=zh, message_en=en,
                                                       details=details or [])


def _logged_json(decision: Decision, decision_id: str) -> bytes:
    """`LoggedDecision(**dict(decision), decision_id=decision_id).model_dump_json()`, encoded:
    the decision's JSON (the fast encoder's) with the id as the last field, as the model orders it."""
    return encode_decision_bytes(decision)[:-1] + b',"decision_id":' + orjson.dumps(decision_id) + b"}"


def _detail(path: str, zh: str, en: str) -> ItemErrorDetail:
    return ItemErrorDetail(path=path, message_zh=zh, message_en=en)


def _invalid(exc: ItemError) -> ApiError:
    first, more = exc.errors[0], len(exc.errors) - 1
    where = first.path or "请求体"
    return ApiError(422, "invalid_case" if isinstance(exc, CaseError) else "invalid_item",
                    f"输入无效：{where} — {first.message_zh}" + (f"（另有 {more} 处）" if more else ""),
                    f"invalid input: {first.path or 'body'} — {first.message_en}" + (f" (+{more} more)" if more else ""),
                    exc.errors)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


async def _json_body(request: Request, limit: int, batch_key: str | None = None) -> Any:
    """The body's JSON. Lone surrogates are refused here (422 naming the field), except under
    `batch_key`, whose items the endpoint checks one by one."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "too_large", f"请求体过大（上限 {limit} 字节）", f"request body too large (limit {limit} bytes)")
    body = await request.body()
    if len(body) > limit:
        raise ApiError(413, "too_large", f"请求体过大（上限 {limit} 字节）", f"request body too large (limit {limit} bytes)")
    if not body.strip():
        raise ApiError(422, "invalid_json", "请求体为空，应为 JSON", "the request body is empty; JSON expected",
                       [_detail("", "缺少请求体", "missing body")])
    try:
        value = json.loads(body, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ApiError(422, "invalid_json", f"请求体不是合法的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）",
                       f"the request body is not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg})",
                       [_detail("", "JSON 格式错误", "malformed JSON")]) from None
    except (ValueError, RecursionError) as exc:  # bad UTF-8, NaN/Infinity, absurd nesting
        raise ApiError(422, "invalid_json", "请求体不是合法的 JSON", f"the request body is not valid JSON: {exc}",
                       [_detail("", "JSON 格式错误", "malformed JSON")]) from None
    if batch_key is None and b"\\u" in body:  # only a \u escape can make a lone surrogate
        where = lone_surrogate(value)
        if where is not None:
            raise _surrogate(where)
    return value


def _surrogate(where: str) -> ApiError:
    return _invalid(ItemError([_detail(where, "含有不成对的代理字符（如 \\ud800），不是合法的 Unicode 文本",
                                       "holds a lone surrogate (such as \\ud800): not valid Unicode text")]))


def _object(value: Any, path: str = "") -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ApiError(422, "invalid_item", "请求体应为 JSON 对象", "the request body must be a JSON object",
                       [_detail(path, "应为 JSON 对象", "must be a JSON object")])
    return value


def _parse_at(at: str | None) -> dt.datetime | None:
    if at is None:
        return None
    try:
        value = dt.datetime.fromisoformat(at.replace("Z", "+00:00")) if len(at) <= 40 else None
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise ApiError(422, "invalid_item", "参数 at 应为带时区的 ISO 8601 时间", "`at` must be ISO 8601 with an offset",
                       [_detail("at", "应为带时区的时间，如 2026-03-02T09:30:00+08:00",
                                "must be ISO 8601 with an offset, e.g. 2026-03-02T09:30:00+08:00")])
    return value


def _guard(fn: Callable[[], T], path: str = "") -> T:
    """Run a decision. The runtime raises `ItemError` for input it refuses (422); an input the
    rules' arithmetic cannot hold (a deadline past the last representable date) is the caller's
    error too. Anything else is a bug in the server or the runtime: it propagates to the 500
    handler, which logs it with its traceback under an error id."""
    try:
        return fn()
    except ItemError:
        raise
    except OverflowError as exc:
        log.warning("input the rules could not compute with (answered 422): %r", exc)
        raise ItemError([_detail(path, f"无法按规则处理该输入：{exc}", f"the rules cannot process this input: {exc}")]
                        ) from exc


_ITEM_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/Item"}}}}}


_CASE_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/Case"}}}}}


def _body(model: type[BaseModel]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}}}


_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorResponse, "description": "请求体过大 body too large"},
    422: {"model": ErrorResponse, "description": "输入无效 invalid input (field path, Chinese and English message)"},
    503: {"model": ErrorResponse, "description": "决定日志不可写，未作决定 decision log unavailable; nothing decided"},
}


# ---- the app ----------------------------------------------------------------------------------

def create_app(path: str | os.PathLike[str], *, log_path: str | os.PathLike[str] | None = None,
               watch: bool = True, bind_host: str = "127.0.0.1", allowed_hosts: tuple[str, ...] = (),
               cors_origins: tuple[str, ...] = (), body_timeout: float = 30.0, masking: bool = True,
               mask_fields: tuple[str, ...] = (), access_log: bool = True, run_tests: bool = True) -> FastAPI:
    """The decision service for the rules at `path`. Raises `PolicyError` if they do not load.

    `bind_host` and `allowed_hosts` decide which `Host` headers are served; `cors_origins`
    turns CORS on for those origins (off by default); `masking` and `mask_fields` control the
    decision log's personal-data masking (`gridpolicy.pii`); `run_tests` runs the rule tests
    beside the rules before a reload goes live (see `PolicyHolder`)."""
    holder = PolicyHolder(Path(path), run_tests=run_tests)
    dlog = None
    if log_path:
        key = load_key(Path(log_path)) if masking else None
        masker: Masker | bool = Masker(key, fields=DEFAULT_FIELDS | frozenset(mask_fields)) if key is not None else False
        dlog = DecisionLog(log_path, masking=masker)

    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if watch:
            holder.watch()
        try:
            yield
        finally:
            holder.stop()
            if dlog is not None:
                dlog.close()

    from fastapi_offline import FastAPIOffline  # Swagger UI and ReDoc served from the package, no CDN

    app = FastAPIOffline(title="gridpolicy 网格治理规则决定服务", version=__version__, lifespan=lifespan,
                         description="事项分流、准入审查与评价公式的决定服务；每个决定带 decision_id 并写入决定日志。\n\n"
                                     "Decision service for grid-governance rules: route items, check proposed matters, "
                                     "evaluate formulas. Every decision carries a decision_id and is logged.")
    app.state.holder = holder
    app.state.log = dlog
    if cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["content-type", "authorization"], expose_headers=["x-decision-id"])
    app.add_middleware(Guard, config=GuardConfig(
        bind_host=bind_host, allowed_hosts=tuple(allowed_hosts), cors_origins=tuple(cors_origins),
        body_limit=MAX_BODY, body_limits={"/v1/route:batch": MAX_BATCH_BODY}, body_timeout=body_timeout,
        access_log=access_log))

    def record(rows: list[tuple[Any, ...]], ids: list[str]) -> None:
        """Log answered decisions (their answers already encoded) under `ids`."""
        if dlog is None or not rows:
            return
        try:
            dlog.record_many([(*r, i, at) for (*r, at), i in zip(rows, ids)])
        except Exception as exc:
            log.exception("decision log write failed")
            raise ApiError(503, "log_unavailable", "决定日志写入失败，本次未作决定，请稍后重试",
                           "the decision log could not be written; nothing was decided, retry later") from exc

    @app.exception_handler(BodyError)
    async def _body_error(_request: Request, exc: BodyError) -> JSONResponse:
        return JSONResponse(ErrorResponse(error=exc.error, message_zh=exc.zh, message_en=exc.en).model_dump(),
                            status_code=exc.status, headers={"connection": "close"})

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body.model_dump(), status_code=exc.status)

    @app.exception_handler(ItemError)
    async def _item_error(_request: Request, exc: ItemError) -> JSONResponse:
        e = _invalid(exc)
        return JSONResponse(e.body.model_dump(), status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [_detail(".".join(str(p) for p in e.get("loc", ())), "参数无效", str(e.get("msg", "")))
                   for e in exc.errors()]
        return JSONResponse(ErrorResponse(error="invalid_item", message_zh="输入无效", message_en="invalid input",
                                          details=details).model_dump(), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        zh = {404: "没有这个地址", 405: "不支持此请求方法"}.get(exc.status_code, "请求错误")
        return JSONResponse(ErrorResponse(error="not_found" if exc.status_code == 404 else "http_error",
                                          message_zh=zh, message_en=str(exc.detail)).model_dump(),
                            status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        error_id = uuid.uuid4().hex[:16]
        log.error("internal error %s on %s %s", error_id, request.method, request.url.path,
                  exc_info=(type(exc), exc, exc.__traceback__))
        return JSONResponse(ErrorResponse(error="internal", message_zh=f"服务内部错误（编号 {error_id}）",
                                          message_en=f"internal error (id {error_id})", error_id=error_id)
                            .model_dump(), status_code=500, headers={"x-error-id": error_id})

    # ---- decisions ----

    @app.post("/v1/route", response_model=LoggedDecision, responses=_ERRORS, openapi_extra=_ITEM_BODY,
              summary="分流一个事项 route one item", tags=["decisions"])
    async def route(request: Request,
                    at: str | None = Query(None, description="Decide as of this time (ISO 8601 with offset); "
                                                             "default: the item's reported_at.")) -> Response:
        item = _object(await _json_body(request, MAX_BODY))
        when = _parse_at(at)
        policy = holder.current.policy  # grabbed once: this request sees one version

        def work() -> tuple[bytes, str]:
            t0 = time.perf_counter()
            decision = _guard(lambda: policy.route(item, when))
            latency = (time.perf_counter() - t0) * 1000
            did = new_decision_id()
            body = _logged_json(decision, did)  # the answer exists before it is logged
            record([("route", item, decision, decision.policy, latency, when)], [did])
            return body, did

        body, did = await run_in_threadpool(work)
        return Response(body, media_type="application/json", headers={"X-Decision-Id": did})

    @app.post("/v1/route:batch", response_model=BatchResponse, responses=_ERRORS, openapi_extra=_body(BatchRequest),
              summary="批量分流 route many items", tags=["decisions"])
    async def route_batch(request: Request, at: str | None = Query(None, description="As for /v1/route.")
                          ) -> Response:
        body = _object(await _json_body(request, MAX_BATCH_BODY, batch_key="items"))
        items = body.get("items")
        where = lone_surrogate({k: v for k, v in body.items() if k != "items"}) if b"\\u" in await request.body() \
            else None
        if where is not None:
            raise _surrogate(where)
        if not isinstance(items, list):
            raise ApiError(422, "invalid_item", "items 应为事项数组", "`items` must be an array of items",
                           [_detail("items", "应为数组", "must be an array")])
        if len(items) > MAX_BATCH:
            raise ApiError(422, "invalid_item", f"一次最多 {MAX_BATCH} 个事项", f"at most {MAX_BATCH} items per batch",
                           [_detail("items", f"超过 {MAX_BATCH} 个", f"more than {MAX_BATCH} items")])
        when = _parse_at(at)
        policy = holder.current.policy

        def work() -> bytes:
            results: list[Decision | BatchError] = []
            rows = []
            for n, item in enumerate(items):
                t0 = time.perf_counter()
                try:
                    bad = lone_surrogate(item)
                    if bad is not None:
                        raise ItemError([_detail(bad, "含有不成对的代理字符，不是合法的 Unicode 文本",
                                                 "holds a lone surrogate: not valid Unicode text")])
                    decision = _guard(lambda item=item: policy.route(item, when))  # type: ignore[misc]
                except ItemError as exc:
                    item_id = item.get("id") if isinstance(item, dict) else None
                    results.append(BatchError(index=n, item_id=item_id if isinstance(item_id, str) else None,
                                              details=[d.model_copy(update={"path": f"items[{n}]" + (
                                                  f".{d.path}" if d.path else "")}) for d in exc.errors]))
                    continue
                rows.append(("route", item, decision, decision.policy, (time.perf_counter() - t0) * 1000, when))
                results.append(decision)
            id_list = [new_decision_id() for _ in rows]
            ids = iter(id_list)
            errors = sum(isinstance(r, BatchError) for r in results)
            # BatchResponse's JSON, written from the parts' own (as `BatchResponse.model_dump_json`),
            # before anything is logged
            answer = b"".join((b'{"results":[', b",".join(
                r.model_dump_json().encode() if isinstance(r, BatchError) else _logged_json(r, next(ids))
                for r in results), b'],"errors":', str(errors).encode(), b"}"))
            record(rows, id_list)
            return answer

        return Response(await run_in_threadpool(work), media_type="application/json")

    @app.post("/v1/admit", response_model=LoggedAdmitResult, responses=_ERRORS, openapi_extra=_body(AdmitRequest),
              summary="准入审查：拟下放事项是否触及排除标准 check a proposed matter", tags=["decisions"])
    async def admit(request: Request) -> Response:
        proposal = _object(await _json_body(request, MAX_BODY))
        bad = [_detail(k, f"{k} 应为文字" + ("（拟下放事项的名称）" if k == "name" else ""),
                       f"`{k}` must be a string" + (" (the proposed matter's name)" if k == "name" else ""))
               for k in ("name", "code", "note")
               if not isinstance(proposal.get(k), str) and (k == "name" or proposal.get(k) is not None)]
        if bad:
            raise _invalid(ItemError(bad))
        policy = holder.current.policy

        def work() -> bytes:
            t0 = time.perf_counter()
            result = _guard(lambda: policy.admit(proposal))
            latency = (time.perf_counter() - t0) * 1000
            did = new_decision_id()
            answer = LoggedAdmitResult(**dict(result), decision_id=did).model_dump_json().encode()
            record([("admit", proposal, result, _ref(policy), latency, None)], [did])
            return answer

        return Response(await run_in_threadpool(work), media_type="application/json")

    @app.post("/v1/evaluate", response_model=LoggedEvaluation, responses=_ERRORS,
              openapi_extra=_body(EvaluateRequest), summary="计算评价公式 evaluate a formula", tags=["decisions"])
    async def evaluate(request: Request) -> Response:
        body = _object(await _json_body(request, MAX_BODY))
        formula, data = body.get("formula"), body.get("data")
        bad = []
        if not isinstance(formula, str):
            bad.append(_detail("formula", "缺少公式编号 formula", "`formula` (a formula id) is missing"))
        if not isinstance(data, dict):
            bad.append(_detail("data", "data 应为公式输入的 JSON 对象", "`data` must be an object of the formula's inputs"))
        if bad:
            raise _invalid(ItemError(bad))
        assert isinstance(formula, str) and isinstance(data, dict)
        policy = holder.current.policy

        def work() -> bytes:
            t0 = time.perf_counter()
            result = _guard(lambda: policy.evaluate(formula, data), "data")
            latency = (time.perf_counter() - t0) * 1000
            did = new_decision_id()
            answer = LoggedEvaluation(**dict(result), decision_id=did).model_dump_json().encode()
            record([("evaluate", body, result, _ref(policy), latency, None)], [did])
            return answer

        return Response(await run_in_threadpool(work), media_type="application/json")

    @app.post("/v1/case", response_model=LoggedCaseState, responses=_ERRORS, openapi_extra=_CASE_BODY,
              summary="案件全程跟踪：案件当前状态 where a case stands after its events", tags=["decisions"])
    async def case(request: Request,
                   at: str | None = Query(None, description="The state as of this time (ISO 8601 with offset); "
                                                            "default: the case's last event.")) -> Response:
        body = _object(await _json_body(request, MAX_BODY))
        when = _parse_at(at)
        policy = holder.current.policy

        def work() -> tuple[bytes, str]:
            t0 = time.perf_counter()
            state = _guard(lambda: policy.step(body, when))
            latency = (time.perf_counter() - t0) * 1000
            did = new_decision_id()
            answer = LoggedCaseState(**dict(state), decision_id=did).model_dump_json().encode()
            record([("case_state", body, state, state.policy, latency, when)], [did])
            return answer, did

        answer, did = await run_in_threadpool(work)
        return Response(answer, media_type="application/json", headers={"X-Decision-Id": did})

    # ---- the policy ----

    def info() -> PolicyInfo:
        live, err = holder.current, holder.last_error
        p = live.policy
        w = holder.watcher_status()
        return PolicyInfo(id=p.header.id, name=p.header.name, version=p.header.version, digest=p.digest,
                          loaded_at=live.loaded_at, generation=live.generation, path=holder.shown_path,
                          files=[holder.shown(f) for f in p.model.files], warnings=len(p.warnings),
                          last_reload_error=ReloadErrorInfo(at=err.at, diagnostics=list(err.diagnostics))
                          if err else None,
                          watcher=WatcherInfo(state=w.state, path=holder.shown_path, restarts=w.restarts,
                                              last_change=w.last_change, error=w.error),
                          releases=list(p.releases) if isinstance(p, ReleaseSet) else None,
                          in_force=p.in_force().version if isinstance(p, ReleaseSet) else None)

    @app.get("/v1/policy", response_model=PolicyInfo, summary="当前生效的规则 the serving policy", tags=["policy"])
    def policy_info() -> PolicyInfo:
        return info()

    @app.get("/v1/schema/item", summary="事项的 JSON Schema（含本规则的字段）item JSON Schema", tags=["policy"])
    def schema_item() -> dict[str, Any]:
        return item_schema(holder.current.policy)

    @app.post("/v1/reload", response_model=ReloadResult, tags=["policy"],
              summary="立即重载规则 reload the rules now (token: $GRIDPOLICY_RELOAD_TOKEN)",
              responses={401: {"model": ErrorResponse, "description": "令牌错误 wrong token"},
                         403: {"model": ErrorResponse, "description": "未设置令牌，重载已禁用 reload disabled"},
                         409: {"model": ErrorResponse, "description": "新规则有错误，旧规则继续生效 rules have errors"}})
    async def reload(authorization: str | None = Header(None, description="Bearer <token>"),
                     allow_removal: bool = Query(False, description="Let this reload remove every declaration of a "
                                                                    "kind (all formulas, say) without a new version.")
                     ) -> ReloadResult:
        token = os.environ.get(RELOAD_TOKEN_ENV, "")
        if not token:
            raise ApiError(403, "reload_disabled", f"未设置环境变量 {RELOAD_TOKEN_ENV}，手动重载已禁用",
                           f"set {RELOAD_TOKEN_ENV} to enable POST /v1/reload")
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise ApiError(401, "unauthorized", "重载令牌错误", "wrong reload token")
        changed, err = await run_in_threadpool(lambda: holder.reload(allow_removal=allow_removal))
        if err is not None:
            raise ApiError(409, "reload_failed", "新规则有错误，旧规则继续生效", "the rules have errors; the previous "
                           "policy keeps serving", [_detail(d["where"], f"{d['code']} {d['message_zh']}",
                                                            f"{d['code']} {d['message_en']}") for d in err.diagnostics])
        return ReloadResult(changed=changed, policy=info())

    @app.get("/healthz", response_model=Health, tags=["policy"], summary="健康检查 health",
             responses={503: {"model": Health, "description": "决定被拒绝（如决定日志不可写）decisions are refused"}})
    def healthz() -> Response:
        problems: list[str] = []
        log_state = "off"
        if dlog is not None:
            log_state = "ok" if dlog.last_error is None else "unavailable"
            if dlog.last_error is not None:
                problems.append(f"决定日志上次写入失败，决定被拒绝：{dlog.last_error} — the last decision log write "
                                f"failed; decisions are refused: {dlog.last_error}")
        w = holder.watcher_status()
        if w.state == "restarting":
            problems.append(f"规则文件夹监视中断，正在重启：{w.error} — the rule folder watcher failed and is being "
                            f"restarted: {w.error}")
        if holder.last_error is not None:
            problems.append("上次重载失败，仍在使用之前的规则 — the last reload failed; the previous rules keep serving")
        status = "unavailable" if log_state == "unavailable" else ("degraded" if problems else "ok")
        health = Health(status=status, digest=holder.current.policy.digest, log=log_state, watcher=w.state,
                        problems=problems)
        return Response(health.model_dump_json(), media_type="application/json",
                        status_code=503 if status == "unavailable" else 200)

    # ---- OpenAPI: the contract's pydantic models, the item with this policy's fields ----

    def openapi() -> dict[str, Any]:
        digest = holder.current.policy.digest
        cached = app.openapi_schema
        if cached is not None and cached.get("x-policy-digest") == digest:
            return cached
        doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        # request bodies (parsed by hand, so listed here) and the host contract's models as such
        for model in (BatchRequest, AdmitRequest, EvaluateRequest, Decision, AdmitResult, Evaluation):
            s = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, sub in s.pop("$defs", {}).items():
                schemas.setdefault(name, sub)
            schemas[model.__name__] = s
        schemas["Item"] = item_schema(holder.current.policy, dialect=False)
        schemas["Case"] = case_schema(dialect=False)
        doc["x-policy-digest"] = digest
        app.openapi_schema = doc
        return doc

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _ref(policy: Any) -> Any:
    from ..contract import PolicyRef

    return PolicyRef(name=policy.header.name, version=policy.header.version, digest=policy.digest)
