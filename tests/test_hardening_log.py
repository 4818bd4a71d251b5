"""The decision log as an attacker and an operator try it (issue 17 items 4, 9 and 10).

Personal data masked with a keyed hash, files created 0600; a torn tail repaired at open and a
failed write cut back off (nothing unanswered stays logged, nothing answered is lost); `log` and
`replay` stream, open read-only, and report and skip corrupt entries.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gridpolicy
from gridpolicy.cli import main
from gridpolicy.decisionlog import DecisionLog, LoggedPolicy, Query
from gridpolicy.logfile import LogError
from gridpolicy.pii import Masker, id_number_valid, load_key, luhn_valid

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "fuzz"))

import targets  # noqa: E402

# `make fuzz` runs the fuzz targets below at full size (GRIDPOLICY_FUZZ_EXAMPLES=20000)
FUZZ_EXAMPLES = int(os.environ.get("GRIDPOLICY_FUZZ_EXAMPLES", "150"))

KEY = b"k" * 32
WHEN = "2026-03-02T10:00:00+08:00"


def id_number(body17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body17 + "10X98765432"[sum(int(c) * w for c, w in zip(body17, weights)) % 11]


ID = id_number("34100219900307123")
ID_X = next(i for i in (id_number(f"34100219850610{n:03d}") for n in range(200)) if i.endswith("X"))
CARD = "6222021234567890128"  # passes Luhn


@pytest.fixture(scope="module")
def policy() -> gridpolicy.Policy:
    return gridpolicy.load(ROOT / "rules")


def _item(n: int, **extra: object) -> dict:
    return {"id": f"P-{n}", "kind": "issue", "reported_at": WHEN, **extra}


# ---- detection -------------------------------------------------------------------------------

def test_check_digits() -> None:
    assert id_number_valid(ID) and id_number_valid(ID_X) and id_number_valid(ID_X.lower())
    assert not id_number_valid(ID[:-1] + ("0" if ID[-1] != "0" else "1"))  # wrong check digit
    assert not id_number_valid("341002199013071230")  # month 13
    assert luhn_valid(CARD) and not luhn_valid(CARD[:-1] + "9")


@pytest.mark.parametrize(("text", "kinds"), [
    (f"居民身份证号 {ID}，请回电", ["id_number"]),
    (f"身份证{ID_X}", ["id_number"]),
    (f"身份证{ID_X.lower()}", ["id_number"]),
    ("联系电话13812345678", ["mobile"]),
    ("电话 +86 138 1234 5678 转", ["mobile"]),
    ("手机：138-1234-5678。", ["mobile"]),
    ("８６１３８１２３４５６７８"[2:], ["mobile"]),  # full-width digits from an input method
    ("邮箱 zhang.san+x@example.com.cn", ["email"]),
    (f"银行卡 {CARD}", ["bank_card"]),
    ("固话 0559-2345678 或 (0559)2345678", ["landline", "landline"]),
    (f"{ID} 和 13900001111", ["id_number", "mobile"]),
])
def test_patterns_found_in_free_text(text: str, kinds: list[str]) -> None:
    masked = Masker(KEY).mask_text(text)
    assert [k.split("#")[0] for k in masked.split("[")[1:]] == kinds, masked
    for digits in ("13812345678", "12345678", ID[:17], CARD[:12], "zhang.san"):
        assert digits not in masked


@pytest.mark.parametrize("text", [
    "341002001001001",  # a grid code (15 digits, date-like in the middle)
    ID[:-1] + ("0" if ID[-1] != "0" else "1"),  # 18 digits, wrong check digit: an order number
    "2026-03-02T10:00:00+08:00", "12345 政务服务便民热线", "110", "第 15 个工作日",
    "213812345678",  # a mobile number inside a longer number is not one
    "M01 矛盾纠纷调解", "6222021234567890129",  # fails Luhn
])
def test_what_is_not_personal_is_kept(text: str) -> None:
    assert Masker(KEY).mask_text(text) == text


def test_declared_fields_tokens_and_keys() -> None:
    m = Masker(KEY, fields=frozenset({"reporter", "Phone"}))
    value = {"reporter": "张三", "phone": 13812345678, "nested": [{"PHONE": "n/a"}], "note": "13812345678",
             "count": 12, "ok": True, "reporter_none": None}
    out = m.mask(value)
    assert out["reporter"].startswith("[field#") and out["phone"].startswith("[field#")
    assert out["nested"][0]["PHONE"].startswith("[field#")
    assert out["note"].startswith("[mobile#") and out["count"] == 12 and out["ok"] is True
    assert m.mask({"x": 13812345678})["x"].startswith("[mobile#")  # a number written as digits
    # the same person, the same token, however the number was written; another key, another token
    assert m.mask_text("13812345678") == m.mask_text("138 1234 5678") == m.mask_text("+86-138-1234-5678")
    assert Masker(b"o" * 32).mask_text("13812345678") != m.mask_text("13812345678")
    assert m.token("mobile", "13812345678") in m.tokens_for("13812345678")
    with pytest.raises(ValueError, match="16"):
        Masker(b"short")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=30), st.from_regex(r"[1-6][0-9]{5}(19[0-9]{2}|200[0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])"
                                            r"[0-9]{3}", fullmatch=True), st.text(max_size=30))
def test_every_valid_id_number_in_text_is_masked(before: str, body: str, after: str) -> None:
    number = id_number(body)
    sep = " "  # the number stands on its own (a digit beside it makes a longer number)
    masked = Masker(KEY).mask_text(before + sep + number + sep + after)
    assert number not in masked and "[id_number#" in masked


# ---- the log: masked, private, traceable ----------------------------------------------------------

@pytest.mark.parametrize("name", ["m.sqlite", "m.jsonl"])
def test_log_is_masked_private_and_traceable(tmp_path: Path, policy: gridpolicy.Policy, name: str,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("GRIDPOLICY_LOG_KEY", raising=False)
    path = tmp_path / name
    summary = f"居民反映噪音，身份证 {ID}，电话 13812345678"
    with DecisionLog(path) as log:
        logged = LoggedPolicy(policy, log)
        d1 = logged.route(_item(1, summary=summary))
        d2 = logged.route(_item(2, summary="同一人再次来电 138 1234 5678"))
        logged.route(_item(3, summary="无个人信息"))
        assert d1.item_id == "P-1"  # the caller gets the decision unmasked
    files = [p for p in tmp_path.iterdir()]
    raw = b"".join(p.read_bytes() for p in files if p.is_file())
    assert ID.encode() not in raw and b"13812345678" not in raw and b"1234 5678" not in raw
    for p in files:  # the log, its -wal/-shm and the key: owner only
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, (p.name, oct(p.stat().st_mode))
    assert (tmp_path / f"{name}.key").stat().st_size == 32
    entries = list(DecisionLog(path, readonly=True))
    assert entries[0].input["summary"].startswith("居民反映噪音，身份证 [id_number#")
    # those with the key find the person in every entry, however the number was written
    found = [e.decision_id for e in DecisionLog(path, readonly=True).query(Query(trace="13812345678"))]
    assert found == [d1.decision_id, d2.decision_id]
    assert main(["log", str(path), "--trace", ID, "--json"]) == 0
    assert [json.loads(x)["decision_id"] for x in capsys.readouterr().out.splitlines()] == [d1.decision_id]
    # without the key, no tracing (and a clear message)
    (tmp_path / f"{name}.key").rename(tmp_path / "elsewhere.key")
    assert main(["log", str(path), "--trace", ID]) == 2
    assert "key" in capsys.readouterr().err


def test_key_from_the_environment_and_masking_off(tmp_path: Path, policy: gridpolicy.Policy,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRIDPOLICY_LOG_KEY", "00" * 32)
    assert load_key(tmp_path / "x.sqlite") == bytes(32)
    with DecisionLog(tmp_path / "e.jsonl") as log:
        LoggedPolicy(policy, log).route(_item(1, summary="电话 13812345678"))
    assert not (tmp_path / "e.jsonl.key").exists()
    with DecisionLog(tmp_path / "off.jsonl", masking=False) as log:
        LoggedPolicy(policy, log).route(_item(1, summary="电话 13812345678"))
    assert b"13812345678" in (tmp_path / "off.jsonl").read_bytes()


def test_item_id_that_is_a_phone_number_is_masked_and_still_found(tmp_path: Path, policy: gridpolicy.Policy,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRIDPOLICY_LOG_KEY", raising=False)
    path = tmp_path / "i.sqlite"
    with DecisionLog(path) as log:
        d = LoggedPolicy(policy, log).route({**_item(0), "id": "13812345678"})
    assert b"13812345678" not in path.read_bytes()
    [e] = DecisionLog(path, readonly=True).query(Query(item="13812345678"))
    assert e.decision_id == d.decision_id and e.item_id.startswith("[mobile#")


# ---- a crash mid-write; a full disk -----------------------------------------------------------------

def test_torn_tail_is_repaired_at_open_and_the_next_decision_kept(tmp_path: Path, policy: gridpolicy.Policy) -> None:
    path = tmp_path / "t.jsonl"
    with DecisionLog(path) as log:
        first = LoggedPolicy(policy, log).route(_item(1)).decision_id
    with open(path, "ab") as f:
        f.write(b'{"decision_id": "torn", "at": "2026')  # a crash mid-write
    with DecisionLog(path) as log:
        assert log.repaired == len(b'{"decision_id": "torn", "at": "2026')
        second = LoggedPolicy(policy, log).route(_item(2)).decision_id
    assert path.read_bytes().endswith(b"\n") and path.read_bytes().count(b"\n") == 2
    assert [e.decision_id for e in DecisionLog(path, readonly=True)] == [first, second]
    assert b'"torn"' in (tmp_path / "t.jsonl.torn").read_bytes()
    assert stat.S_IMODE((tmp_path / "t.jsonl.torn").stat().st_mode) == 0o600


def test_a_second_writer_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.jsonl"
    with DecisionLog(path), pytest.raises(LogError, match="another process"):
        DecisionLog(path)
    assert list(DecisionLog(path, readonly=True)) == []  # readers are never refused


FULL_DISK = textwrap.dedent("""
    import json, os, resource, signal, sys
    import gridpolicy
    from gridpolicy.decisionlog import DecisionLog, LoggedPolicy
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # writes past the limit fail with EFBIG
    policy = gridpolicy.load(sys.argv[1])
    log = DecisionLog(sys.argv[2])
    logged = LoggedPolicy(policy, log)
    for n in range(3):
        print("ok", logged.route({"id": f"W-{n}", "kind": "issue"}).decision_id, flush=True)
    size = sum(os.path.getsize(p) for p in (sys.argv[2], sys.argv[2] + "-wal") if os.path.exists(p))
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 60_000, resource.RLIM_INFINITY))
    failed = 0
    for n in range(3, 400):
        try:
            print("ok", logged.route({"id": f"W-{n}", "kind": "issue", "summary": "x" * 900}).decision_id, flush=True)
        except Exception as exc:  # OSError (JSON lines) or sqlite3.OperationalError
            failed += 1
            print("failed", type(exc).__name__, flush=True)
    print("failures", failed, flush=True)
""")


@pytest.mark.parametrize("name", ["full.jsonl", "full.sqlite"])
def test_a_full_disk_logs_only_what_was_answered(tmp_path: Path, name: str) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules, ignore=shutil.ignore_patterns("tests"))
    proc = subprocess.run([sys.executable, "-c", FULL_DISK, str(rules), str(tmp_path / name)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.split("\n")
    answered = [ln.split()[1] for ln in lines if ln.startswith("ok ")]
    failures = int(next(ln for ln in lines if ln.startswith("failures")).split()[1])
    assert failures > 0 and len(answered) + failures == 400
    logged = [e.decision_id for e in DecisionLog(tmp_path / name, readonly=True, on_corrupt=pytest.fail)]
    assert logged == answered  # every answered decision, and none that failed
    if name.endswith(".jsonl"):
        assert (tmp_path / name).read_bytes().endswith(b"\n")


# ---- reading: streamed, read-only, corrupt entries skipped ---------------------------------------------

def _big_sqlite(path: Path, rows: int) -> None:
    with DecisionLog(path, masking=False) as log:
        from gridpolicy.contract import PolicyRef

        ref = PolicyRef(name="p", version="1", digest="d" * 64)
        blob = {"summary": "x" * 2000}
        for start in range(0, rows, 1000):
            log.record_many([("route", blob, {"item_id": f"B-{n}", "outcome": "handle"}, ref, 1.0, None, None)
                             for n in range(start, start + 1000)])


@pytest.mark.parametrize("name", ["big.sqlite", "big.jsonl"])
def test_reading_streams(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    _big_sqlite(path, 20_000)
    assert path.stat().st_size > 40_000_000 or name.endswith(".sqlite")
    tracemalloc.start()
    first = next(iter(DecisionLog(path, readonly=True).query(Query(kind="route"), limit=1)))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert first.item_id == "B-0"
    assert peak < 4_000_000, peak  # the log is over 40 MB


def _corrupt_jsonl(path: Path, policy: gridpolicy.Policy) -> list[str]:
    with DecisionLog(path) as log:
        ids = [LoggedPolicy(policy, log).route(_item(n)).decision_id for n in range(3)]
    good = path.read_bytes().split(b"\n")
    bad = [b"not json", b"[1, 2]", b'{"decision_id": 1}', b'{"decision_id": "x", "at": "yesterday", "kind": "route",'
           b' "policy": {"name": "p", "version": "1", "digest": "d"}, "input": {}, "output": {}, "latency_ms": 1}',
           b"\xff\xfe garbage", b'{"decision_id": "y", "at": "2026-03-02T10:00:00", "kind": "route", "policy": '
           b'{"name": "p", "version": "1", "digest": "d"}, "input": {}, "output": {}, "latency_ms": 1}']
    path.write_bytes(b"\n".join([good[0], *bad[:3], good[1], *bad[3:], good[2]]) + b"\n" + b'{"torn')
    return ids


def test_corrupt_jsonl_entries_are_reported_and_skipped(tmp_path: Path, policy: gridpolicy.Policy,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.jsonl"
    ids = _corrupt_jsonl(path, policy)
    seen: list[str] = []
    log = DecisionLog(path, readonly=True, on_corrupt=lambda c: seen.append(c.where))
    assert [e.decision_id for e in log] == ids
    assert seen == ["line 2", "line 3", "line 4", "line 6", "line 7", "line 8", "line 10"]
    assert main(["log", str(path)]) == 0
    err = capsys.readouterr().err
    assert "共 3 条" in err and "skipped 7 corrupt" in err and "line 10" in err
    assert main(["replay", str(path), "--policy", str(ROOT / "rules"), "--fail-on-change"]) == 0
    assert "replayed 3" in capsys.readouterr().err


def test_corrupt_sqlite_rows_are_reported_and_skipped(tmp_path: Path, policy: gridpolicy.Policy,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.sqlite"
    with DecisionLog(path) as log:
        ids = [LoggedPolicy(policy, log).route(_item(n)).decision_id for n in range(3)]
    with sqlite3.connect(path) as db:
        db.execute("UPDATE decisions SET output='{not json' WHERE decision_id=?", (ids[1],))
        db.execute("UPDATE decisions SET at='noon' WHERE decision_id=?", (ids[2],))
    assert main(["log", str(path)]) == 0
    err = capsys.readouterr().err
    assert "共 1 条" in err and "row 2" in err and "row 3" in err
    assert [e.decision_id for e in DecisionLog(path, readonly=True, on_corrupt=lambda c: None)] == ids[:1]


def _read_only(folder: Path, cmd: list[str]) -> list[str]:
    """`cmd` run where `folder` cannot be written: a read-only bind mount in a mount namespace
    of its own as root (chmod does not stop root), the folder's mode otherwise."""
    if os.geteuid() != 0:
        return cmd
    script = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" && exec "$@"'
    probe = subprocess.run(["unshare", "-m", "sh", "-c", script + ' && exit 0', str(folder), "true"],
                           capture_output=True, check=False) if shutil.which("unshare") else None
    if probe is None or probe.returncode != 0:
        pytest.skip("running as root without mount namespaces: cannot make a read-only folder")
    return ["unshare", "-m", "sh", "-c", script, str(folder), *cmd]


@pytest.mark.parametrize("name", ["ro.sqlite", "ro.jsonl"])
def test_log_and_replay_on_read_only_media(tmp_path: Path, policy: gridpolicy.Policy, name: str) -> None:
    folder = tmp_path / "media"
    folder.mkdir()
    with DecisionLog(folder / name, masking=False) as log:
        ids = [LoggedPolicy(policy, log).route(_item(n)).decision_id for n in range(3)]
    for p in folder.iterdir():
        p.chmod(0o444)
    folder.chmod(0o555)
    before = sorted(p.name for p in folder.iterdir())
    run = [sys.executable, "-m", "gridpolicy"]
    try:
        out = subprocess.run(_read_only(folder, [*run, "log", str(folder / name), "--json"]), capture_output=True,
                             text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert [json.loads(x)["decision_id"] for x in out.stdout.splitlines()] == ids
        out = subprocess.run(_read_only(folder, [*run, "replay", str(folder / name), "--policy", str(ROOT / "rules")]),
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0 and "replayed 3" in out.stderr, out.stderr
        assert sorted(p.name for p in folder.iterdir()) == before  # nothing created beside it
    finally:
        folder.chmod(0o755)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.binary(max_size=60), st.sampled_from(targets.LOG_LINES)), max_size=8))
def test_fuzz_log_reader_target(lines: list[bytes]) -> None:
    """The log reader fuzz target: any bytes as a JSON lines log give entries or reported skips."""
    targets.check_log(b"\n".join(lines))
