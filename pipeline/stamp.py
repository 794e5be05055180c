"""Where a printed document came from, written into the file itself: the case id,
the document kind and number, the as-of date and the SHA-256 of the template.
DOCX carries it in its core properties (set while rendering), PDF in its
document information (copied from the DOCX right after conversion).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, fields
from pathlib import Path

from docx import Document
from pypdf import PdfReader, PdfWriter

from .outputs import write_atomic

# The PDF keys, in the order of the Stamp's fields.
PDF_KEYS = {
    "case_id": "/CaseId",
    "kind": "/DocumentKind",
    "number": "/DocumentNumber",
    "as_of": "/AsOf",
    "template_sha256": "/TemplateSha256",
}


@dataclass(frozen=True)
class Stamp:
    """The trace of one document back to its case and template."""

    case_id: str
    kind: str
    number: str
    as_of: str  # YYYY-MM-DD: the date every figure was computed at
    template_sha256: str

    def keywords(self) -> str:
        """`case_id=ZN-2026-0147; kind=pretension; …`: machine-readable, one line."""
        return "; ".join(f"{item.name}={getattr(self, item.name)}" for item in fields(self))

    def comment(self) -> str:
        return (
            f"Дело {self.case_id}, документ {self.kind} № {self.number}, расчёт на {self.as_of}, "
            f"шаблон SHA-256 {self.template_sha256}"
        )


def template_sha256(template_bytes: bytes) -> str:
    return hashlib.sha256(template_bytes).hexdigest()


def stamp_from_context(context: dict, template_bytes: bytes) -> Stamp:
    """The stamp of a document rendered from `template_bytes` with `context` (context.build_context)."""
    document = context.get("document") or {}
    return Stamp(
        case_id=str(document.get("case_id", "")),
        kind=str(document.get("kind", context.get("kind", ""))),
        number=str(document.get("number", "")),
        as_of=str(document.get("as_of_iso", "")),
        template_sha256=template_sha256(template_bytes),
    )


def apply_to_core_properties(properties, stamp: Stamp) -> None:
    """Write the stamp into a python-docx CoreProperties (Word shows them under File → Info)."""
    properties.identifier = stamp.case_id
    properties.subject = stamp.kind
    properties.keywords = stamp.keywords()
    properties.comments = stamp.comment()


def parse_keywords(text: str) -> Stamp | None:
    """The stamp written by Stamp.keywords, or None when `text` is not one."""
    values = dict(part.partition("=")[::2] for part in (text or "").split("; ") if "=" in part)
    names = [item.name for item in fields(Stamp)]
    if not all(name in values for name in names):
        return None
    return Stamp(**{name: values[name] for name in names})


def read_docx_stamp(docx: Path | bytes) -> Stamp | None:
    source = io.BytesIO(docx) if isinstance(docx, bytes) else str(docx)
    return parse_keywords(Document(source).core_properties.keywords)


def read_pdf_stamp(pdf: Path) -> Stamp | None:
    metadata = PdfReader(str(pdf)).metadata or {}
    values = {name: metadata.get(key) for name, key in PDF_KEYS.items()}
    if any(value is None for value in values.values()):
        return None
    return Stamp(**{name: str(value) for name, value in values.items()})


def stamp_pdf(pdf_path: Path, stamp: Stamp, title: str = "") -> None:
    """Add the stamp to the PDF's document information, keeping what LibreOffice wrote; atomic."""
    writer = PdfWriter(clone_from=PdfReader(str(pdf_path)))
    metadata = {key: getattr(stamp, name) for name, key in PDF_KEYS.items()}
    metadata.update({"/Subject": stamp.kind, "/Keywords": stamp.keywords()})
    if title:
        metadata["/Title"] = title
    writer.add_metadata(metadata)
    buffer = io.BytesIO()
    writer.write(buffer)
    write_atomic(Path(pdf_path), buffer.getvalue())


def stamp_pdf_from_docx(docx_path: Path, pdf_path: Path) -> bool:
    """Copy the DOCX's stamp (and title) into the PDF made from it; False when the DOCX has none."""
    properties = Document(str(docx_path)).core_properties
    stamp = parse_keywords(properties.keywords)
    if stamp is None:
        return False
    stamp_pdf(pdf_path, stamp, properties.title or "")
    return True
