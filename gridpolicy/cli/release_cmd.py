"""gridpolicy release RULES --version V --effective DATE --approved-by ... --ref ...: seal a release."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from ..release import ReleaseError, ReleaseRequest, default_releases, make_release
from .common import read_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("release", help="发布规则版本 seal a versioned, approved, dated rule release")
    p.add_argument("rules", help="规则文件夹 the rule folder (rules, registry/, tests/)")
    p.add_argument("--version", required=True, dest="release_version",
                   help="版本号，须与规则头 version 一致 the version; must equal the policy header's version")
    p.add_argument("--effective", required=True, help="生效日期 effective date, YYYY-MM-DD")
    p.add_argument("--approved-by", required=True, help="批准机关 approving body, e.g. 中共屯溪区委政法委员会")
    p.add_argument("--ref", required=True, help="批准文号 document reference, e.g. 屯政法〔2026〕5号")
    p.add_argument("--notes", help="发布说明文件 a file with release notes")
    p.add_argument("--releases", help="发布包文件夹（默认：规则文件夹旁的 releases/） releases folder "
                                      "(default: releases/ beside the rule folder)")
    p.add_argument("--key", help="Ed25519 私钥（PEM）；也可用环境变量 GRIDPOLICY_RELEASE_KEY "
                                 "private key to sign with (or $GRIDPOLICY_RELEASE_KEY)")
    p.add_argument("--items", help="用于评估影响的样例（JSON 或 JSON lines；默认：规则测试中的事项） "
                                   "sample items for the impact (default: the rule tests' items)")
    p.add_argument("--log", help="用决定日志中最近的事项评估影响（最多 --sample 件） sample the impact from a decision log's "
                                 "latest route decisions (at most --sample)")
    p.add_argument("--sample", type=int, default=1000, metavar="N", help="--log 取样件数 items taken from --log (1000)")
    p.add_argument("--min-coverage", type=float, metavar="N", help="测试覆盖率低于 N%% 时拒绝发布 refuse below N%% coverage")
    p.set_defaults(func=run)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise SystemExit(f"gridpolicy release: --effective “{text}”不是日期，应为 YYYY-MM-DD，例如 2026-07-01 — "
                         f"'{text}' is not a date; use YYYY-MM-DD, e.g. 2026-07-01") from None


def run(args: argparse.Namespace) -> int:
    rules = Path(args.rules)
    notes = ""
    if args.notes:
        try:
            notes = Path(args.notes).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SystemExit(f"gridpolicy release: 无法读取 cannot read {args.notes}: {exc}") from None
    items = None
    if args.items:
        data = read_json(args.items)
        items = tuple(data if isinstance(data, list) else [data])
    if args.log:
        items = _logged_items(args.log, args.sample)
    key = args.key or os.environ.get("GRIDPOLICY_RELEASE_KEY") or None
    req = ReleaseRequest(rules=rules, version=args.release_version, effective=_date(args.effective),
                         approved_by=args.approved_by, ref=args.ref,
                         releases=Path(args.releases) if args.releases else default_releases(rules),
                         notes=notes, key=Path(key) if key else None, items=items, min_coverage=args.min_coverage)
    quiet = not sys.stderr.isatty()
    try:
        bundle = make_release(req, None if quiet else (lambda msg: print(f"… {msg}", file=sys.stderr)))
    except ReleaseError as exc:
        print(f"gridpolicy release: 拒绝发布 refused: {exc.message_zh}\n    {exc.message_en}", file=sys.stderr)
        return 1
    m = bundle.manifest
    print(f"已发布 released {m['version']} → {bundle.path}")
    print(f"  生效 effective {m['effective']}；批准 approved by {m['approved_by']}（{m['ref']}）")
    print(f"  摘要 digest {m['digest'][:16]}；{'已签名 signed, key ' + bundle.signature['key_id'] if bundle.signature else '未签名 unsigned'}")
    t = m["tests"]
    cov = f"{m['coverage']:.1f}%" if m["coverage"] is not None else "—"
    print(f"  规则测试 tests {t['passed']}/{t['total']}；覆盖率 coverage {cov}；警告 warnings {len(m['check']['warnings'])}")
    for w in m["check"]["warnings"]:
        print(f"    {w}")
    if m["previous"]:
        im = m["impact"]
        print(f"  与 {m['previous']['version']} 相比 vs {m['previous']['version']}: {len(m['diff']['changes'])} 处规则变更 "
              f"changes; {im['changed']}/{im['items']} 件样例处理结果不同 sample items decided differently")
    return 0


def _logged_items(path: str, n: int) -> tuple[dict[str, Any], ...]:
    """The items of a decision log's last `n` route decisions (oldest first)."""
    from collections import deque

    from ..decisionlog import DecisionLog, LogError

    if not Path(path).exists():
        raise SystemExit(f"gridpolicy release: 找不到决定日志 no such log: {path}")
    try:
        with DecisionLog(path, readonly=True) as log:
            last = deque((e.input for e in log.query() if e.kind == "route" and isinstance(e.input, dict)), maxlen=n)
    except LogError as exc:
        raise SystemExit(f"gridpolicy release: {exc.zh} — {exc.en}") from None
    return tuple(last)
