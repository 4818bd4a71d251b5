"""A releases folder served as one policy: each decision uses the release in force.

A release is in force from 00:00 of its effective date in the policy's time zone until the
next release's effective date. Which instant counts: an explicit `at`, else the item's
`reported_at`, else now. Releases load on first use (from the compiled cache when it is on)
and stay loaded. `refresh()` rescans the folder and swaps the release table in one assignment,
so a request never mixes two tables; a release dated in the future takes over by itself when
its date comes, without a reload.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..clock import parse_timestamp
from ..contract import AdmitResult, Decision, Evaluation, Item, ReleaseRef
from ..model import PolicyModel
from ..runtime import Policy
from .bundle import Bundle, list_bundles, read_bundle
from .errors import ReleaseError


def release_ref(b: Bundle) -> ReleaseRef:
    """What decisions and `GET /v1/policy` say of one release."""
    return ReleaseRef(version=b.version, effective=b.effective, approved_by=str(b.manifest["approved_by"]),
                      ref=str(b.manifest["ref"]), digest=b.digest, signed=b.signature is not None,
                      file=b.path.name if b.path else "")


def load_bundle_policy(bundle: Bundle, *, cache: bool = True) -> Any:
    """The Policy of one bundle: its files written once to a folder named by its digest
    (in the gridpolicy cache, else a temporary folder), then loaded like a rule folder."""
    from ..folders import cache_dir
    from ..loader import load

    base = cache_dir()
    root = (base / "releases") if base is not None else Path(tempfile.gettempdir()) / "gridpolicy-releases"
    folder = root / bundle.digest
    if not (folder / ".complete").exists():
        tmp = Path(tempfile.mkdtemp(prefix=f".{bundle.digest[:12]}-", dir=_mkdir(root)))
        for name, text in bundle.files.items():
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        (tmp / ".complete").write_text(bundle.digest, encoding="ascii")
        try:
            os.rename(tmp, folder)
        except OSError:  # another process got there first: use its copy
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    return load(folder, cache=cache).as_release(release_ref(bundle))


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


class ReleaseSet(Policy):
    """The releases of a folder, deciding as a `Policy` does, each call under the release in
    force at its instant. What a `Policy` shows of itself (`header`, `model`, `digest`, ...) is
    the release in force now's."""

    def __init__(self, folder: str | os.PathLike[str], *, public_key: Path | None = None,
                 require_signature: bool = False):
        # Policy.__init__ is not called: every Policy attribute is the release in force's.
        self.folder = Path(folder)
        self.public_key = public_key
        self.require_signature = require_signature or public_key is not None
        self._lock = threading.Lock()
        self._policies: dict[str, Policy] = {}
        self._table: tuple[tuple[dt.date, ...], tuple[Bundle, ...]] = ((), ())
        self.refresh()

    # ---- the table of releases ----------------------------------------------------------

    def refresh(self) -> bool:
        """Rescan the folder; returns whether the table changed. A bad bundle is an error."""
        bundles = []
        for path in list_bundles(self.folder):
            b = read_bundle(path)
            self._verify(b)
            bundles.append(b)
        if not bundles:
            raise ReleaseError(f"文件夹“{self.folder}”中没有发布包（*.gprelease）",
                               f"no release bundles (*.gprelease) in folder '{self.folder}'")
        bundles.sort(key=lambda b: (b.effective, b.manifest["created_at"]))
        seen: dict[str, Path | None] = {}
        for b in bundles:
            if b.version in seen:
                raise ReleaseError(f"版本 {b.version} 出现在两个发布包中：{seen[b.version]}、{b.path}",
                                   f"version {b.version} is in two bundles: {seen[b.version]}, {b.path}")
            seen[b.version] = b.path
        table = (tuple(b.effective for b in bundles), tuple(bundles))
        changed = [b.digest for b in table[1]] != [b.digest for b in self._table[1]]
        self._table = table  # one assignment: readers see the old table or the new one
        return changed

    def _verify(self, b: Bundle) -> None:
        if b.signature is None:
            if self.require_signature:
                raise ReleaseError(f"发布包“{b.path}”未签名，本服务只接受签名的发布包",
                                   f"bundle '{b.path}' is not signed; this service accepts signed bundles only")
            return
        if self.public_key is not None:
            from .signing import verify

            verify(b.signed_payload(), b.signature, self.public_key)

    @property
    def releases(self) -> tuple[ReleaseRef, ...]:
        return tuple(release_ref(b) for b in self._table[1])

    def bundle_at(self, when: dt.datetime) -> Bundle:
        """The release in force at `when` (an aware datetime)."""
        dates, bundles = self._table
        tz = self._tz(bundles[0])
        day = when.astimezone(tz).date() if when.tzinfo else when.date()
        i = bisect.bisect_right(dates, day)
        if i == 0:
            raise ReleaseError(f"{day} 时尚无生效的规则版本（最早的 {bundles[0].version} 自 {dates[0]} 起施行）",
                               f"no release is in force on {day} (the first, {bundles[0].version}, takes effect "
                               f"{dates[0]})")
        return bundles[i - 1]

    @property
    def model(self) -> PolicyModel:
        """The model of the release in force now."""
        return self.policy_at().model

    @property
    def digest(self) -> str:
        """The digest of the whole release table: it changes when a release is added."""
        import hashlib

        return hashlib.sha256("\n".join(b.digest for b in self._table[1]).encode()).hexdigest()

    def in_force(self, when: dt.datetime | None = None) -> ReleaseRef:
        return release_ref(self.bundle_at(when or _now()))

    def policy_for(self, bundle: Bundle) -> Policy:
        p = self._policies.get(bundle.digest)
        if p is None:
            with self._lock:
                p = self._policies.get(bundle.digest)
                if p is None:
                    p = load_bundle_policy(bundle)
                    self._policies[bundle.digest] = p
        return p

    def policy_at(self, when: dt.datetime | None = None) -> Policy:
        return self.policy_for(self.bundle_at(when or _now()))

    @staticmethod
    def _tz(b: Bundle) -> ZoneInfo:
        name = (b.manifest.get("policy") or {}).get("timezone") or "Asia/Shanghai"
        return ZoneInfo(str(name))

    def __getattr__(self, name: str) -> Any:
        # Only reached for what a ReleaseSet does not have itself: a Policy attribute.
        if name in _OWN or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.policy_at(), name)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_reopen, (str(self.folder), self.public_key, self.require_signature))

    def __repr__(self) -> str:
        return f"<ReleaseSet {self.folder} {len(self._table[1])} releases>"

    # ---- deciding -----------------------------------------------------------------------

    def _when(self, item: Any, at: dt.datetime | None) -> dt.datetime:
        if at is not None:
            return at
        raw = item.get("reported_at") if isinstance(item, Mapping) else getattr(item, "reported_at", None)
        if isinstance(raw, dt.datetime):
            return raw
        # A naive time is read in the zone of the first release; a bad one is decided by the
        # release in force now, which reports the bad field.
        return parse_timestamp(raw, naive=self._tz(self._table[1][0])) or _now()

    def validate(self, item: Item | Mapping[str, Any]) -> tuple[dict[str, Any], dt.datetime]:
        return self.policy_at(self._when(item, None)).validate(item)

    def route(self, item: Item | Mapping[str, Any], at: dt.datetime | None = None) -> Decision:
        return self.policy_at(self._when(item, at)).route(item, at)

    def route_json(self, item: Item | Mapping[str, Any], at: dt.datetime | None = None) -> bytes:
        return self.policy_at(self._when(item, at)).route_json(item, at)

    def match(self, item: Item | Mapping[str, Any], at: dt.datetime | None = None) -> tuple[str, str] | None:
        return self.policy_at(self._when(item, at)).match(item, at)

    def admit(self, proposal: Mapping[str, Any]) -> AdmitResult:
        return self.policy_at().admit(proposal)

    def evaluate(self, formula: str, data: Mapping[str, Any]) -> Evaluation:
        return self.policy_at().evaluate(formula, data)


_OWN = frozenset(("folder", "public_key", "require_signature", "_lock", "_policies", "_table"))


def _reopen(folder: str, public_key: Path | None, require_signature: bool) -> ReleaseSet:
    return ReleaseSet(folder, public_key=public_key, require_signature=require_signature)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
