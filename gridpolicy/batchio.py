"""Records in and out of batch commands: Parquet, JSON lines and CSV, streamed in record
batches (pyarrow, the `batch` extra), so a file of any length is read and written in constant
memory.

    >>> for batch in read_batches("items.parquet"):      # lists of dicts, 8,192 at a time
    ...     writer.write([decide(r) for r in batch])

The format comes from the file's suffix (`.parquet`, `.jsonl` / `.ndjson`, `.csv`) or is
given. CSV cells are text: an empty cell is absent, a cell holding a JSON array or object
(``["a","b"]``) is read as that JSON value. Parquet keeps its types (a timestamp column with a
zone reads as aware datetimes). Every failure is a `BatchIOError` naming the file (and the
row or line where there is one), in Chinese and English.
"""

from __future__ import annotations

import csv as _csv
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import orjson

FORMATS = ("parquet", "jsonl", "csv")
BATCH_SIZE = 8192
_SUFFIXES = {".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
SUFFIXES = tuple(_SUFFIXES)  # the file names batch commands read as record files


class BatchIOError(OSError):
    """A batch file that cannot be read or written as asked (message in Chinese / English)."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} — {en}")
        self.zh, self.en = zh, en


def format_of(path: str | os.PathLike[str], format: str | None = None) -> str:
    """The format of `path`: `format` if given, else by its suffix."""
    if format is not None:
        if format not in FORMATS:
            raise BatchIOError(f"未知格式 {format}（可用：{'、'.join(FORMATS)}）",
                               f"unknown format {format} (one of {', '.join(FORMATS)})")
        return format
    found = _SUFFIXES.get(Path(path).suffix.lower())
    if found is None:
        raise BatchIOError(f"无法从文件名 {Path(path).name} 判断格式（.parquet、.jsonl、.csv）",
                           f"cannot tell the format of {Path(path).name} from its name (.parquet, .jsonl, .csv)")
    return found


def _arrow() -> Any:
    try:
        import pyarrow
    except ImportError:
        raise BatchIOError("读写 Parquet/CSV 需要安装 batch 扩展：pip install 'gridpolicy[batch]'",
                           "Parquet/CSV needs the batch extra: pip install 'gridpolicy[batch]'") from None
    return pyarrow


def read_batches(path: str | os.PathLike[str], *, format: str | None = None,
                 batch_size: int = BATCH_SIZE) -> Iterator[list[dict[str, Any]]]:
    """The records of `path` as lists of at most `batch_size` dicts, in file order."""
    kind = format_of(path, format)
    name = Path(path).name
    try:
        if kind == "jsonl":
            yield from _jsonl_batches(Path(path), batch_size)
        elif kind == "parquet":
            _arrow()
            import pyarrow.parquet as pq

            with pq.ParquetFile(path) as f:
                for batch in f.iter_batches(batch_size=batch_size):
                    yield [_present(r) for r in batch.to_pylist()]
        else:
            yield from _csv_batches(Path(path), batch_size)
    except BatchIOError:
        raise
    except OSError as exc:
        raise BatchIOError(f"无法读取 {name}：{exc.strerror or exc}", f"cannot read {name}: {exc.strerror or exc}"
                           ) from None
    except Exception as exc:  # pyarrow's ArrowInvalid and the like: a malformed file
        if type(exc).__module__.startswith("pyarrow"):
            raise BatchIOError(f"{name} 不是合法的 {kind} 文件：{_first(exc)}",
                               f"{name} is not a valid {kind} file: {_first(exc)}") from None
        raise


def _present(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None}


def _jsonl_batches(path: Path, size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    with open(path, "rb") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                value = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise BatchIOError(f"{path.name} 第 {n} 行不是合法的 JSON：{exc.msg}",
                                   f"{path.name} line {n} is not valid JSON: {exc.msg}") from None
            if not isinstance(value, dict):
                raise BatchIOError(f"{path.name} 第 {n} 行应为 JSON 对象", f"{path.name} line {n} must be a JSON object")
            batch.append(value)
            if len(batch) >= size:
                yield batch
                batch = []
    if batch:
        yield batch


def _csv_batches(path: Path, size: int) -> Iterator[list[dict[str, Any]]]:
    pa = _arrow()
    from pyarrow import csv

    with open(path, "rb") as f:
        header = f.readline()
    names: list[str] = next(iter(_csv.reader([header.decode("utf-8-sig")])), [])
    convert = csv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=False)
    reader = csv.open_csv(path, read_options=csv.ReadOptions(block_size=1 << 20),
                          convert_options=convert)
    batch: list[dict[str, Any]] = []
    for record_batch in reader:
        for row in record_batch.to_pylist():
            batch.append({k: _cell(v) for k, v in row.items() if v not in (None, "")})
            if len(batch) >= size:
                yield batch
                batch = []
    if batch:
        yield batch


def _cell(text: str) -> Any:
    if text[:1] in "[{":
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


class BatchWriter:
    """Writes records to `path` as they come (Parquet row groups, CSV and JSON lines blocks).

    Parquet and CSV need one set of columns: the first batch's keys fix them (and, for
    Parquet, their types); later records are written with those columns (a missing key is
    null, an unknown one is an error). Values that are lists or dicts are written as JSON
    text in CSV. The file is written under a temporary name and moved into place on close, so
    a failure never leaves half a file under `path`."""

    def __init__(self, path: str | os.PathLike[str], *, format: str | None = None, columns: Sequence[str] = ()):
        self.path = Path(path)
        self.format = format_of(path, format)
        self.columns: list[str] = list(columns)
        self.rows = 0
        self._tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.part")
        self._writer: Any = None
        self._file: Any = None
        if self.format != "jsonl":
            _arrow()
        try:
            self._file = open(self._tmp, "wb")  # noqa: SIM115
        except OSError as exc:
            raise BatchIOError(f"无法写入 {self.path}：{exc.strerror}", f"cannot write {self.path}: {exc.strerror}"
                               ) from None

    def write_lines(self, lines: bytes) -> None:
        """Append whole JSON lines as they are (JSON lines files only)."""
        if self.format != "jsonl":
            raise BatchIOError("只有 JSON lines 文件可以按行写入", "only a JSON lines file takes lines as they are")
        self._file.write(lines)
        self.rows += lines.count(b"\n")

    def write(self, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        if self.format == "jsonl":
            self._file.write(b"".join(orjson.dumps(r, option=orjson.OPT_NON_STR_KEYS) + b"\n" for r in rows))
            self.rows += len(rows)
            return
        import pyarrow as pa

        if not self.columns:
            seen: dict[str, None] = {}
            for r in rows:
                seen.update(dict.fromkeys(r))
            self.columns = list(seen)
        extra = {k for r in rows for k in r} - set(self.columns)
        if extra:
            raise BatchIOError(f"{self.path.name}：未知列 {sorted(extra)}", f"{self.path.name}: unknown columns "
                               f"{sorted(extra)}")
        data = {c: [_flat(r.get(c)) if self.format == "csv" else r.get(c) for r in rows] for c in self.columns}
        if self._writer is None:
            table = pa.table(data)
            # a column with no value in the first batch is text (its type cannot be guessed)
            table = table.cast(pa.schema([pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f
                                          for f in table.schema]))
            if self.format == "parquet":
                import pyarrow.parquet as pq

                self._writer = pq.ParquetWriter(self._file, table.schema, compression="zstd")
            else:
                from pyarrow import csv

                self._writer = csv.CSVWriter(self._file, table.schema)
            self._schema = table.schema
        else:
            table = pa.table(data, schema=self._schema)
        self._writer.write_table(table)
        self.rows += len(rows)

    def close(self, ok: bool = True) -> None:
        """Finish the file (or, with `ok` False, remove what was written)."""
        if self._file is None:
            return
        try:
            if self._writer is not None:
                self._writer.close()
            elif ok and self.format == "parquet":  # no rows: still a valid, empty file
                import pyarrow as pa
                import pyarrow.parquet as pq

                pq.write_table(pa.table({c: pa.array([], pa.string()) for c in self.columns}), self._file)
            self._file.close()
            self._file = None
            if ok:
                os.replace(self._tmp, self.path)
        finally:
            if self._file is not None:
                self._file.close()
                self._file = None
            if not ok or self._tmp.exists():
                self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close(ok=kind is None)


def _flat(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _first(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
