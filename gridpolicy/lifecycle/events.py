"""A case as hosts send it -> typed events, or a `CaseError` naming every bad field.

    {"item": {...}, "events": [{"type": "returned", "at": "...", "by": "...", "reason": "..."}, ...]}

This checks each event on its own (type, time, fields, and that times never go back);
what depends on the case so far (an approval needs a request, nothing after closing) is
checked by the engine, which raises the same error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..clock import parse_timestamp
from ..contract import ItemError, ItemErrorDetail
from ..diagnostics import did_you_mean
from .model import EVENT_TYPES, FOLLOWUP_RESULTS

MAX_EVENTS = 1000
MAX_TEXT = 2000

# Fields of each event type beyond `type` and `at`: name -> required.
FIELDS: dict[str, dict[str, bool]] = {
    "returned": {"by": True, "reason": True},
    "arbitrated": {"to": True},
    "extension_requested": {"workdays": False, "until": False, "reason": True},
    "extension_approved": {"by": True},
    "extension_rejected": {"by": True},
    "completed": {"by": False},
    "followup": {"result": True, "reasonable": False},
    "reopened": {"reason": False},
    "merged": {"into": True},
    "held": {"reason": True},
    "resumed": {},
}
COMMON = ("type", "at", "id", "note")  # every event may carry an id and a note
_RESULT = {**{k: k for k in FOLLOWUP_RESULTS}, **{zh: en for en, zh in FOLLOWUP_RESULTS.items()}}
# Chinese names of event types, accepted as `type` (and shown in messages).
TYPE_ZH: dict[str, str] = {
    "returned": "退回", "arbitrated": "审定", "extension_requested": "申请延期", "extension_approved": "批准延期",
    "extension_rejected": "驳回延期", "completed": "办结", "followup": "回访", "reopened": "重办",
    "merged": "合并", "held": "挂账", "resumed": "恢复办理",
}
_TYPES = {**{t: t for t in EVENT_TYPES}, **{zh: en for en, zh in TYPE_ZH.items()}}


class CaseError(ItemError):
    """A case is invalid: each detail's path names the field (e.g. `events[3].by`)."""

    def __init__(self, errors: list[ItemErrorDetail]):
        super().__init__(errors)
        self.args = ("invalid case: " + "; ".join(f"{e.path}: {e.message_zh} / {e.message_en}" for e in errors),)

    def to_dict(self) -> dict[str, Any]:
        return {"error": "invalid_case", "details": [e.model_dump() for e in self.errors]}


def case_error(path: str, zh: str, en: str) -> CaseError:
    return CaseError([ItemErrorDetail(path=path, message_zh=zh, message_en=en)])


@dataclass(slots=True)
class Event:
    index: int
    type: str
    at: dt.datetime
    fields: Mapping[str, Any]  # the type's own fields, checked and normalised

    @property
    def path(self) -> str:
        return f"events[{self.index}]"

    def get(self, key: str) -> Any:
        return self.fields.get(key)


def _short(x: Any) -> str:
    s = f"<{type(x).__name__}>" if isinstance(x, (list, dict, tuple, set)) else str(x)
    return s if len(s) <= 40 else s[:40] + "…"


def split_case(case: Any) -> tuple[Mapping[str, Any], list[Event]]:
    """The case's item and its checked events. Raises `CaseError` with every problem found."""
    valid = _valid_case(case)
    if valid is not None:
        return valid
    return _check_case(case)


def _valid_case(case: Any) -> tuple[Mapping[str, Any], list[Event]] | None:
    """`split_case` of a valid case of plain dicts and lists, or None: then `_check_case`
    finds what is wrong (this stops at the first problem; that reports them all)."""
    if type(case) is not dict or not case.keys() <= _CASE_KEYS:
        return None
    item = case.get("item")
    if type(item) is not dict:
        return None
    previous = parse_timestamp(item.get("reported_at"))
    raw_events = case.get("events", [])
    if previous is None or type(raw_events) is not list or len(raw_events) > MAX_EVENTS:
        return None
    events: list[Event] = []
    for n, raw in enumerate(raw_events):
        if type(raw) is not dict:
            return None
        t = raw.get("type")
        spec = _SPECS.get(t) if type(t) is str else None
        if spec is None:
            return None
        kind, allowed, checks = spec
        at = parse_timestamp(raw.get("at"))
        if at is None or at < previous or not raw.keys() <= allowed:
            return None
        fields: dict[str, Any] = {}
        for key, required, check in checks:
            value = raw.get(key)
            if value is None:
                if required:
                    return None
                continue
            value = check(value)
            if value is _BAD:
                return None
            fields[key] = value
        if kind == "extension_requested":
            if ("workdays" in raw) == ("until" in raw):
                return None
        elif kind == "followup" and "reasonable" not in fields:
            fields["reasonable"] = True
        events.append(Event(n, kind, at, fields))
        previous = at
    return item, events


def _check_case(case: Any) -> tuple[Mapping[str, Any], list[Event]]:
    """`split_case`, reporting every problem of the case."""
    if not isinstance(case, Mapping):
        raise case_error("", "案件应为 JSON 对象：{\"item\": {...}, \"events\": [...]}",
                         "a case is a JSON object: {\"item\": {...}, \"events\": [...]}")
    errors: list[ItemErrorDetail] = []

    def err(path: str, zh: str, en: str) -> None:
        errors.append(ItemErrorDetail(path=path, message_zh=zh, message_en=en))

    for key in case:
        if key not in _CASE_KEYS:
            guess = did_you_mean(str(key), ("item", "events", "primary"))
            err(str(key), f"案件没有“{_short(key)}”字段" + (f"，是否想写“{guess}”？" if guess else ""),
                f"a case has no field '{_short(key)}'" + (f"; did you mean '{guess}'?" if guess else ""))
    item = case.get("item")
    if not isinstance(item, Mapping):
        err("item", "缺少事项 item（对象）", "the case needs its item (an object)")
        item = {}
    elif parse_timestamp(item.get("reported_at")) is None:
        err("item.reported_at", "案件的事项须有上报时间 reported_at（带时区的 ISO 8601 时间），时限由此起算",
            "a case's item needs reported_at (ISO 8601 with an offset): its clocks start there")
    raw_events = case.get("events", [])
    if not isinstance(raw_events, list):
        err("events", "events 应为事件列表", "events must be a list of events")
        raw_events = []
    elif len(raw_events) > MAX_EVENTS:
        err("events", f"事件过多（上限 {MAX_EVENTS} 个）", f"too many events (at most {MAX_EVENTS})")
        raw_events = []
    events: list[Event] = []
    previous = parse_timestamp(item.get("reported_at")) if isinstance(item, Mapping) and item else None
    prev_path = "item.reported_at"
    for n, raw in enumerate(raw_events):
        ev = _event(n, raw, err)
        if ev is None:
            continue
        if previous is not None and ev.at < previous:
            err(f"events[{n}].at", f"事件时间早于{'上一事件' if prev_path != 'item.reported_at' else '上报时间'}"
                f"（{prev_path} = {previous.isoformat()}）：事件须按时间顺序排列",
                f"out of order: before {prev_path} ({previous.isoformat()}); events must be in time order")
        else:
            previous, prev_path = ev.at, f"events[{n}].at"
        events.append(ev)
    if errors:
        raise CaseError(errors)
    return item, events


def _event(n: int, raw: Any, err: Any) -> Event | None:
    path = f"events[{n}]"
    if not isinstance(raw, Mapping):
        err(path, "事件应为 JSON 对象", "an event must be a JSON object")
        return None
    t = raw.get("type")
    kind = _TYPES.get(t) if isinstance(t, str) else None
    if kind is None:
        if t is None:
            err(f"{path}.type", "缺少事件类型 type", "the event has no type")
        else:
            guess = did_you_mean(str(t), _TYPES)
            err(f"{path}.type", f"未知的事件类型“{_short(t)}”" + (f"，是否想写“{guess}”？" if guess else "")
                + "；可用：" + "、".join(EVENT_TYPES),
                f"unknown event type '{_short(t)}'" + (f"; did you mean '{guess}'?" if guess else "")
                + "; known: " + ", ".join(EVENT_TYPES))
        return None
    ok = True
    at = parse_timestamp(raw.get("at"))
    if at is None:
        ok = False
        err(f"{path}.at", "缺少或无效的事件时间 at（带时区的 ISO 8601 时间，如 2026-03-02T09:00:00+08:00）",
            "missing or invalid 'at' (ISO 8601 with an offset, e.g. 2026-03-02T09:00:00+08:00)")
    spec = FIELDS[kind]
    for key in raw:
        if key not in spec and key not in COMMON:
            guess = did_you_mean(str(key), [*spec, *COMMON])
            ok = False
            err(f"{path}.{_short(key)}", f"“{TYPE_ZH[kind]}”（{kind}）事件没有“{_short(key)}”字段"
                + (f"，是否想写“{guess}”？" if guess else ""),
                f"a {kind} event has no field '{_short(key)}'" + (f"; did you mean '{guess}'?" if guess else ""))
    fields: dict[str, Any] = {}
    for key, required in spec.items():
        value = raw.get(key)
        if value is None:
            if required:
                ok = False
                err(f"{path}.{key}", f"“{TYPE_ZH[kind]}”事件缺少字段“{key}”", f"a {kind} event needs '{key}'")
            continue
        checked = _field(kind, key, value)
        if isinstance(checked, tuple) and len(checked) == 2 and checked[0] is _BAD:
            ok = False
            err(f"{path}.{key}", *checked[1])
        else:
            fields[key] = checked
    if kind == "extension_requested" and ("workdays" in raw) == ("until" in raw):
        ok = False
        err(f"{path}.workdays", "申请延期须写 workdays（延长的工作日数）或 until（延至何时）之一",
            "an extension request gives either 'workdays' or 'until'")
    if kind == "followup" and "reasonable" not in fields:
        fields["reasonable"] = True
    if not ok or at is None:
        return None
    return Event(n, kind, at, fields)


_BAD = object()


def _field(kind: str, key: str, value: Any) -> Any:
    """The checked value, or (_BAD, (zh, en))."""
    if key == "workdays":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 500:
            return _BAD, ("应为 1 至 500 的整数（工作日数）", "must be a whole number of workdays, 1 to 500")
        return value
    if key == "until":
        t = parse_timestamp(value)
        return t if t is not None else (_BAD, ("应为带时区的 ISO 8601 时间", "must be an ISO 8601 time with an offset"))
    if key == "reasonable":
        if not isinstance(value, bool):
            return _BAD, ("应为 true 或 false（诉求是否合理）", "must be true or false (whether the demand is reasonable)")
        return value
    if key == "result":
        result = _RESULT.get(value) if isinstance(value, str) else None
        if result is None:
            guess = did_you_mean(str(value), _RESULT)
            return _BAD, ("回访结果应为 满意、基本满意 或 不满意（satisfied / basically_satisfied / dissatisfied）"
                          + (f"，是否想写“{guess}”？" if guess else ""),
                          "the result must be satisfied, basically_satisfied or dissatisfied (or 满意 / 基本满意 / 不满意)"
                          + (f"; did you mean '{guess}'?" if guess else ""))
        return result
    if not isinstance(value, str) or not value.strip():
        return _BAD, ("应为非空文字", "must be non-empty text")
    if len(value) > MAX_TEXT:
        return _BAD, (f"文字过长（上限 {MAX_TEXT} 字）", f"text too long (at most {MAX_TEXT} characters)")
    return value.strip()


# ---- the checks of `_valid_case`: each gives the checked value or _BAD -------------------


def _workdays(value: Any) -> Any:
    return value if type(value) is int and 1 <= value <= 500 else _BAD


def _until(value: Any) -> Any:
    t = parse_timestamp(value)
    return _BAD if t is None else t


def _reasonable(value: Any) -> Any:
    return value if type(value) is bool else _BAD


def _result(value: Any) -> Any:
    return _RESULT.get(value, _BAD) if type(value) is str else _BAD


def _text(value: Any) -> Any:
    if type(value) is not str or len(value) > MAX_TEXT:
        return _BAD
    value = value.strip()
    return value if value else _BAD


_CHECKS = {"workdays": _workdays, "until": _until, "reasonable": _reasonable, "result": _result}
_CASE_KEYS = frozenset(("item", "events", "primary"))  # the primary is stepped on its own
# accepted `type` (English or Chinese) -> (type, allowed keys, (field, required, check) of each field)
_SPECS: dict[str, tuple[str, frozenset[str], tuple[tuple[str, bool, Any], ...]]] = {
    name: (kind, frozenset((*FIELDS[kind], *COMMON)),
           tuple((key, required, _CHECKS.get(key, _text)) for key, required in FIELDS[kind].items()))
    for name, kind in _TYPES.items()
}
