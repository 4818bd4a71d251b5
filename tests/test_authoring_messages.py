"""The ordinary mistakes of a committee member editing rules (issue 19), each reported at the
token that is wrong, in Chinese and English with a corrected example: one golden file per case
(tests/golden/authoring/<case>.expected, rewritten by `pytest --update-golden`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import GOLDEN, Golden

from gridpolicy.diagnose import diagnose_folder

HERE = GOLDEN / "authoring"
BASE = (HERE / "base.gp").read_text(encoding="utf-8")

# (case, text in base.gp, replacement, the codes expected, in order of position)
CASES: list[tuple[str, str, str, list[str]]] = [
    ("unit_weeks", "limit 5 workdays", "limit 5 weeks", ["GP041"]),
    ("unit_gezuotian", "limit 5 workdays", "limit 5 个工作天", ["GP041"]),
    ("unit_gongzuoxiaoshi", "limit 1 hour", "limit 24 工作小时", ["GP041"]),
    ("keyword_mater", '  matter M02 "退役军人走访" {', '  mater M02 "退役军人走访" {', ["GP001"]),
    ("keyword_rout", 'route wide "超出社区范围" {', 'rout wide "超出社区范围" {', ["GP001"]),
    ("missing_brace", "    owner zfw\n  }\n", "    owner zfw\n", ["GP007"]),
    ("missing_brace_route", "  escalate 2 hours -> district\n}\n", "  escalate 2 hours -> district\n", ["GP007"]),
    ("extra_brace", "  limit 3 workdays\n}\n", "  limit 3 workdays\n}\n}\n", ["GP001"]),
    ("missing_comma", "handlers leader, worker, volunteer", "handlers leader, worker volunteer", ["GP001"]),
    ("trailing_comma", "handlers leader, worker, volunteer\n", "handlers leader, worker, volunteer,\n", ["GP001"]),
    ("lexical_does_not_hide", "  tier street\n  handlers leader\n", "  tier street\n  handlers leader；\n",
     ["GP004"]),
    ("date_slash", "effective 2025-01-01", "effective 2026/7/1", ["GP041"]),
    ("date_chinese", "effective 2025-01-01", "effective 2026年7月1日", ["GP041"]),
    ("colon_full_width", "limit 3 workdays", "limit：3 workdays", ["GP001"]),
    ("colon_ascii", "limit 3 workdays", "limit: 3 workdays", ["GP001"]),
    ("equals_compare", "when urgency == emergency", "when urgency = emergency", ["GP003"]),
    ("equals_assign", "limit 3 days", "limit = 3 days", ["GP003"]),
    ("arrow", "escalate 2 hours -> district", "escalate 2 hours → district", ["GP003"]),
    ("percent", "when scope > community", "when scope > community and 30% > 0", ["GP041"]),
    ("line_stops", "when urgency == emergency", "when urgency ==", ["GP001"]),
    ("label_department_short", "  department tuiyi\n", "  department 退役军人局\n", []),
    ("label_department_name", "  department tuiyi\n", "  department 区退役军人事务局\n", []),
    ("label_department_partial", "  department tuiyi\n", "  department 退役军人\n", ["GP031"]),
    ("label_scope", "when scope > community", "when scope > 社区", ["GP031"]),
    ("label_batch", "    batch b3\n", "    batch 第三批\n", ["GP031"]),
    ("label_urgency", "when urgency == emergency", "when urgency == 特急", ["GP031"]),
    ("property_typo", "  limit 3 days", "  limt 3 days", ["GP020"]),
    # rules that parse but make no sense: located warnings
    ("sense_no_batch_no_date", "    batch b3\n", "", ["GP065"]),
    ("sense_zero_limit", "limit 3 workdays", "limit 0 workdays", ["GP066"]),
    ("sense_grid_with_district_department", "  department tuiyi\n", "  tier grid\n  department tuiyi\n",
     ["GP067"]),
]


def _multi() -> str:
    """Three independent errors in one file: each is reported, in order."""
    return (BASE.replace("limit 5 workdays", "limit 5 weeks")
            .replace('  mater M02', '  matter M02').replace("when scope > community", "when scope > 社区")
            .replace("handlers leader, worker, volunteer", "handlers leader, worker volunteer"))


def render(text: str, tmp: Path) -> tuple[str, list[str]]:
    folder = tmp / "rules"
    folder.mkdir()
    (folder / "rules.gp").write_text(text, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(tmp)
    try:
        diagnosis = diagnose_folder("rules", deep=False)
    finally:
        os.chdir(cwd)
    found = sorted(diagnosis.diagnostics, key=lambda d: (d.span.line, d.span.column))
    return "\n\n".join(d.render() for d in found) + "\n", [d.code for d in found]


def test_base_is_clean(tmp_path: Path) -> None:
    assert render(BASE, tmp_path) == ("\n", [])


@pytest.mark.parametrize(("case", "old", "new", "codes"), CASES, ids=[c[0] for c in CASES])
def test_message(case: str, old: str, new: str, codes: list[str], tmp_path: Path, golden: Golden) -> None:
    assert BASE.count(old) >= 1, old
    text, found = render(BASE.replace(old, new, 1), tmp_path)
    assert found == codes, text
    golden.check(HERE / f"{case}.expected", text)


def test_independent_errors_are_reported_together(tmp_path: Path, golden: Golden) -> None:
    text, found = render(_multi(), tmp_path)
    assert found == ["GP001", "GP041", "GP031"], text
    golden.check(HERE / "several.expected", text)


def _valid_texts() -> list[tuple[str, str]]:
    from gridpolicy.formatter import format_text
    from gridpolicy.syntax.parser import lark_parser

    root = Path(__file__).resolve().parent.parent
    out = []
    for p in sorted([*(root / "rules").glob("*.gp"), *(root / "tests" / "golden").rglob("*.gp")]):
        text = p.read_text(encoding="utf-8").replace("\r\n", "\n")
        try:
            lark_parser().parse(text)
        except Exception:  # an input of an error case
            continue
        out.append((p.name, text))
        out += [(f"{p.name} ({lang})", format_text(text, p.name, lang)) for lang in ("zh", "en")]
    return out


def test_explainers_find_nothing_in_valid_rules() -> None:
    """No explainer speaks about text that parses: the shipped rules, the golden inputs, and both
    languages the formatter writes them in."""
    from gridpolicy.diagnostics import Reporter
    from gridpolicy.syntax.explain import explain

    texts = _valid_texts()
    assert len(texts) > 30
    for name, text in texts:
        rep = Reporter()
        rep.add_source(name, text)
        assert explain(text, name, rep) == text, name
        assert rep.diagnostics == [], (name, rep.diagnostics[0].render())
