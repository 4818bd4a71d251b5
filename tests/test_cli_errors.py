"""A command line the CLI cannot use is one bilingual line on stderr and exit 2, never a
traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridpolicy.cli import main

ROOT = Path(__file__).resolve().parent.parent
RULES = str(ROOT / "rules")
ITEMS = str(ROOT / "examples" / "items.json")
HUGE = "9" * 5000


@pytest.mark.parametrize(("argv", "zh", "en"), [
    (["route", RULES, ITEMS, "--at", "garbage"], "ISO 8601", "must be an ISO 8601 time"),
    (["route", RULES, ITEMS, "--at", "2026-03-02T09:30:00"], "必须带时区", "must carry a time zone offset"),
    (["route", RULES, ITEMS, "--at", "3000-01-01T00:00:00+08:00"], "1900–2199", "within 1900-2199"),
    (["route", RULES, ITEMS, "--jobs", HUGE], "整数过大", "integer too large"),
    (["route", RULES, ITEMS, "--jobs", "0"], "之间", "must be between 1 and 256"),
    (["route", RULES, ITEMS, "--jobs", "x"], "应为整数", "must be a whole number"),
    (["route", RULES, "/no/such/items.jsonl", "--jsonl"], "无法读取", "cannot read '/no/such/items.jsonl'"),
    (["route", RULES, "/no/such/items.jsonl", "--jsonl", "--explain"], "无法读取", "cannot read"),
    (["route", RULES, "/no/such/items.json"], "无法读取", "cannot read '/no/such/items.json'"),
    (["log", "x.sqlite", "--limit", HUGE], "整数过大", "integer too large"),
    (["sample", RULES, "--n", HUGE], "整数过大", "integer too large"),
    (["serve", RULES, "--port", "70000"], "之间", "between 0 and 65535"),
    (["route"], "参数错误", "invalid arguments"),
])
def test_argument_errors_are_one_bilingual_line_and_exit_2(argv: list[str], zh: str, en: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        raise SystemExit(main(argv))
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert zh in err and en in err and len(err) < 600
