"""Scope from grids, concrete units, departments' names and hierarchy, who handles."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridpolicy.departments import DepartmentNames, ancestors, hierarchy_problems, units_of
from gridpolicy.handling import Lead, who_handles
from gridpolicy.locality import Locator, Unit, level_of
from gridpolicy.syntax.nodes import Span


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    community: str
    street: str
    community_code: str
    street_code: str


PLACES = [
    Place("341002001001001", "水心亭一", "水心亭社区", "昱东街道", "001", "001"),
    Place("341002001001002", "水心亭二", "水心亭社区", "昱东街道", "001", "001"),
    Place("341002001002001", "甲一", "示例社区甲", "昱东街道", "002", "001"),
    Place("341002002001001", "乙一", "示例社区乙", "昱中街道", "001", "002"),
]
LOC = Locator(PLACES, district_code="341002")


@pytest.mark.parametrize(("codes", "locality", "unknown", "outside"), [
    (["341002001001001"], "grid", (), ()),
    (["341002001001001", "341002001001001"], "grid", (), ()),
    (["341002001001001", "341002001001002"], "community", (), ()),
    (["341002001001001", "341002001002001"], "street", (), ()),
    (["341002001001001", "341002002001001"], "district", (), ()),
    (["341002001001001", "341004001001001"], "city", (), ("341004001001001",)),
    (["341002009009009"], None, ("341002009009009",), ()),
    (["341002001001001", "341002009009009"], "grid", ("341002009009009",), ()),
    ([], None, (), ()),
])
def test_extent(codes: list[str], locality: str | None, unknown: tuple[str, ...], outside: tuple[str, ...]) -> None:
    e = LOC.extent(codes)
    assert (e.locality, e.unknown, e.outside) == (locality, unknown, outside)


def test_without_district_code_nothing_is_outside() -> None:
    assert Locator(PLACES).extent(["341004001001001"]).unknown == ("341004001001001",)


@pytest.mark.parametrize(("locality", "unit"), [
    ("grid", Unit("grid", "341002001002001", "甲一")),
    ("community", Unit("community", "001/002", "示例社区甲")),
    ("street", Unit("street", "001", "昱东街道")),
    ("district", None),
])
def test_unit(locality: str, unit: Unit | None) -> None:
    assert LOC.unit("341002001002001", locality) == unit
    assert LOC.unit("nope", locality) is None


def test_suggest_code() -> None:
    assert LOC.suggest("341002001001011") in ("341002001001001", "341002001002001")
    assert LOC.suggest("abc") is None


@given(st.lists(st.sampled_from(PLACES), min_size=1, max_size=6))
def test_extent_is_the_smallest_level_holding_every_grid(places: list[Place]) -> None:
    e = LOC.extent(p.code for p in places)
    assert e.locality is not None
    for loc in ("grid", "community", "street"):
        units = {LOC.unit(p.code, loc) for p in places}
        holds = len(units) == 1
        assert holds == (level_of(e.locality) <= level_of(loc))
    # order and repetition do not matter
    assert LOC.extent(p.code for p in reversed(places + places)).locality == e.locality


# ---- departments ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Dept:
    id: str
    name: str
    short: str = ""
    tier: str = "district"
    parent: str | None = None
    span: Span = Span("t.gp", 1, 1, 1, 2)


LEVELS = {"street": 3, "district": 4, "city": 5}


def test_names() -> None:
    names = DepartmentNames([Dept("tuiyijunren", "区退役军人事务局", "退役军人局"), Dept("minzheng", "区民政局")])
    assert [names.resolve(n) for n in ("tuiyijunren", "区退役军人事务局", "退役军人局", "区民政局", "民政")] == [
        "tuiyijunren", "tuiyijunren", "tuiyijunren", "minzheng", None]
    assert names.clashes == []


def test_name_clashes() -> None:
    names = DepartmentNames([Dept("a", "公安分局"), Dept("b", "派出所", "公安分局"), Dept("c", "a")])
    assert [(c.name, c.first, c.second) for c in names.clashes] == [("公安分局", "a", "b"), ("a", "a", "c")]


@pytest.mark.parametrize(("depts", "found"), [
    ([Dept("gongan", "公安分局"), Dept("pcs", "昱东派出所", tier="street", parent="gongan")], []),
    ([Dept("pcs", "昱东派出所", parent="gongan")], [("unknown_parent", "pcs")]),
    ([Dept("gongan", "公安分局", tier="street"), Dept("x", "x", parent="gongan")], [("parent_below", "x")]),
    ([Dept("a", "a", parent="b"), Dept("b", "b", parent="a")], [("cycle", "a")]),
    ([Dept("a", "a", parent="a")], [("cycle", "a")]),
])
def test_hierarchy(depts: list[Dept], found: list[tuple[str, str]]) -> None:
    assert [(p.kind, p.department) for p in hierarchy_problems(depts, LEVELS.__getitem__)] == found


def test_ancestors_and_units() -> None:
    parents = {"shi": None, "gongan": "shi", "pcs1": "gongan", "pcs2": "gongan", "loop": "loop"}
    assert ancestors("pcs1", parents) == ["gongan", "shi"]
    assert ancestors("loop", parents) == []
    assert units_of("gongan", parents) == ["pcs1", "pcs2"]


# ---- who handles ------------------------------------------------------------------------------

NAMES = {"chengguan": "区城管局", "gongan": "公安分局", "minzheng": "区民政局", "shichang": "区市场监管局"}
STREET = Unit("street", "001", "昱东街道")


@pytest.mark.parametrize(("kw", "lead", "assisting"), [
    # the route's department leads; the item's responsible department is kept as assisting
    (dict(tier="district", route_department="chengguan", item_departments=["shichang"]),
     Lead("department", "chengguan", "区城管局"), ("shichang",)),
    # an owner at the decision's tier leads where the tier has no units
    (dict(tier="district", owner="chengguan", owner_tier="district"),
     Lead("department", "chengguan", "区城管局"), ()),
    # an event at street tier: the street leads, the class owner assists (locality first)
    (dict(tier="street", tier_has_units=True, owner="chengguan", owner_tier="district", unit=STREET,
          matter_assisting=["chengguan", "gongan"]),
     Lead("unit", "001", "昱东街道"), ("chengguan", "gongan")),
    # the owner at street tier does not displace the street's own unit
    (dict(tier="street", tier_has_units=True, owner="chengguan", owner_tier="street", unit=STREET),
     Lead("unit", "001", "昱东街道"), ()),
    # no unit known: the tier itself
    (dict(tier="street", tier_has_units=True), Lead("tier", "street", "T"), ()),
    # the lead is never among the assisting, and each assists once
    (dict(tier="district", route_department="gongan", route_assisting=["gongan", "minzheng"],
          matter_assisting=["minzheng"], item_departments=["gongan"]),
     Lead("department", "gongan", "公安分局"), ("minzheng",)),
])
def test_who_handles(kw: dict, lead: Lead, assisting: tuple[str, ...]) -> None:
    args = dict(tier_name="T", tier_has_units=False, route_department=None, owner=None, owner_tier=None,
                unit=None, department_name=NAMES)
    args.update(kw)
    who = who_handles(**args)
    assert (who.lead, who.assisting) == (lead, assisting)


@given(st.lists(st.sampled_from(sorted(NAMES)), max_size=6), st.lists(st.sampled_from(sorted(NAMES)), max_size=6),
       st.sampled_from([None, *sorted(NAMES)]))
def test_one_lead_and_nothing_named_is_dropped(route_assisting: list[str], item: list[str], dept: str | None) -> None:
    who = who_handles(tier="district", tier_name="区", tier_has_units=False, route_department=dept, owner=None,
                      owner_tier=None, unit=None, route_assisting=route_assisting, item_departments=item,
                      department_name=NAMES)
    named = {*route_assisting, *item}
    lead = {who.lead.code} if who.lead.kind == "department" else set()
    assert named <= set(who.assisting) | lead
    assert not lead & set(who.assisting)
    assert len(set(who.assisting)) == len(who.assisting)
