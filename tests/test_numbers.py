"""`gridpolicy.syntax.numbers`: the one way numbers and durations are written as text (printer,
reasons, diff, checks, evaluation errors and the site)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridpolicy.syntax.nodes import Duration
from gridpolicy.syntax.numbers import duration_text, literal_number, number_text


@pytest.mark.parametrize(("value", "significant", "want"), [
    (3, None, "3"), (3.0, None, "3"), (-2.0, None, "-2"), (1.5, None, "1.5"), (0.1, None, "0.1"),
    (1e-7, None, "0.0000001"), (1e20, None, "100000000000000000000"), (1234567.5, None, "1234567.5"),
    (200 / 3, 6, "66.6667"), (200 / 3, None, "66.66666666666667"), (80.0, 6, "80"), (0.25, 6, "0.25"),
])
def test_number_text(value: float, significant: int | None, want: str) -> None:
    assert number_text(value, significant) == want


@pytest.mark.parametrize(("value", "want"), [(3, "3"), (3.0, "3.0"), (0.1, "0.1"), (1e-7, "0.0000001"),
                                             (2.5, "2.5"), (-0.0, "-0.0")])
def test_literal_number_keeps_the_type(value: float, want: str) -> None:
    assert literal_number(value) == want


def test_a_bool_is_not_a_number_literal() -> None:
    with pytest.raises(TypeError):
        literal_number(True)


@pytest.mark.parametrize(("amount", "unit", "en", "zh"), [
    (1, "hours", "1 hour", "1小时"), (2, "hours", "2 hours", "2小时"), (1.5, "hours", "1.5 hours", "1.5小时"),
    (3, "workdays", "3 workdays", "3个工作日"), (1, "workdays", "1 workday", "1个工作日"),
    (30, "minutes", "30 minutes", "30分钟"), (2, "days", "2 days", "2天"),
    (1, "urgent_days", "1 urgent_day", "1紧急工作日"), (4, "workhours", "4 workhours", "4工作时"),
])
def test_durations_in_both_languages(amount: float, unit: str, en: str, zh: str) -> None:
    assert duration_text(amount, unit) == en == str(Duration(amount, unit))
    assert duration_text(amount, unit, "zh") == zh == Duration(amount, unit).text_zh


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_literal_reads_back_as_the_same_float(x: float) -> None:
    text = literal_number(x)
    assert "e" not in text and "." in text and float(text) == x and math.copysign(1, float(text)) == math.copysign(1, x)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_number_text_is_exact_and_plain(x: float) -> None:
    text = number_text(x)
    assert float(text) == x and "e" not in text and not text.endswith(".0")
