"""Measure the site's speed and size budgets (issue: foundation). Run with `make bench`.

Prints: clean build seconds (figures and notebooks included) and where they went (figures,
notebooks, math; hooks/timings.py), warm build seconds, seconds from editing one page, and from
editing one chapter's snippet, to the rebuilt site under `mkdocs serve`, total site size, each
page's first-visit transfer in a real browser (HTML + CSS + JS + fonts + images; gzip for text, as
a static host sends it, and uncompressed), what the first search fetches on top, on an emulated
mid-range phone
(scripts/phone_metrics.py) the time to visible math, the longest main-thread task (as the Long
Tasks API counts it, and as the trace shows it, with the drawing that ran in it; the second is
reported, not budgeted) and the cumulative layout shift of the pages with the most formulas, and
the test suite's seconds.
Budgets (issue 9): clean <= 60 s, warm <= 8 s, page edit <= 1.5 s, snippet edit <= 8 s, text page
<= 250 KiB and heaviest <= 500 KiB gzip, math <= 2 s with no task over 200 ms and no layout
shift, tests <= 10 min. Nothing here is asserted by the tests; this script reports.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from static_server import serve

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = [sys.executable, "-m", "mkdocs"]
EDITED_PAGE = ROOT / "docs" / "notation.md"
EDITED_SNIPPET = ROOT / "snippets" / "cnn" / "sobel.py"  # one chapter's module, used by its figures


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(cache: Path, url: str) -> dict[str, str]:
    return dict(os.environ, SITE_URL=url, DLH_CACHE_DIR=str(cache),
                DLH_JUPYTER_CACHE=str(cache / "mkdocs-jupyter"), NO_MKDOCS_2_WARNING="1")


def timed_build(site: Path, cache: Path, url: str) -> float:
    start = time.perf_counter()
    subprocess.run([*MKDOCS, "build", "--strict", "-q", "--site-dir", str(site)], cwd=ROOT,
                   env=env_for(cache, url), check=True, capture_output=True)
    return time.perf_counter() - start


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read().decode("utf-8", "replace")


def cpu_busy_share(seconds: float) -> float:
    """The share of the machine's CPU time spent busy over the next `seconds` (Linux /proc/stat)."""
    def sample() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as f:
            ticks = [int(v) for v in f.readline().split()[1:]]
        return sum(ticks) - ticks[3] - ticks[4], sum(ticks)  # idle and iowait are not busy

    busy0, total0 = sample()
    time.sleep(seconds)
    busy1, total1 = sample()
    return (busy1 - busy0) / max(1, total1 - total0)


def wait_until_idle(limit: float = 60.0) -> None:
    """Return once the machine has been under 20 % busy for a second (all cores together), or after
    `limit` seconds with a warning that the next measure is taken on a busy machine."""
    deadline = time.time() + limit
    while time.time() < deadline:
        if cpu_busy_share(0.5) < 0.2 and cpu_busy_share(0.5) < 0.2:
            return
    print(f"warning: the machine was still busy after {limit:.0f} s; the next edit is timed anyway", file=sys.stderr)


def edit_to_reload(cache: Path) -> tuple[float, float]:
    """Under `mkdocs serve`: seconds from a page edit to the served page showing it, and from a
    snippet edit to the end of the rebuild it starts (hooks/timings.py rewrites build-times.json).

    Each edit is made once serve is idle: after its first build it refreshes the search data in the
    background (about 1.5 s of CPU here), and an edit made during that is rebuilt ~0.6 s slower."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([*MKDOCS, "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=env_for(cache, url), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    original = EDITED_PAGE.read_text(encoding="utf-8")
    snippet = EDITED_SNIPPET.read_text(encoding="utf-8")
    times = cache / "build-times.json"
    try:
        deadline = time.time() + 120
        while True:
            try:
                fetch(url + "notation/")
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise RuntimeError("mkdocs serve did not start") from None
                time.sleep(0.2)
        marker = f"bench-marker-{time.time_ns()}"
        time.sleep(1.0)  # let the file watcher settle after start-up
        wait_until_idle()
        start = time.perf_counter()
        EDITED_PAGE.write_text(original + f"\n<!-- {marker} -->\n", encoding="utf-8")
        while marker not in fetch(url + "notation/"):
            if time.perf_counter() - start > 120:
                raise RuntimeError("the edited page was not rebuilt within 120 s")
            time.sleep(0.05)
        page_s = time.perf_counter() - start
        time.sleep(2.0)
        wait_until_idle()
        before = times.stat().st_mtime_ns
        start = time.perf_counter()
        EDITED_SNIPPET.write_text(snippet + f"\n# {marker}\n", encoding="utf-8")
        while times.stat().st_mtime_ns == before:
            if time.perf_counter() - start > 300:
                raise RuntimeError("the snippet edit was not rebuilt within 300 s")
            time.sleep(0.05)
        return page_s, time.perf_counter() - start
    finally:
        EDITED_PAGE.write_text(original, encoding="utf-8")
        EDITED_SNIPPET.write_text(snippet, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)


TEXT_TYPES = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb", ""}


def page_transfers(site: Path) -> list[tuple[str, int, int]]:
    """For each page, the bytes Chromium fetches on a first visit: (path, raw, gzip).

    raw is the size of every file the page loads; gzip is what a static host that compresses text
    (as GitHub Pages does) sends over the wire: text files gzip-compressed at level 6, fonts and
    images as they are. Heaviest first, by gzip.
    """
    import gzip
    from urllib.parse import unquote, urlsplit

    from playwright.sync_api import sync_playwright

    def sizes_of(url: str) -> tuple[int, int]:
        path = site / unquote(urlsplit(url).path).lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        data = path.read_bytes()
        packed = len(gzip.compress(data, 6, mtime=0)) if path.suffix in TEXT_TYPES else len(data)
        return len(data), packed

    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html") if "assets" not in p.parts)
    results = []
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for rel in pages:
            ctx = browser.new_context()  # empty cache: a first visit
            page = ctx.new_page()
            urls: list[str] = []
            page.on("requestfinished", lambda r, urls=urls: urls.append(r.url))
            path = "" if rel == "." else rel + "/"
            page.goto(base + path, wait_until="networkidle")
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_load_state("networkidle")
            raw, packed = (sum(t) for t in zip(*(sizes_of(u) for u in urls), strict=True))
            results.append(("/" + path, raw, packed))
            ctx.close()
        browser.close()
    return sorted(results, key=lambda r: -r[2])


def phone(site: Path, top: int = 5, loads: int = 3) -> list[tuple[str, dict[str, float]]]:
    """The `top` pages with the most formulas on the emulated phone: the median of `loads` loads
    of each measure (single loads on a 2-core machine vary by ~20 %)."""
    import statistics

    from phone_metrics import measure
    from playwright.sync_api import sync_playwright

    counts = sorted(((p.read_text(encoding="utf-8").count('class="katex"'), p) for p in site.rglob("index.html")),
                    key=lambda c: -c[0])[:top]
    out = []
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for _, path in counts:
            rel = path.parent.relative_to(site).as_posix()
            runs = [measure(browser, base + rel + "/") for _ in range(loads)]
            medians = {}
            for k in runs[0]:
                seen = [r[k] for r in runs]
                if k != "moved":  # a trace may lack a measure (None): then no median of fewer loads
                    medians[k] = None if None in seen else statistics.median(seen)
            out.append(("/" + rel + "/", medians))
        browser.close()
    return out


def first_search(site: Path) -> float:
    """KiB the first search on the home page fetches (Pagefind's loader, index chunks, fragments)."""
    from playwright.sync_api import sync_playwright
    from search_compare import transfer

    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        _, search = transfer(browser, base, "pagefind")
        browser.close()
    return search / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-tests", action="store_true", help="do not time the test suite")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        cache = work / "cache"
        url = "http://127.0.0.1:8000/"
        clean = timed_build(work / "site", cache, url)
        split = json.loads((cache / "build-times.json").read_text(encoding="utf-8"))
        warm = timed_build(work / "site", cache, url)
        reload_s, snippet_s = edit_to_reload(cache)
        mobile = phone(work / "site")
        size = sum(p.stat().st_size for p in (work / "site").rglob("*") if p.is_file())
        transfers = page_transfers(work / "site")
        text_pages = [t for t in transfers if not t[0].startswith("/notebooks/")]
        search_kib = first_search(work / "site")
        rows = [
            ("clean build (figures, notebooks)", f"{clean:.1f} s", "<= 60 s"),
            *((f"  of which {k}", f"{v:.1f} s", "") for k, v in split.items()
              if k != "total" and not k.startswith("figure CPU")),
            *((f"    the slowest: {k}", f"{v:.1f} s", "") for k, v in split.items() if k.startswith("figure CPU")),
            ("warm build", f"{warm:.1f} s", "<= 8 s"),
            ("edit one page -> rebuilt under serve", f"{reload_s:.1f} s", "<= 1.5 s"),
            ("edit one chapter's snippet -> rebuilt", f"{snippet_s:.1f} s", "<= 8 s"),
            ("total site size", f"{size / 2**20:.1f} MiB", ""),
            (f"heaviest page ({transfers[0][0]}), transfer", f"{transfers[0][2] / 1024:.0f} KiB", "<= 500 KiB"),
            ("  the same, uncompressed", f"{transfers[0][1] / 1024:.0f} KiB", ""),
            (f"heaviest text page ({text_pages[0][0]}), transfer", f"{text_pages[0][2] / 1024:.0f} KiB",
             "<= 250 KiB"),
            (f"lightest page ({transfers[-1][0]}), transfer", f"{transfers[-1][2] / 1024:.0f} KiB", ""),
            ("first search on a page (Pagefind, loaded on demand)", f"{search_kib:.0f} KiB", ""),
        ]
        for path, m in mobile:
            rows.append((f"phone {path} ({m['formulas']:.0f} formulas), median of 3",
                         f"{m['math_ms'] / 1000:.1f} s", "math <= 2 s"))
            rows.append(("  longest task / layout shift", f"{m['longest_task_ms']:.0f} ms / {m['cls']:.3f}",
                         "<= 200 ms / 0"))
            trace = m["longest_trace_task_ms"]
            rows.append(("  longest task in the trace (with its drawing)",
                         "—" if trace is None else f"{trace:.0f} ms", ""))
        if not args.skip_tests:
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=ROOT, capture_output=True, text=True)
            rows.append(("test suite (pytest)", f"{time.perf_counter() - start:.0f} s "
                         f"({proc.stdout.strip().splitlines()[-1]})", "<= 600 s"))
        width = max(len(r[0]) for r in rows)
        print(f"{'measure':<{width}}  {'value':<12}  budget")
        for name, value, budget in rows:
            print(f"{name:<{width}}  {value:<12}  {budget}")
        print("\npage weight on a first visit, KiB (transfer with gzip / uncompressed):")
        for path, raw, packed in transfers:
            print(f"  {packed / 1024:6.0f} / {raw / 1024:6.0f}  {path}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
