"""Explainers: the ordinary mistakes of a person typing rules, found on the tokens before Lark
parses, each reported at the token that is wrong, in plain Chinese and English with a
corrected example. Each also repairs the text (same length, so every later position stays
where it was), so that the parser goes on and finds the other, independent errors; the span
is marked explained, so nothing reports the same mistake again."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..diagnostics import Reporter
from . import keywords as kw
from .nodes import Span
from .tokens import DECLARATION_WORDS, Tok, by_line, ends_value, is_value_word, starts_value, tokenize

UNIT_WORDS = "分钟/小时/天/工作日/工作时"
_ALL_UNITS = [s for ss in kw.DURATION_UNITS.values() for s in ss]
# Units people write that the language has not: a multiple of one it has.
_OTHER_UNITS: dict[str, tuple[int, str, str]] = {
    **{w: (7, "天", "days") for w in ("week", "weeks", "周", "个周", "星期", "个星期", "礼拜", "个礼拜")},
    **{w: (30, "天", "days") for w in ("month", "months", "月", "个月")},
    **{w: (365, "天", "days") for w in ("year", "years", "年")},
    **{w: (60, "分钟", "minutes") for w in ("小时工作", )},
}
ALL_PROPERTY_KEYS = frozenset(k for table in (*kw.PROPERTIES.values(), kw.COMMON_PROPERTIES)
                              for en, zh in table.items() for k in (en, zh))


# Properties whose value is a duration (or starts with one: `escalate 2 workdays -> street`).
DURATION_KEYS = frozenset(k for kind, key in (
    ("route", "limit"), ("route", "escalate"), ("route", "stages"), ("route", "review"), ("exemption", "period"),
    ("on", "within"), ("on", "limit"), ("on", "max"), ("on", "before"), ("on", "review"), ("calendar", "horizon"))
    for k in (key, kw.PROPERTIES[kind][key]))


@dataclass(frozen=True)
class Finding:
    code: str
    at: Tok
    last: Tok  # the span runs from `at` to the end of `last`
    zh: str
    en: str
    hint: tuple[str, str] | None
    repairs: tuple[tuple[int, int, str], ...]  # (start, end, same-length replacement)
    quiet: tuple[Tok, Tok] | None = None  # what later diagnostics must not report again (default: at..last)


class _Lines:
    """The tokens of a text by line, and which tokens an explainer has already claimed."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.lines = by_line(self.tokens)
        self.claimed: set[int] = set()

    def statements(self) -> Iterator[list[Tok]]:
        """Each line's tokens cut at `{`, `}` and `;`: one property or declaration head each."""
        for toks in self.lines.values():
            part: list[Tok] = []
            for t in toks:
                if t.text in ("{", "}", ";"):
                    if part:
                        yield part
                    part = []
                else:
                    part.append(t)
            if part:
                yield part

    def free(self, *toks: Tok) -> bool:
        return not any(t.start in self.claimed for t in toks)


def _fit(replacement: str, original: str) -> str | None:
    """`replacement` padded to the length of `original`, or None if it is longer."""
    return replacement + " " * (len(original) - len(replacement)) if len(replacement) <= len(original) else None


def _with(text: str, stmt: list[Tok], first: Tok, last: Tok, replacement: str) -> str:
    """The statement's text with the tokens `first`..`last` replaced: a corrected example."""
    start, end = stmt[0].start, stmt[-1].end
    return (text[start:first.start] + replacement + text[last.end:end]).replace("\n", " ")


def _key_of(stmt: list[Tok]) -> str:
    return stmt[0].text if stmt and stmt[0].kind == "word" else "limit"


# ---- dates ------------------------------------------------------------------------------------

_ZH_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")


def _date_hint(y: str, m: str, d: str) -> tuple[str, str, str]:
    iso = f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
    try:
        dt.date(int(y), int(m), int(d))
        ok = ""
    except ValueError:
        ok = "（这一天不存在）"
    return iso, ok, "" if not ok else " (no such day)"


def dates(lines: _Lines) -> Iterator[Finding]:
    toks = lines.tokens
    for i, t in enumerate(toks):
        if t.kind != "num" or len(t.text) != 4 or not lines.free(t):
            continue
        # 2026/7/1
        nxt = toks[i + 1:i + 5]
        if (len(nxt) == 4 and nxt[0].text == "/" and nxt[1].kind == "num" and nxt[2].text == "/"
                and nxt[3].kind == "num" and nxt[3].start == nxt[2].end and nxt[1].text.isdigit()
                and nxt[3].text.isdigit()):
            last = nxt[3]
            iso, bad_zh, bad_en = _date_hint(t.text, nxt[1].text, last.text)
            yield _date_finding(t, last, lines.text[t.start:last.end], iso, bad_zh, bad_en)
    for m in _ZH_DATE.finditer(lines.text):
        first = next((t for t in toks if t.start == m.start()), None)
        if first is None or not lines.free(first):
            continue
        last = max((t for t in toks if m.start() <= t.start < m.end()), key=lambda t: t.start)
        iso, bad_zh, bad_en = _date_hint(*m.groups())
        yield _date_finding(first, last, lines.text[m.start():max(m.end(), last.end)], iso, bad_zh, bad_en)


def _date_finding(first: Tok, last: Tok, raw: str, iso: str, bad_zh: str, bad_en: str) -> Finding:
    fitted = _fit(iso, raw) or _fit("0", raw)  # a number where a date should be: explained below
    return Finding("GP041", first, last,
                   f"日期“{raw}”的写法不对{bad_zh}：日期写成 年-月-日，月和日都用两位数字，例如 `{iso}`",
                   f"date '{raw}' is not written as the language wants{bad_en}: write year-month-day with "
                   f"two-digit month and day, e.g. `{iso}`",
                   (f"改为 {iso}", f"write {iso}"),
                   ((first.start, first.start + len(raw), fitted),) if fitted else ())


# ---- duration units ---------------------------------------------------------------------------

def units(lines: _Lines) -> Iterator[Finding]:
    for stmt in lines.statements():
        for a, b in zip(stmt, stmt[1:], strict=False):
            if a.kind != "num" or b.kind != "word" or b.text in DECLARATION_WORDS or not is_value_word(b):
                continue
            if not lines.free(a, b) or b.line != a.line:
                continue
            key = _key_of(stmt)
            close = b.text in _OTHER_UNITS or difflib.get_close_matches(b.text, _ALL_UNITS, n=1, cutoff=0.6)
            if key not in DURATION_KEYS and not close:
                continue
            amount = a.text
            other = _OTHER_UNITS.get(b.text)
            if other is not None:
                n = float(amount) * other[0]
                shown = f"{int(n)}" if n == int(n) else f"{n:g}"
                unit = other[2] if key.isascii() else other[1]
                example_zh = example_en = f"{key} {shown} {unit}"
            else:
                guess = [u for u in (b.text.replace("天", "日"), b.text.replace("小时", "时")) if u in _ALL_UNITS]
                guess = guess or difflib.get_close_matches(b.text, _ALL_UNITS, n=1, cutoff=0.6)
                unit = guess[0] if guess else ("workdays" if key.isascii() else "工作日")
                example_zh = example_en = f"{key} {amount} {unit}"
            repl = _fit("天", b.text) or _fit("日", b.text)
            yield Finding(
                "GP041", b, b,
                f"“{b.text}”不是时限单位：时限单位应为 {UNIT_WORDS}，例如 `{example_zh}`",
                f"'{b.text}' is not a unit of time: use minutes, hours, days, workdays or workhours, "
                f"e.g. `{example_en}`",
                (f"是否想写“{example_zh}”？", f"did you mean `{example_en}`?"),
                ((b.start, b.end, repl),) if repl else ())


# ---- declarations -----------------------------------------------------------------------------

_DECL_SPELLINGS = [*kw.DECLARATIONS, *kw.DECLARATIONS.values()]


def keywords(lines: _Lines) -> Iterator[Finding]:
    """`mater G09 "…" {`: a declaration whose keyword is misspelt."""
    for toks in lines.lines.values():
        if len(toks) < 3 or toks[0].kind != "word" or toks[0].text in DECLARATION_WORDS:
            continue
        head = toks[:4]
        brace = next((i for i, t in enumerate(head) if t.text == "{"), None)
        if brace is None or brace < 2 or toks[1].kind != "word" or any(t.kind not in ("word", "str") for t in head[1:brace]):
            continue
        if not lines.free(toks[0]):
            continue
        word = toks[0]
        guess = difflib.get_close_matches(word.text, _DECL_SPELLINGS, n=1, cutoff=0.5)
        if guess:
            en = kw.ZH_DECLARATIONS.get(guess[0], guess[0])
            zh = kw.DECLARATIONS[en]
            example = f"{guess[0]} {' '.join(t.text for t in toks[1:brace])} {{"
            repl = _fit(zh, word.text)
            yield Finding("GP001", word, word,
                          f"未知的声明关键字“{word.text}”：是否想写“{guess[0]}”（{zh} / {en}）？例如 `{example}`",
                          f"unknown declaration keyword '{word.text}': did you mean '{en}'? e.g. `{example}`",
                          (f"是否想写“{guess[0]}”？", f"did you mean '{guess[0]}'?"),
                          ((word.start, word.end, repl),) if repl else ())
        else:
            yield Finding("GP001", word, word,
                          f"“{word.text}”不是声明关键字：“{{”之前应为 关键字 名称 \"中文名\"，例如 `matter G09 \"…\" {{`",
                          f"'{word.text}' is not a declaration keyword: before '{{' write keyword, name and "
                          "label, e.g. `matter G09 \"…\" {`", None, ())


# ---- commas -----------------------------------------------------------------------------------

def trailing_commas(lines: _Lines) -> Iterator[Finding]:
    """`handlers a, b,` followed by a line that is a property of its own."""
    numbers = sorted(lines.lines)
    for no, after in zip(numbers, numbers[1:], strict=False):
        toks = lines.lines[no]
        last = toks[-1]
        if last.text != "," or _depth(toks) != 0 or not lines.free(last):
            continue
        nxt = lines.lines[after]
        first = nxt[0]
        new_prop = first.text == "}" or (
            (first.text in DECLARATION_WORDS or first.text in ALL_PROPERTY_KEYS) and len(nxt) > 1
            and nxt[1].line == first.line and nxt[1].kind in ("word", "num", "dur", "date"))
        if not new_prop:
            continue
        key = _key_of(toks)
        values = ", ".join(t.text for t in toks[1:-1] if t.text != ",")
        yield Finding("GP001", last, last,
                      f"行末多了一个逗号：逗号表示后面还有取值，但下一行“{first.text}”另起一项。"
                      f"删去这个逗号，例如 `{key} {values}`",
                      f"trailing comma: a comma means another value follows, but the next line "
                      f"'{first.text}' starts something new. Delete it, e.g. `{key} {values}`",
                      ("删去行末的“,”。", "delete the ',' at the end of the line."),
                      ((last.start, last.end, " "),))


def _depth(toks: list[Tok]) -> int:
    depth = 0
    for t in toks:
        depth += (t.text in "([") - (t.text in ")]") if t.kind == "op" else 0
    return depth


def missing_commas(lines: _Lines) -> Iterator[Finding]:
    """`handlers a b`: two values side by side with nothing between them."""
    for stmt in lines.statements():
        if len(stmt) < 3 or stmt[0].text in DECLARATION_WORDS and stmt[0].text not in ALL_PROPERTY_KEYS:
            continue
        for i in range(1, len(stmt) - 1):
            a, b = stmt[i], stmt[i + 1]
            if a.line != b.line or not ends_value(a) or not starts_value(b) or not lines.free(a, b):
                continue
            if i >= 2 and (ends_value(stmt[i - 1]) or stmt[i - 1].kind == "word" or a.text in ALL_PROPERTY_KEYS):
                continue  # `kind task urgency urgent`: `a` may be the next property's name
            if b.text == "[" and is_value_word(a):
                continue
            after = stmt[stmt.index(b) + 1] if stmt.index(b) + 1 < len(stmt) else None
            if b.text in ALL_PROPERTY_KEYS or (after is not None and after.line == b.line and starts_value(after)):
                continue  # `key1 v1 key2 v2`: the next property on the same line
            gap = lines.text[a.end:b.start]
            if not gap or gap.strip():
                continue
            key = stmt[0].text
            yield Finding("GP001", b, b,
                          f"“{a.text}”和“{b.text}”之间缺少逗号：多个取值用“,”分隔，例如 `{key} {a.text}, {b.text}`",
                          f"missing comma between '{a.text}' and '{b.text}': separate values with ',', "
                          f"e.g. `{key} {a.text}, {b.text}`",
                          (f"在“{a.text}”后面加“,”。", f"add ',' after '{a.text}'."),
                          ((a.end, a.end + 1, ","),))


# ---- operators --------------------------------------------------------------------------------

def operators(lines: _Lines) -> Iterator[Finding]:
    for stmt in lines.statements():
        key = stmt[0].text
        for i, t in enumerate(stmt):
            if t.kind != "op" or not lines.free(t):
                continue
            if t.text in (":", "：") and i == 1 and stmt[0].kind == "word":
                rest = " ".join(x.text for x in stmt[2:]) or "…"
                yield Finding("GP001", t, t,
                              f"属性名“{key}”后面不要冒号：属性名和取值之间用空格，例如 `{key} {rest}`",
                              f"no colon after the property name '{key}': separate name and value with "
                              f"a space, e.g. `{key} {rest}`",
                              ("删去冒号。", "delete the colon."), ((t.start, t.end, " "),))
            elif t.text == "=" and i == 1:
                rest = " ".join(x.text for x in stmt[2:]) or "…"
                yield Finding("GP003", t, t,
                              f"属性名“{key}”和取值之间不用“=”，用空格，例如 `{key} {rest}`",
                              f"no '=' between the property name '{key}' and its value: use a space, "
                              f"e.g. `{key} {rest}`", ("删去“=”。", "delete the '='."),
                              ((t.start, t.end, " "),))
            elif t.text == "=":
                example = _with(lines.text, stmt, t, t, "==")
                yield Finding("GP003", t, t,
                              f"比较是否相等请写“==”（两个等号），例如 `{example}`",
                              f"write '==' (two equals signs) to compare, e.g. `{example}`",
                              ("把“=”改为“==”。", "change '=' to '=='."), ((t.start, t.end, "<"),))
            elif t.text in ("→", "⇒", "=>", "➔", "—>"):
                example = _with(lines.text, stmt, t, t, "->")
                yield Finding("GP003", t, t,
                              f"箭头请写成“->”（减号加大于号），例如 `{example}`",
                              f"write the arrow as '->' (minus, greater-than), e.g. `{example}`",
                              (f"把“{t.text}”改为“->”。", f"change '{t.text}' to '->'."),
                              (_arrow_repair(lines.text, t),))
            elif t.text in ("%", "％") and i and stmt[i - 1].kind == "num" and stmt[i - 1].end == t.start and (
                    i + 1 == len(stmt) or stmt[i + 1].line != t.line
                    or not (starts_value(stmt[i + 1]) or stmt[i + 1].text in ("(", "-", "+"))):
                num = stmt[i - 1]
                dec = f"{float(num.text) / 100:g}"
                example = _with(lines.text, stmt, num, t, dec)
                yield Finding("GP041", num, t,
                              f"百分数请写成小数：“{num.text}{t.text}”写成 `{dec}`，例如 `{example}`",
                              f"write a percentage as a decimal: '{num.text}{t.text}' is `{dec}`, "
                              f"e.g. `{example}`", (f"改为 {dec}", f"write {dec}"),
                              ((num.start, t.end, _fit(dec, num.text + t.text) or num.text + " "),))


def _arrow_repair(text: str, t: Tok) -> tuple[int, int, str]:
    """`→` as `->`, taking a space beside it when the arrow is one character."""
    if len(t.text) >= 2:
        return (t.start, t.end, _fit("->", t.text) or "->")
    if t.start > 0 and text[t.start - 1] == " ":
        return (t.start - 1, t.end, "->")
    if t.end < len(text) and text[t.end] == " ":
        return (t.start, t.end + 1, "->")
    return (t.start, t.end, ",")


_BINARY = frozenset(["==", "!=", "<=", ">=", "<", ">", "->", "..", "+", "-", "*", "/",
                     *(w for en in ("and", "or", "in", "not") for w in (en, *kw.OPERATORS[en]))])


def unfinished(lines: _Lines) -> Iterator[Finding]:
    """`when urgency ==` and the next line a property of its own: the value is missing."""
    numbers = sorted(lines.lines)
    for no, after in zip(numbers, numbers[1:], strict=False):
        toks = lines.lines[no]
        op = toks[-1]
        if op.text not in _BINARY or len(toks) < 2 or not lines.free(op):
            continue
        first = lines.lines[after][0]
        if not (first.text == "}" or first.text in DECLARATION_WORDS or first.text in ALL_PROPERTY_KEYS):
            continue
        yield Finding("GP001", op, op,
                      f"这一行在“{op.text}”处没有写完：“{op.text}”后面缺少取值，例如 `when urgency == emergency`",
                      f"the line stops at '{op.text}': a value must follow it, e.g. `when urgency == emergency`",
                      (f"在“{op.text}”后面写上取值，或删去“{op.text}”。",
                       f"write the value after '{op.text}', or delete '{op.text}'."),
                      ((op.start, op.end, " " * len(op.text)),), quiet=(toks[0], op))


EXPLAINERS: tuple[Callable[[_Lines], Iterator[Finding]], ...] = (
    dates, units, keywords, trailing_commas, unfinished, missing_commas, operators)


def explain(text: str, file: str, reporter: Reporter) -> str:
    """Report every explained mistake in `text`; the text repaired (same length)."""
    lines = _Lines(text)
    chars = list(text)
    for explainer in EXPLAINERS:
        for f in explainer(lines):
            if not lines.free(f.at, f.last):
                continue
            span = Span(file, f.at.line, f.at.column, f.last.line, f.last.end_column)
            reporter.report(f.code, span, f.zh, f.en, hint=f.hint)
            q0, q1 = f.quiet or (f.at, f.last)
            reporter.explained_at(Span(file, q0.line, q0.column, q1.line, q1.end_column))
            for t in lines.tokens:
                if f.at.start <= t.start <= f.last.start:
                    lines.claimed.add(t.start)
            for start, end, repl in f.repairs:
                assert len(repl) == end - start
                chars[start:end] = list(repl)
    return "".join(chars)
