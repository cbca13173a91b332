"""snippets/plotting.py: embedded images are re-encoded losslessly in the fewest channels; math
labels are parsed once per process, with the SVG bytes matplotlib gives."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from snippets.plotting import _smallest_png


def png(pixels: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")  # uint8 (H, W, 4): RGBA
    return base64.b64encode(out.getvalue())


def decode(encoded: bytes) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(encoded)))


rng = np.random.default_rng(0)
GREY = rng.integers(0, 256, (12, 9), dtype=np.uint8)
OPAQUE = np.full((12, 9), 255, dtype=np.uint8)


@pytest.mark.parametrize("pixels, mode", [
    (np.dstack([GREY, GREY, GREY, OPAQUE]), "L"),  # grey and opaque: one channel
    (np.dstack([GREY, GREY[::-1], GREY, OPAQUE]), "RGB"),  # colour and opaque: three
    (np.dstack([GREY, GREY, GREY, GREY]), "RGBA"),  # transparency kept
])
def test_same_pixels_in_fewer_channels(pixels: np.ndarray, mode: str) -> None:
    out = decode(_smallest_png(png(pixels)))
    assert out.mode == mode
    assert (np.asarray(out.convert("RGBA")) == pixels).all()


def test_grey_photograph_shrinks() -> None:
    pixels = np.dstack([GREY, GREY, GREY, OPAQUE])
    assert len(_smallest_png(png(pixels))) < len(png(pixels))


def _log_axis_svg(**rc: object) -> bytes:
    """A small figure whose tick labels are math ($10^{k}$) and whose title is a formula."""
    import matplotlib.pyplot as plt

    from snippets.plotting import new_figure, themed, to_svg

    with themed("light"), plt.rc_context(rc):  # type: ignore[arg-type]
        fig, ax = new_figure("half")
        ax.loglog([1e-3, 1e2], [1e-2, 1e3])
        ax.set_title(r"$\alpha x^2 + \beta$")
        return to_svg(fig)


@pytest.fixture()
def no_shared_parses() -> None:
    """Each test starts with no math label parsed, whatever ran before it in this process."""
    from snippets.plotting import _MATH_PARSES

    _MATH_PARSES.clear()


@pytest.mark.usefixtures("no_shared_parses")
def test_math_labels_are_parsed_once_across_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import _mathtext

    _log_axis_svg()  # warm: every label of this figure parsed
    calls = []
    parse = _mathtext.Parser.parse
    monkeypatch.setattr(_mathtext.Parser, "parse", lambda self, *a, **k: calls.append(a[0]) or parse(self, *a, **k))
    _log_axis_svg()  # a new figure, so a new SVG renderer and a new math parser
    assert calls == []
    _log_axis_svg(**{"mathtext.default": "rm"})  # a setting the layout depends on: parsed afresh
    assert r"$\alpha x^2 + \beta$" in calls


SANS = {"font.family": ["sans-serif"]}  # the family named through a fallback list


@pytest.mark.usefixtures("no_shared_parses")
@pytest.mark.parametrize("first, rc", [
    ({}, {}),
    ({}, {"mathtext.default": "rm"}),
    ({}, {"mathtext.fontset": "cm"}),
    (SANS, {**SANS, "font.sans-serif": ["DejaVu Serif"]}),  # same font properties, another font
])
def test_shared_math_parses_give_the_svg_matplotlib_gives(
    monkeypatch: pytest.MonkeyPatch, first: dict, rc: dict,
) -> None:
    import functools

    from matplotlib import mathtext

    _log_axis_svg(**first)  # the same labels parsed first under other settings
    shared = _log_axis_svg(**rc)
    original = mathtext.MathTextParser._dlh_unshared  # type: ignore[attr-defined]
    monkeypatch.setattr(mathtext.MathTextParser, "_parse_cached", functools.lru_cache(50)(original))
    assert _log_axis_svg(**rc) == shared  # matplotlib's own cache, per parser
