"""Reading a request: its JSON body (bounded, strict, lone surrogates refused), the `at`
parameter, and running a decision so that only input errors become 422."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request

from ..clock import parse_timestamp, timestamp_problem
from ..contract import ItemError
from .errors import ApiError, detail, surrogate
from .text import lone_surrogate

log = logging.getLogger("gridpolicy.server")

T = TypeVar("T")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def too_large(limit: int) -> ApiError:
    return ApiError(413, "too_large", f"请求体过大（上限 {limit} 字节）", f"request body too large (limit {limit} bytes)")


async def json_body(request: Request, limit: int, batch_key: str | None = None) -> Any:
    """The body's JSON. Lone surrogates are refused here (422 naming the field), except under
    `batch_key`, whose items the endpoint checks one by one."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    body = await request.body()
    if len(body) > limit:
        raise too_large(limit)
    return parse_json(body, batch_key)


def parse_json(body: bytes, batch_key: str | None = None) -> Any:
    """`body` as JSON (as `json_body` reads it)."""
    if not body.strip():
        raise ApiError(422, "invalid_json", "请求体为空，应为 JSON", "the request body is empty; JSON expected",
                       [detail("", "缺少请求体", "missing body")])
    try:
        value = json.loads(body, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ApiError(422, "invalid_json", f"请求体不是合法的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）",
                       f"the request body is not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg})",
                       [detail("", "JSON 格式错误", "malformed JSON")]) from None
    except (ValueError, RecursionError) as exc:  # bad UTF-8, NaN/Infinity, absurd nesting
        raise ApiError(422, "invalid_json", "请求体不是合法的 JSON", f"the request body is not valid JSON: {exc}",
                       [detail("", "JSON 格式错误", "malformed JSON")]) from None
    if b"\\u" in body:  # only a \u escape can make a lone surrogate
        if batch_key is None:
            outside = value
        else:  # the items are checked one by one by the endpoint
            outside = {k: v for k, v in value.items() if k != batch_key} if isinstance(value, dict) else None
        where = lone_surrogate(outside)
        if where is not None:
            raise surrogate(where)
    return value


def json_object(value: Any, path: str = "") -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ApiError(422, "invalid_item", "请求体应为 JSON 对象", "the request body must be a JSON object",
                       [detail(path, "应为 JSON 对象", "must be a JSON object")])
    return value


def parse_at(at: str | None) -> dt.datetime | None:
    """The `at` query parameter: None, or an aware time within the supported years (else 422
    naming `at`, saying which of these it is not)."""
    if at is None:
        return None
    value = parse_timestamp(at)
    if value is None:
        zh, en = timestamp_problem(at)
        raise ApiError(422, "invalid_item", f"参数 at {zh}", f"`at` {en}", [detail("at", zh, en)])
    return value


def guarded(fn: Callable[[], T], path: str = "") -> T:
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
        raise ItemError([detail(path, f"无法按规则处理该输入：{exc}", f"the rules cannot process this input: {exc}")]
                        ) from exc
