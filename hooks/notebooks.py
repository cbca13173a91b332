"""Offer each notebook page (a jupytext percent-format `.py` under docs/notebooks/) as `.ipynb`.

mkdocs-jupyter executes and renders the `.py`; this hook adds `notebooks/<name>.ipynb`, converted
by jupytext without outputs, so a reader downloads a notebook and runs it locally.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
from mkdocs.structure.files import File, Files

DOCS_NOTEBOOKS = "notebooks/"


def on_files(files: Files, config) -> Files:
    for f in list(files):
        if f.src_uri.startswith(DOCS_NOTEBOOKS) and f.src_uri.endswith(".py"):
            nb = jupytext.read(f.abs_src_path, fmt="py:percent")
            nb.metadata.pop("jupytext", None)
            nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
            uri = str(Path(f.src_uri).with_suffix(".ipynb"))
            files.append(File.generated(config, uri, content=jupytext.writes(nb, fmt="ipynb")))
    return files
