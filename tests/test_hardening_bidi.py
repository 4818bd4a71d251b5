"""Trojan Source (CVE-2021-42574) in rule files (issue 17 item 11): every bidirectional
embedding, override or isolate is GP006 at its place, in code, strings and comments alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gridpolicy
from gridpolicy.diagnostics import PolicyError
from gridpolicy.syntax.scan import BIDI_CONTROLS

ROOT = Path(__file__).resolve().parent.parent
TEXT = (ROOT / "rules" / "40_routing.gp").read_text(encoding="utf-8")


def _gp006(text: str) -> list:
    with pytest.raises(PolicyError) as info:
        gridpolicy.loads(text)
    return [d for d in info.value.errors if d.code == "GP006"]


@pytest.mark.parametrize("ch", sorted(BIDI_CONTROLS))
@pytest.mark.parametrize("where", ["comment", "string", "code"])
def test_each_control_is_refused_where_it_is(ch: str, where: str) -> None:
    lines = TEXT.split("\n")
    n = next(i for i, ln in enumerate(lines) if {"comment": "#", "string": '"', "code": "route "}[where] in ln)
    marker = {"comment": "#", "string": '"', "code": "route "}[where]
    col = lines[n].index(marker) + len(marker)
    lines[n] = lines[n][:col] + ch + lines[n][col:]
    [d] = _gp006("\n".join(lines))
    assert (d.span.line, d.span.column) == (n + 1, col + 1)
    assert f"U+{ord(ch):04X}" in d.message_en and "Trojan Source" in d.message_en and d.message_zh


def test_the_classic_attack_is_refused() -> None:
    # an "end of comment" that is displayed before the code it hides (the paper's example, in a string)
    attack = TEXT.replace('"', '"\u202e \u2066// 管理员\u2069 \u2066', 1)
    assert len(_gp006(attack)) == 4


def test_ordinary_right_to_left_text_is_fine(tmp_path: Path) -> None:
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules, ignore=shutil.ignore_patterns("tests"))
    # Uyghur (Arabic script) in a comment and a label needs no control characters
    (rules / "40_routing.gp").write_text(TEXT.replace("#", "# ئۇيغۇرچە", 1), encoding="utf-8")
    assert gridpolicy.load(rules).model.routes


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(TEXT)), st.sampled_from(sorted(BIDI_CONTROLS)))
def test_anywhere_in_the_file(at: int, ch: str) -> None:
    found = _gp006(TEXT[:at] + ch + TEXT[at:])
    assert len(found) == 1
    before = TEXT[:at]
    assert found[0].span.line == before.count("\n") + 1
