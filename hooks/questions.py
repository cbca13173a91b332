"""Generate the question index page (`questions.md`) from `docs/questions.yml`.

Each seed question links to the heading that answers it; strict anchor validation then fails the
build if a heading is renamed without updating the data file.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from pymdownx.slugs import slugify

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "docs" / "questions.yml"
SLUG = slugify(case="lower")

SEED_NAMES = {
    "000": "面经整理（二十五）",
    "001": "面试问题总结",
    "002": "深度学习基本理论",
    "003": "AI 八股：神经网络",
    "004": "面经整理（六）",
}


def load() -> list[dict]:
    entries = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    for e in entries:
        if not {"seed", "q"} <= e.keys() or ("page" in e) != ("heading" in e):
            raise PluginError(f"{DATA.name}: malformed entry {e!r}")
    return entries


def page_markdown(entries: list[dict]) -> str:
    answered = [e for e in entries if "page" in e]
    seeds_done = {e["seed"] for e in answered}
    seeds_all = {e["seed"] for e in entries}
    lines = [
        "# 题目索引",
        "",
        "本手册的题目来自五份常见的中文面经。下表列出其中每一道题，以及本手册中回答它的小节；"
        f"目前已回答 {len(seeds_done)} / {len(seeds_all)} 道，其余题目标明了计划在哪个 issue 中完成。"
        "这张表由 `docs/questions.yml` 生成，测试会检查每个链接都指向真实存在的小节。",
        "",
    ]
    by_file: dict[str, list[dict]] = defaultdict(list)
    for e in entries:
        by_file[e["seed"].split("#")[0]].append(e)
    for key in sorted(by_file):
        lines += [f"## {key} · {SEED_NAMES.get(key, key)}", "", "| 编号 | 题目 | 本手册的回答 |", "|---|---|---|"]
        for e in by_file[key]:
            if "page" in e:
                answer = f"[{e['heading']}]({e['page']}#{SLUG(e['heading'], '-')})"
            elif e.get("issue"):
                answer = f"尚未收录（计划于 issue #{e['issue']}）"
            else:
                answer = "尚未收录"
            lines.append(f"| `{e['seed']}` | {e['q']} | {answer} |")
        lines.append("")
    return "\n".join(lines)


def on_files(files: Files, config) -> Files:
    files.append(File.generated(config, "questions.md", content=page_markdown(load())))
    return files
