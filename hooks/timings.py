"""Where a build's time goes: figures, notebooks, math, the rest (for `make bench`).

A plain module the hooks import (MkDocs puts the hooks' folder on sys.path while loading them):
hooks/figures.py calls start() before a build and write() after it; the hooks that do timed work
add() their seconds. write() puts them, with the total, in `<cache>/build-times.json`.
"""

from __future__ import annotations

import json
import time

import deps  # hooks/deps.py

TIMES: dict[str, float] = {}
_start = [0.0]


def start() -> None:
    TIMES.clear()
    _start[0] = time.perf_counter()


def add(name: str, seconds: float) -> None:
    TIMES[name] = TIMES.get(name, 0.0) + seconds


def write() -> None:
    TIMES["total"] = time.perf_counter() - _start[0]
    cache = deps.cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    (cache / "build-times.json").write_text(json.dumps({k: round(v, 2) for k, v in TIMES.items()}) + "\n")
