"""`route --explain` on the shipped rules: redirects, staged limits and the lead are spelled out."""

from __future__ import annotations

import pytest

import gridpolicy
from gridpolicy.explain import explain

AT = "2026-03-02T16:40:00+08:00"


@pytest.mark.parametrize(("matter", "words"), [
    ("火灾", ["转介 redirect", "fire_119", "电话 119", "告知 tell the requester"]),
    ("家中水龙头维修", ["转介 redirect", "repair_market"]),
    ("供水管道破裂", ["阶段 stage 围挡（fence）", "阶段 stage 恢复路面（restore）", "主办 lead", "分类 components"]),
    ("暴露垃圾", ["时限 limit: 4工作时", "协办 assisting"]),
])
def test_explain_outcomes(matter: str, words: list[str]) -> None:
    policy = gridpolicy.load("rules/", cache=False)
    text = explain(policy.route({"id": "x", "kind": "issue", "matter": matter, "grid": "341002001001001",
                                 "reported_at": AT}))
    for w in words:
        assert w in text, (w, text)
    assert "时限 limit" not in text or "阶段 stage" not in text  # a staged limit is shown by its stages
