"""Syntax tree -> checked policy model, with diagnostics for everything wrong in it.

`check(sources, reporter)` runs the named stages of `STAGES` in order over one shared
`Context`. A stage is a function `(ctx) -> None`: it reads the declarations of its kinds
(`ctx.decls("route")`) and the symbol tables earlier stages filled (`ctx.tiers`,
`ctx.fields`, ...), reports what is wrong through `ctx.rep`, and stores its part of the model
under `ctx.model[name]`, where `name` is the `PolicyModel` field it fills.

Adding a declaration group is one module here and one line in `STAGES`:

1. the keyword and its properties in `syntax/keywords.py` (the grammar reads them);
2. the model's dataclass and its `PolicyModel` field (with a default) in `model.py`;
3. `check/<group>.py` with `def check_<group>(ctx: Context) -> None`, which sets
   `ctx.model["<field>"]`; expressions are typed with `typer.Typer` or `typer.condition`,
   properties read with `props.Props`, constants with `values`;
4. `Stage("<group>", <group>.check_<group>)` in `STAGES`, after the stages whose tables it
   reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from ..diagnostics import Reporter
from ..model import PolicyModel
from ..syntax.sources import SourceSet
from . import (
    admission,
    calendar,
    catalog,
    classes,
    evaluation,
    fields,
    header,
    lifecycle,
    organisation,
    outcomes,
    registry,
    routing,
    sense,
)
from .context import Context


class Stage(NamedTuple):
    name: str
    run: Callable[[Context], None]


# In order: a stage may read the tables of the stages above it.
STAGES: tuple[Stage, ...] = (
    Stage("header", header.check_header),
    Stage("tiers", header.check_tiers),
    Stage("departments", organisation.check_departments),
    Stage("roles", organisation.check_roles),
    Stage("fields", fields.check_fields),
    Stage("calendar", calendar.check_calendar),
    Stage("lists", admission.check_lists),
    Stage("classifications", classes.check_classifications),
    Stage("criteria", admission.check_criteria),
    Stage("exits", admission.check_exits),
    Stage("referrals", outcomes.check_referrals),
    Stage("gates", outcomes.check_gates),
    Stage("grades", evaluation.check_grades),
    Stage("formulas", evaluation.check_formulas),
    Stage("routes", routing.check_routes),
    Stage("catalogs", catalog.check_catalogs),
    Stage("lifecycles", lifecycle.check_lifecycles),
    Stage("registry", registry.check_registries),
    Stage("calendar horizon", calendar.check_horizon),
    Stage("sense", sense.check_sense),
)


def check(sources: SourceSet, reporter: Reporter) -> PolicyModel | None:
    """Check parsed sources; returns the model, or None if there were errors."""
    ctx = Context(sources, reporter)
    for stage in STAGES:
        stage.run(ctx)
    if reporter.has_errors or ctx.model.get("header") is None:
        return None
    src = ctx.src
    return PolicyModel(**ctx.model, files=tuple(src.texts), digest=src.digest, sources=dict(src.texts))


__all__ = ["STAGES", "Context", "Stage", "check"]
