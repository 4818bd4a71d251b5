"""Semantic diff (gridpolicy.diff and `gridpolicy diff`)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import gridpolicy
from gridpolicy.cli import main
from gridpolicy.cli.diff_cmd import load_side
from gridpolicy.diff import diff, impact
from gridpolicy.syntax.printer import expr_text

BASE = """
policy p "测试规则" { version "1" effective 2024-01-01 routing first }
tier grid "网格" { level 1 }
tier community "社区" { level 2 }
tier street "街道" { level 3 }
department minzheng "民政局" { tier street }
department sifa "司法局" { tier street }
role worker "网格员" { category staff assigned_by minzheng }
role leader "网格长" { category leader }
field urgency "紧急程度" { type enum values normal "一般", emergency "特急" default normal }
field scope "范围" { type tier default grid }
criterion big "重大" { when scope > community }
list admission "准入清单" {
  admission true
  batch b1 "第一批" { effective 2024-03-01 }
  batch b2 "第二批" { effective 2024-09-01 }
  matter M01 "调解" { batch b1 handlers worker owner minzheng }
  matter M02 "收集" { batch b1 handlers worker owner minzheng }
}
grade g "等级" { band 90 -> good "优", 0 -> poor "差" }
formula f "考核" {
  input a "甲" { range 0 .. 100 }
  input b "乙" { range 0 .. 100 }
  value weighted(a: 0.5, b: 0.5)
  grade g
}
route emergency "特急" { when urgency == emergency tier street handlers leader limit 1 hour }
route wide "超出网格" { when scope > grid tier above(scope) limit 3 workdays }
route z "兜底" { tier grid handlers matter limit 3 workdays escalate 1 workday -> community }
"""

EXIT = 'exit X1 "退出" { matter M02 date 2025-01-01 approved_by "委" ref "1" reason "r" }\n'


def changes(old: str, new: str) -> set[tuple[str, str, str, str | None]]:
    d = diff(gridpolicy.loads(old), gridpolicy.loads(new))
    return {(c.section, c.id, c.change, c.field) for c in d.changes}


def edit(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


CASES = [
    ("no change", BASE, set()),
    ("layout and comments only", BASE.replace("  matter M01", "  # 注释\n  matter   M01").replace(
        "route z", "\n\nroute   z"), set()),
    ("matter added", edit('  matter M02 "收集" { batch b1 handlers worker owner minzheng }\n',
                          '  matter M02 "收集" { batch b1 handlers worker owner minzheng }\n'
                          '  matter M03 "新事项" { batch b2 handlers worker }\n'),
     {("matter", "M03", "added", None)}),
    ("matter removed", edit('  matter M02 "收集" { batch b1 handlers worker owner minzheng }\n', ""),
     {("matter", "M02", "removed", None)}),
    ("matter exited", BASE + EXIT, {("exit", "M02", "exited", "date")}),
    ("matter moved", edit('matter M02 "收集" { batch b1', 'matter M02 "收集" { batch b2'),
     {("matter", "M02", "moved", "batch"), ("matter", "M02", "redated", "effective")}),  # from the batch
    ("matter re-dated", edit('matter M02 "收集" { batch b1', 'matter M02 "收集" { batch b1 expires 2026-01-01'),
     {("matter", "M02", "redated", "expires")}),
    ("matter re-assigned", edit('M02 "收集" { batch b1 handlers worker owner minzheng',
                                'M02 "收集" { batch b1 handlers worker, leader owner sifa'),
     {("matter", "M02", "reassigned", "handlers"), ("matter", "M02", "reassigned", "owner")}),
    ("matter renamed", edit('M02 "收集" {', 'M02 "信息收集" { aliases "收集"'),
     {("matter", "M02", "renamed", "name")}),
    ("batch re-dated", edit('batch b2 "第二批" { effective 2024-09-01 }', 'batch b2 "第二批" { effective 2024-10-01 }'),
     {("list", "admission", "changed", "batches")}),
    ("route condition", edit("when urgency == emergency", "when urgency != normal"),
     {("route", "emergency", "changed", "condition")}),
    ("route condition, same tree", edit("when urgency == emergency", "when (urgency == emergency)"), set()),
    ("route limit and escalation", edit("limit 3 workdays escalate 1 workday -> community",
                                        "limit 5 workdays escalate 2 workdays -> community"),
     {("route", "z", "changed", "limit"), ("route", "z", "changed", "escalation")}),
    ("route tier and handlers", edit("tier street handlers leader", "tier community handlers worker"),
     {("route", "emergency", "changed", "tier"), ("route", "emergency", "changed", "handlers")}),
    ("route reordered", edit('route emergency "特急" { when urgency == emergency tier street handlers leader limit 1 hour }\n'
                             'route wide "超出网格" { when scope > grid tier above(scope) limit 3 workdays }\n',
                             'route wide "超出网格" { when scope > grid tier above(scope) limit 3 workdays }\n'
                             'route emergency "特急" { when urgency == emergency tier street handlers leader limit 1 hour }\n'),
     {("route", "wide", "reordered", "position")}),
    ("route added", edit("route z", 'route big "重大" { when scope == street tier street }\nroute z'),
     {("route", "big", "added", None)}),
    ("route removed", edit('route wide "超出网格" { when scope > grid tier above(scope) limit 3 workdays }\n', ""),
     {("route", "wide", "removed", None)}),
    ("criterion changed", edit("when scope > community", "when scope >= community"),
     {("criterion", "big", "changed", "condition")}),
    ("formula weights", edit("weighted(a: 0.5, b: 0.5)", "weighted(a: 0.4, b: 0.6)"),
     {("formula", "f", "changed", "value")}),
    ("grade bands", edit('band 90 -> good "优"', 'band 85 -> good "优"'), {("grade", "g", "changed", "bands")}),
    ("header", edit('version "1" effective 2024-01-01', 'version "2" effective 2024-02-01'),
     {("header", "p", "changed", "version"), ("header", "p", "changed", "effective")}),
    ("role and department", edit('role leader "网格长" { category leader }', 'role leader "网格长" { category leader }\n'
                                 'role helper "志愿者" { category auxiliary }'),
     {("role", "helper", "added", None)}),
]


@pytest.mark.parametrize(("name", "new", "want"), CASES, ids=[c[0] for c in CASES])
def test_changes(name: str, new: str, want: set[tuple[str, str, str, str | None]]) -> None:
    assert changes(BASE, new) == want


def test_exit_redated_and_withdrawn() -> None:
    with_exit = BASE + EXIT
    assert changes(with_exit, BASE) == {("exit", "M02", "removed", "date")}
    assert changes(with_exit, BASE + EXIT.replace("2025-01-01", "2025-02-01")) == {("exit", "M02", "redated", "date")}


def test_texts_are_bilingual_and_show_values() -> None:
    d = diff(gridpolicy.loads(BASE), gridpolicy.loads(edit("limit 1 hour", "limit 20 minutes")))
    [c] = d.changes
    assert c.text_zh == "分流规则 emergency「特急」时限：1 hour → 20 minutes"
    assert c.text_en == "route emergency limit: 1 hour → 20 minutes"
    assert c.to_dict()["old"] == "1 hour"


@pytest.mark.parametrize(("text", "printed"), [
    ("urgency == emergency and (scope > grid or scope == street)", None),
    ("not (urgency == emergency)", "not urgency == emergency"),  # `not` binds looser than `==`
    ("matter in [M01, M02]", None),
    ("above(scope) == street", None),
    ('"say \\"hi\\"\\n" == "x"', None),  # escapes kept
])
def test_expr_text_round_trips(text: str, printed: str | None) -> None:
    p = gridpolicy.loads(edit("when urgency == emergency", f"when {text}"))
    cond = p.model.routes[0].condition
    assert expr_text(cond) == (printed or text)
    again = gridpolicy.loads(edit("when urgency == emergency", f"when {expr_text(cond)}"))
    assert changes(edit("when urgency == emergency", f"when {text}"), again.model.sources["<text>"]) == set()


def test_diff_prints_a_right_nested_difference_with_its_parentheses() -> None:
    """`a - (b - c)` is not `a - b - c` (the old printer of diff dropped the parentheses)."""
    old = edit("value weighted(a: 0.5, b: 0.5)", "value a - b - 1")
    new = edit("value weighted(a: 0.5, b: 0.5)", "value a - (b - 1)")
    d = diff(gridpolicy.loads(old), gridpolicy.loads(new))
    assert "a - (b - 1)" in d.render() and "a - b - 1" in d.render()


AT = "2026-03-02T10:00:00+08:00"
ITEMS = [
    {"id": "e", "kind": "issue", "urgency": "emergency", "reported_at": AT},
    {"id": "m", "kind": "issue", "matter": "M02", "reported_at": AT},
    {"id": "t", "kind": "task", "matter": "M02", "reported_at": AT},
    {"id": "bad", "kind": "issue", "colour": "red", "reported_at": AT},
]


@pytest.mark.parametrize(("new", "want"), [
    (BASE, {}),
    (edit("limit 1 hour", "limit 2 hours"), {"e": {"deadline", "time_limit"}}),
    (edit("tier street handlers leader", "tier community handlers leader"), {"e": {"tier"}}),
    (BASE + EXIT, {"t": {"outcome", "tier", "department", "roles", "deadline", "time_limit", "matter_status",
                         "route", "escalation"},
                   "m": {"matter_status"}}),
    (edit('M02 "收集" { batch b1 handlers worker', 'M02 "收集" { batch b1 handlers leader'),
     {"m": {"roles"}, "t": {"roles"}}),
])
def test_impact(new: str, want: dict[str, set[str]]) -> None:
    im = impact(gridpolicy.loads(BASE), gridpolicy.loads(new), ITEMS)
    assert im.items == 4
    assert {d.item_id: set(d.changes) for d in im.decisions} == want


def test_impact_values() -> None:
    im = impact(gridpolicy.loads(BASE), gridpolicy.loads(BASE + EXIT), ITEMS[2:3])
    [d] = im.decisions
    assert d.changes["outcome"] == ("handle", "refuse")
    assert d.changes["matter_status"] == ("in_force", "exited")
    assert d.to_dict()["changes"]["tier"] == ["grid", None]


def test_items_without_time_use_one_instant() -> None:
    item = {"id": "x", "kind": "issue", "matter": "M01"}
    assert impact(gridpolicy.loads(BASE), gridpolicy.loads(BASE), [item]).decisions == []


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "p.gp").write_text(text, encoding="utf-8")
    return folder


def test_cli_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _write(tmp_path / "old", BASE)
    new = _write(tmp_path / "new", BASE + EXIT)
    items = tmp_path / "items.jsonl"
    items.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in ITEMS), encoding="utf-8")
    assert main(["diff", str(old), str(new), "--items", str(items)]) == 0
    out = capsys.readouterr().out
    assert "事项 M02「收集」于 2025-01-01 退出清单" in out and "2 of 4 items decided differently" in out
    assert main(["diff", str(old), str(new / "p.gp"), "--format", "json", "--exit-code"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["changes"][0]["section"] == "exit" and doc["impact"] is None
    assert set(doc["old"]) == {"name", "version", "digest", "source"}
    assert main(["diff", str(old), str(old), "--exit-code"]) == 0


def test_cli_reports_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _write(tmp_path / "old", BASE)
    bad = _write(tmp_path / "bad", BASE.replace("tier grid", "tier grid grid"))
    assert main(["diff", str(old), str(bad)]) == 2
    assert "error" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_git_revisions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    repo = tmp_path / "repo"
    rules = _write(repo / "rules", BASE)

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo, check=True,
                       capture_output=True)
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "one")
    (rules / "p.gp").write_text(BASE + EXIT, encoding="utf-8")
    git("commit", "-q", "-am", "two")
    monkeypatch.chdir(repo)
    assert load_side("HEAD~1:rules").model.exits == ()
    assert main(["diff", "HEAD~1:rules/", "HEAD:rules/", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(c["section"], c["change"]) for c in doc["changes"]] == [("exit", "exited")]
    monkeypatch.chdir(rules)  # PATH is relative to the current folder
    assert main(["diff", "HEAD~1:.", "HEAD:p.gp"]) == 0
    assert main(["diff", "nosuchrev:.", "HEAD:."]) == 2
