"""The host guide's promise, checked (issue 14): an item carrying only what a 12345 ticket or a
patrol report knows — category, grid(s), time, urgency, source, description — is routed by the
shipped rules as a practitioner expects. The host writes no routing logic: no `needs`, `scope`,
`responsible_department` or list code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import gridpolicy

RULES = Path(__file__).resolve().parent.parent / "rules"
FRIDAY_4PM = "2026-03-06T16:00:00+08:00"
YUDONG = "341002001001001"  # 昱东街道 水心亭社区
YUZHONG = "341002002001001"  # 昱中街道
KNOWN = {"id", "kind", "matter", "grid", "grids", "reported_at", "urgency", "source", "summary", "channel"}


@pytest.fixture(scope="module")
def rules() -> gridpolicy.Policy:
    return gridpolicy.load(RULES)


def ticket(**fields: Any) -> dict[str, Any]:
    item = {"id": "t", "kind": "issue", "reported_at": FRIDAY_4PM, **fields}
    assert set(item) <= KNOWN, set(item) - KNOWN  # only what a ticket or patrol report knows
    return item


# (what a practitioner expects, the item, expected decision fields)
CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("burst water main: the water company leads, fence/repair/restore stages",
     ticket(matter="水管爆裂", grid=YUDONG, source="patrol", summary="路口水管爆裂，水漫路面"),
     {"outcome": "handle", "handlers.lead.code": "water_co", "handlers.department.code": "water_co",
      "stages": ["fence", "repair", "restore"], "stages.0.deadline": "2026-03-06T19:00:00+08:00",
      "deadline": "2026-03-13T16:00:00+08:00"}),
    ("gas leak: the gas company leads with fire rescue assisting, not the grid",
     ticket(matter="燃气泄漏", grid=YUDONG, source="hotline", summary="楼道里闻到很重的燃气味"),
     {"outcome": "handle", "handlers.lead.code": "gas_co", "assisting": "xiaofang",
      "stages": ["fence", "repair", "restore"]}),
    ("gas leak reported as an emergency: still the gas company, never the street with the grid leader",
     ticket(matter="闻到燃气味", grid=YUDONG, source="hotline", urgency="emergency"),
     {"outcome": "handle", "handlers.lead.code": "gas_co", "stages": ["fence", "repair", "restore"]}),
    ("a resident's tap: a private matter, redirected to market services",
     ticket(matter="家中水龙头维修", grid=YUDONG, source="hotline", summary="厨房水龙头漏水"),
     {"outcome": "redirect", "referral": "repair_market", "deadline": None, "tier": None}),
    ("overturning a court judgment: redirected to the court, not a ticket",
     ticket(matter="不服判决", source="hotline", summary="要求改判"),
     {"outcome": "redirect", "referral": "court", "deadline": None}),
    ("flood-evacuation order from the command centre: exempt from the list, carried out at once at the grid",
     ticket(kind="task", urgency="emergency", source="department", grid=YUDONG,
            summary="防汛指挥部指令：立即转移低洼地带群众"),
     {"outcome": "handle", "gate.exemption.code": "emergency_order", "tier": "grid",
      "deadline": "2026-03-06T17:00:00+08:00"}),
    ("river debris across two streets: the district owner leads, scope district",
     ticket(matter="河道漂浮物", grids=[YUDONG, YUZHONG], source="patrol"),
     {"outcome": "handle", "scope": "district", "handlers.lead.code": "shuili",
      "deadline": "2026-03-27T16:00:00+08:00"}),
    ("garbage Friday 16:00 with 4 working hours: due Monday 11:00",
     ticket(matter="垃圾堆放", grid=YUDONG, source="patrol"),
     {"outcome": "handle", "tier": "grid", "deadline": "2026-03-09T11:00:00+08:00",
      "time_limit.clock": "office_hours"}),
    ("a noise complaint: the street's police station, from the grid alone",
     ticket(matter="噪声扰民", grid=YUZHONG, source="hotline"),
     {"outcome": "handle", "handlers.lead.code": "pcs_yuzhong", "tier": "street"}),
]


def field(d: dict[str, Any], path: str) -> Any:
    value: Any = d
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else (value or {}).get(part)
    return value


@pytest.mark.parametrize(("why", "item", "expected"), CASES, ids=[c[0].split(":")[0] for c in CASES])
def test_a_ticket_routes_as_a_practitioner_expects(rules: gridpolicy.Policy, why: str, item: dict[str, Any],
                                                   expected: dict[str, Any]) -> None:
    d = rules.route(item).model_dump(mode="json")
    got: dict[str, Any] = {}
    for key in expected:
        if key == "stages":
            got[key] = [s["code"] for s in d["stages"]]
        elif key == "referral":
            got[key] = d["referral"]["channel"]["code"] if d["referral"] else None
        elif key == "assisting":
            codes = [a["code"] for a in d["handlers"]["assisting"]]
            got[key] = expected[key] if expected[key] in codes else codes
        elif key in ("tier", "scope"):
            got[key] = d[key]["code"] if d[key] else None
        else:
            got[key] = field(d, key)
    assert got == expected, why
    assert d["matter"]["status"] != "unlisted" or item.get("matter") is None, why
    assert json.loads(rules.route_json(item)) == d


FOOD = [
    ticket(matter="食品安全"),
    ticket(matter="食品安全", grid=YUDONG),
    ticket(matter="过期食品", grid=YUDONG, source="hotline", summary="超市卖过期面包"),
    ticket(matter="餐馆卫生", grid=YUZHONG, source="resident", urgency="normal"),
    ticket(matter="后厨卫生", source="patrol", channel="phone", summary="后厨老鼠"),
    ticket(matter="0706", grid=YUDONG, channel="online"),
]


def test_the_same_food_safety_complaint_gets_one_route_whatever_optional_fields_it_carries(
        rules: gridpolicy.Policy) -> None:
    decided = [rules.route(item) for item in FOOD]
    routes = {(d.reasons[-1].id, d.tier.code, d.handlers.department.code, d.handlers.lead.code) for d in decided}
    assert routes == {("class_owner", "district", "shichang", "shichang")}, routes
    # Only the channel's own clock differs: online tickets 3 workdays, phone tickets 5.
    limits = {json.dumps(item.get("channel")): d.time_limit.amount for item, d in zip(FOOD, decided)}
    assert limits == {"null": 5.0, '"phone"': 5.0, '"online"': 3.0}
