"""The canonical layout of rule files: `format_text(text)` -> formatted text.

The layout is printed from the syntax tree, so formatting never changes meaning; comments are
re-attached by line (a comment on its own line stays before the property or declaration that
follows it, a comment after code stays at the end of that line); one blank line between
declarations or properties is kept where the author left one. Every keyword, property key,
operator and duration unit is written in one language: English, Chinese, or (by default) the
language most of the file's keywords are already written in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .diagnostics import Diagnostic, Reporter
from .syntax import keywords as kw
from .syntax.lines import lines as source_lines
from .syntax.nodes import (
    Arg,
    Comment,
    Decl,
    Include,
    Literal,
    Module,
    Prop,
    Span,
)
from .syntax.parser import parse
from .syntax.printer import block_safe, expr_text, quote

INDENT = "  "
WIDTH = 100
LANGS = ("en", "zh")

# Declarations that may be written on one line when they have at most two short properties.
ONE_LINE_KINDS = frozenset({"tier", "role", "department", "batch", "input", "field", "traits", "class", "referral"})
# Declarations whose braces the grammar makes optional: an empty body is written without them.
OPTIONAL_BODY = frozenset({"tier", "role", "department", "batch", "input", "class"})



class FormatError(Exception):
    """The text has syntax errors; it is not formatted. `diagnostics` says why."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("; ".join(f"{d.span} {d.code}: {d.message_en}" for d in diagnostics))


def format_text(text: str, file: str = "<text>", lang: str | None = None) -> str:
    """Format one rule file's text. `lang` is "en", "zh" or None (keep the file's dominant
    language). Raises `FormatError` with the diagnostics if the text does not parse."""
    if lang not in (None, *LANGS):
        raise ValueError(f"lang must be one of {LANGS} or None, not {lang!r}")
    reporter = Reporter()
    module = parse(text, file, reporter)
    if module is None or reporter.has_errors:
        raise FormatError([d for d in reporter.diagnostics if d.severity == "error"])
    return _Printer(module, list(source_lines(text)), lang or dominant_language(module)).run()


def dominant_language(module: Module) -> str:
    """"zh" if more of the module's keywords and property keys are written in Chinese, else "en"."""
    zh = en = 0
    for word in written_keywords(module):
        if word.isascii():
            en += 1
        else:
            zh += 1
    return "zh" if zh > en else "en"


def written_keywords(module: Module) -> Iterator[str]:
    def walk(d: Decl) -> Iterator[str]:
        yield d.keyword
        keys = kw.property_keys(d.kind)
        for p in d.props:
            if p.key in keys:
                yield p.key
        for c in d.children:
            yield from walk(c)

    for item in module.items:
        if isinstance(item, Decl):
            yield from walk(item)


# ---- declarations ------------------------------------------------------------------------


@dataclass
class _Unit:
    """A printed line's source anchor: the lines it came from and the comments it carries."""

    start: int
    end: int
    leading: list[Comment] = field(default_factory=list)
    trailing: list[Comment] = field(default_factory=list)


class _Printer:
    def __init__(self, module: Module, lines: list[str], lang: str):
        self.module = module
        self.lines = lines
        self.lang = lang
        self.units: dict[int, _Unit] = {}  # id(node) -> its (first) line
        self.closes: dict[int, _Unit] = {}  # id(decl) -> its closing brace
        self.order: list[_Unit] = []
        self.tail: list[Comment] = []
        self.out: list[str] = []

    # comments --------------------------------------------------------------------------

    def _anchor(self, key: object, start: int, end: int, close: bool = False) -> None:
        unit = _Unit(start, end)
        (self.closes if close else self.units)[id(key)] = unit
        self.order.append(unit)

    def _collect(self, d: Decl | Include) -> None:
        if isinstance(d, Include):
            self._anchor(d, d.span.line, d.span.end_line)
            return
        # The head runs from the keyword to the line before the first property or child.
        first_inner = min([p.span.line for p in d.props] + [c.span.line for c in d.children] + [d.span.end_line])
        self._anchor(d, d.span.line, max(d.span.line, first_inner - 1))
        inner: list[Prop | Decl] = [*d.props, *d.children]
        for node in sorted(inner, key=lambda n: (n.span.line, n.span.column)):
            if isinstance(node, Decl):
                self._collect(node)
            else:
                self._anchor(node, node.span.line, node.span.end_line)
        self._anchor(d, d.span.end_line, d.span.end_line, close=True)

    def _attach(self) -> None:
        for item in self.module.items:
            self._collect(item)
        for c in self.module.comments:
            line = c.span.line
            before = self.lines[line - 1][: c.span.column - 1] if 0 < line <= len(self.lines) else ""
            if before.strip():
                owner = None
                for unit in self.order:
                    if unit.start <= line <= unit.end:
                        owner = unit
                if owner is None:
                    owner = next((u for u in reversed(self.order) if u.start <= line), None)
                if owner is None:
                    self.tail.append(c)
                elif owner.trailing:
                    owner.leading.append(c)
                else:
                    owner.trailing.append(c)
            else:
                owner = next((u for u in self.order if u.start > line), None)
                if owner is None:
                    self.tail.append(c)
                else:
                    owner.leading.append(c)

    def _blank_before(self, line: int) -> bool:
        return 1 < line <= len(self.lines) + 1 and not self.lines[line - 2].strip()

    def _emit(self, unit: _Unit, indent: str, text: str, first_in_block: bool) -> None:
        """Print a unit's leading comments, then its line(s) with its trailing comment."""
        comments = sorted(unit.leading, key=lambda c: c.span.line)
        start_lines = [c.span.line for c in comments] + [unit.start]
        for i, c in enumerate(comments):
            if self._blank_before(c.span.line) and not (first_in_block and i == 0):
                self._blank()
            self.out.append(indent + c.text.rstrip())
        if comments:
            if self._blank_before(unit.start) and start_lines[-2] < unit.start - 1:
                self._blank()
        elif self._blank_before(unit.start) and not first_in_block:
            self._blank()
        parts = text.split("\n")
        for i, part in enumerate(parts):
            line = indent + part if part else ""
            if i == len(parts) - 1 and unit.trailing:
                line = f"{line}  {unit.trailing[0].text.rstrip()}"
            self.out.append(line)

    def _blank(self) -> None:
        if self.out and self.out[-1] != "":
            self.out.append("")

    # layout ----------------------------------------------------------------------------

    def run(self) -> str:
        self._attach()
        for i, item in enumerate(self.module.items):
            self._item(item, "", i == 0)
        for c in sorted(self.tail, key=lambda c: c.span.line):
            if self.out and self._blank_before(c.span.line):
                self._blank()
            self.out.append(c.text.rstrip())
        while self.out and self.out[-1] == "":
            self.out.pop()
        return "\n".join(self.out) + "\n" if self.out else ""

    def _item(self, item: Decl | Include, indent: str, first: bool) -> None:
        if isinstance(item, Include):
            word = kw.DECLARATIONS["include"] if self.lang == "zh" else "include"
            self._emit(self.units[id(item)], indent, f"{word} {quote(item.path)}", first)
            return
        self._decl(item, indent, first)

    def keyword(self, kind: str) -> str:
        return kw.DECLARATIONS.get(kind, kind) if self.lang == "zh" else kind

    def prop_key(self, kind: str, key: str) -> str:
        canon = kw.property_keys(kind).get(key)
        if canon is None:
            return key
        if self.lang == "zh":
            return {**kw.COMMON_PROPERTIES, **kw.PROPERTIES.get(kind, {})}[canon]
        return canon

    def head(self, d: Decl) -> str:
        parts = [self.keyword(d.kind)]
        if d.id is not None:
            parts.append(d.id)
        if d.label is not None:
            parts.append(quote(d.label))
        return " ".join(parts)

    def _arg(self, a: Arg, indent: str) -> str:
        v = a.value
        if isinstance(v, Literal) and v.kind == "string" and a.target is None and block_safe(v.value):
            # Continuation lines are relative to the property; `_emit` adds its indent.
            body = "\n".join(INDENT + ln if ln else "" for ln in v.value.split("\n"))
            text = '"""\n' + body + "\n" + INDENT + '"""'
        else:
            text = expr_text(v, self.lang)
            if a.target is not None:
                text += " -> " + expr_text(a.target, self.lang)
        if a.label is not None:
            text += " " + quote(a.label)
        return text

    def prop_text(self, kind: str, p: Prop, indent: str) -> str:
        key = self.prop_key(kind, p.key)
        args = [self._arg(a, indent) for a in p.args]
        one = f"{key} {', '.join(args)}"
        if len(args) < 2 or ("\n" not in one and len(indent) + _width(one) <= WIDTH):
            return one
        cont = "\n" + INDENT * 2
        return key + " " + ("," + cont).join(args)

    def _one_line(self, d: Decl, indent: str) -> str | None:
        if d.kind not in ONE_LINE_KINDS or d.children or len(d.props) > 2 \
                or any(kw.property_keys(d.kind).get(p.key) in kw.COMMON_PROPERTIES for p in d.props):
            return None
        units = [self.units[id(n)] for n in (d, *d.props)]
        if any(u.trailing for u in units) or any(u.leading for u in units[1:]) \
                or self.closes[id(d)].leading:
            return None
        if not d.props:
            return self.head(d) if d.kind in OPTIONAL_BODY else self.head(d) + " {}"
        props = [self.prop_text(d.kind, p, indent) for p in d.props]
        text = f"{self.head(d)} {{ {' '.join(props)} }}"
        if "\n" in text or len(indent) + _width(text) > WIDTH:
            return None
        return text

    def _decl(self, d: Decl, indent: str, first: bool) -> None:
        head_unit = self.units[id(d)]
        close_unit = self.closes[id(d)]
        one = self._one_line(d, indent)
        if one is not None:
            merged = _Unit(head_unit.start, close_unit.end, head_unit.leading + close_unit.leading,
                           close_unit.trailing)
            self._emit(merged, indent, one, first)
            return
        if not d.props and not d.children and not close_unit.leading and d.kind in OPTIONAL_BODY:
            head_unit.trailing = head_unit.trailing or close_unit.trailing
            self._emit(head_unit, indent, self.head(d), first)
            return
        self._emit(head_unit, indent, self.head(d) + " {", first)
        inner = indent + INDENT
        nodes: list[Prop | Decl] = sorted([*d.props, *d.children], key=lambda n: (n.span.line, n.span.column))
        for i, node in enumerate(nodes):
            if isinstance(node, Decl):
                self._decl(node, inner, i == 0)
            else:
                self._emit(self.units[id(node)], inner, self.prop_text(d.kind, node, inner), i == 0)
        if close_unit.leading:
            for c in sorted(close_unit.leading, key=lambda c: c.span.line):
                if self._blank_before(c.span.line) and nodes:
                    self._blank()
                self.out.append(inner + c.text.rstrip())
        line = indent + "}"
        if close_unit.trailing:
            line += "  " + close_unit.trailing[0].text.rstrip()
        self.out.append(line)


def _width(text: str) -> int:
    """Display columns: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def spanless(obj: object) -> object:
    """A projection of a syntax tree or checked model without source positions, for comparing
    meaning: dataclasses become (type, fields...) tuples; spans, digests and source texts go."""
    import dataclasses

    skip = {"span", "id_span", "digest", "sources", "files", "text", "keyword"}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        if isinstance(obj, Span):
            return None
        return (type(obj).__name__, *(
            (f.name, spanless(getattr(obj, f.name))) for f in dataclasses.fields(obj) if f.name not in skip))
    if isinstance(obj, dict):
        return tuple(sorted(((spanless(k), spanless(v)) for k, v in obj.items()), key=repr))
    if isinstance(obj, list | tuple):
        return tuple(spanless(x) for x in obj)
    if isinstance(obj, frozenset | set):
        return tuple(sorted((spanless(x) for x in obj), key=repr))
    return obj
