"""hooks/figures.py: a figure's alt text is its caption read as plain text, math included."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
import figures as figure_hook  # noqa: E402


def test_math_reads_as_symbols_not_as_stripped_tex() -> None:
    caption = r"梯度 $|\partial y / \partial x|$（输入 $25 \times 25$），$\eta = 0.1$"
    assert figure_hook.alt_text(caption) == "梯度 |∂ y / ∂ x|（输入 25 × 25），η = 0.1"


def test_fractions_roots_markup_and_escaped_dollars() -> None:
    caption = r"**看** $\frac{1}{N}$ 与 $\sqrt{2}$ 和 $\frac{a+b}{2}$，`code`，价格 \$5"
    assert figure_hook.alt_text(caption) == "看 1/N 与 √2 和 (a+b)/2，code，价格 $5"


def test_styling_commands_read_as_their_argument_and_unknown_ones_as_their_name() -> None:
    assert figure_hook.alt_text(r"$\mathbf{x}$ 与 $\operatorname{diag}(p)$") == "x 与 diag(p)"
    assert figure_hook.alt_text(r"$\mathrm{softplus}$, $\Gamma$") == "softplus, Gamma"
