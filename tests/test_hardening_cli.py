"""The command line with hostile input files: a message and an exit code, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridpolicy.cli import main

ROOT = Path(__file__).resolve().parent.parent

RULES = str(Path(__file__).resolve().parent.parent / "rules")


@pytest.mark.parametrize(("content", "message"), [
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b'{"id": ' + b"[" * 5_000 + b"]" * 5_000 + b', "kind": "issue"}', "nested too deeply"),
    (b"\xff\xfe\x00", "cannot read"),
    (b'{"id": "x", "kind": ', "invalid JSON"),
])
def test_route_with_unreadable_items_file(tmp_path: Path, content: bytes, message: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "items.json"
    path.write_bytes(content)
    try:
        code: object = main(["route", RULES, str(path)])
    except SystemExit as exc:
        code = exc.code
    assert code not in (0, None)
    assert message in str(code) + capsys.readouterr().err


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


@pytest.mark.parametrize(("line", "error"), [
    (b'{"id": "n", "kind": "issue", "urgency": NaN}', "invalid_json"),
    (b'{"id": "n", "kind": "issue", "people": 1' + b"0" * 30 + b"}", "invalid_item"),  # read as 1e30
    (b'{"id": "\xff\xfe", "kind": "issue"}', "invalid_json"),
    (b'["not", "an", "object"]', "invalid_item"),
    (b'{"id": "n", "kind": "issue", "urgency": "critical"}', "invalid_item"),
    (b"   ", None),
])
def test_route_jsonl_bad_lines_are_reported_in_place(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes],
                                                      line: bytes, error: str | None) -> None:
    good = b'{"id": "a", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00"}'
    path = tmp_path / "items.jsonl"
    path.write_bytes(good + b"\n" + line + b"\n" + good.replace(b'"a"', b'"b"') + b"\n")
    assert main(["route", RULES, str(path), "--jsonl"]) == (0 if error is None else 1)
    out = [json.loads(x) for x in capsysbinary.readouterr().out.splitlines()]
    assert [o.get("item_id") for o in (out[0], out[-1])] == ["a", "b"]
    if error is None:
        assert len(out) == 2
    else:
        assert len(out) == 3 and out[1]["error"] == error
        if error == "invalid_json":
            assert out[1]["line"] == 2 and "第 2 行" in out[1]["details"][0]["message_zh"]


# ---- JSON lines arrive in pieces: whole lines, numbered, and answered as they come -------------

class Pieces:
    """A stream whose every read returns the next given piece (as a pipe returns what is there)."""

    def __init__(self, pieces: list[bytes]):
        self.pieces = list(pieces)

    def read1(self, size: int) -> bytes:
        return self.pieces.pop(0)[:size] if self.pieces else b""


LINES = st.lists(st.sampled_from([b'{"id": "a"}', b"", b"  ", b'{"id": "b"}\r', b"x" * 40, b"[1, 2]"]), max_size=12)


@settings(max_examples=200, deadline=None)
@given(LINES, st.booleans(), st.lists(st.integers(1, 30), min_size=1, max_size=40))
def test_chunks_are_whole_lines_numbered_in_order(lines: list[bytes], ended: bool, cuts: list[int]) -> None:
    from gridpolicy.cli.route_cmd import read_chunks

    data = b"\n".join(lines) + (b"\n" if ended and lines else b"")
    pieces, at = [], 0
    for k in range(len(data)):  # cut the input into pieces of the given sizes, over and over
        size = cuts[k % len(cuts)]
        if at >= len(data):
            break
        pieces.append(data[at:at + size])
        at += size
    chunks = list(read_chunks(Pieces(pieces)))  # type: ignore[arg-type]
    assert b"".join(c for _, c in chunks) == data
    assert all(c.endswith(b"\n") for _, c in chunks[:-1])
    expected_first = 1
    for first, c in chunks:
        assert first == expected_first
        expected_first += c.count(b"\n")


def test_a_line_longer_than_a_read_stays_whole(monkeypatch) -> None:
    from gridpolicy.cli import route_cmd

    monkeypatch.setattr(route_cmd, "CHUNK", 8)
    data = b'{"id": "' + b"y" * 100 + b'"}\n{"id": "z"}\n'
    stream = Pieces([data[k:k + 8] for k in range(0, len(data), 8)])
    chunks = list(route_cmd.read_chunks(stream))  # type: ignore[arg-type]
    assert [first for first, _ in chunks] == [1, 2] and b"".join(c for _, c in chunks) == data


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_route_jsonl_answers_each_line_as_it_comes(jobs: str) -> None:
    """A host that writes one item and waits for its decision gets it (no read-ahead stalls)."""
    import select
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "gridpolicy", "route", str(ROOT / "rules"), "-", "--jsonl",
                             "--jobs", jobs], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        for k in range(3):
            item = {"id": f"w{k}", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00"}
            proc.stdin.write(json.dumps(item).encode() + b"\n")
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], 60)
            assert ready, f"no decision for line {k + 1} while the input stays open"
            assert json.loads(proc.stdout.readline())["item_id"] == f"w{k}"
        proc.stdin.close()
        assert proc.wait(60) == 0 and proc.stdout.read() == b""
    finally:
        proc.kill()
