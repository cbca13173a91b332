"""One Jupyter kernel for all the notebooks of a build, put back between notebooks to a new kernel's state.

A new kernel per notebook costs about 2.2 s of CPU before the first cell runs (0.7 s to start the
kernel, 1.5 s to import torch and NumPy again): 20 s of a clean build's 9 notebooks. Here the
kernel starts once; before each notebook it is reset to what it was when it had just started:

- the user namespace, the output cache and the execution counter (IPython's `reset`, so the
  first cell is `In [1]` again);
- every module of this checkout (`snippets.*`) is forgotten, so the next notebook imports the code
  on disk, as a new kernel would;
- the state the libraries keep for the process: torch's default generator (a new process seeds
  it at random; it gets back the state it had after the start), default dtype, grad mode, thread
  count and print options, NumPy's print options and floating-point error handling, Matplotlib's
  settings and open figures, warning filters and the record of warnings already shown, the working
  folder, `sys.path` and the environment.

Not reset, because no notebook here touches them: Matplotlib's backend (the book's plotting module
sets Agg on import), torch's backend flags, logging handlers, IPython's display formatters, and
modules outside `snippets` imported from a folder a notebook put on `sys.path`. A notebook could
leave such state behind; the test session checks that none did: its second build sets
DLH_FRESH_KERNELS=1 (one new kernel per notebook, as a reader runs it) and must give the same
bytes as the first (tests/site_checks/test_build.py).

A notebook that fails in a way other than a cell's error (a timeout, a dead kernel) stops the
shared kernel; the next notebook starts a new one.
"""

from __future__ import annotations

import atexit
import os
from typing import Any

from jupyter_client.blocking import BlockingKernelClient
from jupyter_core.utils import ensure_async, run_sync

FRESH = "DLH_FRESH_KERNELS"

# Run in the kernel once it has started, before any notebook: what "a new kernel" means below.
CAPTURE = """\
def _dlh_state():
    import copy, os, sys, warnings
    import matplotlib, numpy, torch
    return {
        "modules": set(sys.modules), "path": list(sys.path), "cwd": os.getcwd(),
        "environ": dict(os.environ), "warnings": list(warnings.filters),
        "rc": {k: copy.deepcopy(v) for k, v in matplotlib.rcParams.items() if k != "backend"},
        "numpy_print": numpy.get_printoptions(), "numpy_err": numpy.geterr(), "threads": torch.get_num_threads(),
        "dtype": torch.get_default_dtype(), "rng": torch.get_rng_state(),
    }
import sys as _sys
_sys._dlh_new_kernel = _dlh_state()
del _sys, _dlh_state
"""

# Run before each notebook: back to the captured state.
RESET = """\
def _dlh_reset():
    import os, sys, warnings
    import matplotlib, matplotlib.pyplot, numpy, torch
    new = sys._dlh_new_kernel
    matplotlib.pyplot.close("all")
    ours = [m for m in sys.modules if m not in new["modules"] and (m == "snippets" or m.startswith("snippets."))]
    for name in ours:
        del sys.modules[name]
    torch.set_rng_state(new["rng"])
    torch.set_default_dtype(new["dtype"])
    torch.set_grad_enabled(True)
    torch.set_num_threads(new["threads"])
    torch.set_printoptions(profile="default")
    numpy.set_printoptions(**new["numpy_print"])
    numpy.seterr(**new["numpy_err"])
    matplotlib.rcParams.update(new["rc"])
    warnings.filters[:] = new["warnings"]
    warnings._filters_mutated()  # forget which warnings each module has shown already
    warnings.onceregistry.clear()
    os.chdir(new["cwd"])
    sys.path[:] = new["path"]
    for key in set(os.environ) - set(new["environ"]):
        del os.environ[key]
    for key, value in new["environ"].items():
        if os.environ.get(key) != value:
            os.environ[key] = value
    get_ipython().reset(new_session=True)
_dlh_reset()
"""

_kernel: dict[str, Any] = {}


def _run(code: str) -> None:
    """Run `code` in the shared kernel, outside the notebook's history; raise if it fails."""
    kc = BlockingKernelClient()
    kc.load_connection_info(_kernel["km"].get_connection_info())
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        reply = kc.execute_interactive(code, store_history=False, timeout=120, output_hook=lambda msg: None)
    finally:
        kc.stop_channels()
    content = reply["content"]
    if content["status"] != "ok":
        error = f"{content.get('ename')}: {content.get('evalue')}"
        raise RuntimeError(f"resetting the shared notebook kernel failed: {error}")


def _call(method: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a kernel manager's method, synchronous or asynchronous, and return its result."""
    async def call() -> Any:
        return await ensure_async(method(*args, **kwargs))
    return run_sync(call)()


def _start(client: Any, name: str, resources: dict[str, Any] | None) -> Any:
    """Start a kernel as nbclient would for `client`: its kernel name, arguments and folder, and
    IPython's history kept in memory (not in the reader's ~/.ipython)."""
    km = client.kernel_manager_class(kernel_name=name, config=client.config)
    arguments = list(client.extra_arguments)
    if client.ipython_hist_file and not any(a.startswith("--HistoryManager.hist_file=") for a in arguments):
        arguments.append(f"--HistoryManager.hist_file={client.ipython_hist_file}")
    cwd = (resources or {}).get("metadata", {}).get("path") or None
    _call(km.start_kernel, extra_arguments=arguments, **({"cwd": cwd} if cwd else {}))
    _kernel["km"], _kernel["name"] = km, name
    _run(CAPTURE)
    return km


def kernel_for(client: Any, nb: Any, resources: dict[str, Any] | None) -> Any:
    """The kernel manager the next notebook runs in (reset), or None for a new kernel of its own.

    `client` is the ExecutePreprocessor about to run the notebook.
    """
    if os.environ.get(FRESH):
        return None
    name = client.kernel_name or nb.metadata.get("kernelspec", {}).get("name") or "python3"
    km = _kernel.get("km")
    if km is not None and (_kernel["name"] != name or not _call(km.is_alive)):
        shutdown(now=True)
        km = None
    if km is None:
        km = _start(client, name, resources)
    try:
        _run(RESET)
    except Exception:  # a kernel that cannot be reset (busy, broken) is replaced, once
        shutdown(now=True)
        km = _start(client, name, resources)
        _run(RESET)
    return km


def shutdown(now: bool = False) -> None:
    """Stop the shared kernel: at the end of `mkdocs build` or `mkdocs serve`, and (`now`) when a
    notebook left it unusable."""
    km = _kernel.pop("km", None)
    if km is not None:
        try:
            _call(km.shutdown_kernel, now=now)
        except Exception:  # noqa: BLE001  # it may have died already; nothing is left to stop
            pass


atexit.register(shutdown)
