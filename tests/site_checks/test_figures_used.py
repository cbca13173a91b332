"""Every registered figure is shown on some page, and every page's figure reference is registered."""

from __future__ import annotations

import re
from pathlib import Path

from snippets.figures import registry

DOCS = Path(__file__).resolve().parents[2] / "docs"
FIG_REF = re.compile(r"\]\(fig:([a-z0-9-]+)\)")


def test_no_figure_is_orphaned_and_no_reference_dangles() -> None:
    used = {name for page in DOCS.rglob("*.md") for name in FIG_REF.findall(page.read_text(encoding="utf-8"))}
    registered = set(registry())
    assert not registered - used, f"registered but shown on no page: {sorted(registered - used)}"
    assert not used - registered, f"referenced but not registered: {sorted(used - registered)}"
