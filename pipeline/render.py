"""Render a Word template with a document's context into a DOCX file: docxtpl in a
Jinja sandbox, strict about unknown variables, byte-identical for the same input,
stamped with its case and template (stamp.py), written atomically.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2.sandbox import SandboxedEnvironment

from .context import QrCode
from .errors import TemplateError
from .outputs import write_atomic
from .qr import payment_qr_png
from .stamp import apply_to_core_properties, stamp_from_context
from .tags import PatchedTemplate

# Used for the zip entries and core properties when a context carries no date.
FALLBACK_DATE = date(2026, 1, 1)


class _CompilingSandbox(SandboxedEnvironment):
    """The sandbox, remembering each compiled XML part: docxtpl compiles the
    body, headers and footers afresh on every render, and a batch renders each
    template many times."""

    def __init__(self) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=True)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            template = super().from_string(source)
            self._compiled[source] = template
        return template


def _template_problem(template_name: str, error: Exception) -> TemplateError:
    message = getattr(error, "message", None) or str(error)
    nearby = " ".join(line.strip() for line in getattr(error, "docx_context", ()) if line.strip())
    where = f" (рядом с текстом: «{nearby[:120]}»)" if nearby else ""
    return TemplateError(f"{template_name}: ошибка шаблона: {message}{where}")


class TemplateCache:
    """Reads and compiles each template once per run; a file changed on disk is read again."""

    def __init__(self) -> None:
        self.environment = _CompilingSandbox()
        self._sources: dict[tuple[Path, int, int], bytes] = {}

    def load(self, template_path: Path) -> bytes:
        """The template's bytes, checked for Jinja syntax on first load."""
        path = Path(template_path).resolve()
        try:
            stat = path.stat()
        except OSError as err:
            raise TemplateError(f"{path.name}: шаблон не найден: {path}") from err
        key = (path, stat.st_mtime_ns, stat.st_size)
        source = self._sources.get(key)
        if source is None:
            source = path.read_bytes()
            self._check_syntax(path.name, source)
            self._sources[key] = source
        return source

    def _check_syntax(self, template_name: str, source: bytes) -> None:
        try:
            template = PatchedTemplate(io.BytesIO(source))
            template.init_docx()
            # The same text docxtpl compiles when it renders the body, so this
            # fills the cache too.
            body = re.sub(r"<w:p([ >])", r"\n<w:p\1", template.patch_xml(template.get_xml()))
            self.environment.from_string(body)
        except jinja2.TemplateError as err:
            raise _template_problem(template_name, err) from err
        except (zipfile.BadZipFile, KeyError, ValueError) as err:
            raise TemplateError(f"{template_name}: файл не является документом Word: {err}") from err


_default_cache = TemplateCache()


def load_template(template_path: Path, cache: TemplateCache | None = None) -> bytes:
    """The template's bytes from the (default) cache: read and checked once."""
    return (cache or _default_cache).load(template_path)


def _with_images(value: Any, template: DocxTemplate) -> Any:
    """A copy of the context with each QrCode marker made into an InlineImage."""
    if isinstance(value, QrCode):
        png = payment_qr_png(value.payload)
        return InlineImage(template, io.BytesIO(png), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {key: _with_images(item, template) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_with_images(item, template) for item in value]
    return value


def _document_moment(context: dict) -> datetime:
    iso = (context.get("document") or {}).get("date_iso")
    day = date.fromisoformat(iso) if iso else FALLBACK_DATE
    return datetime(day.year, day.month, day.day)


def _set_core_properties(template: DocxTemplate, context: dict, moment: datetime, source: bytes) -> None:
    # Word stamps "now" and the author of the template; both would differ between
    # runs and leak who made the template.
    properties = template.docx.core_properties
    apply_to_core_properties(properties, stamp_from_context(context, source))
    document = context.get("document") or {}
    shop = context.get("shop") or {}
    properties.created = moment
    properties.modified = moment
    properties.last_printed = moment
    properties.revision = 1
    properties.author = shop.get("short_name", "")
    properties.last_modified_by = shop.get("short_name", "")
    properties.title = " ".join(
        filter(None, (document.get("title"), document.get("number") and f"№ {document['number']}"))
    )


# Russian typography does not double a sentence's full stop after an abbreviation:
# a template's "до {{ date }}." with the date "«8» сентября 2026 г." must print "г." once.
_DOUBLED_PERIOD = re.compile(r"([\s\u00a0](?:руб|коп|г))\.\.(?!\.)")
_TEXT_PARTS = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")


def single_period_after_abbreviation(xml: str) -> str:
    """ "8 840,00 руб.." → "8 840,00 руб."; an ellipsis "..." is left alone."""
    return _DOUBLED_PERIOD.sub(r"\1.", xml)


def _normalize_zip(data: bytes, moment: datetime) -> bytes:
    """The same archive with fixed entry dates (python-docx stamps the current time
    on each entry) and the text parts' doubled periods removed."""
    stamp = (moment.year, moment.month, moment.day, 0, 0, 0)
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w") as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if _TEXT_PARTS.match(entry.filename):
                content = single_period_after_abbreviation(content.decode("utf-8")).encode("utf-8")
            fixed = zipfile.ZipInfo(entry.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, content)
    return output.getvalue()


def render_docx_bytes(template_path: Path, context: dict, cache: TemplateCache | None = None) -> bytes:
    """The rendered document as DOCX bytes (see render_docx)."""
    cache = cache or _default_cache
    template_name = Path(template_path).name
    source = cache.load(template_path)
    template = PatchedTemplate(io.BytesIO(source))
    try:
        template.render(_with_images(context, template), jinja_env=cache.environment, autoescape=True)
    except (jinja2.TemplateError, TypeError, ValueError) as err:
        raise _template_problem(template_name, err) from err
    moment = _document_moment(context)
    _set_core_properties(template, context, moment, source)
    buffer = io.BytesIO()
    template.save(buffer)
    return _normalize_zip(buffer.getvalue(), moment)


def render_docx(template_path: Path, context: dict, target_path: Path, cache: TemplateCache | None = None) -> Path:
    """Render `template_path` with `context` into `target_path` and return it.

    Raises TemplateError naming the template and the variable for an unknown
    variable, bad syntax or an attribute the sandbox forbids. The same template
    and context give the same bytes: dates inside the file come from
    context["document"]["date_iso"].
    """
    data = render_docx_bytes(template_path, context, cache)
    write_atomic(Path(target_path), data)
    return Path(target_path)
