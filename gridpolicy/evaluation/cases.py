"""Case metrics: one case record per case, computed from its `CaseState` (`Policy.step`), in the
columns a host's own export of case records uses too (docs/guide/evaluation.md lists them).

A record says, as of the state's `at`: whether the case was due (its handling deadline passed
or it was closed), closed, closed on time, overdue, returned (how often), extended, reopened
(how often), held (挂账, deferred: Jinhua's "due − deferred"), and its follow-up result with
whether a dissatisfaction was judged reasonable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..lifecycle.state import CaseState

# The columns of a case record: name -> (type, meaning). Hosts exporting their own case
# records write these columns (extra columns are ignored).
CASE_COLUMNS: dict[str, tuple[str, str]] = {
    "case_id": ("text", "案件编号 case id"),
    "grid": ("text", "网格编码 grid code"),
    "department": ("text", "主办部门编码（无则空） lead department id, empty if none"),
    "source": ("text", "来源（schema 字段 source 的编码） source code"),
    "urgent": ("bool", "紧急或特急 urgent or emergency"),
    "special": ("bool", "领导交办、部门转办或媒体曝光（扣分加倍） leader-assigned, department-transferred or "
                        "media-exposed"),
    "reported_at": ("datetime", "受理时间 reported at"),
    "due_at": ("datetime", "办理期限（含延期） handling deadline after extensions"),
    "closed_at": ("datetime", "办结时间 when it was closed"),
    "status": ("text", "状态 open / arbitration / overdue / held / merged / closed / reopened"),
    "due": ("bool", "应结案：期限已到或已办结 due: deadline passed or closed"),
    "closed": ("bool", "已办结 closed"),
    "on_time": ("bool", "按期办结 closed by its deadline"),
    "overdue": ("bool", "超期：现在超期或超期办结 overdue now or closed late"),
    "responded": ("bool", "按时响应：期限内有办理动作 the handler acted before the first deadline"),
    "returned": ("number", "退单次数 times returned"),
    "refused": ("number", "推诿次数：退回未被接受 returns refused (buck-passing)"),
    "falsified": ("number", "弄虚作假次数（主机系统填写） falsifications (from the host)"),
    "extended": ("bool", "获批延期 an extension was approved"),
    "reopened": ("number", "重办次数 times reopened"),
    "held": ("bool", "挂账（缓办） held on the standing register"),
    "merged": ("bool", "已并案 merged into another case"),
    "followup": ("followup", "回访结果 satisfied / basically_satisfied / dissatisfied"),
    "reasonable": ("bool", "不满意是否合理（合理才计入） whether a dissatisfaction was reasonable"),
}

# Item sources whose cases count double in deductions (Jinhua: department-transferred cases).
SPECIAL_SOURCES = ("department", "部门下派")
_ACTIONS = ("completed", "extension_requested", "returned", "held")


def case_record(case: Mapping[str, Any], state: CaseState) -> dict[str, Any]:
    """The case record of `case` ({"item": ..., "events": [...]}) in `state` (its `step`)."""
    item = case.get("item") or {}
    handle = next((s for s in state.stages if s.code == "handle"), None)
    due_at = handle.deadline if handle else None
    closed_at = next((h.at for h in reversed(state.history) if h.type == "completed"), None) \
        if state.status == "closed" else None
    closed = state.status == "closed"
    first_deadline = handle.original_deadline if handle else None
    acted = [h.at for h in state.history if h.type in _ACTIONS]
    lead = state.handler.lead
    last_followup = next((h for h in reversed(state.history) if h.type == "followup"), None)
    late = closed_at is not None and due_at is not None and closed_at > due_at
    return {
        "case_id": state.case_id,
        "grid": item.get("grid"),
        "department": lead.code if lead else None,
        "source": item.get("source"),
        "urgent": item.get("urgency") in ("urgent", "emergency", "紧急", "特急（突发事件）"),
        "special": item.get("source") in SPECIAL_SOURCES,
        "reported_at": _local(state.decision.evaluated_at if not item.get("reported_at") else None,
                              item.get("reported_at")),
        "due_at": due_at,
        "closed_at": closed_at,
        "status": state.status,
        "due": closed or (due_at is not None and due_at <= state.at),
        "closed": closed,
        "on_time": closed and not late,
        "overdue": state.overdue is not None or late,
        "responded": bool(acted) and (first_deadline is None or min(acted) <= first_deadline),
        "returned": len(state.returns),
        "refused": sum(1 for r in state.returns if not r.accepted),
        "falsified": 0,
        "extended": any(e.status == "approved" for e in state.extensions),
        "reopened": state.redos,
        "held": state.hold is not None,
        "merged": state.merged_into is not None,
        "followup": state.satisfaction if last_followup is not None else None,
        "reasonable": state.counted_against_handler if last_followup is not None else None,
    }


def _local(fallback: dt.datetime | None, given: Any) -> Any:
    return given if given is not None else fallback
