"""The built rule site in a real browser: Debian's chromium, headless, driven by Playwright.

scripts/install-browser.sh (run by `make test`) installs chromium; Playwright never downloads a
browser here, it drives /usr/bin/chromium through `executable_path`. The site is built from a
copy of the shipped rules with two edits made here — rule texts that try to inject HTML, and a
renamed matter — and compared with the shipped rules for the change log. Screenshots of each
page kind go to tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import gridpolicy
from gridpolicy.registry import load_registry

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}

# Rule texts that would run script or open a javascript: link if the pages did not escape them.
HOSTILE = ("<script>window.__xss='script'</script><img src=x onerror=window.__xss='img'> "
           "[点我](javascript:window.__xss='link') <b>粗体</b>")
RENAMED = ("基层党建", "基层党建工作")


def _edit_rules(dest: Path) -> Path:
    rules = dest / "rules"
    shutil.copytree(REPO / "rules", rules, ignore=shutil.ignore_patterns("tests", "__pycache__"))
    admission = rules / "30_admission.gp"
    text = admission.read_text(encoding="utf-8")
    g02 = text.index('matter G02 "户籍人口信息收集"')
    source = text.index('source "', g02)
    end = text.index('"\n', source + len('source "'))
    text = text[:source] + f'source "{HOSTILE}' + text[end:]
    text = text.replace(f'matter G01 "{RENAMED[0]}"', f'matter G01 "{RENAMED[1]}"', 1)
    admission.write_text(text, encoding="utf-8")
    return rules


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _edit_rules(tmp_path_factory.mktemp("browser-rules"))


@pytest.fixture(scope="module")
def base_url(rules: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium 未安装，跳过浏览器测试（以 root 运行 scripts/install-browser.sh 安装）— "
                    "chromium is not installed; run scripts/install-browser.sh as root")
    pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install -e '.[docs]'")
    from test_docs_site import build_site

    site = build_site(tmp_path_factory.mktemp("browser-site"), rules, "--registry", str(REPO / "rules" / "registry"),
                      "--changes-from", str(REPO / "rules"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(base_url: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield b
        finally:
            b.close()


def _page(browser: Any, viewport: dict[str, int], init: str = "") -> Any:
    context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=viewport is PHONE,
                                  has_touch=viewport is PHONE)
    if init:
        context.add_init_script(init)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.errors = errors
    return pg


@pytest.fixture(scope="module")
def page(browser: Any) -> Iterator[Any]:
    pg = _page(browser, {"width": 1440, "height": 1000})
    yield pg
    pg.context.close()


@pytest.fixture(scope="module")
def phone(browser: Any) -> Iterator[Any]:
    pg = _page(browser, PHONE)
    yield pg
    pg.context.close()


@pytest.fixture(scope="module")
def policy(rules: Path) -> gridpolicy.Policy:
    return gridpolicy.load(rules)


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
    assert not page.errors


def test_routing_page_and_flow_chart(page: Any, base_url: str, policy: gridpolicy.Policy) -> None:
    page.goto(f"{base_url}/rules/routing/")
    chart = page.locator("ol.gp-flow").first
    labels = chart.inner_text()
    for t in policy.tiers:
        assert t.name in labels, t.id
    cards = page.locator("div.gp-route").all_inner_texts()
    for r in policy.routes:
        assert any(r.name in c for c in cards), r.id
    size = chart.evaluate("e => parseFloat(getComputedStyle(e.querySelector('a')).fontSize)")
    assert size >= 12, f"chart text is {size}px"
    chart.screenshot(path=str(ARTIFACTS / "routing-flow.png"))
    assert not page.errors


def _search(pg: Any, query: str, typed: bool) -> list[str]:
    """Run one query in the open search box; return the result titles (waits for the worker)."""
    box = pg.locator("input.md-search__input")
    box.fill("")
    if typed:
        box.press_sequentially(query, delay=30)
    else:
        box.fill(query)  # pasted / chosen from an input method: an `input` event without a keyup
    meta = pg.locator(".md-search-result__meta")
    pg.wait_for_function(
        "q => { const m = document.querySelector('.md-search-result__meta');"
        " return document.querySelector('input.md-search__input').value === q && m &&"
        " !/键入以开始搜索|Type to start searching|正在初始化|Initializing/.test(m.textContent); }",
        arg=query, timeout=20_000)
    assert "没有找到" not in meta.inner_text(), f"search for {query!r} found nothing"
    return [re.sub(r"\?h=[^#]*", "", a.get_attribute("href") or "") for a in pg.locator(".md-search-result a").all()]


def test_searches_in_chinese_and_english(page: Any, base_url: str, policy: gridpolicy.Policy) -> None:
    entry = next(iter(load_registry(REPO / "rules" / "registry" / "grids.yaml").registry.grids()))
    department = next(d.name for d in policy.departments if d.id == "minzheng")
    g06 = next(m for m in policy.matters if m.code == "G06")
    # (query, a result link must contain this, typed key by key or entered at once)
    queries = [("调解", "rules/matters/#matter-g06", True), (g06.name, "rules/matters/#matter-g06", False),
               ("户籍人口信息收集", "rules/matters/#matter-g02", False), (department, "rules/matters/#matter-g04", True),
               (entry.grid.name, f"rules/grids/{entry.grid.code.lower()}/", False),
               ("综治网格员", "rules/grids/", True), ("routing", "rules/routing/", True),
               ("department", "rules/organisation/", False), ("admission", "rules/matters/", True),
               ("Exit", "rules/exits/", True), ("12345", "rules/", True)]
    page.goto(f"{base_url}/")
    page.locator("label.md-search__icon, input.md-search__input").first.click()
    for query, expected, typed in queries:
        links = _search(page, query, typed)
        assert any(expected in href for href in links), (query, links[:5])
        if query == department:
            page.screenshot(path=str(ARTIFACTS / "search.png"))
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state()
    assert not page.errors


def test_hostile_rule_text_is_shown_as_text(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/rules/matters/")
    card = page.locator("div.gp-matter", has=page.locator("#matter-g02")).first
    shown = card.inner_text()
    assert "<script>window.__xss='script'</script>" in shown and "<b>粗体</b>" in shown
    assert "[点我](javascript:window.__xss='link')" in shown
    assert page.evaluate("window.__xss") is None
    assert page.locator("a[href^='javascript' i]").count() == 0
    assert card.locator("script, img, b").count() == 0
    card.screenshot(path=str(ARTIFACTS / "escaped-rule-text.png"))
    assert not page.errors


def test_every_status_shows_its_dates_and_today(browser: Any, base_url: str, policy: gridpolicy.Policy) -> None:
    pg = _page(browser, PHONE, "window.gpToday = () => '2025-09-01';")
    try:
        pg.goto(f"{base_url}/rules/matters/")
        cards = pg.locator("div.gp-matter")
        assert cards.count() == len(policy.matters)
        for k in range(cards.count()):
            text = cards.nth(k).inner_text()
            assert re.search(r"生效 Effective (\d{4}-\d\d-\d\d|—)", text), text[:80]
            assert "as of 2025-09-01" in text, text[:80]
        by_code = {m.code: m for m in policy.matters}
        temporary = next(m for m in policy.matters if m.expires)
        badge = pg.locator("div.gp-matter", has=pg.locator(f"#matter-{temporary.code.lower()}")).locator(
            ".gp-status").first
        # Built for 2026-03-02 (expired then); the reader's day is 2025-09-01, before it expires.
        assert policy.matter_status(by_code[temporary.code], dt.date(2026, 3, 2)) == "expired"
        assert badge.get_attribute("data-status") == "in_force"
        assert (f"有效期至 Valid through {temporary.expires.isoformat()}（含当日 inclusive"
                in badge.locator("xpath=..").inner_text())
        pg.screenshot(path=str(ARTIFACTS / "phone-statuses.png"), full_page=False)
        assert not pg.errors
    finally:
        pg.context.close()


@pytest.mark.parametrize(("after", "status", "label"), [
    (0, "in_force", "✅ 有效 in force"),  # 截止日期当天仍有效 the expiry day is in force
    (1, "expired", "⌛ 临时准入已到期 temporary admission expired"),
])
def test_the_page_reads_expires_as_valid_through_that_day(browser: Any, base_url: str, policy: gridpolicy.Policy,
                                                          after: int, status: str, label: str) -> None:
    temporary = next(m for m in policy.matters if m.expires)
    assert temporary.expires is not None
    day = temporary.expires + dt.timedelta(days=after)
    assert policy.matter_status(temporary, day) == status  # the browser agrees with the runtime
    pg = _page(browser, PHONE, f"window.gpToday = () => '{day.isoformat()}';")
    try:
        pg.goto(f"{base_url}/rules/matters/")
        badge = pg.locator("div.gp-matter", has=pg.locator(f"#matter-{temporary.code.lower()}")).locator(
            ".gp-status").first
        assert badge.get_attribute("data-status") == status
        assert badge.locator(".gp-status__label").inner_text() == label
        assert not pg.errors
    finally:
        pg.context.close()


def test_change_log_lists_the_change_made_here(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/rules/changes/")
    text = page.locator("article").inner_text()
    assert RENAMED[0] in text and RENAMED[1] in text and "G01" in text
    page.screenshot(path=str(ARTIFACTS / "changes.png"))


def test_a_citation_opens_its_source(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/rules/assumptions/")
    cite = page.locator("article a[href*='sources/#cite-practice-']").first
    target = (cite.get_attribute("href") or "").split("#", 1)[1]
    label = cite.inner_text()
    cite.click()
    page.wait_for_url(f"**/rules/sources/#{target}")
    heading = page.locator(f"[id='{target}']")
    assert heading.count() == 1 and label.split("§", 1)[1] in heading.inner_text()
    links = page.locator("article a[href^='http']")
    assert links.count() > 30
    assert all((h or "").startswith(("http://", "https://")) for h in links.evaluate_all("es => es.map(e => e.href)"))
    page.screenshot(path=str(ARTIFACTS / "sources.png"))


def test_how_is_my_issue_handled(browser: Any, base_url: str, policy: gridpolicy.Policy) -> None:
    entry = list(load_registry(REPO / "rules" / "registry" / "grids.yaml").registry.grids())[1]
    pg = _page(browser, PHONE)
    try:
        pg.goto(f"{base_url}/rules/handling/?category=G06&grid={entry.grid.code}")
        for urgency in ("normal", "emergency"):
            pg.select_option("#gp-ask-urgency", urgency)
            shown = pg.locator("#gp-answer").inner_text()
            d = policy.route({"id": "t", "kind": "issue", "matter": "矛盾纠纷调解", "grid": entry.grid.code,
                              "urgency": urgency, "reported_at": "2026-03-02T09:00:00+08:00"})
            assert d.tier is not None and d.tier.name in shown and d.time_limit is not None
            assert d.time_limit.text_zh in shown
            for step in d.escalation:
                assert f"逾期 {step.after.text_zh} → " in shown
            for role in d.handlers.roles:
                assert role.name in shown
            if d.tier.code == "grid":
                assert entry.grid.name in shown and "电话 " in shown
            if urgency == "normal":
                pg.screenshot(path=str(ARTIFACTS / "phone-handling.png"), full_page=True)
        assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert not pg.errors
    finally:
        pg.context.close()


PAGE_KINDS = {"home": "/", "rules": "/rules/", "matters": "/rules/matters/", "exits": "/rules/exits/",
              "criteria": "/rules/criteria/", "routing": "/rules/routing/", "evaluation": "/rules/evaluation/",
              "organisation": "/rules/organisation/", "assumptions": "/rules/assumptions/",
              "grids": "/rules/grids/", "grid": "/rules/grids/341002001001001/", "changes": "/rules/changes/", "sources": "/rules/sources/", "handling": "/rules/handling/",
              "lifecycle": "/rules/lifecycle-grid_cases/", "catalogue": "/rules/catalogue/",
              "contracts": "/rules/contracts/", "source": "",
              "language": "/reference/language/", "committee": "/guide/committee/"}


@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_no_page_is_wider_than_a_phone(phone: Any, base_url: str, kind: str) -> None:
    path = PAGE_KINDS[kind]
    if kind == "source":  # the rule files' pages are named after the (temporary) rules folder
        phone.goto(f"{base_url}/rules/")
        path = phone.locator("article a[href*='source/']").first.get_attribute("href") or ""
        assert path, "no link to a rule file on the rules page"
        phone.goto(f"{base_url}/rules/{path}")
    else:
        phone.goto(f"{base_url}{path}")
    assert phone.locator("article h1").count() == 1, f"{kind}: no page at {path}"
    width = phone.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    wide = phone.evaluate("""() => [...document.querySelectorAll('article *')]
        .filter(e => e.getBoundingClientRect().right > 391 && !e.closest('pre, .md-typeset__scrollwrap, .highlight'))
        .slice(0, 3).map(e => e.tagName + ' ' + e.textContent.slice(0, 40))""")
    assert width <= PHONE["width"], f"{kind} is {width}px wide: {wide}"
    phone.screenshot(path=str(ARTIFACTS / f"phone-{kind}.png"))
    assert not phone.errors


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
