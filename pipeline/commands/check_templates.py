"""`check-templates`: every template of the folder (and its letters/) checked
statically (word/template_check.py), then rendered with every example case the
document is due for; declarations of the lawyer's letters, templates nobody
uses and fonts LibreOffice would replace are reported too. Every problem of
every template is collected, one line each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.commands.steps import compute_case_figures, document_context, use_letters_of
from pipeline.documents import BY_NAME
from pipeline.errors import CalculationError, TemplateError
from pipeline.figures.court_filing import COURT_KINDS
from pipeline.inputs.letters import LETTERS_FOLDER
from pipeline.inputs.validate import validate_inputs
from pipeline.models import Case, Figures, Problem, Shop, exit_code, warning
from pipeline.resources import template_files
from pipeline.store.outputs import write_atomic
from pipeline.word.fonts import font_warnings
from pipeline.word.limits import check_template_file
from pipeline.word.reference import reference_markdown
from pipeline.word.render import TemplateCache, render_docx_bytes
from pipeline.word.template_check import check_static, display_path, template_problem
from pipeline.wording.context import build_context

# The date the example cases are rendered at: late enough that every kind is due for some case.
SAMPLE_AS_OF = date(2026, 11, 23)
REFERENCE_PATH = Path("docs") / "template-variables.md"  # the repository's, from its top folder


@dataclass(frozen=True)
class Sample:
    """One example case's context for one document kind due for it, or for an annex of one."""

    source: str
    kind: str
    context: dict[str, Any]
    annex_of: str = ""  # the letter kind this annex is issued with; "": built alone

    @property
    def label(self) -> str:
        """`ivanov-refusal`, or `ivanov-refusal--pretension` for an annex: names a sample's files."""
        stem = Path(self.source).stem
        return f"{stem}--{self.annex_of}" if self.annex_of else stem


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
                write_atomic(samples_dir / f"{path.stem}--{sample.label}.docx", data)
        except TemplateError as err:
            message = str(err).removeprefix(f"{path.name}: ")
            problems.append(template_problem(template, f"не собирается для {sample.source}: {message}"))
        except Exception as err:  # noqa: BLE001 — a lawyer's file may break docxtpl in ways it does not name
            problems.append(
                template_problem(template, f"не собирается для {sample.source}: {type(err).__name__}: {err}")
            )
    return list(dict.fromkeys(problems)), len(kind_samples)


def sample_contexts(case_paths: Sequence[Path], shop_path: Path, as_of: date) -> tuple[list[Sample], list[Problem]]:
    """The context of every document due for every example case at `as_of` (and of each annex issued with
    it), and the input's problems."""
    inputs = validate_inputs(case_paths, shop_path)
    problems = list(inputs.problems)
    if inputs.shop is None:
        return [], problems
    samples: list[Sample] = []
    on_request = [kind.name for kind in BY_NAME.values() if kind.on_request]  # a letter may go to anyone
    # The samples test the templates, not the rate table: unconfirmed rates are allowed here.
    for case, figures in compute_case_figures(inputs.cases, inputs.shop, as_of, problems, [], True):
        for kind in (*figures.documents_due, *on_request):
            try:
                context = document_context(case, inputs.shop, figures, kind)
            except CalculationError:
                if kind not in COURT_KINDS:
                    raise
                continue  # a court application this case is not ready for, or not of its procedure: no sample
            samples.append(Sample(str(case.source), kind, context))
            samples.extend(_annex_samples(case, inputs.shop, figures, kind, context["document"]["number"]))
    return samples, problems


def _annex_samples(case: Case, shop: Shop, figures: Figures, kind: str, number: str) -> list[Sample]:
    """The annexes of a letter of `kind` (DocumentKind.annexes) as issued with it: under its number and date."""
    annex_of = (kind, number, figures.as_of)
    return [
        Sample(str(case.source), annex, build_context(case, shop, figures, annex, annex_of=annex_of), annex_of=kind)
        for annex in BY_NAME[kind].annexes
    ]


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
    """Write the lawyers' reference of variables and filters (docs/template-variables.md, word/reference.py)."""
    write_atomic(Path(target), reference_markdown().encode("utf-8"))
    return Path(target)
