"""MkDocs hook: Mermaid's bundle (3.5 MB, vendored by scripts/fetch-mermaid.sh so diagrams
render offline) is loaded only by pages that have a diagram, so phones do not download it for
every page. It goes into <head>, before Material's own script looks for a global `mermaid`
(without one, Material would fetch Mermaid from a CDN)."""

from __future__ import annotations

import posixpath
from typing import Any

BUNDLE = "javascripts/vendor/mermaid.min.js"


def on_post_page(output: str, page: Any, config: Any) -> str:
    if 'class="mermaid"' not in output:
        return output
    base = posixpath.relpath("/" + BUNDLE, "/" + posixpath.dirname(page.url.rstrip("/") + "/x"))
    return output.replace("</head>", f'<script src="{base}"></script></head>', 1)
