"""Item validation: an item (dict or `Item`) -> the field values routing reads, or an
`ItemError` naming each bad field in Chinese and English.

Two paths give the same answer: `plain_values`, generated for the schema (engine.codegen), takes
a plainly valid dict item; everything else, and every error, goes through `checked_values`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from ..clock import parse_timestamp
from ..contract import Item, ItemError, ItemErrorDetail
from ..diagnostics import did_you_mean
from ..engine.codegen import MAX_GRIDS, ValidatorSpec, build_validator, grids_ok, lone_surrogate
from ..model import ENVELOPE, Field, PolicyModel
from ..syntax.limits import MAX_YEAR, MIN_YEAR
from .reasons import make

MAX_ITEM_FIELDS = 200
MAX_TEXT = 10_000
_UNKNOWN: Any = object()  # not a key of the item's schema
_BOOL, _NUMBER, _CODE, _TEXT, _OTHER = range(5)


def printable(text: str) -> str:
    """`text` with any lone surrogate written as its escape (`\\ud800`): always encodable."""
    if type(text) is str and text.isascii():
        return text
    return text.encode("utf-8", "backslashreplace").decode() if lone_surrogate(text) else text


def surrogate_errors(data: Mapping[Any, Any]) -> list[ItemErrorDetail]:
    """Each key or string value (lists of strings too) holding a lone surrogate (JSON's
    `"\\ud800"`): not Unicode text, so it could be neither answered nor logged."""
    bad: list[ItemErrorDetail] = []
    for k, v in data.items():
        if (type(k) is str and k.isascii()) and (type(v) is not str and type(v) is not list or
                                                 type(v) is str and v.isascii()):
            continue  # the common case, without a call
        if lone_surrogate(k):
            bad.append(ItemErrorDetail(path=printable(k), message_zh="字段名含有不成对的代理字符，不是合法的 Unicode 文本",
                                       message_en="the field name holds a lone surrogate: not valid Unicode text"))
        elif lone_surrogate(v):
            bad.append(ItemErrorDetail(path=printable(str(k)),
                                       message_zh="含有不成对的代理字符（如 \\ud800），不是合法的 Unicode 文本",
                                       message_en="holds a lone surrogate (such as \\ud800): not valid Unicode text"))
    return bad


class ItemValidator:
    """Checks items against the envelope and a policy's schema."""

    def __init__(self, model: PolicyModel):
        self.fields = {f.id: f for f in model.fields}
        self.default_values = {f.id: f.default for f in model.fields}
        self._tz = ZoneInfo(model.header.timezone)
        self._tiers = {t.id: t for t in model.tiers}
        self._departments = {d.id: d for d in model.departments}
        self._roles = {r.id: r for r in model.roles}
        # The declarations a tier, department or role field names, by field type.
        self._named: dict[str, dict[str, Any]] = {"tier": self._tiers, "department": self._departments,
                                                  "role": self._roles}
        self._coercers = {f.id: self._coercer(f) for f in model.fields}
        known = [*self.fields, *ENVELOPE]
        # "did you mean" for an unknown key, kept for the keys seen most (hosts repeat their mistakes)
        self._guess: Callable[[str], str | None] = lru_cache(maxsize=1024)(lambda key: did_you_mean(key, known))
        # Every key an item may have: None for the envelope's, else (kind, a, b, coercer) with
        # what `checked_values` needs to accept a common valid value without calling the coercer.
        self._key_specs: dict[str, tuple[int, Any, Any, Callable[[Any], tuple[bool, Any]]] | None] = {
            **{f.id: self._spec(f) for f in model.fields}, **dict.fromkeys(ENVELOPE)}
        specs = {f.id: (f.default, self._key_specs[f.id]) for f in model.fields}
        self._required = tuple((f.id, f"缺少必填字段“{f.id}”（{f.name}）", f"required field '{f.id}' is missing")
                               for f in model.fields if f.required)
        self.validator_spec = ValidatorSpec(
            defaults={**self.default_values, **dict.fromkeys(ENVELOPE)}, max_fields=MAX_ITEM_FIELDS,
            bools=tuple((k, d) for k, (d, s) in specs.items() if s and s[0] == _BOOL),
            codes=tuple((k, d, s[1]) for k, (d, s) in specs.items() if s and s[0] == _CODE),
            numbers=tuple((k, d, s[1], s[2]) for k, (d, s) in specs.items() if s and s[0] == _NUMBER),
            texts=tuple((k, d, s[1]) for k, (d, s) in specs.items() if s and s[0] == _TEXT),
            others=tuple((k, d, s[3]) for k, (d, s) in specs.items() if s and s[0] == _OTHER),
            required=tuple(fid for fid, _, _ in self._required), min_year=MIN_YEAR, max_year=MAX_YEAR)
        # The fast path: the values of a plainly valid dict item, or None (then `checked_values`
        # decides, and names a field holding a lone surrogate); one function generated for this
        # schema (see engine.codegen).
        self.plain_values = build_validator(self.validator_spec, model.digest[:12])

    def defaults(self) -> dict[str, Any]:
        return dict(self.default_values)

    def validate(self, item: Item | Mapping[str, Any]) -> tuple[dict[str, Any], dt.datetime]:
        """Check an item against the envelope and the schema. Returns the field values
        (defaults filled in) and the report time. Raises `ItemError` naming each bad field."""
        values = self.values(item)
        del values["matter"]
        return values, values["reported_at"]

    def values(self, item: Item | Mapping[str, Any], at: dt.datetime | None = None, *,
               plain_tried: bool = False) -> dict[str, Any]:
        """`validate`'s values, with the item's matter query under "matter" (None if none);
        also checks the decision time `at`, if given. `plain_tried`: the caller has had None
        from `plain_values(item)` already."""
        values = self.plain_values(item) if type(item) is dict and not plain_tried else None
        if values is None:
            values = self.checked_values(item)
        if at is not None:
            when = parse_timestamp(at)
            if when is None:
                raise ItemError([_at_error(at)])
            # One time model: an item without `reported_at` decided as of `at` was reported at
            # `at` (not at the clock's now), so a replay decides it the same way.
            data = item if type(item) is dict else (item if isinstance(item, Mapping) else None)
            reported = data.get("reported_at") if data is not None else getattr(item, "reported_at", None)
            if reported is None:
                values["reported_at"] = when
        return values

    def checked_values(self, item: Item | Mapping[str, Any]) -> dict[str, Any]:
        # `type(...) is dict` first: isinstance against a pydantic model class is slow.
        data: Mapping[str, Any] = item if type(item) is dict else (
            item.model_dump(exclude_none=True) if isinstance(item, Item) else item)
        errors: list[tuple[str, str, str]] = []  # (path, zh, en): ItemErrorDetail made only if raised
        err = _Appender(errors)

        if type(data) is not dict and not isinstance(data, Mapping):
            raise ItemError([ItemErrorDetail(path="", message_zh="事项应为 JSON 对象",
                                             message_en="an item must be a JSON object")])
        if len(data) > MAX_ITEM_FIELDS:
            raise ItemError([ItemErrorDetail(path="", message_zh=f"字段过多（上限 {MAX_ITEM_FIELDS}）",
                                             message_en=f"too many fields (limit {MAX_ITEM_FIELDS})")])
        lone = surrogate_errors(data)
        errors.extend((e.path, e.message_zh, e.message_en) for e in lone)
        values = dict(self.default_values)
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
        grids = data.get("grids")
        if grids is not None:
            if isinstance(grids, tuple):
                grids = list(grids)
            if not grids_ok(grids):
                err("grids", f"grids 应为网格编码的列表（至多 {MAX_GRIDS} 个）",
                    f"grids must be a list of grid codes (at most {MAX_GRIDS})")
        reported = data.get("reported_at")
        when: dt.datetime | None = None
        if reported is None:
            when = dt.datetime.now(self._tz).replace(microsecond=0)
        else:
            when = parse_timestamp(reported)
            if when is None:
                err("reported_at", "reported_at 应为带时区的 ISO 8601 时间，如 2026-03-02T09:30:00+08:00",
                    "reported_at must be ISO 8601 with an offset, e.g. 2026-03-02T09:30:00+08:00")
        specs = self._key_specs
        for key, raw in data.items():
            spec = specs.get(key, _UNKNOWN)
            if spec is None:  # an envelope key
                continue
            if spec is _UNKNOWN:
                guess = self._guess(str(key))
                err(printable(str(key)), f"未知字段“{printable(short(key))}”" + (f"，是否想写“{guess}”？" if guess else ""),
                    f"unknown field '{printable(short(key))}'" + (f"; did you mean '{guess}'?" if guess else ""))
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
        if errors:  # a message may quote a value: never with a lone surrogate in it
            if lone or lone_surrogate("".join(part for e in errors for part in e)):  # one search for all
                errors = [(printable(path), printable(zh), printable(en)) for path, zh, en in errors]
            raise ItemError([make(ItemErrorDetail, {"path": path, "message_zh": zh, "message_en": en})
                             for path, zh, en in errors])
        values["id"] = item_id
        values["kind"] = kind
        values["matter"] = matter
        values["grid"] = grid
        values["grids"] = grids
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
            table = self._named[f.type]
            codes = tuple(table)
            accepted = {getattr(x, "name", ""): k for k, x in table.items()}
            if f.type == "department":  # short names too (a department's names are unique)
                accepted.update((x.short, k) for k, x in table.items() if x.short)
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
                        lo is None or lo <= raw <= hi):
                    return True, raw
                return self.coerce(f, raw)  # the exact error (or a subclass of int/float)
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
                            return self.coerce(f, raw)  # the exact error
                        out.append(code)
                    return True, frozenset(out)
                return self.coerce(f, raw)
            return set_of
        if t not in ("enum", "tier", "department", "role"):
            return lambda raw: self.coerce(f, raw)
        accepted = self._accepted(f)
        codes = f.value_codes if t == "enum" else tuple(self._named[t])
        shown = ", ".join(codes[:12])

        def coerce(raw: Any) -> tuple[bool, Any]:
            if isinstance(raw, str):
                code = accepted.get(raw)
                if code is not None:
                    return True, code
            return False, (f"“{short(raw)}”不是允许的取值（{shown}）", f"'{short(raw)}' is not one of: {shown}")
        return coerce

    def coerce(self, f: Field, raw: Any) -> tuple[bool, Any]:
        t = f.type
        if t in ("enum", "tier", "department", "role"):
            table = self._named.get(t, {})
            codes = f.value_codes if t == "enum" else tuple(table)
            if isinstance(raw, str):
                if raw in codes:
                    return True, raw
                by_label = dict((lbl, c) for c, lbl in f.values) if t == "enum" else self._accepted(f)
                if raw in by_label:
                    return True, by_label[raw]
            shown = ", ".join(codes[:12])
            return False, (f"“{short(raw)}”不是允许的取值（{shown}）", f"'{short(raw)}' is not one of: {shown}")
        if t == "set":
            if not isinstance(raw, (list, tuple)) or not all(isinstance(x, str) for x in raw):
                return False, ("应为文字列表", "must be a list of strings")
            if f.values:
                labels = {lbl: c for c, lbl in f.values}
                out = []
                for x in raw:
                    code = x if x in f.value_codes else labels.get(x)
                    if code is None:
                        return False, (f"“{short(x)}”不是允许的取值", f"'{short(x)}' is not an allowed value")
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
                day = dt.date.fromisoformat(raw)
                if not MIN_YEAR <= day.year <= MAX_YEAR:  # far dates overflow deadline arithmetic
                    raise ValueError(day)
                return True, day
            except (TypeError, ValueError):
                return False, ("应为日期，如 2026-03-02", "must be a date like 2026-03-02")
        if t == "datetime":
            value = parse_timestamp(raw)
            if value is None:
                return False, ("应为带时区的时间", "must be an ISO 8601 time with an offset")
            return True, value
        return False, ("无法识别的字段类型", f"unsupported field type {t}")


def _at_error(at: Any) -> ItemErrorDetail:
    """Why the decision time `at` cannot be used."""
    if not isinstance(at, dt.datetime):
        return ItemErrorDetail(path="at", message_zh="at 应为带时区的时间", message_en="at must be a datetime with an offset")
    if at.tzinfo is None:
        return ItemErrorDetail(path="at", message_zh="at 必须带时区", message_en="at must carry a time zone offset")
    return ItemErrorDetail(path="at", message_zh=f"at 的年份应在 {MIN_YEAR}–{MAX_YEAR} 之间",
                           message_en=f"at must be within the years {MIN_YEAR}-{MAX_YEAR}")


def short(x: Any) -> str:
    """`x` for a message: at most 40 characters; containers and huge ints named, not printed
    (str() of a deeply nested value recurses, of an int over 4,300 digits raises)."""
    big = isinstance(x, int) and x.bit_length() > 128
    s = f"<{type(x).__name__}>" if big or isinstance(x, (list, tuple, dict, set, frozenset)) else str(x)
    return s if len(s) <= 40 else s[:40] + "…"


class _Appender:
    """`err(path, zh, en)`: one more error of an item, as a tuple."""

    __slots__ = ("_append",)

    def __init__(self, errors: list[tuple[str, str, str]]):
        self._append = errors.append

    def __call__(self, path: str, zh: str, en: str) -> None:
        self._append((path, zh, en))
