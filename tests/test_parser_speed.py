"""The parser's speed-ups keep Lark's results exactly: the same trees, positions and nodes."""

from __future__ import annotations

from pathlib import Path

import pytest
from lark import Lark, Tree

import gridpolicy
from gridpolicy.diagnostics import PolicyError, Reporter
from gridpolicy.syntax import parser, scan

ROOT = Path(__file__).resolve().parent.parent
RULE_FILES = sorted((ROOT / "rules").glob("*.gp"))


def _plain_lark() -> Lark:
    return Lark(parser.grammar_text(), parser="lalr", lexer="contextual", propagate_positions=True,
                maybe_placeholders=False, cache=False)


def _shape(node: object) -> object:
    """A tree with every node's positions, as comparable data."""
    if isinstance(node, Tree):
        m = node.meta
        pos = None if m.empty else (m.line, m.column, m.end_line, m.end_column, m.start_pos, m.end_pos)
        return (str(node.data), pos, [_shape(c) for c in node.children])
    return (type(node).__name__, str(node), getattr(node, "line", None), getattr(node, "column", None))


EXTRA = [
    'route r "x" { when (a or b) and not (c in [x, y]) and -(n + 1) * 2 >= f(k: 3, z) tier grid }\n',
    'route r "x" { when ((((a)))) and [] == [] and x.y.z tier grid; limit 3 workdays }\n',
    'field f "f" { type number; range 0 .. 10; default 2026-01-01T08:00+08:00 }\n',
]


@pytest.mark.parametrize("text", [p.read_text(encoding="utf-8") for p in RULE_FILES] + EXTRA)
def test_trees_and_positions_are_larks(text: str) -> None:
    assert _shape(parser.lark_parser().parse(text)) == _shape(_plain_lark().parse(text))


@pytest.mark.parametrize("text", [p.read_text(encoding="utf-8") for p in RULE_FILES] + EXTRA)
def test_builder_is_larks_transformer(text: str) -> None:
    tree = _plain_lark().parse(text)
    a = parser.TreeBuilder("f.gp", Reporter()).build(tree)
    b = parser.TreeBuilder("f.gp", Reporter()).transform(tree)
    assert a == b


def test_comment_scan_matches_a_char_by_char_scan() -> None:
    text = 'a # x\n"# not" // y\n"""\n# in block\n""" b / c // z\n"esc \\" # no" # yes'
    found = [(str(t), t.line, t.column, t.end_column) for t in scan.comment_tokens(text)]
    assert found == [("# x", 1, 3, 6), ("// y", 2, 9, 13), ("// z", 5, 11, 15), ("# yes", 6, 15, 20)]


def test_end_of_file_line_counts_only_newlines() -> None:
    # \x1c and \u2028 end a line for str.splitlines(), not for the rule language.
    text = 'policy p "x" {\n # a\x1cb\u2028c\n'
    with pytest.raises(PolicyError) as exc:
        gridpolicy.loads(text)
    first = exc.value.diagnostics[0]  # the '{' not closed, noticed at the end of line 2
    assert (first.code, first.span.line) == ("GP007", 1) and "line 2" in first.hint_en, first.render()
