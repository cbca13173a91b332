"""hooks/study.py and the question bank of hooks/questions.py: the controls written at build time."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
import questions  # noqa: E402
import sections  # noqa: E402
import study  # noqa: E402


def test_status_control_starts_at_new_and_names_its_question() -> None:
    html = questions.status_control("optim/ema/#q")
    assert html.startswith('<div class="dlh-status" data-q="optim/ema/#q"')
    assert 'data-s="new" aria-pressed="true">未学' in html
    assert 'data-s="review" aria-pressed="false">待复习' in html
    assert 'data-s="known" aria-pressed="false">已掌握' in html
    assert "data-pagefind-ignore" in html  # the labels are not page text for search
    assert questions.status_control("a/#b", tag="span").startswith('<span class="dlh-status"')


def test_status_control_rejects_an_id_without_anchor_and_other_tags() -> None:
    with pytest.raises(ValueError, match="qid"):
        questions.status_control("optim/ema/")
    with pytest.raises(ValueError, match="qid"):
        questions.status_control(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="tag"):
        questions.status_control("a/#b", tag="p")


def test_every_question_gets_a_control_and_only_speed_and_detail_parts_are_marked() -> None:
    page = ('<p>intro</p><h2 id="q1">Q1?<a class="headerlink" href="#q1">&para;</a></h2>'
            '<h3 id="速答">速答<a class="headerlink" href="#速答">&para;</a></h3><p>say</p>'
            '<h3 id="详解">详解</h3><p>derive</p><h3 id="代码">代码</h3><p>code</p>'
            '<h2 id="q2">Q2?</h2><h3 id="速答_1">速答</h3><p>say 2</p>')
    out = study.with_controls(sections.wrap(page), "optim/ema/")
    assert out.count('class="dlh-status"') == 2
    assert '</h2><div class="dlh-status" data-q="optim/ema/#q1"' in out
    assert 'data-q="optim/ema/#q2"' in out
    assert out.count('data-part="speed"') == 2 and out.count('data-part="detail"') == 1
    assert '<section class="dlh-q" data-part="speed"><h3 id="速答">' in out
    assert '</h3><button type="button" class="dlh-reveal" data-pagefind-ignore>显示速答</button><p>say</p>' in out
    assert '<section class="dlh-q"><h3 id="代码">' in out  # other parts stay visible in self-test mode
    assert study.with_controls("<p>no questions</p>", "x/") == "<p>no questions</p>"


def test_self_test_switch_sits_before_search_and_the_mode_is_restored_in_head() -> None:
    page = ('<html><head><title>t</title></head><body><nav class="md-header__inner">'
            '<button type="button" class="md-header__button md-icon dlh-search-button">s</button></nav></body></html>')
    out = study.with_switch(page)
    assert out.index("dlh-selftest-button") < out.index("dlh-search-button")
    head = out[: out.index("</head>")]
    assert 'localStorage.getItem("dlh-selftest")' in head and "classList.add(\"dlh-selftest\")" in head


def test_links_in_a_speed_answer_are_rebased_to_the_question_index() -> None:
    md = "见[记号](../notation.md)、[上文](#x)、[EMA](ema.md#bias)、[外链](https://a.org/b) 与 [根](/r)"
    assert questions.rebased(md, "optim/adam_vs_sgd.md") == (
        "见[记号](notation.md)、[上文](optim/adam_vs_sgd.md#x)、[EMA](optim/ema.md#bias)、"
        "[外链](https://a.org/b) 与 [根](/r)")


def test_question_parts_give_the_whole_speed_answer_dedented() -> None:
    first = "第一句说的是一个足够长、能够单独成立的完整意思。"
    text = (f"# T\n\n## Q?\n\n### 速答\n\n!!! tip \"30 秒版本\"\n    {first}\n    第二句 $x$。\n\n"
            "### 详解\n\nmore\n\n## R?\n\n### 详解\n\nx\n")
    parts = questions.question_parts(text)
    assert parts[0] == ("Q?", first, f"{first}\n第二句 $x$。")
    assert parts[1] == ("R?", "", "")
    assert questions.questions(text) == [("Q?", first), ("R?", "")]


def test_the_bank_lists_each_answered_question_once_with_its_page_anchor() -> None:
    nav = questions.read_nav()
    bank = study.bank(nav)
    ids = [q["id"] for q in bank]
    assert len(ids) == len(set(ids)) > 30
    first = bank[0]
    page = questions.DOCS / (first["id"].split("#")[0].rstrip("/") + ".md")
    assert f"## {first['title']}" in page.read_text(encoding="utf-8")
    assert {q["chapter"] for q in bank} <= {t for t, _ in questions.chapters(nav)}
