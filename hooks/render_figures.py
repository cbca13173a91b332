"""Render registered figures, light and dark, into a folder.

Usage: python hooks/render_figures.py OUT_DIR [SHARD SHARDS]
With SHARD and SHARDS, only every SHARDS-th figure (by name) starting at SHARD is rendered, so the
build can run several of these processes side by side. Run by hooks/figures.py in fresh processes,
so an edited snippet is always re-imported.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(out: Path, shard: int = 0, shards: int = 1) -> None:
    sys.path.insert(0, str(ROOT))  # this checkout's snippets/, whatever else is installed
    from snippets.figures import registry, render

    out.mkdir(parents=True, exist_ok=True)
    for name in list(registry())[shard::shards]:
        for theme, suffix in (("light", ""), ("dark", "-dark")):
            (out / f"{name}{suffix}.svg").write_bytes(render(name, theme))


if __name__ == "__main__":
    if len(sys.argv) not in (2, 4):
        raise SystemExit("usage: python hooks/render_figures.py OUT_DIR [SHARD SHARDS]")
    main(Path(sys.argv[1]), *(int(a) for a in sys.argv[2:]))
