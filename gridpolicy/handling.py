"""Who handles (主办/协办): one lead per decision (责任主体唯一) and the assisting departments.

The lead is, in this order:

1. the department the deciding route names (`department ...`);
2. the owner of the item's matter or class, when the owner sits at the decision's tier and
   the tier has no unit of its own in the registry (a district department at district tier);
3. the concrete unit at the decision's tier (the grid, the community's 居委会 or the street's
   街道办, from the grid registry);
4. otherwise the tier itself (no registry, an unknown grid, or a tier without units).

The assisting departments are, each once and never the lead: the route's `assisting`, then
the class's owner (events go locality first, so their owner assists the locality) and its
assisting departments (`matter_assisting`, in that order, from the caller), then every
department the item itself names (a decision never drops the responsible department an item
gives). A listed matter's owner is its business department: it leads by rule 2 or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .locality import Unit


@dataclass(frozen=True, slots=True)
class Lead:
    kind: str  # department | unit | tier
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Who:
    lead: Lead
    assisting: tuple[str, ...]  # department ids


def who_handles(*, tier: str, tier_name: str, tier_has_units: bool, route_department: str | None,
                owner: str | None, owner_tier: str | None, unit: Unit | None,
                route_assisting: Iterable[str] = (), matter_assisting: Iterable[str] = (),
                item_departments: Iterable[str] = (), department_name: dict[str, str]) -> Who:
    """The lead and assisting departments of one decision (see the module docstring)."""
    if route_department is not None:
        lead = Lead("department", route_department, department_name[route_department])
    elif owner is not None and owner_tier == tier and not tier_has_units:
        lead = Lead("department", owner, department_name[owner])
    elif unit is not None:
        lead = Lead("unit", unit.code, unit.name)
    else:
        lead = Lead("tier", tier, tier_name)
    lead_dept = lead.code if lead.kind == "department" else None
    ordered = [*route_assisting, *matter_assisting, *item_departments]
    assisting = tuple(d for d in dict.fromkeys(ordered) if d != lead_dept)
    return Who(lead, assisting)
