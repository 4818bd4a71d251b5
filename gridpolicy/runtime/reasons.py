"""The parts of decisions that never change for a policy: references to its tiers, roles,
departments and itself, and the bilingual reason texts (routes, criteria, lists, matters, exits,
calendar). Frozen models, built once and shared between decisions."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from ..clock import OFFICE_HOURS, OfficeHours, clock_of, limit_text_zh
from ..contract import ChannelRef, Named, PolicyRef, Reason, Referral, ReleaseRef, TierRef, TimeLimit
from ..model import Classification, EventClass, Exit, MajorClass, Matter, MatterList, PolicyModel, Route
from ..syntax.nodes import Duration

M = TypeVar("M")
_new = object.__new__
# The slot descriptors of pydantic's BaseModel: setting through them skips object.__setattr__'s
# attribute lookup.
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def make(cls: type[M], fields: dict[str, Any]) -> M:
    """`cls.model_construct(**fields)` without its per-call overhead: for values the runtime
    built itself (already valid). `fields` must name every field of `cls` and becomes the
    instance's own `__dict__`."""
    m = _new(cls)
    _set_dict(m, fields)
    _set_fields_set(m, set(fields))
    _set_extra(m, None)
    _set_private(m, None)
    return m


class Refs:
    """The shared references and reasons of one policy's decisions."""

    def __init__(self, model: PolicyModel, release: ReleaseRef | None = None):
        self.tiers = {t.id: make(TierRef, {"code": t.id, "name": t.name, "level": t.level}) for t in model.tiers}
        self.roles = {r.id: make(Named, {"code": r.id, "name": r.name}) for r in model.roles}
        self.departments = {d.id: make(Named, {"code": d.id, "name": d.name}) for d in model.departments}
        self.policy = make(PolicyRef, {
            "name": model.header.name, "version": model.header.version, "digest": model.digest,
            "effective": release.effective if release else model.header.effective,
            "approved_by": release.approved_by if release else None, "ref": release.ref if release else None})
        self.routes = [make(Reason, route_reason_fields(r)) for r in model.routes]
        self.criteria = [
            make(Reason, {"kind": "criterion", "id": c.id,
                          "text_zh": f"排除标准「{c.name}」：{c.text}，一律不得下放到网格",
                          "text_en": f"exclusion criterion '{c.id}' applies: {c.text}", "source": str(c.span)})
            for c in model.criteria]
        self.lists = {
            lst.id: make(Reason, {"kind": "list", "id": lst.id,
                                  "text_zh": f"《{lst.name}》不是准入清单，其中事项不能下派网格",
                                  "text_en": f"'{lst.id}' is not an admission list", "source": str(lst.span)})
            for lst in model.lists}
        self.unlisted = make(Reason, {
            "kind": "list", "id": "unlisted", "text_zh": "未列入准入事项清单的工作，不得下派网格",
            "text_en": "work not on the admission list may not be pushed down to grids", "source": ""})
        self._limits: dict[Duration, TimeLimit] = {}
        self._calendar: dict[int, Reason] = {}
        hours = model.calendar.office_hours
        self._office_hours = OfficeHours(hours).text if hours else ""
        self.calendar_source = str(model.calendar.span) if model.calendar.span else ""
        self.channels = {r.id: make(ChannelRef, {"code": r.id, "name": r.name, "kind": r.kind, "contact": r.contact})
                         for r in model.referrals}
        # Route i's referral (where its redirect or refusal sends the requester), or None.
        self.route_referrals = [
            make(Referral, {"channel": self.channels[r.referral], "reason": r.reason, "source": str(r.span)})
            if r.referral else None for r in model.routes]
        # Per route whose `refer` depends on the item: channel id -> its `Referral`.
        self.route_channel_referrals = [
            {c: make(Referral, {"channel": self.channels[c], "reason": r.reason, "source": str(r.span)})
             for c in r.channels} if r.referral_expr is not None else None
            for r in model.routes]

    def limit(self, d: Duration) -> TimeLimit:
        """The (shared, frozen) `TimeLimit` of a duration."""
        limit = self._limits.get(d)
        if limit is None:
            if len(self._limits) >= 10_000:  # item-dependent limits: bound what they keep
                self._limits.clear()
            clock = clock_of(d.unit)
            limit = self._limits[d] = TimeLimit(amount=d.amount, unit=d.unit,  # type: ignore[arg-type]
                                                text_zh=limit_text_zh(d), clock=clock,  # type: ignore[arg-type]
                                                office_hours=self._office_hours if clock == OFFICE_HOURS else "")
        return limit

    def calendar(self, year: int) -> Reason:
        """Why a deadline in `year` is an estimate (no holiday data for the year)."""
        reason = self._calendar.get(year)
        if reason is None:
            reason = self._calendar[year] = Reason(
                kind="calendar", id=f"calendar-{year}",
                text_zh=f"{year} 年节假日安排尚未收录（chinese_calendar 与规则的 calendar 均无），期限按周末推算，"
                        f"可能不准；国务院通知公布后请在 calendar 中用 notice 写明",
                text_en=f"no holiday data for {year} (neither chinese_calendar nor the policy's calendar has it): "
                        f"the deadline is estimated from weekends; declare the year's notice in `calendar`",
                source=self.calendar_source)
        return reason


def route_reason_fields(r: Route) -> dict[str, Any]:
    cond = r.text or "（兜底规则，适用于其余所有事项）"
    cond_en = r.text or "(catch-all)"
    prefix = "同时适用" if r.cont else "分流规则"
    return {"kind": "route", "id": r.id, "text_zh": f"{prefix}「{r.name}」：{cond}",
            "text_en": f"route '{r.id}' matched: {cond_en}", "source": str(r.span)}


def matter_reason(m: Matter, status: str, lst: MatterList, exit_: Exit | None) -> Reason:
    """Why the matter is (or is not) in force: its list and batch, dates, or its exit."""
    batch = next((b.name for b in lst.batches if b.id == m.batch), "")
    where = f"《{lst.name}》" + (f"{batch}" if batch else "")
    if status == "exited":
        assert exit_ is not None
        ex = exit_
        return Reason(kind="exit", id=ex.id,
                      text_zh=f"事项 {m.code}「{m.name}」已于 {ex.date} 退出{where}（批准：{ex.approved_by}；"
                              f"文号：{ex.ref}；理由：{ex.reason}）",
                      text_en=f"matter {m.code} exited list '{lst.id}' on {ex.date} "
                              f"(approved by {ex.approved_by}, ref {ex.ref})",
                      source=str(ex.span))
    text = {
        "in_force": (f"事项 {m.code}「{m.name}」列入{where}" + (f"，{m.effective} 起施行" if m.effective else "")
                     + (f"，临时准入，有效期至 {m.expires}（含当日）" if m.expires else ""),
                     f"matter {m.code} is in force on list '{lst.id}'" + (f" since {m.effective}" if m.effective else "")
                     + (f", admitted temporarily, valid through {m.expires} (inclusive)" if m.expires else "")),
        "not_yet_in_force": (f"事项 {m.code}「{m.name}」列入{where}，但 {m.effective} 才施行",
                             f"matter {m.code} on list '{lst.id}' is not in force until {m.effective}"),
        "expired": (f"事项 {m.code}「{m.name}」为临时准入，有效期至 {m.expires}（含当日），{m.ends} 起不再有效",
                    f"matter {m.code} was admitted temporarily, valid through {m.expires} (inclusive); "
                    f"no longer in force from {m.ends}"),
    }[status]
    return Reason(kind="matter", id=m.code, text_zh=text[0], text_en=text[1], source=str(m.span))


def unlisted_reason(query: Any) -> Reason:
    return make(Reason, {"kind": "matter", "id": str(query), "text_zh": f"“{query}”不在任何事项清单中",
                         "text_en": f"'{query}' is on no matter list", "source": ""})


def unknown_reason(query: Any, suggestions: list[str]) -> Reason:
    """A category the lists and the catalogue do not know, with what it probably meant."""
    if not suggestions:
        return unlisted_reason(query)
    zh = "、".join(f"“{s}”" for s in suggestions)
    en = ", ".join(f"'{s}'" for s in suggestions)
    return make(Reason, {"kind": "matter", "id": str(query),
                         "text_zh": f"“{query}”不在任何事项清单和事件部件分类中，是否想写{zh}？",
                         "text_en": f"'{query}' is on no matter list and in no class of the catalogue; "
                                    f"did you mean {en}?", "source": ""})


def class_reason(c: EventClass, major: MajorClass, classification: Classification) -> Reason:
    """Which class of the catalogue an item's category resolved to, and who owns it."""
    code = f"（{c.code}）" if c.code else ""
    kind = {"event": "事件", "component": "部件"}[c.type]
    return make(Reason, {"kind": "class", "id": c.id,
                         "text_zh": f"类别属于《{classification.name}》{major.name} / {c.name}{code}，{kind}",
                         "text_en": f"the category is class {c.id} ({c.type}) of major class {major.id} "
                                    f"in '{classification.id}'", "source": str(c.span)})


def criterion_reason(c: Any) -> Reason:
    """A criterion that catches a proposed matter (`admit`)."""
    return Reason(kind="criterion", id=c.id, text_zh=f"排除标准「{c.name}」：{c.text}",
                  text_en=f"exclusion criterion '{c.id}': {c.text}", source=str(c.span))
