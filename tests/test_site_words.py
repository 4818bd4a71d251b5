"""The site words expressions through the one printer (`syntax.printer.expr_text` with a
`Spelling`): the printer's precedence and parentheses, the site's words and escaping."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import BASE

import gridpolicy
from gridpolicy.diagnostics import Reporter
from gridpolicy.site.context import Context
from gridpolicy.site.words import Words, names
from gridpolicy.syntax.nodes import Decl, Expr
from gridpolicy.syntax.parser import parse
from gridpolicy.syntax.printer import Spelling, expr_text


def parse_expression(source: str) -> Expr:
    module = parse(f'route r "r" {{ when {source} }}\n', "x.gp", Reporter())
    assert module is not None
    decl = module.items[0]
    assert isinstance(decl, Decl)
    return decl.props[0].args[0].value


@pytest.fixture(scope="module")
def words() -> Words:
    ctx = Context(gridpolicy.loads(BASE), dt.date(2026, 3, 2))
    return Words(ctx, {"a": "甲", "b": "乙", "c": "丙", "d": "<b>丁</b>"})


@pytest.mark.parametrize(("source", "want"), [
    ("a - (b - c)", "甲 − (乙 − 丙)"),
    ("a - b - c", "甲 − 乙 − 丙"),
    ("(a + b) * c", "(甲 + 乙) × 丙"),
    ("a + b * c", "甲 + 乙 × 丙"),
    ("a / (b * c)", "甲 ÷ (乙 × 丙)"),
    ("-(a + b)", "−(甲 + 乙)"),
    ("weighted(a: 0.4, b: 0.6) * 2", "(0.4 × 甲 + 0.6 × 乙) × 2"),
    ("round(a / 3, 1)", "四舍五入(甲 ÷ 3，保留 1 位小数)"),
    ("d * 2.5", "&lt;b&gt;丁&lt;/b&gt; × 2.5"),  # rule text is escaped
])
def test_notation_has_the_printers_parentheses(words: Words, source: str, want: str) -> None:
    e = parse_expression(source)
    assert words.notation(e) == want
    # the same tree, the same parentheses as rule text
    assert expr_text(e).count("(") == want.count("(")


@pytest.mark.parametrize(("route", "want"), [
    ("emergency", "紧急程度为「特急」"),
    ("reopen", "回访为「不满意」，并且已填写原处理层级"),
    ("wide", "范围高于「网格」"),
    ("notify", "涉及人数不低于50"),
])
def test_conditions_in_plain_chinese(words: Words, route: str, want: str) -> None:
    checked = next(r for r in words.ctx.policy.model.routes if r.id == route)
    assert words.condition(checked.condition) == want


def test_mixed_and_or_in_words_keeps_its_grouping(words: Words) -> None:
    got = words.condition(parse_expression("(a or b) and c"))
    assert got == "（a，或者b），并且c"  # conditions use the names as checked (labels via the checker)


def test_names_in_reading_order() -> None:
    assert names(parse_expression("a + f(b, c) * a")) == ["a", "b", "c", "a"]


def test_the_default_spelling_is_rule_text() -> None:
    e = parse_expression('a - (b - c) > 2 and not x in ["p", "q"]')
    assert expr_text(e, spelling=Spelling("en")) == expr_text(e) == 'a - (b - c) > 2 and not x in ["p", "q"]'
