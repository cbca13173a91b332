"""The emulated-phone measure of when a page's math is on screen (scripts/phone_metrics.py)."""

from __future__ import annotations

import base64
import io
import sys
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from phone_metrics import longest_trace_task_ms, settled_ms  # noqa: E402


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


def _task(tid: int, ts_ms: float, dur_ms: float, name: str = "RunTask") -> dict:
    return {"name": name, "ph": "X", "pid": 1, "tid": tid, "ts": ts_ms * 1000, "dur": dur_ms * 1000}


def test_longest_trace_task_is_the_pages_main_thread_after_navigation_start_only() -> None:
    meta = [{"name": "thread_name", "ph": "M", "pid": 1, "tid": t, "args": {"name": n}}
            for t, n in ((7, "CrRendererMain"), (8, "Compositor"), (9, "CrRendererMain"))]
    events = [*meta, {"name": "navigationStart", "ts": 1_000_000}, _task(7, 1010, 5, "ParseHTML"),
              {"name": "navigationStart", "ts": 1_400_000},  # a real trace has several; the first counts
              _task(7, 900, 500),    # before navigation start: the previous page's
              _task(7, 1100, 290),   # the first frame's style and layout, inside one task
              _task(7, 1500, 120),
              _task(8, 1200, 400),   # another thread
              _task(9, 1200, 350),   # another renderer's main thread, which parsed nothing
              _task(7, 1300, 330, "Layout"),  # not a task
              _task(7, 3500, 600)]   # after the window
    assert longest_trace_task_ms(events, 2000) == 290
    assert longest_trace_task_ms(events, 2600) == 600
    assert longest_trace_task_ms(events[3:], 2000) is None  # no thread names
    assert longest_trace_task_ms([e for e in events if e["name"] != "navigationStart"], 2000) is None
