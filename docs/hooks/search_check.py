"""MkDocs hook: the site's Chinese search needs jieba at build time (the search plugin
segments Chinese text with it). Without it every Chinese paragraph would be one search token
and most Chinese queries would find nothing, so the build stops instead of publishing that."""

from __future__ import annotations

import importlib.util
from typing import Any

from mkdocs.exceptions import PluginError


def on_config(config: Any) -> Any:
    if importlib.util.find_spec("jieba") is None:
        raise PluginError("中文搜索需要 jieba：pip install -e '.[docs]' — Chinese search needs jieba at build "
                          "time (the docs extra installs it)")
    return config
