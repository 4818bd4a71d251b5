"""`load(path)` and `loads(text)`: a str is a path whenever such a path exists; rule text is
read by `loads` (through `load` only with a DeprecationWarning)."""

from __future__ import annotations

import datetime as dt
import shutil
import warnings
from pathlib import Path

import pytest
from conftest import BASE

import gridpolicy
from gridpolicy import ItemError

ITEM = {"id": "1", "kind": "issue", "reported_at": "2026-03-02T09:30:00+08:00"}


def test_a_folder_named_with_braces_is_a_path(tmp_path: Path) -> None:
    folder = tmp_path / "rules{2026}"
    folder.mkdir()
    (folder / "policy.gp").write_text(BASE, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # read as a path: no deprecation warning
        policy = gridpolicy.load(str(folder), cache=False)
    assert policy.model.files == (f"{folder.as_posix()}/policy.gp",)


def test_a_file_named_with_a_newline_is_a_path(tmp_path: Path) -> None:
    path = tmp_path / "规则\n草案.gp"
    path.write_text(BASE, encoding="utf-8")
    assert gridpolicy.load(str(path), cache=False).header.id == "demo"


def test_loads_reads_rule_text() -> None:
    policy = gridpolicy.loads(BASE)
    assert policy.model.files == ("<text>",) and policy.route(ITEM).outcome == "handle"


def test_loads_takes_text_only() -> None:
    with pytest.raises(TypeError):
        gridpolicy.loads(Path("rules"))  # type: ignore[arg-type]


def test_load_of_rule_text_still_works_but_warns() -> None:
    with pytest.warns(DeprecationWarning, match="loads"):
        policy = gridpolicy.load(BASE)
    assert policy.digest == gridpolicy.loads(BASE).digest


def test_load_of_a_missing_plain_path_says_it_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(gridpolicy.PolicyError) as info:
        gridpolicy.load(str(tmp_path / "missing"))
    (err,) = info.value.errors
    assert err.code == "GP014" and "does not exist" in err.message_en


def test_the_shipped_rules_copied_under_a_braced_name_load_from_the_cache(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "{rules}"
    shutil.copytree(Path(__file__).resolve().parent.parent / "rules", folder, ignore=shutil.ignore_patterns("tests"))
    monkeypatch.setenv("GRIDPOLICY_CACHE", str(tmp_path / "cache"))
    first = gridpolicy.load(str(folder))
    assert list((tmp_path / "cache").glob("*.pickle"))  # a path: cached
    assert gridpolicy.load(str(folder)).digest == first.digest


@pytest.mark.parametrize(("at", "zh", "en"), [
    (dt.datetime(2026, 3, 2, 9, 30), "必须带时区", "time zone offset"),
    (dt.datetime(1800, 3, 2, tzinfo=dt.UTC), "1900–2199", "within the years 1900-2199"),
    (dt.datetime(2500, 3, 2, tzinfo=dt.UTC), "1900–2199", "within the years 1900-2199"),
])
def test_an_unusable_at_gets_its_own_message(at: dt.datetime, zh: str, en: str) -> None:
    policy = gridpolicy.loads(BASE)
    with pytest.raises(ItemError) as info:
        policy.route(ITEM, at)
    (detail,) = info.value.errors
    assert detail.path == "at" and zh in detail.message_zh and en in detail.message_en
