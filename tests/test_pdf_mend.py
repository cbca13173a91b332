"""scripts/pdf.py: bookmark titles Chromium doubled are mended by an update appended to the PDF."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
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


def check_update(original: bytes, mended: bytes) -> None:
    """The appended bytes are a well-formed incremental update (PDF 1.7, 7.5.6): each xref entry 20
    bytes and pointing at its object, the trailer chained to the file's own cross-reference section,
    and a strict reader finds the same root and size."""
    assert mended.startswith(original)  # nothing before the update rewritten
    update = mended[len(original):]
    table = update[update.index(b"\nxref\n") + len(b"\nxref\n"):update.index(b"trailer")]
    lines = table.split(b"\n")[:-1]
    assert lines[:2] == [b"0 1", b"0000000000 65535 f "]
    for header, entry in zip(lines[2::2], lines[3::2], strict=True):
        number, count = map(int, header.split())
        assert count == 1 and len(entry) + 1 == 20 and entry.endswith(b" n ")
        offset, generation = int(entry[:10]), int(entry[11:16])
        assert mended[offset:].startswith(f"{number} {generation} obj".encode())
    before, after = PdfReader(io.BytesIO(original), strict=True), PdfReader(io.BytesIO(mended), strict=True)
    previous = int(re.findall(rb"startxref\s+(\d+)", original)[-1])
    assert after.trailer["/Prev"] == previous and after.trailer["/Size"] == before.trailer["/Size"]
    assert after.trailer.raw_get("/Root").idnum == before.trailer.raw_get("/Root").idnum
    assert int(re.findall(rb"startxref\s+(\d+)", mended)[-1]) == len(original) + update.index(b"\nxref\n") + 1
    if shutil.which("pdfinfo"):
        done = subprocess.run(["pdfinfo", "-"], input=mended, capture_output=True, check=False)
        assert done.returncode == 0 and not done.stderr, done.stderr


def test_doubled_titles_are_mended_and_the_printed_bytes_kept(tmp_path: Path) -> None:
    path = printed(tmp_path / "book.pdf", [("损失函数损失函数", ["Softmax", "交叉熵交叉熵"]), ("优化", ["动量动量"])])
    original = path.read_bytes()
    pdf.mend_outline(path)
    assert titles(path) == ["损失函数", "Softmax", "交叉熵", "优化", "动量"]
    check_update(original, path.read_bytes())
    assert len(PdfReader(str(path)).pages) == 2
    size = path.stat().st_size
    pdf.mend_outline(path)  # nothing left to mend: nothing appended
    assert path.stat().st_size == size


def test_a_heading_that_is_one_string_written_twice_keeps_its_bookmark(tmp_path: Path) -> None:
    path = printed(tmp_path / "book.pdf", [("数据数据", ["2020", "反向传播反向传播"])])
    pdf.mend_outline(path, headings={"数据", "2020", "反向传播"})
    assert titles(path) == ["数据", "2020", "反向传播"]
    assert pdf.undoubled("2020") == "20"  # without the document's headings, it would be cut


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
