"""Golden file: one generated site page, byte for byte (tests/golden/README.md says how to update)."""

from __future__ import annotations

import datetime as dt
import difflib
import os
from pathlib import Path

import pytest

import gridpolicy
from gridpolicy.site import generate, load_sources

GOLDEN = Path(__file__).resolve().parent / "golden" / "site"


@pytest.mark.parametrize("page", ["matters.md", "sources.md"])
def test_generated_page_matches_its_golden_file(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(GOLDEN)  # source links name the rule file relative to the working folder
    policy = gridpolicy.load(GOLDEN / "policy.gp")
    pages = generate(policy, dt.date(2025, 7, 1), sources=load_sources(GOLDEN / "sources.yaml"))
    expected_file = GOLDEN / page
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(pages[page], encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8")
    if pages[page] != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), pages[page].splitlines(True),
                                            str(expected_file), "generated"))
        pytest.fail(f"{page} differs from its golden file (UPDATE_GOLDEN=1 to accept):\n{diff}")
