"""Scans of the raw text the Lark lexer does not make: full-width punctuation and bracket
nesting before parsing (each occurrence its own diagnostic), and comments (the lexer drops them)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lark import Token

from ..diagnostics import Reporter
from .limits import MAX_FULL_WIDTH_REPORTS, MAX_NESTING, report_limit
from .nodes import Span

# Full-width punctuation a Chinese input method types where the language wants ASCII.
FULL_WIDTH = {
    "：": ":", "，": ",", "（": "(", "）": ")", "；": ";", "“": '"', "”": '"', "‘": "'",
    "’": "'", "【": "[", "】": "]", "｛": "{", "｝": "}", "＝": "=", "＞": ">", "＜": "<",
    "！": "!", "。": ".", "－": "-", "＋": "+", "　": " ",
}


# Characters that reorder how text is shown (embeddings, overrides, isolates): code that reads one
# way and runs another ("Trojan Source", CVE-2021-42574). Rule files never need them; rustc and
# GCC refuse them in strings and comments alike, and so does gridpolicy (GP006).
BIDI_CONTROLS = {
    "\u202a": "LRE", "\u202b": "RLE", "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO",
    "\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI", "\u2069": "PDI",
}
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def bidi_scan(text: str, file: str, reporter: Reporter) -> bool:
    """GP006 at every bidirectional control character, wherever it is (code, strings and
    comments). True if there is none."""
    found = 0
    line, line_start, at = 1, 0, 0
    for m in _BIDI.finditer(text):
        found += 1
        if found > MAX_FULL_WIDTH_REPORTS:
            continue
        line += text.count("\n", at, m.start())
        if line > 1:
            line_start = text.rfind("\n", 0, m.start()) + 1
        at = m.start()
        col = m.start() - line_start + 1
        name = BIDI_CONTROLS[m[0]]
        code = f"U+{ord(m[0]):04X}"
        reporter.report("GP006", Span(file, line, col, line, col + 1),
                        f"这里有不可见的文字方向控制符 {code}（{name}），会让显示的规则与实际执行的不同，请删除",
                        f"invisible bidirectional control character {code} ({name}): the rule shown is not the "
                        "rule run (Trojan Source); delete it",
                        hint=("从其他文档复制文字时可能带入；删除后重新输入。",
                              "it may come with text copied from another document; delete it and type the text again."))
    if found > MAX_FULL_WIDTH_REPORTS:
        reporter.report("GP006", Span(file, line, 1, line, 2),
                        f"另有 {found - MAX_FULL_WIDTH_REPORTS} 个文字方向控制符未逐一列出",
                        f"{found - MAX_FULL_WIDTH_REPORTS} more bidirectional control characters not listed")
    return not found


def prescan(text: str, file: str, reporter: Reporter) -> tuple[bool, str]:
    """Full-width punctuation outside strings and comments (GP004, every occurrence) and
    bracket nesting (GP013), found before Lark so each gets its own diagnostic. Whether the
    text can be parsed (nesting within the limit), and the text with every full-width mark
    replaced by its ASCII one (so that parsing goes on to the other errors).

    A colon right after a property name (`limit：`) is left to the explainers, which say that
    no colon belongs there at all."""
    found = 0
    fixed: list[int] = []
    depth = 0
    deepest_reported = False
    line, line_start = 1, 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            line, line_start = line + 1, i + 1
            i += 1
            continue
        if text.startswith('"""', i):
            j = text.find('"""', i + 3)
            j = n if j < 0 else j + 3
            chunk = text[i:j]
            if "\n" in chunk:
                line += chunk.count("\n")
                line_start = i + chunk.rfind("\n") + 1
            i = j
            continue
        if ch == '"':
            j = i + 1
            while j < n and text[j] not in '"\n':
                j += 2 if text[j] == "\\" else 1
            if j >= n or text[j] == "\n":
                # Unclosed: a full-width closing quote on the line is the likely reason.
                k = text.find("”", i, j)
                if k >= 0:
                    found += 1
                    fixed.append(k)
                    if found <= MAX_FULL_WIDTH_REPORTS:
                        report_full_width(reporter, Span(file, line, k - line_start + 1, line, k - line_start + 2), "”")
                i = j  # the newline is counted above
                continue
            i = min(n, j + 1)
            continue
        if ch == "#" or text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        col = i - line_start + 1
        if ch == "：" and _KEY_BEFORE.fullmatch(text, line_start, i):
            i += 1
            continue
        if ch in FULL_WIDTH:
            found += 1
            fixed.append(i)
            if found <= MAX_FULL_WIDTH_REPORTS:
                report_full_width(reporter, Span(file, line, col, line, col + 1), ch)
            if ch == "“":
                # A string opened with a Chinese quote: skip to its closing quote on this line.
                j = i + 1
                while j < n and text[j] not in '”"\n':
                    j += 1
                if j < n and text[j] in '”"':
                    if text[j] == "”":
                        found += 1
                        fixed.append(j)
                        if found <= MAX_FULL_WIDTH_REPORTS:
                            report_full_width(reporter, Span(file, line, j - line_start + 1, line, j - line_start + 2),
                                        "”")
                    j += 1
                i = j
                continue
        elif ch in "([{":
            depth += 1
            if depth > MAX_NESTING and not deepest_reported:
                deepest_reported = True
                report_limit(reporter, Span(file, line, col, line, col + 1),
                       f"括号嵌套超过 {MAX_NESTING} 层", f"brackets nested deeper than {MAX_NESTING}")
        elif ch in ")]}":
            depth = max(0, depth - 1)
        i += 1
    if found > MAX_FULL_WIDTH_REPORTS:
        reporter.report("GP004", Span(file, line, 1, line, 2),
                        f"另有 {found - MAX_FULL_WIDTH_REPORTS} 处全角符号未逐一列出",
                        f"{found - MAX_FULL_WIDTH_REPORTS} more full-width characters not listed")
    if fixed:
        chars = list(text)
        for k in fixed:
            chars[k] = FULL_WIDTH[chars[k]]
        text = "".join(chars)
    return not deepest_reported, text


def report_full_width(reporter: Reporter, span: Span, ch: str) -> None:
    ascii_ = FULL_WIDTH[ch]
    reporter.report("GP004", span, f"这里用了全角符号“{ch}”，请改为半角“{ascii_}”",
                    f"full-width '{ch}' used where ASCII '{ascii_}' is meant",
                    hint=("输入法切换到英文标点后重新输入。", "switch the input method to ASCII punctuation."))


_KEY_BEFORE = re.compile(r"[^\S\n]*[^\W\d]\w*[^\S\n]*")
_COMMENT_OR_STRING = re.compile(r'"|#|//')


def comment_tokens(text: str) -> Iterator[Token]:
    """Comments outside strings, found with a small scanner (the lexer ignores them)."""
    i, n, line, col = 0, len(text), 1, 1
    while i < n:
        found = _COMMENT_OR_STRING.search(text, i)
        if found is None:
            return
        k = found.start()
        if k > i:  # plain text up to the next string or comment
            chunk = text[i:k]
            nl = chunk.count("\n")
            if nl:
                line += nl
                col = len(chunk) - chunk.rfind("\n")
            else:
                col += len(chunk)
            i = k
        ch = text[i]
        if text.startswith('"""', i):
            j = text.find('"""', i + 3)
            j = n if j < 0 else j + 3
        elif ch == '"':
            j = i + 1
            while j < n and text[j] not in '"\n':
                j += 2 if text[j] == "\\" else 1
            j = min(n, j + 1)
        else:
            j = text.find("\n", i)
            j = n if j < 0 else j
            tok = Token("COMMENT", text[i:j])
            tok.line, tok.column, tok.end_line, tok.end_column = line, col, line, col + (j - i)
            yield tok
        chunk = text[i:j]
        nl = chunk.count("\n")
        if nl:
            line += nl
            col = len(chunk) - chunk.rfind("\n")
        else:
            col += len(chunk)
        i = j

