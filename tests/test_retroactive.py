"""GP068: a matter added to (or moved into) an admission batch already in force becomes
retroactive; `check` and `release` warn, against the last release or else git HEAD (issue 19)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gridpolicy.cli import main
from gridpolicy.loader import load
from gridpolicy.release import ReleaseRequest, make_release, read_bundle
from gridpolicy.retro import release_base, retroactive_matters

TODAY = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the policy's zone (header default)
PAST = TODAY - dt.timedelta(days=30)

HEADER = '''policy demo "示例规则集" {
  version "VERSION"
  authority "示例区委政法委"
  effective 2024-01-01
}
tier grid "网格" { level 1 }
tier street "街道" { level 2 }
role worker "网格员" { category staff }
route any "兜底" {
  tier grid
  handlers worker
  limit 5 workdays
}
'''


def _list(b1: dt.date, matters: str, b2: dt.date | None = None) -> str:
    second = f'  batch b2 "第二批" {{ effective {b2} }}\n' if b2 else ""
    return (f'list grid_items "准入事项清单" {{\n  admission true\n  batch b1 "第一批" {{ effective {b1} }}\n'
            f'{second}{matters}}}\n')


M01 = '  matter M01 "矛盾纠纷调解" { batch b1; handlers worker }\n'
M02 = '  matter M02 "文明创建" { batch b1; handlers worker }\n'
M02_OWN = f'  matter M02 "文明创建" {{ batch b1; effective {TODAY}; handlers worker }}\n'
M02_B2 = '  matter M02 "文明创建" { batch b2; handlers worker }\n'


def _write(folder: Path, list_text: str, version: str = "1.0") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "00_policy.gp").write_text(HEADER.replace("VERSION", version), encoding="utf-8")
    (folder / "30_list.gp").write_text(list_text, encoding="utf-8")


def _git(folder: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, env=env)


def _commit(folder: Path) -> None:
    _git(folder, "init", "-q", "-b", "main")
    _git(folder, "add", ".")
    _git(folder, "commit", "-q", "-m", "rules")


def _check(path: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main(["check", str(path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    return [d for d in out["diagnostics"] if d["code"] == "GP068"]


def _line_of(folder: Path, code: str) -> int:
    lines = (folder / "30_list.gp").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if f"matter {code} " in line)


# (name, batch b1's date, the committed matters, the edited matters, batch b2's date, matters warned)
CASES = [
    ("added to a past batch", PAST, M01, M01 + M02, None, ["M02"]),
    ("added, batch in force since yesterday", TODAY - dt.timedelta(days=1), M01, M01 + M02, None, ["M02"]),
    ("added, batch takes effect today", TODAY, M01, M01 + M02, None, []),
    ("added to a future batch", TODAY + dt.timedelta(days=10), M01, M01 + M02, None, []),
    ("added with its own date", PAST, M01, M01 + M02_OWN, None, []),
    ("moved into a past batch", PAST, M01 + M02_B2, M01 + M02, TODAY + dt.timedelta(days=5), ["M02"]),
    ("moved into a future batch", PAST, M01 + M02, M01 + M02_B2, TODAY + dt.timedelta(days=5), []),
    ("nothing added", PAST, M01 + M02, M01 + M02, None, []),
]


@pytest.mark.parametrize(("b1", "before", "after", "b2", "warned"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_check_against_git_head(tmp_path: Path, capsys: pytest.CaptureFixture[str], b1: dt.date, before: str,
                                after: str, b2: dt.date | None, warned: list[str]) -> None:
    folder = tmp_path / "rules"
    _write(folder, _list(b1, before, b2))
    _commit(folder)
    _write(folder, _list(b1, after, b2))
    found = _check(folder, capsys)
    assert [d["message_en"].split()[2] for d in found] == warned  # type: ignore[union-attr]
    for d in found:
        assert d["severity"] == "warning" and d["line"] == _line_of(folder, "M02")
        assert "git HEAD" in str(d["message_zh"]) and "追溯生效" in str(d["message_zh"])
        assert "effective" in str(d["hint_en"]) and "新的批次" in str(d["hint_zh"])
    # checking the one file (with its folder) shows the same warnings
    assert [d["line"] for d in _check(folder / "30_list.gp", capsys)] == [d["line"] for d in found]


def test_no_previous_version_no_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "rules"  # not in a git work tree, no releases folder
    _write(folder, _list(PAST, M01 + M02))
    assert _check(folder, capsys) == []


def test_git_absent_is_no_warning_and_no_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "rules"
    _write(folder, _list(PAST, M01))
    _commit(folder)
    _write(folder, _list(PAST, M01 + M02))
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    assert _check(folder, capsys) == []


def test_a_head_with_errors_is_no_previous_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "rules"
    _write(folder, _list(PAST, M01) + "route broken {\n")
    _commit(folder)
    _write(folder, _list(PAST, M01 + M02))
    assert _check(folder, capsys) == []


def _release(rules: Path, releases: Path, version: str, effective: dt.date) -> ReleaseRequest:
    return ReleaseRequest(rules=rules, version=version, effective=effective, approved_by="示例区委政法委",
                          ref=f"示政法〔2026〕{version[-1]}号", releases=releases)


def test_check_and_release_against_the_last_release(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules, releases = tmp_path / "rules", tmp_path / "releases"  # releases/ beside the rules: the default
    _write(rules, _list(PAST, M01))
    make_release(_release(rules, releases, "1.0", PAST - dt.timedelta(days=10)))
    _commit(rules)  # the release wins over git HEAD, which has the same text
    _write(rules, _list(PAST, M01 + M02), version="1.1")
    found = _check(rules, capsys)
    assert [d["line"] for d in found] == [_line_of(rules, "M02")]
    assert "上一发布版本 1.0" in str(found[0]["message_zh"]) and "the last release 1.0" in str(found[0]["message_en"])
    # a release effective on the batch's own day makes nothing retroactive; one after it warns
    on_the_day = make_release(_release(rules, tmp_path / "other", "1.1", PAST))
    assert not any("GP068" in w for w in on_the_day.manifest["check"]["warnings"])
    later = make_release(_release(rules, releases, "1.1", PAST + dt.timedelta(days=1)))
    warnings = [w for w in later.manifest["check"]["warnings"] if w.startswith("GP068")]
    assert len(warnings) == 1 and "M02" in warnings[0] and ":5:" in warnings[0]
    assert read_bundle(later.path).manifest["check"]["warnings"] == later.manifest["check"]["warnings"]  # type: ignore[arg-type]
    assert _check(rules, capsys) == []  # now released: nothing added since


def test_release_cli_lists_the_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules"
    _write(rules, _list(PAST, M01))
    _commit(rules)  # no release yet: compared with git HEAD
    _write(rules, _list(PAST, M01 + M02))
    capsys.readouterr()
    assert main(["release", str(rules), "--version", "1.0", "--effective", str(TODAY), "--approved-by", "示例区委政法委",
                 "--ref", "示政法〔2026〕1号"]) == 0
    assert "GP068" in capsys.readouterr().out


@pytest.mark.parametrize(("as_of", "warned"), [(PAST, 0), (PAST + dt.timedelta(days=1), 1)],
                         ids=["on the batch's day", "the day after"])
def test_effective_day_boundary(tmp_path: Path, as_of: dt.date, warned: int) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    _write(old, _list(PAST, M01))
    _write(new, _list(PAST, M01 + M02))
    got = retroactive_matters(load(new, cache=False), load(old, cache=False), as_of, base=release_base("1.0"))
    assert [d.code for d in got] == ["GP068"] * warned


def test_shipped_rules_have_no_retroactive_matter(capsys: pytest.CaptureFixture[str]) -> None:
    assert _check(Path(__file__).resolve().parent.parent / "rules", capsys) == []


def test_shipped_rules_are_clean_from_the_cache_too(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The deep checks read route conditions from the model, not from a cached program's light
    routes (whose conditions are kept apart): the second, cached check is 0/0 like the first."""
    monkeypatch.setenv("GRIDPOLICY_CACHE", str(tmp_path / "cache"))
    rules = Path(__file__).resolve().parent.parent / "rules"
    for _ in range(2):
        capsys.readouterr()
        assert main(["check", str(rules), "--format", "json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert (out["errors"], out["warnings"]) == (0, 0)
