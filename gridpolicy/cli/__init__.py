"""The `gridpolicy` command. One module per subcommand; each exposes `register(sub)`."""

from __future__ import annotations

import argparse
import importlib
import sys

from .common import EXIT_USAGE, ArgumentParser, UsageError, usage_line

# Subcommand modules, in the order `--help` lists them.
COMMANDS = ("check", "route", "case", "eval", "evaluate", "test", "fmt", "docs", "serve", "log", "replay", "schema", "sample", "diff",
            "release", "verify", "keygen", "export", "import", "studio", "lsp")


def build_parser() -> argparse.ArgumentParser:
    from ..version import __version__

    parser = ArgumentParser(
        prog="gridpolicy",
        description="网格治理规则工具 — grid-governance rules: check, route, evaluate, test.")
    parser.add_argument("--version", action="version", version=f"gridpolicy {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name.replace('-', '_')}_cmd").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(usage_line(exc.zh, exc.en), file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
