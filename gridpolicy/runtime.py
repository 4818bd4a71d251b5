"""The runtime: a loaded, compiled policy that decides items.

`Policy` is immutable and thread-safe (decisions share no mutable state) and picklable
(it pickles its checked model and recompiles on the other side).
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from . import cache as _cache
from .calendar import WorkCalendar
from .checker import check
from .codegen import ValidatorSpec, build_router, build_validator
from .compiler import Compiler, Fn, MatterState
from .contract import (
    AdmitResult,
    Decision,
    EscalationStep,
    Evaluation,
    Handlers,
    Item,
    ItemError,
    ItemErrorDetail,
    MatterRef,
    Named,
    PolicyRef,
    Reason,
    TierRef,
    TimeLimit,
)
from .diagnostics import Diagnostic, PolicyError, Reporter, did_you_mean
from .encoder import DecisionEncoder
from .index import RouteIndex, build_index
from .model import Field, Formula, Matter, PolicyModel, Route
from .nodes import Duration, Symbol
from .parser import MAX_YEAR, MIN_YEAR
from .sources import looks_like_text, read

ENVELOPE = ("id", "kind", "matter", "reported_at", "grid")
_UNKNOWN = object()
_BOOL, _NUMBER, _CODE, _TEXT, _OTHER = range(5)
M = TypeVar("M")
MAX_ITEM_FIELDS = 200
MAX_TEXT = 10_000


def load(path_or_text: str | os.PathLike[str], *, cache: bool = True) -> Policy:
    """Load a policy from a folder, a file or rule text. Raises `PolicyError` with every
    diagnostic if there is any error; warnings are kept on `policy.warnings`.

    A folder or file is looked up in the compiled cache first (see `gridpolicy.cache`;
    `cache=False` or `GRIDPOLICY_CACHE=off` skips it): an entry is used only if every rule
    file is unchanged and it was written by this gridpolicy version. The first parse in a
    process also keeps Lark's tables for the grammar in the cache folder (not with
    `GRIDPOLICY_CACHE=off`)."""
    # Parsing, checking and compiling allocate many long-lived objects and little cyclic garbage:
    # the cyclic collector, run again and again over them, took half the time of a large load.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(path_or_text, cache)
    finally:
        if enabled:
            gc.enable()


def _load(path_or_text: str | os.PathLike[str], cache: bool) -> Policy:
    is_path = not (isinstance(path_or_text, str) and looks_like_text(path_or_text))
    key = _cache.entry_key(path_or_text) if cache and is_path and _cache.cache_dir() is not None else None
    if key is not None:
        hit = _cache.get(key)
        if hit is not None:
            return Policy(*hit)
    reporter = Reporter()
    sources = read(path_or_text, reporter)
    model = None if reporter.has_errors else check(sources, reporter)
    policy = None
    if model is not None and not reporter.has_errors:
        policy = Policy(model)
        _check_admitted_matters(policy, reporter)
    if policy is None or reporter.has_errors:
        raise PolicyError(reporter.diagnostics)
    policy.warnings = tuple(d for d in reporter.diagnostics if d.severity == "warning")
    if key is not None:
        given = Path(path_or_text)
        display = given if given.is_dir() else given.parent
        names = [*sources.texts, *sources.registries]
        files = _cache.file_digests(sources.root, names, display.as_posix())
        if files is not None and len(files) == len(names):
            _cache.put(key, files, policy.model, policy.warnings, policy._index)
    return policy


def _check_admitted_matters(policy: Policy, reporter: Reporter) -> None:
    """GP050: a matter on an admission list must pass the policy's own exclusion criteria."""
    model = policy.model
    for lst in model.lists:
        if not lst.admission:
            continue
        for m in lst.matters:
            values = policy._trait_values.get(m.code) or {**policy._defaults(), "kind": "task"}
            for crit, fn in policy._criteria:
                if fn(values):
                    reporter.report("GP050", m.span,
                                    f"事项 {m.code}「{m.name}」被排除标准「{crit.name}」排除，不能列入准入清单",
                                    f"matter {m.code} '{m.name}' is caught by exclusion criterion "
                                    f"'{crit.id}' and cannot be on an admission list")


class Policy:
    """A checked and compiled policy. Create with `gridpolicy.load`."""

    def __init__(self, model: PolicyModel, warnings: tuple[Diagnostic, ...] = (), index: RouteIndex | None = None):
        self.model = model
        self.warnings = warnings
        self._tz = ZoneInfo(model.header.timezone)
        self._calendar = WorkCalendar(model.calendar)
        order = [t.id for t in model.tiers]
        self._tier_index = {t.id: i for i, t in enumerate(model.tiers)}
        compiler = Compiler({t: i + 1 for i, t in enumerate(order)},
                            {d.id: d.tier for d in model.departments}, order,
                            {g.code: {"community": g.community, "street": g.street, "name": g.name}
                             for g in model.grids})
        self._fields = {f.id: f for f in model.fields}
        self._criteria = [(c, compiler.condition(c.condition)) for c in model.criteria]
        self._routes: list[tuple[Route, Fn, Fn | None, Fn | None]] = [
            (r, compiler.condition(r.condition),
             compiler.compile(r.tier) if r.tier is not None else None,
             compiler.compile(r.department) if r.department is not None else None)
            for r in model.routes
        ]
        self._formulas = {f.id: (f, compiler.compile(f.value)) for f in model.formulas}
        self._grades = {g.id: g for g in model.grades}
        self._matters: dict[str, Matter] = {}
        for m in model.matters:
            for key in (m.code, m.name, *m.aliases):
                self._matters.setdefault(key, m)
        self._exits = {e.matter: e for e in model.exits}
        self._lists = {lst.id: lst for lst in model.lists}
        self._tiers = {t.id: t for t in model.tiers}
        self._departments = {d.id: d for d in model.departments}
        self._roles = {r.id: r for r in model.roles}
        self._ref = PolicyRef(name=model.header.name, version=model.header.version, digest=model.digest)
        self._default_values = {f.id: f.default for f in model.fields}
        # Matters with traits: the values the exclusion criteria see for the matter itself.
        self._trait_values = {m.code: {**self._default_values, "kind": "task", **dict(m.traits)}
                              for m in model.matters if m.traits}
        self._compiler = compiler
        self._encoder = DecisionEncoder()
        self._conds = tuple(cond for _, cond, _, _ in self._routes)
        self._cont = tuple(r.cont for r in model.routes)
        self._use_index(index if index is not None else build_index(model, compiler))
        self._route_ids = tuple(r.id for r in model.routes)
        # Where a route sends every item when its tier and department are constants.
        self._fixed = tuple(self._destination(i, {}) if all(p is None or isinstance(p, Symbol)
                                                             for p in (r.tier, r.department)) else None
                            for i, r in enumerate(model.routes))
        # `match`'s answer for each route with a fixed destination.
        self._answers = tuple(None if fixed is None else (r.id, fixed[0]) for r, fixed in zip(model.routes, self._fixed))
        self._prepare()

    def _prepare(self) -> None:
        """Precompute what every decision reuses: the routing index, field coercers, and the
        constant parts of decisions. Those are frozen models (`Reason`, `Named`, `TierRef`,
        `TimeLimit`, `MatterRef`, `PolicyRef`) shared between decisions; the mutable parts of a
        decision (the `Decision`, its `Handlers`, `EscalationStep`s and lists) are its own."""
        model = self.model
        self._coercers = {f.id: self._coercer(f) for f in model.fields}
        # Every key an item may have: None for the envelope's, else (kind, a, b, coercer) with
        # what `validate` needs to accept a common valid value without calling the coercer.
        self._key_specs: dict[str, tuple[int, Any, Any, Callable[[Any], tuple[bool, Any]]] | None] = {
            **{f.id: self._spec(f) for f in model.fields}, **dict.fromkeys(ENVELOPE)}
        # The fast path of validation: one function generated for this schema (see codegen).
        specs = {f.id: (f.default, self._key_specs[f.id]) for f in model.fields}
        self._required = tuple((f.id, f"缺少必填字段“{f.id}”（{f.name}）", f"required field '{f.id}' is missing")
                               for f in model.fields if f.required)
        self._validator_spec = ValidatorSpec(
            defaults={**self._default_values, **dict.fromkeys(ENVELOPE)}, max_fields=MAX_ITEM_FIELDS,
            bools=tuple((k, d) for k, (d, s) in specs.items() if s and s[0] == _BOOL),
            codes=tuple((k, d, s[1]) for k, (d, s) in specs.items() if s and s[0] == _CODE),
            numbers=tuple((k, d, s[1], s[2]) for k, (d, s) in specs.items() if s and s[0] == _NUMBER),
            texts=tuple((k, d, s[1]) for k, (d, s) in specs.items() if s and s[0] == _TEXT),
            others=tuple((k, d, s[3]) for k, (d, s) in specs.items() if s and s[0] == _OTHER),
            required=tuple(fid for fid, _, _ in self._required), min_year=MIN_YEAR, max_year=MAX_YEAR)
        # (values of a plainly valid dict item) or None: then `_checked_values` decides
        self._plain_values = build_validator(self._validator_spec, model.digest[:12])
        self._tier_refs = {t.id: _make(TierRef, {"code": t.id, "name": t.name, "level": t.level})
                           for t in model.tiers}
        self._role_refs = {r.id: _make(Named, {"code": r.id, "name": r.name}) for r in model.roles}
        self._dept_refs = {d.id: _make(Named, {"code": d.id, "name": d.name}) for d in model.departments}
        self._policy_ref = _make(PolicyRef, {"name": model.header.name, "version": model.header.version,
                                             "digest": model.digest})
        self._route_reasons = [_make(Reason, self._route_reason_dict(r)) for r in model.routes]
        self._criterion_reasons = [
            _make(Reason, {"kind": "criterion", "id": c.id,
                           "text_zh": f"排除标准「{c.name}」：{c.text}，一律不得下放到网格",
                           "text_en": f"exclusion criterion '{c.id}' applies: {c.text}", "source": str(c.span)})
            for c, _ in self._criteria]
        self._list_reasons = {
            lst.id: _make(Reason, {"kind": "list", "id": lst.id,
                                   "text_zh": f"《{lst.name}》不是准入清单，其中事项不能下派网格",
                                   "text_en": f"'{lst.id}' is not an admission list", "source": str(lst.span)})
            for lst in model.lists}
        self._unlisted_reason = _make(Reason, {
            "kind": "list", "id": "unlisted", "text_zh": "未列入准入事项清单的工作，不得下派网格",
            "text_en": "work not on the admission list may not be pushed down to grids", "source": ""})
        self._matter_cache: dict[tuple[str, str], tuple[MatterState, dict[str, Any], Reason]] = {}
        # (query, matter code or None, status) -> the decision's `MatterRef` and its matter reason
        self._query_cache: dict[tuple[Any, ...], tuple[MatterRef, Reason | None]] = {}
        self._due_cache: dict[tuple[dt.date, float], tuple[dt.timedelta, bool]] = {}
        self._limits: dict[Duration, TimeLimit] = {}
        self._calendar_reasons: dict[int, Reason] = {}
        self._plans: dict[tuple[str, str], tuple[tuple[Duration, TimeLimit, TierRef, Named | None, str], ...]] = {}
        unlisted = MatterState(None, None, None, "unlisted", None)
        self._unlisted = unlisted
        self._no_matter = self._matter_of(None, dt.date(2000, 1, 1))  # no query: the day is not read
        # What a decision by route i reuses: (route, its reason, its handlers' roles (None: from
        # the matter), (tier id, tier, department) if fixed, time limit, its `TimeLimit`,
        # dispatch, whether it escalates).
        self._by_route = tuple(
            (r, self._route_reasons[i],
             None if "matter" in r.handlers else tuple(self._role_refs_of(list(r.handlers))),
             None if fixed is None else (fixed[0], self._tier_refs[fixed[0]],
                                         self._dept_refs[fixed[1]] if fixed[1] else None),
             r.limit, self._limit(r.limit) if r.limit else None, r.dispatch, bool(r.escalation))
            for i, (r, fixed) in enumerate(zip(model.routes, self._fixed)))

    def _use_index(self, index: RouteIndex) -> None:
        """Route with `index`: `_first(values)` is `index.first(values, self._conds,
        self._cont)`, compiled (see codegen)."""
        self._index = index
        self._first = build_router(index, self._conds, self._cont, self.model.digest[:12])

    def __reduce__(self) -> tuple[Any, ...]:
        return (Policy, (self.model, self.warnings, self._index))

    def __repr__(self) -> str:
        h = self.model.header
        return f"<Policy {h.id} {h.version!r} {self.model.digest[:12]}>"

    # ---- the inspectable model ---------------------------------------------------------

    @property
    def header(self):  # noqa: ANN201 - Header
        return self.model.header

    @property
    def digest(self) -> str:
        return self.model.digest

    @property
    def tiers(self):  # noqa: ANN201
        return self.model.tiers

    @property
    def roles(self):  # noqa: ANN201
        return self.model.roles

    @property
    def departments(self):  # noqa: ANN201
        return self.model.departments

    @property
    def fields(self):  # noqa: ANN201
        return self.model.fields

    @property
    def criteria(self):  # noqa: ANN201
        return self.model.criteria

    @property
    def lists(self):  # noqa: ANN201
        return self.model.lists

    @property
    def matters(self):  # noqa: ANN201
        return self.model.matters

    @property
    def exits(self):  # noqa: ANN201
        return self.model.exits

    @property
    def routes(self):  # noqa: ANN201
        return self.model.routes

    @property
    def formulas(self):  # noqa: ANN201
        return self.model.formulas

    @property
    def grades(self):  # noqa: ANN201
        return self.model.grades

    def find_matter(self, query: str) -> Matter | None:
        """A matter by code, Chinese name or alias."""
        return self._matters.get(query)

    def matter_status(self, matter: Matter, day: dt.date) -> str:
        """in_force | not_yet_in_force | exited | expired, as of `day`."""
        if matter.effective is not None and day < matter.effective:
            return "not_yet_in_force"
        ex = self._exits.get(matter.code)
        if ex is not None and day >= ex.date:
            return "exited"
        if matter.expires is not None and day >= matter.expires:
            return "expired"
        return "in_force"

    # ---- item validation ----------------------------------------------------------------

    def _defaults(self) -> dict[str, Any]:
        return dict(self._default_values)

    def validate(self, item: Item | Mapping[str, Any]) -> tuple[dict[str, Any], dt.datetime]:
        """Check an item against the envelope and the schema. Returns the field values
        (defaults filled in) and the report time. Raises `ItemError` naming each bad field."""
        values = self._item_values(item)
        del values["matter"]
        return values, values["reported_at"]

    def _item_values(self, item: Item | Mapping[str, Any], at: dt.datetime | None = None) -> dict[str, Any]:
        """`validate`'s values, with the item's matter query under "matter" (None if none);
        also checks the decision time `at`, if given."""
        values = self._plain_values(item) if type(item) is dict else None
        if values is None:
            values = self._checked_values(item)
        if at is not None and _parse_datetime(at) is None:
            raise ItemError([ItemErrorDetail(path="at", message_zh="at 必须带时区",
                                             message_en="at must carry a time zone offset")])
        return values

    def _checked_values(self, item: Item | Mapping[str, Any]) -> dict[str, Any]:
        # `type(...) is dict` first: isinstance against a pydantic model class is slow.
        data: Mapping[str, Any] = item if type(item) is dict else (
            item.model_dump(exclude_none=True) if isinstance(item, Item) else item)
        errors: list[ItemErrorDetail] = []

        def err(path: str, zh: str, en: str) -> None:
            errors.append(ItemErrorDetail(path=path, message_zh=zh, message_en=en))

        if type(data) is not dict and not isinstance(data, Mapping):
            raise ItemError([ItemErrorDetail(path="", message_zh="事项应为 JSON 对象",
                                             message_en="an item must be a JSON object")])
        if len(data) > MAX_ITEM_FIELDS:
            raise ItemError([ItemErrorDetail(path="", message_zh=f"字段过多（上限 {MAX_ITEM_FIELDS}）",
                                             message_en=f"too many fields (limit {MAX_ITEM_FIELDS})")])
        values = dict(self._default_values)
        item_id = data.get("id")
        if not isinstance(item_id, str) or not item_id or len(item_id) > 200:
            err("id", "缺少 id，或 id 不是 1–200 个字符的文字", "id is missing or not a string of 1-200 characters")
        kind = data.get("kind")
        if kind not in ("issue", "task"):
            err("kind", "kind 应为 issue（问题）或 task（下派任务）", "kind must be 'issue' or 'task'")
        matter = data.get("matter")
        if matter is not None and (not isinstance(matter, str) or len(matter) > 200):
            err("matter", "matter 应为事项编码、名称或别名", "matter must be a matter code, name or alias")
        grid = data.get("grid")
        if grid is not None and (not isinstance(grid, str) or len(grid) > 200):
            err("grid", "grid 应为网格编码", "grid must be a grid code (string)")
        reported = data.get("reported_at")
        when: dt.datetime | None = None
        if reported is None:
            when = dt.datetime.now(self._tz).replace(microsecond=0)
        else:
            when = _parse_datetime(reported)
            if when is None:
                err("reported_at", "reported_at 应为带时区的 ISO 8601 时间，如 2026-03-02T09:30:00+08:00",
                    "reported_at must be ISO 8601 with an offset, e.g. 2026-03-02T09:30:00+08:00")
        specs = self._key_specs
        for key, raw in data.items():
            spec = specs.get(key, _UNKNOWN)
            if spec is None:  # an envelope key
                continue
            if spec is _UNKNOWN:
                guess = did_you_mean(str(key), [*self._fields, *ENVELOPE])
                err(str(key), f"未知字段“{_short(key)}”" + (f"，是否想写“{guess}”？" if guess else ""),
                    f"unknown field '{_short(key)}'" + (f"; did you mean '{guess}'?" if guess else ""))
                continue
            if raw is None:
                values[key] = None
                continue
            # The common valid values inline (what the coercer would return); the rest, and
            # every error, through the field's coercer.
            t = spec[0]
            if t == _BOOL:
                if raw is True or raw is False:
                    values[key] = raw
                    continue
            elif t == _CODE:
                if type(raw) is str:
                    code = spec[1].get(raw)
                    if code is not None:
                        values[key] = code
                        continue
            elif t == _NUMBER:
                kind_ = type(raw)
                if (kind_ is int or kind_ is float) and spec[1] <= raw <= spec[2]:
                    values[key] = raw
                    continue
            ok, value = spec[3](raw)
            if ok:
                values[key] = value
            else:
                err(key, *value)
        for fid, zh, en in self._required:
            if values.get(fid) is None:
                err(fid, zh, en)
        if errors:
            raise ItemError(errors)
        values["id"] = item_id
        values["kind"] = kind
        values["matter"] = matter
        values["grid"] = grid
        values["reported_at"] = when
        return values

    def _spec(self, f: Field) -> tuple[int, Any, Any, Callable[[Any], tuple[bool, Any]]]:
        coerce = self._coercers[f.id]
        if f.type == "bool":
            return (_BOOL, None, None, coerce)
        if f.type == "number":
            lo, hi = f.range if f.range else (-1e15, 1e15)
            return (_NUMBER, max(lo, -1e15), min(hi, 1e15), coerce)
        if f.type in ("enum", "tier", "department", "role"):
            return (_CODE, self._accepted(f), None, coerce)
        if f.type == "text":
            return (_TEXT, MAX_TEXT, None, coerce)
        return (_OTHER, None, None, coerce)

    def _accepted(self, f: Field) -> dict[str, str]:
        """Code of each accepted spelling (code, label or name) of an enum-like field's values."""
        if f.type == "enum":
            codes = f.value_codes
            accepted = {lbl: c for c, lbl in f.values}
        else:
            table = {"tier": self._tiers, "department": self._departments, "role": self._roles}[f.type]
            codes = tuple(table)
            accepted = {getattr(x, "name", ""): k for k, x in table.items()}  # type: ignore[attr-defined]
        accepted.update((c, c) for c in codes)
        return accepted

    def _coercer(self, f: Field) -> Callable[[Any], tuple[bool, Any]]:
        """A function checking and converting one raw value of field `f`, as `_coerce` does."""
        t = f.type
        if t == "bool":
            bad_bool = (False, ("应为 true 或 false", "must be true or false"))
            return lambda raw: (True, raw) if raw is True or raw is False else bad_bool
        if t == "number":
            lo, hi = f.range if f.range else (None, None)

            def number(raw: Any) -> tuple[bool, Any]:
                kind = type(raw)
                if (kind is int or kind is float) and -1e15 <= raw <= 1e15 and (
                        lo is None or lo <= raw <= hi):  # type: ignore[operator]
                    return True, raw
                return self._coerce(f, raw)  # the exact error (or a subclass of int/float)
            return number
        if t == "set" and f.values:
            codes_set = frozenset(f.value_codes)
            labels = {lbl: c for c, lbl in f.values}

            def set_of(raw: Any) -> tuple[bool, Any]:
                if type(raw) is list and all(type(x) is str for x in raw):
                    out = []
                    for x in raw:
                        code = x if x in codes_set else labels.get(x)
                        if code is None:
                            return self._coerce(f, raw)  # the exact error
                        out.append(code)
                    return True, frozenset(out)
                return self._coerce(f, raw)
            return set_of
        if t not in ("enum", "tier", "department", "role"):
            return lambda raw: self._coerce(f, raw)
        accepted = self._accepted(f)
        codes = f.value_codes if t == "enum" else tuple(
            {"tier": self._tiers, "department": self._departments, "role": self._roles}[t])
        shown = ", ".join(codes[:12])

        def coerce(raw: Any) -> tuple[bool, Any]:
            if isinstance(raw, str):
                code = accepted.get(raw)
                if code is not None:
                    return True, code
            return False, (f"“{_short(raw)}”不是允许的取值（{shown}）", f"'{_short(raw)}' is not one of: {shown}")
        return coerce

    def _coerce(self, f: Field, raw: Any) -> tuple[bool, Any]:
        t = f.type
        if t in ("enum", "tier", "department", "role"):
            table = {"enum": None, "tier": self._tiers, "department": self._departments, "role": self._roles}[t]
            codes = f.value_codes if t == "enum" else tuple(table)  # type: ignore[arg-type]
            if isinstance(raw, str):
                if raw in codes:
                    return True, raw
                by_label = dict((lbl, c) for c, lbl in f.values) if t == "enum" else {
                    getattr(x, "name", ""): k for k, x in table.items()}  # type: ignore[union-attr]
                if raw in by_label:
                    return True, by_label[raw]
            shown = ", ".join(codes[:12])
            return False, (f"“{_short(raw)}”不是允许的取值（{shown}）", f"'{_short(raw)}' is not one of: {shown}")
        if t == "set":
            if not isinstance(raw, (list, tuple)) or not all(isinstance(x, str) for x in raw):
                return False, ("应为文字列表", "must be a list of strings")
            if f.values:
                labels = {lbl: c for c, lbl in f.values}
                out = []
                for x in raw:
                    code = x if x in f.value_codes else labels.get(x)
                    if code is None:
                        return False, (f"“{_short(x)}”不是允许的取值", f"'{_short(x)}' is not an allowed value")
                    out.append(code)
                return True, frozenset(out)
            return True, frozenset(raw)
        if t == "number":
            if isinstance(raw, bool) or not isinstance(raw, (int, float)) or raw != raw or raw in (
                    float("inf"), float("-inf")) or abs(raw) > 1e15:
                return False, ("应为有限的数字", "must be a finite number")
            if f.range and not f.range[0] <= raw <= f.range[1]:
                return False, (f"超出范围 {f.range[0]} .. {f.range[1]}",
                               f"outside the range {f.range[0]} .. {f.range[1]}")
            return True, raw
        if t == "text":
            if not isinstance(raw, str) or len(raw) > MAX_TEXT:
                return False, (f"应为不超过 {MAX_TEXT} 字的文字", f"must be text of at most {MAX_TEXT} characters")
            return True, raw
        if t == "bool":
            if not isinstance(raw, bool):
                return False, ("应为 true 或 false", "must be true or false")
            return True, raw
        if t == "date":
            try:
                day = dt.date.fromisoformat(raw)  # type: ignore[arg-type]
                if not MIN_YEAR <= day.year <= MAX_YEAR:  # far dates overflow deadline arithmetic
                    raise ValueError(day)
                return True, day
            except (TypeError, ValueError):
                return False, ("应为日期，如 2026-03-02", "must be a date like 2026-03-02")
        if t == "datetime":
            value = _parse_datetime(raw)
            if value is None:
                return False, ("应为带时区的时间", "must be an ISO 8601 time with an offset")
            return True, value
        return False, ("无法识别的字段类型", f"unsupported field type {t}")

    # ---- decisions ----------------------------------------------------------------------

    def route(self, item: Item | Mapping[str, Any], at: dt.datetime | None = None) -> Decision:
        """Decide one item as of `at` (default: its `reported_at`)."""
        fields = self._decide(item, at)
        fields["handlers"] = _make(Handlers, fields["handlers"])
        steps = fields["escalation"]
        if steps:
            fields["escalation"] = [_make(EscalationStep, step) for step in steps]
        return _make(Decision, fields)

    def route_json(self, item: Item | Mapping[str, Any], at: dt.datetime | None = None) -> bytes:
        """`route(item, at)` as UTF-8 JSON: the bytes of `route(item, at).model_dump_json()`,
        written without building the `Decision` (for hosts that pass decisions on as JSON)."""
        return self._encoder.encode_fields(self._decide(item, at))

    def _decide(self, item: Item | Mapping[str, Any], at: dt.datetime | None) -> dict[str, Any]:
        """The fields of the item's `Decision`; its handlers and escalation steps as dicts of
        their fields. Raises `ItemError` for a bad item."""
        values = self._plain_values(item) if at is None and type(item) is dict else None
        if values is None:
            values = self._item_values(item, at)
        reported = values["reported_at"]
        when = at or reported
        query = values["matter"]
        if query is None:
            matter_ref, matter_reason, matter, state = self._no_matter
        else:
            matter_ref, matter_reason, matter, state = self._matter_of(query, when.astimezone(self._tz).date())
        values["matter"] = state
        reasons: list[Reason] = [matter_reason] if matter_reason is not None else []
        if values["kind"] == "task" and self._refusal(matter, state.status, values, reasons):
            dept = self._dept_refs[matter.owner] if matter and matter.owner else None
            return {
                "item_id": values["id"], "kind": "task", "outcome": "refuse", "matter": matter_ref,
                "tier": None, "handlers": {"roles": [], "department": dept},
                "deadline": None, "time_limit": None, "escalation": [], "dispatch": "", "reasons": reasons,
                "policy": self._policy_ref, "evaluated_at": when}
        i, matched = self._first(values)
        decided, reason, roles, fixed, limit, time_limit, dispatch, escalates = self._by_route[i]
        if fixed is None:
            tier_id, dept_id = self._destination(i, values)
            tier_ref, dept_ref = self._tier_refs[tier_id], self._dept_refs[dept_id] if dept_id else None
        else:
            tier_id, tier_ref, dept_ref = fixed
        if matched is None:
            reasons.append(reason)
            role_list = list(roles) if roles is not None else self._role_refs_of(self._roles_of(decided, matter))
        else:
            names: list[str] = []
            for k in (*matched, i):
                reasons.append(self._route_reasons[k])
                names += self._roles_of(self._routes[k][0], matter)
            role_list = self._role_refs_of(names)
        deadline = None
        steps: list[dict[str, Any]] = []
        if limit is not None or escalates:
            local = reported.astimezone(self._tz)
            if limit is not None:
                deadline, estimated = self._add(local, limit)
                if estimated:
                    reasons.append(self._calendar_reason(deadline.year))
            if escalates:
                steps = self._escalation(decided, tier_id, deadline or local, reasons)
        return {
            "item_id": values["id"], "kind": values["kind"], "outcome": "handle", "matter": matter_ref,
            "tier": tier_ref, "handlers": {"roles": role_list, "department": dept_ref}, "deadline": deadline,
            "time_limit": time_limit, "escalation": steps, "dispatch": dispatch, "reasons": reasons,
            "policy": self._policy_ref, "evaluated_at": when}

    def _role_refs_of(self, roles: list[str]) -> list[Named]:
        """The handlers' role references, each once, in order."""
        role_refs = self._role_refs
        return [role_refs[r] for r in dict.fromkeys(roles)] if roles else []

    def _matter_of(self, query: Any, day: dt.date
                   ) -> tuple[MatterRef, Reason | None, Matter | None, MatterState]:
        """The item's matter on `day`: its `MatterRef`, the matter reason (None for no query),
        the listed matter (None if unlisted) and its state for the compiled conditions."""
        matter = self._matters.get(query) if query else None
        if matter is not None:
            state, ref, reason = self._matter_parts(matter, day)
            key: tuple[Any, ...] = (query, matter.code, state.status)
            hit = self._query_cache.get(key)
            if hit is None:
                hit = self._remember(key, _make(MatterRef, {"query": query, **ref}), reason)
            return hit[0], reason, matter, state
        key = (query,)
        hit = self._query_cache.get(key)
        if hit is None:
            ref = _make(MatterRef, {"query": query, "code": None, "name": None, "list": None, "batch": None,
                                    "status": "unlisted"})
            hit = self._remember(key, ref, _make(Reason, {
                "kind": "matter", "id": str(query), "text_zh": f"“{query}”不在任何事项清单中",
                "text_en": f"'{query}' is on no matter list", "source": ""}) if query else None)
        return hit[0], hit[1], None, self._unlisted

    def _remember(self, key: tuple[Any, ...], ref: MatterRef, reason: Reason | None
                  ) -> tuple[MatterRef, Reason | None]:
        cache = self._query_cache
        if len(cache) >= 100_000:  # queries come from items: bound the memory they take
            cache.clear()
        hit = cache[key] = (ref, reason)
        return hit

    def _destination(self, index: int, values: dict[str, Any]) -> tuple[str, str | None]:
        """Where route `index` sends an item: its tier (the route's own, else its department's,
        else the lowest tier) and its department."""
        _, _, tier_fn, dept_fn = self._routes[index]
        dept_id = dept_fn(values) if dept_fn else None
        tier_id = tier_fn(values) if tier_fn else None
        if tier_id is None and dept_id is not None:
            tier_id = self._departments[dept_id].tier
        if tier_id is None:
            tier_id = self.model.tiers[0].id
        return tier_id, dept_id

    def match(self, item: Item | Mapping[str, Any], at: dt.datetime | None = None) -> tuple[str, str] | None:
        """Only the routing step of `route`: (deciding route id, tier code), or None when a
        task is refused. Validates the item like `route`; builds no `Decision`."""
        values = self._plain_values(item) if at is None and type(item) is dict else None
        if values is None:
            values = self._item_values(item, at)
        query = values["matter"]
        matter = self._matters.get(query) if query else None
        if matter is None:
            state = self._unlisted
        else:
            state = self._matter_parts(matter, (at or values["reported_at"]).astimezone(self._tz).date())[0]
        values["matter"] = state
        if values["kind"] == "task" and self._refusal(matter, state.status, values, []):
            return None
        i = self._first(values)[0]
        return self._answers[i] or (self._route_ids[i], self._destination(i, values)[0])

    def route_many(self, items: Iterable[Item | Mapping[str, Any]], at: dt.datetime | None = None
                   ) -> Iterator[Decision | ItemError]:
        """Decide items lazily, in order, holding one at a time (constant memory); a bad item
        yields its `ItemError` in its place."""
        route = self.route
        for item in items:
            try:
                yield route(item, at)
            except ItemError as exc:
                yield exc

    def _matter_parts(self, matter: Matter, day: dt.date
                      ) -> tuple[MatterState, dict[str, Any], Reason]:
        """The matter's state on `day`, its reference (without the query) and its reason."""
        status = self.matter_status(matter, day)
        key = (matter.code, status)
        parts = self._matter_cache.get(key)
        if parts is None:
            state = MatterState(matter.code, matter.list, matter.batch, status, matter.owner)
            ref = {"code": matter.code, "name": matter.name, "list": matter.list, "batch": matter.batch,
                   "status": status}
            parts = self._matter_cache[key] = (state, ref, self._matter_reason(matter, status))
        return parts

    def _add(self, start: dt.datetime, limit: Duration) -> tuple[dt.datetime, bool]:
        """`WorkCalendar.add`, with the working-day arithmetic cached per (date, amount)."""
        if limit.unit != "workdays":
            return self._calendar.add(start, limit)
        day = start.date()
        key = (day, limit.amount)
        hit = self._due_cache.get(key)
        if hit is None:
            if len(self._due_cache) >= 100_000:
                self._due_cache.clear()
            due, estimated = self._calendar.add(start, limit)
            hit = self._due_cache[key] = (due.date() - day, estimated)  # whole days
            return due, estimated
        days, estimated = hit
        if start.fold:  # `+` would drop the fold of an ambiguous local time; `replace` keeps it
            due_day = day + days
            return start.replace(year=due_day.year, month=due_day.month, day=due_day.day), estimated
        return start + days, estimated  # the same time of day, `days` later (as `replace` gives)

    def _refusal(self, matter: Matter | None, status: str, values: dict[str, Any],
                 reasons: list[Reason]) -> bool:
        refused = False
        if matter is None or not self._lists[matter.list].admission:
            refused = True
            reasons.append(self._list_reasons[matter.list] if matter is not None else self._unlisted_reason)
        elif status != "in_force":
            refused = True
        # The criteria apply to the task as given and, for a matter that declares traits, to the
        # matter itself (a banned matter is refused naming the criterion that bans it).
        profile = self._trait_values.get(matter.code) if matter is not None else None
        for k, (_, fn) in enumerate(self._criteria):
            if fn(values) or (profile is not None and fn(profile)):
                refused = True
                reasons.append(self._criterion_reasons[k])
        return refused

    def _escalation(self, route: Route, tier_id: str, start: dt.datetime,
                    reasons: list[Reason]) -> list[dict[str, Any]]:
        """The fields of each escalation step."""
        plan = self._plans.get((route.id, tier_id))
        if plan is None:
            plan = self._plans[(route.id, tier_id)] = self._plan(route, tier_id)
        steps = []
        for after, limit, tier_ref, dept_ref, label in plan:
            due, estimated = self._add(start, after)
            if estimated:
                reasons.append(self._calendar_reason(due.year))
            steps.append({"after": limit, "due": due, "tier": tier_ref, "department": dept_ref, "label": label})
        return steps

    def _plan(self, route: Route, tier_id: str
              ) -> tuple[tuple[Duration, TimeLimit, TierRef, Named | None, str], ...]:
        """The escalation steps of `route` decided at tier `tier_id`, but for their due times."""
        plan = []
        current = tier_id
        for step in route.escalation:
            dept_ref = None
            if step.department:
                dept_ref = self._dept_refs[step.department]
                current = self._departments[step.department].tier
            elif step.tier == "above":
                idx = min(self._tier_index[current] + 1, len(self.model.tiers) - 1)
                current = self.model.tiers[idx].id
            elif step.tier:
                current = step.tier
            plan.append((step.after, self._limit(step.after), self._tier_refs[current], dept_ref, step.label))
        return tuple(plan)

    def _limit(self, d: Duration) -> TimeLimit:
        """The (shared, frozen) `TimeLimit` of a duration."""
        limit = self._limits.get(d)
        if limit is None:
            limit = self._limits[d] = _limit(d)
        return limit

    def _calendar_reason(self, year: int) -> Reason:
        reason = self._calendar_reasons.get(year)
        if reason is None:
            reason = self._calendar_reasons[year] = _calendar_reason(year)
        return reason

    def _roles_of(self, route: Route, matter: Matter | None) -> list[str]:
        out: list[str] = []
        for h in route.handlers:
            if h == "matter":
                out += matter.handlers if matter else []
            else:
                out.append(h)
        return out

    def _matter_reason(self, m: Matter, status: str) -> Reason:
        lst = self._lists[m.list]
        batch = next((b.name for b in lst.batches if b.id == m.batch), "")
        where = f"《{lst.name}》" + (f"{batch}" if batch else "")
        if status == "exited":
            ex = self._exits[m.code]
            return Reason(kind="exit", id=ex.id,
                          text_zh=f"事项 {m.code}「{m.name}」已于 {ex.date} 退出{where}（批准：{ex.approved_by}；"
                                  f"文号：{ex.ref}；理由：{ex.reason}）",
                          text_en=f"matter {m.code} exited list '{lst.id}' on {ex.date} "
                                  f"(approved by {ex.approved_by}, ref {ex.ref})",
                          source=str(ex.span))
        text = {
            "in_force": (f"事项 {m.code}「{m.name}」列入{where}，{m.effective or '—'} 起施行"
                         + (f"，临时准入至 {m.expires}（不含）" if m.expires else ""),
                         f"matter {m.code} is in force on list '{lst.id}' since {m.effective}"),
            "not_yet_in_force": (f"事项 {m.code}「{m.name}」列入{where}，但 {m.effective} 才施行",
                                 f"matter {m.code} on list '{lst.id}' is not in force until {m.effective}"),
            "expired": (f"事项 {m.code}「{m.name}」为临时准入，已于 {m.expires} 到期",
                        f"matter {m.code} was admitted temporarily and expired on {m.expires}"),
        }[status]
        return Reason(kind="matter", id=m.code, text_zh=text[0], text_en=text[1], source=str(m.span))

    @staticmethod
    def _route_reason_dict(r: Route) -> dict[str, Any]:
        cond = r.text or "（兜底规则，适用于其余所有事项）"
        cond_en = r.text or "(catch-all)"
        prefix = "同时适用" if r.cont else "分流规则"
        return {"kind": "route", "id": r.id, "text_zh": f"{prefix}「{r.name}」：{cond}",
                "text_en": f"route '{r.id}' matched: {cond_en}", "source": str(r.span)}

    # ---- admission of new matters, formulas ----------------------------------------------

    def admit(self, proposal: Mapping[str, Any]) -> AdmitResult:
        """Whether a proposed new matter passes the exclusion criteria. `proposal` holds the
        matter's `name` (and optional `code`) and values for the schema's fields."""
        errors: list[ItemErrorDetail] = []
        values = self._defaults()
        for key, raw in proposal.items():
            if key in ("code", "name", "note"):
                continue
            f = self._fields.get(key)
            if f is None:
                errors.append(ItemErrorDetail(path=str(key), message_zh=f"未知字段“{_short(key)}”",
                                              message_en=f"unknown field '{_short(key)}'"))
                continue
            ok, value = self._coerce(f, raw)
            if ok:
                values[key] = value
            else:
                errors.append(ItemErrorDetail(path=str(key), message_zh=value[0], message_en=value[1]))
        if errors:
            raise ItemError(errors)
        values["kind"] = "task"
        caught = [Reason(kind="criterion", id=c.id, text_zh=f"排除标准「{c.name}」：{c.text}",
                         text_en=f"exclusion criterion '{c.id}': {c.text}", source=str(c.span))
                  for c, fn in self._criteria if fn(values)]
        similar = []
        for key in (proposal.get("name"), proposal.get("code")):
            m = self._matters.get(key) if isinstance(key, str) else None
            if m is not None and all(s.code != m.code for s in similar):
                similar.append(Named(code=m.code, name=m.name))
        return AdmitResult(admitted=not caught, criteria=caught, similar=similar)

    def evaluate(self, formula: str, data: Mapping[str, Any]) -> Evaluation:
        """Compute a formula over `data` (its inputs) and look up its grade."""
        entry = self._formulas.get(formula)
        if entry is None:
            guess = did_you_mean(formula, self._formulas)
            raise ItemError([ItemErrorDetail(path="formula", message_zh=f"未知公式“{formula}”"
                                             + (f"，是否想写“{guess}”？" if guess else ""),
                                             message_en=f"unknown formula '{formula}'"
                                             + (f"; did you mean '{guess}'?" if guess else ""))])
        f, fn = entry
        values = self._formula_inputs(f, data)
        try:
            value = fn(values)
            value = None if value is None else float(value)
        except OverflowError:  # e.g. a product of huge record values
            raise ItemError([ItemErrorDetail(path="", message_zh="计算结果超出数值范围",
                                             message_en="the result is out of range")]) from None
        if value is None:
            raise ItemError([ItemErrorDetail(path="", message_zh="数据不足，无法计算（如记录集为空）",
                                             message_en="not enough data to compute (e.g. no records)")])
        if f.round is not None:
            from .compiler import _round_half_up
            value = _round_half_up(value, f.round)
        band = None
        if f.grade:
            b = self._grades[f.grade].band_for(value)
            band = Named(code=b.id, name=b.label) if b else None
        return Evaluation(formula=Named(code=f.id, name=f.name), value=float(value), grade=band,
                          grade_table=f.grade, inputs={k: _jsonable(v) for k, v in values.items()})

    def _formula_inputs(self, f: Formula, data: Mapping[str, Any]) -> dict[str, Any]:
        errors: list[ItemErrorDetail] = []
        values: dict[str, Any] = {}
        known = {i.id for i in f.inputs}
        for key in data:
            if key not in known:
                errors.append(ItemErrorDetail(path=str(key), message_zh=f"公式 {f.id} 没有输入“{key}”",
                                              message_en=f"formula {f.id} has no input '{key}'"))
        for inp in f.inputs:
            raw = data.get(inp.id)
            if raw is None:
                errors.append(ItemErrorDetail(path=inp.id, message_zh=f"缺少输入“{inp.id}”（{inp.name}）",
                                              message_en=f"input '{inp.id}' is missing"))
            elif inp.type == "records":
                if not isinstance(raw, list) or not all(isinstance(r, Mapping) for r in raw):
                    errors.append(ItemErrorDetail(path=inp.id, message_zh="应为记录（对象）列表",
                                                  message_en="must be a list of records (objects)"))
                else:
                    for n, r in enumerate(raw):
                        extra = set(r) - set(inp.fields)
                        if extra:
                            errors.append(ItemErrorDetail(path=f"{inp.id}[{n}].{sorted(map(str, extra))[0]}",
                                                          message_zh="记录中有未声明的字段",
                                                          message_en="field not declared for these records"))
                    values[inp.id] = raw
            elif isinstance(raw, bool) or not isinstance(raw, (int, float)) or raw != raw:
                errors.append(ItemErrorDetail(path=inp.id, message_zh="应为数字", message_en="must be a number"))
            elif inp.range and not inp.range[0] <= raw <= inp.range[1]:
                errors.append(ItemErrorDetail(path=inp.id, message_zh=f"超出范围 {inp.range[0]} .. {inp.range[1]}",
                                              message_en=f"outside the range {inp.range[0]} .. {inp.range[1]}"))
            else:
                values[inp.id] = raw
        if errors:
            raise ItemError(errors)
        return values


_new = object.__new__
_fromisoformat = dt.datetime.fromisoformat
# The slot descriptors of pydantic's BaseModel: setting through them skips object.__setattr__'s
# attribute lookup.
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__pydantic_fields_set__.__set__  # type: ignore[attr-defined]
_set_extra = BaseModel.__pydantic_extra__.__set__  # type: ignore[attr-defined]
_set_private = BaseModel.__pydantic_private__.__set__  # type: ignore[attr-defined]


def _make(cls: type[M], fields: dict[str, Any]) -> M:
    """`cls.model_construct(**fields)` without its per-call overhead: for values the runtime
    built itself (already valid). `fields` must name every field of `cls` and becomes the
    instance's own `__dict__`."""
    m = _new(cls)
    _set_dict(m, fields)
    _set_fields_set(m, set(fields))
    _set_extra(m, None)
    _set_private(m, None)
    return m


def _short(x: Any) -> str:
    # Containers and huge ints are named, not printed: str() of a deeply nested value recurses
    # and str() of an int over 4,300 digits raises.
    big = isinstance(x, int) and x.bit_length() > 128
    s = f"<{type(x).__name__}>" if big or isinstance(x, (list, tuple, dict, set, frozenset)) else str(x)
    return s if len(s) <= 40 else s[:40] + "…"


def _jsonable(v: Any) -> Any:
    return sorted(v) if isinstance(v, frozenset) else v


def _parse_datetime(raw: Any) -> dt.datetime | None:
    if type(raw) is str and len(raw) <= 40:
        try:
            value = _fromisoformat(raw)  # Python 3.11+ reads "Z" and the other ISO 8601 forms
        except ValueError:
            return None
        return value if value.tzinfo is not None and MIN_YEAR <= value.year <= MAX_YEAR else None
    if isinstance(raw, dt.datetime):
        value = raw
    elif not isinstance(raw, str) or len(raw) > 40:
        return None
    else:
        try:
            value = _fromisoformat(raw)
        except ValueError:
            return None
    # Naive times are refused; far years would overflow deadline arithmetic.
    return value if value.tzinfo is not None and MIN_YEAR <= value.year <= MAX_YEAR else None


def _limit(d: Duration) -> TimeLimit:
    return TimeLimit(amount=d.amount, unit=d.unit, text_zh=d.text_zh)  # type: ignore[arg-type]


def _calendar_reason(year: int) -> Reason:
    return Reason(kind="calendar", id=f"calendar-{year}",
                  text_zh=f"{year} 年节假日安排尚未收录，按周末推算工作日，请在 calendar 中补充",
                  text_en=f"no holiday data for {year}: working days estimated from weekends", source="")


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

