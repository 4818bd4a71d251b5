"""Where gridpolicy keeps files of its own: the compiled cache's folder, which also holds
Lark's tables for the grammar."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    env = os.environ.get("GRIDPOLICY_CACHE")
    if env is not None:
        if env.strip().lower() in ("", "0", "off", "false", "no"):
            return None
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "gridpolicy"


def grammar_cache_file() -> str | None:
    """Where Lark keeps its analysis of gridpolicy's grammar (None: the cache is off or its
    folder cannot be made). One file: Lark rewrites it when the grammar or Lark changes."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return str(folder / f"grammar-py{sys.version_info[0]}{sys.version_info[1]}.lark")
