"""Keep Pygments' HTML for each code block in the build cache, so a build highlights only new code.

Highlighting the ~900 code blocks was one of the largest costs of a warm build. The HTML of a block
depends only on its source, the lexer and its options, the formatter and its options, and the
Pygments and pymdownx versions: together they make the key (hooks/memo.py keeps the results).
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

import pygments
import pymdownx.highlight as _pymdownx_highlight
from memo import DiskMemo, key_of  # hooks/memo.py

_VERSIONS = f"pygments=={pygments.__version__} pymdown-extensions=={version('pymdown-extensions')}"
MEMO = DiskMemo("highlight")
_dirty = [False]


def block_key(src: str, lexer: Any, formatter: Any) -> str:
    """The cache key of one highlighted block: its source and everything that shapes its HTML."""
    if not isinstance(src, str):
        raise TypeError(f"src must be a str, got {type(src).__name__}")
    shape = (
        type(lexer).__module__, type(lexer).__qualname__, sorted(lexer.options.items()),
        type(formatter).__module__, type(formatter).__qualname__, sorted(formatter.options.items()),
    )
    return key_of(_VERSIONS, repr(shape), src)


def cached_highlight(code: str, lexer: Any, formatter: Any, outfile: Any = None) -> Any:
    """`pygments.highlight`, answered from the cache when the same block was highlighted before."""
    if outfile is not None:
        return pygments.highlight(code, lexer, formatter, outfile)
    return MEMO.get(block_key(code, lexer, formatter), lambda: pygments.highlight(code, lexer, formatter))


# pymdownx.highlight calls the name it imported from pygments; point that name here.
_pymdownx_highlight.highlight = cached_highlight


def on_startup(command: str, dirty: bool) -> None:
    _dirty[0] = dirty


def on_pre_build(config: Any) -> None:
    MEMO.load()


def on_post_build(config: Any) -> None:
    MEMO.save(dirty=_dirty[0])
