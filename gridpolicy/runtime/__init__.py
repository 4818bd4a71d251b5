"""The runtime: a compiled policy deciding items (`Policy`, a facade over the modules here)."""

from .items import MAX_ITEM_FIELDS, MAX_TEXT
from .policy import Policy

__all__ = ["MAX_ITEM_FIELDS", "MAX_TEXT", "Policy"]
