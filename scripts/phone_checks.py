"""What a 390 px phone hides: display formulas wider than the text column.

`overflowing_formulas(page)` lists, for the page open in Playwright, each display formula whose
rendered width exceeds its scroll box (so part of it is scrolled out of view), with the question heading
above it and the first characters of its text. The browser test calls it at phone width; run it
from the command line to see the list for a built site:

    .venv/bin/python scripts/phone_checks.py site [optim/optimizers/ ...]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

OVERFLOW_JS = r"""
() => Array.from(document.querySelectorAll(".md-content .katex-display")).flatMap((math, i) => {
  const el = math.closest("div.arithmatex") || math;   // Material makes this div the scroll box
  const hidden = el.scrollWidth - el.clientWidth;
  if (hidden <= 1) return [];
  let h = el, heading = "";
  while (h && !heading) {
    h = h.previousElementSibling || h.parentElement;
    if (h && /^H[23]$/.test(h.tagName) && h.closest(".md-content")) heading = h.textContent.replace(/¶$/, "");
  }
  return [{index: i, heading, hidden_px: hidden, width_px: el.scrollWidth,
           box_px: el.clientWidth, text: math.textContent.slice(0, 60)}];
})
"""


# The stylesheet skips the layout of a page's parts while they are off screen (content-visibility,
# hooks/sections.py); a skipped formula reports no width. Lay every part out before measuring.
LAY_OUT_ALL = ".md-typeset section.dlh-q, .md-typeset section.dlh-q > * { content-visibility: visible !important; }"


def overflowing_formulas(page: Any) -> list[dict[str, Any]]:
    """Display formulas on the open page that are wider than their box (every part laid out first)."""
    page.add_style_tag(content=LAY_OUT_ALL)
    return page.evaluate(OVERFLOW_JS)


def main(site: Path, paths: list[str]) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from playwright.sync_api import sync_playwright
    from screenshots import ARGS
    from static_server import serve

    if not paths:
        paths = sorted(str(p.parent.relative_to(site)) + "/" for p in site.rglob("index.html")
                       if "katex-display" in p.read_text(encoding="utf-8"))
    total = 0
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                is_mobile=True, has_touch=True)
        for path in paths:
            page.goto(base + path.lstrip("/"))
            found = overflowing_formulas(page)
            n = page.evaluate("document.querySelectorAll('.md-content .katex-display').length")
            print(f"{path}: {len(found)} of {n} display formulas overflow at 390 px")
            for f in found:
                print(f"  #{f['index']} under 「{f['heading']}」: {f['width_px']} px in {f['box_px']} px "
                      f"({f['hidden_px']} px hidden): {f['text']!r}")
            total += len(found)
        browser.close()
    print(f"total: {total}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "site"), sys.argv[2:]))
