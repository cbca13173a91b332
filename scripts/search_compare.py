"""Compare the two search engines on the fixed query set: Pagefind (the site's) and Material's tuned.

Builds the site twice (Material's search with DLH_SEARCH_MATERIAL=true), serves each gzip-compressed
and reports, for each engine: the share of search/queries.yml with the expected page among the
first three results (all queries, and only those about answered pages), what a first visit of the
home page transfers, and what the first search transfers on top of it.

    .venv/bin/python scripts/search_compare.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import ARGS  # noqa: E402
from search_eval import run_queries, search_once  # noqa: E402
from static_server import serve  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def build(dest: Path, material: bool) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", MPLBACKEND="Agg", DLH_SEARCH_MATERIAL=str(material).lower())
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(dest)], cwd=ROOT, env=env,
                   check=True)


def transfer(browser: Any, base: str, engine: str) -> tuple[int, int]:
    """Bytes on the wire for a first visit of the home page, then for one search on it."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    got: list[int] = [0]

    def count(request: Any) -> None:  # Playwright sees the fetches of Pagefind's web worker too
        sizes = request.sizes()
        got[0] += sizes["responseBodySize"] + sizes["responseHeadersSize"]

    ctx.on("requestfinished", count)
    page.goto(base, wait_until="networkidle")
    page.wait_for_timeout(500)
    first = got[0]
    search_once(page, "反向传播", engine)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    ctx.close()
    return first, got[0] - first


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    parser.add_argument("--reuse", action="store_true", help="with --keep: use the builds already there")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp)
        rows = []
        for engine in ("pagefind", "material"):
            site = out / engine
            if not (args.reuse and args.keep and (site / "index.html").exists()):
                build(site, material=engine == "material")
            with serve(site) as base, sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                results = run_queries(page, base, engine)
                first, search = transfer(browser, base, engine)
                browser.close()
            answered = [r for r in results if not any("#q-" in e for e in r["expect"])]
            rows.append((engine, results, answered, first, search))
            for r in results:
                if not r["ok"]:
                    print(f"  {engine} misses {r['q']!r}: expected {r['expect']}, got {r['top3']}")
    print(f"\n| engine | top-3, all {len(rows[0][1])} queries | top-3, {len(rows[0][2])} about answered pages "
          "| first visit of / (gzip) | first search |")
    print("|---|---|---|---|---|")
    for engine, results, answered, first, search in rows:
        ok, ok_a = sum(r["ok"] for r in results), sum(r["ok"] for r in answered)
        print(f"| {engine} | {ok}/{len(results)} ({100 * ok / len(results):.0f} %) | {ok_a}/{len(answered)} "
              f"({100 * ok_a / len(answered):.0f} %) | {first / 1024:.0f} KiB | {search / 1024:.0f} KiB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
