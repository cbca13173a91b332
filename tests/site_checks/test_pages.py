"""Pages show code from snippets/ by include only, and every include names a real section."""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
INCLUDE = re.compile(r'--8<--\s+"(?P<path>[^":]+)(?::(?P<section>[\w-]+))?"')
FENCE = re.compile(r"^[ \t]*```(?P<info>[^\n]*)\n(?P<body>.*?)^[ \t]*```", re.S | re.M)


def _signatures(tree: ast.Module) -> set[tuple[str, tuple[str, ...]]]:
    """(name, parameter names) of each top-level public function and class of a module."""
    out = set()
    for n in tree.body:
        if isinstance(n, ast.FunctionDef) and not n.name.startswith("_"):
            a = n.args
            out.add((n.name, tuple(x.arg for x in [*a.posonlyargs, *a.args, *a.kwonlyargs])))
        elif isinstance(n, ast.ClassDef) and not n.name.startswith("_"):
            out.add((n.name, ()))
    return out


def public_functions() -> set[tuple[str, tuple[str, ...]]]:
    """Every public function of snippets/ by name and parameters: a copy keeps both, while a page's
    own small helper may share a common name (`train`, `summary`) with different parameters."""
    found: set[tuple[str, tuple[str, ...]]] = set()
    for module in (ROOT / "snippets").rglob("*.py"):
        found |= _signatures(ast.parse(module.read_text(encoding="utf-8")))
    return found


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
        try:
            tree = ast.parse(textwrap.dedent(m["body"]))
        except SyntaxError:
            continue  # not Python (console output, YAML, a fragment)
        pasted = sorted(name for name, _ in _signatures(tree) & defined)
        assert not pasted, f"{page.name}: {pasted} is pasted; include it from snippets/ instead"


def test_pages_in_chapters_list_their_seed_questions() -> None:
    for page in DOCS.glob("*/*.md"):
        if page.parent.name == "notebooks" or page.name == "index.md":
            continue
        assert page.read_text(encoding="utf-8").startswith("---\n"), f"{page}: needs front matter with seeds:"
