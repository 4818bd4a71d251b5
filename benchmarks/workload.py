"""The synthetic first-match routing workload, generated deterministically.

Items carry a category (one of 30), a severity 1-4 and three booleans. Rule k tests the
category (equality, or membership in 2-4 categories), a severity threshold and one or two
booleans (each true or false); the last rule is a catch-all. The answer for an item is the
first matching rule's id and its tier. Every engine gets the same rules in its own language.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

CATEGORIES = tuple(f"c{i:02d}" for i in range(30))
FLAGS = ("a", "b", "c")
TIERS = ("grid", "community", "street", "district")
FLAG_NAMES = {"a": "flag_a", "b": "flag_b", "c": "flag_c"}


@dataclass(frozen=True)
class Rule:
    id: str
    categories: tuple[str, ...]  # empty: any (only the catch-all)
    severity: int  # at least; 0: any
    flags: tuple[tuple[str, bool], ...]
    tier: str


def rules(n: int, seed: int = 1) -> list[Rule]:
    """`n` rules: n - 1 tested ones, then the catch-all."""
    rng = random.Random(seed * 1_000_003 + n)
    out = []
    for k in range(n - 1):
        cats = (rng.choice(CATEGORIES),) if rng.random() < 0.6 else tuple(
            sorted(rng.sample(CATEGORIES, rng.randint(2, 4))))
        flags = tuple(sorted((f, rng.random() < 0.5) for f in rng.sample(FLAGS, rng.randint(1, 2))))
        out.append(Rule(f"r{k:05d}", cats, rng.randint(1, 4), flags, rng.choice(TIERS)))
    out.append(Rule("rest", (), 0, (), "grid"))
    return out


def items(count: int, seed: int = 2) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [{"category": rng.choice(CATEGORIES), "severity": rng.randint(1, 4),
             "a": rng.random() < 0.5, "b": rng.random() < 0.5, "c": rng.random() < 0.5}
            for _ in range(count)]


def reference(rs: list[Rule], item: dict[str, Any]) -> tuple[str, str]:
    """The answer by a plain scan (the definition of the workload)."""
    for r in rs:
        if r.categories and item["category"] not in r.categories:
            continue
        if item["severity"] < r.severity:
            continue
        if all(item[f] == want for f, want in r.flags):
            return r.id, r.tier
    raise AssertionError("no catch-all")


# ---- the hand-written indexed floor -------------------------------------------------------

class Floor:
    """Hand-written Python: rules bucketed by category, scanned in order (the floor)."""

    def __init__(self, rs: list[Rule]):
        buckets: dict[str, list[tuple[int, tuple[tuple[str, bool], ...], str, str]]] = {c: [] for c in CATEGORIES}
        for r in rs:
            for c in (r.categories or CATEGORIES):
                buckets[c].append((r.severity, r.flags, r.id, r.tier))
        self.buckets = buckets

    def decide(self, item: dict[str, Any]) -> tuple[str, str]:
        sev = item["severity"]
        for need, flags, rid, tier in self.buckets[item["category"]]:
            if sev >= need:
                for f, want in flags:
                    if item[f] != want:
                        break
                else:
                    return rid, tier
        raise AssertionError("no catch-all")


# ---- gridpolicy ---------------------------------------------------------------------------

def gp_text(rs: list[Rule]) -> str:
    """The rules in the gridpolicy language, as one text."""
    return gp_head() + gp_routes(rs)


def gp_head() -> str:
    """The header, tiers and fields of the synthetic policy."""
    lines = ['policy synthetic "合成分流基准 synthetic routing benchmark" {', '  version "1"', "  routing first", "}"]
    lines += [f'tier {t} "{t}" {{ level {i + 1} }}' for i, t in enumerate(TIERS)]
    values = ", ".join(f'{c} "类别{c}"' for c in CATEGORIES)
    lines += ['field category "类别" {', "  type enum", f"  values {values}", "  required true", "}",
              'field severity "严重程度" {', "  type number", "  range 1 .. 4", "  required true", "}"]
    lines += [f'field {FLAG_NAMES[f]} "标记{f}" {{ type bool default false }}' for f in FLAGS]
    return "\n".join(lines) + "\n"


def gp_routes(rs: list[Rule]) -> str:
    """The rules as gridpolicy routes."""
    lines = []
    for r in rs:
        lines.append(f'route {r.id} "规则 {r.id}" {{')
        if r.categories:
            cat = (f"category == {r.categories[0]}" if len(r.categories) == 1
                   else f"category in [{', '.join(r.categories)}]")
            parts = [cat, f"severity >= {r.severity}"]
            parts += [FLAG_NAMES[f] if want else f"not {FLAG_NAMES[f]}" for f, want in r.flags]
            lines.append("  when " + " and ".join(parts))
        lines.append(f"  tier {r.tier}")
        lines.append("}")
    return "\n".join(lines) + "\n"


def write_gp(rs: list[Rule], folder: Path) -> Path:
    """Write the rules as a policy folder (a header file, then 1000 routes per file, which
    the folder's name order keeps in rule order) and return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "00_policy.gp").write_text(gp_head(), encoding="utf-8")
    for k in range(0, len(rs), 1000):
        (folder / f"{1 + k // 1000:02d}_routes.gp").write_text(gp_routes(rs[k:k + 1000]), encoding="utf-8")
    return folder


def gp_item(item: dict[str, Any], n: int = 0) -> dict[str, Any]:
    """The item as a gridpolicy item: issue `s<n>`, reported on the n-th minute of March 2026."""
    when = f"2026-03-{1 + n // 1440 % 31:02d}T{n // 60 % 24:02d}:{n % 60:02d}:00+08:00"
    return {"id": f"s{n}", "kind": "issue", "reported_at": when,
            "category": item["category"], "severity": item["severity"],
            "flag_a": item["a"], "flag_b": item["b"], "flag_c": item["c"]}


def decided_route(decision: Any) -> tuple[str, str]:
    """(rule id, tier) from a gridpolicy `Decision`."""
    rid = [r.id for r in decision.reasons if r.kind == "route"][-1]
    return rid, decision.tier.code


# ---- the hand-written floor of route_json() -----------------------------------------------

_KINDS = {"issue": b'"issue"', "task": b'"task"'}
_FIELDS = frozenset(("id", "kind", "reported_at", "category", "severity", "flag_a", "flag_b", "flag_c"))


class JsonFloor:
    """Hand-written Python producing the bytes `route_json()` gives for the synthetic workload:
    the same checks of the item (its keys, id, kind, category, severity, flags, an ISO 8601
    report time with an offset in the years 1900-2199), the category index of `Floor`, and
    the decision written from text prepared once per rule (everything but the item's id, kind
    and time). `texts` holds, per rule id, the decision text around those three values; the
    benchmark takes it from one `route_json()` answer per rule and then checks every answer
    of the floor against `route_json()`, byte for byte."""

    def __init__(self, rs: list[Rule], texts: dict[str, tuple[bytes, bytes]]):
        buckets: dict[str, list[tuple[int, tuple[tuple[str, bool], ...], str]]] = {c: [] for c in CATEGORIES}
        for r in rs:
            flags = tuple((FLAG_NAMES[f], want) for f, want in r.flags)
            for c in (r.categories or CATEGORIES):
                buckets[c].append((r.severity, flags, r.id))
        self.buckets = buckets
        self.texts = texts

    @staticmethod
    def texts_of(rule_id: str, answer: bytes, item: dict[str, Any]) -> tuple[bytes, bytes]:
        """(the text between the kind and the time, the text after the time) of one answer."""
        head = b'{"item_id":' + orjson.dumps(item["id"]) + b',"kind":' + _KINDS[item["kind"]]
        when = orjson.dumps(dt.datetime.fromisoformat(item["reported_at"]), option=orjson.OPT_UTC_Z)
        assert answer.startswith(head), rule_id
        mid, sep, tail = answer[len(head):].partition(b',"evaluated_at":' + when)
        assert sep, rule_id
        return mid + b',"evaluated_at":', tail

    def decide(self, item: dict[str, Any]) -> bytes:
        if type(item) is not dict or not _FIELDS.issuperset(item):
            raise ValueError("unknown field")
        rid = item["id"]
        if type(rid) is not str or not 0 < len(rid) <= 200:
            raise ValueError("id")
        kind = _KINDS[item["kind"]]
        bucket = self.buckets[item["category"]]
        sev = item["severity"]
        if type(sev) is not int or not 1 <= sev <= 4:
            raise ValueError("severity")
        flags = {f: item.get(f, False) for f in ("flag_a", "flag_b", "flag_c")}
        for x in flags.values():
            if x is not True and x is not False:
                raise ValueError("flag")
        when = dt.datetime.fromisoformat(item["reported_at"])
        if when.tzinfo is None or not 1900 <= when.year <= 2199:
            raise ValueError("reported_at")
        for need, tests, rule_id in bucket:
            if sev >= need:
                for f, want in tests:
                    if flags[f] != want:
                        break
                else:
                    mid, tail = self.texts[rule_id]
                    return b"".join((b'{"item_id":', orjson.dumps(rid), b',"kind":', kind, mid,
                                     orjson.dumps(when, option=orjson.OPT_UTC_Z), tail))
        raise AssertionError("no catch-all")
