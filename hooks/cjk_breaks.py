"""Join the lines of Chinese paragraphs: a line break in the Markdown source between two Chinese
characters (or after Chinese punctuation) is dropped from the page's HTML.

Browsers render a line break in HTML text as a space. Between Latin words that is the space the
writer meant; inside Chinese prose, wrapped at ~100 columns in the source, it puts a visible gap in
the middle of a sentence (「指数衰减， 只存一个数」). Code blocks (<pre>), scripts and styles are left
alone; a break next to Latin letters, digits or math keeps its space.
"""

from __future__ import annotations

import re

CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u2014\u2026\u201c\u201d\u2018\u2019"
# A break (with the indentation of the next line) after a Chinese character or punctuation mark and
# before another one; or after Chinese closing punctuation (，。；：、！？）」) before anything but markup.
BREAK = re.compile(rf"(?<=[{CJK}])[ \t]*\n[ \t]*(?=[{CJK}])|(?<=[，。；：、！？）」』])[ \t]*\n[ \t]*(?=[^\s<])")
KEEP = re.compile(r"(<(pre|script|style|textarea)\b.*?</\2>)", re.S)


def join_lines(html: str) -> str:
    """`html` with the line breaks inside Chinese prose removed, outside <pre>/<script>/<style>."""
    if not isinstance(html, str):
        raise TypeError(f"html must be str, got {type(html).__name__}")
    parts = KEEP.split(html)
    out = []
    # re.split with two groups yields: text, whole kept element, its tag name, text, ...
    for i in range(0, len(parts), 3):
        out.append(BREAK.sub("", parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)


def on_page_content(html: str, page, config, files) -> str:
    if page.file.src_uri.startswith("notebooks/"):
        return html
    return join_lines(html)
