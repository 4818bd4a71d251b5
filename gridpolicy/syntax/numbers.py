"""Numbers and durations as text: the one way the printer, reasons, `diff`, checks and the site
write them (whole numbers without a decimal point, never in exponent form)."""

from __future__ import annotations

from decimal import Decimal

from . import keywords as kw

# Duration units: English singular and plural, and the Chinese spelling of a text (the last
# spelling in keywords.py): 3个工作日, 1小时, 2天, 30分钟.
EN_UNITS = {unit: (spellings[0], spellings[1]) for unit, spellings in kw.DURATION_UNITS.items()}
ZH_UNITS = {"minutes": "分钟", "hours": "小时", "days": "天", "workdays": "个工作日", "workhours": "工作时",
            "urgent_hours": "紧急工作时", "urgent_days": "紧急工作日"}
assert all(ZH_UNITS[u] in kw.DURATION_UNITS[u] for u in kw.DURATION_UNITS)


def literal_number(value: float | int) -> str:
    """A number literal as rule text writes it: an int as it is, a float exactly and with its
    decimal point (`2.0`, `0.1`, `0.0000001`), so it parses back to the same value and type."""
    if isinstance(value, bool):
        raise TypeError(value)
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(value)), "f")
    return text if "." in text else text + ".0"


def number_text(value: float | int, significant: int | None = None) -> str:
    """A number for people: whole numbers without a decimal point (`3`, not `3.0`); others
    exactly (`1.5`), or, for computed results, to `significant` digits (`66.6667`)."""
    if float(value).is_integer():
        return str(int(value))
    if significant is not None:
        return f"{value:.{significant}g}"
    return literal_number(float(value))


def duration_text(amount: float, unit: str, lang: str = "en") -> str:
    """A duration in the given language: `3 workdays`, `1 hour`, `1.5 hours`, `3个工作日`."""
    n = number_text(amount)
    if lang == "zh":
        return f"{n}{ZH_UNITS[unit]}"
    one, many = EN_UNITS[unit]
    return f"{n} {one if n == '1' else many}"
