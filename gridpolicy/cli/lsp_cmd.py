"""gridpolicy lsp: the language server for editors (stdio; needs the `lsp` extra, pygls)."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("lsp", help="编辑器语言服务（stdio）language server for editors (stdio)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        from ..lsp.server import main
    except ImportError as exc:  # pygls is an extra
        print(f"语言服务需要 pygls：pip install 'gridpolicy[lsp]' — the language server needs pygls ({exc})",
              file=sys.stderr)
        return 2
    main()
    return 0
