"""Every page in headless Chromium: math renders, images load, nothing from other hosts, no errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .conftest import Built, html_pages, page_urls

pytestmark = pytest.mark.site

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"

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
  await document.fonts.ready;   // every web font the page asked for has loaded or failed
  const broken = images.filter(img => img.naturalWidth === 0).map(img => img.getAttribute("src"));
  return {math: document.querySelectorAll(".katex").length, images: images.length, errors, red, raw, broken};
}
"""


def audit(page: Any, url: str, console: list[str]) -> tuple[dict[str, Any], list[str]]:
    """Open `url` in `page` and run AUDIT_JS; the console errors it logged on the way."""
    console.clear()
    # "load", then AUDIT_JS waits for every image and font: what a page asks for is requested by
    # then (waiting for the network to be idle added half a second per page, a minute per pass).
    page.goto(url, wait_until="load")
    return page.evaluate(AUDIT_JS), list(console)


def test_every_page_renders_cleanly_offline(built: Built, browser: Any) -> None:
    host = urlsplit(built.url).netloc
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    foreign: list[str] = []
    failed: list[str] = []

    def on_request(request: Any) -> None:
        if urlsplit(request.url).scheme in ("http", "https") and urlsplit(request.url).netloc != host:
            foreign.append(request.url)

    context.on("request", on_request)
    # The favicon, fetched after `load`, and the sitemap, which the theme's instant navigation fetches
    # as it starts (to tell the site's own links), are cancelled when the next page's navigation comes
    # first: not a failure. (A missing file is a 404 response, not a failed request, and shows as a
    # broken image.)
    context.on("requestfailed", lambda r: None if r.failure == "net::ERR_ABORTED" and r.url.endswith(
        ("/assets/images/favicon.png", "/sitemap.xml")) else failed.append(f"{r.url} ({r.failure})"))
    # One tab visits every page, as a reader clicking through would: a new tab per page cost a new
    # renderer process each time (69 s against 29 s for the pass on an idle machine).
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    problems: dict[str, Any] = {}
    math = images = 0
    for url in page_urls(built):
        result, errors = audit(page, url, console)
        math += result["math"]
        images += result["images"]
        bad = {k: result[k] for k in ("errors", "red", "raw", "broken") if result[k]}
        if errors:
            bad["console"] = errors
        if bad:
            problems[url] = bad
    context.close()
    assert not foreign, f"requests to other hosts: {foreign[:5]}"
    assert not failed, f"failed requests: {failed[:5]}"
    assert not problems, problems
    assert math > 200 and images >= 12, (math, images)


def test_search_query_set_finds_the_expected_page_in_the_top_three(built: Built, browser: Any) -> None:
    """search/queries.yml, typed as readers type on a Chinese IME: at least 95 % in the top three."""
    sys.path.insert(0, str(SCRIPTS))
    from search_eval import run_queries

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    results = run_queries(page, built.url, "pagefind")
    page.close()
    misses = [(r["q"], r["expect"], r["top3"]) for r in results if not r["ok"]]
    assert len(results) >= 40
    assert len(misses) <= 0.05 * len(results), misses


def test_search_loads_nothing_until_the_reader_searches(built: Built, browser: Any) -> None:
    page = browser.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(urlsplit(r.url).path))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(built.url + "optim/optimizers/", wait_until="networkidle")
    assert not [u for u in fetched if "/pagefind/" in u or u.endswith("/search/data.json")], fetched
    page.keyboard.press("/")
    try:
        page.locator("dialog.dlh-search input").fill("动量")
    except Exception as e:  # once, under load, the dialog did not open: say what the page was doing
        state = page.wait_for_function(
            "() => [document.readyState, document.activeElement?.tagName, typeof window.dlhSearch,"
            " document.querySelector('dialog.dlh-search')?.open ?? 'no dialog']", timeout=5_000).json_value()
        raise AssertionError(f"'/' opened no search dialog; readyState, focus, dlhSearch, dialog open: {state}; "
                             f"errors: {errors}") from e
    page.locator("dialog.dlh-search .dlh-search__results a").first.wait_for(timeout=15_000)
    page.close()
    assert any("/pagefind/" in u for u in fetched) and any(u.endswith("/search/data.json") for u in fetched)


def test_search_previews_show_text_and_name_their_question(built: Built, browser: Any) -> None:
    page = browser.new_page()
    page.goto(built.url, wait_until="networkidle")
    page.evaluate("q => window.dlhSearch.open(q)", "梯度消失")
    subs = page.locator("dialog.dlh-search .dlh-search__sub")
    subs.first.wait_for(timeout=15_000)
    labels = subs.all_text_contents()
    text = page.locator("dialog.dlh-search .dlh-search__results").inner_text()
    page.close()
    for tex in ("\\(", "\\[", "\\begin", "\\frac", "¶"):
        assert tex not in text, (tex, text[:300])
    # a section result (速答, 详解, ...) carries the question it belongs to
    parts = {"速答", "详解", "图", "代码", "验证", "追问", "常见误区", "参考"}
    sections = [x for x in labels if x.split(" · ")[-1] in parts]
    assert sections and all(" · " in x and len(x.split(" · ")[0]) > 4 for x in sections), labels


def test_unanswered_question_shows_as_not_yet_written(built: Built, browser: Any) -> None:
    """Every seed question has an answer today; one added to docs/questions.yml without an answer
    must still show in search as 「尚未收录」 and link to its row. The site's search data is served
    here with one such row added, in the form hooks/search.py writes."""
    data = json.loads((built.site / "search" / "data.json").read_text(encoding="utf-8"))
    assert data["unanswered"] == []  # tests/site_checks/test_build.py checks this list against the data file
    data["unanswered"] = [{"q": "胶囊网络的动态路由怎么做", "url": "questions/#q-999-capsule"}]
    page = browser.new_page()
    page.route("**/search/data.json", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(data, ensure_ascii=False)))
    page.goto(built.url, wait_until="networkidle")
    page.evaluate("q => window.dlhSearch.open(q)", "胶囊网络")
    first = page.locator("dialog.dlh-search .dlh-search__results > li").first
    first.wait_for(timeout=15_000)
    assert "尚未收录" in first.inner_text() and "胶囊网络" in first.inner_text()
    assert first.locator("a").get_attribute("href").endswith("questions/#q-999-capsule")
    page.close()


def test_search_result_on_a_phone_scrolls_to_its_section(built: Built, browser: Any) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                              device_scale_factor=2)
    page = ctx.new_page()
    page.goto(built.url, wait_until="networkidle")
    page.locator(".dlh-search-button").click()
    page.locator("dialog.dlh-search input").fill("最大池化反向传播")
    link = page.locator("dialog.dlh-search .dlh-search__results ol a").first
    link.wait_for(timeout=15_000)
    href = link.get_attribute("href") or ""
    assert "#" in href, href
    link.click()
    page.wait_for_url("**" + href.split("#")[0] + "#*")
    anchor = urlsplit(page.url).fragment
    page.wait_for_function("id => { const e = document.getElementById(decodeURIComponent(id));"
                           " const r = e && e.getBoundingClientRect(); return r && r.top >= 0 && r.top < 300; }",
                           arg=anchor, timeout=10_000)
    ctx.close()


def test_search_query_preparation_on_hand_cases(built: Built, browser: Any) -> None:
    """What docs/javascripts/search.js makes of typical queries, checked by hand."""
    page = browser.new_page()
    page.goto(built.url, wait_until="networkidle")
    prep = page.evaluate("""async qs => { const d = await window.dlhSearch.loadData();
        return qs.map(q => window.dlhSearch.prepare(q, d)); }""",
                         ["adam和sgd的区别", "1*1卷积", "ＮＭＳ怎么实现", "饱和区", "BN", "   "])
    page.close()
    assert prep[0][0] == "adam sgd" and "adam 随机梯度下降" in prep[0]
    assert prep[1] == ["1x1 卷积"]
    assert prep[2][0] == "nms 实现" and "非极大值抑制 实现" in prep[2]
    assert prep[3] == ["饱和区"]  # 和 is a filler word, but not inside 饱和
    assert set(prep[4]) >= {"bn", "batchnorm", "批归一化"} or set(prep[4]) >= {"bn", "batchnorm"}
    assert prep[5] == []


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
        assert m["cls"] < 0.001, (rel, m)  # m["moved"]: what shifted, when, from where to where


# What a reader of the palette switch sees (hooks/theme_start.py, hooks/palette.js).
PALETTE_STATE_JS = r"""() => ({
  scheme: document.body.getAttribute("data-md-color-scheme"),
  atContent: window.__schemeAtContent,
  icons: [...document.querySelectorAll(".md-header__option label")]
      .filter(l => getComputedStyle(l).display !== "none").map(l => l.getAttribute("data-dlh-scheme")),
  metas: Object.fromEntries([...document.querySelectorAll("meta[name=theme-color], meta[name=color-scheme]")]
      .map(m => [m.name, m.content])),
  header: getComputedStyle(document.querySelector(".md-header")).backgroundColor,
  stored: Object.keys(localStorage).filter(k => k.endsWith("__palette")).length,
})"""
# Counts the times <body> is marked as switching (the theme's CSS: no colour transitions meanwhile).
SWITCHING_JS = r"""() => { window.__switching = 0;
  new MutationObserver(() => { if (document.body.hasAttribute("data-md-color-switching")) window.__switching++; })
      .observe(document.body, {attributes: true, attributeFilter: ["data-md-color-switching"]}); }"""
# Before any page script: the palette <body> holds when the page's content starts to be parsed.
SCHEME_AT_CONTENT_JS = r"""
new MutationObserver((_, observer) => {
  if (document.querySelector(".md-content")) {
    window.__schemeAtContent = document.body.getAttribute("data-md-color-scheme");
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


@pytest.mark.parametrize("system", ["light", "dark"])
def test_palette_switch_follows_the_system_from_the_first_paint_and_keeps_the_readers_choice(
        built: Built, browser: Any, system: str) -> None:
    first, other = ("default", "slate") if system == "light" else ("slate", "default")
    context = browser.new_context(color_scheme=system)
    context.add_init_script(SCHEME_AT_CONTENT_JS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(built.url + "losses/softmax/", wait_until="load")
    start = page.evaluate(PALETTE_STATE_JS)
    page.evaluate(SWITCHING_JS)
    page.locator(".md-header__option label:visible").click()
    chosen = page.evaluate(PALETTE_STATE_JS)
    marked_on_tap = page.evaluate("window.__switching")
    page.reload(wait_until="load")
    reloaded = page.evaluate(PALETTE_STATE_JS)
    opposite = "dark" if system == "light" else "light"

    def system_is(scheme: str) -> None:  # media query listeners run as the next frames are drawn
        page.emulate_media(color_scheme=scheme)
        page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r))))")

    system_is(opposite)  # a stored choice wins over the system (the first flip asks for it anyway;
    system_is(system)     # the flip back must not take the page with it)
    flipped = page.evaluate(PALETTE_STATE_JS)
    page.focus("input[name=__palette]")
    page.keyboard.press("Enter")  # the theme's rule: Enter moves to the next palette
    entered = page.evaluate(PALETTE_STATE_JS)
    page.evaluate("localStorage.clear()")  # no choice stored: the page follows the system
    page.evaluate(SWITCHING_JS)
    system_is(opposite)
    followed = page.evaluate(PALETTE_STATE_JS)
    marked_on_follow = page.evaluate("[window.__switching, document.body.hasAttribute('data-md-color-switching')]")
    context.close()
    indigo = "rgb(64, 81, 181)"  # Material's indigo header, #4051b5
    dark = {"default": "light", "slate": "dark"}
    assert (start["scheme"], start["atContent"], start["icons"], start["stored"]) == (first, first, [first], 0), start
    assert start["metas"] == {"theme-color": "#4051b5", "color-scheme": dark[first]} and start["header"] == indigo
    assert (chosen["scheme"], chosen["icons"], chosen["stored"]) == (other, [other], 1), chosen
    assert chosen["metas"]["color-scheme"] == dark[other] and chosen["header"] == indigo
    assert (reloaded["scheme"], reloaded["atContent"], reloaded["icons"]) == (other, other, [other]), reloaded
    assert flipped["scheme"] == other, flipped
    assert (entered["scheme"], entered["icons"]) == (first, [first]), entered
    follows = (followed["scheme"], followed["icons"], followed["metas"]["color-scheme"])
    assert follows == (other, [other], dark[other]), followed
    assert marked_on_tap == 1 and marked_on_follow == [1, False], (marked_on_tap, marked_on_follow)
    assert not errors, errors


@pytest.mark.parametrize("page_cache", [False, True])
def test_palette_chosen_on_the_next_page_holds_after_going_back(built: Built, browser: Any,
                                                                page_cache: bool) -> None:
    """Back to a page whose radio buttons the browser could restore (Playwright's Chromium keeps no
    back/forward cache) or that it keeps whole in its back/forward cache (as Chrome does)."""
    from .conftest import CHROMIUM, CHROMIUM_ARGS

    def visit(b: Any) -> list[Any]:
        context = b.new_context(color_scheme="light")
        page = context.new_page()
        state = """() => [document.body.getAttribute("data-md-color-scheme"),
            [...document.querySelectorAll("input[name=__palette]")].map(i => i.checked), window.__kept || false]"""
        page.goto(built.url + "losses/softmax/", wait_until="load")
        page.evaluate("window.__kept = true")  # survives only in the back/forward cache
        page.locator(".md-header__option label:visible").click()  # dark on the first page
        page.goto(built.url + "losses/", wait_until="load")
        page.locator(".md-header__option label:visible").click()  # light again on the second
        page.go_back(wait_until="commit")
        page.wait_for_function("document.readyState === 'complete'")
        page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        back = page.evaluate(state)
        page.locator(".md-header__option label:visible").click()  # and the switch still switches
        tapped = page.evaluate(state)
        context.close()
        return [back, tapped]

    if page_cache:
        b = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
                                        ignore_default_args=["--disable-back-forward-cache"])
        back, tapped = visit(b)
        b.close()
    else:
        back, tapped = visit(browser)
    assert back == ["default", [True, False], page_cache], back
    assert tapped[:2] == ["slate", [False, True]], tapped


def test_every_code_block_gets_its_copy_button_once_it_is_scrolled_into_view(built: Built, browser: Any) -> None:
    # `content.lazy`: Material sets a block up when it comes into view, not all of them at load.
    # (Blocks in a closed <details> or a tab not chosen are set up when shown: not counted here.)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(built.url + "optim/optimizers/", wait_until="load")
    counts = page.evaluate("""async () => {
      const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
      const has = code => !!code.parentElement.querySelector("button.md-code__button[data-md-type=copy]");
      const blocks = [...document.querySelectorAll("pre > code")].filter(c => c.checkVisibility());
      const atLoad = blocks.filter(has).length;
      for (const code of blocks) {
        code.scrollIntoView({block: "center"});
        for (let i = 0; i < 20 && !has(code); i++) await frame();
      }
      return [blocks.length, atLoad, blocks.filter(has).length];
    }""")
    page.close()
    blocks, at_load, buttons = counts
    assert blocks > 10 and at_load < blocks and buttons == blocks, counts


def test_no_page_hands_the_palette_switch_to_materials_bundle(built: Built) -> None:
    """hooks/theme_start.py on every page, the 404 page included."""
    for path in [*html_pages(built.site), built.site / "404.html"]:
        text = path.read_text(encoding="utf-8")
        assert 'data-md-component="palette"' not in text, path
        assert text.count("var palettes = ") == 1 and text.count('data-dlh-scheme="') == 2, path
        assert text.count('classList.replace("no-js","js")') == 1, path
