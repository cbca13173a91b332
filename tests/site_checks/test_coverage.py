"""Every seed question is in docs/questions.yml, and every answered one points at a real heading."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SEEDS = ROOT.parent / "shared" / "seeds"
ENTRIES = yaml.safe_load((DOCS / "questions.yml").read_text(encoding="utf-8"))


def front_matter(text: str) -> dict:
    m = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    return yaml.safe_load(m.group(1)) if m else {}


def headings(text: str) -> list[str]:
    body = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return [m.group(1).strip() for m in re.finditer(r"^#{2,4} (.+)$", body, re.M)]


@pytest.mark.parametrize("entry", [e for e in ENTRIES if "page" in e], ids=lambda e: f"{e['seed']}:{e['heading'][:12]}")
def test_answered_seed_question_maps_to_a_heading_that_names_the_seed(entry: dict) -> None:
    page = DOCS / entry["page"]
    text = page.read_text(encoding="utf-8")
    assert entry["heading"] in headings(text), f"{entry['page']} has no heading {entry['heading']!r}"
    assert entry["seed"] in front_matter(text).get("seeds", []), f"{entry['page']} metadata lacks {entry['seed']}"


def test_every_seed_listed_in_a_page_is_mapped_in_the_data_file() -> None:
    mapped = {(e["seed"], e["page"]) for e in ENTRIES if "page" in e}
    for page in DOCS.rglob("*.md"):
        for seed in front_matter(page.read_text(encoding="utf-8")).get("seeds", []):
            assert (seed, page.relative_to(DOCS).as_posix()) in mapped, f"{page}: {seed} not in questions.yml"


def test_unanswered_entries_name_a_topic_and_ids_are_well_formed() -> None:
    topics = {"归一化与正则化", "经典网络", "目标检测", "图像分割", "数据、训练与评估"}
    for e in ENTRIES:
        assert re.fullmatch(r"00[0-4]#[0-9a-z-]+", e["seed"]), e
        if "page" not in e:
            assert e.get("topic") in topics, e
    unanswered = [e["seed"] for e in ENTRIES if "page" not in e]
    assert len(unanswered) == len(set(unanswered)), "two unanswered rows would share an anchor"


def _numbered_questions(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    if path.name.startswith("002"):
        return {m for m in re.findall(r"(?:^|\s)(\d{2})[、.]\s", text) if 18 <= int(m) <= 30}
    nums = re.findall(r"^(\d{2,3}) \S", text, re.M)
    seen: set[str] = set()
    out: set[str] = set()
    for n in nums:  # seed 004 numbers two questions 41: the second is 41b
        out.add(n + "b" if n in seen else n)
        seen.add(n)
    return out


@pytest.mark.skipif(not SEEDS.exists(), reason="the seeds lie beside the repository only in development and CI")
@pytest.mark.parametrize("prefix", ["000", "002", "004"])
def test_every_numbered_seed_question_is_in_the_data_file(prefix: str) -> None:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    listed = {e["seed"].split("#")[1] for e in ENTRIES if e["seed"].startswith(prefix)}
    missing = _numbered_questions(path) - listed
    assert not missing, f"{prefix}: questions {sorted(missing)} are not in docs/questions.yml"
