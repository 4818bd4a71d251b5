"""The service's errors: `ApiError` (an answer with a status and a bilingual `ErrorResponse`),
the 422 of an `ItemError`, and the handlers that turn every failure into such an answer (an
internal error is a 500 with an id, logged with its traceback)."""

from __future__ import annotations

import logging
import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..contract import ItemError, ItemErrorDetail
from ..lifecycle import CaseError
from .guard import BodyError
from .models import ErrorResponse

log = logging.getLogger("gridpolicy.server")


class ApiError(Exception):
    """An answer other than a decision: `status` and an `ErrorResponse` body."""

    def __init__(self, status: int, error: str, zh: str, en: str, details: list[ItemErrorDetail] | None = None):
        super().__init__(en)
        self.status, self.body = status, ErrorResponse(error=error, message_zh=zh, message_en=en,
                                                       details=details or [])


def detail(path: str, zh: str, en: str) -> ItemErrorDetail:
    return ItemErrorDetail(path=path, message_zh=zh, message_en=en)


def invalid(exc: ItemError) -> ApiError:
    """The 422 of refused input, headed by its first error."""
    first, more = exc.errors[0], len(exc.errors) - 1
    where = first.path or "请求体"
    return ApiError(422, "invalid_case" if isinstance(exc, CaseError) else "invalid_item",
                    f"输入无效：{where} — {first.message_zh}" + (f"（另有 {more} 处）" if more else ""),
                    f"invalid input: {first.path or 'body'} — {first.message_en}" + (f" (+{more} more)" if more else ""),
                    exc.errors)


def surrogate(where: str) -> ApiError:
    return invalid(ItemError([detail(where, "含有不成对的代理字符（如 \\ud800），不是合法的 Unicode 文本",
                                     "holds a lone surrogate (such as \\ud800): not valid Unicode text")]))


def install_handlers(app: FastAPI) -> None:
    """Answer every failure of `app` with an `ErrorResponse`."""

    @app.exception_handler(BodyError)
    async def _body_error(_request: Request, exc: BodyError) -> JSONResponse:
        return JSONResponse(ErrorResponse(error=exc.error, message_zh=exc.zh, message_en=exc.en).model_dump(),
                            status_code=exc.status, headers={"connection": "close"})

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body.model_dump(), status_code=exc.status)

    @app.exception_handler(ItemError)
    async def _item_error(_request: Request, exc: ItemError) -> JSONResponse:
        e = invalid(exc)
        return JSONResponse(e.body.model_dump(), status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [detail(".".join(str(p) for p in e.get("loc", ())), "参数无效", str(e.get("msg", "")))
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
