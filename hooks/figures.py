"""Figures from code: render the registered figure functions at build time, cached by what they import.

- Each chapter's figures (snippets/<chapter>/figures.py) are cached under a key made of the files
  that module imports from snippets/, directly or not (hooks/deps.py reads the import statements),
  the matplotlib version and the renderer: editing one chapter's snippet re-renders that chapter's
  figures only, and a chapter that imports another's module re-renders when that module changes.
- Rendering of the stale chapters starts in the background when the build starts (up to one
  process per core, each taking the next stale figure no other has taken) and runs while pages and
  notebooks are converted and written and the search index is made; the build waits for it at the
  end (on_post_build) and then copies the SVGs into the site.
- The SVGs enter the site as generated files (`figures/<name>.svg`, `figures/<name>-dark.svg`),
  never written into docs/, so `mkdocs serve` does not rebuild in a loop.
- On a page, `![说明](fig:<name>)` becomes a <figure> holding the light and the dark variant and the
  caption; an unknown name fails the build.
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import deps  # hooks/deps.py: MkDocs puts a hook's folder on sys.path while loading it
import timings
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parent.parent
CACHE = deps.cache_dir() / "figures"
log = logging.getLogger("mkdocs.hooks.figures")

# A caption may hold brackets one level deep (an interval such as $[0, 1]$).
FIG_REF = re.compile(r"!\[(?P<caption>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(fig:(?P<name>[a-z0-9-]+)\)")
LEFTOVER = re.compile(r"\]\(fig:")
# Figure names are read from the decorators, so pages can be converted while rendering runs;
# on_post_build checks that each chapter's rendered set is exactly its declared one.
FIG_DEF = re.compile(r'^@figure\(\s*"([a-z0-9-]+)"\s*[,)]', re.M)  # @figure("name") or @figure("name", measured=...)
THEMES = (("light", ""), ("dark", "-dark"))


class _Render:
    """The render of one build: per chapter its cache folder, and the processes still running."""

    def __init__(self) -> None:
        self.target: dict[str, Path] = {}  # chapter -> cache folder of its current key
        self.names: dict[str, set[str]] = {}  # chapter -> figure names its module declares
        self.chapter_of: dict[str, str] = {}  # figure name -> its chapter
        self.tmp: Path | None = None
        self.stale: list[str] = []
        self.jobs: list[subprocess.Popen[bytes]] = []
        self.started = 0.0
        self.deferred: list[tuple[_FigureFile, bool]] = []  # SVGs to copy once rendered, and `dirty`


class _FigureFile(File):
    """A figure's SVG in the site. While its chapter's figures are rendering, its copy waits for
    on_post_build, so the pages (which only link to it) are built meanwhile."""

    chapter = ""

    def copy_file(self, dirty: bool = False) -> None:
        if _render.tmp is not None and self.chapter in _render.stale:
            _render.deferred.append((self, dirty))
        else:
            super().copy_file(dirty)
            _COPIED_FROM[self.abs_dest_path] = str(self.abs_src_path)

    def is_modified(self) -> bool:
        # By the render it comes from, not by time: under `mkdocs serve --dirty`, undoing an edit
        # brings back the older render of the code as it is again, a file older than the site's copy.
        return _COPIED_FROM.get(self.abs_dest_path) != str(self.abs_src_path) or super().is_modified()


_COPIED_FROM: dict[str, str] = {}  # a figure's file in the site -> the rendered file copied there, this process


_render = _Render()


def _chapters() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "snippets").glob("*/figures.py"))


def _chapter_key(chapter: str) -> str:
    renderer = (ROOT / "hooks" / "render_figures.py").read_bytes().decode("utf-8")
    # Dark variants drawn (DLH_RENDER_DARK=1) or recoloured (snippets/figures.py): cached apart.
    mode = f"\nDLH_RENDER_DARK={os.environ.get('DLH_RENDER_DARK') == '1'}"
    return deps.key(ROOT / "snippets" / chapter / "figures.py", extra=renderer + mode)


def _share_runs() -> None:
    """Let figure renderers and notebook kernels share experiment results (snippets/run_cache.py).

    A result lives in `runs/<module>/<hash of the module's code and its imports>/`; a folder whose
    hash is no longer the module's (its code changed) is removed, and so is an older layout's.
    """
    runs = CACHE.parent / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    os.environ["DLH_RUN_CACHE"] = str(runs)  # inherited by the render processes and the kernels
    for module in runs.iterdir():
        if not module.name.startswith("snippets."):
            if re.fullmatch(r"[0-9a-f]{16}", module.name):  # the layout before results were per module
                shutil.rmtree(module, ignore_errors=True)
            continue
        source = deps.module_file(module.name)
        current = deps.code_digest(source) if source else None
        for code in module.iterdir():
            if code.name != current:
                shutil.rmtree(code, ignore_errors=True)


def on_pre_build(config) -> None:
    timings.start()
    deps.forget()
    _share_runs()
    _render.jobs, _render.tmp, _render.stale, _render.deferred = [], None, [], []
    _render.target, _render.names, _render.chapter_of = {}, {}, {}
    clash: set[str] = set()
    for chapter in _chapters():
        _render.target[chapter] = CACHE / f"{chapter}-{_chapter_key(chapter)}"
        source = (ROOT / "snippets" / chapter / "figures.py").read_text("utf-8")
        _render.names[chapter] = set(FIG_DEF.findall(source))
        clash |= _render.names[chapter] & _render.chapter_of.keys()
        _render.chapter_of.update(dict.fromkeys(_render.names[chapter], chapter))
        if not (_render.target[chapter] / ".complete").exists():
            _render.stale.append(chapter)
    if clash:
        raise PluginError(f"figure names declared in two chapters: {sorted(clash)}")
    if not _render.stale:
        return
    # A private folder per process: two builds rendering at once (tests, serve) do not collide.
    _render.tmp = CACHE / f".tmp{os.getpid()}"
    shutil.rmtree(_render.tmp, ignore_errors=True)
    _render.tmp.mkdir(parents=True)
    # Chapters from z to a: the notebooks run from a to z (pages are read in path order), so an
    # experiment a figure and a notebook share is computed early by whichever reaches it first and
    # read by the other, not left to one process at the end while the others wait.
    todo = [f"{ch}/{name}" for ch in sorted(_render.stale, reverse=True) for name in sorted(_render.names[ch])]
    shards = max(1, min(4, os.cpu_count() or 1, len(todo)))
    log.info("Rendering %d figures of %s in %d processes (their code changed) ...",
             len(todo), ", ".join(_render.stale), shards)
    # One BLAS thread each: the experiments multiply small matrices, where threads cost more than
    # they save, and the shards already use the cores.
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    script = str(ROOT / "hooks" / "render_figures.py")
    _render.started = time.perf_counter()
    for _ in range(shards):
        _render.jobs.append(subprocess.Popen(
            [sys.executable, script, str(_render.tmp), *todo],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        ))


def slowest(claims: Path, n: int = 3) -> list[tuple[str, float]]:
    """The `n` figures that took the most CPU to render ("chapter/name", seconds), read off the
    claim files hooks/render_figures.py leaves; a figure still claimed but not drawn is skipped."""
    done = []
    for claim in claims.glob("*.*"):
        text = claim.read_text(encoding="utf-8").strip()
        if text:
            done.append((claim.name.replace(".", "/", 1), float(text)))
    return sorted(done, key=lambda d: (-d[1], d[0]))[:n]


def _finish() -> None:
    """Wait for the render processes, then move each stale chapter's output into the cache."""
    jobs, tmp = _render.jobs, _render.tmp
    _render.jobs, _render.tmp = [], None
    if tmp is None:
        return
    errors = [job.communicate()[1].decode("utf-8", "replace") for job in jobs]
    timings.add("figures (in the background)", time.perf_counter() - _render.started)
    failed = [err for job, err in zip(jobs, errors, strict=True) if job.returncode != 0]
    if failed:
        shutil.rmtree(tmp, ignore_errors=True)
        raise PluginError(f"rendering figures failed:\n{failed[0][-4000:]}")
    for name, seconds in slowest(tmp / ".claims"):
        timings.add(f"figure CPU: {name}", seconds)
    for chapter in _render.stale:
        folder = tmp / chapter
        rendered = {p.stem for p in folder.glob("*.svg") if not p.stem.endswith("-dark")}
        if rendered != _render.names[chapter]:
            shutil.rmtree(tmp, ignore_errors=True)
            raise PluginError(
                f"{chapter}: figures rendered and figures declared with @figure(\"...\") differ: "
                f"{sorted(rendered ^ _render.names[chapter])} (write the name as a literal in the decorator)"
            )
        (folder / ".complete").write_text("ok\n")
        target = _render.target[chapter]
        try:
            folder.rename(target)
        except OSError:  # another build finished the same render first: its files are identical
            pass
        # Keep only the newest few renders of each chapter so the cache does not grow without bound.
        old = sorted((p for p in CACHE.glob(f"{chapter}-*") if p.is_dir() and p != target),
                     key=lambda p: p.stat().st_mtime)
        for path in old[:-2]:
            shutil.rmtree(path, ignore_errors=True)
    shutil.rmtree(tmp, ignore_errors=True)


def on_files(files: Files, config) -> Files:
    for name, chapter in sorted(_render.chapter_of.items()):
        for _, suffix in THEMES:
            svg = f"{name}{suffix}.svg"
            file = _FigureFile.generated(config, f"figures/{svg}", abs_src_path=str(_render.target[chapter] / svg))
            file.chapter = chapter
            files.append(file)
    return files


# How TeX commands read in plain text (a figure's alt text is its caption, read aloud or shown when
# the image cannot be); a command not listed reads as its name.
TEX_WORDS = {
    "partial": "∂", "times": "×", "cdot": "·", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠",
    "approx": "≈", "to": "→", "infty": "∞", "sum": "∑", "prod": "∏", "in": "∈", "pm": "±", "odot": "⊙",
    "nabla": "∇", "ell": "ℓ", "log": "log", "exp": "exp", "max": "max", "min": "min", "tanh": "tanh",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "eta": "η",
    "theta": "θ", "lambda": "λ", "mu": "μ", "sigma": "σ", "tau": "τ", "phi": "φ", "rho": "ρ", "pi": "π",
    "Delta": "Δ", "Sigma": "Σ",
    # commands that only style their argument read as the argument
    **dict.fromkeys(["mathbf", "mathrm", "mathit", "mathcal", "mathbb", "boldsymbol", "operatorname", "text",
                     "textrm", "hat", "bar", "tilde", "left", "right", "big", "Big"], ""),
}


def alt_text(caption: str) -> str:
    """A caption as plain text: Markdown emphasis and code marks dropped, math read as text
    (`$\\partial y / \\partial x$` -> `∂ y / ∂ x`, `\\frac{a}{b}` -> `a/b`, `\\sqrt{x}` -> `√x`)."""
    def math(m: re.Match[str]) -> str:
        tex = m[1]
        def group(t: str) -> str:  # a single term needs no parentheses
            return t if re.fullmatch(r"[A-Za-z0-9.]+", t) else f"({t})"

        tex = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", lambda f: f"{group(f[1])}/{group(f[2])}", tex)
        tex = re.sub(r"\\sqrt\{([^{}]*)\}", lambda r: f"√{group(r[1])}", tex)
        tex = re.sub(r"\\([A-Za-z]+)", lambda c: TEX_WORDS.get(c[1], c[1]), tex)
        return re.sub(r"[{}]|\\[,;!: ]", "", tex)

    text = re.sub(r"(?<!\\)\$(.+?)(?<!\\)\$", math, caption)
    return re.sub(r"[*`]|\\(?=\$)", "", text)


def on_page_markdown(markdown: str, page, config, files) -> str:
    def replace(m: re.Match[str]) -> str:
        name, caption = m["name"], m["caption"].strip()
        if name not in _render.chapter_of:
            raise PluginError(f"{page.file.src_uri}: no figure named {name!r} (known: {sorted(_render.chapter_of)})")
        light = get_relative_url(f"figures/{name}.svg", page.file.src_uri)
        dark = get_relative_url(f"figures/{name}-dark.svg", page.file.src_uri)
        alt = html.escape(alt_text(caption), quote=True)
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


def on_post_build(config) -> None:
    _finish()
    deferred, _render.deferred = _render.deferred, []
    for file, dirty in deferred:
        file.copy_file(dirty)
    timings.write()


def on_build_error(error: Exception) -> None:
    for job in _render.jobs:
        job.kill()
    _render.jobs = []
