"""Rule releases: versioned, approved, dated bundles, and a folder of them served by date.

    make_release(ReleaseRequest(...)) -> Bundle     # gridpolicy release
    read_bundle(path) / verify_bundle(path, key)    # gridpolicy verify
    ReleaseSet(folder)                              # gridpolicy.load(releases folder)
"""

from __future__ import annotations

from pathlib import Path

from .build import ReleaseRequest, default_releases, latest_release, make_release, previous_policy
from .bundle import SUFFIX, Bundle, list_bundles, read_bundle
from .errors import ReleaseError
from .releases import ReleaseSet, load_bundle_policy, release_ref

__all__ = ["SUFFIX", "Bundle", "ReleaseError", "ReleaseRequest", "ReleaseSet", "default_releases", "latest_release",
           "list_bundles", "load_bundle_policy", "make_release", "previous_policy", "read_bundle", "release_ref", "verify_bundle", "is_releases_folder"]


def verify_bundle(path: Path, public_key: Path | None = None) -> Bundle:
    """Read a bundle, check its integrity and, with a public key, its signature."""
    b = read_bundle(path)
    if public_key is not None:
        from .signing import verify

        if b.signature is None:
            raise ReleaseError(f"发布包“{path}”未签名", f"bundle '{path}' is not signed")
        verify(b.signed_payload(), b.signature, public_key)
    return b


def is_releases_folder(path: Path) -> bool:
    """A folder of release bundles and no rule files of its own."""
    try:
        return path.is_dir() and bool(list_bundles(path)) and not any(path.glob("*.gp"))
    except OSError:
        return False
