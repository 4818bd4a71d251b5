"""The grid registry (网格台账) and the random inspection draw (`gridpolicy sample`)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import gridpolicy
from gridpolicy.cli import main
from gridpolicy.registry import (
    Registry,
    RegistryError,
    SampleError,
    check_roles,
    draw_sample,
    load_registry,
    parse_registry,
)

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "rules" / "registry" / "grids.yaml"


def make_registry(grids_per_community: list[int], streets: int = 4) -> dict:
    """A registry dict with communities spread over `streets` streets."""
    out: dict = {"district": "测试区", "updated": "2026-01-01", "example": True, "streets": []}
    for s in range(streets):
        out["streets"].append({"code": f"{s + 1:03d}", "name": f"第{s + 1}街道", "communities": []})
    for c, n in enumerate(grids_per_community):
        street = out["streets"][c % streets]
        ccode = f"{c + 1:03d}"
        street["communities"].append({
            "code": ccode, "name": f"社区{c + 1}",
            "grids": [{
                "code": f"{street['code']}{ccode}{g + 1:03d}", "name": f"社区{c + 1}第{g + 1}网格",
                "boundaries": {"east": "东路", "south": "南路", "west": "西路", "north": "北路"},
                "leader": {"contact": "12345"},
                "staff": [{"role": "grid_worker", "count": 2, "contact": "12345"}],
            } for g in range(n)],
        })
    out["streets"] = [s for s in out["streets"] if s["communities"]]
    return out


def reg(grids_per_community: list[int]) -> Registry:
    return Registry.model_validate(make_registry(grids_per_community))


# ---- validation --------------------------------------------------------------------------


def test_shipped_registry_is_valid_labelled_and_matches_the_rules() -> None:
    loaded = load_registry(SHIPPED)
    assert loaded.registry.example is True
    assert "示例" in SHIPPED.read_text(encoding="utf-8").splitlines()[0]
    entries = loaded.registry.grids()
    assert len(entries) >= 5 and len({e.community_key for e in entries}) >= 3
    assert check_roles(loaded, gridpolicy.load(ROOT / "rules")) == []
    e = loaded.registry.find("341002001001001")
    assert e is not None and e.community.name == "水心亭社区" and e.street.name == "昱东街道"
    assert loaded.registry.find("nope") is None


def _error_of(text: str) -> RegistryError:
    with pytest.raises(RegistryError) as info:
        parse_registry(text, "g.yaml")
    return info.value


@pytest.mark.parametrize(("mutate", "path", "zh"), [
    (lambda d: d["streets"][0]["communities"][0]["grids"][0]["boundaries"].pop("east"),
     "streets[0].communities[0].grids[0].boundaries.east", "缺少必填字段"),
    (lambda d: d["streets"][0]["communities"][0]["grids"][0].update(color="red"),
     "streets[0].communities[0].grids[0].color", "未知字段"),
    (lambda d: d["streets"][0]["communities"][0]["grids"][0]["leader"].update(contact="call me"),
     "streets[0].communities[0].grids[0].leader.contact", "格式不对"),
    (lambda d: d["streets"][0]["communities"][0]["grids"][0]["staff"][0].update(count=0),
     "streets[0].communities[0].grids[0].staff[0].count", "数值过小"),
    (lambda d: d.update(updated="yesterday"), "updated", "应为日期"),
    (lambda d: d["streets"][0]["communities"][0].update(grids=[]),
     "streets[0].communities[0].grids", "至少要有一项"),
])
def test_errors_name_file_line_and_field(mutate, path: str, zh: str) -> None:
    data = make_registry([2, 1])
    mutate(data)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    err = _error_of(text)
    problem = next(p for p in err.problems if p.path == path)
    assert zh in problem.message_zh and problem.message_en
    assert problem.file == "g.yaml"
    # The line points at the field itself (or, for a missing one, at its parent mapping).
    lines = text.splitlines()
    key = path.split(".")[-1].split("[")[0]
    assert 1 <= problem.line <= len(lines)
    if zh != "缺少必填字段":
        assert key in lines[problem.line - 1]
    assert problem.render().startswith(f"g.yaml:{problem.line}: {path}: ")


def test_duplicate_grid_code_is_reported_bilingually() -> None:
    data = make_registry([1, 1])
    data["streets"][1]["communities"][0]["grids"][0]["code"] = data["streets"][0]["communities"][0]["grids"][0]["code"]
    err = _error_of(yaml.safe_dump(data, allow_unicode=True))
    assert any("重复" in p.message_zh and "used twice" in p.message_en for p in err.problems)


def test_duplicate_staff_role_in_one_grid() -> None:
    data = make_registry([1])
    grid = data["streets"][0]["communities"][0]["grids"][0]
    grid["staff"].append({"role": "grid_worker"})
    err = _error_of(yaml.safe_dump(data, allow_unicode=True))
    assert any(p.path.endswith("grids[0].staff") and "重复" in p.message_zh for p in err.problems)


@pytest.mark.parametrize(("text", "zh"), [
    ("streets: [", "YAML 格式错误"),
    ("- a\n- b\n", "应为映射"),
])
def test_malformed_files(text: str, zh: str) -> None:
    err = _error_of(text)
    assert zh in err.problems[0].message_zh


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="无法读取"):
        load_registry(tmp_path / "missing.yaml")
    bad = tmp_path / "gbk.yaml"
    bad.write_bytes("district: 屯溪区".encode("gbk"))
    with pytest.raises(RegistryError, match="UTF-8"):
        load_registry(bad)


def test_check_roles_against_the_rules(tmp_path: Path) -> None:
    data = make_registry([1])
    grid = data["streets"][0]["communities"][0]["grids"][0]
    grid["staff"].append({"role": "grid_leader"})  # a leader listed as staff
    grid["staff"].append({"role": "wizard"})  # not declared
    grid["auxiliary"] = ["grid_worker"]  # staff listed as auxiliary
    file = tmp_path / "g.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems = check_roles(load_registry(file), gridpolicy.load(ROOT / "rules"))
    base = "streets[0].communities[0].grids[0]"
    by_path = {p.path: p for p in problems}
    assert set(by_path) == {f"{base}.staff[1].role", f"{base}.staff[2].role", f"{base}.auxiliary[0]"}
    assert "应为 staff" in by_path[f"{base}.staff[1].role"].message_zh
    assert "wizard" in by_path[f"{base}.staff[2].role"].message_zh
    assert "auxiliary/other" in by_path[f"{base}.auxiliary[0]"].message_en
    assert all(p.line > 0 and p.file == str(file) for p in problems)


# ---- the draw ------------------------------------------------------------------------------


def test_draw_is_reproducible_and_spread() -> None:
    r = reg([5] * 20 + [1] * 4)
    a = draw_sample(r, 40, 20, seed=2024)
    b = draw_sample(r, 40, 20, seed=2024)
    assert [e.code for e in a.grids] == [e.code for e in b.grids]
    assert len(a.grids) == 40 and len({e.code for e in a.grids}) == 40
    counts = Counter(e.community_key for e in a.grids)
    assert len(counts) == 20 and set(a.communities) == set(counts)
    # A one-grid community gives its one grid; the others share the rest evenly.
    size = {e.community_key: len(e.community.grids) for e in r.grids()}
    shares = [c for key, c in counts.items() if size[key] > 1]
    assert max(shares) - min(shares) <= 1
    other = draw_sample(r, 40, 20, seed=2025)
    assert [e.code for e in other.grids] != [e.code for e in a.grids]


def test_twenty_equal_communities_give_two_grids_each() -> None:
    d = draw_sample(reg([5] * 20), 40, 20, seed=3)
    assert Counter(Counter(e.community_key for e in d.grids).values()) == {2: 20}


def test_draw_does_not_depend_on_file_order() -> None:
    data = make_registry([3, 4, 2, 5, 3])
    shuffled = json.loads(json.dumps(data))
    shuffled["streets"].reverse()
    for s in shuffled["streets"]:
        for c in s["communities"]:
            c["grids"].reverse()
    a = draw_sample(Registry.model_validate(data), 6, 4, seed=9)
    b = draw_sample(Registry.model_validate(shuffled), 6, 4, seed=9)
    assert [e.code for e in a.grids] == [e.code for e in b.grids]


def test_small_communities_give_their_share_to_others() -> None:
    r = reg([1, 1, 1, 10])
    d = draw_sample(r, 8, 4, seed=1)
    counts = Counter(e.community_key for e in d.grids)
    assert sorted(counts.values()) == [1, 1, 1, 5]


@pytest.mark.parametrize(("sizes", "n", "k", "words"), [
    ([2, 2], 4, 3, "不足 3 个"),
    ([1, 1, 1], 5, 3, "共有 3 个网格"),
    ([3, 3], 1, 2, "至少要抽 2 个网格"),
    ([3], 0, 1, "大于 0"),
])
def test_impossible_draws_are_explained(sizes: list[int], n: int, k: int, words: str) -> None:
    with pytest.raises(SampleError, match=words):
        draw_sample(reg(sizes), n, k, seed=1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 6), min_size=1, max_size=12), st.integers(0, 2**32), st.data())
def test_draw_properties(sizes: list[int], seed: int, data) -> None:
    r = reg(sizes)
    k = data.draw(st.integers(1, len(sizes)))
    n = data.draw(st.integers(k, k + 10))
    try:
        d = draw_sample(r, n, k, seed)
    except SampleError:
        # Only possible when some k communities together hold fewer than n grids.
        assert sum(sorted(sizes)[:k]) < n
        return
    codes = [e.code for e in d.grids]
    assert len(codes) == n == len(set(codes))
    counts = Counter(e.community_key for e in d.grids)
    assert len(counts) == k  # every drawn community is inspected
    sizes_of = {e.community_key: len(e.community.grids) for e in r.grids()}
    # Balanced: a community gets fewer than the largest share only if it has no more grids.
    top = max(counts.values())
    assert all(c >= top - 1 or c == sizes_of[key] for key, c in counts.items())


# ---- the command ---------------------------------------------------------------------------


def test_sample_command_prints_seed_and_redraws(tmp_path: Path, capsys) -> None:
    file = tmp_path / "grids.yaml"
    file.write_text(yaml.safe_dump(make_registry([3] * 22), allow_unicode=True), encoding="utf-8")
    code = main(["sample", str(file), "--n", "40", "--from-communities", "20", "--seed", "77"])
    out = capsys.readouterr().out
    assert code == 0
    assert "种子 seed: 77" in out and "--seed 77" in out and "示例台账" in out
    listed = [ln for ln in out.splitlines() if ln[:4].strip().rstrip(".").isdigit()]
    assert len(listed) == 40
    main(["sample", str(file), "--n", "40", "--from-communities", "20", "--seed", "77"])
    assert capsys.readouterr().out == out


def test_sample_command_without_seed_prints_one_that_reproduces(tmp_path: Path, capsys) -> None:
    file = tmp_path / "grids.yaml"
    file.write_text(yaml.safe_dump(make_registry([2] * 6), allow_unicode=True), encoding="utf-8")
    assert main(["sample", str(file), "--n", "8", "--from-communities", "5", "--format", "json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["sample", str(file), "--n", "8", "--from-communities", "5", "--seed", str(first["seed"]),
                 "--format", "json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["grids"] == first["grids"] and again["registry_sha256"] == first["registry_sha256"]
    assert len({g["community_code"] + g["street_code"] for g in first["grids"]}) == 5


def test_sample_command_errors(tmp_path: Path, capsys) -> None:
    assert main(["sample", str(SHIPPED)]) == 1  # 3 communities, not 20
    assert "不足 20 个" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text("district: x\nupdated: 2026-01-01\nstreets: []\n", encoding="utf-8")
    assert main(["sample", str(bad), "--n", "1", "--from-communities", "1"]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:3: streets: " in err and "至少要有一项" in err
    assert main(["sample", str(SHIPPED), "--n", "3", "--from-communities", "3", "--seed", "1",
                 "--rules", str(ROOT / "rules")]) == 0
