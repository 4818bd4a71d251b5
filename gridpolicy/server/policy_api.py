"""The policy endpoints: `/v1/policy`, `/v1/schema/item`, `/v1/reload`, `/healthz`, and the
OpenAPI document (the contract's pydantic models, the item with the serving policy's fields)."""

from __future__ import annotations

import hmac
import os
from typing import Any

from fastapi import FastAPI, Header, Query, Response
from fastapi.openapi.utils import get_openapi
from starlette.concurrency import run_in_threadpool

from ..contract import AdmitResult, Decision, Evaluation
from ..decisionlog import DecisionLog
from ..lifecycle import case_schema
from ..release import ReleaseSet
from ..schema import item_schema
from .errors import ApiError, detail
from .models import (
    AdmitRequest,
    BatchRequest,
    ErrorResponse,
    EvaluateRequest,
    Health,
    PolicyInfo,
    ReloadErrorInfo,
    ReloadResult,
    WatcherInfo,
)
from .state import PolicyHolder

RELOAD_TOKEN_ENV = "GRIDPOLICY_RELOAD_TOKEN"


def add_policy_routes(app: FastAPI, holder: PolicyHolder, dlog: DecisionLog | None) -> None:
    """Register the policy endpoints and the OpenAPI document on `app`."""

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
                           "policy keeps serving", [detail(d["where"], f"{d['code']} {d['message_zh']}",
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
