"""The HTTP service's guard: input errors are 422; anything else raised while deciding is a
500 with an error id, logged with its traceback (never a 422 that blames the caller)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest

import gridpolicy

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")

RULES = Path(__file__).resolve().parent.parent / "rules"
ITEM = {"id": "1", "kind": "issue", "reported_at": "2026-03-02T09:30:00+08:00"}


def post(path: str, body: Any, patch: Any = None, rules: Path = RULES) -> Any:
    from gridpolicy.server import create_app

    app = create_app(rules, watch=False)
    if patch is not None:  # after the rule tests create_app runs
        patch()

    async def call() -> Any:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            return await c.post(path, json=body)
    return asyncio.run(call())


@pytest.mark.parametrize("error", [KeyError("lost"), TypeError("bug"), ValueError("bug"), ZeroDivisionError()])
def test_an_internal_error_is_a_500_with_an_id_and_a_logged_traceback(error: Exception,
                                                                     monkeypatch: pytest.MonkeyPatch,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    def broken(self: gridpolicy.Policy, item: Any, at: Any = None) -> Any:
        raise error
    with caplog.at_level(logging.ERROR):
        r = post("/v1/route", ITEM, lambda: monkeypatch.setattr(gridpolicy.Policy, "route", broken))
    assert r.status_code == 500
    body = r.json()
    assert body["error"] == "internal" and body["error_id"] and r.headers["x-error-id"] == body["error_id"]
    logged = [rec for rec in caplog.records if body["error_id"] in rec.getMessage()]
    assert logged and logged[0].exc_info is not None and logged[0].exc_info[1] is error


def test_an_invalid_item_is_still_a_422() -> None:
    r = post("/v1/route", {**ITEM, "kind": "nonsense"})
    assert r.status_code == 422 and r.json()["error"] == "invalid_item" and r.json()["error_id"] is None


def test_a_deadline_past_the_last_date_is_the_callers_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def overflow(self: gridpolicy.Policy, item: Any, at: Any = None) -> Any:
        raise OverflowError("date value out of range")
    r = post("/v1/route", ITEM, lambda: monkeypatch.setattr(gridpolicy.Policy, "route", overflow))
    assert r.status_code == 422 and "out of range" in r.json()["details"][0]["message_en"]


def test_a_record_value_of_the_wrong_type_is_a_422_from_evaluate(tmp_path: Path) -> None:
    from conftest import BASE

    (tmp_path / "policy.gp").write_text(BASE + 'formula avg_score "平均分" {\n  input rs "记录" { type records; fields score }\n'
                                        '  value avg(rs, score)\n}\n', encoding="utf-8")
    ok = post("/v1/evaluate", {"formula": "avg_score", "data": {"rs": [{"score": 3}, {"score": 5}]}}, rules=tmp_path)
    assert ok.status_code == 200 and ok.json()["value"] == 4
    r = post("/v1/evaluate", {"formula": "avg_score", "data": {"rs": [{"score": "文字"}]}}, rules=tmp_path)
    assert r.status_code == 422, r.text
    assert "record value" in r.json()["details"][0]["message_en"]
