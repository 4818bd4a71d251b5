"""Lone surrogates (`"\\ud800"`) in items (issue 17 item 7): `route` and `route_json` give the
same ItemError naming the field, the error is always encodable, and the CLI never crashes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gridpolicy
from gridpolicy.contract import ItemError

ROOT = Path(__file__).resolve().parent.parent
BASE = {"id": "U-1", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00"}


@pytest.fixture(scope="module")
def policy() -> gridpolicy.Policy:
    return gridpolicy.load(ROOT / "rules")


def _errors(fn, item: dict) -> dict:
    with pytest.raises(ItemError) as info:
        fn(item)
    out = info.value.to_dict()
    json.dumps(out, ensure_ascii=False).encode("utf-8")  # encodable: no surrogate left in it
    return out


@pytest.mark.parametrize(("change", "path"), [
    ({"summary": "噪音\ud800扰民"}, "summary"),
    ({"id": "\udfff"}, "id"),
    ({"matter": "矛盾\ud83d"}, "matter"),
    ({"grid": "\ud800"}, "grid"),
    ({"needs": ["professional", "\udc00"]}, "needs"),
    ({"\ud800": 1}, "\\ud800"),
])
def test_route_and_route_json_refuse_lone_surrogates_alike(policy: gridpolicy.Policy, change: dict, path: str) -> None:
    item = {**BASE, **change}
    a, b = _errors(policy.route, item), _errors(policy.route_json, item)
    assert a == b
    assert path in [d["path"] for d in a["details"]]
    assert any("surrogate" in d["message_en"] for d in a["details"])


def test_a_real_pair_is_text(policy: gridpolicy.Policy) -> None:
    item = {**BASE, "summary": "楼道积水 \U0001f4a7"}
    assert json.loads(policy.route_json(item)) == json.loads(policy.route(item).model_dump_json())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["id", "summary", "matter", "grid", "zz_unknown"]), st.text(max_size=8),
       st.integers(0xD800, 0xDFFF), st.text(max_size=8))
def test_any_lone_surrogate_anywhere_is_an_item_error(field: str, before: str, code: int, after: str) -> None:
    policy = gridpolicy.load(ROOT / "rules")
    item = {**BASE, field: before + chr(code) + after}
    a, b = _errors(policy.route, item), _errors(policy.route_json, item)
    assert a == b


@pytest.mark.parametrize("mode", [[], ["--jsonl"], ["--explain"], ["--jobs", "2"], ["--jsonl", "--jobs", "2"]])
def test_the_cli_answers_without_a_traceback(tmp_path: Path, mode: list[str]) -> None:
    items = tmp_path / "items.jsonl"
    items.write_text('{"id": "\\ud800", "kind": "issue"}\n{"id": "ok", "kind": "issue", "summary": "\\udc00"}\n'
                     '{"id": "fine", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00"}\n', encoding="ascii")
    proc = subprocess.run([sys.executable, "-m", "gridpolicy", "route", str(ROOT / "rules"), str(items), *mode],
                          capture_output=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr.decode()  # two bad items, one decided
    assert b"Traceback" not in proc.stderr
    out = proc.stdout.decode("utf-8")
    assert "fine" in out and ("surrogate" in out or "invalid_json" in out)


@pytest.mark.parametrize("change", [
    {"summary": "噪音\ud800扰民"}, {"id": "\udfff"}, {"matter": "矛盾\ud83d"}, {"grid": "\ud800"},
    {"grids": ["\ud800"]}, {"needs": ["professional", "\udc00"]},
])
def test_the_fast_path_leaves_lone_surrogates_to_the_full_check(policy: gridpolicy.Policy, change: dict) -> None:
    assert policy.items.plain_values({**BASE, "summary": "楼道积水"}) is not None  # non-ASCII text is plain
    assert policy.items.plain_values({**BASE, **change}) is None
