"""What the subcommands share: loading a policy with its diagnostics printed, reading JSON,
and argument errors (`UsageError`, the argument types): one bilingual line on stderr, exit 2."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any, NoReturn

from ..diagnostics import PolicyError
from ..opener import load
from ..release.errors import ReleaseError
from ..runtime import Policy


def load_or_report(path: str) -> Policy | None:
    """Load a policy; on errors print every diagnostic to stderr and return None."""
    try:
        return load(path)
    except PolicyError as exc:
        for d in exc.diagnostics:
            print(d.render(), file=sys.stderr)
            print(file=sys.stderr)
        n = len(exc.errors)
        print(f"共 {n} 个错误 — {n} error(s)", file=sys.stderr)
        return None
    except ReleaseError as exc:  # a releases folder or bundle that cannot be served
        print(f"{path}: {exc.message_zh}\n    {exc.message_en}", file=sys.stderr)
        return None


EXIT_USAGE = 2
MAX_INT_DIGITS = 9  # an argument that counts something (jobs, entries, grids, a port) fits in 9 digits


class UsageError(Exception):
    """A command was given arguments it cannot use: `main` prints one bilingual line, exit 2."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} — {en}")
        self.zh, self.en = zh, en


def usage_line(zh: str, en: str) -> str:
    return f"gridpolicy: 参数错误 {zh} — invalid arguments: {en}"


def fail(zh: str, en: str) -> NoReturn:
    raise UsageError(zh, en)


class ArgumentParser(argparse.ArgumentParser):
    """argparse's parser, reporting a bad command line as one bilingual line (exit 2)."""

    def error(self, message: str) -> NoReturn:
        shown = message if len(message) <= 300 else message[:300] + "…"
        print(f"{self.prog}: 参数错误 invalid arguments: {shown} (--help)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def integer(low: int = 0, high: int = 10**MAX_INT_DIGITS - 1) -> Any:
    """An argument type: a whole number within [low, high] (digits checked before `int`)."""
    def parse(text: str) -> int:
        digits = text.strip().lstrip("+-")
        if not digits.isdigit() or not digits.isascii():
            raise argparse.ArgumentTypeError(f"应为整数 must be a whole number, got {text[:40]!r}")
        if len(digits.lstrip("0")) > MAX_INT_DIGITS:
            raise argparse.ArgumentTypeError(f"整数过大（超过 {MAX_INT_DIGITS} 位） integer too large "
                                             f"(more than {MAX_INT_DIGITS} digits)")
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"应在 {low}–{high} 之间 must be between {low} and {high}, got {value}")
        return value
    return parse


def aware_time(text: str) -> dt.datetime:
    """An argument type: an ISO 8601 time with a UTC offset, within the supported years."""
    from ..clock import parse_timestamp, timestamp_problem

    value = parse_timestamp(text)
    if value is None:
        zh, en = timestamp_problem(text)
        raise argparse.ArgumentTypeError(f"{zh} {en}, got {text[:40]!r}")
    return value


def read_json(path: str) -> Any:
    """JSON from a file or `-` (stdin). A file of JSON lines gives a list."""
    from pathlib import Path

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"无法读取“{path}”：{getattr(exc, 'strerror', None) or exc}",
             f"cannot read '{path}': {getattr(exc, 'strerror', None) or exc}")
    try:
        return json.loads(text)
    except RecursionError:
        raise SystemExit(f"{path}: JSON 嵌套过深 JSON nested too deeply") from None
    except json.JSONDecodeError as first:
        lines = [ln for ln in text.splitlines() if ln.strip()]
        try:
            return [json.loads(ln) for ln in lines]
        except (json.JSONDecodeError, RecursionError):
            raise SystemExit(f"{path}:{first.lineno}:{first.colno}: JSON 格式错误 invalid JSON: {first.msg}") from None


def dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False)
