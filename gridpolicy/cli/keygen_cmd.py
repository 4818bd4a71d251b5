"""gridpolicy keygen PRIVATE PUBLIC: a new Ed25519 key pair for signing releases."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..release import ReleaseError
from ..release.signing import generate_keypair


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("keygen", help="生成发布签名密钥 make an Ed25519 key pair for signing releases")
    p.add_argument("private", help="私钥文件（新建，权限 0600） private key file to create (mode 0600)")
    p.add_argument("public", help="公钥文件（新建） public key file to create")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        key_id = generate_keypair(Path(args.private), Path(args.public))
    except (ReleaseError, OSError) as exc:
        print(f"gridpolicy keygen: {exc}")
        return 1
    print(f"密钥已生成 key pair written: {args.private} (私钥 private), {args.public} (公钥 public); key id {key_id}")
    return 0
