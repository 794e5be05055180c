"""Where a printed document came from, written into the file itself: the case id,
the document kind and number, the as-of date and the SHA-256 of the template.

DOCX carries it in its core properties (written while rendering: Word shows
them under File → Info); LibreOffice copies the title, subject and keywords
into the PDF's document information when it converts, so the PDF needs no
rewriting afterwards (which would also spoil a PDF/A file). LibreOffice joins
keywords with ", " where the DOCX has "; ", so both are read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any
from xml.sax.saxutils import escape


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


def stamp_from_context(context: Mapping[str, Any], template_sha: str) -> Stamp:
    """The stamp of a document rendered with `context` (context.build_context) from the template of this SHA-256."""
    document = context.get("document") or {}
    return Stamp(
        case_id=str(document.get("case_id", "")),
        kind=str(document.get("kind", context.get("kind", ""))),
        number=str(document.get("number", "")),
        as_of=str(document.get("as_of_iso", "")),
        template_sha256=template_sha,
    )


def core_properties_xml(stamp: Stamp, title: str, author: str, day: date) -> str:
    """docProps/core.xml: the stamp, the title and the shop as author, dated `day` (not the clock)."""
    moment = f"{day.isoformat()}T00:00:00Z"
    values = {
        "dc:title": title,
        "dc:subject": stamp.kind,
        "dc:creator": author,
        "cp:keywords": stamp.keywords(),
        "dc:description": stamp.comment(),
        "cp:lastModifiedBy": author,
        "cp:revision": "1",
        "dc:identifier": stamp.case_id,
    }
    elements = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in values.items())
    dates = "".join(
        f'<dcterms:{name} xsi:type="dcterms:W3CDTF">{moment}</dcterms:{name}>' for name in ("created", "modified")
    )
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"{elements}{dates}<cp:lastPrinted>{moment}</cp:lastPrinted></cp:coreProperties>"
    )


def parse_keywords(text: str) -> Stamp | None:
    """The stamp written by Stamp.keywords (or as LibreOffice copies it), or None when `text` is not one."""
    values = dict(part.partition("=")[::2] for part in re.split(r"[;,] ", text or "") if "=" in part)
    names = [item.name for item in fields(Stamp)]
    if not all(name in values for name in names):
        return None
    return Stamp(**{name: values[name] for name in names})
