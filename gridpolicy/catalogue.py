"""The event catalogue (事件/部件分类) and matter resolution.

A classification holds two-level classes, as GB/T 30428.2 and CJ/T 214 lay them out: major
classes (大类, e.g. 市容环境) and their minor classes (小类, e.g. 暴露垃圾), each minor class
with its code, Chinese name and aliases, its owner department, assisting departments, the
roles that handle it and the item values it implies (`traits`).

An item's `matter` is one query (code, name or alias) looked up in the admission lists and
the catalogue alike: `MatterKeys` is that lookup, with the conflicts the checker reports and
"did you mean" for a query that names nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .model import EventClass, Matter
from .syntax.nodes import Span

# Class types: components go owner first, events locality first (CJ/T 214, practice.md §2.3).
CLASS_TYPES: dict[str, str] = {"event": "事件", "component": "部件"}
ZH_CLASS_TYPES = {zh: en for en, zh in CLASS_TYPES.items()}


@dataclass(frozen=True, slots=True)
class Conflict:
    """A key that spells two different things."""

    key: str
    first: str  # code of what it named first
    second: str
    span: Span  # where the second is declared


@dataclass
class MatterKeys:
    """Every spelling an item's `matter` may use -> the listed matter or class it names.

    Listed matters come first: their codes, names and aliases are taken before the
    catalogue's. A key that names two things is a conflict (the checker reports each)."""

    matters: Iterable[Matter] = ()
    classes: Iterable[EventClass] = ()
    by_key: dict[str, Matter | EventClass] = field(init=False)
    conflicts: list[Conflict] = field(init=False)

    def __post_init__(self) -> None:
        self.by_key = {}
        self.conflicts = []
        self.matters = tuple(self.matters)
        self.classes = tuple(self.classes)
        for m in self.matters:
            self._add((m.code, m.name, *m.aliases), m, m.code, m.span)
        for c in self.classes:
            self._add(c.keys, c, c.id, c.span)

    def _add(self, keys: Iterable[str], target: Matter | EventClass, code: str, span: Span) -> None:
        for key in keys:
            other = self.by_key.get(key)
            if other is None:
                self.by_key[key] = target
            elif _code(other) != code:
                self.conflicts.append(Conflict(key, _code(other), code, span))

    def resolve(self, query: str | None) -> Matter | EventClass | None:
        return self.by_key.get(query) if query else None

    def code_of(self, query: str) -> str | None:
        """The code (matter code or class id) a key names, or None."""
        hit = self.by_key.get(query)
        return None if hit is None else _code(hit)

    def __contains__(self, key: object) -> bool:
        return key in self.by_key

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_key)

    def suggest(self, query: str, n: int = 3) -> list[str]:
        """Up to `n` names an unknown query probably meant (best first), as a person reading
        the catalogue would guess: a name inside the query or the query inside a name
        ("垃圾" -> "暴露垃圾"), then names sharing most characters, a head or a tail, or
        spelled alike."""
        return suggest(query, self.names(), n)

    def names(self) -> list[str]:
        """The display names (a matter's or class's name, one per thing), in order."""
        out: dict[str, None] = {}
        for target in self.by_key.values():
            out.setdefault(target.name, None)
        return list(out)


def _code(target: Matter | EventClass) -> str:
    return target.code if isinstance(target, Matter) else target.id


def suggest(query: str, names: Iterable[str], n: int = 3) -> list[str]:
    """Likely meant names for an unknown `query`, best first (see `MatterKeys.suggest`)."""
    q = query.strip()
    if not q:
        return []
    pool = [x for x in dict.fromkeys(names) if x]
    scored: list[tuple[float, int, str]] = []
    qset = set(q)
    for order, name in enumerate(pool):
        if name == q:
            continue
        if len(q) >= 2 and (q in name or name in q):
            # containment: the closer the lengths, the better
            score = 2.0 + min(len(q), len(name)) / max(len(q), len(name))
        else:
            shared = len(qset & set(name)) / len(qset | set(name))
            ratio = difflib.SequenceMatcher(None, q, name).ratio()
            # a shared head or tail of two characters or more (道路脏乱 -> 道路不洁)
            ends = max(len(_common_prefix(q, name)), len(_common_prefix(q[::-1], name[::-1])))
            affix = ends / max(len(q), len(name)) if ends >= 2 else 0.0
            score = max(shared if shared >= 0.5 else 0.0, ratio if ratio >= 0.6 else 0.0,
                        affix if affix >= 0.5 else 0.0)
            if score == 0.0:
                continue
        scored.append((-score, order, name))
    scored.sort()
    return [name for _, _, name in scored[:n]]


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]
