"""The published rule site: Markdown pages generated from a loaded policy's model.

Every fact on the pages comes from `policy.model` (and the grid registry, when there is
one); nothing is copied by hand, so the site and the runtime cannot disagree. Output is
deterministic: the same rules, date and registry give byte-identical pages. Every text that
comes from a rule file or the registry is escaped (`site.markdown`).

    >>> from gridpolicy.site import generate
    >>> pages = generate(policy, as_of=dt.date(2026, 3, 2))   # {relative path: Markdown}

Layout: `context` (the policy, the page date, names for ids), `markdown` (escaping),
`words` (expressions in words), `pages/` (one module per page kind), `build` (all pages in
order, writing them).
"""

from .build import PAGES, generate, is_generated, pages, write
from .context import Context, display_name, source_page
from .markdown import MARKER
from .pages.changes import change_log
from .pages.grids import load_registry
from .sources import Sources, SourcesError, load_sources

__all__ = ["MARKER", "PAGES", "Context", "Sources", "SourcesError", "change_log", "display_name", "generate",
           "is_generated", "load_registry", "load_sources", "pages", "source_page", "write"]
