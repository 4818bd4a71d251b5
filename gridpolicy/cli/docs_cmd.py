"""gridpolicy docs PATH --out DIR: write the rule site's Markdown pages from the rules."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .common import UsageError, load_or_report


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
    p.add_argument("--evaluation", action="append", default=[], metavar="[INPUT=]FILE",
                   help="评价页图表的记录文件（可重复，读法同 evaluate --records） a records input's file for the "
                        "evaluation page's charts (repeat; read as `evaluate --records` reads it)")
    p.add_argument("--by", help="with --evaluation: group by a record field, community / street, or month "
                                "(default: each formula's own `by`)")
    p.add_argument("--period", help="with --evaluation: 2026, 2026Q1 or 2026-03")
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
    if (args.by or args.period) and not args.evaluation:
        raise UsageError("--by 与 --period 须与 --evaluation 一起使用", "--by and --period go with --evaluation")
    evaluations = _evaluations(policy, args) if args.evaluation else None
    if evaluations is False:
        return 1
    pages = generate(policy, as_of, registry=registry, registry_note=note, changes=changes,
                     changes_from=args.changes_from or "", sources=sources, history=history, releases=bundles,
                     evaluations=evaluations or None)
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


def _evaluations(policy: Any, args: argparse.Namespace) -> dict[str, Any] | bool:
    """{formula id: Charted} for every formula whose records inputs all have --evaluation files
    (computed by gridpolicy.evaluation, as `evaluate` does); False after printing data errors."""
    from ..contract import ItemError
    from ..site.pages.evaluation_charts import Charted
    from .evaluate_cmd import read_sources

    try:
        from ..evaluation import evaluate_groups, parse_period
    except ImportError as exc:  # polars is the `evaluate` extra
        raise UsageError(f"需要安装 Polars：pip install 'gridpolicy[evaluate]'（{exc.name}）",
                         f"Polars is needed: pip install 'gridpolicy[evaluate]' ({exc.name})") from None
    ev = policy.formula_runtime
    chains = {f.id: ev.order(f.id) for f in policy.model.formulas}
    inputs = {f.id: list(dict.fromkeys(i.id for g in chain for i in g.inputs if i.type == "records"))
              for f, chain in zip(policy.model.formulas, chains.values(), strict=True)}
    tables = sorted({t for names in inputs.values() for t in names})
    out: dict[str, Any] = {}
    try:
        sources = read_sources(policy, args.evaluation, tables, None, lambda _: None, flag="--evaluation")
        unknown = [n for n in sources if n not in tables]
        if unknown:
            raise UsageError(f"规则没有记录输入“{'、'.join(unknown)}”（有：{', '.join(tables)}）",
                             f"the rules have no records input {', '.join(unknown)} (they have: {', '.join(tables)})")
        period = parse_period(args.period) if args.period else None
        for fid, names in inputs.items():
            if not names or any(n not in sources for n in names):
                continue
            given = {n: sources[n] for n in names}
            result = evaluate_groups(policy, fid, given, by=args.by, period=period)
            timed = all(i.time for g in chains[fid] for i in g.inputs if i.type == "records")
            trend = evaluate_groups(policy, fid, given, by="month", period=period) if timed else None
            files = tuple(Path(s.path).name for n in names for s in given[n])
            out[fid] = Charted(result, trend, files)
    except ItemError as exc:
        for e in exc.errors:
            print(f"{e.message_zh}\n    {e.message_en}", file=sys.stderr)
        return False
    if not out:
        print("提示：没有公式的记录输入都有 --evaluation 文件，评价页没有图表 — note: no formula has files for all "
              "its records inputs; the evaluation page has no charts", file=sys.stderr)
    return out
