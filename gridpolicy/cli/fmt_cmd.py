"""gridpolicy fmt PATH: rewrite rule files in the canonical layout (`--check` for CI, `--diff` to show)."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import tempfile
from pathlib import Path

from ..formatter import FormatError, format_text
from ..syntax.sources import SUFFIX


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("fmt", help="格式化规则文件 format rule files",
                       description="按统一格式重写规则文件；注释保留在原处，含义不变。"
                                   " Rewrite rule files in the canonical layout; comments stay, meaning does not change.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="rule file or folder (every *.gp inside, recursively)")
    p.add_argument("--check", action="store_true",
                   help="只检查：列出需要格式化的文件，有则退出码为 1 — list files that would change; exit 1 if any")
    p.add_argument("--diff", action="store_true", help="显示差异而不改写文件 — print a unified diff, do not write")
    p.add_argument("--lang", choices=("zh", "en"), default=None,
                   help="关键字统一写成中文或英文（默认保留各文件的主要语言） — write every keyword in Chinese or English")
    p.set_defaults(func=run)


def rule_files(path: Path) -> list[Path]:
    """`path` itself if it is a file, else every `*.gp` under it, in name order."""
    if path.is_dir():
        return sorted(p for p in path.rglob(f"*{SUFFIX}") if p.is_file())
    return [path]


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` so a reader sees the old file or the new one, never a part."""
    mode = path.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    changed: list[Path] = []
    broken = 0
    files: list[Path] = []
    for raw in args.paths:
        path = Path(raw)
        if not path.exists():
            print(f"找不到“{path}” — '{path}' does not exist", file=sys.stderr)
            broken += 1
            continue
        files += rule_files(path)
    for path in files:
        try:
            old = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{path}: 无法读取 cannot read: {exc}", file=sys.stderr)
            broken += 1
            continue
        try:
            new = format_text(old, str(path), args.lang)
        except FormatError as exc:
            for d in exc.diagnostics:
                print(d.render(), file=sys.stderr)
                print(file=sys.stderr)
            print(f"{path}: 有语法错误，未格式化 — syntax errors, not formatted", file=sys.stderr)
            broken += 1
            continue
        if new == old:
            continue
        changed.append(path)
        if args.diff:
            for line in difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                             fromfile=f"{path} (原 original)", tofile=f"{path} (格式化后 formatted)"):
                sys.stdout.write(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
        if args.check:
            print(f"需要格式化 would reformat: {path}")
        elif not args.diff:
            write_atomic(path, new)
            print(f"已格式化 formatted: {path}", file=sys.stderr)
    n = len(files)
    verb = "需要格式化 would change" if args.check or args.diff else "已格式化 changed"
    print(f"{n} 个文件 files, {len(changed)} 个{verb}, {broken} 个出错 failed", file=sys.stderr)
    if broken:
        return 2
    return 1 if args.check and changed else 0
