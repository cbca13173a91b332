"""hooks/katex_prerender.py: formulas become KaTeX HTML at build time; a bad one fails the build."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))

import katex_prerender as kp  # noqa: E402


def test_arithmatex_inline_and_display_are_rendered_in_their_wrappers() -> None:
    page = ('<p>a <span class="arithmatex">\\(x &lt; y\\)</span> b</p>'
            '<div class="arithmatex">\\[\\frac{a}{b}\\]</div>')
    out = kp.render_page(page, "t.md")
    assert out.count('class="katex"') == 2 and 'class="katex-display"' in out
    assert "\\(" not in out and "\\[" not in out
    assert out.startswith('<p>a <span class="arithmatex"><span class="katex">')
    assert "&lt;" in out  # x < y: unescaped for KaTeX, escaped again in its HTML


def test_notebook_dollars_only_inside_markdown_cells() -> None:
    cell = '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput" data-mime-type="text/markdown">'
    page = f"{cell}<p>cost $5 and $x^2$, $$\\sum_i i$$</p></div><pre>echo $HOME $x$</pre>"
    out = kp.render_page(page, "notebooks/n.py", notebook=True)
    assert out.count('class="katex"') == 2 and 'class="katex-display"' in out
    assert "<pre>echo $HOME $x$</pre>" in out  # code output is left alone
    assert kp.render_page(page, "n.md", notebook=False) == page


def test_a_formula_katex_cannot_parse_fails_with_the_page_and_formula() -> None:
    with pytest.raises(PluginError, match=r"bad\.md.*\\nosuchmacro"):
        kp.render_page('<span class="arithmatex">\\(\\nosuchmacro{x}\\)</span>', "bad.md")
