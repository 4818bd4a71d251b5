"""Golden files for text people read (see tests/golden/README.md; `pytest --update-golden`
rewrites the expected files)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOLDEN, Golden, golden_cases

from gridpolicy.cli import main
from gridpolicy.formatter import format_text


def _expected(case: Path, suffix: str) -> Path:
    return case.with_name(case.name.removesuffix(suffix) + ".expected")


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    main(argv)
    out = capsys.readouterr()
    return out.out + out.err


def _names(cases: list[Path]) -> list[str]:
    return [c.name for c in cases]


FORMAT = golden_cases("format", ".gp")
DIAGNOSTICS = golden_cases("diagnostics", ".gp")
EXPLAIN = golden_cases("explain", ".json")
DIFF = golden_cases("diff", ".old.gp")


def test_every_kind_has_cases() -> None:
    assert FORMAT and DIAGNOSTICS and EXPLAIN and DIFF


@pytest.mark.parametrize("case", FORMAT, ids=_names(FORMAT))
def test_formatter(case: Path, golden: Golden) -> None:
    out = format_text(case.read_text(encoding="utf-8"), case.name)
    golden.check(_expected(case, ".gp"), out)
    assert format_text(out, case.name) == out  # the expected layout is itself formatted


@pytest.mark.parametrize("case", DIAGNOSTICS, ids=_names(DIAGNOSTICS))
def test_rendered_diagnostics(case: Path, golden: Golden, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case.parent)  # file names in the output relative to the case's folder
    golden.check(_expected(case, ".gp"), _cli(["check", case.name], capsys))


@pytest.mark.parametrize("case", EXPLAIN, ids=_names(EXPLAIN))
def test_route_explain(case: Path, golden: Golden, capsys: pytest.CaptureFixture[str],
                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case.parent)
    monkeypatch.setenv("GRIDPOLICY_CACHE", "off")
    golden.check(_expected(case, ".json"), _cli(["route", "policy.gp", case.name, "--explain"], capsys))


@pytest.mark.parametrize("case", DIFF, ids=_names(DIFF))
def test_diff(case: Path, golden: Golden, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case.parent)
    monkeypatch.setenv("GRIDPOLICY_CACHE", "off")
    new = case.name.removesuffix(".old.gp") + ".new.gp"
    golden.check(_expected(case, ".old.gp"), _cli(["diff", case.name, new], capsys))


def test_golden_folder_has_no_stray_expected_files() -> None:
    inputs = {_expected(c, s) for cases, s in ((FORMAT, ".gp"), (DIAGNOSTICS, ".gp"), (EXPLAIN, ".json"),
                                               (DIFF, ".old.gp")) for c in cases}
    from test_authoring_messages import CASES, HERE  # one golden file per authoring case

    inputs |= {HERE / f"{case[0]}.expected" for case in CASES} | {HERE / "several.expected"}
    assert set(GOLDEN.rglob("*.expected")) <= inputs
