"""Every declared GP code is emitted somewhere and documented; every emitted code is declared
(issue 13: no declared-but-never-emitted codes). docs/reference/diagnostics.md holds the table
between its markers; `pytest tests/test_diagnostic_codes.py --update-golden` rewrites it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gridpolicy.diagnostics import CODES

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gridpolicy"
PAGE = ROOT / "docs" / "reference" / "diagnostics.md"
BEGIN, END = "<!-- codes: generated from gridpolicy/diagnostics.py CODES; do not edit -->", "<!-- /codes -->"
_LITERAL = re.compile(r"""["'](GP\d{3})["']""")


def _emitted() -> dict[str, list[str]]:
    """Code -> the modules that name it (the CODES table itself left out)."""
    out: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if path.name == "diagnostics.py" and path.parent == PACKAGE:
            text = re.sub(r"CODES: dict\[str, str\] = \{.*?\n\}", "", text, flags=re.S)
        for code in _LITERAL.findall(text):
            out.setdefault(code, []).append(path.relative_to(ROOT).as_posix())
    return out


def table() -> str:
    rows = ["| 代码 Code | 含义 Meaning |", "| --- | --- |"]
    rows += [f"| `{code}` | {meaning} |" for code, meaning in sorted(CODES.items())]
    return "\n".join(rows)


def test_every_declared_code_is_emitted() -> None:
    emitted = _emitted()
    assert [c for c in CODES if c not in emitted] == []


def test_every_emitted_code_is_declared() -> None:
    assert {c: where for c, where in _emitted().items() if c not in CODES} == {}


def test_the_codes_page_lists_every_code(request: pytest.FixtureRequest) -> None:
    page = PAGE.read_text(encoding="utf-8")
    head, rest = page.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    fresh = f"{head}{BEGIN}\n{table()}\n{END}{tail}"
    if request.config.getoption("--update-golden"):
        PAGE.write_text(fresh, encoding="utf-8")
        return
    assert page == fresh, "regenerate: pytest tests/test_diagnostic_codes.py --update-golden"
