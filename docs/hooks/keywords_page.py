"""MkDocs hook: a keyword table generated from `gridpolicy/syntax/keywords.py` while the site has no
hand-written `docs/keywords.md` (a hand-written page always wins)."""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import File, Files


def keyword_page() -> str:
    """Every keyword in English and Chinese, from the one table the grammar reads."""
    from gridpolicy.syntax import keywords as kw

    lines = ["# 关键字 Keywords", "",
             "每个关键字都有中文和英文两种写法，可以混用。本页由 `gridpolicy/syntax/keywords.py` 生成。",
             "Every keyword has a Chinese and an English spelling; they mix freely. Generated from "
             "`gridpolicy/syntax/keywords.py`.", "",
             "## 声明 Declarations", "", "| English | 中文 |", "| --- | --- |"]
    lines += [f"| `{en}` | `{zh}` |" for en, zh in kw.DECLARATIONS.items()]
    lines += ["", "## 运算符与常量 Operators and constants", "", "| English | 中文 |", "| --- | --- |"]
    lines += [f"| `{en}` | {'、'.join(f'`{z}`' for z in zh)} |" for en, zh in kw.OPERATORS.items()]
    lines += ["", "## 通用属性 Common properties", "", "| English | 中文 |", "| --- | --- |"]
    lines += [f"| `{en}` | `{zh}` |" for en, zh in kw.COMMON_PROPERTIES.items()]
    lines += ["", "## 属性 Properties", ""]
    for kind, props in kw.PROPERTIES.items():
        if not props:
            continue
        lines += [f"### {kind}（{kw.DECLARATIONS.get(kind, kind)}）", "", "| English | 中文 |", "| --- | --- |"]
        lines += [f"| `{en}` | `{zh}` |" for en, zh in props.items()]
        lines.append("")
    lines += ["## 时间单位 Duration units", "", "| 单位 Unit | 写法 Spellings |", "| --- | --- |"]
    lines += [f"| `{unit}` | {'、'.join(f'`{s}`' for s in spellings)} |"
              for unit, spellings in kw.DURATION_UNITS.items()]
    return "\n".join(lines) + "\n"


def on_files(files: Files, config: Any) -> Files:
    if files.get_file_from_path("keywords.md") is None:
        files.append(File.generated(config, "keywords.md", content=keyword_page()))
    return files
