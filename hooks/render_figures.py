"""Render every registered figure, light and dark, into a folder: `python hooks/render_figures.py OUT`.

Run by hooks/figures.py in a fresh process, so an edited snippet is always re-imported.
"""

from __future__ import annotations

import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent


def main(out: Path) -> None:
    sys.path.insert(0, str(ROOT))  # this checkout's snippets/, whatever else is installed
    from snippets.figures import registry, render

    out.mkdir(parents=True, exist_ok=True)
    for name in registry():
        for theme, suffix in (("light", ""), ("dark", "-dark")):
            (out / f"{name}{suffix}.svg").write_bytes(render(name, theme))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python hooks/render_figures.py OUT_DIR")
    main(Path(sys.argv[1]))
