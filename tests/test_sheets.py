"""The matter list as a workbook: export, import in place, located cell errors, round trips."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gridpolicy
from gridpolicy.cli import main
from gridpolicy.sheets import WorkbookError, export_workbook, import_workbook
from gridpolicy.sheets.columns import ADMISSION, CATALOGUE, DEPARTMENTS, EXITS, canonical, dsl, normal
from gridpolicy.sheets.grids import GRIDS
from gridpolicy.sheets.problems import letter
from gridpolicy.sheets.workbook import read_workbook

RULES = Path(__file__).resolve().parent.parent / "rules"
SHEETS = [ADMISSION.name, EXITS.name, CATALOGUE.name, DEPARTMENTS.name, GRIDS.name]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "list.xlsx"
    export_workbook(RULES, path)
    return path


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(RULES, copy, ignore=shutil.ignore_patterns(".*", "tests"))
    return copy


def values(path: Path) -> dict[str, list[list[object]]]:
    return {name: [sheet.headers, *(r for _, r in sheet.rows)] for name, sheet in read_workbook(path).items()}


def texts(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def edited(src: Path, dst: Path, changes: dict[tuple[str, str], object], append: dict[str, list[list[object]]]
           | None = None) -> Path:
    wb = openpyxl.load_workbook(src)
    for (sheet, cell), value in changes.items():
        wb[sheet][cell] = value
    for sheet, rows in (append or {}).items():
        for row in rows:
            wb[sheet].append(row)
    wb.save(dst)
    return dst


def cell_of(sheet_spec, ident: str, key: str, path: Path) -> str:
    """The spreadsheet address of the cell for declaration `ident`, column `key`."""
    rows = read_workbook(path)[sheet_spec.name].rows
    ident_col = [c.key for c in sheet_spec.columns].index("@id" if sheet_spec is not GRIDS else "code")
    number = next(n for n, r in rows if r[ident_col] == ident)
    return f"{letter([c.key for c in sheet_spec.columns].index(key))}{number}"


# ---- export ---------------------------------------------------------------------------------


def test_export_has_every_sheet_with_bilingual_headers(exported: Path) -> None:
    book = values(exported)
    assert list(book) == ["填写说明", *SHEETS]
    admission = book[ADMISSION.name]
    assert admission[0][:3] == ["清单\nlist", "编号\nid", "名称\nname"]
    assert "出处\nsource" in admission[0] and "假设\nassumption" in admission[0]
    g01 = next(r for r in admission if r[1] == "G01")
    assert g01[2] == "基层党建" and g01[4] == "b1" and g01[8] == "zuzhibu"
    assert g01[7] == "grid_leader、building_leader、party_volunteer、cobuild_contact、cobuild_enterprise"
    t01 = next(r for r in admission if r[1] == "T01")
    written = re.search(r"matter T01 .*?effective (\S+)\n\s*(?:expires|\S+) (\S+)\n",
                        (RULES / "30_admission.gp").read_text(encoding="utf-8"), re.S)
    assert written is not None
    assert t01[5] == dt.datetime.fromisoformat(written[1]) and t01[6] == dt.datetime.fromisoformat(written[2])
    n02 = next(r for r in admission if r[1] == "N02")
    assert n02[0] == "negative" and n02[10] == "needs [industry_supervision, professional]"
    model = gridpolicy.load(RULES).model
    assert len(admission) - 1 == len(model.matters) and len(book[EXITS.name]) - 1 == len(model.exits)
    assert len(book[DEPARTMENTS.name]) - 1 == len(model.departments)
    assert len(book[CATALOGUE.name]) - 1 == sum(len(c.classes) for c in model.classifications)
    assert len(book[GRIDS.name]) - 1 == len(model.grids)


# ---- round trip -----------------------------------------------------------------------------


def test_round_trip_is_lossless(exported: Path, folder: Path, tmp_path: Path) -> None:
    before = texts(folder)
    result = import_workbook(exported, folder)
    assert result.changed == {} and texts(folder) == before
    again = tmp_path / "again.xlsx"
    export_workbook(folder, again)
    assert values(again) == values(exported)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=st.integers(0, 21), key=st.sampled_from(["source", "assumption", "note", "aliases", "@label"]),
       text=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp", "Zs")),
                    min_size=1, max_size=30).filter(lambda t: "、" not in t and not t.startswith("=")))
def test_edited_cell_reads_back(exported: Path, tmp_path_factory: pytest.TempPathFactory, row: int, key: str,
                                text: str) -> None:
    """Any text written into a text cell is imported and exported back unchanged; no other
    cell changes."""
    base = tmp_path_factory.mktemp("prop")
    folder = base / "rules"
    shutil.copytree(RULES, folder, ignore=shutil.ignore_patterns(".*", "tests"))
    cols = [c.key for c in ADMISSION.columns]
    cell = f"{letter(cols.index(key))}{row + 2}"
    src = edited(exported, base / "in.xlsx", {(ADMISSION.name, cell): text})
    import_workbook(src, folder)
    out = base / "out.xlsx"
    export_workbook(folder, out)
    want = values(src)
    got = values(out)
    want[ADMISSION.name][row + 1][cols.index(key)] = canonical(ADMISSION.column(key), normal(text))
    assert got == want


# ---- in place -------------------------------------------------------------------------------


def test_import_changes_only_the_edited_lines_and_keeps_comments(exported: Path, folder: Path, tmp_path: Path) -> None:
    before = (folder / "30_admission.gp").read_text(encoding="utf-8")
    src = edited(exported, tmp_path / "e.xlsx", {
        (ADMISSION.name, cell_of(ADMISSION, "G02", "owner", exported)): "区民政局",  # a Chinese name -> its id
        (ADMISSION.name, cell_of(ADMISSION, "G01", "source", exported)): "新的出处",
        (ADMISSION.name, cell_of(ADMISSION, "G03", "note", exported)): "新增说明",
        (ADMISSION.name, cell_of(ADMISSION, "P05", "assumption", exported)): None,  # removed
        (EXITS.name, cell_of(EXITS, "X01", "date", exported)): "2025/7/2",
    })
    import_workbook(src, folder)
    after = (folder / "30_admission.gp").read_text(encoding="utf-8")
    delta = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    gone = [line[2:] for line in delta if line.startswith("- ")]
    new = [line[2:] for line in delta if line.startswith("+ ")]
    assert len(gone) == 4 and len(new) == 4, delta
    assert '    owner minzheng' in new and '    source "新的出处"' in new and '    note "新增说明"' in new
    assert '  date 2025-07-02' in new
    for comment in (line for line in before.splitlines() if line.strip().startswith("#")):
        assert comment in after


def test_new_rows_are_added_where_they_belong(exported: Path, folder: Path, tmp_path: Path) -> None:
    src = edited(exported, tmp_path / "n.xlsx", {}, {
        ADMISSION.name: [["admission", "G10", "新事项", "别名甲、别名乙", "第三批", None, None, "grid_worker",
                          "minzheng", None, "urgency normal", "出处", "假设"]],
        CATALOGUE.name: [["events", "E01", "E0199", "新小类", "0199", None, "chengguan"]],
        DEPARTMENTS.name: [["tuanwei", "共青团屯溪区委", "district", "party", "团区委"]],
        GRIDS.name: [["grids.yaml", "001", "昱东街道", "001", "水心亭社区", "341002001001009", "水心亭社区第九网格",
                      None, 100, "东路", "南路", "西路", "北路", "12345", "grid_worker×2 12345", "deputies"]],
    })
    result = import_workbook(src, folder)
    assert result.rows[ADMISSION.name] == (0, 1)
    out = tmp_path / "out.xlsx"
    export_workbook(folder, out)
    book = values(out)
    g10 = next(r for r in book[ADMISSION.name] if r[1] == "G10")
    assert g10[3:5] == ["别名甲、别名乙", "b3"] and g10[10] == "urgency normal"
    assert any(r[2] == "E0199" and r[1] == "E01" for r in book[CATALOGUE.name])
    assert any(r[0] == "tuanwei" and r[4] == "团区委" for r in book[DEPARTMENTS.name])
    grid = next(r for r in book[GRIDS.name] if r[5] == "341002001001009")
    assert grid[8] == 100 and grid[14] == "grid_worker×2 12345"
    assert main(["check", str(folder), "--no-deep"]) == 0


# ---- bad cells ------------------------------------------------------------------------------

BAD = [
    # (sheet, declaration, column, value, cell's Chinese message, English message)
    (ADMISSION, "G01", "effective", "2024-13-01", "不是日期", "is not a date"),
    (ADMISSION, "G02", "batch", "b9", "未知的批次“b9”", "b9"),
    (ADMISSION, "G03", "owner", "无此部门", "未知的部门“无此部门”", "无此部门"),
    (ADMISSION, "G04", "owner", "minzheng、zhujian", "只能写一个编号", "one id is expected"),
    (ADMISSION, "G05", "handlers", "grid-worker", "不是编号", "is not an id"),
    (ADMISSION, "G06", "@traits", "needs [professional", "写法有误", "cannot be read"),
    (ADMISSION, "G07", "@parent", "negative", "不能在表格中把 G07 移到", "cannot be moved"),
    (EXITS, "X01", "matter", "G99", "G99", "G99"),
    (CATALOGUE, "E0101", "owner", "nobody", "nobody", "nobody"),
    (DEPARTMENTS, "zhengfawei", "tier", "province", "province", "province"),
    (GRIDS, "341002001001001", "households", "许多", "应为整数", "integer"),
    (GRIDS, "341002001001001", "staff", "grid_workr×2 12345", "未知的角色“grid_workr”，是不是“grid_worker”", "did you mean"),
    (GRIDS, "341002001001001", "staff", "grid_worker 两个", "网格员写法不对", "should read like"),
]


@pytest.mark.parametrize(("spec", "ident", "key", "value", "zh", "en"), BAD, ids=[f"{b[0].en}-{b[2]}" for b in BAD])
def test_bad_cell_is_located_and_nothing_is_written(exported: Path, folder: Path, tmp_path: Path, spec, ident: str,
                                                   key: str, value: str, zh: str, en: str) -> None:
    before = texts(folder)
    address = cell_of(spec, ident, key, exported)
    src = edited(exported, tmp_path / "bad.xlsx", {(spec.name, address): value})
    with pytest.raises(WorkbookError) as err:
        import_workbook(src, folder)
    problems = err.value.problems
    assert [(p.sheet, p.cell) for p in problems] == [(spec.name, address)], err.value
    assert zh in problems[0].message_zh and en in problems[0].message_en
    assert texts(folder) == before


def test_every_bad_cell_is_reported_at_once(exported: Path, folder: Path, tmp_path: Path) -> None:
    changes = {(spec.name, cell_of(spec, ident, key, exported)): value
               for spec, ident, key, value, _, _ in BAD[:6]}
    src = edited(exported, tmp_path / "bad.xlsx", changes, {ADMISSION.name: [["admission", "G01", "重复"]]})
    with pytest.raises(WorkbookError) as err:
        import_workbook(src, folder)
    cells = [p.cell for p in err.value.problems]
    assert len(cells) == 7 and cells == sorted(cells, key=lambda c: (int(c[1:]), c[0]))


def test_deleted_row_and_missing_id_column(exported: Path, folder: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(exported)
    wb[EXITS.name].delete_rows(2)
    wb[DEPARTMENTS.name]["A1"] = "代码"
    wb.save(tmp_path / "d.xlsx")
    with pytest.raises(WorkbookError) as err:
        import_workbook(tmp_path / "d.xlsx", folder)
    text = str(err.value)
    assert "缺少 X01" in text and "does not delete" in text
    assert "缺少“编号”列" in text and "the 'id' column is missing" in text


def test_not_a_workbook(tmp_path: Path, folder: Path) -> None:
    (tmp_path / "x.xlsx").write_text("not a zip", encoding="utf-8")
    with pytest.raises(WorkbookError, match="不是 .xlsx 工作簿"):
        import_workbook(tmp_path / "x.xlsx", folder)


@pytest.mark.parametrize(("col", "text", "want"), [
    (ADMISSION.column("effective"), "2024/3/1", "2024-03-01"),
    (ADMISSION.column("effective"), "2024年3月1日", "2024-03-01"),
    (ADMISSION.column("handlers"), "grid_worker， grid_leader", "grid_worker, grid_leader"),
    (ADMISSION.column("aliases"), "甲、乙", '"甲", "乙"'),
    (ADMISSION.column("source"), '他说"好"', '"他说\\"好\\""'),
    (ADMISSION.column("batch"), "=b1", "b1"),
])
def test_cell_to_rule_text(col, text: str, want: str) -> None:
    assert dsl(col, canonical(col, text)) == want


# ---- command line ---------------------------------------------------------------------------


def test_cli_export_import(folder: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "l.xlsx"
    assert main(["export", str(folder), "--xlsx", str(path)]) == 0
    assert f"准入事项清单 {len(gridpolicy.load(RULES).model.matters)} 行" in capsys.readouterr().out
    assert main(["import", str(path), "--into", str(folder)]) == 0
    assert "没有改动 no changes" in capsys.readouterr().out
    bad = edited(path, tmp_path / "b.xlsx", {(ADMISSION.name, cell_of(ADMISSION, "G01", "batch", path)): "b9"})
    assert main(["import", str(bad), "--into", str(folder), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["problems"][0]["sheet"] == ADMISSION.name
    assert data["problems"][0]["cell"] == cell_of(ADMISSION, "G01", "batch", path)
    assert main(["import", str(bad), "--into", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "工作表“准入事项清单”第 2 行 E 列（批次）" in err and "sheet '准入事项清单' (admission list) row 2 column E (batch)" in err
    assert "未写入任何文件" in err and "nothing written" in err
