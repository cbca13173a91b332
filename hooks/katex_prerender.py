"""Render every formula at build time, so pages ship KaTeX's HTML and CSS and no math JavaScript.

One Node process (hooks/katex_server.js, the KaTeX that package-lock.json pins) serves the whole
build, and `mkdocs serve`'s rebuilds too; each distinct formula is rendered once per process.

- Pages: pymdownx.arithmatex (generic) writes `\\( ... \\)` in `<span class="arithmatex">` and
  `\\[ ... \\]` in `<div class="arithmatex">`; the wrapper stays, its content becomes KaTeX's.
- Notebook pages (mkdocs-jupyter): `$...$` and `$$...$$` inside Markdown cells' output.
- A formula KaTeX cannot parse fails the build with the page and the formula.

The math is there when the HTML arrives: no flash of raw TeX, no layout shift, and printing or
saving as PDF needs no script.
"""

from __future__ import annotations

import atexit
import hashlib
import html
import json
import logging
import re
import subprocess
import time
from pathlib import Path

import deps  # hooks/deps.py
import timings
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / "hooks" / "katex_server.js"
log = logging.getLogger("mkdocs.hooks.katex_prerender")

ARITHMATEX = re.compile(
    r'(?P<open><(?P<tag>span|div) class="arithmatex">)\s*'
    r"(?P<delim>\\\(|\\\[)(?P<tex>.*?)(?:\\\)|\\\])\s*(?P<close></(?P=tag)>)",
    re.S,
)
NOTEBOOK_MARKDOWN = re.compile(r'(<div class="[^"]*jp-MarkdownOutput[^"]*"[^>]*>)(.*?)(</div>)', re.S)
# $$...$$ first, then $...$ that neither starts nor ends with a space (as Jupyter's renderer reads it).
NOTEBOOK_MATH = re.compile(r"\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?P<inline>[^\s$](?:[^$]*?[^\s\\$])?)\$", re.S)


class _Katex:
    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None
        self.memo: dict[tuple[str, bool], str] = {}
        self.used: set[tuple[str, bool]] = set()  # what this process's builds showed: what is saved
        self.cache_path: Path | None = None  # set by load(); save() writes there
        self.version = ""
        self.saved_keys: set[tuple[str, bool]] | None = None

    def _start(self) -> subprocess.Popen[str]:
        if self.proc is None or self.proc.poll() is not None:
            try:
                self.proc = subprocess.Popen(
                    ["node", str(SERVER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                    text=True, encoding="utf-8", bufsize=1,
                )
            except FileNotFoundError as e:
                raise PluginError("rendering math needs Node.js (`node` on PATH) and `npm ci`") from e
        return self.proc

    def render(self, tex: str, display: bool, where: str) -> str:
        key = (tex, display)
        self.used.add(key)
        if key not in self.memo:
            proc = self._start()
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write(json.dumps({"tex": tex, "display": display}) + "\n")
            proc.stdin.flush()
            line = proc.stdout.readline()
            if not line:
                raise PluginError(f"{where}: the KaTeX process ended (is `npm ci` done?)")
            reply = json.loads(line)
            if "error" in reply:
                raise PluginError(f"{where}: {reply['error']}\n  formula: {tex[:200]!r}")
            for warning in reply["warnings"]:
                log.debug("%s: KaTeX: %s in %r", where, warning, tex[:80])
            self.memo[key] = reply["html"]
        return self.memo[key]

    def load(self, path: Path, version: str) -> None:
        """Start from the formulas an earlier build rendered with the same KaTeX and options."""
        self.cache_path, self.version = path, version
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if saved.get("version") == version:
            for tex, display, out in saved["formulas"]:
                self.memo.setdefault((tex, bool(display)), out)

    def save(self) -> None:
        """Keep the formulas this process's builds showed for the next build. The first build of a
        process is a full one, so formulas deleted from the pages drop out of the cache."""
        if self.cache_path is None or self.used == self.saved_keys:
            return
        formulas = [[tex, display, self.memo[(tex, display)]] for tex, display in sorted(self.used)]
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_path.with_suffix(".tmp")
        data = {"version": self.version, "formulas": formulas}
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.cache_path)
        self.saved_keys = set(self.used)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


_katex = _Katex()
atexit.register(_katex.stop)


def render_page(output: str, where: str, notebook: bool = False) -> str:
    """The page's HTML with every formula rendered (a function of its own, for the tests)."""

    def arithmatex(m: re.Match[str]) -> str:
        tex = html.unescape(m["tex"]).strip()
        return m["open"] + _katex.render(tex, m["delim"] == "\\[", where) + m["close"]

    output = ARITHMATEX.sub(arithmatex, output)
    if notebook:
        def math(m: re.Match[str]) -> str:
            display = m["display"] is not None
            tex = html.unescape(m["display"] if display else m["inline"]).strip()
            return _katex.render(tex, display, where)

        output = NOTEBOOK_MARKDOWN.sub(lambda m: m[1] + NOTEBOOK_MATH.sub(math, m[2]) + m[3], output)
    return output


# KaTeX's text stays invisible until its font arrives, so the moment math appears is when the last
# font it needs has loaded. Each page preloads exactly the KaTeX fonts its formulas use, found from
# katex.min.css: a rule `.katex .mathcal{font-family:KaTeX_Caligraphic}` maps the class to
# KaTeX_Caligraphic-Regular.woff2, and a page uses that font when an element of its formulas has
# every class the rule names. A rule such as `.katex .delimsizing.mult .delim-size4>span` counts
# when an element has the classes of its last compound (delim-size4): the ancestors are not
# checked, so a page may preload a font it does not need but never misses one (a font missed
# here is fetched only when the first layout asks for it: on the activations page, KaTeX_Size4
# then arrived at 2.8 s on the emulated phone, after every other font). Fetched beside the
# stylesheet instead of after it.
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
FAMILY = re.compile(r"font-family:\s*KaTeX_(\w+)")
CLASSES_ONLY = re.compile(r"\.katex (?:(?:\.[\w-]+)+ )*((?:\.[\w-]+)+)(?:>span)?")
CLASS_ATTR = re.compile(r'class="([^"]*)"')


def font_classes(css: str) -> list[tuple[frozenset[str], str]]:
    """(classes, font file stem) for each KaTeX rule that sets a font family."""
    out = []
    for prelude, body in RULE.findall(css):
        family = FAMILY.search(body)
        if not family:
            continue
        bold = "font-weight:700" in body or "font-weight:bold" in body
        italic = "font-style:italic" in body
        style = "BoldItalic" if bold and italic else "Bold" if bold else "Italic" if italic else "Regular"
        for selector in prelude.split(","):
            m = CLASSES_ONLY.fullmatch(selector.strip())
            if m:
                out.append((frozenset(m[1].strip(".").split(".")), f"KaTeX_{family[1]}-{style}"))
    return out


KATEX_DIST = Path(__file__).resolve().parent.parent / "node_modules" / "katex" / "dist"
_FONT_CLASSES: list[tuple[frozenset[str], str]] = []


def fonts_used(output: str, rules: list[tuple[frozenset[str], str]]) -> list[str]:
    """The KaTeX font files the formulas of a page need (Main-Regular and Math-Italic always)."""
    element_classes = {frozenset(c.split()) for c in CLASS_ATTR.findall(output)}
    used = {"KaTeX_Main-Regular", "KaTeX_Math-Italic"}
    for classes, font in rules:
        if any(classes <= e for e in element_classes):
            used.add(font)
    return sorted(used)


def _preload(output: str, page_uri: str) -> str:
    if not _FONT_CLASSES:
        _FONT_CLASSES.extend(font_classes((KATEX_DIST / "katex.min.css").read_text(encoding="utf-8")))
    links = "".join(
        f'<link rel="preload" as="font" type="font/woff2" crossorigin '
        f'href="{get_relative_url(f"assets/katex/fonts/{font}.woff2", page_uri)}">'
        for font in fonts_used(output, _FONT_CLASSES)
        if (KATEX_DIST / "fonts" / f"{font}.woff2").exists()
    )
    return output.replace("</head>", links + "</head>", 1)


def on_pre_build(config) -> None:
    # A formula's HTML depends only on its TeX, display mode, the KaTeX version and the options in
    # katex_server.js: a warm build renders only new formulas (0.8 s for 35 pages without this).
    package = json.loads((KATEX_DIST.parent / "package.json").read_text(encoding="utf-8"))["version"]
    options = hashlib.sha256(SERVER.read_bytes()).hexdigest()[:12]
    cache = deps.cache_dir() / "katex-formulas.json"
    _katex.load(cache, f"{package}-{options}")


def on_post_build(config) -> None:
    _katex.save()


def on_post_page(output: str, page, config) -> str:
    start = time.perf_counter()
    output = render_page(output, page.file.src_uri, notebook=page.file.src_uri.startswith("notebooks/"))
    if 'class="katex"' in output:
        output = _preload(output, page.file.url or "index.html")
    timings.add("math (KaTeX)", time.perf_counter() - start)
    return output


def on_shutdown() -> None:
    _katex.stop()
