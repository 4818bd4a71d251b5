"""gridpolicy: rules and policies for grid governance, in a language committees can read.

    >>> import gridpolicy
    >>> policy = gridpolicy.load("rules/")
    >>> decision = policy.route({"id": "1", "kind": "issue", "matter": "矛盾纠纷调解"})
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

__version__ = "0.1.0"

from .contract import AdmitResult, Decision, Evaluation, Item, ItemError  # noqa: E402
from .diagnostics import Diagnostic, PolicyError  # noqa: E402
from .loader import default_policy, default_rules_path, load  # noqa: E402
from .runtime import Policy  # noqa: E402


def route(item: Item | Mapping[str, Any], at: dt.datetime | None = None) -> Decision:
    """Decide an item under the default policy (shipped rules, or $GRIDPOLICY_RULES)."""
    return default_policy().route(item, at)


__all__ = [
    "AdmitResult", "Decision", "Diagnostic", "Evaluation", "Item", "ItemError", "Policy",
    "PolicyError", "default_policy", "default_rules_path", "load", "route", "__version__",
]
