"""The event catalogue's lookup (code, name, alias), its conflicts and its "did you mean"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridpolicy.catalogue import MatterKeys, suggest
from gridpolicy.model import EventClass, Matter, Meta
from gridpolicy.syntax.nodes import Span

SPAN = Span("t.gp", 1, 1, 1, 2)


def cls(id_: str, name: str, code: str = "", aliases: tuple[str, ...] = ()) -> EventClass:
    return EventClass(id_, name, code, "A01", "events", "event", aliases, None, (), (), "", "", (), Meta(), SPAN)


def matter(code: str, name: str, aliases: tuple[str, ...] = ()) -> Matter:
    return Matter(code, name, "admission", aliases, None, None, None, (), None, "", (), Meta(), SPAN)


KEYS = MatterKeys(
    [matter("M01", "矛盾纠纷调解", ("调解",))],
    [cls("garbage", "暴露垃圾", "0102", ("垃圾堆放", "乱倒垃圾")), cls("road_dirty", "道路不洁", "0104"),
     cls("gas_leak", "燃气泄漏", "0501", ("燃气管道破裂",))])


@pytest.mark.parametrize(("query", "code"), [
    ("M01", "M01"), ("矛盾纠纷调解", "M01"), ("调解", "M01"),
    ("garbage", "garbage"), ("0102", "garbage"), ("暴露垃圾", "garbage"), ("乱倒垃圾", "garbage"),
    ("燃气管道破裂", "gas_leak"), ("路灯", None), ("", None),
])
def test_resolve(query: str, code: str | None) -> None:
    assert KEYS.code_of(query) == code if query else KEYS.resolve(query) is None


@pytest.mark.parametrize(("query", "first"), [
    ("垃圾", "暴露垃圾"),  # the query inside a name
    ("小区暴露垃圾", "暴露垃圾"),  # a name inside the query
    ("燃气泄露", "燃气泄漏"),  # a wrong character
    ("道路脏乱", "道路不洁"),  # shares half its characters
])
def test_suggest(query: str, first: str) -> None:
    assert KEYS.suggest(query)[0] == first


def test_suggest_nothing_close() -> None:
    assert KEYS.suggest("退役军人优待证") == []
    assert suggest("", ["a"]) == []


def test_conflicts_are_listed_not_hidden() -> None:
    keys = MatterKeys([matter("M01", "矛盾纠纷调解")], [cls("dispute", "矛盾纠纷调解"), cls("x", "甲", "M01")])
    assert [(c.key, c.first, c.second) for c in keys.conflicts] == [
        ("矛盾纠纷调解", "M01", "dispute"), ("M01", "M01", "x")]
    assert keys.code_of("矛盾纠纷调解") == "M01"  # listed matters come first


def test_a_class_may_repeat_its_own_keys() -> None:
    keys = MatterKeys([], [cls("garbage", "暴露垃圾", "garbage", ("暴露垃圾",))])
    assert keys.conflicts == []


names = st.lists(st.text(alphabet="垃圾暴露道路不洁燃气泄漏井盖路灯", min_size=1, max_size=6), max_size=12)


@given(st.text(alphabet="垃圾暴露道路不洁燃气泄漏井盖路灯", max_size=6), names, st.integers(1, 5))
def test_suggest_properties(query: str, pool: list[str], n: int) -> None:
    out = suggest(query, pool, n)
    assert len(out) <= n
    assert len(set(out)) == len(out)
    assert all(x in pool and x != query.strip() for x in out)
    # adding more names never loses a containment match from the top
    if out and (out[0] in query or query in out[0]):
        assert suggest(query, [*pool, "无关名称"], n)[0] == out[0]
