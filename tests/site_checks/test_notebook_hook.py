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


def _notebook(cells: list[str]) -> nbformat.NotebookNode:
    """A Python 3 notebook with one code cell per string."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def test_output_printed_in_pieces_is_one_stream_after_execution() -> None:
    _hook()  # patches ExecutePreprocessor
    from nbconvert.preprocessors import ExecutePreprocessor

    # Flushes with pauses between them: the kernel sends each piece as its own message.
    code = "import sys, time\nfor i in range(3):\n    print(i, end=' ', flush=True)\n    time.sleep(0.3)\nprint('end')"
    nb, _ = ExecutePreprocessor(timeout=60, kernel_name="python3").preprocess(_notebook([code]), {})
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


def _run(cells: list[str]) -> list[tuple[int, str]]:
    """Execute a notebook of `cells` through the hooked ExecutePreprocessor: (execution count, output) per cell."""
    from nbconvert.preprocessors import ExecutePreprocessor

    nb, _ = ExecutePreprocessor(timeout=120, kernel_name="python3").preprocess(_notebook(cells), {})
    return [(c.execution_count, "".join(o.get("text", "") for o in c.outputs)) for c in nb.cells]


# A notebook that leaves behind what a careless one could: a name, library settings, a seeded
# generator, another working folder, environment and import path, and an edited module of the book.
LITTERING = [
    "import os, sys, matplotlib, numpy as np, torch, snippets.plotting\nx = 1\nnp.set_printoptions(precision=1)\n"
    "np.seterr(all='ignore')\ntorch.set_default_dtype(torch.float64)\ntorch.set_grad_enabled(False)\n"
    "torch.manual_seed(1)\nmatplotlib.rcParams['lines.linewidth'] = 9\nos.environ['DLH_LEFTOVER'] = '1'\n"
    "sys.path.insert(0, '/leftover')\nos.chdir('/')\nsnippets.plotting.SIZES['full'] = (1, 1)\nprint(os.getpid())",
]
# What the next notebook sees: all of it must be as in a new kernel.
LOOKING = [
    "import os, sys, matplotlib, numpy as np, torch\n"
    "print('x' in dir(), np.array([1 / 3]), np.geterr()['divide'], torch.get_default_dtype(), torch.ones(1) / 3,\n"
    "      torch.is_grad_enabled(), torch.initial_seed() == 1, matplotlib.rcParams['lines.linewidth'],\n"
    "      os.environ.get('DLH_LEFTOVER'), '/leftover' in sys.path, os.getcwd())",
    "import snippets.plotting\nprint(snippets.plotting.SIZES['full'], os.getpid())",
]


def test_notebooks_share_one_kernel_and_each_sees_a_new_one(monkeypatch: pytest.MonkeyPatch) -> None:
    hook = _hook()  # patches ExecutePreprocessor
    (_, pid_a), = _run(LITTERING)
    shared = _run(LOOKING)
    assert shared[-1][1].split()[-1] == pid_a.strip()  # the same kernel process ran both notebooks
    monkeypatch.setenv(hook.shared_kernel.FRESH, "1")
    fresh = _run(LOOKING)
    assert fresh[-1][1].split()[-1] != pid_a.strip()  # a kernel of its own
    def without_pid(run: list[tuple[int, str]]) -> list[tuple[int, str]]:  # the second cell ends with it
        return [run[0], (run[1][0], run[1][1].rsplit(" ", 1)[0])]

    assert without_pid(shared) == without_pid(fresh)
    assert [n for n, _ in shared] == [1, 2]
    assert shared[0][1].startswith("False [0.33333333] warn torch.float32 tensor([0.3333]) True False 1.5 None False")


def test_a_notebook_that_times_out_leaves_a_new_kernel_to_the_next() -> None:
    from nbclient.exceptions import CellTimeoutError
    from nbconvert.preprocessors import ExecutePreprocessor

    hook = _hook()
    (_, before), = _run(["import os\nprint(os.getpid())"])
    with pytest.raises(CellTimeoutError):
        ExecutePreprocessor(timeout=2, kernel_name="python3").preprocess(_notebook(["import time\ntime.sleep(60)"]), {})
    assert "km" not in hook.shared_kernel._kernel  # stopped at once, not left busy for the next notebook
    (count, after), = _run(["import os\nprint(os.getpid())"])
    assert count == 1 and after != before  # not the busy kernel: that would fail its reset after 120 s


@pytest.mark.parametrize("dirty", [False, True])
def test_a_dirty_rebuild_keeps_the_executed_notebooks_it_did_not_convert(tmp_path: Path, dirty: bool) -> None:
    from mkdocs_jupyter.plugin import Plugin

    hook = _hook()
    stale = tmp_path / "nb-a-key.json"  # a notebook this build did not convert
    stale.write_text("{}", encoding="utf-8")
    plugin = Plugin()
    plugin.config = {"cache": True, "cache_dir": str(tmp_path)}  # type: ignore[assignment]
    config = {"plugins": {"mkdocs-jupyter": plugin}}
    hook.on_startup(command="serve", dirty=dirty)
    plugin.on_pre_build(config)  # MkDocs runs the plugin's events before the hook's (checked below)
    hook.on_pre_build(config)
    plugin.on_post_build(config)
    assert stale.exists() == dirty  # a full build still removes what it did not use


def test_the_notebook_plugin_makes_its_set_of_used_caches_before_the_hook_replaces_it() -> None:
    from mkdocs.config import load_config

    events = load_config(str(ROOT / "mkdocs.yml")).plugins.events["pre_build"]
    order = [type(m.__self__).__module__ if hasattr(m, "__self__") else m.__module__ for m in events]
    assert order.index("mkdocs_jupyter.plugin") < order.index("hooks/notebooks.py"), order
