"""The deep route checks as they were before the bit-set space (issue 22): kept as the test
oracle the differential tests compare `gridpolicy.analysis` with. Not part of the package;
only the route analyses (GP101-GP104) and GP107, which used `Domain.search`, are kept."""

from __future__ import annotations

from gridpolicy.diagnostics import Diagnostic, Reporter
from gridpolicy.runtime import Policy

from . import dates, routes
from .domain import MAX_ITEMS, Domain

__all__ = ["Domain", "analyze_routes"]


def analyze_routes(policy: Policy, max_items: int = MAX_ITEMS) -> tuple[list[Diagnostic], bool]:
    """GP101-GP104 and GP107 findings as the old algorithm made them, in source order, and
    whether any question had to be answered from a sample."""
    model = policy.model
    rep = Reporter()
    for name, text in model.sources.items():
        rep.add_source(name, text)
    domain = Domain(policy, max_items)
    routes.shadowed(domain, rep)
    routes.overlaps(domain, rep)
    routes.gaps(domain, rep)
    routes.matters(domain, rep)
    dates.idle_exits(domain, rep)
    order = {f: i for i, f in enumerate(model.files)}
    return sorted(rep.diagnostics, key=lambda d: (order.get(d.span.file, len(order)), d.span.line,
                                                    d.span.column, d.code)), domain.sampled
