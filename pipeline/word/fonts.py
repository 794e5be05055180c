"""Which fonts a Word template really uses, and which of them this machine lacks:
LibreOffice silently puts another font in place of a missing one, and the PDF
then breaks lines and pages differently from what the lawyer designed. Reading
the template is pure; only installed_families() asks the system (fontconfig).
"""

from __future__ import annotations

import functools
import io
import re
import subprocess
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.word.parts import TEXT_PARTS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
STYLES_PART = "word/styles.xml"
THEME_PART = "word/theme/theme1.xml"
# Each w:rFonts slot and the attribute that names a theme font for it instead.
SLOTS = {"ascii": "asciiTheme", "hAnsi": "hAnsiTheme", "cs": "cstheme", "eastAsia": "eastAsiaTheme"}
# "minorHAnsi" and the like: the suffix says which of the theme's fonts (a:latin, a:ea, a:cs) is meant.
THEME_SCRIPTS = {"Ascii": "latin", "HAnsi": "latin", "EastAsia": "ea", "Bidi": "cs"}
# The metric-compatible fonts LibreOffice uses in their place by itself: same widths, same line breaks.
METRIC_TWINS = {
    "times new roman": "liberation serif",
    "arial": "liberation sans",
    "arial narrow": "liberation sans narrow",
    "courier new": "liberation mono",
    "calibri": "carlito",
    "cambria": "caladea",
}
FONTS_UNCHECKED = (
    "шрифты шаблонов не проверены: не удалось запустить fc-list (пакет fontconfig) — если шрифта из шаблона "
    "нет, LibreOffice молча подставит другой, и вёрстка PDF может съехать (установите fontconfig)"
)


@dataclass(frozen=True)
class _Styles:
    """What styles.xml says about fonts: each style's w:rFonts, its base, the default styles."""

    fonts: dict[str, etree._Element]  # style id → its w:rFonts; styles without one are absent
    based_on: dict[str, str]
    default_ids: dict[str, str]  # style type ("paragraph", "table") → the default style's id
    document_defaults: etree._Element | None  # w:docDefaults' w:rFonts

    def chain(self, style_id: str | None) -> list[etree._Element]:
        """The w:rFonts of the style and then of its bases, most specific first."""
        found: list[etree._Element] = []
        seen: set[str] = set()
        while style_id and style_id not in seen:  # a basedOn loop in a broken file must not hang
            seen.add(style_id)
            if style_id in self.fonts:
                found.append(self.fonts[style_id])
            style_id = self.based_on.get(style_id)
        return found


def _value(element: etree._Element | None, path: str) -> str | None:
    found = element.find(path) if element is not None else None
    return found.get(f"{W}val") if found is not None else None


def _read_styles(xml: bytes | None) -> _Styles:
    if xml is None:
        return _Styles({}, {}, {}, None)
    root = etree.fromstring(xml)
    fonts: dict[str, etree._Element] = {}
    based_on: dict[str, str] = {}
    default_ids: dict[str, str] = {}
    for style in root.iter(f"{W}style"):
        style_id = style.get(f"{W}styleId", "")
        rfonts = style.find(f"{W}rPr/{W}rFonts")
        if rfonts is not None:
            fonts[style_id] = rfonts
        base = _value(style, f"{W}basedOn")
        if base:
            based_on[style_id] = base
        if style.get(f"{W}default") in ("1", "true", "on"):
            default_ids.setdefault(style.get(f"{W}type", ""), style_id)
    defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    return _Styles(fonts, based_on, default_ids, defaults)


def _read_theme(xml: bytes | None) -> dict[str, str]:
    """ "minorHAnsi" → the theme's minor latin font, and so on ("" for none: the script's default)."""
    if xml is None:
        return {}
    root = etree.fromstring(xml)
    names = {}
    for size in ("major", "minor"):
        collection = root.find(f".//{A}{size}Font")
        for suffix, script in THEME_SCRIPTS.items():
            typeface = collection.find(f"{A}{script}") if collection is not None else None
            names[size + suffix] = typeface.get("typeface", "") if typeface is not None else ""
    return names


def _paragraph_levels(paragraph: etree._Element | None, styles: _Styles) -> list[etree._Element | None]:
    """Where a paragraph's text takes its fonts from when the run says nothing, most specific first."""
    paragraph_style = _value(paragraph, f"{W}pPr/{W}pStyle") or styles.default_ids.get("paragraph")
    table = next(paragraph.iterancestors(f"{W}tbl"), None) if paragraph is not None else None
    table_style = None
    if table is not None:
        table_style = _value(table, f"{W}tblPr/{W}tblStyle") or styles.default_ids.get("table")
    return [*styles.chain(paragraph_style), *styles.chain(table_style), styles.document_defaults]


def _effective_fonts(levels: Sequence[etree._Element | None], theme: dict[str, str]) -> set[str]:
    """The font of each slot: the most specific w:rFonts that sets the slot wins, and there a
    theme reference beats a plain name (ECMA-376 §17.3.2.26; LibreOffice writes both)."""
    fonts = set()
    for slot, theme_attribute in SLOTS.items():
        for rfonts in levels:
            if rfonts is None:
                continue
            reference, name = rfonts.get(f"{W}{theme_attribute}"), rfonts.get(f"{W}{slot}")
            if reference or name:
                fonts.add(theme.get(reference, "") if reference else name)
                break
    return fonts - {""}


def template_fonts(template_bytes: bytes) -> set[str]:
    """The font families the text of a DOCX (body, headers, footers, notes) is set in.

    Each run's font is resolved as Word does — direct formatting, character style, paragraph style,
    table style, document defaults, each with its w:basedOn chain — rather than collecting every
    w:rFonts: python-docx's default styles.xml (the shipped templates' origin) names Cambria, Calibri,
    Courier and MS Mincho in styles and defaults no paragraph uses, and a template saved by
    LibreOffice repeats them in the defaults. Theme references (w:asciiTheme…) resolve through
    word/theme/theme1.xml, since a template started in Word sets its body text that way.
    """
    with zipfile.ZipFile(io.BytesIO(template_bytes)) as archive:
        names = set(archive.namelist())
        styles = _read_styles(archive.read(STYLES_PART) if STYLES_PART in names else None)
        theme = _read_theme(archive.read(THEME_PART) if THEME_PART in names else None)
        parts = [etree.fromstring(archive.read(name)) for name in sorted(names) if TEXT_PARTS.match(name)]
    fonts: set[str] = set()
    for root in parts:
        for paragraph in root.iter(f"{W}p"):  # the paragraph mark sets the height of an empty paragraph
            mark = paragraph.find(f"{W}pPr/{W}rPr/{W}rFonts")
            fonts |= _effective_fonts([mark, *_paragraph_levels(paragraph, styles)], theme)
        for run in root.iter(f"{W}r"):
            own = [run.find(f"{W}rPr/{W}rFonts"), *styles.chain(_value(run, f"{W}rPr/{W}rStyle"))]
            paragraph = next(run.iterancestors(f"{W}p"), None)
            fonts |= _effective_fonts([*own, *_paragraph_levels(paragraph, styles)], theme)
    return fonts


def parse_fc_list(output: str) -> frozenset[str]:
    """The family names in the output of `fc-list : family`: one font a line, its names separated by
    commas; fontconfig escapes a comma or hyphen inside a name with a backslash."""
    names = (
        re.sub(r"\\(.)", r"\1", name).strip() for line in output.splitlines() for name in re.split(r"(?<!\\),", line)
    )
    return frozenset(name for name in names if name)


@functools.cache
def installed_families() -> frozenset[str]:
    """The font families fontconfig knows (LibreOffice finds fonts through it); empty when fc-list
    cannot be run, which the warnings report as "not checked" rather than as every font missing."""
    try:
        result = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=60, check=True)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return parse_fc_list(result.stdout)


def is_available(family: str, installed: Iterable[str]) -> bool:
    """Whether the family or the metric twin LibreOffice would use for it is installed."""
    known = {name.casefold() for name in installed}
    return family.casefold() in known or METRIC_TWINS.get(family.casefold()) in known


def missing_families(fonts: Iterable[str], installed: Iterable[str]) -> list[str]:
    installed = frozenset(installed)
    return sorted(family for family in set(fonts) if not is_available(family, installed))


def missing_fonts(template_path: Path, installed: Iterable[str] | None = None) -> list[str]:
    """The template's fonts that are not installed (nor their twins); [] for a file that is no
    readable DOCX — the template check and the rendering report that themselves."""
    try:
        fonts = template_fonts(Path(template_path).read_bytes())
    except (OSError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return []
    return missing_families(fonts, installed_families() if installed is None else installed)


def font_warning(template: str, missing: Sequence[str]) -> str:
    """One template's warning, naming it and every missing font."""
    names = ", ".join(f"«{name}»" for name in missing)
    if len(missing) == 1:
        return (
            f"{template}: шрифт {names} не установлен — LibreOffice подставит другой, и в PDF могут съехать "
            "переносы строк и страницы (установите шрифт или выберите в шаблоне Times New Roman)"
        )
    return (
        f"{template}: шрифты {names} не установлены — LibreOffice подставит другие, и в PDF могут съехать "
        "переносы строк и страницы (установите эти шрифты или выберите в шаблоне Times New Roman)"
    )


def font_warnings(template_paths: Sequence[Path], installed: Iterable[str] | None = None) -> list[str]:
    """A warning for each template with a font LibreOffice would replace, each path shown as given;
    a single "not checked" line when the installed fonts cannot be listed."""
    if not template_paths:
        return []
    installed = installed_families() if installed is None else frozenset(installed)
    if not installed:
        return [FONTS_UNCHECKED]
    return [font_warning(str(path), missing) for path in template_paths if (missing := missing_fonts(path, installed))]
