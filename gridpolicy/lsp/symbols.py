"""Declarations and references of a policy folder, found on the forgiving tokenizer (so they
work while the text does not parse): what hover, completion, definition, references and
rename read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..syntax import keywords as kw
from ..syntax.tokens import DECLARATION_WORDS, Tok, tokenize

NOTE_KEYS = {"source": "出处 source", "出处": "出处 source", "assumption": "假设 assumption",
             "假设": "假设 assumption", "note": "说明 note", "说明": "说明 note"}


@dataclass
class Declaration:
    kind: str  # canonical English keyword
    id: str
    label: str
    file: str
    tok: Tok
    notes: list[tuple[str, str]] = field(default_factory=list)  # (key, text) of source/assumption/note


@dataclass
class Index:
    decls: dict[str, list[Declaration]] = field(default_factory=dict)  # id -> declarations
    refs: dict[str, list[tuple[str, Tok]]] = field(default_factory=dict)  # word -> (file, token)
    labels: dict[str, str] = field(default_factory=dict)  # Chinese label -> id

    def at(self, file: str, line: int, column: int) -> Tok | None:
        """The word token at 1-based (line, column) of `file`."""
        for f, t in (x for refs in self.refs.values() for x in refs):
            if f == file and t.line == line and t.column <= column <= t.column + len(t.text):
                return t
        return None


def index_texts(texts: dict[str, str]) -> Index:
    """Index the files `texts` (file name -> text)."""
    out = Index()
    for file, text in texts.items():
        toks = tokenize(text)
        stack: list[tuple[int, Declaration]] = []  # (depth of its block, declaration)
        pending: Declaration | None = None
        depth = 0
        for i, t in enumerate(toks):
            if t.text == "{":
                depth += 1
                if pending is not None:
                    stack.append((depth, pending))
                    pending = None
                continue
            if t.text == "}":
                while stack and stack[-1][0] >= depth:
                    stack.pop()
                depth = max(0, depth - 1)
                continue
            if t.kind != "word":
                continue
            out.refs.setdefault(t.text, []).append((file, t))
            prev = toks[i - 1] if i else None
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            head = (prev is not None and prev.kind == "word" and prev.text in DECLARATION_WORDS
                    and (i < 2 or toks[i - 2].line != prev.line or toks[i - 2].text in ("{", ";")))
            if head and prev is not None:
                label = nxt.text.strip('"') if nxt is not None and nxt.kind == "str" and nxt.line == t.line else ""
                kind = kw.ZH_DECLARATIONS.get(prev.text, prev.text)
                opens = any(x.text == "{" for x in toks[i + 1:i + 3] if x.line == t.line)
                if depth == 0 or opens or label:
                    d = Declaration(kind, t.text, label, file, t)
                    out.decls.setdefault(t.text, []).append(d)
                    if label:
                        out.labels.setdefault(label, t.text)
                    pending = d if opens else None
            elif t.text in NOTE_KEYS and stack and nxt is not None and nxt.kind == "str":
                stack[-1][1].notes.append((NOTE_KEYS[t.text], nxt.text.strip('"')))
    return out


def folder_texts(folder: Path, open_texts: dict[str, str]) -> dict[str, str]:
    """Every rule file of `folder`, the editor's text where a file is open."""
    out: dict[str, str] = {}
    for p in sorted(folder.glob("*.gp")):
        key = str(p.resolve())
        if key not in open_texts:
            try:
                out[key] = p.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
    out.update({k: v for k, v in open_texts.items() if Path(k).parent.resolve() == folder.resolve()})
    return out
