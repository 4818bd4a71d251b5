"""Highlighting: the Pygments lexer, the TextMate grammar and the keyword docs agree with keywords.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Error, Keyword, Name, Number, Operator, String, Token

from gridpolicy import highlight
from gridpolicy.formatter import format_text
from gridpolicy.syntax import keywords as kw

ROOT = Path(__file__).resolve().parent.parent
GRAMMAR = ROOT / "editors" / "vscode" / "syntaxes" / "gridpolicy.tmLanguage.json"
KEYWORDS_DOC = ROOT / "docs" / "keywords.md"
LEXER = highlight.GridPolicyLexer()


def tokens(text: str) -> list[tuple[object, str]]:
    return [(t, v) for t, v in LEXER.get_tokens(text) if v.strip()]


def token_of(text: str, word: str) -> object:
    found = [t for t, v in tokens(text) if v == word]
    assert found, f"{word!r} not a token of {text!r}: {tokens(text)}"
    return found[0]


def test_registered_with_pygments() -> None:
    assert isinstance(get_lexer_by_name("gridpolicy"), highlight.GridPolicyLexer)
    assert isinstance(get_lexer_by_name("gp"), highlight.GridPolicyLexer)
    assert isinstance(get_lexer_for_filename("rules/00_policy.gp"), highlight.GridPolicyLexer)


def _words_in_grammar(grammar: dict) -> set[str]:
    """Every literal word in the grammar's alternations (`(?:a|b|c)` groups of letters)."""
    words: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("match", "begin", "end") and isinstance(value, str):
                    for group in re.findall(r"\(\?:([^()]*)\)|\(([^()?][^()]*)\)", value):
                        for alt in "".join(group).split("|"):
                            if re.fullmatch(r"[^\W\d]\w*", alt) and not (alt.isascii() and len(alt) < 2):
                                words.add(alt)
                else:
                    walk(value)
        elif isinstance(node, list):
            for x in node:
                walk(x)

    walk(grammar)
    return words


def test_textmate_file_is_generated_from_keywords() -> None:
    assert GRAMMAR.read_text(encoding="utf-8") == highlight.textmate_json(), \
        "regenerate: python -m gridpolicy.highlight --textmate > editors/vscode/syntaxes/gridpolicy.tmLanguage.json"


def test_every_keyword_is_known_to_lexer_and_textmate() -> None:
    grammar = json.loads(GRAMMAR.read_text(encoding="utf-8"))
    in_grammar = _words_in_grammar(grammar)
    vocabulary = highlight.all_words()
    assert vocabulary == in_grammar, (sorted(vocabulary - in_grammar), sorted(in_grammar - vocabulary))
    assert {w for en, zh in kw.DECLARATIONS.items() for w in (en, zh)} <= vocabulary
    lexer_words = {w for state in LEXER.tokens.values() for rule in state
                   for w in re.findall(r"[^\W\d]\w*", rule[0] if isinstance(rule[0], str) else "")}
    assert vocabulary <= lexer_words


# What each kind of word is, in the lexer and in the TextMate grammar.
CASES = (
    [(f"{w} x {{\n}}\n", w, Keyword.Declaration, "keyword.other.declaration") for w in highlight.declaration_words()]
    + [(f"policy p {{\n  {w} 1\n}}\n", w, Name.Attribute, "variable.other.property") for w in highlight.property_words()]
    + [(f"route r {{\n  when a {w} b\n}}\n", w, Operator.Word, "keyword.operator.word")
       for w in highlight.operator_words()]
    + [(f"route r {{\n  when a == {w}\n}}\n", w, Keyword.Constant, "constant.language")
       for w in highlight.constant_words()]
    + [(f"route r {{\n  limit 3 {w}\n}}\n", w, Keyword.Type, "keyword.other.unit") for w in highlight.unit_words()]
)


@pytest.mark.parametrize(("text", "word", "token", "scope"), CASES, ids=[c[1] + "-" + c[3] for c in CASES])
def test_word_kinds(text: str, word: str, token: object, scope: str) -> None:
    assert token_of(text, word) in token
    line = next(ln for ln in text.splitlines() if re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", ln))
    assert scope in textmate_scopes(line, word)


def textmate_scopes(line: str, word: str) -> set[str]:
    """Scopes the TextMate grammar gives `word` on `line`, matching its top-level patterns in order
    the way a TextMate engine does (leftmost match, first pattern wins). Python `re` runs these
    expressions, which use only syntax Oniguruma shares."""
    grammar = highlight.textmate_grammar()
    repo = grammar["repository"]

    def flat(pats: list[dict]) -> list[dict]:
        out: list[dict] = []
        for p in pats:
            if "include" in p:
                out += flat([repo[p["include"][1:]]])
            elif "patterns" in p and "match" not in p and "begin" not in p:
                out += flat(p["patterns"])
            else:
                out.append(p)
        return out

    pats = flat(grammar["patterns"])
    scopes: set[str] = set()
    pos = 0
    while pos < len(line):
        best = None
        for p in pats:
            m = re.compile(p.get("match") or p["begin"], re.M).search(line, pos)
            if m and (best is None or m.start() < best[1].start()):
                best = (p, m)
        if best is None:
            break
        p, m = best
        if p.get("name") and m.group(0) == word:
            scopes.add(p["name"].rsplit(".gridpolicy", 1)[0])
        for i, cap in p.get("captures", {}).items():
            if m.group(int(i)) == word:
                scopes.add(cap["name"].rsplit(".gridpolicy", 1)[0])
        pos = max(m.end(), pos + 1)
    return scopes


@pytest.mark.parametrize("path", sorted((ROOT / "rules").glob("*.gp")), ids=lambda p: p.name)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_shipped_rules_lex_without_errors(path: Path, lang: str) -> None:
    text = format_text(path.read_text(encoding="utf-8"), lang=lang)
    toks = list(LEXER.get_tokens(text))
    assert not [v for t, v in toks if t in Error]
    assert "".join(v for _, v in toks) == text


def test_lexer_details() -> None:
    text = ('# 注释\nroute r "标签" {\n  when has(x) and matter.list == "a\\"b"  // c\n'
            '  limit 3个工作日\n  note """\n    多行\n    """\n  effective 2026-01-01T08:00+08:00\n}\n')
    toks = tokens(text)
    assert (Token.Comment.Single, "# 注释") in toks
    assert (Name.Function, "has") in toks
    assert (Name.Builtin, "matter") in toks
    assert (String.Escape, '\\"') in toks
    assert (Number, "3") in toks and (Keyword.Type, "个工作日") in toks
    assert (Number.Other, "2026-01-01T08:00+08:00") in toks
    assert any(t in String.Doc and "多行" in v for t, v in toks)
    # A name that begins with a keyword is a name.
    assert token_of("route r {\n  when notify and 不满意\n}\n", "notify") is Name
    assert token_of("route r {\n  when notify and 不满意\n}\n", "不满意") is Name


def test_keyword_doc_matches_keywords_py() -> None:
    text = KEYWORDS_DOC.read_text(encoding="utf-8")
    start = text.index(highlight.TABLE_BEGIN)
    end = text.index(highlight.TABLE_END) + len(highlight.TABLE_END)
    assert text[start:end] + "\n" == highlight.keywords_markdown(), \
        "regenerate the tables in docs/keywords.md: python -m gridpolicy.highlight --keywords-md"


def test_keyword_doc_examples_are_the_same_rule() -> None:
    blocks = re.findall(r"```gridpolicy\n(.*?)```", KEYWORDS_DOC.read_text(encoding="utf-8"), re.S)
    zh, en = blocks[0], blocks[1]
    assert format_text(zh, lang="en") == en
    assert format_text(en, lang="zh") == zh
