"""Cutting each document's PDF out of the one PDF of a merged chunk (pipeline/pdf/split.py), on PDFs
made here with pypdf: the pages named, the named destinations checked, the document information as
LibreOffice writes it (the conversions themselves: test_chunks.py)."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from pipeline.pdf.merge import Properties
from pipeline.pdf.split import CannotSplit, Piece, check_pieces, destination_pages, document_information, split_pdf

PROPERTIES = Properties(
    title="Счёт № 171",
    subject="invoice",
    author="ООО «Автосервис Плюс»",
    keywords=("case_id=ZN-0171", "kind=invoice"),
    description="Дело ZN-0171",
)


def merged_pdf(path: Path, widths: list[int], destinations: dict[str, int]) -> Path:
    """A PDF of one page a width (the width tells the pages apart), with named destinations written
    as LibreOffice writes a bookmark "_Name": "5FName", on the page given (from 1)."""
    writer = pypdf.PdfWriter()
    for width in widths:
        writer.add_blank_page(width=width, height=842)
    for name, page in destinations.items():
        writer.add_named_destination(name.replace("_", "5F", 1), page - 1)
    writer.add_metadata({"/Producer": "LibreOffice 7.4", "/Creator": "Writer", "/Title": "the whole chunk"})
    with path.open("wb") as stream:
        writer.write(stream)
    return path


def widths_of(path: Path) -> list[int]:
    return [round(float(page.mediabox.width)) for page in pypdf.PdfReader(path).pages]


def test_each_piece_gets_its_pages_and_its_own_document_information(tmp_path):
    # Three documents: pages 1, 3–4 and 6 of six; pages 2 and 5 are the blank pages LibreOffice inserts
    # so that a page numbered 1 is a right-hand page. Widths 501…506 name the pages.
    marks = {"_D0": 1, "_E0": 1, "_D1": 3, "_E1": 4, "_D2": 6, "_E2": 6}
    whole = merged_pdf(tmp_path / "whole.pdf", [501, 502, 503, 504, 505, 506], marks)
    pieces = [
        Piece("1-1", ("_D0", "_E0"), PROPERTIES, tmp_path / "a.pdf"),
        Piece("3-4", ("_D1", "_E1"), PROPERTIES, tmp_path / "b.pdf"),
        Piece("6-6", ("_D2", "_E2"), Properties(title="Уведомление"), tmp_path / "c.pdf"),
    ]
    split_pdf(whole, pieces)
    assert [widths_of(piece.target) for piece in pieces] == [[501], [503, 504], [506]]
    first = pypdf.PdfReader(tmp_path / "a.pdf")
    # LibreOffice's document information for a DOCX: title, author, subject, keywords joined with ", "
    # (the description is not written), the run's creator and producer; the merged file's title is not.
    assert dict(first.metadata) == {
        "/Title": "Счёт № 171",
        "/Author": "ООО «Автосервис Плюс»",
        "/Subject": "invoice",
        "/Keywords": "case_id=ZN-0171, kind=invoice",
        "/Creator": "Writer",
        "/Producer": "LibreOffice 7.4",
    }
    assert dict(pypdf.PdfReader(tmp_path / "c.pdf").metadata) == {
        "/Title": "Уведомление",
        "/Creator": "Writer",
        "/Producer": "LibreOffice 7.4",
    }
    assert first.named_destinations == {}  # the chunk's bookmarks stay behind


def test_a_piece_the_export_placed_elsewhere_than_the_layout_said_stops_the_split(tmp_path):
    # The worker read pages 1–2 for the first document; the export put its end on page 1 (page 2 blank).
    whole = merged_pdf(tmp_path / "whole.pdf", [501, 502, 503], {"_D0": 1, "_E0": 1, "_D1": 3, "_E1": 3})
    with pytest.raises(CannotSplit, match="the layout on 1-2"):
        split_pdf(whole, [Piece("1-2", ("_D0", "_E0"), PROPERTIES, tmp_path / "a.pdf")])
    with pytest.raises(CannotSplit, match=r"\(None, None\)"):  # no destinations at all
        split_pdf(
            merged_pdf(tmp_path / "bare.pdf", [501], {}), [Piece("1-1", ("_D0", "_E0"), PROPERTIES, tmp_path / "a.pdf")]
        )


@pytest.mark.parametrize("pages", ["0-1", "2-1", "3-4", "x", "None"])
def test_pages_outside_the_merged_pdf_stop_the_split(tmp_path, pages):
    whole = merged_pdf(tmp_path / "whole.pdf", [501, 502, 503], {"_D0": 1, "_E0": 3})
    with pytest.raises(CannotSplit):
        split_pdf(whole, [Piece(pages, ("_D0", "_E0"), PROPERTIES, tmp_path / "a.pdf")])
    assert not (tmp_path / "a.pdf").exists()


def test_a_damaged_merged_pdf_stops_the_split(tmp_path):
    whole = tmp_path / "whole.pdf"
    whole.write_bytes(b"%PDF-1.6\n% cut short by a kill")
    with pytest.raises(CannotSplit, match="cannot be read"):
        split_pdf(whole, [Piece("1-1", ("_D0", "_E0"), PROPERTIES, tmp_path / "a.pdf")])


def test_destinations_are_read_back_with_their_leading_underscore(tmp_path):
    whole = merged_pdf(tmp_path / "whole.pdf", [501, 502], {"_PipelineDocument0": 1, "_PipelineDocumentEnd0": 2})
    assert destination_pages(pypdf.PdfReader(whole)) == {"_PipelineDocument0": 1, "_PipelineDocumentEnd0": 2}


def test_empty_properties_are_left_out_of_the_document_information():
    assert document_information(Properties(), {"/Producer": "LibreOffice 7.4"}) == {"/Producer": "LibreOffice 7.4"}


def test_a_pdf_a_chunk_is_only_checked_against_the_merged_pdf_never_cut(tmp_path):
    # PDF/A is stored by the worker itself: the merged PDF only tells whether the pages it used are right.
    whole = merged_pdf(tmp_path / "whole.pdf", [501, 502, 503], {"_D0": 1, "_E0": 1, "_D1": 3, "_E1": 3})
    check_pieces(whole, [Piece("1-1", ("_D0", "_E0"), PROPERTIES, tmp_path / "a.pdf")])
    # The blank page 2 counted into the first document, as the view cursor read an unfinished layout:
    with pytest.raises(CannotSplit, match="the layout on 1-2"):
        check_pieces(whole, [Piece("1-2", ("_D0", "_E0"), PROPERTIES, tmp_path / "a.pdf")])
    assert not (tmp_path / "a.pdf").exists()
