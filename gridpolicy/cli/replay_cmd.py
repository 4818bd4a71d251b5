"""gridpolicy replay LOG --policy NEW: re-decide logged items under other rules; show what changes."""

from __future__ import annotations

import argparse
import json
import sys

from ..decisionlog import Query, replay
from ..logfile import LogError
from .common import load_or_report
from .log_cmd import log_exists, open_log, parse_time


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("replay", help="用新规则重放日志中的决定 re-decide logged items under new rules")
    p.add_argument("log", help="decision log: a file (*.sqlite or *.jsonl) or a postgresql:// URL")
    p.add_argument("--policy", required=True, metavar="PATH", help="the new rules (folder or file)")
    p.add_argument("--digest", help="only decisions made by this policy digest (prefix)")
    p.add_argument("--since", help="only decisions logged at or after this time")
    p.add_argument("--until", help="only decisions logged before this time")
    p.add_argument("--json", action="store_true", help="JSON lines: one object per changed decision")
    p.add_argument("--fail-on-change", action="store_true", help="exit 1 if any decision would change")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not log_exists(args.log):
        print(f"找不到决定日志 no such log: {args.log}", file=sys.stderr)
        return 2
    policy = load_or_report(args.policy)
    if policy is None:
        return 1
    log = open_log(args.log)
    if log is None:
        return 2
    q = Query(kind="route", digest=args.digest, since=parse_time(args.since) if args.since else None,
              until=parse_time(args.until, end=True) if args.until else None)
    total = changed = invalid = 0
    try:
        for entry, change in replay(log.query(q), policy):
            total += 1
            if change is None:
                continue
            changed += 1
            invalid += change.after is None
            if args.json:
                print(json.dumps({"decision_id": change.decision_id, "item_id": change.item_id,
                                  "changed": change.fields, "before": change.before, "after": change.after,
                                  "error": change.error}, ensure_ascii=False))
                continue
            print(f"{change.decision_id}  事项 item {change.item_id}  (原规则 was {entry.policy.version} "
                  f"{entry.policy.digest[:12]})")
            if change.after is None:
                print(f"    新规则下输入无效 invalid under the new rules: {change.error}")
            for key in change.fields if change.after is not None else ():
                print(f"    {key}: {_show((change.before or {}).get(key))} → {_show((change.after or {}).get(key))}")
    except LogError as exc:
        print(f"{exc.zh} — {exc.en}", file=sys.stderr)
        return 2
    finally:
        log.close()
    if log.corrupt:
        print(f"跳过 {log.corrupt} 条损坏的记录 — skipped {log.corrupt} corrupt entries", file=sys.stderr)
    print(f"重放 {total} 个决定，{changed} 个会改变（其中 {invalid} 个输入无效）；新规则 {policy.header.version} "
          f"{policy.digest[:12]} — replayed {total}, {changed} would change ({invalid} invalid)", file=sys.stderr)
    return 1 if args.fail_on_change and changed else 0


def _show(v: object) -> str:
    return json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v
