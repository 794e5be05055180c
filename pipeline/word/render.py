"""Render a Word template with a document's context into a DOCX file: Jinja in a
sandbox, strict about unknown variables, byte-identical for the same input,
stamped with its case and template (stamp.py), written atomically.

Each template is read, patched and compiled once per run (TemplateCache);
rendering a document is then only the Jinja render of its text parts and
writing the archive. docxtpl would re-read the whole package with python-docx,
re-patch and re-compile the XML and re-compress every part for each document —
six times the work. The tags are read exactly as docxtpl reads them (its
`patch_xml`, via tags.PatchedTemplate), and its post-processing of rendered XML
is applied the same way, so a template behaves as docxtpl documents it. What
differs: the rendered XML must be well-formed (docxtpl silently "recovers"
broken XML; here it is a template error), and column widths are not
re-balanced after a `{%tc %}` column loop (docxtpl's fix_tables).

A template is code from outside: it renders in a sandbox with limits
(sandbox.py, limits.py) — time, repetitions, text made, the size a template
unpacks to — and whatever goes wrong is one TemplateError line (render_errors.py).
"""

from __future__ import annotations

import contextvars
import hashlib
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from lxml import etree
from markupsafe import Markup

from pipeline.errors import TemplateError
from pipeline.store.outputs import write_atomic
from pipeline.word.docx_zip import ZipEntry, compress, write_zip
from pipeline.word.limits import (
    DEFAULT_LIMITS,
    Limits,
    charge_printed,
    check_file_size,
    check_package,
    check_tags,
    document_budget,
)
from pipeline.word.parts import TEXT_PARTS
from pipeline.word.render_errors import compile_problem, render_problem, too_complex
from pipeline.word.sandbox import LimitedSandbox
from pipeline.word.stamp import core_properties_xml, stamp_from_context
from pipeline.word.tags import PatchedTemplate
from pipeline.wording.context import QrCode
from pipeline.wording.qr import payment_qr_png

# Used for the zip entries and core properties when a context carries no date.
FALLBACK_DATE = date(2026, 1, 1)
XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
DOCUMENT_PART = "word/document.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
CONTENT_TYPES = "[Content_Types].xml"
CORE_PROPERTIES = "docProps/core.xml"
_IMAGE_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_EMU_PER_MM = 36000


@dataclass(frozen=True)
class _TextPart:
    name: str
    template: jinja2.Template
    source: str  # the patched XML the template was compiled from, for error messages


@dataclass(frozen=True)
class CompiledTemplate:
    """A template read once: its text parts compiled, every other part compressed."""

    name: str
    sha256: str
    order: tuple[str, ...]  # the parts in the template's own order
    text_parts: tuple[_TextPart, ...]
    static: dict[str, ZipEntry]
    document_rels: str


class _Sandbox(LimitedSandbox):
    """The sandbox every template renders in: autoescaped XML, unknown names an
    error, and a QrCode printed as the picture of the code."""

    def __init__(self) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=True, finalize=_finalize)


class TemplateCache:
    """Reads and compiles each template once per run; a file changed on disk is read again."""

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self.environment = _Sandbox()
        self.limits = limits
        self._compiled: dict[tuple[Path, int, int], CompiledTemplate] = {}

    def load(self, template_path: Path) -> CompiledTemplate:
        """The compiled template; TemplateError when it is missing, not a DOCX or not valid Jinja."""
        path = Path(template_path).resolve()
        try:
            stat = path.stat()
        except OSError as err:
            raise TemplateError(f"{path.name}: шаблон не найден: {path}") from err
        key = (path, stat.st_mtime_ns, stat.st_size)
        compiled = self._compiled.get(key)
        if compiled is None:
            check_file_size(path.name, stat.st_size, self.limits)
            compiled = self._compile(path.name, path.read_bytes())
            self._compiled[key] = compiled
        return compiled

    def _compile(self, template_name: str, source: bytes) -> CompiledTemplate:
        try:
            with zipfile.ZipFile(io.BytesIO(source)) as archive:
                check_package(template_name, archive, self.limits)  # before anything is unpacked
                names = tuple(archive.namelist())
                parts = {name: archive.read(name) for name in names}
        except (zipfile.BadZipFile, OSError, ValueError) as err:
            raise TemplateError(f"{template_name}: файл не является документом Word: {err}") from err
        if DOCUMENT_PART not in parts:
            raise TemplateError(f"{template_name}: файл не является документом Word: нет {DOCUMENT_PART}")
        patcher = PatchedTemplate(io.BytesIO(source))
        text_parts = []
        for name in names:
            if TEXT_PARTS.match(name):
                text_parts.append(self._compile_part(template_name, name, parts[name], patcher))
        dynamic = {part.name for part in text_parts} | {DOCUMENT_RELS, CORE_PROPERTIES, CONTENT_TYPES}
        static = {name: compress(name, data) for name, data in parts.items() if name not in dynamic}
        static[CONTENT_TYPES] = compress(CONTENT_TYPES, _with_png_type(parts.get(CONTENT_TYPES, b"")))
        return CompiledTemplate(
            name=template_name,
            sha256=hashlib.sha256(source).hexdigest(),
            # A package without core properties has no content type or relationship for
            # them either; adding the part would make Word call the file damaged.
            order=names,
            text_parts=tuple(text_parts),
            static=static,
            document_rels=parts.get(DOCUMENT_RELS, b"").decode("utf-8"),
        )

    def _compile_part(self, template_name: str, name: str, data: bytes, patcher: PatchedTemplate) -> _TextPart:
        try:
            root = etree.fromstring(data, _XML_PARSER)
        except etree.XMLSyntaxError as err:
            raise TemplateError(f"{template_name}: повреждён {name}: {err}") from err
        xml = patcher.patch_xml(etree.tostring(root, encoding="unicode"))
        # docxtpl's line breaks before paragraphs, so that error line numbers point near the tag.
        xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)
        check_tags(template_name, name, xml, self.limits)
        try:
            template = self.environment.from_string(xml)
        except jinja2.TemplateError as err:
            raise compile_problem(template_name, err, xml) from err
        except (RecursionError, MemoryError, SyntaxError, ValueError, OverflowError) as err:
            raise too_complex(template_name, err) from err
        return _TextPart(name, template, xml)


# Entities are not expanded: a "billion laughs" part would otherwise grow beyond any limit while parsed.
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _with_png_type(content_types: bytes) -> bytes:
    """The content types, declaring PNG for the payment QR code if the template has no picture yet."""
    text = content_types.decode("utf-8")
    if 'Extension="png"' in text:
        return content_types
    return text.replace("<Default ", '<Default Extension="png" ContentType="image/png"/><Default ', 1).encode("utf-8")


# The pictures the part being rendered asks for; None outside the body.
_pictures: contextvars.ContextVar[list[bytes] | None] = contextvars.ContextVar("pictures", default=None)


def _finalize(value: object) -> object:
    """What `{{ value }}` prints: a QrCode becomes an inline picture, anything else itself."""
    charge_printed(value)
    if not isinstance(value, QrCode):
        return value
    pictures = _pictures.get()
    if pictures is None:
        raise TemplateError("QR-код можно поставить только в основной текст документа, не в колонтитул")
    pictures.append(payment_qr_png(value.payload))
    return Markup(_inline_picture(len(pictures), value.width_mm * _EMU_PER_MM))


def _inline_picture(number: int, size_emu: int) -> str:
    # The run docxtpl's InlineImage closes and reopens around a <w:drawing>.
    a = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    pic = 'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
    extent = f'cx="{size_emu}" cy="{size_emu}"'
    return (
        '</w:t></w:r><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent {extent}/><wp:docPr id="{number}" name="QR {number}"/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks {a} noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic {a}><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic {pic}><pic:nvPicPr><pic:cNvPr id="0" name="qr{number}.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{_picture_id(number)}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext {extent}/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        '</wp:inline></w:drawing></w:r><w:r><w:t xml:space="preserve">'
    )


def _picture_id(number: int) -> str:
    return f"rIdQrCode{number}"


def _render_part(template: CompiledTemplate, part: _TextPart, context: Mapping[str, Any]) -> str:
    """The part's rendered XML, post-processed as docxtpl does and checked to be well-formed."""
    try:
        xml = part.template.render(context)
    except Exception as err:  # noqa: BLE001 — whatever a template's code raises is the template's problem
        raise render_problem(template.name, err, part.source) from err
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if any(char in xml for char in "\t\a\n\f"):  # tabs, line and page breaks in values, as docxtpl makes them
        xml = DocxTemplate.resolve_listing(None, xml)
    xml = single_period_after_abbreviation(xml)
    try:
        etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError as err:
        raise TemplateError(
            f"{template.name}: после подстановки {part.name} не является правильным XML ({err}); "
            "проверьте, что теги {%p %} и {%tr %} стоят в своих абзацах и строках таблицы"
        ) from err
    return xml


def _renumber_pictures(xml: str) -> str:
    # Every picture needs its own docPr id; a loop may repeat one (as docxtpl does, from 1001).
    counter = iter(range(1001, 1_000_000))
    return re.sub(r'<wp:docPr id="\d+"', lambda _: f'<wp:docPr id="{next(counter)}"', xml)


def _document_rels(template: CompiledTemplate, pictures: list[bytes]) -> str:
    rels = template.document_rels or (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
    )
    added = "".join(
        f'<Relationship Id="{_picture_id(number)}" Type="{_IMAGE_RELATIONSHIP}" Target="media/qr{number}.png"/>'
        for number in range(1, len(pictures) + 1)
    )
    return rels.replace("</Relationships>", added + "</Relationships>") if added else rels


def _document_day(context: Mapping[str, Any]) -> date:
    iso = (context.get("document") or {}).get("date_iso")
    return date.fromisoformat(iso) if iso else FALLBACK_DATE


def _core_properties(template: CompiledTemplate, context: Mapping[str, Any], day: date) -> str:
    # Word would stamp "now" and the template's author; both would differ between
    # runs and leak who made the template.
    document = context.get("document") or {}
    shop = context.get("shop") or {}
    title = " ".join(filter(None, (document.get("title"), document.get("number") and f"№ {document['number']}")))
    return core_properties_xml(stamp_from_context(context, template.sha256), title, shop.get("short_name", ""), day)


_default_cache = TemplateCache()

# Russian typography does not double a sentence's full stop after an abbreviation:
# a template's "до {{ date }}." with the date "«8» сентября 2026 г." must print "г." once.
_DOUBLED_PERIOD = re.compile(r"([\s\u00a0](?:руб|коп|г))\.\.(?!\.)")


def single_period_after_abbreviation(xml: str) -> str:
    """ "8 840,00 руб.." → "8 840,00 руб."; an ellipsis "..." is left alone."""
    return _DOUBLED_PERIOD.sub(r"\1.", xml)


def render_docx_bytes(template_path: Path, context: Mapping[str, Any], cache: TemplateCache | None = None) -> bytes:
    """The rendered document as DOCX bytes (see render_docx)."""
    cache = cache or _default_cache
    template = cache.load(template_path)
    rendered: dict[str, bytes] = {}
    pictures: list[bytes] = []
    with document_budget(cache.limits):
        for part in template.text_parts:
            token = _pictures.set(pictures if part.name == DOCUMENT_PART else None)
            try:
                xml = _render_part(template, part, context)
            finally:
                _pictures.reset(token)
            if part.name == DOCUMENT_PART:
                xml = _renumber_pictures(xml)
            rendered[part.name] = (XML_DECLARATION + xml).encode("utf-8")
    day = _document_day(context)
    if CORE_PROPERTIES in template.order:
        rendered[CORE_PROPERTIES] = _core_properties(template, context, day).encode("utf-8")
    order = template.order
    if template.document_rels or pictures:
        rendered[DOCUMENT_RELS] = (
            XML_DECLARATION * (not template.document_rels) + _document_rels(template, pictures)
        ).encode()
        order = order if DOCUMENT_RELS in order else (*order, DOCUMENT_RELS)
    entries = [template.static[name] if name in template.static else compress(name, rendered[name]) for name in order]
    entries += [compress(f"word/media/qr{number}.png", png, 1) for number, png in enumerate(pictures, 1)]
    return write_zip(entries)


def render_docx(
    template_path: Path,
    context: Mapping[str, Any],
    target_path: Path,
    cache: TemplateCache | None = None,
    durable: bool = True,
) -> Path:
    """Render `template_path` with `context` into `target_path` and return it.

    Raises TemplateError naming the template and the variable for an unknown
    variable, bad syntax or an attribute the sandbox forbids. The same template
    and context give the same bytes: dates inside the file come from
    context["document"]["date_iso"]. `durable`: see outputs.write_atomic.
    """
    data = render_docx_bytes(template_path, context, cache)
    write_atomic(Path(target_path), data, durable)
    return Path(target_path)
