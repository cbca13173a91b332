"""Project-wide pytest hooks: name the numeric kernels in the header; docs blocks are experiments;
one experiment cache per session.

Every code block on a page prints numbers a reader sees, so the cross-kernel check
(tests/kernels/test_cross_kernel.py) re-runs all of them, with the unit tests marked
`experiment`, under other SIMD/BLAS/threading paths.

Each session gets a fresh `@shared_run` folder (snippets/run_cache.py), laid out as a build's cache
(`<folder>/runs/`): a docs block, a test and the site builds of tests/site_checks that ask for the
same experiment share one computation. A kernel-set run is its own session with its own folder: it
computes everything afresh under its kernels, and its docs blocks compare what they print with the
pages.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from snippets.run_cache import ENV
from tests.kernels.kernel_sets import describe

ROOT = Path(__file__).resolve().parent
SESSION_CACHE = pytest.StashKey[Path]()
# What this session started in the background, kept under keys defined here: pytest imports a test
# folder's modules under its own names (tests/ has no __init__.py: tests/kernels/test_cross_kernel.py
# is `kernels.test_cross_kernel`), so a key defined there and imported here would be another object.
KERNEL_RUNS = pytest.StashKey[dict[str, Any]]()  # tests/kernels/test_cross_kernel.py
SITE_BUILDS = pytest.StashKey[Any]()  # tests/site_checks/conftest.py
PDF_JOB = pytest.StashKey[Any]()  # tests/site_checks/conftest.py


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get(ENV):  # a developer's own folder: use it
        return
    cache = Path(tempfile.mkdtemp(prefix="dlh-session-cache-"))
    config.stash[SESSION_CACHE] = cache
    os.environ[ENV] = str(cache / "runs")  # where the build keeps its runs (hooks/figures.py)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the long-running children now, so they run beside the unit tests and docs blocks:
    the site build(s) that tests/site_checks use, and the kernel-set run of tests/kernels."""
    # Under pytest-xdist every worker collects everything: there the tests' own fixtures start them.
    if session.config.option.collectonly or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    if any("built" in getattr(item, "fixturenames", ()) for item in session.items):  # a site test
        from tests.site_checks.conftest import start_site_builds

        start_site_builds(session.config, session.items)
    if any(_phase(item) == 2 for item in session.items):
        from tests.kernels.test_cross_kernel import start_runs

        logs = session.config.stash.get(SESSION_CACHE, None) or Path(tempfile.mkdtemp(prefix="dlh-"))
        start_runs(session.config, logs)


def pytest_unconfigure(config: pytest.Config) -> None:
    from tests.kernels.test_cross_kernel import stop_runs

    stop_runs(config)
    if SITE_BUILDS in config.stash:
        from tests.site_checks.conftest import stop_site_builds

        stop_site_builds(config)
    cache = config.stash.get(SESSION_CACHE, None)
    if cache is not None:
        os.environ.pop(ENV, None)
        shutil.rmtree(cache, ignore_errors=True)


def session_cache(config: pytest.Config) -> Path | None:
    """The build cache folder whose runs/ this session's shared runs fill (None: ENV was given)."""
    return config.stash.get(SESSION_CACHE, None)


def pytest_report_header(config: pytest.Config) -> str:
    return describe()


def _phase(item: pytest.Item) -> int:
    """Units and docs blocks first, then the built site, then the kernel-set check (it waits)."""
    if "kernels" in item.path.parts:
        return 2
    return 1 if "site_checks" in item.path.parts else 0


# Site tests that time a page load (layout shift): they run first, before the second build and the
# PDFs start in the background (tests/site_checks/conftest.py), so they measure a page as before.
TIMED_FIRST = frozenset({
    "test_math_pages_do_not_shift_while_loading",
    "test_self_test_hides_the_answers_until_tapped_and_is_remembered_without_layout_shift",
})


def _group(item: pytest.Item) -> int:
    """Within the site tests: the timed ones, then the rest, then those that wait for a background job."""
    if item.name in TIMED_FIRST:
        return 0
    return 2 if item.path.name == "test_pdf.py" or item.name == "test_two_clean_builds_are_byte_identical" else 1


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The site builds and the kernel-set run start when collection ends and run beside the units
    # and docs blocks; the tests of the built site come after those, the kernel-set check last.
    # Within the site tests: the timed ones first, those that wait for a background job last.
    items.sort(key=lambda item: (_phase(item), _group(item) if _phase(item) == 1 else 0))  # stable
    for item in items:
        if item.path.suffix == ".md":
            item.add_marker(pytest.mark.experiment)
        # `make test` runs pytest-xdist with --dist loadgroup: a test module (or a page's blocks,
        # which may continue one another) stays on one worker with its module fixtures, and every
        # test that uses the built site shares one worker and so one build of it.
        site = "site_checks" in item.path.parts
        item.add_marker(pytest.mark.xdist_group("site" if site else item.path.relative_to(config.rootpath).as_posix()))
