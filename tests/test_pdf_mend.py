"""scripts/pdf.py: bookmark titles Chromium doubled are mended by an update appended to the PDF."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import pdf  # noqa: E402


def titles(path: Path) -> list[str]:
    out: list[str] = []

    def walk(items):  # type: ignore[no-untyped-def]
        for item in items:
            walk(item) if isinstance(item, list) else out.append(item.title)

    walk(PdfReader(str(path)).outline)
    return out


def printed(path: Path, names: list[tuple[str, list[str]]]) -> Path:
    """A PDF with a page per chapter and its bookmarks: chapter > pages, titles as given."""
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    for i, (chapter, pages) in enumerate(names):
        if i:
            writer.add_blank_page(200, 200)
        parent = writer.add_outline_item(title=chapter, page_number=i)
        for name in pages:
            writer.add_outline_item(title=name, page_number=i, parent=parent)
    with path.open("wb") as f:
        writer.write(f)
    return path


def test_doubled_titles_are_mended_and_the_printed_bytes_kept(tmp_path: Path) -> None:
    path = printed(tmp_path / "book.pdf", [("损失函数损失函数", ["Softmax", "交叉熵交叉熵"]), ("优化", ["动量动量"])])
    original = path.read_bytes()
    pdf.mend_outline(path)
    assert titles(path) == ["损失函数", "Softmax", "交叉熵", "优化", "动量"]
    assert path.read_bytes().startswith(original)  # an update appended, nothing rewritten
    assert len(PdfReader(str(path)).pages) == 2
    size = path.stat().st_size
    pdf.mend_outline(path)  # nothing left to mend: nothing appended
    assert path.stat().st_size == size


@pytest.mark.parametrize("names", [
    [("基础", ["反向传播", "ReLU ReLU"])],  # a space: not one string written twice
    [],  # no bookmarks at all
])
def test_a_pdf_with_nothing_doubled_is_left_alone(tmp_path: Path, names: list[tuple[str, list[str]]]) -> None:
    path = printed(tmp_path / "speech.pdf", names)
    original = path.read_bytes()
    pdf.mend_outline(path)
    assert path.read_bytes() == original


def test_a_cross_reference_stream_is_refused(tmp_path: Path) -> None:
    path = printed(tmp_path / "book.pdf", [("基础基础", ["激活函数"])])
    writer = PdfWriter(str(path), incremental=True)  # pypdf appends its updates with a stream
    writer.add_metadata({"/Title": "t"})
    with path.open("wb") as f:
        writer.write(f)
    original = path.read_bytes()
    with pytest.raises(ValueError, match="cross-reference table"):
        pdf.mend_outline(path)
    assert path.read_bytes() == original
