"""Deterministic random items for a policy's own schema (for benchmarks and differential tests)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from gridpolicy.runtime import Policy


def random_items(policy: Policy, n: int, seed: int = 7) -> list[dict[str, Any]]:
    """`n` valid-looking items: random kinds, matters (codes, names, aliases, unknown), report
    times across 2024-2027 and random values for about half the schema's fields."""
    rng = random.Random(seed)
    model = policy.model
    tiers = [t.id for t in model.tiers]
    depts = [d.id for d in model.departments]
    roles = [r.id for r in model.roles]
    queries: list[str | None] = [None, "不存在的事项"]
    for m in model.matters:
        queries += [m.code, m.name, *m.aliases]
    start = dt.datetime(2024, 1, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    items = []
    for i in range(n):
        item: dict[str, Any] = {"id": f"i{i}", "kind": rng.choice(("issue", "issue", "task"))}
        q = rng.choice(queries)
        if q is not None:
            item["matter"] = q
        when = start + dt.timedelta(minutes=rng.randrange(4 * 365 * 24 * 60))
        item["reported_at"] = when.isoformat()
        for f in model.fields:
            if rng.random() < 0.5 and not f.required:
                continue
            value: Any
            if f.type == "enum":
                value = rng.choice(f.value_codes)
            elif f.type == "tier":
                value = rng.choice(tiers)
            elif f.type == "department":
                value = rng.choice(depts)
            elif f.type == "role":
                value = rng.choice(roles)
            elif f.type == "set":
                pool = list(f.value_codes) or ["a", "b"]
                value = rng.sample(pool, rng.randrange(0, min(3, len(pool)) + 1))
            elif f.type == "bool":
                value = rng.random() < 0.5
            elif f.type == "number":
                lo, hi = f.range or (0, 100)
                value = rng.randint(int(lo), int(hi))
            elif f.type == "text":
                value = "文字"
            elif f.type == "date":
                value = (when.date() - dt.timedelta(days=rng.randrange(30))).isoformat()
            elif f.type == "datetime":
                value = (when - dt.timedelta(hours=rng.randrange(100))).isoformat()
            else:
                continue
            item[f.id] = value
        items.append(item)
    return items
