"""`route --jobs N` when a worker process dies (issue 17 item 11): an error and an exit code
within seconds, never a hang (a multiprocessing Pool waited for the lost task forever)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINE = json.dumps({"id": "J", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00"}).encode() + b"\n"


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to find the workers")
@pytest.mark.parametrize("mode", [["--jsonl"], ["--jsonl", "--explain"]])
def test_a_dead_worker_ends_the_run_with_an_error(tmp_path: Path, mode: list[str]) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "gridpolicy", "route", str(ROOT / "rules"), "-", *mode,
                             "--jobs", "2"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, cwd=tmp_path)
    assert proc.stdin is not None
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while len(workers) < 2 and time.monotonic() < deadline:
            proc.stdin.write(LINE * 200)
            proc.stdin.flush()
            workers = _children(proc.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "workers did not start"
        os.kill(workers[0], signal.SIGKILL)
        t0 = time.monotonic()
        try:
            while proc.poll() is None and time.monotonic() - t0 < 30:
                proc.stdin.write(LINE * 200)  # input keeps coming, as from a host
                proc.stdin.flush()
                time.sleep(0.02)
        except BrokenPipeError:
            pass
        rc = proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert rc == 3, err[-2000:]
    assert "worker process died" in err and "工作进程" in err
    assert time.monotonic() - t0 < 30
