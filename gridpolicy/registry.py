"""The grid registry: every grid's code, name, community, street, four boundaries (四至) and
staff by role, as published on its notice board (公示牌).

A registry is a YAML file kept beside the rules (see `rules/registry/grids.yaml`). It is
nested street → community → grid, so a grid's community and street cannot disagree:

    district: 屯溪区
    updated: 2026-01-01
    streets:
      - code: "001"
        name: 昱东街道
        communities:
          - code: "001"
            name: 水心亭社区
            grids:
              - code: "341002001001001"
                name: 水心亭第一网格
                boundaries: {east: …, south: …, west: …, north: …}
                leader: {contact: "0559-0000000"}
                staff: [{role: grid_worker, count: 2, contact: "0559-0000000"}]

`load_registry()` validates a file and raises `RegistryError`, whose messages name the file,
the line and the field, in Chinese and English. `check_roles()` cross-checks the staff roles
against a loaded policy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

CODE_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z_-]{0,39}$"
CONTACT_PATTERN = r"^[0-9+()\- ]{3,30}$"
# Bounds on a registry file (the shipped example: 9 KB, 7 grids, 634 nodes, depth 7; about 90
# nodes a grid, so the node bound holds some 1,600 grids and takes at most about 10 s and 150 MB
# to read). Anchors are allowed, aliases are not: an alias is how a 1 KB "billion laughs" file
# expands to gigabytes.
MAX_BYTES = 5_000_000
MAX_DEPTH = 32  # nested mappings and sequences
MAX_NODES = 150_000  # scalars, mappings and sequences together


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Boundaries(_Strict):
    """The four boundaries (四至边界) as written on the notice board."""

    east: str = Field(min_length=1, max_length=200, description="东至")
    south: str = Field(min_length=1, max_length=200, description="南至")
    west: str = Field(min_length=1, max_length=200, description="西至")
    north: str = Field(min_length=1, max_length=200, description="北至")


class Leader(_Strict):
    """The grid leader (网格长, the grid party secretary). Only a public contact is kept."""

    role: str = Field(default="grid_leader", pattern=r"^\w{1,60}$")
    contact: str = Field(pattern=CONTACT_PATTERN, description="公开联系电话（如社区服务电话）")


class Staff(_Strict):
    """One kind of grid staff: a role from the rules, how many, and a public contact."""

    role: str = Field(pattern=r"^\w{1,60}$", description="规则中的角色编码，如 grid_worker")
    count: int = Field(default=1, ge=1, le=200)
    contact: str | None = Field(default=None, pattern=CONTACT_PATTERN)


class Grid(_Strict):
    code: str = Field(pattern=CODE_PATTERN, description="网格编码")
    name: str = Field(min_length=1, max_length=100)
    party_org: str | None = Field(default=None, max_length=100, description="网格党组织名称")
    households: int | None = Field(default=None, ge=0, le=100_000)
    boundaries: Boundaries
    leader: Leader
    staff: tuple[Staff, ...] = ()
    auxiliary: tuple[str, ...] = Field(default=(), description="X 种辅助力量的角色编码")

    @field_validator("staff")
    @classmethod
    def _staff_roles_unique(cls, v: tuple[Staff, ...]) -> tuple[Staff, ...]:
        seen: set[str] = set()
        for s in v:
            if s.role in seen:
                raise ValueError(f"角色 {s.role} 重复列出 / role {s.role} is listed twice")
            seen.add(s.role)
        return v


class Community(_Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1, max_length=100)
    grids: tuple[Grid, ...] = Field(min_length=1)


class Street(_Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1, max_length=100)
    communities: tuple[Community, ...] = Field(min_length=1)


class Registry(_Strict):
    """A district's grids. `example: true` marks a registry that only shows the structure."""

    example: bool = False
    district: str = Field(min_length=1, max_length=100)
    updated: dt.date
    note: str | None = None
    streets: tuple[Street, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_unique(self) -> Registry:
        seen: dict[str, str] = {}
        for kind, code, where in self._codes():
            key = f"{kind}:{code}"
            if key in seen:
                raise ValueError(f"{_ZH_KIND[kind]}编码 {code} 重复（{seen[key]} 与 {where}）"
                                 f" / {kind} code {code} is used twice ({seen[key]} and {where})")
            seen[key] = where
        return self

    def _codes(self) -> Iterator[tuple[str, str, str]]:
        for s in self.streets:
            yield "street", s.code, s.name
            for c in s.communities:
                yield "community", f"{s.code}/{c.code}", c.name
                for g in c.grids:
                    yield "grid", g.code, g.name

    def grids(self) -> list[GridEntry]:
        """Every grid with its community and street, in file order."""
        return [GridEntry(g, c, s) for s in self.streets for c in s.communities for g in c.grids]

    def find(self, code: str) -> GridEntry | None:
        """A grid by its code."""
        return next((e for e in self.grids() if e.grid.code == code), None)


_ZH_KIND = {"street": "街道（镇）", "community": "社区", "grid": "网格"}


@dataclass(frozen=True)
class GridEntry:
    """A grid and where it sits."""

    grid: Grid
    community: Community
    street: Street

    @property
    def code(self) -> str:
        return self.grid.code

    @property
    def community_key(self) -> str:
        """Community identity across streets: `street/community`."""
        return f"{self.street.code}/{self.community.code}"


@dataclass(frozen=True)
class RegistryProblem:
    file: str
    line: int
    path: str
    message_zh: str
    message_en: str

    def render(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.path}" if self.path else ""
        return f"{where}:{field}: {self.message_zh} / {self.message_en}"


class RegistryError(ValueError):
    """A registry file is invalid; `problems` names each file, line and field."""

    def __init__(self, problems: list[RegistryProblem]):
        self.problems = problems
        super().__init__("\n".join(p.render() for p in problems))


@dataclass(frozen=True)
class LoadedRegistry:
    registry: Registry
    path: str
    digest: str  # sha256 of the file's bytes, to tell which registry a draw came from
    lines: dict[tuple[Any, ...], int]  # field path -> line, for messages

    def line_of(self, *path: Any) -> int:
        """The line of a field path, or of its nearest enclosing field."""
        return _nearest_line(tuple(path), self.lines)


# ---- loading ---------------------------------------------------------------------------

_MESSAGES_ZH = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（拼写错误？）",
    "string_type": "应为文字",
    "string_too_short": "不能为空",
    "string_too_long": "文字过长",
    "string_pattern_mismatch": "格式不对",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_type": "应为日期，如 2026-01-01",
    "date_parsing": "应为日期，如 2026-01-01",
    "date_from_datetime_parsing": "应为日期，如 2026-01-01",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "too_short": "至少要有一项",
    "tuple_type": "应为列表",
    "list_type": "应为列表",
    "model_type": "应为映射（键: 值）",
    "dict_type": "应为映射（键: 值）",
}


class _Refused(yaml.MarkedYAMLError):
    """A bound of the registry loader was hit (message in Chinese / English)."""

    def __init__(self, mark: Any, zh: str, en: str):
        super().__init__(problem=en, problem_mark=mark)
        self.zh, self.en = zh, en


class _Budget:
    """The loader's bounds, applied event by event: no aliases, at most MAX_DEPTH levels and
    MAX_NODES nodes (scalars, mappings and sequences), so no file within MAX_BYTES expands in
    memory or reaches Python's (or libyaml's C) recursion limit."""

    __slots__ = ("depth", "nodes")

    def __init__(self) -> None:
        self.depth = 0
        self.nodes = 0

    def open(self, event: yaml.Event) -> bool:
        """Count a node's first event; True if it opens a mapping or sequence."""
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark, "网格台账中不能使用别名（*名称）；请把内容直接写出",
                           "aliases (*name) are not allowed in a registry; write the content out")
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Refused(event.start_mark, f"网格台账的条目过多（上限 {MAX_NODES} 个值）",
                           f"the registry has too many values (limit {MAX_NODES})")
        if not isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            return False
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Refused(event.start_mark, f"网格台账嵌套过深（上限 {MAX_DEPTH} 层）",
                           f"the registry is nested too deeply (limit {MAX_DEPTH} levels)")
        return True


class _BoundedLoader(yaml.SafeLoader):
    """The pure-Python safe loader, its composer bounded node by node."""

    def __init__(self, text: str):
        super().__init__(text)
        self.budget = _Budget()

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        nested = self.budget.open(self.peek_event())
        try:
            return super().compose_node(parent, index)
        finally:
            if nested:
                self.budget.depth -= 1


try:  # libyaml: scanner, parser and composer in C (PyYAML's wheels have it)
    from yaml._yaml import CParser
    from yaml.cyaml import CSafeLoader
    FAST_YAML = True
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    FAST_YAML = False


def _check_events(text: str) -> None:
    """Run the bounds over libyaml's events before libyaml composes the same text (its C
    composer cannot be bounded node by node, and recurses without a limit)."""
    parser = CParser(text)
    budget = _Budget()
    node_start = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent)
    closing = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    try:
        while (event := parser.get_event()) is not None and not isinstance(event, yaml.StreamEndEvent):
            if isinstance(event, node_start):
                budget.open(event)
            elif isinstance(event, closing):
                budget.depth -= 1
    finally:
        parser.dispose()


def _load(loader: Any) -> tuple[yaml.Node | None, Any]:
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    finally:
        loader.dispose()


def compose(text: str, fast: bool = FAST_YAML) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """The YAML's data and each mapping key's and sequence item's 1-based line, by its path,
    within the bounds (no aliases, MAX_DEPTH, MAX_NODES). `fast` (the default when PyYAML has
    libyaml) checks the bounds on libyaml's events, then composes with libyaml's C loader: the
    same data, lines and errors, about 5 times sooner at the largest size. Raises
    `yaml.YAMLError` (a bound: a `yaml.MarkedYAMLError` with `zh` and `en` messages)."""
    if fast and FAST_YAML:
        try:
            _check_events(text)
            root, data = _load(CSafeLoader(text))
            if isinstance(root, yaml.ScalarNode):  # libyaml resolves a bare empty root as '', PyYAML as None
                root, data = _load(_BoundedLoader(text))
        except _Refused:
            raise
        except yaml.YAMLError:  # libyaml words errors (and limits nesting) its own way:
            root, data = _load(_BoundedLoader(text))  # the pure-Python loader's error, located
    else:
        root, data = _load(_BoundedLoader(text))
    lines: dict[tuple[Any, ...], int] = {}
    if root is None:
        return data, lines
    stack: list[tuple[yaml.Node, tuple[Any, ...]]] = [(root, ())]
    while stack:  # iterative: depth is bounded anyway, but no recursion is needed
        node, path = stack.pop()
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                k = key.value if isinstance(key, yaml.ScalarNode) else str(key)
                lines[(*path, k)] = key.start_mark.line + 1
                stack.append((value, (*path, k)))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                stack.append((item, (*path, i)))
    return data, lines


def _nearest_line(loc: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> int:
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return 0


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problem_of(err: dict[str, Any], file: str, lines: dict[tuple[Any, ...], int]) -> RegistryProblem:
    loc = tuple(err.get("loc", ()))
    line = _nearest_line(loc, lines)
    typ = err.get("type", "")
    msg = str(err.get("msg", ""))
    if typ == "value_error":
        text = msg.removeprefix("Value error, ")
        zh, _, en = text.partition(" / ")
        return RegistryProblem(file, line, _dotted(loc), zh, en or zh)
    zh = _MESSAGES_ZH.get(typ, "取值无效")
    return RegistryProblem(file, line, _dotted(loc), zh, msg)


def parse_registry(text: str, file: str = "<registry>") -> Registry:
    """Validate registry YAML text. Raises `RegistryError`."""
    return _parse(text, file)[0]


def _too_large(file: str) -> RegistryError:
    return RegistryError([RegistryProblem(file, 1, "", f"文件过大（上限 {MAX_BYTES} 字节）",
                                          f"file larger than {MAX_BYTES} bytes")])


def _parse(text: str, file: str) -> tuple[Registry, dict[tuple[Any, ...], int]]:
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise _too_large(file)
    try:
        data, lines = compose(text)
    except _Refused as exc:
        mark = exc.problem_mark
        raise RegistryError([RegistryProblem(file, mark.line + 1 if mark else 1, "", exc.zh, exc.en)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RegistryError([RegistryProblem(file, mark.line + 1 if mark else 1, "", "YAML 格式错误",
                                             f"invalid YAML: {getattr(exc, 'problem', exc)}")]) from None
    if not isinstance(data, dict):
        raise RegistryError([RegistryProblem(file, 1, "", "网格台账应为映射（district、updated、streets …）",
                                             "a registry is a mapping (district, updated, streets, ...)")])
    try:
        return Registry.model_validate(data), lines
    except ValidationError as exc:
        problems = [_problem_of(dict(e), file, lines) for e in exc.errors()]
        raise RegistryError(problems) from None


def read_text(path: str | Path) -> str:
    """A registry file's text, reading at most MAX_BYTES + 1 bytes whatever its size. A file over
    the limit gives text over the limit (which `parse_registry` refuses); raises OSError and
    UnicodeDecodeError."""
    with open(path, "rb") as fh:
        raw = fh.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:  # refused by size; a cut character must not hide that
        return raw.decode("utf-8", "replace")
    return raw.decode("utf-8")


def load_registry(path: str | Path) -> LoadedRegistry:
    """Read and validate a registry file. Raises `RegistryError`."""
    try:
        with open(path, "rb") as fh:  # never more than the limit, whatever the file's size
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise RegistryError([RegistryProblem(str(path), 0, "", "无法读取文件", f"cannot read: {exc.strerror}")]) from None
    if len(raw) > MAX_BYTES:
        raise _too_large(str(path))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RegistryError([RegistryProblem(str(path), 0, "", "文件不是 UTF-8 编码",
                                             "file is not UTF-8")]) from None
    registry, lines = _parse(text, str(path))
    return LoadedRegistry(registry, str(path), hashlib.sha256(raw).hexdigest(), lines)


def check_roles(loaded: LoadedRegistry, policy: Any) -> list[RegistryProblem]:
    """Staff, leader and auxiliary roles that the policy does not declare, or of the wrong
    category (the leader must be a `leader`, auxiliary forces `auxiliary` or `other`)."""
    roles = {r.id: r for r in policy.roles}
    problems: list[RegistryProblem] = []

    def bad(path: tuple[Any, ...], zh: str, en: str) -> None:
        problems.append(RegistryProblem(loaded.path, loaded.line_of(*path), _dotted(path), zh, en))

    for s_i, s in enumerate(loaded.registry.streets):
        for c_i, c in enumerate(s.communities):
            for g_i, g in enumerate(c.grids):
                base: tuple[Any, ...] = ("streets", s_i, "communities", c_i, "grids", g_i)
                checks: list[tuple[tuple[Any, ...], str, tuple[str, ...]]] = [
                    ((*base, "leader", "role"), g.leader.role, ("leader",))]
                checks += [((*base, "staff", i, "role"), st.role, ("staff",)) for i, st in enumerate(g.staff)]
                checks += [((*base, "auxiliary", i), a, ("auxiliary", "other")) for i, a in enumerate(g.auxiliary)]
                for where, rid, cats in checks:
                    role = roles.get(rid)
                    if role is None:
                        bad(where, f"规则中没有角色“{rid}”（网格 {g.code}）", f"the rules declare no role '{rid}'")
                    elif role.category not in cats:
                        bad(where, f"角色“{rid}”的类别是 {role.category}，这里应为 {'/'.join(cats)}",
                            f"role '{rid}' is a {role.category}, expected {'/'.join(cats)} here")
    return problems


# ---- random inspection draw (随机抽查) -----------------------------------------------------


@dataclass(frozen=True)
class Draw:
    """A reproducible inspection draw: the same registry, numbers and seed give the same grids."""

    seed: int
    n: int
    communities: tuple[str, ...]  # community keys drawn (`street/community`), sorted
    grids: tuple[GridEntry, ...]  # sorted by street, community, grid code


class SampleError(ValueError):
    """The draw cannot be made as asked (message in Chinese / English)."""


def draw_sample(registry: Registry, n: int, from_communities: int, seed: int) -> Draw:
    """Draw `n` grids spread across `from_communities` communities, reproducibly.

    First `from_communities` communities are drawn at random; then the `n` grids are shared
    out among them round-robin in a random order (so the counts differ by at most one, except
    where a community has too few grids), and each community's grids are drawn at random.
    Grids and communities are sorted by code before drawing, so the order of the file does not
    change the result.
    """
    import random

    if n < 1 or from_communities < 1:
        raise SampleError("抽取数量和社区数都必须大于 0 / --n and --from-communities must be at least 1")
    if n < from_communities:
        raise SampleError(f"要从 {from_communities} 个社区抽取，至少要抽 {from_communities} 个网格（现为 {n}）"
                          f" / drawing from {from_communities} communities needs at least that many grids (got {n})")
    by_community: dict[str, list[GridEntry]] = {}
    for e in registry.grids():
        by_community.setdefault(e.community_key, []).append(e)
    if len(by_community) < from_communities:
        raise SampleError(f"台账只有 {len(by_community)} 个社区，不足 {from_communities} 个"
                          f" / the registry has {len(by_community)} communities, fewer than {from_communities}")
    rng = random.Random(seed)
    keys = sorted(by_community)
    chosen = sorted(rng.sample(keys, from_communities))
    capacity = sum(len(by_community[k]) for k in chosen)
    if capacity < n:
        raise SampleError(f"抽中的 {from_communities} 个社区共有 {capacity} 个网格，不足 {n} 个"
                          f" / the {from_communities} communities drawn have {capacity} grids, fewer than {n}")
    quota = dict.fromkeys(chosen, 0)
    order = chosen[:]
    rng.shuffle(order)
    left = n
    while left:
        for k in order:
            if left and quota[k] < len(by_community[k]):
                quota[k] += 1
                left -= 1
    picked: list[GridEntry] = []
    for k in chosen:
        grids = sorted(by_community[k], key=lambda e: e.code)
        picked += rng.sample(grids, quota[k])
    picked.sort(key=lambda e: (e.street.code, e.community.code, e.code))
    return Draw(seed, n, tuple(chosen), tuple(picked))
