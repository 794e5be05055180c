"""Each document's PDF cut out of the one PDF of a merged chunk (chunks.py):
its pages, its own document information (the stamp: title, subject, author,
keywords, as LibreOffice writes them from the DOCX's core properties), and
what the merged PDF's catalogue says of the whole (language, viewer
preferences) — as its conversion alone would have made it.

Why: LibreOffice's export with a page range walks the whole merged file each
time; one export of the chunk and a cut per document costs about half the
LibreOffice time a document (measured on our notices: 25.6 ms a range
export against 14.2 ms a document for the whole), and pypdf's cut about 2 ms.
The cut PDF embeds the font subsets of the whole chunk (some 40 % larger
files, the same text). A PDF/A file is not cut: its XMP metadata and
identifiers are LibreOffice's to write, so the worker exports each document's pages to its own
PDF/A, and check_pieces only checks its pages against the merged PDF.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pypdf
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from pipeline.pdf.merge import Properties

# What LibreOffice writes for the whole run, copied from the merged PDF's document information.
CARRIED_INFO = ("/Creator", "/Producer", "/CreationDate")
CARRIED_CATALOGUE = ("/Lang", "/ViewerPreferences")


class CannotSplit(Exception):
    """Raised when the merged PDF is not what the worker said (pages missing, damaged)."""


@dataclass(frozen=True)
class Piece:
    """One document in the merged PDF: its pages ("first-last", from 1) as the worker read them off
    the layout, the bookmarks at its start and end, its properties, and where its PDF goes."""

    pages: str
    bookmarks: tuple[str, str]
    properties: Properties
    target: Path


def split_pdf(whole: Path, pieces: Sequence[Piece]) -> None:
    """Write each piece of `whole` to its target (check_pieces first). CannotSplit as there;
    OSError when a target cannot be written."""
    reader = _read(whole)
    spans = _checked_spans(reader, pieces)
    info: Mapping[str, Any] = reader.metadata or {}
    catalogue = cast(DictionaryObject, reader.trailer["/Root"].get_object())  # checked by _read
    for piece, (first, last) in zip(pieces, spans, strict=True):
        writer = pypdf.PdfWriter()
        writer.pdf_header = reader.pdf_header
        for index in range(first - 1, last):
            writer.add_page(reader.pages[index])
        for key in CARRIED_CATALOGUE:
            if key in catalogue:
                writer.root_object[NameObject(key)] = catalogue[key].clone(writer)
        writer.add_metadata(document_information(piece.properties, info))
        with piece.target.open("wb") as stream:
            writer.write(stream)


def check_pieces(whole: Path, pieces: Sequence[Piece]) -> None:
    """CannotSplit when `whole` cannot be read, lacks a piece's pages, or its named destinations
    (the bookmarks, placed by the export itself) put a piece elsewhere than the worker said."""
    _checked_spans(_read(whole), pieces)


def _read(whole: Path) -> pypdf.PdfReader:
    try:
        reader = pypdf.PdfReader(whole)
        if not isinstance(reader.trailer["/Root"].get_object(), DictionaryObject) or not reader.pages:
            raise ValueError("no document catalogue or no pages")
    except (pypdf.errors.PdfReadError, OSError, KeyError, ValueError) as err:
        raise CannotSplit(f"the merged PDF cannot be read ({type(err).__name__}: {err})") from err
    return reader


def _checked_spans(reader: pypdf.PdfReader, pieces: Sequence[Piece]) -> list[tuple[int, int]]:
    """Each piece's first and last page, as the worker said and the named destinations agree."""
    try:
        page_count, destinations = len(reader.pages), destination_pages(reader)
    except (pypdf.errors.PdfReadError, KeyError, ValueError) as err:
        raise CannotSplit(f"the merged PDF cannot be read ({type(err).__name__}: {err})") from err
    spans = []
    for piece in pieces:
        first, last = _page_numbers(piece.pages, page_count)
        placed = tuple(destinations.get(bookmark) for bookmark in piece.bookmarks)
        if placed != (first, last):
            raise CannotSplit(f"the export put {piece.bookmarks} on pages {placed}, the layout on {piece.pages}")
        spans.append((first, last))
    return spans


def destination_pages(reader: pypdf.PdfReader) -> dict[str, int]:
    """The page (from 1) of each named destination; LibreOffice writes a bookmark's leading "_" as "5F"."""
    pages = {}
    for name, destination in reader.named_destinations.items():
        bookmark = name.removeprefix("/")
        bookmark = "_" + bookmark.removeprefix("5F") if bookmark.startswith("5F") else bookmark
        page = reader.get_destination_page_number(destination)
        if page is not None:
            pages[bookmark] = page + 1
    return pages


def document_information(properties: Properties, whole: Mapping[str, Any]) -> dict[str, TextStringObject]:
    """The PDF's document information as LibreOffice writes it for a DOCX of these core properties
    (empty ones left out, keywords joined with ", "), with the run's creator, producer and date."""
    own = {
        "/Title": properties.title,
        "/Author": properties.author,
        "/Subject": properties.subject,
        "/Keywords": ", ".join(properties.keywords),
    }
    carried = {key: str(whole[key]) for key in CARRIED_INFO if key in whole}
    return {key: TextStringObject(value) for key, value in (own | carried).items() if value}


def _page_numbers(pages: str, page_count: int) -> tuple[int, int]:
    try:
        first, last = (int(page) for page in pages.split("-"))
    except ValueError:
        raise CannotSplit(f"no page range in {pages!r}") from None
    if not 1 <= first <= last <= page_count:
        raise CannotSplit(f"pages {pages} are not in the merged PDF of {page_count} pages")
    return first, last
