"""Issuing the batch's documents against the journal: a number exists only
together with its files, and a file is under its final name only once its
row is committed.

1. One `BEGIN IMMEDIATE` transaction takes the numbers, renders the DOCX files
   and converts the PDFs under hidden temporary names, flushes them to disk and
   records the rows in the state 'placing'; then it commits. Any failure
   before the commit (a PDF that fails, a full disk, a kill) rolls rows and
   counters back and leaves only temporaries, which are removed.
2. placing.finish renames the files into place and marks the rows 'done'.
   A run killed after the commit is finished (or undone) by the next one
   (placing.settle_unfinished), before it decides anything.

A committed document whose files went missing later (out/ deleted, or the
date run again into another `--out`) is made again by the next run of its
date when its DOCX comes out byte-identical to the journalled one (same case,
same template): all such documents in one warm LibreOffice pool. The journal
keeps the hashes of what was issued; it is never rewritten by a repair (the
PDF, which LibreOffice stamps with the time, is a new copy of the same letter).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.commands import placing
from pipeline.commands.placing import document_path, final_paths, sha256
from pipeline.commands.steps import document_context, render_document
from pipeline.documents import BY_NAME, annexes_of, document_kind
from pipeline.errors import CalculationError, InputError, TemplateError
from pipeline.figures.escalation import last_notice
from pipeline.figures.money import ZERO
from pipeline.models import Case, Figures, JournalEntry, Problem, SentLetter, Shop
from pipeline.pdf.convert import ConversionJob, convert_pdfs
from pipeline.pdf.converters import LOCAL, Converter
from pipeline.store.failures import file_problem
from pipeline.store.journal import PLACING, Journal

if TYPE_CHECKING:
    from pipeline.word.render import TemplateCache

__all__ = [
    "IssueRequest",
    "PdfOptions",
    "RunLog",
    "document_path",
    "issue_documents",
    "notice_for",
    "repair_missing_files",
]

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Staged:
    """A document on its way: its journal entry and the (temporary DOCX, temporary PDF) of the
    letter, then of each of its annexes, in the order of placing.entry_files."""

    entry: JournalEntry
    parts: tuple[tuple[Path, Path], ...]

    @property
    def paths(self) -> list[Path]:
        return [path for part in self.parts for path in part]


@dataclass
class RunLog:
    """What a batch run collects on the way (batch.py freezes it into its report)."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    environment_failed: bool = False


@dataclass(frozen=True)
class IssueRequest:
    """One document to issue (or to rebuild, with `number` set) for a case on a date."""

    case: Case
    figures: Figures
    kind: str
    number: str | None = None


@dataclass(frozen=True)
class PdfOptions:
    """How the batch's PDFs are made: LibreOffice workers, PDF/A-2b or plain PDF, and where (--converter)."""

    workers: int = 1
    pdf_a: bool = False
    converter: Converter = LOCAL


class _ConversionFailed(Exception):
    """Raised inside the journal transaction when a PDF could not be made, to roll it back."""


def issue_documents(
    requests: Sequence[IssueRequest],
    journal: Journal,
    shop: Shop,
    out_dir: Path,
    templates_dir: Path,
    pdf: PdfOptions,
    log: RunLog,
    progress: Progress | None = None,
) -> list[JournalEntry]:
    """Number, render, convert and commit the new documents with their annexes, then place them.

    When a PDF fails, the whole transaction rolls back and nothing is issued,
    so the numbers never have gaps; a case whose document cannot be rendered
    gives its number back and is reported.
    """
    if not requests:
        return []
    staged: list[Staged] = []
    entries: list[JournalEntry] = []
    committed = False
    try:
        with journal.transaction():
            _number_and_render(requests, journal, shop, (out_dir, templates_dir), log, staged, progress)
            _convert(staged, pdf, log, progress)
            entries = [_with_hashes(item) for item in staged]
            placing.flush_to_disk([path for item in staged for path in item.paths])
            for entry in entries:
                journal.record(entry, PLACING)
        committed = True
        placing.finish(journal, entries, out_dir)
    except _ConversionFailed:
        log.environment_failed = True
        return []
    except OSError as err:
        raise file_problem(err, out_dir) from err
    finally:
        if not committed:
            _remove(staged)
    log.written.extend(final_paths(entries, out_dir))
    return entries


def _with_hashes(item: Staged) -> JournalEntry:
    """The entry with the hashes of the letter's own DOCX and PDF (the journal keeps no annex's)."""
    docx, pdf = item.parts[0]
    return replace(item.entry, docx_sha256=sha256(docx), pdf_sha256=sha256(pdf))


def repair_missing_files(
    entries: Sequence[JournalEntry],
    requests: dict[str, IssueRequest],
    journal: Journal,
    shop: Shop,
    out_dir: Path,
    templates_dir: Path,
    pdf: PdfOptions,
    log: RunLog,
) -> None:
    """Make again the missing files of journalled documents whose DOCX comes out identical,
    converting all their PDFs in one pool; the journal is not written."""
    missing = [entry for entry in entries if not all(path.is_file() for path in final_paths([entry], out_dir))]
    if not missing:
        return
    staged: list[Staged] = []
    try:
        cache = _template_cache()
        for entry in missing:
            item = _render_again(entry, requests, journal, shop, (out_dir, templates_dir), cache, log)
            if item is not None:
                staged.append(item)
        try:
            _convert([_lost_pdfs(item, out_dir) for item in staged], pdf, log, None)
        except _ConversionFailed:
            log.environment_failed = True
            return
        for item in staged:
            for temporary, final in zip(item.paths, placing.entry_files(item.entry, out_dir), strict=True):
                if not final.is_file():
                    temporary.replace(final)
            log.repaired.append(item.entry.number)
    except OSError as err:
        raise file_problem(err, out_dir) from err
    finally:
        _remove(staged)


def _template_cache() -> TemplateCache:
    # The renderer is imported only when a letter is made: a run with nothing to issue or repair
    # (a build with nothing changed) does not pay for docxtpl.
    from pipeline.word.render import TemplateCache

    return TemplateCache()


def _lost_pdfs(item: Staged, out_dir: Path) -> Staged:
    """The parts of `item` whose PDF is missing under its final name: only those are converted again."""
    finals = placing.entry_files(item.entry, out_dir)
    lost = [part for part, final_pdf in zip(item.parts, finals[1::2], strict=True) if not final_pdf.is_file()]
    return Staged(item.entry, tuple(lost))


def _number_and_render(
    requests: Sequence[IssueRequest],
    journal: Journal,
    shop: Shop,
    folders: tuple[Path, Path],
    log: RunLog,
    staged: list[Staged],
    progress: Progress | None,
) -> None:
    """Take a number and render the DOCX of each request into `staged`; a document that cannot be
    rendered gives its number back (a savepoint) and is reported."""
    out_dir, templates_dir = folders
    cache = _template_cache()
    journal.hold_counters((document_kind(r.kind).number_prefix, r.figures.as_of.year) for r in requests)
    for index, request in enumerate(requests, 1):
        try:
            with journal.savepoint():
                prefix = document_kind(request.kind).number_prefix
                number = journal.take_number(prefix, request.figures.as_of.year)
                staged.append(_render(replace(request, number=number), journal, shop, out_dir, templates_dir, cache))
        except (TemplateError, CalculationError, InputError) as err:
            _report_render_problem(request, err, templates_dir, log)
        if progress:
            progress("Документы", index, len(requests))


def _render_again(
    entry: JournalEntry,
    requests: dict[str, IssueRequest],
    journal: Journal,
    shop: Shop,
    folders: tuple[Path, Path],
    cache: TemplateCache,
    log: RunLog,
) -> Staged | None:
    """A journalled document rendered again under its temporary names, kept only when its DOCX is
    byte-identical to the one issued."""
    out_dir, templates_dir = folders
    request = requests.get(entry.case_id)
    where = Problem(str(out_dir), 1, 1, entry.number, "")
    if request is None:
        log.problems.append(replace(where, message=f"файлы документа пропали, а дела {entry.case_id} больше нет"))
        return None
    try:
        item = _render(
            replace(request, kind=entry.kind, number=entry.number), journal, shop, out_dir, templates_dir, cache
        )
    except (TemplateError, CalculationError, InputError) as err:
        _report_render_problem(request, err, templates_dir, log)
        return None
    if sha256(item.parts[0][0]) != entry.docx_sha256:
        _remove([item])
        log.problems.append(
            replace(
                where,
                message="файлы документа пропали и не восстановлены: дело, шаблон или версия программы изменились",
            )
        )
        return None
    return Staged(entry, item.parts)


def _render(
    request: IssueRequest, journal: Journal, shop: Shop, out_dir: Path, templates_dir: Path, cache: TemplateCache
) -> Staged:
    case, figures, kind, number = request.case, request.figures, request.kind, request.number
    if number is None:
        raise ValueError("a document is rendered for the journal only once it has its number")
    template = document_kind(kind).template(templates_dir)
    notice = notice_for(journal, case.id, kind, figures.as_of)
    sent = sent_letters(journal, case, figures.as_of)
    context = document_context(case, shop, figures, kind, sent, document_number=number, notice=notice)
    parts = [_render_part(request, kind, context, out_dir, templates_dir, cache)]
    try:
        for annex in annexes_of(kind):
            annex_of = (kind, number, figures.as_of)
            annex_context = document_context(case, shop, figures, annex, document_number=number, annex_of=annex_of)
            parts.append(_render_part(request, annex, annex_context, out_dir, templates_dir, cache))
    except BaseException:
        # An annex that cannot be made: the letter is not issued without it and its number is given
        # back (maybe to the next case), so the temporaries rendered so far, never staged, go now.
        for path in (path for part in parts for path in part):
            path.unlink(missing_ok=True)
        raise
    entry = JournalEntry(
        number=number,
        case_id=case.id,
        kind=kind,
        as_of=figures.as_of,
        outstanding=figures.outstanding,
        days_overdue=figures.days_overdue,
        penalty=figures.penalty.total,
        storage=figures.storage.fee if figures.storage else ZERO,
        claim=figures.claim_total,
        docx_sha256="",
        pdf_sha256="",
        template_sha256=sha256(template),
    )
    return Staged(entry, tuple(parts))


def _render_part(
    request: IssueRequest,
    kind: str,
    context: dict[str, Any],
    out_dir: Path,
    templates_dir: Path,
    cache: TemplateCache,
) -> tuple[Path, Path]:
    """One DOCX of the document (the letter, or an annex under the letter's number) rendered under
    its temporary name; the temporary DOCX and PDF names."""
    case_id, number = request.case.id, request.number or ""
    docx = document_path(out_dir, case_id, kind, number, "docx", pending=True)
    render_document(kind, templates_dir, context, docx, cache)
    return docx, document_path(out_dir, case_id, kind, number, "pdf", pending=True)


def notice_for(journal: Journal | None, case_id: str, kind: str, as_of: date) -> tuple[str, date] | None:
    """The overdue notice a pretension recounts (none without a journal)."""
    if journal is None or not document_kind(kind).recounts_notice:
        return None
    notice = last_notice(journal.history(case_id), as_of)
    return (notice.number, notice.as_of) if notice else None


def sent_letters(journal: Journal | None, case: Case, as_of: date) -> tuple[SentLetter, ...]:
    """The escalation's letters the journal issued for the case before `as_of`, dated the day each
    was mailed when a `sent` event says so (what a court application lists and counts from)."""
    return sent_letters_of(journal.history(case.id) if journal is not None else (), case, as_of)


def sent_letters_of(letters: Sequence[JournalEntry], case: Case, as_of: date) -> tuple[SentLetter, ...]:
    """sent_letters from the case's journalled `letters`, already read."""
    mailed = {event.document: event.date for event in case.events if event.kind == "sent" and event.document}
    return tuple(
        SentLetter(entry.kind, document_kind(entry.kind).title, entry.number, mailed.get(entry.number, entry.as_of))
        for entry in letters
        if entry.as_of < as_of and entry.kind in BY_NAME and document_kind(entry.kind).status_after
    )


def _report_render_problem(request: IssueRequest, err: Exception, templates_dir: Path, log: RunLog) -> None:
    if isinstance(err, TemplateError):
        problem = Problem(str(document_kind(request.kind).template(templates_dir)), 1, 1, "", str(err))
        if problem not in log.problems:  # a broken template fails every case alike: say it once
            log.problems.append(problem)
    else:
        log.problems.append(Problem(str(request.case.source), 1, 1, request.kind, str(err)))


def _convert(staged: Sequence[Staged], pdf: PdfOptions, log: RunLog, progress: Progress | None) -> None:
    """Every PDF of `staged` in one pool of warm workers; _ConversionFailed when any fails."""
    jobs = [ConversionJob(docx, pdf_path) for item in staged for docx, pdf_path in item.parts]
    if not jobs:
        return
    if progress:
        progress("PDF", 0, len(staged))
    results = convert_pdfs(jobs, workers=pdf.workers, pdfa=pdf.pdf_a, converter=pdf.converter, warnings=log.warnings)
    failed = [result for result in results if not result.ok]
    for result in failed:
        log.problems.append(Problem(str(result.job.source), 1, 1, "", f"PDF не получен: {result.error}"))
    if failed:
        raise _ConversionFailed
    if progress:
        progress("PDF", len(staged), len(staged))


def _remove(staged: Sequence[Staged]) -> None:
    for item in staged:
        for path in item.paths:
            path.unlink(missing_ok=True)
