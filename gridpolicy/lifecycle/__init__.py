"""Case lifecycle (全程跟踪督办): the rules for a case after its first routing, and the step
engine that applies a case's events to them.

    policy.step({"item": {...}, "events": [{"type": "returned", "at": "...", ...}]}) -> CaseState

Modules: `model` (the checked lifecycle), `check` (its check stage), `events` (case input and
its errors), `engine` (the step), `tables` (a policy's references and clock), `apply` (one
handler per event type), `run` (the case so far), `snapshot` (the state as of a time),
`state` (the pydantic contract and its JSON Schema).
"""

from __future__ import annotations

from .check import check_lifecycles
from .engine import CaseEngine
from .events import CaseError
from .model import EVENT_TYPES, STATUSES, Lifecycle
from .state import CaseState, case_schema, case_state_schema

__all__ = ["EVENT_TYPES", "STATUSES", "CaseEngine", "CaseError", "CaseState", "Lifecycle", "case_schema",
           "case_state_schema", "check_lifecycles"]
