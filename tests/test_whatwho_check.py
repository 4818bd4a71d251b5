"""Checking the what-and-who constructs: the event catalogue, department kinds, hierarchy and
name references, tier localities, scope from grids. Each bad snippet gives one located,
bilingual diagnostic with its code."""

from __future__ import annotations

import pytest

import gridpolicy

BASE = """policy t "测试" { version "1" }
tier grid "网格" { level 1 }
tier community "社区" { level 2 }
tier street "街道" { level 3 }
tier district "区直部门" { level 4 }
tier city "市直部门" { level 5 }
department chengguan "区城市管理局" { tier district; short "城管局" }
department gongan "公安分局" { tier district }
role worker "网格员" { category staff }
field needs "所需能力" { type set; values law "行政执法" }
list admission "准入清单" { admission true; matter M01 "矛盾纠纷调解" { handlers worker } }
"""
BASE_LINES = BASE.count("\n")
CATALOGUE = """classification ev "事件" {
  type event
  major A01 "市容环境" {
    class A0102 "暴露垃圾" { code "0102"; aliases "垃圾堆放"; owner chengguan }
  }
}
"""
ROUTE = 'route all "兜底" { tier grid }\n'


def load(snippet: str) -> gridpolicy.Policy:
    return gridpolicy.loads(BASE + snippet + ROUTE)


def diagnostics(snippet: str) -> list[gridpolicy.Diagnostic]:
    try:
        policy = load(snippet)
    except gridpolicy.PolicyError as exc:
        return exc.diagnostics
    return list(policy.warnings)


BAD = [
    # (what, snippet, code, line within the snippet, a word the English message has)
    ("unknown classification type", 'classification ev "事件" { type accident\n major A "a" { class c "c" { owner chengguan } } }\n',
     "GP031", 1, "classification type"),
    ("classification needs a type", 'classification ev "事件" {\n major A "a" { class c "c" { owner chengguan } } }\n',
     "GP021", 1, "type"),
    ("major without classes", 'classification ev "事件" { type event\n major A "a" { code "01" } }\n', "GP021", 2,
     "no classes"),
    ("unknown owner", 'classification ev "事件" { type event\n major A "a" {\n class c "c" { owner chengguang } } }\n',
     "GP031", 3, "department"),
    ("class name taken by a listed matter", 'classification ev "事件" { type event\n major A "a" {\n'
     ' class c "矛盾纠纷调解" { owner chengguan } } }\n', "GP030", 3, "names both"),
    ("two classes share a code", 'classification ev "事件" { type event\n major A "a" {\n'
     ' class c1 "甲" { code "01"; owner chengguan }\n class c2 "乙" { code "01"; owner chengguan } } }\n',
     "GP030", 4, "names both"),
    ("class id twice", 'classification ev "事件" { type event\n major A "a" {\n'
     ' class c1 "甲" { owner chengguan }\n class c1 "乙" { owner chengguan } } }\n', "GP030", 4, "defined twice"),
    ("unknown trait field", 'classification ev "事件" { type event\n major A "a" {\n'
     ' class c "c" { owner chengguan; traits { need [law] } } } }\n', "GP031", 3, "field"),
    ("unknown department kind", 'department x "某部门" { tier district; kind goverment }\n', "GP031", 1, "kind"),
    ("unknown parent", 'department pcs "派出所" { tier street; parent gonan }\n', "GP080", 1, "parent"),
    ("parent below its unit", 'department pcs "派出所" { tier street }\ndepartment y "某局" { tier district; parent pcs }\n',
     "GP080", 2, "lower tier"),
    ("parent cycle", 'department a "甲" { tier district; parent b }\ndepartment b "乙" { tier district; parent a }\n',
     "GP080", 1, "cycle"),
    ("name shared by two departments", 'department x "某局" { tier district; short "城管局" }\n', "GP081", 1,
     "城管局"),
    ("unknown locality", 'tier village "村" { level 6; locality 村 }\n', "GP031", 1, "locality"),
    ("from on a field that is no tier", 'field s "范围" { type text; from grids }\n', "GP023", 1, "tier"),
    ("from something else", 'field s "范围" { type tier; from cells }\n', "GP031", 1, "from"),
    ("unknown class in a condition", CATALOGUE + 'route r "r" { when matter.class == 暴露拉圾; tier grid }\n',
     "GP031", 7, "class"),
    ("unknown major in a condition", CATALOGUE + 'route r "r" { when matter.major == 市容; tier grid }\n',
     "GP031", 7, "major"),
    ("unknown matter attribute", CATALOGUE + 'route r "r" { when matter.kind == event; tier grid }\n',
     "GP031", 7, "attribute"),
    ("unknown assisting department", 'route r "r" { tier grid; assisting gongann }\n', "GP031", 1, "department"),
    ("assisting takes departments", 'route r "r" { tier grid; assisting needs }\n', "GP040", 1, "department"),
]


@pytest.mark.parametrize(("what", "snippet", "code", "line", "word"), BAD, ids=[b[0] for b in BAD])
def test_bad_snippets(what: str, snippet: str, code: str, line: int, word: str) -> None:
    found = diagnostics(snippet)
    hits = [d for d in found if d.code == code and d.span.line == BASE_LINES + line]
    assert hits, f"{what}: expected {code} at snippet line {line}, got " + "; ".join(
        f"{d.code}@{d.span.line - BASE_LINES} {d.message_en}" for d in found)
    d = hits[0]
    assert word in d.message_en + d.message_zh
    assert d.message_zh and d.message_en and d.message_zh != d.message_en


BAD_HEADER = [
    ('policy t "测试" { version "1"; district_code "34-2" }', "GP041", "division code"),
    ('policy t "测试" { version "1"; unknown_grid drop }', "GP031", "unknown_grid"),
]


@pytest.mark.parametrize(("header", "code", "word"), BAD_HEADER)
def test_bad_header(header: str, code: str, word: str) -> None:
    text = header + BASE.split("\n", 1)[1] + ROUTE
    with pytest.raises(gridpolicy.PolicyError) as info:
        gridpolicy.loads(text)
    hits = [d for d in info.value.diagnostics if d.code == code and d.span.line == 1]
    assert hits and word in hits[0].message_en, [d.render() for d in info.value.diagnostics]


def test_department_names_resolve_everywhere() -> None:
    policy = load('department vet "区退役军人事务局" { tier district; short "退役军人局" }\n'
                  'department pcs "昱东派出所" { tier street; kind vertical; parent 公安分局 }\n'
                  'role helper "协管员" { category staff; assigned_by 退役军人局 }\n'
                  'field dept "主责部门" { type department }\n'
                  'route vet_route "退役军人" { when dept == "区退役军人事务局"; department 退役军人局;'
                  ' assisting 城管局, pcs; escalate 1 workday -> city }\n')
    vet = next(r for r in policy.routes if r.id == "vet_route")
    assert vet.department.value == "vet"
    assert [d.value for d in vet.assisting] == ["chengguan", "pcs"]
    assert next(r for r in policy.roles if r.id == "helper").assigned_by == "vet"
    pcs = next(d for d in policy.departments if d.id == "pcs")
    assert (pcs.kind, pcs.parent) == ("vertical", "gongan")
    assert next(d for d in policy.departments if d.id == "chengguan").kind == "government"


def test_catalogue_model() -> None:
    policy = load(CATALOGUE)
    (cl,) = policy.model.classifications
    (major,) = cl.majors
    (c,) = major.classes
    assert (cl.type, major.name, c.code, c.aliases, c.owner) == ("event", "市容环境", "0102", ("垃圾堆放",), "chengguan")
    assert policy.find_class("垃圾堆放") == c
    assert policy.find_class("0102") == c


def test_tier_locality_defaults_to_its_id() -> None:
    policy = load('tier shequ2 "另一社区层级" { level 7; locality community }\n')
    assert {t.id: t.locality for t in policy.tiers} == {
        "grid": "grid", "community": "community", "street": "street", "district": "district", "city": "city",
        "shequ2": "community"}


def test_class_without_owner_is_a_deep_check_warning() -> None:
    from gridpolicy.analysis import analyze

    policy = load('classification ev "事件" { type event\n major A "a" {\n class c "c" { code "x" } } }\n')
    found = [d for d in analyze(policy) if d.code == "GP110"]
    assert found and found[0].span.line == BASE_LINES + 3


def _deep(snippet: str, code: str) -> list[gridpolicy.Diagnostic]:
    from gridpolicy.analysis import analyze

    return [d for d in analyze(gridpolicy.loads(BASE + snippet)) if d.code == code]


def test_class_shadowed_by_an_earlier_route() -> None:
    catalogue = CATALOGUE.replace('  }\n}\n', '  }\n  major A02 "街面秩序" { class A0201 "占道经营" { owner chengguan } }\n}\n')
    routes = ('route city "市容环境" { when matter.major == 市容环境; tier street }\n'
              'route garbage "垃圾和占道" { when matter.class in [暴露垃圾, 占道经营]; tier grid }\n' + ROUTE)
    found = _deep(catalogue + routes, "GP111")
    assert len(found) == 1 and "garbage" in found[0].message_en and "city" in found[0].message_en
    assert found[0].span.line == BASE_LINES + catalogue.count("\n") + 2
    assert "A0102" in found[0].message_en
    # in the other order nothing is shadowed
    assert not _deep(catalogue + "\n".join(reversed(routes.strip().split("\n")[:2])) + "\n" + ROUTE, "GP111")


def test_scope_never_reaching_its_tier() -> None:
    head = 'field scope "涉及范围" { type tier; from grids; default grid }\n'
    low = 'route cross "跨社区" { when scope > community; tier street }\n' + ROUTE
    found = _deep(head + low, "GP112")
    assert {d.message_en.split("'")[1] for d in found} == {"community", "district", "city"}
    assert all(d.span.line == BASE_LINES + 1 for d in found)
    reach = ('route city "跨区" { when scope == city; tier city }\n'
             'route district "跨街道" { when scope == district; tier district }\n'
             'route community "跨网格" { when scope == community; tier community }\n')
    assert not _deep(head + reach + low, "GP112")
