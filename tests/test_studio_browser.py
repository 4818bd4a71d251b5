"""The studio in a real browser (Debian's chromium driven by Playwright, as tests/test_site_browser.py):
type an error and see it on its line; fix it and it clears; try an item and see its tier;
saving is refused while an error exists, and works once it is fixed."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WAIT = 90_000  # ms: a check of the whole rule set takes seconds on a loaded machine


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("studio") / "rules"
    shutil.copytree(REPO / "rules", folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


@pytest.fixture(scope="module")
def url(rules: Path) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium 未安装（scripts/install-browser.sh）— chromium is not installed")
    pytest.importorskip("playwright.sync_api")
    uvicorn = pytest.importorskip("uvicorn")
    from gridpolicy.studio.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(rules), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def page(url: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        pg = browser.new_page(viewport={"width": 1440, "height": 1000})
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.on("request", lambda r: errors.append(f"outside request {r.url}") if not r.url.startswith(url) else None)
        pg.goto(url)
        pg.wait_for_selector("body[data-ready='1']", timeout=WAIT)
        pg.wait_for_selector("#status.good", timeout=WAIT)
        pg.errors = errors
        yield pg
        browser.close()


def _end_of(page: Any, file: str) -> None:
    page.click(f"#files button[data-file='{file}']")
    page.click(".cm-content")
    page.keyboard.press("Control+End")


def test_error_shows_on_its_line_then_clears(page: Any, rules: Path) -> None:
    _end_of(page, "00_policy.gp")
    lines = (rules / "00_policy.gp").read_text(encoding="utf-8").count("\n")
    page.keyboard.type("\nmater G99 {}")
    wrong = page.locator(f"#diagnostics li.error[data-file='00_policy.gp'][data-line='{lines + 2}']")
    wrong.wait_for(timeout=WAIT)
    assert page.locator("#status").get_attribute("data-errors") != "0"
    assert page.locator(".cm-lint-marker-error").count() >= 1  # the gutter marks the line
    assert "mater" in page.locator(".cm-line").nth(lines + 1).inner_text()
    for _ in range(len("\nmater G99 {}")):
        page.keyboard.press("Backspace")
    page.wait_for_selector("#status.good", timeout=WAIT)
    assert page.locator("#diagnostics li.error").count() == 0
    assert page.errors == []


def test_try_an_item_shows_its_tier_and_why_not(page: Any) -> None:
    page.click("[data-tab='try']")
    page.fill("#f-matter", "暴露垃圾")
    page.select_option("#f-kind", "issue")
    page.click("#try-button")
    tier = page.locator("#decision [data-field='tier']")
    tier.wait_for(timeout=WAIT)
    assert "网格" in tier.inner_text() and "grid" in tier.inner_text()
    assert page.locator("#reasons li").count() >= 1
    why = page.locator("#why-not li")
    assert why.count() >= 1 and "不成立" in why.first.inner_text()


def test_save_refused_while_an_error_exists(page: Any, rules: Path) -> None:
    before = (rules / "40_routing.gp").read_text(encoding="utf-8")
    _end_of(page, "40_routing.gp")
    page.keyboard.type("\nroute broken { limit 5 weeks }")
    page.wait_for_selector("#status.bad", timeout=WAIT)
    page.click("[data-tab='save']")
    page.click("#save-button")
    page.wait_for_selector("#save-result.bad", timeout=WAIT)
    assert "未保存" in page.locator("#save-result").inner_text()
    assert (rules / "40_routing.gp").read_text(encoding="utf-8") == before
    _end_of(page, "40_routing.gp")
    for _ in range(len("\nroute broken { limit 5 weeks }")):
        page.keyboard.press("Backspace")
    page.keyboard.type("\n# 工作室保存测试 saved from the studio")
    page.wait_for_selector("#status.good", timeout=WAIT)
    page.click("[data-tab='save']")
    page.click("#save-button")
    page.wait_for_selector("#save-result.good", timeout=WAIT)
    assert (rules / "40_routing.gp").read_text(encoding="utf-8") == before + "\n# 工作室保存测试 saved from the studio"
    assert page.errors == []
