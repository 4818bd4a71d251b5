"""Text -> syntax tree. A facade over Lark that turns parse failures into diagnostics."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from operator import itemgetter
from typing import Any

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.parse_tree_builder import ExpandSingleChild, PropagatePositions
from lark.tree import Meta
from lark.visitors import _vargs_meta

from ..diagnostics import Reporter, did_you_mean
from ..folders import grammar_cache_file
from . import keywords as kw
from .explain import explain
from .limits import (
    MAX_DURATION,
    MAX_INT_DIGITS,
    MAX_TEXT_CHARS,
    MAX_TOKENS,
    MAX_TREE_DEPTH,
    MAX_YEAR,
    MIN_YEAR,
    exprs_within_limits,
    report_limit,
    token_estimate,
)
from .lines import normalise
from .nodes import (
    Arg,
    Attr,
    Binary,
    Call,
    Comment,
    Decl,
    Duration,
    Expr,
    Include,
    ListLit,
    Literal,
    Module,
    Name,
    Prop,
    Span,
    Unary,
)
from .recover import balance, parse_recovering
from .scan import FULL_WIDTH, bidi_scan, comment_tokens, prescan, report_full_width
from .tokens import Tok, tokenize

# Terminal names in words a committee member understands.
TERMINAL_WORDS: dict[str, tuple[str, str]] = {
    "NAME": ("名称", "a name"),
    "STRING": ("带引号的文字", "quoted text"),
    "NUMBER": ("数字", "a number"),
    "DATE": ("日期（如 2026-01-01）", "a date (e.g. 2026-01-01)"),
    "DATETIME": ("时间", "a date and time"),
    "DURATION": ("时长（如 3 工作日）", "a duration (e.g. 3 workdays)"),
    "LBRACE": ("“{”", "'{'"), "RBRACE": ("“}”", "'}'"),
    "LPAR": ("“(”", "'('"), "RPAR": ("“)”", "')'"),
    "LSQB": ("“[”", "'['"), "RSQB": ("“]”", "']'"),
    "COMMA": ("“,”", "','"), "SEMICOLON": ("“;”", "';'"), "COLON": ("“:”", "':'"),
    "CMP": ("比较符号", "a comparison"),
    "$END": ("文件结尾", "end of file"),
}
for _en, _zh in kw.DECLARATIONS.items():
    TERMINAL_WORDS[f"KW_{_en.upper()}"] = (f"“{_zh}”", f"'{_en}'")


def _alternatives(words: list[str] | tuple[str, ...]) -> str:
    # An English keyword must end at a word boundary, so that `note` is not `not` + `e`
    # and `order` is not `or` + `der`.
    # Chinese keywords too: `不满意` is a name, not `不` + `满意`; write `不 满意` for "not 满意".
    return " | ".join(f'/{w}(?![\\w])/' for w in sorted(words, key=len, reverse=True))


def grammar_text() -> str:
    """The full grammar: grammar.lark plus the keyword terminals from keywords.py."""
    base = resources.files("gridpolicy.syntax").joinpath("grammar.lark").read_text(encoding="utf-8")
    lines = [f"KW_{en.upper()}.2: {_alternatives([en, zh])}" for en, zh in kw.DECLARATIONS.items()]
    lines += [f"OP_{en.upper()}.2: {_alternatives((en, *zh))}" for en, zh in kw.OPERATORS.items()]
    units = sorted((s for ss in kw.DURATION_UNITS.values() for s in ss), key=len, reverse=True)
    lines.append(r"DURATION.4: /\d+(\.\d+)?[ \t]*(" + "|".join(units) + r")(?![\w])/")
    return base + "\n" + "\n".join(lines) + "\n"


@lru_cache(maxsize=1)
def lark_parser() -> Lark:
    # Lark's analysis of the grammar (the LALR tables, a tenth of a second) is kept in the
    # compiled cache's folder; Lark checks the grammar's digest before it uses the file.
    parser = Lark(grammar_text(), parser="lalr", lexer="contextual", propagate_positions=True,
                  maybe_placeholders=False, cache=grammar_cache_file() or False)
    # Tree building and position propagation run at every reduction; most reductions pass a
    # single child through an inlined `?rule` (the expression precedence chain). Those get a
    # callback that returns the child; the others skip the work a pass-through would do (see
    # `_Positions`). The trees and their positions are exactly Lark's.
    callbacks: dict[Any, Any] = getattr(parser, "_callbacks", None) or {}  # Lark's reduction callbacks (lark 1.x)
    for rule, callback in callbacks.items():
        if type(callback) is not PropagatePositions or callback.node_filter is not None:
            continue
        if type(callback.node_builder) is ExpandSingleChild and len(rule.expansion) == 1:
            callbacks[rule] = itemgetter(0)  # one symbol, no filter: the child itself
        else:
            callbacks[rule] = _Positions(callback.node_builder)
    return parser


class _Positions(PropagatePositions):
    """Lark's `PropagatePositions` (lark 1.x, same rules), returning at once when the rule
    passes its only child through unchanged: for a Token Lark sets nothing, and for a subtree
    it would only copy the subtree's own positions into its container positions (a missing
    container position reads as the node's own), so every node's positions are exactly Lark's."""

    def __call__(self, children: list[Any]) -> object:
        res = self.node_builder(children)
        if not isinstance(res, Tree) or (len(children) == 1 and res is children[0]):
            return res
        meta: Any = res.meta  # Lark's Meta, with the container positions Lark adds
        if len(children) == 1 and type(children[0]) is Token and not hasattr(meta, "line"):
            # A new node over one token (`name`, `number`...): the general case below, unrolled.
            tok = children[0]
            meta.line = meta.container_line = tok.line
            meta.column = meta.container_column = tok.column
            meta.start_pos = meta.container_start_pos = tok.start_pos
            meta.end_line = meta.container_end_line = tok.end_line
            meta.end_column = meta.container_end_column = tok.end_column
            meta.end_pos = meta.container_end_pos = tok.end_pos
            meta.empty = False
            return res
        first = self._pp_get_meta(children)
        if first is not None:
            if not hasattr(meta, "line"):
                meta.line = getattr(first, "container_line", first.line)
                meta.column = getattr(first, "container_column", first.column)
                meta.start_pos = getattr(first, "container_start_pos", first.start_pos)
                meta.empty = False
            meta.container_line = getattr(first, "container_line", first.line)
            meta.container_column = getattr(first, "container_column", first.column)
            meta.container_start_pos = getattr(first, "container_start_pos", first.start_pos)
        last = self._pp_get_meta(reversed(children))
        if last is not None:
            if not hasattr(meta, "end_line"):
                meta.end_line = getattr(last, "container_end_line", last.end_line)
                meta.end_column = getattr(last, "container_end_column", last.end_column)
                meta.end_pos = getattr(last, "container_end_pos", last.end_pos)
                meta.empty = False
            meta.container_end_line = getattr(last, "container_end_line", last.end_line)
            meta.container_end_column = getattr(last, "container_end_column", last.end_column)
            meta.container_end_pos = getattr(last, "container_end_pos", last.end_pos)
        return res


def _span(file: str, meta_or_token: object) -> Span:
    m = meta_or_token
    return Span(file, getattr(m, "line", 0) or 0, getattr(m, "column", 0) or 0,
                getattr(m, "end_line", 0) or 0, getattr(m, "end_column", 0) or 0)


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def unquote(raw: str) -> str:
    if raw.startswith('"""'):
        body = raw[3:-3]
        # Strip the common indentation of a block note.
        import textwrap
        return textwrap.dedent(body).strip("\n")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), raw[1:-1])


class TreeBuilder(Transformer):
    """Lark parse tree -> nodes. One instance per file (carries the file name)."""

    def __init__(self, file: str, reporter: Reporter):
        super().__init__()
        self.file = file
        self.reporter = reporter

    def sp(self, meta: object) -> Span:
        return _span(self.file, meta)

    def build(self, tree: Tree[Any]) -> Any:
        """`self.transform(tree)` with Lark's semantics for this class (children first, tokens
        kept, `v_args(meta=True)` methods given the node's meta), without Lark's per-node
        method lookup and wrapping. Recursive: call it on trees within MAX_TREE_DEPTH."""
        children = [self.build(c) if type(c) is Tree else c for c in tree.children]
        handler = _HANDLERS.get(tree.data)
        if handler is None:
            handler = _HANDLERS[tree.data] = _handler(tree.data)
        return handler(self, tree, children)

    # declarations
    def start(self, items: list) -> list:
        return items

    @v_args(meta=True)
    def include(self, meta: Meta, children: list[Any]) -> Include:
        return Include(unquote(children[1]), self.sp(meta))

    def ident(self, children: list[Any]) -> Token:
        return children[0]

    def label(self, children: list[Any]) -> str:
        return unquote(children[0])

    def _decl(self, kind: str, meta: Meta, children: list[Any]) -> Decl:
        keyword = str(children[0])
        rest = children[1:]
        ident: str | None = None
        id_span = self.sp(meta)
        label = None
        if rest and isinstance(rest[0], Token) and rest[0].type == "NAME":
            ident = str(rest[0])
            id_span = _span(self.file, rest[0])
            rest = rest[1:]
        if rest and isinstance(rest[0], str) and not isinstance(rest[0], Token):
            label = rest[0]
            rest = rest[1:]
        props = tuple(r for r in rest if isinstance(r, Prop))
        kids = tuple(r for r in rest if isinstance(r, Decl))
        return Decl(kind, keyword, ident, label, props, kids, self.sp(meta), id_span)

    def __default__(self, data: str, children: list[Any], meta: Meta) -> Decl:
        if data in kw.DECLARATIONS:
            return self._decl(str(data), meta, children)
        raise AssertionError(f"unhandled grammar rule {data}")

    @v_args(meta=True)
    def prop(self, meta: Meta, children: list[Any]) -> Prop:
        key = children[0]
        return Prop(str(key), tuple(c for c in children[1:] if isinstance(c, Arg)), self.sp(meta))

    @v_args(meta=True)
    def arg(self, meta: Meta, children: list[Any]) -> Arg:
        value = children[0]
        target = None
        label = None
        for c in children[1:]:
            if isinstance(c, Expr):
                target = c
            elif isinstance(c, str):
                label = c
        return Arg(value, target, label, self.sp(meta))

    # expressions
    @v_args(meta=True)
    def or_expr(self, meta: Meta, children: list[Any]) -> Expr:
        return self._chain("or", meta, children)

    @v_args(meta=True)
    def and_expr(self, meta: Meta, children: list[Any]) -> Expr:
        return self._chain("and", meta, children)

    def _chain(self, op: str, meta: Meta, children: list[Any]) -> Expr:
        # Spans start at the rule's first token, so a parenthesised first operand keeps its "(".
        operands = [c for c in children if isinstance(c, Expr)]
        out = operands[0]
        for right in operands[1:]:
            out = Binary(Span(self.file, meta.line, meta.column, right.span.end_line,
                              right.span.end_column), op, out, right)
        return Binary(self.sp(meta), op, out.left, out.right) if isinstance(out, Binary) else out

    @v_args(meta=True)
    def not_(self, meta: Meta, children: list[Any]) -> Unary:
        return Unary(self.sp(meta), "not", children[1])

    @v_args(meta=True)
    def cmp(self, meta: Meta, children: list[Any]) -> Binary:
        return Binary(self.sp(meta), str(children[1]), children[0], children[2])

    @v_args(meta=True)
    def in_(self, meta: Meta, children: list[Any]) -> Binary:
        return Binary(self.sp(meta), "in", children[0], children[2])

    @v_args(meta=True)
    def not_in(self, meta: Meta, children: list[Any]) -> Binary:
        return Binary(self.sp(meta), "not in", children[0], children[3])

    @v_args(meta=True)
    def range(self, meta: Meta, children: list[Any]) -> Binary:
        return Binary(self.sp(meta), "..", children[0], children[1])

    @v_args(meta=True)
    def binary(self, meta: Meta, children: list[Any]) -> Binary:
        return Binary(self.sp(meta), str(children[1]), children[0], children[2])

    @v_args(meta=True)
    def neg(self, meta: Meta, children: list[Any]) -> Expr:
        if str(children[0]) == "+":
            return children[1]
        return Unary(self.sp(meta), "-", children[1])

    @v_args(meta=True)
    def attr(self, meta: Meta, children: list[Any]) -> Attr:
        return Attr(self.sp(meta), children[0], str(children[1]))

    @v_args(meta=True)
    def call(self, meta: Meta, children: list[Any]) -> Call:
        args: list[Expr] = []
        kwargs: list[tuple[str, Expr]] = []
        if len(children) > 1:
            for a in children[1]:
                if isinstance(a, tuple):
                    kwargs.append(a)
                else:
                    args.append(a)
        name = str(children[0])  # a Chinese function name (如果, 督办 ...) is stored as its English one
        return Call(self.sp(meta), kw.ZH_FUNCTIONS.get(name, name), tuple(args), tuple(kwargs))

    def call_args(self, children: list[Any]) -> list[Any]:
        return children

    def kwarg(self, children: list[Any]) -> tuple[str, Expr]:
        return (str(children[0]), children[1])

    @v_args(meta=True)
    def list_lit(self, meta: Meta, children: list[Any]) -> ListLit:
        return ListLit(self.sp(meta), tuple(c for c in children if isinstance(c, Expr)))

    @v_args(meta=True)
    def number(self, meta: Meta, children: list[Any]) -> Literal:
        raw = str(children[0])
        span = self.sp(meta)
        if len(raw.split(".")[0].lstrip("0")) > MAX_INT_DIGITS:
            self.reporter.report("GP041", span, f"数字过大（整数部分超过 {MAX_INT_DIGITS} 位）",
                                 f"number too large (more than {MAX_INT_DIGITS} integer digits)")
            return Literal(span, "number", 0)
        value: float | int = float(raw) if "." in raw else int(raw)
        return Literal(span, "number", value)

    @v_args(meta=True)
    def string(self, meta: Meta, children: list[Any]) -> Literal:
        return Literal(self.sp(meta), "string", unquote(str(children[0])))

    @v_args(meta=True)
    def date(self, meta: Meta, children: list[Any]) -> Literal:
        span = self.sp(meta)
        try:
            value = dt.date.fromisoformat(str(children[0]))
            _check_year(value.year)
        except ValueError:
            self.reporter.report("GP041", span, f"日期“{children[0]}”不存在",
                                 f"'{children[0]}' is not a valid date")
            value = dt.date(1970, 1, 1)
        return Literal(span, "date", value)

    @v_args(meta=True)
    def datetime(self, meta: Meta, children: list[Any]) -> Literal:
        span = self.sp(meta)
        try:
            value = dt.datetime.fromisoformat(str(children[0]).replace("Z", "+00:00"))
            _check_year(value.year)
        except ValueError:
            self.reporter.report("GP041", span, f"时间“{children[0]}”无效",
                                 f"'{children[0]}' is not a valid date and time")
            value = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
        return Literal(span, "datetime", value)

    @v_args(meta=True)
    def duration(self, meta: Meta, children: list[Any]) -> Literal:
        m = re.match(r"(\d+(?:\.\d+)?)\s*(\S+)", str(children[0]))
        assert m
        amount = float(m.group(1))
        unit = kw.unit_of(m.group(2))
        span = self.sp(meta)
        if amount > MAX_DURATION[unit]:
            self.reporter.report("GP041", span, f"时长“{children[0]}”过长（上限为两年）",
                                 f"duration '{children[0]}' is too long (the limit is two years)")
            amount = float(MAX_DURATION[unit])
        return Literal(span, "duration", Duration(amount, unit))

    @v_args(meta=True)
    def true(self, meta: Meta, children: list[Any]) -> Literal:
        return Literal(self.sp(meta), "bool", True)

    @v_args(meta=True)
    def false(self, meta: Meta, children: list[Any]) -> Literal:
        return Literal(self.sp(meta), "bool", False)

    @v_args(meta=True)
    def none(self, meta: Meta, children: list[Any]) -> Literal:
        return Literal(self.sp(meta), "none", None)

    @v_args(meta=True)
    def name(self, meta: Meta, children: list[Any]) -> Name:
        tok = children[0]
        # `matter`/`事项` in an expression is the item's matter, whichever language it is written in.
        return Name(self.sp(meta), "matter" if tok.type == "KW_MATTER" else str(tok))


def _handler(data: str) -> Callable[[TreeBuilder, Tree, list], object]:
    """How `TreeBuilder.build` calls the method for rule `data` (as Lark's Transformer would)."""
    attr = getattr(TreeBuilder, data, None)
    if attr is None or data.startswith("_"):
        return lambda self, tree, children: self.__default__(tree.data, children, tree.meta)
    base = getattr(attr, "base_func", None)
    if base is not None:  # v_args(meta=True)
        assert attr.visit_wrapper is _vargs_meta, data
        return lambda self, tree, children: base(self, tree.meta, children)
    return lambda self, tree, children: attr(self, children)


_HANDLERS: dict[str, Callable[[TreeBuilder, Tree, list], object]] = {}


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(year)


def _expected_words(expected: set[str]) -> tuple[str, str]:
    zh, en = [], []
    for t in sorted(expected):
        if t.startswith(("OP_", "ADD_OP", "MUL_OP")) or t in ("__ANON_0", "DOT", "MINUS"):
            continue
        if t in TERMINAL_WORDS:
            z, e = TERMINAL_WORDS[t]
        else:
            z = e = t.lower()
        if z not in zh:
            zh.append(z)
            en.append(e)
    if len(zh) > 8:
        zh, en = zh[:8] + ["……"], en[:8] + ["..."]
    return "、".join(zh), ", ".join(en)


def parse(text: str, file: str, reporter: Reporter, *, partial: bool = False) -> Module | None:
    """Parse one file's text. Syntax errors go to `reporter`, each where it is (the parser
    resumes after each, see `recover`); returns None if there were any, unless `partial`:
    then the module of what parsed (the loader checks it, so that other errors show too)."""
    if len(text) > MAX_TEXT_CHARS:
        reporter.add_source(file, text[:10_000])
        reporter.report("GP013", Span(file, 1, 1, 1, 2),
                        f"规则文本过长（{len(text)} 字符，上限 {MAX_TEXT_CHARS}）",
                        f"rule text too long ({len(text)} characters, limit {MAX_TEXT_CHARS})")
        return None
    text = normalise(text)
    reporter.add_source(file, text)
    if token_estimate(text) > MAX_TOKENS:
        report_limit(reporter, Span(file, 1, 1, 1, 2), f"规则文件过大（超过约 {MAX_TOKENS} 个词）",
               f"rule file too large (more than about {MAX_TOKENS} tokens)")
        return None
    before = len(reporter.diagnostics)
    if not bidi_scan(text, file, reporter):
        return None
    parsable, work = prescan(text, file, reporter)
    if not parsable:
        return None
    work = balance(explain(work, file, reporter), file, reporter)
    tree = parse_recovering(lark_parser().parse, work, file, reporter, report_syntax)
    failed = any(d.severity == "error" for d in reporter.diagnostics[before:])
    if tree is None or (failed and not partial):
        return None
    if not tree_within_limits(tree, file, reporter):
        return None
    items: list[Decl | Include] = TreeBuilder(file, reporter).build(tree)
    if not exprs_within_limits(items, reporter):
        return None
    comments = tuple(Comment(str(t), _span(file, t)) for t in comment_tokens(text))
    return Module(file, tuple(items), comments)


def tree_within_limits(tree: Tree, file: str, reporter: Reporter) -> bool:
    """Nesting depth of the Lark tree, measured without recursion (the transformer recurses)."""
    stack: list[tuple[Tree, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_TREE_DEPTH:
            report_limit(reporter, _span(file, node.meta) if not node.meta.empty else Span(file, 1, 1, 1, 2),
                   f"表达式嵌套超过 {MAX_TREE_DEPTH} 层", f"expression nested deeper than {MAX_TREE_DEPTH} levels")
            return False
        stack.extend((c, depth + 1) for c in node.children if isinstance(c, Tree))
    return True


def report_syntax(exc: UnexpectedInput, text: str, file: str, reporter: Reporter) -> None:
    line, col = exc.line if exc.line > 0 else 1, exc.column if exc.column > 0 else 1
    if isinstance(exc, UnexpectedCharacters):
        pos: int = exc.pos_in_stream or 0
        ch = text[pos] if pos < len(text) else ""
        span = Span(file, line, col, line, col + 1)
        if ch in FULL_WIDTH:
            report_full_width(reporter, span, ch)
        elif ch == '"':
            reporter.report("GP005", span, "引号没有闭合", "string is not closed",
                            hint=("在同一行末尾补上“\"”。", "add the closing '\"' on the same line."))
        else:
            zh, en = _expected_words(set(exc.allowed or ()))
            reporter.report("GP003", span, f"此处不能出现字符“{ch}”" + (f"，应为：{zh}" if zh else ""),
                            f"character '{ch}' is not allowed here" + (f"; expected {en}" if en else ""))
        return
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        lines = text.rstrip().split("\n")  # only "\n" ends a line (not \x1c, \u2028...)
        span = Span(file, len(lines), len(lines[-1]) + 1, len(lines), len(lines[-1]) + 2)
        zh, en = _expected_words(set(getattr(exc, "expected", ()) or ()))
        reporter.report("GP002", span, f"文件意外结束，缺少：{zh}", f"unexpected end of file; expected {en}",
                        hint=("检查花括号“{ }”是否成对。", "check that every '{' has its '}'."))
        return
    assert isinstance(exc, UnexpectedToken)
    tok = exc.token
    span = Span(file, line, col, tok.end_line or line, tok.end_column or col + len(str(tok)))
    expected = set(exc.expected)
    zh, en = _expected_words(expected)
    prev = _previous_token(text, tok.start_pos or 0)
    wants_value = bool(expected & _VALUE_TERMINALS)
    if prev is not None and prev.line < line and wants_value and prev.text not in ("{", "}", ";", ","):
        # The line above ends where a value must follow: that line is the one to mend.
        pspan = Span(file, prev.line, prev.column, prev.line, prev.end_column)
        reporter.report("GP001", pspan, f"这一行在“{prev.text}”处没有写完：后面应为{zh}",
                        f"the line stops after '{prev.text}': expected {en} after it",
                        hint=(f"在“{prev.text}”后面补上取值，例如 `when urgency == emergency`。",
                              f"complete it after '{prev.text}', e.g. `when urgency == emergency`."))
        return
    hint = None
    if tok.type == "NAME":
        words = [w for t in expected if t.startswith("KW_")
                 for w in (t[3:].lower(), kw.DECLARATIONS.get(t[3:].lower(), ""))]
        guess = did_you_mean(str(tok), [w for w in words if w])
        if guess:
            hint = (f"是否想写“{guess}”？", f"did you mean '{guess}'?")
    reporter.report("GP001", span, f"此处不应出现“{tok}”，应为：{zh}",
                    f"unexpected '{tok}'; expected {en}", hint=hint)


_VALUE_TERMINALS = frozenset({"NAME", "NUMBER", "STRING", "DATE", "DURATION", "DATETIME"})


def _previous_token(text: str, pos: int) -> Tok | None:
    before = [t for t in tokenize(text[:pos])]
    return before[-1] if before else None
