"""Every `gridpolicy ...` line in the command-line reference runs and succeeds."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from pathlib import Path

import pytest

import gridpolicy
from gridpolicy.cli import main
from gridpolicy.decisionlog import DecisionLog, LoggedPolicy

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "reference" / "cli.md"


def commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.startswith("gridpolicy ")]


def test_every_command_is_documented() -> None:
    from gridpolicy.cli import COMMANDS

    documented = {c.split()[1] for c in commands()} | {"serve", "studio", "lsp"}  # servers: named, not run
    assert set(COMMANDS) <= documented
    assert "gridpolicy serve" in PAGE.read_text(encoding="utf-8")
    assert "gridpolicy studio" in PAGE.read_text(encoding="utf-8")
    assert "gridpolicy lsp" in PAGE.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", commands())
def test_documented_command_runs(command: str, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(ROOT)
    if "decisions.sqlite" in command:
        logged = LoggedPolicy(gridpolicy.load("rules/"), DecisionLog(tmp_path / "decisions.sqlite"))
        logged.route({"id": "demo-1", "kind": "issue", "matter": "矛盾纠纷调解",
                      "reported_at": "2026-03-02T09:00:00+08:00"})
    version = gridpolicy.load("rules/").header.version
    if "$TMP/releases" in command and not command.startswith("gridpolicy release "):
        from gridpolicy.release import ReleaseRequest, make_release
        from gridpolicy.release.signing import generate_keypair

        generate_keypair(tmp_path / "release.key", tmp_path / "release.pub")
        make_release(ReleaseRequest(ROOT / "rules", version, dt.date(2024, 3, 1), "中共屯溪区委政法委员会", "屯政法〔2024〕1号",
                                    tmp_path / "releases", key=tmp_path / "release.key"))
    if "$TMP/release.key" in command and command.startswith("gridpolicy release "):
        from gridpolicy.release.signing import generate_keypair

        generate_keypair(tmp_path / "release.key", tmp_path / "release.pub")
    if command.startswith("gridpolicy import $TMP/list.xlsx"):
        from gridpolicy.sheets import export_workbook

        export_workbook(ROOT / "rules", tmp_path / "list.xlsx")
    argv = shlex.split(command.replace("$TMP", str(tmp_path)).replace("$VERSION", version))[1:]
    code = main(argv)
    out = capsys.readouterr().out
    assert code == 0, out[-2000:]
