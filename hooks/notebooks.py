"""Offer each notebook page (a jupytext percent-format `.py` under docs/notebooks/) as `.ipynb`.

mkdocs-jupyter executes and renders the `.py`; this hook adds `notebooks/<name>.ipynb`, converted
by jupytext without outputs, so a reader downloads a notebook and runs it locally. Cell ids, which
jupytext and nbconvert draw at random, are numbered instead so that two builds are byte-identical.
"""

from __future__ import annotations

import itertools
import re
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
            for i, cell in enumerate(nb.cells):
                cell.id = f"cell-{i}"
            uri = str(Path(f.src_uri).with_suffix(".ipynb"))
            files.append(File.generated(config, uri, content=jupytext.writes(nb, fmt="ipynb")))
    return files


RANDOM_CELL_ID = re.compile(r'id="cell-id=[0-9a-f]{8}"')


def on_post_page(output: str, page, config) -> str:
    if not page.file.src_uri.startswith(DOCS_NOTEBOOKS):
        return output
    counter = itertools.count()
    return RANDOM_CELL_ID.sub(lambda _: f'id="cell-{next(counter)}"', output)
