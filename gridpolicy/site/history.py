"""The change log from the rule versions in git: each commit that changed the rule folder,
compared with the one before it by `gridpolicy.diff`, in words.

    >>> versions = rule_history("rules", limit=8)    # newest first
    >>> page_text = history_log(versions)
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import PolicyError
from ..loader import load
from ..runtime import Policy
from .markdown import cell, code
from .pages.changes import NO_CHANGE, change_lines


class HistoryError(ValueError):
    """The rule folder's history cannot be read (no git, not a repository)."""


@dataclass(frozen=True)
class Version:
    """One commit that changed the rule folder, and the policy it holds (None if it does not
    load with this version of gridpolicy; `problem` then says why)."""

    commit: str
    date: str
    subject: str
    policy: Policy | None
    problem: str = ""


def _git(repo: Path, *args: str) -> bytes:
    try:
        run = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise HistoryError(f"无法运行 git — cannot run git: {exc}") from exc
    if run.returncode != 0:
        raise HistoryError(f"git {' '.join(args[:2])}: {run.stderr.decode('utf-8', 'replace').strip()}")
    return run.stdout


def rule_history(folder: str | Path, limit: int = 8) -> list[Version]:
    """The last `limit` commits that changed `folder`, newest first, each with its policy, plus
    the commit before the oldest (so each listed version has something to compare with)."""
    path = Path(folder).resolve()
    top = Path(_git(path if path.is_dir() else path.parent, "rev-parse", "--show-toplevel").decode().strip())
    rel = path.relative_to(top).as_posix()
    log = _git(top, "log", f"-n{limit + 1}", "--format=%H%x1f%cs%x1f%s", "--", rel).decode("utf-8", "replace")
    versions = []
    for line in log.splitlines():
        commit, date, subject = line.split("\x1f", 2)
        versions.append(_load_at(top, commit, rel, date, subject))
    return versions


def _load_at(top: Path, commit: str, rel: str, date: str, subject: str) -> Version:
    archive = _git(top, "archive", "--format=tar", commit, "--", rel)
    with tempfile.TemporaryDirectory(prefix="gridpolicy-history-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        try:
            policy = load(Path(tmp) / rel)
        except PolicyError as exc:
            return Version(commit, date, subject, None, f"{len(exc.errors)} 个错误 error(s)")
    return Version(commit, date, subject, policy)


def history_log(versions: list[Version], current: Policy | None = None) -> str:
    """Markdown: per version (newest first) its date, commit and what changed, in words; first
    the uncommitted changes, when `current` (the rules as they are now) differs from the
    newest commit."""
    lines: list[str] = []
    newest = versions[0].policy if versions else None
    if current is not None and newest is not None:
        body = change_lines(newest, current)
        if body != [NO_CHANGE]:
            lines += ["### 尚未提交的修改 Uncommitted changes { #v-working-tree }", "",
                      f"与最近一次提交 {code(versions[0].commit[:10])} 相比。 Compared with the last commit.", "",
                      *body, ""]
    if len(versions) < 2:
        return "\n".join([*lines, "规则文件夹的 git 历史中还没有可比较的版本。 The rule folder's history has no "
                                  "two versions to compare."])
    lines += [f"以下为规则文件最近 {len(versions) - 1} 次修改中改变了规则内容的各次，每次与上一版本比较。 The "
             f"last {len(versions) - 1} changes to the rule files that changed the rules, each compared with the "
             "version before it.", ""]
    quiet = 0
    for new, old in zip(versions, versions[1:], strict=False):
        if new.policy is not None and old.policy is not None:
            body = change_lines(old.policy, new.policy)
            if body == [NO_CHANGE]:
                quiet += 1
                continue
        else:
            which = new if new.policy is None else old
            body = [f"（{code(which.commit[:10])} 无法用当前版本读取，{cell(which.problem)}；未比较。 "
                    "That version does not load with this gridpolicy; not compared.）"]
        version = f" · 版本 {cell(new.policy.header.version)}" if new.policy else ""
        lines += [f"### {new.date}{version} · {code(new.commit[:10])} {{ #v-{new.commit[:10]} }}", "",
                  cell(new.subject), "", *body, ""]
    if quiet:
        lines += [f"另有 {quiet} 次修改只涉及注释、格式、登记册或测试，规则内容没有变化。 {quiet} more change(s) "
                  "touched only comments, layout, the registry or tests.", ""]
    return "\n".join(lines)
