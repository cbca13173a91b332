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

from conftest import session_cache

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


def start_build(dest: Path, cache: Path, site_url: str, log: Path) -> subprocess.Popen[bytes]:
    """Start `mkdocs build --strict` into dest, every build cache under `cache` (empty = clean)."""
    env = dict(os.environ, SITE_URL=site_url, DLH_CACHE_DIR=str(cache),
               DLH_JUPYTER_CACHE=str(cache / "mkdocs-jupyter"), NO_MKDOCS_2_WARNING="1")
    with open(log, "wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(dest)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=out,
        )


def finish_build(proc: subprocess.Popen[bytes], log: Path) -> tuple[int, str]:
    """Wait for a build started by `start_build`: its exit code and its log."""
    try:
        code = proc.wait(timeout=900)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise
    return code, log.read_text(encoding="utf-8", errors="replace")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class SecondBuild:
    """A second clean build, started beside the first when a selected test compares the two."""

    site: Path
    proc: subprocess.Popen[bytes] | None
    log: Path


SECOND_BUILD = pytest.StashKey[SecondBuild]()


@pytest.fixture(scope="session")
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    base = tmp_path_factory.mktemp("site")
    second = SecondBuild(base / "site2", None, base / "build2.log")
    if any(item.name == "test_two_clean_builds_are_byte_identical" for item in request.session.items):
        # Much of a build waits on one core (pages, notebooks): two side by side take far less
        # than twice the time of one.
        second.proc = start_build(second.site, base / "cache2", url, second.log)
    request.config.stash[SECOND_BUILD] = second
    # The first build reads the experiments this session's tests and docs blocks already ran
    # (conftest.py); the second, compared with it byte for byte, starts from an empty cache.
    cache = session_cache(request.config) or base / "cache"
    code, log = finish_build(start_build(base / "site", cache, url, base / "build.log"), base / "build.log")
    assert code == 0, f"mkdocs build --strict failed:\n{log[-6000:]}"
    handler = functools.partial(_QuietHandler, directory=str(base / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Built(site=base / "site", url=url, log=log)
    finally:
        server.shutdown()
        server.server_close()
        if second.proc is not None and second.proc.poll() is None:
            second.proc.kill()
            second.proc.wait()



@pytest.fixture
def second_build(request: pytest.FixtureRequest, built: Built) -> SecondBuild:
    """The second clean build, finished (the `built` fixture started it)."""
    second = request.config.stash[SECOND_BUILD]
    assert second.proc is not None, "the built fixture starts the second build only for the test that uses it"
    code, log = finish_build(second.proc, second.log)
    assert code == 0, log[-4000:]
    return second


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
