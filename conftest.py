"""Project-wide pytest hooks: name the numeric kernels in the header; docs blocks are experiments.

Every code block on a page prints numbers a reader sees, so the cross-kernel check
(tests/kernels/test_cross_kernel.py) re-runs all of them, with the unit tests marked
`experiment`, under other SIMD/BLAS/threading paths.
"""

from __future__ import annotations

import pytest

from tests.kernels.kernel_sets import describe


def pytest_report_header(config: pytest.Config) -> str:
    return describe()


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.suffix == ".md":
            item.add_marker(pytest.mark.experiment)
        # `make test` runs pytest-xdist with --dist loadgroup: a test module (or a page's blocks,
        # which may continue one another) stays on one worker with its module fixtures, and every
        # test that uses the built site shares one worker and so one build of it.
        site = "site_checks" in item.path.parts
        item.add_marker(pytest.mark.xdist_group("site" if site else item.path.relative_to(config.rootpath).as_posix()))
