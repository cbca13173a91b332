"""The emulated-phone measure of when a page's math is on screen (scripts/phone_metrics.py)."""

from __future__ import annotations

import base64
import io
import sys
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from phone_metrics import settled_ms  # noqa: E402


def _frame(ts_us: int, glyphs: bool, icon: bool = False) -> dict:
    """A 195x422 screenshot of a 390 px viewport: text always, formula glyphs once the font is in."""
    im = Image.new("RGB", (195, 422), "white")
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 0, 194, 20), fill=(63, 81, 181))  # header
    draw.rectangle((10, 40, 150, 48), fill="black")  # a line of text
    if glyphs:
        draw.rectangle((20, 60, 90, 75), fill="black")  # the formula, invisible until its font loads
    if icon:
        draw.rectangle((170, 5, 185, 15), fill="white")  # a header icon drawn late by the theme
    out = io.BytesIO()
    im.save(out, "JPEG", quality=80)
    return {"name": "Screenshot", "ts": ts_us, "args": {"snapshot": base64.b64encode(out.getvalue()).decode()}}


def test_math_counts_as_shown_from_the_first_frame_with_its_glyphs() -> None:
    events = [{"name": "navigationStart", "ts": 1_000_000},
              _frame(1_010_000, glyphs=False), _frame(2_400_000, glyphs=False), _frame(2_900_000, glyphs=True),
              _frame(3_500_000, glyphs=True, icon=True), _frame(4_000_000, glyphs=True, icon=True)]
    content = (0, 44, 390, 800)  # below the header, in CSS px
    assert settled_ms(events, content, 390) == 1900
    # the whole screen, header included, settles only when the theme draws its icon
    assert settled_ms(events, (0, 0, 390, 844), 390) == 2500


def test_a_page_whose_content_never_changes_settles_at_its_first_frame() -> None:
    events = [{"name": "navigationStart", "ts": 0}, _frame(1_200_000, glyphs=True), _frame(1_500_000, glyphs=True)]
    assert settled_ms(events, (0, 44, 390, 800), 390) == 1200


def test_a_trace_without_frames_gives_no_time() -> None:
    assert settled_ms([{"name": "navigationStart", "ts": 0}], (0, 0, 390, 844), 390) is None
