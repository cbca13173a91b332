"""Where a build's time goes: figures, notebooks, math, the rest (for `make bench`).

Other hooks `import timings` and add seconds to TIMES; this file is also loaded as a hook (listed
last, under another module name), which clears that shared TIMES before a build and writes it, with
the total, to `<cache>/build-times.json` after each build.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMES: dict[str, float] = {}
_start = [0.0]


def add(name: str, seconds: float) -> None:
    TIMES[name] = TIMES.get(name, 0.0) + seconds


def _shared() -> dict[str, float]:
    module = sys.modules.get("timings")
    return module.TIMES if module is not None else TIMES


def on_pre_build(config) -> None:
    _shared().clear()
    _start[0] = time.perf_counter()


def on_post_build(config) -> None:
    times = _shared()
    times["total"] = time.perf_counter() - _start[0]
    cache = Path(os.environ.get("DLH_CACHE_DIR", ROOT / ".cache"))
    cache.mkdir(parents=True, exist_ok=True)
    (cache / "build-times.json").write_text(json.dumps({k: round(v, 2) for k, v in times.items()}) + "\n")
