"""gridpolicy route PATH ITEMS: decide items (a JSON object, array or JSON lines; - for stdin)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from ..contract import ItemError
from ..explain import explain
from .common import dump, load_or_report, read_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("route", help="分流：给出事项的处理决定 decide items")
    p.add_argument("path", help="rule folder or file")
    p.add_argument("items", help="item JSON file, JSON array or JSON lines; '-' for stdin")
    p.add_argument("--at", help="decide as of this ISO time (default: each item's reported_at)")
    p.add_argument("--explain", action="store_true", help="print the reasoning for a person")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    policy = load_or_report(args.path)
    if policy is None:
        return 1
    at = None
    if args.at:
        at = dt.datetime.fromisoformat(args.at)
        if at.tzinfo is None:
            print("--at 必须带时区 --at needs an offset, e.g. +08:00", file=sys.stderr)
            return 2
    data = read_json(args.items)
    many = isinstance(data, list)
    items = data if many else [data]
    out = []
    failed = 0
    for item in items:
        try:
            decision = policy.route(item, at)
        except ItemError as exc:
            failed += 1
            entry = {"item_id": item.get("id") if isinstance(item, dict) else None, **exc.to_dict()}
            out.append(entry)
            if args.explain:
                print(f"事项 item {entry['item_id']}: 输入无效 invalid — {exc}\n")
            continue
        if args.explain:
            print(explain(decision) + "\n")
        out.append(decision.model_dump(mode="json"))
    if not args.explain:
        print(dump(out if many else out[0]))
    return 1 if failed else 0


