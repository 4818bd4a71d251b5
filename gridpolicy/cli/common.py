"""What the subcommands share: loading a policy with its diagnostics printed, reading JSON."""

from __future__ import annotations

import json
import sys
from typing import Any

from ..diagnostics import PolicyError
from ..loader import load
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


def read_json(path: str) -> Any:
    """JSON from a file or `-` (stdin). A file of JSON lines gives a list."""
    from pathlib import Path

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SystemExit(f"{path}: 无法读取 cannot read: {exc}") from None
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
