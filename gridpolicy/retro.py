"""A matter added to (or moved into) an admission batch already in force takes effect before it
was written (GP068, a located warning). "Added" needs the previous version: the caller passes it
(the latest release, see `release.previous_policy`; else `head_policy`, the folder in git HEAD).

    retroactive_matters(new, old, as_of, base=release_base("2026.1")) -> [Diagnostic]
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .diagnostics import Diagnostic, PolicyError


def today_in(policy: Any) -> dt.date:
    """Today in the policy's time zone."""
    try:
        zone = ZoneInfo(policy.model.header.timezone)
    except (ValueError, KeyError, AttributeError):
        zone = ZoneInfo("Asia/Shanghai")
    return dt.datetime.now(zone).date()


HEAD_BASE = ("git HEAD 中的版本", "the version in git HEAD")


def release_base(version: str) -> tuple[str, str]:
    """How the warning names a release it compares with."""
    return f"上一发布版本 {version}", f"the last release {version}"


def retroactive_matters(new: Any, old: Any, as_of: dt.date, *, base: tuple[str, str]) -> list[Diagnostic]:
    """GP068 for each matter of `new` that, compared with `old` (the diff of `gridpolicy diff`),
    was added to or moved into a batch whose effective date is before `as_of`, or lost its own
    later date, and takes its date from that batch (an own date equal to the batch's counts as
    the batch's)."""
    from .diff import diff

    model = getattr(new, "model", new)
    batches = {(lst.id, b.id): b for lst in model.lists if lst.admission for b in lst.batches}
    matters = {m.code: m for m in model.matters}
    out: list[Diagnostic] = []
    seen: set[str] = set()
    for change in diff(old, model).changes:
        if change.section != "matter" or change.change not in ("added", "moved", "redated") or change.id in seen:
            continue
        m = matters.get(change.id)
        batch = batches.get((m.list, m.batch)) if m is not None and m.batch else None
        if m is None or batch is None or batch.effective is None or m.effective != batch.effective:
            continue
        if batch.effective >= as_of:
            continue
        if change.change == "redated" and (change.field != "effective" or change.old is None
                                           or not change.old > batch.effective):
            continue  # re-dated: warned only when its own later date gave way to the batch's
        seen.add(m.code)
        out.append(_warning(m, batch, as_of, base))
    return sorted(out, key=lambda d: (d.span.file, d.span.line, d.span.column))


def _warning(m: Any, batch: Any, as_of: dt.date, base: tuple[str, str]) -> Diagnostic:
    days = (as_of - batch.effective).days
    return Diagnostic(
        "GP068", "warning",
        f"准入事项 {m.code}「{m.name}」是在{base[0]}之后才加入（或移入）批次“{batch.id}”（{batch.name}）的，该批次 {batch.effective} "
        f"已经生效：这个事项会被当作从 {batch.effective} 起（{as_of} 的 {days} 天前）就已准入，追溯生效",
        f"admission matter {m.code} '{m.name}' was added to (or moved into) batch '{batch.id}' after {base[1]}, and that batch "
        f"took effect on {batch.effective}: the matter becomes retroactive, admitted since {batch.effective} "
        f"({days} day(s) before {as_of})",
        m.span, _line(m.span),
        f"给事项写上自己的生效日期，例如 `effective {as_of}`；或把它放进一个新的批次（新批次写上以后的生效日期）。",
        f"give the matter its own date, e.g. `effective {as_of}`, or put it in a new batch with a later date.")


def _line(span: Any) -> str:
    try:
        lines = Path(span.file).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    return lines[span.line - 1] if 0 < span.line <= len(lines) else ""


def head_policy(rules: Path) -> Any | None:
    """The policy of folder `rules` as committed in git HEAD (read with `git show HEAD:path`),
    or None: not a git work tree, git absent, nothing committed, or that version has errors.
    The files are written once to a folder named by their git tree (in the gridpolicy cache,
    else a temporary folder), so a second check loads that version from the compiled cache."""
    folder = rules if rules.is_dir() else rules.parent
    tree, names = _git(folder, "rev-parse", "HEAD:./"), _git(folder, "ls-tree", "-r", "--name-only", "HEAD", "--", ".")
    if not tree or not names:
        return None
    wanted = [n for n in names.decode("utf-8", "replace").splitlines()
              if n.endswith(".gp") or (n.startswith("registry/") and n.endswith((".yaml", ".yml")))]
    if not any(n.endswith(".gp") for n in wanted):
        return None
    from .folders import cache_dir
    from .loader import load

    base = cache_dir()
    root = (base / "head") if base is not None else Path(tempfile.gettempdir()) / "gridpolicy-head"
    target = root / tree.decode("ascii", "replace").strip()
    if not (target / ".complete").exists():
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".head-", dir=root))
        for name in wanted:
            data = _git(folder, "show", f"HEAD:./{name}")
            if data is None:
                shutil.rmtree(tmp, ignore_errors=True)
                return None
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_bytes(data)
        (tmp / ".complete").write_text("git HEAD", encoding="ascii")
        try:
            os.rename(tmp, target)
        except OSError:  # another process got there first: use its copy
            shutil.rmtree(tmp, ignore_errors=True)
    try:
        return load(target)
    except PolicyError:
        return None


def _git(folder: Path, *args: str) -> bytes | None:
    try:
        res = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired):  # git absent: no comparison, no error
        return None
    return res.stdout if res.returncode == 0 else None
