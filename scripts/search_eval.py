"""Run the fixed query set (search/queries.yml) through a built site's search box in Chromium.

`run_queries(page, base, engine)` types each query into the search box the way a reader does and
reads the first three results: for Pagefind (the site's search) the 「尚未收录」 rows and the page
results of docs/javascripts/search.js, for Material's search its result list. A query passes when
one of the three is the page (or the unanswered question's index row) it expects. Used by the
browser test and by scripts/search_compare.py.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "search" / "queries.yml"
sys.path.insert(0, str(ROOT / "hooks"))
from questions import row_id  # noqa: E402  # the anchor hooks/questions.py gives an unanswered row


def load_queries() -> list[dict[str, Any]]:
    entries = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    for e in entries:
        if not isinstance(e.get("q"), str) or not e.get("expect"):
            raise ValueError(f"{QUERIES.name}: each entry needs q and expect, got {e!r}")
        e["expect"] = [e["expect"]] if isinstance(e["expect"], str) else list(e["expect"])
    return entries


def target(expect: str) -> str:
    """The path (with fragment for an unanswered row) a result must link to: `optim/ema.md` ->
    `/optim/ema/`, `unanswered:003#nms` -> `/questions/#q-003-nms`."""
    if expect.startswith("unanswered:"):
        return "/questions/#" + row_id(expect.split(":", 1)[1])
    page = expect.removesuffix(".md")
    page = page.removesuffix("index")
    return "/" + (page + "/" if page and not page.endswith("/") else page)


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"#{parts.fragment}" if parts.fragment.startswith("q-") else "")


PAGEFIND_RESULTS = """() => Array.from(document.querySelectorAll(
  "dialog.dlh-search .dlh-search__results > li > a")).map(a => a.href)"""
MATERIAL_RESULTS = """() => Array.from(document.querySelectorAll(
  ".md-search-result__list > .md-search-result__item > a")).map(a => a.href)"""


def search_once(page: Any, query: str, engine: str) -> list[str]:
    """Type `query` into the open page's search box; the result links in order."""
    if engine == "pagefind":
        page.evaluate("q => window.dlhSearch.open(q)", query)
        page.wait_for_function("""() => { const s = document.querySelector("dialog.dlh-search .dlh-search__status");
            return s && s.textContent && !s.textContent.startsWith("搜索中"); }""", timeout=15000)
        return page.evaluate(PAGEFIND_RESULTS)
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        page.locator("label.md-header__button[for=__search]").click()
    box.fill(query)
    box.press("End")  # fill() alone does not start Material's search
    page.wait_for_function("""() => { const m = document.querySelector(".md-search-result__meta");
        return m && !/正在|Initializing|Type to/.test(m.textContent); }""", timeout=15000)
    page.wait_for_timeout(150)
    return page.evaluate(MATERIAL_RESULTS)


def run_queries(page: Any, base: str, engine: str) -> list[dict[str, Any]]:
    """Each query of the set with its first three result paths and whether it passed."""
    page.goto(base)
    out = []
    for e in load_queries():
        if engine == "pagefind":
            page.evaluate("() => { const d = document.querySelector('dialog.dlh-search'); if (d) d.close(); }")
        top = [_path(u) for u in search_once(page, e["q"], engine)[:3]]
        wanted = [target(x) for x in e["expect"]]
        out.append({"q": e["q"], "expect": wanted, "top3": top, "ok": any(w in top for w in wanted)})
    return out
