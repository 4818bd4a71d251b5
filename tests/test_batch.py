"""Batch routing over Parquet, CSV and JSON lines (issue 20): `gridpolicy.batchio` and
`gridpolicy route RULES ITEMS --out FILE`."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

import gridpolicy
from gridpolicy.batchio import BatchIOError, BatchWriter, format_of, read_batches
from gridpolicy.cli import main

pa = pytest.importorskip("pyarrow", reason="the batch extra (pyarrow) is not installed")
pq = pytest.importorskip("pyarrow.parquet")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("batch") / "rules"
    shutil.copytree(ROOT / "rules", dest, ignore=shutil.ignore_patterns("tests"))
    return dest


@pytest.fixture(scope="module")
def policy(rules: Path) -> gridpolicy.Policy:
    return gridpolicy.load(rules)


def _items(n: int = 40) -> list[dict]:
    out = []
    for k in range(n):
        item = {"id": f"B-{k}", "kind": "issue" if k % 3 else "task", "matter": "矛盾纠纷调解",
                "reported_at": f"2026-03-{2 + k % 20:02d}T10:00:00+08:00"}
        if k % 5 == 0:
            item["urgency"] = "emergency"
        if k % 7 == 0:
            item["grids"] = ["G1", "G2"]
        out.append(item)
    out[3] = {**out[3], "kind": "bogus"}  # invalid
    return out


def _write_items(path: Path, items: list[dict]) -> None:
    kind = format_of(path)
    if kind == "jsonl":
        path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    elif kind == "parquet":
        pq.write_table(pa.Table.from_pylist(items), path)
    else:
        names = list(dict.fromkeys(k for i in items for k in i))
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=names)
            w.writeheader()
            for i in items:
                w.writerow({k: json.dumps(v) if isinstance(v, list) else v for k, v in i.items()})


def _expected(policy: gridpolicy.Policy, items: list[dict]) -> list[dict | None]:
    out: list[dict | None] = []
    for i in items:
        try:
            out.append(json.loads(policy.route_json(i)))
        except gridpolicy.ItemError:
            out.append(None)
    return out


@pytest.mark.parametrize("source", ["parquet", "csv", "jsonl"])
@pytest.mark.parametrize("target", ["parquet", "csv", "jsonl"])
def test_route_out_decides_every_item_as_route_does(tmp_path: Path, rules: Path, policy: gridpolicy.Policy,
                                                    source: str, target: str) -> None:
    items = _items()
    src, out = tmp_path / f"items.{source}", tmp_path / f"out.{target}"
    _write_items(src, items)
    assert main(["route", str(rules), str(src), "--out", str(out)]) == 1  # one invalid item
    expected = _expected(policy, items)
    if target == "jsonl":
        got = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
        assert [g if "error" not in g else None for g in got] == expected
        assert got[3]["item_id"] == "B-3" and got[3]["error"] == "invalid_item"
        return
    rows = pq.read_table(out).to_pylist() if target == "parquet" else list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["item_id"] for r in rows] == [i["id"] for i in items]
    for row, exp in zip(rows, expected):
        if exp is None:
            assert row["error"] and "kind" in row["error"] and not row["decision"]
            continue
        assert json.loads(row["decision"]) == exp
        assert row["outcome"] == exp["outcome"] and (row["tier"] or None) == (exp["tier"] or {}).get("code")
        assert (row["deadline"] or None) == exp["deadline"]


def test_jobs_give_the_same_file(tmp_path: Path, rules: Path) -> None:
    src = tmp_path / "items.parquet"
    _write_items(src, _items(120))
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    main(["route", str(rules), str(src), "--out", str(one)])
    main(["route", str(rules), str(src), "--out", str(two), "--jobs", "2"])
    assert one.read_bytes() == two.read_bytes()


def test_records_are_read_in_batches(tmp_path: Path) -> None:
    items = [{"id": f"R-{k}", "n": k} for k in range(25)]
    for kind in ("jsonl", "parquet", "csv"):
        path = tmp_path / f"r.{kind}"
        _write_items(path, items)
        batches = list(read_batches(path, batch_size=10))
        assert [len(b) for b in batches] == [10, 10, 5]
        flat = [r for b in batches for r in b]
        assert [r["id"] for r in flat] == [i["id"] for i in items]
        assert flat[3]["n"] == ("3" if kind == "csv" else 3)  # CSV cells are text


def test_csv_cells(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text('id,grids,note,empty\nC-1,"[""G1"",""G2""]",[not json,\n', encoding="utf-8")
    assert list(read_batches(path)) == [[{"id": "C-1", "grids": ["G1", "G2"], "note": "[not json"}]]


@pytest.mark.parametrize(("name", "text", "zh", "en"), [
    ("bad.jsonl", '{"id": "a"}\n{oops\n', "第 2 行", "line 2 is not valid JSON"),
    ("list.jsonl", '[1, 2]\n', "第 1 行应为 JSON 对象", "line 1 must be a JSON object"),
    ("bad.parquet", "not parquet", "不是合法的 parquet", "is not a valid parquet file"),
    ("items.xml", "<x/>", "无法从文件名", "cannot tell the format"),
])
def test_bad_input_is_a_located_bilingual_error(tmp_path: Path, name: str, text: str, zh: str, en: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BatchIOError) as exc:
        list(read_batches(path))
    assert zh in exc.value.zh and en in exc.value.en


def test_a_failed_run_leaves_no_half_file(tmp_path: Path, rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "items.jsonl"
    src.write_text('{"id": "a", "kind": "issue"}\n{broken\n', encoding="utf-8")
    out = tmp_path / "out.parquet"
    assert main(["route", str(rules), str(src), "--out", str(out)]) == 2
    assert "line 2" in capsys.readouterr().err
    assert not out.exists() and not list(tmp_path.glob(".out.parquet.*"))


def test_writer_columns_are_fixed_by_the_first_batch(tmp_path: Path) -> None:
    with BatchWriter(tmp_path / "w.parquet") as w:
        w.write([{"a": 1, "b": None}])
        w.write([{"a": 2, "b": "x"}])  # b had no value in the first batch: text
        with pytest.raises(BatchIOError, match="unknown columns"):
            w.write([{"c": 1}])
    assert pq.read_table(tmp_path / "w.parquet").to_pylist() == [{"a": 1, "b": None}, {"a": 2, "b": "x"}]


@pytest.mark.parametrize("kind", ["parquet", "csv", "jsonl"])
def test_diff_items_reads_record_files(tmp_path: Path, rules: Path, kind: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    new = tmp_path / "new"
    shutil.copytree(rules, new)
    items = [i for i in _items(10) if i["kind"] != "bogus"]
    src = tmp_path / f"items.{kind}"
    _write_items(src, items)
    assert main(["diff", str(rules), str(new), "--items", str(src), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["impact"]["items"] == len(items) and not report["impact"]["changed"]
