"""Diagnostics for a policy folder as an editor sees it: files on disk, some replaced by the
editor's unsaved texts. `check`, the language server and the studio all report through here,
so they give the same codes and texts."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Reporter
from .runtime import Policy


@dataclass(frozen=True)
class Diagnosis:
    """Every diagnostic of one policy folder, and the policy if it has no error."""

    folder: str
    diagnostics: tuple[Diagnostic, ...]
    policy: Policy | None = None
    texts: dict[str, str] = field(default_factory=dict)  # file name (as in spans) -> text read

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "warning")

    def of_file(self, name: str) -> list[Diagnostic]:
        """The diagnostics located in file `name` (a path; compared after resolving)."""
        want = _same_file(name)
        return [d for d in self.diagnostics if _same_file(d.span.file) == want]


def _same_file(name: str) -> str:
    try:
        return str(Path(name).resolve())
    except (OSError, ValueError):
        return name


def diagnose_folder(folder: str | os.PathLike[str], texts: Mapping[str, str] | None = None, *,
                    deep: bool = True) -> Diagnosis:
    """Parse, check and (with `deep`) run the deep checks over the policy folder `folder`,
    reading `texts` (file path or name relative to the folder -> text) instead of those files
    on disk. Never cached, never raises for bad rules: every problem is a diagnostic."""
    from .loader import build
    from .syntax.sources import read

    reporter = Reporter()
    sources = read(folder, reporter, texts=texts)
    policy = build(sources, reporter)
    diagnostics = list(reporter.diagnostics)
    if policy is not None:
        policy.warnings = tuple(d for d in diagnostics if d.severity == "warning")
        if deep:
            from .analysis import analyze

            diagnostics += analyze(policy)
    return Diagnosis(str(folder), tuple(diagnostics), policy, dict(sources.texts))


__all__ = ["Diagnosis", "diagnose_folder"]
