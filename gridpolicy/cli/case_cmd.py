"""gridpolicy case RULES CASES: where cases stand (`Policy.step`).

CASES is a case as JSON ({"item": {...}, "events": [...]}), a JSON array of cases, or JSON
lines; `-` reads stdin. `--jsonl` streams: one case per input line in, one state (or error)
per line out, each written as soon as it is decided.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from .common import dump, load_or_report, read_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("case", help="案件全程跟踪：给出案件当前状态 where cases stand after their events")
    p.add_argument("path", help="rule folder or file")
    p.add_argument("cases", help="case JSON file, JSON array or JSON lines; '-' for stdin")
    p.add_argument("--at", help="the state as of this ISO time (default: each case's last event)")
    p.add_argument("--explain", action="store_true", help="print the state and timeline for a person")
    p.add_argument("--jsonl", action="store_true",
                   help="流式处理 JSON lines：每行一个案件，每行输出一个状态 stream JSON lines in and out")
    p.set_defaults(func=run)


def _at(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    from ..clock import parse_timestamp, timestamp_problem

    at = parse_timestamp(text)
    if at is None:
        zh, en = timestamp_problem(text)
        raise SystemExit(f"--at {zh} --at {en}: {text[:40]!r}")
    return at


def run(args: argparse.Namespace) -> int:
    from ..lifecycle import CaseError
    from ..lifecycle.explain import explain_case

    at = _at(args.at)
    policy = load_or_report(args.path)
    if policy is None:
        return 1

    def one(case: Any, where: str) -> tuple[bool, Any]:
        try:
            state = policy.step(case, at)
        except CaseError as exc:
            if args.explain:
                return False, f"{where}: 案件无效 invalid case\n" + "\n".join(
                    f"  {e.path}: {e.message_zh}\n    {e.message_en}" for e in exc.errors)
            return False, {**exc.to_dict(), "where": where}
        return True, explain_case(state) if args.explain else state.model_dump(mode="json")

    failed = 0
    if args.jsonl:
        stream = sys.stdin if args.cases == "-" else open(args.cases, encoding="utf-8")  # noqa: SIM115
        try:
            for n, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                try:
                    case = json.loads(line)
                except (json.JSONDecodeError, RecursionError) as exc:
                    ok, out = False, {"error": "invalid_json", "where": f"line {n}", "message": str(exc)}
                else:
                    ok, out = one(case, f"line {n}")
                failed += not ok
                sys.stdout.write((out + "\n\n") if isinstance(out, str)
                                 else json.dumps(out, ensure_ascii=False) + "\n")
                sys.stdout.flush()  # a host feeding cases one at a time reads each state at once
        finally:
            if stream is not sys.stdin:
                stream.close()
        return 1 if failed else 0
    data = read_json(args.cases)
    many = isinstance(data, list)
    results = [one(c, f"#{i}" if many else args.cases) for i, c in enumerate(data if many else [data])]
    failed = sum(not ok for ok, _ in results)
    if args.explain:
        print("\n\n".join(str(out) for _, out in results))
    else:
        outs = [out for _, out in results]
        print(dump(outs if many else outs[0]))
    return 1 if failed else 0
