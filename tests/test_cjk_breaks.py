"""hooks/cjk_breaks.py: line breaks inside Chinese prose do not become spaces."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
from cjk_breaks import join_lines  # noqa: E402


def test_a_break_between_chinese_characters_or_after_chinese_punctuation_goes() -> None:
    assert join_lines("<p>按指数衰减，\n只存一个数</p>") == "<p>按指数衰减，只存一个数</p>"
    assert join_lines("<p>权重\n    衰减</p>") == "<p>权重衰减</p>"
    assert join_lines("<p>步长。\nAdam 之后</p>") == "<p>步长。Adam 之后</p>"


def test_a_break_next_to_latin_text_digits_or_markup_stays() -> None:
    for html in ("<p>keep\nEnglish</p>", "<p>调用\nAdam</p>", "<p>Adam\n的更新</p>", "<p>之和，\n<span>x</span></p>",
                 "<p>共 3\n步</p>"):
        assert join_lines(html) == html


def test_code_and_scripts_are_left_alone() -> None:
    html = "<p>中\n文</p><pre><code># 注释\n# 第二行</code></pre><script>// 中\n// 文</script><p>中\n文</p>"
    kept = "<pre><code># 注释\n# 第二行</code></pre><script>// 中\n// 文</script>"
    assert join_lines(html) == f"<p>中文</p>{kept}<p>中文</p>"


def test_join_lines_rejects_what_is_not_text() -> None:
    with pytest.raises(TypeError, match="html"):
        join_lines(None)  # type: ignore[arg-type]
