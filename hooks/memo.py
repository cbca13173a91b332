"""A result kept on disk in the build's cache folder, under a key that names everything it depends on.

Used for the build steps that give the same output for the same input on every build: highlighting
a code block (hooks/highlight_cache.py) and pruning a notebook page's stylesheet (hooks/notebooks.py).
A full build keeps only the entries it used; a dirty rebuild under `mkdocs serve --dirty`, which
renders only the edited pages, adds to them.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import deps  # hooks/deps.py


def key_of(*parts: str | bytes) -> str:
    """A hash of the parts, each length-prefixed so that no two different lists share a key."""
    h = hashlib.sha256()
    for part in parts:
        if not isinstance(part, (str, bytes)):
            raise TypeError(f"parts must be str or bytes, got {type(part).__name__}")
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


class DiskMemo:
    """Results by key, read from `<cache>/<name>.pkl` at the start of a build and written at its end."""

    def __init__(self, name: str) -> None:
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"name must be an identifier (it names the cache file), got {name!r}")
        self.name = name
        self.entries: dict[str, Any] = {}
        self.used: set[str] = set()
        self.changed = False
        self.path: Path | None = None

    def load(self) -> None:
        """Start a build: read the file of the current cache folder (DLH_CACHE_DIR may have changed)."""
        path = deps.cache_dir() / f"{self.name}.pkl"
        self.used.clear()
        if path == self.path:
            return  # the same folder: the entries in memory are the file's, plus what was added
        self.path, self.entries, self.changed = path, {}, False
        try:
            with path.open("rb") as f:
                loaded = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
            return
        if isinstance(loaded, dict):
            self.entries = loaded

    def get(self, key: str, compute: Callable[[], Any]) -> Any:
        """The result stored under `key`, computed (and stored) if there is none."""
        if self.path is None:
            self.load()
        self.used.add(key)
        if key not in self.entries:
            self.entries[key] = compute()
            self.changed = True
        return self.entries[key]

    def save(self, dirty: bool) -> None:
        """End a build: drop what a full build did not use, and write the file if anything changed."""
        if self.path is None:
            return
        if not dirty:
            unused = set(self.entries) - self.used
            for key in unused:
                del self.entries[key]
            self.changed |= bool(unused)
        if not self.changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".tmp{os.getpid()}")  # two builds may share the cache folder
        with tmp.open("wb") as f:
            pickle.dump(self.entries, f, protocol=4)
        tmp.replace(self.path)
        self.changed = False
