"""`gridpolicy route RULES ITEMS --out FILE`: items from a Parquet, JSON lines or CSV file
(`gridpolicy.batchio`), decided in record batches (in `--jobs` processes), written to FILE as
they are decided — constant memory however many items.

A JSON lines FILE gets one decision (or error entry) a line, as `route --jsonl` writes them.
A Parquet or CSV FILE gets one row per item: `OUT_COLUMNS`, the decision's main parts as
columns and the whole decision as JSON text in `decision` (`error` says why an item was not
decided; its `decision` is then empty).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterator
from typing import Any

import orjson

from ..batchio import BATCH_SIZE, BatchIOError, BatchWriter, format_of, read_batches
from ..contract import ItemError
from ..runtime import Policy
from .workers import in_order, worker_pool

OUT_COLUMNS = ("item_id", "outcome", "tier", "department", "roles", "deadline", "time_limit", "matter",
               "matter_status", "error", "decision")
BATCH = 2048  # items per task


def run(policy: Policy, args: argparse.Namespace, at: dt.datetime | None) -> int:
    try:
        format_of(args.items)
        out_format = format_of(args.out)
        writer = BatchWriter(args.out, columns=() if out_format == "jsonl" else OUT_COLUMNS)
    except BatchIOError as exc:
        print(f"{exc.zh} — {exc.en}", file=sys.stderr)
        return 2
    flat = out_format != "jsonl"
    failed = total = 0
    progress = _progress(args.out)
    try:
        with writer:
            for rows, bad in _decided(policy, read_batches(args.items, batch_size=BATCH), at, flat, args.jobs):
                if flat:
                    writer.write(rows)
                else:
                    writer.write_lines(rows)
                failed += bad
                total += len(rows) if flat else rows.count(b"\n")
                progress(total)
    except BatchIOError as exc:
        print(f"\n{exc.zh} — {exc.en}", file=sys.stderr)
        return 2
    progress(total, done=True)
    print(f"已分流 {total} 个事项，{failed} 个无效，写入 {args.out} — decided {total} items ({failed} invalid) into "
          f"{args.out}", file=sys.stderr)
    return 1 if failed else 0


def _decided(policy: Policy, batches: Iterator[list[dict[str, Any]]], at: dt.datetime | None, flat: bool,
             jobs: int) -> Iterator[tuple[Any, int]]:
    if jobs == 1:
        for batch in batches:
            yield route_batch(policy, batch, at, flat)
        return
    with worker_pool(jobs, _init, (policy, at, flat)) as pool:
        yield from in_order(pool, _work, batches, jobs)


_W: dict[str, Any] = {}


def _init(policy: Policy, at: dt.datetime | None, flat: bool) -> None:
    _W.update(policy=policy, at=at, flat=flat)


def _work(batch: list[dict[str, Any]]) -> tuple[Any, int]:
    return route_batch(_W["policy"], batch, _W["at"], _W["flat"])


def route_batch(policy: Policy, items: list[dict[str, Any]], at: dt.datetime | None, flat: bool
                ) -> tuple[Any, int]:
    """Decide `items`: (rows of OUT_COLUMNS, or JSON lines as bytes; how many were invalid)."""
    route = policy.route_json
    lines: list[bytes] = []
    rows: list[dict[str, Any]] = []
    failed = 0
    for item in items:
        item = {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in item.items()}
        try:
            out = route(item, at)
        except ItemError as exc:
            failed += 1
            entry = {"item_id": _id(item), **exc.to_dict()}
            if flat:
                first = exc.errors[0]
                rows.append({"item_id": _id(item), "error": f"{first.path}: {first.message_zh} — {first.message_en}"})
            else:
                lines.append(orjson.dumps(entry))
            continue
        if flat:
            rows.append(_row(out))
        else:
            lines.append(out)
    if flat:
        return rows, failed
    return (b"\n".join(lines) + b"\n") if lines else b"", failed


def _id(item: dict[str, Any]) -> str | None:
    value = item.get("id")
    return value if isinstance(value, str) else None


def _code(value: Any) -> str | None:
    return value.get("code") if isinstance(value, dict) else None


def _row(out: bytes) -> dict[str, Any]:
    d = orjson.loads(out)
    handlers = d.get("handlers") or {}
    matter = d.get("matter") or {}
    limit = d.get("time_limit") or {}
    return {"item_id": d.get("item_id"), "outcome": d.get("outcome"), "tier": _code(d.get("tier")),
            "department": _code(handlers.get("department")),
            "roles": ",".join(r["code"] for r in handlers.get("roles") or [] if isinstance(r, dict)) or None,
            "deadline": d.get("deadline"), "time_limit": limit.get("text_zh"),
            "matter": matter.get("code") or matter.get("query"), "matter_status": matter.get("status"),
            "error": None, "decision": out.decode()}


def _progress(target: str) -> Any:
    """A progress line on a terminal (stderr); nothing when stderr is piped."""
    if not sys.stderr.isatty():
        return lambda n, done=False: None

    def show(n: int, done: bool = False) -> None:
        sys.stderr.write(f"\r分流中 routing → {target}: {n:,}" + ("\n" if done else ""))
        sys.stderr.flush()
    return show


__all__ = ["BATCH_SIZE", "OUT_COLUMNS", "route_batch", "run"]
