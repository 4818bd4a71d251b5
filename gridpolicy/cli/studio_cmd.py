"""gridpolicy studio RULES: the browser studio (needs the `server` extra)."""

from __future__ import annotations

import argparse
import ipaddress
import sys
from pathlib import Path

from .common import fail, integer


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("studio", help="浏览器规则工作室 the browser rule studio",
                       description="在浏览器中编辑规则：实时诊断、试一试事项、对比变化、检查和规则测试通过才保存。"
                                   " Edit the rules in a browser: live diagnostics, try an item, see the diff, save only"
                                   " when the check and the rule tests pass.")
    p.add_argument("path", metavar="RULES", help="rule folder")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=integer(0, 65535), default=8282, help="port (default 8282)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not Path(args.path).is_dir():
        fail(f"“{args.path}”不是规则文件夹", f"'{args.path}' is not a rule folder")
    try:
        import uvicorn

        from ..studio.app import create_app
    except ImportError:
        fail("工作室需要 server 组件：pip install 'gridpolicy[server]'",
             "the studio needs the server extra: pip install 'gridpolicy[server]'")
    try:
        loopback = ipaddress.ip_address(args.host).is_loopback
    except ValueError:
        loopback = args.host == "localhost"
    if not loopback:
        print(f"注意：工作室可以改写规则文件，现在对 {args.host} 开放 — the studio can rewrite rule files and is open on "
              f"{args.host}", file=sys.stderr)
    print(f"规则工作室 rule studio: http://{args.host}:{args.port}/  (Ctrl-C 退出 to stop)", file=sys.stderr)
    uvicorn.run(create_app(args.path), host=args.host, port=args.port, log_level="warning")
    return 0
