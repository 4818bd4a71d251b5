"""Loading: rule sources -> parse -> check -> compile -> `Policy`, through the compiled cache.

    load(path)   a folder of rule files (and its registry/), or one file
    loads(text)  rule text given directly (never cached)

A path is looked up in the compiled cache first (see `gridpolicy.cache`): the parser and the
checker are imported only when the rules must be parsed.
"""

from __future__ import annotations

import gc
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache as _cache
from .diagnostics import PolicyError, Reporter
from .folders import cache_dir
from .runtime import Policy
from .syntax.sources import is_path, looks_like_text

if TYPE_CHECKING:
    from .syntax.sources import SourceSet


def load(path: str | os.PathLike[str], *, cache: bool = True, shown_as: str | None = None) -> Policy:
    """Load a policy from a folder or a file. Raises `PolicyError` with every diagnostic if
    there is any error; warnings are kept on `policy.warnings`.

    A str is a path whenever such a path exists (a folder may be named `rules{2026}`). Rule
    text goes through `loads`; a str that names nothing and looks like rule text (a newline or
    a brace) is still read as text, with a `DeprecationWarning`.

    A folder or file is looked up in the compiled cache first (see `gridpolicy.cache`;
    `cache=False` or `GRIDPOLICY_CACHE=off` skips it): an entry is used only if every rule
    file is unchanged and it was written by this gridpolicy version. The first parse in a
    process also keeps Lark's tables for the grammar in the cache folder (not with
    `GRIDPOLICY_CACHE=off`). `shown_as` names the folder in file names instead of the path as
    given (the HTTP service shows `rules/40_routing.gp`, not an absolute path).

    This loads rule files; `gridpolicy.load` (`gridpolicy.opener`) also opens releases."""
    if isinstance(path, str) and not is_path(path) and looks_like_text(path):
        warnings.warn("gridpolicy.load(text) is deprecated: rule text goes through gridpolicy.loads(text)",
                      DeprecationWarning, stacklevel=2)
        return loads(path)
    with _no_gc():
        return _load(path, cache, shown_as=shown_as)


def loads(text: str) -> Policy:
    """Load a policy from rule text (which cannot include files). Raises `PolicyError` with
    every diagnostic if there is any error; warnings are kept on `policy.warnings`."""
    if not isinstance(text, str):
        raise TypeError(f"loads() takes rule text (str), not {type(text).__name__}")
    with _no_gc():
        return _load(text, False, text=True)


@contextmanager
def _no_gc() -> Iterator[None]:
    # Parsing, checking and compiling allocate many long-lived objects and little cyclic garbage:
    # the cyclic collector, run again and again over them, took half the time of a large load.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(path_or_text: str | os.PathLike[str], cache: bool, text: bool = False,
          shown_as: str | None = None) -> Policy:
    key = _cache.entry_key(path_or_text, shown_as) if cache and not text and cache_dir() is not None else None
    if key is not None:
        hit = _cache.get(key)
        if hit is not None:
            return Policy(*hit)
    from .syntax.sources import read, read_text

    reporter = Reporter()
    sources = read_text(str(path_or_text), reporter) if text else read(path_or_text, reporter, shown_as=shown_as)
    policy = build(sources, reporter)
    if policy is None or reporter.has_errors:
        raise PolicyError(reporter.diagnostics)
    policy.warnings = tuple(d for d in reporter.diagnostics if d.severity == "warning")
    if key is not None:
        given = Path(path_or_text)
        display = Path(shown_as) if shown_as is not None else (given if given.is_dir() else given.parent)
        names = [*sources.texts, *sources.registries]
        files = _cache.file_digests(sources.root, names, display.as_posix())
        if files is not None and len(files) == len(names):
            _cache.put(key, files, policy.model, policy.warnings, policy.program.index)
    return policy


# Errors after which checking would only report what follows from them (a file not read).
_BLOCKING = frozenset({"GP006", "GP010", "GP011", "GP012", "GP013", "GP014"})


def build(sources: SourceSet, reporter: Reporter) -> Policy | None:
    """Parsed sources -> a `Policy`, or None if there were errors (all of them in `reporter`)."""
    from .check import check

    # After syntax errors too, so that the other files' errors show; not when files are missing.
    blocked = any(d.severity == "error" and d.code in _BLOCKING for d in reporter.diagnostics)
    model = None if blocked or not sources.modules else check(sources, reporter)
    if model is None or reporter.has_errors:
        return None
    policy = Policy(model)
    _check_admitted_matters(policy, reporter)
    return None if reporter.has_errors else policy


def _check_admitted_matters(policy: Policy, reporter: Reporter) -> None:
    """GP050: a matter on an admission list must pass the policy's own exclusion criteria."""
    program = policy.program
    for lst in policy.model.lists:
        if not lst.admission:
            continue
        for m in lst.matters:
            values = program.trait_values.get(m.code) or {**program.defaults, "kind": "task"}
            for crit, fn in program.criteria:
                if fn(values):
                    reporter.report("GP050", m.span,
                                    f"事项 {m.code}「{m.name}」被排除标准「{crit.name}」排除，不能列入准入清单",
                                    f"matter {m.code} '{m.name}' is caught by exclusion criterion "
                                    f"'{crit.id}' and cannot be on an admission list")


def default_rules_path() -> Path:
    """The folder `gridpolicy.route` consults: $GRIDPOLICY_RULES, else the shipped rules."""
    env = os.environ.get("GRIDPOLICY_RULES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here / "_rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("no shipped rules found; set GRIDPOLICY_RULES")


_DEFAULT: dict[str, Policy] = {}


def default_policy() -> Policy:
    path = str(default_rules_path())
    policy = _DEFAULT.get(path)
    if policy is None:
        policy = _DEFAULT[path] = load(path)
    return policy

