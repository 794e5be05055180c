"""Check the lawyer's Word templates before a build trips on them: tags split or
left open across paragraphs, AutoCorrect's curly quotes inside tags, misplaced
{%p %}/{%tr %}/{%tc %} tags, Jinja syntax, every variable and filter against
variables.py, and a real rendering with every example case the document is due
for. Every problem of every template is collected, one line each; fonts that
LibreOffice would replace are warnings, not problems (fonts.py).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from lxml import etree

from pipeline.commands.steps import compute_case_figures, use_letters_of
from pipeline.documents import BY_NAME
from pipeline.errors import TemplateError
from pipeline.inputs.letters import LETTERS_FOLDER
from pipeline.inputs.validate import validate_inputs
from pipeline.models import Problem, exit_code, warning
from pipeline.resources import template_files
from pipeline.store.outputs import write_atomic
from pipeline.word.fonts import font_warnings
from pipeline.word.limits import check_template_file
from pipeline.word.render import TemplateCache, render_docx_bytes
from pipeline.word.tags import TAG, TEXT_PARTS, PatchedTemplate, curly_quotes_in, straighten_quotes
from pipeline.word.template_variables import check_names
from pipeline.wording.context import build_context
from pipeline.wording.variables import reference_markdown

# The date the example cases are rendered at: late enough that every kind is due for some case.
SAMPLE_AS_OF = date(2026, 11, 23)
REFERENCE_PATH = Path("docs") / "template-variables.md"  # the repository's, from its top folder
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
QUOTE_LENGTH = 90
OPENERS = frozenset({"if", "for", "macro", "call", "filter", "with", "block", "raw", "autoescape"})
MIDDLES = frozenset({"else", "elif"})
# The docxtpl tag prefixes and the Word element each one replaces whole.
PREFIX_ELEMENTS = {"p": "p", "tr": "tr", "tc": "tc", "r": "r"}
PREFIX_PLACES = {"tr": "в строке таблицы", "tc": "в ячейке таблицы"}


def template_problem(template: str, message: str, paragraph: str = "") -> Problem:
    """A problem of one template, at the paragraph it is in when known."""
    return Problem(template, None, None, "", message, paragraph=paragraph)


@dataclass(frozen=True)
class Sample:
    """One example case's context for one document kind due for it."""

    source: str
    kind: str
    context: dict[str, Any]


@dataclass(frozen=True)
class CheckReport:
    templates: tuple[str, ...]
    problems: tuple[Problem, ...]
    input_problems: tuple[Problem, ...]  # the example cases or shop profile themselves are wrong
    rendered: int
    warnings: tuple[Problem, ...] = ()  # fonts this machine lacks: the PDF is still made, but may look different

    @property
    def exit_code(self) -> int:
        return exit_code((*self.problems, *self.input_problems))

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in (*self.input_problems, *self.problems) if problem.is_error)

    @property
    def failed_templates(self) -> int:
        return len({problem.path for problem in self.problems if problem.is_error})


@dataclass(frozen=True)
class ReferenceWritten:
    """`check-templates --write-reference`: the references were rewritten."""

    paths: tuple[Path, ...]
    exit_code: int = 0


@dataclass(frozen=True)
class _Paragraph:
    index: int
    text: str  # the tags' text as Word shows it, whatever runs it is split into
    element: etree._Element


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


def _paragraphs(xml: str) -> list[_Paragraph]:
    root = etree.fromstring(xml.encode("utf-8"))
    return [
        _Paragraph(index, "".join(t.text or "" for t in p.iter(f"{W}t")), p)
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
        quoted = quote(paragraph.text, needle) if paragraph else ""
        self.problems.append(replace(template_problem(self.template, message, quoted), severity=severity))

    def check(self) -> list[Problem]:
        tags = []
        for paragraph in self.paragraphs:
            self.check_text(paragraph)
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
    template: str, xml: str, paragraphs: list[_Paragraph], environment: jinja2.Environment
) -> list[Problem]:
    """Parse the part as the renderer will, then check every name in it."""
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", PatchedTemplate(io.BytesIO()).patch_xml(xml))
    lines = source.splitlines()

    def paragraph_of(lineno: int, needle: str) -> str:
        line = re.sub(r"<[^>]+>", "", lines[lineno - 1]) if 0 < lineno <= len(lines) else ""
        found = [p for p in paragraphs if needle and needle in straighten_quotes(p.text)]
        best = next((p for p in found if p.text and p.text in line), found[0] if found else None)
        return quote(best.text, needle) if best else quote(line, needle)

    try:
        parsed = environment.parse(source)
    except jinja2.TemplateSyntaxError as err:
        return [template_problem(template, f"ошибка в тегах: {err.message}", paragraph_of(err.lineno, ""))]
    return [
        template_problem(template, problem.message, paragraph_of(problem.lineno, problem.needle))
        for problem in check_names(parsed, environment)
    ]


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
    for _name, xml in parts:
        paragraphs = _paragraphs(xml)
        structural = _PartChecker(template, paragraphs).check()
        problems.extend(structural)
        if not structural:  # Jinja would only repeat a broken structure in its own words
            problems.extend(_check_jinja(template, xml, paragraphs, environment))
    return list(dict.fromkeys(problems))


def check_rendering(
    path: Path, samples: Sequence[Sample], cache: TemplateCache, samples_dir: Path | None = None
) -> tuple[list[Problem], int]:
    """Render the template with each sample of its kind (all samples for a name that is no kind);
    with `samples_dir`, each rendered sample is saved there as `<template>--<case>.docx` to read in Word."""
    template = display_path(path)
    kind_samples = [s for s in samples if path.stem not in BY_NAME or s.kind == path.stem]
    problems = []
    for sample in kind_samples:
        try:
            data = render_docx_bytes(path, sample.context, cache)
            if samples_dir is not None:
                write_atomic(samples_dir / f"{path.stem}--{Path(sample.source).stem}.docx", data)
        except TemplateError as err:
            message = str(err).removeprefix(f"{path.name}: ")
            problems.append(template_problem(template, f"не собирается для {sample.source}: {message}"))
        except Exception as err:  # noqa: BLE001 — a lawyer's file may break docxtpl in ways it does not name
            problems.append(
                template_problem(template, f"не собирается для {sample.source}: {type(err).__name__}: {err}")
            )
    return list(dict.fromkeys(problems)), len(kind_samples)


def sample_contexts(case_paths: Sequence[Path], shop_path: Path, as_of: date) -> tuple[list[Sample], list[Problem]]:
    """The context of every document due for every example case at `as_of`, and the input's problems."""
    inputs = validate_inputs(case_paths, shop_path)
    problems = list(inputs.problems)
    if inputs.shop is None:
        return [], problems
    samples: list[Sample] = []
    on_request = [kind.name for kind in BY_NAME.values() if kind.on_request]  # a letter may go to anyone
    # The samples test the templates, not the rate table: unconfirmed rates are allowed here.
    for case, figures in compute_case_figures(inputs.cases, inputs.shop, as_of, problems, [], True):
        samples.extend(
            Sample(str(case.source), kind, build_context(case, inputs.shop, figures, kind))
            for kind in (*figures.documents_due, *on_request)
        )
    return samples, problems


def check_templates(
    template_paths: Sequence[Path], samples: Sequence[Sample], samples_dir: Path | None = None
) -> tuple[list[Problem], int]:
    """Every problem of every template (static ones first; rendered only when none is an error)."""
    cache = TemplateCache()
    problems: list[Problem] = []
    rendered = 0
    for path in template_paths:
        static = check_static(Path(path), cache.environment)
        problems.extend(static)
        if not any(problem.is_error for problem in static):
            render_problems, count = check_rendering(Path(path), samples, cache, samples_dir)
            problems.extend(render_problems)
            rendered += count
    return problems, rendered


def unused_templates(template_paths: Sequence[Path], templates_dir: Path) -> list[Problem]:
    """A warning for each template no document kind is built from: a file the lawyer may think is in use."""
    used = {kind.template(templates_dir).resolve() for kind in BY_NAME.values()}
    return [
        warning(f"файл программой не используется: {_unused_hint(path)}", display_path(path))
        for path in template_paths
        if Path(path).resolve() not in used and Path(path).resolve().parent in _template_folders(templates_dir)
    ]


def _template_folders(templates_dir: Path) -> set[Path]:
    return {templates_dir.resolve(), (templates_dir / LETTERS_FOLDER).resolve()}


def _unused_hint(path: Path) -> str:
    if Path(path).parent.name == LETTERS_FOLDER:
        return f"рядом нет объявления {Path(path).stem}.yaml (название письма, см. docs/for-lawyers.md)"
    return f"это не шаблон ни одного документа; новое письмо кладите в папку {LETTERS_FOLDER}/ с объявлением"


def check_fonts(template_paths: Sequence[Path]) -> list[Problem]:
    """A warning for each template set in a font LibreOffice would replace here (fonts.py); a template
    refused by its size (check_static says why) is not unpacked for its fonts."""
    readable = [Path(display_path(path)) for path in template_paths if _within_limits(Path(path))]
    return [warning(text) for text in font_warnings(readable)]


def _within_limits(path: Path) -> bool:
    try:
        check_template_file(path)
    except TemplateError:
        return False
    return True


def run_check_templates(
    template_paths: Sequence[Path],
    case_paths: Sequence[Path],
    shop_path: Path,
    as_of: date,
    templates_dir: Path,
    samples_dir: Path | None = None,
) -> CheckReport:
    """Check the templates (default: every one in `templates_dir` and its letters/) and render each
    with the example cases; the lawyer's letter declarations are checked too."""
    letter_problems = use_letters_of(templates_dir)
    paths = tuple(template_paths) or (*template_files(templates_dir), *template_files(templates_dir / LETTERS_FOLDER))
    samples, input_problems = sample_contexts(case_paths, shop_path, as_of)
    problems, rendered = check_templates(paths, samples, samples_dir)
    warnings = (*unused_templates(paths, templates_dir), *check_fonts(paths))
    input_problems = [*letter_problems, *input_problems]
    return CheckReport(tuple(map(str, paths)), tuple(problems), tuple(input_problems), rendered, warnings)


def write_reference(target: Path = REFERENCE_PATH) -> Path:
    """Write the lawyers' reference of variables (docs/template-variables.md) from variables.py."""
    write_atomic(Path(target), reference_markdown().encode("utf-8"))
    return Path(target)
