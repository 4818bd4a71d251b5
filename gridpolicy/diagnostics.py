"""Diagnostics: coded, located, bilingual messages with a caret excerpt."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from .syntax.lines import lines as source_lines
from .syntax.nodes import Span

ERROR = "error"
WARNING = "warning"

# Stable codes. Tests and users rely on them; never renumber.
CODES: dict[str, str] = {
    "GP001": "syntax: unexpected token",
    "GP002": "syntax: unexpected end of file",
    "GP003": "syntax: character not allowed here",
    "GP004": "syntax: full-width punctuation",
    "GP005": "syntax: unterminated string",
    "GP006": "bidirectional control character (Trojan Source)",
    "GP007": "syntax: block not closed (reported at its '{')",
    "GP010": "include: file not found",
    "GP011": "include: outside the policy folder",
    "GP012": "include: cycle",
    "GP013": "limit exceeded",
    "GP014": "file cannot be read",
    "GP015": "grid registry invalid",
    "GP020": "unknown property",
    "GP021": "missing property",
    "GP022": "property repeated",
    "GP023": "wrong arguments",
    "GP030": "duplicate name",
    "GP031": "unknown name",
    "GP032": "unknown function",
    "GP040": "type error",
    "GP041": "invalid literal",
    "GP050": "admitted matter caught by an exclusion criterion",
    "GP051": "exit names an unknown matter",
    "GP052": "exit dated before the matter takes effect",
    "GP053": "escalation to the same or a lower tier",
    "GP054": "grade thresholds not monotonic",
    "GP055": "weights do not sum to 1",
    "GP056": "expiry (the last day in force) before the effective date",
    "GP057": "policy header missing or repeated",
    "GP058": "no catch-all route",
    "GP059": "tiers not ordered",
    "GP065": "admission matter with neither a batch nor an effective date (warning)",
    "GP066": "time limit of zero (warning)",
    "GP067": "route tier below the tier of its department (warning)",
    "GP068": "matter added to an admission batch already in force: retroactive (warning; against the last release or git HEAD)",
    # Case lifecycle rules (gridpolicy.lifecycle.check).
    "GP060": "formulas use each other in a cycle",
    "GP061": "evaluation: grouping or time field not a declared record field",
    "GP070": "lifecycle: unknown or repeated event block",
    "GP071": "lifecycle: route covered twice, or two catch-all lifecycles",
    "GP072": "lifecycle: notice ladder out of order",
    "GP074": "lifecycle: a route with a time limit no lifecycle covers (warning)",
    "GP075": "lifecycle: an overdue ladder no case gets, every route covered has its own notices (warning)",
    # Departments (check/organisation).
    "GP080": "department hierarchy: unknown parent, a cycle, or a parent on a lower tier",
    "GP081": "a department name or short name refers to two departments",
    "GP082": "department area: not a unit of the grid registry, or not resolvable without one",
    # Clocks and outcomes (check.clocks, check.outcomes).
    "GP090": "stages not due one after another",
    "GP091": "workhours without office hours",
    "GP092": "redirect without a channel",
    "GP093": "outcome properties do not fit the outcome",
    "GP094": "gate exemption without a period",
    "GP095": "calendar: holidays unknown for a year the policy reaches (warning)",
    "GP096": "invalid office hours",
    "GP097": "more than one gate",
    # Deep checks (gridpolicy.analysis), warnings only.
    "GP101": "route shadowed: can never fire",
    "GP102": "routes overlap with different outcomes under 'routing unique'",
    "GP103": "field value handled only by the catch-all route",
    "GP104": "route names a matter it never decides",
    "GP105": "role or department nothing refers to",
    "GP106": "list entry never in force",
    "GP107": "exit changes no outcome",
    "GP108": "formula value can leave its declared range",
    "GP109": "grade leaves part of the range without a grade, or a band is unreachable",
    "GP110": "class of the event catalogue without an owner department",
    "GP111": "class named by a route but always decided by an earlier route",
    "GP112": "scope computed from grids that no route decides at its tier",
}


# A whole-policy diagnostic that a skipped declaration of this kind may cause.
LOST_CASCADES = {"GP057": "policy", "GP058": "route"}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: str
    message_zh: str
    message_en: str
    span: Span
    excerpt: str = ""  # the source line
    hint_zh: str = ""
    hint_en: str = ""

    @property
    def location(self) -> str:
        return str(self.span)

    def render(self) -> str:
        sev = {"error": "错误 error", "warning": "警告 warning"}[self.severity]
        out = [f"{self.span}: {sev} {self.code}: {self.message_zh}", f"    {self.message_en}"]
        if self.excerpt:
            width = max(1, (self.span.end_column - self.span.column)
                        if self.span.end_line == self.span.line else 1)
            prefix = f"{self.span.line:>5} | "
            out.append(prefix + self.excerpt)
            pad = _display_width(self.excerpt[: self.span.column - 1])
            caret = "^" * max(1, _display_width(self.excerpt[self.span.column - 1:
                                                               self.span.column - 1 + width]))
            out.append(" " * (len(prefix) - 2) + "| " + " " * pad + caret)
        if self.hint_zh or self.hint_en:
            out.append(f"    提示 hint: {self.hint_zh} {self.hint_en}".rstrip())
        return "\n".join(out)

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.span.file,
            "line": self.span.line,
            "column": self.span.column,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "hint_zh": self.hint_zh,
            "hint_en": self.hint_en,
        }


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """The closest known name, if one is close enough to be a likely typo."""
    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


class PolicyError(Exception):
    """A policy could not be loaded. Carries every diagnostic found (errors and warnings)."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.severity == ERROR]
        super().__init__(f"{len(errors)} error(s) in policy\n" + "\n\n".join(d.render() for d in errors))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == ERROR]


class Reporter:
    """Collects diagnostics; knows the source text so each carries its excerpt line."""

    def __init__(self) -> None:
        self.texts: dict[str, list[str]] = {}
        self.diagnostics: list[Diagnostic] = []
        self.suppressed: dict[str, dict[int, set[str]]] = {}
        # Spans a diagnostic has explained: a later one starting there, or on one line across
        # it, is the same mistake seen again (e.g. the type error of a repaired date).
        self.explained: dict[str, list[Span]] = {}
        # Names and kinds declared in text the parser had to skip: "unknown" for them, a
        # missing header or catch-all route, follow from the syntax error already reported.
        self.lost_names: set[str] = set()
        self.lost_kinds: set[str] = set()
        # Chinese names (labels, short names, value labels) -> (what, id): "unknown" for one
        # of them says which id to write.
        self.labels: dict[str, list[tuple[str, str, str]]] = {}

    def add_source(self, file: str, text: str) -> None:
        lines = source_lines(text)  # as the parser counts them: only a newline (CR, CRLF) ends a line
        self.texts[file] = list(lines)
        marks: dict[int, set[str]] = {}
        for no, line in enumerate(lines, 1):
            pos = line.find("gridpolicy: ignore")
            if pos >= 0:
                marks[no] = set(line[pos + len("gridpolicy: ignore"):].replace(",", " ").split())
        self.suppressed[file] = marks

    def explained_at(self, span: Span) -> None:
        self.explained.setdefault(span.file, []).append(span)

    def _is_explained(self, span: Span) -> bool:
        for e in self.explained.get(span.file, ()):
            starts_inside = (e.line, e.column) <= (span.line, span.column) < (e.end_line, e.end_column)
            across = (span.line == span.end_line == e.line and span.column < e.end_column
                      and e.column < max(span.end_column, span.column + 1))
            if starts_inside or across:
                return True
        return False

    def report(self, code: str, span: Span, zh: str, en: str, *, hint: tuple[str, str] | None = None,
               severity: str = ERROR) -> None:
        if span.file in self.explained and self._is_explained(span):
            return
        if code in LOST_CASCADES and LOST_CASCADES[code] in self.lost_kinds:
            return
        if severity == WARNING:
            codes = self.suppressed.get(span.file, {}).get(span.line)
            if codes is not None and (not codes or code in codes):
                return
        lines = self.texts.get(span.file, [])
        excerpt = lines[span.line - 1] if 0 < span.line <= len(lines) else ""
        hz, he = hint or ("", "")
        self.diagnostics.append(Diagnostic(code, severity, zh, en, span, excerpt, hz, he))

    def unknown(self, span: Span, what_zh: str, what_en: str, name: str, known: Iterable[str],
                code: str = "GP031") -> None:
        if name in self.lost_names:
            return
        known = list(known)
        named = self.label_ids(name)
        hint: tuple[str, str] | None
        if named:
            fitting = [n for n in named if n[2] in known] or named
            ids = [i for _, _, i in fitting]
            zh_what, en_what, ident = fitting[0]
            hint = (f"“{name}”是{zh_what}的名称；这里请写编号“{ident}”",
                    f"'{name}' is the name of {en_what}; write its id '{ident}' here")
            if len(set(ids)) > 1:
                hint = (hint[0] + f"（也可能是 {'、'.join(sorted(set(ids) - {ident}))}）",
                        hint[1] + f" (or {', '.join(sorted(set(ids) - {ident}))})")
        else:
            guess = did_you_mean(name, known)
            hint = (f"是否想写“{guess}”？", f"did you mean '{guess}'?") if guess else None
        self.report(code, span, f"未知的{what_zh}“{name}”", f"unknown {what_en} '{name}'", hint=hint)

    def label_ids(self, name: str) -> list[tuple[str, str, str]]:
        """The declarations whose Chinese name is `name`, or starts with or contains it."""
        exact = self.labels.get(name)
        if exact:
            return exact
        if len(name) < 2 or name.isascii():
            return []
        return [hit for label, hits in self.labels.items() if name in label for hit in hits]

    @property
    def has_errors(self) -> bool:
        return any(d.severity == ERROR for d in self.diagnostics)
