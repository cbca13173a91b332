"""Figures from code: render the registered figure functions at build time, cached by content.

- The cache key is a hash of every file under snippets/ plus the matplotlib version: a warm build
  or a page edit renders nothing, an edited snippet re-renders once (in a fresh process).
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

FIG_REF = re.compile(r"!\[(?P<caption>[^\]]*)\]\(fig:(?P<name>[a-z0-9-]+)\)")
_names: set[str] = set()


def _source_key() -> str:
    h = hashlib.sha256(f"matplotlib=={version('matplotlib')}\n".encode())
    for path in sorted((ROOT / "snippets").rglob("*.py")) + [ROOT / "hooks" / "render_figures.py"]:
        h.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def _rendered_dir() -> Path:
    target = CACHE / _source_key()
    if (target / ".complete").exists():
        return target
    # A private folder per process: two builds rendering at once (tests, serve) do not collide.
    tmp = target.with_name(f"{target.name}.tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    log.info("Rendering figures (snippets changed) ...")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "hooks" / "render_figures.py"), str(tmp)],
        cwd=ROOT, capture_output=True, text=True,
    )
    if proc.returncode != 0:
        raise PluginError(f"rendering figures failed:\n{proc.stderr[-4000:]}")
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
    return target


def on_files(files: Files, config) -> Files:
    rendered = _rendered_dir()
    _names.clear()
    for svg in sorted(rendered.glob("*.svg")):
        files.append(File.generated(config, f"figures/{svg.name}", content=svg.read_bytes()))
        if not svg.stem.endswith("-dark"):
            _names.add(svg.stem)
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    def replace(m: re.Match[str]) -> str:
        name, caption = m["name"], m["caption"].strip()
        if name not in _names:
            raise PluginError(f"{page.file.src_uri}: no figure named {name!r} (known: {sorted(_names)})")
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

    return FIG_REF.sub(replace, markdown)
