"""Rule releases: sealing, ordering, signatures, serving by date (gridpolicy.release)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridpolicy.cli import main
from gridpolicy.release import (
    ReleaseError,
    ReleaseRequest,
    ReleaseSet,
    load_bundle_policy,
    make_release,
    read_bundle,
    verify_bundle,
)
from gridpolicy.release.signing import generate_keypair

RULES = Path(__file__).resolve().parent.parent / "rules"
ITEM = {"id": "R-1", "kind": "issue", "matter": "矛盾纠纷调解"}


def _rules_copy(tmp: Path, version: str = "2026.1", failing_test: bool = False) -> Path:
    folder = tmp / f"rules-{version}"
    shutil.copytree(RULES, folder)
    head = folder / "00_policy.gp"
    head.write_text(head.read_text(encoding="utf-8").replace('version "2026.1"', f'version "{version}"'),
                    encoding="utf-8")
    if failing_test:  # a rule test the rules contradict
        (folder / "tests" / "zz_wrong.yaml").write_text(
            "- name: 矛盾纠纷调解交市级（错误的期望）\n"
            "  item: {id: w-1, kind: issue, matter: 矛盾纠纷调解, reported_at: '2026-03-02T09:00:00+08:00'}\n"
            "  expect: {tier: city}\n", encoding="utf-8")
    return folder


def _req(rules: Path, releases: Path, version: str, effective: str, **kw: object) -> ReleaseRequest:
    return ReleaseRequest(rules=rules, version=version, effective=dt.date.fromisoformat(effective),
                          approved_by="中共屯溪区委政法委员会", ref=f"屯政法〔{effective[:4]}〕{version[-1]}号",
                          releases=releases, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A releases folder with 2026.1 (2024-03-01), 2026.2 (2026-07-01), 2026.3 (2026-10-01)."""
    tmp = tmp_path_factory.mktemp("rel")
    releases = tmp / "releases"
    for version, effective in (("2026.1", "2024-03-01"), ("2026.2", "2026-07-01"), ("2026.3", "2026-10-01")):
        make_release(_req(_rules_copy(tmp, version), releases, version, effective))
    return releases


def test_release_writes_an_immutable_bundle_with_its_manifest(three: Path) -> None:
    b = read_bundle(three / "2026.2.gprelease")
    m = b.manifest
    assert (m["version"], m["effective"], m["approved_by"]) == ("2026.2", "2026-07-01", "中共屯溪区委政法委员会")
    assert m["tests"]["failed"] == 0 and m["tests"]["passed"] > 50 and m["coverage"] == 100.0
    assert m["previous"]["version"] == "2026.1"
    assert any(c["field"] == "version" for c in m["diff"]["changes"])
    assert m["impact"]["items"] > 50
    assert "00_policy.gp" in b.files and "registry/grids.yaml" in b.files and any(n.startswith("tests/") for n in b.files)
    assert (three / "2026.2.gprelease").stat().st_mode & 0o222 == 0  # read-only


@pytest.mark.parametrize(("version", "effective", "needle"), [
    ("2026.2", "2026-12-01", "已经发布过"),        # a reused version
    ("2026.4", "2026-08-01", "早于上一版本"),       # before the previous release's date
    ("bad version!", "2027-01-01", "版本号"),       # not a version
])
def test_release_refusals(three: Path, tmp_path: Path, version: str, effective: str, needle: str) -> None:
    before = sorted(p.name for p in three.iterdir())
    with pytest.raises(ReleaseError) as info:
        make_release(_req(_rules_copy(tmp_path, version if " " not in version else "2026.9"), three, version,
                          effective))
    assert needle in info.value.message_zh and info.value.message_en
    assert sorted(p.name for p in three.iterdir()) == before  # nothing written


def test_release_refuses_a_header_of_another_version(tmp_path: Path) -> None:
    with pytest.raises(ReleaseError, match="规则头"):
        make_release(_req(_rules_copy(tmp_path, "2026.1"), tmp_path / "r", "2026.5", "2026-01-01"))


def test_release_refuses_failing_rule_tests(tmp_path: Path) -> None:
    rules = _rules_copy(tmp_path, "2026.7", failing_test=True)
    with pytest.raises(ReleaseError, match="规则测试失败") as info:
        make_release(_req(rules, tmp_path / "r", "2026.7", "2026-01-01"))
    assert "rule test(s) failed" in info.value.message_en
    assert not (tmp_path / "r").exists() or not list((tmp_path / "r").iterdir())


def test_release_refuses_rules_with_errors(tmp_path: Path) -> None:
    rules = _rules_copy(tmp_path, "2026.1")
    (rules / "99_broken.gp").write_text("route x {\n  tier nowhere\n}\n", encoding="utf-8")
    with pytest.raises(ReleaseError, match="个错误"):
        make_release(_req(rules, tmp_path / "r", "2026.1", "2026-01-01"))


@pytest.mark.parametrize(("reported_at", "version"), [
    ("2024-03-01T00:00:00+08:00", "2026.1"),
    ("2026-06-30T23:59:59+08:00", "2026.1"),  # the day before
    ("2026-06-30T16:00:00+00:00", "2026.2"),  # 2026-07-01 00:00 in Shanghai
    ("2026-07-01T09:00:00+08:00", "2026.2"),  # the day of
    ("2026-10-01T08:00:00+08:00", "2026.3"),
])
def test_each_item_is_decided_by_the_release_in_force(three: Path, reported_at: str, version: str) -> None:
    rs = ReleaseSet(three)
    d = rs.route({**ITEM, "reported_at": reported_at})
    assert d.policy.version == version
    assert rs.in_force(dt.datetime.fromisoformat(reported_at)).version == version


def test_explicit_at_wins_and_before_the_first_release_nothing_is_in_force(three: Path) -> None:
    rs = ReleaseSet(three)
    at = dt.datetime(2026, 10, 2, 9, tzinfo=dt.UTC)
    assert rs.route({**ITEM, "reported_at": "2024-05-01T09:00:00+08:00"}, at).policy.version == "2026.3"
    with pytest.raises(ReleaseError, match="尚无生效"):
        rs.route({**ITEM, "reported_at": "2023-01-01T09:00:00+08:00"})


def test_a_future_release_takes_over_without_a_reload(three: Path) -> None:
    rs = ReleaseSet(three)
    assert rs.in_force(dt.datetime(2026, 9, 30, 23, tzinfo=dt.UTC)).version == "2026.3"  # 10-01 07:00 Shanghai
    assert rs.in_force(dt.datetime(2026, 9, 30, 15, tzinfo=dt.UTC)).version == "2026.2"


def test_a_tampered_bundle_is_refused(three: Path, tmp_path: Path) -> None:
    raw = json.loads((three / "2026.2.gprelease").read_text(encoding="utf-8"))
    raw["files"]["40_routing.gp"] = raw["files"]["40_routing.gp"].replace("limit 3 workdays", "limit 9 workdays")
    bad = tmp_path / "2026.2.gprelease"
    bad.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ReleaseError, match="已被改动"):
        read_bundle(bad)


def test_signed_releases(tmp_path: Path) -> None:
    key, pub = tmp_path / "k.pem", tmp_path / "k.pub"
    generate_keypair(key, pub)
    assert key.stat().st_mode & 0o077 == 0
    releases = tmp_path / "releases"
    b = make_release(_req(_rules_copy(tmp_path, "2026.1"), releases, "2026.1", "2024-03-01", key=key))
    assert b.path is not None and verify_bundle(b.path, pub).version == "2026.1"
    assert ReleaseSet(releases, public_key=pub).route({**ITEM, "reported_at": "2026-01-05T09:00:00+08:00"})
    # Tampered after signing, with the hashes made to agree: only the signature catches it.
    raw = json.loads(b.path.read_text(encoding="utf-8"))
    raw["manifest"]["approved_by"] = "某人"
    forged = tmp_path / "forged" / "2026.1.gprelease"
    forged.parent.mkdir()
    forged.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ReleaseError, match="签名无效"):
        verify_bundle(forged, pub)
    with pytest.raises(ReleaseError, match="签名无效"):
        ReleaseSet(forged.parent, public_key=pub)
    other, other_pub = tmp_path / "o.pem", tmp_path / "o.pub"
    generate_keypair(other, other_pub)
    with pytest.raises(ReleaseError, match="不是受信任的密钥"):
        verify_bundle(b.path, other_pub)
    unsigned = tmp_path / "unsigned"
    (tmp_path / "u").mkdir()
    make_release(_req(_rules_copy(tmp_path / "u", "2026.1"), unsigned, "2026.1", "2024-03-01"))
    with pytest.raises(ReleaseError, match="未签名"):
        ReleaseSet(unsigned, require_signature=True)


def test_a_concurrent_release_and_requests_never_mix_versions(three: Path, tmp_path: Path) -> None:
    releases = tmp_path / "live"
    shutil.copytree(three, releases)
    rs = ReleaseSet(releases)
    pairs = {(b.version, rs.policy_for(b).digest) for b in (read_bundle(p) for p in releases.iterdir())}
    seen: list[tuple[str, str]] = []
    stop = threading.Event()

    def worker() -> None:
        while not stop.is_set():
            d = rs.route({**ITEM, "reported_at": "2027-02-01T09:00:00+08:00"})
            seen.append((d.policy.version, d.policy.digest))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    new = make_release(_req(_rules_copy(tmp_path, "2027.1"), releases, "2027.1", "2027-01-01"))
    rs.refresh()
    pairs.add(("2027.1", rs.policy_for(new).digest))
    stop.set()
    for t in threads:
        t.join()
    assert seen and set(seen) <= pairs
    assert seen[-1][0] == "2027.1"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.dates(dt.date(2024, 3, 1), dt.date(2027, 12, 31)), hour=st.integers(0, 23))
def test_a_releases_folder_decides_as_the_release_in_force_loaded_by_hand(three: Path, day: dt.date,
                                                                        hour: int) -> None:
    rs = ReleaseSet(three)
    item = {**ITEM, "reported_at": f"{day.isoformat()}T{hour:02d}:00:00+08:00"}
    by_hand = max((read_bundle(p) for p in three.iterdir()), key=lambda b: b.effective if b.effective <= day
                  else dt.date.min)
    assert rs.route_json(item) == load_bundle_policy(by_hand).route_json(item)


def test_cli_release_and_verify(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = _rules_copy(tmp_path, "2026.1")
    releases = tmp_path / "releases"
    args = ["release", str(rules), "--version", "2026.1", "--effective", "2024-03-01", "--approved-by", "区委政法委",
            "--ref", "屯政法〔2024〕1号", "--releases", str(releases)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "已发布 released 2026.1" in out and "规则测试 tests" in out
    assert main(args) == 1
    assert "已经发布过" in capsys.readouterr().err
    assert main(["verify", str(releases)]) == 0
    assert "通过 OK" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main([*args[:4], "--effective", "2026/7/1", *args[6:]])


def test_load_serves_a_releases_folder_as_a_policy(three: Path) -> None:
    import pickle

    import gridpolicy

    policy = gridpolicy.load(three)
    assert isinstance(policy, gridpolicy.Policy) and isinstance(policy, ReleaseSet)
    d = policy.route({**ITEM, "reported_at": "2026-07-02T09:00:00+08:00"})
    assert (d.policy.version, d.policy.effective, d.policy.ref) == ("2026.2", dt.date(2026, 7, 1), "屯政法〔2026〕2号")
    assert d.policy.approved_by == "中共屯溪区委政法委员会"
    assert policy.header.version == policy.in_force().version  # what it shows of itself: the release in force now
    assert [r.version for r in policy.releases] == ["2026.1", "2026.2", "2026.3"]
    again = pickle.loads(pickle.dumps(policy))
    assert again.route_json({**ITEM, "reported_at": "2024-05-06T09:00:00+08:00"}) == \
        policy.route_json({**ITEM, "reported_at": "2024-05-06T09:00:00+08:00"})


def test_a_working_folder_names_no_release(tmp_path: Path) -> None:
    import gridpolicy

    d = gridpolicy.load(RULES).route({**ITEM, "reported_at": "2026-07-02T09:00:00+08:00"})
    assert d.policy.approved_by is None and d.policy.ref is None
    assert d.policy.effective == gridpolicy.load(RULES).header.effective


def test_the_service_serves_a_releases_folder(three: Path) -> None:
    from fastapi.testclient import TestClient

    from gridpolicy.server.app import create_app

    client = TestClient(create_app(three, watch=False), base_url="http://127.0.0.1")
    info = client.get("/v1/policy").json()
    assert [r["version"] for r in info["releases"]] == ["2026.1", "2026.2", "2026.3"]
    assert info["in_force"] == "2026.3"
    r = client.post("/v1/route", json={**ITEM, "reported_at": "2026-06-30T09:00:00+08:00"})
    assert r.status_code == 200 and r.json()["policy"]["version"] == "2026.1"
    assert r.json()["policy"]["effective"] == "2024-03-01"


def test_the_site_shows_the_release_history(three: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert main(["docs", str(three), "--out", str(out), "--as-of", "2026-08-01"]) == 0
    page = (out / "releases.md").read_text(encoding="utf-8")
    for version in ("2026.1", "2026.2", "2026.3"):
        assert f"## {version}" in page
    row = next(line for line in page.splitlines() if line.startswith("| [2026.2]"))
    assert "2026-07-01" in row and "屯政法〔2026〕2号" in row and "✅ 现行 in force" in row
    assert "🕒 待施行 upcoming" in page and "已被取代 superseded" in page
    assert "版本：2026.1 → 2026.2" in page  # what changed, in words
    assert "施行时的准入事项" in page
    draft = tmp_path / "draft"
    assert main(["docs", str(RULES), "--out", str(draft), "--releases", str(three)]) == 0
    assert "## 2026.3" in (draft / "releases.md").read_text(encoding="utf-8")


def test_diff_and_replay_take_two_releases(three: Path, capsys: pytest.CaptureFixture[str]) -> None:
    items = Path(__file__).resolve().parent.parent / "examples" / "items.json"
    assert main(["diff", str(three / "2026.1.gprelease"), str(three / "2026.2.gprelease"),
                 "--items", str(items)]) == 0
    out = capsys.readouterr().out
    assert "2026.1 → " in out and "2026.2" in out


def test_cli_release_samples_the_impact_from_a_decision_log(three: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from gridpolicy.decisionlog import DecisionLog, LoggedPolicy

    log = tmp_path / "decisions.sqlite"
    with DecisionLog(log) as dlog:
        logged = LoggedPolicy(ReleaseSet(three), dlog)
        for n in range(5):
            logged.route({**ITEM, "id": f"L-{n}", "reported_at": "2026-11-02T09:00:00+08:00"})
    releases = tmp_path / "releases"
    shutil.copytree(three, releases)
    rules = _rules_copy(tmp_path, "2027.1")
    assert main(["release", str(rules), "--version", "2027.1", "--effective", "2027-01-01", "--approved-by", "区委政法委",
                 "--ref", "屯政法〔2027〕1号", "--releases", str(releases), "--log", str(log)]) == 0
    assert "0/5 件样例" in capsys.readouterr().out
    assert read_bundle(releases / "2027.1.gprelease").manifest["impact"]["items"] == 5
