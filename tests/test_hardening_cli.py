"""The command line with hostile input files: a message and an exit code, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gridpolicy.cli import main

RULES = str(Path(__file__).resolve().parent.parent / "rules")


@pytest.mark.parametrize(("content", "message"), [
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b'{"id": ' + b"[" * 5_000 + b"]" * 5_000 + b', "kind": "issue"}', "nested too deeply"),
    (b"\xff\xfe\x00", "cannot read"),
    (b'{"id": "x", "kind": ', "invalid JSON"),
])
def test_route_with_unreadable_items_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "items.json"
    path.write_bytes(content)
    with pytest.raises(SystemExit) as info:
        main(["route", RULES, str(path)])
    assert message in str(info.value.code)


def test_route_jsonl_with_a_deeply_nested_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = {"id": "a", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00"}
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps(good) + "\n" + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    assert main(["route", RULES, str(path), "--jsonl"]) == 1
    lines = [json.loads(ln) for ln in capsys.readouterr().out.splitlines() if ln.strip()]
    assert lines[0]["item_id"] == "a" and lines[1]["error"] == "invalid_json" and lines[1]["line"] == 2


def test_check_with_a_hostile_rule_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.gp").write_text("route r { when " + "not " * 500 + "x }\n", encoding="utf-8")
    (tmp_path / "b.gp").write_text('tier g “网格”\n', encoding="utf-8")
    (tmp_path / "c.gp").write_bytes(b"tier caf\xe9\n")
    assert main(["check", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "GP013" in err and "GP004" in err and "GP014" in err and "Traceback" not in err
