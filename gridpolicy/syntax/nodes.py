"""The syntax tree: what a rule file says, with the source span of every part.

One generic shape serves every declaration (`Decl` with `Prop`s and child `Decl`s), so the
checker, formatter and differ walk a single tree; meaning is given by the checker.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .numbers import duration_text


@dataclass(frozen=True, slots=True)
class Span:
    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


NO_SPAN = Span("<builtin>", 0, 0, 0, 0)


# ---- expressions -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Expr:
    span: Span


@dataclass(frozen=True, slots=True)
class Literal(Expr):
    """number | string | date | datetime | duration | bool | none."""

    kind: str
    value: Any


@dataclass(frozen=True, slots=True)
class Name(Expr):
    id: str


@dataclass(frozen=True, slots=True)
class Attr(Expr):
    obj: Expr
    name: str


@dataclass(frozen=True, slots=True)
class Call(Expr):
    func: str
    args: tuple[Expr, ...]
    kwargs: tuple[tuple[str, Expr], ...] = ()


@dataclass(frozen=True, slots=True)
class Unary(Expr):
    op: str  # "not" | "-"
    operand: Expr


@dataclass(frozen=True, slots=True)
class Binary(Expr):
    """and or == != < <= > >= in "not in" + - * / % .."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class ListLit(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Duration:
    """A time limit: an amount of minutes, hours, calendar days or working days."""

    amount: float
    unit: str  # minutes | hours | days | workdays

    def __str__(self) -> str:
        return duration_text(self.amount, self.unit)  # 3 workdays, 1 hour

    @property
    def text_zh(self) -> str:
        return duration_text(self.amount, self.unit, "zh")  # 3个工作日


# ---- declarations ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Arg:
    value: Expr
    target: Expr | None
    label: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class Prop:
    key: str  # as written (English or Chinese)
    args: tuple[Arg, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Decl:
    kind: str  # canonical English keyword
    keyword: str  # as written
    id: str | None
    label: str | None
    props: tuple[Prop, ...]
    children: tuple[Decl, ...]
    span: Span
    id_span: Span

    @property
    def ident(self) -> str:
        """The declared name ("" if none: the checker reports and skips those)."""
        return self.id or ""

    @property
    def title(self) -> str:
        """The label, else the name."""
        return self.label or self.id or ""


@dataclass(frozen=True, slots=True)
class Include:
    path: str
    span: Span


@dataclass(frozen=True, slots=True)
class Comment:
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Module:
    """One parsed file."""

    file: str
    items: tuple[Decl | Include, ...]
    comments: tuple[Comment, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Symbol(Expr):
    """A name the checker resolved to a constant: an enum value, tier, department, role,
    list, batch, matter code or status. Only the checker creates these."""

    kind: str
    value: str


def children(e: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of `e`, in source order: the one walk over an expression's
    children (limits, analysis, printers and the compiler build on it)."""
    if isinstance(e, Binary):
        return (e.left, e.right)
    if isinstance(e, Unary):
        return (e.operand,)
    if isinstance(e, Attr):
        return (e.obj,)
    if isinstance(e, Call):
        return (*e.args, *(v for _, v in e.kwargs))
    if isinstance(e, ListLit):
        return e.items
    return ()


def walk(e: Expr) -> Iterator[Expr]:
    """`e` and every expression inside it, parents before children (iterative: no recursion
    limit however deep the tree)."""
    stack = [e]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(node)))
