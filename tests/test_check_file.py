"""`gridpolicy check FILE` checks the file's folder; `diagnose_folder` reads edited texts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gridpolicy.cli import main
from gridpolicy.diagnose import diagnose_folder

RULES = Path(__file__).resolve().parent.parent / "rules"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    dst = tmp_path / "rules"
    shutil.copytree(RULES, dst, ignore=shutil.ignore_patterns("tests"))
    return dst


def test_one_file_is_checked_with_its_folder(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(folder / "30_admission.gp")]) == 0
    out = capsys.readouterr()
    assert "0 个错误 errors, 0 个警告 warnings" in out.out
    assert "checked with its folder" in out.out


def test_only_the_files_problems_are_shown(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    adm = folder / "30_admission.gp"
    adm.write_text(adm.read_text(encoding="utf-8").replace("effective 2024-07-01", "effective 2024-07-01x"),
                   encoding="utf-8")
    routing = folder / "40_routing.gp"
    routing.write_text(routing.read_text(encoding="utf-8") + "\nroute broken_one {\n  tier nowhere\n}\n",
                       encoding="utf-8")
    assert main(["check", str(adm)]) == 1
    err = capsys.readouterr().err
    assert "30_admission.gp:" in err
    assert "40_routing.gp:" not in err.split("\n  ")[0]
    assert "other 1 file(s) of the folder have" in err


def test_diagnose_folder_reads_edited_texts(folder: Path) -> None:
    name = folder / "40_routing.gp"
    clean = diagnose_folder(folder, deep=False)
    assert clean.errors == 0 and clean.policy is not None
    edited = name.read_text(encoding="utf-8") + "\nroute x {\n  tier nowhere\n}\n"
    found = diagnose_folder(folder, {str(name): edited}, deep=False)
    assert found.policy is None
    mine = found.of_file(str(name))
    assert [d.code for d in mine if d.severity == "error"][:1] == ["GP031"]
    assert name.read_text(encoding="utf-8") != edited  # nothing written
    # a relative name and a file that exists only in the editor
    new = diagnose_folder(folder, {"99_new.gp": "route y {\n  tier nowhere\n}\n"}, deep=False)
    assert any(d.span.file.endswith("99_new.gp") for d in new.diagnostics)
