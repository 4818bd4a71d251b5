"""What the studio does, without HTTP: read the rule files, check edited texts, decide an item
with the edited rules, compare them with the saved ones, and save them only when the check and
the rule tests pass (every file written beside its final name, then renamed into place)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..contract import ItemError
from ..diagnose import Diagnosis, diagnose_folder
from ..diagnostics import Diagnostic
from ..diff import diff, impact
from ..explain import explain
from ..loader import load
from ..ruletest import discover, run_file
from ..runtime import Policy
from ..schema import item_schema
from ..sheets.importer import write_atomically
from ..syntax import keywords as kw
from ..syntax.sources import SUFFIX
from ..whynot import why_not

MAX_FILE_CHARS = 2_000_000


class StudioError(ValueError):
    """A request the studio refuses (an unknown file, text too large)."""

    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en
        super().__init__(f"{zh} / {en}")


@dataclass
class Studio:
    """The studio over one rule folder. `texts` arguments map file names (as `files()` lists
    them) to edited texts; files not given are read from disk."""

    folder: Path
    _items: list[dict[str, Any]] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.folder = Path(self.folder).resolve()

    # files -----------------------------------------------------------------------------

    def names(self) -> list[str]:
        return sorted(p.name for p in self.folder.iterdir() if p.suffix == SUFFIX and p.is_file())

    def files(self) -> list[dict[str, str]]:
        return [{"name": n, "text": (self.folder / n).read_text(encoding="utf-8")} for n in self.names()]

    def _texts(self, texts: Mapping[str, str] | None) -> dict[str, str]:
        known = set(self.names())
        out = {}
        for name, text in (texts or {}).items():
            if name not in known:
                raise StudioError(f"没有规则文件“{name}”", f"no rule file '{name}'")
            if not isinstance(text, str) or len(text) > MAX_FILE_CHARS:
                raise StudioError(f"“{name}”的内容不是文字或过长", f"the text of '{name}' is not text or too long")
            out[name] = text
        return out

    # checking --------------------------------------------------------------------------

    def diagnose(self, texts: Mapping[str, str] | None) -> Diagnosis:
        """Parse and check (as `gridpolicy check --no-deep`: the deep checks only warn, and take
        seconds, too long for every pause in typing)."""
        return diagnose_folder(self.folder, {str(self.folder / n): t for n, t in self._texts(texts).items()},
                               deep=False)

    def _name(self, file: str) -> str:
        try:
            return Path(file).resolve().relative_to(self.folder).as_posix()
        except (OSError, ValueError):
            return file

    def diagnostic(self, d: Diagnostic) -> dict[str, Any]:
        out = d.to_dict()
        out["file"] = self._name(d.span.file)
        out["end_line"], out["end_column"] = d.span.end_line, d.span.end_column
        return out

    def check(self, texts: Mapping[str, str] | None) -> dict[str, Any]:
        diagnosis = self.diagnose(texts)
        return {"ok": diagnosis.errors == 0, "errors": diagnosis.errors, "warnings": diagnosis.warnings,
                "diagnostics": [self.diagnostic(d) for d in diagnosis.diagnostics]}

    # trying ----------------------------------------------------------------------------

    def _policy(self, texts: Mapping[str, str] | None) -> Policy | None:
        return self.diagnose(texts).policy

    def try_item(self, texts: Mapping[str, str] | None, item: Any) -> dict[str, Any]:
        policy = self._policy(texts)
        if policy is None:
            return {"ok": False, "message_zh": "规则有错误，请先修正（见诊断）",
                    "message_en": "the rules have errors; fix them first (see the diagnostics)"}
        if not isinstance(item, dict):
            return {"ok": False, "message_zh": "事项应为 JSON 对象", "message_en": "an item is a JSON object"}
        try:
            decision = policy.route(item)
            misses = why_not(policy, item)
        except ItemError as exc:
            return {"ok": False, "message_zh": "事项数据有误", "message_en": "the item is invalid",
                    "errors": [{"field": e.path, "message_zh": e.message_zh, "message_en": e.message_en}
                               for e in exc.errors]}
        return {"ok": True, "decision": decision.model_dump(mode="json"), "explanation": explain(decision),
                "why_not": [{**m.to_dict(), "file": self._name(m.file)} for m in misses]}

    def schema(self) -> dict[str, Any]:
        policy = self._policy(None)
        return item_schema(policy)

    # diff ------------------------------------------------------------------------------

    def sample_items(self) -> list[dict[str, Any]]:
        """The items of the rule tests beside the rules: what the diff decides under both."""
        if self._items is None:
            self._items = list(_test_items(self.folder))
        return self._items

    def diff(self, texts: Mapping[str, str] | None) -> dict[str, Any]:
        new = self._policy(texts)
        if new is None:
            return {"ok": False, "message_zh": "规则有错误，无法对比", "message_en": "the rules have errors; nothing to compare"}
        try:
            old = load(self.folder, cache=False)
        except Exception:  # the saved rules themselves do not load: every declaration is new
            return {"ok": False, "message_zh": "上次保存的规则无法加载", "message_en": "the saved rules do not load"}
        d = diff(old, new)
        d.impact = impact(old, new, self.sample_items(), now=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
        return {"ok": True, **d.to_dict()}

    # saving ----------------------------------------------------------------------------

    def save(self, texts: Mapping[str, str] | None) -> dict[str, Any]:
        edited = self._texts(texts)
        diagnosis = self.diagnose(edited)
        if diagnosis.policy is None or diagnosis.errors:
            return {"ok": False, "saved": [],
                    "message_zh": f"有 {diagnosis.errors} 个错误，未保存", "message_en": f"{diagnosis.errors} error(s); not saved"}
        failures = [f"{r.location} {r.name}: {'；'.join(r.problems)}" for r in self.run_tests(diagnosis.policy) if not r.ok]
        if failures:
            return {"ok": False, "saved": [], "failures": failures,
                    "message_zh": f"{len(failures)} 个规则测试未通过，未保存",
                    "message_en": f"{len(failures)} rule test(s) failed; not saved"}
        changed = {self.folder / n: t for n, t in edited.items()
                   if (self.folder / n).read_text(encoding="utf-8") != t}
        write_atomically(changed)
        names = sorted(p.name for p in changed)
        return {"ok": True, "saved": names,
                "message_zh": f"已保存 {len(names)} 个文件" + (f"：{'、'.join(names)}" if names else "（没有改动）"),
                "message_en": f"saved {len(names)} file(s)" + (f": {', '.join(names)}" if names else " (no change)")}

    def run_tests(self, policy: Policy) -> Iterator[Any]:
        for file in discover(self.folder):
            yield from run_file(policy, file, display=self._name(str(file)))


def vocabulary() -> dict[str, list[str]]:
    """The words the editor highlights, in both languages (from syntax/keywords.py)."""
    props: set[str] = set()
    for table in (kw.COMMON_PROPERTIES, *kw.PROPERTIES.values()):
        props.update(table)
        props.update(table.values())
    return {"declarations": sorted({*kw.DECLARATIONS, *kw.DECLARATIONS.values()}),
            "properties": sorted(props),
            "operators": sorted({*kw.OPERATORS, *(w for ws in kw.OPERATORS.values() for w in ws)}),
            "units": sorted({w for ws in kw.DURATION_UNITS.values() for w in ws})}


def _test_items(folder: Path) -> Iterator[dict[str, Any]]:
    for file in discover(folder):
        try:
            doc = yaml.load(file.read_text(encoding="utf-8"), Loader=_Loader)
        except (OSError, yaml.YAMLError):
            continue
        cases = doc.get("cases") if isinstance(doc, dict) else doc
        for case in cases if isinstance(cases, list) else []:
            if isinstance(case, dict) and isinstance(case.get("item"), dict):
                yield case["item"]


class _Loader(yaml.SafeLoader):
    """Timestamps stay strings (the runtime parses them), as the rule tests read them."""


_Loader.yaml_implicit_resolvers = {k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
                                   for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
