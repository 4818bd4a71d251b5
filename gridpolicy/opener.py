"""`gridpolicy.load`: open what a host serves — a rule folder or file (`loader.load`), a folder
of sealed releases (`release.ReleaseSet`, deciding by the release in force), or one bundle."""

from __future__ import annotations

import os
from pathlib import Path

from .loader import load as load_rules
from .runtime import Policy


def load(path: str | os.PathLike[str], *, cache: bool = True, shown_as: str | None = None) -> Policy:
    """Load a policy. A folder of `*.gprelease` bundles (made by `gridpolicy release`) gives a
    `ReleaseSet`, a Policy that decides each item under the release in force at its
    `reported_at` (or `at`); one bundle file gives the Policy of that release; anything else is
    rule files, loaded by `gridpolicy.loader.load` (see there for the cache and `shown_as`)."""
    if not isinstance(path, str) or "\n" not in path:
        from .release import SUFFIX, is_releases_folder

        folder = Path(path)
        if is_releases_folder(folder):
            from .release import ReleaseSet

            return ReleaseSet(folder)
        if folder.name.endswith(SUFFIX) and folder.is_file():
            from .release import load_bundle_policy, read_bundle

            return load_bundle_policy(read_bundle(folder), cache=cache)
    return load_rules(path, cache=cache, shown_as=shown_as)
