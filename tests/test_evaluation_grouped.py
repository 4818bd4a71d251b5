"""Grouped evaluation over record files (issue 16): each group's value is `Policy.evaluate` over
that group's records; permuting records or splitting a file never changes a result; bad rows
are bilingual errors naming file, row, column and value; CSV (BOM or not), JSON lines and
Parquet read alike; `gridpolicy evaluate` text and CSV reports are golden files."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gridpolicy
from gridpolicy import ItemError
from gridpolicy.cli import main
from gridpolicy.evaluation import evaluate_groups, open_source, parse_period
from gridpolicy.evaluation.report import render_csv, render_text

GOLDEN = Path(__file__).resolve().parent / "golden" / "evaluation"

RULES = '''policy demo "示例" { version "1" }
tier grid "网格" { level 1 }
route all "全部" { tier grid }
field followup "回访结果" {
  type enum
  values satisfied "满意", basically_satisfied "基本满意", dissatisfied "不满意"
}
grade sat_grade "满意度等级" {
  band 90 -> high "满意度高", 60 -> pass "达标", 0 -> low "须整改"
  award high
}
formula satisfaction "满意率" {
  input visits "回访记录" {
    type records
    fields grid, at -> date, result -> followup, reasonable -> bool, score -> 0 .. 100
    time at
  }
  input basic_weight "基本满意权重" { range 0 .. 1; default 0.8 }
  value 100 * (count(visits, result == satisfied) + basic_weight * count(visits, result == basically_satisfied))
    / count(where(visits, not (result == dissatisfied and reasonable == false)))
  round 1
  range 0 .. 100
  by grid
  grade sat_grade
}
formula mean_score "平均分" {
  input visits "回访记录" {
    type records
    fields grid, at -> date, result -> followup, reasonable -> bool, score -> 0 .. 100
    time at
  }
  value avg(where(visits, result != dissatisfied), score) + sum(visits, if(reasonable, 0, 1)) * 0
  round 2
  by grid
}
formula overall "综合" {
  input bonus "加分" { range 0 .. 20; default 0 }
  value min(weighted(satisfaction: 0.5, mean_score: 0.5) + min(bonus, 10), 100)
  round 1
  range 0 .. 100
  by grid
  grade sat_grade
}
'''
COLUMNS = ("grid", "at", "result", "reasonable", "score")
RESULTS = ("满意", "satisfied", "基本满意", "basically_satisfied", "不满意", "dissatisfied")


@pytest.fixture(scope="module")
def policy() -> gridpolicy.Policy:
    return gridpolicy.loads(RULES)


def write_csv(path: Path, rows: list[dict], bom: bool = True) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    return path


def rows_strategy() -> st.SearchStrategy[list[dict]]:
    row = st.fixed_dictionaries({
        "grid": st.sampled_from(["G1", "G2", "G3"]),
        "at": st.dates(min_value=__import__("datetime").date(2025, 11, 1),
                       max_value=__import__("datetime").date(2026, 2, 28)).map(str),
        "result": st.sampled_from(RESULTS),
        "reasonable": st.sampled_from(["true", "false", "是", "否", ""]),
        "score": st.one_of(st.just(""), st.integers(0, 100).map(str)),
    })
    return st.lists(row, min_size=1, max_size=30)


def by_python(policy: gridpolicy.Policy, formula: str, rows: list[dict], period: tuple[str, str] | None = None
              ) -> dict[str, float | None]:
    """The oracle: Policy.evaluate over each group's records (typed as the JSON path types them)."""
    out: dict[str, float | None] = {}
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["grid"], []).append(r)
    for g, rs in groups.items():
        recs = []
        for r in rs:
            if period and not period[0] <= r["at"] <= period[1]:
                continue
            rec = {"grid": r["grid"], "at": r["at"], "result": r["result"]}
            if r["reasonable"]:
                rec["reasonable"] = r["reasonable"] in ("true", "是")
            if r["score"]:
                rec["score"] = int(r["score"])
            recs.append(rec)
        if not recs:
            continue
        try:
            out[g] = policy.evaluate(formula, {"visits": recs}).value
        except ItemError:
            out[g] = None
    return out


def grouped(policy: gridpolicy.Policy, formula: str, files: list[Path], **kw: object) -> dict[str, float | None]:
    r = evaluate_groups(policy, formula, {"visits": [open_source(f, policy) for f in files]}, **kw)  # type: ignore[arg-type]
    return {g.key: g.value for g in r.groups}


@settings(max_examples=40, deadline=None)
@given(rows=rows_strategy(), formula=st.sampled_from(["satisfaction", "mean_score", "overall"]))
def test_each_group_is_policy_evaluate_over_its_records(tmp_path_factory: pytest.TempPathFactory, rows: list[dict],
                                                        formula: str) -> None:
    policy = gridpolicy.loads(RULES)
    path = write_csv(tmp_path_factory.mktemp("g") / "v.csv", rows)
    assert grouped(policy, formula, [path]) == by_python(policy, formula, rows)


@settings(max_examples=30, deadline=None)
@given(rows=rows_strategy(), seed=st.integers(0, 2**16), cut=st.integers(0, 30))
def test_permuting_or_splitting_records_never_changes_a_grouped_result(
        tmp_path_factory: pytest.TempPathFactory, rows: list[dict], seed: int, cut: int) -> None:
    policy = gridpolicy.loads(RULES)
    d = tmp_path_factory.mktemp("p")
    one = grouped(policy, "overall", [write_csv(d / "all.csv", rows)])
    shuffled = rows[:]
    random.Random(seed).shuffle(shuffled)
    assert grouped(policy, "overall", [write_csv(d / "shuffled.csv", shuffled, bom=False)]) == one
    k = min(cut, len(rows))
    parts = [write_csv(d / "a.csv", rows[:k]), write_csv(d / "b.csv", rows[k:])]
    assert grouped(policy, "overall", parts) == one


@settings(max_examples=20, deadline=None)
@given(rows=rows_strategy())
def test_a_period_keeps_only_its_records(tmp_path_factory: pytest.TempPathFactory, rows: list[dict]) -> None:
    policy = gridpolicy.loads(RULES)
    path = write_csv(tmp_path_factory.mktemp("q") / "v.csv", rows)
    got = grouped(policy, "satisfaction", [path], period=parse_period("2026-01"))
    assert got == by_python(policy, "satisfaction", rows, ("2026-01-01", "2026-01-31"))


SAMPLE = [
    {"grid": "G1", "at": "2026-01-05", "result": "满意", "reasonable": "", "score": "95"},
    {"grid": "G1", "at": "2026-01-20", "result": "基本满意", "reasonable": "", "score": "85"},
    {"grid": "G1", "at": "2026-02-03", "result": "不满意", "reasonable": "否", "score": "40"},
    {"grid": "G2", "at": "2026-01-07", "result": "satisfied", "reasonable": "", "score": "90"},
    {"grid": "G2", "at": "2026-02-11", "result": "满意", "reasonable": "", "score": "100"},
    {"grid": "G3", "at": "2026-02-12", "result": "不满意", "reasonable": "是", "score": "50"},
    {"grid": "G3", "at": "2026-02-13", "result": "基本满意", "reasonable": "", "score": "70"},
    {"grid": "G4", "at": "2026-02-14", "result": "不满意", "reasonable": "否", "score": ""},
]


def test_json_lines_and_parquet_read_like_csv(policy: gridpolicy.Policy, tmp_path: Path) -> None:
    want = grouped(policy, "overall", [write_csv(tmp_path / "v.csv", SAMPLE)])
    lines = tmp_path / "v.jsonl"
    lines.write_text("".join(json.dumps({k: v for k, v in r.items() if v != ""}, ensure_ascii=False) + "\n"
                             for r in SAMPLE), encoding="utf-8")
    assert grouped(policy, "overall", [lines]) == want
    pl.DataFrame(SAMPLE).write_parquet(tmp_path / "v.parquet")
    assert grouped(policy, "overall", [tmp_path / "v.parquet"]) == want


def test_a_group_without_gradable_data_is_listed_not_graded(policy: gridpolicy.Policy, tmp_path: Path) -> None:
    r = evaluate_groups(policy, "satisfaction", {"visits": [open_source(write_csv(tmp_path / "v.csv", SAMPLE), policy)]})
    g4 = next(g for g in r.groups if g.key == "G4")  # its only answer is an unreasonable dissatisfaction
    assert g4.value is None and g4.rank is None and "数据不足" in g4.error_zh
    assert [g.key for g in r.groups] == ["G2", "G1", "G3", "G4"]
    assert [g.key for g in r.awarded] == ["G2", "G1"]  # 100 and (1 + 0.8) / 2 = 90


@pytest.mark.parametrize(("cell", "value", "zh", "en"), [
    ("result", "很满意", "“很满意”无效", "'很满意' is not valid"),
    ("score", "950", "0 .. 100 之间的数字", "a number in 0 .. 100"),
    ("score", "inf", "0 .. 100", "0 .. 100"),
    ("at", "2026-13-45", "日期", "a date"),
    ("reasonable", "maybe", "是/否", "true or false"),
])
def test_bad_rows_name_file_row_column_and_value(policy: gridpolicy.Policy, tmp_path: Path, cell: str, value: str,
                                                 zh: str, en: str) -> None:
    rows = [dict(r) for r in SAMPLE]
    rows[2][cell] = value
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(ItemError) as info:
        evaluate_groups(policy, "satisfaction", {"visits": [open_source(path, policy)]})
    e = info.value.errors[0]
    assert "第 4 行" in e.message_zh and "line 4" in e.message_en  # header is line 1
    assert f"“{cell}”" in e.message_zh and str(path) in e.message_en
    assert zh in e.message_zh and en in e.message_en


def test_missing_column_and_unknown_input_have_did_you_mean(policy: gridpolicy.Policy, tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text("grid,at,resutl,reasonable,score\nG1,2026-01-01,满意,,90\n", encoding="utf-8")
    with pytest.raises(ItemError) as info:
        evaluate_groups(policy, "satisfaction", {"visits": [open_source(path, policy)]})
    assert "resutl" in info.value.errors[0].message_en and "result" in info.value.errors[0].message_zh
    with pytest.raises(ItemError) as info:
        evaluate_groups(policy, "satisfaction", {"vists": [open_source(path, policy)]})
    assert "visits" in info.value.errors[0].message_en


def test_not_utf8_is_a_clear_error(policy: gridpolicy.Policy, tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("grid,at,result,reasonable,score\nG1,2026-01-01,满意,,90\n".encode("gbk"))
    with pytest.raises(ItemError) as info:
        open_source(path, policy)
    assert "UTF-8" in info.value.errors[0].message_zh


def golden(name: str, text: str, update: bool) -> None:
    path = GOLDEN / name
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_text_and_csv_reports_are_golden(policy: gridpolicy.Policy, tmp_path: Path,
                                         request: pytest.FixtureRequest) -> None:
    update = bool(request.config.getoption("--update-golden", default=False))
    r = evaluate_groups(policy, "overall", {"visits": [open_source(write_csv(tmp_path / "v.csv", SAMPLE), policy)]},
                        params={"bonus": 2})
    golden("overall.txt", render_text(r), update)
    golden("overall.csv", render_csv(r), update)


def test_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules.gp"
    rules.write_text(RULES, encoding="utf-8")
    data = write_csv(tmp_path / "v.csv", SAMPLE)
    assert main(["evaluate", str(rules), "satisfaction", "--records", str(data), "--format", "json",
                 "--period", "2026-01"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["period"] == "2026-01" and [g["group"] for g in out["groups"]] == ["G2", "G1"]
    assert main(["evaluate", str(rules), "satisfaction", "--records", f"visits={data}", "--set", "basic_weight=1",
                 "--report", str(tmp_path / "rep")]) == 0
    assert "满意率" in capsys.readouterr().out
    assert {p.name for p in (tmp_path / "rep").iterdir()} >= {"ranking.svg", "grades.svg", "trend.svg", "results.csv"}
    assert (tmp_path / "rep" / "results.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    bad = tmp_path / "bad.csv"
    bad.write_text("grid,at,result,reasonable,score\nG1,2026-01-01,很满意,,90\n", encoding="utf-8")
    assert main(["evaluate", str(rules), "satisfaction", "--records", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "第 2 行" in err and "line 2" in err and "很满意" in err
    assert main(["evaluate", str(rules), "satisfaction", "--records", str(data), "--period", "2026",
                 "--from", "2026-01-01"]) == 2
