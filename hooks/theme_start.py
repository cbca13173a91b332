"""Keep Material's script from recalculating the style of the whole page as it starts.

Under the phone emulation (4x slower CPU, scripts/phone_metrics.py) the bundle's start was the
longest main-thread work on a page: in a trace of the optimizers page, a 306 ms task evaluating it
and a 392 ms one at `DOMContentLoaded`. Three causes, each forcing a style recalculation or a layout of
everything the page has drawn so far, and what replaces each:

- Palette. Finding the header's palette form (`data-md-component="palette"`), the bundle applies
  the palette at load: it marks <body> as switching, writes the colour attributes, reads the
  header's computed colours and writes a `color-scheme` meta from them; each read recalculated the
  whole page (~120 ms). This hook keeps the theme's form, radio buttons, labels and icons but takes
  the mark off, so the bundle leaves it alone, and does the palette's work in hooks/palette.js,
  written in right after the theme's own line at the end of the header (which restores a stored
  choice, as before): before the page's content is parsed, the palette in force (the stored
  choice or, with none, the first palette whose media query holds: the system's light or dark
  setting, which the theme's script applied only once it had loaded, after the page had been drawn
  in the light palette) and the `theme-color` and `color-scheme` metas the theme's script wrote; a
  tap on the switch (a label of the form's radio buttons) or Enter on a radio button applies a
  palette and stores it under the theme's key, in its format. Which icon shows follows the palette
  in force by CSS (docs/stylesheets/extra.css), so the labels' `hidden` attributes, which the
  theme's script cleared, are dropped.
- The `js` class. The bundle's first act swaps `no-js` for `js` on <html>, which restyles the page
  drawn so far; a line in <head> does it before anything is drawn (without JavaScript, the page
  keeps `no-js`, as before).
- Code blocks. Each block's size watcher forced the layout of its lazily laid-out part (~220 ms):
  `content.lazy` in mkdocs.yml, a flag of Material 9.8.1's bundle that sets a block up when it
  scrolls into view (tests/test_theme_start.py checks the bundle still reads it).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import material as material_theme
from mkdocs.exceptions import PluginError

SCRIPT = Path(__file__).with_name("palette.js")
PALETTE_CSS = Path(material_theme.__file__).parent / "templates" / "assets" / "stylesheets"
COLOR_SCHEME = {"default": "light", "slate": "dark"}  # the CSS `color-scheme` of Material's two schemes
FORM = re.compile(r'<form class="md-header__option" data-md-component="palette">(.*?)</form>', re.S)
THEME_LINE = re.compile(r'<script>var palette=__md_get\("__palette"\);.*?</script>', re.S)
# a palette's radio button and the label that shows while it is in force (a tap on it checks the next)
PAIR = re.compile(r'(<input class="md-option"[^>]*?) id="__palette_(\d+)">'
                  r'(\s*)(<label class="md-header__button md-icon"[^>]*?) hidden>')


def primary_colors(css: str) -> dict[str, str]:
    """Material's primary colour names -> the header's background (`--md-primary-fg-color`)."""
    found = dict(re.findall(r"\[data-md-color-primary=([\w-]+)\]\{--md-primary-fg-color:(#[0-9a-fA-F]{3,8})", css))
    if not found:
        raise PluginError("hooks/theme_start.py: no --md-primary-fg-color found in Material's palette stylesheet")
    return found


def _named(value: Any, default: str) -> str:
    """A palette's scheme, primary or accent as Material's templates write it: the default when
    unset or empty, spaces as hyphens ("deep purple" -> "deep-purple")."""
    return str(value or default).replace(" ", "-")


def palettes(theme_palette: Any, primaries: dict[str, str]) -> list[dict[str, dict[str, str]]]:
    """What hooks/palette.js applies for each palette of mkdocs.yml: the attributes the theme sets on
    <body> and the metas its script wrote. The switch serves two palettes, one light and one dark,
    each chosen by an explicit media query (not Material's automatic "(prefers-color-scheme)")."""
    if not isinstance(theme_palette, list) or len(theme_palette) != 2:
        raise PluginError("hooks/theme_start.py: theme.palette must list two palettes, each with a toggle")
    out = []
    for i, p in enumerate(theme_palette):
        scheme, primary = _named(p.get("scheme"), "default"), _named(p.get("primary"), "indigo")
        media = p.get("media")
        if (not media or media == "(prefers-color-scheme)" or not p.get("toggle") or scheme not in COLOR_SCHEME
                or primary not in primaries):
            raise PluginError(f"hooks/theme_start.py: palette {i} needs an explicit media query, a toggle, a "
                              f"scheme in {sorted(COLOR_SCHEME)} and one of Material's primary colours, got {p!r}")
        out.append({
            "color": {"media": media, "scheme": scheme, "primary": primary,
                      "accent": _named(p.get("accent"), "indigo")},
            "meta": {"theme-color": primaries[primary], "color-scheme": COLOR_SCHEME[scheme]},
        })
    if out[0]["color"]["scheme"] == out[1]["color"]["scheme"]:
        raise PluginError("hooks/theme_start.py: the two palettes must have different schemes (the icon shown "
                          "is chosen by scheme)")
    return out


def without_theme_script(page_html: str, script: str, data: list[dict[str, dict[str, str]]]) -> str:
    """`page_html` with the palette form unmarked (the bundle does not mount it), each radio button
    numbered for the script and kept out of the browser's form restoring (a radio checked again on
    Back would no longer match the palette in force), each label marked with the scheme it shows
    under instead of `hidden`, and `script` after the theme's line. `data`: `palettes()`, whose
    attributes each radio button must carry."""
    form = FORM.search(page_html)
    if form is None or THEME_LINE.search(page_html) is None:
        raise PluginError("hooks/theme_start.py: the page has no palette form or no palette line in <body>; "
                          "has Material's template changed?")

    def pair(m: re.Match) -> str:
        index = int(m[2])
        if index >= len(data) or dict(re.findall(r'data-md-color-(\w+)="([^"]*)"', m[1])) != data[index]["color"]:
            raise PluginError(f"hooks/theme_start.py: radio button __palette_{index} does not match mkdocs.yml's "
                              f"palettes: {m[1]}")
        return (f'{m[1]} id="__palette_{index}" data-dlh-palette="{index}" autocomplete="off">'
                f'{m[3]}{m[4]} data-dlh-scheme="{data[index]["color"]["scheme"]}">')

    inner, n = PAIR.subn(pair, form[1])
    if n != len(data):
        raise PluginError(f"hooks/theme_start.py: {n} radio buttons with a label in the palette form, "
                          f"{len(data)} palettes")
    page_html = page_html[: form.start()] + f'<form class="md-header__option">{inner}</form>' + page_html[form.end():]
    line = THEME_LINE.search(page_html)
    assert line is not None  # the form held no such line
    return page_html[: line.end()] + f"<script>{script}</script>" + page_html[line.end():]


def script(data: list[dict[str, dict[str, str]]]) -> str:
    """hooks/palette.js with the palettes written in and its comments and indentation left out (it
    is written into every page): a comment is a line of its own or ends a line after " // ". So
    palette.js holds no "//" inside a string or regular expression and no multi-line template
    literal (the unit test parses the result with Node and finds no "//" left)."""
    text = SCRIPT.read_text(encoding="utf-8")
    if text.count("/*PALETTES*/") != 1:
        raise PluginError("hooks/palette.js must hold /*PALETTES*/ once")
    lines = (re.sub(r"\s+// .*$", "", line).strip() for line in text.splitlines())
    code = "\n".join(line for line in lines if line and not line.startswith("//"))
    return code.replace("/*PALETTES*/", json.dumps(data, separators=(",", ":")))


JS_CLASS = '<script>document.documentElement.classList.replace("no-js","js")</script>'


def with_js_class(page_html: str) -> str:
    """`page_html` with a line in <head> that swaps <html>'s `no-js` class for `js`."""
    if not re.search(r'<html [^>]*class="no-js"', page_html) or "</head>" not in page_html:
        raise PluginError("hooks/theme_start.py: the page has no <html class=\"no-js\"> or no </head>; "
                          "has Material's template changed?")
    return page_html.replace("</head>", JS_CLASS + "</head>", 1)


def start(page_html: str) -> str:
    """A page as the build writes it, with all of the above."""
    return with_js_class(without_theme_script(page_html, _ready["script"], _ready["palettes"]))


_ready: dict[str, Any] = {}


def on_config(config):
    css = "".join(p.read_text(encoding="utf-8") for p in sorted(PALETTE_CSS.glob("palette.*.min.css")))
    data = palettes(config["theme"]["palette"], primary_colors(css))
    _ready.update(script=script(data), palettes=data)
    return config


def on_post_page(output: str, page, config) -> str:
    return start(output)


def on_post_template(output: str, template_name: str, config) -> str:
    return start(output) if template_name == "404.html" else output
