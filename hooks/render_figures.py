"""Render registered figures, light and dark, into a folder per chapter.

Usage: python hooks/render_figures.py OUT_DIR CHAPTER/NAME [CHAPTER/NAME ...]
Writes OUT_DIR/CHAPTER/NAME.svg and OUT_DIR/CHAPTER/NAME-dark.svg, importing only the chapters
named. Run by hooks/figures.py in fresh processes, so an edited snippet is always re-imported;
several of these run side by side on the same list, each taking the next figure no other has
claimed (a file created in OUT_DIR/.claims), so none sits idle while another has a queue left.
Once drawn, a figure's claim file holds the CPU seconds it took (with any experiment it was first
to ask for), which the build reports for the slowest (hooks/figures.py).
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(out: Path, wanted: list[str]) -> None:
    sys.path.insert(0, str(ROOT))  # this checkout's snippets/, whatever else is installed
    from snippets.figures import render_both

    claims = out / ".claims"
    claims.mkdir(parents=True, exist_ok=True)
    for item in wanted:
        chapter, _, name = item.partition("/")
        if not chapter or not name:
            raise SystemExit(f"expected CHAPTER/NAME, got {item!r}")
        claim = claims / f"{chapter}.{name}"  # a package name holds no dot: one figure's alone
        try:
            os.close(os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            continue  # another process has it
        start = time.process_time()
        importlib.import_module(f"snippets.{chapter}.figures")
        folder = out / chapter
        folder.mkdir(parents=True, exist_ok=True)
        svgs = render_both(name)  # raises if text is too small to read or the themes look the same
        (folder / f"{name}.svg").write_bytes(svgs["light"])
        (folder / f"{name}-dark.svg").write_bytes(svgs["dark"])
        claim.write_text(f"{time.process_time() - start:.2f}\n")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit("usage: python hooks/render_figures.py OUT_DIR CHAPTER/NAME [CHAPTER/NAME ...]")
    main(Path(sys.argv[1]), sys.argv[2:])
