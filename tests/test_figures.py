"""Every registered figure (snippets/figures.py) renders in both themes, byte-identically twice.

The site-level test tests/site_checks/test_figures_used.py checks the other direction: every
figure a page shows is registered, and every registered figure is shown.
"""

from __future__ import annotations

import pytest

from snippets.figures import registry, render


@pytest.mark.parametrize("name", sorted(registry()))
def test_figure_renders_in_both_themes_identically_twice(name: str) -> None:
    light = render(name, "light")
    assert light.startswith(b"<?xml")
    assert render(name, "light") == light
    dark = render(name, "dark")
    assert dark.startswith(b"<?xml") and dark != light
    assert render(name, "dark") == dark


# On a 390 px phone a full-width figure is shown at about half size; tapping it shows it at its own
# size (docs/javascripts/figures.js), where 7.5 pt is 10 CSS px: the smallest text a reader should
# have to read.
MIN_FONT_PT = 7.5


@pytest.mark.parametrize("name", sorted(registry()))
def test_figure_text_is_at_least_min_font_size(name: str) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    from snippets.plotting import themed

    with themed("light"):
        fig = registry()[name]()
        fig.canvas.draw()  # legends and tick labels exist only once drawn
        small = {(t.get_text(), t.get_fontsize()) for t in fig.findobj(Text)
                 if t.get_visible() and t.get_text().strip() and t.get_fontsize() < MIN_FONT_PT}
        plt.close(fig)
    assert not small, f"text below {MIN_FONT_PT} pt: {sorted(small)[:5]}"
