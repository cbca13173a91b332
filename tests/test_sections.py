"""hooks/sections.py: each part of a page under an h2 or h3 becomes one <section>."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
import sections  # noqa: E402


def test_parts_between_headings_become_sections_and_the_intro_stays_outside() -> None:
    html = '<p>intro</p><h2 id="q">Q?</h2><h3 id="a">速答</h3><p>x</p><h3 id="b">详解</h3><p>y</p><h2 id="r">R?</h2>'
    assert sections.wrap(html) == (
        '<p>intro</p><section class="dlh-q"><h2 id="q">Q?</h2></section>'
        '<section class="dlh-q"><h3 id="a">速答</h3><p>x</p></section>'
        '<section class="dlh-q"><h3 id="b">详解</h3><p>y</p></section>'
        '<section class="dlh-q"><h2 id="r">R?</h2></section>'
    )


def test_a_page_without_headings_and_h4_or_header_tags_are_left_alone() -> None:
    html = "<header>t</header><h4>small</h4><p>text</p>"
    assert sections.wrap(html) == html
    assert sections.wrap("") == ""


def test_wrapping_keeps_every_character_of_the_page() -> None:
    html = "<p>a</p>" + "".join(f"<h2>{i}</h2><p>{'x' * i}</p><h3>s</h3>" for i in range(5))
    out = sections.wrap(html)
    assert out.replace('<section class="dlh-q">', "").replace("</section>", "") == html
    assert out.count("<section") == out.count("</section>") == 10
