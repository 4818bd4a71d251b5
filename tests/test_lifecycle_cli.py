"""`gridpolicy case` and `gridpolicy schema case|case-state`."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
import pytest

from gridpolicy.cli import main

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "examples" / "cases" / "extension_then_overdue.json"
LINES = ROOT / "examples" / "cases" / "cases.jsonl"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_case_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "case", str(ROOT / "rules"), str(CASE))
    assert code == 0
    state = json.loads(out)
    assert state["status"] == "reopened" and state["redos"] == 1
    code, out, _ = run(capsys, "schema", "case-state")
    jsonschema_rs.validator_for(json.loads(out), validate_formats=True).validate(state)


def test_case_at_a_time(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "case", str(ROOT / "rules"), str(CASE), "--at", "2026-03-13T11:00:00+08:00")
    state = json.loads(out)
    assert (code, state["status"], state["overdue"]["workdays"]) == (0, "overdue", 1)
    assert [n["kind"] for n in state["notices"]] == ["remind"]


def test_case_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "case", str(ROOT / "rules"), str(CASE), "--explain")
    assert code == 0
    assert "重办中（reopened）" in out and "时间线 timeline" in out and "rules/60_lifecycle.gp:" in out


def test_case_jsonl_streams_states_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = {"item": {"id": "x", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00"},
           "events": [{"type": "arbitrated", "at": "2026-03-03T10:00:00+08:00", "to": "zhujian"}]}
    src = tmp_path / "cases.jsonl"
    src.write_text(LINES.read_text(encoding="utf-8") + "\nnot json\n" + json.dumps(bad) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "case", str(ROOT / "rules"), str(src), "--jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [r.get("status") or r["error"] for r in rows] == ["open", "merged", "invalid_json", "invalid_case"]
    assert rows[3]["details"][0]["path"] == "events[0].type" and rows[3]["where"] == "line 5"


def test_case_bad_at(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["case", str(ROOT / "rules"), str(CASE), "--at", "2026-03-13T11:00:00"])


def test_case_schema_accepts_the_examples(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", "case")
    validator = jsonschema_rs.validator_for(json.loads(out), validate_formats=True)
    validator.validate(json.loads(CASE.read_text(encoding="utf-8")))
    for line in LINES.read_text(encoding="utf-8").splitlines():
        validator.validate(json.loads(line))
    assert not validator.is_valid({"item": {"id": "x", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00"},
                                   "events": [{"type": "extension_requested", "at": "2026-03-02T10:00:00+08:00",
                                               "reason": "x"}]})


def test_case_jsonl_with_primaries(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    merged = json.loads((ROOT / "examples" / "cases" / "merged_with_primary.json").read_text(encoding="utf-8"))
    src = tmp_path / "cases.jsonl"
    src.write_text(json.dumps(merged, ensure_ascii=False) + "\n" + json.dumps({**merged, "primary": {"item": 1}}) + "\n",
                   encoding="utf-8")
    code, out, _ = run(capsys, "case", str(ROOT / "rules"), str(src), "--jsonl", "--at", "2026-03-10T10:00:00+08:00")
    first, second = (json.loads(line) for line in out.splitlines())
    assert code == 1
    assert (first["status"], first["primary"]["case_id"], first["primary"]["status"]) == ("merged", "B-1", "overdue")
    assert second["error"] == "invalid_case" and second["details"][0]["path"] == "primary.item"
    code, out, _ = run(capsys, "case", str(ROOT / "rules"), str(ROOT / "examples" / "cases" / "merged_with_primary.json"),
                       "--explain", "--at", "2026-03-10T10:00:00+08:00")
    assert "主案件 primary B-1：已逾期（overdue）" in out
