"""hooks/flashcards.py: the Anki deck and TSV of every 速答."""

from __future__ import annotations

import sqlite3
import sys
import zipfile
from pathlib import Path

import genanki
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
import flashcards  # noqa: E402


def test_math_goes_to_mathjax_delimiters_and_links_to_their_text() -> None:
    html = flashcards.speech_html("梯度是 $p - y$，见[记号](../notation.md)。\n\n$$\nL = -\\log p_y\n$$")
    assert "\\(p - y\\)" in html and "\\[" in html and "L = -\\log p_y" in html
    assert "$" not in html and "notation.md" not in html and "见记号" in html


def test_a_line_break_inside_chinese_prose_does_not_become_a_space() -> None:
    html = flashcards.speech_html("先取指数，\n再归一化；keep\nEnglish words apart")
    assert "先取指数，再归一化" in html
    assert "keep\nEnglish" in html  # between Latin words the break stays a space


def test_speech_html_rejects_what_is_not_text() -> None:
    with pytest.raises(TypeError, match="speech"):
        flashcards.speech_html(None)  # type: ignore[arg-type]


def test_note_ids_come_from_the_question_address_only(tmp_path: Path) -> None:
    card = {"id": "optim/ema/#q", "chapter": "优化与训练", "question": "Q?", "answer": "<p>a</p>",
            "link": "https://x/optim/ema/#q"}
    edited = dict(card, answer="<p>a better answer</p>")
    ids = []
    for i, c in enumerate((card, edited)):
        path = tmp_path / f"{i}.apkg"
        genanki.Package(flashcards.deck([c])).write_to_file(str(path))
        with zipfile.ZipFile(path) as z:
            (tmp_path / f"{i}.db").write_bytes(z.read("collection.anki2"))
        with sqlite3.connect(tmp_path / f"{i}.db") as db:
            ids.append(db.execute("select guid, flds from notes").fetchall())
    assert ids[0][0][0] == ids[1][0][0] == genanki.guid_for("optim/ema/#q")  # an update, not a new card
    assert ids[0][0][1] != ids[1][0][1]


def test_tsv_has_one_line_per_card_with_four_fields() -> None:
    cards = [{"id": "a/#b", "chapter": "c", "question": "Q\tx?", "answer": "<p>1\n2</p>", "link": "u"}] * 2
    lines = flashcards.tsv(cards).splitlines()
    assert len(lines) == 2 and all(line.split("\t") == ["Q x?", "<p>1 2</p>", "u", "c"] for line in lines)


def test_the_same_deck_and_time_give_the_same_bytes(tmp_path: Path) -> None:
    card = {"id": "a/#b", "chapter": "c", "question": "Q?", "answer": "<p>a</p>", "link": "u"}
    for name in ("one", "two"):
        flashcards.write_apkg(flashcards.deck([card]), tmp_path / f"{name}.apkg", 1_700_000_000.0)
    assert (tmp_path / "one.apkg").read_bytes() == (tmp_path / "two.apkg").read_bytes()
    flashcards.write_apkg(flashcards.deck([card]), tmp_path / "later.apkg", 1_800_000_000.0)
    assert (tmp_path / "later.apkg").read_bytes() != (tmp_path / "one.apkg").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.apkg") as z:
        assert sorted(z.namelist()) == ["collection.anki2", "media"]
