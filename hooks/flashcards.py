"""Flashcards of every answered question: an Anki deck (`flashcards/dl-cv-handbook.apkg`) and the
same cards as tab-separated text (`flashcards/dl-cv-handbook.tsv`), written at each build.

Front: the question. Back: its whole 速答, with math in Anki's MathJax delimiters (`\\(...\\)`,
`\\[...\\]`), and a link to the answer on the site. Each note's id (its GUID) is derived from the
question's address on the site (page + heading anchor), so importing a newer deck updates the cards
a reader already has instead of adding copies; renaming a question makes it a new card.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import subprocess
import time
import zipfile
from pathlib import Path

import genanki
import markdown
import questions
from memo import key_of  # hooks/memo.py

DECK_ID = 1_735_906_211  # fixed once: Anki matches a re-imported deck and note type by these ids
MODEL_ID = 1_735_906_212
NAME = "dl-cv-handbook"
DECK_TITLE = "深度学习与计算机视觉面试手册 · 速答"

MODEL = genanki.Model(
    MODEL_ID,
    "DL-CV Handbook 速答",
    fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Link"}],
    templates=[{
        "name": "Card 1",
        "qfmt": '<div class="q">{{Question}}</div>',
        "afmt": '{{FrontSide}}<hr id="answer"><div class="a">{{Answer}}</div>'
                '<p class="link"><a href="{{Link}}">完整答案</a></p>',
    }],
    css=".card{font-family:sans-serif;font-size:18px;text-align:left;line-height:1.6}"
        ".q{font-weight:bold}.link{font-size:14px}",
)


CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
CJK_BREAK = re.compile(rf"(?<=[{CJK}])\n(?=\S)|\n(?=[{CJK}])")


@functools.cache  # the same 速答 on every rebuild of `mkdocs serve`: converted once per process
def speech_html(speech: str) -> str:
    """The 速答's Markdown as HTML for a card: math left as `\\(...\\)` / `\\[...\\]` for Anki's
    MathJax, links reduced to their text (they point into the site), no `$` delimiters left."""
    if not isinstance(speech, str):
        raise TypeError(f"speech must be str, got {type(speech).__name__}")
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", speech)
    text = CJK_BREAK.sub("", text)  # a line break inside Chinese prose is not a space
    html = markdown.markdown(text, extensions=["pymdownx.arithmatex"],
                             extension_configs={"pymdownx.arithmatex": {"generic": True}})
    return re.sub(r'<(span|div) class="arithmatex">(.*?)</\1>', r"\2", html, flags=re.S)


def cards(nav: list, site_url: str) -> list[dict[str, str]]:
    """One card per answered question, in navigation order: id, question, answer (HTML), link."""
    return [{"id": q["id"], "chapter": q["chapter"], "question": q["title"], "answer": speech_html(q["speech"]),
             "link": site_url.rstrip("/") + "/" + q["id"]} for q in questions.answered(nav)]


def deck(cards_: list[dict[str, str]]) -> genanki.Deck:
    d = genanki.Deck(DECK_ID, DECK_TITLE)
    for c in cards_:
        tag = re.sub(r"\s+", "_", c["chapter"])
        d.add_note(genanki.Note(model=MODEL, fields=[c["question"], c["answer"], c["link"]],
                                guid=genanki.guid_for(c["id"]), tags=[tag]))
    return d


def tsv(cards_: list[dict[str, str]]) -> str:
    """question, answer (HTML), link, chapter: one line per card, tabs and newlines kept out of fields."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    for c in cards_:
        writer.writerow([re.sub(r"[\t\r\n]+", " ", c[k]) for k in ("question", "answer", "link", "chapter")])
    return buf.getvalue()


def source_time() -> float:
    """Seconds since the epoch of the commit being built (the build's time outside a git checkout).

    The notes' modification time: the same source gives the same deck byte for byte, and a deck
    built from a newer commit is newer, which is what Anki compares when it updates notes."""
    try:
        out = subprocess.run(["git", "-C", str(questions.ROOT), "log", "-1", "--format=%ct"],
                             capture_output=True, text=True, timeout=10)
        return float(out.stdout.strip())
    except (OSError, ValueError, subprocess.SubprocessError):
        return time.time()


def write_apkg(d: genanki.Deck, path: Path, timestamp: float) -> None:
    """`d` as an .apkg at `path`, the same bytes for the same deck and timestamp (zip entries dated
    by `timestamp`, not by when the temporary files were written)."""
    raw = path.with_suffix(".tmp")
    genanki.Package(d).write_to_file(str(raw), timestamp=timestamp)
    stamp = time.gmtime(timestamp)[:6]
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=stamp), src.read(info.filename),
                         compress_type=zipfile.ZIP_DEFLATED)
    raw.unlink()


# The deck of the last build, kept while the cards and the commit are the same (writing the
# SQLite database inside the .apkg took half a second of every rebuild).
_last: dict[str, tuple[str, bytes]] = {}


def on_post_build(config) -> None:
    folder = Path(config["site_dir"]) / "flashcards"
    folder.mkdir(parents=True, exist_ok=True)
    found = cards(config["nav"], config["site_url"] or "")
    stamp = source_time()
    key = key_of(json.dumps(found, ensure_ascii=False), repr(stamp), Path(__file__).read_bytes())
    apkg = folder / f"{NAME}.apkg"
    if _last.get("apkg", ("", b""))[0] == key:
        apkg.write_bytes(_last["apkg"][1])
    else:
        write_apkg(deck(found), apkg, stamp)
        _last["apkg"] = (key, apkg.read_bytes())
    (folder / f"{NAME}.tsv").write_text(tsv(found), encoding="utf-8")
