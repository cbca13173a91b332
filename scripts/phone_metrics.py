"""What a reader on a mid-range phone waits for: time to math, main-thread freezes, layout shift.

Used by scripts/bench.py (with the phone emulated) and by the browser test (layout shift, without
emulation). A page is loaded in Chromium with CPU throttling (4x) and a slow-4G network (150 ms
RTT, 1.6 Mbit/s down, 750 kbit/s up: the numbers Lighthouse uses for its mobile run) and reports:

- math_ms: when the first screen of the page's text, formulas and figures looks as it finally
  will, from navigation start. On the phone this is read off the frames Chromium paints (trace
  screenshots): the first frame from which the content area of the first screen no longer
  changes, so glyphs drawn invisibly while a KaTeX font loads (font-display: block) count as not
  yet there. Without the phone (and as `fonts_ms`), the proxy used before: the latest of the
  first contentful paint and the last web font's `loadingdone` event, which also waits for fonts
  of formulas further down and for a busy main thread to dispatch the event (on the activations
  page it read 2.6 s where the frames show the math at 1.9-2.0 s);
- longest_task_ms: the longest main-thread task until then plus 1 s (PerformanceObserver longtask:
  a task's own work, without the style, layout and paint of a frame drawn after it);
- longest_trace_task_ms (on the phone): over the same time, the longest task of the page's main
  thread in Chromium's trace (`RunTask`), with whatever style, layout and paint ran inside it: a
  page's first frames, styling and laying out what has been parsed so far, count here and not in
  the Long Tasks API, and so does committing the navigation;
- cls: cumulative layout shift over the same time (layout-shift entries without recent input).
"""

from __future__ import annotations

import base64
import io
from typing import Any

PHONE = {"cpu_slowdown": 4, "latency_ms": 150, "down_bps": 1_600_000 / 8, "up_bps": 750_000 / 8}

# Installed before any page script runs: collects the entries the observers see.
OBSERVE_JS = r"""
(() => {
  const m = window.__dlh = {longest: 0, cls: 0, fcp: null, mathMark: null, moved: []};
  const watch = (type, fn) => { try { new PerformanceObserver(l => l.getEntries().forEach(fn))
      .observe({type, buffered: true}); } catch (e) {} };
  watch("longtask", e => { m.longest = Math.max(m.longest, e.duration); });
  watch("layout-shift", e => {
    if (e.hadRecentInput) return;
    m.cls += e.value;
    // what moved, for a failing test's message: element, class, time, y before -> after
    e.sources.forEach(x => m.moved.push(`${x.node ? x.node.nodeName + "." + (x.node.className || "") : "?"} ` +
      `@${Math.round(e.startTime)}ms y ${Math.round(x.previousRect.y)}->${Math.round(x.currentRect.y)}`));
  });
  watch("paint", e => { if (e.name === "first-contentful-paint") m.fcp = e.startTime; });
  m.fontsDone = 0;
  document.fonts.addEventListener("loadingdone", () => { m.fontsDone = performance.now(); });
  new MutationObserver(() => {
    if (m.mathMark === null && document.documentElement.dataset.mathRendered === "1") m.mathMark = performance.now();
  }).observe(document, {attributes: true, subtree: true, attributeFilter: ["data-math-rendered"]});
})();
"""

READY_JS = r"""
async () => {
  const m = window.__dlh;
  if (document.readyState === "loading") return null;
  await document.fonts.ready;
  const fonts = m.fontsDone;   // the last font load that finished (0 if the page needs none)
  const scripted = !!document.querySelector("script[src*='katex']");
  if (scripted && m.mathMark === null) return null;   // not yet rendered: poll again
  if (m.fcp === null) return null;
  return {fcp: m.fcp, fonts, mark: m.mathMark, math: document.querySelectorAll(".katex").length};
}
"""


SCREENSHOTS = ["devtools.timeline", "disabled-by-default-devtools.screenshot", "blink.user_timing",
               "disabled-by-default-devtools.timeline"]  # the last for RunTask


def longest_trace_task_ms(events: list[dict[str, Any]], until_ms: float) -> float | None:
    """From a trace: the longest `RunTask` (ms) of the page's renderer main thread that starts from
    navigation start to `until_ms` after it; None if the trace has no such thread. The page's main
    thread is the `CrRendererMain` thread that parsed HTML."""
    starts = [e["ts"] for e in events if e.get("name") == "navigationStart"]
    mains = {(e.get("pid"), e.get("tid")) for e in events
             if e.get("name") == "thread_name" and (e.get("args") or {}).get("name") == "CrRendererMain"}
    parsing = {(e.get("pid"), e.get("tid")) for e in events if e.get("name") == "ParseHTML"} & mains
    if not starts or not parsing:
        return None
    t0 = min(starts)
    tasks = [e["dur"] / 1000 for e in events if e.get("name") == "RunTask" and e.get("ph") == "X"
             and (e.get("pid"), e.get("tid")) in parsing and t0 <= e["ts"] <= t0 + until_ms * 1000]
    return max(tasks, default=0.0)


def settled_ms(events: list[dict[str, Any]], box: tuple[float, float, float, float], width: int) -> float | None:
    """From a trace with screenshots: ms after navigation start of the first frame from which the
    region `box` (x, y, w, h in CSS px of a viewport `width` wide) equals the last frame's (JPEG
    noise aside: a pixel differs when its grey level moves by more than 40, and the region matches
    when at most 0.2 % of its pixels differ)."""
    from PIL import Image, ImageChops

    starts = [e["ts"] for e in events if e.get("name") == "navigationStart"]
    shots = sorted((e["ts"], e["args"]["snapshot"]) for e in events if e.get("name") == "Screenshot")
    if not starts or not shots:
        return None
    frames = [(ts, Image.open(io.BytesIO(base64.b64decode(data))).convert("L")) for ts, data in shots]
    scale = frames[0][1].width / width
    x, y, w, h = (round(v * scale) for v in box)
    crops = [(ts, im.crop((x, y, x + w, y + h))) for ts, im in frames]
    final = crops[-1][1]
    limit = 0.002 * max(1, final.width * final.height)
    settled = crops[-1][0]
    for ts, im in reversed(crops):
        changed = ImageChops.difference(im, final).point(lambda v: 255 if v > 40 else 0).histogram()[255]
        if changed > limit:
            break
        settled = ts
    return (settled - min(starts)) / 1000


def measure(browser: Any, url: str, phone: bool = True, width: int = 390, height: int = 844) -> dict[str, float]:
    """Load `url` once in a fresh context and return math_ms, fonts_ms, longest_task_ms,
    longest_trace_task_ms (None without the phone), cls and formulas."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=2,
                              is_mobile=phone, has_touch=phone)
    page = ctx.new_page()
    page.add_init_script(OBSERVE_JS)
    cdp = ctx.new_cdp_session(page)
    if phone:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE["cpu_slowdown"]})
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": PHONE["latency_ms"],
            "downloadThroughput": PHONE["down_bps"], "uploadThroughput": PHONE["up_bps"],
        })
    events: list[dict[str, Any]] = []
    complete: list[bool] = []
    if phone:
        cdp.on("Tracing.dataCollected", lambda e: events.extend(e["value"]))
        cdp.on("Tracing.tracingComplete", lambda e: complete.append(True))
        cdp.send("Tracing.start", {"traceConfig": {"includedCategories": SCREENSHOTS}, "transferMode": "ReportEvents"})
    page.goto(url, wait_until="commit")
    ready = None
    for _ in range(600):
        ready = page.evaluate(READY_JS)
        if ready is not None:
            break
        page.wait_for_timeout(50)
    if ready is None:
        ctx.close()
        raise RuntimeError(f"{url}: math not on screen after 30 s")
    fonts_ms = max(ready["fcp"], ready["fonts"], ready["mark"] or 0.0)
    page.wait_for_timeout(1000)
    m = page.evaluate("window.__dlh")
    math_ms = fonts_ms
    trace_task_ms = None
    if phone:
        box = page.evaluate("""() => { const r = document.querySelector(".md-content").getBoundingClientRect();
            const top = Math.max(0, r.top), bottom = Math.min(innerHeight, r.bottom);
            return [r.left, top, r.width, bottom - top]; }""")
        cdp.send("Tracing.end")
        for _ in range(200):
            if complete:
                break
            page.wait_for_timeout(50)
        settled = settled_ms(events, box, width)
        if settled is None:
            ctx.close()
            raise RuntimeError(f"{url}: the trace holds no frames")
        math_ms = settled
        trace_task_ms = longest_trace_task_ms(events, fonts_ms + 1000)
    ctx.close()
    return {"math_ms": math_ms, "fonts_ms": fonts_ms, "longest_task_ms": m["longest"],
            "longest_trace_task_ms": trace_task_ms, "cls": m["cls"],
            "formulas": ready["math"], "moved": m["moved"][:5]}
