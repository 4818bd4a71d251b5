"""The check stage of `lifecycle` declarations: syntax tree -> `Lifecycle`, with located
bilingual diagnostics. Runs after the rest of the policy is checked (it names the policy's
departments, tiers and routes)."""

from __future__ import annotations

from collections.abc import Iterable

from ..diagnostics import WARNING, Reporter
from ..model import Department, Meta, PolicyModel, Route, Tier
from ..syntax.nodes import Arg, Decl, Duration, Literal, Name, Prop, Span
from .model import (
    BLOCKS,
    FOLLOWUP_RESULTS,
    NOTICE_KINDS,
    CompletedRule,
    ExtensionRule,
    FollowupRule,
    HoldRule,
    Lifecycle,
    MergeRule,
    NoticeStep,
    OverdueRule,
    ReopenRule,
    ReturnRule,
    Target,
)

# Keys of each rule block: English -> Chinese. `keywords.PROPERTIES["on"]` is their union.
BLOCK_KEYS: dict[str, dict[str, str]] = {
    "returned": {"reasons": "退回理由", "within": "退回期限", "arbiter": "审定机构", "limit": "时限",
                 "clock": "时钟"},
    "extension": {"approver": "审批机构", "max": "最长", "times": "次数", "before": "提前"},
    "overdue": dict(NOTICE_KINDS),
    "completed": {"followup": "回访"},
    "followup": {"redo": "重办"},
    "reopened": {"by": "承办", "limit": "时限", **NOTICE_KINDS},
    "held": {"review": "复核", "reviewer": "复核机构"},
    "merged": {},
}
LIFECYCLE_KEYS: dict[str, str] = {"routes": "适用分流"}
COMMON = {"note": "说明", "assumption": "假设", "source": "出处"}
REPEATABLE = ("note", "assumption", "source", *NOTICE_KINDS)
CLOCKS = {"continue": "继续计时", "restart": "重新计时"}
REDOERS = {"same": "原承办单位", "above": "上一级"}
ZH_BLOCKS = {zh: en for en, zh in BLOCKS.items()}


def _words(table: dict[str, str]) -> dict[str, str]:
    """Every spelling (English or Chinese) -> the English word."""
    return {**{en: en for en in table}, **{zh: en for en, zh in table.items()}}


class _Block:
    """A declaration's properties by canonical key; reports unknown and repeated keys."""

    def __init__(self, decl: Decl, keys: dict[str, str], what: tuple[str, str], rep: Reporter):
        self.decl, self.rep = decl, rep
        self.by_key: dict[str, list[Prop]] = {}
        spellings = _words({**COMMON, **keys})
        for prop in decl.props:
            canon = spellings.get(prop.key)
            if canon is None:
                known = sorted(k for k in spellings if k.isascii()) + sorted(k for k in spellings if not k.isascii())
                rep.unknown(prop.span, f"{what[0]}属性", f"property of {what[1]}", prop.key, known, code="GP020")
                continue
            if canon in self.by_key and canon not in REPEATABLE:
                rep.report("GP022", prop.span, f"属性“{prop.key}”重复出现", f"property '{prop.key}' given more than once")
                continue
            self.by_key.setdefault(canon, []).append(prop)
        self.zh = {**COMMON, **keys}

    def get(self, key: str) -> Prop | None:
        props = self.by_key.get(key)
        return props[0] if props else None

    def all(self, key: str) -> list[Prop]:
        return self.by_key.get(key, [])

    def one(self, key: str, required: bool = False) -> Arg | None:
        prop = self.get(key)
        if prop is None:
            if required:
                self.rep.report("GP021", self.decl.id_span, f"缺少属性“{self.zh.get(key, key)}”（{key}）",
                                f"'{self.decl.id}' needs property '{key}'")
            return None
        if len(prop.args) != 1 or prop.args[0].target is not None:
            self.rep.report("GP023", prop.span, f"“{prop.key}”只接受一个值", f"'{prop.key}' takes exactly one value")
            return None
        return prop.args[0]

    def duration(self, key: str, required: bool = False) -> Duration | None:
        arg = self.one(key, required)
        if arg is None:
            return None
        v = arg.value
        if isinstance(v, Literal) and v.kind == "duration":
            d: Duration = v.value
            if d.amount <= 0:
                self.rep.report("GP041", v.span, "时长必须大于零", "the duration must be more than zero")
            elif d.unit in ("days", "workdays") and not float(d.amount).is_integer():
                self.rep.report("GP041", v.span, "天数和工作日数必须是整数", "days and workdays must be whole numbers")
            return d
        self.rep.report("GP023", arg.span, f"“{self.get(key).key}”的值应为时长（如 2 工作日）",  # type: ignore[union-attr]
                        f"'{key}' takes a duration (e.g. 2 workdays)")
        return None

    def count(self, key: str) -> int | None:
        arg = self.one(key)
        if arg is None:
            return None
        v = arg.value
        if isinstance(v, Literal) and v.kind == "number" and float(v.value).is_integer() and v.value >= 1:
            return int(v.value)
        self.rep.report("GP023", arg.span, f"“{self.get(key).key}”的值应为正整数",  # type: ignore[union-attr]
                        f"'{key}' takes a whole number of at least 1")
        return None

    def word(self, key: str, table: dict[str, str], default: str) -> str:
        arg = self.one(key)
        if arg is None:
            return default
        words = _words(table)
        if isinstance(arg.value, Name) and arg.value.id in words:
            return words[arg.value.id]
        name = arg.value.id if isinstance(arg.value, Name) else str(getattr(arg.value, "value", ""))
        self.rep.unknown(arg.value.span, f"“{self.get(key).key}”的取值", f"value of '{key}'",  # type: ignore[union-attr]
                         name, list(words))
        return default

    def strings(self, key: str) -> tuple[str, ...]:
        out: list[str] = []
        for prop in self.all(key):
            for arg in prop.args:
                if isinstance(arg.value, Literal) and arg.value.kind == "string" and arg.target is None:
                    out.append(arg.value.value)
                else:
                    self.rep.report("GP023", arg.span, f"“{prop.key}”的值应为带引号的文字", f"'{prop.key}' takes quoted text")
        return tuple(out)

    def meta(self) -> Meta:
        return Meta("\n\n".join(self.strings("note")), self.strings("assumption"), "\n".join(self.strings("source")))


class LifecycleChecker:
    """Checks the `lifecycle` declarations of one policy against its checked model."""

    def __init__(self, tiers: Iterable[Tier], departments: Iterable[Department], routes: Iterable[Route],
                 rep: Reporter):
        self.rep = rep
        self.tiers = {t.id for t in tiers}
        self.departments: dict[str, str] = {}  # id, name or short name -> id
        for d in departments:
            for key in (d.id, d.name, d.short):
                if key:
                    self.departments.setdefault(key, d.id)
        self.route_list = tuple(routes)
        self.routes = {r.id for r in self.route_list}

    def run(self, decls: Iterable[Decl]) -> tuple[Lifecycle, ...]:
        out: list[Lifecycle] = []
        seen: dict[str, Span] = {}
        for d in decls:
            if d.id is None:
                self.rep.report("GP023", d.span, "全程督办缺少名称", "lifecycle has no name")
                continue
            if d.id in seen:
                self.rep.report("GP030", d.id_span, f"全程督办“{d.id}”重复定义（已在 {seen[d.id]} 定义）",
                                f"lifecycle '{d.id}' is defined twice (first at {seen[d.id]})")
                continue
            seen[d.id] = d.id_span
            lc = self.lifecycle(d)
            if lc is not None:
                out.append(lc)
        self.coverage(out, list(decls))
        return tuple(out)

    def coverage(self, lifecycles: list[Lifecycle], decls: list[Decl]) -> None:
        """GP071: a route covered twice, or two lifecycles for every other route; GP074: a
        route with a time limit that no lifecycle covers; GP075: an overdue ladder never used."""
        owner: dict[str, str] = {}
        catch_all: Lifecycle | None = None
        for lc in lifecycles:
            if not lc.routes:
                if catch_all is not None:
                    self.rep.report("GP071", lc.span, f"全程督办“{lc.id}”与“{catch_all.id}”都未写适用分流，只能有一个兜底",
                                    f"lifecycles '{lc.id}' and '{catch_all.id}' both cover every other route")
                catch_all = lc
            for r in lc.routes:
                if r in owner:
                    self.rep.report("GP071", lc.span, f"分流规则“{r}”已由全程督办“{owner[r]}”覆盖",
                                    f"route '{r}' is already covered by lifecycle '{owner[r]}'")
                owner.setdefault(r, lc.id)
        self.unused_ladders(lifecycles, owner)
        if not lifecycles or catch_all is not None:
            return
        for route in self.route_list:
            if route.limit is not None and route.id not in owner:
                self.rep.report("GP074", route.span, f"分流规则“{route.id}”有时限，但没有全程督办规则覆盖它，案件事件无法处理",
                                f"route '{route.id}' has a time limit but no lifecycle covers it", severity=WARNING)

    def unused_ladders(self, lifecycles: list[Lifecycle], owner: dict[str, str]) -> None:
        """GP075: an `on overdue` ladder no case gets. A case's overdue ladder is the notices
        (remind, supervise, bulletin, interview) of the route that decided it, or, for a route
        with none, its lifecycle's `on overdue`: a ladder whose routes all have their own is
        declared in vain (the author declares each ladder once)."""
        for lc in lifecycles:
            if lc.overdue is None:
                continue
            covered = [r for r in self.route_list if (r.id in lc.routes if lc.routes else r.id not in owner)]
            if covered and all(any(e.kind != "transfer" for e in r.escalation) for r in covered):
                self.rep.report(
                    "GP075", lc.overdue.span,
                    f"全程督办“{lc.id}”的逾期督办不会用到：它覆盖的分流规则都在 escalate 中写了自己的催办、督办或通报"
                    "（案件按分流规则的督办）；请只在一处写督办",
                    f"lifecycle '{lc.id}''s overdue ladder is never used: every route it covers has notices of its own "
                    "in 'escalate' (a case follows its route's); declare the ladder once", severity=WARNING)

    def target(self, arg: Arg | None, what: tuple[str, str]) -> Target | None:
        if arg is None:
            return None
        v = arg.value
        name = v.id if isinstance(v, Name) else v.value if isinstance(v, Literal) and v.kind == "string" else None
        if name is None:
            self.rep.report("GP023", arg.span, f"{what[0]}应为部门或层级名称", f"{what[1]} must name a department or tier")
            return None
        if name in self.departments:
            return Target(self.departments[name], None)
        if name in self.tiers:
            return Target(None, name)
        self.rep.unknown(v.span, "部门或层级", "department or tier", name, [*self.departments, *self.tiers])
        return None

    def lifecycle(self, d: Decl) -> Lifecycle | None:
        p = _Block(d, LIFECYCLE_KEYS, ("全程督办", "lifecycle"), self.rep)
        routes: list[str] = []
        for prop in p.all("routes"):
            for arg in prop.args:
                if isinstance(arg.value, Name) and arg.target is None:
                    if arg.value.id in self.routes:
                        routes.append(arg.value.id)
                    else:
                        self.rep.unknown(arg.value.span, "分流规则", "route", arg.value.id, self.routes)
                else:
                    self.rep.report("GP023", arg.span, "“适用分流”的值应为分流规则名称", "'routes' takes route names")
        blocks: dict[str, object] = {}
        for child in d.children:
            if child.kind != "on":
                self.rep.report("GP070", child.span, "全程督办中只能写“当 事件 { … }”规则块",
                                "a lifecycle holds only 'on EVENT { ... }' blocks")
                continue
            name = child.id or ""
            block = name if name in BLOCKS else ZH_BLOCKS.get(name)
            if block is None:
                self.rep.unknown(child.id_span, "督办规则块", "lifecycle block", name,
                                 [*BLOCKS, *BLOCKS.values()], code="GP070")
                continue
            if block in blocks:
                self.rep.report("GP070", child.id_span, f"规则块“{name}”重复出现", f"block '{name}' given more than once")
                continue
            rule = getattr(self, f"b_{block}")(child, _Block(child, BLOCK_KEYS[block], (f"“{BLOCKS[block]}”规则块",
                                                                                       f"block '{block}'"), self.rep))
            if rule is not None:
                blocks[block] = rule
        return Lifecycle(d.id or "", d.label or d.id or "", tuple(dict.fromkeys(routes)),
                         returned=blocks.get("returned"), extension=blocks.get("extension"),  # type: ignore[arg-type]
                         overdue=blocks.get("overdue"), completed=blocks.get("completed"),  # type: ignore[arg-type]
                         followup=blocks.get("followup"), reopened=blocks.get("reopened"),  # type: ignore[arg-type]
                         held=blocks.get("held"), merged=blocks.get("merged"),  # type: ignore[arg-type]
                         meta=p.meta(), span=d.span)

    # ---- one method per block ----------------------------------------------------------------

    def b_returned(self, d: Decl, p: _Block) -> ReturnRule | None:
        reasons: list[tuple[str, str]] = []
        prop = p.get("reasons")
        for arg in prop.args if prop else ():
            if isinstance(arg.value, Name) and arg.target is None:
                reasons.append((arg.value.id, arg.label or arg.value.id))
            else:
                self.rep.report("GP023", arg.span, "退回理由写法：代码 \"中文名\"，如 wrong_locality \"属地不符\"",
                                "a return reason is written: code \"label\", e.g. wrong_locality \"属地不符\"")
        if prop is None:
            p.one("reasons", required=True)
        arbiter = self.target(p.one("arbiter", required=True), ("审定机构", "arbiter"))
        within, limit = p.duration("within"), p.duration("limit")
        clock = p.word("clock", CLOCKS, "continue")
        if arbiter is None or prop is None:
            return None
        return ReturnRule(tuple(reasons), within, arbiter, limit, clock, p.meta(), d.span)

    def b_extension(self, d: Decl, p: _Block) -> ExtensionRule | None:
        approver = self.target(p.one("approver", required=True), ("审批机构", "approver"))
        most = p.duration("max", required=True)
        times = p.count("times") or 1
        before = p.duration("before")
        if approver is None or most is None:
            return None
        return ExtensionRule(approver, most, times, before, p.meta(), d.span)

    def ladder(self, p: _Block, counted: bool) -> tuple[NoticeStep, ...]:
        steps: list[NoticeStep] = []
        for kind in NOTICE_KINDS:
            for prop in p.all(kind):
                for arg in prop.args:
                    step = self.notice(kind, arg, counted)
                    if step is not None:
                        steps.append(step)
        steps.sort(key=lambda s: (s.span.line, s.span.column))
        for prev, step in zip(steps, steps[1:]):
            if _order(step) <= _order(prev):
                self.rep.report("GP072", step.span, "督办阶梯应逐级推后：每一步的时间（或次数）须晚于上一步",
                                "the notice ladder must go on: each step later (or at a higher count) than the one before")
        return tuple(steps)

    def notice(self, kind: str, arg: Arg, counted: bool) -> NoticeStep | None:
        v, zh = arg.value, NOTICE_KINDS[kind]
        form = (f"{zh} 2 -> 部门 \"说明\"（第 2 次重办仍不满意时）", f"{kind} 2 -> department \"label\" (at the 2nd failed redo)") \
            if counted else (f"{zh} 1 工作日 -> 部门 \"说明\"（逾期 1 个工作日时）",
                             f"{kind} 1 workday -> department \"label\" (1 workday overdue)")
        ok = isinstance(v, Literal) and (v.kind == "number" and float(v.value).is_integer() and v.value >= 1
                                         if counted else v.kind == "duration")
        if not ok or arg.target is None:
            self.rep.report("GP023", arg.span, f"{zh}的写法：{form[0]}", f"a {kind} notice is written: {form[1]}")
            return None
        assert isinstance(v, Literal)
        if not counted and v.value.unit in ("days", "workdays") and not float(v.value.amount).is_integer():
            self.rep.report("GP041", v.span, "天数和工作日数必须是整数", "days and workdays must be whole numbers")
        to = self.target(Arg(arg.target, None, None, arg.target.span), (f"{zh}对象", f"the {kind} notice's addressee"))
        if to is None:
            return None
        return NoticeStep(kind, None if counted else v.value, int(v.value) if counted else None, to,
                          arg.label or "", arg.span)

    def b_overdue(self, d: Decl, p: _Block) -> OverdueRule | None:
        ladder = self.ladder(p, counted=False)
        if not ladder and not any(p.all(k) for k in NOTICE_KINDS):
            self.rep.report("GP021", d.id_span, "逾期规则块至少需要一步督办（如 催办 1 工作日 -> 部门）",
                            "an overdue block needs at least one notice (e.g. remind 1 workday -> department)")
        return OverdueRule(ladder, p.meta(), d.span)

    def b_completed(self, d: Decl, p: _Block) -> CompletedRule:
        return CompletedRule(p.duration("followup"), p.meta(), d.span)

    def b_followup(self, d: Decl, p: _Block) -> FollowupRule:
        redo: list[str] = []
        prop = p.get("redo")
        words = _words(FOLLOWUP_RESULTS)
        for arg in prop.args if prop else ():
            if isinstance(arg.value, Name) and arg.value.id in words and arg.target is None:
                redo.append(words[arg.value.id])
            else:
                name = arg.value.id if isinstance(arg.value, Name) else "?"
                self.rep.unknown(arg.value.span, "回访结果", "follow-up result", name, list(words))
        return FollowupRule(tuple(dict.fromkeys(redo or ["dissatisfied"])), p.meta(), d.span)

    def b_reopened(self, d: Decl, p: _Block) -> ReopenRule:
        return ReopenRule(p.word("by", REDOERS, "same"), p.duration("limit"), self.ladder(p, counted=True),
                          p.meta(), d.span)

    def b_held(self, d: Decl, p: _Block) -> HoldRule | None:
        review = p.duration("review", required=True)
        reviewer = self.target(p.one("reviewer", required=True), ("复核机构", "reviewer"))
        if review is None or reviewer is None:
            return None
        return HoldRule(review, reviewer, p.meta(), d.span)

    def b_merged(self, d: Decl, p: _Block) -> MergeRule:
        return MergeRule(p.meta(), d.span)


def _order(step: NoticeStep) -> float:
    if step.count is not None:
        return float(step.count)
    d = step.after
    assert d is not None
    return d.amount * {"minutes": 1, "hours": 60, "days": 1440, "workdays": 1440}[d.unit]


def check_lifecycles(decls: Iterable[Decl], model: PolicyModel, rep: Reporter) -> tuple[Lifecycle, ...]:
    """The checked lifecycles of `decls` (the `lifecycle` declarations) against a checked `model`."""
    return LifecycleChecker(model.tiers, model.departments, model.routes, rep).run(decls)
