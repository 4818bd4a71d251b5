"""gridpolicy docs PATH --out DIR: write the rule site's Markdown pages from the rules."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .common import load_or_report


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("docs", help="生成规则公示页面 generate the rule site's pages")
    p.add_argument("path", help="rule folder or file")
    p.add_argument("--out", required=True, help="output folder, e.g. docs/rules")
    p.add_argument("--as-of", type=dt.date.fromisoformat, default=None, metavar="DATE",
                   help="date the matter status is computed for (default: today in the policy's time zone)")
    p.add_argument("--registry", default=None, metavar="DIR",
                   help="grid registry folder (default: PATH/registry if it exists)")
    p.add_argument("--sources", default=None, metavar="FILE",
                   help="the sources the rules cite (default: PATH/sources.yaml if it exists)")
    p.add_argument("--changes-from", default=None, metavar="OLD",
                   help="previous version of the rules (folder or file) for the change log")
    p.add_argument("--history", type=int, default=0, metavar="N",
                   help="change log from the last N git commits that changed the rules (0: none)")
    p.add_argument("--releases", default=None, metavar="DIR",
                   help="发布包文件夹，用于发布版本页 releases folder for the release history page "
                        "(default: PATH itself when it is one, else releases/ beside PATH if it exists)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..site import SourcesError, change_log, generate, load_registry, load_sources, write
    from ..site.sources import cited_texts

    policy = load_or_report(args.path)
    if policy is None:
        return 1
    as_of = args.as_of or dt.datetime.now(ZoneInfo(policy.header.timezone)).date()
    folder = args.registry
    if folder is None and Path(args.path).is_dir():
        folder = Path(args.path) / "registry"
    registry, note = load_registry(folder)
    sources_file = args.sources
    if sources_file is None and Path(args.path).is_dir():
        sources_file = Path(args.path) / "sources.yaml"
    elif sources_file is not None and not Path(sources_file).is_file():
        print(f"错误：找不到出处文件 {sources_file} — error: no sources file at {sources_file}", file=sys.stderr)
        return 2
    try:
        sources = load_sources(sources_file)
    except SourcesError as exc:
        print(f"错误 error: {exc}", file=sys.stderr)
        return 1
    if sources is not None:
        texts = cited_texts(policy.model) + [c.basis for c in policy.model.criteria]
        for citation in sources.missing(texts):
            print(f"警告：{citation} 在出处文件中没有对应的节 — warning: {citation} has no section in the sources file",
                  file=sys.stderr)
    changes = None
    if args.changes_from:
        old = load_or_report(args.changes_from)
        if old is None:
            return 1
        changes = change_log(old, policy)
    history = None
    if args.history < 0:
        print("错误：--history 须为非负整数 — error: --history must be 0 or more", file=sys.stderr)
        return 2
    if args.history:
        from ..site.history import HistoryError, history_log, rule_history

        try:
            history = history_log(rule_history(args.path, args.history), current=policy)
        except HistoryError as exc:
            print(f"提示：没有修改历史 — note: no history: {exc}", file=sys.stderr)
            history = f"（无法读取修改历史 the history could not be read：{exc}）"
    bundles = _releases(args)
    if bundles is None:
        return 1
    pages = generate(policy, as_of, registry=registry, registry_note=note, changes=changes,
                     changes_from=args.changes_from or "", sources=sources, history=history, releases=bundles)
    written = write(pages, args.out)
    print(f"已生成 {len(written)} 个页面 → {args.out} — wrote {len(written)} pages (status as of {as_of})")
    return 0


def _releases(args: argparse.Namespace) -> list[Any] | None:
    """The bundles for the release history page; None (after a message) if one is bad."""
    from ..release import ReleaseError, is_releases_folder, list_bundles, read_bundle

    given = Path(args.path)
    folder = Path(args.releases) if args.releases else given if is_releases_folder(given) \
        else given.resolve().parent / "releases"
    if args.releases and not folder.is_dir():
        print(f"错误：找不到发布包文件夹 {folder} — error: no releases folder at {folder}", file=sys.stderr)
        return None
    try:
        return [read_bundle(p) for p in list_bundles(folder)]
    except ReleaseError as exc:
        print(f"错误 error: {exc.message_zh} — {exc.message_en}", file=sys.stderr)
        return None
