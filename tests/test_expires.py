"""`expires` (截止日期) is the last day a temporary admission is in force, inclusive: valid
through the end of that day in the policy's time zone (issue 17 item 13). The runtime, the
reasons in both languages, the checks and the site's status script read it the same way."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import gridpolicy

ROOT = Path(__file__).resolve().parent.parent

RULES = """
policy tmp "临时准入" { version "1" authority "委" effective 2024-01-01 timezone "Asia/Shanghai" }
tier grid "网格" { level 1 }
tier street "街道" { level 2 }
department minzheng "民政局" { tier street }
role worker "网格员" { category staff assigned_by minzheng }
list admission "准入清单" {
  admission true
  matter T01 "临时" { handlers worker owner minzheng effective 2025-04-01 expires 2025-09-30 }
  matter T02 "一天" { handlers worker owner minzheng effective 2025-05-01 expires 2025-05-01 }
}
route z "兜底" { tier grid handlers matter }
"""


@pytest.fixture(scope="module")
def policy() -> gridpolicy.Policy:
    return gridpolicy.loads(RULES)


def _task(matter: str, reported_at: str) -> dict[str, object]:
    return {"id": "t", "kind": "task", "matter": matter, "reported_at": reported_at}


@pytest.mark.parametrize(("matter", "reported_at", "status"), [
    ("T01", "2025-09-29T12:00:00+08:00", "in_force"),
    ("T01", "2025-09-30T00:00:00+08:00", "in_force"),  # the expiry day
    ("T01", "2025-09-30T23:59:59+08:00", "in_force"),  # its last second, local time
    ("T01", "2025-09-30T15:59:59+00:00", "in_force"),  # = 23:59:59 in Shanghai
    ("T01", "2025-10-01T00:00:00+08:00", "expired"),  # the day after
    ("T01", "2025-09-30T16:00:00+00:00", "expired"),  # = 10-01 00:00 in Shanghai, still 09-30 in UTC
    ("T01", "2025-09-30T23:00:00-05:00", "expired"),  # 10-01 12:00 in Shanghai
    ("T02", "2025-04-30T23:59:59+08:00", "not_yet_in_force"),
    ("T02", "2025-05-01T09:00:00+08:00", "in_force"),  # effective and expires the same day: one day
    ("T02", "2025-05-02T00:00:00+08:00", "expired"),
])
def test_in_force_through_the_end_of_the_expiry_day_in_the_policy_zone(policy: gridpolicy.Policy, matter: str,
                                                                       reported_at: str, status: str) -> None:
    d = policy.route(_task(matter, reported_at))
    assert d.matter is not None and d.matter.status == status
    assert d.outcome == ("handle" if status == "in_force" else "refuse")
    assert policy.route_json(_task(matter, reported_at)).count(f'"status":"{status}"'.encode()) == 1


def test_matter_status_by_day(policy: gridpolicy.Policy) -> None:
    t01 = next(m for m in policy.matters if m.code == "T01")
    assert t01.expires == dt.date(2025, 9, 30) and t01.ends == dt.date(2025, 10, 1)
    assert policy.matter_status(t01, dt.date(2025, 9, 30)) == "in_force"
    assert policy.matter_status(t01, dt.date(2025, 10, 1)) == "expired"


def test_reasons_say_valid_through_in_both_languages(policy: gridpolicy.Policy) -> None:
    live = next(r for r in policy.route(_task("T01", "2025-09-30T18:00:00+08:00")).reasons if r.id == "T01")
    assert "有效期至 2025-09-30（含当日）" in live.text_zh
    assert "valid through 2025-09-30 (inclusive)" in live.text_en
    gone = next(r for r in policy.route(_task("T01", "2025-10-01T08:00:00+08:00")).reasons if r.id == "T01")
    assert "有效期至 2025-09-30（含当日），2025-10-01 起不再有效" in gone.text_zh
    assert "valid through 2025-09-30 (inclusive); no longer in force from 2025-10-01" in gone.text_en
    for text in (live.text_zh, live.text_en, gone.text_zh, gone.text_en):
        assert "不含" not in text and "exclusive" not in text


@pytest.mark.parametrize(("expires", "error"), [
    ("2025-04-02", False), ("2025-04-01", False),  # the same day as effective: admitted for that day
    ("2025-03-31", True),  # before the first day in force
])
def test_gp056_refuses_an_expiry_before_the_effective_date(expires: str, error: bool) -> None:
    text = RULES.replace("expires 2025-09-30", f"expires {expires}")
    if error:
        with pytest.raises(gridpolicy.PolicyError) as info:
            gridpolicy.loads(text)
        assert "GP056" in str(info.value) and "the last day in force" in str(info.value)
        assert "有效期最后一天" in str(info.value)
    else:
        assert gridpolicy.loads(text).matters[0].expires == dt.date.fromisoformat(expires)


def test_the_site_script_uses_the_same_rule() -> None:
    script = (ROOT / "docs" / "javascripts" / "status.js").read_text(encoding="utf-8")
    assert re.search(r"d\.expires && day > d\.expires\) return \"expired\"", script)
    assert "day >= d.expires" not in script


def test_the_site_card_says_valid_through(policy: gridpolicy.Policy) -> None:
    from gridpolicy.site.context import Context
    from gridpolicy.site.pages.status import badge

    ctx = Context(policy, dt.date(2025, 9, 30))
    t01 = next(m for m in policy.matters if m.code == "T01")
    html = badge(ctx, t01)
    assert 'data-expires="2025-09-30"' in html and "gp-status--in_force" in html
    assert "有效期至 Valid through 2025-09-30（含当日 inclusive；临时准入 temporary）" in html
    assert "gp-status--expired" in badge(Context(policy, dt.date(2025, 10, 1)), t01)
