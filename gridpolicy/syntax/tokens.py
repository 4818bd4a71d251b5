"""A forgiving tokenizer for diagnostics: the tokens a person sees, with positions, that never
fails (the Lark lexer stops at the first character it cannot match). The explainers and the
editor tools read it; the parser proper is Lark's."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import keywords as kw

_UNITS = sorted((s for ss in kw.DURATION_UNITS.values() for s in ss), key=len, reverse=True)
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("nl", r"\n"),
    ("ws", r"[^\S\n]+"),
    ("comment", r"(?:#|//)[^\n]*"),
    ("str", r'"""(?:.|\n)*?"""|"(?:[^"\\\n]|\\.)*"?'),
    ("date", r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?)?(?![\w])"),
    ("dur", r"\d+(?:\.\d+)?[ \t]*(?:" + "|".join(map(re.escape, _UNITS)) + r")(?![\w])"),
    ("num", r"\d+(?:\.\d+)?"),
    ("word", r"[^\W\d]\w*"),
    ("op", r"==|!=|<=|>=|->|=>|\.\.|."),
)
_TOKEN = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _PATTERNS))

DECLARATION_WORDS = frozenset([*kw.DECLARATIONS, *kw.DECLARATIONS.values()])
OPERATOR_WORDS = frozenset(w for en in ("and", "or", "not", "in")
                           for w in (en, *kw.OPERATORS[en]))


@dataclass(frozen=True, slots=True)
class Tok:
    kind: str  # str, date, dur, num, word, op
    text: str
    start: int  # offset in the text
    line: int  # 1-based
    column: int  # 1-based, in characters as Lark counts them

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def end_column(self) -> int:
        return self.column + len(self.text) if "\n" not in self.text else len(self.text) - self.text.rfind("\n")


def tokenize(text: str) -> list[Tok]:
    """Every token but whitespace and comments, in order."""
    out: list[Tok] = []
    line, line_start = 1, 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "op"
        s = m.group()
        if kind == "nl":
            line, line_start = line + 1, m.end()
            continue
        if kind not in ("ws", "comment"):
            out.append(Tok(kind, s, m.start(), line, m.start() - line_start + 1))
        if "\n" in s:
            line += s.count("\n")
            line_start = m.start() + s.rfind("\n") + 1
    return out


def by_line(tokens: list[Tok]) -> dict[int, list[Tok]]:
    """Tokens grouped by the line they start on."""
    out: dict[int, list[Tok]] = {}
    for t in tokens:
        out.setdefault(t.line, []).append(t)
    return out


def is_value_word(t: Tok) -> bool:
    """A name that can stand for a value (not a keyword or a logical operator)."""
    return t.kind == "word" and t.text not in DECLARATION_WORDS and t.text not in OPERATOR_WORDS


def ends_value(t: Tok) -> bool:
    return t.kind in ("num", "dur", "date", "str") or is_value_word(t) or t.text in (")", "]")


def starts_value(t: Tok) -> bool:
    return t.kind in ("num", "dur", "date") or is_value_word(t) or t.text in ("[",)
