"""The layout's promises: no import cycle inside gridpolicy/, and a cached policy loads and
decides without the parser (Lark) or the checker."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "gridpolicy"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def import_graph() -> dict[str, set[str]]:
    """Module -> the gridpolicy modules it imports (at any depth of the module, function-level
    imports included; `if TYPE_CHECKING:` blocks excluded)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        base = name.split(".") if is_package else name.split(".")[:-1]
        edges: set[str] = set()
        stack: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
        while stack:
            node = stack.pop()
            if _type_checking_only(node):
                continue
            stack.extend(ast.iter_child_nodes(node))
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    root = base[: len(base) - node.level + 1]
                    mod = ".".join([*root, *([node.module] if node.module else [])])
                else:
                    mod = node.module or ""
                # `from package import module` depends on the module; `from module import name`
                # (or a name defined in a package's __init__) on that module.
                targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in modules else mod for a in node.names]
            else:
                continue
            edges.update(t for t in targets if t in modules and t != name)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, it = work[-1]
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        m = stack.pop()
                        on_stack.discard(m)
                        component.append(m)
                        if m == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_the_graph_sees_relative_imports() -> None:
    graph = import_graph()
    assert "gridpolicy.syntax.nodes" in graph["gridpolicy.check.context"]
    assert "gridpolicy.runtime.policy" in graph["gridpolicy.runtime"]


def test_a_cycle_is_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


# Over the limits when this test landed (lifecycle/ is issue 23's, server/ issue 17's).
KNOWN_TOO_LONG: set[str] = set()


def test_no_import_cycle_inside_gridpolicy() -> None:
    assert cycles(import_graph()) == []


def test_a_cached_policy_routes_without_the_parser_or_the_checker(tmp_path: Path) -> None:
    rules = PACKAGE.parent / "rules"
    env = {**os.environ, "GRIDPOLICY_CACHE": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-c", f"import gridpolicy; gridpolicy.load({str(rules)!r})"],
                   check=True, env=env)
    probe = (
        "import json, sys, gridpolicy\n"
        f"p = gridpolicy.load({str(rules)!r})\n"
        "p.route({'id': '1', 'kind': 'issue', 'reported_at': '2026-03-02T09:30:00+08:00'})\n"
        "print(json.dumps(sorted(m for m in sys.modules if m == 'lark' or m.startswith(('lark.', "
        "'gridpolicy.check', 'gridpolicy.syntax.parser', 'gridpolicy.syntax.scan')))))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], check=True, env=env, capture_output=True, text=True)
    assert json.loads(out.stdout) == []


def test_no_module_over_600_lines_and_no_class_over_400() -> None:
    too_long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > 600:
            too_long.append(f"{path.relative_to(PACKAGE.parent)}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno is not None \
                    and node.end_lineno - node.lineno + 1 > 400:
                too_long.append(f"{path.relative_to(PACKAGE.parent)}: class {node.name}")
    assert [t for t in too_long if t not in KNOWN_TOO_LONG] == []
