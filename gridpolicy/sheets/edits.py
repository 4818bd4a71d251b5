"""Edits of rule text in place: a property replaced, added or removed, a label changed, a
declaration added at the end of its container. Everything else in the file (comments, blank
lines, other declarations) is left as it was; the formatter lays the result out afterwards.

`apply(text, edits)` returns the new text and, for every edit, the lines it now occupies, so a
diagnostic in the result can be traced back to the spreadsheet cell that caused it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..syntax.lines import lines as source_lines
from ..syntax.nodes import Decl, Prop, Span

INDENT = "  "
LABEL_RE = re.compile(r'\s*"(?:[^"\\]|\\.)*"')


@dataclass(frozen=True)
class Edit:
    start: int  # offsets into the text
    end: int
    text: str
    tag: Any = None  # what the edit came from (a cell)


def offset(text: str, line: int, column: int) -> int:
    """The offset of a 1-based (line, column) position."""
    rows = source_lines(text)
    return sum(len(r) + 1 for r in rows[: line - 1]) + column - 1


def _start(text: str, span: Span) -> int:
    return offset(text, span.line, span.column)


def _end(text: str, span: Span) -> int:
    return offset(text, span.end_line, span.end_column)


def replace_prop(text: str, prop: Prop, new: str, tag: Any) -> Edit:
    return Edit(_start(text, prop.span), _end(text, prop.span), new, tag)


def remove_prop(text: str, prop: Prop, tag: Any) -> Edit:
    """Remove a property; its whole line when nothing else is written on it."""
    start, end = _start(text, prop.span), _end(text, prop.span)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if not text[line_start:start].strip() and not text[end:line_end].strip():
        return Edit(line_start, min(line_end + 1, len(text)), "", tag)
    return Edit(start, end, "", tag)


def _indent_of(text: str, span: Span) -> str:
    row = source_lines(text)[span.line - 1]
    return row[: len(row) - len(row.lstrip())]


def add_prop(text: str, decl: Decl, new: str, tag: Any) -> Edit:
    """Add a property after the declaration's last property (or first thing in its body)."""
    inner = _indent_of(text, decl.span) + INDENT
    if decl.props:
        last = max(decl.props, key=lambda p: (p.span.end_line, p.span.end_column))
        at = _end(text, last.span)
        return Edit(at, at, f"\n{inner}{new}", tag)
    end = _end(text, decl.span)
    if not text[:end].rstrip().endswith("}"):  # no body: `batch b1 "第一批"`
        return Edit(end, end, f" {{\n{inner}{new}\n{inner[:-len(INDENT)]}}}", tag)
    brace = text.index("{", _start(text, decl.id_span) if decl.id else _start(text, decl.span))
    return Edit(brace + 1, brace + 1, f"\n{inner}{new}", tag)


def replace_label(text: str, decl: Decl, label: str, quoted: str, tag: Any) -> Edit:
    """Replace, add or remove the label written after the declaration's id."""
    at = _end(text, decl.id_span)
    m = LABEL_RE.match(text, at)
    if m:
        return Edit(at, m.end(), f" {quoted}" if label else "", tag)
    return Edit(at, at, f" {quoted}" if label else "", tag)


def replace_block(text: str, decl: Decl, new: str, tag: Any) -> Edit:
    """Replace a whole nested declaration (a `traits { }` block), or remove it (`new` == "")."""
    if not new:
        return remove_prop(text, Prop("", (), decl.span), tag)
    return Edit(_start(text, decl.span), _end(text, decl.span), new, tag)


def add_child(text: str, parent: Decl | None, new: str, tag: Any, after: Decl | None = None) -> Edit:
    """Add a declaration (given as text, possibly several lines) as the last child of `parent`,
    or after the declaration `after`, or at the end of the file."""
    if after is not None:
        at = _end(text, after.span)
        indent = _indent_of(text, after.span)
        return Edit(at, at, "\n" + _indented(new, indent), tag)
    if parent is None:
        body = text.rstrip("\n")
        return Edit(len(body), len(text), "\n\n" + new.rstrip("\n") + "\n", tag)
    end = _end(text, parent.span) - 1  # the closing brace
    indent = _indent_of(text, parent.span) + INDENT
    line_start = text.rfind("\n", 0, end) + 1
    if text[line_start:end].strip():  # `}` shares a line with something
        return Edit(end, end, "\n" + _indented(new, indent) + "\n" + indent[: -len(INDENT)], tag)
    return Edit(line_start, line_start, _indented(new, indent) + "\n", tag)


def _indented(block: str, indent: str) -> str:
    return "\n".join(indent + line if line else "" for line in block.rstrip("\n").split("\n"))


def apply(text: str, edits: list[Edit]) -> tuple[str, list[tuple[Any, int, int]]]:
    """Apply non-overlapping edits. Returns the text and (tag, first line, last line) for each
    edit in the result (1-based; an edit that removed text occupies the line where it was)."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    for a, b in zip(ordered, ordered[1:]):
        if b.start < a.end:
            raise ValueError(f"overlapping edits at {a.start}..{a.end} and {b.start}..{b.end}")
    out: list[str] = []
    where: list[tuple[Any, int, int]] = []
    pos = 0
    line = 1
    for e in ordered:
        chunk = text[pos:e.start]
        out.append(chunk)
        line += chunk.count("\n")
        first = line + (1 if e.text.startswith("\n") else 0)
        out.append(e.text)
        line += e.text.count("\n")
        where.append((e.tag, first, max(first, line)))
        pos = e.end
    out.append(text[pos:])
    return "".join(out), where
