"""gridpolicy verify BUNDLE|FOLDER [--pubkey KEY]: check release bundles (integrity, signature)."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from ..release import ReleaseError, list_bundles, verify_bundle


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("verify", help="校验发布包 verify release bundles (integrity and signature)")
    p.add_argument("path", help="发布包或发布包文件夹 a bundle (*.gprelease) or a releases folder")
    p.add_argument("--pubkey", help="受信任的 Ed25519 公钥（PEM）；也可用 GRIDPOLICY_RELEASE_PUBKEY "
                                    "trusted public key (or $GRIDPOLICY_RELEASE_PUBKEY); without one, "
                                    "only integrity is checked")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.path)
    paths = list_bundles(path) if path.is_dir() else [path]
    if not paths:
        print(f"gridpolicy verify: “{path}”中没有发布包 no release bundles in '{path}'")
        return 1
    key = args.pubkey or os.environ.get("GRIDPOLICY_RELEASE_PUBKEY") or None
    bad = 0
    rows: list[dict[str, Any]] = []
    for p in paths:
        try:
            b = verify_bundle(p, Path(key) if key else None)
        except ReleaseError as exc:
            bad += 1
            rows.append({"file": str(p), "ok": False, "error_zh": exc.message_zh, "error_en": exc.message_en})
            continue
        m = b.manifest
        rows.append({"file": str(p), "ok": True, "version": m["version"], "effective": m["effective"],
                     "approved_by": m["approved_by"], "ref": m["ref"], "digest": m["digest"],
                     "signature": "verified" if key else ("present" if b.signature else "none")})
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            if r["ok"]:
                sig = {"verified": "签名有效 signature verified", "present": "有签名（未校验） signed, not checked",
                       "none": "未签名 unsigned"}[r["signature"]]
                print(f"通过 OK   {r['file']}: {r['version']} 自 {r['effective']} 起施行 effective; "
                      f"{r['approved_by']}（{r['ref']}）; {sig}")
            else:
                print(f"失败 FAIL {r['file']}: {r['error_zh']}\n          {r['error_en']}")
    return 1 if bad else 0
