"""Build the site once per test session (strict, from an empty cache) and serve it on loopback."""

from __future__ import annotations

import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Built:
    site: Path
    url: str
    log: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_site(dest: Path, cache: Path, site_url: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` into dest, with every build cache under `cache` (empty = clean)."""
    env = dict(os.environ, SITE_URL=site_url, DLH_CACHE_DIR=str(cache),
               DLH_JUPYTER_CACHE=str(cache / "mkdocs-jupyter"), NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(dest)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    base = tmp_path_factory.mktemp("site")
    proc = build_site(base / "site", base / "cache", url)
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stderr[-6000:]}"
    handler = functools.partial(_QuietHandler, directory=str(base / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Built(site=base / "site", url=url, log=proc.stderr)
    finally:
        server.shutdown()
        server.server_close()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium through Playwright, one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def page_urls(built: Built) -> list[str]:
    """The address of every content page of the served site."""
    urls = []
    for p in html_pages(built.site):
        rel = p.parent.relative_to(built.site).as_posix()
        urls.append(built.url if rel == "." else f"{built.url}{rel}/")
    return urls


def html_pages(site: Path) -> list[Path]:
    """Every content page of the built site (not the 404 page)."""
    return sorted(p for p in site.rglob("index.html") if "assets" not in p.parts)
