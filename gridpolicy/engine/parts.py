"""A checked model in two parts, as the compiled cache and a pickled `Policy` keep it: the
model without its routes' conditions (all that building the runtime reads), and the conditions
pickled apart, unpickled only when a condition is first compiled or the whole model is asked
for. A route's condition is most of a large policy's objects, and the router's index settles
most routes without one, so a cached or unpickled policy loads without them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..model import PolicyModel
from ..syntax.nodes import Expr


class _Elided:
    """Stands for a route's condition in the light model; compiling it fails (no `c_` method)."""

    __slots__ = ()

    def __reduce__(self) -> str:
        return "ELIDED"  # unpickles as this module's one instance

    def __repr__(self) -> str:
        return "<condition kept apart: gridpolicy.engine.parts>"


ELIDED: Any = _Elided()


@dataclass(frozen=True, slots=True)
class Parts:
    light: PolicyModel  # every route's condition is ELIDED
    conditions: bytes  # the routes' conditions, in order, pickled


def split(model: PolicyModel, dumps: Callable[[Any], bytes]) -> Parts:
    """`model` in two parts (`dumps` pickles the conditions)."""
    routes = tuple(dataclasses.replace(r, condition=ELIDED) for r in model.routes)
    return Parts(dataclasses.replace(model, routes=routes), dumps(tuple(r.condition for r in model.routes)))


def joined(light: PolicyModel, conditions: tuple[Expr | None, ...]) -> PolicyModel:
    """The whole model again (equal to the one `split` was given)."""
    routes = tuple(dataclasses.replace(r, condition=c) for r, c in zip(light.routes, conditions, strict=True))
    return dataclasses.replace(light, routes=routes)
