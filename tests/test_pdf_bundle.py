"""print.pdf streamed to disk (bundle.write_merged_pdf): every page in order,
a bookmark per letter, what a page inherits from its page tree kept, nothing
half-written, and memory that does not grow with the number of letters."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.errors import EnvironmentProblem
from pipeline.pdf.bundle import PrintItem, write_merged_pdf

ROOT = Path(__file__).resolve().parent.parent


def make_pdf(path: Path, texts: list[str], padding: int = 0) -> Path:
    """A PDF with a page per text, laid out as LibreOffice does it: /MediaBox and
    /Resources on the page tree, inherited by the pages. `padding` bytes of
    random data ride along in a form XObject every page's resources name."""
    objects = {
        1: b"<</Type/Catalog/Pages 2 0 R>>",
        3: b"<</Font<</F1 4 0 R>>/XObject<</Pad 5 0 R>>>>",
        4: b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    }
    pad = b"% " + os.urandom(padding).hex().encode() + b"\n"
    objects[5] = b"<</Type/XObject/Subtype/Form/BBox[0 0 1 1]/Length %d>>\nstream\n%s\nendstream" % (len(pad), pad)
    kids = []
    for index, text in enumerate(texts):
        page, content = 6 + 2 * index, 7 + 2 * index
        kids.append(f"{page} 0 R".encode())
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        objects[page] = b"<</Type/Page/Parent 2 0 R/Contents %d 0 R>>" % content
        objects[content] = b"<</Length %d>>\nstream\n%s\nendstream" % (len(stream), stream)
    objects[2] = b"<</Type/Pages/Kids[%s]/Count %d/MediaBox[0 0 595 842]/Resources 3 0 R>>" % (
        b" ".join(kids),
        len(texts),
    )
    data, offsets = bytearray(b"%PDF-1.6\n"), {}
    for number in sorted(objects):
        offsets[number] = len(data)
        data += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offsets[number] for number in sorted(objects))
    data += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(data))
    return path


def item(pdf: Path, case_id: str, number: str) -> PrintItem:
    return PrintItem(case_id, "pretension", number, "Досудебная претензия", "Иванов И. И.", "101000, Москва", pdf)


@pytest.fixture
def letters(tmp_path: Path) -> list[PrintItem]:
    return [
        item(make_pdf(tmp_path / "in/a.pdf", ["Letter A"]), "ZN-1", "ПР-2026-0001"),
        item(make_pdf(tmp_path / "in/b.pdf", ["Letter B page 1", "Letter B page 2"]), "ZN-2", "ПР-2026-0002"),
        item(make_pdf(tmp_path / "in/c.pdf", ["Letter C"]), "ZN-3", "ПР-2026-0003"),
    ]


def test_every_page_in_order_with_a_bookmark_at_each_letter(tmp_path, letters):
    target = tmp_path / "out/print.pdf"
    write_merged_pdf(letters, target)
    reader = PdfReader(target, strict=True)
    assert [page.extract_text() for page in reader.pages] == [
        "Letter A",
        "Letter B page 1",
        "Letter B page 2",
        "Letter C",
    ]
    assert [entry.title for entry in reader.outline] == [
        "ZN-1 — Досудебная претензия ПР-2026-0001",
        "ZN-2 — Досудебная претензия ПР-2026-0002",
        "ZN-3 — Досудебная претензия ПР-2026-0003",
    ]
    assert [reader.get_destination_page_number(entry) for entry in reader.outline] == [0, 1, 3]
    assert reader.metadata is not None and reader.metadata.title == "Документы к отправке"
    # What LibreOffice puts on the page tree reaches every page.
    assert {tuple(page.mediabox) for page in reader.pages} == {(0, 0, 595, 842)}
    assert os.listdir(target.parent) == ["print.pdf"]


def test_duplex_pads_each_document_to_an_even_page_count(tmp_path, letters):
    target = tmp_path / "out/print.pdf"
    write_merged_pdf(letters, target, duplex=True)
    reader = PdfReader(target, strict=True)
    # A (1 page) + a blank, B (2 pages), C (1 page) + a blank: every letter starts on the front of a sheet.
    assert [page.extract_text() for page in reader.pages] == [
        "Letter A",
        "",
        "Letter B page 1",
        "Letter B page 2",
        "Letter C",
        "",
    ]
    assert [reader.get_destination_page_number(entry) for entry in reader.outline] == [0, 2, 4]
    assert {tuple(page.mediabox) for page in reader.pages} == {(0, 0, 595, 842)}  # the blank is the letter's size


def test_an_unreadable_pdf_leaves_the_old_print_pdf_and_no_temporary_file(tmp_path, letters):
    target = tmp_path / "out/print.pdf"
    target.parent.mkdir()
    target.write_bytes(b"the print.pdf of an earlier run")
    broken = tmp_path / "in/broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really a PDF")
    with pytest.raises(EnvironmentProblem) as raised:
        write_merged_pdf([letters[0], item(broken, "ZN-9", "ПР-2026-0009")], target)
    assert str(raised.value).startswith(f"{broken}: PDF не читается, print.pdf не собран: ")
    assert target.read_bytes() == b"the print.pdf of an earlier run"
    assert os.listdir(target.parent) == ["print.pdf"]


MERGE_AND_MEASURE = """\
import resource, sys
from pathlib import Path
from pipeline.pdf.bundle import PrintItem, write_merged_pdf
paths = Path(sys.argv[1]).read_text().split()
items = [PrintItem(str(n), "pretension", str(n), "Претензия", "", "", Path(p)) for n, p in enumerate(paths)]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
write_merged_pdf(items, Path(sys.argv[2]))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def test_memory_does_not_grow_with_the_letters(tmp_path):
    # 1 000 letters of 40 KB. pypdf's PdfWriter held about 4 times the merged
    # file (a parsed copy of every object), and building the file in memory
    # twice more: 2 000 real letters (116 MB) took 589 MB, and 14 MB streamed.
    paths = [make_pdf(tmp_path / f"in/{n}.pdf", [f"Letter {n}"], 20_000) for n in range(1000)]
    (tmp_path / "paths.txt").write_text("\n".join(str(path) for path in paths))
    target = tmp_path / "print.pdf"
    measured = subprocess.run(
        [sys.executable, "-c", MERGE_AND_MEASURE, str(tmp_path / "paths.txt"), str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    growth_mb = int(measured.stdout) / 1024
    assert target.stat().st_size > 40_000_000
    assert growth_mb < 20, f"{growth_mb:.0f} MB"
    assert len(PdfReader(target).pages) == 1000
