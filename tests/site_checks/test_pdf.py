"""The handbook and its 速答 sheet as PDFs (scripts/pdf.py, `make pdf`)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from typing import Any

import pytest

from .conftest import ROOT, Built, finish_pdfs

sys.path.insert(0, str(ROOT / "scripts"))
import pdf  # noqa: E402


@pytest.fixture(scope="module")
def printed(built: Built, request: pytest.FixtureRequest) -> dict:
    """Both PDFs, printed by scripts/pdf.py in the background since the site was built (conftest.py),
    then moved into the site's pdf/ where the question bank links them."""
    if not shutil.which("pdffonts"):
        pytest.fail("pdffonts missing: `make system-deps` installs poppler-utils")
    out = finish_pdfs(request.config)
    target = built.site / "pdf"
    target.mkdir(exist_ok=True)
    paths = {}
    for kind, name in pdf.NAMES.items():
        shutil.move(out / name, target / name)
        paths[kind] = target / name
    return paths


def _outline(path) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    out: list[tuple[int, str]] = []

    def walk(items, depth):  # type: ignore[no-untyped-def]
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title))

    walk(PdfReader(str(path)).outline, 0)
    return out


def test_both_pdfs_have_pages_embedded_fonts_and_no_raw_tex(printed: dict) -> None:
    for kind, path in printed.items():
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
        assert pages > (100 if kind == "book" else 5), (kind, pages)
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = fonts.splitlines()[2:]
        assert rows and all(r.split()[-5] == "yes" for r in rows), fonts  # the emb column
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert "反向传播" in text and "速答" in text or kind == "speech"
        assert "$" not in text and "\\(" not in text and "\\[" not in text, kind


def test_bookmarks_list_every_chapter_and_its_pages(printed: dict) -> None:
    chapters = pdf.nav_pages(ROOT / "mkdocs.yml")
    for kind, path in printed.items():
        marks = _outline(path)
        top = [t for d, t in marks if d == 0]
        assert [c for c, _ in chapters] == [t for t in top if t in {c for c, _ in chapters}], (kind, top)
        assert not [t for _, t in marks if pdf.undoubled(t) != t], marks
    questions = [t for d, t in _outline(printed["book"]) if d == 2]
    assert len(questions) >= 40  # chapter > page > question


def test_the_speech_sheet_holds_every_question_and_only_its_speed_answer(printed: dict) -> None:
    import json

    bank = json.loads((printed["speech"].parent.parent / "questions" / "index.json").read_text(encoding="utf-8"))
    text = subprocess.run(["pdftotext", str(printed["speech"]), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    missing = [q["title"] for q in bank if re.sub(r"\s+", "", q["title"])[:12] not in flat]
    assert not missing, missing
    assert "常见误区" not in flat and "追问" not in flat  # the parts after 速答 are left out


def test_the_question_bank_links_both_pdfs(printed: dict, built: Built, browser: Any) -> None:
    page = browser.new_page()
    page.goto(built.url + "questions/", wait_until="networkidle")
    links = page.evaluate("() => [...document.querySelectorAll('.dlh-bank__pdf a')].map(a => a.href)")
    types = [page.request.get(href).headers.get("content-type") for href in links]
    page.close()
    assert len(links) == 2 and types == ["application/pdf"] * 2, (links, types)
    with pytest.raises(ValueError, match="site"):
        pdf.print_pdfs(ROOT / "docs", ROOT / "no-such-out")
