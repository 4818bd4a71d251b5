"""gridpolicy sample REGISTRY: the random inspection draw (随机抽查) of grid party organisations."""

from __future__ import annotations

import argparse
import json
import secrets
import sys

from ..registry import RegistryError, SampleError, check_roles, draw_sample, load_registry
from .common import integer


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sample", help="随机抽查网格 draw grids for inspection, reproducibly from a seed")
    p.add_argument("registry", help="grid registry YAML (e.g. rules/registry/grids.yaml)")
    p.add_argument("--n", type=integer(1), default=40, help="抽取的网格数 grids to draw (default 40)")
    p.add_argument("--from-communities", type=integer(1), default=20,
                   help="分布到的社区数 communities to spread the draw over (default 20)")
    p.add_argument("--seed", type=integer(0), help="随机种子；不给则随机生成并打印 seed (printed; re-use it to re-draw)")
    p.add_argument("--rules", help="同时核对台账中的角色是否在规则中声明 check the registry's roles against these rules")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        loaded = load_registry(args.registry)
    except RegistryError as exc:
        for problem in exc.problems:
            print(problem.render(), file=sys.stderr)
        print(f"网格台账有 {len(exc.problems)} 处错误 — {len(exc.problems)} problem(s) in the registry",
              file=sys.stderr)
        return 1
    if args.rules:
        from .common import load_or_report

        policy = load_or_report(args.rules)
        if policy is None:
            return 1
        problems = check_roles(loaded, policy)
        for problem in problems:
            print(problem.render(), file=sys.stderr)
        if problems:
            return 1
    seed = args.seed if args.seed is not None else secrets.randbelow(10**9)
    try:
        draw = draw_sample(loaded.registry, args.n, args.from_communities, seed)
    except SampleError as exc:
        print(f"{args.registry}: {exc}", file=sys.stderr)
        return 1
    redraw = (f"gridpolicy sample {args.registry} --n {args.n} "
              f"--from-communities {args.from_communities} --seed {seed}")
    if args.format == "json":
        print(json.dumps({
            "seed": seed, "n": draw.n, "from_communities": len(draw.communities),
            "registry": loaded.path, "registry_sha256": loaded.digest,
            "example_registry": loaded.registry.example, "redraw": redraw,
            "grids": [{"code": e.code, "name": e.grid.name, "community": e.community.name,
                       "community_code": e.community.code, "street": e.street.name,
                       "street_code": e.street.code} for e in draw.grids],
        }, ensure_ascii=False, indent=2))
        return 0
    reg = loaded.registry
    if reg.example:
        print("注意：这是示例台账，不是真实台账 — NOTE: this is an example registry")
    print(f"随机抽查 inspection draw — {reg.district}，台账更新 {reg.updated}")
    print(f"种子 seed: {seed}")
    print(f"台账 registry: {loaded.path} (sha256 {loaded.digest[:16]})")
    print(f"从 {len(draw.communities)} 个社区抽取 {draw.n} 个网格 — {draw.n} grids from "
          f"{len(draw.communities)} communities")
    print(f"复核 re-draw: {redraw}")
    print()
    for i, e in enumerate(draw.grids, 1):
        print(f"{i:>3}. {e.code}  {e.street.name} / {e.community.name} / {e.grid.name}")
    return 0
