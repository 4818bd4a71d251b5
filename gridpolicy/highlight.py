"""Syntax highlighting for rule files: a Pygments lexer and a TextMate grammar, both from keywords.py.

`GridPolicyLexer` is registered as the Pygments entry point `gridpolicy` (aliases `gridpolicy`,
`gp`; files `*.gp`), so MkDocs code blocks and any Pygments user highlight rule files.
`python -m gridpolicy.highlight --textmate` prints the TextMate grammar that
`editors/vscode/syntaxes/gridpolicy.tmLanguage.json` holds; a test keeps the two equal.
"""

from __future__ import annotations

import argparse
import json
import re
import sys

from pygments.lexer import RegexLexer, bygroups
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text, Whitespace

from .syntax import keywords as kw

SCOPE = "source.gridpolicy"
END = r"(?![\w])"  # a keyword ends where a name could not go on (works for Chinese too)
START = r"(?<![\w.])"


def _alt(words: set[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def declaration_words() -> set[str]:
    """Declaration keywords, English and Chinese."""
    return {w for en, zh in kw.DECLARATIONS.items() for w in (en, zh)}


def property_words() -> set[str]:
    """Property keys of every declaration kind and the common keys, English and Chinese."""
    out = {w for en, zh in kw.COMMON_PROPERTIES.items() for w in (en, zh)}
    for table in kw.PROPERTIES.values():
        out |= {w for en, zh in table.items() for w in (en, zh)}
    return out


def operator_words() -> set[str]:
    """and / or / not / in, English and Chinese."""
    return {w for en in ("and", "or", "not", "in") for w in (en, *kw.OPERATORS[en])}


def constant_words() -> set[str]:
    """true / false / none, English and Chinese."""
    return {w for en in ("true", "false", "none") for w in (en, *kw.OPERATORS[en])}


def unit_words() -> set[str]:
    """Duration units in every accepted spelling."""
    return {s for spellings in kw.DURATION_UNITS.values() for s in spellings}


def all_words() -> set[str]:
    """Every word of the language's vocabulary."""
    return declaration_words() | property_words() | operator_words() | constant_words() | unit_words()


# Shared regular expressions (valid in Python `re` and in Oniguruma, which TextMate uses).
RE_COMMENT = r"(?:#|//).*$"
RE_DATETIME = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?"
RE_DATE = r"\d{4}-\d{2}-\d{2}"
RE_NUMBER = r"\d+(?:\.\d+)?"


def _decl_in_block() -> str:
    """A declaration keyword that opens a body: first on its line, with `{` later on that line."""
    return rf"^(\s*)({_alt(declaration_words())}){END}(?=[^\n]*\{{)"


def _decl_at_margin() -> str:
    """A declaration keyword at the left margin (top level; `tier grid`, `include "x.gp"`)."""
    return rf"^(?:{_alt(declaration_words())}){END}"


def _property_key() -> str:
    """A property key: first word of a line or right after `{` or `;`."""
    return rf"(^\s*|(?<=[{{;])\s*)({_alt(property_words())}){END}"


def _duration() -> str:
    return rf"({RE_NUMBER})([ \t]*)({_alt(unit_words())}){END}"


class GridPolicyLexer(RegexLexer):
    """Pygments lexer for gridpolicy rule files (`*.gp`), English and Chinese keywords."""

    name = "GridPolicy"
    aliases = ["gridpolicy", "gp"]
    filenames = ["*.gp"]
    mimetypes = ["text/x-gridpolicy"]
    url = "https://example.invalid/gridpolicy"
    flags = re.MULTILINE | re.UNICODE

    tokens = {
        "root": [
            (RE_COMMENT, Comment.Single),
            (r'"""', String.Doc, "block"),
            (r'"', String.Double, "string"),
            # Before whitespace, so that `^` still sees the start of the line.
            (_decl_in_block(), bygroups(Whitespace, Keyword.Declaration)),
            (_decl_at_margin(), Keyword.Declaration),
            (_property_key(), bygroups(Whitespace, Name.Attribute)),
            (r"[ \t]+|\n", Whitespace),
            (RE_DATETIME, Number.Other),
            (RE_DATE, Number.Other),
            (_duration(), bygroups(Number, Whitespace, Keyword.Type)),
            (RE_NUMBER, Number),
            (rf"{START}({_alt(constant_words())}){END}", Keyword.Constant),
            (rf"{START}({_alt(operator_words())}){END}", Operator.Word),
            # `matter` / `事项` in an expression is the item's matter.
            (rf"{START}({_alt({'matter', kw.DECLARATIONS['matter']})}){END}", Name.Builtin),
            (r"[^\W\d]\w*(?=\s*\()", Name.Function),
            (r"[^\W\d]\w*", Name),
            (r"->|==|!=|<=|>=|\.\.|[<>+\-*/%]", Operator),
            (r"[{}()\[\],;:.]", Punctuation),
            (r".", Text),
        ],
        "string": [
            (r'\\.', String.Escape),
            (r'[^"\\\n]+', String.Double),
            (r'"', String.Double, "#pop"),
            (r"\n", String.Double, "#pop"),  # unclosed: the parser reports it
        ],
        "block": [
            (r'"""', String.Doc, "#pop"),
            (r'[^"]+|"', String.Doc),
        ],
    }


def textmate_grammar() -> dict:
    """The TextMate grammar (VS Code, Sublime Text, JetBrains' TextMate bundles, GitHub Linguist)."""
    return {
        "$schema": "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
        "name": "GridPolicy",
        "scopeName": SCOPE,
        "fileTypes": ["gp"],
        "comment": "Generated by `python -m gridpolicy.highlight --textmate` from gridpolicy/keywords.py; do not edit.",
        "patterns": [
            {"include": "#comment"}, {"include": "#block-string"}, {"include": "#string"},
            {"include": "#declaration"}, {"include": "#property"}, {"include": "#literal"},
            {"include": "#word"}, {"include": "#punctuation"},
        ],
        "repository": {
            "comment": {"name": "comment.line.gridpolicy", "match": RE_COMMENT},
            "block-string": {"name": "string.quoted.triple.gridpolicy", "begin": '"""', "end": '"""'},
            "string": {
                "name": "string.quoted.double.gridpolicy", "begin": '"', "end": '"|$',
                "patterns": [{"name": "constant.character.escape.gridpolicy", "match": r"\\."}],
            },
            "declaration": {"patterns": [
                {"match": _decl_in_block(), "captures": {"2": {"name": "keyword.other.declaration.gridpolicy"}}},
                {"match": _decl_at_margin(), "name": "keyword.other.declaration.gridpolicy"},
            ]},
            "property": {"match": _property_key(), "captures": {"2": {"name": "variable.other.property.gridpolicy"}}},
            "literal": {"patterns": [
                {"name": "constant.numeric.datetime.gridpolicy", "match": RE_DATETIME},
                {"name": "constant.numeric.date.gridpolicy", "match": RE_DATE},
                {"match": _duration(), "captures": {
                    "1": {"name": "constant.numeric.gridpolicy"},
                    "3": {"name": "keyword.other.unit.gridpolicy"}}},
                {"name": "constant.numeric.gridpolicy", "match": RE_NUMBER},
            ]},
            "word": {"patterns": [
                {"name": "constant.language.gridpolicy", "match": rf"{START}({_alt(constant_words())}){END}"},
                {"name": "keyword.operator.word.gridpolicy", "match": rf"{START}({_alt(operator_words())}){END}"},
                {"name": "variable.language.matter.gridpolicy",
                 "match": rf"{START}({_alt({'matter', kw.DECLARATIONS['matter']})}){END}"},
                {"name": "entity.name.function.gridpolicy", "match": r"[^\W\d]\w*(?=\s*\()"},
            ]},
            "punctuation": {"patterns": [
                {"name": "keyword.operator.gridpolicy", "match": r"->|==|!=|<=|>=|\.\.|[<>+\-*/%]"},
                {"name": "punctuation.section.block.gridpolicy", "match": r"[{}]"},
                {"name": "punctuation.separator.gridpolicy", "match": r"[,;:]"},
            ]},
        },
    }


def textmate_json() -> str:
    """The grammar as the file editors/vscode/syntaxes/gridpolicy.tmLanguage.json holds it."""
    return json.dumps(textmate_grammar(), ensure_ascii=False, indent=2) + "\n"


TABLE_BEGIN = "<!-- keywords: generated by `python -m gridpolicy.highlight --keywords-md`; do not edit -->"
TABLE_END = "<!-- /keywords -->"

KIND_ZH = {kind: zh for kind, zh in kw.DECLARATIONS.items()}


def keywords_markdown() -> str:
    """The vocabulary as Markdown tables (docs/keywords.md holds this between its markers)."""
    out = [TABLE_BEGIN, "", "### 声明 Declarations", "", "| English | 中文 |", "|---|---|"]
    out += [f"| `{en}` | `{zh}` |" for en, zh in kw.DECLARATIONS.items()]
    out += ["", "### 通用属性 Keys every declaration accepts", "", "| English | 中文 |", "|---|---|"]
    out += [f"| `{en}` | `{zh}` |" for en, zh in kw.COMMON_PROPERTIES.items()]
    out += ["", "### 属性 Property keys, by declaration", "", "| 声明 Declaration | English | 中文 |", "|---|---|---|"]
    for kind, table in kw.PROPERTIES.items():
        if not table:
            out.append(f"| `{kind}` {KIND_ZH[kind]} | (schema field names) | （字段名） |")
        out += [f"| `{kind}` {KIND_ZH[kind]} | `{en}` | `{zh}` |" for en, zh in table.items()]
    out += ["", "### 运算符与常量 Operators and constants", "",
            "| English | 中文（第一个为格式化时使用的写法 the first is what `fmt --lang zh` writes） |", "|---|---|"]
    out += [f"| `{en}` | " + ", ".join(f"`{z}`" for z in zh) + " |" for en, zh in kw.OPERATORS.items()]
    out.append("| `not in` | `不 属于`, `非 属于` |")
    out += ["", "### 时长单位 Duration units", "", "| 单位 Unit | 写法 Spellings |", "|---|---|"]
    out += [f"| `{unit}` | " + ", ".join(f"`{s}`" for s in spellings) + " |"
            for unit, spellings in kw.DURATION_UNITS.items()]
    out += ["", TABLE_END]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gridpolicy.highlight",
                                     description="高亮规则文件 highlight rule files, or print the TextMate grammar")
    parser.add_argument("--textmate", action="store_true", help="print the TextMate grammar (JSON)")
    parser.add_argument("--keywords-md", action="store_true", help="print the keyword tables (Markdown)")
    parser.add_argument("file", nargs="?", help="rule file to highlight for the terminal")
    args = parser.parse_args(argv)
    if args.textmate:
        sys.stdout.write(textmate_json())
        return 0
    if args.keywords_md:
        sys.stdout.write(keywords_markdown())
        return 0
    if not args.file:
        parser.error("give --textmate, --keywords-md or a rule file")
    from pygments import highlight
    from pygments.formatters import TerminalFormatter

    with open(args.file, encoding="utf-8") as f:
        sys.stdout.write(highlight(f.read(), GridPolicyLexer(), TerminalFormatter()))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
