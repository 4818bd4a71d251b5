"""Case metrics (issue 16 with issue 23): a case record per case from its `CaseState`, and the
shipped rules' case-data formulas (三率, 退单率, 重办率, Jinhua-style department score) over a
JSON-lines file of cases, grouped by department — the same as over the host's own export."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml

import gridpolicy
from gridpolicy.cli import main
from gridpolicy.evaluation import CASE_COLUMNS, case_record, evaluate_groups, open_source

RULES = Path(__file__).resolve().parent.parent / "rules"


@pytest.fixture(scope="module")
def policy() -> gridpolicy.Policy:
    return gridpolicy.load(RULES)


def shipped_cases() -> list[dict]:
    out = []
    for name in ("lifecycle.yaml", "practice_lifecycle.yaml"):
        for case in yaml.safe_load((RULES / "tests" / name).read_text(encoding="utf-8")):
            if "case" in case and not case.get("expect", {}).get("error"):
                out.append(case["case"])
    return out


CASE = {"item": {"id": "m-1", "kind": "issue", "responsible_department": "zhujian", "urgency": "urgent",
                 "reported_at": "2026-03-02T10:00:00+08:00"},
        "events": [{"type": "completed", "at": "2026-03-03T16:00:00+08:00"},
                   {"type": "followup", "at": "2026-03-04T09:00:00+08:00", "result": "不满意", "reasonable": True},
                   {"type": "completed", "at": "2026-03-05T16:00:00+08:00"},
                   {"type": "followup", "at": "2026-03-06T09:00:00+08:00", "result": "基本满意"}]}


def test_a_case_record_from_a_case_state(policy: gridpolicy.Policy) -> None:
    rec = case_record(CASE, policy.step(CASE))
    assert set(rec) == set(CASE_COLUMNS)
    assert (rec["department"], rec["urgent"], rec["status"], rec["closed"], rec["due"]) == \
        ("zhujian", True, "closed", True, True)
    assert (rec["reopened"], rec["returned"], rec["followup"], rec["reasonable"]) == (1, 0, "basically_satisfied", True)
    # urgent: 4 hours to handle (due 14:00 the same day); first completed the next afternoon
    assert rec["due_at"].hour == 14 and rec["closed_at"].day == 5
    assert rec["on_time"] is False and rec["overdue"] is True and rec["responded"] is False
    normal = {**CASE, "item": {**CASE["item"], "urgency": "normal"}}
    rec = case_record(normal, policy.step(normal))
    assert (rec["urgent"], rec["on_time"], rec["overdue"], rec["responded"]) == (False, True, False, True)


def test_an_open_case_past_its_deadline_is_due_and_overdue(policy: gridpolicy.Policy) -> None:
    import datetime as dt

    case = {"item": CASE["item"], "events": []}
    later = dt.datetime(2026, 6, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    rec = case_record(case, policy.step(case, at=later))
    assert (rec["due"], rec["closed"], rec["on_time"], rec["overdue"], rec["responded"]) == (True, False, False, True,
                                                                                             False)


def test_shipped_case_formulas_over_a_cases_file_by_department(policy: gridpolicy.Policy, tmp_path: Path) -> None:
    cases = shipped_cases()
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
    src = open_source(path, policy)
    records = [case_record(c, policy.step(c)) for c in cases]
    for formula in ("response_rate", "resolution_rate", "return_rate", "redo_rate", "on_time_rate",
                    "closing_rate", "department_handling"):
        r = evaluate_groups(policy, formula, {"cases": [src]})
        assert r.by == "department" and r.groups
        declared = {n for f in policy.formula_runtime.order(formula) for i in f.inputs for n in i.fields}
        for g in r.groups:  # each group equals Policy.evaluate over its case records
            mine = [{k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in rec.items()
                     if v is not None and k in declared}
                    for rec in records if (rec["department"] or "（无）none") == g.key]
            try:
                want = policy.evaluate(formula, {"cases": mine}).value
            except gridpolicy.ItemError:
                want = None
            assert g.value == want, (formula, g.key)
    # the host's own export in the documented columns reads the same
    export = tmp_path / "export.csv"
    with export.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(CASE_COLUMNS))
        w.writeheader()
        for rec in records:
            w.writerow({k: "" if v is None else (str(v).lower() if isinstance(v, bool) else v) for k, v in rec.items()})
    a = evaluate_groups(policy, "department_handling", {"cases": [src]})
    b = evaluate_groups(policy, "department_handling", {"cases": [open_source(export, policy)]})
    assert [(g.key, g.value) for g in a.groups] == [(g.key, g.value) for g in b.groups]


def test_the_command_over_cases_and_a_decision_log(policy: gridpolicy.Policy, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from gridpolicy.decisionlog import DecisionLog, LoggedPolicy

    cases = shipped_cases()
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
    assert main(["evaluate", str(RULES), "return_rate", "--records", str(path), "--format", "csv"]) == 0
    by_cases = capsys.readouterr().out
    log = tmp_path / "decisions.jsonl"
    with DecisionLog(log, masking=False) as dl:
        logged = LoggedPolicy(policy, dl)
        for c in cases:
            logged.step(c)
    assert main(["evaluate", str(RULES), "return_rate", "--records", f"cases={log}", "--format", "csv"]) == 0
    assert capsys.readouterr().out == by_cases
