"""The registry of every figure on the site: a name maps to a function that returns a Figure.

Pages refer to a figure by name (``![说明](fig:softmax-temperature)``); the build hook renders each
registered function to ``figures/<name>.svg`` and ``figures/<name>-dark.svg`` (see `render_both`).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path

from matplotlib.cm import ScalarMappable
from matplotlib.figure import Figure

from snippets.plotting import Theme, dark_variant, themed, to_svg

FigureFn = Callable[[], Figure]
RENDER_DARK = "DLH_RENDER_DARK"  # "1": draw the dark variant instead of recolouring the light one

# Every chapter keeps its figures in snippets/<chapter>/figures.py; this is the one list of them.
FIGURE_MODULES = tuple(sorted(f"snippets.{p.parent.name}.figures" for p in Path(__file__).parent.glob("*/figures.py")))

_REGISTRY: dict[str, FigureFn] = {}
_MEASURED: dict[str, str] = {}
_CHECKS: dict[str, str] = {}


def figure(name: str, *, measured: str | None = None, checks: str | None = None) -> Callable[[FigureFn], FigureFn]:
    """Decorator that registers a figure function under ``name`` (lowercase, digits, '-').

    ``measured`` marks a figure that shows a measurement of the machine that builds the site (e.g.
    latency ratios) and says what it measures: such a figure is the one output two clean builds
    may not reproduce byte for byte, and its caption must say it was measured on the build machine.
    ``checks`` marks a figure whose function raises when its runs contradict what the page states,
    and says what it checks: tests/test_figure_checks.py renders those under another kernel set.
    """
    if not name or not all(c.isdigit() or c == "-" or "a" <= c <= "z" for c in name):
        raise ValueError(f"figure name must use a-z, 0-9 and '-', got {name!r}")
    for arg, value in (("measured", measured), ("checks", checks)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ValueError(f"{arg} must say what the figure {arg}, got {value!r}")

    def register(fn: FigureFn) -> FigureFn:
        if name in _REGISTRY and _REGISTRY[name] is not fn:
            raise ValueError(f"figure name {name!r} is registered twice")
        _REGISTRY[name] = fn
        if measured is not None:
            _MEASURED[name] = measured
        if checks is not None:
            _CHECKS[name] = checks
        return fn

    return register


def require_claims(claims: dict[str, bool], page: str) -> None:
    """Fail the build when a statement `page` makes about a figure's run no longer holds for the run."""
    failed = [c for c, ok in claims.items() if not ok]
    if failed:  # 页面上的结论与这次运行不符时, 构建失败
        raise AssertionError(f"{page} claims no longer hold: {failed}")


def checking() -> dict[str, str]:
    """The registered figures that check their page's statements against their runs, and what each checks."""
    registry()
    return dict(sorted(_CHECKS.items()))


def measured() -> dict[str, str]:
    """The registered figures that show a measurement of the build machine, and what each measures."""
    registry()
    return dict(sorted(_MEASURED.items()))


def registry() -> dict[str, FigureFn]:
    """All registered figures, after importing every chapter module that defines some."""
    for module in FIGURE_MODULES:
        importlib.import_module(module)
    return dict(sorted(_REGISTRY.items()))


# On a 390 px phone a full-width figure is shown at about half size; tapping it shows it at its own
# size (docs/javascripts/figures.js), where 7.5 pt is 10 CSS px: the smallest text a reader should
# have to read.
MIN_FONT_PT = 7.5


def small_text(fig: Figure) -> list[tuple[str, float]]:
    """Visible text of a drawn figure set below MIN_FONT_PT, as (text, size in pt), sorted."""
    from matplotlib.text import Text

    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return sorted({(t.get_text(), size) for t in texts if (size := float(t.get_fontsize())) < MIN_FONT_PT})


def render_registered(name: str, theme: Theme) -> bytes:
    """Render a figure whose chapter module is already imported; the build imports only that one.

    Raises ValueError if any text in it is smaller than MIN_FONT_PT.
    """
    return _draw(name, theme)[0]


def _draw(name: str, theme: Theme) -> tuple[bytes, bool]:
    """`render_registered`, and whether the figure maps data to colours (an image, a mesh, contours,
    points coloured by value): a colour map can give a theme colour's exact value by chance, which
    `dark_variant` would swap, so such a figure is drawn in each theme."""
    if name not in _REGISTRY:
        raise KeyError(f"no figure named {name!r}; known: {', '.join(sorted(_REGISTRY))}")
    with themed(theme):
        fig = _REGISTRY[name]()
        svg = to_svg(fig)  # drawing it creates the legends and tick labels checked next
    small = small_text(fig)
    if small:
        raise ValueError(f"figure {name!r}: text below {MIN_FONT_PT} pt: {small[:5]}")
    return svg, bool(fig.findobj(lambda a: isinstance(a, ScalarMappable) and a.get_array() is not None))


def render_both(name: str) -> dict[Theme, bytes]:
    """The light and the dark SVG of a registered figure (imported); ValueError if they are equal.

    The figure is drawn once, in the light theme, and recoloured for the dark one
    (`plotting.dark_variant`) unless it maps data to colours or the environment sets
    DLH_RENDER_DARK=1; then it is drawn in each theme. The test suite's second site build sets it,
    so its byte-for-byte comparison with the first build checks that recolouring gives what drawing
    gives, for every figure but those registered `measured` (tests/test_figures.py checks those).
    """
    light, mapped = _draw(name, "light")
    dark = None if mapped or os.environ.get(RENDER_DARK) == "1" else dark_variant(light)
    out: dict[Theme, bytes] = {"light": light, "dark": render_registered(name, "dark") if dark is None else dark}
    if out["light"] == out["dark"]:
        raise ValueError(f"figure {name!r}: the dark render equals the light one (colours set by hand?)")
    return out
