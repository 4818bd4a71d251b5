"""gridpolicy serve PATH: the HTTP decision service (needs the `server` extra)."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import sys

from ..diagnostics import PolicyError
from .common import integer


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="HTTP 决定服务 serve decisions over HTTP")
    p.add_argument("path", help="rule folder or file (watched: edits are reloaded when they check clean)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=integer(0, 65535), default=8181, help="port (default 8181)")
    p.add_argument("--log", metavar="FILE|URL", help="decision log: *.sqlite (default format), *.jsonl, or a "
                   "postgresql://user@host:port/db URL (shared by replicas; needs the postgres extra)")
    p.add_argument("--durability", choices=("full", "normal"), default="full",
                   help="full (default): an answer leaves once its decision is on stable storage (fsync); "
                        "normal: once the OS or database server holds it (survives a killed process, not a power cut)")
    p.add_argument("--no-watch", action="store_true", help="do not reload when rule files change")
    p.add_argument("--studio", action="store_true",
                   help="同时在 /studio/ 提供规则工作室（规则文件夹；保存后服务自动重新加载）— also serve the rule studio at "
                        "/studio/ (a rule folder; a save is reloaded like any edit)")
    p.add_argument("--no-reload-tests", action="store_true",
                   help="do not run the rule tests beside the rules before a reload goes live")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="a Host name the service answers besides its bind address (repeat; '*' for any)")
    p.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                   help="an origin whose web pages may call the service, e.g. https://portal.example.gov.cn "
                        "(repeat; CORS is off without it)")
    p.add_argument("--no-mask", action="store_true",
                   help="log inputs verbatim: no masking of ID numbers, phone numbers and the like")
    p.add_argument("--mask-field", action="append", default=[], metavar="NAME",
                   help="a field whose value is masked whole in the log (repeat; added to the defaults)")
    p.add_argument("--max-connections", type=integer(1), default=512, metavar="N",
                   help="open connections at most (idle ones are closed first; default 512)")
    p.add_argument("--header-timeout", type=float, default=10.0, metavar="S",
                   help="seconds a connection has to send a request head (default 10)")
    p.add_argument("--body-timeout", type=float, default=30.0, metavar="S",
                   help="seconds a request has to send its whole body (default 30)")
    p.add_argument("--no-access-log", action="store_true", help="no line per request (the log is rate-limited)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.studio and not os.path.isdir(args.path):
        print("--studio 需要规则文件夹 — --studio needs a rule folder", file=sys.stderr)
        return 2
    try:
        import uvicorn

        from ..server import create_app
        from ..server.connections import Limits, RateLimit, protocol
    except ImportError:
        print("需要安装 server 扩展：pip install 'gridpolicy[server]' — the server extra is not installed",
              file=sys.stderr)
        return 2
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RateLimit())  # a flood of bad connections cannot fill the disk with log lines
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    try:
        app = create_app(args.path, log_path=args.log, watch=not args.no_watch, bind_host=args.host,
                         allowed_hosts=tuple(args.allow_host), cors_origins=tuple(args.cors_origin),
                         body_timeout=args.body_timeout, masking=not args.no_mask,
                         mask_fields=tuple(args.mask_field), access_log=not args.no_access_log,
                         run_tests=not args.no_reload_tests, durability=args.durability)
    except PolicyError as exc:
        for d in exc.errors:
            print(d.render() + "\n", file=sys.stderr)
        print(f"规则有 {len(exc.errors)} 个错误，服务未启动 — {len(exc.errors)} error(s); not serving", file=sys.stderr)
        return 1
    except OSError as exc:  # the decision log cannot be opened (in use, no permission)
        print(f"无法打开决定日志，服务未启动 — cannot open the decision log; not serving: {exc}", file=sys.stderr)
        return 1
    if args.studio:
        from ..studio.app import create_app as create_studio

        app.mount("/studio", create_studio(args.path))
    try:
        if not ipaddress.ip_address(args.host).is_loopback:
            print(f"注意：服务监听 {args.host}，其他机器可以访问 — listening beyond this machine on {args.host}",
                  file=sys.stderr)
    except ValueError:
        pass
    if not args.log:
        print("注意：未指定 --log，决定不会写入日志 — decisions are not logged (use --log decisions.sqlite)",
              file=sys.stderr)
    elif args.no_mask:
        print("注意：--no-mask，决定日志保存原始输入（含身份证号、电话等）— the decision log keeps inputs verbatim "
              "(ID and phone numbers included)", file=sys.stderr)
    limits = Limits(max_connections=max(1, args.max_connections), header_timeout=args.header_timeout)
    config = uvicorn.Config(app, host=args.host, port=args.port, http=protocol(limits), log_config=None,
                            access_log=False, timeout_keep_alive=5, timeout_graceful_shutdown=10)
    uvicorn.Server(config).run()
    return 0
