"""Hot reload as deploys and editors do it (issue 17 items 2 and 3).

A folder deleted and made again, a symlink swapped to a new release, a registry edit, a save
that pauses mid-write, a file saved empty, a change the rule tests reject, a watcher that fails.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from gridpolicy.server import state as state_mod
from gridpolicy.server.state import PolicyHolder

ROOT = Path(__file__).resolve().parent.parent
ITEM = {"id": "R-1", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00"}


def _copy(dest: Path, version: str | None = None, tests: bool = False) -> Path:
    shutil.copytree(ROOT / "rules", dest, ignore=None if tests else shutil.ignore_patterns("tests"))
    if version:
        _set_version(dest, version)
    return dest


def _header(rules: Path) -> Path:
    return next(f for f in sorted(rules.glob("*.gp")) if re.search(r'^\s*version\s+"', f.read_text("utf-8"), re.M))


def _set_version(rules: Path, version: str) -> None:
    f = _header(rules)
    f.write_text(re.sub(r'(^\s*version\s+")[^"]*"', rf'\g<1>{version}"', f.read_text("utf-8"), count=1, flags=re.M),
                 encoding="utf-8")


def _wait(pred: Callable[[], bool], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


@pytest.fixture
def holder_at() -> Iterator[Callable[..., PolicyHolder]]:
    made: list[PolicyHolder] = []

    def make(path: Path, **kw: object) -> PolicyHolder:
        h = PolicyHolder(path, poll=0.05, quiet=kw.pop("quiet", 0.3), **kw)  # type: ignore[arg-type]
        h.watch()
        made.append(h)
        return h

    yield make
    for h in made:
        h.stop()


def test_folder_deleted_and_made_again(tmp_path: Path, holder_at: Callable[..., PolicyHolder]) -> None:
    rules = _copy(tmp_path / "rules")
    h = holder_at(rules)
    shutil.rmtree(rules)
    time.sleep(0.3)
    assert h.current.policy.route(ITEM)  # still serving
    _copy(rules, "2.0-recreated")
    _wait(lambda: h.current.policy.header.version == "2.0-recreated")
    _set_version(rules, "2.1-edited-after")  # and the new folder is watched too
    _wait(lambda: h.current.policy.header.version == "2.1-edited-after")


def test_symlink_swap_deploy(tmp_path: Path, holder_at: Callable[..., PolicyHolder]) -> None:
    _copy(tmp_path / "release-1", "1.0")
    _copy(tmp_path / "release-2", "2.0")
    current = tmp_path / "current"
    current.symlink_to(tmp_path / "release-1", target_is_directory=True)
    h = holder_at(current)
    assert h.current.policy.header.version == "1.0"
    tmp_link = tmp_path / "current.new"
    tmp_link.symlink_to(tmp_path / "release-2", target_is_directory=True)
    os.replace(tmp_link, current)  # the atomic swap deploy tools do
    _wait(lambda: h.current.policy.header.version == "2.0")
    assert h.shown_path == "current"


def test_registry_edits_are_reloaded(tmp_path: Path, holder_at: Callable[..., PolicyHolder]) -> None:
    rules = _copy(tmp_path / "rules")
    h = holder_at(rules)
    grids = rules / "registry" / "grids.yaml"
    old = h.current.policy.digest
    grids.write_text(grids.read_text("utf-8").replace("水心亭社区第一网格", "水心亭社区第一网格（更名）", 1), "utf-8")
    _wait(lambda: h.current.policy.digest != old)
    assert any(g.name == "水心亭社区第一网格（更名）" for g in h.current.policy.model.grids)


def test_a_save_that_pauses_mid_write_is_not_read_half_written(tmp_path: Path,
                                                               holder_at: Callable[..., PolicyHolder]) -> None:
    rules = _copy(tmp_path / "rules")
    h = holder_at(rules, quiet=1.0)
    f = rules / "40_routing.gp"
    text = f.read_text("utf-8").replace("\n", "\n\n", 1)  # a real change
    with f.open("w", encoding="utf-8") as out:
        out.write(text[: len(text) // 2])
        out.flush()
        time.sleep(0.6)  # the editor pauses mid-write
        out.write(text[len(text) // 2:])
    _wait(lambda: h.reloads == 1)
    assert h.last_error is None  # the half file was never tried


def test_a_file_saved_empty_is_refused_unless_explicit(tmp_path: Path,
                                                       holder_at: Callable[..., PolicyHolder]) -> None:
    rules = _copy(tmp_path / "rules")
    h = holder_at(rules)
    formulas = len(h.current.policy.model.formulas)
    assert formulas
    (rules / "50_evaluation.gp").write_text("", encoding="utf-8")
    _wait(lambda: h.last_error is not None)
    assert h.last_error.diagnostics[0]["code"] == "RELOAD-KINDS"
    assert "formulas" in h.last_error.diagnostics[0]["message_en"] and "公式" in h.last_error.diagnostics[0]["message_zh"]
    assert len(h.current.policy.model.formulas) == formulas  # the last good policy serves
    changed, err = h.reload(allow_removal=True)  # POST /v1/reload?allow_removal=true
    assert changed and err is None and not h.current.policy.model.formulas


def test_removing_a_kind_with_a_new_version_is_explicit(tmp_path: Path, holder_at: Callable[..., PolicyHolder]) -> None:
    rules = _copy(tmp_path / "rules")
    h = holder_at(rules)
    (rules / "50_evaluation.gp").write_text("", encoding="utf-8")
    _set_version(rules, "2026.2-no-formulas")
    _wait(lambda: h.current.policy.header.version == "2026.2-no-formulas")
    assert not h.current.policy.model.formulas


def test_rule_tests_run_before_a_reload_goes_live(tmp_path: Path, holder_at: Callable[..., PolicyHolder]) -> None:
    rules = _copy(tmp_path / "rules", tests=True)
    import gridpolicy

    current = gridpolicy.load(rules).header.version
    (rules / "tests" / "zz_version.yaml").write_text(
        f'- name: the version the tests were written for\n  item: {{id: v, kind: issue, reported_at: '
        f'"2026-03-02T10:00:00+08:00"}}\n  expect: {{policy.version: "{current}"}}\n', encoding="utf-8")
    h = holder_at(rules)
    original = h.current.policy.digest
    _set_version(rules, "untested")
    _wait(lambda: h.last_error is not None)
    d = h.last_error.diagnostics[0]
    assert d["code"] == "RELOAD-TEST" and d["where"].startswith("rules/tests/zz_version.yaml:")
    assert "policy.version" in d["message_en"] and d["message_zh"].startswith("规则测试未通过")
    assert h.current.policy.digest == original
    h.run_tests = False  # gridpolicy serve --no-reload-tests
    changed, err = h.reload()
    assert changed and err is None and h.current.policy.header.version == "untested"


def test_watcher_failure_is_reported_and_restarted(tmp_path: Path, holder_at: Callable[..., PolicyHolder],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    rules = _copy(tmp_path / "rules")
    real = state_mod.fingerprint
    calls = {"n": 0}

    def flaky(path: Path) -> tuple[object, ...]:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(24, "Too many open files")
        return real(path)

    monkeypatch.setattr(state_mod, "fingerprint", flaky)
    h = holder_at(rules)
    _wait(lambda: h.watcher_status().restarts == 1)
    assert "Too many open files" in (h.watcher_status().error or "") or h.watcher_status().state == "watching"
    _wait(lambda: h.watcher_status().state == "watching")
    _set_version(rules, "after-restart")
    _wait(lambda: h.current.policy.header.version == "after-restart")


def test_load_held_during_reloads(tmp_path: Path, holder_at: Callable[..., PolicyHolder]) -> None:
    """Decisions keep coming, from whole policies, while the rules are reloaded again and again."""
    rules = _copy(tmp_path / "rules")
    h = holder_at(rules)
    stop = threading.Event()
    done: list[str] = []
    errors: list[str] = []

    def hammer() -> None:
        while not stop.is_set():
            live = h.current
            try:
                d = live.policy.route(ITEM)
                done.append(d.policy.version)
            except Exception as exc:
                errors.append(repr(exc))

    threads = [threading.Thread(target=hammer) for _ in range(3)]
    for t in threads:
        t.start()
    t0 = time.monotonic()
    try:
        for n in range(6):
            _set_version(rules, f"load-{n}")
            _wait(lambda n=n: h.current.policy.header.version == f"load-{n}")
    finally:
        stop.set()
        for t in threads:
            t.join()
    elapsed = time.monotonic() - t0
    assert not errors and h.reloads == 6
    assert len(done) / elapsed > 50  # decisions per second held while reloading (the docs give the figure)
    assert {f"load-{n}" for n in range(6)} & set(done)
