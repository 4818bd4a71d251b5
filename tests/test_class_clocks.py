"""Catalogue classes with their own (staged) time limits (issue 14 item 1): what the checker
says about them, the decisions they give where the deciding route declares no limit, and the
route's own limit winning where it declares one."""

from __future__ import annotations

import json

import pytest
from conftest import BASE

import gridpolicy
from gridpolicy.diagnostics import PolicyError
from gridpolicy.formatter import format_text, spanless

HEAD, _, TAIL = BASE.partition("route emergency")

CATALOGUE = '''
classification events "事件" {
  type event
  major A01 "市容环境" {
    code "01"
    class A0102 "暴露垃圾" {
      code "0102"
      aliases "垃圾堆放"
      owner scj
      limit 4 hours
    }
    class A0103 "渣土" {
      code "0103"
      owner scj
      limit if(urgency == urgent, 2 hours, 2 workdays)
    }
    class A0104 "供水管道破裂" {
      code "0104"
      owner scj
      stages 3 urgent_hours -> fence "围挡", 8 urgent_hours -> repair "抢修", 5 workdays -> restore "恢复"
    }
    class A0105 "绿地脏乱" {
      code "0105"
      owner scj
    }
  }
}
route by_class "分类事件按小类时限" {
  when matter.status == classified and people < 50
  tier grid
  handlers leader
}
route by_class_own "人数多的分类事件：规则自己的时限" {
  when matter.status == classified
  tier community
  limit 1 workday
}
'''


def diagnostics(extra: str) -> list[tuple[str, str, int]]:
    """(code, severity, line within `extra`) of every diagnostic `extra` causes, placed before
    the base policy's routes."""
    text = HEAD + extra + "\nroute emergency" + TAIL
    offset = HEAD.count("\n")
    try:
        policy = gridpolicy.loads(text)
    except PolicyError as exc:
        found = exc.diagnostics
    else:
        found = list(policy.warnings)
    return [(d.code, d.severity, d.span.line - offset) for d in found]


def klass(body: str) -> str:
    return ('classification c "分类" {\n  type event\n  major A "大类" {\n    class K "小类" {\n'
            f'      owner scj\n{body}\n    }}\n  }}\n}}')


# (class body, expected code, its line in the text)
CHECKS = [
    ('      stages 4 hours -> a "一", 4 hours -> b "二"', "GP090", 6),  # stages not increasing
    ('      stages 2 workdays -> a "签收", 1 workday -> b "办结"', "GP090", 6),
    ('      limit 4 workhours', "GP091", 6),  # workhours without office hours
    ('      stages 4 工作时 -> a "处置", 3 workdays -> b "办结"', "GP091", 6),
    ('      limit 1 day\n      stages 1 day -> a "一", 2 days -> b "二"', "GP022", 6),  # both
    ('      limit 3 workdays + 2 hours', "GP040", 6),  # mixed units
    ('      limit people', "GP040", 6),  # a bare field is not a limit
    ('      limit if(people, 1 day, 2 days)', "GP040", 6),
    ('      limit 1.5 workdays', "GP041", 6),
    ('      stages 1 day -> a "一", 2 days -> a "二"', "GP030", 6),  # a stage twice
    ('      limit "三天"', "GP040", 6),
]


@pytest.mark.parametrize(("body", "code", "line"), CHECKS)
def test_the_checker_locates_each_problem_of_a_class_limit(body: str, code: str, line: int) -> None:
    found = diagnostics(klass(body))
    assert any(c == code and ln == line for c, _, ln in found), found


def test_a_class_with_good_limits_checks_clean() -> None:
    assert diagnostics(CATALOGUE) == []


def test_a_class_limit_in_chinese_keywords_checks_clean() -> None:
    body = '      分段时限 3 紧急工作时 -> fence "围挡", 5 工作日 -> restore "恢复"'
    assert diagnostics(klass(body)) == []


@pytest.fixture(scope="module")
def policy() -> gridpolicy.Policy:
    return gridpolicy.loads(HEAD + CATALOGUE + "\nroute emergency" + TAIL)


AT = "2026-03-06T16:00:00+08:00"  # a Friday


# (item fields, route, deadline, time limit text, stage codes)
DECISIONS = [
    ({"matter": "垃圾堆放"}, "by_class", "2026-03-06T20:00:00+08:00", "4小时", []),
    ({"matter": "0103"}, "by_class", "2026-03-10T16:00:00+08:00", "2个工作日", []),
    ({"matter": "渣土", "urgency": "urgent"}, "by_class", "2026-03-06T18:00:00+08:00", "2小时", []),
    ({"matter": "供水管道破裂"}, "by_class", "2026-03-13T16:00:00+08:00", "5个工作日", ["fence", "repair", "restore"]),
    # a class without a limit, decided by a route without one: no deadline
    ({"matter": "绿地脏乱"}, "by_class", None, None, []),
    # the route declares its own limit: it wins over the class's
    ({"matter": "垃圾堆放", "people": 60}, "by_class_own", "2026-03-09T16:00:00+08:00", "1个工作日", []),
    ({"matter": "供水管道破裂", "people": 60}, "by_class_own", "2026-03-09T16:00:00+08:00", "1个工作日", []),
    # the base policy's later routes keep their own limits
    ({"matter": "纠纷调解"}, "local", "2026-03-11T16:00:00+08:00", "3个工作日", []),
]


@pytest.mark.parametrize(("fields", "route", "deadline", "limit", "stages"), DECISIONS)
def test_a_route_without_a_limit_uses_the_class_limit(policy: gridpolicy.Policy, fields: dict, route: str,
                                                      deadline: str | None, limit: str | None,
                                                      stages: list[str]) -> None:
    d = policy.route({"id": "t", "kind": "issue", "reported_at": AT, **fields})
    assert d.reasons[-1].id == route
    got = d.model_dump(mode="json")
    assert got["deadline"] == deadline
    assert (d.time_limit.text_zh if d.time_limit else None) == limit
    assert [s.code for s in d.stages] == stages
    if stages:
        assert got["stages"][0]["deadline"] == "2026-03-06T19:00:00+08:00"
        assert got["stages"][1]["deadline"] == "2026-03-07T00:00:00+08:00"
        assert d.stages[-1].deadline == d.deadline
    assert json.loads(policy.route_json({"id": "t", "kind": "issue", "reported_at": AT, **fields})) == got


def test_a_class_limit_round_trips_between_chinese_and_english_keywords() -> None:
    text = HEAD + CATALOGUE + "\nroute emergency" + TAIL
    zh = format_text(text, lang="zh")
    assert "分段时限 3紧急工作时 -> fence" in zh and "时限 4小时" in zh
    en = format_text(zh, lang="en")
    assert en == format_text(text, lang="en")
    a, b = gridpolicy.loads(zh), gridpolicy.loads(en)
    def times(p: gridpolicy.Policy) -> object:
        return spanless([(c.id, c.limit.const if c.limit else None, [(s.code, s.name, s.limit.const) for s in c.stages])
                         for c in p.model.classes])
    assert times(a) == times(b)
    assert [s.code for s in a.model.classes[2].stages] == ["fence", "repair", "restore"]


def test_the_catalogue_page_shows_each_class_limit(policy: gridpolicy.Policy) -> None:
    import datetime as dt

    from gridpolicy.site import generate

    pages = generate(policy, dt.date(2026, 3, 1))
    page = pages["catalogue.md"]
    row = {k: next(ln for ln in page.splitlines() if f'id="class-{k}"' in ln or f"`{k}`" in ln)
           for k in ("A0102", "A0103", "A0104", "A0105")}
    assert "时限 Time limit：4小时（全天候连续计时）" in row["A0102"]
    assert "随事项而定" in row["A0103"]
    assert "围挡" in row["A0104"] and "抢修" in row["A0104"] and "恢复" in row["A0104"]
    assert "时限 Time limit" not in row["A0105"]
    routing = pages["routing.md"]
    assert "按事项所属小类的时限" in routing


def test_diff_shows_a_class_limit_changed(policy: gridpolicy.Policy) -> None:
    from gridpolicy.diff import diff

    text = HEAD + CATALOGUE + "\nroute emergency" + TAIL
    changed = gridpolicy.loads(text.replace("      limit 4 hours\n", "      limit 2 hours\n")
                               .replace('5 workdays -> restore "恢复"', '7 workdays -> restore "恢复"'))
    found = {(c.section, c.id, c.field) for c in diff(policy, changed).changes}
    assert ("class", "A0102", "limit") in found and ("class", "A0104", "stages") in found
    assert not diff(policy, gridpolicy.loads(format_text(text, lang="zh"))).changes


def test_the_language_reference_example_decides_as_it_says() -> None:
    from test_docs_language import examples, minimal

    body = next(b for mark, _, b in examples() if "owner_first" in b)
    head, _, catch_all = minimal().partition("route local")
    policy = gridpolicy.loads(head + body + "\nroute local" + catch_all)  # the catch-all last
    friday = "2026-03-06T16:00:00+08:00"
    water = policy.route({"id": "w", "kind": "issue", "matter": "供水管道破裂", "reported_at": friday})
    assert [s.code for s in water.stages] == ["fence", "repair", "restore"]
    assert water.deadline == water.stages[-1].deadline and water.handlers.department.code == "water"
    litter = policy.route({"id": "l", "kind": "issue", "matter": "暴露垃圾", "reported_at": friday})
    assert litter.model_dump(mode="json")["deadline"] == "2026-03-09T11:00:00+08:00"
    assert litter.time_limit.clock == "office_hours"
    cover = policy.route({"id": "c", "kind": "issue", "matter": "井盖", "urgency": "urgent", "reported_at": friday})
    assert cover.model_dump(mode="json")["deadline"] == "2026-03-06T20:00:00+08:00"
    other = policy.route({"id": "o", "kind": "issue", "reported_at": friday})
    assert other.time_limit.text_zh == "3个工作日"
