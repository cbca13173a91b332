"""The build caches figures and notebooks by the files they import (hooks/deps.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))  # as MkDocs does while it loads a hook

import deps  # noqa: E402


def write(root: Path, rel: str, text: str = "") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small snippets/ package: two chapters, one importing the other, plus a notebook."""
    write(tmp_path, "snippets/__init__.py")
    write(tmp_path, "snippets/plotting.py", "import numpy as np\n")
    write(tmp_path, "snippets/a/__init__.py")
    write(tmp_path, "snippets/a/core.py", "from ._util import helper\n")
    write(tmp_path, "snippets/a/_util.py", "def helper():\n    return 1\n")
    write(tmp_path, "snippets/a/unused.py", "x = 1\n")
    write(tmp_path, "snippets/a/figures.py", "from snippets.a.core import helper\nfrom snippets import plotting\n")
    write(tmp_path, "snippets/b/__init__.py")
    write(tmp_path, "snippets/b/figures.py", "import snippets.a.core\ndef f():\n    from snippets.b import late\n")
    write(tmp_path, "snippets/b/late.py", "y = 2\n")
    write(tmp_path, "docs/notebooks/a.py", "# %%\nfrom snippets.a import core\n")
    monkeypatch.setattr(deps, "ROOT", tmp_path)
    return tmp_path


def rel(paths: list[Path], root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in paths}


def test_closure_follows_absolute_relative_nested_and_package_imports(tree: Path) -> None:
    assert rel(deps.closure(tree / "snippets/a/figures.py"), tree) == {
        "snippets/__init__.py", "snippets/plotting.py", "snippets/a/__init__.py",
        "snippets/a/core.py", "snippets/a/_util.py", "snippets/a/figures.py",
    }
    got_b = rel(deps.closure(tree / "snippets/b/figures.py"), tree)
    assert {"snippets/a/_util.py", "snippets/b/late.py"} <= got_b  # through a, and an import inside a function
    assert "snippets/a/unused.py" not in got_b and "snippets/plotting.py" not in got_b


def test_key_changes_only_for_modules_that_import_the_edited_file(tree: Path) -> None:
    a, b, nb = tree / "snippets/a/figures.py", tree / "snippets/b/figures.py", tree / "docs/notebooks/a.py"
    before = (deps.key(a), deps.key(b), deps.key(nb))
    write(tree, "snippets/b/late.py", "y = 3\n")  # only b imports it
    after_b = (deps.key(a), deps.key(b), deps.key(nb))
    assert after_b[0] == before[0] and after_b[2] == before[2] and after_b[1] != before[1]
    write(tree, "snippets/a/_util.py", "def helper():\n    return 2\n")  # everyone reaches it
    after_a = (deps.key(a), deps.key(b), deps.key(nb))
    assert all(x != y for x, y in zip(after_a, after_b, strict=True))
    write(tree, "snippets/a/unused.py", "x = 2\n")  # nobody imports it
    assert (deps.key(a), deps.key(b), deps.key(nb)) == after_a


def test_key_of_the_real_losses_figures_reaches_basics_activations_but_not_cnn() -> None:
    files = rel(deps.closure(ROOT / "snippets/losses/figures.py"), ROOT)
    assert "snippets/basics/activations.py" in files  # losses uses the one sigmoid of basics
    assert not any(f.startswith("snippets/cnn/") for f in files)


def test_notebook_cache_key_includes_the_snippets_the_notebook_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("dlh_notebooks_hook_key", ROOT / "hooks" / "notebooks.py")
    assert spec is not None and spec.loader is not None
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    import mkdocs_jupyter.plugin as jupyter

    nb = ROOT / "docs" / "notebooks" / "losses.py"
    config = {k: None for k in ("kernel_name", "theme", "allow_errors", "show_input", "no_input", "no_prompt",
                                "remove_tag_config", "highlight_extra_classes", "include_requirejs",
                                "custom_mathjax_url", "toc_depth")}
    first = jupyter._compute_cache_key(str(nb), config, True)
    monkeypatch.setattr(deps, "key", lambda *files, extra="": "edited")
    second = jupyter._compute_cache_key(str(nb), config, True)
    assert first != second and second.endswith("-edited")
