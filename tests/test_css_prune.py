"""hooks/css_prune.py: a stylesheet cut to what a page uses, on hand-built cases."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
import css_prune  # noqa: E402

HTML = '<div class="a b"><span class="c" style="color: var(--inline)">x</span></div>'


def test_rules_are_kept_only_when_every_class_they_name_is_on_the_page() -> None:
    css = ".a{color:red}.z{color:blue}.a .c{margin:0}.a .z{margin:1px}div{padding:0}"
    assert css_prune.prune(css, HTML) == ".a{color:red}.a .c{margin:0}div{padding:0}"


def test_a_selector_list_keeps_its_used_members_and_respects_parentheses() -> None:
    css = ".z,.b{x:1}.a :is(.z, .c):hover{y:2}.a:not(.z){w:3}"
    assert css_prune.prune(css, HTML) == ".b{x:1}.a :is(.z, .c):hover{y:2}.a:not(.z){w:3}"


def test_comments_do_not_read_as_class_names() -> None:
    # Pygments writes `/* Keyword.Constant */` after each rule: `.Constant` is no class of the page.
    css = ".a{x:1} /* Keyword.Constant */\n.c{y:2}"
    assert css_prune.prune(css, HTML).replace(" ", "").replace("\n", "") == ".a{x:1}.c{y:2}"


def test_media_blocks_are_pruned_inside_and_dropped_when_empty() -> None:
    css = "@media print{.a{x:1}.z{y:2}}@media (max-width:1px){.z{y:2}}@keyframes k{50%{opacity:0}}"
    assert css_prune.prune(css, HTML) == "@media print{.a{x:1}}@keyframes k{50%{opacity:0}}"


def test_unused_custom_properties_go_transitively_and_used_ones_stay() -> None:
    css = (".a{--used:var(--base);--base:1px;--unused:var(--only-unused);--only-unused:2px;--inline:red;"
           "margin:var(--used)}")
    out = css_prune.prune(css, HTML)
    assert out == ".a{--used:var(--base);--base:1px;--inline:red;margin:var(--used)}"


def test_custom_properties_read_by_another_stylesheet_of_the_page_stay() -> None:
    css = ".a{--k:blue;--gone:0}"
    page = HTML + "<style>.c{color:var(--k)}</style><style>" + css + "</style>"
    assert css_prune.prune(css, page) == ".a{--k:blue}"


def test_semicolons_inside_urls_do_not_split_declarations() -> None:
    css = '.a{--gone:0;background:url("data:image/svg+xml;utf8,<svg/>");color:red}'
    assert css_prune.prune(css, HTML) == '.a{background:url("data:image/svg+xml;utf8,<svg/>");color:red}'


def test_charset_statement_stays() -> None:
    assert css_prune.prune('@charset "UTF-8";.a{x:1}', HTML) == '@charset "UTF-8";.a{x:1}'


@pytest.mark.parametrize("css, html, name", [(None, "", "css"), ("", b"<p>", "html")])
def test_rejects_non_text_naming_the_argument(css: object, html: object, name: str) -> None:
    with pytest.raises(TypeError, match=name):
        css_prune.prune(css, html)  # type: ignore[arg-type]
