"""The decision log in PostgreSQL (issue 20): a real server from Debian's packages, started for
these tests by scripts/postgres-test.sh (installed by scripts/install-postgres.sh in `make
test`); the same entries, queries, CLI and service as the SQLite log."""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import gridpolicy
from gridpolicy.cli import main
from gridpolicy.decisionlog import DecisionLog, LoggedPolicy, Query
from gridpolicy.logfile import LogError

psycopg = pytest.importorskip("psycopg", reason="the postgres extra (psycopg 3) is not installed")

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "postgres-test.sh"
ITEM = {"id": "PG-1", "kind": "issue", "matter": "矛盾纠纷调解", "reported_at": "2026-03-02T10:00:00+08:00"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The URL of a throwaway server's maintenance database."""
    try:
        run = subprocess.run(["bash", str(SCRIPT), "start", str(_free_port())], capture_output=True, text=True,
                             timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"could not start a PostgreSQL server: {exc}")
    if run.returncode != 0:
        pytest.skip(f"could not start a PostgreSQL server (scripts/postgres-test.sh exit {run.returncode}): "
                    f"{run.stderr.strip()[-300:]}")
    directory, url = run.stdout.split()
    try:
        yield url
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", directory], capture_output=True, timeout=120)


@pytest.fixture
def url(server: str, request: pytest.FixtureRequest) -> str:
    """A fresh database for each test."""
    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> gridpolicy.Policy:
    dest = tmp_path_factory.mktemp("pg") / "rules"
    shutil.copytree(ROOT / "rules", dest, ignore=shutil.ignore_patterns("tests"))
    return gridpolicy.load(dest)


def _items(n: int) -> list[dict]:
    return [{**ITEM, "id": f"PG-{k}", "urgency": "emergency" if k % 4 == 0 else "normal"} for k in range(n)]


@pytest.mark.parametrize("durability", ["full", "normal"])
def test_entries_read_back_as_from_sqlite(url: str, tmp_path: Path, policy: gridpolicy.Policy,
                                          durability: str) -> None:
    pg = DecisionLog(url, masking=False, durability=durability)  # type: ignore[arg-type]
    lite = DecisionLog(tmp_path / "same.sqlite", masking=False)
    for log in (pg, lite):
        logged = LoggedPolicy(policy, log)
        for item in _items(6):
            logged.route(item, None)
    got = [(e.kind, e.item_id, e.tier, e.input, e.output["outcome"]) for e in pg]
    assert got == [(e.kind, e.item_id, e.tier, e.input, e.output["outcome"]) for e in lite]
    first = next(iter(pg))
    assert pg.get(first.decision_id) == first
    assert [e.item_id for e in pg.query(Query(item="PG-4"))] == ["PG-4"]
    tiers = {e.tier for e in pg}
    some = sorted(t for t in tiers if t)[0]
    assert {e.tier for e in pg.query(Query(tier=some))} == {some}
    assert sum(1 for _ in pg.query(Query(digest=policy.digest[:8]))) == 6
    assert list(pg.query(limit=2)) == list(pg)[:2]
    pg.close()
    lite.close()


def test_group_commit_from_many_threads(url: str, policy: gridpolicy.Policy) -> None:
    log = DecisionLog(url, masking=False)
    groups: list[int] = []
    real = log.store.write

    def counting(rows: list) -> None:
        groups.append(len(rows))
        real(rows)

    log.store.write = counting  # type: ignore[method-assign]
    logged = LoggedPolicy(policy, log)
    ids: list[str] = []

    def worker(k: int) -> None:
        for item in _items(20):
            ids.append(logged.route({**item, "id": f"{item['id']}-{k}"}).decision_id)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(groups) == len(ids) == 160
    assert sorted(e.decision_id for e in log) == sorted(ids)
    log.close()


def test_replicas_share_one_log(url: str, policy: gridpolicy.Policy) -> None:
    """Two service replicas (two logs on the same URL) write one table, created once."""
    a, b = DecisionLog(url, masking=False), DecisionLog(url, masking=False)
    da = LoggedPolicy(policy, a).route(ITEM).decision_id
    db = LoggedPolicy(policy, b).route({**ITEM, "id": "PG-2"}).decision_id
    assert [e.decision_id for e in DecisionLog(url, readonly=True)] == [da, db]
    a.close()
    b.close()


def test_read_only_refuses_writes(url: str, policy: gridpolicy.Policy) -> None:
    DecisionLog(url, masking=False).close()  # creates the table
    ro = DecisionLog(url, readonly=True)
    with pytest.raises(LogError, match="read-only"):
        LoggedPolicy(policy, ro).route(ITEM)
    ro.close()


def test_masking_needs_the_key_in_the_environment(url: str, policy: gridpolicy.Policy,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRIDPOLICY_LOG_KEY", raising=False)
    with pytest.raises(LogError, match="GRIDPOLICY_LOG_KEY"):
        DecisionLog(url)
    monkeypatch.setenv("GRIDPOLICY_LOG_KEY", "k" * 32)
    log = DecisionLog(url)
    d = LoggedPolicy(policy, log).route({**ITEM, "id": "13912345678"})
    entry = log.get(d.decision_id)
    assert entry is not None and "13912345678" not in json.dumps([entry.input, entry.output])
    assert [e.decision_id for e in log.query(Query(item="13912345678"))] == [d.decision_id]
    log.close()


def test_a_server_that_is_not_there_is_a_bilingual_error() -> None:
    with pytest.raises(LogError) as exc:
        DecisionLog(f"postgresql://nobody:secret@127.0.0.1:{_free_port()}/none", masking=False)
    assert "无法连接" in exc.value.zh and "cannot open" in exc.value.en
    assert "secret" not in str(exc.value)  # the password is never shown


def test_log_and_replay_commands_read_the_url(url: str, policy: gridpolicy.Policy, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    log = DecisionLog(url, masking=False)
    logged = LoggedPolicy(policy, log)
    ids = [logged.route(item).decision_id for item in _items(3)]
    log.close()
    assert main(["log", url, "--json"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    assert [x["decision_id"] for x in lines] == ids
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules, ignore=shutil.ignore_patterns("tests"))
    assert main(["replay", url, "--policy", str(rules), "--fail-on-change"]) == 0


def test_the_service_logs_to_postgresql(url: str, tmp_path: Path) -> None:
    httpx = pytest.importorskip("httpx")
    from gridpolicy.server import create_app

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules, ignore=shutil.ignore_patterns("tests"))
    app = create_app(rules, log_path=url, watch=False, masking=False)

    async def call() -> list[str]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://localhost") as c:
            one = await c.post("/v1/route", json=ITEM)
            many = await c.post("/v1/route:batch", json={"items": _items(3)})
            health = await c.get("/healthz")
        assert one.status_code == many.status_code == 200 and health.json()["log"] == "ok"
        return [one.json()["decision_id"]] + [r["decision_id"] for r in many.json()["results"]]

    ids = asyncio.run(call())
    app.state.log.close()
    assert [e.decision_id for e in DecisionLog(url, readonly=True)] == ids
