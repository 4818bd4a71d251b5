"""The HTTP decision service, against a real `gridpolicy serve` process on loopback.

Each server runs on a temporary copy of rules/ (whatever is there at test time) with a decision log.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")

import gridpolicy  # noqa: E402
from gridpolicy.decisionlog import DecisionLog, LoggedDecision  # noqa: E402
from gridpolicy.server.models import BatchResponse  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "test-reload-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    url: str
    rules: Path
    log_path: Path
    stderr: Path

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10)

    def output(self) -> str:
        return self.stderr.read_text(encoding="utf-8", errors="replace")


def start_server(tmp: Path, log_name: str = "decisions.sqlite", token: str | None = TOKEN) -> Server:
    rules = tmp / "rules"
    shutil.copytree(ROOT / "rules", rules, ignore=shutil.ignore_patterns("tests"))
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "GRIDPOLICY_RELOAD_TOKEN"}
    if token:
        env["GRIDPOLICY_RELOAD_TOKEN"] = token
    err = tmp / "server.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "gridpolicy", "serve", str(rules), "--port", str(port), "--log",
         str(tmp / log_name)], stdout=subprocess.DEVNULL, stderr=err.open("wb"), env=env, cwd=tmp)
    server = Server(proc, f"http://127.0.0.1:{port}", rules, tmp / log_name, err)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited {proc.returncode}:\n{server.output()}")
        try:
            if httpx.get(server.url + "/healthz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"server did not come up:\n{server.output()}")


def stop_server(server: Server) -> None:
    if server.proc.poll() is None:
        server.proc.send_signal(signal.SIGTERM)
        try:
            server.proc.wait(10)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    s = start_server(tmp_path_factory.mktemp("srv"))
    yield s
    stop_server(s)


@pytest.fixture(scope="module")
def policy(server: Server) -> gridpolicy.Policy:
    return gridpolicy.load(server.rules, shown_as="rules")  # as the service names its files


def _in_force_matter(policy: gridpolicy.Policy) -> str:
    import datetime as dt

    for m in policy.matters:
        if policy.matter_status(m, dt.date(2026, 3, 2)) == "in_force" and policy.lists[0].admission:
            return m.code
    return policy.matters[0].code


def _items(policy: gridpolicy.Policy) -> list[dict]:
    code = _in_force_matter(policy)
    return [
        {"id": "A-1", "kind": "issue", "matter": code, "reported_at": "2026-09-30T10:00:00+08:00"},
        {"id": "A-2", "kind": "task", "matter": code, "reported_at": "2026-03-02T10:00:00+08:00"},
        {"id": "A-3", "kind": "task", "matter": "no-such-matter", "reported_at": "2026-03-02T10:00:00+08:00"},
        {"id": "A-4", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00"},
    ]


# ---- endpoints ----------------------------------------------------------------------------------

def test_route_matches_python_api_and_is_logged(server: Server, policy: gridpolicy.Policy) -> None:
    with server.client() as c:
        for item in _items(policy):
            r = c.post("/v1/route", json=item)
            assert r.status_code == 200, r.text
            body = r.json()
            assert body["decision_id"] == r.headers["x-decision-id"]
            expected = policy.route(item).model_dump(mode="json")
            assert {k: v for k, v in body.items() if k != "decision_id"} == expected
            logged = LoggedDecision(**dict(policy.route(item)), decision_id=body["decision_id"])
            assert r.content == logged.model_dump_json().encode()  # byte for byte what pydantic writes
            entry = DecisionLog(server.log_path).get(body["decision_id"])
            assert entry is not None and entry.input == item and entry.output["item_id"] == item["id"]
            assert entry.policy.digest == policy.digest and entry.latency_ms >= 0


def test_route_at_parameter(server: Server, policy: gridpolicy.Policy) -> None:
    import datetime as dt

    item = {"id": "AT-1", "kind": "issue"}
    with server.client() as c:
        r = c.post("/v1/route", json=item, params={"at": "2026-03-02T09:00:00+08:00"})
    assert r.status_code == 200
    assert r.json()["evaluated_at"] == "2026-03-02T09:00:00+08:00"
    assert r.json()["outcome"] == policy.route(item, dt.datetime.fromisoformat("2026-03-02T09:00:00+08:00")).outcome


def test_batch_in_order_with_bad_items(server: Server, policy: gridpolicy.Policy) -> None:
    items = _items(policy)
    batch = [items[0], {"id": "B-bad", "kind": "nope"}, 42, items[1], {"id": "B-x", "kind": "issue", "zzz": 1}]
    with server.client() as c:
        r = c.post("/v1/route:batch", json={"items": batch})
    assert r.status_code == 200, r.text
    body = r.json()
    res = body["results"]
    assert len(res) == 5 and body["errors"] == 3
    assert res[0]["item_id"] == "A-1" and res[3]["item_id"] == "A-2"
    assert res[1] == {"index": 1, "item_id": "B-bad", "error": "invalid_item", "details": [
        {"path": "items[1].kind", "message_zh": "kind 应为 issue（问题）或 task（下派任务）",
         "message_en": "kind must be 'issue' or 'task'"}]}
    assert res[2]["index"] == 2 and res[2]["item_id"] is None and res[2]["details"][0]["path"] == "items[2]"
    assert res[4]["details"][0]["path"] == "items[4].zzz"
    log = DecisionLog(server.log_path)
    for ok in (res[0], res[3]):
        assert log.get(ok["decision_id"]).output["item_id"] == ok["item_id"]
    assert res[0]["decision_id"] != res[3]["decision_id"]
    assert r.content == BatchResponse.model_validate_json(r.content).model_dump_json().encode()


BAD_REQUESTS = [
    # (endpoint, raw body, expected error, expected detail path)
    ("/v1/route", b'{"id": "x", "kind": ', "invalid_json", ""),
    ("/v1/route", b"", "invalid_json", ""),
    ("/v1/route", b'{"id": "x", "kind": "issue", "n": NaN}', "invalid_json", ""),
    ("/v1/route", b"\xff\xfe", "invalid_json", ""),
    ("/v1/route", b"[1, 2]", "invalid_item", ""),
    ("/v1/route", b'"text"', "invalid_item", ""),
    ("/v1/route", b'{"kind": "issue"}', "invalid_item", "id"),
    ("/v1/route", b'{"id": "x", "kind": "incident"}', "invalid_item", "kind"),
    ("/v1/route", b'{"id": "x", "kind": "issue", "reported_at": "2026-03-02T10:00:00"}', "invalid_item",
     "reported_at"),
    ("/v1/route", b'{"id": "x", "kind": "issue", "urgncy": "urgent"}', "invalid_item", "urgncy"),
    ("/v1/route", b'{"id": "x", "kind": "issue", "reported_at": "9999-12-31T23:59:00+00:00"}', "invalid_item",
     "reported_at"),  # years outside 1900-2199 are refused by validation, naming the field
    ("/v1/route", b"[" * 100_000 + b"]" * 100_000, "invalid_json", ""),
    ("/v1/route:batch", b'{"items": {"id": "x"}}', "invalid_item", "items"),
    ("/v1/route:batch", b"[]", "invalid_item", ""),
    ("/v1/admit", b'{"code": "N1"}', "invalid_item", "name"),
    ("/v1/admit", b'{"name": 5}', "invalid_item", "name"),
    ("/v1/admit", b'{"name": "x", "colour": "red"}', "invalid_item", "colour"),
    ("/v1/evaluate", b'{"formula": "no_such_formula", "data": {}}', "invalid_item", "formula"),
    ("/v1/evaluate", b'{"formula": "x", "data": []}', "invalid_item", "data"),
    ("/v1/evaluate", b"null", "invalid_item", ""),
]


@pytest.mark.parametrize(("endpoint", "body", "error", "path"), BAD_REQUESTS)
def test_bad_input_is_422_with_path_and_bilingual_message(server: Server, endpoint: str, body: bytes,
                                                         error: str, path: str) -> None:
    with server.client() as c:
        r = c.post(endpoint, content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    data = r.json()
    assert data["error"] == error
    assert data["message_zh"] and data["message_en"]
    assert data["details"], data
    assert data["details"][0]["path"] == path
    for d in data["details"]:
        assert re.search(r"[\u4e00-\u9fff]", d["message_zh"]) and d["message_en"]


def test_bad_at_parameter(server: Server) -> None:
    with server.client() as c:
        r = c.post("/v1/route", json={"id": "x", "kind": "issue"}, params={"at": "yesterday"})
    assert r.status_code == 422 and r.json()["details"][0]["path"] == "at"


def test_body_too_large(server: Server) -> None:
    with server.client() as c:
        r = c.post("/v1/route", content=b'{"id": "' + b"x" * (2 << 20) + b'"}',
                   headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"] == "too_large"


def test_admit_and_evaluate(server: Server, policy: gridpolicy.Policy) -> None:
    needs = next((f for f in policy.fields if f.type == "set" and f.values), None)
    with server.client() as c:
        r = c.post("/v1/admit", json={"name": "拟下放事项"})
        assert r.status_code == 200, r.text
        assert r.json()["admitted"] == policy.admit({"name": "拟下放事项"}).admitted
        assert DecisionLog(server.log_path).get(r.json()["decision_id"]).kind == "admit"
        if needs is not None:
            proposal = {"name": "拟下放事项", needs.id: [c for c, _ in needs.values]}
            r = c.post("/v1/admit", json=proposal)
            assert r.status_code == 200
            assert r.json()["criteria"] == [x.model_dump() for x in policy.admit(proposal).criteria]
        numeric = next((f for f in policy.formulas if f.inputs and not f.uses and all(i.type == "number" for i in f.inputs)),
                       None)
        if numeric is not None:
            data = {i.id: (i.range[0] + i.range[1]) / 2 if i.range else 1 for i in numeric.inputs}
            r = c.post("/v1/evaluate", json={"formula": numeric.id, "data": data})
            assert r.status_code == 200, r.text
            assert r.json()["value"] == policy.evaluate(numeric.id, data).value
            assert DecisionLog(server.log_path).get(r.json()["decision_id"]).kind == "evaluate"


def test_policy_health_openapi(server: Server, policy: gridpolicy.Policy) -> None:
    with server.client() as c:
        info = c.get("/v1/policy").json()
        assert info["digest"] == policy.digest and info["version"] == policy.header.version
        assert info["name"] == policy.header.name and info["loaded_at"]
        assert len(info["files"]) == len(policy.model.files) and info["last_reload_error"] is None
        assert c.get("/healthz").json() == {"status": "ok", "digest": policy.digest, "log": "ok",
                                            "watcher": "watching", "problems": []}
        doc = c.get("/openapi.json").json()
    schemas = doc["components"]["schemas"]
    for name in ("Item", "Decision", "LoggedDecision", "AdmitResult", "Evaluation", "ErrorResponse", "BatchResponse"):
        assert name in schemas
    assert {f.id for f in policy.fields} <= set(schemas["Item"]["properties"])
    assert doc["x-policy-digest"] == policy.digest
    assert set(doc["paths"]) >= {"/v1/route", "/v1/route:batch", "/v1/admit", "/v1/evaluate", "/v1/policy",
                                 "/v1/reload", "/healthz"}


def test_reload_needs_the_token(server: Server) -> None:
    with server.client() as c:
        assert c.post("/v1/reload").status_code == 401
        assert c.post("/v1/reload", headers={"authorization": "Bearer wrong"}).status_code == 401
        r = c.post("/v1/reload", headers={"authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200 and r.json()["changed"] is False


def test_reload_disabled_without_token(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """In process (a whole server just for a 403 would be slow): no token in the env, no reload."""
    import asyncio

    from gridpolicy.server import create_app

    monkeypatch.delenv("GRIDPOLICY_RELOAD_TOKEN", raising=False)
    app = create_app(server.rules, watch=False)

    async def call() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://localhost") as c:
            return await c.post("/v1/reload", headers={"authorization": "Bearer anything"})

    r = asyncio.run(call())
    assert r.status_code == 403 and r.json()["error"] == "reload_disabled"


def test_binds_loopback_by_default(server: Server) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    port = int(server.url.rsplit(":", 1)[1])
    other = socket.gethostbyname(socket.gethostname())
    if other.startswith("127."):
        pytest.skip("no non-loopback address on this machine")
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://{other}:{port}/healthz", timeout=1)


# ---- hot reload while requests run ----------------------------------------------------------------

def _header_file(rules: Path) -> Path:
    for f in sorted(rules.glob("*.gp")):
        if re.search(r'^\s*version\s+"', f.read_text(encoding="utf-8"), re.M):
            return f
    raise AssertionError("no policy header with a version")


def _wait(pred, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_hot_reload_under_load(tmp_path: Path) -> None:
    s = start_server(tmp_path)
    try:
        item = _items(gridpolicy.load(s.rules))[0]
        header = _header_file(s.rules)
        original = header.read_text(encoding="utf-8")
        live: list[tuple[str, str]] = []  # (version, digest) of every policy that served
        info = httpx.get(s.url + "/v1/policy").json()
        live.append((info["version"], info["digest"]))
        stop = threading.Event()
        seen: list[tuple[int, str, str]] = []
        failures: list[str] = []

        def hammer() -> None:
            with s.client() as c:
                while not stop.is_set():
                    try:
                        r = c.post("/v1/route", json=item)
                    except httpx.TransportError as exc:
                        failures.append(repr(exc))
                        continue
                    if r.status_code != 200:
                        failures.append(r.text)
                        continue
                    p = r.json()["policy"]
                    seen.append((r.status_code, p["version"], p["digest"]))

        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for t in threads:
            t.start()
        try:
            # a good edit: a new version
            header.write_text(re.sub(r'(^\s*version\s+")[^"]*"', r'\g<1>9999.test"', original, count=1, flags=re.M),
                              encoding="utf-8")
            _wait(lambda: httpx.get(s.url + "/v1/policy").json()["version"] == "9999.test")
            info = httpx.get(s.url + "/v1/policy").json()
            assert info["generation"] == 1 and info["last_reload_error"] is None
            live.append((info["version"], info["digest"]))
            n_before_break = len(seen)
            # a broken edit: reported, the good policy keeps serving
            header.write_text(header.read_text(encoding="utf-8") + "\ntier {\n", encoding="utf-8")
            _wait(lambda: httpx.get(s.url + "/v1/policy").json()["last_reload_error"] is not None)
            info = httpx.get(s.url + "/v1/policy").json()
            assert info["digest"] == live[-1][1]
            assert info["last_reload_error"]["diagnostics"][0]["code"].startswith("GP")
            _wait(lambda: len(seen) > n_before_break + 20)
            # forced reload of the still-broken rules: 409, still serving
            r = httpx.post(s.url + "/v1/reload", headers={"authorization": f"Bearer {TOKEN}"})
            assert r.status_code == 409 and r.json()["error"] == "reload_failed"
            # fix it: back to the original text
            header.write_text(original, encoding="utf-8")
            _wait(lambda: httpx.get(s.url + "/v1/policy").json()["digest"] == live[0][1])
            assert httpx.get(s.url + "/v1/policy").json()["last_reload_error"] is None
            n = len(seen)
            _wait(lambda: len(seen) > n + 20)
        finally:
            stop.set()
            for t in threads:
                t.join()
        assert not failures, failures[:3]
        assert len(seen) > 50
        assert {(v, d) for _, v, d in seen} <= set(live)  # never a version and digest that did not serve together
        assert {d for _, _, d in seen} == {d for _, d in live}  # every live version did serve
        assert "reload failed" in s.output() and "GP0" in s.output()
    finally:
        stop_server(s)


# ---- the decision log survives SIGKILL --------------------------------------------------------------

def test_decision_log_after_sigkill(tmp_path: Path) -> None:
    """The default store; JSON lines get the same test from the Python API (test_decisionlog)."""
    s = start_server(tmp_path, "decisions.sqlite")
    answered: list[str] = []
    try:
        items = _items(gridpolicy.load(s.rules))
        with s.client() as c:
            for n in range(60):
                item = {**items[n % len(items)], "id": f"K-{n}"}
                r = c.post("/v1/route", json=item)
                assert r.status_code == 200
                answered.append(r.json()["decision_id"])
            r = c.post("/v1/route:batch", json={"items": [{**items[0], "id": f"KB-{n}"} for n in range(20)]})
            answered += [x["decision_id"] for x in r.json()["results"]]
        s.proc.send_signal(signal.SIGKILL)
        s.proc.wait(10)
    finally:
        stop_server(s)
    log = DecisionLog(s.log_path)
    entries = {e.decision_id: e for e in log.query()}
    assert set(answered) <= set(entries)
    assert entries[answered[0]].item_id == "K-0" and entries[answered[-1]].item_id == "KB-19"


# ---- property-based API testing from the OpenAPI document -------------------------------------------

def test_openapi_property_based_no_server_error(server: Server) -> None:
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    ran = 0
    for result in schema.get_all_operations():
        op = result.ok()
        if op.path == "/v1/reload":
            continue  # it reloads the rules; covered above
        modes = list(schemathesis.GenerationMode) if op.method.upper() == "POST" else [
            schemathesis.GenerationMode.POSITIVE]
        for mode in modes:
            @settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            @given(case=op.as_strategy(generation_mode=mode))
            def check(case) -> None:
                response = case.call(base_url=server.url)
                assert response.status_code < 500, response.text
                case.validate_response(response, checks=[not_a_server_error, status_code_conformance,
                                                         response_schema_conformance])

            check()
            ran += 1
    assert ran >= 9
    out = server.output()
    assert "internal error" not in out and "Exception in ASGI application" not in out


def test_cli_schema_and_log(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    from gridpolicy.cli import main

    assert main(["schema", "item", "--policy", str(server.rules)]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["additionalProperties"] is False
    assert main(["log", str(server.log_path), "--item", "A-1", "--json"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert lines and all(x["output"]["item_id"] == "A-1" for x in lines)


@pytest.mark.parametrize("cmd", [["node", "examples/http/client.mjs"], ["sh", "examples/http/call.sh"]])
def test_host_examples_run(server: Server, cmd: list[str]) -> None:
    if shutil.which(cmd[0]) is None or (cmd[0] == "sh" and shutil.which("curl") is None):
        pytest.skip(f"{cmd[0]} not installed")
    proc = subprocess.run([*cmd, server.url], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "decision_id" in proc.stdout or "决定" in proc.stdout
    assert "HTTP 422" in proc.stdout or "输入无效" in proc.stdout
