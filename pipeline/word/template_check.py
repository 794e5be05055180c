"""The static checks of one Word template, before anything is rendered: its size,
tags split or left open across paragraphs, AutoCorrect's curly quotes inside
tags (a warning: the renderer reads them as straight quotes), tags formatted differently
in their pieces (a warning), misplaced
{%p %}/{%tr %}/{%tc %} tags, Jinja syntax, and every variable and filter
against wording/variables.py. Each finding is a Problem at its paragraph.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2
from lxml import etree

from pipeline.errors import TemplateError
from pipeline.models import Problem
from pipeline.word.limits import check_template_file
from pipeline.word.optional_uses import check_optional_uses
from pipeline.word.parts import TEXT_PARTS
from pipeline.word.tags import (
    TAG,
    PatchedTemplate,
    curly_quotes_in,
    formatting_differs,
    split_tags,
    straighten_quotes,
)
from pipeline.word.template_variables import check_names
from pipeline.wording.presence import always_filled

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BODY_PART = "word/document.xml"  # its paragraphs are numbered in messages; a header's are only quoted
QUOTE_LENGTH = 90
OPENERS = frozenset({"if", "for", "macro", "call", "filter", "with", "block", "raw", "autoescape"})
MIDDLES = frozenset({"else", "elif"})
# The docxtpl tag prefixes and the Word element each one replaces whole.
PREFIX_ELEMENTS = {"p": "p", "tr": "tr", "tc": "tc", "r": "r"}
PREFIX_PLACES = {"tr": "в строке таблицы", "tc": "в ячейке таблицы"}


def template_problem(template: str, message: str, paragraph: str = "", number: int | None = None) -> Problem:
    """A problem of one template, at the paragraph it is in (its text, and its number in the body) when known."""
    return Problem(template, None, None, "", message, paragraph=paragraph, paragraph_number=number)


@dataclass(frozen=True)
class _Paragraph:
    index: int
    text: str  # the tags' text as Word shows it, whatever runs it is split into
    element: etree._Element
    number: int | None  # counted from 1 in the body; None in a header, footer or note


@dataclass(frozen=True)
class _Where:
    """Where in a template a problem is: the paragraph quoted around the tag, and its number."""

    quoted: str = ""
    number: int | None = None

    @classmethod
    def of(cls, paragraph: _Paragraph | None, needle: str = "") -> _Where:
        return cls(quote(paragraph.text, needle), paragraph.number) if paragraph else cls()


@dataclass(frozen=True)
class _Tag:
    text: str  # with straight quotes
    prefix: str  # "", "p", "tr", "tc" or "r"
    keyword: str  # "if", "endfor", "" for {{ … }}
    paragraph: _Paragraph


def display_path(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def quote(text: str, needle: str = "") -> str:
    """The paragraph's text, cut to about QUOTE_LENGTH characters around `needle`."""
    text = " ".join(text.replace("\u00a0", " ").split())
    if len(text) <= QUOTE_LENGTH:
        return text
    at = max(text.find(needle), 0) if needle else 0
    start = max(0, min(at - QUOTE_LENGTH // 3, len(text) - QUOTE_LENGTH))
    return ("…" if start else "") + text[start : start + QUOTE_LENGTH] + "…"


def _text_parts(path: Path) -> list[tuple[str, str]]:
    """(part name, XML) for the body, headers and footers, serialised as docxtpl does."""
    with zipfile.ZipFile(path) as archive:
        names = sorted(
            (name for name in archive.namelist() if TEXT_PARTS.match(name)), key=lambda n: "document" not in n
        )
        return [(name, etree.tostring(etree.fromstring(archive.read(name)), encoding="unicode")) for name in names]


def _paragraphs(xml: str, numbered: bool) -> list[_Paragraph]:
    root = etree.fromstring(xml.encode("utf-8"))
    return [
        _Paragraph(index, "".join(t.text or "" for t in p.iter(f"{W}t")), p, index + 1 if numbered else None)
        for index, p in enumerate(root.iter(f"{W}p"))
    ]


def _tags(paragraph: _Paragraph) -> list[_Tag]:
    tags = []
    for match in TAG.finditer(paragraph.text):
        raw = straighten_quotes(match.group(0))
        prefix_match = re.match(r"\{[{%](p|tr|tc|r) ", raw)
        prefix = prefix_match.group(1) if prefix_match else ""
        body = raw[2 + len(prefix) : -2].strip("-+ \t")
        keyword = body.split(maxsplit=1)[0] if raw.startswith("{%") and body else ""
        if keyword == "set" and "=" not in body:
            keyword = "block-set"  # {% set x %}…{% endset %} is a block
        tags.append(_Tag(raw, prefix, keyword, paragraph))
    return tags


class _PartChecker:
    """The checks that need only one XML part's paragraphs."""

    def __init__(self, template: str, paragraphs: list[_Paragraph]):
        self.template = template
        self.paragraphs = paragraphs
        self.problems: list[Problem] = []

    def report(self, message: str, paragraph: _Paragraph | None, needle: str = "", severity: str = "error") -> None:
        where = _Where.of(paragraph, needle)
        problem = template_problem(self.template, message, where.quoted, where.number)
        self.problems.append(replace(problem, severity=severity))

    def check(self) -> list[Problem]:
        tags = []
        for paragraph in self.paragraphs:
            self.check_text(paragraph)
            self.check_formatting(paragraph)
            paragraph_tags = _tags(paragraph)
            self.check_placement(paragraph, paragraph_tags)
            tags.extend(paragraph_tags)
        self.check_blocks(tags)
        return self.problems

    def check_text(self, paragraph: _Paragraph) -> None:
        for match in TAG.finditer(paragraph.text):
            curly = curly_quotes_in(match.group(0))
            if curly:
                self.report(
                    f"в теге «{match.group(0)}» кавычки {curly} вместо прямых (их поставила автозамена Word; "
                    "программа при сборке читает их как прямые, документ соберётся; лучше исправьте: \" или ')",
                    paragraph,
                    match.group(0),
                    severity="warning",
                )
        rest = TAG.sub("", paragraph.text)
        for opening, closing in (("{{", "}}"), ("{%", "%}")):
            if opening in rest or closing in rest:
                self.report(f"тег {opening} … {closing} не закрыт в пределах абзаца", paragraph, opening)
                return

    def check_formatting(self, paragraph: _Paragraph) -> None:
        """A tag whose pieces Word formatted differently: its value takes the formatting of its start."""
        for tag in reversed(list(split_tags(paragraph.element))):
            if formatting_differs(tag):
                self.report(
                    f"тег «{tag.text}» набран разным форматированием (часть тега выделена иначе): значение "
                    "будет оформлено как начало тега, текст после тега — как был; выделите тег целиком и "
                    "задайте ему одно оформление",
                    paragraph,
                    tag.text,
                    severity="warning",
                )

    def check_placement(self, paragraph: _Paragraph, tags: list[_Tag]) -> None:
        for tag in tags:
            if tag.prefix in PREFIX_PLACES:
                container = next(paragraph.element.iterancestors(f"{W}{tag.prefix}"), None)
                if container is None:
                    self.report(
                        f"«{tag.text}» стоит не {PREFIX_PLACES[tag.prefix]}: тег {{%{tag.prefix} %}} ставится "
                        f"{PREFIX_PLACES[tag.prefix]}, а для абзацев есть {{%p %}}",
                        paragraph,
                        tag.text,
                    )
                    continue
                self.check_alone(tag, "".join(t.text or "" for t in container.iter(f"{W}t")), paragraph)
            elif tag.prefix == "p":
                self.check_alone(tag, paragraph.text, paragraph)

    def check_alone(self, tag: _Tag, surrounding: str, paragraph: _Paragraph) -> None:
        rest = surrounding.replace(tag.text, "", 1) if tag.text in surrounding else TAG.sub("", surrounding, count=1)
        if rest.strip():
            element = "абзац" if tag.prefix == "p" else "строку таблицы" if tag.prefix == "tr" else "ячейку"
            self.report(
                f"«{tag.text}» заменяет весь {element}, и остальной текст в нём пропадёт: поставьте тег отдельно",
                paragraph,
                tag.text,
            )

    def check_blocks(self, tags: list[_Tag]) -> None:
        """Every {% if %}/{% for %} closed, with the same prefix, a plain one inside its paragraph."""
        stack: list[_Tag] = []
        for tag in tags:
            if tag.keyword in OPENERS or tag.keyword == "block-set":
                stack.append(tag)
            elif tag.keyword in MIDDLES or tag.keyword.startswith("end"):
                self.check_inner(tag, stack)
        for tag in stack:
            closing = "end" + tag.keyword.replace("block-", "")
            self.report(f"«{tag.text}» не закрыт: нет {{%{tag.prefix} {closing} %}}", tag.paragraph, tag.text)

    def check_inner(self, tag: _Tag, stack: list[_Tag]) -> None:
        wanted = tag.keyword[3:] if tag.keyword.startswith("end") else ""
        if wanted and wanted not in (t.keyword.replace("block-", "") for t in stack):
            self.report(f"лишний «{tag.text}»: нет открытого {{% {wanted} … %}}", tag.paragraph, tag.text)
            return
        if not stack:
            self.report(f"«{tag.text}» вне {{% if %}} или {{% for %}}", tag.paragraph, tag.text)
            return
        while wanted and stack[-1].keyword.replace("block-", "") != wanted:
            unclosed = stack.pop()
            self.report(f"«{unclosed.text}» не закрыт до «{tag.text}»", unclosed.paragraph, unclosed.text)
        opening = stack.pop() if wanted else stack[-1]
        if opening.prefix != tag.prefix:
            self.report(
                f"«{opening.text}» и «{tag.text}» — теги разного вида: у пары должна быть одна буква "
                f"({{%{opening.prefix} … %}})",
                tag.paragraph,
                tag.text,
            )
        elif not tag.prefix and opening.paragraph.index != tag.paragraph.index:
            self.report(
                f"«{opening.text}» закрыт в другом абзаце: для условия или цикла на целые абзацы "
                f"пишите {{%p {opening.keyword} … %}} отдельным абзацем",
                opening.paragraph,
                opening.text,
            )


def _check_jinja(
    template: str, xml: str, paragraphs: list[_Paragraph], environment: jinja2.Environment, kind: str
) -> list[Problem]:
    """Parse the part as the renderer will, then check every name in it, and that what may be
    empty in a document of `kind` is used only where a condition tests it."""
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", PatchedTemplate(io.BytesIO()).patch_xml(xml))
    lines = source.splitlines()

    def paragraph_of(lineno: int, needle: str) -> _Where:
        line = re.sub(r"<[^>]+>", "", lines[lineno - 1]) if 0 < lineno <= len(lines) else ""
        found = [p for p in paragraphs if needle and needle in straighten_quotes(p.text)]
        best = next((p for p in found if p.text and p.text in line), found[0] if found else None)
        return _Where.of(best, needle) if best else _Where(quote(line, needle))

    def problem(message: str, lineno: int, needle: str) -> Problem:
        where = paragraph_of(lineno, needle)
        return template_problem(template, message, where.quoted, where.number)

    try:
        parsed = environment.parse(source)
    except jinja2.TemplateSyntaxError as err:
        return [problem(f"ошибка в тегах: {err.message}", err.lineno, "")]
    findings = [*check_names(parsed, environment), *check_optional_uses(parsed, environment, always_filled(kind))]
    return [problem(finding.message, finding.lineno, finding.needle) for finding in findings]


def check_static(path: Path, environment: jinja2.Environment) -> list[Problem]:
    """Every problem found without rendering: size, structure, quotes, syntax, names."""
    template = display_path(path)
    try:
        check_template_file(path)  # a zip bomb is refused before any part is unpacked
    except TemplateError as err:
        return [template_problem(template, str(err).removeprefix(f"{path.name}: "))]
    try:
        parts = _text_parts(path)
    except FileNotFoundError:
        return [template_problem(template, "файл не найден")]
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as err:
        return [template_problem(template, f"не документ Word (.docx): {err}")]
    problems: list[Problem] = []
    for name, xml in parts:
        paragraphs = _paragraphs(xml, numbered=name == BODY_PART)
        structural = _PartChecker(template, paragraphs).check()
        problems.extend(structural)
        if not structural:  # Jinja would only repeat a broken structure in its own words
            problems.extend(_check_jinja(template, xml, paragraphs, environment, Path(path).stem))
    return list(dict.fromkeys(problems))
