"""The HTTP decision service: `gridpolicy serve PATH` (needs the `server` extra:
``pip install 'gridpolicy[server]'``).

    >>> from gridpolicy.server import create_app
    >>> app = create_app("rules/", log_path="decisions.sqlite")   # an ASGI app for any ASGI server
"""

from __future__ import annotations

from .app import create_app
from .state import Live, PolicyHolder, ReloadError

__all__ = ["Live", "PolicyHolder", "ReloadError", "create_app"]
