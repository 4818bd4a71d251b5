"""Error recovery: unbalanced braces found by indentation (reported at the `{` that is not
closed, not where the parser notices), and parsing resumed after a syntax error at the next
top-level declaration, so that one file reports its independent errors together."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from ..diagnostics import Reporter
from . import keywords as kw
from .nodes import Span
from .tokens import DECLARATION_WORDS, Tok, by_line, tokenize

MAX_SYNTAX_ERRORS = 50
# Declaration keywords that are also property keys (`tier street` inside a route).
PROPERTY_KEYWORDS = frozenset(w for en in ("tier", "department", "matter", "list", "grade", "batch", "class")
                              for w in (en, kw.DECLARATIONS[en]))


@dataclass
class _Open:
    brace: Tok
    indent: int
    head: str


def _head(line: list[Tok], brace: Tok) -> str:
    words = [t.text for t in line if t.start < brace.start]
    return " ".join(words[:3]) if words else "{"


def balance(text: str, file: str, reporter: Reporter) -> str:
    """GP007 at each `{` without its `}` and GP001 at each `}` without its `{`; the text with
    the missing braces added (on a blank line or at a line's end, so no position moves)."""
    if text.count("{") == text.count("}"):
        return text  # balanced (braces in strings too, almost always): a misplaced one is the parser's
    tokens = tokenize(text)
    if sum(t.text == "{" for t in tokens) == sum(t.text == "}" for t in tokens):
        return text
    lines = by_line(tokens)
    stack: list[_Open] = []
    inserts: list[int] = []
    blanks: list[Tok] = []
    starts = _line_starts(text)
    last_line = text.rstrip().count("\n") + 1  # only "\n" ends a line (not \x1c, \u2028...)

    def unclosed(o: _Open, noticed: Tok | None) -> None:
        span = Span(file, o.brace.line, o.brace.column, o.brace.line, o.brace.column + 1)
        if noticed is None:
            where_zh, where_en = "文件结尾", f"the end of the file (line {last_line})"
            inserts.append(len(text))
        else:
            where_zh = f"第 {noticed.line} 行“{noticed.text}”"
            where_en = f"line {noticed.line} ('{noticed.text}')"
            inserts.append(_insert_point(text, starts, lines, noticed))
        reporter.report("GP007", span,
                        f"“{o.head}”的“{{”没有对应的“}}”：请在这一块的最后补上“}}”",
                        f"the '{{' of '{o.head}' is never closed: add '}}' at the end of its block",
                        hint=(f"到{where_zh}才发现缺少“}}”（{file}:{noticed.line if noticed else last_line}）。",
                              f"noticed at {where_en}."))

    for no in sorted(lines):
        toks = lines[no]
        first = toks[0]
        indent = first.column - 1
        starts_block = any(t.text == "{" for t in toks) or first.text not in PROPERTY_KEYWORDS
        if first.text in DECLARATION_WORDS and first.kind == "word" and starts_block:
            while stack and stack[-1].indent >= indent:
                unclosed(stack.pop(), first)
        for t in toks:
            if t.text == "{":
                stack.append(_Open(t, indent, _head(toks, t)))
            elif t.text == "}":
                if not stack:
                    reporter.report("GP001", Span(file, t.line, t.column, t.line, t.column + 1),
                                    "多余的“}”：前面没有与它对应的“{”",
                                    "'}' without a matching '{'",
                                    hint=("删去这个“}”，或检查上面是否少写了“{”。",
                                          "delete this '}', or check for a missing '{' above."))
                    blanks.append(t)
                    continue
                if t is first and any(o.indent == indent for o in stack):
                    while stack[-1].indent > indent:
                        unclosed(stack.pop(), t)
                stack.pop()
    while stack:
        unclosed(stack.pop(), None)
    if not inserts and not blanks:
        return text
    chars = list(text)
    for t in blanks:
        chars[t.start] = " "
    for at in sorted(inserts, reverse=True):
        chars.insert(at, "}")
    return "".join(chars)


def _line_starts(text: str) -> list[int]:
    out = [0]
    out.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")
    return out


def _insert_point(text: str, starts: list[int], lines: dict[int, list[Tok]], noticed: Tok) -> int:
    """Where a missing `}` goes before `noticed`: on a blank line above it, else at the end of
    the line above (if it has no comment), else just before `noticed`."""
    for no in range(noticed.line - 1, 0, -1):
        line_text = text[starts[no - 1]:starts[no] - 1] if no < len(starts) else ""
        if no in lines:
            last = lines[no][-1]
            rest = text[last.end:starts[no] - 1]
            return last.end if not rest.strip() else noticed.start
        if not line_text.strip():
            return starts[no - 1]
    return noticed.start


def _error_pos(exc: UnexpectedInput, text: str) -> int:
    if isinstance(exc, UnexpectedToken):
        return exc.token.start_pos if exc.token.type != "$END" and exc.token.start_pos is not None else len(text)
    if isinstance(exc, UnexpectedCharacters):
        return exc.pos_in_stream or 0
    return len(text)


def _top_starts(text: str) -> list[int]:
    """Offsets of the first token of each line outside every block."""
    out: list[int] = []
    depth = 0
    last_line = 0
    for t in tokenize(text):
        if t.line != last_line and depth == 0 and t.text != "}":
            out.append(t.start)
        last_line = t.line
        if t.text == "{":
            depth += 1
        elif t.text == "}":
            depth = max(0, depth - 1)
    return out


def _blank(text: str, start: int, end: int, reporter: Reporter) -> str:
    region = text[start:end]
    toks = tokenize(region)
    for a, b in zip(toks, toks[1:], strict=False):
        if a.text in DECLARATION_WORDS and b.kind in ("word", "str"):
            reporter.lost_kinds.add(kw.ZH_DECLARATIONS.get(a.text, a.text))
            reporter.lost_names.add(b.text.strip('"') if b.kind == "str" else b.text)
            if b.kind == "word":
                idx = toks.index(b)
                if idx + 1 < len(toks) and toks[idx + 1].kind == "str":
                    reporter.lost_names.add(toks[idx + 1].text.strip('"'))
    return text[:start] + "".join(ch if ch == "\n" else " " for ch in region) + text[end:]


def parse_recovering(parse: Callable[[str], Any], text: str, file: str, reporter: Reporter,
                     report: Callable[[UnexpectedInput, str, str, Reporter], None]) -> Any:
    """`parse(text)`; after each syntax error (reported through `report`), the top-level
    declaration where it happened is skipped and parsing starts again. The tree of what
    parsed, or None if nothing did."""
    work = text
    for _ in range(MAX_SYNTAX_ERRORS):
        try:
            return parse(work)
        except UnexpectedInput as exc:
            report(exc, work, file, reporter)
            pos = _error_pos(exc, work)
            starts = _top_starts(work)
            before = [s for s in starts if s <= pos]
            after = [s for s in starts if s > pos]
            start = before[-1] if before else 0
            end = after[0] if after else len(work)
            if not work[start:end].strip():
                return None
            work = _blank(work, start, end, reporter)
    reporter.report("GP001", Span(file, 1, 1, 1, 2), f"语法错误超过 {MAX_SYNTAX_ERRORS} 处，其余未列出",
                    f"more than {MAX_SYNTAX_ERRORS} syntax errors; the rest are not listed")
    return None
