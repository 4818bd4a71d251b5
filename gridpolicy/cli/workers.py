"""Worker processes for batch commands (`route --jobs`, `route --out --jobs`): a pool that
notices a dead worker, and results handed back in input order."""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any


def context() -> Any:
    import multiprocessing as mp

    return mp.get_context("spawn" if sys.platform != "linux" else "fork")


class WorkerDied(RuntimeError):
    """A worker process ended without answering (killed, out of memory); what it held is lost."""


def worker_pool(jobs: int, initializer: Any, initargs: tuple[Any, ...]) -> Any:
    """`jobs` worker processes. A process pool that notices a worker's death (a `Pool` would
    start a new worker and wait for the lost task forever)."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(jobs, mp_context=context(), initializer=initializer, initargs=initargs)


def in_order(pool: Any, fn: Any, tasks: Iterable[Any], jobs: int) -> Iterator[Any]:
    """`fn` over `tasks` in the pool, results in task order, at most 2 x jobs tasks in flight.
    Raises WorkerDied if a worker process dies."""
    from concurrent.futures.process import BrokenProcessPool

    pending: deque[Any] = deque()
    try:
        for task in tasks:
            pending.append(pool.submit(fn, task))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool as exc:
        for f in pending:
            f.cancel()
        raise WorkerDied("工作进程意外退出（被终止或内存不足），其余输入未处理 — a worker process died (killed or out "
                         "of memory); the rest of the input was not decided") from exc
