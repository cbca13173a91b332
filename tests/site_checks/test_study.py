"""Practice features in a real browser: status, self-test mode, random question, the bank's filters."""

from __future__ import annotations

import json
import re
import sys
from typing import Any
from urllib.parse import unquote

from .conftest import ROOT, Built

sys.path.insert(0, str(ROOT / "scripts"))
from phone_metrics import OBSERVE_JS  # noqa: E402

PAGE = "optim/ema/"


def _question_headings(built: Built) -> set[str]:
    """Every answered question as "page/#anchor", read off the built chapter pages."""
    bank = json.loads((built.site / "questions" / "index.json").read_text(encoding="utf-8"))
    found = set()
    for url in {q["id"].split("#")[0] for q in bank}:
        html = (built.site / url / "index.html").read_text(encoding="utf-8")
        found |= {f"{url}#{a}" for a in re.findall(r'<div class="dlh-status" data-q="[^"#]*#([^"]+)"', html)}
    return found


def test_the_question_list_matches_the_status_controls_on_the_pages(built: Built) -> None:
    bank = json.loads((built.site / "questions" / "index.json").read_text(encoding="utf-8"))
    ids = [q["id"] for q in bank]
    assert len(ids) == len(set(ids)) > 30
    assert set(ids) == _question_headings(built)
    for q in bank:  # each id is a real heading anchor on its page
        url, anchor = q["id"].split("#")
        assert f'<h2 id="{anchor}">' in (built.site / url / "index.html").read_text(encoding="utf-8"), q


def test_status_persists_across_a_reload_and_shows_in_the_bank_with_progress(built: Built, browser: Any) -> None:
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(built.url + PAGE, wait_until="networkidle")
    group = page.locator("article .dlh-status").first
    qid = group.get_attribute("data-q")
    assert group.locator('[data-s="new"]').get_attribute("aria-pressed") == "true"
    group.locator('[data-s="review"]').click()
    page.reload(wait_until="networkidle")
    group = page.locator("article .dlh-status").first
    assert group.locator('[data-s="review"]').get_attribute("aria-pressed") == "true"
    assert group.locator('[data-s="new"]').get_attribute("aria-pressed") == "false"
    page.goto(built.url + "questions/", wait_until="networkidle")
    row = page.locator(f'.dlh-status[data-q="{qid}"]')
    assert row.locator('[data-s="review"]').get_attribute("aria-pressed") == "true"
    progress = page.locator(".dlh-progress").all_text_contents()
    assert sum("待复习 1" in p for p in progress) == 1 and sum("待复习 0" in p for p in progress) == len(progress) - 1
    # only 待复习: exactly that question's row stays
    page.locator(".dlh-only-review").check()
    rows = page.evaluate("""() => [...document.querySelectorAll('.dlh-qlist > ul > li')]
        .filter(li => getComputedStyle(li).display !== 'none').map(li => li.querySelector('.dlh-status').dataset.q)""")
    assert rows == [qid]
    # back to 未学: the choice is removed, not stored as a third value
    page.locator(".dlh-only-review").uncheck()
    row.locator('[data-s="new"]').click()
    stored = page.evaluate("localStorage.getItem('dlh-status')")
    ctx.close()
    assert json.loads(stored) == {}


def test_self_test_hides_the_answers_until_tapped_and_is_remembered_without_layout_shift(built: Built,
                                                                                          browser: Any) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.goto(built.url + PAGE, wait_until="networkidle")
    speed = page.locator('section[data-part="speed"]').first
    answer = speed.locator(".admonition")
    assert answer.is_visible() and not speed.locator(".dlh-reveal").is_visible()
    page.locator(".dlh-selftest-button").click()
    assert page.locator(".dlh-selftest-button").get_attribute("aria-pressed") == "true"
    assert not answer.is_visible() and speed.locator(".dlh-reveal").is_visible()
    detail = page.locator('section[data-part="detail"]').first
    assert not detail.locator("p").first.is_visible()
    assert page.locator('section.dlh-q:not([data-part]) h3').first.is_visible()  # headings stay
    speed.locator(".dlh-reveal").tap()
    assert answer.is_visible() and not speed.locator(".dlh-reveal").is_visible()
    assert not detail.locator("p").first.is_visible()  # each part opens on its own
    page.reload(wait_until="networkidle")
    assert page.evaluate("document.documentElement.classList.contains('dlh-selftest')")
    assert not page.locator('section[data-part="speed"] .admonition').first.is_visible()
    # a first load in self-test mode hides the answers before the first paint: nothing shifts
    page2 = ctx.new_page()
    page2.add_init_script(OBSERVE_JS)
    page2.goto(built.url + PAGE, wait_until="networkidle")
    page2.wait_for_timeout(500)
    cls = page2.evaluate("window.__dlh.cls")
    page2.locator(".dlh-selftest-button").click()
    off = page2.evaluate("localStorage.getItem('dlh-selftest')")
    ctx.close()
    assert cls < 0.001
    assert off is None


def test_random_question_opens_an_answered_question_of_the_chosen_chapters(built: Built, browser: Any) -> None:
    bank = json.loads((built.site / "questions" / "index.json").read_text(encoding="utf-8"))
    chapter = bank[-1]["chapter"]
    expected = {q["id"] for q in bank if q["chapter"] == chapter}
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(built.url + "questions/", wait_until="networkidle")
    for box in page.locator(".dlh-bank__chapters input").all():
        if box.get_attribute("value") != chapter:
            box.uncheck()
    seen = set()
    for _ in range(4):
        page.goto(built.url + "questions/", wait_until="networkidle")
        with page.expect_navigation():
            page.locator(".dlh-random").click()
        url = page.url.removeprefix(built.url)
        path, anchor = url.split("#")
        qid = f"{path}#{unquote(anchor)}"
        assert qid in expected, qid
        assert page.locator(f'h2[id="{unquote(anchor)}"]').count() == 1
        seen.add(qid)
    # the r key works from a question page too
    with page.expect_navigation():
        page.keyboard.press("r")
    after = unquote(page.url.removeprefix(built.url))
    ctx.close()
    assert after in expected


def test_the_built_deck_holds_one_card_per_answered_question_with_stable_ids(built: Built, tmp_path) -> None:
    import sqlite3
    import zipfile

    import genanki

    bank = json.loads((built.site / "questions" / "index.json").read_text(encoding="utf-8"))
    with zipfile.ZipFile(built.site / "flashcards" / "dl-cv-handbook.apkg") as z:
        (tmp_path / "c.db").write_bytes(z.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "c.db") as db:
        notes = db.execute("select guid, flds from notes").fetchall()
        n_cards = db.execute("select count(*) from cards").fetchone()[0]
    assert len(notes) == n_cards == len(bank)
    assert {g for g, _ in notes} == {genanki.guid_for(q["id"]) for q in bank}
    assert not [f for _, f in notes if "$" in f]
    fields = [f.split("\x1f") for _, f in notes]
    assert all(len(f) == 3 and f[1].strip() and f[2].startswith(built.url) for f in fields)
    assert sum("\\(" in f[1] for f in fields) > 10  # math kept for Anki's MathJax
    lines = (built.site / "flashcards" / "dl-cv-handbook.tsv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(bank) and "$" not in "".join(lines)


def test_the_question_bank_offers_both_downloads(built: Built, browser: Any) -> None:
    page = browser.new_page()
    page.goto(built.url + "questions/", wait_until="networkidle")
    links = page.evaluate("() => [...document.querySelectorAll('.dlh-bank__downloads:not(.dlh-bank__pdf) a')]"
                          ".map(a => a.href)")
    statuses = [page.request.get(href).status for href in links]
    page.close()
    assert len(links) == 2 and statuses == [200, 200], (links, statuses)
