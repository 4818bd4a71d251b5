"""The parts every page starts with."""

from __future__ import annotations

from ..markdown import MARKER, text


def head(title: str, intro: str = "") -> list[str]:
    """A page's title (escaped), the generator's marker and an optional intro (Markdown)."""
    lines = [f"# {text(title)}", "", MARKER, ""]
    if intro:
        lines += [intro, ""]
    return lines
