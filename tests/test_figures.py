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
