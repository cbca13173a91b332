"""The figures that check a page's statements against their runs pass those checks here too.

A figure function that compares its experiment with what the page says (claims, quoted medians)
raises when a run contradicts the page, so the site build stops. The build renders it under this
machine's kernels; this test is marked `experiment`, so the cross-kernel run
(tests/kernels/test_cross_kernel.py) renders the same figures under another SIMD/BLAS/oneDNN path
and finds a statement that only this machine's kernels make true before another machine's build does.
Natively it reuses the session's experiment runs (the site builds of tests/site_checks compute them).
"""

from __future__ import annotations

import inspect
import re

import pytest

from snippets import figures

# A figure function checks the page when it raises, asserts, or calls a claims helper itself.
_CHECKS = re.compile(r"\braise\b|\bassert\b|_require\(|claims\(")


def checking_figures() -> list[str]:
    """Names of the registered figures whose function checks a page's statements."""
    return [name for name, fn in figures.registry().items() if _CHECKS.search(inspect.getsource(fn))]


def test_the_selection_finds_the_experiment_figures() -> None:
    names = checking_figures()
    # the two experiments whose statements once held only under this machine's kernels
    assert {"seg-experiment-scores", "dying-relu"} <= set(names), names
    assert len(names) < len(figures.registry())  # a figure that only draws is not selected


@pytest.mark.experiment
@pytest.mark.parametrize("name", checking_figures())
def test_figure_checks_hold(name: str) -> None:
    figures.render_registered(name, "light")
