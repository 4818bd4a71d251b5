"""gridpolicy serve PATH: the HTTP decision service (needs the `server` extra)."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import sys

from ..diagnostics import PolicyError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="HTTP 决定服务 serve decisions over HTTP")
    p.add_argument("path", help="rule folder or file (watched: edits are reloaded when they check clean)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8181, help="port (default 8181)")
    p.add_argument("--log", metavar="FILE", help="decision log: *.sqlite (default format) or *.jsonl")
    p.add_argument("--no-watch", action="store_true", help="do not reload when rule files change")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from ..server import create_app
    except ImportError:
        print("需要安装 server 扩展：pip install 'gridpolicy[server]' — the server extra is not installed",
              file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        app = create_app(args.path, log_path=args.log, watch=not args.no_watch)
    except PolicyError as exc:
        for d in exc.errors:
            print(d.render() + "\n", file=sys.stderr)
        print(f"规则有 {len(exc.errors)} 个错误，服务未启动 — {len(exc.errors)} error(s); not serving", file=sys.stderr)
        return 1
    try:
        if not ipaddress.ip_address(args.host).is_loopback:
            print(f"注意：服务监听 {args.host}，其他机器可以访问 — listening beyond this machine on {args.host}",
                  file=sys.stderr)
    except ValueError:
        pass
    if not args.log:
        print("注意：未指定 --log，决定不会写入日志 — decisions are not logged (use --log decisions.sqlite)",
              file=sys.stderr)

    uvicorn.run(app, host=args.host, port=args.port, log_level="info", access_log=False)
    return 0
