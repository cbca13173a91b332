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


def test_pages_workflow_runs_the_test_command_before_it_builds_and_deploys() -> None:
    import yaml

    wf = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    jobs = wf["jobs"]
    runs = [step.get("run", "") for step in jobs["test-and-build"]["steps"]]
    assert "make test" in runs and "make pdf" in runs, runs  # `make pdf` builds the site, then prints it
    assert runs.index("make test") < runs.index("make pdf")
    assert jobs["deploy"]["needs"] == "test-and-build"
    # The .ci/run that CI executes is the same command.
    assert "exec make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
