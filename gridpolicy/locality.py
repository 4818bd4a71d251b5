"""Locality (属地): where an item's grids sit, the scope they span and the concrete unit that
handles it at a tier.

Tiers say which level of the grid registry they stand for (`locality grid | community |
street | district | city`). From the grids an item touches:

- every grid the same one -> grid; the same community -> community;
- two communities of one street -> street; two streets -> district;
- a grid outside the district (its code lacks the policy's `district_code`) -> city.

A code that is neither in the registry nor outside the district is unknown: the runtime
gives it as a reason (or an input error) with a "did you mean" among the registry's codes.

A department may be chosen by locality (`Areas`): a sub-unit declares the registry units it
serves (`department pcs_yudong { parent gongan; area "昱东街道" }`), and work for its parent
about an item in one of them goes to it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

# The registry's levels, lowest first, with their Chinese names.
LOCALITIES: dict[str, str] = {"grid": "网格", "community": "社区", "street": "街道（镇）",
                              "district": "区", "city": "市"}
ZH_LOCALITIES = {zh: en for en, zh in LOCALITIES.items()} | {"街道": "street", "镇": "street"}
UNIT_LOCALITIES = ("grid", "community", "street")  # levels with a concrete unit in the registry


class PlaceLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def community(self) -> str: ...
    @property
    def street(self) -> str: ...
    @property
    def community_code(self) -> str: ...
    @property
    def street_code(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Unit:
    """A concrete unit from the registry: a grid, a community (居委会) or a street (街道办)."""

    locality: str  # grid | community | street
    code: str  # grid code; `street/community` for a community; the street code
    name: str


@dataclass(frozen=True, slots=True)
class Extent:
    """What a set of grid codes spans."""

    locality: str | None  # the smallest level holding every known grid; None: no grid known
    known: tuple[str, ...]  # codes in the registry, in the order given
    unknown: tuple[str, ...]  # codes neither in the registry nor outside the district
    outside: tuple[str, ...]  # codes outside the district


class Locator:
    """Grid codes -> places, units and extents, over the registry the rules carry."""

    def __init__(self, places: Iterable[PlaceLike], district_code: str = ""):
        self.places = {p.code: p for p in places}
        self.district_code = district_code

    def __bool__(self) -> bool:
        return bool(self.places)

    def unit(self, code: str | None, locality: str) -> Unit | None:
        """The unit at `locality` that holds grid `code` (None for district and city, or an
        unknown grid)."""
        p = self.places.get(code) if code else None
        if p is None:
            return None
        if locality == "grid":
            return Unit("grid", p.code, p.name)
        if locality == "community":
            return Unit("community", f"{p.street_code}/{p.community_code}", p.community)
        if locality == "street":
            return Unit("street", p.street_code, p.street)
        return None

    def unit_spellings(self, locality: str) -> dict[str, str]:
        """Every name and code of the registry's units at `locality` -> the unit's key. A name
        two units share (two streets' 第一社区) is left out: write the code."""
        out: dict[str, str] = {}
        shared: set[str] = set()
        for p in self.places.values():
            key = unit_key(p, locality)
            name = {"grid": p.name, "community": p.community, "street": p.street}.get(locality, "")
            for spelling in (key, name):
                if not spelling:
                    continue
                if out.get(spelling, key) != key:
                    shared.add(spelling)
                out[spelling] = key
        return {k: v for k, v in out.items() if k not in shared}

    def outside(self, code: str) -> bool:
        """Whether a code not in the registry belongs to another district."""
        return bool(self.district_code) and code not in self.places and not code.startswith(self.district_code)

    def extent(self, codes: Iterable[str]) -> Extent:
        known: list[str] = []
        unknown: list[str] = []
        outside: list[str] = []
        for code in dict.fromkeys(codes):
            if code in self.places:
                known.append(code)
            elif self.outside(code):
                outside.append(code)
            else:
                unknown.append(code)
        locality: str | None
        if outside:
            locality = "city"
        elif not known:
            locality = None
        else:
            places = [self.places[c] for c in known]
            if len(known) == 1:
                locality = "grid"
            elif len({(p.street_code, p.community_code) for p in places}) == 1:
                locality = "community"
            elif len({p.street_code for p in places}) == 1:
                locality = "street"
            else:
                locality = "district"
        return Extent(locality, tuple(known), tuple(unknown), tuple(outside))

    def suggest(self, code: str) -> str | None:
        """The registry code an unknown one was probably meant to be."""
        matches = difflib.get_close_matches(code, list(self.places), n=1, cutoff=0.8)
        return matches[0] if matches else None


def level_of(locality: str) -> int:
    """The rank of a registry level, grid = 0."""
    return list(LOCALITIES).index(locality)


class DepartmentLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def tier(self) -> str: ...
    @property
    def parent(self) -> str | None: ...
    @property
    def area(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class AreaProblem:
    """An `area` that names no registry unit (`unknown`), a unit another sub-unit of the same
    parent already serves (`taken`), or a sub-unit whose tier has no registry level
    (`no_locality`)."""

    department: str
    area: str
    kind: str
    other: str = ""  # `taken`: the sub-unit that serves it
    suggestion: str | None = None


class Areas:
    """Departments chosen by locality: a parent's sub-units (e.g. 公安分局 → the 派出所 of each
    street) keyed by the registry unit each serves, at the locality of the sub-unit's tier."""

    def __init__(self, departments: Iterable[DepartmentLike], tier_locality: dict[str, str | None],
                 locator: Locator):
        self.locator = locator
        self.by_parent: dict[str, tuple[str, dict[str, str]]] = {}
        self.problems: list[AreaProblem] = []
        spellings: dict[str, dict[str, str]] = {}
        for d in departments:
            if not d.area or not d.parent:
                continue
            locality = tier_locality.get(d.tier)
            if locality not in UNIT_LOCALITIES:
                self.problems.append(AreaProblem(d.id, d.area[0], "no_locality"))
                continue
            assert locality is not None
            names = spellings.get(locality)
            if names is None:
                names = spellings[locality] = locator.unit_spellings(locality)
            units = self.by_parent.setdefault(d.parent, (locality, {}))[1]
            for a in d.area:
                key = names.get(a)
                if key is None:
                    close = difflib.get_close_matches(a, list(names), n=1, cutoff=0.5)
                    self.problems.append(AreaProblem(d.id, a, "unknown", suggestion=close[0] if close else None))
                elif units.get(key, d.id) != d.id:
                    self.problems.append(AreaProblem(d.id, a, "taken", units[key]))
                else:
                    units[key] = d.id

    def __contains__(self, parent: object) -> bool:
        return parent in self.by_parent

    def choose(self, parent: str, codes: Iterable[str]) -> tuple[str | None, str, str]:
        """(the sub-unit of `parent` serving the item's grids, or None; why not: `no_grid`,
        `unknown_grid`, `several` or `uncovered`; the unit's key, e.g. the street code)."""
        locality, units = self.by_parent[parent]
        places = self.locator.places
        given = False
        keys: set[str] = set()
        for code in codes:
            given = True
            p = places.get(code)
            if p is not None:
                keys.add(unit_key(p, locality))
        if not keys:
            return None, "unknown_grid" if given else "no_grid", ""
        if len(keys) > 1:
            return None, "several", ""
        key = keys.pop()
        child = units.get(key)
        return child, "" if child else "uncovered", key


def unit_key(p: PlaceLike, locality: str) -> str:
    """The key of the unit at `locality` holding place `p` (as `Unit.code` writes it)."""
    if locality == "grid":
        return p.code
    if locality == "community":
        return f"{p.street_code}/{p.community_code}"
    return p.street_code
