"""The built rule site in a real browser: Debian's chromium, headless, driven by Playwright.

scripts/install-browser.sh (run by `make test`) installs chromium; Playwright never downloads a
browser here, it drives /usr/bin/chromium through `executable_path`. The site is built from the
shipped rules and served on localhost. Screenshots go to tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import gridpolicy

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Material renders each Mermaid diagram into a *closed* shadow root; open it so the test can see the SVG.
OPEN_SHADOW = ("(() => { const attach = Element.prototype.attachShadow;"
               " Element.prototype.attachShadow = function (o) { return attach.call(this, {...o, mode: 'open'}); }; })()")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium 未安装，跳过浏览器测试（以 root 运行 scripts/install-browser.sh 安装）— "
                    "chromium is not installed; run scripts/install-browser.sh as root")
    pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install -e '.[docs]'")
    from test_docs_site import build_site

    site = build_site(tmp_path_factory.mktemp("browser-site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def page(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh --user-data-dir
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1440, "height": 1000}, locale="zh-CN")
        context.add_init_script(OPEN_SHADOW)
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.errors = errors  # type: ignore[attr-defined]
        try:
            yield pg
        finally:
            context.close()


@pytest.fixture(scope="module")
def policy() -> gridpolicy.Policy:
    return gridpolicy.load(REPO / "rules")


def test_admission_list_page(page: Any, base_url: str, policy: gridpolicy.Policy) -> None:
    page.goto(f"{base_url}/rules/matters/")
    content = page.locator("article.md-content__inner")
    assert "准入事项清单" in page.locator("h1").first.inner_text()
    text = content.inner_text()
    for m in policy.matters:
        assert m.code in text and m.name in text, m.code
    first = policy.matters[0]
    card = page.locator("div.gp-matter", has=page.locator(f"#matter-{first.code.lower()}")).first
    assert first.name in card.inner_text()
    page.screenshot(path=str(ARTIFACTS / "matters.png"))
    page.locator(f"#matter-{first.code.lower()}").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "matter-detail.png"))
    assert not page.errors  # type: ignore[attr-defined]


def test_routing_page_and_flow_chart(page: Any, base_url: str, policy: gridpolicy.Policy) -> None:
    page.goto(f"{base_url}/rules/routing/")
    chart = page.locator("ol.gp-flow").first
    labels = chart.inner_text()
    for t in policy.tiers:
        assert t.name in labels, t.id
    cards = page.locator("div.gp-route").all_inner_texts()
    for r in policy.routes:
        assert any(r.name in c for c in cards), r.id
    chart.screenshot(path=str(ARTIFACTS / "routing-flow.png"))
    page.locator("div.gp-route").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "routing-rules.png"))
    assert not page.errors  # type: ignore[attr-defined]


def test_search_finds_a_matter_by_its_chinese_name(page: Any, base_url: str, policy: gridpolicy.Policy) -> None:
    matter = policy.matters[1] if len(policy.matters) > 1 else policy.matters[0]
    page.goto(f"{base_url}/")
    page.locator("label.md-search__icon, input.md-search__input").first.click()
    box = page.locator("input.md-search__input")
    hit = page.locator(".md-search-result__item", has_text=matter.name).first
    for _ in range(3):  # the search worker may still be indexing when the first keys arrive
        box.fill("")
        box.press_sequentially(matter.name, delay=40)
        try:
            hit.wait_for(state="visible", timeout=10_000)
            break
        except Exception:  # noqa: BLE001 - playwright's TimeoutError; retry typing
            continue
    assert hit.is_visible(), f"search for {matter.name} found nothing"
    page.screenshot(path=str(ARTIFACTS / "search.png"))
    hit.locator("a").first.click()
    page.wait_for_url("**/rules/matters/**")
    assert matter.name in page.locator("article").inner_text()


def test_source_link_opens_the_rule_line(page: Any, base_url: str, policy: gridpolicy.Policy) -> None:
    route = policy.routes[0]
    page.goto(f"{base_url}/rules/routing/")
    page.locator(f"#route-{route.id.lower()} ~ p a[href*='__codelineno-0-{route.span.line}']").first.click()
    page.wait_for_url(f"**#__codelineno-0-{route.span.line}")
    anchor = page.locator(f"[id='__codelineno-0-{route.span.line}']")
    assert anchor.count() == 1
    line = page.locator(f"#__span-0-{route.span.line}").inner_text()
    assert route.id in line
    page.screenshot(path=str(ARTIFACTS / "source-line.png"))
