"""Generate the question index page (`questions.md`): every question by chapter, then those to come.

Answered questions are the `##` headings of each chapter's pages, in navigation order, each with
the first sentence of its 速答; a filter box above the list narrows it as the reader types
(docs/javascripts/search.js). Questions `docs/questions.yml` lists without an answer follow under
their topic, each row with an anchor (`q-003-nms`) that the search box links to. Which seed a
question came from stays in the data file and the pages' front matter, not on the page.

Every link points at a heading slug; strict anchor validation fails the build if a heading is
renamed without the link following.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
import textwrap
from collections import defaultdict
from pathlib import Path

import yaml
from cjk_breaks import join_lines  # hooks/cjk_breaks.py
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from pymdownx.slugs import slugify

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
DATA = DOCS / "questions.yml"
SLUG = slugify(case="lower")
TOPICS = ["归一化与正则化", "经典网络", "目标检测", "图像分割", "数据、训练与评估"]


def load() -> list[dict]:
    entries = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    for e in entries:
        if not {"seed", "q"} <= e.keys() or ("page" in e) != ("heading" in e):
            raise PluginError(f"{DATA.name}: malformed entry {e!r}")
        if "page" not in e and e.get("topic") not in TOPICS:
            raise PluginError(f"{DATA.name}: unanswered {e['seed']} needs a topic from {TOPICS}")
    return entries


def row_id(seed: str) -> str:
    """The anchor of an unanswered question's row: `000#245` -> `q-000-245` (hooks/search.py links it)."""
    return "q-" + re.sub(r"[^0-9A-Za-z]+", "-", seed).strip("-").lower()


def read_config(mkdocs_yml: Path = ROOT / "mkdocs.yml") -> dict:
    """mkdocs.yml outside a build (scripts, tests): its !ENV and Python tags read as None."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    return yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=Loader)


def read_nav(mkdocs_yml: Path = ROOT / "mkdocs.yml") -> list:
    """The `nav` of mkdocs.yml outside a build (`read_config`)."""
    return read_config(mkdocs_yml)["nav"]


def chapters(nav: list) -> list[tuple[str, list[str]]]:
    """(chapter title, its Markdown pages) in navigation order; notebooks and single pages skipped."""
    out = []
    for item in nav or []:
        if not isinstance(item, dict):
            continue
        ((title, value),) = item.items()
        if not isinstance(value, list):
            continue
        pages = []
        for sub in value:
            path = sub if isinstance(sub, str) else next(iter(sub.values()))
            if isinstance(path, str) and path.endswith(".md") and not path.endswith("index.md"):
                pages.append(path)
        out.append((title, pages))
    return out


STATES = [("new", "未学"), ("review", "待复习"), ("known", "已掌握")]


def status_control(qid: str, tag: str = "div") -> str:
    """The status buttons of question `qid` ("optim/optimizers/#anchor"), 未学 pressed until the script
    reads the reader's choice; `tag` "span" for a control inside a line of text."""
    if not isinstance(qid, str) or "#" not in qid:
        raise ValueError(f"qid must be 'page-url#anchor', got {qid!r}")
    if tag not in ("div", "span"):
        raise ValueError(f"tag must be 'div' or 'span', got {tag!r}")
    buttons = "".join(
        f'<button type="button" data-s="{state}" aria-pressed="{str(state == "new").lower()}">{label}</button>'
        for state, label in STATES
    )
    return (f'<{tag} class="dlh-status" data-q="{html.escape(qid, quote=True)}" role="group" '
            f'aria-label="掌握程度" data-pagefind-ignore>{buttons}</{tag}>')


_TEXTS: dict[Path, tuple[tuple[int, int], str]] = {}


def page_text(path: Path) -> str:
    """The text of a docs page, read again only when its size or modification time changed: the
    hooks ask for every page on each rebuild of `mkdocs serve` (this module outlives rebuilds)."""
    st = path.stat()
    stamp = (st.st_mtime_ns, st.st_size)
    kept = _TEXTS.get(path)
    if kept is None or kept[0] != stamp:
        kept = _TEXTS[path] = (stamp, path.read_text(encoding="utf-8"))
    return kept[1]


@functools.cache
def _parts(text: str) -> tuple[tuple[str, str, str], ...]:
    return tuple(question_parts(text))


def question_parts(text: str) -> list[tuple[str, str, str]]:
    """(question heading, first sentence of its 速答, the whole 速答 as Markdown) for each `##`
    question of a page."""
    body = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    out = []
    for block in re.split(r"^## ", body, flags=re.M)[1:]:
        heading, _, rest = block.partition("\n")
        m = re.search(r"^### 速答\s*\n+(?:!!!|\?\?\?\+?) [^\n]*\n((?:    .*\n?|\s*\n)+)", rest, re.M)
        first, whole = "", ""
        if m:
            whole = "\n".join(line[4:] for line in m.group(1).rstrip().splitlines())
            lines = "\n".join(line.strip() for line in m.group(1).splitlines() if line.strip())
            speech = join_lines(lines).replace("\n", " ")  # no space inside Chinese prose
            sentences = [x for x in re.split(r"(?<=[。！？])", speech) if x.strip()]
            first = sentences[0] if sentences else ""
            if len(first) < 20 and len(sentences) > 1:  # 「主要是梯度。」 says little alone
                first += sentences[1]
        out.append((heading.strip(), first, whole))
    return out


def questions(text: str) -> list[tuple[str, str]]:
    """(question heading, first sentence of its 速答) for each `##` question of a page."""
    return [(heading, first) for heading, first, _ in question_parts(text)]


def answered(nav: list):  # -> Iterator[dict[str, str]]
    """Every answered question in navigation order: chapter, page (source path), id ("page-url#anchor",
    the key the status controls, the random question and the flashcards share), title, the first
    sentence of its 速答 and the whole 速答 as Markdown."""
    for chapter, pages in chapters(nav):
        for path in pages:
            url = path[: -len(".md")] + "/"
            for heading, first, whole in _parts(page_text(DOCS / path)):
                yield {"chapter": chapter, "page": path, "id": f"{url}#{SLUG(heading, '-')}", "title": heading,
                       "first": first, "speech": whole}


LINK = re.compile(r"\]\((?!https?:|mailto:|/)([^)\s]*)\)")


def rebased(markdown: str, page: str) -> str:
    """`markdown` from the page `page` (e.g. "optim/ema.md") with its relative links made relative to
    the site root, where the question index lives: `](../notation.md)` -> `](notation.md)`,
    `](#x)` -> `](optim/ema.md#x)`."""

    def fix(m: re.Match) -> str:
        target = m[1]
        if target.startswith("#"):
            return f"]({page}{target})"
        path, _, anchor = target.partition("#")
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        return f"]({joined}{'#' + anchor if anchor else ''})"

    return LINK.sub(fix, markdown)


BANK_TOOLS = (
    '<div class="dlh-bank" markdown="0">'
    '<div class="dlh-qfilter"><input type="search" placeholder="筛选题目，如 反向传播、1x1" '
    'aria-label="筛选题目" autocomplete="off"><span class="dlh-qfilter__count" role="status"></span></div>'
    '<div class="dlh-bank__tools"><label><input type="checkbox" class="dlh-only-review"> 只看待复习</label>'
    '<button type="button" class="md-button dlh-random">随机一题</button></div>'
    '<fieldset class="dlh-bank__chapters"><legend>章节（筛选与随机一题都只取勾选的章节）</legend>{chapters}</fieldset>'
    '<p class="dlh-bank__downloads">闪卡（每道题的速答，公式可在 Anki 中显示）：'
    '<a href="../flashcards/dl-cv-handbook.apkg" download>Anki 牌组（.apkg）</a> · '
    '<a href="../flashcards/dl-cv-handbook.tsv" download>表格（.tsv）</a>。重新导入新版牌组会更新已有的卡片。</p>'
    '<p class="dlh-bank__downloads dlh-bank__pdf">PDF（发布的网站上提供）：'
    '<a href="../pdf/dl-cv-handbook.pdf">完整版</a> · <a href="../pdf/dl-cv-handbook-suda.pdf">速答手册</a>'
    '（每道题的 30 秒回答，面试路上看）。</p>'
    '<p class="dlh-bank__keys">桌面快捷键：<kbd>r</kbd> 随机一题 · <kbd>t</kbd> 自测模式 · '
    '<kbd>v</kbd> 显示下一段答案 · <kbd>1</kbd> <kbd>2</kbd> <kbd>3</kbd> 把正在看的题标为未学、待复习、已掌握</p>'
    '</div>'
)


def page_markdown(entries: list[dict], nav: list) -> str:
    """The question index and bank: every answered question by chapter with its status control and
    its 速答 to unfold in place, progress per chapter, then the questions still to come."""
    titles = [title for title, pages in chapters(nav) if pages]
    boxes = "".join(f'<label><input type="checkbox" value="{html.escape(t, quote=True)}" checked> '
                    f"{html.escape(t)}</label>" for t in titles)
    lines = ["# 题目索引", "", BANK_TOOLS.format(chapters=boxes), ""]
    total = 0
    sections = []
    by_chapter: dict[str, list[dict[str, str]]] = defaultdict(list)
    for q in answered(nav):
        by_chapter[q["chapter"]].append(q)
    for title, qs in by_chapter.items():
        items = []
        for q in qs:
            anchor = q["id"].split("#", 1)[1]
            items.append(f"- [{q['title']}]({q['page']}#{anchor}) {status_control(q['id'], tag='span')}")
            if q["first"]:
                items.append(f"    <span class=\"dlh-qfirst\">{q['first']}</span>")
            if q["speech"]:
                speech = textwrap.indent(rebased(q["speech"], q["page"]), " " * 8)
                items += ["", '    ??? quote "展开速答"', "", speech, ""]
        total += len(qs)
        chapter = html.escape(title, quote=True)
        sections += [f"## {title}", "", f'<p class="dlh-progress" data-chapter="{chapter}">共 {len(qs)} 题</p>', "",
                     f'<div class="dlh-qlist" data-chapter="{chapter}" markdown>', "", *items, "", "</div>", ""]
    missing: dict[str, list[dict]] = defaultdict(list)
    for e in entries:
        if "page" not in e:
            missing[e["topic"]].append(e)
    n_missing = sum(len(v) for v in missing.values())
    lines += [
        f"已回答 {total} 道题，按章节排列；每道题下面是它速答的第一句，可以就地展开整段速答，点标题进入完整答案。"
        "每道题旁边可以标记掌握程度（只存在你的浏览器里，清除网站数据即重置），各章标题下是进度。"
        + (f"另有 {n_missing} 道常见面试题还没有写，列在[最后](#尚未收录)。" if n_missing else ""),
        "",
        *sections,
    ]
    if n_missing:
        lines += [
            "## 尚未收录",
            "",
            "这些题目会在对应的章节写好后出现在导航里；搜索到它们时，结果会标明“尚未收录”。",
            "",
        ]
    for topic in TOPICS:
        if missing.get(topic):
            lines += [f"### {topic}", "", '<ul class="dlh-qlist dlh-qlist--missing">']
            lines += [f'<li id="{row_id(e["seed"])}">{html.escape(e["q"])}</li>' for e in missing[topic]]
            lines += ["</ul>", ""]
    return "\n".join(lines)


def home_chapters(nav: list) -> str:
    """The home page's chapter list: each chapter with links to all its questions (cards on a wide
    screen, one column on a phone). Replaces `<!-- chapters -->` in docs/index.md."""
    cards = ['<div class="grid cards dlh-chapters" markdown>', ""]
    for title, pages in chapters(nav):
        index = pages[0].split("/")[0] + "/index.md" if pages else ""
        qs = [(path, h) for path in pages for h, _, _ in _parts(page_text(DOCS / path))]
        if not qs:
            continue
        cards += [f"-   **[{title}]({index})** · {len(qs)} 道题", "", "    ---", ""]
        cards += [f"    - [{h}]({path}#{SLUG(h, '-')})" for path, h in qs]
        cards.append("")
    cards += ["</div>", ""]
    return "\n".join(cards)


def on_page_markdown(markdown: str, page, config, files) -> str:
    if page.file.src_uri == "index.md":
        markdown = markdown.replace("<!-- chapters -->", home_chapters(config["nav"]))
    return markdown


def on_files(files: Files, config) -> Files:
    files.append(File.generated(config, "questions.md", content=page_markdown(load(), config["nav"])))
    return files
