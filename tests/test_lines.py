"""One definition of a line (syntax/lines.py) for the parser's spans, the reporter's excerpts and
`# gridpolicy: ignore` marks, and the formatter: only a newline (LF, CRLF or CR) ends a line;
U+2028, U+2029, U+0085, VT, FF and the separators U+001C-U+001E are characters of the line."""

from __future__ import annotations

import pytest

import gridpolicy
from gridpolicy.formatter import format_text
from gridpolicy.syntax.lines import lines

SEPARATORS = ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]

POLICY = """policy p "p" {{ version "1" }}
# 说明{sep}续
tier grid "网格" {{ level 1 }}
route r "r" {{ tier grid }}
grade g "等级" {{ band 50 -> ok "合格" }}
formula f "f" {{
  input a "甲" {{ range 0 .. 100 }}
  value a
  range 0 .. 100
  grade g{mark}
}}
"""


@pytest.mark.parametrize("sep", SEPARATORS)
def test_only_newlines_end_lines(sep: str) -> None:
    assert lines(f"a{sep}b\nc\r\nd\re") == (f"a{sep}b", "c", "d", "e")


@pytest.mark.parametrize("sep", SEPARATORS)
def test_a_diagnostic_after_a_separator_quotes_its_own_line(sep: str) -> None:
    policy = gridpolicy.loads(POLICY.format(sep=sep, mark=""))
    (warning,) = [w for w in policy.warnings if w.code == "GP054"]
    assert warning.span.line == 10
    assert warning.excerpt == "  grade g"
    assert "   10 |   grade g" in warning.render()


@pytest.mark.parametrize("sep", SEPARATORS)
def test_ignore_marks_work_after_a_separator(sep: str) -> None:
    policy = gridpolicy.loads(POLICY.format(sep=sep, mark="  # gridpolicy: ignore GP054"))
    assert [w.code for w in policy.warnings if w.code == "GP054"] == []


@pytest.mark.parametrize("sep", SEPARATORS)
def test_the_formatter_keeps_a_comment_with_a_separator(sep: str) -> None:
    text = POLICY.format(sep=sep, mark="")
    out = format_text(text)
    assert f"# 说明{sep}续" in out
    assert format_text(out) == out


def test_a_syntax_error_after_a_separator_is_located_on_its_line() -> None:
    with pytest.raises(gridpolicy.PolicyError) as info:
        gridpolicy.loads('policy p "p" { version "1" }\n# x\u2028y\ntier grid "g" { level }\n')
    (err,) = [e for e in info.value.errors if e.code == "GP001"]  # the checker also runs after syntax errors
    assert err.span.line == 3 and err.excerpt == 'tier grid "g" { level }'
