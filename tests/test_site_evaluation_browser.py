"""The site's evaluation page built with `gridpolicy docs --evaluation`, in a real browser
(Debian's chromium driven by Playwright, as tests/test_site_browser.py does; never a downloaded
browser): the inline SVG charts render with their numbers beside the bars and points, a
hostile group label stays text, and nothing is fetched from outside the site."""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOSTILE = "<img src=x onerror=window.__xss=1>[点我](javascript:window.__xss=2)"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_evaluation_page_charts_render(tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium 未安装 — chromium is not installed; run scripts/install-browser.sh as root")
    sync = pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install -e '.[docs]'")
    pytest.importorskip("polars", reason="the evaluate extra is not installed")
    from test_docs_site import build_site

    visits = tmp_path / "visits.csv"
    text = (REPO / "examples" / "evaluate" / "visits.csv").read_text(encoding="utf-8-sig").splitlines()
    rows = [text[0], *(line.replace(",,", f",\"{HOSTILE}\",", 1) if i == 1 else line
                       for i, line in enumerate(text[1:], 1))]
    visits.write_text("\n".join(rows) + "\n", encoding="utf-8")
    site = build_site(tmp_path / "build", REPO / "rules", "--evaluation", f"visits={visits}",
                      "--evaluation", f"cases={REPO / 'examples' / 'evaluate' / 'cases.csv'}", "--by", "department")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            try:
                page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
                requests: list[str] = []
                errors: list[str] = []
                page.on("request", lambda r: requests.append(r.url))
                page.on("pageerror", lambda exc: errors.append(str(exc)))
                page.goto(f"{base}/rules/evaluation/")
                charts = page.locator("div.gp-chart > svg")
                assert charts.count() >= 3
                for i in range(charts.count()):
                    svg = charts.nth(i)
                    box = svg.bounding_box()
                    assert box is not None and box["width"] > 100 and box["height"] > 40, i
                    shapes = svg.locator("rect.bar, circle.point")
                    labels = svg.locator("text.value")
                    assert labels.count() == shapes.count(), i  # a number beside every bar and point
                    if shapes.count():
                        shape = shapes.first.bounding_box()
                        assert shape is not None and shape["width"] > 0 and shape["height"] > 0, i
                first = charts.first
                first.scroll_into_view_if_needed()
                assert "居民（企业）满意率" in first.locator("title").first.text_content()
                label_texts = first.locator("text").all_text_contents()
                assert any("<img src=x" in t and "javascript:" in t for t in label_texts)  # shown as text
                assert page.evaluate("window.__xss") is None
                assert page.locator("a[href^='javascript']").count() == 0
                assert page.locator("article img[src='x']").count() == 0
                # the ranked table beside the charts carries the same numbers
                table = page.locator("article table", has=page.locator("th", has_text="名次 Rank")).first
                values = [t.split()[0] for t in first.locator("text.value").all_text_contents()]
                cells = table.locator("tbody tr td:nth-child(3)").all_text_contents()
                assert cells[:len(values)] == values
                first.screenshot(path=str(tmp_path / "ranking.png"))
                assert all(u.startswith(base) or u.startswith("data:") for u in requests), \
                    [u for u in requests if not u.startswith(base)]
                assert not errors
                phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
                phone.goto(f"{base}/rules/evaluation/")
                assert phone.locator("div.gp-chart > svg").count() == charts.count()
                width = phone.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
                assert width <= 390  # wide charts scroll inside their box, the page does not
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
