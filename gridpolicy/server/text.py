"""Text that cannot be answered or logged: lone surrogates (`"\\ud800"` in JSON).

JSON may escape half of a UTF-16 pair on its own; Python then holds a string that has no UTF-8
form, so it could be neither logged nor answered. Such input is the caller's error (422, naming
the field), found before anything is decided.
"""

from __future__ import annotations

import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(value: Any, path: str = "") -> str | None:
    """The path of the first key or string in `value` holding a lone surrogate, or None."""
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        v, at = stack.pop()
        if isinstance(v, str):
            if _SURROGATE.search(v):
                return at
        elif isinstance(v, dict):
            items = list(v.items())
            for k, x in reversed(items):
                key = k if isinstance(k, str) else str(k)
                here = f"{at}.{key}" if at else key
                if _SURROGATE.search(key):
                    return at or "(key)"
                stack.append((x, here))
        elif isinstance(v, list):
            stack.extend((x, f"{at}[{i}]") for i, x in reversed(list(enumerate(v))))
    return None
