"""Run an experiment once per build: a figure, a notebook and a test that ask for the same run share it.

`@shared_run` keeps results on disk only when the environment variable DLH_RUN_CACHE names a
folder. The site build sets it (hooks/figures.py) for its figure renderers and notebook kernels. A
result is filed under its function's module and a hash of that module's code with every file under
snippets/ it imports (hooks/deps.py reads the imports): it is reused while that code is unchanged,
so editing one chapter's snippet recomputes only the experiments that import it. A pytest session
sets a fresh folder of its own (conftest.py), so within one session a docs block, a test and the
tests' site builds share a run, while each numeric kernel set, in its own session, computes
everything afresh. A reader's notebook does not set it.

A shared run always computes on one thread (torch and the BLAS libraries), as the build's figure
renderers always did: its result, and so every figure and printed number drawn from it, does not
depend on how many cores the machine has or on who asked first.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import importlib.util
import inspect
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
ENV = "DLH_RUN_CACHE"


@functools.cache
def _deps() -> Any:
    """hooks/deps.py of this checkout (the build has imported it as `deps` already)."""
    path = Path(__file__).resolve().parent.parent / "hooks" / "deps.py"
    loaded = sys.modules.get("deps")
    if loaded is not None and Path(getattr(loaded, "__file__", "")).resolve() == path:
        return loaded
    spec = importlib.util.spec_from_file_location("dlh_deps", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {path}: a shared run's cache key needs the checkout's hooks/deps.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def code_digest(module_file: str) -> str:
    """A hash of a module's file and every file under snippets/ it imports, directly or not, as
    they are on disk now."""
    return str(_deps().code_digest(Path(module_file)))


def _source_file(fn: Callable[..., Any]) -> str | None:
    """The file under this checkout that defines `fn`, or None (code run with exec, a notebook cell)."""
    try:
        path = Path(inspect.getfile(fn)).resolve()
    except TypeError:
        return None
    root = Path(__file__).resolve().parent.parent
    return str(path) if path.is_file() and path.is_relative_to(root) else None


def call_key(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], code: str) -> str:
    """Where a call's result is kept: `<module>/<code>/<function>-<hash of the arguments>.pkl`, `code`
    being the hash of the function's module and its imports (`code_digest`)."""
    h = hashlib.sha256(pickle.dumps((args, sorted(kwargs.items())), protocol=4))
    return f"{fn.__module__}/{code}/{fn.__qualname__}-{h.hexdigest()[:16]}.pkl"


def one_thread(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call `fn` with torch and the BLAS/OpenMP thread pools limited to one thread, then restore them."""
    import torch
    from threadpoolctl import threadpool_limits

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(limits=1):
            return fn(*args, **kwargs)
    finally:
        torch.set_num_threads(before)


def shared_run(fn: F) -> F:
    """Keep `fn`'s result on disk for the rest of the build; concurrent callers wait for the first."""
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")

    source = _source_file(fn)
    # The hash of the code as it was imported: an edit saved while a build runs must not file the
    # old code's result under the new code's hash (the next build would take it as current).
    imported: list[str] = [code_digest(source)] if source and os.environ.get(ENV) else []

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        folder = os.environ.get(ENV)
        if not folder or source is None:
            return one_thread(fn, *args, **kwargs)
        if not imported:  # the folder was named after the import
            imported.append(code_digest(source))
        path = Path(folder) / call_key(fn, args, kwargs, imported[0])
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # a figure process and a notebook kernel may ask at once
            if path.exists():
                with open(path, "rb") as f:
                    return pickle.load(f)
            result = one_thread(fn, *args, **kwargs)
            if code_digest(source) != imported[0]:
                return result  # the code changed while it ran: keep nothing under either hash
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            with open(tmp, "wb") as f:
                pickle.dump(result, f, protocol=4)
            tmp.replace(path)
            return result

    return wrapper  # type: ignore[return-value]
