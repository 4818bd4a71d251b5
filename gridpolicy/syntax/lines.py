"""What a line is, for everything that counts lines: the parser's spans, the reporter's
excerpts and `# gridpolicy: ignore` marks, the formatter and the source text of expressions."""

from __future__ import annotations

from functools import lru_cache


def normalise(text: str) -> str:
    """`text` as the parser reads it: a leading BOM dropped, CRLF and bare CR made LF."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


@lru_cache(maxsize=16)
def lines(text: str) -> tuple[str, ...]:
    """The lines of a file as the parser counts them (line n is `lines(text)[n - 1]`).
    Cached: splitting the whole file once per expression made checking quadratic."""
    return tuple(normalise(text).split("\n"))
