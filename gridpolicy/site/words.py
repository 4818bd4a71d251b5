"""Expressions for readers: conditions in plain Chinese, formulas in readable notation.

The output is Markdown inline text: every name and literal that comes from a rule file is
escaped here, so callers can put the result on a page as it is.
"""

from __future__ import annotations

from ..syntax.nodes import Attr, Binary, Call, Expr, ListLit, Literal, Name, Symbol, Unary, walk
from ..syntax.printer import P_ATOM, P_NEG, P_PRODUCT, P_SUM, RECORDS, Render, Spelling, expr_text
from .context import Context
from .markdown import num, text

MATTER_ATTRS = {"status": "事项状态", "batch": "事项批次", "list": "事项所在清单", "owner": "事项主管部门"}
OPS_WORDS = {"==": "为", "!=": "不为", "<": "低于", "<=": "不高于", ">": "高于", ">=": "不低于"}
OPS_MATH = {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥", "*": "×", "/": "÷", "+": "+",
            "-": "−", "%": "mod", "and": "且", "or": "或"}
FUNC_WORDS = {"round": "四舍五入", "min": "最小值", "max": "最大值", "sum": "合计", "avg": "平均",
              "count": "计数", "rate": "比例", "abs": "绝对值", "clamp": "限定在区间内"}


def names(e: Expr) -> list[str]:
    """The input names an expression reads, in order."""
    return [x.id for x in walk(e) if isinstance(x, Name)]


class Words:
    """Renders expressions with the names of one policy, through the one printer
    (`syntax.printer.expr_text`): plain Chinese for conditions, readable notation for formulas.
    The printer walks the tree and places the parentheses; these spellings only word the parts."""

    def __init__(self, ctx: Context, labels: dict[str, str] | None = None) -> None:
        self.ctx = ctx
        self.labels = labels or {}
        self._words = _Plain(self)
        self._notation = _Notation(self)

    def condition(self, e: Expr | None) -> str:
        """A condition in plain Chinese."""
        if e is None:
            return "所有事项（兜底）"
        return self.w(e)

    def w(self, e: Expr) -> str:
        return expr_text(e, spelling=self._words)

    def notation(self, e: Expr) -> str:
        """A formula in readable notation, inputs by their Chinese names."""
        return self.n(e)

    def n(self, e: Expr) -> str:
        return expr_text(e, spelling=self._notation)

    def leaf(self, e: Expr) -> str | None:
        """Names, symbols and literals in words (escaped), or None for a compound expression."""
        ctx = self.ctx
        if isinstance(e, Symbol):
            return f"「{text(ctx.symbol_label(e))}」"
        if isinstance(e, Name):
            return text(ctx.name_label(e.id))
        if isinstance(e, Literal):
            if e.kind == "string":
                return f"「{text(ctx.enum_labels.get(e.value, e.value))}」"
            if e.kind == "bool":
                return "是" if e.value else "否"
            if e.kind == "none":
                return "空"
            if e.kind == "duration":
                return text(e.value.text_zh)
            return text(e.value)
        return None


class _Plain(Spelling):
    """Conditions in plain Chinese: “紧急程度为「特急」，并且涉及人数高于 10”."""

    def __init__(self, words: Words):
        super().__init__("zh")
        self.words = words

    def node(self, e: Expr, render: Render) -> tuple[str, int] | None:
        w = self.words.w
        leaf = self.words.leaf(e)
        if leaf is not None:
            return leaf, P_ATOM
        if isinstance(e, Attr):
            if isinstance(e.obj, Name) and e.obj.id == "matter":
                return MATTER_ATTRS.get(e.name, f"事项的{text(e.name)}"), P_ATOM
            return f"{w(e.obj)}的{text(e.name)}", P_ATOM
        if isinstance(e, Unary):
            return (f"并非（{w(e.operand)}）" if e.op == "not" else f"−{w(e.operand)}"), P_ATOM
        if isinstance(e, ListLit):
            return "、".join(w(i) for i in e.items), P_ATOM
        if isinstance(e, Call):
            return self._call(e), P_ATOM
        if isinstance(e, Binary):
            return self._binary(e), P_ATOM
        return None

    def _call(self, e: Call) -> str:
        args = [self.words.w(a) for a in e.args]
        phrases = {"has": "已填写{0}", "above": "{0}的上一级", "tier_of": "{0}所在层级", "count": "{0}的个数"}
        if e.func in phrases and args:
            return phrases[e.func].format(*args)
        if e.func == "contains" and len(args) == 2:
            return f"{args[0]}中含有{args[1]}"
        return self.words.n(e)

    def _binary(self, e: Binary) -> str:
        w = self.words.w
        left, right = w(e.left), w(e.right)
        if e.op in ("and", "or"):
            joiner = "，并且" if e.op == "and" else "，或者"
            return joiner.join([self._part(e.left, e.op), self._part(e.right, e.op)])
        if e.op in OPS_WORDS:
            return f"{left}{OPS_WORDS[e.op]}{right}"
        if e.op == "in":
            return f"{left}属于{right}之一" if isinstance(e.right, ListLit) else f"{right}包含{left}"
        if e.op == "not in":
            return f"{left}不属于{right}" if isinstance(e.right, ListLit) else f"{right}不包含{left}"
        if e.op == "..":
            return f"{left} 至 {right}"
        return self.words.n(e)

    def _part(self, e: Expr, op: str) -> str:
        inner = self.words.w(e)
        return f"（{inner}）" if isinstance(e, Binary) and e.op in ("and", "or") and e.op != op else inner


class _Notation(Spelling):
    """Formulas in readable notation: “0.4 × 联系群众 + 0.6 × 任务完成”, with the printer's
    precedence and parentheses."""

    def __init__(self, words: Words):
        super().__init__("zh")
        self.words = words

    def operator(self, op: str) -> str:
        return OPS_MATH.get(op, op)

    def node(self, e: Expr, render: Render) -> tuple[str, int] | None:
        words = self.words
        if isinstance(e, Name):
            return text(words.labels.get(e.id) or words.ctx.name_label(e.id)), P_ATOM
        if isinstance(e, Literal) and e.kind == "number":
            return num(e.value), P_ATOM
        if isinstance(e, Literal | Symbol | Attr | ListLit):
            return words.w(e), P_ATOM
        if isinstance(e, Unary):
            return (f"−{render(e.operand, P_NEG)}" if e.op == "-" else f"非 {render(e.operand, P_NEG)}"), P_NEG
        if isinstance(e, Call):
            return self._call(e, render)
        return None

    def _call(self, e: Call, render: Render) -> tuple[str, int]:
        n, labels = self.words.n, self.words.labels
        if e.func == "weighted":
            terms = [f"{num(w.value) if isinstance(w, Literal) else render(w, P_PRODUCT + 1)} × {text(labels.get(k, k))}"
                     for k, w in e.kwargs]
            return " + ".join(terms), P_SUM
        if e.func.endswith(RECORDS) or (e.func in ("rate", "count", "sum", "avg") and len(e.args) == 2):
            base = e.func.removesuffix(RECORDS)
            recs = n(e.args[0])
            cond = n(e.args[1]) if len(e.args) > 1 else ""
            if not cond:
                return f"{recs}的条数", P_ATOM
            if base == "rate":
                return f"{recs}中满足〔{cond}〕的比例", P_ATOM
            if base == "count":
                return f"{recs}中满足〔{cond}〕的条数", P_ATOM
            return f"{recs}中{cond}的{'合计' if base == 'sum' else '平均值'}", P_ATOM
        if e.func == "round" and len(e.args) == 2:
            return f"{FUNC_WORDS['round']}({n(e.args[0])}，保留 {n(e.args[1])} 位小数)", P_ATOM
        args = "，".join(n(a) for a in e.args)
        return f"{FUNC_WORDS.get(e.func, text(e.func))}({args})", P_ATOM
