"""Every docs code block and every `experiment` test passes under each other numeric kernel set.

The docs blocks compare their printed output with the page, so passing under a set means the page
reads the same there. A set that this CPU cannot make different is skipped with the reason (run
pytest with -rs, as the test command does, to see it); a set that does run must be seen to take
effect inside the child run, or the test fails. The sets run side by side (see `runs`).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .kernel_sets import KERNEL_SETS, why_not_distinct

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Run:
    proc: subprocess.Popen[bytes]
    log: Path
    env: dict[str, str]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Run]]:
    """Start every set this machine can make different at once; each test then waits for its own.

    The sets run single-threaded, so on a two-core machine the two x86 runs take the time of one.
    """
    started: dict[str, Run] = {}
    if os.environ.get("DLH_KERNEL_SET"):
        yield started
        return
    folder = tmp_path_factory.mktemp("kernel-sets")
    for name, ks in sorted(KERNEL_SETS.items()):
        if why_not_distinct(ks):
            continue
        env = dict(os.environ, **ks.env, DLH_KERNEL_SET=name, MPLBACKEND="Agg")
        log = folder / f"{name}.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "pytest", "-m", "experiment", "-p", "no:cacheprovider", "docs", "tests"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            )
        started[name] = Run(proc, log, env)
    try:
        yield started
    finally:
        for run in started.values():
            if run.proc.poll() is None:
                run.proc.kill()
                run.proc.wait()


@pytest.mark.parametrize("name", sorted(KERNEL_SETS))
def test_docs_blocks_and_experiments_pass_under_kernel_set(name: str, runs: dict[str, Run]) -> None:
    if os.environ.get("DLH_KERNEL_SET"):
        pytest.skip("inside a kernel-set run already")
    ks = KERNEL_SETS[name]
    reason = why_not_distinct(ks)
    if reason:
        pytest.skip(reason)
    run = runs[name]
    returncode = run.proc.wait(timeout=1800)
    out = run.log.read_text(encoding="utf-8", errors="replace")
    assert returncode == 0, f"kernel set {name} ({ks.env}):\n{out[-8000:]}"
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
            cwd=ROOT, env=run.env, capture_output=True, text=True,
        )
        assert probe.stdout.strip() == "False", f"NumPy kept {ks.expect_numpy_off}: {probe.stdout}{probe.stderr}"
    if ks.env.get("OMP_NUM_THREADS") == "1":
        assert " 1 threads;" in line, line
    assert re.search(r"\d+ passed", out), out[-2000:]
