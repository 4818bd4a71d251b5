"""gridpolicy log LOG: query a decision log (by item, matter, tier, time, policy digest)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from ..decisionlog import DecisionLog, Query


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("log", help="查询决定日志 query a decision log")
    p.add_argument("log", help="decision log file (*.sqlite or *.jsonl)")
    p.add_argument("--id", dest="decision_id", help="one decision by its decision id")
    p.add_argument("--item", help="item id")
    p.add_argument("--matter", help="matter code (or what the item said)")
    p.add_argument("--tier", help="tier code, e.g. grid")
    p.add_argument("--kind", choices=("route", "admit", "evaluate"), help="kind of decision")
    p.add_argument("--digest", help="policy digest (a prefix is enough)")
    p.add_argument("--since", help="logged at or after (ISO date or time; no offset means +08:00)")
    p.add_argument("--until", help="logged before (ISO date or time; a date means the end of that day)")
    p.add_argument("--limit", type=int, help="at most this many entries")
    p.add_argument("--json", action="store_true", help="JSON lines: one full entry (input and output) a line")
    p.set_defaults(func=run)


CST = dt.timezone(dt.timedelta(hours=8))


def parse_time(text: str, end: bool = False) -> dt.datetime:
    """An ISO date or time; a bare date is its start (or, with end, the next day's start)."""
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text) + dt.timedelta(days=1 if end else 0)
            return dt.datetime.combine(day, dt.time(), CST)
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise SystemExit(f"时间格式错误 bad time: {text!r} (e.g. 2026-03-02 or 2026-03-02T09:00+08:00)") from None
    return value if value.tzinfo else value.replace(tzinfo=CST)


def run(args: argparse.Namespace) -> int:
    if not Path(args.log).is_file():
        print(f"找不到决定日志 no such log: {args.log}", file=sys.stderr)
        return 2
    log = DecisionLog(args.log)
    if args.decision_id:
        entry = log.get(args.decision_id)
        entries = [entry] if entry else []
    else:
        q = Query(item=args.item, matter=args.matter, tier=args.tier, digest=args.digest, kind=args.kind,
                  since=parse_time(args.since) if args.since else None,
                  until=parse_time(args.until, end=True) if args.until else None)
        entries = log.query(q, limit=args.limit)
    n = 0
    for e in entries:
        n += 1
        if args.json:
            print(json.dumps(e.to_dict(), ensure_ascii=False))
            continue
        at = e.at.astimezone(CST).strftime("%Y-%m-%d %H:%M:%S")
        what = {"route": f"{e.item_id or '-'}  {e.matter or '-'}  → {e.outcome or '-'} {e.tier or ''}",
                "admit": f"{(e.input or {}).get('name', '-')}  → "
                         f"{'准入 admitted' if e.output.get('admitted') else '不准入 refused'}",
                "evaluate": f"{(e.output.get('formula') or {}).get('code', '-')} = {e.output.get('value')}"
                }.get(e.kind, "")
        print(f"{at}  {e.decision_id}  {e.kind:<8} {e.policy.version} {e.policy.digest[:12]}  "
              f"{e.latency_ms:7.2f} ms  {what}")
    log.close()
    if not args.json:
        print(f"共 {n} 条 — {n} entr{'y' if n == 1 else 'ies'}", file=sys.stderr)
    return 0 if n or not args.decision_id else 1
