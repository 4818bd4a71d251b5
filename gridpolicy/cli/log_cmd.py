"""gridpolicy log LOG: query a decision log (by item, matter, tier, time, policy digest)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from ..decisionlog import DecisionLog, Query
from ..logfile import Corrupt, LogError
from ..logstore import is_postgres
from .common import integer


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("log", help="查询决定日志 query a decision log")
    p.add_argument("log", help="decision log: a file (*.sqlite or *.jsonl) or a postgresql:// URL")
    p.add_argument("--id", dest="decision_id", help="one decision by its decision id")
    p.add_argument("--item", help="item id")
    p.add_argument("--matter", help="matter code (or what the item said)")
    p.add_argument("--tier", help="tier code, e.g. grid")
    p.add_argument("--kind", choices=("route", "admit", "evaluate", "case_state"), help="kind of decision")
    p.add_argument("--digest", help="policy digest (a prefix is enough)")
    p.add_argument("--since", help="logged at or after (ISO date or time; no offset means +08:00)")
    p.add_argument("--until", help="logged before (ISO date or time; a date means the end of that day)")
    p.add_argument("--trace", metavar="VALUE",
                   help="entries holding this ID or phone number, masked or not (needs the log's key: "
                        "$GRIDPOLICY_LOG_KEY or LOG.key)")
    p.add_argument("--limit", type=integer(0), help="at most this many entries")
    p.add_argument("--json", action="store_true", help="JSON lines: one full entry (input and output) a line")
    p.set_defaults(func=run)


CST = dt.timezone(dt.timedelta(hours=8))


def parse_time(text: str, end: bool = False) -> dt.datetime:
    """An ISO date or time; a bare date is its start (or, with end, the next day's start)."""
    from ..clock import parse_timestamp

    value = None
    if len(text) == 10:
        try:
            day = dt.date.fromisoformat(text) + dt.timedelta(days=1 if end else 0)
            value = parse_timestamp(dt.datetime.combine(day, dt.time(), CST))
        except (ValueError, OverflowError):
            value = None
    else:
        value = parse_timestamp(text, naive=CST)
    if value is None:
        raise SystemExit(f"时间格式错误 bad time: {text[:40]!r} (e.g. 2026-03-02 or 2026-03-02T09:00+08:00)")
    return value


def report_corrupt(c: Corrupt) -> None:
    """A corrupt entry, reported on stderr as it is skipped."""
    print(f"已跳过损坏的记录 skipped a corrupt entry — {c.render()}", file=sys.stderr)


def log_exists(path: str) -> bool:
    """Whether `path` can name a log: an existing file, or a PostgreSQL URL (tried on open)."""
    return is_postgres(path) or Path(path).is_file()


def open_log(path: str) -> DecisionLog | None:
    """The log at `path`, read-only (nothing is created, locked or repaired); None after a
    message on stderr if it cannot be opened."""
    if not log_exists(path):
        print(f"找不到决定日志 no such log: {path}", file=sys.stderr)
        return None
    try:
        return DecisionLog(path, readonly=True, on_corrupt=report_corrupt)
    except LogError as exc:
        print(f"{exc.zh} — {exc.en}", file=sys.stderr)
        return None


def run(args: argparse.Namespace) -> int:
    log = open_log(args.log)
    if log is None:
        return 2
    n = 0
    try:
        if args.decision_id:
            entry = log.get(args.decision_id)
            entries = iter([entry] if entry else [])
        else:
            q = Query(item=args.item, matter=args.matter, tier=args.tier, digest=args.digest, kind=args.kind,
                      since=parse_time(args.since) if args.since else None,
                      until=parse_time(args.until, end=True) if args.until else None, trace=args.trace)
            entries = log.query(q, limit=args.limit)
        for e in entries:
            n += 1
            print(json.dumps(e.to_dict(), ensure_ascii=False) if args.json else _line(e))
    except LogError as exc:
        print(f"{exc.zh} — {exc.en}", file=sys.stderr)
        return 2
    finally:
        log.close()
    if not args.json:
        print(f"共 {n} 条 — {n} entr{'y' if n == 1 else 'ies'}", file=sys.stderr)
    if log.corrupt:
        print(f"跳过 {log.corrupt} 条损坏的记录 — skipped {log.corrupt} corrupt entr{'y' if log.corrupt == 1 else 'ies'}",
              file=sys.stderr)
    return 0 if n or not args.decision_id else 1


def _case_line(item_id: str | None, out: dict) -> str:
    """A logged case state: its status, deadline and, indented below, its timeline."""
    raw = out.get("history")
    history: list[Any] = raw if isinstance(raw, list) else []
    head = f"{item_id or '-'}  → {out.get('status', '-')}  时限 deadline {out.get('deadline') or '—'}"
    primary = out.get("primary")
    if isinstance(primary, dict):  # a merged case: the progress it follows
        head += f"  主案件 primary {primary.get('case_id')} → {primary.get('status')}"
    return "\n".join([head, *(f"      [{h.get('index')}] {h.get('at')} {h.get('type')}: {h.get('text_zh')}"
                               for h in history if isinstance(h, dict))])


def _line(e: object) -> str:
    from ..decisionlog import LogEntry

    assert isinstance(e, LogEntry)
    out = e.output if isinstance(e.output, dict) else {}
    inp = e.input if isinstance(e.input, dict) else {}
    at = e.at.astimezone(CST).strftime("%Y-%m-%d %H:%M:%S")
    formula = out.get("formula")
    what = {"route": f"{e.item_id or '-'}  {e.matter or '-'}  → {e.outcome or '-'} {e.tier or ''}",
            "admit": f"{inp.get('name', '-')}  → {'准入 admitted' if out.get('admitted') else '不准入 refused'}",
            "evaluate": f"{(formula if isinstance(formula, dict) else {}).get('code', '-')} = {out.get('value')}",
            "case_state": _case_line(e.item_id, out),
            }.get(e.kind, "")
    return (f"{at}  {e.decision_id}  {e.kind:<8} {e.policy.version} {e.policy.digest[:12]}  "
            f"{e.latency_ms:7.2f} ms  {what}")
