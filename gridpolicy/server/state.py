"""The live policy of a running service and its hot reload.

`PolicyHolder.current` is one immutable `Live` snapshot; a reload builds a new snapshot in the
background and replaces the reference in a single assignment, only if the rules load without
errors. A request reads `current` once and uses that snapshot throughout, so it never sees two
versions.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import PolicyError
from ..loader import load
from ..runtime import Policy

log = logging.getLogger("gridpolicy.server")


@dataclass(frozen=True, slots=True)
class Live:
    """One loaded policy and when it was loaded."""

    policy: Policy
    loaded_at: dt.datetime
    generation: int


@dataclass(frozen=True, slots=True)
class ReloadError:
    """A reload that failed; the previous policy kept serving."""

    at: dt.datetime
    diagnostics: tuple[dict[str, str], ...]
    text: str


@dataclass
class PolicyHolder:
    """Holds the serving policy for `path` and reloads it on demand or on file changes."""

    path: Path
    current: Live = field(init=False)
    last_error: ReloadError | None = field(default=None, init=False)
    reloads: int = field(default=0, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _stop: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    _watcher: threading.Thread | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.current = Live(load(self.path), _now(), 0)  # raises PolicyError: nothing to serve

    def reload(self) -> tuple[bool, ReloadError | None]:
        """Load the rules again. Returns (changed, error); on error the old policy stays."""
        with self._lock:
            try:
                policy = load(self.path)
            except PolicyError as exc:
                err = ReloadError(_now(), tuple(
                    {"code": d.code, "severity": d.severity, "where": str(d.span), "message_zh": d.message_zh,
                     "message_en": d.message_en} for d in exc.errors), "\n\n".join(d.render() for d in exc.errors))
                self.last_error = err
                log.error("规则重载失败，继续使用 %s — reload failed, still serving %s:\n%s",
                          self.current.policy.digest[:12], self.current.policy.digest[:12], err.text)
                return False, err
            except Exception as exc:  # an unreadable folder and the like: never take the service down
                err = ReloadError(_now(), ({"code": "", "severity": "error", "where": str(self.path),
                                            "message_zh": f"无法读取规则：{exc}", "message_en": str(exc)},), str(exc))
                self.last_error = err
                log.exception("reload failed")
                return False, err
            self.last_error = None
            if policy.digest == self.current.policy.digest:
                return False, None
            old = self.current.policy.digest
            self.current = Live(policy, _now(), self.current.generation + 1)  # the atomic swap
            self.reloads += 1
            log.info("规则已重载 reloaded: %s → %s (version %s)", old[:12], policy.digest[:12], policy.header.version)
            return True, None

    # ---- watching the rule folder ----------------------------------------------------------

    def watch(self) -> None:
        """Start a background thread that reloads when a rule file (*.gp) changes."""
        if self._watcher is not None:
            return
        self._watcher = threading.Thread(target=self._watch, name="gridpolicy-watch", daemon=True)
        self._watcher.start()

    def stop(self) -> None:
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(timeout=5)

    def _watch(self) -> None:
        from watchfiles import watch

        root = self.path if self.path.is_dir() else self.path.parent
        try:
            for _changes in watch(root, watch_filter=lambda _change, p: p.endswith(".gp"), debounce=300,
                                  step=50, stop_event=self._stop, raise_interrupt=False):
                self.reload()
        except Exception:  # pragma: no cover - the watcher must never kill the service
            log.exception("file watcher stopped; use POST /v1/reload")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
