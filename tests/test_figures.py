"""Rendering a figure refuses what a reader could not read, in either theme.

The build renders every registered figure through `render_both` (hooks/render_figures.py), so
these rules hold for every figure on the site whenever it builds: the strict build in
tests/site_checks fails on a figure with text below 7.5 pt or a dark render equal to the light one,
and its two clean builds must give byte-identical figures. tests/site_checks/test_figures_used.py
checks that every figure a page shows is registered, and every registered figure is shown.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.figure import Figure

import snippets.figures as figures
from snippets.plotting import new_figure

Register = Callable[[str, Callable[[], Figure]], None]
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def temporary_figure() -> Iterator[Register]:
    """Register figures for one test only."""
    names: list[str] = []

    def register(name: str, fn: Callable[[], Figure]) -> None:
        figures.figure(name)(fn)
        names.append(name)

    yield register
    for name in names:
        figures._REGISTRY.pop(name, None)
        figures._MEASURED.pop(name, None)
        figures._CHECKS.pop(name, None)


def _plot(title_pt: float = 10, tick_pt: float | None = None) -> Callable[[], Figure]:
    def draw() -> Figure:
        fig, ax = new_figure("half")
        ax.plot([0, 1, 2], [0, 1, 4], label="y = x^2")
        ax.set_title("growth", fontsize=title_pt)
        ax.legend()
        if tick_pt is not None:
            ax.tick_params(labelsize=tick_pt)
        return fig

    return draw


def test_a_legible_figure_renders_as_two_different_svgs(temporary_figure: Register) -> None:
    temporary_figure("test-legible", _plot())
    svgs = figures.render_both("test-legible")
    assert svgs["light"].startswith(b"<?xml") and svgs["dark"].startswith(b"<?xml")
    assert svgs["light"] != svgs["dark"]


def test_a_title_below_the_minimum_size_is_refused(temporary_figure: Register) -> None:
    temporary_figure("test-small-title", _plot(title_pt=6))
    with pytest.raises(ValueError, match=r"test-small-title.*below 7\.5 pt.*'growth', 6\.0"):
        figures.render_registered("test-small-title", "light")


def test_tick_labels_made_while_drawing_are_checked_too(temporary_figure: Register) -> None:
    temporary_figure("test-small-ticks", _plot(tick_pt=7))
    with pytest.raises(ValueError, match=r"below 7\.5 pt.*7\.0"):
        figures.render_registered("test-small-ticks", "dark")


def test_text_at_exactly_the_minimum_passes(temporary_figure: Register) -> None:
    temporary_figure("test-min-text", _plot(title_pt=figures.MIN_FONT_PT, tick_pt=figures.MIN_FONT_PT))
    assert figures.render_registered("test-min-text", "light").startswith(b"<?xml")


def _image() -> Figure:
    fig, ax = new_figure("half")
    ax.imshow([[0.0, 1.0], [2.0, 3.0]])
    ax.set_title("an image")
    return fig


def _contours() -> Figure:
    fig, ax = new_figure("half")
    x = np.linspace(-1, 1, 9)
    ax.contourf(x, x, np.add.outer(x**2, x), levels=5)  # a colour map's colours: not the theme's
    ax.set_title("contours")
    return fig


@pytest.mark.parametrize("draw, env, calls", [
    (_plot(), None, 1),  # drawn once, recoloured for the dark theme
    (_plot(), "0", 1),
    (_plot(), "1", 2),  # DLH_RENDER_DARK=1: drawn in each theme, as the tests' second build does
    (_image, None, 2),  # an embedded image is not recoloured
    (_contours, None, 2),  # nor colour-mapped data
])
def test_the_dark_variant_is_recoloured_unless_asked_or_an_image(
    temporary_figure: Register, monkeypatch: pytest.MonkeyPatch, draw: Callable[[], Figure], env: str | None,
    calls: int,
) -> None:
    drawn: list[int] = []
    temporary_figure("test-dark", lambda: drawn.append(1) or draw())
    if env is not None:
        monkeypatch.setenv(figures.RENDER_DARK, env)
    svgs = figures.render_both("test-dark")
    assert len(drawn) == calls
    monkeypatch.setenv(figures.RENDER_DARK, "1")
    assert figures.render_both("test-dark") == svgs  # recoloured or drawn: the same bytes


def test_a_figure_with_no_theme_colour_is_refused(temporary_figure: Register) -> None:
    def by_hand() -> Figure:
        fig, ax = new_figure("half")
        ax.plot([0, 1], [1, 0], color="#7a3b91")
        ax.axis("off")
        return fig

    temporary_figure("test-by-hand", by_hand)
    with pytest.raises(ValueError, match="test-by-hand.*dark render equals the light one"):
        figures.render_both("test-by-hand")


def test_a_figure_that_ignores_the_theme_is_refused(temporary_figure: Register,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(figures.RENDER_DARK, "1")  # drawn in each theme
    temporary_figure("test-theme-blind", _plot())
    light_only = figures.themed
    monkeypatch.setattr(figures, "themed", lambda theme: light_only("light"))
    with pytest.raises(ValueError, match="test-theme-blind.*dark render equals the light one"):
        figures.render_both("test-theme-blind")


def test_an_unknown_name_is_refused() -> None:
    with pytest.raises(KeyError, match="no figure named 'no-such-figure'"):
        figures.render_registered("no-such-figure", "light")


def test_a_name_registered_twice_is_refused(temporary_figure: Register) -> None:
    temporary_figure("test-twice", _plot())
    with pytest.raises(ValueError, match="registered twice"):
        figures.figure("test-twice")(_plot())


@pytest.mark.parametrize(("arg", "listed"), [("measured", figures.measured), ("checks", figures.checking)])
def test_a_marked_figure_says_what_it_measures_or_checks(
    temporary_figure: Register, arg: str, listed: Callable[[], dict[str, str]]
) -> None:
    for bad in (" ", "", b"claims"):
        with pytest.raises(ValueError, match=f"{arg} must say what"):
            figures.figure(f"test-{arg}-bad", **{arg: bad})
    assert f"test-{arg}-bad" not in figures._REGISTRY
    figures.figure(f"test-{arg}", **{arg: "what this figure shows of the machine or the page"})(_plot())
    temporary_figure(f"test-{arg}", figures._REGISTRY[f"test-{arg}"])  # removed after the test
    temporary_figure(f"test-not-{arg}", _plot())
    found = listed()
    assert found[f"test-{arg}"] == "what this figure shows of the machine or the page"
    assert f"test-not-{arg}" not in found


def test_a_measured_figure_is_recoloured_as_drawn() -> None:
    """The site builds' comparison skips the `measured` figures (their numbers differ between builds):
    here their recoloured dark variant is compared with a dark drawing of the same measurement."""
    from snippets.plotting import dark_variant

    names = figures.measured()
    assert names  # the backbone page's latency figure
    for name in names:
        light, mapped = figures._draw(name, "light")
        dark = dark_variant(light)
        assert mapped or dark == figures.render_registered(name, "dark"), name


@pytest.fixture(scope="module")
def hook() -> Any:
    """hooks/figures.py, as MkDocs loads it (its folder on sys.path)."""
    import sys

    sys.path.insert(0, str(ROOT / "hooks"))
    spec = importlib.util.spec_from_file_location("figures_hook", ROOT / "hooks" / "figures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_recoloured_and_drawn_dark_variants_are_cached_apart(hook: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(figures.RENDER_DARK, raising=False)
    recoloured = hook._chapter_key("losses")
    monkeypatch.setenv(figures.RENDER_DARK, "0")
    assert hook._chapter_key("losses") == recoloured
    monkeypatch.setenv(figures.RENDER_DARK, "1")
    assert hook._chapter_key("losses") != recoloured


def test_a_figure_file_waits_for_its_render_and_follows_the_render_it_comes_from(
    hook: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from types import SimpleNamespace

    renders = {key: tmp_path / "cache" / f"losses-{key}" / "f.svg" for key in ("old", "new")}
    for key, path in renders.items():
        path.parent.mkdir(parents=True)
        path.write_text(key)
    config = SimpleNamespace(site_dir=str(tmp_path / "site"), use_directory_urls=True,
                             plugins=SimpleNamespace(_current_plugin="figures"))
    site_file = tmp_path / "site" / "figures" / "f.svg"

    def file_from(key: str) -> Any:
        file = hook._FigureFile.generated(config, "figures/f.svg", abs_src_path=str(renders[key]))
        file.chapter = "losses"
        return file

    monkeypatch.setattr(hook._render, "tmp", tmp_path / "rendering")
    monkeypatch.setattr(hook._render, "stale", ["losses"])
    monkeypatch.setattr(hook._render, "deferred", [])
    file_from("new").copy_file(dirty=True)
    assert not site_file.exists() and len(hook._render.deferred) == 1  # its chapter is rendering
    monkeypatch.setattr(hook._render, "stale", ["optim"])
    file_from("new").copy_file(dirty=True)  # another chapter's render does not hold it back
    assert site_file.read_text() == "new"
    monkeypatch.setattr(hook._render, "tmp", None)
    file_from("old").copy_file(dirty=True)  # an edit undone: the older render comes back
    assert site_file.read_text() == "old"
    file_from("old").copy_file(dirty=True)
    assert not file_from("old").is_modified()


def test_the_build_finds_every_registered_figure_in_its_chapter_source(hook: Any) -> None:
    """hooks/figures.py reads figure names off each chapter's source (to render only that chapter):
    it must see every name the registry holds, with or without `measured=`."""
    assert hook.FIG_DEF.findall('@figure("a-1")\n@figure( "b-2", measured="latency")\n') == ["a-1", "b-2"]
    declared = {name for module in figures.FIGURE_MODULES
                for name in hook.FIG_DEF.findall((ROOT / (module.replace(".", "/") + ".py")).read_text("utf-8"))}
    assert declared == set(figures.registry())


def test_a_renderer_skips_a_figure_another_renderer_claimed(tmp_path: Path) -> None:
    """hooks/render_figures.py: the build's renderers share one list; each draws what no other took."""
    spec = importlib.util.spec_from_file_location("dlh_render_figures", ROOT / "hooks" / "render_figures.py")
    assert spec is not None and spec.loader is not None
    renderer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(renderer)
    (tmp_path / ".claims").mkdir()
    (tmp_path / ".claims" / "losses.kl-forward-reverse").touch()  # taken by another process
    renderer.main(tmp_path, ["losses/kl-forward-reverse", "losses/bernoulli-likelihood"])
    assert sorted(p.name for p in (tmp_path / "losses").iterdir()) == [
        "bernoulli-likelihood-dark.svg", "bernoulli-likelihood.svg"]
    (tmp_path / "losses" / "bernoulli-likelihood.svg").unlink()
    renderer.main(tmp_path, ["losses/bernoulli-likelihood"])  # claimed by the first call: not drawn again
    assert not (tmp_path / "losses" / "bernoulli-likelihood.svg").exists()
    assert float((tmp_path / ".claims" / "losses.bernoulli-likelihood").read_text()) > 0  # its CPU seconds


def test_the_build_names_the_figures_that_took_the_most_cpu(hook: Any, tmp_path: Path) -> None:
    for name, text in {"data.dimred-accuracy-vs-k": "4.90\n", "segmentation.seg-tasks": "0.50\n",
                       "segmentation.seg-experiment-scores": "16.70\n", "nets.nets-latency": "3.40\n",
                       "cnn.sobel-grace-hopper": ""}.items():  # the last one claimed, still drawing
        (tmp_path / name).write_text(text)
    assert hook.slowest(tmp_path) == [("segmentation/seg-experiment-scores", 16.7),
                                      ("data/dimred-accuracy-vs-k", 4.9), ("nets/nets-latency", 3.4)]
    assert hook.slowest(tmp_path, n=1) == [("segmentation/seg-experiment-scores", 16.7)]
