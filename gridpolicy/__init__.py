"""gridpolicy: rules and policies for grid governance, in a language committees can read.

    >>> import gridpolicy
    >>> policy = gridpolicy.load("rules/")
    >>> decision = policy.route({"id": "1", "kind": "issue", "matter": "矛盾纠纷调解"})
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .contract import AdmitResult, Decision, Evaluation, Item, ItemError
from .diagnostics import Diagnostic, PolicyError
from .loader import default_policy, default_rules_path, loads
from .opener import load
from .runtime import Policy
from .version import __version__


def route(item: Item | Mapping[str, Any], at: dt.datetime | None = None) -> Decision:
    """Decide an item under the default policy (shipped rules, or $GRIDPOLICY_RULES)."""
    return default_policy().route(item, at)


__all__ = [
    "AdmitResult", "Decision", "Diagnostic", "Evaluation", "Item", "ItemError", "Policy",
    "PolicyError", "default_policy", "default_rules_path", "load", "loads", "route", "__version__",
]
