"""gridpolicy eval PATH FORMULA DATA: compute a formula and its grade."""

from __future__ import annotations

import argparse
import sys

from ..contract import ItemError
from .common import dump, load_or_report, read_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="计算评价公式 evaluate a formula")
    p.add_argument("path", help="rule folder or file")
    p.add_argument("formula", help="formula name")
    p.add_argument("data", help="input JSON file; '-' for stdin")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    policy = load_or_report(args.path)
    if policy is None:
        return 1
    try:
        result = policy.evaluate(args.formula, read_json(args.data))
    except ItemError as exc:
        print(dump(exc.to_dict()), file=sys.stderr)
        return 1
    print(dump(result.model_dump(mode="json")))
    return 0
