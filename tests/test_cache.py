"""The compiled cache: used only while every rule file and the gridpolicy version are unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import gridpolicy
from gridpolicy import cache, folders
from gridpolicy import check as check_stage

RULES = Path(__file__).resolve().parent.parent / "rules"


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A copy of the shipped rules and an empty cache folder; counts real (uncached) checks."""
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder, ignore=shutil.ignore_patterns("tests"))
    monkeypatch.setenv("GRIDPOLICY_CACHE", str(tmp_path / "cache"))
    calls = []
    real = check_stage.check

    def counting(*a, **k):
        calls.append(1)
        return real(*a, **k)
    monkeypatch.setattr(check_stage, "check", counting)
    return folder, tmp_path / "cache", calls


def test_second_load_comes_from_the_cache(env):
    folder, store, calls = env
    first = gridpolicy.load(folder)
    second = gridpolicy.load(folder)
    assert len(calls) == 1
    assert second.model == first.model and second.digest == first.digest
    assert second.warnings == first.warnings
    assert second.program.index == first.program.index == gridpolicy.Policy(first.model).program.index  # the routing index too
    item = {"id": "1", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00"}
    assert second.route(item) == first.route(item)
    kept = [p.name for p in store.iterdir() if not p.name.startswith("grammar-")]  # Lark's tables aside
    assert kept == [f"{cache.entry_key(folder)}.pickle"]  # no temporary files


@pytest.mark.parametrize("change", ["edit", "add", "remove", "version", "corrupt"])
def test_any_change_invalidates(env, monkeypatch, change):
    folder, store, calls = env
    if change == "remove":
        (folder / "99_extra.gp").write_text("# 新文件\n", encoding="utf-8")
    gridpolicy.load(folder)
    files = sorted(folder.glob("*.gp"))
    if change == "edit":
        files[-1].write_text(files[-1].read_text(encoding="utf-8") + "\n# 修改\n", encoding="utf-8")
    elif change == "add":
        (folder / "99_extra.gp").write_text("# 新文件\n", encoding="utf-8")
    elif change == "remove":
        (folder / "99_extra.gp").unlink()
    elif change == "version":
        monkeypatch.setattr(cache, "__version__", "999.0")
    else:
        for entry in store.iterdir():
            entry.write_bytes(b"not a pickle")
    gridpolicy.load(folder)
    assert len(calls) == 2


def test_an_edited_include_invalidates(tmp_path, monkeypatch):
    monkeypatch.setenv("GRIDPOLICY_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "p"
    (folder / "parts").mkdir(parents=True)
    (folder / "main.gp").write_text(
        'policy p "测试" { version "1" }\ntier grid "网格" { level 1 }\ninclude "parts/routes.gp"\n', encoding="utf-8")
    part = folder / "parts" / "routes.gp"
    part.write_text('route all "全部" { tier grid }\n', encoding="utf-8")
    assert [r.name for r in gridpolicy.load(folder).routes] == ["全部"]
    part.write_text('route all "其余全部" { tier grid }\n', encoding="utf-8")
    assert [r.name for r in gridpolicy.load(folder).routes] == ["其余全部"]


def test_errors_are_never_cached(env):
    folder, store, calls = env
    bad = folder / "99_bad.gp"
    bad.write_text("route broken {\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(gridpolicy.PolicyError):
            gridpolicy.load(folder)
    assert not store.exists() or not list(store.iterdir())


def test_cache_can_be_turned_off(env, monkeypatch):
    folder, store, calls = env
    monkeypatch.setenv("GRIDPOLICY_CACHE", "off")
    gridpolicy.load(folder)
    gridpolicy.load(folder)
    assert len(calls) == 2 and not store.exists()
    monkeypatch.setenv("GRIDPOLICY_CACHE", str(store))
    gridpolicy.load(folder, cache=False)
    assert not store.exists()


def test_rule_text_is_not_cached(env):
    folder, store, calls = env
    text = 'policy p "测试" { version "1" }\ntier grid "网格" { level 1 }\nroute all "全部" { tier grid }\n'
    gridpolicy.loads(text)
    assert not store.exists()


def test_unwritable_cache_folder_still_loads(env, monkeypatch, tmp_path):
    folder, store, calls = env
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("GRIDPOLICY_CACHE", str(blocker / "sub"))
    assert gridpolicy.load(folder).routes


def test_grammar_tables_are_kept_in_the_cache_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("GRIDPOLICY_CACHE", "off")
    assert folders.grammar_cache_file() is None
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("GRIDPOLICY_CACHE", str(blocker / "sub"))
    assert folders.grammar_cache_file() is None
    monkeypatch.setenv("GRIDPOLICY_CACHE", str(tmp_path / "c"))
    assert Path(folders.grammar_cache_file()).parent == tmp_path / "c"


MODEL_DIGEST = ("import gridpolicy, hashlib, pickle; "
                "print(hashlib.sha256(pickle.dumps(gridpolicy.load('rules', cache=False).model)).hexdigest())")


def test_a_parser_from_the_grammar_tables_parses_as_a_fresh_one(tmp_path):
    import os
    import subprocess
    import sys

    def digest(setting: str) -> str:
        env = {**os.environ, "GRIDPOLICY_CACHE": setting, "PYTHONHASHSEED": "0"}  # sets pickle in order
        return subprocess.run([sys.executable, "-c", MODEL_DIGEST], cwd=RULES.parent, env=env, check=True,
                              capture_output=True, text=True).stdout.strip()
    fresh = digest("off")
    writes = digest(str(tmp_path))  # builds the tables and keeps them
    assert list(tmp_path.glob("grammar-*.lark"))
    assert digest(str(tmp_path)) == writes == fresh  # parsed with the kept tables
