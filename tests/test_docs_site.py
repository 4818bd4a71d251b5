"""The whole site builds with `mkdocs build --strict` from the shipped rules, and every source
link on the rule pages lands on a line anchor that exists in the built HTML."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2026-03-02"


def build_site(dest: Path, rules: Path = REPO / "rules", *extra: str) -> Path:
    """Generate the rule pages from `rules` (extra `gridpolicy docs` arguments after it) and build
    the site in a copy of docs/ under `dest`; return site/."""
    pytest.importorskip("mkdocs", reason="docs extra not installed: pip install -e '.[docs]'")
    pytest.importorskip("material", reason="docs extra not installed: pip install -e '.[docs]'")
    vendor = REPO / "docs" / "javascripts" / "vendor" / "mermaid.min.js"
    if not vendor.exists():
        subprocess.run(["bash", str(REPO / "scripts" / "fetch-mermaid.sh")], check=True)
    project = dest / "project"
    shutil.copytree(REPO / "docs", project / "docs", ignore=shutil.ignore_patterns("rules", "__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    bindir = Path(sys.executable).parent
    gen = subprocess.run([str(bindir / "gridpolicy"), "docs", str(rules), "--out", str(project / "docs" / "rules"),
                          "--as-of", AS_OF, *extra], cwd=REPO, capture_output=True, text=True)
    assert gen.returncode == 0, f"gridpolicy docs failed:\n{gen.stdout}\n{gen.stderr}"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)}
    run = subprocess.run([str(bindir / "mkdocs"), "build", "--strict", "-f", str(project / "mkdocs.yml"),
                          "-d", str(project / "site")], cwd=REPO, env=env, capture_output=True, text=True)
    assert run.returncode == 0, f"mkdocs build --strict failed:\n{run.stdout}\n{run.stderr}"
    return project / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("docs"))


def test_pages_exist(site: Path) -> None:
    for page in ("index.html", "rules/matters/index.html", "rules/routing/index.html", "rules/exits/index.html",
                 "rules/evaluation/index.html", "rules/assumptions/index.html", "rules/grids/index.html",
                 "guide/committee/index.html", "guide/hosts/index.html", "reference/language/index.html",
                 "reference/api/index.html", "keywords/index.html", "rules/contracts/index.html"):
        assert (site / page).is_file(), page


def test_source_links_land_on_line_anchors(site: Path) -> None:
    checked = 0
    for html in sorted((site / "rules").rglob("index.html")):
        text = html.read_text(encoding="utf-8")
        for href, line in re.findall(r'href="([^"#]*source/[^"#]+)#__codelineno-0-(\d+)"', text):
            target = (html.parent / href).resolve() / "index.html" if not href.endswith(".html") else \
                (html.parent / href).resolve()
            assert target.is_file(), href
            assert f'id="__codelineno-0-{line}"' in target.read_text(encoding="utf-8"), (href, line)
            checked += 1
    assert checked > 50


def test_rule_code_is_highlighted_and_flow_chart_is_html(site: Path) -> None:
    routing = (site / "rules" / "routing" / "index.html").read_text(encoding="utf-8")
    assert '<ol class="gp-flow"' in routing and 'class="gp-flow__tier"' in routing
    source = next((site / "rules" / "source").glob("*40_routing*/index.html")).read_text(encoding="utf-8")
    assert "language-gridpolicy" in source


def test_api_reference_renders_docstrings(site: Path) -> None:
    api = (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    for name in ("route_many", "matter_status", "ItemError", "Decision"):
        assert name in api


def test_search_index_is_segmented_chinese(site: Path) -> None:
    pytest.importorskip("jieba")
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    # No lunr.zh (it needs a jieba the browser lacks), no trimmer (it strips Chinese tokens).
    assert index["config"]["lang"] == ["en"] and index["config"]["pipeline"] == []
    assert "\\u200b" in index["config"]["separator"]
    matters = [d for d in index["docs"] if d["location"].startswith("rules/matters/")]
    assert any("\u200b" in d["text"] for d in matters), "jieba did not segment the Chinese text"


def test_mermaid_is_loaded_only_by_pages_with_a_diagram(site: Path) -> None:
    import importlib.util
    from types import SimpleNamespace

    spec = importlib.util.spec_from_file_location("mermaid_pages", REPO / "docs" / "hooks" / "mermaid_pages.py")
    assert spec is not None and spec.loader is not None
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    html = '<html><head></head><body><pre class="mermaid"><code>flowchart</code></pre></body></html>'
    out = hook.on_post_page(html, SimpleNamespace(url="rules/routing/"), None)
    assert '<script src="../../javascripts/vendor/mermaid.min.js"></script></head>' in out
    assert hook.on_post_page(html, SimpleNamespace(url=""), None).count("javascripts/vendor/mermaid.min.js") == 1
    assert hook.on_post_page("<head></head><p>x</p>", SimpleNamespace(url="a/"), None) == "<head></head><p>x</p>"
    for page in site.rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        assert ("mermaid.min.js" in text) == ('class="mermaid"' in text), page
