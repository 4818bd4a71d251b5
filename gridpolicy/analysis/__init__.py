"""Deep checks: analyses of a checked policy that find what is legal but probably wrong.

One module per analysis; each reports warnings with stable codes (GP101-GP112, see
`diagnostics.CODES`) through a `Reporter` holding the policy's sources, so a
`# gridpolicy: ignore GP1xx` comment on the reported line silences it.

- `routes`: GP101 shadowed routes, GP102 overlaps under `routing unique`, GP103 finite field
  values only the catch-all handles, GP104 a matter a route names but never decides;
- `references`: GP105 roles and departments nothing refers to;
- `dates`: GP106 list entries never in force, GP107 exits that change no outcome;
- `formulas`: GP108 formula values outside the declared range, GP109 grade gaps and
  unreachable bands;
- `classes`: GP110 catalogue classes without an owner, GP111 a class a route names that an
  earlier route always decides;
- `scopes`: GP112 a scope computed from grids that no route decides at its tier.

The route analyses work on the finite item domain (`domain.Domain`): exact for enums,
booleans, tiers, departments, roles, small sets, the item kind and matter status; numbers,
text and dates are checked at boundary values, and each finding that depends on them says
"approximate". `space.Space` holds that domain as bit sets over classes of values (as the
routing index partitions them), so one first-match sweep over the routes answers the route
analyses (GP101-GP104); past `space.MAX_BITS` items it is sliced on its widest field, and
only if a slice is still too large does it hold a fixed sample (and say so).
"""

from __future__ import annotations

from ..diagnostics import Diagnostic, Reporter
from ..runtime import Policy
from . import classes, dates, formulas, references, routes, scopes
from .domain import MAX_ITEMS, Domain
from .space import MAX_BITS, Space, spaces

__all__ = ["Domain", "Space", "analyze"]


def analyze(policy: Policy, max_items: int = MAX_ITEMS, max_bits: int = MAX_BITS) -> list[Diagnostic]:
    """Run every deep check on a loaded policy; returns warnings in source order. Spaces of
    more than `max_bits` items are sampled (`max_items` of them), as are searches past
    `max_items` steps."""
    model = policy.model
    rep = Reporter()
    for name, text in model.sources.items():
        rep.add_source(name, text)
    domain = Domain(policy, max_items)
    slices = routes.sweep(spaces(domain, max_bits))
    routes.shadowed(slices, rep)
    routes.overlaps(slices, rep)
    routes.gaps(slices, rep)
    routes.matters(slices, rep)
    references.unused(model, rep)
    dates.never_in_force(model, rep)
    dates.idle_exits(domain, rep)
    formulas.check_formulas(model, rep)
    classes.unowned(model, rep)
    classes.shadowed(domain, rep)
    scopes.unreached(domain, rep)
    order = {f: i for i, f in enumerate(model.files)}
    return sorted(rep.diagnostics, key=lambda d: (order.get(d.span.file, len(order)), d.span.line,
                                                    d.span.column, d.code))
