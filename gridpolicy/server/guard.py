"""What every request passes before an endpoint sees it (an ASGI middleware).

- **Host**: the `Host` header must name the address the service is bound to, a loopback name
  when it is bound to loopback, any IP address when it is bound to all addresses, or a name
  in the configured list (`--allow-host`): a DNS-rebinding page names its own host and is
  refused (421).
- **Origin**: a POST from a page of another origin is refused (403) unless CORS allows that
  origin; CORS itself is off unless origins are configured (`--cors-origin`).
- **Content type**: a POST with a body must say `application/json` (415): a cross-site form
  or `text/plain` POST never reaches a decision, and so is never decided or logged.
- **Body**: read as it arrives, refused (413) as soon as it passes the endpoint's limit
  (a declared `Content-Length` first, chunked bodies included), and refused (408) if it has
  not all arrived within the body timeout.
- **Access log**: one line a request on `gridpolicy.access` (rate-limited with the other logs).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

access_log = logging.getLogger("gridpolicy.access")

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
NO_BODY_POSTS = frozenset({"/v1/reload"})  # POSTs that take no body


class BodyError(Exception):
    """The body broke a limit; raised from `receive` inside the app, answered by its handler."""

    def __init__(self, status: int, error: str, zh: str, en: str):
        super().__init__(en)
        self.status, self.error, self.zh, self.en = status, error, zh, en


@dataclass(frozen=True)
class GuardConfig:
    bind_host: str = "127.0.0.1"
    allowed_hosts: tuple[str, ...] = ()  # names (or IPs) besides the bind address; "*" allows any
    cors_origins: tuple[str, ...] = ()  # origins whose pages may call the service
    body_limit: int = 1 << 20
    body_limits: dict[str, int] = field(default_factory=dict)  # path -> limit
    body_timeout: float = 30.0  # seconds for the whole body to arrive
    access_log: bool = True

    def host_allowed(self, host: str) -> bool:
        name = _hostname(host)
        if name is None:
            return False
        allowed = {h.lower().strip("[]") for h in self.allowed_hosts}
        if "*" in allowed or name in allowed:
            return True
        bind = self.bind_host.lower().strip("[]")
        if name == bind:
            return True
        ip = _ip(name)
        bind_ip = _ip(bind)
        if bind_ip is not None and bind_ip.is_unspecified:  # bound to every address: any IP is one of ours
            return ip is not None or name in LOOPBACK_NAMES
        if bind_ip is not None and bind_ip.is_loopback or bind in LOOPBACK_NAMES:
            return name in LOOPBACK_NAMES or (ip is not None and ip.is_loopback)
        return False


def _hostname(host: str) -> str | None:
    """The name part of a Host header (no port), lower case; None if malformed."""
    host = host.strip().lower()
    if not host or len(host) > 255 or any(c in host for c in " /\\@?#"):
        return None
    if host.startswith("["):
        end = host.find("]")
        rest = host[end + 1:] if end > 0 else ":x"
        if rest and not (rest.startswith(":") and rest[1:].isdigit()):
            return None
        return host[1:end]
    name, _, port = host.partition(":")
    if port and not port.isdigit():
        return None
    return name or None


def _ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers", ()):
        if k == name:
            return v.decode("latin-1")
    return None


def _same_origin(origin: str, host: str, scheme: str) -> bool:
    return origin.lower() == f"{scheme}://{host}".lower()


def error_body(status: int, error: str, zh: str, en: str) -> tuple[int, bytes]:
    """The service's error shape (ErrorResponse), as bytes."""
    return status, json.dumps({"error": error, "message_zh": zh, "message_en": en, "details": []},
                              ensure_ascii=False).encode()


async def _answer(send: Send, status: int, body: bytes, extra: Iterable[tuple[bytes, bytes]] = ()) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), *extra]})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """The middleware: see the module docstring."""

    def __init__(self, app: ASGIApp, config: GuardConfig):
        self.app, self.config = app, config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        status_box = [0]

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_box[0] = message["status"]
            await send(message)

        refusal = self._refusal(scope)
        try:
            if refusal is not None:
                status, body = refusal
                await _answer(sending, status, body)
                return
            await self.app(scope, self._limited(scope, receive), sending)
        finally:
            if self.config.access_log:
                client = scope.get("client") or ("-", 0)
                access_log.info("%s %s %s %d %.1f ms", client[0], scope.get("method"), scope.get("path"),
                                status_box[0], (time.perf_counter() - t0) * 1000)

    def _refusal(self, scope: Scope) -> tuple[int, bytes] | None:
        c = self.config
        host = _header(scope, b"host") or ""
        if not c.host_allowed(host):
            shown = host[:100]
            return error_body(421, "host_not_allowed", f"不接受主机名“{shown}”的请求（可用 --allow-host 添加）",
                              f"requests for host '{shown}' are not accepted (add it with --allow-host)")
        if scope.get("method") != "POST":
            return None
        origin = _header(scope, b"origin")
        if origin is not None and origin != "null" and not _same_origin(origin, host, scope.get("scheme", "http")) \
                and origin not in c.cors_origins:
            return error_body(403, "origin_not_allowed", f"不接受来自“{origin[:100]}”网页的请求（可用 --cors-origin 允许）",
                              f"requests from pages of '{origin[:100]}' are not accepted (allow with --cors-origin)")
        if origin == "null":
            return error_body(403, "origin_not_allowed", "不接受来自本地文件或沙箱网页的请求",
                              "requests from local files or sandboxed pages are not accepted")
        if scope.get("path") in NO_BODY_POSTS:
            return None
        ctype = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
        if ctype != "application/json":
            return error_body(415, "unsupported_media_type",
                              f"请求体必须是 JSON，Content-Type 应为 application/json（收到“{ctype[:60] or '无'}”）",
                              f"the body must be JSON sent as Content-Type: application/json (got "
                              f"'{ctype[:60] or 'none'}')")
        limit = c.body_limits.get(scope.get("path", ""), c.body_limit)
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.strip().isdigit() or int(declared) > limit):
            return error_body(413, "too_large", f"请求体过大（上限 {limit} 字节）",
                              f"request body too large (limit {limit} bytes)")
        return None

    def _limited(self, scope: Scope, receive: Receive) -> Receive:
        """`receive` that counts the body and keeps its deadline."""
        c = self.config
        limit = c.body_limits.get(scope.get("path", ""), c.body_limit)
        deadline = time.monotonic() + c.body_timeout
        seen = 0
        done = False

        async def limited() -> Message:
            nonlocal seen, done
            if done:  # after the body: only the disconnect is left to wait for
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                raise BodyError(408, "timeout", f"请求体未在 {c.body_timeout:g} 秒内收完",
                                f"the request body did not arrive within {c.body_timeout:g} s") from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyError(413, "too_large", f"请求体过大（上限 {limit} 字节）",
                                    f"request body too large (limit {limit} bytes)")
                done = not message.get("more_body", False)
            return message

        return limited
