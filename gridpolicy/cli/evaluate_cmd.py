"""gridpolicy evaluate RULES FORMULA --records [INPUT=]FILE ...: a formula per group over record
files (CSV, JSON lines, Parquet, a decision log, JSON lines of cases), ranked and graded."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..contract import ItemError
from .common import UsageError, load_or_report


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="按数据分组评价 evaluate a formula per group over record files",
                       description="按记录文件分组计算评价公式，排名并评定等级。 Compute a formula per group over record "
                                   "files (CSV UTF-8 with or without BOM, JSON lines, Parquet, a decision log, JSON lines "
                                   "of cases), rank the groups and grade them.")
    p.add_argument("path", help="rule folder or file")
    p.add_argument("formula", help="formula name")
    p.add_argument("--records", action="append", default=[], metavar="[INPUT=]FILE",
                   help="a records input's file (repeat; INPUT may be left out when the formula has one records input)")
    p.add_argument("--by", help="group by: a record field, community / street (from grid), or month")
    p.add_argument("--period", help="2026, 2026Q1 or 2026-03")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="first day (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="last day, included")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a number input (parameter)")
    p.add_argument("--at", help="time case states are computed for (cases files); ISO 8601")
    p.add_argument("--format", choices=("text", "json", "csv"), default="text")
    p.add_argument("--report", metavar="DIR", help="also write results.csv, results.json and SVG charts to DIR")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        from ..evaluation import date_range, evaluate_groups, parse_period
        from ..evaluation.report import render_csv, render_text, to_dict
    except ImportError as exc:  # polars is the `evaluate` extra
        raise UsageError(f"需要安装 Polars：pip install 'gridpolicy[evaluate]'（{exc.name}）",
                         f"Polars is needed: pip install 'gridpolicy[evaluate]' ({exc.name})") from None

    if args.period and (args.date_from or args.date_to):
        raise UsageError("--period 与 --from/--to 不能同时使用", "--period and --from/--to exclude each other")
    if not args.records:
        raise UsageError("至少给出一个 --records 文件", "give at least one --records file")
    policy = load_or_report(args.path)
    if policy is None:
        return 1
    quiet = not sys.stderr.isatty()

    def say(msg: str) -> None:
        if not quiet:
            print(f"… {msg}", file=sys.stderr, flush=True)
    try:
        chain = policy.formula_runtime.order(args.formula)
        tables = list(dict.fromkeys(i.id for f in chain for i in f.inputs if i.type == "records"))
        at = _at(args.at, policy.timezone)
        sources = read_sources(policy, args.records, tables, at, say)
        period = parse_period(args.period) if args.period else \
            date_range(args.date_from, args.date_to) if (args.date_from or args.date_to) else None
        result = evaluate_groups(policy, args.formula, sources, by=args.by, period=period, params=_params(args.set),
                                 progress=lambda name: say(f"汇总 aggregating {name}"))
        trend = None
        if args.report and all(t.time for f in chain for t in f.inputs if t.type == "records"):
            trend = evaluate_groups(policy, args.formula, sources, by="month", period=period,
                                    params=_params(args.set))
    except ItemError as exc:
        for e in exc.errors:
            print(f"{e.message_zh}\n    {e.message_en}", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(to_dict(result), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(render_csv(result))
    else:
        sys.stdout.write(render_text(result))
    if args.report:
        from ..evaluation.charts import write_report

        out = write_report(Path(args.report), result, trend)
        say(f"报告 report → {out}")
    return 0


def read_sources(policy: Any, specs: list[str], tables: list[str], at: dt.datetime | None,
                 say: Callable[[str], None], flag: str = "--records") -> dict[str, list[Any]]:
    """{records input: [Source]} from `[INPUT=]FILE` specs (INPUT may be left out when `tables`
    has one entry); `docs --evaluation` reads its files through this too."""
    from ..evaluation import open_source

    sources: dict[str, list[Any]] = {}
    for spec in specs:
        name, _, file = spec.rpartition("=")
        if not name:
            if len(tables) != 1:
                raise UsageError(f"有 {len(tables)} 个记录输入（{', '.join(tables)}），请写 {flag} 输入=文件",
                                 f"there are {len(tables)} records inputs ({', '.join(tables)}); "
                                 f"write {flag} INPUT=FILE")
            name = tables[0]
        say(f"读取 reading {file}")
        sources.setdefault(name, []).append(open_source(file, policy, at))
    return sources


def _params(pairs: list[str]) -> dict[str, float]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        try:
            if not sep:
                raise ValueError(pair)
            out[name.strip()] = float(value)
        except ValueError:
            raise UsageError(f"--set 应写 名称=数值，而不是“{pair}”", f"--set takes NAME=NUMBER, not '{pair}'") from None
    return out


def _at(text: str | None, tz: dt.tzinfo) -> dt.datetime | None:
    if text is None:
        return None
    try:
        at = dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--at 应为 ISO 8601 时间，而不是“{text}”", f"--at must be an ISO 8601 time, not '{text}'") from None
    return at if at.tzinfo else at.replace(tzinfo=tz)
