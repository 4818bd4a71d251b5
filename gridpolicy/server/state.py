"""The live policy of a running service and its hot reload.

`PolicyHolder.current` is one immutable `Live` snapshot; a reload builds a new snapshot and
replaces the reference in a single assignment, only if the new rules pass every gate:

1. they load without errors (`load`);
2. they keep every kind of declaration the serving policy has (routes, formulas, matters,
   ...): a file saved empty or cut short usually loses a whole kind. A change is *explicit*,
   and may remove a kind, when the policy's version changes too or the reload is forced with
   `allow_removal` (`POST /v1/reload?allow_removal=true`);
3. the rule tests beside the rules (`tests/*.yaml`, `*.test.yaml`) pass, unless `run_tests`
   is off.

A failed gate keeps the last good policy serving and is reported (`last_error`).

The watcher polls the folder: every `poll` seconds it resolves the path again (so a folder
deleted and made again, or a symlink swapped to a new release, is followed) and takes a
fingerprint of the rule files, the grid registry and the rule tests (name, size, mtime,
inode). A change is reloaded once the fingerprint has stayed the same for `quiet` seconds (a
save that pauses mid-write is not read half-written). A failing watcher is restarted and its
state reported in `/v1/policy` and `/healthz`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import PolicyError
from ..opener import load
from ..runtime import Policy

log = logging.getLogger("gridpolicy.server")

WATCHED_SUFFIXES = (".gp", ".yaml", ".yml", ".gprelease")  # rule files, registry and tests, releases
MAX_WATCHED = 2000  # files fingerprinted; a folder with more is fingerprinted by its first 2000
KINDS = ("tiers", "roles", "departments", "fields", "criteria", "lists", "matters", "exits", "routes",
         "formulas", "grades", "catalogs")
KIND_ZH = {"tiers": "层级", "roles": "角色", "departments": "部门", "fields": "字段", "criteria": "排除标准",
           "lists": "事项清单", "matters": "事项", "exits": "退出程序", "routes": "分流规则", "formulas": "公式",
           "grades": "等级", "catalogs": "目录"}


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


@dataclass(frozen=True, slots=True)
class WatcherStatus:
    state: str  # watching | restarting | off
    restarts: int
    last_change: dt.datetime | None
    error: str | None


def kind_counts(policy: Policy) -> dict[str, int]:
    """How many declarations of each kind the policy has."""
    m = policy.model
    return {k: len(getattr(m, k)) for k in KINDS}


@dataclass
class PolicyHolder:
    """Holds the serving policy for `path` and reloads it on demand or on file changes."""

    path: Path
    run_tests: bool = True
    poll: float = 0.25  # seconds between looks at the folder
    quiet: float = 1.0  # seconds the folder must stay unchanged before a reload
    current: Live = field(init=False)
    last_error: ReloadError | None = field(default=None, init=False)
    reloads: int = field(default=0, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _stop: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    _watcher: threading.Thread | None = field(default=None, init=False, repr=False)
    _state: str = field(default="off", init=False, repr=False)
    _restarts: int = field(default=0, init=False, repr=False)
    _last_change: dt.datetime | None = field(default=None, init=False, repr=False)
    _watch_error: str | None = field(default=None, init=False, repr=False)
    _loaded: tuple[object, ...] = field(default=(), init=False, repr=False)

    def __post_init__(self) -> None:
        self._loaded = fingerprint(self.path)  # what was loaded: the watcher starts from it
        self.current = Live(self._load(), _now(), 0)  # raises PolicyError: nothing to serve
        if self.run_tests:
            failures = self._test_failures(self.current.policy)
            if failures:
                log.warning("规则测试未全部通过（服务照常启动）— rule tests fail (serving anyway):\n%s",
                            "\n".join(failures))

    # ---- what is shown: never an absolute path ----------------------------------------------

    @property
    def shown_path(self) -> str:
        """The rule folder as shown to callers (for a file, the folder it is in): its name only."""
        return (self.path if self.path.is_dir() else self.path.parent).name or "rules"

    def _load(self) -> Policy:
        """The rules, their files named from the folder's name (no absolute path in decisions)."""
        return load(self.path, shown_as=self.shown_path)

    def shown(self, file: str) -> str:
        """A rule file as shown to callers: relative to the rule folder's parent."""
        if not Path(file).is_absolute():
            return file
        base = self.path if self.path.is_dir() else self.path.parent
        for root in (base, base.resolve()):
            try:
                return (Path(self.shown_path) / Path(file).relative_to(root)).as_posix()
            except ValueError:
                continue
        return Path(file).name

    # ---- reloading ---------------------------------------------------------------------------

    def reload(self, *, allow_removal: bool = False) -> tuple[bool, ReloadError | None]:
        """Load the rules again. Returns (changed, error); on error the old policy stays."""
        with self._lock:
            self._loaded = fingerprint(self.path)
            try:
                policy = self._load()
            except PolicyError as exc:
                return False, self._failed(tuple(
                    {"code": d.code, "severity": d.severity, "where": self._where(str(d.span)),
                     "message_zh": d.message_zh, "message_en": d.message_en} for d in exc.errors),
                    "\n\n".join(d.render() for d in exc.errors))
            except Exception as exc:  # an unreadable folder and the like: never take the service down
                log.debug("reload failed", exc_info=True)
                return False, self._failed(({"code": "", "severity": "error", "where": self.shown_path,
                                             "message_zh": f"无法读取规则：{exc}", "message_en": str(exc)},), str(exc))
            if policy.digest == self.current.policy.digest:
                self.last_error = None
                return False, None
            old = self.current.policy
            lost = [k for k, n in kind_counts(old).items() if n and not kind_counts(policy)[k]]
            explicit = allow_removal or policy.header.version != old.header.version
            if lost and not explicit:
                zh = "、".join(KIND_ZH[k] for k in lost)
                return False, self._failed(({
                    "code": "RELOAD-KINDS", "severity": "error", "where": self.shown_path,
                    "message_zh": f"新规则没有任何{zh}（当前规则有 {', '.join(str(kind_counts(old)[k]) for k in lost)} "
                                  "条）；可能是文件未保存完整。若确要删除，请同时修改 version，或强制重载 "
                                  "POST /v1/reload?allow_removal=true",
                    "message_en": f"the new rules have no {', '.join(lost)} (the serving rules have "
                                  f"{', '.join(str(kind_counts(old)[k]) for k in lost)}): perhaps a file was saved "
                                  "half-written. To remove them, change the version too, or force "
                                  "POST /v1/reload?allow_removal=true"},), f"reload would remove every {lost}")
            if self.run_tests:
                failures = self._test_failures(policy)
                if failures:
                    return False, self._failed(tuple(
                        {"code": "RELOAD-TEST", "severity": "error", "where": f.split(" ", 1)[0],
                         "message_zh": f"规则测试未通过：{f}", "message_en": f"rule test failed: {f}"}
                        for f in failures[:20]), "\n".join(failures))
            self.last_error = None
            self.current = Live(policy, _now(), self.current.generation + 1)  # the atomic swap
            self.reloads += 1
            log.info("规则已重载 reloaded: %s → %s (version %s)", old.digest[:12], policy.digest[:12],
                     policy.header.version)
            return True, None

    def _failed(self, diagnostics: tuple[dict[str, str], ...], text: str) -> ReloadError:
        err = ReloadError(_now(), diagnostics, text)
        self.last_error = err
        log.error("规则重载失败，继续使用 %s — reload failed, still serving %s:\n%s",
                  self.current.policy.digest[:12], self.current.policy.digest[:12], text)
        return err

    def _where(self, span: str) -> str:
        file, sep, rest = span.partition(":")
        return self.shown(file) + sep + rest if file else span

    def _test_failures(self, policy: Policy) -> list[str]:
        """The rule tests beside the rules that fail under `policy` ("file:line name: problem")."""
        from ..ruletest import discover, run_file

        out: list[str] = []
        for file in discover(self.path):
            for result in run_file(policy, file, display=self.shown(str(file))):
                if not result.ok:
                    out.append(f"{result.location} {result.name}: {'; '.join(result.problems)[:500]}")
        return out

    # ---- watching the rule folder --------------------------------------------------------------

    def watch(self) -> None:
        """Start the background thread that reloads when the rules, registry or tests change."""
        if self._watcher is not None:
            return
        self._state = "watching"
        self._watcher = threading.Thread(target=self._supervise, name="gridpolicy-watch", daemon=True)
        self._watcher.start()

    def stop(self) -> None:
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(timeout=5)
        self._state = "off"

    def watcher_status(self) -> WatcherStatus:
        return WatcherStatus(self._state, self._restarts, self._last_change, self._watch_error)

    def _supervise(self) -> None:
        """Run the watch loop; if it fails, report it and start it again (backing off)."""
        delay = 0.5
        while not self._stop.is_set():
            try:
                self._watch_loop()
                return
            except Exception as exc:  # the watcher must never stop for good
                self._state, self._watch_error = "restarting", f"{type(exc).__name__}: {exc}"
                self._restarts += 1
                log.exception("规则文件夹监视出错，%.1f 秒后重启 — the rule folder watcher failed; restarting in "
                              "%.1f s", delay, delay)
                if self._stop.wait(delay):
                    return
                delay = min(delay * 2, 30.0)

    def _watch_loop(self) -> None:
        seen = self._loaded
        self._state = "watching"
        pending_since: float | None = None
        while not self._stop.wait(self.poll):
            now = fingerprint(self.path)
            self._state, self._watch_error = "watching", None
            if now != seen:
                seen, pending_since = now, time.monotonic()
                self._last_change = _now()
                continue
            if pending_since is not None and time.monotonic() - pending_since >= self.quiet:
                pending_since = None
                self.reload()


def fingerprint(path: Path) -> tuple[object, ...]:
    """What the watcher compares: where `path` resolves to, and each watched file under it
    (relative name, size, mtime, inode). An absent folder is a fingerprint of its own."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return ("absent",)
    if real.is_file():
        files = [real]
        root = real.parent
    else:
        root = real
        files = []
        for dirpath, dirnames, filenames in os.walk(real):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            files += [Path(dirpath, f) for f in sorted(filenames) if f.endswith(WATCHED_SUFFIXES)]
            if len(files) >= MAX_WATCHED:
                break
    out: list[object] = [str(real)]
    for f in files[:MAX_WATCHED]:
        try:
            st = f.stat()
        except OSError:
            continue
        out.append((f.relative_to(root).as_posix(), st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(out)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
