"""Pages show code from snippets/ by include only, and every include names a real section."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
INCLUDE = re.compile(r'--8<--\s+"(?P<path>[^":]+)(?::(?P<section>[\w-]+))?"')
FENCE = re.compile(r"^[ \t]*```(?P<info>[^\n]*)\n(?P<body>.*?)^[ \t]*```", re.S | re.M)


def public_functions() -> set[str]:
    names: set[str] = set()
    for module in (ROOT / "snippets").rglob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        defs = (n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef)))
        names |= {n.name for n in defs if not n.name.startswith("_")}
    return names


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_includes_name_existing_sections(page: Path) -> None:
    for m in INCLUDE.finditer(page.read_text(encoding="utf-8")):
        source = (ROOT / m["path"]).read_text(encoding="utf-8")
        if m["section"]:
            where = f"{page.name}: {m['path']} has no section {m['section']}"
            assert f"# --8<-- [start:{m['section']}]" in source, where
            assert f"# --8<-- [end:{m['section']}]" in source


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_no_snippet_function_is_pasted_into_a_page(page: Path) -> None:
    defined = public_functions()
    for m in FENCE.finditer(page.read_text(encoding="utf-8")):
        if "--8<--" in m["body"]:
            continue
        pasted = set(re.findall(r"^\s*(?:def|class) (\w+)", m["body"], re.M)) & defined
        assert not pasted, f"{page.name}: {sorted(pasted)} is pasted; include it from snippets/ instead"


def test_pages_in_chapters_list_their_seed_questions() -> None:
    for page in DOCS.glob("*/*.md"):
        if page.parent.name == "notebooks" or page.name == "index.md":
            continue
        assert page.read_text(encoding="utf-8").startswith("---\n"), f"{page}: needs front matter with seeds:"
