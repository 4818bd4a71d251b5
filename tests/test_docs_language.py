"""Every rule example in the language reference loads, so the reference cannot rot.

Blocks marked `<!-- example: full ... -->` load on their own; blocks marked
`<!-- example: extends minimal -->` load appended to the block marked `id=minimal`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import gridpolicy

DOC = Path(__file__).resolve().parent.parent / "docs" / "reference" / "language.md"
BLOCK = re.compile(r"(?:<!-- example: (?P<mark>[^>]*?) -->\n)?```gridpolicy[^\n]*\n(?P<body>.*?)```", re.S)


def examples() -> list[tuple[str, int, str]]:
    text = DOC.read_text(encoding="utf-8")
    return [(m["mark"] or "", text.count("\n", 0, m.start()) + 1, m["body"]) for m in BLOCK.finditer(text)]


def minimal() -> str:
    found = [body for mark, _, body in examples() if "id=minimal" in mark]
    assert len(found) == 1, "exactly one block must be marked id=minimal"
    return found[0]


def test_every_block_is_marked() -> None:
    unmarked = [line for mark, line, _ in examples() if not mark]
    assert not unmarked, f"gridpolicy blocks without an example marker at lines {unmarked}"
    assert len(examples()) >= 12


@pytest.mark.parametrize(("mark", "line", "body"), examples(), ids=lambda v: str(v) if isinstance(v, int) else None)
def test_example_loads(mark: str, line: int, body: str) -> None:
    text = body if mark.startswith("full") else minimal() + "\n" + body
    assert mark.startswith(("full", "extends minimal")), f"unknown marker at line {line}: {mark}"
    try:
        policy = gridpolicy.loads(text)
    except gridpolicy.PolicyError as exc:
        pytest.fail(f"language.md line {line}: " + "\n".join(d.render() for d in exc.diagnostics))
    assert policy.routes, f"language.md line {line}: the example has no routes"
