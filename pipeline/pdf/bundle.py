"""What the post room gets from a batch: `print.pdf`, every document issued in
the batch merged in register order with a bookmark each; for double-sided
printing each document padded with a blank page to an even page count, so that
every one starts on the front of a sheet. (The registered letters' file for
Russian Post is pipeline/store/post.py.)

`print.pdf` is streamed to disk (write_merged_pdf): each letter's objects are
copied into the file as it is read and then dropped, so memory does not grow
with the batch. pypdf's PdfWriter keeps a parsed copy of every object it
appends until it writes: 2 000 letters of 56 KB (116 MB of PDF) took 505 MB
that way, 617 MB with the merged file built in memory as well.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
    create_string_object,
)

from pipeline.errors import EnvironmentProblem
from pipeline.store.outputs import atomic_file

PRINT_TITLE = "Документы к отправке"


@dataclass(frozen=True)
class PrintItem:
    """One issued document as the post room sees it."""

    case_id: str
    kind: str
    number: str
    title: str  # "Досудебная претензия"
    addressee: str
    address: str
    pdf_path: Path
    source: Path | None = None  # the case file, named by the post file's warnings

    @property
    def bookmark(self) -> str:
        return f"{self.case_id} — {self.title} {self.number}"


def write_merged_pdf(items: Sequence[PrintItem], target: Path, duplex: bool = False) -> None:
    """All items' PDFs in order into `target`, one bookmark at the first page of
    each (`duplex`: each padded to an even page count), streamed through a
    temporary file beside it and renamed into place.
    EnvironmentProblem when a PDF cannot be read or the disk is full."""
    with atomic_file(target) as stream:
        _write_merged(items, stream, duplex)


def _write_merged(items: Sequence[PrintItem], stream: BinaryIO, duplex: bool) -> None:
    merged = _PdfStream(stream)
    bookmarks: list[tuple[str, int]] = []
    for item in items:
        try:
            reader = PdfReader(item.pdf_path)
        except (OSError, PyPdfError) as err:
            raise _unreadable(item, err) from err
        try:
            # Reads the file already in memory and writes `stream`: an OSError here is writing's.
            pages = merged.copy_document(reader)
        except PyPdfError as err:
            raise _unreadable(item, err) from err
        if pages:
            bookmarks.append((item.bookmark, pages[0]))
        if duplex and len(pages) % 2:
            merged.add_blank_page(reader.pages[-1].mediabox)
    merged.finish(bookmarks, PRINT_TITLE)


def _unreadable(item: PrintItem, err: Exception) -> EnvironmentProblem:
    return EnvironmentProblem(f"{item.pdf_path}: PDF не читается, print.pdf не собран: {err}")


class _PdfStream:
    """A PDF written object by object: each document's objects are renumbered
    and written as they are read; what stays in memory is each object's offset
    (for the cross-reference table), the page numbers and the bookmarks.
    Objects 1–4 are the page tree, the outline, the catalog and the info."""

    PAGES, OUTLINES, CATALOG, INFO = 1, 2, 3, 4

    def __init__(self, stream: BinaryIO):
        self._stream = stream
        self._start = stream.tell()
        self._offsets: dict[int, int] = {}
        self._next = self.INFO + 1
        self._pages: list[int] = []
        stream.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def copy_document(self, reader: PdfReader) -> list[int]:
        """Copy every page of `reader` with all it uses; their object numbers."""
        numbers: dict[tuple[int, int], int | None] = {}
        waiting: list[tuple[int, PdfObject | None]] = []

        def number_of(reference: IndirectObject) -> int | None:
            key = (reference.idnum, reference.generation)
            if key not in numbers:
                numbers[key] = self._number_for(reference.get_object(), waiting)
            return numbers[key]

        pages = []
        for page in reader.pages:  # pypdf has copied what a page inherits into it
            number = self._reserve()
            if page.indirect_reference is not None:
                numbers[(page.indirect_reference.idnum, page.indirect_reference.generation)] = number
            pages.append((number, page))
        for number, page in pages:
            self._write_object(number, page, number_of, {"/Parent": f"{self.PAGES} 0 R"})
        while waiting:
            number, target = waiting.pop()
            self._write_object(number, target, number_of)
        self._pages.extend(number for number, _ in pages)
        return [number for number, _ in pages]

    def add_blank_page(self, media_box: Sequence[float]) -> None:
        """A page with nothing on it, of the given size (the back of a document's last sheet)."""
        number = self._reserve()
        box = " ".join(f"{float(value):g}" for value in media_box)
        self._write_raw(number, f"<</Type/Page/Parent {self.PAGES} 0 R/MediaBox[{box}]/Resources<<>>>>")
        self._pages.append(number)

    def _number_for(self, target: PdfObject | None, waiting: list[tuple[int, PdfObject | None]]) -> int | None:
        """The number an object of the document being copied gets here: the
        document's page tree becomes ours, its catalog is left behind (null),
        anything else gets a new number and waits to be written."""
        kind = target.get("/Type") if isinstance(target, DictionaryObject) else None
        if kind == "/Pages":
            return self.PAGES
        if kind == "/Catalog":
            return None
        number = self._reserve()
        waiting.append((number, target))
        return number

    def finish(self, bookmarks: Sequence[tuple[str, int]], title: str) -> None:
        """The page tree, the outline (a bookmark per (title, page number)), the catalog, the info and the trailer."""
        kids = " ".join(f"{number} 0 R" for number in self._pages)
        self._write_raw(self.PAGES, f"<</Type/Pages/Count {len(self._pages)}/Kids[{kids}]>>")
        first = self._next
        self._next += len(bookmarks)
        for index, (text, page) in enumerate(bookmarks):
            links = f"/Parent {self.OUTLINES} 0 R/Dest[{page} 0 R/Fit]"
            links += f"/Prev {first + index - 1} 0 R" if index else ""
            links += f"/Next {first + index + 1} 0 R" if index + 1 < len(bookmarks) else ""
            self._write_raw(first + index, f"<</Title {_text(text)}{links}>>")
        ends = f"/First {first} 0 R/Last {self._next - 1} 0 R" if bookmarks else ""
        self._write_raw(self.OUTLINES, f"<</Type/Outlines/Count {len(bookmarks)}{ends}>>")
        mode = "/PageMode/UseOutlines" if bookmarks else ""
        self._write_raw(self.CATALOG, f"<</Type/Catalog/Pages {self.PAGES} 0 R/Outlines {self.OUTLINES} 0 R{mode}>>")
        self._write_raw(self.INFO, f"<</Title {_text(title)}/Producer {_text('pipeline')}>>")
        self._write_trailer(hashlib.md5(repr(bookmarks).encode(), usedforsecurity=False).hexdigest())

    def _reserve(self) -> int:
        self._next += 1
        return self._next - 1

    def _write_trailer(self, identifier: str) -> None:
        xref = self._stream.tell() - self._start
        lines = [f"xref\n0 {self._next}\n", "0000000000 65535 f \n"]
        for number in range(1, self._next):
            offset = self._offsets.get(number)
            lines.append(f"{offset:010} 00000 n \n" if offset is not None else "0000000000 00000 f \n")
        lines.append(f"trailer\n<</Size {self._next}/Root {self.CATALOG} 0 R/Info {self.INFO} 0 R")
        lines.append(f"/ID[<{identifier}><{identifier}>]>>\nstartxref\n{xref}\n%%EOF\n")
        self._stream.write("".join(lines).encode("latin-1"))

    def _write_raw(self, number: int, body: str) -> None:
        self._offsets[number] = self._stream.tell() - self._start
        self._stream.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))

    def _write_object(
        self,
        number: int,
        value: PdfObject | None,
        number_of: Callable[[IndirectObject], int | None],
        replaced: dict[str, str] | None = None,
    ) -> None:
        self._offsets[number] = self._stream.tell() - self._start
        self._stream.write(f"{number} 0 obj\n".encode())
        self._write_value(value, number_of, replaced or {})
        self._stream.write(b"\nendobj\n")

    def _write_value(
        self, value: PdfObject | None, number_of: Callable[[IndirectObject], int | None], replaced: dict[str, str]
    ) -> None:
        """`value` with its references renumbered; `replaced` entries of a dictionary written as given."""
        out = self._stream
        if value is None:
            out.write(b"null")
        elif isinstance(value, IndirectObject):
            number = number_of(value)
            out.write(f"{number} 0 R".encode() if number is not None else b"null")
        elif isinstance(value, DictionaryObject):
            data = value._data if isinstance(value, StreamObject) else None  # as stored: still compressed
            if data is not None:
                replaced = {**replaced, "/Length": str(len(data))}
            out.write(b"<<")
            for key, item in value.items():  # dict's own items: references not resolved
                if key not in replaced:
                    NameObject(key).write_to_stream(out)
                    out.write(b" ")
                    self._write_value(item, number_of, {})
            out.write("".join(f"{key} {text}" for key, text in replaced.items()).encode("latin-1"))
            out.write(b">>")
            if data is not None:
                out.write(b"\nstream\n" + data + b"\nendstream")
        elif isinstance(value, ArrayObject):
            out.write(b"[")
            for index, item in enumerate(value):
                out.write(b" " if index else b"")
                self._write_value(item, number_of, {})
            out.write(b"]")
        else:
            value.write_to_stream(out)


def _text(text: str) -> str:
    """A PDF text string (UTF-16 with a byte order mark when not plain ASCII), as written in a file."""
    buffer = io.BytesIO()
    create_string_object(text).write_to_stream(buffer)
    return buffer.getvalue().decode("latin-1")
