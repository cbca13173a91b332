"""The figures that check a page's statements against their runs pass those checks here too.

A figure registered with `checks=` compares its experiment with what the page says (claims, quoted
medians, a caption) and raises when a run contradicts the page, so the site build stops. The build
renders it under this machine's kernels; the rendering test below is marked `experiment`, so the
cross-kernel run (tests/kernels/test_cross_kernel.py) renders the same figures under another
SIMD/BLAS/oneDNN path and finds a statement that only this machine's kernels make true before
another machine's build does. Natively it reuses the session's experiment runs.
"""

from __future__ import annotations

import ast
import inspect
import textwrap

import pytest

from snippets import figures


def _raises_or_checks(fn: object) -> bool:
    """Whether a figure function's own code raises, asserts, or hands a claims dict to `require_claims`
    (snippets/figures.py, which raises): read from its syntax tree, so a docstring or a comment that
    mentions raising does not count."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))  # type: ignore[arg-type]
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise | ast.Assert):
            return True
        if isinstance(node, ast.Call) and "require_claims" in (getattr(node.func, "id", None),
                                                               getattr(node.func, "attr", None)):
            return True
    return False


def test_every_figure_that_checks_its_page_is_registered_so() -> None:
    marked = figures.checking()
    checking_code = {name for name, fn in figures.registry().items() if _raises_or_checks(fn)}
    assert checking_code - set(marked) == set(), "raises or asserts but is not registered with checks="
    assert set(marked) - checking_code == set(), "registered with checks= but its function checks nothing"
    assert {"seg-experiment-scores", "seg-experiment-predictions", "dying-relu"} <= set(marked)


def test_the_syntax_check_sees_raise_assert_and_require_but_not_words() -> None:
    def raises() -> None:
        raise ValueError("x")

    def asserts() -> None:
        assert 1

    def requires() -> None:
        figures.require_claims({}, "page.md")

    def talks() -> None:
        """This docstring says raise, assert and require_claims( but the code only returns."""
        return None

    assert all(_raises_or_checks(f) for f in (raises, asserts, requires))
    assert not _raises_or_checks(talks)


def test_require_claims_names_the_page_and_each_claim_that_fails() -> None:
    figures.require_claims({"a holds": True}, "page.md")
    with pytest.raises(AssertionError, match=r"page\.md claims no longer hold: \['b fails'\]"):
        figures.require_claims({"a holds": True, "b fails": False}, "page.md")


@pytest.mark.experiment
@pytest.mark.parametrize("name", sorted(figures.checking()))
def test_figure_checks_hold(name: str) -> None:
    figures.render_registered(name, "light")
