"""Several DOCX files of one template merged into one, so that LibreOffice
pays its fixed cost per document (creating a document, importing styles,
theme and settings) once for the lot (chunks.py converts the merged file and
exports each document's pages to its own PDF).

Each document becomes a section of its own: it starts on a new page, its page
numbers restart at 1 and it keeps its own header and footer; a hidden bookmark
at its first paragraph tells LibreOffice where it starts. Only files whose
shared parts (styles, numbering, settings, fonts, theme…) are byte-identical
can be merged: ``merge_key`` says which files those are; anything it cannot
merge (a damaged file, a header with its own images, a body not ending in a
paragraph, a field counting the pages of the whole file) is converted alone.
Numbered lists start again in each document (lists.py).
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.pdf.lists import ListCopies

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
CORE = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
}
DOCUMENT = "word/document.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
NUMBERING = "word/numbering.xml"
# Per document: its body, its relationships, its properties and the content types, which merge_docx rewrites.
OWN_PARTS = frozenset({DOCUMENT, DOCUMENT_RELS, "[Content_Types].xml", "docProps/core.xml", "docProps/app.xml"})
# Relationships whose target belongs to one document: copied under a name of its own.
OWN_RELATIONSHIPS = frozenset({"image", "header", "footer", "hyperlink"})
# In a sectPr, the elements that come after pgNumType (ECMA-376 CT_SectPr).
AFTER_PAGE_NUMBERS = frozenset(
    {"cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid"}
    | {"printerSettings", "sectPrChange"}
)
# Fields that would count the pages of the merged file, not of the document.
WHOLE_FILE_FIELDS = re.compile(rb"NUMPAGES|SECTIONPAGES|DOCPROPERTY|STATISTICS")
BOOKMARK = "_PipelineDocument{number}"
END_BOOKMARK = "_PipelineDocumentEnd{number}"
BOOKMARK_ID = 2_000_000_000  # far above the ids Word and docxtpl give
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


class NotMergeable(Exception):
    """Raised when a DOCX cannot go into a merged file; it is converted alone."""


@dataclass(frozen=True)
class Properties:
    """What LibreOffice copies from a DOCX's core properties into its PDF (the stamp, stamp.py)."""

    title: str = ""
    subject: str = ""
    author: str = ""
    keywords: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class MergedDocument:
    """Where one source document starts and ends in the merged file, and its properties."""

    bookmark: str
    end_bookmark: str
    properties: Properties


def merge_key(source: Path) -> str | None:
    """What files merged with `source` must share (its shared parts), or None when it cannot be merged."""
    try:
        with zipfile.ZipFile(source) as package:
            digest = hashlib.sha256()
            # The central directory's CRC-32 and size stand for a part's bytes: nothing is decompressed.
            for info in sorted(package.infolist(), key=lambda info: info.filename):
                if info.filename in OWN_PARTS or _own_part(info.filename):
                    continue
                if info.filename.startswith(("word/_rels/header", "word/_rels/footer")):
                    return None  # a header's own images would need renaming too
                digest.update(f"{info.filename}\0{info.CRC}\0{info.file_size}\0".encode())
            rels = _relationships(package.read(DOCUMENT_RELS))
            shared = sorted(
                (rel.get("Id", ""), rel.get("Type", ""), rel.get("Target", ""))
                for rel in rels
                if _kind(rel) not in OWN_RELATIONSHIPS
            )
            digest.update(repr(shared).encode())
            if WHOLE_FILE_FIELDS.search(package.read(DOCUMENT)):
                return None
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError, RuntimeError):
        return None
    return digest.hexdigest()


def merge_docx(sources: Sequence[Path], target: Path) -> list[MergedDocument]:
    """Write `sources` (of one merge_key) into `target` as one DOCX, each a
    section starting on a new page with page numbers from 1. NotMergeable when one cannot be."""
    try:
        return _merge(sources, target)
    except (OSError, KeyError, IndexError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError) as err:
        raise NotMergeable(f"{type(err).__name__}: {err}") from err


def _merge(sources: Sequence[Path], target: Path) -> list[MergedDocument]:
    packages = [zipfile.ZipFile(source) for source in sources]
    try:
        base = packages[0]
        document = _parse(base.read(DOCUMENT))
        body = _child(document, "body")
        for child in list(body):
            body.remove(child)
        rels = _parse(base.read(DOCUMENT_RELS))
        for rel in list(rels):
            if _kind(rel) in OWN_RELATIONSHIPS:
                rels.remove(rel)
        types = _parse(base.read("[Content_Types].xml"))
        lists = ListCopies(_optional_part(base, NUMBERING), _optional_part(base, "word/styles.xml"))
        parts: dict[str, bytes] = {}
        merged = []
        for number, package in enumerate(packages):
            blocks = _document_blocks(package, number, rels, types, parts)
            if number:
                lists.renumber(blocks)
            last = number == len(packages) - 1
            _append_document(body, blocks, number, last)
            bookmarks = BOOKMARK.format(number=number), END_BOOKMARK.format(number=number)
            merged.append(MergedDocument(*bookmarks, _properties(package)))
        with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as output:
            for name in base.namelist():
                if name not in OWN_PARTS and not _own_part(name) and not (name == NUMBERING and lists.changed):
                    output.writestr(name, base.read(name))
            output.writestr(DOCUMENT, etree.tostring(document, xml_declaration=True, encoding="UTF-8"))
            output.writestr(DOCUMENT_RELS, etree.tostring(rels, xml_declaration=True, encoding="UTF-8"))
            output.writestr("[Content_Types].xml", etree.tostring(types, xml_declaration=True, encoding="UTF-8"))
            for name, data in parts.items():
                output.writestr(name, data)
            if lists.numbering is not None and lists.changed:
                parts_written = etree.tostring(lists.numbering, xml_declaration=True, encoding="UTF-8")
                output.writestr(NUMBERING, parts_written)
        return merged
    finally:
        for package in packages:
            package.close()


def _document_blocks(
    package: zipfile.ZipFile, number: int, rels: etree._Element, types: etree._Element, parts: dict[str, bytes]
) -> list[etree._Element]:
    """The body of one document, its own relationships renamed `d<number>…` into `rels` and `parts`."""
    body = _child(_parse(package.read(DOCUMENT)), "body")
    renamed = {}
    for rel in _relationships(package.read(DOCUMENT_RELS)):
        kind = _kind(rel)
        if kind not in OWN_RELATIONSHIPS:
            continue
        new_id = f"d{number}{rel.get('Id')}"
        renamed[rel.get("Id")] = new_id
        copy = etree.SubElement(rels, f"{{{PACKAGE_RELS}}}Relationship", dict(rel.attrib))
        copy.set("Id", new_id)
        if rel.get("TargetMode") == "External":
            continue
        folder, _, name = str(rel.get("Target")).rpartition("/")
        new_target = f"{folder}/d{number}-{name}" if folder else f"d{number}-{name}"
        copy.set("Target", new_target)
        parts[f"word/{new_target}"] = package.read(f"word/{rel.get('Target')}")
        if kind in ("header", "footer"):
            _override(types, f"/word/{new_target}", package, f"/word/{rel.get('Target')}")
    for element in body.iter():
        for attribute, value in element.attrib.items():
            if attribute.startswith(f"{{{R}}}") and value in renamed:
                element.set(attribute, renamed[value])
    return list(body)


def _append_document(body: etree._Element, blocks: list[etree._Element], number: int, last: bool) -> None:
    """The document's blocks into the merged body: a bookmark at its first
    paragraph, and its section properties (numbering from 1) ending it."""
    if not blocks or etree.QName(blocks[-1]).localname != "sectPr":
        raise ValueError("the body does not end in section properties")
    section, content = blocks[-1], blocks[:-1]
    if not content or etree.QName(content[-1]).localname != "p":
        raise ValueError("the body does not end in a paragraph")
    _restart_page_numbers(section)
    first = next(element for block in content for element in block.iter(f"{{{W}}}p"))
    _bookmark(first, 2 * number, BOOKMARK.format(number=number), at_end=False)
    # At the end of the last paragraph: LibreOffice may add a blank page after it (a page numbered 1 must be a
    # right-hand page), which belongs to no document.
    _bookmark(content[-1], 2 * number + 1, END_BOOKMARK.format(number=number), at_end=True)
    if not last:
        properties = content[-1].find(f"{{{W}}}pPr")
        if properties is None:
            properties = etree.Element(f"{{{W}}}pPr")
            content[-1].insert(0, properties)
        properties.append(section)
        section = None
    body.extend(content)
    if section is not None:
        body.append(section)


def _restart_page_numbers(section: etree._Element) -> None:
    numbering = section.find(f"{{{W}}}pgNumType")
    if numbering is None:
        numbering = etree.Element(f"{{{W}}}pgNumType")
        after = [child for child in section if etree.QName(child).localname in AFTER_PAGE_NUMBERS]
        if after:
            after[0].addprevious(numbering)
        else:
            section.append(numbering)
    numbering.set(f"{{{W}}}start", "1")


def _bookmark(paragraph: etree._Element, serial: int, name: str, at_end: bool) -> None:
    """A bookmark at the start of `paragraph` (after its properties) or at its end."""
    identifier = str(BOOKMARK_ID + serial)
    start = etree.Element(f"{{{W}}}bookmarkStart", {f"{{{W}}}id": identifier, f"{{{W}}}name": name})
    end = etree.Element(f"{{{W}}}bookmarkEnd", {f"{{{W}}}id": identifier})
    properties = paragraph.find(f"{{{W}}}pPr")
    position = len(paragraph) if at_end else 0 if properties is None else paragraph.index(properties) + 1
    paragraph.insert(position, start)
    paragraph.insert(position + 1, end)


def _override(types: etree._Element, part: str, package: zipfile.ZipFile, original: str) -> None:
    source_types = _parse(package.read("[Content_Types].xml"))
    for override in source_types.iter(f"{{{CONTENT_TYPES}}}Override"):
        if override.get("PartName") == original:
            etree.SubElement(
                types, f"{{{CONTENT_TYPES}}}Override", {"PartName": part, "ContentType": override.get("ContentType")}
            )
            return
    raise ValueError(f"no content type for {original}")


def _properties(package: zipfile.ZipFile) -> Properties:
    try:
        core = _parse(package.read("docProps/core.xml"))
    except KeyError:
        return Properties()

    def text(name: str) -> str:
        element = core.find(name, CORE)
        return (element.text or "") if element is not None else ""

    # As LibreOffice's DOCX import splits keywords (oox's OOXMLDocPropHandler::GetKeywordsSet).
    keywords = re.split(r"[ ,;:\t]+", text("cp:keywords")) if text("cp:keywords") else []
    return Properties(text("dc:title"), text("dc:subject"), text("dc:creator"), tuple(keywords), text("dc:description"))


def _relationships(data: bytes) -> list[etree._Element]:
    return list(_parse(data).iter(f"{{{PACKAGE_RELS}}}Relationship"))


def _own_part(name: str) -> bool:
    return name.startswith(("word/media/", "word/header", "word/footer"))


def _optional_part(package: zipfile.ZipFile, name: str) -> etree._Element | None:
    return _parse(package.read(name)) if name in package.namelist() else None


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


def _kind(relationship: etree._Element) -> str:
    return str(relationship.get("Type", "")).rsplit("/", 1)[-1]


def _child(element: etree._Element, name: str) -> etree._Element:
    child = element.find(f"{{{W}}}{name}")
    if child is None:
        raise ValueError(f"no w:{name}")
    return child
