"""Wrap each part of a page (an `<h2>` or `<h3>` and what follows it, up to the next one) in a <section>.

The stylesheet gives each block of a section from its tenth on `content-visibility: auto`: a phone
then styles and lays out only the blocks near the screen while the page loads, instead of all of
them with their hundreds of formulas (scripts/phone_metrics.py measures it; on the optimizers page
the longest main-thread task fell from ~1.2 s to ~0.5 s under a 4x CPU slowdown). The first nine
blocks of each part always render, so what a reader sees first is never a placeholder that grows
(applied to every block, a block straddling the screen's bottom edge grew after the first frame
and moved the page: layout shift 0.04); a link to a heading still lands on it.
"""

from __future__ import annotations

import re

HEADING = re.compile(r"<h[23][\s>]")


def wrap(html: str) -> str:
    """`html` with each run from an <h2>/<h3> to the next (or the end) inside <section class="dlh-q">."""
    starts = [m.start() for m in HEADING.finditer(html)]
    if not starts:
        return html
    parts = [html[: starts[0]]]
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(html)
        parts.append(f'<section class="dlh-q">{html[start:end]}</section>')
    return "".join(parts)


def on_page_content(html: str, page, config, files) -> str:
    if page.file.src_uri.startswith("notebooks/"):
        return html  # a notebook's cells are laid out by JupyterLab's own wrapper
    return wrap(html)
