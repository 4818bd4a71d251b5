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


MERGED = json.loads((ROOT / "examples" / "cases" / "merged_with_primary.json").read_text(encoding="utf-8"))


def test_post_case_with_its_primary_follows_the_primary_and_replay_compares_it(tmp_path: Path) -> None:
    log = tmp_path / "d.sqlite"
    r = call(log, "POST", "/v1/case?at=2026-03-10T10:00:00%2B08:00", json=MERGED)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["status"], body["deadline"], body["primary"]["case_id"], body["primary"]["status"]) == (
        "merged", None, "B-1", "overdue")
    doc = call(log, "GET", "/openapi.json").json()
    assert "primary" in doc["components"]["schemas"]["Case"]["properties"]
    policy = gridpolicy.load(ROOT / "rules")
    with DecisionLog(log, readonly=True) as d:
        assert [c for _, c in replay(d.query(), policy)] == [None]
    # under a longer limit for the primary's route, the progress the merged case follows changes
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "rules").glob("*.gp")))
    limit = "limit if(channel == online, 3 workdays, 5 workdays)"  # the district_department route's
    assert limit in text
    other = gridpolicy.loads(text.replace(limit, "limit 20 workdays"))
    with DecisionLog(log, readonly=True) as d:
        changes = [c for _, c in replay(d.query(), other)]
    assert changes[0] is not None and "primary" in changes[0].fields


def test_post_case_with_a_primary_of_another_case_is_422(tmp_path: Path) -> None:
    bad = {**MERGED, "primary": {**MERGED["primary"], "item": {**MERGED["primary"]["item"], "id": "B-9"}}}
    r = call(tmp_path / "d.sqlite", "POST", "/v1/case", json=bad)
    assert r.status_code == 422
    assert r.json()["details"][0]["path"] == "primary.item.id"


def test_log_item_shows_the_primary_of_a_merged_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "d.sqlite"
    with DecisionLog(path) as log:
        LoggedPolicy(gridpolicy.load(ROOT / "rules"), log).step(MERGED)
    assert main(["log", str(path), "--item", "B-3"]) == 0
    assert "主案件 primary B-1 → open" in capsys.readouterr().out
