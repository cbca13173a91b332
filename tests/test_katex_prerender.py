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


def test_font_rules_are_read_from_katex_css() -> None:
    css = (".katex .mathbb,.katex .textbb{font-family:KaTeX_AMS}.katex .mathbf{font-family:KaTeX_Main;font-weight:700}"
           ".katex .boldsymbol{font-family:KaTeX_Math;font-style:italic;font-weight:700}"
           ".katex .delimsizing.size1{font-family:KaTeX_Size1}.katex .vlist{display:table-cell}"
           ".katex .delimsizing.mult .delim-size4>span{font-family:KaTeX_Size4}")
    rules = kp.font_classes(css)
    assert (frozenset({"mathbb"}), "KaTeX_AMS-Regular") in rules
    assert (frozenset({"textbb"}), "KaTeX_AMS-Regular") in rules
    assert (frozenset({"mathbf"}), "KaTeX_Main-Bold") in rules
    assert (frozenset({"boldsymbol"}), "KaTeX_Math-BoldItalic") in rules
    assert (frozenset({"delimsizing", "size1"}), "KaTeX_Size1-Regular") in rules
    assert (frozenset({"delim-size4"}), "KaTeX_Size4-Regular") in rules
    assert len(rules) == 6


def test_a_page_preloads_the_fonts_its_formulas_use_and_no_others() -> None:
    rules = [(frozenset({"mathbb"}), "KaTeX_AMS-Regular"), (frozenset({"delimsizing", "size1"}), "KaTeX_Size1-Regular"),
             (frozenset({"mathcal"}), "KaTeX_Caligraphic-Regular")]
    page = '<span class="mord mathbb">R</span><span class="delimsizing size2">(</span><span class="size1">x</span>'
    assert kp.fonts_used(page, rules) == ["KaTeX_AMS-Regular", "KaTeX_Main-Regular", "KaTeX_Math-Italic"]
    page += '<span class="delimsizing size1 mult">(</span>'
    assert "KaTeX_Size1-Regular" in kp.fonts_used(page, rules)


def test_the_real_stylesheet_maps_the_common_classes() -> None:
    css = (kp.KATEX_DIST / "katex.min.css").read_text()
    rules = {next(iter(c)): f for c, f in kp.font_classes(css) if len(c) == 1}
    assert rules["mathcal"] == "KaTeX_Caligraphic-Regular" and rules["mathbb"] == "KaTeX_AMS-Regular"
    assert rules["mathbf"] == "KaTeX_Main-Bold" and rules["amsrm"] == "KaTeX_AMS-Regular"
    assert rules["delim-size1"] == "KaTeX_Size1-Regular" and rules["delim-size4"] == "KaTeX_Size4-Regular"


def test_formula_cache_carries_rendered_math_to_the_next_build(tmp_path: Path) -> None:
    import json

    path = tmp_path / "katex-formulas.json"
    first = kp._Katex()
    first.load(path, "v1")
    html = first.render("x^2", False, "test")
    first.save()
    first.stop()

    second = kp._Katex()
    second.load(path, "v1")
    assert second.render("x^2", False, "test") == html and second.proc is None  # no Node started
    other = kp._Katex()
    other.load(path, "v2")  # another KaTeX version or option set: nothing reused
    assert other.memo == {}

    second.load(path, "v1")
    second.used.clear()
    second.render("y", True, "test")  # a build that shows only y: x^2 drops out of the cache
    second.save()
    second.stop()
    assert [f[:2] for f in json.loads(path.read_text(encoding="utf-8"))["formulas"]] == [["y", True]]
