"""Expressions for readers: conditions in plain Chinese, formulas in readable notation.

The output is Markdown inline text: every name and literal that comes from a rule file is
escaped here, so callers can put the result on a page as it is.
"""

from __future__ import annotations

from ..syntax.nodes import Attr, Binary, Call, Expr, ListLit, Literal, Name, Symbol, Unary
from .context import Context
from .markdown import num, text

MATTER_ATTRS = {"status": "事项状态", "batch": "事项批次", "list": "事项所在清单", "owner": "事项主管部门"}
OPS_WORDS = {"==": "为", "!=": "不为", "<": "低于", "<=": "不高于", ">": "高于", ">=": "不低于"}
OPS_MATH = {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥", "*": "×", "/": "÷", "+": "+",
            "-": "−", "%": "mod", "and": "且", "or": "或"}
FUNC_WORDS = {"round": "四舍五入", "min": "最小值", "max": "最大值", "sum": "合计", "avg": "平均",
              "count": "计数", "rate": "比例", "abs": "绝对值", "clamp": "限定在区间内"}
PRECEDENCE = {"or": 1, "and": 2, "==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3, "+": 4, "-": 4,
              "*": 5, "/": 5, "%": 5}


def children(e: Expr) -> list[Expr]:
    if isinstance(e, Binary):
        return [e.left, e.right]
    if isinstance(e, Unary):
        return [e.operand]
    if isinstance(e, Call):
        return [*e.args, *(a for _, a in e.kwargs)]
    if isinstance(e, ListLit):
        return list(e.items)
    if isinstance(e, Attr):
        return [e.obj]
    return []


def names(e: Expr) -> list[str]:
    """The input names an expression reads, in order."""
    if isinstance(e, Name):
        return [e.id]
    return [n for c in children(e) for n in names(c)]


class Words:
    """Renders expressions with the names of one policy."""

    def __init__(self, ctx: Context, labels: dict[str, str] | None = None) -> None:
        self.ctx = ctx
        self.labels = labels or {}

    def condition(self, e: Expr | None) -> str:
        """A condition in plain Chinese."""
        if e is None:
            return "所有事项（兜底）"
        return self.w(e)

    def w(self, e: Expr) -> str:
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
        if isinstance(e, Attr):
            if isinstance(e.obj, Name) and e.obj.id == "matter":
                return MATTER_ATTRS.get(e.name, f"事项的{text(e.name)}")
            return f"{self.w(e.obj)}的{text(e.name)}"
        if isinstance(e, Unary):
            return f"并非（{self.w(e.operand)}）" if e.op == "not" else f"−{self.w(e.operand)}"
        if isinstance(e, ListLit):
            return "、".join(self.w(i) for i in e.items)
        if isinstance(e, Call):
            return self._call_words(e)
        if isinstance(e, Binary):
            return self._binary_words(e)
        return "（条件）"

    def _call_words(self, e: Call) -> str:
        args = [self.w(a) for a in e.args]
        phrases = {"has": "已填写{0}", "above": "{0}的上一级", "tier_of": "{0}所在层级", "count": "{0}的个数"}
        if e.func in phrases and args:
            return phrases[e.func].format(*args)
        if e.func == "contains" and len(args) == 2:
            return f"{args[0]}中含有{args[1]}"
        return self.n(e)

    def _binary_words(self, e: Binary) -> str:
        left, right = self.w(e.left), self.w(e.right)
        if e.op in ("and", "or"):
            joiner = "，并且" if e.op == "and" else "，或者"
            return joiner.join([self._paren(e.left, e.op), self._paren(e.right, e.op)])
        if e.op in OPS_WORDS:
            return f"{left}{OPS_WORDS[e.op]}{right}"
        if e.op == "in":
            return f"{left}属于{right}之一" if isinstance(e.right, ListLit) else f"{right}包含{left}"
        if e.op == "not in":
            return f"{left}不属于{right}" if isinstance(e.right, ListLit) else f"{right}不包含{left}"
        if e.op == "..":
            return f"{left} 至 {right}"
        return self.n(e)

    def _paren(self, e: Expr, op: str) -> str:
        inner = self.w(e)
        return f"（{inner}）" if isinstance(e, Binary) and e.op in ("and", "or") and e.op != op else inner

    def notation(self, e: Expr) -> str:
        """A formula in readable notation, inputs by their Chinese names."""
        return self.n(e)

    def n(self, e: Expr, parent: int = 0) -> str:
        if isinstance(e, Name):
            return text(self.labels.get(e.id) or self.ctx.name_label(e.id))
        if isinstance(e, Literal):
            return num(e.value) if e.kind == "number" else self.w(e)
        if isinstance(e, Symbol | Attr | ListLit):
            return self.w(e)
        if isinstance(e, Unary):
            return f"−{self.n(e.operand, 6)}" if e.op == "-" else f"非 {self.n(e.operand, 6)}"
        if isinstance(e, Binary):
            p = PRECEDENCE.get(e.op, 3)
            body = f"{self.n(e.left, p)} {OPS_MATH.get(e.op, e.op)} {self.n(e.right, p + 1)}"
            return f"({body})" if p < parent else body
        if isinstance(e, Call):
            return self._call_notation(e, parent)
        return "?"

    def _call_notation(self, e: Call, parent: int) -> str:
        if e.func == "weighted":
            terms = [f"{num(w.value) if isinstance(w, Literal) else self.n(w, 5)} × {text(self.labels.get(k, k))}"
                     for k, w in e.kwargs]
            body = " + ".join(terms)
            return f"({body})" if parent > 4 else body
        if e.func.endswith("_records") or (e.func in ("rate", "count", "sum", "avg") and len(e.args) == 2):
            base = e.func.removesuffix("_records")
            recs = self.n(e.args[0])
            cond = self.n(e.args[1]) if len(e.args) > 1 else ""
            if not cond:
                return f"{recs}的条数"
            if base == "rate":
                return f"{recs}中满足〔{cond}〕的比例"
            if base == "count":
                return f"{recs}中满足〔{cond}〕的条数"
            return f"{recs}中{cond}的{'合计' if base == 'sum' else '平均值'}"
        if e.func == "round" and len(e.args) == 2:
            return f"{FUNC_WORDS['round']}({self.n(e.args[0])}，保留 {self.n(e.args[1])} 位小数)"
        args = "，".join(self.n(a) for a in e.args)
        return f"{FUNC_WORDS.get(e.func, text(e.func))}({args})"
