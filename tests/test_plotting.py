"""snippets/plotting.py: embedded images are re-encoded losslessly in the fewest channels; math
labels are parsed once per process, with the SVG bytes matplotlib gives; the dark variant made by
recolouring the light SVG is the SVG a dark render gives."""

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


def _every_theme_colour(theme: str) -> bytes:
    """A figure using each cycle colour as a line, a filled marker, a translucent fill and a hatched
    bar, with grid, text, a legend and clipping: what the site's figures are made of."""
    from snippets.plotting import new_figure, themed, to_svg

    with themed(theme):  # type: ignore[arg-type]
        fig, (ax, bx) = new_figure("full", ncols=2)
        x = np.linspace(0, 1, 5)
        for k in range(7):
            ax.plot(x, x + k, marker="o", label=f"C{k}")
            ax.fill_between(x, x + k - 0.2, x + k + 0.2, alpha=0.2)
            bx.bar(k, k + 1, color=f"C{k}", hatch="//", alpha=0.5)
        ax.axvspan(0.2, 0.4, color="C6", alpha=0.08)
        ax.set(xlim=(0.1, 0.9), title=r"$\ell_2$ lines", xlabel="x")
        ax.legend(ncols=2)
        return to_svg(fig)


def test_recolouring_the_light_svg_gives_the_dark_render() -> None:
    from snippets.plotting import dark_variant

    light, dark = _every_theme_colour("light"), _every_theme_colour("dark")
    assert light != dark
    assert dark_variant(light) == dark  # C6 as pure black fails: its fill is not written
    assert dark_variant(b'<path style="fill: #dddddd80"/>') == b'<path style="fill: #dddddd80"/>'  # not a colour


def test_an_svg_with_an_image_is_not_recoloured() -> None:
    from snippets.plotting import dark_variant, new_figure, themed, to_svg

    with themed("light"):
        fig, ax = new_figure("half")
        ax.imshow(np.arange(12.0).reshape(3, 4))
        assert dark_variant(to_svg(fig)) is None
    with pytest.raises(TypeError, match="light_svg must be bytes"):
        dark_variant("<svg/>")  # type: ignore[arg-type]


def test_hashed_ids_are_numbered_in_order_and_every_reference_follows() -> None:
    import re

    from snippets.plotting import _numbered_ids

    light = _every_theme_colour("light")
    ids = re.findall(rb' id="([^"]+)"', light)
    hashed = [i for i in ids if re.fullmatch(rb"[mph][0-9]+", i)]
    assert hashed and not re.search(rb'id="(?:m|p|h|image)[0-9a-f]{10}"', light)
    assert len(set(ids)) == len(ids)
    assert {i.rstrip(b"0123456789") for i in hashed} == {b"m", b"p", b"h"}  # markers, clip paths, hatches
    assert [int(i.lstrip(b"mph")) for i in hashed] == list(range(1, len(hashed) + 1))
    used = set(re.findall(rb'(?:url\(#|href="#)([^")]+)', light))
    assert used <= set(ids) and set(hashed) <= used
    assert _numbered_ids(light) == light
    svg = (b'<path id="m0123456789"/><use xlink:href="#m0123456789"/><g clip-path="url(#p00000000ab)"/>'
           b'<clipPath id="p00000000ab"/><image id="imageabcdef0123" xlink:href="data:image/png;base64,'
           b'AB/m0123456789/C"/>')
    assert _numbered_ids(svg) == (b'<path id="m1"/><use xlink:href="#m1"/><g clip-path="url(#p2)"/>'
                                  b'<clipPath id="p2"/><image id="image3" xlink:href="data:image/png;base64,'
                                  b'AB/m0123456789/C"/>')
