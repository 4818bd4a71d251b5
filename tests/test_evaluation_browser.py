"""The evaluation report's pictures in a real browser (Debian's chromium driven by Playwright,
as tests/test_site_browser.py does): the ranked bars, the grade distribution and the monthly
trend render, each bar and point with its number beside it, offline (file:// only)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gridpolicy.cli import main

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_report_charts_render_with_their_numbers(tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium 未安装 — chromium is not installed; run scripts/install-browser.sh as root")
    sync = pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install -e '.[docs]'")
    report = tmp_path / "report"
    assert main(["evaluate", str(REPO / "rules"), "satisfaction", "--records",
                 str(REPO / "examples" / "evaluate" / "visits.csv"), "--by", "grid", "--report", str(report)]) == 0
    results = (report / "results.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    values = [line.split(",")[3] for line in results if line.split(",")[3]]
    with sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 900})
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            for name, shape, least in (("ranking.svg", "rect.bar", len(values)), ("grades.svg", "rect.bar", 1),
                                       ("trend.svg", "circle.point", 2)):
                page.goto((report / name).as_uri())
                shapes = page.locator(shape)
                assert shapes.count() >= least, name
                box = shapes.first.bounding_box()
                assert box is not None and box["width"] > 0 and box["height"] > 0, name
                labels = page.locator("text.value").all_text_contents()
                assert len(labels) == shapes.count(), name
                if name == "ranking.svg":
                    assert [t.split()[0] for t in labels] == values  # the numbers beside the bars, ranked
                page.screenshot(path=str(tmp_path / f"{name}.png"))
            page.goto((report / "index.html").as_uri())
            assert page.locator("img").count() == 3
            assert all(page.evaluate("[...document.images].map(i => i.naturalWidth > 0)"))
            assert all(u.startswith("file://") for u in requests)  # nothing fetched from a network
        finally:
            browser.close()
