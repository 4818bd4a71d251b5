"""The language server: diagnostics as you type (the same codes and texts as `check`, for the
whole folder, debounced), hover, completion, definition, references, rename, formatting and
"did you mean" code actions. Positions: LSP lines and characters are 0-based; the rule
language's are 1-based (characters, which are UTF-16 units for every BMP character)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from ..diagnostics import Diagnostic
from ..syntax import keywords as kw
from .symbols import Index, folder_texts, index_texts

DEBOUNCE_S = 0.3
_GUESS = re.compile(r"did you mean [`']([^`']+)[`']")


def path_of(uri: str) -> str:
    return str(Path(unquote(urlparse(uri).path)).resolve())


def uri_of(path: str) -> str:
    return Path(path).resolve().as_uri()


class RuleServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("gridpolicy", "1")
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.published: dict[str, set[str]] = {}  # folder -> URIs with diagnostics shown
        self.policies: dict[str, Any] = {}  # folder -> the Policy of its last text without errors

    def open_texts(self) -> dict[str, str]:
        return {path_of(uri): doc.source for uri, doc in self.workspace.text_documents.items()}

    def index(self, uri: str) -> Index:
        return index_texts(folder_texts(Path(path_of(uri)).parent, self.open_texts()))


server = RuleServer()


def to_lsp(d: Diagnostic) -> lsp.Diagnostic:
    s = d.span
    line, col = max(0, s.line - 1), max(0, s.column - 1)
    end_line = max(line, s.end_line - 1) if s.end_line else line
    end_col = s.end_column - 1 if s.end_line and s.end_column > 0 else col + 1
    if (end_line, end_col) <= (line, col):
        end_line, end_col = line, col + 1
    text = f"{d.message_zh}\n{d.message_en}"
    if d.hint_zh or d.hint_en:
        text += f"\n提示 hint: {d.hint_zh} {d.hint_en}".rstrip()
    return lsp.Diagnostic(
        range=lsp.Range(lsp.Position(line, col), lsp.Position(end_line, end_col)), message=text,
        severity=lsp.DiagnosticSeverity.Error if d.severity == "error" else lsp.DiagnosticSeverity.Warning,
        code=d.code, source="gridpolicy", data={"hint_en": d.hint_en})


def publish(ls: RuleServer, uri: str) -> None:
    """Diagnose the folder of `uri` with the open texts; publish for every file of it."""
    from ..diagnose import diagnose_folder

    folder = Path(path_of(uri)).parent
    texts = {k: v for k, v in ls.open_texts().items() if Path(k).parent == folder.resolve()}
    diagnosis = diagnose_folder(folder, texts)
    if diagnosis.policy is not None:
        ls.policies[str(folder)] = diagnosis.policy
    by_uri: dict[str, list[lsp.Diagnostic]] = {}
    for d in diagnosis.diagnostics:
        try:
            target = uri_of(str(d.span.file))
        except ValueError:
            continue
        by_uri.setdefault(target, []).append(to_lsp(d))
    shown = ls.published.get(str(folder), set())
    for target in shown | set(by_uri) | {uri}:
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=target, diagnostics=by_uri.get(target, [])))
    ls.published[str(folder)] = set(by_uri)


def schedule(ls: RuleServer, uri: str) -> None:
    """Publish after `DEBOUNCE_S` without a further change."""
    loop = asyncio.get_event_loop()
    old = ls.pending.pop(uri, None)
    if old is not None:
        old.cancel()
    ls.pending[uri] = loop.call_later(DEBOUNCE_S, publish, ls, uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: RuleServer, params: lsp.DidOpenTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: RuleServer, params: lsp.DidChangeTextDocumentParams) -> None:
    schedule(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: RuleServer, params: lsp.DidSaveTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


def _word_at(ls: RuleServer, uri: str, pos: lsp.Position) -> tuple[Index, Any]:
    ix = ls.index(uri)
    return ix, ix.at(path_of(uri), pos.line + 1, pos.character + 1)


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def hover(ls: RuleServer, params: lsp.HoverParams) -> lsp.Hover | None:
    ix, tok = _word_at(ls, params.text_document.uri, params.position)
    if tok is None:
        return None
    name = ix.labels.get(tok.text, tok.text)
    decls = ix.decls.get(name)
    if not decls:
        return None
    d = decls[0]
    zh = kw.DECLARATIONS.get(d.kind, d.kind)
    lines = [f"**{zh} {d.kind}** `{d.id}`" + (f" — {d.label}" if d.label else "")]
    if d.kind == "matter":
        status = _matter_status(params.text_document.uri, d.id)
        if status:
            lines.append(f"今天 today ({dt.date.today()}): {status}")
    lines += [f"- {key}: {text}" for key, text in d.notes]
    lines.append(f"`{Path(d.file).name}:{d.tok.line}`")
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n".join(lines)))


def _matter_status(uri: str, code: str) -> str | None:
    """The matter's status today, from the folder's last text without errors."""
    policy = server.policies.get(str(Path(path_of(uri)).parent))
    if policy is None:
        return None
    matter = next((m for m in policy.model.matters if m.code == code), None)
    return policy.matter_status(matter, dt.date.today()) if matter is not None else None


@server.feature(lsp.TEXT_DOCUMENT_COMPLETION)
def completion(ls: RuleServer, params: lsp.CompletionParams) -> lsp.CompletionList:
    ix = ls.index(params.text_document.uri)
    items = [lsp.CompletionItem(label=en, kind=lsp.CompletionItemKind.Keyword, detail=zh)
             for en, zh in kw.DECLARATIONS.items()]
    items += [lsp.CompletionItem(label=zh, kind=lsp.CompletionItemKind.Keyword, detail=en, insert_text=zh)
              for en, zh in kw.DECLARATIONS.items()]
    for ident, decls in sorted(ix.decls.items()):
        d = decls[0]
        # The label is in filter_text: typing 社区 offers `community`.
        items.append(lsp.CompletionItem(label=ident, kind=lsp.CompletionItemKind.Reference,
                                        detail=f"{kw.DECLARATIONS.get(d.kind, d.kind)} {d.label}".strip(),
                                        filter_text=f"{ident} {d.label}".strip(), insert_text=ident))
        if d.label:
            items.append(lsp.CompletionItem(label=d.label, kind=lsp.CompletionItemKind.Reference,
                                            detail=f"→ {ident}", insert_text=ident))
    return lsp.CompletionList(is_incomplete=False, items=items)


def _loc(file: str, tok: Any) -> lsp.Location:
    start = lsp.Position(tok.line - 1, tok.column - 1)
    return lsp.Location(uri=uri_of(file), range=lsp.Range(start, lsp.Position(tok.line - 1, tok.column - 1 + len(tok.text))))


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
def definition(ls: RuleServer, params: lsp.DefinitionParams) -> list[lsp.Location]:
    ix, tok = _word_at(ls, params.text_document.uri, params.position)
    if tok is None:
        return []
    return [_loc(d.file, d.tok) for d in ix.decls.get(ix.labels.get(tok.text, tok.text), [])]


@server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
def references(ls: RuleServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
    ix, tok = _word_at(ls, params.text_document.uri, params.position)
    if tok is None or tok.text not in ix.decls:
        return []
    return [_loc(f, t) for f, t in ix.refs.get(tok.text, [])]


@server.feature(lsp.TEXT_DOCUMENT_RENAME)
def rename(ls: RuleServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
    ix, tok = _word_at(ls, params.text_document.uri, params.position)
    if tok is None or tok.text not in ix.decls or not re.fullmatch(r"[^\W\d]\w*", params.new_name):
        return None
    changes: dict[str, list[lsp.TextEdit]] = {}
    for f, t in ix.refs.get(tok.text, []):
        changes.setdefault(uri_of(f), []).append(lsp.TextEdit(range=_loc(f, t).range, new_text=params.new_name))
    return lsp.WorkspaceEdit(changes=changes)


@server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: RuleServer, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
    from ..formatter import FormatError, format_text

    doc = ls.workspace.get_text_document(params.text_document.uri)
    try:
        new = format_text(doc.source, Path(path_of(doc.uri)).name)
    except FormatError:
        return None  # the diagnostics say why
    if new == doc.source:
        return []
    end = lsp.Position(len(doc.lines), 0)
    return [lsp.TextEdit(range=lsp.Range(lsp.Position(0, 0), end), new_text=new)]


@server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION)
def code_action(ls: RuleServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    actions = []
    for d in params.context.diagnostics:
        hint = (d.data or {}).get("hint_en", "") if isinstance(d.data, dict) else ""
        m = _GUESS.search(hint) or re.search(r"write its id '([^']+)'", hint)
        if not m:
            continue
        fix = m.group(1)
        edit = lsp.WorkspaceEdit(changes={params.text_document.uri: [lsp.TextEdit(range=d.range, new_text=fix)]})
        actions.append(lsp.CodeAction(title=f"改为 change to “{fix}”", kind=lsp.CodeActionKind.QuickFix,
                                      diagnostics=[d], edit=edit, is_preferred=True))
    return actions


def main() -> None:
    server.start_io()
