"""What a reader on a mid-range phone waits for: time to math, main-thread freezes, layout shift.

Used by scripts/bench.py (with the phone emulated) and by the browser test (layout shift, without
emulation). A page is loaded in Chromium with CPU throttling (4x) and a slow-4G network (150 ms
RTT, 1.6 Mbit/s down, 750 kbit/s up: the numbers Lighthouse uses for its mobile run) and reports:

- math_ms: when the page's formulas are on screen, from navigation start: the latest of the first
  contentful paint, the last web font finishing to load (KaTeX's glyphs stay invisible until
  then), and (if a script renders the math) the moment it marks `data-math-rendered` on <html>;
- longest_task_ms: the longest main-thread task until then plus 1 s (PerformanceObserver longtask);
- cls: cumulative layout shift over the same time (layout-shift entries without recent input).
"""

from __future__ import annotations

from typing import Any

PHONE = {"cpu_slowdown": 4, "latency_ms": 150, "down_bps": 1_600_000 / 8, "up_bps": 750_000 / 8}

# Installed before any page script runs: collects the entries the observers see.
OBSERVE_JS = r"""
(() => {
  const m = window.__dlh = {longest: 0, cls: 0, fcp: null, mathMark: null};
  const watch = (type, fn) => { try { new PerformanceObserver(l => l.getEntries().forEach(fn))
      .observe({type, buffered: true}); } catch (e) {} };
  watch("longtask", e => { m.longest = Math.max(m.longest, e.duration); });
  watch("layout-shift", e => { if (!e.hadRecentInput) m.cls += e.value; });
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


def measure(browser: Any, url: str, phone: bool = True, width: int = 390, height: int = 844) -> dict[str, float]:
    """Load `url` once in a fresh context and return math_ms, longest_task_ms, cls and formulas."""
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
    math_ms = max(ready["fcp"], ready["fonts"], ready["mark"] or 0.0)
    page.wait_for_timeout(1000)
    m = page.evaluate("window.__dlh")
    ctx.close()
    return {"math_ms": math_ms, "longest_task_ms": m["longest"], "cls": m["cls"], "formulas": ready["math"]}
