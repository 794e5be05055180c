"""`build`: validate, compute, render and convert every document due that is
not already up to date in the output folder. A bad case never stops the good
ones; one build at a time per output folder.

The rendering stages (docxtpl, lxml, pytrovich…) are imported when first
needed: a build with nothing to redo must not pay a second for imports.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.commands.build_letters import make_numbered_letters, open_build_journal
from pipeline.commands.issue import RunLog, notice_for
from pipeline.commands.steps import (
    case_problem,
    compute_case_figures,
    court_applications_due,
    document_context,
    render_document,
    template_font_warnings,
    use_letters_of,
)
from pipeline.documents import BY_NAME, document_kind, is_journalled
from pipeline.errors import CalculationError, InputError, TemplateError
from pipeline.figures.rates import USER_TABLE
from pipeline.inputs.validate import validate_inputs
from pipeline.models import Case, Figures, JournalEntry, Problem, Shop, exit_code
from pipeline.pdf.converters import LOCAL, Converter
from pipeline.pdf.pool import ConversionJob, ConversionResult
from pipeline.resources import default_templates_dir
from pipeline.store.failures import file_problem
from pipeline.store.journal import Journal, JournalSource, journal_source
from pipeline.store.manifest import Manifest, document_fingerprint, file_sha256, manifest_key
from pipeline.store.outputs import case_output_dir, remove_outputs, sweep_partial_files
from pipeline.word.parallel import map_forked

if TYPE_CHECKING:
    from pipeline.word.render import TemplateCache

Progress = Callable[[str, int, int], None]
MANIFEST_EVERY = 100  # PDFs between two saves of the manifest during a build
DRAFTS = "drafts"  # out/<case>/drafts/: the drafts of numbered letters, away from what is sent


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path
    as_of: date
    state_dir: Path  # the journal's folder: the numbered letters are issued through it, as by the batch
    draft: bool = False  # the numbered letters as drafts: no number, marked «ПРОЕКТ», journalled nowhere
    formats: frozenset[str] = frozenset({"docx", "pdf"})
    only: frozenset[str] | None = None  # None: every kind that is due
    jobs: int = 1
    templates_dir: Path = field(default_factory=default_templates_dir)
    pdf_a: bool = False  # PDF/A-2b: archive-grade, every font embedded
    allow_unconfirmed_rates: bool = False  # ст. 395 over rates the Bank of Russia has not confirmed
    converter: Converter = LOCAL  # where PDFs are made: the local pool or unoserver servers (--converter)
    journal_url: str | None = None  # a PostgreSQL journal several machines share, instead of state_dir's

    @property
    def journal(self) -> JournalSource:
        return journal_source(self.state_dir, self.journal_url)


@dataclass(frozen=True)
class PlannedDocument:
    case: Case
    figures: Figures
    kind: str
    docx_path: Path
    pdf_path: Path
    fingerprint: str  # manifest.document_fingerprint: what its text depends on
    draft: bool = False  # a numbered kind's draft: not in the manifest, made again by every build
    notice: tuple[str, date] | None = None  # a draft pretension's notice, from the journal when there is one

    @property
    def key(self) -> str:
        return manifest_key(self.case.id, self.kind)

    def files(self, formats: frozenset[str]) -> list[Path]:
        return [path for path, suffix in ((self.docx_path, "docx"), (self.pdf_path, "pdf")) if suffix in formats]


@dataclass
class BuildReport:
    cases_total: int = 0
    cases_built: int = 0
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    issued: list[JournalEntry] = field(default_factory=list)  # numbered in the journal by this build
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    environment_failed: bool = False
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return exit_code(self.problems, self.environment_failed)

    def absorb(self, run: RunLog) -> None:
        """What the journal's part of the build collected."""
        self.problems.extend(run.problems)
        self.warnings.extend(run.warnings)
        self.written.extend(run.written)
        self.environment_failed = self.environment_failed or run.environment_failed


def plan_documents(
    computed: Sequence[tuple[Case, Figures]],
    shop_path: Path,
    options: BuildOptions,
    report: BuildReport,
    manifest: Manifest,
    journal: Journal | None = None,
) -> list[PlannedDocument]:
    """The documents to make for each case: the kinds due without a number, and with `--draft` the
    numbered ones as drafts (their notice read from `journal`). Numbered letters are issued apart."""
    planned: list[PlannedDocument] = []
    rates_state = figures_inputs_state(options.allow_unconfirmed_rates)
    for case, case_figures in computed:
        try:
            folder = case_output_dir(options.out_dir, case.id)
        except InputError as err:
            report.problems.append(case_problem(case, str(err)))
            continue
        sweep_partial_files(folder)  # what a killed build left half-written
        sweep_partial_files(folder / DRAFTS)
        due = (*case_figures.documents_due, *court_applications_due(case, case_figures))
        kinds = [kind for kind in kinds_to_build(due, options.only) if not is_journalled(kind)]
        if options.only is None:
            # A document no longer due (the client paid) must not linger in out/ to be printed by mistake;
            # nor a numbered kind's file without its number (`pretension.pdf`, made before the journal did them).
            gone = [kind for kind in BY_NAME if kind not in kinds]
            remove_outputs(folder, gone)
            for kind in gone:
                manifest.forget(manifest_key(case.id, kind))
        if options.draft:
            planned += [_draft(case, case_figures, kind, folder, journal) for kind in draft_kinds(due, options.only)]
        for kind in kinds:
            template = document_kind(kind).template(options.templates_dir)
            fingerprint = (
                document_fingerprint(
                    Path(case.source), shop_path, template, options.as_of.isoformat(), kind, options.pdf_a, rates_state
                )
                if template.is_file()
                else ""  # reported when rendering
            )
            planned.append(
                PlannedDocument(
                    case,
                    case_figures,
                    kind,
                    folder / document_kind(kind).file_name("docx"),
                    folder / document_kind(kind).file_name("pdf"),
                    fingerprint,
                )
            )
    return planned


def draft_kinds(due: Sequence[str], only: frozenset[str] | None) -> list[str]:
    """The numbered kinds drafted for a case: those named in `only` whether due or not, else those due."""
    return [kind for kind in BY_NAME if is_journalled(kind) and (kind in only if only is not None else kind in due)]


def _draft(case: Case, case_figures: Figures, kind: str, folder: Path, journal: Journal | None) -> PlannedDocument:
    """`out/<case>/drafts/<kind>-ПРОЕКТ.docx|pdf`: beside nothing a post room would print."""
    from pipeline.word.draft import DRAFT_NUMBER

    declared = document_kind(kind)
    paths = [folder / DRAFTS / declared.file_name(suffix, DRAFT_NUMBER) for suffix in ("docx", "pdf")]
    notice = notice_for(journal, case.id, kind, case_figures.as_of)
    return PlannedDocument(case, case_figures, kind, paths[0], paths[1], "", draft=True, notice=notice)


def render_documents(
    planned: Sequence[PlannedDocument],
    shop: Shop,
    options: BuildOptions,
    report: BuildReport,
    progress: Progress | None,
    on_rendered: Callable[[PlannedDocument], None] | None = None,
) -> list[PlannedDocument]:
    """Render each planned DOCX, calling ``on_rendered`` with each one written;
    a template or case that fails is reported and skipped. Without
    ``on_rendered`` (no PDFs to feed) the documents are rendered on
    ``options.jobs`` cores."""
    from pipeline.word.render import TemplateCache

    templates = TemplateCache()
    for kind in sorted({document.kind for document in planned}):
        try:
            templates.load(document_kind(kind).template(options.templates_dir))  # compiled once, before any fork
        except TemplateError:
            pass  # reported per document below
    render_one = functools.partial(_render_one, shop=shop, options=options, templates=templates)
    workers = options.jobs if on_rendered is None else 1
    rendered: list[PlannedDocument] = []
    reported: set[str] = set()
    for index, (document, failure) in enumerate(zip(planned, map_forked(render_one, planned, workers), strict=True), 1):
        if failure is None:
            rendered.append(document)
            if on_rendered:
                on_rendered(document)
        elif failure[0] == "template":
            if failure[1] not in reported:  # a broken template fails every case alike: say it once
                reported.add(failure[1])
                template = str(document_kind(document.kind).template(options.templates_dir))
                report.problems.append(Problem(template, 1, 1, "", failure[1]))
        else:
            report.problems.append(case_problem(document.case, failure[1], document.kind))
        if progress:
            progress("Word", index, len(planned))
    return rendered


def _render_one(
    document: PlannedDocument, shop: Shop, options: BuildOptions, templates: TemplateCache
) -> tuple[str, str] | None:
    """Render one DOCX; None, or ("template" | "case", the message). An older
    PDF of the document is removed first, so that no PDF is older than its DOCX."""
    from pipeline.word.draft import DRAFT_NUMBER, mark_draft

    try:
        number = DRAFT_NUMBER if document.draft else None  # a draft shows no number, not even a made-up one
        context = document_context(
            document.case, shop, document.figures, document.kind, document_number=number, notice=document.notice
        )
        document.pdf_path.unlink(missing_ok=True)
        render_document(document.kind, options.templates_dir, context, document.docx_path, templates, durable=False)
        if document.draft:
            mark_draft(document.docx_path)
    except TemplateError as err:
        return ("template", str(err))
    except (CalculationError, InputError) as err:
        return ("case", str(err))
    return None


def convert_documents(
    rendered: Sequence[PlannedDocument],
    report: BuildReport,
    progress: Progress | None,
    converting: Mapping[Path, Future[ConversionResult]],
    on_converted: Callable[[PlannedDocument], None],
) -> set[Path]:
    """Wait for the PDFs of the rendered DOCX files, submitted to the pool as
    each was rendered (``converting``, by DOCX path), calling ``on_converted``
    with each document whose PDF is made; returns the DOCX paths whose PDF failed."""
    failed = set()
    for index, document in enumerate(rendered, 1):
        result = converting[document.docx_path].result()
        if result.ok:
            report.written.append(result.job.target)
            on_converted(document)
        else:
            failed.add(result.job.source)
            report.environment_failed = True
            report.problems.append(Problem(str(result.job.source), 1, 1, "", f"PDF не получен: {result.error}"))
        if progress:
            progress("PDF", index, len(rendered))
    return failed


def figures_inputs_state(allow_unconfirmed_rates: bool) -> str:
    """What the figures depend on beyond the case, the shop and the code: a `rates update` or another
    calendar must make the letters again."""
    from importlib.metadata import version

    table = USER_TABLE if USER_TABLE.is_file() else None
    rates = file_sha256(table) if table else "shipped"
    return f"rates={rates};allow={allow_unconfirmed_rates};holidays={version('holidays')}"


def kinds_to_build(due: Sequence[str], only: frozenset[str] | None) -> list[str]:
    """The kinds due, narrowed to `only`; a kind built on request (a lawyer's letter) when named in it."""
    if only is None:
        return list(due)
    return [kind for kind in due if kind in only] + sorted(
        kind for kind in only if kind not in due and document_kind(kind).on_request
    )


def run_build(
    paths: Sequence[Path], shop_path: Path, options: BuildOptions, progress: Progress | None = None
) -> BuildReport:
    """Validate, compute, render and convert every document due that is not already up to date in
    the output folder, and issue the numbered letters due through the journal (build_letters.py);
    never raises for one bad case. One run at a time per output folder and journal (lock.py)."""
    started = time.monotonic()
    report = BuildReport()
    inputs = validate_inputs(paths, shop_path)
    report.problems.extend(inputs.problems)
    report.warnings.extend(inputs.warnings)
    report.cases_total = inputs.files_checked - 1
    report.problems.extend(use_letters_of(options.templates_dir, options.only))
    if inputs.shop is None:
        return report
    run = RunLog()
    try:
        with ExitStack() as stack:
            journal = open_build_journal(options, run, stack)
            computed = compute_case_figures(
                inputs.cases,
                inputs.shop,
                options.as_of,
                report.problems,
                report.warnings,
                options.allow_unconfirmed_rates,
            )
            _build_unnumbered(computed, inputs.shop, shop_path, options, report, progress, journal)
            report.issued = make_numbered_letters(computed, inputs.shop, options, journal, run, progress)
    except OSError as err:  # a full disk, a folder we may not write: one line, exit 3
        raise file_problem(err) from err
    report.absorb(run)
    bad_cases = {problem.path for problem in report.problems}
    report.cases_built = sum(1 for case in inputs.cases if str(case.source) not in bad_cases)
    report.seconds = time.monotonic() - started
    return report


def _build_unnumbered(
    computed: Sequence[tuple[Case, Figures]],
    shop: Shop,
    shop_path: Path,
    options: BuildOptions,
    report: BuildReport,
    progress: Progress | None,
    journal: Journal | None,
) -> None:
    """The documents without a journal number, and the drafts: made when stale, recorded in the manifest."""
    sweep_partial_files(options.out_dir)
    manifest = Manifest.load(options.out_dir)
    planned = plan_documents(computed, shop_path, options, report, manifest, journal)
    stale = [
        doc
        for doc in planned
        if doc.draft or not manifest.is_fresh(doc.key, doc.fingerprint, doc.files(options.formats))
    ]
    # Files, like `written`: a document up to date as DOCX and PDF counts two.
    report.unchanged = (len(planned) - len(stale)) * len(options.formats)
    converted = 0

    def checkpoint(document: PlannedDocument) -> None:
        # A long build killed late keeps most of its work: the manifest is saved as PDFs come in.
        nonlocal converted
        if document.draft:
            return  # a draft is made again by every build
        manifest.record(document.key, document.fingerprint, document.files(options.formats))
        converted += 1
        if converted % MANIFEST_EVERY == 0:
            manifest.save()

    rendered, failed_pdfs = _make_documents(stale, shop, options, report, progress, checkpoint)
    for document in rendered:
        if "docx" in options.formats:
            report.written.append(document.docx_path)
        elif document.docx_path not in failed_pdfs:
            document.docx_path.unlink(missing_ok=True)
        if "pdf" not in options.formats and not document.draft:  # with PDFs, checkpoint() recorded it
            manifest.record(document.key, document.fingerprint, document.files(options.formats))
    manifest.save()


def _make_documents(
    documents: Sequence[PlannedDocument],
    shop: Shop,
    options: BuildOptions,
    report: BuildReport,
    progress: Progress | None,
    on_converted: Callable[[PlannedDocument], None],
) -> tuple[list[PlannedDocument], set[Path]]:
    """Render the documents and convert them while rendering goes on; the rendered ones and the failed PDFs."""
    if not documents:
        return [], set()  # nothing changed: not even the renderer is imported
    to_pdf = "pdf" in options.formats
    if to_pdf:
        options.converter.check()  # EnvironmentProblem (exit 3) before any work: no LibreOffice, no server
        # LibreOffice silently replaces a font that is not installed, and the layout shifts.
        report.warnings.extend(template_font_warnings(options.templates_dir, (document.kind for document in documents)))
    # Warm LibreOffice workers convert each DOCX while the next ones render.
    pool = options.converter.open(min(options.jobs, len(documents)), options.pdf_a, report.warnings) if to_pdf else None
    converting: dict[Path, Future[ConversionResult]] = {}

    def start_pdf(document: PlannedDocument) -> None:
        if pool:
            converting[document.docx_path] = pool.submit(ConversionJob(document.docx_path, document.pdf_path))

    failed_pdfs: set[Path] = set()
    try:
        rendered = render_documents(documents, shop, options, report, progress, start_pdf if pool else None)
        if pool:
            failed_pdfs = convert_documents(rendered, report, progress, converting, on_converted)
    finally:
        if pool:
            pool.close(cancel=True)  # every PDF is done by now, unless an error or Ctrl-C cut the build short
    return rendered, failed_pdfs
