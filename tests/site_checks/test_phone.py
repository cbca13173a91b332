"""The pages on a 390 px phone, in print and in the reader-facing chrome (headless Chromium)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import Built, html_pages, page_urls

pytestmark = pytest.mark.site

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
MIN_TEXT_PX = 10  # the smallest figure text, 7.5 pt (tests/test_figures.py), at the figure's own size


def test_overflow_check_sees_a_formula_that_is_too_wide(built: Built, browser: Any) -> None:
    """The formula check (the `on_phone` fixture) can fail: a formula made wider than the phone is reported."""
    sys.path.insert(0, str(SCRIPTS))
    from phone_checks import overflowing_formulas

    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    # The first formula, and one far down whose block the stylesheet lays out only when scrolled
    # near (content-visibility: auto; a check that reads its width unopened sees none: it missed one).
    for lazy in (False, True):
        page.goto(built.url + "optim/optimizers/")
        widened = page.evaluate("""(lazy) => {
            const blocks = [...document.querySelectorAll('.md-typeset section.dlh-q > div.arithmatex')];
            const el = lazy ? blocks.find(d => getComputedStyle(d).contentVisibility === 'auto'
                                           && d.getBoundingClientRect().top > 2000) : blocks[0];
            if (!el) return false;
            const k = el.querySelector('.katex-html');
            k.style.display = 'inline-block'; k.style.width = '900px';
            return true; }""", lazy)
        assert widened, "no lazily laid-out formula block on the page to widen"
        assert len(overflowing_formulas(page)) == 1, f"lazy={lazy}"
    ctx.close()


FIGURE_JS = r"""
() => [...document.querySelectorAll(".dlh-figure")].map(f => {
  const img = [...f.querySelectorAll("img")].find(i => i.getBoundingClientRect().width > 0);
  return {id: f.id, zoomable: f.classList.contains("dlh-figure--zoomable"),
          scale: img ? img.getBoundingClientRect().width / img.naturalWidth : null};
})
"""


def _figure_problems(page: Any, url: str) -> tuple[int, list[tuple[str, str, str]]]:
    """How many figures the open page has, and each one a phone reader could not read."""
    page.evaluate("""() => Promise.all([...document.images].map(img => { img.loading = "eager";
        return img.complete ? null : new Promise(r => { img.onload = img.onerror = r; }); }))""")
    page.wait_for_timeout(50)
    figures, problems = page.evaluate(FIGURE_JS), []
    for i, fig in enumerate(figures):
        if fig["scale"] is None:
            problems.append((url, fig["id"], "no visible image"))
            continue
        if fig["scale"] >= 0.99:
            continue  # shown at its own size: 7.5 pt is 10 px already
        if not fig["zoomable"]:
            problems.append((url, fig["id"], f"shown at {fig['scale']:.2f} and cannot be zoomed"))
            continue
        box = page.locator(".dlh-figure").nth(i).locator(":scope > p")
        box.scroll_into_view_if_needed()
        box.tap()
        scale = page.evaluate(FIGURE_JS)[i]["scale"]
        if scale * 7.5 * 96 / 72 < MIN_TEXT_PX - 0.01:
            problems.append((url, fig["id"], f"zoomed to {scale:.2f} only"))
        box.tap()
    return len(figures), problems


@pytest.fixture(scope="module")
def on_phone(built: Built, browser: Any) -> dict[str, Any]:
    """Every page opened once at 390 px: its figures checked (pages with figures), then its display
    formulas (the formula check lays out every lazily laid-out part, so it goes second)."""
    sys.path.insert(0, str(SCRIPTS))
    from phone_checks import overflowing_formulas

    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    seen: dict[str, Any] = {"figures": 0, "figure_problems": [], "formulas": 0, "overflowing": {}}
    for url, html in zip(page_urls(built), html_pages(built.site), strict=True):
        page.goto(url, wait_until="load")
        if 'class="dlh-figure"' in html.read_text(encoding="utf-8"):
            count, problems = _figure_problems(page, url)
            seen["figures"] += count
            seen["figure_problems"] += problems
        seen["formulas"] += page.evaluate("document.querySelectorAll('.md-content .katex-display').length")
        if over := overflowing_formulas(page):
            seen["overflowing"][url] = [(f["heading"], f["hidden_px"], f["text"]) for f in over]
    ctx.close()
    return seen


def test_no_display_formula_hides_part_of_itself_on_a_phone(on_phone: dict[str, Any]) -> None:
    assert on_phone["formulas"] > 60  # the check saw the formulas
    assert not on_phone["overflowing"], on_phone["overflowing"]


def test_every_figure_is_readable_on_a_phone_at_its_own_size_or_after_a_tap(on_phone: dict[str, Any]) -> None:
    checked, problems = on_phone["figures"], on_phone["figure_problems"]
    assert checked >= 25, checked
    assert not problems, problems


def test_speed_answer_is_set_in_body_type(built: Built, browser: Any) -> None:
    page = browser.new_page()
    page.goto(built.url + "losses/softmax/")
    sizes = page.evaluate("""() => {
        const box = document.querySelector('h3[id^="速答"] ~ .admonition p:not(.admonition-title)');
        const body = document.querySelector('.md-content article > p');
        return [parseFloat(getComputedStyle(box).fontSize), parseFloat(getComputedStyle(body).fontSize)]; }""")
    page.close()
    assert sizes[0] == pytest.approx(sizes[1]), sizes


def test_printing_in_dark_mode_prints_only_the_light_figures_in_dark_text(built: Built, browser: Any) -> None:
    ctx = browser.new_context(color_scheme="dark")
    page = ctx.new_page()
    page.goto(built.url + "losses/softmax/", wait_until="networkidle")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    page.emulate_media(media="print")
    shown = page.evaluate("""() => [...document.querySelectorAll('.dlh-figure img')]
        .filter(i => getComputedStyle(i).display !== 'none').map(i => i.getAttribute('src'))""")
    color = page.evaluate("getComputedStyle(document.querySelector('.md-content article p')).color")
    ctx.close()
    assert shown and all(s.endswith("#only-light") for s in shown), shown
    rgb = [int(c) for c in color[color.index("(") + 1:].split(",")[:3]]
    assert max(rgb) < 80, color  # dark text on paper


def test_ui_strings_are_chinese(built: Built) -> None:
    english = ["Permanent link", "Made with", "Copy to Clipboard", "Copied!", "404 - Not found", "Initializing search"]
    for path in [*html_pages(built.site), built.site / "404.html"]:
        text = path.read_text(encoding="utf-8")
        assert not [e for e in english if e in text], path
    page_404 = (built.site / "404.html").read_text(encoding="utf-8")
    assert "找不到这个页面" in page_404


def test_every_page_shows_its_date_and_an_errata_link(built: Built) -> None:
    for path in html_pages(built.site):
        text = path.read_text(encoding="utf-8")
        if path.parent.name == "questions":
            continue
        assert "最后更新：" in text, path
        assert "/issues/new?title=" in text and "发现错误" in text, path
    assert "api.github.com" not in (built.site / "index.html").read_text(encoding="utf-8")


def test_question_index_filter_narrows_the_list_as_the_reader_types(built: Built, browser: Any) -> None:
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    page.goto(built.url + "questions/", wait_until="networkidle")
    rows = ".dlh-qlist > ul > li, ul.dlh-qlist > li"
    total = page.locator(rows).count()
    page.locator(".dlh-qfilter input").fill("1x1")  # the page writes 1×1
    # what the filter reads: a question's title and first sentence (not the 速答 it unfolds)
    visible = page.evaluate(f"() => [...document.querySelectorAll('{rows}')].filter(li => !li.hidden)"
                            ".map(li => [...li.querySelectorAll(':scope > p > a, :scope > a, .dlh-qfirst')]"
                            ".map(e => e.textContent).join(' ') || li.textContent)")
    ctx.close()
    assert total > 50
    assert 0 < len(visible) < total and all("1×1" in v for v in visible), visible


def test_home_page_leads_with_the_chapters_and_every_question(built: Built) -> None:
    page = (built.site / "index.html").read_text(encoding="utf-8")
    html = page[page.index("<article"):]  # the page's text, not the table of contents beside it
    chapters = html.index('class="grid cards dlh-chapters"')
    assert chapters < html.index('id="一道题的答案长什么样"')
    questions = (built.site / "questions" / "index.html").read_text(encoding="utf-8")
    answered = questions.count('<span class="dlh-qfirst">')
    assert answered >= 35 and html[chapters:].count("<li>") >= answered
