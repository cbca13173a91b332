"""Print the built site as two PDFs with headless Chromium: the whole handbook, and 速答手册 (every
question with its 速答 only, the sheet to read on the way to an interview).

    python scripts/pdf.py SITE_DIR [OUT_DIR]      (OUT_DIR defaults to SITE_DIR/pdf)

Each chapter page of the navigation is opened from the built site (math already rendered at build
time), its article taken with links and images made absolute, collapsed answers opened, and the
pages joined into one print document under the site's own stylesheets (print rules: light figures,
dark text). Headings become the PDF's bookmarks (chapter > page > question); the parts of an answer
(速答, 详解 ...) are styled as headings but kept out of the bookmarks. Footer: page numbers.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Collection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "scripts"))

from questions import chapters, read_nav  # noqa: E402
from static_server import serve  # noqa: E402

TITLE = "深度学习与计算机视觉面试手册"
NAMES = {"book": "dl-cv-handbook.pdf", "speech": "dl-cv-handbook-suda.pdf"}

# Run in each page: absolute URLs, open <details>, parts of answers out of the outline, then the
# article's HTML (whole, or for the 速答 sheet each question's heading and 速答 only).
EXTRACT_JS = r"""
(mode) => {
  const article = document.querySelector("article.md-content__inner").cloneNode(true);
  article.querySelectorAll("[src]").forEach(e => e.setAttribute("src", e.src));
  article.querySelectorAll("a[href]").forEach(a => a.setAttribute("href", a.href));
  article.querySelectorAll("details").forEach(d => d.setAttribute("open", ""));
  article.querySelectorAll(".headerlink, .dlh-status, .dlh-reveal, .md-source-file, .md-content__button, script")
    .forEach(e => e.remove());
  const title = (article.querySelector("h1") || {}).textContent || document.title;
  article.querySelectorAll("h1").forEach(e => e.remove());
  const demote = (e, tag, cls) => {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    n.innerHTML = e.innerHTML;
    e.replaceWith(n);
  };
  article.querySelectorAll("h3").forEach(e => demote(e, "div", "pdf-part"));
  article.querySelectorAll("h2").forEach(e => demote(e, "h3"));
  if (mode === "book") return {title, html: article.innerHTML};
  const out = [];
  article.querySelectorAll("section.dlh-q > h3").forEach(h => {
    const sec = h.parentElement;
    let box = null;
    let part = sec.nextElementSibling;
    for (; part && !part.querySelector(":scope > h3"); part = part.nextElementSibling) {
      const label = part.querySelector(":scope > .pdf-part");
      if (label && label.textContent.trim() === "速答") { box = part.querySelector(":scope > .admonition"); break; }
    }
    out.push(h.outerHTML + (box ? box.outerHTML : ""));
  });
  return {title, html: out.join("\n")};
}
"""

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm; }
html, body { background: #fff !important; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", sans-serif; }
.md-typeset { font-size: 10.5pt; }
.pdf-cover { height: 240mm; display: flex; flex-direction: column; justify-content: center; }
.pdf-cover h1 { font-size: 28pt; margin: 0 0 8mm; }
.md-typeset .pdf-toc ol { padding-left: 1.2em; }
.md-typeset .pdf-toc li { list-style: none; }
.pdf-chapter > h1 { break-before: page; }
.pdf-chapter > h1 { font-size: 20pt; }
.pdf-page > h2 { font-size: 15pt; margin-top: 1.2em; }
.pdf-part { font-weight: 600; font-size: 1.05em; margin: 1em 0 0.4em; }
.md-typeset h3 { break-after: avoid; }
.md-typeset .admonition, .md-typeset figure, .md-typeset pre { break-inside: avoid; }
"""


def nav_pages(mkdocs_yml: Path) -> list[tuple[str, list[str]]]:
    return [(title, pages) for title, pages in chapters(read_nav(mkdocs_yml)) if pages]


def document(parts: list[tuple[str, list[tuple[str, str]]]], stylesheets: list[str], mode: str, base: str,
             address: str) -> str:
    """One HTML document: cover, table of contents (links), then each chapter and its pages."""
    sub = "速答手册：每道题的 30 秒回答" if mode == "speech" else "完整版"
    toc, body = [], []
    for i, (chapter, pages) in enumerate(parts):
        items = "".join(f'<li><a href="#p{i}-{j}">{html.escape(t)}</a></li>' for j, (t, _) in enumerate(pages))
        toc.append(f'<li><a href="#c{i}">{html.escape(chapter)}</a><ol>{items}</ol></li>')
        body.append(f'<section class="pdf-chapter"><h1 id="c{i}">{html.escape(chapter)}</h1>')
        body += [f'<section class="pdf-page"><h2 id="p{i}-{j}">{html.escape(t)}</h2>{content}</section>'
                 for j, (t, content) in enumerate(pages)]
        body.append("</section>")
    links = "".join(f'<link rel="stylesheet" href="{s}">' for s in stylesheets)
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><base href="{base}">'
            f"<title>{TITLE}</title>{links}<style>{PRINT_CSS}</style></head>"
            '<body data-md-color-scheme="default"><div class="md-typeset">'
            f'<div class="pdf-cover"><h1>{TITLE}</h1><p>{sub}</p><p>{html.escape(address)}</p></div>'
            f'<nav class="pdf-toc"><h2 style="break-before: page">目录</h2><ol>{"".join(toc)}</ol></nav>'
            f'{"".join(body)}</div></body></html>')


FOOTER = ('<div style="width:100%;font-size:8px;color:#555;text-align:center;">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')


def undoubled(title: str, headings: Collection[str] = ()) -> str:
    """Chromium (156) names some bookmarks twice over ("反向传播反向传播") when the heading starts a
    printed page; a title that is one string written twice is cut to one, unless it is one of the
    document's `headings` as it stands (a heading "2020" stays "2020")."""
    half = len(title) // 2
    doubled = len(title) % 2 == 0 and title[:half] == title[half:]
    return title[:half] if doubled and title not in headings else title


def mend_outline(path: Path, headings: Collection[str] = ()) -> None:
    """Pass every bookmark title of the PDF at `path` through `undoubled`, with the document's
    `headings` (their text, as the bookmarks hold it).

    The mended outline items are appended as an incremental update (new versions of those objects,
    an xref section for them and a trailer pointing back to the file's own): the printed document's
    bytes stay as they are. Rewriting the whole file instead (pypdf's PdfWriter) parsed all of the
    book's 233,000 objects, 25 s of CPU for a 47 MB PDF.
    """
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject, IndirectObject, NameObject, NumberObject, TextStringObject

    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - 1024))
        found = re.findall(rb"startxref\s+(\d+)", f.read())
        if not found:
            raise ValueError(f"{path}: no startxref near the end of the file")
        previous = int(found[-1])  # where the file's last cross-reference section starts
        f.seek(previous)
        if f.read(4) != b"xref":
            raise ValueError(f"{path}: expected a cross-reference table (as Chromium writes), not a stream")
    reader = PdfReader(str(path))
    if "/Encrypt" in reader.trailer:
        raise ValueError(f"{path}: an encrypted PDF (Chromium does not write one)")
    changed: dict[int, tuple[int, DictionaryObject]] = {}  # object number -> (generation, new item)
    root = reader.trailer["/Root"].get_object()
    stack = [root.raw_get("/Outlines") if "/Outlines" in root else None]
    seen: set[int] = set()
    while stack:
        ref = stack.pop()
        number = ref.idnum if isinstance(ref, IndirectObject) else None
        if ref is None or number in seen:
            continue  # the end of a list, or an item met before (a loop in a broken outline)
        if number is not None:
            seen.add(number)
        node = ref.get_object()
        if "/Title" not in node:  # the outline dictionary: its first item
            stack.append(node.raw_get("/First") if "/First" in node else None)
            continue
        title = str(node["/Title"])
        mended = undoubled(title, headings)
        if mended != title:
            if number is None:
                raise ValueError(f"{path}: an outline item that is not an indirect object")
            node[NameObject("/Title")] = TextStringObject(mended)
            changed[number] = (ref.generation, node)
        stack += [node.raw_get(k) if k in node else None for k in ("/First", "/Next")]
    if not changed:
        return
    trailer = DictionaryObject({NameObject(k): reader.trailer.raw_get(k) for k in ("/Root", "/Info", "/ID")
                                if k in reader.trailer})
    trailer[NameObject("/Size")] = NumberObject(reader.trailer["/Size"])
    trailer[NameObject("/Prev")] = NumberObject(previous)
    with path.open("ab") as f:
        f.write(b"\n")
        offsets = {}
        for number, (generation, node) in sorted(changed.items()):
            offsets[number] = f.tell()
            f.write(f"{number} {generation} obj\n".encode())
            node.write_to_stream(f)
            f.write(b"\nendobj\n")
        xref = f.tell()
        f.write(b"xref\n0 1\n0000000000 65535 f \n")  # the free list's head, so the section starts at 0
        for number, (generation, _) in sorted(changed.items()):
            f.write(f"{number} 1\n{offsets[number]:010d} {generation:05d} n \n".encode())
        f.write(b"trailer\n")
        trailer.write_to_stream(f)
        f.write(f"\nstartxref\n{xref}\n%%EOF\n".encode())


def print_pdfs(site: Path, out: Path) -> dict[str, Path]:
    """Write both PDFs into `out`; returns their paths by kind ("book", "speech")."""
    from playwright.sync_api import sync_playwright

    if not (site / "index.html").exists():
        raise ValueError(f"site must be a built site folder, got {site}")
    out.mkdir(parents=True, exist_ok=True)
    chapters_ = nav_pages(ROOT / "mkdocs.yml")
    written = {}
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        stylesheets: list[str] = []
        page.goto(base, wait_until="load")
        canonical = page.evaluate("(document.querySelector('link[rel=canonical]') || {}).href || ''")
        collected: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {"book": [], "speech": []}
        for chapter, pages in chapters_:
            for mode in collected:
                collected[mode].append((chapter, []))
            for path in pages:
                # Only the article's HTML is taken (math is rendered at build time; images load in
                # the print document): no need to wait for this page's images.
                page.goto(base + path[: -len(".md")] + "/", wait_until="domcontentloaded")
                if not stylesheets:
                    stylesheets = page.evaluate("() => [...document.querySelectorAll('link[rel=stylesheet]')]"
                                                ".map(l => l.href)")
                for mode in collected:
                    got = page.evaluate(EXTRACT_JS, mode)
                    collected[mode][-1][1].append((got["title"], got["html"]))
        for mode, parts in collected.items():
            page.set_content(document(parts, stylesheets, mode, base, canonical), wait_until="load")
            page.evaluate("document.fonts.ready")
            target = out / NAMES[mode]
            page.pdf(path=str(target), format="A4", print_background=True, outline=True, tagged=True,
                     display_header_footer=True, header_template="<span></span>", footer_template=FOOTER,
                     margin={"top": "18mm", "bottom": "20mm", "left": "16mm", "right": "16mm"})
            headings = page.evaluate("() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]"
                                     ".map(h => h.textContent.replace(/\\s+/g, ' ').trim())")
            mend_outline(target, set(headings))
            written[mode] = target
        browser.close()
    return written


def main() -> None:
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    site = Path(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) == 3 else site / "pdf"
    for kind, path in print_pdfs(site, out).items():
        print(f"{kind}: {path} ({path.stat().st_size / 2**20:.1f} MiB)")


if __name__ == "__main__":
    main()
