"""Numeric kernel sets: the same wheels, told to take other SIMD/BLAS/threading paths.

NumPy picks AVX-512 or AVX2 loops at run time, OpenBLAS a core-specific GEMM, torch its CPU
capability for its own kernels, oneDNN (which computes torch's convolutions) and MKL (torch's BLAS,
on Intel CPUs; on others it takes a generic path) an ISA of their own, and all reduce in a
thread-count-dependent order. A page whose printed numbers change
under any of these would read differently depending on which machine built the site. Each set below
names the environment that forces an older path, and what the CPU must have for the set to differ
from the native run (a feature the CPU lacks cannot be disabled: such a set is skipped, and the skip
reason says why, so nothing passes silently).
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field

# NumPy 2.4 keeps AVX512_ICL/AVX512_SPR dispatch targets when only X86_V4 is disabled: name them too.
_NO_AVX512 = "X86_V4 AVX512_ICL AVX512_SPR"


@dataclass(frozen=True)
class KernelSet:
    name: str
    env: dict[str, str]
    needs: str  # the hardware feature whose absence makes this set equal to the native run
    expect_torch: str | None = None  # torch.backends.cpu.get_cpu_capability() inside the run
    expect_numpy_off: tuple[str, ...] = field(default=())  # NumPy features that must read False
    expect_onednn: str | None = None  # the ISA of the kernel oneDNN runs a convolution with inside the run


_ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

# One set runs: the nearest older x86 path this CPU can take. On an AVX-512 machine that is "avx2"
# (the machine most readers and CI runners have); on an AVX2 machine, which cannot show AVX-512's
# numbers, "sse". Either set also runs on one thread, so it moves the kernels and the reduction
# order at once. Where neither x86 set can differ from the native run, "one-thread" still checks
# the threading. (Both x86 sets side by side cost a whole core for the length of the run on a
# two-core machine, for a path, no AVX2, that no machine the book targets takes.)
KERNEL_SETS: dict[str, KernelSet] = {
    "avx2": KernelSet(
        "avx2",
        {"NPY_DISABLE_CPU_FEATURES": _NO_AVX512, "OPENBLAS_CORETYPE": "Haswell", "ATEN_CPU_CAPABILITY": "avx2",
         "ONEDNN_MAX_CPU_ISA": "AVX2", "MKL_ENABLE_INSTRUCTIONS": "AVX2", **_ONE_THREAD},
        needs="AVX512F", expect_torch="AVX2", expect_numpy_off=("X86_V4", "AVX512_SKX"), expect_onednn="avx2",
    ),
    "sse": KernelSet(
        "sse",
        {"NPY_DISABLE_CPU_FEATURES": "X86_V3 " + _NO_AVX512, "OPENBLAS_CORETYPE": "Sandybridge",
         "ATEN_CPU_CAPABILITY": "default", "ONEDNN_MAX_CPU_ISA": "SSE41", "MKL_ENABLE_INSTRUCTIONS": "SSE4_2",
         **_ONE_THREAD},
        needs="AVX2", expect_torch="DEFAULT", expect_numpy_off=("X86_V3", "X86_V4"), expect_onednn="sse41",
    ),
    "one-thread": KernelSet("one-thread", dict(_ONE_THREAD), needs="cores"),
}


def hardware_features() -> dict[str, bool]:
    """What the CPU offers (NumPy's run-time detection, after any NPY_DISABLE_CPU_FEATURES here)."""
    from numpy._core._multiarray_umath import __cpu_features__

    return dict(__cpu_features__)


def why_not_distinct(ks: KernelSet) -> str | None:
    """None when the set takes other kernels than the native run on this machine, else the reason."""
    if ks.name == "sse" and _x86_reason(KERNEL_SETS["avx2"]) is None:
        return "the avx2 set runs on this CPU: one older kernel set per run (sse runs where avx2 cannot differ)"
    if ks.needs == "cores":
        n = os.cpu_count() or 1
        if n == 1:
            return f"this machine has {n} core: one thread is already the native run"
        x86 = [k.name for k in KERNEL_SETS.values() if k.needs != "cores" and why_not_distinct(k) is None]
        verb = "sets already run" if len(x86) > 1 else "set already runs"
        return f"the {' and '.join(x86)} {verb} on one thread" if x86 else None
    return _x86_reason(ks)


def _x86_reason(ks: KernelSet) -> str | None:
    if platform.machine().lower() not in {"x86_64", "amd64"}:
        return f"{platform.machine()} is not x86-64: the {ks.name} set names x86 kernels"
    if not hardware_features().get(ks.needs, False):
        return f"this CPU has no {ks.needs}: the {ks.name} set equals the native run"
    return None


def describe() -> str:
    """One line naming the kernels this process uses (printed in every pytest header)."""
    import numpy as np
    import torch

    feats = hardware_features()
    best = next((f for f in ("X86_V4", "X86_V3", "X86_V2") if feats.get(f)), "baseline")
    return (f"numeric kernels: numpy {np.__version__} up to {best}; "
            f"torch {torch.__version__.split('+')[0]} {torch.backends.cpu.get_cpu_capability()}, "
            f"{torch.get_num_threads()} threads; "
            f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'auto')}; "
            f"set={os.environ.get('DLH_KERNEL_SET', 'native')}")
