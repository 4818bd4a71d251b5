"""Rule tests: YAML files beside the rules that state an item and the expected decision.

A file is a list of cases (or a mapping with `cases:`). Each case has a `name` and one of
  item: {...}              expect: parts of the decision (dotted paths allowed)
  case: {item, events}     expect: parts of the case state (Policy.step; events in, state out)
  evaluate: FORMULA        data: {...}   expect: {value: ..., grade: ...}
  admit: {...}             expect: {admitted: ..., criteria: [...]}
and optionally `at:` (the time of decision). Expected values match when equal; a string
matches an object by its `code`; `reasons: [ids]` must all appear, in that order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .clock import parse_timestamp, timestamp_problem
from .contract import ItemError
from .diagnostics import did_you_mean
from .runtime import Policy

TEST_GLOBS = ("*.test.yaml", "*.test.yml", "tests/*.yaml", "tests/*.yml")


@dataclass
class CaseResult:
    file: str
    line: int
    name: str
    ok: bool
    problems: list[str] = field(default_factory=list)
    touched: list[tuple[str, str]] = field(default_factory=list)  # (kind, id) exercised

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records each mapping's line as `__line__`."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = loader.construct_mapping(node, deep=True)  # type: ignore[assignment]
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Keep timestamps as strings: the runtime parses them (and insists on an offset).
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _strip(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _strip(v) for k, v in x.items() if k != "__line__"}
    if isinstance(x, list):
        return [_strip(v) for v in x]
    return x


def discover(path: Path) -> list[Path]:
    root = path if path.is_dir() else path.parent
    if path.is_file() and path.suffix in (".yaml", ".yml"):
        return [path]
    found: set[Path] = set()
    for pattern in TEST_GLOBS:
        found.update(root.glob(pattern))
    return sorted(found)


def run_file(policy: Policy, file: Path, display: str | None = None) -> Iterator[CaseResult]:
    name = display or file.as_posix()
    try:
        doc = yaml.load(file.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        col = f":{mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        yield CaseResult(name, line, "(file)", False, [
            f"YAML 格式错误，本文件的用例都没有运行 invalid YAML, none of this file's cases ran "
            f"({name}:{line}{col}): {problem}" + (f" ({context})" if context else "")
            + "；检查缩进（用空格，不用 Tab）、冒号后的空格和引号 check the indentation (spaces, not tabs), "
            "the space after each colon, and the quotes"])
        return
    except OSError as exc:
        yield CaseResult(name, 0, "(file)", False, [f"无法读取 cannot read: {exc}"])
        return
    cases = doc.get("cases") if isinstance(doc, dict) else doc
    if not isinstance(cases, list):
        yield CaseResult(name, 1, "(file)", False, ["测试文件应为用例列表 a test file is a list of cases"])
        return
    for n, case in enumerate(cases, 1):
        if not isinstance(case, dict):
            yield CaseResult(name, 0, f"#{n}", False, ["用例应为映射 a case must be a mapping"])
            continue
        yield run_case(policy, case, name, n)


# The keys a test case may have (docs/guide/ruletests.md).
CASE_KEYS = ("name", "item", "case", "evaluate", "data", "admit", "expect", "at", "why", "note")


def run_case(policy: Policy, case: dict[str, Any], file: str, n: int) -> CaseResult:
    line = case.get("__line__", 0)
    result = CaseResult(file, line, str(case.get("name", f"#{n}")), True)
    unknown = [k for k in case if k != "__line__" and k not in CASE_KEYS]
    if unknown:
        result.ok = False
        for k in unknown:
            guess = did_you_mean(str(k), CASE_KEYS)
            result.problems.append(f"未知的用例键“{k}” unknown case key '{k}'"
                                   + (f"；是否想写“{guess}”？ did you mean '{guess}'?" if guess else
                                      f"；可用 allowed: {', '.join(CASE_KEYS)}"))
        return result
    expect = _strip(case.get("expect"))
    if not isinstance(expect, dict):
        result.ok = False
        result.problems.append("缺少 expect（预期结果） missing 'expect'")
        return result
    at = None
    if "at" in case:
        at = parse_timestamp(case["at"] if isinstance(case["at"], dt.datetime) else str(case["at"]))
        if at is None:
            zh, en = timestamp_problem(str(case["at"]))
            result.ok = False
            result.problems.append(f"at {zh} 'at' {en}: {case['at']!r}")
            return result
    try:
        if "item" in case:
            item = _strip(case["item"])
            if at is None and isinstance(item, dict) and "reported_at" not in item:
                result.ok = False
                result.problems.append("用例需要 at 或 item.reported_at，结果才可复现 "
                                       "a case needs 'at' or item.reported_at to be reproducible")
                return result
            decision = policy.route(item, at)
            actual = decision.model_dump(mode="json")
            result.touched = [(r.kind, r.id) for r in decision.reasons]
            if decision.tier is not None:
                result.touched.append(("tier", decision.tier.code))
            if decision.referral is not None:
                result.touched.append(("referral", decision.referral.channel.code))
        elif "case" in case:
            from .lifecycle.ruletest import run_case_test

            actual, result.touched = run_case_test(policy, _strip(case["case"]), at)
        elif "evaluate" in case:
            ev = policy.evaluate(str(case["evaluate"]), _strip(case.get("data") or {}))
            actual = ev.model_dump(mode="json")
            result.touched = [("formula", ev.formula.code)]
            if ev.grade is not None and ev.grade_table:
                result.touched.append(("band", f"{ev.grade_table}.{ev.grade.code}"))
        elif "admit" in case:
            res = policy.admit(_strip(case["admit"]))
            actual = res.model_dump(mode="json")
            result.touched = [(r.kind, r.id) for r in res.criteria]
        else:
            result.ok = False
            result.problems.append("用例需要 item、case、evaluate 或 admit 之一 a case needs item, case, evaluate or admit")
            return result
    except ItemError as exc:
        actual = {"error": [e.model_dump() for e in exc.errors]}
        if "error" not in expect:
            result.ok = False
            result.problems.append(f"输入无效 invalid input: {exc}")
            return result
    for path, want in expect.items():
        if path == "error":
            errs = actual.get("error")
            paths = [e["path"] for e in errs] if isinstance(errs, list) else []
            if not errs or (want not in (True, None) and want not in paths):
                result.problems.append(f"error: 预期 expected {want!r}, 实际 got {paths or 'no error'}")
            continue
        got = _lookup(actual, path)
        if got is _MISSING:
            bad = _unknown_key(actual, path)
            if bad is not None:
                part, known = bad
                guess = did_you_mean(part, known)
                result.problems.append(
                    f"{path}: 未知的预期键“{part}” unknown expectation key '{part}'"
                    + (f"；是否想写“{guess}”？ did you mean '{guess}'?" if guess else
                       f"；可用 allowed: {', '.join(sorted(known)[:12])}"))
                continue
        if not _matches(want, got, path):
            result.problems.append(f"{path}: 预期 expected {_show(want)}, 实际 got {_show(_summ(got))}")
    result.ok = not result.problems
    return result


_MISSING = object()


def _lookup(obj: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(obj, dict) and part in obj:
            obj = obj[part]
        elif isinstance(obj, list) and part.isdigit() and int(part) < len(obj):
            obj = obj[int(part)]
        else:
            return _MISSING
    return obj


def _unknown_key(obj: Any, path: str) -> tuple[str, list[str]] | None:
    """The first part of `path` that names no key of the (dict) result it looks in, with
    the keys there; None if the path stops at a value that is absent (None, a short list)."""
    for part in path.split("."):
        if isinstance(obj, dict):
            if part not in obj:
                return part, [str(k) for k in obj]
            obj = obj[part]
        elif isinstance(obj, list) and part.isdigit() and int(part) < len(obj):
            obj = obj[int(part)]
        else:
            return None
    return None


def _matches(want: Any, got: Any, path: str) -> bool:
    if got is _MISSING:
        return False
    if path.split(".")[-1] in ("reasons", "criteria") and isinstance(want, list) and isinstance(got, list):
        ids = [r.get("id") for r in got if isinstance(r, dict)]
        pos = 0
        for w in want:
            try:
                pos = ids.index(w, pos) + 1
            except ValueError:
                return False
        return True
    if isinstance(got, dict) and "code" in got and not isinstance(want, dict):
        return want == got["code"]
    if isinstance(want, dict) and isinstance(got, dict):
        return all(_matches(v, got.get(k, _MISSING), k) for k, v in want.items())
    if isinstance(want, list) and isinstance(got, list):
        return len(want) == len(got) and all(_matches(w, g, path) for w, g in zip(want, got))
    if isinstance(want, (int, float)) and isinstance(got, (int, float)) and not isinstance(want, bool):
        return abs(want - got) < 1e-9
    if isinstance(want, str) and isinstance(got, str) and "T" in got and want[:4].isdigit():
        want_at, got_at = parse_timestamp(want), parse_timestamp(got)
        return want_at == got_at if want_at is not None and got_at is not None else want == got
    return want == got


def _summ(got: Any) -> Any:
    if got is _MISSING:
        return "(absent)"
    if isinstance(got, dict) and "code" in got:
        return got["code"]
    if isinstance(got, list):
        return [_summ(g) if not (isinstance(g, dict) and "id" in g and "code" not in g) else g["id"] for g in got]
    return got


def _show(x: Any) -> str:
    import json

    return json.dumps(x, ensure_ascii=False, default=str)
