"""The studio's service and HTTP API (the browser test drives the page): check, try with
"why not", diff with changed decisions, save only when the check and the rule tests pass."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi import FastAPI
from fastapi.testclient import TestClient

import gridpolicy
from gridpolicy.studio.app import create_app
from gridpolicy.studio.service import Studio, StudioError
from gridpolicy.whynot import why_not

REPO = Path(__file__).resolve().parent.parent
WEB = REPO / "gridpolicy" / "studio" / "web"
ITEM = {"id": "s-1", "kind": "issue", "matter": "暴露垃圾", "reported_at": "2026-03-02T10:00:00+08:00"}


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(REPO / "rules", copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@pytest.fixture()
def client(folder: Path) -> TestClient:
    return TestClient(create_app(folder))


def routing(folder: Path) -> str:
    return (folder / "40_routing.gp").read_text(encoding="utf-8")


def test_bundle_is_built_from_the_committed_sources() -> None:
    """static/studio.js names the sha256 of the sources it was built from (scripts/build-studio.sh)."""
    parts = [WEB / "package.json", WEB / "package-lock.json", *sorted((WEB / "src").glob("*.js"))]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in parts)).hexdigest()
    head = (REPO / "gridpolicy" / "studio" / "static" / "studio.js").read_text(encoding="utf-8")[:300]
    assert re.search(r"sources sha256:([0-9a-f]{64})", head)[1] == digest, \
        "studio.js is stale: run scripts/build-studio.sh (make studio)"
    assert "http://" not in head and "cdn" not in head.lower()


def test_page_and_assets_are_served_without_a_cdn(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "规则工作室" in page.text
    assert not re.search(r'(src|href)="(https?:)?//', page.text)
    assert client.get("/static/studio.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/index.html").status_code == 404


def test_check_gives_the_codes_and_texts_of_check(client: TestClient, folder: Path) -> None:
    assert client.post("/api/check", json={}).json()["errors"] == 0
    bad = routing(folder).replace("  limit ", "  limt ", 1)
    data = client.post("/api/check", json={"texts": {"40_routing.gp": bad}}).json()
    assert data["errors"] == 1
    d = data["diagnostics"][0]
    assert (d["code"], d["file"], d["hint_en"]) == ("GP020", "40_routing.gp", "did you mean 'limit'?")
    line = bad.splitlines()[d["line"] - 1]
    assert line[d["column"] - 1:].startswith("limt")
    assert routing(folder) != bad  # checking writes nothing


@pytest.mark.parametrize(("texts", "zh"), [
    ({"../etc/passwd": "x"}, "没有规则文件"),
    ({"new.gp": "x"}, "没有规则文件"),
    ({"40_routing.gp": 5}, "不是文字"),
])
def test_unknown_files_are_refused(client: TestClient, texts: dict, zh: str) -> None:
    r = client.post("/api/check", json={"texts": texts})
    assert r.status_code == 400 and zh in r.json()["message_zh"]


def test_try_shows_the_decision_and_why_not(client: TestClient) -> None:
    data = client.post("/api/try", json={"item": ITEM}).json()
    assert data["ok"] and data["decision"]["tier"]["code"] == "grid"
    assert "结论 outcome" in data["explanation"]
    first = data["why_not"][0]
    assert first["file"] == "40_routing.gp" and first["clauses"][0]["values"][0][0] == "matter.class"
    bad = client.post("/api/try", json={"item": {**ITEM, "urgency": "特特急"}}).json()
    assert not bad["ok"] and bad["errors"][0]["field"] == "urgency"


def test_why_not_names_the_false_part_of_each_earlier_route() -> None:
    policy = gridpolicy.load(REPO / "rules")
    route_id, tier = policy.match(ITEM)
    decided = [r.id for r in policy.model.routes].index(route_id)
    misses = why_not(policy, ITEM)
    earlier = [r.id for r in policy.model.routes[:decided] if r.condition is not None]
    assert [m.route for m in misses] == earlier and tier == "grid"
    for m in misses:
        assert m.continued or m.clauses, m
        for c in m.clauses:
            assert c.text and all(name and shown for name, shown in c.values)
    first = misses[0].clauses[0]
    assert first.text == "matter.class in [R0101, R0102]" and first.values == (("matter.class", "E0102"),)


def test_diff_lists_changes_and_changed_decisions(client: TestClient, folder: Path) -> None:
    edited = routing(folder).replace("  limit 20 minutes", "  limit 30 minutes", 1)
    assert edited != routing(folder)
    data = client.post("/api/diff", json={"texts": {"40_routing.gp": edited}}).json()
    assert data["ok"] and len(data["changes"]) == 1 and data["changes"][0]["section"] == "route"
    assert data["impact"]["items"] > 100 and data["impact"]["changed"] >= 1
    same = client.post("/api/diff", json={}).json()
    assert same["changes"] == [] and same["impact"]["changed"] == 0


def test_save_only_when_check_and_tests_pass(client: TestClient, folder: Path) -> None:
    before = routing(folder)
    r = client.post("/api/save", json={"texts": {"40_routing.gp": before.replace("  limit ", "  limt ", 1)}})
    assert r.status_code == 409 and "未保存" in r.json()["message_zh"] and routing(folder) == before
    # Meaningful but wrong: the rule tests fail, so nothing is written.
    wrong = before.replace("  limit 20 minutes", "  limit 30 minutes", 1)
    r = client.post("/api/save", json={"texts": {"40_routing.gp": wrong}})
    assert r.status_code == 409 and r.json()["failures"] and routing(folder) == before
    r = client.post("/api/save", json={"texts": {"40_routing.gp": before + "# 注释\n"}})
    assert r.status_code == 200 and r.json()["saved"] == ["40_routing.gp"]
    assert routing(folder) == before + "# 注释\n"
    assert not list(folder.glob(".*.tmp"))


def test_mountable_under_a_prefix(folder: Path) -> None:
    host = FastAPI()
    host.mount("/studio", create_app(folder))
    c = TestClient(host)
    assert "static/studio.js" in c.get("/studio/").text
    assert c.get("/studio/api/files").json()["files"][0]["name"] == "00_policy.gp"


def test_studio_error_is_bilingual(folder: Path) -> None:
    with pytest.raises(StudioError, match="no rule file"):
        Studio(folder).check({"x.gp": ""})


def test_serve_mounts_the_studio(folder: Path, monkeypatch) -> None:
    """`gridpolicy serve RULES --studio` serves the studio at /studio/ beside the decision API."""
    import uvicorn

    from gridpolicy.cli import main

    served: list = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: served.append(self.config.app))
    assert main(["serve", str(folder), "--studio", "--no-watch"]) == 0
    c = TestClient(served[0], base_url="http://127.0.0.1")
    assert "规则工作室" in c.get("/studio/").text
    assert c.post("/studio/api/check", json={}).json()["errors"] == 0
    assert main(["serve", str(folder / "00_policy.gp"), "--studio", "--no-watch"]) == 2
