"""Screenshots of built pages for a human look: light and dark, desktop and phone width.

Usage: python scripts/screenshots.py SITE_DIR OUT_DIR [PAGE ...]   (PAGE like "losses/softmax/")
Serves SITE_DIR on a free loopback port while it shoots.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright
from static_server import serve

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def main(site: Path, out: Path, pages: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for scheme in ("light", "dark"):
            for device, viewport in VIEWPORTS.items():
                ctx = browser.new_context(viewport=viewport, color_scheme=scheme, device_scale_factor=1)
                for page_path in pages:
                    page = ctx.new_page()
                    page.goto(base + page_path, wait_until="networkidle")
                    page.evaluate("document.fonts.ready")  # the math is in the HTML; its fonts may lag
                    # A full-page shot does not scroll: parts laid out lazily (content-visibility) and lazy
                    # images would stay blank.
                    page.add_style_tag(content="section.dlh-q, section.dlh-q > * "
                                               "{ content-visibility: visible !important; }")
                    page.evaluate("""() => Promise.all([...document.images].map(img => {
                        img.loading = "eager";
                        return img.complete ? null : new Promise(r => { img.onload = img.onerror = r; });
                    }))""")
                    name = (page_path.strip("/").replace("/", "_") or "home") + f"-{scheme}-{device}.png"
                    page.screenshot(path=str(out / name), full_page=True)
                    page.close()
                ctx.close()
        browser.close()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:] or [""])
