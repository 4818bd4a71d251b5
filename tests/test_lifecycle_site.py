"""The site page of each lifecycle rule set: the ladder of notices as a timeline, who
arbitrates returns, the extension rules, each with its source and assumptions."""

from __future__ import annotations

import datetime as dt
import re

from lifecycle_support import TEXT

import gridpolicy
from gridpolicy.site import generate


def test_a_page_per_lifecycle_with_the_ladder_in_order() -> None:
    policy = gridpolicy.loads(TEXT)
    pages = generate(policy, dt.date(2026, 3, 2))
    for lc in policy.model.lifecycles:
        page = pages[f"lifecycle-{lc.id}.md"]
        assert lc.name in page.splitlines()[0]
        if lc.overdue:
            ladder = page[page.index('<ol class="gp-flow gp-ladder"'):page.index("</ol>")]
            kinds = re.findall(r"<strong>\S+ (remind|supervise|bulletin|interview)</strong>", ladder)
            assert kinds == [s.kind for s in lc.overdue.ladder]
        if lc.returned:
            for code, label in lc.returned.reasons:
                assert f"| {label} | `{code}` |" in page


def test_shipped_pages_show_every_rule_and_assumption() -> None:
    policy = gridpolicy.load("rules/")
    pages = generate(policy, dt.date(2026, 3, 2))
    assert policy.model.lifecycles
    for lc in policy.model.lifecycles:
        page = pages[f"lifecycle-{lc.id}.md"]
        for block in (lc.returned, lc.extension, lc.overdue, lc.completed, lc.followup, lc.reopened, lc.held,
                      lc.merged):
            if block is None:
                continue
            file = block.span.file
            assert f"{file}:{block.span.line}" in page or all(
                f"{file}:{s.span.line}" in page for s in getattr(block, "ladder", ()))
            for a in block.meta.assumptions:
                assert a[:12] in page
        if lc.extension:
            assert f"最多批准 {lc.extension.times} 次" in page


def test_the_page_names_the_routes_that_follow_their_own_notices() -> None:
    policy = gridpolicy.load("rules/")
    page = generate(policy, dt.date(2026, 3, 2))["lifecycle-department_cases.md"]
    own = page[page.index("These routes declare notices of their own"):page.index("## 退回与审定")]
    water = next(r for r in policy.model.routes if r.id == "water_main")
    assert f"| {water.name} | 逾期 1小时 督办 → " in own
    beyond = next(r for r in policy.model.routes if r.id == "beyond_street")  # a transfer only: the ladder above
    assert beyond.name not in own
