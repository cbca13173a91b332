"""snippets/ type-checks: every public function is annotated (STYLE.md), and mypy agrees."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_finds_no_error_in_snippets() -> None:
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_ruff_finds_no_lint_error() -> None:
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "snippets", "tests", "hooks", "scripts"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-4000:]
