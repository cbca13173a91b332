"""Every docs code block and every `experiment` test passes under another numeric kernel set.

The docs blocks compare their printed output with the page, so passing under a set means the page
reads the same there. A set that this CPU cannot make different is skipped with the reason (run
pytest with -rs, as the test command does, to see it); a set that does run must be seen to take
effect inside the child run, or the test fails. The run starts when collection ends (`start_runs`).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import KERNEL_RUNS as RUNS  # the key must be conftest.py's own object (see there)
from snippets.run_cache import ENV as RUN_CACHE_ENV

from .kernel_sets import KERNEL_SETS, why_not_distinct

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Run:
    proc: subprocess.Popen[bytes]
    log: Path
    env: dict[str, str]


def start_runs(config: pytest.Config, folder: Path) -> None:
    """Start the kernel-set run(s) this machine can make different; called when collection ends.

    conftest.py calls this as soon as the session knows it will run the test below, and orders that
    test last, so the set's one-thread run overlaps the native unit tests and docs blocks.
    """
    started: dict[str, Run] = {}
    config.stash[RUNS] = started
    if os.environ.get("DLH_KERNEL_SET"):
        return
    for name, ks in sorted(KERNEL_SETS.items()):
        if why_not_distinct(ks):
            continue
        # Without this session's experiment folder: the set's own session computes every run afresh.
        env = {k: v for k, v in os.environ.items() if k != RUN_CACHE_ENV}
        env.update(ks.env, DLH_KERNEL_SET=name, MPLBACKEND="Agg")
        log = folder / f"{name}.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "pytest", "-m", "experiment", "-p", "no:cacheprovider", "docs", "tests"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            )
        started[name] = Run(proc, log, env)


def stop_runs(config: pytest.Config) -> None:
    """Kill any run still going (the session ended early)."""
    for run in config.stash.get(RUNS, {}).values():
        if run.proc.poll() is None:
            run.proc.kill()
            run.proc.wait()


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """The runs conftest.py started when collection ended (started here under pytest-xdist)."""
    if RUNS not in request.config.stash:
        start_runs(request.config, tmp_path_factory.mktemp("kernel-sets"))
    return request.config.stash[RUNS]


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
    if ks.expect_onednn:
        conv = ("import torch\nwith torch.backends.mkldnn.verbose(torch.backends.mkldnn.VERBOSE_ON):\n"
                "    torch.nn.functional.conv2d(torch.ones(8, 16, 24, 24), torch.ones(8, 16, 3, 3), padding=1)")
        probe = subprocess.run([sys.executable, "-c", conv], cwd=ROOT, env=run.env, capture_output=True, text=True)
        # the kernel that ran, e.g. "...,exec,cpu,convolution,jit:avx2,forward_training,..."
        isa = re.search(r"^onednn_verbose,.*,exec,cpu,convolution,[\w]+:(\w+),", probe.stdout, re.M)
        assert isa and isa.group(1) == ks.expect_onednn, f"oneDNN did not take {ks.expect_onednn}: {probe}"
    if ks.env.get("OMP_NUM_THREADS") == "1":
        assert " 1 threads;" in line, line
    assert re.search(r"\d+ passed", out), out[-2000:]
