"""`POST /v1/evaluate:batch` (issue 16): the grouped evaluation over records in the body, the
same answer as `gridpolicy evaluate --format json`, logged with a decision id; bad records and
bad fields are bilingual 422s naming where."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from gridpolicy.decisionlog import DecisionLog

RULES = Path(__file__).resolve().parent.parent / "rules"
VISITS = [{"grid": "341002001001001", "at": "2026-01-05", "result": "满意"},
          {"grid": "341002001001001", "at": "2026-01-06", "result": "基本满意"},
          {"grid": "341002001001002", "at": "2026-02-01", "result": "不满意", "reasonable": True},
          {"grid": "341002001001002", "at": "2026-02-02", "result": "满意"},
          {"grid": "341002001001002", "at": "2025-12-02", "result": "不满意", "reasonable": False}]


@pytest.fixture()
def client(tmp_path: Path):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from gridpolicy.server.app import create_app

    app = create_app(RULES, log_path=tmp_path / "log.jsonl", watch=False)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c


def test_grouped_answer_with_a_decision_id_and_a_log_entry(client, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = client.post("/v1/evaluate:batch", json={"formula": "satisfaction", "records": {"visits": VISITS},
                                                 "period": "2026", "params": {"basic_weight": 0.5}})
    assert r.status_code == 200, r.text
    out = r.json()
    assert [(g["group"], g["value"], g["rank"]) for g in out["groups"]] == [
        ("341002001001001", 75.0, 1), ("341002001001002", 50.0, 2)]
    assert out["groups"][0]["label"].startswith("水心亭社区第一网格") and out["period"] == "2026"
    with DecisionLog(tmp_path / "log.jsonl", readonly=True) as log:
        entries = [e for e in log if e.kind == "evaluate"]
    assert entries and entries[-1].decision_id == out["decision_id"]
    by_street = client.post("/v1/evaluate:batch", json={"formula": "satisfaction", "records": {"visits": VISITS},
                                                         "by": "street"}).json()
    assert [g["group"] for g in by_street["groups"]] == ["昱东街道"]
    assert "/v1/evaluate:batch" in client.get("/openapi.json").json()["paths"]


@pytest.mark.parametrize(("body", "path", "zh"), [
    ({"formula": "satisfaction", "records": {"visits": [{"grid": "g", "at": "2026-01-01", "result": "很满意"}]}},
     "records.visits:1:result", "很满意"),
    ({"formula": "satisfacton", "records": {"visits": VISITS}}, "formula", "satisfaction"),
    ({"formula": "satisfaction", "records": {"vists": VISITS}}, "vists", "visits"),
    ({"formula": "satisfaction", "records": {"visits": VISITS}, "period": "2026", "from": "2026-01-01"}, "period",
     "不能同时"),
    ({"formula": "satisfaction", "records": {"visits": VISITS}, "colour": 1}, "colour", "未知字段"),
])
def test_bad_bodies_are_bilingual_422s(client, body: dict, path: str, zh: str) -> None:  # type: ignore[no-untyped-def]
    r = client.post("/v1/evaluate:batch", json=body)
    assert r.status_code == 422, r.text
    text = r.text
    assert path in text and zh in text
