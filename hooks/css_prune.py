"""Cut a stylesheet down to what one HTML page uses (for notebook pages, hooks/notebooks.py).

mkdocs-jupyter inlines JupyterLab's whole stylesheet (~570 KB) into every notebook page. A rule is
kept when every class its selector names occurs in the page's HTML; @media and @supports blocks are
pruned inside; other at-rules (@keyframes, @font-face) stay. Then custom properties (`--jp-...`)
that nothing kept (nor the rest of the page) reads through `var(...)` are dropped, repeatedly,
until none is left to drop.
Classes a script would add after load are not in the HTML: use this only where no script styles
the content (the notebook pages are static HTML).
"""

from __future__ import annotations

import re

CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
FUNCTIONAL = re.compile(r":(?:not|is|where|has)\([^()]*\)")
VAR_USE = re.compile(r"var\(\s*(--[\w-]+)")
CUSTOM = re.compile(r"^\s*(--[\w-]+)\s*:")


def blocks(css: str) -> list[tuple[str, str | None]]:
    """Top-level (prelude, body) pairs of a stylesheet; a statement such as @charset is (text, None)."""
    out: list[tuple[str, str | None]] = []
    i, n = 0, len(css)
    while i < n:
        brace, semi = css.find("{", i), css.find(";", i)
        if brace < 0:
            break
        if 0 <= semi < brace and css[i:semi].strip().startswith("@"):
            out.append((css[i : semi + 1].strip(), None))
            i = semi + 1
            continue
        depth, j = 0, brace
        while j < n:
            if css[j] == "{":
                depth += 1
            elif css[j] == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        out.append((css[i:brace].strip(), css[brace + 1 : j]))
        i = j + 1
    return out


def split_top(text: str, sep: str) -> list[str]:
    """`text` split at `sep` outside quotes and parentheses: a rule body at `;` (data: URLs hold
    `;`), a selector list at `,` (`:is(.a, .b)` holds `,`)."""
    parts, depth, quote, start = [], 0, "", 0
    for k, c in enumerate(text):
        if quote:
            quote = "" if c == quote else quote
        elif c in "\"'":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == sep and depth == 0:
            parts.append(text[start:k])
            start = k + 1
    parts.append(text[start:])
    return [p for p in parts if p.strip()]


def _rules(css: str, used: set[str]) -> str:
    out = []
    for prelude, body in blocks(css):
        if body is None:
            out.append(prelude)
        elif prelude.startswith(("@media", "@supports")):
            inner = _rules(body, used)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            kept = [s for s in split_top(prelude, ",") if set(CLASS.findall(FUNCTIONAL.sub("", s))) <= used]
            if kept:
                out.append(f"{','.join(kept)}{{{body}}}")
    return "".join(out)


def _without_properties(css: str, used: set[str]) -> str:
    """`css` without the custom-property declarations whose names are not in `used`."""

    def clean(match: re.Match[str]) -> str:
        decls = split_top(match.group(2), ";")
        keep = [d for d in decls if not (m := CUSTOM.match(d)) or m.group(1) in used]
        if len(keep) == len(decls):
            return match.group(0)
        return f"{match.group(1)}{{{';'.join(keep)}}}" if keep else ""

    return re.sub(r"([^{}]*)\{([^{}]*)\}", clean, css)


def _drop_unused_properties(css: str, extra_uses: str) -> str:
    outside = set(VAR_USE.findall(extra_uses))
    while True:
        smaller = _without_properties(css, set(VAR_USE.findall(css)) | outside)
        if smaller == css:
            return css
        css = smaller


def prune(css: str, html: str) -> str:
    """The part of `css` that styles `html` (see the module docstring)."""
    if not isinstance(css, str):
        raise TypeError(f"css must be a str, got {type(css).__name__}")
    if not isinstance(html, str):
        raise TypeError(f"html must be a str, got {type(html).__name__}")
    used = {c for attr in re.findall(r'class="([^"]*)"', html) for c in attr.split()}
    # custom properties may be read by the page's other stylesheets and style attributes
    elsewhere = html.replace(css, "") if css else html
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)  # a comment's words would read as selectors
    return _drop_unused_properties(_rules(css, used), elsewhere)
