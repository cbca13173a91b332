"""The notebooks hook makes executed output deterministic: printed pieces become one output."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "hooks"))  # as MkDocs does while it loads a hook

pytestmark = pytest.mark.site


def test_output_printed_in_pieces_is_one_stream_after_execution() -> None:
    spec = importlib.util.spec_from_file_location("dlh_notebooks_hook", ROOT / "hooks" / "notebooks.py")
    assert spec is not None and spec.loader is not None
    spec.loader.exec_module(importlib.util.module_from_spec(spec))  # patches ExecutePreprocessor
    from nbconvert.preprocessors import ExecutePreprocessor

    # Flushes with pauses between them: the kernel sends each piece as its own message.
    code = "import sys, time\nfor i in range(3):\n    print(i, end=' ', flush=True)\n    time.sleep(0.3)\nprint('end')"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb, _ = ExecutePreprocessor(timeout=60, kernel_name="python3").preprocess(nb, {})
    outputs = nb.cells[0].outputs
    assert len(outputs) == 1 and outputs[0].text == "0 1 2 end\n"


def _hook():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("dlh_notebooks_hook", ROOT / "hooks" / "notebooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_downloaded_notebook_installs_the_book_code_in_a_fresh_environment(tmp_path: Path) -> None:
    """The install cell, run in a new virtual environment against this repository (as a git URL),
    makes `snippets` importable; run again it does nothing."""
    import subprocess

    if subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True).returncode != 0:
        pytest.skip("not a git checkout: the cell installs from a git URL")
    cell = _hook().install_cell(f"file://{ROOT}")
    venv = tmp_path / "venv"
    subprocess.run([sys._base_executable, "-m", "venv", str(venv)], check=True)  # type: ignore[attr-defined]
    python = str(venv / "bin" / "python")
    check = "import importlib.util as u; print(u.find_spec('snippets') is not None)"
    before = subprocess.run([python, "-c", check], capture_output=True, text=True, cwd=tmp_path)
    run = subprocess.run([python, "-c", cell], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    after = subprocess.run([python, "-c", check], capture_output=True, text=True, cwd=tmp_path)
    again = subprocess.run([python, "-c", cell + "\nprint('done')"], capture_output=True, text=True, cwd=tmp_path)
    assert before.stdout.strip() == "False"
    assert run.returncode == 0, run.stderr[-2000:]
    assert after.stdout.strip() == "True"
    assert again.returncode == 0 and again.stdout.strip() == "done"


def test_the_install_cell_rejects_a_repository_address_pip_cannot_use() -> None:
    with pytest.raises(ValueError, match="repo_url"):
        _hook().install_cell("git@github.com:a/b.git")


def test_every_downloadable_notebook_starts_with_the_install_cell(built) -> None:  # type: ignore[no-untyped-def]
    sources = sorted((ROOT / "docs" / "notebooks").glob("*.py"))
    notebooks = sorted((built.site / "notebooks").glob("*.ipynb"))
    assert [p.stem for p in notebooks] == [p.stem for p in sources]
    for path in notebooks:
        nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        first_code = next(c for c in nb.cells if c.cell_type == "code")
        assert "pip\", \"install\"" in first_code.source and "git+https://" in first_code.source, path
