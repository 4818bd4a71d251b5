"""Replay of logged case states (`case_state` entries of the decision log): step the logged
case again under another policy, as of the same time, and compare what matters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..clock import parse_timestamp
from ..contract import ItemError

if TYPE_CHECKING:
    from ..runtime import Policy

COMPARED = ("status", "lead", "tier", "deadline", "overdue", "notices", "next_events", "redos", "primary")


def _d(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def summary(state: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of a case state (JSON form) that replay compares (a malformed part reads as missing)."""
    handler = _d(state.get("handler"))
    notices = state.get("notices")
    return {
        "status": state.get("status"),
        "lead": _d(handler.get("lead")).get("code"),
        "tier": _d(handler.get("tier")).get("code"),
        "deadline": state.get("deadline"),
        "overdue": _d(state.get("overdue")).get("stage"),
        "notices": [(_d(n).get("kind"), _d(_d(n).get("to")).get("code"), _d(n).get("due_at")) for n in notices]
        if isinstance(notices, list) else [],
        "next_events": state.get("next_events"),
        "redos": state.get("redos"),
        "primary": _d(state.get("primary")).get("status"),  # the progress a merged case follows
    }


def replay_case(case: Any, logged: Mapping[str, Any], at_param: str | None, policy: Policy
                ) -> tuple[dict[str, Any], dict[str, Any] | None, str | None]:
    """(before, after, error): the logged state's summary and what it is under `policy`, as of
    the same `at` (after None, with the error, when the case is invalid under `policy`)."""
    before = summary(logged)
    at = parse_timestamp(at_param) if at_param else None
    if at is None:
        at = parse_timestamp(logged.get("at"))
    try:
        return before, summary(policy.step(case, at).model_dump(mode="json")), None
    except ItemError as exc:
        return before, None, str(exc)
    except (ArithmeticError, ValueError, TypeError, KeyError, RecursionError) as exc:  # a malformed entry
        return before, None, f"{type(exc).__name__}: {exc}"
