"""Build results kept by what they depend on: hooks/memo.py, the highlight cache, the search index."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pygments
import pytest
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))  # as MkDocs does while it loads a hook

import highlight_cache  # noqa: E402
import memo  # noqa: E402

import search  # noqa: E402


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DLH_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_key_of_separates_parts_and_rejects_other_types() -> None:
    assert memo.key_of("ab", "c") != memo.key_of("a", "bc")
    assert memo.key_of("a", "b") == memo.key_of(b"a", b"b")
    with pytest.raises(TypeError, match="parts"):
        memo.key_of("a", 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="name"):
        memo.DiskMemo("not a name")


def test_a_result_is_computed_once_kept_on_disk_and_pruned_by_a_full_build(cache: Path) -> None:
    calls: list[str] = []

    def compute(value: str):  # type: ignore[no-untyped-def]
        return lambda: calls.append(value) or value.upper()

    first = memo.DiskMemo("demo")
    first.load()
    assert first.get("k1", compute("a")) == "A" and first.get("k1", compute("a")) == "A"
    assert first.get("k2", compute("b")) == "B"
    first.save(dirty=False)
    assert calls == ["a", "b"] and (cache / "demo.pkl").exists()

    # A later process reads the file: nothing is computed again. A dirty rebuild that saw only k1
    # keeps k2; a full build that saw only k1 drops it.
    second = memo.DiskMemo("demo")
    second.load()
    assert second.get("k1", compute("x")) == "A" and calls == ["a", "b"]
    second.save(dirty=True)
    third = memo.DiskMemo("demo")
    third.load()
    assert set(third.entries) == {"k1", "k2"}
    third.get("k1", compute("x"))
    third.save(dirty=False)
    fourth = memo.DiskMemo("demo")
    fourth.load()
    assert set(fourth.entries) == {"k1"}


def test_a_damaged_cache_file_is_ignored(cache: Path) -> None:
    cache.mkdir()
    (cache / "demo.pkl").write_bytes(b"not a pickle")
    m = memo.DiskMemo("demo")
    m.load()
    assert m.get("k", lambda: 3) == 3


def test_cached_highlight_gives_pygments_output_and_keys_on_source_and_options(cache: Path) -> None:
    highlight_cache.MEMO.load()
    src = "def f(x):\n    return x + 1\n"
    lexer, formatter = PythonLexer(), HtmlFormatter(cssclass="highlight")
    expected = pygments.highlight(src, lexer, formatter)
    assert highlight_cache.cached_highlight(src, lexer, formatter) == expected
    assert highlight_cache.cached_highlight(src, lexer, formatter) == expected  # from the cache
    key = highlight_cache.block_key(src, lexer, formatter)
    assert key in highlight_cache.MEMO.entries
    assert highlight_cache.block_key(src + " ", lexer, formatter) != key
    assert highlight_cache.block_key(src, lexer, HtmlFormatter(cssclass="highlight", linenos="table")) != key
    assert highlight_cache.block_key(src, PythonLexer(stripnl=False), formatter) != key
    with pytest.raises(TypeError, match="src"):
        highlight_cache.block_key(b"x", lexer, formatter)  # type: ignore[arg-type]


def test_search_index_is_reused_while_the_pages_read_the_same(cache: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "built" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(f"<html><body>{search.ARTICLE}<h1>反向传播</h1><p>链式法则 1×1 卷积</p></article></body></html>",
                    encoding="utf-8")
    runs: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(cmd, *args, **kwargs):  # type: ignore[no-untyped-def]
        runs.append(cmd)
        return real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(search.subprocess, "run", counting_run)
    sites = [tmp_path / f"site{i}" for i in range(3)]
    search.write_index(sites[0], {"a/": str(page)})
    search.write_index(sites[1], {"a/": str(page)})
    assert len(runs) == 1  # the second site got the kept index
    first = sorted(p.relative_to(sites[0]) for p in sites[0].rglob("*") if p.is_file())
    assert first == sorted(p.relative_to(sites[1]) for p in sites[1].rglob("*") if p.is_file())
    assert all((sites[0] / p).read_bytes() == (sites[1] / p).read_bytes() for p in first)
    # built for another site_url (`mkdocs serve`, `make bench`): only the canonical link and the errata
    # link in the page's facts differ
    moved = page.read_text(encoding="utf-8").replace(
        "<html>", '<html><head>\n<link rel="canonical" href="http://127.0.0.1:8123/a/">\n</head>').replace(
        "</article>", '</article><aside class="md-source-file dlh-page-facts">\n<a href="https://x.org/issues/new?'
        'body=http%3A//127.0.0.1%3A8123/a/">勘误</a>\n</aside>')
    page.write_text(moved, encoding="utf-8")
    search.write_index(sites[2], {"a/": str(page)})
    page.write_text(moved.replace("8123", "8000"), encoding="utf-8")
    search.write_index(sites[2], {"a/": str(page)})
    assert len(runs) == 2  # indexed once for the page with a canonical link, whatever its address
    page.write_text(page.read_text(encoding="utf-8").replace("链式法则", "梯度下降"), encoding="utf-8")
    search.write_index(sites[2], {"a/": str(page)})
    assert len(runs) == 3  # the page reads differently: indexed afresh
    assert len(list((cache / "pagefind").iterdir())) == 1  # only the latest index is kept


def test_the_indexed_copy_drops_only_what_depends_on_site_url() -> None:
    page = (f'<head>\n<link rel="canonical" href="https://example.org/a/">\n<link rel="prev" href="../b/">\n</head>'
            f"<body>{search.ARTICLE}<p>3×3 卷积</p></article>\n"
            '<aside class="md-source-file dlh-page-facts">\n<span>最后更新</span>\n'
            '<a href="https://github.com/x/y/issues/new?body=https%3A//example.org/a/">提交勘误</a>\n</aside>\n'
            '<aside class="md-sidebar">目录</aside></body>')
    copy = search.indexed_copy(page)
    assert "canonical" not in copy and "example.org" not in copy and "md-source-file" not in copy
    assert '<link rel="prev" href="../b/">' in copy and '<aside class="md-sidebar">目录</aside>' in copy
    assert "<article data-pagefind-body " in copy and "3x3 卷积" in copy
    assert search.indexed_copy(page.replace("example.org", "127.0.0.1:8000")) == copy


def test_a_build_removes_the_runs_of_changed_code_and_keeps_the_rest(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import deps
    import figures  # hooks/figures.py

    monkeypatch.setattr(figures, "CACHE", tmp_path / "figures")
    monkeypatch.setenv("DLH_RUN_CACHE", "")  # _share_runs sets it: restored after the test
    runs = tmp_path / "runs"
    module = "snippets.cnn.sobel"
    current = deps.code_digest(deps.module_file(module))
    for folder in (f"{module}/{current}", f"{module}/0123456789abcdef", "a6b23a948ddb5fa9", "tests.elsewhere/x"):
        (runs / folder).mkdir(parents=True)
        (runs / folder / "f-0.pkl").write_bytes(b"")
    figures._share_runs()
    left = sorted(p.relative_to(runs).as_posix() for p in runs.rglob("*.pkl"))
    assert left == [f"{module}/{current}/f-0.pkl", "tests.elsewhere/x/f-0.pkl"]
    assert os.environ["DLH_RUN_CACHE"] == str(runs)
