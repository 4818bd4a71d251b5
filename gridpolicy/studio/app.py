"""The studio over HTTP (FastAPI): `create_app(folder)` is the whole studio, the page and its
API, for `gridpolicy studio` or to mount inside another app (`serve --studio` mounts it at
/studio). Everything it serves is in the package: no CDN, no network."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from .service import Studio, StudioError, vocabulary

STATIC = resources.files("gridpolicy.studio").joinpath("static")
MAX_BODY = 8_000_000


def create_app(folder: str | Path) -> FastAPI:
    studio = Studio(Path(folder))
    app = FastAPI(title="gridpolicy studio", docs_url=None, redoc_url=None, openapi_url=None)

    async def body(request: Request) -> dict[str, Any]:
        raw = await request.body()
        if len(raw) > MAX_BODY:
            raise StudioError("请求过大", "request too large")
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            raise StudioError("请求不是 JSON", "the request is not JSON") from None
        if not isinstance(data, dict):
            raise StudioError("请求应为 JSON 对象", "the request is a JSON object")
        texts = data.get("texts")
        if texts is not None and not isinstance(texts, dict):
            raise StudioError("texts 应为 文件名 → 文字", "texts maps file names to texts")
        return data

    @app.exception_handler(StudioError)
    async def refused(request: Request, exc: StudioError) -> JSONResponse:
        return JSONResponse({"ok": False, "message_zh": exc.zh, "message_en": exc.en}, status_code=400)

    @app.get("/", response_class=HTMLResponse)
    def page() -> str:
        return STATIC.joinpath("index.html").read_text(encoding="utf-8")

    types = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}

    @app.get("/static/{name}")
    def static(name: str) -> Response:
        if name not in ("studio.js", "studio.css"):
            return Response(status_code=404)
        return Response(STATIC.joinpath(name).read_bytes(), media_type=types[Path(name).suffix])

    @app.get("/api/vocabulary")
    def vocab() -> dict[str, list[str]]:
        return vocabulary()

    @app.get("/api/files")
    def files() -> dict[str, Any]:
        return {"folder": studio.folder.name, "files": studio.files()}

    @app.get("/api/schema")
    def schema() -> dict[str, Any]:
        return studio.schema()

    @app.post("/api/check")
    async def check(request: Request) -> dict[str, Any]:
        return studio.check((await body(request)).get("texts"))

    @app.post("/api/try")
    async def try_item(request: Request) -> dict[str, Any]:
        data = await body(request)
        return studio.try_item(data.get("texts"), data.get("item"))

    @app.post("/api/diff")
    async def compare(request: Request) -> dict[str, Any]:
        return studio.diff((await body(request)).get("texts"))

    @app.post("/api/save")
    async def save(request: Request) -> JSONResponse:
        result = studio.save((await body(request)).get("texts"))
        return JSONResponse(result, status_code=200 if result["ok"] else 409)

    return app
