"""Shared by the lifecycle tests: a small policy with lifecycle rules, and case builders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conftest import BASE

import gridpolicy
from gridpolicy.lifecycle import CaseState

LIFECYCLE = '''
lifecycle track "跟踪督办" {
  on returned "退回" {
    reasons wrong_locality "属地不符", not_our_remit "非本部门职责"
    within 2 days
    arbiter zfw
    limit 1 workday
    clock continue
  }
  on extension "延期" { approver zfw; max 10 workdays; times 1; before 1 workday }
  on overdue "逾期" { remind 1 workday -> zfw "催办"; bulletin 5 workdays -> city_hall "通报" }
  on completed "办结" { followup 1 workday }
  on followup "回访" { redo dissatisfied }
  on reopened "重办" { by above; limit 3 workdays; bulletin 2 -> zfw "两次重办仍不满意" }
  on held "挂账" { review 30 days; reviewer zfw }
  on merged "合并" { }
}
lifecycle local_cases "网格案件" {
  routes local
  on returned "退回" { reasons wrong_locality "属地不符"; arbiter zfw; clock restart }
}
'''
TEXT = BASE + LIFECYCLE
START = "2026-03-02T10:00:00+08:00"  # a Monday; 5 workdays later: 2026-03-09 10:00


def stepper(text: str = TEXT) -> Callable[..., CaseState]:
    """`policy.step` of the policy in `text`."""
    return gridpolicy.loads(text).step


def case(*events: dict[str, Any], **item: Any) -> dict[str, Any]:
    """A case about an item the `dept` route gives scj (区市场监管局), 5 workdays."""
    base: dict[str, Any] = {"id": "c1", "kind": "issue", "owner": "scj", "reported_at": START}
    base.update(item)
    return {"item": base, "events": list(events)}


def ev(kind: str, at: str, **fields: Any) -> dict[str, Any]:
    """An event at `at`: "03-04 15:00" means 2026-03-04T15:00+08:00."""
    day, time = at.split()
    return {"type": kind, "at": f"2026-{day}T{time}:00+08:00", **fields}
