"""POST /v1/case (in process, over ASGI) and case_state entries in the decision log:
`log --item` shows the timeline, `replay` covers cases."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

import gridpolicy
from gridpolicy.cli import main
from gridpolicy.decisionlog import DecisionLog, LoggedPolicy, replay

ROOT = Path(__file__).resolve().parent.parent
CASE = json.loads((ROOT / "examples" / "cases" / "extension_then_overdue.json").read_text(encoding="utf-8"))


def call(log: Path, method: str, url: str, **kw: Any) -> httpx.Response:
    from gridpolicy.server import create_app

    app = create_app(ROOT / "rules", log_path=log, watch=False)

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://localhost") as c:
            return await c.request(method, url, **kw)

    return asyncio.run(go())


def test_post_case_answers_the_state_and_logs_it(tmp_path: Path) -> None:
    log = tmp_path / "d.sqlite"
    r = call(log, "POST", "/v1/case?at=2026-03-13T11:00:00%2B08:00", json=CASE)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "overdue" and body["decision_id"] == r.headers["x-decision-id"]
    with DecisionLog(log, readonly=True) as d:
        (entry,) = list(d.query())
    assert (entry.kind, entry.item_id, entry.outcome, entry.at_param) == (
        "case_state", "A-7", "overdue", "2026-03-13T11:00:00+08:00")


def test_post_case_bad_event_is_422_naming_the_field(tmp_path: Path) -> None:
    bad = {**CASE, "events": [{"type": "extension_approved", "at": "2026-03-03T10:00:00+08:00", "by": "xiaoneng"}]}
    r = call(tmp_path / "d.sqlite", "POST", "/v1/case", json=bad)
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "invalid_case" and body["details"][0]["path"] == "events[0].type"


def test_openapi_lists_the_case_contract(tmp_path: Path) -> None:
    doc = call(tmp_path / "d.sqlite", "GET", "/openapi.json").json()
    op = doc["paths"]["/v1/case"]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Case"
    assert "Case" in doc["components"]["schemas"] and "LoggedCaseState" in doc["components"]["schemas"]


def test_log_item_shows_the_timeline_and_replay_covers_cases(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                              ) -> None:
    path = tmp_path / "d.sqlite"
    policy = gridpolicy.load(ROOT / "rules")
    with DecisionLog(path) as log:
        logged = LoggedPolicy(policy, log)
        logged.route(CASE["item"])
        logged.step(CASE)
    assert main(["log", str(path), "--item", "A-7"]) == 0
    out = capsys.readouterr().out
    assert "case_state" in out and "[3]" in out and "重办" in out
    with DecisionLog(path, readonly=True) as log:
        assert [c for _, c in replay(log.query(), policy)] == [None, None]  # same rules: nothing changes
    # under rules whose extension needs a different approver, the logged case is now invalid
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "rules").glob("*.gp")))
    other = gridpolicy.loads(text.replace("approver xiaoneng", "approver zhengfawei"))
    with DecisionLog(path, readonly=True) as log:
        changes = [c for e, c in replay(log.query(), other) if e.kind == "case_state"]
    assert changes[0] is not None and changes[0].fields == ["error"] and "events[1].by" in (changes[0].error or "")
