"""Registry YAML is untrusted input: bounded in size, depth, nodes and aliases, with located errors.

Regression tests for issue 17 item 1 (a 1 KB alias bomb drove `check` to 8.9 GB; 5,000-deep
nesting raised RecursionError; a 10 GB file was read whole).
"""

from __future__ import annotations

import os
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gridpolicy
from gridpolicy import registry as reg
from gridpolicy.diagnostics import PolicyError

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "rules" / "registry" / "grids.yaml"
sys.path.insert(0, str(ROOT / "fuzz"))

import targets  # noqa: E402

# `make fuzz` runs the fuzz targets below at full size (GRIDPOLICY_FUZZ_EXAMPLES=20000)
FUZZ_EXAMPLES = int(os.environ.get("GRIDPOLICY_FUZZ_EXAMPLES", "150"))

ALIAS_BOMB = "\n".join(["a: &a [x, x, x, x, x, x, x, x, x]"] + [
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]" for i in range(9)]) + "\n"


def _problems(text: str) -> list[reg.RegistryProblem]:
    with pytest.raises(reg.RegistryError) as info:
        reg.parse_registry(text, "grids.yaml")
    return info.value.problems


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_alias_bomb_is_refused_at_the_alias_fast_and_small() -> None:
    assert len(ALIAS_BOMB) < 1100
    before, t0 = _peak_mb(), time.perf_counter()
    [p] = _problems(ALIAS_BOMB)
    assert time.perf_counter() - t0 < 1 and _peak_mb() - before < 50
    assert p.line == 2 and p.file == "grids.yaml"
    assert "别名" in p.message_zh and "alias" in p.message_en


@pytest.mark.parametrize(("text", "line"), [
    ("district: x\nupdated: 2026-01-01\nstreets: *s\n", 3),  # an undefined alias is refused too
    ("base: &b {code: '1'}\nmore:\n  <<: *b\n", 3),  # merge keys need an alias
])
def test_every_alias_is_refused(text: str, line: int) -> None:
    [p] = _problems(text)
    assert p.line == line and "alias" in p.message_en


@pytest.mark.parametrize("text", [
    "[" * 5000 + "]" * 5000,
    "".join(" " * i + "- \n" for i in range(0, 2000, 2)) + " " * 2000 + "x\n",
    "a:\n" + "".join(" " * (2 * i) + f"k{i}:\n" for i in range(1, 1000)),
])
def test_deep_nesting_is_refused_without_recursion_error(text: str) -> None:
    [p] = _problems(text)
    assert f"{reg.MAX_DEPTH}" in p.message_en and p.line >= 1


def test_depth_just_inside_the_limit_is_fine_for_yaml() -> None:
    text = "x: " + "[" * (reg.MAX_DEPTH - 1) + "]" * (reg.MAX_DEPTH - 1) + "\n"
    problems = _problems(text)  # valid YAML, not a registry: the schema answers, not the bound
    assert problems and not any("nested" in p.message_en for p in problems)


def test_too_many_nodes_is_refused() -> None:
    text = "x: [" + ",".join("1" for _ in range(reg.MAX_NODES + 10)) + "]\n"
    [p] = _problems(text)
    assert "too many values" in p.message_en and p.line == 1


def test_text_over_the_size_limit_is_refused() -> None:
    [p] = _problems("#" * (reg.MAX_BYTES + 1))
    assert "larger" in p.message_en and "过大" in p.message_zh


def test_a_huge_sparse_file_is_never_read_whole(tmp_path: Path) -> None:
    big = tmp_path / "grids.yaml"
    with big.open("wb") as fh:
        fh.truncate(10 << 30)  # 10 GiB, sparse
    before, t0 = _peak_mb(), time.perf_counter()
    with pytest.raises(reg.RegistryError) as info:
        reg.load_registry(big)
    assert "larger" in info.value.problems[0].message_en
    assert len(reg.read_text(big)) == reg.MAX_BYTES + 1
    assert time.perf_counter() - t0 < 10 and _peak_mb() - before < 200


@pytest.mark.parametrize(("name", "text", "line", "words"), [
    ("bomb", ALIAS_BOMB, 2, "alias"),
    ("deep", "[" * 5000 + "]" * 5000 + "\n", 1, "nested"),
    ("huge", None, 1, "larger"),
    ("tag", "district: !!python/object:os.system x\n", 1, "invalid YAML"),
])
def test_check_reports_a_located_gp015(tmp_path: Path, name: str, text: str | None, line: int, words: str) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules, ignore=shutil.ignore_patterns("tests"))
    target = rules / "registry" / "grids.yaml"
    if text is None:
        with target.open("wb") as fh:
            fh.truncate(10 << 30)
    else:
        target.write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    with pytest.raises(PolicyError) as info:
        gridpolicy.load(rules)
    assert time.perf_counter() - t0 < 30
    [d] = [d for d in info.value.errors if d.code == "GP015"]
    assert d.span.file.endswith("registry/grids.yaml") and d.span.line == line
    assert words in d.message_en and d.message_zh


def test_the_shipped_registry_is_within_every_bound() -> None:
    loaded = reg.load_registry(SHIPPED)
    assert loaded.registry.grids()
    assert loaded.line_of("streets", 0, "communities", 0, "grids", 0, "code") > 1


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), st.builds(
    lambda cut, junk: SHIPPED.read_bytes()[:cut] + junk, st.integers(0, 9256), st.binary(max_size=20))))
def test_fuzz_registry_target(data: bytes) -> None:
    """The registry fuzz target (fuzz/targets.py) over random and truncated registries."""
    targets.check_registry(data)


def _outcome(text: str, fast: bool) -> tuple[str, Any]:
    try:
        return "ok", reg.compose(text, fast=fast)
    except yaml.MarkedYAMLError as exc:
        if hasattr(exc, "zh"):  # a bound: the same message at the same place
            mark = exc.problem_mark
            return "bound", (exc.zh, exc.en, mark.line if mark else None)
        return "yaml error", None
    except yaml.YAMLError:
        return "yaml error", None


BOUNDS_CASES = [ALIAS_BOMB, "district: x\nupdated: 2026-01-01\nstreets: *s\n", "base: &b {code: '1'}\nmore:\n  <<: *b\n",
                "[" * 5000 + "]" * 5000, "x: " + "[" * (reg.MAX_DEPTH - 1) + "]" * (reg.MAX_DEPTH - 1) + "\n",
                "x: " + "[" * reg.MAX_DEPTH + "]" * reg.MAX_DEPTH + "\n",
                "a:\n" + "".join(" " * (2 * i) + f"k{i}:\n" for i in range(1, 1000)),
                "x: [" + ",".join("1" for _ in range(reg.MAX_NODES + 10)) + "]\n",
                "x: [" + ",".join("1" for _ in range(reg.MAX_NODES - 2)) + "]\n",
                "district: !!python/object:os.system x\n", "", "# only a comment\n", "a: [1, 2\n",
                "a: 1\n---\nb: 2\n", "a: &anchor 1\nb: 2\n", SHIPPED.read_text(encoding="utf-8")]


@pytest.mark.skipif(not reg.FAST_YAML, reason="PyYAML was built without libyaml")
@pytest.mark.parametrize("text", BOUNDS_CASES, ids=range(len(BOUNDS_CASES)))
def test_libyaml_loader_keeps_the_bounds_and_errors_of_the_python_loader(text: str) -> None:
    """Issue 17 item 1 follow-up: the libyaml path (the default) is the pure-Python path, sooner."""
    assert _outcome(text, fast=True) == _outcome(text, fast=False)


@pytest.mark.skipif(not reg.FAST_YAML, reason="PyYAML was built without libyaml")
@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 9256), st.text(alphabet="[]{}:,-&*!# \n\"'ab1", max_size=12))
def test_libyaml_and_python_loaders_agree_on_cut_registries(cut: int, junk: str) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert _outcome(text[:cut] + junk, fast=True) == _outcome(text[:cut] + junk, fast=False)
