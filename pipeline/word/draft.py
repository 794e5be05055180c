"""The mark of a draft (`build --draft`): a red bold first paragraph «ПРОЕКТ — не подписывать
и не отправлять» put into a rendered DOCX, so that a preview of a numbered letter cannot pass
for the letter itself, and the lawyer's templates need no change for it.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from pipeline.store.outputs import write_atomic
from pipeline.word.docx_zip import compress, write_zip

DRAFT_MARK = "ПРОЕКТ — не подписывать и не отправлять"
DRAFT_NUMBER = "ПРОЕКТ"  # what stands where an issued letter has its number
DOCUMENT_PART = "word/document.xml"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def mark_draft(docx: Path) -> None:
    """Rewrite `docx` (atomically) with the draft's mark as its first paragraph."""
    write_atomic(docx, marked_draft(docx.read_bytes()), durable=False)


def marked_draft(data: bytes) -> bytes:
    """The DOCX `data` with the mark first in its body; every other part as it was."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [(name, archive.read(name)) for name in archive.namelist()]
    return write_zip([compress(name, _with_mark(part) if name == DOCUMENT_PART else part) for name, part in parts])


def _with_mark(document_xml: bytes) -> bytes:
    root = etree.fromstring(document_xml)
    body = root.find(f"{{{_W}}}body")
    if body is None:  # not a Word body: nothing this module could mark (rendering would have failed first)
        return document_xml
    body.insert(0, _mark_paragraph())
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _mark_paragraph() -> etree._Element:
    paragraph = etree.Element(f"{{{_W}}}p")
    properties = etree.SubElement(paragraph, f"{{{_W}}}pPr")
    etree.SubElement(properties, f"{{{_W}}}jc", {f"{{{_W}}}val": "center"})
    run = etree.SubElement(paragraph, f"{{{_W}}}r")
    looks = etree.SubElement(run, f"{{{_W}}}rPr")
    etree.SubElement(looks, f"{{{_W}}}b")
    etree.SubElement(looks, f"{{{_W}}}color", {f"{{{_W}}}val": "C00000"})
    etree.SubElement(looks, f"{{{_W}}}sz", {f"{{{_W}}}val": "28"})
    text = etree.SubElement(run, f"{{{_W}}}t")
    text.text = DRAFT_MARK
    return paragraph
