"""Every docs code block and every `experiment` test passes under each other numeric kernel set.

The docs blocks compare their printed output with the page, so passing under a set means the page
reads the same there. A set that this CPU cannot make different is skipped with the reason (run
pytest with -rs, as the test command does, to see it); a set that does run must be seen to take
effect inside the child run, or the test fails.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .kernel_sets import KERNEL_SETS, why_not_distinct

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(KERNEL_SETS))
def test_docs_blocks_and_experiments_pass_under_kernel_set(name: str) -> None:
    if os.environ.get("DLH_KERNEL_SET"):
        pytest.skip("inside a kernel-set run already")
    ks = KERNEL_SETS[name]
    reason = why_not_distinct(ks)
    if reason:
        pytest.skip(reason)
    env = dict(os.environ, **ks.env, DLH_KERNEL_SET=name, MPLBACKEND="Agg")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-m", "experiment", "-p", "no:cacheprovider", "docs", "tests"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"kernel set {name} ({ks.env}):\n{out[-8000:]}"
    header = re.search(r"^numeric kernels: .*$", out, re.M)
    assert header, out[:2000]
    line = header.group(0)
    assert f"set={name}" in line, line
    if ks.expect_torch:
        assert f" {ks.expect_torch}," in line, f"torch did not take {ks.expect_torch}: {line}"
    if ks.expect_numpy_off:
        probe = subprocess.run(
            [sys.executable, "-c", "from tests.kernels.kernel_sets import hardware_features as h;"
             f"print(any(h().get(f) for f in {ks.expect_numpy_off!r}))"],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )
        assert probe.stdout.strip() == "False", f"NumPy kept {ks.expect_numpy_off}: {probe.stdout}{probe.stderr}"
    if name == "one-thread":
        assert " 1 threads;" in line, line
    assert re.search(r"\d+ passed", out), out[-2000:]
