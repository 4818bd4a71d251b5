"""A smoke run of the benchmark: it still runs and every installed engine agrees with the
hand-written floor. Peers that are not installed are skipped; nothing is downloaded; no
timing is asserted."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import gridpolicy
from gridpolicy.cli import main as cli_main

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import run, workload  # noqa: E402


def test_workload_is_deterministic():
    assert workload.rules(50) == workload.rules(50)
    assert workload.items(20) == workload.items(20)
    assert workload.rules(50)[-1].categories == ()  # the catch-all is last


def test_floor_agrees_with_the_reference_scan():
    rules = workload.rules(200)
    floor = workload.Floor(rules)
    for item in workload.items(500):
        assert floor.decide(item) == workload.reference(rules, item)


def test_the_json_floor_writes_route_json_bytes():
    rules = workload.rules(40)
    policy = gridpolicy.loads(workload.gp_text(rules))
    items = [workload.gp_item(it, k) for k, it in enumerate(workload.items(300))]
    _, bad = run.json_and_invalid(rules, policy, items)
    assert bad == 0
    texts = {}
    for it in items:
        rid = workload.decided_route(policy.route(it))[0]
        texts.setdefault(rid, workload.JsonFloor.texts_of(rid, policy.route_json(it), it))
    floor = workload.JsonFloor(rules, texts)
    for it in items:
        assert floor.decide(it) == policy.route_json(it)
    with pytest.raises((ValueError, KeyError)):
        floor.decide({**items[0], "severity": 9})


def test_smoke_answers_agree(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GRIDPOLICY_CACHE", str(tmp_path / "cache"))
    assert run.main(["--sizes", "10,30", "--items", "60", "--smoke"]) == 0
    assert "smoke: all engines agree" in capsys.readouterr().out


def test_table_is_printed(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GRIDPOLICY_CACHE", str(tmp_path / "cache"))
    assert run.main(["--sizes", "10,20", "--items", "40", "--repeats", "1", "--budget", "0.001",
                     "--cli-lines", "300", "--stream-gb", "0.002", "--no-history"]) == 0
    out = capsys.readouterr().out
    assert "| gridpolicy route() (full Decision) |" in out
    assert "| hand-written Python, indexed by category (floor) |" in out
    assert "| load from cache |" in out
    assert "| `route --jsonl` loop in one process, lines/s |" in out
    assert "| `gridpolicy check` (process) |" in out  # the growth table
    assert "| shipped rules/, items of their schema |" in out  # the real command on the shipped rules
    assert "Fair margins" in out
    assert "| target (issues 7, 14, 22) | met | this run |" in out
    assert "| hand-written Python writing route_json()'s bytes (JSON floor) |" in out
    assert "route_json() ≤ 1.3× its hand-written floor" in out
    assert "an invalid item (a value out of range) costs ≤ a valid one" in out
    assert "| route() on the shipped rules ≤ 25 µs |" in out


def _jsonl_items(path: Path, count: int) -> list[str]:
    lines = [json.dumps(workload.gp_item(it, k)) for k, it in enumerate(workload.items(count))]
    lines.insert(5, "{not json")
    lines.insert(9, json.dumps({"id": "bad", "kind": "issue", "category": "nope", "severity": 1}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


def test_route_jsonl_streams_in_order_with_and_without_jobs(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GRIDPOLICY_CACHE", str(tmp_path / "cache"))
    rules = workload.rules(25)
    folder = workload.write_gp(rules, tmp_path / "rules")
    src = tmp_path / "items.jsonl"
    lines = _jsonl_items(src, 1200)
    outputs = []
    for jobs in ("1", "2"):
        assert cli_main(["route", str(folder), str(src), "--jsonl", "--jobs", jobs]) == 1  # two bad lines
        outputs.append(capsys.readouterr().out.splitlines())
    assert outputs[0] == outputs[1]
    out = [json.loads(x) for x in outputs[0]]
    assert len(out) == len(lines)
    assert out[5]["error"] == "invalid_json" and out[5]["line"] == 6
    assert out[9]["error"] == "invalid_item" and out[9]["item_id"] == "bad"
    good = [(json.loads(x), o) for x, o in zip(lines, out) if "error" not in o]
    assert len(good) == len(lines) - 2
    for item, decision in good:
        expected = workload.reference(rules, {"category": item["category"], "severity": item["severity"],
                                              "a": item["flag_a"], "b": item["flag_b"], "c": item["flag_c"]})
        route_ids = [r["id"] for r in decision["reasons"] if r["kind"] == "route"]
        assert (route_ids[-1], decision["tier"]["code"]) == expected
        assert decision["item_id"] == item["id"]


def test_route_json_array_with_jobs_matches_one_process(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GRIDPOLICY_CACHE", str(tmp_path / "cache"))
    folder = workload.write_gp(workload.rules(15), tmp_path / "rules")
    src = tmp_path / "items.json"
    src.write_text(json.dumps([workload.gp_item(it, k) for k, it in enumerate(workload.items(50))]), encoding="utf-8")
    assert cli_main(["route", str(folder), str(src)]) == 0
    one = capsys.readouterr().out
    assert cli_main(["route", str(folder), str(src), "-j", "2"]) == 0
    assert capsys.readouterr().out == one
    with pytest.raises(SystemExit) as info:  # an argument error: one line on stderr, exit 2
        cli_main(["route", str(folder), str(src), "-j", "0"])
    assert info.value.code == 2


def test_route_many_is_lazy():
    policy = gridpolicy.loads(workload.gp_text(workload.rules(10)))

    def endless():
        k = 0
        while True:
            yield workload.gp_item(workload.items(1, seed=k)[0], k)
            k += 1
    stream = policy.route_many(endless())
    first = [next(stream) for _ in range(5)]
    assert [d.item_id for d in first] == ["s0", "s1", "s2", "s3", "s4"]


def test_route_jsonl_workers_write_in_input_order(tmp_path):
    """With a real output file or pipe, `--jobs N` workers write their chunks themselves, in
    turn; the output is the one-process output, byte for byte, errors included."""
    import subprocess

    from gridpolicy.cli import route_cmd

    rules = workload.rules(40)
    folder = workload.write_gp(rules, tmp_path / "rules")
    src = tmp_path / "items.jsonl"
    lines = _jsonl_items(src, 6000)  # several chunks of input
    assert src.stat().st_size > 2 * route_cmd.CHUNK
    env = {"GRIDPOLICY_CACHE": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    runs = {}
    for jobs in ("1", "3"):
        out = tmp_path / f"out{jobs}.jsonl"
        with out.open("wb") as fh:
            done = subprocess.run([sys.executable, "-m", "gridpolicy", "route", str(folder), str(src), "--jsonl",
                                   "-j", jobs], stdout=fh, env=env, cwd=ROOT, check=False)
        assert done.returncode == 1  # the two bad lines
        runs[jobs] = out.read_bytes()
    piped = subprocess.run([sys.executable, "-m", "gridpolicy", "route", str(folder), str(src), "--jsonl", "-j", "2"],
                           capture_output=True, env=env, cwd=ROOT, check=False)
    assert runs["1"] == runs["3"] == piped.stdout
    assert len(runs["1"].splitlines()) == len(lines)


def test_history_without_the_commit_is_left_out(tmp_path):
    from benchmarks import history

    assert history.tree("0" * 40, tmp_path / "t") is None
