"""The formatter: canonical layout, comments kept, idempotent, meaning preserved, zh <-> en lossless."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridpolicy.cli import main
from gridpolicy.diagnostics import Reporter
from gridpolicy.formatter import FormatError, dominant_language, format_text, spanless, written_keywords
from gridpolicy.loader import load, loads
from gridpolicy.syntax import keywords as kw
from gridpolicy.syntax.nodes import Decl, Include
from gridpolicy.syntax.parser import parse

RULES = Path(__file__).resolve().parent.parent / "rules"
RULE_FILES = sorted(RULES.rglob("*.gp"))


def meaning(text: str) -> object:
    """The checked policy without spans, digest or source text."""
    return spanless(loads(text).model)


def _canonical(d: Decl | Include) -> Decl | Include:
    if isinstance(d, Include):
        return d
    keys = kw.property_keys(d.kind)
    props = tuple(replace(p, key=keys.get(p.key, p.key)) for p in d.props)
    return replace(d, props=props, children=tuple(_canonical(c) for c in d.children))


def tree(text: str) -> object:
    """The syntax tree without spans, property keys in English: equal in either language."""
    module = parse(text, "t.gp", Reporter())
    assert module is not None
    return spanless(tuple(_canonical(i) for i in module.items))


def comments(text: str) -> list[str]:
    module = parse(text, "t.gp", Reporter())
    assert module is not None
    return [c.text for c in module.comments]


# ---- a generator of valid policies ---------------------------------------------------------

WORDS = {**kw.DECLARATIONS}
IDENT = st.sampled_from(["alpha", "beta", "gamma", "delta", "点位", "楼栋", "notify", "order_x", "income"])


@st.composite
def policies(draw: st.DrawFn) -> str:
    """A valid rule file; each keyword, key, operator and unit in a randomly chosen language,
    with random spacing, semicolons, blank lines and comments."""
    zh_share = draw(st.sampled_from([0.0, 0.5, 1.0]))

    def pick(en: str, zh: str) -> str:
        return zh if draw(st.floats(0, 1)) < zh_share else en

    def dkw(kind: str) -> str:
        return pick(kind, kw.DECLARATIONS[kind])

    def key(kind: str, k: str) -> str:
        return pick(k, {**kw.COMMON_PROPERTIES, **kw.PROPERTIES[kind]}[k])

    def op(word: str) -> str:
        return pick(word, draw(st.sampled_from(kw.OPERATORS[word])))

    def unit(u: str) -> str:
        return draw(st.sampled_from(kw.DURATION_UNITS[u]))

    def sp() -> str:
        return draw(st.sampled_from([" ", " ", "  ", "\t"]))

    def nl() -> str:
        return draw(st.sampled_from(["\n", "\n", "\n\n", "\n\n\n", " ;\n", "\n   "]))

    def top() -> str:  # after a top-level declaration: no semicolons there
        return draw(st.sampled_from(["\n", "\n", "\n\n", "\n\n\n", "\n   "]))

    def comment(leading: bool) -> str:
        text = draw(st.sampled_from(["# 说明 note", "// todo", "# gridpolicy: ignore GP058", "#", "# 注：“引号”"]))
        return (text + "\n") if leading else ("  " + text)

    def maybe_comment_line() -> str:
        return comment(True) if draw(st.booleans()) and draw(st.booleans()) else ""

    def trail() -> str:
        return comment(False) if draw(st.integers(0, 4)) == 0 else ""

    text_values = st.text(alphabet=st.sampled_from(list('ab 网格"\\\t-')), max_size=8)
    out: list[str] = []
    if draw(st.booleans()):
        out.append(comment(True))
    note = draw(st.sampled_from(['"一行说明"', '"""\n    第一行\n      缩进行\n\n    第三行\n    """', '"tab\\there"']))
    out.append(f'{dkw("policy")} p "测试规则" {{{nl()}{maybe_comment_line()}'
               f'  {key("policy", "version")} "1"{trail()}{nl()}'
               f'  {key("policy", "effective")} 2024-01-01{nl()}'
               f'  {key("policy", "routing")} first{nl()}'
               f'  {key("policy", "note")} {note}{nl()}}}{top()}')
    for i, tid in enumerate(["grid", "community", "street"], 1):
        if draw(st.booleans()):
            body = f"{{{sp()}{key('tier', 'level')} {i}{sp()}}}"
        else:
            body = f"{{{nl()}  {key('tier', 'level')} {i}{trail()}{nl()}}}"
        out.append(f'{maybe_comment_line()}{dkw("tier")} {tid} "层{i}" {body}{trail()}{top()}')
    out.append(f'{dkw("department")} dept "部门" {{ {key("department", "tier")} street }}{top()}')
    out.append(f'{dkw("role")} worker "网格员"{top()}')
    values = draw(st.lists(IDENT, min_size=2, max_size=4, unique=True))
    out.append(f'{dkw("field")} level_x "等级" {{{nl()}  {key("field", "type")} enum{nl()}'
               f'  {key("field", "values")} ' + ", ".join(f'{v} "{v}值"' for v in values)
               + f'{trail()}{nl()}}}{top()}')
    out.append(f'{dkw("field")} count "数量" {{ {key("field", "type")} number {key("field", "range")} 0 .. 100 }}{top()}')
    out.append(f'{dkw("field")} flag "标志" {{ {key("field", "type")} bool }}{top()}')

    def cond(depth: int) -> str:
        choice = draw(st.integers(0, 7 if depth < 3 else 3))
        if choice == 0:
            return f"level_x {draw(st.sampled_from(['==', '!=']))} {draw(st.sampled_from(values))}"
        if choice == 1:
            n = draw(st.integers(0, 100))
            return f"count {draw(st.sampled_from(['<', '<=', '>', '>=']))} {n}"
        if choice == 2:
            return "flag" if draw(st.booleans()) else f"flag == {op(draw(st.sampled_from(['true', 'false'])))}"
        if choice == 3:
            items = ", ".join(draw(st.lists(st.sampled_from(values), min_size=1, max_size=3)))
            neg = f"{op('not')} {op('in')}" if draw(st.booleans()) else op("in")
            return f"level_x {neg} [{items}]"
        if choice == 4:
            return f"{op('not')} ({cond(depth + 1)})" if draw(st.booleans()) else f"{op('not')} flag"
        if choice == 5:
            return f"{cond(depth + 1)} {op('and')} {cond(depth + 1)}"
        if choice == 6:
            left, right = cond(depth + 1), cond(depth + 1)
            return f"({left} {op('or')} {right})" if draw(st.booleans()) else f"{left} {op('or')} {right}"
        a, b, c = (draw(st.integers(0, 9)) for _ in range(3))
        arith = draw(st.sampled_from([f"count + {a} * {b}", f"(count + {a}) * {b}", f"-count - {a} - {b}",
                                      f"count - ({a} - {b})", f"count / {b + 1} % {c + 1}"]))
        return f"{arith} > {c}"

    out.append(f'{dkw("criterion")} c1 "排除" {{{nl()}{maybe_comment_line()}'
               f'  {key("criterion", "when")} {cond(0)}{trail()}{nl()}'
               f'  {key("criterion", "basis")} {quote_like(draw(text_values))}{nl()}}}{top()}')
    out.append(f'{dkw("list")} adm "准入清单" {{{nl()}  {key("list", "admission")} {op("false")}{nl()}'
               f'  {dkw("batch")} b1 "第一批" {{ {key("batch", "effective")} 2024-03-01 }}{nl()}'
               f'  {maybe_comment_line()}{dkw("matter")} M01 "调解" {{{nl()}'
               f'    {key("matter", "batch")} b1{trail()}{nl()}'
               f'    {key("matter", "handlers")} worker{nl()}'
               f'    {dkw("traits")} {{ level_x {draw(st.sampled_from(values))} }}{nl()}'
               f'  }}{trail()}{nl()}}}{top()}')
    if draw(st.booleans()):
        out.append(f'{dkw("exit")} X01 "退出" {{{nl()}  {key("exit", "matter")} M01{nl()}'
                   f'  {key("exit", "date")} 2025-06-30{trail()}{nl()}  {key("exit", "approved_by")} "区委"{nl()}'
                   f'  {key("exit", "ref")} "〔2025〕1号"{nl()}  {key("exit", "reason")} "示例"{nl()}}}{top()}')
    if draw(st.booleans()):
        out.append(f'{dkw("calendar")} {{ {key("calendar", "holidays")} 2026-10-01, 2026-10-02{nl()}'
                   f'  {key("calendar", "workdays")} 2026-09-28 }}{top()}')
    if draw(st.booleans()):
        out.append(f'{dkw("catalog")} things "目录" {{ {key("catalog", "entry")} a "甲", b "乙"{trail()}{nl()}}}{top()}')
    if draw(st.booleans()):
        w = draw(st.integers(1, 9))
        value = draw(st.sampled_from([f"x * 0.{w} + y * 0.{10 - w}", "(x + y) / 2", f"x - (y - {w})",
                                      f"x * {w} / 10", "-(x - y) % 7"]))
        out.append(f'{dkw("grade")} g "等级" {{ {key("grade", "band")} 90 -> good "好", 0 -> bad "差" }}{top()}'
                   f'{dkw("formula")} score "得分" {{{nl()}'
                   f'  {dkw("input")} x "甲项" {{ {key("input", "range")} 0 .. 100 }}{nl()}'
                   f'  {maybe_comment_line()}{dkw("input")} y "乙项" {{ {key("input", "range")} 0 .. 100 }}{nl()}'
                   f'  {key("formula", "value")} {value}{trail()}{nl()}'
                   f'  {key("formula", "round")} 1{nl()}  {key("formula", "range")} 0 .. 100{nl()}'
                   f'  {key("formula", "grade")} g{nl()}}}{top()}')
    n_routes = draw(st.integers(1, 3))
    for i in range(n_routes):
        limit = draw(st.integers(1, 9))
        u = draw(st.sampled_from(["hours", "workdays", "days"]))
        out.append(f'{maybe_comment_line()}{dkw("route")} r{i} "规则{i}" {{{nl()}'
                   f'  {key("route", "when")} {cond(0)}{trail()}{nl()}'
                   f'  {key("route", "tier")} grid{nl()}'
                   f'  {key("route", "handlers")} {pick("matter", kw.DECLARATIONS["matter"])}{nl()}'
                   f'  {key("route", "limit")} {limit}{sp() if draw(st.booleans()) else ""}{unit(u)}{nl()}'
                   f'  {key("route", "escalate")} 1 {unit("workdays")} -> community "催办"{nl()}}}{top()}')
    out.append(f'{dkw("route")} fallback "兜底" {{ {key("route", "tier")} grid {key("route", "limit")} 3 '
               f'{unit("workdays")} }}{trail()}\n')
    if draw(st.booleans()):
        out.append(comment(True))
    return "".join(out)


def quote_like(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(policies())
def test_generated_policies_are_valid(text: str) -> None:
    loads(text)  # the generator only makes valid policies


@PROPERTY
@given(policies(), st.sampled_from([None, "en", "zh"]))
def test_idempotent_and_meaning_preserved(text: str, lang: str | None) -> None:
    once = format_text(text, lang=lang)
    assert format_text(once, lang=lang) == once
    assert format_text(once) == once  # the chosen language is the formatted file's dominant one
    assert meaning(once) == meaning(text)
    assert sorted(c.rstrip() for c in comments(once)) == sorted(c.rstrip() for c in comments(text))
    assert tree(once) == tree(text)


@PROPERTY
@given(policies())
def test_zh_en_round_trip_is_lossless(text: str) -> None:
    zh = format_text(text, lang="zh")
    en = format_text(zh, lang="en")
    assert format_text(en, lang="zh") == zh
    assert format_text(zh, lang="en") == en
    assert dominant_language(parse(zh, "z.gp", Reporter())) == "zh"
    assert all(not w.isascii() for w in written_keywords(parse(zh, "z.gp", Reporter())))
    assert all(w.isascii() for w in written_keywords(parse(en, "e.gp", Reporter())))
    for word in ("and", "or", "not", "in", "true", "false", "workday", "hour", "day"):
        assert f" {word} " not in zh.replace("\n", " ")
    assert meaning(zh) == meaning(en) == meaning(text)
    assert tree(zh) == tree(en) == tree(text)


# ---- the shipped rules -------------------------------------------------------------------


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("lang", [None, "en", "zh"])
def test_shipped_rule_files(path: Path, lang: str | None) -> None:
    text = path.read_text(encoding="utf-8")
    once = format_text(text, str(path), lang)
    assert format_text(once, str(path), lang) == once
    assert comments(once) == [c.rstrip() for c in comments(text)]
    assert tree(once) == tree(text)
    back = format_text(format_text(once, lang="zh"), lang="en")
    assert back == format_text(once, lang="en")


def test_shipped_rules_meaning(tmp_path: Path) -> None:
    before = spanless(load(RULES).model)
    for lang in ("zh", "en"):
        out = tmp_path / lang
        out.mkdir()
        shutil.copytree(RULES / "registry", out / "registry")  # the grid registry is part of the policy
        for path in RULES.glob("*.gp"):
            (out / path.name).write_text(format_text(path.read_text(encoding="utf-8"), lang=lang), encoding="utf-8")
        assert spanless(load(out).model) == before, lang


# ---- layout, table-driven ------------------------------------------------------------------

ROUTE = "route r {{ when {} tier grid }}"


@pytest.mark.parametrize(("given_", "expected"), [
    ("a or b and c", "a or b and c"),
    ("(a or b) and c", "(a or b) and c"),
    ("a or (b or c)", "a or (b or c)"),
    ("(a or b) or c", "a or b or c"),
    ("not (a and b)", "not (a and b)"),
    ("not not a", "not not a"),
    ("((x + 1)) * 2 > 3", "(x + 1) * 2 > 3"),
    ("x - (1 - 2) > 0", "x - (1 - 2) > 0"),
    ("(x - 1) - 2 > 0", "x - 1 - 2 > 0"),
    ("-(x) < 0", "-x < 0"),
    ("-(x + 1) < 0", "-(x + 1) < 0"),
    ("(a == b) == c", "(a == b) == c"),
    ("x in 1..5", "x in 1 .. 5"),
    ("x not   in [a,b]", "x not in [a, b]"),
    ("f(a,k:1)", "f(a, k: 1)"),
    ("(a.b).c == 1", "a.b.c == 1"),
    ("x == 0.00001", "x == 0.00001"),
    ("x == 2.50", "x == 2.5"),
    ("x == 是", "x == true"),
    ("x == 无", "x == none"),
    ("t > 2026-01-01T08:00+08:00", "t > 2026-01-01T08:00:00+08:00"),
])
def test_expression_layout(given_: str, expected: str) -> None:
    out = format_text(ROUTE.format(given_), lang="en")
    assert out == f"route r {{\n  when {expected}\n  tier grid\n}}\n"
    assert tree(out) == tree(ROUTE.format(given_))


@pytest.mark.parametrize(("source", "expected"), [
    # strings are re-quoted with escapes
    ('policy p { note "a\\"b\\\\c\\td" }', 'policy p {\n  note "a\\"b\\\\c\\td"\n}\n'),
    # a one-line triple-quoted note becomes a plain string
    ('policy p { note """plain""" }', 'policy p {\n  note "plain"\n}\n'),
    # block notes stay blocks, re-indented
    ('policy p {\nnote """\n        a\n          b\n\n        c\n        """\n}',
     'policy p {\n  note """\n    a\n      b\n\n    c\n    """\n}\n'),
    # a note containing triple quotes cannot be a block
    ('policy p { note "x\\n\\"\\"\\"y" }', 'policy p {\n  note "x\\n\\"\\"\\"y"\n}\n'),
    # optional bodies: empty tiers lose their braces; short ones stay on one line
    ("tier a {   }\ntier b { level 2 ; }", "tier a\ntier b { level 2 }\n"),
    # semicolons go; blank lines collapse to one; none at the start or end of a block
    ("tier a{level 1;}\n\n\n\ntier b\n", "tier a { level 1 }\n\ntier b\n"),
    ("route r {\n\n  tier grid\n\n\n  limit 3 工作日\n\n}", "route r {\n  tier grid\n\n  limit 3 workdays\n}\n"),
    # durations: singular for one, canonical unit names
    ("route r { limit 1 hours escalate 2 个工作日 -> x, 1.5 day -> y }",
     "route r {\n  limit 1 hour\n  escalate 2 workdays -> x, 1.5 days -> y\n}\n"),
    # include
    ('include   "a.gp"', 'include "a.gp"\n'),
    # calendar without a name
    ("calendar { holidays 2026-01-01 }", "calendar {\n  holidays 2026-01-01\n}\n"),
])
def test_layout(source: str, expected: str) -> None:
    out = format_text(source, lang="en")
    assert out == expected
    assert format_text(out) == out
    assert tree(out) == tree(source)


def test_long_argument_lists_wrap_one_per_line() -> None:
    values = ", ".join(f'v{i} "第{i}个取值说明文字"' for i in range(8))
    out = format_text(f"field f {{ type enum\n values {values} }}")
    lines = out.splitlines()
    assert lines[2] == '  values v0 "第0个取值说明文字",'
    assert lines[3] == '      v1 "第1个取值说明文字",'
    assert format_text(out) == out
    assert tree(out) == tree(f"field f {{ type enum\n values {values} }}")


def test_comments_stay_where_they_belong() -> None:
    source = (
        "# header comment\n\n"
        "# before the tier\n"
        "tier grid { level 1 }  # after the tier\n"
        "route r {\n"
        "  # before when\n"
        "  when a or  # inside the condition\n"
        "     b\n"
        "  tier grid // after tier\n"
        "  # at the end of the block\n"
        "}  # after the brace\n"
        "# at the end of the file\n"
    )
    assert format_text(source) == (
        "# header comment\n\n"
        "# before the tier\n"
        "tier grid { level 1 }  # after the tier\n"
        "route r {\n"
        "  # before when\n"
        "  when a or b  # inside the condition\n"
        "  tier grid  // after tier\n"
        "  # at the end of the block\n"
        "}  # after the brace\n"
        "# at the end of the file\n"
    )


def test_ignore_comment_stays_on_its_line() -> None:
    source = "route r {\n  when x  # gridpolicy: ignore GP031\n  tier grid\n}\n"
    assert format_text(source, lang="zh").splitlines()[1] == "  条件 x  # gridpolicy: ignore GP031"


def test_comment_forces_block_layout() -> None:
    out = format_text("tier grid {\n  # why level 1\n  level 1\n}\n")
    assert out == "tier grid {\n  # why level 1\n  level 1\n}\n"


def test_chinese_layout_and_dominant_language() -> None:
    source = 'route r "R" {\n  when a not in b and not c\n  tier grid\n  handlers matter\n  limit 3 workdays\n}'
    zh = format_text(source, lang="zh")
    assert zh == ('分流 r "R" {\n  条件 a 不 属于 b 且 非 c\n  层级 grid\n  承办角色 事项\n  时限 3个工作日\n}\n')
    assert format_text(zh) == zh  # dominant language kept
    assert format_text(zh, lang="en") == format_text(source)
    mixed = '分流 r {\n  条件 a\n  tier grid\n  时限 3 days\n}'
    assert format_text(mixed) == "分流 r {\n  条件 a\n  层级 grid\n  时限 3天\n}\n"


def test_matter_keyword_in_conditions_is_the_items_matter() -> None:
    base = ('policy p { version "1" }\ntier grid { level 1 }\nrole w\n'
            'list l { admission true\n matter M01 "调解" { handlers w } }\n')
    en = base + 'route r { when matter == M01 tier grid }\nroute z { tier grid }\n'
    zh = format_text(en, lang="zh")
    assert "条件 事项 == M01" in zh
    assert meaning(zh) == meaning(en)


@pytest.mark.parametrize("source", ["tier x {", 'policy p { note "open }', "route r { when a == }", "tier x： y",
                                    "policy p { effective 2026-02-30 }", "route r { when t > 2026-01-01T25:00 }"])
def test_syntax_errors_are_reported_not_formatted(source: str) -> None:
    with pytest.raises(FormatError) as info:
        format_text(source)
    assert info.value.diagnostics and all(d.severity == "error" for d in info.value.diagnostics)


def test_bad_language_is_refused() -> None:
    with pytest.raises(ValueError):
        format_text("tier a", lang="fr")


# ---- the command -------------------------------------------------------------------------


def _tree(tmp_path: Path) -> tuple[Path, Path, Path]:
    good = tmp_path / "a.gp"
    good.write_text("tier   grid {level 1}\n", encoding="utf-8")
    done = tmp_path / "sub" / "b.gp"
    done.parent.mkdir()
    done.write_text("tier b\n", encoding="utf-8")
    bad = tmp_path / "c.gp"
    bad.write_text("tier x {\n", encoding="utf-8")
    return good, done, bad


def test_cli_check_lists_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, done, bad = _tree(tmp_path)
    bad.unlink()
    assert main(["fmt", "--check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert str(good) in out and str(done) not in out
    assert good.read_text(encoding="utf-8") == "tier   grid {level 1}\n"  # --check writes nothing
    assert main(["fmt", str(tmp_path)]) == 0
    assert good.read_text(encoding="utf-8") == "tier grid { level 1 }\n"
    assert main(["fmt", "--check", str(tmp_path)]) == 0


def test_cli_diff_prints_and_does_not_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, _, bad = _tree(tmp_path)
    bad.unlink()
    assert main(["fmt", "--diff", str(good)]) == 0
    out = capsys.readouterr().out
    assert "-tier   grid {level 1}" in out and "+tier grid { level 1 }" in out
    assert good.read_text(encoding="utf-8") == "tier   grid {level 1}\n"


def test_cli_lang_and_broken_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, done, bad = _tree(tmp_path)
    os.chmod(good, 0o640)
    assert main(["fmt", "--lang", "zh", str(tmp_path)]) == 2  # c.gp has a syntax error
    err = capsys.readouterr().err
    assert "GP007" in err and str(bad) in err  # the '{' of `tier x {` is not closed
    assert bad.read_text(encoding="utf-8") == "tier x {\n"  # left untouched
    assert good.read_text(encoding="utf-8") == "层级 grid { 级别 1 }\n"
    assert done.read_text(encoding="utf-8") == "层级 b\n"
    assert os.stat(good).st_mode & 0o777 == 0o640  # the rewrite keeps the file's mode
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.gp", "b.gp", "c.gp", "sub"]  # no temp files left


def test_cli_diff_without_final_newline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.gp"
    path.write_text("tier  a", encoding="utf-8")
    assert main(["fmt", "--diff", str(path)]) == 0
    out = capsys.readouterr().out
    assert "-tier  a\n\\ No newline at end of file\n+tier a\n" in out


def test_cli_missing_path(tmp_path: Path) -> None:
    assert main(["fmt", str(tmp_path / "nope.gp")]) == 2
