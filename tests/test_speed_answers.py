"""Every 速答 is what a candidate says aloud in about 30 seconds.

A 速答 is the admonition under a `### 速答` heading. Its length is counted in spoken units: one per
Chinese character and one per Latin word or number (``Adam``, ``3×3``, ``0.9``); punctuation,
markup and spaces are free. Formulas belong in 详解: at most two inline formulas and no display math.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
MAX_UNITS = 150
MAX_FORMULAS = 2

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
WORD = re.compile(r"[A-Za-z0-9]+(?:[.×x*/-][A-Za-z0-9]+)*")
INLINE_MATH = re.compile(r"(?<!\\)\$(?!\$)(.+?)(?<!\\)\$")


def speed_answers(text: str) -> list[tuple[int, str]]:
    """(line number, body) of each 速答 admonition in a page's Markdown."""
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        if line.strip() != "### 速答":
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j == len(lines) or not re.match(r"^(!!!|\?\?\?\+?) ", lines[j]):
            found.append((i + 1, ""))
            continue
        body = []
        for k in range(j + 1, len(lines)):
            if lines[k].strip() and not lines[k].startswith("    "):
                break
            body.append(lines[k][4:])
        found.append((i + 1, "\n".join(body).strip()))
    return found


def spoken_units(body: str) -> tuple[int, int, bool]:
    """(units, inline formulas, has display math) of a 速答 body."""
    display = "$$" in body or "\\begin{" in body
    formulas = INLINE_MATH.findall(body)
    text = INLINE_MATH.sub(" ", body)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links keep their words
    text = re.sub(r"[*_`]", "", text)
    return len(CJK.findall(text)) + len(WORD.findall(text)), len(formulas), display


def test_counting_rule_on_hand_cases() -> None:
    assert spoken_units("交叉熵") == (3, 0, False)
    assert spoken_units("用 **Adam** 和 3×3 卷积，[见](x.md)") == (7, 0, False)
    assert spoken_units("梯度 $\\sigma'(z) \\le 1/4$，价格 \\$5") == (2 + 2 + 1, 1, False)
    assert spoken_units("$$x$$")[2]
    body = speed_answers("### 速答\n\n!!! tip \"30 秒版本\"\n    一句话。\n    第二句。\n\n### 详解\n")
    assert body == [(1, "一句话。\n第二句。")]
    assert speed_answers("### 速答\n\n正文不在框里。\n") == [(1, "")]


PAGES = sorted(p for p in DOCS.rglob("*.md") if "### 速答" in p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_speed_answers_are_sayable(page: Path) -> None:
    problems = []
    for line, body in speed_answers(page.read_text(encoding="utf-8")):
        units, formulas, display = spoken_units(body)
        if not body:
            problems.append(f"line {line}: the 速答 is not an admonition box")
        if units > MAX_UNITS:
            problems.append(f"line {line}: {units} spoken units (at most {MAX_UNITS})")
        if formulas > MAX_FORMULAS:
            problems.append(f"line {line}: {formulas} inline formulas (at most {MAX_FORMULAS})")
        if display:
            problems.append(f"line {line}: display math belongs in 详解")
    assert not problems, "\n".join(problems)


def test_every_question_has_a_speed_answer() -> None:
    assert len(PAGES) >= 20  # the parser finds the pages at all
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        assert text.count("\n## ") == len(speed_answers(text)), page
