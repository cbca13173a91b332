"""Build-time checks that keep pages honest; each failure stops the build with the page's name.

- jieba must be importable: without it Material's search builds an index that finds no Chinese.
- A block that includes code from snippets/ (`--8<-- "snippets/x.py:section"`) must carry that
  module's path as its title, so a reader sees where the code lives.
"""

from __future__ import annotations

import re

from mkdocs.exceptions import PluginError

FENCE = re.compile(r'^(?P<indent>[ \t]*)```(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=indent)```', re.S | re.M)
INCLUDE = re.compile(r'--8<--\s+"(?P<path>snippets/[^":]+\.py)(?::[\w-]+)?"')


def on_config(config):
    try:
        import jieba  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise PluginError("jieba is not installed: Chinese search would find nothing. Run `make env`.") from exc
    return config


def on_page_markdown(markdown: str, page, config, files) -> str:
    for m in FENCE.finditer(markdown):
        paths = {i["path"] for i in INCLUDE.finditer(m["body"])}
        if not paths:
            continue
        title = re.search(r'title="([^"]+)"', m["info"])
        if len(paths) != 1 or not title or title.group(1) != paths.pop():
            raise PluginError(
                f"{page.file.src_uri}: a snippets include block must include one module and carry its "
                f'path as title, e.g. ```python title="snippets/losses/softmax.py"; got {m["info"]!r}'
            )
    return markdown
