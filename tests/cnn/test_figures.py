"""Every figure of the CNN chapter renders in both themes, deterministically."""

from __future__ import annotations

import pytest

from snippets.figures import registry, render
from snippets.plotting import THEMES, Theme

PAGE_FIGURES = ("conv-vs-correlation", "receptive-field-gradient", "pooling-shift", "sobel-grace-hopper",
                "checkerboard")
CHAPTER_FIGURES = sorted(name for name, fn in registry().items() if fn.__module__ == "snippets.cnn.figures")


def test_all_page_figures_are_registered_by_the_chapter_module() -> None:
    assert set(PAGE_FIGURES) <= set(CHAPTER_FIGURES)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", CHAPTER_FIGURES)
def test_figure_renders_to_identical_svg_twice(name: str, theme: Theme) -> None:
    first = render(name, theme)
    assert first.startswith(b"<?xml")
    assert render(name, theme) == first
