"""The site builds under --strict, reproducibly, offline, with a segmented Chinese search index."""

from __future__ import annotations

import filecmp
import json
import re

import pytest
import yaml

from snippets.figures import measured

from .conftest import ROOT, Built, SecondBuild, html_pages

pytestmark = pytest.mark.site


def test_strict_build_reports_no_warning(built: Built) -> None:
    # mkdocs logs its own warnings as "WARNING -  ..." (a kernel's "WARNING |" chatter is not one).
    assert "WARNING -" not in built.log, built.log


def test_two_clean_builds_are_byte_identical(built: Built, second_build: SecondBuild) -> None:
    other_site = second_build.site
    differing: list[str] = []
    # pdf/ is not built: tests/site_checks/test_pdf.py prints it into the first site only.
    for path in sorted(p for p in built.site.rglob("*") if p.is_file() and p.relative_to(built.site).parts[0] != "pdf"):
        rel = path.relative_to(built.site)
        other = other_site / rel
        if not other.exists() or not filecmp.cmp(path, other, shallow=False):
            differing.append(str(rel))
    extra = {p.relative_to(other_site) for p in other_site.rglob("*") if p.is_file()}
    extra -= {p.relative_to(built.site) for p in built.site.rglob("*") if p.is_file()}
    # A figure that measures the build machine (snippets.figures.measured) may differ, and only it.
    machine = {f"figures/{name}{suffix}.svg" for name in measured() for suffix in ("", "-dark")}
    assert not (set(differing) - machine) and not extra, f"differ: {differing[:10]}, only in 2nd: {sorted(extra)[:10]}"


def test_search_index_covers_the_answer_pages_and_nothing_else(built: Built) -> None:
    """Pagefind indexes every page but the home page, the question index and the 404 page (hooks/search.py)."""
    entry = json.loads((built.site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    (language,) = entry["languages"].values()
    pages = [p for p in html_pages(built.site) if p.parent.name != "questions" and p.parent != built.site]
    assert language["page_count"] == len(pages)
    assert not (built.site / "search" / "search_index.json").exists()  # Material's search is off


def test_search_data_lists_every_unanswered_question_with_its_row(built: Built) -> None:
    data = json.loads((built.site / "search" / "data.json").read_text(encoding="utf-8"))
    entries = yaml.safe_load((ROOT / "docs" / "questions.yml").read_text(encoding="utf-8"))
    unanswered = [e for e in entries if "page" not in e]
    assert [u["q"] for u in data["unanswered"]] == [e["q"] for e in unanswered]
    index = (built.site / "questions" / "index.html").read_text(encoding="utf-8")
    for u in data["unanswered"]:
        assert f'id="{u["url"].split("#")[1]}"' in index, u
    # words of the site's vocabulary that hold a one-character stop word stay whole in a query
    assert {"饱和", "作用", "是否"} <= set(data["protect"])
    assert not {"饱和", "作用"} & set(data["stopwords"])


def test_no_page_loads_anything_from_another_host(built: Built) -> None:
    pages = html_pages(built.site)
    assert len(pages) >= 6
    # Links a reader clicks (<a href>) may leave the site; what a page loads may not.
    loads = re.compile(r'<(?:script|link|img|iframe|source|video|audio)\b[^>]*?\b(?:src|href)="((?:https?:)?//[^"]+)"')
    for page in pages:
        html = page.read_text(encoding="utf-8")
        foreign = [u for u in loads.findall(html) if not u.startswith(built.url)]
        assert not foreign, f"{page.relative_to(built.site)} loads from another host: {foreign[:3]}"


def test_figures_exist_in_both_themes(built: Built) -> None:
    svgs = sorted((built.site / "figures").glob("*.svg"))
    light = {p.stem for p in svgs if not p.stem.endswith("-dark")}
    dark = {p.stem.removesuffix("-dark") for p in svgs if p.stem.endswith("-dark")}
    assert light and light == dark


def test_notebook_is_offered_as_ipynb(built: Built) -> None:
    nb = json.loads((built.site / "notebooks" / "losses.ipynb").read_text(encoding="utf-8"))
    assert nb["nbformat"] == 4 and any(c["cell_type"] == "code" for c in nb["cells"])
    assert "import snippets" in "".join("".join(c["source"]) for c in nb["cells"]) or any(
        "from snippets" in "".join(c["source"]) for c in nb["cells"]
    )
