"""The whole site: every page builder in order, and writing the pages to a folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..runtime import Policy
from .context import Context
from .markdown import MARKER
from .pages import (
    assumptions,
    catalogue,
    changes,
    contracts,
    criteria,
    evaluation,
    exits,
    grids,
    handling,
    home,
    lifecycle,
    matters,
    organisation,
    releases,
    routing,
    source,
    sources,
)
from .sources import Sources

Builder = Callable[[Context], dict[str, str]]

# One entry per page kind; a new kind of declaration adds its module here.
PAGES: list[Builder] = [
    home.build, matters.build, exits.build, criteria.build, routing.build, lifecycle.build, evaluation.build,
    organisation.build, assumptions.build, grids.build, changes.build, contracts.build, source.build,
    sources.build, handling.build, catalogue.build, releases.build,
]


def pages(ctx: Context) -> dict[str, str]:
    """{relative path: Markdown} of every page, sorted by path, each ending in one newline."""
    out: dict[str, str] = {}
    for builder in PAGES:
        for path, text in builder(ctx).items():
            if path in out:
                raise ValueError(f"two page builders write {path}")
            out[path] = text
    return {k: v.rstrip() + "\n" for k, v in sorted(out.items())}


def generate(policy: Policy, as_of: dt.date, *, registry: Any = None, registry_note: str = "",
             changes: str | None = None, changes_from: str = "", sources: Sources | None = None,
             history: str | None = None, releases: Any = (), evaluations: Any = None) -> dict[str, str]:
    """All pages of the rule site: {path relative to the output folder: Markdown}. `evaluations`
    ({formula id: pages.evaluation_charts.Charted}) puts charts on the evaluation page."""
    return pages(Context(policy, as_of, registry=registry, registry_note=registry_note, changes=changes,
                         changes_from=changes_from, sources=sources, history=history, releases=releases,
                         evaluations=evaluations))


def is_generated(text: str) -> bool:
    """Whether a page was written by the generator (its marker follows the title)."""
    return MARKER in text.splitlines()[:3]


def write(pages: dict[str, str], out: str | Path) -> list[Path]:
    """Write pages under `out`, removing generated pages that are no longer produced.
    Files without the generator's marker are never touched."""
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for rel, text in pages.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    keep = {p.resolve() for p in written}
    for old in sorted(root.rglob("*.md")):
        if old.resolve() not in keep and is_generated(old.read_text(encoding="utf-8")):
            old.unlink()
    return written
