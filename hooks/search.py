"""Site search: a Pagefind index written after the build, and the data the search box needs.

Pagefind (its extended build segments Chinese) splits the index into small chunks that the browser
fetches only when the reader searches, so no page carries the index on its critical path. The
reader's query is prepared in the browser (docs/javascripts/search.js): Chinese and Latin split,
filler words dropped, synonyms tried. The data for that comes from the repository's `search/`
folder and is written to `search/data.json` in the built site:

- `synonyms` from search/synonyms.yml, `stopwords` from search/stopwords.txt;
- `protect`: words of the site's own vocabulary (jieba, with the site's user dictionary) that
  contain a one-character stop word, such as 饱和 or 是否, so the query keeps them whole;
- `unanswered`: the questions docs/questions.yml lists without an answer yet, with the address of
  their row in the question index, shown as 「尚未收录」 when a query matches them.

`DLH_SEARCH_MATERIAL=true` builds with Material's own search instead (lunr, the whole index loaded
by every page), with the same query preparation: scripts/search_compare.py uses it to compare the
two engines on search/queries.yml.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from html import unescape
from importlib.metadata import version
from pathlib import Path

import deps  # hooks/deps.py
import material as material_theme
import timings
import yaml
from memo import key_of  # hooks/memo.py
from mkdocs.exceptions import PluginError
from questions import row_id  # hooks/questions.py writes the rows this links to

ROOT = Path(__file__).resolve().parent.parent
SEARCH = ROOT / "search"

# What Pagefind reads of a page: the article, without math (KaTeX's HTML would index glyph soup),
# permalink marks, notebook outputs or the page's footer lines.
ARTICLE = '<article class="md-content__inner md-typeset">'
EXCLUDE = [".katex", ".headerlink", ".anchor-link", ".jp-OutputArea", ".md-source-file"]
SIZE = re.compile(r"(\d+)\s*×\s*(\d+)")
# The two parts of a page that hold its address on the site (site_url + path): the canonical link and,
# URL-encoded, the errata link in the page's facts under the article (overrides/partials/source-file.html).
# `mkdocs serve` and `make bench` build with other site_urls than `mkdocs build`, and the index, kept
# by a hash of what Pagefind reads, was rebuilt (~6 s, in the background of the first rebuild under
# serve) for differences Pagefind does not use: it names results by their file's path, and the facts
# are among the EXCLUDE selectors.
SITE_URL_PARTS = re.compile(r'<link rel="canonical" href="[^"]*">\n?|<aside class="md-source-file[^"]*">.*?</aside>',
                            re.S)
# The question index and the home page list every question (title and first sentence): indexed,
# they would match nearly every query ahead of the page that answers it.
NOT_INDEXED = {"", "questions/", "404.html"}

# Kept across the rebuilds of `mkdocs serve --dirty`, which render only the edited pages: the index
# and the word lists always cover every page (each entry is the page's latest version).
_pages: dict[str, str] = {}  # url -> the built file of a page Pagefind indexes
_text: dict[str, str] = {}  # url -> the page's plain text, for the protected-word list
_serving = [False]
_indexer: list[threading.Thread] = []


def material(config) -> bool:
    plugin = config.plugins.get("material/search")
    return bool(plugin and plugin.config.enabled)


def on_startup(command: str, dirty: bool) -> None:
    _serving[0] = command == "serve"


def on_page_content(html: str, page, config, files) -> str:
    _text[page.url] = unescape(re.sub(r"<[^>]+>", " ", html))
    return html


# The search button, written into the header at build time so nothing moves when the page's script
# runs (docs/javascripts/search.js binds it); the icon is the theme's own magnifier.
ICON = (Path(material_theme.__file__).parent / "templates" / ".icons" / "material" / "magnify.svg").read_text()
BUTTON = ('<button type="button" class="md-header__button md-icon dlh-search-button" aria-label="搜索" '
          f'title="搜索（快捷键 /）">{ICON.strip()}<span class="dlh-search-button__label">搜索</span></button>')


def with_button(html: str) -> str:
    """The page with the search button before the header's repository link (or at the header's end)."""
    start = html.find('<nav class="md-header__inner')
    if start < 0:
        return html
    source = html.find('<div class="md-header__source">', start)
    end = html.find("</nav>", start)
    at = source if 0 <= source < end else end
    return html[:at] + BUTTON + html[at:]


def on_post_template(output: str, template_name: str, config) -> str:
    if template_name == "404.html" and not material(config):
        output = with_button(output)
    return output


def on_post_page(output: str, page, config) -> str:
    if not material(config):
        output = with_button(output)
    if page.url not in NOT_INDEXED:  # read back after the build, once every hook has had its say
        _pages[page.url or "index.html"] = page.file.abs_dest_path
    return output


def indexed_copy(html: str) -> str:
    """The page as Pagefind reads it: sizes such as 1×1 spelt 1x1 (Pagefind's Chinese segmenter
    cuts at ×; the search box spells 1*1, 1×1 and 1x1 all as 1x1), the article marked as the
    part to index, and without the canonical link and the page's facts (the parts that depend on
    site_url; Pagefind reads neither)."""
    html = html.replace(ARTICLE, ARTICLE.replace("<article ", "<article data-pagefind-body "), 1)
    return SIZE.sub(r"\1x\2", SITE_URL_PARTS.sub("", html, count=2))


def load_data(text: list[str]) -> dict:
    """The query-preparation data: synonyms, stop words, protected words, unanswered questions."""
    synonyms = yaml.safe_load((SEARCH / "synonyms.yml").read_text(encoding="utf-8"))
    if not all(isinstance(g, list) and len(g) >= 2 and all(isinstance(w, (str, int)) for w in g) for g in synonyms):
        raise PluginError("search/synonyms.yml: every entry must be a list of at least two words")
    stop = [w.strip() for w in (SEARCH / "stopwords.txt").read_text(encoding="utf-8").splitlines()
            if w.strip() and not w.startswith("#")]
    single = {w for w in stop if len(w) == 1}
    protect = sorted(set(cached_protected_words(text, single)) - set(stop))
    entries = yaml.safe_load((ROOT / "docs" / "questions.yml").read_text(encoding="utf-8"))
    unanswered = [{"q": e["q"], "url": f"questions/#{row_id(e['seed'])}"} for e in entries if "page" not in e]
    return {"synonyms": [[str(w) for w in g] for g in synonyms], "stopwords": sorted(stop, key=len, reverse=True),
            "protect": protect, "unanswered": unanswered}


def cached_protected_words(text: list[str], single: set[str]) -> list[str]:
    """protected_words, kept in the build cache by a hash of the text (jieba takes ~2 s)."""
    key = hashlib.sha256(json.dumps([text, sorted(single)], ensure_ascii=False).encode()).hexdigest()[:16]
    path = deps.cache_dir() / "search-protect.json"
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved["key"] == key:
            return saved["words"]
    except (OSError, ValueError, KeyError):
        pass
    words = protected_words(text, single)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"key": key, "words": words}, ensure_ascii=False), encoding="utf-8")
    return words


def protected_words(text: list[str], single: set[str]) -> list[str]:
    """Words jieba finds in the site's text that contain a one-character stop word (饱和, 是否)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    user = ROOT / "hooks" / "jieba_user_dict.txt"
    if user.exists():
        jieba.load_userdict(str(user))
    words: set[str] = set()
    for chunk in text:
        for run in re.findall(r"[\u4e00-\u9fff]{2,}", chunk):
            for w in jieba.lcut(run):
                if len(w) >= 2 and any(c in single for c in w):
                    words.add(w)
    return sorted(words)


def write_index(site: Path, pages: dict[str, str]) -> None:
    """Run Pagefind's command line over the indexed copies of the built `pages` (url -> file); 0.6 s
    here, where its Python API took 4 s. The index is kept in the build cache by a hash of what
    Pagefind reads and how it is called, so a build whose pages read the same reuses it (~3 s)."""
    copies = {url: indexed_copy(Path(built).read_text(encoding="utf-8")) for url, built in sorted(pages.items())}
    options = ["--exclude-selectors", ",".join(EXCLUDE), "--force-language", "zh"]
    key = key_of(version("pagefind"), *options, *(part for item in copies.items() for part in item))[:16]
    kept = deps.cache_dir() / "pagefind" / key
    out = site / "pagefind"
    if not (kept / "pagefind.js").exists():
        with tempfile.TemporaryDirectory() as tmp:
            for url, text in copies.items():
                path = Path(tmp) / url / "index.html" if url.endswith("/") else Path(tmp) / url
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            fresh = Path(tmp) / "_index"
            cmd = [sys.executable, "-m", "pagefind", "--site", tmp, "--output-path", str(fresh), "--silent", *options]
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode or not (fresh / "pagefind.js").exists():
                raise PluginError(f"pagefind failed ({done.returncode}): {done.stdout[-2000:]}{done.stderr[-2000:]}")
            for old in kept.parent.glob("*") if kept.parent.exists() else ():
                if old.name != key and not old.name.startswith("."):  # one index kept: the latest
                    shutil.rmtree(old, ignore_errors=True)
            # Copied beside, then renamed into place: an interrupted copy is never taken for an index.
            part = kept.parent / f".{key}.{os.getpid()}"
            shutil.copytree(fresh, part)
            try:
                part.rename(kept)
            except OSError:  # another build put the same index there first
                shutil.rmtree(part, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(kept, out)


def write_search(site: Path, text: list[str], pages: dict[str, str] | None) -> None:
    """search/data.json, and the Pagefind index unless `pages` is None (Material's search)."""
    out = site / "search"
    out.mkdir(exist_ok=True)
    data = json.dumps(load_data(text), ensure_ascii=False, separators=(",", ":"))
    (out / "data.json").write_text(data, encoding="utf-8")
    if pages is not None:
        write_index(site, pages)


def on_post_build(config) -> None:
    t0 = time.perf_counter()
    args = (Path(config.site_dir), [_text[url] for url in sorted(_text)], None if material(config) else dict(_pages))
    if _serving[0]:
        # Under `mkdocs serve` the edited page reloads at once; the search data follow a moment later.
        for running in _indexer:
            running.join()
        _indexer[:] = [threading.Thread(target=write_search, args=args, daemon=True)]
        _indexer[0].start()
    else:
        write_search(*args)
    timings.add("search", time.perf_counter() - t0)
