"""The HTTP decision service (FastAPI). `create_app(path)` gives the ASGI app.

The app is put together here; its parts are the wire models (`models`), reading requests
(`body`), errors (`errors`), the decision endpoints (`decisions`), the policy endpoints
(`policy_api`), the request guard (`guard`), connection limits (`connections`) and the serving
policy with its watcher (`state`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from ..decisionlog import Decided, DecisionLog, log_key
from ..logstore import Durability
from ..pii import DEFAULT_FIELDS, Masker
from ..version import __version__
from .decisions import add_decision_routes
from .errors import ApiError, install_handlers
from .evaluate_batch import add_evaluate_batch_route
from .guard import Guard, GuardConfig
from .models import MAX_BATCH_BODY, MAX_BODY
from .policy_api import RELOAD_TOKEN_ENV, add_policy_routes
from .state import PolicyHolder

log = logging.getLogger("gridpolicy.server")

__all__ = ["RELOAD_TOKEN_ENV", "create_app"]


def create_app(path: str | os.PathLike[str], *, log_path: str | os.PathLike[str] | None = None,
               watch: bool = True, bind_host: str = "127.0.0.1", allowed_hosts: tuple[str, ...] = (),
               cors_origins: tuple[str, ...] = (), body_timeout: float = 30.0, masking: bool = True,
               mask_fields: tuple[str, ...] = (), access_log: bool = True, run_tests: bool = True,
               durability: Durability = "full") -> FastAPI:
    """The decision service for the rules at `path`. Raises `PolicyError` if they do not load.

    `bind_host` and `allowed_hosts` decide which `Host` headers are served; `cors_origins`
    turns CORS on for those origins (off by default); `masking` and `mask_fields` control the
    decision log's personal-data masking (`gridpolicy.pii`); `log_path` is a file or a
    ``postgresql://`` URL, written with `durability` (`gridpolicy.logstore`); `run_tests` runs
    the rule tests beside the rules before a reload goes live (see `PolicyHolder`)."""
    holder = PolicyHolder(Path(path), run_tests=run_tests)
    dlog = None
    if log_path:
        key = log_key(log_path) if masking else None
        masker: Masker | bool = Masker(key, fields=DEFAULT_FIELDS | frozenset(mask_fields)) if key is not None else False
        dlog = DecisionLog(log_path, masking=masker, durability=durability)

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
        body_limit=MAX_BODY, body_limits={"/v1/route:batch": MAX_BATCH_BODY, "/v1/evaluate:batch": MAX_BATCH_BODY},
        body_timeout=body_timeout,
        access_log=access_log))

    def record(decided: list[Decided]) -> None:
        """Log answered decisions (their answers already encoded)."""
        if dlog is None or not decided:
            return
        try:
            dlog.write(decided)
        except Exception as exc:
            log.exception("decision log write failed")
            raise ApiError(503, "log_unavailable", "决定日志写入失败，本次未作决定，请稍后重试",
                           "the decision log could not be written; nothing was decided, retry later") from exc

    install_handlers(app)
    add_decision_routes(app, holder, record)
    add_evaluate_batch_route(app, holder, record)  # issue 16's hook (gridpolicy/server/evaluate_batch.py)
    add_policy_routes(app, holder, dlog)
    return app
