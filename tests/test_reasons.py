"""The matter reason of a decision says what is known: no "since None" for a matter
without its own start date (a refused negative-list task), its dates when it has them."""

from __future__ import annotations

import pytest

import gridpolicy

POLICY = """
policy p "测试" {
  version "1"
  effective 2024-01-01
  routing first
}
tier grid "网格" { level 1 }
tier street "街道" { level 2 }
department minzheng "民政局" { tier street }
role worker "网格员" { category staff assigned_by minzheng }
list admission "准入清单" {
  admission true
  matter M01 "调解" { handlers worker effective 2024-03-01 }
  matter M02 "临时" { handlers worker effective 2024-03-01 expires 2027-01-01 }
  matter M03 "无日期" { handlers worker }
}
list negative "负面清单" {
  admission false
  matter N01 "执法" { handlers worker }
}
route z "兜底" { tier grid handlers matter }
"""


@pytest.mark.parametrize(("matter", "outcome", "en", "zh"), [
    ("N01", "refuse", "matter N01 is in force on list 'negative'", "事项 N01「执法」列入《负面清单》"),
    ("M03", "handle", "matter M03 is in force on list 'admission'", "事项 M03「无日期」列入《准入清单》"),
    ("M01", "handle", "matter M01 is in force on list 'admission' since 2024-03-01",
     "事项 M01「调解」列入《准入清单》，2024-03-01 起施行"),
    ("M02", "handle", "matter M02 is in force on list 'admission' since 2024-03-01, admitted temporarily, "
                      "valid through 2027-01-01 (inclusive)",
     "事项 M02「临时」列入《准入清单》，2024-03-01 起施行，临时准入，有效期至 2027-01-01（含当日）"),
])
def test_matter_reason_in_force(matter: str, outcome: str, en: str, zh: str) -> None:
    policy = gridpolicy.loads(POLICY)
    decision = policy.route({"id": "t1", "kind": "task", "matter": matter, "reported_at": "2026-03-02T10:00:00+08:00"})
    assert decision.outcome == outcome
    [reason] = [r for r in decision.reasons if r.kind == "matter"]
    assert reason.text_en == en
    assert reason.text_zh == zh
    assert "None" not in reason.text_en and "—" not in reason.text_zh
