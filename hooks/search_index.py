"""Write Material's search index as UTF-8 rather than ASCII escapes.

The search plugin serialises with `json.dumps` defaults, so every Chinese character (and every
zero-width space jieba puts between words) becomes a 6-byte `\\uXXXX` escape. The same JSON in UTF-8
is about half the size; every page loads the index, so this is most of a page's weight.
"""

from __future__ import annotations

import json
from pathlib import Path


def on_post_build(config) -> None:
    path = Path(config.site_dir) / "search" / "search_index.json"
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
