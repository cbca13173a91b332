"""Practice on the pages themselves: a status per question, self-test mode and a random question.

Everything a reader sets lives in their browser (`localStorage`, docs/javascripts/study.js); the
build only writes the controls into the HTML, so nothing moves when the script wires them up:

- under every question heading (`<h2>`) of a chapter page, a three-way status control
  (未学 / 待复习 / 已掌握) keyed by the page address and the heading's anchor;
- in the parts 速答 and 详解, a 「显示」 button that only self-test mode shows, and the
  `data-part` mark the stylesheet hides the part by until the reader taps it;
- in `<head>`, a line that turns self-test mode on before the first paint if the reader left it on
  (no flash of the answers, no layout shift), and in the header a switch for it;
- `questions/index.json`: every answered question (id, title, chapter), which 「随机一题」 draws from.

The question bank (the status of every question, progress per chapter, filters) is the question
index page that hooks/questions.py generates; it uses the same controls.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import material as material_theme
import questions
from questions import status_control

PARTS = {"速答": "speed", "详解": "detail"}
H2 = re.compile(r'<h2 id="([^"]+)">.*?</h2>', re.S)
PART = re.compile(r'<section class="dlh-q">(<h3 id="[^"]*">(速答|详解)(?:<a [^>]*>[^<]*</a>)?</h3>)')
ICONS = Path(material_theme.__file__).parent / "templates" / ".icons" / "material"
HEAD = ('<script>try{if(localStorage.getItem("dlh-selftest")==="1")'
        'document.documentElement.classList.add("dlh-selftest")}catch(e){}</script>')


def with_controls(page_html: str, page_url: str) -> str:
    """`page_html` (already cut into sections by hooks/sections.py) with a status control after each
    question heading and the 速答 / 详解 parts marked for self-test mode."""
    out = H2.sub(lambda m: m[0] + status_control(f"{page_url}#{m[1]}"), page_html)

    def part(m: re.Match) -> str:
        label = "速答" if m[2] == "速答" else "详解"
        return (f'<section class="dlh-q" data-part="{PARTS[m[2]]}">{m[1]}'
                f'<button type="button" class="dlh-reveal" data-pagefind-ignore>显示{label}</button>')

    return PART.sub(part, out)


def header_switch() -> str:
    icon = (ICONS / "eye-off-outline.svg").read_text(encoding="utf-8").strip()
    return ('<button type="button" class="md-header__button md-icon dlh-selftest-button" aria-pressed="false" '
            f'aria-label="自测模式" title="自测模式：先说出答案，再点开速答与详解（快捷键 t）">{icon}</button>')


def with_switch(page_html: str) -> str:
    """The page with the self-test switch before the header's search button and the mode restored in <head>."""
    at = page_html.find('<button type="button" class="md-header__button md-icon dlh-search-button"')
    if at >= 0:
        page_html = page_html[:at] + header_switch() + page_html[at:]
    return page_html.replace("</head>", HEAD + "</head>", 1)


def bank(nav: list) -> list[dict[str, str]]:
    """Every answered question in navigation order: id (page address#anchor), title and chapter."""
    return [{"id": q["id"], "title": q["title"], "chapter": q["chapter"]} for q in questions.answered(nav)]


_question_pages: set[str] = set()


def on_config(config):
    _question_pages.clear()
    _question_pages.update(path for _, pages in questions.chapters(config["nav"]) for path in pages)
    return config


def on_page_content(page_html: str, page, config, files) -> str:
    if page.file.src_uri in _question_pages:
        page_html = with_controls(page_html, page.url)
    return page_html


def on_post_page(output: str, page, config) -> str:
    return with_switch(output)


def on_post_template(output: str, template_name: str, config) -> str:
    return with_switch(output) if template_name == "404.html" else output


def on_post_build(config) -> None:
    folder = Path(config["site_dir"]) / "questions"
    folder.mkdir(parents=True, exist_ok=True)
    data = json.dumps(bank(config["nav"]), ensure_ascii=False, separators=(",", ":"))
    (folder / "index.json").write_text(data, encoding="utf-8")

