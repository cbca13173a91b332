"""hooks/serve_dirty.py: what `make serve` (`mkdocs serve --dirty`) rebuilds, and how soon it looks."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))  # as MkDocs does while it loads a hook

import serve_dirty  # noqa: E402
from mkdocs.livereload import LiveReloadServer  # noqa: E402


def test_the_dev_server_polls_the_watched_folders_every_0_15_s(tmp_path: Path) -> None:
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        assert server.observer.timeout == serve_dirty.POLL_SECONDS == 0.15
        # an explicit interval still wins
        other = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path),
                                 polling_interval=0.7)
        assert other.observer.timeout == 0.7
        other.server_close()
    finally:
        server.server_close()


def test_a_page_whose_included_snippet_changed_after_its_html_is_stale(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serve_dirty, "ROOT", tmp_path)
    snippet = tmp_path / "snippets" / "x.py"
    snippet.parent.mkdir()
    snippet.write_text("x = 1\n")
    page = tmp_path / "page.md"
    page.write_text('```python title="snippets/x.py"\n--8<-- "snippets/x.py"\n```\n')
    html = tmp_path / "page.html"
    assert serve_dirty._stale(page, html)  # never built
    html.write_text("<p>built</p>")
    past = time.time() - 60
    os.utime(snippet, (past, past))
    os.utime(html, (past + 30, past + 30))  # built after the snippet's last edit
    assert not serve_dirty._stale(page, html)
    os.utime(snippet, (past + 40, past + 40))  # edited after the page was built
    assert serve_dirty._stale(page, html)
