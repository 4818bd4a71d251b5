"""The HTTP service as an attacker tries it (issue 17 items 5, 6, 7 (HTTP part), 9 and 11).

One real `gridpolicy serve` process with small limits; a few checks run in process (ASGI).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")

from gridpolicy.decisionlog import DecisionLog  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ITEM = {"id": "H-1", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00"}
MAX_CONN = 40


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Srv:
    def __init__(self, tmp: Path, *extra: str):
        self.rules = tmp / "rules"
        shutil.copytree(ROOT / "rules", self.rules, ignore=shutil.ignore_patterns("tests"))
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / "d.sqlite"
        self.err = tmp / "server.log"
        env = {**os.environ, "GRIDPOLICY_LOG_KEY": "ab" * 32}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gridpolicy", "serve", str(self.rules), "--port", str(self.port), "--log",
             str(self.log_path), *extra], stdout=subprocess.DEVNULL, stderr=self.err.open("wb"), env=env, cwd=tmp)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.err.read_text()
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError(self.err.read_text())

    def logged(self) -> int:
        return sum(1 for _ in DecisionLog(self.log_path, readonly=True))

    def rss_mb(self) -> float:
        text = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", text)[1]) / 1024

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Srv]:
    s = Srv(tmp_path_factory.mktemp("http"), "--max-connections", str(MAX_CONN), "--header-timeout", "1",
            "--body-timeout", "1.5", "--allow-host", "grid.example.gov.cn")
    yield s
    s.stop()


# ---- item 5: cross-site requests and DNS rebinding -------------------------------------------------

@pytest.mark.parametrize(("headers", "status", "error"), [
    ({"content-type": "text/plain"}, 415, "unsupported_media_type"),
    ({"content-type": "application/x-www-form-urlencoded"}, 415, "unsupported_media_type"),
    ({"content-type": "multipart/form-data; boundary=x"}, 415, "unsupported_media_type"),
    ({}, 415, "unsupported_media_type"),  # a Blob without a type: no Content-Type at all
    ({"content-type": "application/json", "host": "attacker.example"}, 421, "host_not_allowed"),
    ({"content-type": "application/json", "host": "attacker.example:8181"}, 421, "host_not_allowed"),
    ({"content-type": "application/json", "host": "127.0.0.1.attacker.example"}, 421, "host_not_allowed"),
    ({"content-type": "application/json", "origin": "https://attacker.example"}, 403, "origin_not_allowed"),
    ({"content-type": "application/json", "origin": "null"}, 403, "origin_not_allowed"),
])
def test_cross_site_and_foreign_host_requests_are_refused_and_not_logged(srv: Srv, headers: dict, status: int,
                                                                         error: str) -> None:
    before = srv.logged()
    r = httpx.post(srv.url + "/v1/route", content=json.dumps(ITEM).encode(), headers=headers)
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"] == error and body["message_zh"] and body["message_en"]
    assert srv.logged() == before


@pytest.mark.parametrize("headers", [
    {"content-type": "application/json; charset=utf-8"},
    {"content-type": "application/json", "host": "localhost"},
    {"content-type": "application/json", "host": "grid.example.gov.cn"},  # --allow-host
    {"content-type": "application/json", "origin": "http://127.0.0.1:{port}"},  # same origin
])
def test_own_requests_are_served(srv: Srv, headers: dict) -> None:
    headers = {k: v.format(port=srv.port) for k, v in headers.items()}
    before = srv.logged()
    r = httpx.post(srv.url + "/v1/route", content=json.dumps(ITEM).encode(), headers=headers)
    assert r.status_code == 200, r.text
    assert srv.logged() == before + 1


def test_cors_is_off_unless_configured(srv: Srv, tmp_path: Path) -> None:
    pre = httpx.options(srv.url + "/v1/route", headers={"origin": "https://portal.example",
                                                        "access-control-request-method": "POST"})
    assert "access-control-allow-origin" not in pre.headers
    from gridpolicy.server import create_app

    app = create_app(srv.rules, watch=False, cors_origins=("https://portal.example",))

    async def call() -> tuple[httpx.Response, httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://localhost") as c:
            pre = await c.options("/v1/route", headers={"origin": "https://portal.example",
                                                        "access-control-request-method": "POST",
                                                        "access-control-request-headers": "content-type"})
            post = await c.post("/v1/route", json=ITEM, headers={"origin": "https://portal.example"})
            return pre, post

    pre, post = asyncio.run(call())
    assert pre.headers["access-control-allow-origin"] == "https://portal.example"
    assert post.status_code == 200 and post.headers["access-control-allow-origin"] == "https://portal.example"


# ---- item 6: denial of service ---------------------------------------------------------------------

def _read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    parts = []
    try:
        while chunk := sock.recv(65536):
            parts.append(chunk)
    except (ConnectionResetError, TimeoutError):
        pass
    return b"".join(parts)


def _chunked(sock: socket.socket, path: str, chunks: Iterator[bytes]) -> bytes:
    sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n".encode())
    try:
        for c in chunks:
            sock.sendall(b"%x\r\n%s\r\n" % (len(c), c))
        sock.sendall(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # refused mid-body: the answer is already there
    return _read_all(sock)


def test_a_chunked_body_is_refused_at_the_limit_not_buffered(srv: Srv) -> None:
    before = srv.rss_mb()
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
        answer = _chunked(s, "/v1/route", (b"[" + b" " * 65535 for _ in range(1600)))  # 100 MiB offered
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"too_large" in answer
    assert srv.rss_mb() - before < 20  # not the 100 MiB offered


def test_a_slow_request_head_is_cut_off(srv: Srv) -> None:
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
        s.sendall(b"POST /v1/route HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # ... and never the rest
        t0 = time.monotonic()
        assert s.recv(100) == b""  # closed by the server
        assert time.monotonic() - t0 < 4


def test_a_slow_body_gets_408(srv: Srv) -> None:
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
        s.sendall(b"POST /v1/route HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 100\r\n\r\n{\"id\":")
        t0 = time.monotonic()
        answer = _read_all(s)
        assert answer.startswith(b"HTTP/1.1 408") and b'"timeout"' in answer, answer
        assert 1 <= time.monotonic() - t0 < 5


def test_idle_connections_do_not_starve_real_requests(srv: Srv) -> None:
    idle = []
    try:
        for _ in range(MAX_CONN * 5):  # five times the limit, each sending nothing
            idle.append(socket.create_connection(("127.0.0.1", srv.port), timeout=5))
        t0 = time.monotonic()
        with httpx.Client(base_url=srv.url, timeout=5) as c:
            for _ in range(20):
                assert c.post("/v1/route", json=ITEM).status_code == 200
        assert time.monotonic() - t0 < 10
    finally:
        for s in idle:
            s.close()


def test_a_flood_of_bad_connections_writes_a_bounded_log(srv: Srv) -> None:
    size = srv.err.stat().st_size
    for _ in range(1100):
        with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as s:
            s.sendall(b"NOT HTTP AT ALL\r\n\r\n")
            s.recv(1000)
    time.sleep(0.3)
    grown = srv.err.stat().st_size - size
    assert grown < 150_000, grown  # 1,100 warnings and access lines would be several hundred KB
    assert "lines dropped by the log rate limit" in srv.err.read_text() or grown < 50_000


# ---- item 7 (HTTP): lone surrogates ------------------------------------------------------------------

@pytest.mark.parametrize(("body", "path"), [
    (b'{"id": "S-1", "kind": "issue", "summary": "\\ud800"}', "summary"),
    (b'{"id": "S-1", "kind": "issue", "\\udfff": 1}', "(key)"),
    (b'{"id": "\\ud800x", "kind": "issue"}', "id"),
])
def test_lone_surrogates_are_422_naming_the_field(srv: Srv, body: bytes, path: str) -> None:
    before = srv.logged()
    r = httpx.post(srv.url + "/v1/route", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.json()["details"][0]["path"] == path and "surrogate" in r.json()["message_en"]
    assert srv.logged() == before


def test_a_lone_surrogate_fails_only_its_item_of_a_batch(srv: Srv) -> None:
    body = b'{"items": [' + json.dumps(ITEM).encode() + b', {"id": "S-2", "kind": "issue", "summary": "a\\ud83d"},' \
           + json.dumps({**ITEM, "id": "H-3"}).encode() + b"]}"
    before = srv.logged()
    r = httpx.post(srv.url + "/v1/route:batch", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert r.json()["errors"] == 1 and results[1]["details"][0]["path"] == "items[1].summary"
    assert results[0]["decision_id"] and results[2]["decision_id"]
    assert srv.logged() == before + 2
    ok = httpx.post(srv.url + "/v1/route", content='{"id": "S-3", "kind": "issue", "summary": "\\ud83d\\ude00"}',
                    headers={"content-type": "application/json"})
    assert ok.status_code == 200  # a real pair (an emoji) is fine


# ---- item 11: health, paths, offline docs -------------------------------------------------------------

def test_healthz_is_not_ok_while_decisions_are_refused(tmp_path: Path) -> None:
    from gridpolicy.server import create_app

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules, ignore=shutil.ignore_patterns("tests"))
    app = create_app(rules, log_path=tmp_path / "h.jsonl", watch=False)
    dlog = app.state.log
    real = dlog.store.write

    def full(entries: list) -> None:
        raise OSError(28, "No space left on device")

    async def call(path: str, **kw: object) -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://localhost") as c:
            return await (c.post(path, **kw) if kw else c.get(path))

    assert asyncio.run(call("/healthz")).json()["status"] == "ok"
    dlog.store.write = full
    r = asyncio.run(call("/v1/route", json=ITEM))
    assert r.status_code == 503 and r.json()["error"] == "log_unavailable"
    h = asyncio.run(call("/healthz"))
    assert h.status_code == 503 and h.json()["status"] == "unavailable" and h.json()["log"] == "unavailable"
    assert "space" in h.json()["problems"][0]
    dlog.store.write = real
    assert asyncio.run(call("/v1/route", json=ITEM)).status_code == 200
    assert asyncio.run(call("/healthz")).json()["status"] == "ok"
    assert sum(1 for _ in DecisionLog(tmp_path / "h.jsonl", readonly=True)) == 1  # the 503 was not logged


def test_no_absolute_paths_in_the_policy_info_or_decisions(srv: Srv) -> None:
    """The server was started with an absolute path; callers see the folder's name only."""
    d = httpx.post(srv.url + "/v1/route", json={**ITEM, "urgency": "emergency"}).json()
    sources = [r["source"] for r in d["reasons"]]
    assert sources and all(s.startswith("rules/") for s in sources), sources
    assert str(srv.rules.parent) not in json.dumps(d, ensure_ascii=False)
    info = httpx.get(srv.url + "/v1/policy").json()
    text = json.dumps(info, ensure_ascii=False)
    assert str(srv.rules.parent) not in text and not info["path"].startswith("/")
    assert info["path"] == "rules" and all(f.startswith("rules/") for f in info["files"])
    assert info["watcher"]["state"] == "watching" and info["watcher"]["path"] == "rules"


def test_docs_need_no_cdn(srv: Srv) -> None:
    for page in ("/docs", "/redoc"):
        html = httpx.get(srv.url + page).text
        urls = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)', html) + re.findall(r"url:\s*'([^']+)'", html)
        assert urls and not [u for u in urls if u.startswith(("http:", "https:", "//"))], urls
        for u in urls:
            if u.endswith((".js", ".css", ".png")):
                r = httpx.get(srv.url + u)
                assert r.status_code == 200 and len(r.content) > 1000, u
