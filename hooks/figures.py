"""Figures from code: render the registered figure functions at build time, cached by content.

- The cache key is a hash of every file under snippets/ plus the matplotlib version: a warm build
  or a page edit renders nothing, an edited snippet re-renders once, in fresh processes.
- Rendering starts in the background when the build starts (one process per core, each taking a
  share of the figures) and runs while pages and notebooks are converted; the build waits for it
  just before files are copied.
- The SVGs enter the site as generated files (`figures/<name>.svg`, `figures/<name>-dark.svg`),
  never written into docs/, so `mkdocs serve` does not rebuild in a loop.
- On a page, `![说明](fig:<name>)` becomes a <figure> holding the light and the dark variant and the
  caption; an unknown name fails the build.
"""

from __future__ import annotations

import hashlib
import html
import logging
import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parent.parent
# DLH_CACHE_DIR lets the tests build from an empty cache (two clean builds compared byte for byte).
CACHE = Path(os.environ.get("DLH_CACHE_DIR", ROOT / ".cache")) / "figures"
log = logging.getLogger("mkdocs.hooks.figures")

# A caption may hold brackets one level deep (an interval such as $[0, 1]$).
FIG_REF = re.compile(r"!\[(?P<caption>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(fig:(?P<name>[a-z0-9-]+)\)")
LEFTOVER = re.compile(r"\]\(fig:")
# Figure names are read from the decorators, so pages can be converted while rendering runs;
# on_env checks that the rendered set is exactly this one.
FIG_DEF = re.compile(r'^@figure\(\s*"([a-z0-9-]+)"\s*\)', re.M)
THEMES = (("light", ""), ("dark", "-dark"))


class _Render:
    """The render of one build: its target folder and, while running, its processes."""

    def __init__(self) -> None:
        self.target: Path = CACHE
        self.tmp: Path | None = None
        self.jobs: list[subprocess.Popen[bytes]] = []
        self.names: set[str] = set()


_render = _Render()


def _source_key() -> str:
    h = hashlib.sha256(f"matplotlib=={version('matplotlib')}\n".encode())
    for path in sorted((ROOT / "snippets").rglob("*.py")) + [ROOT / "hooks" / "render_figures.py"]:
        h.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def _declared_names() -> set[str]:
    return {n for f in (ROOT / "snippets").glob("*/figures.py") for n in FIG_DEF.findall(f.read_text("utf-8"))}


def on_pre_build(config) -> None:
    _render.target = CACHE / _source_key()
    _render.names = _declared_names()
    _render.jobs, _render.tmp = [], None
    if (_render.target / ".complete").exists():
        return
    # A private folder per process: two builds rendering at once (tests, serve) do not collide.
    _render.tmp = _render.target.with_name(f"{_render.target.name}.tmp{os.getpid()}")
    shutil.rmtree(_render.tmp, ignore_errors=True)
    _render.tmp.mkdir(parents=True)
    shards = max(1, min(4, os.cpu_count() or 1))
    log.info("Rendering figures in %d processes (snippets changed) ...", shards)
    # One BLAS thread each: the experiments multiply small matrices, where threads cost more than
    # they save, and the shards already use the cores.
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    script = str(ROOT / "hooks" / "render_figures.py")
    for i in range(shards):
        _render.jobs.append(subprocess.Popen(
            [sys.executable, script, str(_render.tmp), str(i), str(shards)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        ))


def _finish() -> None:
    """Wait for the render processes, then move their output into the cache."""
    jobs, tmp, target = _render.jobs, _render.tmp, _render.target
    _render.jobs = []
    if tmp is None:
        return
    errors = [job.communicate()[1].decode("utf-8", "replace") for job in jobs]
    failed = [err for job, err in zip(jobs, errors, strict=True) if job.returncode != 0]
    if failed:
        shutil.rmtree(tmp, ignore_errors=True)
        raise PluginError(f"rendering figures failed:\n{failed[0][-4000:]}")
    rendered = {p.stem for p in tmp.glob("*.svg") if not p.stem.endswith("-dark")}
    if rendered != _render.names:
        shutil.rmtree(tmp, ignore_errors=True)
        raise PluginError(
            "figures registered and figures declared with @figure(\"...\") differ: "
            f"{sorted(rendered ^ _render.names)} (write the name as a literal in the decorator)"
        )
    (tmp / ".complete").write_text("ok\n")
    try:
        tmp.rename(target)
    except OSError:  # another build finished the same render first: its files are identical
        shutil.rmtree(tmp, ignore_errors=True)
    # Keep only the newest few renders so the cache does not grow without bound.
    old = sorted((p for p in CACHE.iterdir() if p.is_dir() and p != target and ".tmp" not in p.name),
                 key=lambda p: p.stat().st_mtime)
    for path in old[:-3]:
        shutil.rmtree(path, ignore_errors=True)


def on_files(files: Files, config) -> Files:
    for name in sorted(_render.names):
        for _, suffix in THEMES:
            svg = f"{name}{suffix}.svg"
            files.append(File.generated(config, f"figures/{svg}", abs_src_path=str(_render.target / svg)))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    def replace(m: re.Match[str]) -> str:
        name, caption = m["name"], m["caption"].strip()
        if name not in _render.names:
            raise PluginError(f"{page.file.src_uri}: no figure named {name!r} (known: {sorted(_render.names)})")
        light = get_relative_url(f"figures/{name}.svg", page.file.src_uri)
        dark = get_relative_url(f"figures/{name}-dark.svg", page.file.src_uri)
        # The alt text is the caption without math delimiters or markup.
        alt = html.escape(re.sub(r"[$\\*`_{}]", "", caption), quote=True)
        return (
            f'<figure class="dlh-figure" id="fig-{name}" markdown>\n'
            f'![{alt}]({light}#only-light){{ loading=lazy }}\n'
            f'![{alt}]({dark}#only-dark){{ loading=lazy }}\n'
            f"<figcaption markdown>{caption}</figcaption>\n</figure>"
        )

    markdown = FIG_REF.sub(replace, markdown)
    if LEFTOVER.search(markdown):
        line = next(ln for ln in markdown.splitlines() if LEFTOVER.search(ln))
        raise PluginError(f"{page.file.src_uri}: a figure reference was not understood: {line[:120]!r}")
    return markdown


def on_env(env, config, files):
    _finish()
    return env


def on_build_error(error: Exception) -> None:
    for job in _render.jobs:
        job.kill()
    _render.jobs = []
