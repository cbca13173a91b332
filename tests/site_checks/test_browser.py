"""Every page in headless Chromium: math renders, images load, nothing from other hosts, no errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .conftest import Built, html_pages

pytestmark = pytest.mark.site

CHROMIUM = "/usr/bin/chromium"
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

# Runs in the page: what a reader would notice is broken.
AUDIT_JS = r"""
async () => {
  const errors = [...document.querySelectorAll(".katex-error")].map(e => e.textContent.slice(0, 80));
  // KaTeX paints unknown macros red without the .katex-error class.
  const red = [...document.querySelectorAll(".katex [style*='color']")]
      .filter(e => /#cc0000|rgb\(204, ?0, ?0\)/i.test(e.getAttribute("style")))
      .map(e => e.textContent.slice(0, 80));
  // Math delimiters left in the prose, the navigation or the table of contents mean a formula was
  // not rendered.
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll("pre, code, .katex, script, style").forEach(e => e.remove());
  const text = clone.textContent;
  const raw = ["$", "\\(", "\\)", "\\[", "\\]"].filter(t => text.includes(t))
      .map(t => text.slice(Math.max(0, text.indexOf(t) - 30), text.indexOf(t) + 30));
  // Load every image, lazy ones included, then list those that failed.
  const images = [...document.images];
  images.forEach(img => { img.loading = "eager"; });
  await Promise.all(images.map(img => img.complete ? null :
      new Promise(resolve => { img.onload = img.onerror = resolve; })));
  const broken = images.filter(img => img.naturalWidth === 0).map(img => img.getAttribute("src"));
  return {math: document.querySelectorAll(".katex").length, images: images.length, errors, red, raw, broken};
}
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def page_urls(built: Built) -> list[str]:
    urls = []
    for p in html_pages(built.site):
        rel = p.parent.relative_to(built.site).as_posix()
        urls.append(built.url if rel == "." else f"{built.url}{rel}/")
    return urls


def audit(context: Any, url: str) -> tuple[dict[str, Any], list[str]]:
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    page.goto(url, wait_until="networkidle")
    result = page.evaluate(AUDIT_JS)
    page.close()
    return result, console


def test_every_page_renders_cleanly_offline(built: Built, browser: Any) -> None:
    host = urlsplit(built.url).netloc
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    foreign: list[str] = []
    failed: list[str] = []

    def on_request(request: Any) -> None:
        if urlsplit(request.url).scheme in ("http", "https") and urlsplit(request.url).netloc != host:
            foreign.append(request.url)

    context.on("request", on_request)
    context.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    problems: dict[str, Any] = {}
    math = images = 0
    for url in page_urls(built):
        result, console = audit(context, url)
        math += result["math"]
        images += result["images"]
        bad = {k: result[k] for k in ("errors", "red", "raw", "broken") if result[k]}
        if console:
            bad["console"] = console
        if bad:
            problems[url] = bad
    context.close()
    assert not foreign, f"requests to other hosts: {foreign[:5]}"
    assert not failed, f"failed requests: {failed[:5]}"
    assert not problems, problems
    assert math > 200 and images >= 12, (math, images)


def test_chinese_search_finds_the_cross_entropy_pages(built: Built, browser: Any) -> None:
    page = browser.new_page()
    page.goto(built.url, wait_until="networkidle")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("交叉熵")
    box.press("End")  # fill() alone does not start a search
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=10_000)
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    page.close()
    assert any("mle_cross_entropy" in h for h in hrefs), hrefs
    assert any("ce_vs_mse" in h for h in hrefs), hrefs


def test_instant_navigation_shows_math_on_the_next_page(built: Built, browser: Any) -> None:
    page = browser.new_page()
    page.goto(built.url + "losses/", wait_until="networkidle")
    page.locator("article a[href$='softmax/']").first.click()
    page.wait_for_url("**/losses/softmax/")
    page.wait_for_function("document.querySelectorAll('article .katex').length > 20", timeout=10_000)
    errors = page.locator(".katex-error").count()
    page.close()
    assert errors == 0


def test_pages_ship_rendered_math_and_no_math_script(built: Built) -> None:
    """KaTeX runs at build time (hooks/katex_prerender.py): no page loads a math script or keeps TeX."""
    for path in html_pages(built.site):
        text = path.read_text(encoding="utf-8")
        assert "katex.min.js" not in text and "auto-render" not in text, path
        assert '<span class="arithmatex">\\(' not in text and '<div class="arithmatex">\\[' not in text, path
    assert not (built.site / "assets" / "katex" / "katex.min.js").exists()


def test_math_pages_do_not_shift_while_loading(built: Built, browser: Any) -> None:
    """Cumulative layout shift is 0 on the pages with the most formulas (scripts/phone_metrics.py)."""
    import sys

    sys.path.insert(0, str(SCRIPTS))
    from phone_metrics import measure

    for rel in ("optim/optimizers/", "losses/softmax/", "notebooks/optim/"):
        m = measure(browser, built.url + rel, phone=False)
        assert m["formulas"] > 10, (rel, m)
        assert m["cls"] < 0.001, (rel, m)
