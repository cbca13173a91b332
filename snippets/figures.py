"""The registry of every figure on the site: a name maps to a function that returns a Figure.

Pages refer to a figure by name (``![说明](fig:softmax-temperature)``); the build hook renders each
registered function once per theme to ``figures/<name>.svg`` and ``figures/<name>-dark.svg``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from matplotlib.figure import Figure

from snippets.plotting import Theme, themed, to_svg

FigureFn = Callable[[], Figure]

# Every chapter keeps its figures in snippets/<chapter>/figures.py; this is the one list of them.
FIGURE_MODULES = tuple(sorted(f"snippets.{p.parent.name}.figures" for p in Path(__file__).parent.glob("*/figures.py")))

_REGISTRY: dict[str, FigureFn] = {}


def figure(name: str) -> Callable[[FigureFn], FigureFn]:
    """Decorator that registers a figure function under ``name`` (lowercase, digits, '-')."""
    if not name or not all(c.isdigit() or c == "-" or "a" <= c <= "z" for c in name):
        raise ValueError(f"figure name must use a-z, 0-9 and '-', got {name!r}")

    def register(fn: FigureFn) -> FigureFn:
        if name in _REGISTRY and _REGISTRY[name] is not fn:
            raise ValueError(f"figure name {name!r} is registered twice")
        _REGISTRY[name] = fn
        return fn

    return register


def registry() -> dict[str, FigureFn]:
    """All registered figures, after importing every chapter module that defines some."""
    for module in FIGURE_MODULES:
        importlib.import_module(module)
    return dict(sorted(_REGISTRY.items()))


def render(name: str, theme: Theme) -> bytes:
    """Render one registered figure in one theme to SVG bytes (imports every chapter first)."""
    registry()
    return render_registered(name, theme)


def render_registered(name: str, theme: Theme) -> bytes:
    """Render a figure whose chapter module is already imported; the build imports only that one."""
    if name not in _REGISTRY:
        raise KeyError(f"no figure named {name!r}; known: {', '.join(sorted(_REGISTRY))}")
    with themed(theme):
        return to_svg(_REGISTRY[name]())
