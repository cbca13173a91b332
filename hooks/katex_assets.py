"""Serve KaTeX from the site itself: copy the pinned npm package's files into `assets/katex/`.

The files are added as generated files (never written into docs/), so `mkdocs serve` does not
rebuild in a loop and nothing third-party is committed. `npm ci` installs the version that
package-lock.json pins; a missing or different version fails the build with what to run.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent

log = logging.getLogger("mkdocs.hooks.katex")

DIST = ROOT / "node_modules" / "katex" / "dist"
# What a page needs: the stylesheet and the woff2 fonts (every browser the site targets takes woff2
# first, so the woff/ttf fallbacks are not shipped). The math itself is rendered at build time
# (hooks/katex_prerender.py), so no KaTeX JavaScript is shipped.
WANTED = ("katex.min.css",)


def _pinned_version() -> str:
    return json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]["katex"]


def on_files(files: Files, config) -> Files:
    pinned = _pinned_version()
    manifest = ROOT / "node_modules" / "katex" / "package.json"
    if not manifest.exists():
        raise PluginError(f"KaTeX {pinned} is not installed: run `npm ci` in {ROOT}")
    installed = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    if installed != pinned:
        raise PluginError(f"KaTeX {installed} is installed but package.json pins {pinned}: run `npm ci`")
    paths = [DIST / name for name in WANTED] + sorted((DIST / "fonts").glob("*.woff2"))
    for path in paths:
        uri = "assets/katex/" + path.relative_to(DIST).as_posix()
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    log.debug("KaTeX %s: %d files", installed, len(paths))
    return files
