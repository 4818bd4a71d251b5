"""The item domain as bit sets: every question of the route analyses is a few big-integer
operations instead of a search.

Each field the analyses read keeps its candidate values (`Domain.domains`), merged into
classes the way the routing index merges them (`gridpolicy.engine.index`): values on which every
test of the field gives the same result are one class (its first value stands for it). A
field that a tier or department expression reads, or that a test compares with another
field, keeps one class per value.

The space is the product of the fields' classes; bit x of a set is the item whose class
digits (mixed radix, fields in `Domain.read` order) spell x. `of(field, class)` is the set of
items with that class; a condition's set is the `and` of its conjuncts' sets, and a
conjunct's set is the `or` of the classes (or, for a test of several fields, of the class
combinations) on which its compiled test holds. Each conjunct is evaluated once per class,
not once per item, and the same conjunct in many routes is evaluated once.

When the product has more than `MAX_BITS` items, the space is a fixed pseudo-random sample
of `Domain.max_items` of them instead (the bit sets index the sample), and findings say they
are approximate.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..engine.index import conjuncts
from ..syntax.nodes import Binary, Expr, Unary
from .domain import Domain, reads

MAX_BITS = 1 << 22  # items of an exact space (a set is then at most 512 KB)
_CACHE_BYTES = 64 << 20  # conjunct sets kept at most (then the cache starts over)
_CONNECTIVES = ("and", "or")


def bits(x: int) -> Iterator[int]:
    """The positions of the set bits of `x`, lowest first."""
    s = bin(x)[:1:-1]
    i = s.find("1")
    while i >= 0:
        yield i
        i = s.find("1", i + 1)


def runs(x: int) -> Iterator[tuple[int, int]]:
    """The runs of set bits of `x` as (first, past the last) positions, lowest first: sets
    of the space are unions of blocks, so there are far fewer runs than bits."""
    s = bin(x)[:1:-1]
    i = s.find("1")
    while i >= 0:
        j = s.find("0", i)
        if j < 0:
            yield i, len(s)
            return
        yield i, j
        i = s.find("1", j)


def from_positions(count: int, positions: Iterable[int]) -> int:
    """The set of `count` bits with these positions set."""
    digits = bytearray(b"0") * count
    for i in positions:
        digits[count - 1 - i] = 49
    return int(digits, 2) if count else 0


def _repeat(block: int, period: int, times: int) -> int:
    """`block` (narrower than `period` bits) repeated `times` times, `period` bits apart."""
    out, have = 0, 0
    unit, width = block, 1
    while times:  # binary expansion of `times`: O(log times) shifts of growing width
        if times & 1:
            out |= unit << (have * period)
            have += width
        times >>= 1
        if times:
            unit |= unit << (width * period)
            width *= 2
    return out


def expr_key(e: Any) -> Any:
    """An expression's structure without its spans (equal for the same test in two routes)."""
    if isinstance(e, Expr):
        return (type(e).__name__, *(expr_key(getattr(e, f.name)) for f in dataclasses.fields(e) if f.name != "span"))
    if isinstance(e, tuple):
        return tuple(expr_key(x) for x in e)
    return (type(e).__name__, e)


def _atoms(e: Expr | None, field: str, out: list[Expr], reads: Callable[[Expr], frozenset[str]]) -> bool:
    """Collect the largest subexpressions of `e` that read only `field` and sit under `and`,
    `or` and `not` alone; False if `field` is read anywhere else (then it cannot be merged)."""
    if e is None:
        return True
    names = reads(e)
    if field not in names:
        return True
    if names == {field}:
        out.append(e)
        return True
    if isinstance(e, Binary) and e.op in _CONNECTIVES:
        return _atoms(e.left, field, out, reads) and _atoms(e.right, field, out, reads)
    if isinstance(e, Unary) and e.op == "not":
        return _atoms(e.operand, field, out, reads)
    return False


class Space:
    """The item domain of `Domain` as bit sets (see the module's docstring)."""

    def __init__(self, d: Domain, max_bits: int = MAX_BITS, within: Space | None = None,
                 fixed: tuple[str, int] | None = None, layout: bool = True, share: Space | None = None) -> None:
        """The space of `d`; or, given `within` and `fixed` (field, class), the slice of the
        space `within` where that field is in that class (the field then leaves the layout).
        Slices of one space `share` the sets that do not depend on the fixed field."""
        self.d = d
        if within is None:
            self._reads: dict[int, frozenset[str]] = {}
            self._expr_reads = [(e, self.reads(e)) for e in d.exprs if e is not None]
            # The fields most conditions read lead (vary slowest): a set then is few long runs.
            used = {f: sum(1 for _, names in self._expr_reads if f in names) for f in d.read}
            self.fields: list[str] = sorted(d.read, key=lambda f: (-used[f], f))
        else:
            self._reads, self._expr_reads, self.fields = within._reads, within._expr_reads, list(within.fields)
        self._compiler = d.policy.program.compiler
        self.classes: dict[str, list[Any]] = {}  # field -> the value standing for each class
        self.class_of: dict[str, list[int]] = {}  # field -> class of each value of its domain
        self._pos: dict[str, dict[Any, int]] = {}
        self.fixed = fixed
        if within is None:
            for f in self.fields:
                self._merge(f)
        else:
            self.classes, self.class_of, self._pos = dict(within.classes), dict(within.class_of), within._pos
        self.base = dict(d.base)
        if fixed is not None:  # one class left: its value is part of every item
            f, c = fixed
            self.fields.remove(f)
            self.base[f] = self.classes[f][c]
            self.classes[f] = [self.classes[f][c]]
            self.class_of[f] = [0 if k == c else -1 for k in self.class_of[f]]
        radices = [len(self.classes[f]) for f in self.fields]
        total = 1
        for r in radices:
            total *= r
        self.total = total
        self.max_bits = max_bits
        self.exact = total <= max_bits
        if not layout:  # the classes only (to choose how to lay out)
            return
        self._of: dict[tuple[str, int], int] = {}
        if self.exact:
            self.count = total
            stride = total
            self._strides: dict[str, tuple[int, int]] = {}
            for f, r in zip(self.fields, radices):
                stride //= r
                self._strides[f] = (stride, r)
            self._sample: list[tuple[int, ...]] | None = None
        else:
            rng = random.Random(20240301)
            picks = rng.sample(range(total), min(total, d.max_items))
            self.count = len(picks)
            self._sample = [_digits(x, radices) for x in picks]
            columns: dict[tuple[str, int], list[int]] = {}
            for pos, digits in enumerate(self._sample):
                for f, c in zip(self.fields, digits):
                    columns.setdefault((f, c), []).append(pos)
            for (f, c), positions in columns.items():
                self._of[(f, c)] = from_positions(self.count, positions)
        self.all = (1 << self.count) - 1
        self._cache: dict[Any, int] = {}  # conjunct (structure) -> its set, if it reads the fixed field
        self._common: dict[Any, int] = {}  # the same for the other conjuncts (shared by slices)
        self._parts: dict[int, list[tuple[Any, Expr, bool]]] = {}  # condition (id) -> its conjuncts
        self._held: list[Expr | None] = []
        self._unions: dict[tuple[str, tuple[int, ...]], int] = {}
        if share is not None:
            self._of, self._unions, self._common = share._of, share._unions, share._common
            self._parts, self._held = share._parts, share._held
        self.reach = self.where(sorted(d.reach.reads), d.reaches)

    def note(self, names: set[str]) -> tuple[str, str]:
        """`Domain.note` for a finding made in this space."""
        why = (f"组合共 {self.total} 个，超过上限 {self.max_bits}，改为抽查 {self.count} 个组合",
               f"{self.total} combinations, more than the cap of {self.max_bits}; {self.count} sampled")
        return self.d.note(names, not self.exact, why)

    # ---- classes -------------------------------------------------------------------------

    def _merge(self, f: str) -> None:
        d = self.d
        domain = d.domains[f]
        pos: dict[Any, int] = {}  # value -> its position in the domain
        self._pos[f] = pos
        for k, v in enumerate(domain):
            pos.setdefault(v, k)
        atoms: list[Expr] = []
        mergeable = f not in ("kind", "matter")
        for r in d.model.routes:
            if f in self.reads(r.tier) | self.reads(r.department):
                mergeable = False
        if mergeable:
            for e, names in self._expr_reads:
                if f in names and not _atoms(e, f, atoms, self.reads):
                    mergeable = False
                    break
        if not mergeable:
            self.classes[f] = list(domain)
            self.class_of[f] = list(range(len(domain)))
            return
        fns = [self._compiler.compile(a) for a in {expr_key(a): a for a in atoms}.values()]
        values = dict(d.base)
        seen: dict[Any, int] = {}
        reps: list[Any] = []
        of: list[int] = []
        for v in domain:
            values[f] = v
            sig = tuple(fn(values) for fn in fns)
            try:
                c = seen.setdefault(sig, len(reps))
            except TypeError:  # an unhashable result: this value is its own class
                c = len(reps)
            if c == len(reps):
                reps.append(v)
            of.append(c)
        self.classes[f] = reps
        self.class_of[f] = of

    def reads(self, e: Expr | None) -> frozenset[str]:
        """`domain.reads`, remembered per node (the model holds the nodes while we run)."""
        if e is None:
            return frozenset()
        got = self._reads.get(id(e))
        if got is None:
            got = self._reads[id(e)] = frozenset(reads(e))
        return got

    def class_index(self, f: str, value: Any) -> int:
        """The class of a value of field `f`'s domain."""
        try:
            k = self._pos[f].get(value)
        except TypeError:
            k = None
        if k is None:
            k = self.d.domains[f].index(value)
        return self.class_of[f][k]

    # ---- sets ----------------------------------------------------------------------------

    def of(self, f: str, c: int) -> int:
        """The items whose field `f` is in class `c`."""
        if self.fixed is not None and f == self.fixed[0]:
            return self.all if c == 0 else 0
        key = (f, c)
        got = self._of.get(key)
        if got is None:
            if not self.exact:
                return 0
            stride, radix = self._strides[f]
            period = stride * radix
            got = self._of[key] = _repeat(((1 << stride) - 1) << (c * stride), period, self.count // period)
        return got

    def values_in(self, f: str, values: Iterable[Any]) -> int:
        """The items whose field `f` has one of these values (of its domain)."""
        return self.union(f, sorted({self.class_index(f, v) for v in values}))

    def where(self, names: list[str], pred: Callable[[dict[str, Any]], Any]) -> int:
        """The items on which `pred`, reading only `names`, is true: evaluated once per
        combination of the names' classes (the field with most classes last, its classes
        where `pred` holds joined into one set per combination of the others)."""
        names = sorted(names, key=lambda n: len(self.classes[n]))
        values = dict(self.base)
        if not names:
            return self.all if pred(values) else 0
        last, lead = names[-1], names[:-1]
        reps = self.classes[last]
        out = 0

        def down(depth: int, cell: int) -> None:
            nonlocal out
            if not cell:
                return
            if depth == len(lead):
                held = []
                for c, v in enumerate(reps):
                    values[last] = v
                    if pred(values):
                        held.append(c)
                if held:
                    out |= cell & self.union(last, held)
                return
            n = lead[depth]
            for c, v in enumerate(self.classes[n]):
                values[n] = v
                down(depth + 1, cell & self.of(n, c))
        down(0, self.all)
        return out

    def union(self, f: str, classes: list[int]) -> int:
        """The items whose field `f` is in one of these classes."""
        key = (f, tuple(classes))
        got = self._unions.get(key)
        if got is None:
            if len(self._unions) * (self.count // 8 + 1) > _CACHE_BYTES:
                self._unions.clear()
            got = 0
            for c in classes:
                got |= self.of(f, c)
            self._unions[key] = got
        return got

    def cond(self, e: Expr | None) -> int:
        """The items a condition holds for (None: every item)."""
        parts = self._parts.get(id(e))
        if parts is None:
            fixed = self.fixed[0] if self.fixed else None
            parts = self._parts[id(e)] = [(expr_key(c), c, fixed in self.reads(c)) for c in conjuncts(e)]
            self._held.append(e)  # keeps `id(e)` from being reused
        out = self.all
        for key, c, own in parts:
            cache = self._cache if own else self._common
            got = cache.get(key)
            if got is None:
                if len(cache) * (self.count // 8 + 1) > _CACHE_BYTES:
                    cache.clear()
                got = cache[key] = self.where(sorted(self.reads(c)), self._compiler.condition(c))
            out &= got
            if not out:
                break
        return out

    # ---- items ---------------------------------------------------------------------------

    def item(self, x: int) -> dict[str, Any]:
        """The values of item `x` (each class by the value standing for it)."""
        if self._sample is not None:
            digits = self._sample[x]
        else:
            digits = _digits(x, [self._strides[f][1] for f in self.fields])
        return dict(self.base) | {f: self.classes[f][c] for f, c in zip(self.fields, digits)}

    def first(self, where: int, weight: dict[str, int], restrict: dict[str, list[Any]] | None = None,
              extra: tuple[frozenset[str], Callable[[dict[str, Any]], bool]] | None = None
              ) -> tuple[tuple[int, ...], dict[str, Any]] | None:
        """The first item of `where` (meeting `extra` too) in the order `Domain.search` tries
        items for constraints that read each name of `weight` that many times (`extra`'s names
        included; see `weights`), and its place in that order (comparable across slices): so
        an example a finding shows is the one the search shows. None if there is none."""
        d = self.d
        restrict = restrict or {}
        doms = {n: restrict.get(n, d.domains.get(n, [d.base.get(n)])) for n in weight}
        order = sorted(doms, key=lambda n: (n != "kind", -weight[n], len(doms[n]), n))
        values = dict(d.base)
        for n in restrict:
            if n not in doms and restrict[n]:
                values[n] = restrict[n][0]
        ready = max((order.index(n) + 1 for n in extra[0]), default=0) if extra else -1
        if extra and ready == 0 and not extra[1](values):
            return None

        place: list[int] = []

        def dfs(depth: int, have: int) -> bool:
            if depth == len(order):
                return True
            name = order[depth]
            tried: set[int] = set()
            for k, value in enumerate(doms[name]):
                c = self.class_index(name, value)
                if c in tried:  # a class behaves as each of its values: it failed already
                    continue
                tried.add(c)
                sub = have & self.of(name, c)
                if not sub:
                    continue
                values[name] = value
                if depth + 1 == ready and not extra[1](values):  # type: ignore[index]
                    continue
                place.append(k)
                if dfs(depth + 1, sub):
                    return True
                place.pop()
            return False

        return (tuple(place), dict(values)) if where and dfs(0, where) else None


def weights(*reads_of: Iterable[str]) -> dict[str, int]:
    """How many of the constraints (each given by the names it reads) read each name."""
    out: dict[str, int] = {}
    for names in reads_of:
        for n in names:
            out[n] = out.get(n, 0) + 1
    return out


def spaces(d: Domain, max_bits: int = MAX_BITS) -> list[Space]:
    """The space of `d` as bit sets: whole if it has at most `max_bits` items; else sliced on
    the field with most classes if each slice then fits; else a sample."""
    probe = Space(d, max_bits, layout=False)
    if probe.exact:
        return [Space(d, max_bits, probe)]
    f = max(probe.fields, key=lambda n: len(probe.classes[n]))
    if probe.total // len(probe.classes[f]) <= max_bits:
        first = Space(d, max_bits, probe, (f, 0))
        return [first, *(Space(d, max_bits, probe, (f, c), share=first) for c in range(1, len(probe.classes[f])))]
    return [Space(d, max_bits, probe)]


def _digits(x: int, radices: list[int]) -> tuple[int, ...]:
    out = []
    for r in reversed(radices):
        x, c = divmod(x, r)
        out.append(c)
    return tuple(reversed(out))


__all__ = ["MAX_BITS", "Space", "bits", "from_positions", "runs", "spaces", "weights"]
