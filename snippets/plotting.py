"""One look for every figure on the site: sizes, palette, light/dark themes, deterministic SVG.

Figure functions never pick colours by hex: they use the colour cycle ("C0", "C1", ...) and the
theme's text colour, so the same function renders a light and a dark variant.
"""

from __future__ import annotations

import base64
import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import matplotlib
import numpy as np

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from cycler import cycler  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

_MATH_PARSES: dict[tuple[Any, ...], Any] = {}  # see _share_mathtext_parses


def _share_mathtext_parses() -> None:
    """Let every SVG render reuse the layout of a math label parsed before, as one render does.

    Matplotlib 3.11 caches a parsed math string (a log axis's "$10^{-2}$") per parser object, and the
    SVG backend makes a new parser for every figure it saves, so each of the site's ~200 renders parsed
    the same few hundred tick labels again (drawing the 98 figures in both themes from cached
    experiment results, one process: 62 s of CPU before this, 49 s after). This keys the
    cache by what the layout depends on instead (output type, string, dpi, font, and the settings
    the parse reads: `mathtext.*`, the `font.*` families and fallbacks, kerning and hinting
    factors), so the SVG bytes are the ones an uncached parse gives. Fonts registered at run time
    (`fontManager.addfont`) are not in the key; emptied in a forked child, as matplotlib empties its
    own font cache. Skipped if matplotlib's internals differ from the version this was written for.
    """
    from matplotlib import mathtext

    parse = getattr(mathtext.MathTextParser._parse_cached, "__wrapped__", None)  # type: ignore[attr-defined]
    if parse is None or hasattr(mathtext.MathTextParser, "_dlh_unshared"):
        return
    settings = sorted(k for k in matplotlib.rcParams
                      if k.startswith(("mathtext.", "font.")) or k in ("text.kerning_factor", "text.hinting_factor"))
    os.register_at_fork(after_in_child=_MATH_PARSES.clear)

    def parse_cached(self: Any, s: str, dpi: float, prop: Any, antialiased: bool, load_glyph_flags: Any) -> Any:
        rc = tuple(repr(matplotlib.rcParams[k]) for k in settings)
        key = (self._output_type, s, dpi, prop, antialiased, load_glyph_flags, rc)
        if key not in _MATH_PARSES:
            if len(_MATH_PARSES) >= 4096:  # a long-lived process (a notebook): the oldest go first
                _MATH_PARSES.pop(next(iter(_MATH_PARSES)))
            _MATH_PARSES[key] = parse(self, s, dpi, prop, antialiased, load_glyph_flags)
        return _MATH_PARSES[key]

    mathtext.MathTextParser._parse_cached = parse_cached  # type: ignore[attr-defined]
    mathtext.MathTextParser._dlh_unshared = parse  # type: ignore[attr-defined]  # the uncached parse


_share_mathtext_parses()

Theme = Literal["light", "dark"]
THEMES: tuple[Theme, ...] = ("light", "dark")

# 一行宽 / 半行宽 (inches); the site's content column is about 720 px wide.
SIZES = {"full": (7.2, 3.2), "wide": (7.2, 2.6), "half": (3.6, 3.0), "square": (4.2, 4.0)}

# Okabe–Ito colours, distinguishable with colour-vision deficiency; each cycle is tuned for
# contrast on its background (white for light, Material's slate #1e2129 for dark). The light C6 is
# #111111, not Okabe–Ito's pure black: matplotlib writes a black fill as SVG's default (no `fill` at
# all), which `dark_variant` could not find to recolour.
_CYCLE = {
    "light": ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#111111"],
    "dark": ["#56B4E9", "#E69F00", "#3DDC97", "#F0A0D0", "#F5D04C", "#A0C8FF", "#E0E0E0"],
}
_FG = {"light": "#222222", "dark": "#E2E4E9"}
_GRID = {"light": "#DDDDDD", "dark": "#3A3F4B"}


def rc_params(theme: Theme) -> dict[str, Any]:
    """Matplotlib settings for one theme; fixed hash salt and path text make SVGs reproducible."""
    if theme not in THEMES:
        raise ValueError(f"theme must be one of {THEMES}, got {theme!r}")
    fg = _FG[theme]
    return {
        "axes.prop_cycle": cycler(color=_CYCLE[theme]),
        "text.color": fg,
        "axes.labelcolor": fg,
        "axes.edgecolor": fg,
        "xtick.color": fg,
        "ytick.color": fg,
        "grid.color": _GRID[theme],
        "hatch.color": fg,  # matplotlib's default draws hatch lines black, in the dark theme too
        "axes.grid": True,
        "grid.linewidth": 0.6,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.facecolor": "none",
        "figure.facecolor": "none",
        "savefig.facecolor": "none",
        "savefig.transparent": True,
        "legend.frameon": False,
        "font.family": ["DejaVu Sans"],
        "font.size": 9.5,
        "mathtext.fontset": "dejavusans",
        "lines.linewidth": 1.8,
        "svg.fonttype": "path",
        "svg.hashsalt": "dl-handbook",
        "figure.dpi": 100,
    }


@contextmanager
def themed(theme: Theme) -> Iterator[None]:
    """Context in which figures are drawn with the given theme's colours."""
    with plt.rc_context(rc_params(theme)):  # type: ignore[arg-type]  # keys are checked at run time
        yield


def new_figure(size: str = "full", ncols: int = 1, nrows: int = 1, **kwargs: Any) -> tuple[Figure, Any]:
    """A figure with the site's size set; returns (fig, axes) like ``plt.subplots``."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {sorted(SIZES)}, got {size!r}")
    fig, axes = plt.subplots(nrows, ncols, figsize=SIZES[size], layout="constrained", **kwargs)
    return fig, axes


def to_svg(fig: Figure) -> bytes:
    """Serialise a figure to SVG bytes with no timestamp and numbered ids, then close it."""
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return _numbered_ids(_EMBEDDED_PNG.sub(lambda m: m[1] + _smallest_png(m[2]) + m[3], buf.getvalue()))


# Matplotlib names a marker, clip path, hatch or image by a hash of what it holds, colours included.
_HASHED_ID = re.compile(rb' id="((?:m|p|h|image)[0-9a-f]{10})"')


def _numbered_ids(svg: bytes) -> bytes:
    """The SVG with each hashed id replaced by its kind and the order it is defined in ("m1", "p2").

    A hash of the content makes the light and the dark SVG of one figure differ in every id; a
    number in order of definition is the same in both, so `dark_variant` gives the bytes a dark
    render gives. Each SVG is a file of its own on the site, so its ids need be unique only within it.
    """
    ids = list(dict.fromkeys(_HASHED_ID.findall(svg)))
    if not ids:
        return svg
    new = {old: old[:-10] + b"%d" % i for i, old in enumerate(ids, 1)}  # the kind, then the number
    uses = re.compile(rb'(id="|#)(' + b"|".join(ids) + rb')(?=[")])')
    return uses.sub(lambda m: m[1] + new[m[2]], svg)


def _light_to_dark() -> dict[bytes, bytes]:
    pairs = [*zip(_CYCLE["light"], _CYCLE["dark"], strict=True), (_FG["light"], _FG["dark"]),
             (_GRID["light"], _GRID["dark"])]
    return {a.lower().encode(): b.lower().encode() for a, b in pairs}


_DARK_OF = _light_to_dark()
_THEME_COLOUR = re.compile(b"|".join(re.escape(c) for c in _DARK_OF) + rb"(?![0-9a-f])")


def dark_variant(light_svg: bytes) -> bytes | None:
    """The dark SVG of a figure drawn in the light theme, made by swapping each of the light theme's
    colours (cycle, text, grid) for the dark one's; None if the SVG embeds an image, whose pixels
    (a colour map, a photograph) a swap cannot reach. Every other colour is left as it is, so the
    figure must not blend its own colours from the theme's, nor use a literal equal to one of them.

    Drawing a figure a second time for the dark theme gives the same layout with those colours
    swapped, at the cost of the whole drawing again (about 0.25 s of CPU a figure). It equals a dark
    render only while a figure takes its colours from the theme ("C0", the text colour) and not
    from a test of which theme it is in: the test suite's second site build draws every dark
    variant instead (DLH_RENDER_DARK=1, snippets/figures.py) and must give the same bytes.
    """
    if not isinstance(light_svg, bytes):
        raise TypeError(f"light_svg must be bytes, got {type(light_svg).__name__}")
    if b"<image" in light_svg:
        return None
    return _THEME_COLOUR.sub(lambda m: _DARK_OF[m[0]], light_svg)


_EMBEDDED_PNG = re.compile(rb'(xlink:href="data:image/png;base64,)([A-Za-z0-9+/=\s]+)(")')


def _smallest_png(encoded: bytes) -> bytes:
    """An embedded image re-encoded losslessly in the fewest channels its pixels need.

    Matplotlib embeds every image as RGBA; a grey photograph with no transparency has equal R, G
    and B and an opaque alpha, and as one grey channel its PNG is about a quarter of the size
    (the Sobel figure went from 189 to 96 KiB gzip). Same pixels, so the figure looks the same.
    """
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(base64.b64decode(encoded))).convert("RGBA"))
    image = Image.fromarray(pixels)  # uint8 (H, W, 4): RGBA
    if (pixels[..., 3] == 255).all():
        rgb = pixels[..., :3]
        grey = bool((rgb == rgb[..., :1]).all())
        image = Image.fromarray(np.ascontiguousarray(rgb[..., 0] if grey else rgb))  # (H, W): L, (H, W, 3): RGB
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return base64.b64encode(out.getvalue())
