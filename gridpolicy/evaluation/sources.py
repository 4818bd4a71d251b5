"""Record files for `gridpolicy evaluate`: CSV (UTF-8, with or without the BOM Excel writes),
JSON lines, Parquet, a decision log (SQLite or JSON lines: its latest `case_state` per case)
and JSON lines of cases ({"item", "events"}: each stepped with `Policy.step`). Each becomes a
Polars frame whose rows can be named in errors (file and row as a person finds it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from ..contract import ItemError, ItemErrorDetail
from ..runtime import Policy
from .cases import CASE_COLUMNS, case_record

ROW = "__row"  # 0-based row index within its file
FILE = "__file"  # index of the file among an input's files


@dataclass(frozen=True, slots=True)
class Source:
    path: str
    kind: str  # csv | jsonl | parquet | log | cases
    frame: pl.LazyFrame  # with ROW
    columns: tuple[str, ...]

    def row_text(self, row: int) -> tuple[str, str]:
        """How a person finds row `row` (0-based) of this file: zh, en."""
        if self.kind == "csv":
            return f"第 {row + 2} 行", f"line {row + 2}"  # the header is line 1
        if self.kind in ("jsonl", "cases"):
            return f"第 {row + 1} 行", f"line {row + 1}"
        return f"第 {row + 1} 条记录", f"record {row + 1}"


def error(path: str, zh: str, en: str) -> ItemError:
    return ItemError([ItemErrorDetail(path=path, message_zh=f"{path}：{zh}", message_en=f"{path}: {en}")])


def open_source(path: str | Path, policy: Policy, at: dt.datetime | None = None) -> Source:
    """`path` as records; `at` is the time case states are computed for (cases files)."""
    p = Path(path)
    name = str(path)
    if not p.is_file():
        raise error(name, "文件不存在", "no such file")
    suffix = p.suffix.lower()
    try:
        if suffix in (".csv", ".tsv", ".txt"):
            return _csv(p, name, "\t" if suffix == ".tsv" else ",")
        if suffix == ".parquet":
            frame = pl.scan_parquet(p).with_row_index(ROW)
            return Source(name, "parquet", frame, tuple(frame.collect_schema().names()[1:]))
        if suffix in (".sqlite", ".sqlite3", ".db"):
            return _log(name, policy)
        if suffix in (".jsonl", ".ndjson", ".json"):
            first = _first_line(p)
            if first is not None and {"decision_id", "kind", "output"} <= set(first):
                return _log(name, policy)
            if first is not None and "item" in first and "events" in first:
                return _cases(p, name, policy, at)
            return _jsonl(p, name)
    except pl.exceptions.PolarsError as exc:
        raise error(name, f"无法读取（{_short(exc)}）", f"cannot be read ({_short(exc)})") from None
    except UnicodeDecodeError:
        raise _not_utf8(name) from None
    raise error(name, "不支持的文件类型（支持 .csv .tsv .jsonl .parquet .sqlite）",
                "unsupported file type (use .csv .tsv .jsonl .parquet .sqlite)")


def _csv(p: Path, name: str, sep: str) -> Source:
    with p.open("rb") as fh:
        head = fh.read(1 << 16)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            raise _not_utf8(name) from None
    frame = pl.scan_csv(p, separator=sep, infer_schema=False, encoding="utf8")
    columns = tuple(c.lstrip("\ufeff").strip() for c in frame.collect_schema().names())
    frame = frame.rename(dict(zip(frame.collect_schema().names(), columns, strict=True))).with_row_index(ROW)
    return Source(name, "csv", frame, columns)


def _not_utf8(name: str) -> ItemError:
    return error(name, "不是 UTF-8 编码；在 Excel 中另存为“CSV UTF-8（逗号分隔）”", "is not UTF-8; in Excel save as "
                 "'CSV UTF-8 (Comma delimited)'")


def _first_line(p: Path) -> dict[str, Any] | None:
    with p.open("rb") as fh:
        for line in fh:
            if line.strip():
                try:
                    got = orjson.loads(line)
                except orjson.JSONDecodeError:
                    return None
                return got if isinstance(got, dict) else None
    return None


def _jsonl(p: Path, name: str) -> Source:
    keys: dict[str, None] = {}
    with p.open("rb") as fh:
        for n, line in enumerate(fh):
            if not line.strip():
                continue
            try:
                obj = orjson.loads(line)
            except orjson.JSONDecodeError:
                raise error(name, f"第 {n + 1} 行不是 JSON", f"line {n + 1} is not JSON") from None
            if not isinstance(obj, dict):
                raise error(name, f"第 {n + 1} 行应为 JSON 对象", f"line {n + 1} must be a JSON object")
            keys.update(dict.fromkeys(obj))
    frame = pl.scan_ndjson(p, schema=dict.fromkeys(keys, pl.Utf8)).with_row_index(ROW)
    return Source(name, "jsonl", frame, tuple(keys))


def records_source(name: str, rows: list[Any]) -> Source:
    """Records given in memory (JSON objects, as the HTTP service receives them); values are
    checked by the formula's field types like a file's cells."""
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise error(name, "应为记录（JSON 对象）列表", "must be a list of records (JSON objects)")
    keys = list(dict.fromkeys(k for r in rows for k in r))
    data = {k: [_text(r.get(k)) for r in rows] for k in keys}
    frame = pl.DataFrame(data, schema=dict.fromkeys(keys, pl.Utf8)).lazy().with_row_index(ROW)
    return Source(name, "records", frame, tuple(keys))


def _records_frame(name: str, kind: str, rows: list[dict[str, Any]]) -> Source:
    data = {c: [_text(r.get(c)) for r in rows] for c in CASE_COLUMNS}
    frame = pl.DataFrame(data, schema=dict.fromkeys(CASE_COLUMNS, pl.Utf8)).lazy().with_row_index(ROW)
    return Source(name, kind, frame, tuple(CASE_COLUMNS))


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _log(name: str, policy: Policy) -> Source:
    """The latest `case_state` of each case in a decision log, as case records."""
    from ..decisionlog import DecisionLog
    from ..lifecycle.state import CaseState

    latest: dict[str, tuple[Any, Any]] = {}
    with DecisionLog(name, readonly=True) as log:
        for e in log:
            if e.kind == "case_state" and isinstance(e.output, dict) and e.item_id:
                latest[e.item_id] = (e.input, e.output)
    rows = [case_record(inp if isinstance(inp, dict) else {}, CaseState.model_validate(out))
            for inp, out in latest.values()]
    return _records_frame(name, "log", rows)


def _cases(p: Path, name: str, policy: Policy, at: dt.datetime | None) -> Source:
    """JSON lines of cases, each stepped as of `at` (its own last event if `at` is None)."""
    rows = []
    for n, case in _lines(p, name):
        try:
            state = policy.step(case, at=at)
        except ItemError as exc:
            first = exc.errors[0]
            raise error(name, f"第 {n + 1} 行的案件：{first.path} {first.message_zh}",
                        f"the case on line {n + 1}: {first.path} {first.message_en}") from None
        rows.append(case_record(case, state))
    return _records_frame(name, "cases", rows)


def _lines(p: Path, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    with p.open("rb") as fh:
        for n, line in enumerate(fh):
            if line.strip():
                try:
                    obj = orjson.loads(line)
                except orjson.JSONDecodeError:
                    raise error(name, f"第 {n + 1} 行不是 JSON", f"line {n + 1} is not JSON") from None
                yield n, obj


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
