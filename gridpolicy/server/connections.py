"""Connections of the HTTP service: a header timeout and a connection limit that idle
connections cannot use up, and logs that a flood cannot turn into gigabytes.

`protocol(limits)` gives uvicorn's h11 protocol with two additions:

- a connection that has not sent a whole request head within `header_timeout` seconds of
  opening (or of its previous answer) is closed: idle and slow-header ("slowloris")
  connections do not pile up;
- at most `max_connections` are open; a new one over the limit closes the connection that has
  waited longest without a request, and only if every connection is busy with a request is
  the new one answered 503 and closed. So a thousand idle connections never keep a real
  request out.

`RateLimit` is a logging filter: at most `burst` lines at once and `per_second` after that for
each logger; what it drops is counted in the next line it lets through.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("gridpolicy.server")


@dataclass(frozen=True)
class Limits:
    max_connections: int = 512
    header_timeout: float = 10.0  # seconds to send a request head
    sweep_every: float = 0.5


_BUSY = json.dumps({"error": "too_many_connections", "message_zh": "连接过多，请稍后重试",
                    "message_en": "too many connections; retry later", "details": []}, ensure_ascii=False).encode()
_BUSY_RESPONSE = (b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nconnection: close\r\n"
                  b"retry-after: 1\r\ncontent-length: " + str(len(_BUSY)).encode() + b"\r\n\r\n" + _BUSY)


class Stats:
    """What the limits did, for /healthz and the tests (counts since start)."""

    def __init__(self) -> None:
        self.header_timeouts = 0
        self.evicted = 0
        self.refused = 0
        self.open = 0


def protocol(limits: Limits, stats: Stats | None = None) -> type[H11Protocol]:
    """uvicorn's h11 protocol with `limits` (see the module docstring)."""
    counts = stats or Stats()
    sweepers: set[asyncio.AbstractEventLoop] = set()

    class GuardedH11Protocol(H11Protocol):
        _waiting_since: float | None
        _opened: float

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._opened = self._waiting_since = time.monotonic()
            counts.open = len(self.connections)
            if self.loop not in sweepers:
                sweepers.add(self.loop)
                self.loop.call_later(limits.sweep_every, _sweep, self.loop, self.connections)
            if len(self.connections) <= limits.max_connections:
                return
            idle: list[Any] = [c for c in self.connections if c is not self and _idle(c)]
            if idle:
                victim = min(idle, key=lambda c: c._waiting_since or 0.0)
                counts.evicted += 1
                log.warning("连接数达到上限 %d，关闭等待最久的空闲连接 — connection limit %d reached: closed the "
                            "longest idle connection", limits.max_connections, limits.max_connections)
                victim.transport.close()
                return
            counts.refused += 1
            log.warning("连接数达到上限 %d 且都在处理请求，拒绝新连接 — connection limit %d reached, all busy: "
                        "refused a connection", limits.max_connections, limits.max_connections)
            transport.write(_BUSY_RESPONSE)
            transport.close()

        def connection_lost(self, exc: Exception | None) -> None:
            super().connection_lost(exc)
            counts.open = len(self.connections)

    def _idle(c: Any) -> bool:
        return (isinstance(c, GuardedH11Protocol) and c.conn.their_state is h11.IDLE
                and (c.cycle is None or c.cycle.response_complete) and not c.transport.is_closing())

    def _sweep(loop: asyncio.AbstractEventLoop, connections: set[Any]) -> None:
        now = time.monotonic()
        for c in list(connections):
            if not isinstance(c, GuardedH11Protocol) or c.transport.is_closing():
                continue
            if _idle(c):
                if c._waiting_since is None:
                    c._waiting_since = now
                elif now - c._waiting_since > limits.header_timeout:
                    counts.header_timeouts += 1
                    c.transport.close()
            else:
                c._waiting_since = None
        loop.call_later(limits.sweep_every, _sweep, loop, connections)

    GuardedH11Protocol.stats = stats  # type: ignore[attr-defined]
    return GuardedH11Protocol


class RateLimit(logging.Filter):
    """At most `burst` lines at once, then `per_second`, for each logger (see the module docstring)."""

    def __init__(self, per_second: float = 20.0, burst: int = 200):
        super().__init__()
        self.per_second, self.burst = per_second, burst
        self._buckets: dict[str, list[float]] = {}  # logger -> [tokens, last refill, dropped]
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        with self._lock:
            b = self._buckets.setdefault(record.name, [float(self.burst), now, 0.0])
            b[0] = min(float(self.burst), b[0] + (now - b[1]) * self.per_second)
            b[1] = now
            if b[0] < 1:
                b[2] += 1
                return False
            b[0] -= 1
            dropped, b[2] = int(b[2]), 0.0
        if dropped:
            record.msg = f"{record.getMessage()} [限流略去此前 {dropped} 行 — {dropped} earlier lines dropped by the " \
                         "log rate limit]"
            record.args = ()
        return True
