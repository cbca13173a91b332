"""Offer each notebook page (a jupytext percent-format `.py` under docs/notebooks/) as `.ipynb`.

mkdocs-jupyter executes and renders the `.py`; this hook adds `notebooks/<name>.ipynb`, converted
by jupytext without outputs, so a reader downloads a notebook and runs it locally.

Its cache of executed notebooks is keyed, in addition, by the files each notebook imports from
snippets/, so editing a snippet re-runs the notebooks that use it.

Two builds must be byte-identical, so this hook also removes two sources of chance: cell ids, which
jupytext and nbconvert draw at random, are numbered; and a cell's printed output, which the kernel
sends in as many pieces as its flush timer happened to cut it into, is merged into one piece after
execution (nbconvert merges streams only before executing).
"""

from __future__ import annotations

import functools
import itertools
import re
import time
from pathlib import Path

import css_prune  # hooks/css_prune.py
import deps  # hooks/deps.py
import jupytext
import mkdocs_jupyter.plugin as _jupyter
import nbformat
import shared_kernel  # hooks/shared_kernel.py
import timings
from memo import DiskMemo, key_of  # hooks/memo.py
from mkdocs.structure.files import File, Files
from nbclient.exceptions import CellExecutionError
from nbconvert.preprocessors import CoalesceStreamsPreprocessor, ExecutePreprocessor

# mkdocs-jupyter caches an executed notebook by the notebook's own bytes only, so an edited snippet
# would leave its printed outputs stale. The key here adds the files the notebook imports from
# snippets/ (hooks/deps.py): a snippet edit re-runs the notebooks that import it, and only those.
_KEY = getattr(_jupyter, "_dlh_compute_cache_key", _jupyter._compute_cache_key)


def _key_with_imports(nb_path, config, exec_nb):  # type: ignore[no-untyped-def]
    return f"{_KEY(nb_path, config, exec_nb)}-{deps.key(Path(nb_path))}"


_jupyter._dlh_compute_cache_key = _KEY  # type: ignore[attr-defined]
_jupyter._compute_cache_key = _key_with_imports

DOCS_NOTEBOOKS = "notebooks/"


# The original method, kept on the class so that a config reload (mkdocs serve) does not wrap twice.
_EXECUTE = ExecutePreprocessor.__dict__.get("_dlh_execute", ExecutePreprocessor.preprocess)


def _execute_then_coalesce(self, nb, resources=None, km=None):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    shared = shared_kernel.kernel_for(self, nb, resources) if km is None else None
    try:
        nb, resources = _EXECUTE(self, nb, resources, km or shared)
    except CellExecutionError:
        raise  # a cell's error: the kernel is fine, and the next notebook resets it
    except BaseException:
        if shared is not None:  # a timeout or a dead kernel: the next notebook gets a new one
            shared_kernel.shutdown(now=True)
        raise
    finally:
        if shared is not None and self.kc is not None:
            self.kc.stop_channels()  # nbclient leaves a kernel it does not own running, with its client
    timings.add("notebooks (executed)", time.perf_counter() - start)
    return CoalesceStreamsPreprocessor().preprocess(nb, resources)


ExecutePreprocessor._dlh_execute = _EXECUTE  # type: ignore[attr-defined]
ExecutePreprocessor.preprocess = _execute_then_coalesce  # type: ignore[method-assign]


def install_cell(repo_url: str) -> str:
    """The downloaded notebook's first code cell: installs the book's code (the `snippets` package,
    without its pinned dependencies: NumPy, PyTorch, Matplotlib and scikit-learn as Colab and most
    set-ups have them) from the repository, unless it can already be imported."""
    if not isinstance(repo_url, str) or not repo_url.startswith(("https://", "http://", "file://")):
        raise ValueError(f"repo_url must be an http(s) or file URL, got {repo_url!r}")
    return (
        "# 下载后单独运行本 Notebook（本地或 Colab）：先安装本书的代码 snippets 包。\n"
        "# 只装它本身，不动你环境里已有的 numpy、torch、matplotlib、scikit-learn；\n"
        "# 已克隆仓库并 pip install -e . 的，这一格什么也不做。\n"
        "import importlib.util, subprocess, sys\n"
        "if importlib.util.find_spec(\"snippets\") is None:\n"
        "    subprocess.run([sys.executable, \"-m\", \"pip\", \"install\", \"-q\", \"--no-deps\",\n"
        f"                    \"git+{repo_url}\"], check=True)"
    )


@functools.cache  # per process: `mkdocs serve` converts again only a notebook that changed
def downloadable(source: str, repo_url: str) -> str:
    """The .ipynb a reader downloads: the jupytext `source` without outputs, the install cell second."""
    nb = jupytext.reads(source, fmt="py:percent")
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells.insert(1, nbformat.v4.new_code_cell(install_cell(repo_url)))
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    return jupytext.writes(nb, fmt="ipynb")


def on_files(files: Files, config) -> Files:
    for f in list(files):
        if f.src_uri.startswith(DOCS_NOTEBOOKS) and f.src_uri.endswith(".py"):
            uri = str(Path(f.src_uri).with_suffix(".ipynb"))
            source = Path(f.abs_src_path).read_text(encoding="utf-8")
            files.append(File.generated(config, uri, content=downloadable(source, config["repo_url"])))
    return files


RANDOM_CELL_ID = re.compile(r'id="cell-id=[0-9a-f]{8}"')


STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.S)
# The copy button mkdocs-jupyter puts on each code cell speaks English.
UI_TEXT = {'aria-label="Copy to Clipboard"': 'aria-label="复制代码"', ">Copied!<": ">已复制<"}


def numbered(output: str) -> str:
    """A notebook page's HTML with its random cell ids numbered and the UI text in Chinese."""
    counter = itertools.count()
    output = RANDOM_CELL_ID.sub(lambda _: f'id="cell-{next(counter)}"', output)
    for english, chinese in UI_TEXT.items():
        output = output.replace(english, chinese)
    return output


def pruned(output: str) -> str:
    """JupyterLab's stylesheet, inlined whole (~570 KB), cut to the rules this page uses (~8 %)."""
    return STYLE.sub(lambda m: m.group(1) + css_prune.prune(m.group(2), output) + m.group(3), output)


# Pruning takes ~0.15 s a page: the result is kept by the page's HTML and this code.
PRUNED = DiskMemo("notebook_pages")
_CODE = (Path(__file__).read_bytes(), Path(css_prune.__file__).read_bytes())
_dirty = [False]


def on_startup(command: str, dirty: bool) -> None:
    _dirty[0] = dirty


class _EveryPath(set):  # type: ignore[type-arg]
    """A set of used cache files that holds every file: mkdocs-jupyter then deletes none."""

    def __contains__(self, item: object) -> bool:
        return True


def on_pre_build(config) -> None:
    PRUNED.load()
    # mkdocs-jupyter deletes after each build every executed notebook in its cache that the build did
    # not convert. A dirty build (`make serve` rebuilding an edited page) converts only what it
    # rebuilds, so one edit deleted all nine notebooks' results and the next build executed them
    # again (~20 s, a warm build of ~6 s taking ~25 s). A dirty build keeps them; the next
    # `mkdocs build` removes the stale ones. (This hook's events run after the plugin's: its set is made by now.)
    plugin = config["plugins"].get("mkdocs-jupyter")
    if _dirty[0] and plugin is not None:
        plugin._used_cache_paths = _EveryPath()


def on_post_page(output: str, page, config) -> str:
    if not page.file.src_uri.startswith(DOCS_NOTEBOOKS):
        return output
    start = time.perf_counter()
    output = numbered(output)
    output = PRUNED.get(key_of(*_CODE, output), lambda: pruned(output))
    timings.add("notebooks (css)", time.perf_counter() - start)
    return output


def on_post_build(config) -> None:
    PRUNED.save(dirty=_dirty[0])
