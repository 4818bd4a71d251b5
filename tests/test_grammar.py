"""The grammar: every construct parses to the expected tree; malformed input gets the exact
diagnostic code and position."""

from __future__ import annotations

import datetime as dt

import pytest

from gridpolicy.diagnostics import Reporter
from gridpolicy.syntax.nodes import Attr, Binary, Call, Decl, Duration, Include, ListLit, Literal, Name, Unary
from gridpolicy.syntax.parser import parse


def parse_ok(text: str):
    rep = Reporter()
    module = parse(text, "t.gp", rep)
    assert module is not None, [d.render() for d in rep.diagnostics]
    assert not rep.diagnostics
    return module


def expr(text: str):
    """Parse `text` as the condition of a route and return the expression node."""
    module = parse_ok(f"route r {{ when {text} }}")
    decl = module.items[0]
    assert isinstance(decl, Decl)
    return decl.props[0].args[0].value


DECLARATIONS = [
    ('policy p "标题" { version "1" }', "policy", "p", "标题"),
    ('tier grid "网格" { level 1 }', "tier", "grid", "网格"),
    ('tier grid', "tier", "grid", None),
    ('role leader "网格长" { category leader }', "role", "leader", "网格长"),
    ('department d "部门" { tier district }', "department", "d", "部门"),
    ('field f "字段" { type enum; values a "甲", b "乙"; default a }', "field", "f", "字段"),
    ('criterion c "标准" { when x == 1 }', "criterion", "c", "标准"),
    ('list l "清单" { admission true batch b1 "第一批" { effective 2024-01-01 } '
     'matter M1 "事项" { batch b1 traits { needs [a] } } }', "list", "l", "清单"),
    ('exit e "退出" { matter M1; date 2025-01-01 }', "exit", "e", "退出"),
    ('route r "规则" { tier grid }', "route", "r", "规则"),
    ('formula f "公式" { input a "甲" { range 0 .. 1 } value a grade g }', "formula", "f", "公式"),
    ('grade g "等级" { band 90 -> a "甲", 0 -> b "乙" }', "grade", "g", "等级"),
    ('calendar { holidays 2027-01-01 .. 2027-01-03 }', "calendar", None, None),
    ('catalog c "目录" { entry a "甲", b "乙" }', "catalog", "c", "目录"),
    # Chinese keywords
    ('层级 grid "网格" { 级别 1 }', "tier", "grid", "网格"),
    ('分流 r "规则" { 条件 a == b 层级 grid }', "route", "r", "规则"),
    ('清单 l "清单" { 事项 M1 "事项" { 批次 b1 } }', "list", "l", "清单"),
]


@pytest.mark.parametrize(("text", "kind", "ident", "label"), DECLARATIONS)
def test_declarations(text: str, kind: str, ident: str | None, label: str | None) -> None:
    decl = parse_ok(text).items[0]
    assert isinstance(decl, Decl)
    assert (decl.kind, decl.id, decl.label) == (kind, ident, label)


def test_nested_declarations_and_props() -> None:
    decl = parse_ok('list l { matter M1 "事项" { batch b1; handlers a, b traits { x 1 } } batch b1 }').items[0]
    assert [c.kind for c in decl.children] == ["matter", "batch"]
    matter = decl.children[0]
    assert [p.key for p in matter.props] == ["batch", "handlers"]
    assert [a.value.id for a in matter.props[1].args] == ["a", "b"]
    assert matter.children[0].kind == "traits"


def test_include() -> None:
    inc = parse_ok('include "lists/a.gp"').items[0]
    assert isinstance(inc, Include) and inc.path == "lists/a.gp"
    assert parse_ok('引用 "a.gp"').items[0].path == "a.gp"


def test_arguments_with_target_and_label() -> None:
    decl = parse_ok('route r { escalate 2 workdays -> community "社区督办", 3 工作日 -> city }').items[0]
    a, b = decl.props[0].args
    assert a.value.value == Duration(2, "workdays") and a.target.id == "community" and a.label == "社区督办"
    assert b.value.value == Duration(3, "workdays") and b.target.id == "city" and b.label is None


LITERALS = [
    ("12", "number", 12),
    ("1.5", "number", 1.5),
    ('"文字"', "string", "文字"),
    (r'"a\"b"', "string", 'a"b'),
    ("2026-03-02", "date", dt.date(2026, 3, 2)),
    ("2026-03-02T09:30+08:00", "datetime",
     dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))),
    ("3 workdays", "duration", Duration(3, "workdays")),
    ("3工作日", "duration", Duration(3, "workdays")),
    ("24 hours", "duration", Duration(24, "hours")),
    ("2 小时", "duration", Duration(2, "hours")),
    ("30 minutes", "duration", Duration(30, "minutes")),
    ("5 天", "duration", Duration(5, "days")),
    ("true", "bool", True),
    ("是", "bool", True),
    ("false", "bool", False),
    ("none", "none", None),
]


@pytest.mark.parametrize(("text", "kind", "value"), LITERALS)
def test_literals(text: str, kind: str, value: object) -> None:
    e = expr(text)
    assert isinstance(e, Literal) and (e.kind, e.value) == (kind, value)


def test_triple_quoted_note_is_dedented() -> None:
    decl = parse_ok('tier g { note """\n    第一行\n    第二行\n  """ }').items[0]
    assert decl.props[0].args[0].value.value == "第一行\n第二行"


def shape(e) -> object:
    """A compact form of an expression tree for table tests."""
    if isinstance(e, Binary):
        return (e.op, shape(e.left), shape(e.right))
    if isinstance(e, Unary):
        return (e.op, shape(e.operand))
    if isinstance(e, Name):
        return e.id
    if isinstance(e, Literal):
        return e.value
    if isinstance(e, Attr):
        return (".", shape(e.obj), e.name)
    if isinstance(e, Call):
        return (e.func, *[shape(a) for a in e.args], *[(k, shape(v)) for k, v in e.kwargs])
    if isinstance(e, ListLit):
        return [shape(i) for i in e.items]
    raise AssertionError(e)


EXPRESSIONS = [
    ("a == b", ("==", "a", "b")),
    ("a != 1", ("!=", "a", 1)),
    ("a >= 2 and b < 3", ("and", (">=", "a", 2), ("<", "b", 3))),
    ("a or b and c", ("or", "a", ("and", "b", "c"))),
    ("(a or b) and c", ("and", ("or", "a", "b"), "c")),
    ("not a and b", ("and", ("not", "a"), "b")),
    ("a 且 b 或 非 c", ("or", ("and", "a", "b"), ("not", "c"))),
    ("x in [a, b]", ("in", "x", ["a", "b"])),
    ("x not in needs", ("not in", "x", "needs")),
    ("x 属于 清单甲", ("in", "x", "清单甲")),
    ("matter in admission", ("in", "matter", "admission")),
    ("matter.batch == b1", ("==", (".", "matter", "batch"), "b1")),
    ("n in 1 .. 5", ("in", "n", ("..", 1, 5))),
    ("a + b * c - d / 2", ("-", ("+", "a", ("*", "b", "c")), ("/", "d", 2))),
    ("-a + 1", ("+", ("-", "a"), 1)),
    ("has(owner)", ("has", "owner")),
    ("above(scope) == city", ("==", ("above", "scope"), "city")),
    ("weighted(a: 0.5, b: 0.5)", ("weighted", ("a", 0.5), ("b", 0.5))),
    ("round(rate(cases, r == \"ok\") * 100, 1)",
     ("round", ("*", ("rate", "cases", ("==", "r", "ok")), 100), 1)),
    ("紧急程度 == 特急", ("==", "紧急程度", "特急")),
]


@pytest.mark.parametrize(("text", "expected"), EXPRESSIONS)
def test_expressions(text: str, expected: object) -> None:
    assert shape(expr(text)) == expected


def test_comments_are_collected_with_positions() -> None:
    module = parse_ok('# 头注释\ntier g "网格" // 行尾\n# "不是字符串"\ntier h "含 # 的文字"')
    assert [(c.text, c.span.line, c.span.column) for c in module.comments] == [
        ("# 头注释", 1, 1), ("// 行尾", 2, 13), ('# "不是字符串"', 3, 1)]
    assert module.items[1].label == "含 # 的文字"


def test_spans_point_at_the_source() -> None:
    decl = parse_ok('\n\n  route r1 "x" {\n    when a == b\n  }').items[0]
    assert (decl.span.line, decl.span.column) == (3, 3)
    assert (decl.id_span.line, decl.id_span.column) == (3, 9)
    cond = decl.props[0].args[0].value
    assert (cond.span.line, cond.span.column, cond.span.end_column) == (4, 10, 16)


def test_crlf_and_bom_are_accepted() -> None:
    module = parse_ok('\ufefftier g "网格"\r\ntier h "社区"\r\n')
    assert [d.id for d in module.items] == ["g", "h"]


MALFORMED = [
    # (text, code, line, column)
    ('route r { when a == b }}', "GP001", 1, 24),
    ('route r {\n  when a ==\n', "GP007", 1, 9),  # the unclosed '{' first, then the line that stops at '=='
    ('tier g "网格', "GP005", 1, 8),
    ('route r { when a == b，c }', "GP004", 1, 22),
    ('tier g “网格”', "GP004", 1, 8),
    ('route r { when a == b； }', "GP004", 1, 22),
    ('route r { when （a） }', "GP004", 1, 16),
    ('tier g { level 1 } @', "GP003", 1, 20),
    ('tier 1abc', "GP001", 1, 6),
    ('route r { limit 3 workdays -> }', "GP001", 1, 31),
    ('list l { matter M1 { traits { a 1 } traits } }', "GP001", 1, 44),
    ('field f "x" { type enum values a "甲" "乙" }', "GP001", 1, 38),
    ('policy { }', "GP001", 1, 8),
    ('route r { when 2026-13-45 == a }', "GP041", 1, 16),
]


@pytest.mark.parametrize(("text", "code", "line", "column"), MALFORMED)
def test_malformed_input_positions(text: str, code: str, line: int, column: int) -> None:
    rep = Reporter()
    parse(text, "bad.gp", rep)
    assert rep.diagnostics, "expected a diagnostic"
    d = rep.diagnostics[0]
    assert (d.code, d.span.line, d.span.column) == (code, line, column), d.render()
    assert d.message_zh and d.message_en
    rendered = d.render()
    assert f"bad.gp:{line}:{column}" in rendered and "^" in rendered


def test_expected_tokens_are_named_in_words() -> None:
    rep = Reporter()
    parse('route r { when a == }', "bad.gp", rep)
    d = rep.diagnostics[0]
    assert "名称" in d.message_zh and "a name" in d.message_en


@pytest.mark.parametrize(("text", "expected"), [
    ("notes == 1", ("==", "notes", 1)),
    ("order or origin", ("or", "order", "origin")),
    ("income in inputs", ("in", "income", "inputs")),
    ("回访 == 不满意", ("==", "回访", "不满意")),
    ("非 无人机", ("not", "无人机")),
])
def test_keywords_match_whole_words_only(text: str, expected: object) -> None:
    assert shape(expr(text)) == expected


def test_property_named_like_an_operator_prefix() -> None:
    decl = parse_ok('tier g "网格" { note "说明" }').items[0]
    assert decl.props[0].key == "note"


def test_condition_text_keeps_parentheses() -> None:
    from conftest import BASE

    import gridpolicy

    policy = gridpolicy.loads(BASE.replace("when urgency == emergency",
                                          "when (urgency == emergency or verified) and (people > 1)"))
    assert policy.routes[0].text == "(urgency == emergency or verified) and (people > 1)"
