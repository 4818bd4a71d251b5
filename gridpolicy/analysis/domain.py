"""The finite item domain the deep checks enumerate, and a decision simulator over it.

Every field a condition (of a route or an exclusion criterion) or a route's tier/department
expression reads gets a list of candidate values:

- exact (the whole domain): enum, bool, tier, department, role, item kind, the matter
  (every listed matter in every status it can be in, and an unlisted one), sets with at most
  `MAX_SET_VALUES` declared values (every subset);
- boundary values (an approximation): numbers, text, dates, times, `grid`, `id`, and larger
  sets. Numbers get every constant the conditions mention, the midpoints between them and a
  value beyond each end, which is exact for comparisons of one field with constants.

Fields nobody reads keep their default. Matters (and departments) that no condition can
tell apart are merged into one representative.

Questions ("is there an item that route 3 decides?") are answered by `Domain.search`: a
backtracking search over the fields the question reads, evaluating each condition as soon as
the fields it reads are set and pruning there, so it is exact over the finite domain. Past
`MAX_ITEMS` evaluations it gives up and checks a fixed pseudo-random sample of `MAX_ITEMS`
items instead; a finding that rests on such a sample says it is approximate.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..engine.compiler import MatterState
from ..model import Matter, PolicyModel, Route
from ..runtime import Policy
from ..syntax.nodes import Attr, Binary, Call, Expr, ListLit, Literal, Name, Symbol, Unary

MAX_ITEMS = 60_000
MAX_SET_VALUES = 8
FINITE_TYPES = ("enum", "bool", "tier", "department", "role")
_OTHER_TEXT = "（其他文字 other text）"


def walk(e: Expr | None) -> Iterator[Expr]:
    """Every node of an expression, depth first."""
    if e is None:
        return
    yield e
    if isinstance(e, Binary):
        yield from walk(e.left)
        yield from walk(e.right)
    elif isinstance(e, Unary):
        yield from walk(e.operand)
    elif isinstance(e, Attr):
        yield from walk(e.obj)
    elif isinstance(e, ListLit):
        for i in e.items:
            yield from walk(i)
    elif isinstance(e, Call):
        for a in e.args:
            yield from walk(a)
        for _, w in e.kwargs:
            yield from walk(w)


def reads(e: Expr | None) -> set[str]:
    """The item names an expression reads."""
    return {n.id for n in walk(e) if isinstance(n, Name)}


def route_reads(r: Route) -> set[str]:
    out = reads(r.condition) | reads(r.tier) | reads(r.department)
    if "matter" in r.handlers:
        out.add("matter")
    return out


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an item's decision comes to (the route that decided is kept apart)."""

    refused: bool
    tier: str | None = None
    department: str | None = None
    handlers: tuple[str, ...] = ()
    limit: str = ""
    escalation: str = ""

    def describe(self) -> str:
        if self.refused:
            return "拒绝下派 refuse"
        parts = [f"层级 tier {self.tier}"]
        if self.department:
            parts.append(f"部门 department {self.department}")
        if self.handlers:
            parts.append("处理人 handlers " + ",".join(self.handlers))
        if self.limit:
            parts.append(f"时限 limit {self.limit}")
        if self.escalation:
            parts.append(f"升级 escalate {self.escalation}")
        return "; ".join(parts)


class _OutOfBudget(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Constraint:
    """A predicate over item values and the names it reads (it is evaluated once all are set)."""

    reads: frozenset[str]
    pred: Callable[[dict[str, Any]], bool]


@dataclass(slots=True)
class Sample:
    """One enumerated item: its values, the routes it matches (indices) and its decision."""

    values: dict[str, Any]
    matter: Matter | None
    matched: tuple[int, ...]
    decided: int | None  # index of the deciding route; None: refused task
    outcome: Outcome


class Domain:
    """The enumeration of one policy's finite item domain."""

    def __init__(self, policy: Policy, max_items: int = MAX_ITEMS) -> None:
        self.policy = policy
        self.model: PolicyModel = policy.model
        self.max_items = max_items
        m = self.model
        exprs: list[Expr | None] = [c.condition for c in m.criteria]
        names: set[str] = {"kind", "matter"}
        for r in m.routes:
            names |= route_reads(r)
            exprs += [r.condition, r.tier, r.department]
        for c in m.criteria:
            names |= reads(c.condition)
        self.exprs = exprs
        self.read = sorted(names)
        self.approximate_fields: list[str] = []
        self.domains: dict[str, list[Any]] = {}
        self.state_of: dict[tuple[str, str], MatterState] = {}  # (code, status) -> its class
        self._matter_by_state: dict[int, Matter | None] = {}
        for name in self.read:
            self.domains[name] = self._domain(name)
        self.total = 1
        for n in self.read:
            self.total *= len(self.domains[n])
        self.sampled = False  # set once a question had to be answered from a sample
        self.base = policy.program.defaults | {"id": "x"}
        crit_reads: set[str] = {"kind", "matter"}
        for c in m.criteria:
            crit_reads |= reads(c.condition)
        self.reach = Constraint(frozenset(crit_reads), self.reaches)

    def note(self, names: set[str], sampled: bool = False, why: tuple[str, str] | None = None) -> tuple[str, str]:
        """Plain words on how exact a finding over these names is (`why`: how the sample came
        about, if not by a search over its cap)."""
        loose = sorted(names & set(self.approximate_fields))
        parts_zh, parts_en = [], []
        if loose:
            parts_zh.append("字段 " + "、".join(loose) + " 只按条件中的边界值检查")
            parts_en.append("fields " + ", ".join(loose) + " checked at boundary values only")
        if sampled and why is not None:
            parts_zh.append(why[0])
            parts_en.append(why[1])
        elif sampled:
            parts_zh.append(f"搜索超过 {self.max_items} 步上限，改为抽查 {self.max_items} 个组合")
            parts_en.append(f"the search passed its cap of {self.max_items} steps; {self.max_items} combinations sampled")
        if not parts_zh:
            return "", ""
        return "（近似：" + "；".join(parts_zh) + "）", " (approximate: " + "; ".join(parts_en) + ")"

    # ---- domains ----------------------------------------------------------------------

    def _constants(self, kinds: tuple[str, ...]) -> list[Any]:
        out = []
        for e in self.exprs:
            for n in walk(e):
                if isinstance(n, Literal) and n.kind in kinds:
                    out.append(n.value)
        return out

    def _domain(self, name: str) -> list[Any]:
        m = self.model
        if name == "kind":
            return ["issue", "task"]
        if name == "matter":
            return self._matter_domain()
        field = next((f for f in m.fields if f.id == name), None)
        tail = [] if field is not None and field.required else [None]
        if name in ("id", "grid"):
            self.approximate_fields.append(name)
            return [*dict.fromkeys(c for c in self._constants(("string",))), _OTHER_TEXT]
        if name == "reported_at":
            self.approximate_fields.append(name)
            return self._dates(datetime=True)
        assert field is not None, name
        t = field.type
        if t == "enum":
            return [*field.value_codes, *tail]
        if t == "bool":
            return [True, False, *tail]
        if t == "tier":
            return [x.id for x in m.tiers] + tail
        if t == "department":
            return self._departments(name) + tail
        if t == "role":
            return [x.id for x in m.roles] + tail
        if t == "set":
            base = list(field.value_codes) or [
                *dict.fromkeys(c for c in self._constants(("string",))), _OTHER_TEXT]
            if len(base) <= MAX_SET_VALUES:
                subsets = [frozenset(c) for k in range(len(base) + 1) for c in itertools.combinations(base, k)]
                if not field.value_codes and len(base) > 1:
                    self.approximate_fields.append(name)  # free-text sets: constants + one other
            else:
                self.approximate_fields.append(name)
                subsets = [frozenset(), *(frozenset([b]) for b in base), frozenset(base)]
            return subsets + tail
        self.approximate_fields.append(name)
        if t == "number":
            consts = sorted({float(c) for c in self._constants(("number",))
                             if isinstance(c, (int, float)) and not isinstance(c, bool)})
            pts = _boundaries(consts, field.range)
            return pts + tail
        if t == "text":
            return [*dict.fromkeys(c for c in self._constants(("string",))), "", _OTHER_TEXT] + tail
        if t in ("date", "datetime"):
            return self._dates(datetime=t == "datetime") + tail
        return [field.default] + tail

    def _departments(self, name: str) -> list[str]:
        """Departments, one per class no condition can tell apart: conditions see a department
        field only through has(), its tier, and comparison with named departments."""
        named = {n.value for e in self.exprs for n in walk(e) if isinstance(n, Symbol) and n.kind == "department"}
        for e in self.exprs:
            for n in walk(e):
                if (isinstance(n, Binary) and n.op not in ("and", "or") and reads(n.left) and reads(n.right)
                        and name in reads(n.left) | reads(n.right)):
                    return [x.id for x in self.model.departments]  # compared with another field
        out, seen = [], set()
        for x in self.model.departments:
            key = x.id if x.id in named else ("tier", x.tier)
            if key not in seen:
                seen.add(key)
                out.append(x.id)
        return out

    def _dates(self, datetime: bool) -> list[Any]:
        consts = [c for c in self._constants(("date", "datetime")) if isinstance(c, (dt.date, dt.datetime))]
        days = sorted({c.date() if isinstance(c, dt.datetime) else c for c in consts})
        if not days:
            days = [dt.date(2026, 1, 1)]
        pts = sorted({d + dt.timedelta(days=k) for d in days for k in (-1, 0, 1)})
        if not datetime:
            return pts
        tz = self.policy.timezone
        return [dt.datetime.combine(d, dt.time(12), tz) for d in pts]

    def _matter_domain(self) -> list[Any]:
        """Each matter in each status it can reach, merged where no condition tells them apart."""
        m = self.model
        attrs_read: set[str] = set()
        code_read = False
        for e in self.exprs:
            for n in walk(e):
                if isinstance(n, Attr) and isinstance(n.obj, Name) and n.obj.id == "matter":
                    attrs_read.add(n.name)
                if isinstance(n, Symbol) and n.kind == "matter":
                    code_read = True
        handlers_read = any("matter" in r.handlers for r in m.routes)
        exits = {e.matter: e for e in m.exits}
        out: list[Any] = []
        seen: dict[tuple[Any, ...], MatterState] = {}
        for matter in m.matters:
            statuses = ["in_force"]
            if matter.effective is not None:
                statuses.append("not_yet_in_force")
            if matter.code in exits:
                statuses.append("exited")
            if matter.expires is not None:
                statuses.append("expired")
            for status in statuses:
                state = MatterState(matter.code, matter.list, matter.batch, status, matter.owner)
                key = (matter.code if code_read else None, matter.list, status,
                       matter.batch if "batch" in attrs_read else None,
                       matter.owner if "owner" in attrs_read else None,
                       matter.handlers if handlers_read else None)
                if key in seen:
                    self.state_of[(matter.code, status)] = seen[key]
                    continue
                seen[key] = state
                self.state_of[(matter.code, status)] = state
                self._matter_by_state[id(state)] = matter
                out.append(state)
        # The classes of the event catalogue (status `classified`), merged likewise.
        class_read = any(isinstance(n, Symbol) and n.kind == "class" for e in self.exprs for n in walk(e))
        for c in m.classes:
            state = MatterState(c.id, None, None, "classified", c.owner, c.id, c.major, c.type)
            ckey: tuple[Any, ...] = ("class", c.id if code_read or class_read or "class" in attrs_read else None,
                   c.major if "major" in attrs_read else None, c.type if "type" in attrs_read else None,
                   c.owner if "owner" in attrs_read else None, c.handlers if handlers_read else None)
            if ckey in seen:
                self.state_of[(c.id, "classified")] = seen[ckey]
                continue
            seen[ckey] = state
            self.state_of[(c.id, "classified")] = state
            self._matter_by_state[id(state)] = None
            out.append(state)
        out.append(MatterState(None, None, None, "unlisted", None))
        self._matter_by_state[id(out[-1])] = None
        return out

    def class_states(self, code: str) -> list[MatterState]:
        """The states that stand for items of class `code`."""
        return list(dict.fromkeys(st for (c, status), st in self.state_of.items()
                                  if c == code and status == "classified"))

    # ---- enumeration ------------------------------------------------------------------

    def reaches(self, values: dict[str, Any]) -> bool:
        """Whether an item gets to the routes: issues always, tasks unless refused."""
        if values.get("kind") != "task":
            return True
        p = self.policy
        state: MatterState = values["matter"]
        matter = self.matter_for(state)
        return not p.decider.refusal(matter, state.status, values, [])

    def matter_for(self, state: MatterState) -> Matter | None:
        return self._matter_by_state.get(id(state))

    def assume(self, state: MatterState, matter: Matter | None) -> None:
        """Let `state` (made by a check, e.g. a matter's state once exited) stand for `matter`."""
        self._matter_by_state[id(state)] = matter

    def cond(self, index: int, negate: bool = False) -> Constraint:
        """Route `index` matches (or, negated, does not)."""
        fn = self.policy.program.routes[index].condition
        names = frozenset(reads(self.model.routes[index].condition))  # the model's: a cached program's
        # routes are the light model, their conditions kept apart (engine/parts.py)
        return Constraint(names, (lambda v: not fn(v)) if negate else fn)

    def decides(self, index: int) -> list[Constraint]:
        """Route `index` matches and no earlier deciding route does (so it applies)."""
        out = [self.reach, self.cond(index)]
        for j, r in enumerate(self.model.routes[:index]):
            if not r.cont:
                out.append(self.cond(j, negate=True))
        return out

    def search(self, constraints: Iterable[Constraint], restrict: dict[str, list[Any]] | None = None,
               budget: int | None = None) -> tuple[str, dict[str, Any] | None]:
        """An item meeting every constraint: ("found", values), ("none", None) when there is
        none (exact), or ("none~", None) when the budget ran out and a sample had none."""
        cs = list(constraints)
        restrict = restrict or {}
        doms = {n: restrict.get(n, self.domains.get(n, [self.base.get(n)])) for c in cs for n in c.reads}
        weight = {n: sum(1 for c in cs if n in c.reads) for n in doms}
        order = sorted(doms, key=lambda n: (n != "kind", -weight[n], len(doms[n]), n))
        pos = {n: i for i, n in enumerate(order)}
        ready: list[list[Constraint]] = [[] for _ in range(len(order) + 1)]
        for c in cs:
            ready[max((pos[n] + 1 for n in c.reads), default=0)].append(c)
        values = dict(self.base)
        for n in restrict:
            if n not in doms and restrict[n]:
                values[n] = restrict[n][0]
        left = [budget or self.max_items]

        def ok(depth: int) -> bool:
            for c in ready[depth]:
                left[0] -= 1
                if left[0] < 0:
                    raise _OutOfBudget
                if not c.pred(values):
                    return False
            return True

        def dfs(depth: int) -> bool:
            if depth == len(order):
                return True
            name = order[depth]
            for value in doms[name]:
                values[name] = value
                if ok(depth + 1) and dfs(depth + 1):
                    return True
            return False

        try:
            if ok(0) and dfs(0):
                return "found", dict(values)
            return "none", None
        except _OutOfBudget:
            pass
        self.sampled = True
        rng = random.Random(20240301)
        radices = [len(doms[n]) for n in order]
        total = 1
        for r in radices:
            total *= r
        for index in rng.sample(range(total), min(total, self.max_items)):
            for n, i in zip(order, _decode(index, radices)):
                values[n] = doms[n][i]
            if all(c.pred(values) for c in cs):
                return "found", dict(values)
        return "none~", None

    def simulate(self, values: dict[str, Any], matter: Matter | None = None) -> Sample:
        """Decide synthetic values as `Policy.route` would (without dates and reasons)."""
        p = self.policy
        if matter is None:
            matter = self.matter_for(values["matter"])
        if not self.reaches(values):
            return Sample(values, matter, (), None, Outcome(True))
        matched: list[int] = []
        roles: list[str] = []
        decided = None
        for i, compiled in enumerate(p.program.routes):
            route = compiled.route
            if compiled.condition(values):
                matched.append(i)
                if decided is None:
                    roles += p.decider.roles_of(route, matter, values["matter"].klass)
                    if not route.cont:
                        decided = i
        assert decided is not None, "the checker guarantees a catch-all route"
        return Sample(values, matter, tuple(matched), decided, self.outcome(decided, values, roles))

    def outcome(self, index: int, values: dict[str, Any], roles: list[str]) -> Outcome:
        p = self.policy
        route = p.model.routes[index]
        tier, dept = p.program.destination(index, values)
        esc = ", ".join(f"{s.after} -> {s.tier or s.department}" for s in route.escalation)
        return Outcome(False, tier, dept, tuple(dict.fromkeys(roles)), str(route.limit or ""), esc)

    def show(self, values: dict[str, Any], names: set[str] | None = None) -> str:
        """An example item, as JSON-like text, with the fields that matter."""
        shown = []
        matter = self.matter_for(values["matter"])
        for n in self.read:
            if names is not None and n not in names and n not in ("kind", "matter"):
                continue
            v = values.get(n)
            if n == "matter":
                if matter is None:
                    shown.append('"matter": （未列入清单 unlisted）')
                else:
                    status = "" if getattr(v, "status", None) == "in_force" else f"（{getattr(v, 'status', None)}）"
                    shown.append(f'"matter": "{matter.code}"{status}')
                continue
            if isinstance(v, frozenset):
                v = sorted(v)
            if isinstance(v, (dt.date, dt.datetime)):
                v = v.isoformat()
            shown.append(f'"{n}": ' + ("null" if v is None else _json(v)))
        return "{" + ", ".join(shown) + "}"


def _json(v: Any) -> str:
    import json

    return json.dumps(v, ensure_ascii=False)


def _decode(index: int, radices: list[int]) -> tuple[int, ...]:
    out = []
    for r in reversed(radices):
        index, d = divmod(index, r)
        out.append(d)
    return tuple(reversed(out))


def _boundaries(consts: list[float], rng: tuple[float, float] | None) -> list[float]:
    pts = set(consts)
    for a, b in zip(consts, consts[1:]):
        pts.add((a + b) / 2)
    if consts:
        pts |= {consts[0] - 1, consts[-1] + 1}
    else:
        pts.add(0.0)
    if rng is not None:
        pts = {p for p in pts if rng[0] <= p <= rng[1]} | {rng[0], rng[1]}
    return sorted(pts)
