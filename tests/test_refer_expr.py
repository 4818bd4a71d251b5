"""`refer` that depends on the item (issue 14 item 3): the checker's located diagnostics, the
decisions (route and route_json agree), the formatter's zh/en round trip, diff and the site."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import BASE

import gridpolicy
from gridpolicy.diagnostics import PolicyError
from gridpolicy.diff import diff
from gridpolicy.formatter import format_text

HEAD, _, TAIL = BASE.partition("route emergency")
REFERRALS = '''
field channel "渠道" { type enum; values phone "电话", online "网络" }
field private "私事" { type bool; default false }
referral police_110 "报警 110" { kind emergency; contact "110" }
referral court "区人民法院" { kind court; contact "0559-1234567" }
referral market "家政维修服务" { kind market }
'''
ROUTES = '''
route private_matter "私事：按渠道引导" {
  when private
  outcome redirect
  refer if(channel == online, market, if(urgency == urgent, police_110, court))
  reason "请按指引联系"
}
'''


def text(routes: str = ROUTES) -> str:
    return HEAD + REFERRALS + routes + "\nroute emergency" + TAIL


@pytest.fixture(scope="module")
def policy() -> gridpolicy.Policy:
    return gridpolicy.loads(text())


# (item fields, channel code)
CASES = [
    ({"private": True, "channel": "online"}, "market"),
    ({"private": True, "channel": "phone", "urgency": "urgent"}, "police_110"),
    ({"private": True, "channel": "phone"}, "court"),
    ({"private": True}, "court"),  # no channel: the condition is not true
]


@pytest.mark.parametrize(("fields", "channel"), CASES)
def test_the_channel_depends_on_the_item(policy: gridpolicy.Policy, fields: dict, channel: str) -> None:
    item = {"id": "r", "kind": "issue", "reported_at": "2026-03-02T09:00:00+08:00", **fields}
    d = policy.route(item)
    assert d.outcome == "redirect" and d.referral is not None
    assert d.referral.channel.code == channel and d.referral.reason == "请按指引联系"
    assert d.referral.source.endswith(f":{text().count(chr(10), 0, text().index('route private_matter')) + 1}:1")
    assert json.loads(policy.route_json(item)) == d.model_dump(mode="json")


def diagnostics(routes: str) -> list[tuple[str, int]]:
    offset = (HEAD + REFERRALS).count("\n")
    try:
        gridpolicy.loads(text(routes))
    except PolicyError as exc:
        return [(d.code, d.span.line - offset) for d in exc.diagnostics]
    return []


CHECKS = [
    ('route r "转介" {\n  outcome redirect\n  refer if(channel == online, market, nowhere)\n}', "GP031", 3),
    ('route r "转介" {\n  outcome redirect\n  refer if(channel, market, court)\n}', "GP040", 3),
    ('route r "转介" {\n  outcome redirect\n  refer if(channel == online, market)\n}', "GP023", 3),
    ('route r "转介" {\n  outcome redirect\n  refer has(channel)\n}', "GP023", 3),
    ('route r "转介" {\n  tier grid\n  refer if(channel == online, market, court)\n}', "GP093", 3),
]


@pytest.mark.parametrize(("routes", "code", "line"), CHECKS)
def test_the_checker_locates_a_bad_refer(routes: str, code: str, line: int) -> None:
    found = diagnostics(routes)
    assert any(c == code and ln == line for c, ln in found), found


def test_refer_round_trips_between_chinese_and_english(policy: gridpolicy.Policy) -> None:
    zh = format_text(text(), lang="zh")
    assert "转介 如果(channel == online, market, 如果(urgency == urgent, police_110, court))" in zh
    assert format_text(zh, lang="en") == format_text(text(), lang="en")
    assert not diff(policy, gridpolicy.loads(zh)).changes


def test_diff_and_site_show_the_item_dependent_channel(policy: gridpolicy.Policy) -> None:
    changed = gridpolicy.loads(text(ROUTES.replace("market, if(", "court, if(")))
    found = [c for c in diff(policy, changed).changes if c.section == "route"]
    assert [(c.id, c.field) for c in found] == [("private_matter", "refer")]
    assert "if(channel == online, court" in found[0].text_en
    from gridpolicy.site import generate

    page = generate(policy, dt.date(2026, 3, 1))["routing.md"]
    assert "家政维修服务；或 or 报警 110（110）；或 or 区人民法院（0559-1234567）" in page
    assert "去向随事项而定 Depends on the item" in page


# ---- coverage counts referral channels and gate exemptions -----------------------------------

def test_coverage_counts_referrals_and_exemptions() -> None:
    from pathlib import Path

    from gridpolicy.coverage import compute, targets
    from gridpolicy.ruletest import run_case

    demo = gridpolicy.load(Path(__file__).resolve().parent.parent / "examples" / "when_outcome", cache=False)
    kinds = [(t.kind, t.id) for t in targets(demo)]
    assert ("exemption", "emergency_order") in kinds
    assert {i for k, i in kinds if k == "referral"} == {r.id for r in demo.model.referrals}
    at = "2026-03-06T16:00:00+08:00"
    fire = {"item": {"id": "f", "kind": "issue", "category": "fire", "reported_at": at},
            "expect": {"outcome": "redirect"}}
    refused = {"item": {"id": "r", "kind": "task", "matter": "清扫楼道", "reported_at": at},
               "expect": {"outcome": "refuse"}}
    order = {"item": {"id": "o", "kind": "task", "source": "command_centre", "urgency": "emergency",
                      "reported_at": at}, "expect": {"gate.exemption": "emergency_order"}}
    late = dict(order, at="2026-03-10T09:00:00+08:00", expect={"outcome": "refuse"})

    def covered(*cases: dict) -> set[tuple[str, str]]:
        results = [run_case(demo, dict(c), "t.yaml", n) for n, c in enumerate(cases, 1)]
        assert all(r.ok for r in results), [r.problems for r in results]
        cov = compute(demo, results)
        return {k for k in cov.covered if k[0] in ("referral", "exemption")}

    assert covered(fire) == {("referral", "fire_119")}
    assert covered(refused) == {("referral", "admission_office")}  # the gate's refusal
    assert covered(order) == {("exemption", "emergency_order")}
    assert covered(late) == {("referral", "admission_office")}  # past its period: not exercised
    missed = compute(demo, []).report()
    assert "未测试的转介渠道 untested referral channels:" in missed
    assert "未测试的准入豁免 untested gate exemptions:" in missed
