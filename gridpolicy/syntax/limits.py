"""Limits on rule text (GP013): what `load` accepts, so that hand-edited files cannot make it
slow, exhaust memory or recurse too deep in anything that walks the tree afterwards."""

from __future__ import annotations

import re

from ..diagnostics import Reporter
from .nodes import Decl, Expr, Span, children

# Limits (GP013). Rule files are edited by hand and cannot be trusted: these bound the time and
# memory `load` needs and the recursion depth of everything that walks the tree afterwards.
MAX_TEXT_CHARS = 1_000_000  # one file or one rule text
MAX_TOKENS = 60_000  # words and symbols in one file (all shipped rules together: about 7,000)
MAX_NESTING = 48  # open brackets ( [ { at once
MAX_TREE_DEPTH = 96  # nested syntax (not not ..., a + b + ..., x.y.z ...) before the transformer
MAX_EXPR_DEPTH = 64  # depth of one expression after `and`/`or` chains are built
MAX_EXPR_NODES = 5_000  # nodes in one expression (a list of 4,000 grid codes fits)
MAX_FULL_WIDTH_REPORTS = 20  # GP004 per file; the rest are counted in the last one
MAX_INT_DIGITS = 16  # 1e15, the bound items have for numbers, is 16 digits
MAX_ARGS = 100  # arguments of one property (escalation steps, enum values...; the shipped rules: 7)
# Longest time limit: two years in each unit (the shipped rules: 15 workdays), so deadlines stay
# in range and counting working days for every escalation step of a decision stays quick.
MAX_DURATION = {"minutes": 1_054_080, "hours": 17_568, "days": 732, "workdays": 500,
                "workhours": 4_000, "urgent_hours": 17_568, "urgent_days": 732}
MIN_YEAR, MAX_YEAR = 1900, 2199

_TOKEN_RE = re.compile(r"\w+|[^\w\s]")


def token_estimate(text: str, cap: int = MAX_TOKENS) -> int:
    """An upper bound on the number of tokens in `text` (a word in a string counts too), found
    with one regex pass that stops after `cap` + 1. Used to refuse oversized input before Lark
    spends time on it."""
    if len(text) <= cap:
        return min(len(text), len(_TOKEN_RE.findall(text)))
    count = 0
    for _ in _TOKEN_RE.finditer(text):
        count += 1
        if count > cap:
            break
    return count


def report_limit(reporter: Reporter, span: Span, zh: str, en: str) -> None:
    reporter.report("GP013", span, zh, en,
                    hint=("请拆分为几条较简单的规则。", "split it into a few simpler rules."))


def exprs_within_limits(items: list, reporter: Reporter) -> bool:
    """Arguments per property and the depth and size of every expression in the module (GP013).
    True if all are within limits."""
    ok = True
    decls = [d for d in items if isinstance(d, Decl)]
    while decls:
        d = decls.pop()
        decls.extend(d.children)
        for prop in d.props:
            if len(prop.args) > MAX_ARGS:
                report_limit(reporter, prop.span, f"属性“{prop.key}”的取值超过 {MAX_ARGS} 个",
                       f"property '{prop.key}' has more than {MAX_ARGS} arguments")
                ok = False
            for arg in prop.args:
                for e in (arg.value, arg.target):
                    if e is not None and not expr_within_limits(e, reporter):
                        ok = False
    return ok


def expr_within_limits(root: Expr, reporter: Reporter) -> bool:
    nodes = 0
    stack: list[tuple[Expr, int]] = [(root, 1)]
    while stack:
        e, depth = stack.pop()
        nodes += 1
        if depth > MAX_EXPR_DEPTH:
            report_limit(reporter, root.span, f"表达式嵌套超过 {MAX_EXPR_DEPTH} 层（如过长的 and/or 连写）",
                   f"expression nested deeper than {MAX_EXPR_DEPTH} levels (e.g. a very long and/or chain)")
            return False
        if nodes > MAX_EXPR_NODES:
            report_limit(reporter, root.span, f"表达式过大（超过 {MAX_EXPR_NODES} 个部分）",
                   f"expression too large (more than {MAX_EXPR_NODES} parts)")
            return False
        stack.extend((c, depth + 1) for c in children(e))
    return True

