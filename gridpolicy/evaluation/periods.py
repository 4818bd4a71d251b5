"""Evaluation periods: a year (2026), a quarter (2026Q1), a month (2026-03), or a range of dates
given as from/to (both included)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..contract import ItemError, ItemErrorDetail


@dataclass(frozen=True, slots=True)
class Period:
    start: dt.date
    end: dt.date  # included
    label: str

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _bad(what: str, text: str) -> ItemError:
    return ItemError([ItemErrorDetail(
        path=what, message_zh=f"期间“{text}”无法识别；应写 2026、2026Q1、2026-03，或 --from/--to 日期",
        message_en=f"period '{text}' not understood; write 2026, 2026Q1, 2026-03, or --from/--to dates")])


def parse_period(text: str) -> Period:
    t = text.strip()
    try:
        if re.fullmatch(r"\d{4}", t):
            y = int(t)
            return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), t)
        if m := re.fullmatch(r"(\d{4})-?[Qq]([1-4])", t):
            y, q = int(m[1]), int(m[2])
            start = dt.date(y, 3 * q - 2, 1)
            end = dt.date(y + 1, 1, 1) if q == 4 else dt.date(y, 3 * q + 1, 1)
            return Period(start, end - dt.timedelta(days=1), f"{y}Q{q}")
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", t):
            y, mo = int(m[1]), int(m[2])
            start = dt.date(y, mo, 1)
            nxt = dt.date(y + 1, 1, 1) if mo == 12 else dt.date(y, mo + 1, 1)
            return Period(start, nxt - dt.timedelta(days=1), f"{y}-{mo:02d}")
    except ValueError:
        pass
    raise _bad("period", text)


def date_range(start: str | None, end: str | None) -> Period:
    """`--from D --to D` (either may be omitted: open on that side)."""
    try:
        a = dt.date.fromisoformat(start) if start else dt.date(1900, 1, 1)
    except ValueError:
        raise _bad("from", start or "") from None
    try:
        b = dt.date.fromisoformat(end) if end else dt.date(9999, 12, 31)
    except ValueError:
        raise _bad("to", end or "") from None
    if b < a:
        raise ItemError([ItemErrorDetail(path="to", message_zh=f"结束日期 {b} 早于开始日期 {a}",
                                         message_en=f"the end date {b} is before the start date {a}")])
    return Period(a, b, f"{start or '…'} .. {end or '…'}")
