"""The check stage of case lifecycle rules (`lifecycle` declarations): see
`gridpolicy.lifecycle.check`, which does the work; it reads the tiers, departments and routes."""

from __future__ import annotations

from ..lifecycle.check import LifecycleChecker
from .context import Context


def check_lifecycles(ctx: Context) -> None:
    checker = LifecycleChecker(ctx.tiers.values(), ctx.departments.values(), ctx.model.get("routes", ()), ctx.rep)
    ctx.model["lifecycles"] = checker.run(ctx.decls("lifecycle"))
