"""The lifecycle check stage: located, bilingual diagnostics for what is wrong in a
`lifecycle` declaration, and the shipped lifecycle rules checked clean."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import BASE

import gridpolicy
from gridpolicy.diagnostics import Reporter
from gridpolicy.lifecycle import check_lifecycles
from gridpolicy.lifecycle.check import BLOCK_KEYS, LIFECYCLE_KEYS
from gridpolicy.syntax import keywords as kw
from gridpolicy.syntax.sources import read, read_text

POLICY = gridpolicy.loads(BASE)


def diagnose(body: str) -> list[tuple[str, int, str]]:
    text = BASE + body
    rep = Reporter()
    src = read_text(text, rep)
    assert not rep.diagnostics, [d.render() for d in rep.diagnostics]
    check_lifecycles([d for d in src.decls if d.kind == "lifecycle"], POLICY.model, rep)
    first = BASE.count("\n")
    return [(d.code, d.span.line - first, d.message_en) for d in rep.diagnostics]


OK = 'lifecycle t "督办" { on overdue "逾期" { remind 1 workday -> zfw "催办" } }'

# (lifecycle text, code, line within the text, words of the English message)
CASES = [
    ('lifecycle t "x" {\n on retuned "x" { }\n}', "GP070", 2, "unknown lifecycle block 'retuned'"),
    ('lifecycle t "x" {\n on merged "a" { }\n on 合并 "b" { }\n}', "GP070", 3, "more than once"),
    ('lifecycle t "x" {\n on overdue "x" {\n  remind 2 workdays -> zfw\n  bulletin 1 workday -> zfw\n }\n}',
     "GP072", 4, "notice ladder must go on"),
    ('lifecycle t "x" {\n on overdue "x" {\n  remind 1 workday -> nobody\n }\n}', "GP031", 3,
     "unknown department or tier 'nobody'"),
    ('lifecycle t "x" {\n on overdue "x" {\n  remind zfw\n }\n}', "GP023", 3, "a remind notice is written"),
    ('lifecycle t "x" {\n on overdue "x" { }\n}', "GP021", 2, "at least one notice"),
    ('lifecycle t "x" {\n on returned "x" {\n  arbiter zfw\n }\n}', "GP021", 2, "needs property 'reasons'"),
    ('lifecycle t "x" {\n on returned "x" {\n  reasons a "甲"\n  arbiter zfw\n  clock stop\n }\n}', "GP031", 5,
     "unknown value of 'clock' 'stop'"),
    ('lifecycle t "x" {\n on extension "x" {\n  approver zfw\n }\n}', "GP021", 2, "needs property 'max'"),
    ('lifecycle t "x" {\n on extension "x" {\n  approver zfw\n  max 0 workdays\n }\n}', "GP041", 4, "more than zero"),
    ('lifecycle t "x" {\n on extension "x" {\n  approver zfw\n  max 2 workdays\n  times 0\n }\n}', "GP023", 5,
     "whole number"),
    ('lifecycle t "x" {\n on extension "x" {\n  approvr zfw\n }\n}', "GP020", 3, "unknown property"),
    ('lifecycle t "x" {\n routes dept, nowhere\n}', "GP031", 2, "unknown route 'nowhere'"),
    ('lifecycle a "x" { }\nlifecycle b "y" { }', "GP071", 2, "both cover every other route"),
    ('lifecycle a "x" { routes dept }\nlifecycle b "y" { routes dept }', "GP071", 2, "already covered"),
    ('lifecycle a "x" { routes dept }', "GP074", None, "no lifecycle covers it"),
    ('lifecycle a "x" { }\nlifecycle a "y" { }', "GP030", 2, "defined twice"),
    ('lifecycle t "x" {\n on followup "x" { redo angry }\n}', "GP031", 2, "unknown follow-up result 'angry'"),
    ('lifecycle t "x" {\n on reopened "x" { by sideways }\n}', "GP031", 2, "unknown value of 'by'"),
    ('lifecycle t "x" {\n on held "x" { review 30 days }\n}', "GP021", 2, "needs property 'reviewer'"),
]


@pytest.mark.parametrize(("body", "code", "line", "words"), CASES, ids=[c[3] for c in CASES])
def test_lifecycle_diagnostics(body: str, code: str, line: int | None, words: str) -> None:
    found = diagnose(body)
    hits = [f for f in found if f[0] == code and words in f[2]]
    assert hits, found
    if line is not None:
        assert hits[0][1] == line, found


def test_a_good_lifecycle_has_no_diagnostics() -> None:
    assert diagnose(OK) == []


def test_chinese_and_english_keywords_check_alike() -> None:
    en = 'lifecycle t "x" { on extension "延期" { approver zfw; max 5 workdays; times 2; before 1 workday } }'
    zh = '全程督办 t "x" { 当 延期 "延期" { 审批机构 区委政法委; 最长 5 个工作日; 次数 2; 提前 1 工作日 } }'
    models = []
    for body in (en, zh):
        rep = Reporter()
        src = read_text(BASE + body, rep)
        (lc,) = check_lifecycles([d for d in src.decls if d.kind == "lifecycle"], POLICY.model, rep)
        assert not rep.diagnostics
        models.append((lc.extension.approver, lc.extension.max, lc.extension.times, lc.extension.before))
    assert models[0] == models[1]


def test_keyword_table_has_every_block_key() -> None:
    union = {k: v for keys in BLOCK_KEYS.values() for k, v in keys.items()}
    assert kw.PROPERTIES["on"] == union
    assert kw.PROPERTIES["lifecycle"] == LIFECYCLE_KEYS


def test_shipped_lifecycle_checks_clean() -> None:
    policy = gridpolicy.load("rules/", cache=False)
    rep = Reporter()
    src = read("rules/", rep)
    lifecycles = check_lifecycles([d for d in src.decls if d.kind == "lifecycle"], policy.model, rep)
    assert not rep.diagnostics and lifecycles
    for lc in lifecycles:  # the shipped rules may split cases by route (department vs grid cases)
        assert all(b is not None for b in (lc.returned, lc.extension, lc.overdue, lc.completed, lc.followup,
                                           lc.reopened, lc.held, lc.merged))


def test_every_lifecycle_code_is_documented() -> None:
    from gridpolicy.diagnostics import CODES

    for _, code, _, _ in CASES:
        assert code in CODES


def test_diff_names_what_changed_in_a_lifecycle() -> None:
    from lifecycle_support import TEXT

    from gridpolicy.diff import diff

    old = gridpolicy.loads(TEXT)
    new = gridpolicy.loads(TEXT.replace("max 10 workdays; times 1", "max 15 workdays; times 2")
                          .replace('on merged "合并" { }', ""))
    changes = [(c.section, c.id, c.field) for c in diff(old, new).changes if c.section == "lifecycle"]
    assert changes == [("lifecycle", "track", "extension"), ("lifecycle", "track", "merged")]
    ext = next(c for c in diff(old, new).changes if c.field == "extension")
    assert ext.old["max"] == "10 workdays" and ext.new["times"] == 2 and "全程督办" in ext.text_zh
    assert not [c for c in diff(old, old).changes if c.section == "lifecycle"]


def test_formatter_round_trips_lifecycles_between_zh_and_en() -> None:
    from lifecycle_support import LIFECYCLE

    from gridpolicy.formatter import format_text

    en = format_text(BASE + LIFECYCLE, lang="en")
    zh = format_text(en, lang="zh")
    assert "全程督办 track" in zh and "当 returned" in zh and "审定机构 zfw" in zh and "催办 1个工作日 -> zfw" in zh
    assert format_text(zh, lang="en") == en
    models = [gridpolicy.loads(t).model.lifecycles for t in (en, zh)]
    from gridpolicy.lifecycle.model import signature

    assert [signature(x) for x in models[0]] == [signature(x) for x in models[1]]


# ---- one overdue ladder: the route's notices, else its lifecycle's `on overdue` ----------------

OWN = '''
route noticed "自带督办的分流" {
  when people == 7
  tier community
  limit 2 workdays
  escalate 1 workday -> supervise(zfw) "区委政法委督办", 2 workdays -> street "移交街道"
}
'''

WITH_OWN = BASE.replace("route emergency ", OWN.lstrip() + "route emergency ", 1)


@pytest.mark.parametrize(("lifecycle", "warned"), [
    ('lifecycle own "x" { routes noticed\n on overdue "逾期" { remind 1 workday -> zfw "催办" } }', True),
    ('lifecycle own "x" { routes noticed, dept\n on overdue "逾期" { remind 1 workday -> zfw "催办" } }', False),
    ('lifecycle own "x" { routes noticed }', False),
])
def test_an_overdue_ladder_no_case_gets_is_a_warning(lifecycle: str, warned: bool) -> None:
    policy = gridpolicy.loads(WITH_OWN + lifecycle)
    found = [w for w in policy.warnings if w.code == "GP075"]
    assert bool(found) == warned, [w.render() for w in policy.warnings]
    if found:
        assert "declare the ladder once" in found[0].message_en and found[0].span.line == WITH_OWN.count("\n") + 2


def test_a_case_follows_its_routes_notices_else_its_lifecycles_ladder() -> None:
    policy = gridpolicy.loads(WITH_OWN + 'lifecycle all "x" {\n on overdue "逾期" { remind 1 workday -> zfw "催办" } }')
    start = "2026-03-02T10:00:00+08:00"
    own = policy.step({"item": {"id": "t1", "kind": "issue", "people": 7, "reported_at": start}, "events": []},
                      dt.datetime.fromisoformat("2026-03-06T10:00:00+08:00"))
    line = WITH_OWN.count("\n", 0, WITH_OWN.index("route noticed")) + 1
    assert [(n.kind, n.to.code, n.source.split(":")[1]) for n in own.notices] == [("supervise", "zfw", str(line))]
    assert [s.kind for s in own.decision.escalation] == ["supervise", "transfer"]  # the transfer is no notice
    other = policy.step({"item": {"id": "t2", "kind": "issue", "owner": "scj", "reported_at": start}, "events": []},
                        dt.datetime.fromisoformat("2026-03-10T11:00:00+08:00"))
    assert [(n.kind, n.to.code) for n in other.notices] == [("remind", "zfw")]
