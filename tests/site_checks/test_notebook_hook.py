"""The notebooks hook makes executed output deterministic: printed pieces become one output."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "hooks"))  # as MkDocs does while it loads a hook

pytestmark = pytest.mark.site


def test_output_printed_in_pieces_is_one_stream_after_execution() -> None:
    spec = importlib.util.spec_from_file_location("dlh_notebooks_hook", ROOT / "hooks" / "notebooks.py")
    assert spec is not None and spec.loader is not None
    spec.loader.exec_module(importlib.util.module_from_spec(spec))  # patches ExecutePreprocessor
    from nbconvert.preprocessors import ExecutePreprocessor

    # Flushes with pauses between them: the kernel sends each piece as its own message.
    code = "import sys, time\nfor i in range(3):\n    print(i, end=' ', flush=True)\n    time.sleep(0.3)\nprint('end')"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb, _ = ExecutePreprocessor(timeout=60, kernel_name="python3").preprocess(nb, {})
    outputs = nb.cells[0].outputs
    assert len(outputs) == 1 and outputs[0].text == "0 1 2 end\n"
