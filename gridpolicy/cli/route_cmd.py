"""gridpolicy route PATH ITEMS: decide items (a JSON object, array or JSON lines; - for stdin).

`--out FILE` reads and writes Parquet, CSV or JSON lines in record batches (`route_batch`).
`--jsonl` streams: one item per input line in, one decision (or error) per line out, in
order, holding only a bounded window of lines in memory. `--jobs N` decides in N worker
processes (each with its own copy of the compiled policy); output order is input order.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import select
import sys
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

import orjson

from ..contract import ItemError
from ..explain import explain
from ..runtime import Policy
from .common import aware_time, dump, fail, integer, load_or_report, read_json
from .workers import WorkerDied, context, in_order, worker_pool

BATCH = 512  # items per task sent to a worker


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("route", help="分流：给出事项的处理决定 decide items")
    p.add_argument("path", help="rule folder or file")
    p.add_argument("items", help="item JSON file, JSON array or JSON lines; '-' for stdin")
    p.add_argument("--at", type=aware_time, help="decide as of this ISO time (default: each item's reported_at)")
    p.add_argument("--explain", action="store_true", help="print the reasoning for a person")
    p.add_argument("--jsonl", action="store_true",
                   help="流式处理 JSON lines：每行一个事项，每行输出一个决定 stream JSON lines in and out")
    p.add_argument("--out", "-o", metavar="FILE",
                   help="批量：写入 Parquet/CSV/JSON lines 文件（按后缀），ITEMS 可为 .parquet/.csv/.jsonl "
                        "write decisions to a Parquet, CSV or JSON lines FILE (by suffix), streaming; ITEMS may "
                        "then be .parquet, .csv or .jsonl")
    p.add_argument("--jobs", "-j", type=integer(1, 256), default=1, metavar="N",
                   help="用 N 个进程并行分流，输出保持输入顺序 decide in N processes, output in input order")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except WorkerDied as exc:
        sys.stdout.flush()
        print(str(exc), file=sys.stderr)
        return 3


def _run(args: argparse.Namespace) -> int:
    policy = load_or_report(args.path)
    if policy is None:
        return 1
    at: dt.datetime | None = args.at
    if args.out:
        from .route_batch import run as run_batch

        return run_batch(policy, args, at)
    if args.jsonl:
        return _run_jsonl(policy, args, at)
    data = read_json(args.items)
    many = isinstance(data, list)
    items = data if many else [data]
    out: list[Any] = []
    failed = 0
    for ok, result in _pipeline(policy, ((None, item) for item in items), at, args.explain, args.jobs):
        failed += not ok
        if args.explain:
            print(result + "\n")
        else:
            out.append(result)
    if not args.explain:
        print(dump(out if many else out[0]))
    return 1 if failed else 0


def _run_jsonl(policy: Policy, args: argparse.Namespace, at: dt.datetime | None) -> int:
    if args.explain:
        return _run_jsonl_explained(policy, args, at)
    try:
        stream = sys.stdin.buffer if args.items == "-" else open(args.items, "rb")  # noqa: SIM115
    except OSError as exc:
        fail(f"无法读取“{args.items}”：{exc.strerror}", f"cannot read '{args.items}': {exc.strerror}")
    sys.stdout.flush()
    try:
        if args.jobs > 1 and (fd := _real_fd(sys.stdout)) is not None:
            failed = sum(_direct_pipeline(policy, stream, at, args.jobs, fd))
        else:
            out = getattr(sys.stdout, "buffer", None)
            write = out.write if out is not None else (lambda b: sys.stdout.write(b.decode()))
            flush = (out or sys.stdout).flush
            failed = 0
            for text, bad in _line_pipeline(policy, stream, at, args.jobs):
                failed += bad
                write(text)
                flush()  # a host feeding lines one at a time reads each decision at once
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    return 1 if failed else 0


def _real_fd(stream: Any) -> int | None:
    """The file descriptor behind `stream`, if it has one (not a test's capture buffer)."""
    try:
        return int(stream.fileno())
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
        return None


def _run_jsonl_explained(policy: Policy, args: argparse.Namespace, at: dt.datetime | None) -> int:
    try:
        stream = sys.stdin if args.items == "-" else open(args.items, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        fail(f"无法读取“{args.items}”：{exc.strerror}", f"cannot read '{args.items}': {exc.strerror}")
    failed = 0
    write = sys.stdout.write
    try:
        lines = ((n, line) for n, line in enumerate(stream, 1) if line.strip())
        for ok, text in _pipeline(policy, lines, at, True, args.jobs):
            failed += not ok
            write(text + "\n\n")
    finally:
        if stream is not sys.stdin:
            stream.close()
    sys.stdout.flush()
    return 1 if failed else 0


# ---- JSON lines: chunks of lines in, chunks of decisions out -------------------------------

CHUNK = 1 << 18  # bytes read at a time: a chunk is the whole lines of one read
Chunk = tuple[int, bytes]  # (number of the first line, whole lines, the last one maybe unended)


def _blocks(stream: BinaryIO) -> Iterator[bytes]:
    """The input as it arrives: up to CHUNK bytes at a time, as much as is there without
    waiting (a host writing one line and waiting for its decision gets it; a bulk input gives
    full blocks)."""
    read = stream.read1 if hasattr(stream, "read1") else stream.read
    try:
        fd: int | None = stream.fileno()
    except (AttributeError, OSError, ValueError):
        fd = None

    def more() -> bool:  # more input there right now (where select works on the stream)
        try:
            return fd is not None and bool(select.select([fd], [], [], 0)[0])
        except (OSError, ValueError):
            return False
    while True:
        block = read(CHUNK)
        if not block:
            return
        parts, size = [block], len(block)
        while fd is not None and size < CHUNK and more():
            block = read(CHUNK - size)
            if not block:
                break
            parts.append(block)
            size += len(block)
        yield parts[0] if len(parts) == 1 else b"".join(parts)


def read_chunks(stream: BinaryIO) -> Iterator[Chunk]:
    """The input's whole lines as they arrive: each block gives a chunk of the lines it ends;
    a line's start waits for its end."""
    first = 1
    pending: list[bytes] = []  # the start of a line not ended yet
    for block in _blocks(stream):
        cut = block.rfind(b"\n") + 1
        if not cut:
            pending.append(block)
            continue
        head = block if cut == len(block) else block[:cut]
        lines = b"".join((*pending, head)) if pending else head
        pending = [block[cut:]] if cut < len(block) else []
        yield first, lines
        first += lines.count(b"\n")
    if pending:
        yield first, b"".join(pending)


def decide_lines(policy: Policy, chunk: Chunk, at: dt.datetime | None) -> tuple[bytes, int]:
    """Decide a chunk of JSON lines: one output line per non-blank input line, and how many
    of them are errors."""
    first, lines = chunk
    out: list[bytes] = []
    append = out.append
    failed = 0
    route, loads = policy.route_json, orjson.loads
    for lineno, raw in enumerate(lines.split(b"\n"), first):
        try:
            append(route(loads(raw), at))
        except orjson.JSONDecodeError as exc:
            if raw.strip():  # a blank line is skipped
                failed += 1
                append(_line_error(lineno, exc.msg))
        except ItemError as exc:
            failed += 1
            item = loads(raw)  # it parsed: deciding it failed
            entry = {"item_id": _item_id(item), **exc.to_dict()}
            append(json.dumps(entry, ensure_ascii=False).encode())
    if not out:
        return b"", 0
    out.append(b"")
    return b"\n".join(out), failed


def _item_id(item: Any) -> str | None:
    """An item's id for its error entry, always encodable (a lone surrogate shown escaped)."""
    from ..runtime.items import printable

    item_id = item.get("id") if isinstance(item, dict) else None
    return printable(item_id) if isinstance(item_id, str) else None


def _line_error(lineno: int, msg: str) -> bytes:
    return json.dumps(_json_error(lineno, msg), ensure_ascii=False).encode()


def _json_error(lineno: int, msg: str) -> dict[str, Any]:
    """The error entry of an input line that is not JSON."""
    return {"item_id": None, "error": "invalid_json", "line": lineno,
            "details": [{"path": "", "message_zh": f"第 {lineno} 行不是合法的 JSON：{msg}",
                         "message_en": f"line {lineno} is not valid JSON: {msg}"}]}


def _line_pipeline(policy: Policy, stream: BinaryIO, at: dt.datetime | None, jobs: int
                   ) -> Iterator[tuple[bytes, int]]:
    """Decided chunks in input order; with jobs > 1, at most 2 x jobs chunks are in flight."""
    if jobs == 1:
        for chunk in read_chunks(stream):
            yield decide_lines(policy, chunk, at)
        return
    with worker_pool(jobs, _init_worker, (policy, at, False)) as pool:
        yield from in_order(pool, _work_lines, read_chunks(stream), jobs)


def _work_lines(chunk: Chunk) -> tuple[bytes, int]:
    return decide_lines(_WORKER["policy"], chunk, _WORKER["at"])


def _direct_pipeline(policy: Policy, stream: BinaryIO, at: dt.datetime | None, jobs: int, fd: int
                     ) -> Iterator[int]:
    """Decide chunks in `jobs` processes that write their output to `fd` themselves, taking
    turns in input order (the parent only hands out input). Yields each chunk's error count."""
    ctx = context()
    turn = ctx.Value("q", 0, lock=False)  # the number of the chunk whose turn it is to be written
    ready = ctx.Condition()
    with worker_pool(jobs, _init_writer, (policy, at, fd, turn, ready)) as pool:
        yield from in_order(pool, _work_and_write, enumerate(read_chunks(stream)), jobs)


def _init_writer(policy: Policy, at: dt.datetime | None, fd: int, turn: Any, ready: Any) -> None:
    _WORKER.update(policy=policy, at=at, fd=fd, turn=turn, ready=ready)


def _work_and_write(task: tuple[int, Chunk]) -> int:
    """Decide chunk k, wait for its turn, write it, pass the turn on (also on failure, so the
    other workers never wait for a chunk that will not come)."""
    k, chunk = task
    w = _WORKER
    turn, ready = w["turn"], w["ready"]
    blob, failed = b"", 0
    try:
        blob, failed = decide_lines(w["policy"], chunk, w["at"])
    finally:
        with ready:
            ready.wait_for(lambda: turn.value == k)
            try:
                view = memoryview(blob)
                while view:
                    view = view[os.write(w["fd"], view):]
            finally:
                turn.value = k + 1
                ready.notify_all()
    return failed


# ---- deciding, in this process or in workers ----------------------------------------------

Work = tuple[int | None, Any]  # (line number or None, raw JSON line or an already parsed item)
Result = tuple[bool, Any]  # (decided, output: a JSON line, a JSON-ready dict, or explanation text)


def decide(policy: Policy, work: Iterable[Work], at: dt.datetime | None, explained: bool) -> list[Result]:
    """Decide a batch: each result is a JSON-ready dict, or with `explained` a text."""
    out: list[Result] = []
    for lineno, raw in work:
        item = raw
        if lineno is not None:
            try:
                item = json.loads(raw)
            except (json.JSONDecodeError, RecursionError) as exc:
                msg = getattr(exc, "msg", "nested too deeply")
                out.append((False, _render_error(_json_error(lineno, msg), explained)))
                continue
        try:
            decision = policy.route(item, at)
        except ItemError as exc:
            entry = {"item_id": _item_id(item), **exc.to_dict()}
            out.append((False, _render_error(entry, explained, exc)))
            continue
        out.append((True, explain(decision) if explained else decision.model_dump(mode="json")))
    return out


def _render_error(entry: dict[str, Any], explained: bool, exc: Exception | None = None) -> Any:
    if explained:
        detail = exc if exc is not None else entry["details"][0]["message_zh"]
        return f"事项 item {entry['item_id']}: 输入无效 invalid — {detail}"
    return entry


def _batches(work: Iterable[Work], size: int) -> Iterator[list[Work]]:
    batch: list[Work] = []
    for w in work:
        batch.append(w)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _pipeline(policy: Policy, work: Iterable[Work], at: dt.datetime | None, explained: bool, jobs: int
              ) -> Iterator[Result]:
    """Results in input order; with jobs > 1, at most 2 x jobs batches are in flight."""
    if jobs == 1:
        for batch in _batches(work, BATCH):
            yield from decide(policy, batch, at, explained)
        return
    with worker_pool(jobs, _init_worker, (policy, at, explained)) as pool:
        for results in in_order(pool, _work, _batches(work, BATCH), jobs):
            yield from results


_WORKER: dict[str, Any] = {}


def _init_worker(policy: Policy, at: dt.datetime | None, explained: bool) -> None:
    _WORKER.update(policy=policy, at=at, explained=explained)


def _work(batch: list[Work]) -> list[Result]:
    w = _WORKER
    return decide(w["policy"], batch, w["at"], w["explained"])
