"""Build the site once per test session (strict) and serve it on loopback; a second build to compare."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import PDF_JOB, SITE_BUILDS, TIMED_FIRST, session_cache

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


def start_build(dest: Path, cache: Path, site_url: str, log: Path, nice: int = 0,
                **env_extra: str) -> subprocess.Popen[bytes]:
    """Start `mkdocs build --strict` into dest, every build cache under `cache` (empty = clean), at
    niceness `nice` (its figure processes and notebook kernels inherit it), with `env_extra` set."""
    env = dict(os.environ, SITE_URL=site_url, DLH_CACHE_DIR=str(cache),
               DLH_JUPYTER_CACHE=str(cache / "mkdocs-jupyter"), NO_MKDOCS_2_WARNING="1", **env_extra)
    with open(log, "wb") as out:
        return subprocess.Popen(
            ["nice", "-n", str(nice), sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(dest)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=out,
            start_new_session=True,  # its own process group: stopping it stops its renderers and kernels
        )


def finish_build(proc: subprocess.Popen[bytes], log: Path) -> tuple[int, str]:
    """Wait for a build started by `start_build` (or another job writing to `log`): exit code and log."""
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
    """A second build, started when the first is done if a selected test compares the two."""

    site: Path
    proc: subprocess.Popen[bytes] | None
    log: Path


@dataclass
class Builds:
    """The site builds of this session: the first starts when collection ends, `built` waits for it."""

    base: Path
    url: str
    port: int
    cache: Path
    first: subprocess.Popen[bytes]
    second: SecondBuild
    background: bool = False  # the second build and the PDFs started


def _uses(items: list[pytest.Item], fixture: str) -> bool:
    return any(fixture in getattr(item, "fixturenames", ()) for item in items)


def start_site_builds(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Start the first build; conftest.py calls this when collection ends, if a site test is selected.

    It runs beside the unit tests and docs blocks instead of after them: the experiments the tests
    run and the figures the build draws ask for the same `@shared_run` results, which the first
    caller computes and the others read (snippets/run_cache.py), and both cores stay busy.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    base = Path(tempfile.mkdtemp(prefix="dlh-site-"))
    # The first build reads and fills this session's experiment folder (conftest.py).
    cache = session_cache(config) or base / "cache"
    first = start_build(base / "site", cache, url, base / "build.log", DLH_RENDER_DARK="0")  # recolour
    second = SecondBuild(base / "site2", None, base / "build2.log")
    config.stash[SITE_BUILDS] = Builds(base, url, port, cache, first, second)


def _start_background_jobs(config: pytest.Config, items: list[pytest.Item], builds: Builds) -> None:
    """Once the first build is done: the second build and the PDFs, at a lower priority than the
    browser tests (which time layout shift), on the core those tests leave free."""
    if any(item.name == "test_two_clean_builds_are_byte_identical" for item in items):
        # From an empty cache for figures, notebooks, math and search; only the experiment results
        # are shared (computing them again cost two minutes of a core): the byte-for-byte
        # comparison checks that drawing, executing and rendering give the same bytes twice. That
        # a result computed afresh prints the same digits is the kernel-set run's check
        # (tests/kernels/), which computes every experiment again. Its notebooks run each in a new
        # kernel, as a reader runs them, where the first build runs them all in one kernel reset
        # between notebooks (hooks/shared_kernel.py): equal bytes show that no notebook's state
        # reached the next one. It draws each figure's dark variant, where the first build
        # recolours the light one (snippets/figures.py): equal bytes show the recolouring right
        # (for every figure but the `measured` ones, which tests/test_figures.py checks).
        (builds.cache / "runs").mkdir(parents=True, exist_ok=True)
        (builds.base / "cache2").mkdir()
        (builds.base / "cache2" / "runs").symlink_to(builds.cache / "runs", target_is_directory=True)
        builds.second.proc = start_build(builds.second.site, builds.base / "cache2", builds.url, builds.second.log,
                                         nice=10, DLH_FRESH_KERNELS="1",
                                         DLH_RENDER_DARK="1")
    if _uses(items, "printed"):
        out, log = builds.base / "pdf", builds.base / "pdf.log"
        with open(log, "wb") as f:
            job = subprocess.Popen(["nice", "-n", "10", sys.executable, str(ROOT / "scripts" / "pdf.py"),
                                    str(builds.base / "site"), str(out)], cwd=ROOT, stdout=f, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        config.stash[PDF_JOB] = (job, out)


def stop_site_builds(config: pytest.Config) -> None:
    """Stop any build or print still running (the session ended early) and remove the built sites."""
    builds = config.stash.get(SITE_BUILDS, None)
    if builds is None:
        return
    pdfs = config.stash.get(PDF_JOB, None)
    for proc in (builds.first, builds.second.proc, pdfs[0] if pdfs else None):
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # with its figure renderers, kernels or browser
            proc.wait()
    shutil.rmtree(builds.base, ignore_errors=True)


@pytest.fixture(scope="session")
def built(request: pytest.FixtureRequest) -> Iterator[Built]:
    if SITE_BUILDS not in request.config.stash:  # under pytest-xdist: started here, in the site worker
        start_site_builds(request.config, request.session.items)
    builds = request.config.stash[SITE_BUILDS]
    code, log = finish_build(builds.first, builds.base / "build.log")
    assert code == 0, f"mkdocs build --strict failed:\n{log[-6000:]}"
    handler = functools.partial(_QuietHandler, directory=str(builds.base / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", builds.port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Built(site=builds.base / "site", url=builds.url, log=log)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def _background_jobs(request: pytest.FixtureRequest) -> None:
    """Start the second build and the PDFs before the first site test that does not time a page
    load (conftest.py runs the timed ones first)."""
    builds = request.config.stash.get(SITE_BUILDS, None)
    if builds is None or builds.background or request.node.name in TIMED_FIRST:
        return
    if "built" not in request.fixturenames:
        return
    request.getfixturevalue("built")  # the first build is done
    builds.background = True
    _start_background_jobs(request.config, request.session.items, builds)


def finish_pdfs(config: pytest.Config) -> Path:
    """Wait for the PDFs the `built` fixture started printing; the folder that holds them."""
    job, out = config.stash[PDF_JOB]
    code, log = finish_build(job, out.parent / "pdf.log")
    assert code == 0, f"scripts/pdf.py failed:\n{log[-4000:]}"
    return out


@pytest.fixture
def second_build(request: pytest.FixtureRequest, built: Built) -> SecondBuild:
    """The second build, finished (the `built` fixture started it when the first was done)."""
    second = request.config.stash[SITE_BUILDS].second
    assert second.proc is not None, "the second build starts only when the test that uses it is selected"
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
