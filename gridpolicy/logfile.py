"""The decision log's files on disk: created private, appended whole, read as a stream.

- `JsonlWriter`: a JSON lines file opened 0600 (new files), locked against a second writer,
  its torn tail (a crash mid-write) cut off at open and kept beside it (`<log>.torn`); each
  batch is appended with one write and one fsync (no fsync with durability "normal"), and cut back off if either fails, so a
  decision that was not answered never stays in the log.
- `jsonl_lines`: whole lines of a JSON lines file, streamed, with every line that cannot be an
  entry (torn, too long, not JSON) reported to a callback and skipped.
- `create_private` / `read_connection`: a SQLite file created 0600 (SQLite gives its -wal and
  -shm files the database's mode), and a read-only connection that also works on read-only
  media.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("gridpolicy.decisionlog")

MAX_LINE = 64 << 20  # one entry (a batch item's input and output); longer is corrupt
_BLOCK = 1 << 16


@dataclass(frozen=True, slots=True)
class Corrupt:
    """An entry of a log that could not be read; skipped."""

    where: str  # "line 12" / "row 7"
    reason_zh: str
    reason_en: str

    def render(self) -> str:
        return f"{self.where}: {self.reason_zh} — {self.reason_en}"


OnCorrupt = Callable[[Corrupt], None]


class LogError(OSError):
    """The log cannot be opened or written as asked (message in Chinese / English)."""

    def __init__(self, zh: str, en: str, err: int = 0):
        super().__init__(err, f"{zh} — {en}")
        self.zh, self.en = zh, en


def _open_private(path: Path, flags: int) -> int:
    """os.open that creates a new file 0600 (an existing file keeps its mode)."""
    return os.open(path, flags | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)


def create_private(path: Path) -> None:
    """Create `path` empty and 0600 if it does not exist."""
    os.close(_open_private(path, os.O_WRONLY))


class JsonlWriter:
    """Appends whole lines to a JSON lines log (see the module docstring)."""

    def __init__(self, path: Path, *, sync: bool = True):
        self.path = path
        self.sync = sync  # fsync each append (durability "full"); else the OS holds it
        self.repaired = 0  # bytes of a torn tail cut off at open
        self.fd = _open_private(path, os.O_RDWR | os.O_APPEND)
        try:
            _lock(self.fd, path)
            self.size = self._repair()
        except BaseException:
            os.close(self.fd)
            raise

    def _repair(self) -> int:
        size = os.fstat(self.fd).st_size
        if size == 0 or os.pread(self.fd, 1, size - 1) == b"\n":
            return size
        cut = size
        while cut > 0:  # back to the last line end
            start = max(0, cut - _BLOCK)
            block = os.pread(self.fd, cut - start, start)
            i = block.rfind(b"\n")
            if i >= 0:
                cut = start + i + 1
                break
            cut = start
        torn_len = size - cut
        torn = self.path.with_name(self.path.name + ".torn")
        tfd = _open_private(torn, os.O_WRONLY | os.O_APPEND)
        try:  # the torn bytes are kept, with when they were found, for whoever investigates
            stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            os.write(tfd, f"# {stamp} {torn_len} bytes cut from the end of {self.path.name}\n".encode())
            offset = cut
            while offset < size:
                chunk = os.pread(self.fd, min(_BLOCK, size - offset), offset)
                os.write(tfd, chunk)
                offset += len(chunk)
            os.write(tfd, b"\n")
            os.fsync(tfd)
        finally:
            os.close(tfd)
        os.ftruncate(self.fd, cut)
        os.fsync(self.fd)
        self.repaired = torn_len
        log.warning("决定日志末尾有 %d 字节不完整的记录（崩溃时写了一半），已截去并保存到 %s — "
                    "cut %d bytes of a torn last line from %s (kept in %s)",
                    torn_len, torn.name, torn_len, self.path.name, torn.name)
        return cut

    def append(self, data: bytes) -> None:
        """Write `data` (whole lines) and fsync; on any failure the file is cut back to what it
        was and the error raised."""
        if os.fstat(self.fd).st_size != self.size:  # an earlier failure left bytes: cut them first
            os.ftruncate(self.fd, self.size)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self.fd, view):]
            if self.sync:
                os.fsync(self.fd)
        except BaseException:
            try:
                os.ftruncate(self.fd, self.size)
                os.fsync(self.fd)
            except OSError:
                log.exception("could not cut a failed write off the decision log; retried before the next write")
            raise
        self.size += len(data)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def _lock(fd: int, path: Path) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory lock
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise LogError(f"决定日志 {path} 正由另一个进程写入", f"the decision log {path} is being written by "
                           "another process", exc.errno) from None
        raise


def jsonl_lines(path: Path, on_corrupt: OnCorrupt) -> Iterator[tuple[int, bytes]]:
    """(line number, line) of every whole line of `path`, read as a stream (opened read-only).
    A line longer than MAX_LINE, or a last line without its end, is reported and skipped."""
    with open(path, "rb") as f:
        n = 0
        while True:
            line = f.readline(MAX_LINE + 1)
            if not line:
                return
            n += 1
            if len(line) > MAX_LINE and not line.endswith(b"\n"):
                while line and not line.endswith(b"\n"):  # skip the rest of it
                    line = f.readline(_BLOCK)
                on_corrupt(Corrupt(f"line {n}", f"第 {n} 行过长（超过 {MAX_LINE} 字节）",
                                   f"line {n} is longer than {MAX_LINE} bytes"))
                continue
            if not line.endswith(b"\n"):
                on_corrupt(Corrupt(f"line {n}", f"第 {n} 行（最后一行）不完整：写入时中断",
                                   f"line {n} (the last) is incomplete: a write cut short"))
                return
            if line.strip():
                yield n, line


def read_connection(path: Path) -> sqlite3.Connection:
    """A read-only connection to a SQLite log; on read-only media (where the -shm file cannot
    be made) the database is opened immutable. Raises LogError."""
    uri = path.resolve().as_uri()
    last: Exception | None = None
    for extra in ("?mode=ro", "?mode=ro&immutable=1"):
        db = None
        try:
            db = sqlite3.connect(uri + extra, uri=True, check_same_thread=False)
            db.execute("SELECT 1 FROM decisions LIMIT 1").fetchall()
            return db
        except sqlite3.DatabaseError as exc:
            last = exc
            if db is not None:
                db.close()
    raise LogError(f"无法读取决定日志 {path}：{last}", f"cannot read the decision log {path}: {last}")
