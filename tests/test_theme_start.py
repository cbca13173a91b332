"""hooks/theme_start.py: the palette switch taken from Material's bundle, the `js` class, `content.lazy`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
import questions  # noqa: E402
import theme_start  # noqa: E402

# The shape of what Material 9.8.1 writes for two palettes with toggles (attributes as in its output).
INPUT = ('<input class="md-option" data-md-color-media="(prefers-color-scheme: {0})" data-md-color-scheme="{1}" '
         'data-md-color-primary="indigo" data-md-color-accent="indigo"  aria-label="{2}"  type="radio" '
         'name="__palette" id="__palette_{3}">')
LABEL = ('<label class="md-header__button md-icon" title="{0}" for="__palette_{1}" hidden>\n'
         '<svg><path d="M{1}"/></svg>\n</label>')
FORM = ('<form class="md-header__option" data-md-component="palette">\n'
        + INPUT.format("light", "default", "to dark", 0) + "\n  " + LABEL.format("to dark", 1) + "\n"
        + INPUT.format("dark", "slate", "to light", 1) + "\n  " + LABEL.format("to light", 0) + "\n</form>")
LINE = '<script>var palette=__md_get("__palette");if(palette&&palette.color){}</script>'
PAGE = (f'<!doctype html><html lang="zh" class="no-js"><head><title>t</title></head><body><header>{FORM}{LINE}'
        '</header><p>text</p></body></html>')
PALETTES = [
    {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "indigo", "accent": "indigo",
     "toggle": {"icon": "material/weather-night", "name": "to dark"}},
    {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "indigo", "accent": "indigo",
     "toggle": {"icon": "material/weather-sunny", "name": "to light"}},
]


@pytest.fixture()
def ready() -> None:
    data = theme_start.palettes(PALETTES, {"indigo": "#4051b5"})
    theme_start._ready.update(script=theme_start.script(data), palettes=data)


def test_header_colour_of_each_primary_is_read_from_materials_own_stylesheet() -> None:
    css = "".join(p.read_text(encoding="utf-8") for p in theme_start.PALETTE_CSS.glob("palette.*.min.css"))
    colors = theme_start.primary_colors(css)
    assert colors["indigo"] == "#4051b5"  # Material's indigo, as its stylesheet sets the header
    assert len(colors) >= 19 and all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colors.values())
    with pytest.raises(PluginError, match="primary"):
        theme_start.primary_colors("body{color:red}")


def test_palettes_carry_the_body_attributes_and_the_metas_of_each_scheme() -> None:
    data = theme_start.palettes(PALETTES, {"indigo": "#4051b5"})
    assert data[0] == {"color": {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "indigo",
                                 "accent": "indigo"}, "meta": {"theme-color": "#4051b5", "color-scheme": "light"}}
    assert data[1]["color"]["scheme"] == "slate" and data[1]["meta"]["color-scheme"] == "dark"
    # unset or empty names take Material's defaults, spaces become hyphens, as its templates write them
    plain = [{"media": "(prefers-color-scheme: light)", "toggle": {"name": "a"}, "scheme": None},
             {"media": "(prefers-color-scheme: dark)", "toggle": {"name": "b"}, "scheme": "slate",
              "primary": "deep purple", "accent": "light blue"}]
    data = theme_start.palettes(plain, {"indigo": "#4051b5", "deep-purple": "#7e56c2"})
    assert data[0]["color"] == {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "indigo",
                                "accent": "indigo"}
    assert data[1]["color"]["primary"] == "deep-purple" and data[1]["color"]["accent"] == "light-blue"
    assert data[1]["meta"]["theme-color"] == "#7e56c2"


@pytest.mark.parametrize("bad", [
    {"scheme": "default"},                                    # one palette, not a list
    [PALETTES[0]],                                            # one palette: nothing to switch to
    [PALETTES[0], {**PALETTES[1], "toggle": None}],           # no toggle
    [PALETTES[0], {**PALETTES[1], "scheme": "sepia"}],        # a scheme Material does not have
    [PALETTES[0], {**PALETTES[1], "primary": "mauve"}],       # a primary colour Material does not have
    [PALETTES[0], {k: v for k, v in PALETTES[1].items() if k != "media"}],
    [PALETTES[0], {**PALETTES[1], "media": "(prefers-color-scheme)"}],  # Material's automatic option
    [PALETTES[0], PALETTES[1], {**PALETTES[1], "media": "(prefers-color-scheme)"}],  # three palettes
    [PALETTES[0], {**PALETTES[1], "scheme": "default"}],      # two light palettes: both icons would show
])
def test_palettes_reject_a_configuration_the_switch_cannot_serve(bad: object) -> None:
    with pytest.raises(PluginError, match="palette"):
        theme_start.palettes(bad, {"indigo": "#4051b5"})


def test_the_site_configuration_is_one_the_switch_serves() -> None:
    config = questions.read_config()
    css = "".join(p.read_text(encoding="utf-8") for p in theme_start.PALETTE_CSS.glob("palette.*.min.css"))
    assert len(theme_start.palettes(config["theme"]["palette"], theme_start.primary_colors(css))) == 2
    assert "hooks/theme_start.py" in config["hooks"]
    assert "content.lazy" in config["theme"]["features"]


def test_materials_bundle_still_reads_the_content_lazy_flag() -> None:
    # Not in Material's documentation: if an upgrade drops the flag, the code blocks' size watchers
    # are set up at load again, silently; this notices.
    bundles = list((theme_start.PALETTE_CSS.parent / "javascripts").glob("bundle.*.min.js"))
    assert len(bundles) == 1
    assert '("content.lazy")' in bundles[0].read_text(encoding="utf-8")


def test_script_holds_the_palettes_once_no_placeholder_no_comment_and_parses() -> None:
    data = theme_start.palettes(PALETTES, {"indigo": "#4051b5"})
    js = theme_start.script(data)
    assert "/*PALETTES*/" not in js and "//" not in js and "\n " not in js
    assert js.count(json.dumps(data, separators=(",", ":"))) == 1
    assert "document.addEventListener(\"change\"" in js and "matchMedia(" in js  # code kept
    # the browser will parse it: so must Node (no function body is run: new Function only compiles)
    node = subprocess.run(["node", "-e", "new Function(require('fs').readFileSync(0, 'utf8'))"], input=js,
                          capture_output=True, text=True)
    assert node.returncode == 0, node.stderr


def test_page_loses_the_bundles_mark_keeps_the_form_and_gains_the_script_after_the_theme_line(ready: None) -> None:
    out = theme_start.start(PAGE)
    assert 'data-md-component="palette"' not in out
    assert out.count('<form class="md-header__option">') == 1
    assert out.count('name="__palette"') == 2 and " hidden>" not in out
    assert 'id="__palette_0" data-dlh-palette="0" autocomplete="off">' in out
    assert 'id="__palette_1" data-dlh-palette="1" autocomplete="off">' in out
    # the label shown while palette i is in force says which scheme that is
    labels = re.findall(r'<label [^>]*title="([^"]+)"[^>]*data-dlh-scheme="(\w+)">', out)
    assert labels == [("to dark", "default"), ("to light", "slate")]
    assert LINE + "<script>" in out and out.index(LINE) > out.index("</form>")
    assert out.count("var palettes = ") == 1 and out.index("var palettes = ") < out.index("<p>text</p>")
    assert '<script>document.documentElement.classList.replace("no-js","js")</script></head>' in out


@pytest.mark.parametrize("broken", [
    PAGE.replace(FORM, ""),                                   # no form
    PAGE.replace(LINE, ""),                                   # no theme line
    PAGE.replace(' class="no-js"', ""),                       # no no-js class to swap
    PAGE.replace(" hidden>", ">"),                            # labels not as Material writes them
    PAGE.replace('id="__palette_1">', 'id="__palette_2">'),   # a button for a palette that is not there
    PAGE.replace('data-md-color-scheme="slate"', 'data-md-color-scheme="default"'),  # not mkdocs.yml's palette
])
def test_page_not_shaped_as_material_writes_it_fails_the_build(ready: None, broken: str) -> None:
    with pytest.raises(PluginError, match="theme_start"):
        theme_start.start(broken)
