"""Run an experiment once per build: a figure and a notebook that ask for the same run share it.

`@shared_run` is a no-op unless the environment variable DLH_RUN_CACHE names a folder, which the
site build sets (hooks/figures.py) for its figure renderers and notebook kernels. The folder's name
already holds a hash of every file under snippets/, so a result is reused only while the code that
produced it is unchanged. Tests, the docs blocks and a reader's own notebook never set it: there
every call computes, so the cross-kernel check sees fresh numbers.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
ENV = "DLH_RUN_CACHE"


def call_key(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """The file name under which a call's result is kept: function, then a hash of the arguments."""
    h = hashlib.sha256(pickle.dumps((args, sorted(kwargs.items())), protocol=4))
    return f"{fn.__module__}.{fn.__qualname__}-{h.hexdigest()[:16]}.pkl"


def shared_run(fn: F) -> F:
    """Keep `fn`'s result on disk for the rest of the build; concurrent callers wait for the first."""
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        folder = os.environ.get(ENV)
        if not folder:
            return fn(*args, **kwargs)
        path = Path(folder) / call_key(fn, args, kwargs)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # a figure process and a notebook kernel may ask at once
            if path.exists():
                with open(path, "rb") as f:
                    return pickle.load(f)
            result = fn(*args, **kwargs)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            with open(tmp, "wb") as f:
                pickle.dump(result, f, protocol=4)
            tmp.replace(path)
            return result

    return wrapper  # type: ignore[return-value]
