"""Every figure of the optim chapter renders in both themes, deterministically."""

from __future__ import annotations

import pytest

from snippets.figures import registry, render

PAGE_FIGURES = (
    "optimizer-trajectories",
    "momentum-forms-and-decay",
    "ema-weights",
    "adam-nonconvergence",
    "lr-schedules",
    "batch-size-accuracy",
    "init-activation-stats",
    "layer-speed",
)
CHAPTER_FIGURES = sorted(name for name, fn in registry().items() if fn.__module__ == "snippets.optim.figures")


def test_all_page_figures_are_registered_by_the_chapter_module() -> None:
    assert set(PAGE_FIGURES) <= set(CHAPTER_FIGURES)


@pytest.mark.parametrize("name", CHAPTER_FIGURES)
def test_figure_renders_in_both_themes_and_identically_twice(name: str) -> None:
    # 本章的图都在做真实的小实验, 渲染较慢: 浅色渲染两次检查逐字节相同, 深色渲染一次检查能画出来
    # (两个主题走同一个函数, 只有 rc 参数不同, 确定性与主题无关)
    first = render(name, "light")
    assert first.startswith(b"<?xml")
    assert render(name, "light") == first
    dark = render(name, "dark")
    assert dark.startswith(b"<?xml") and dark != first
