"""gridpolicy schema item|decision [--policy PATH]: JSON Schemas for host developers."""

from __future__ import annotations

import argparse

from .common import dump, load_or_report


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schema", help="输出 JSON Schema（事项或决定）JSON Schema of the item or the decision")
    p.add_argument("what", choices=("item", "decision", "case", "case-state"),
                   help="item: what a host sends; decision: what it gets; case: a case with its events "
                        "(Policy.step); case-state: the state it gets")
    p.add_argument("--policy", metavar="PATH", help="rules whose fields and enums the item schema lists")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..schema import decision_schema, item_schema

    if args.what in ("case", "case-state"):
        from ..lifecycle import case_schema, case_state_schema

        print(dump(case_schema() if args.what == "case" else case_state_schema()))
        return 0
    if args.what == "decision":
        print(dump(decision_schema()))
        return 0
    policy = None
    if args.policy:
        policy = load_or_report(args.policy)
        if policy is None:
            return 1
    print(dump(item_schema(policy)))
    return 0
