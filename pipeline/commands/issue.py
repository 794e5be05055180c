"""Issuing the batch's documents against the journal: a number exists only
together with its files. New documents are numbered, rendered under temporary
names, converted, recorded and renamed into place inside ONE `BEGIN IMMEDIATE`
transaction, and only then committed. What a crash can leave behind, and how
the next run repairs it:

- killed before COMMIT: SQLite rolls the rows and counters back; any files
  already renamed carry numbers the journal never issued and
  `sweep_unissued_files` removes them (the numbers are handed out again);
- a committed document whose files went missing later (out/ deleted): the
  next run of its date renders it again and keeps it only when the DOCX is
  byte-identical to the journalled hash (same case, same template), then
  makes the PDF afresh and records the new PDF's hash.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from pipeline.commands.steps import render_document
from pipeline.documents import JOURNALLED, document_kind
from pipeline.errors import CalculationError, InputError, TemplateError
from pipeline.figures.escalation import last_notice
from pipeline.figures.money import ZERO
from pipeline.models import Case, Figures, JournalEntry, Problem, Shop
from pipeline.pdf.convert import ConversionJob, convert_pdfs
from pipeline.store.journal import Journal
from pipeline.store.outputs import case_output_dir
from pipeline.word.render import TemplateCache
from pipeline.wording.context import build_context

Progress = Callable[[str, int, int], None]
# `<kind>-<number>.docx|.pdf` of a journalled kind; temporary names carry `.pending.`.
_ISSUED_FILE = re.compile(rf"^({'|'.join(kind.name for kind in JOURNALLED)})-(.+-\d{{4}}-\d{{4}})\.(docx|pdf)$")
_PENDING_MARK = ".pending."


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
    """How the batch's PDFs are made: LibreOffice workers, and PDF/A-2b or plain PDF."""

    workers: int = 1
    pdf_a: bool = False


class _ConversionFailed(Exception):
    """Raised inside the journal transaction when a PDF could not be made, to roll it back."""


def document_path(out_dir: Path, case_id: str, kind: str, number: str, suffix: str, pending: bool = False) -> Path:
    """`<out>/<case id>/<kind>-<number>.<suffix>`, or its hidden temporary name."""
    name = document_kind(kind).file_name(suffix, number)
    if pending:
        name = f".{Path(name).stem}{_PENDING_MARK}{suffix}"
    return case_output_dir(out_dir, case_id) / name


def sweep_unissued_files(out_dir: Path, journal: Journal) -> None:
    """Remove what a crashed run left: temporary names, and numbers the journal never committed."""
    if not out_dir.is_dir():
        return
    issued = journal.issued()
    for folder in sorted(out_dir.iterdir()):
        if not folder.is_dir() or folder.name == "batches":
            continue
        for path in folder.iterdir():
            match = _ISSUED_FILE.match(path.name)
            if _PENDING_MARK in path.name or (match and (folder.name, match[1], match[2]) not in issued):
                path.unlink(missing_ok=True)


def issue_documents(
    requests: Sequence[IssueRequest],
    journal: Journal,
    shop: Shop,
    out_dir: Path,
    templates_dir: Path,
    pdf: PdfOptions,
    log: RunLog,
    progress: Progress | None = None,
) -> dict[str, JournalEntry]:
    """Number, render, convert, record and place the new documents in one transaction; by case id.

    When a PDF fails, the whole transaction rolls back and nothing is issued,
    so the numbers never have gaps; a case whose document cannot be rendered
    gives its number back and is reported.
    """
    if not requests:
        return {}
    staged: list[tuple[JournalEntry, Path, Path]] = []
    cache = TemplateCache()
    entries: list[JournalEntry] = []
    try:
        with journal.transaction():
            for index, request in enumerate(requests, 1):
                try:
                    with journal.savepoint():
                        number = journal.take_number(
                            document_kind(request.kind).number_prefix, request.figures.as_of.year
                        )
                        staged.append(
                            _render(replace(request, number=number), journal, shop, out_dir, templates_dir, cache)
                        )
                except (TemplateError, CalculationError, InputError) as err:
                    _report_render_problem(request, err, templates_dir, log)
                if progress:
                    progress("Документы", index, len(requests))
            _convert(staged, pdf, log, progress)
            entries = [_with_hashes(entry, docx, pdf) for entry, docx, pdf in staged]
            for entry in entries:
                journal.record(entry)
            for entry in entries:
                _move_into_place(entry, out_dir)
    except _ConversionFailed:
        log.environment_failed = True
        return {}
    finally:
        for _, docx_path, pdf_path in staged:
            docx_path.unlink(missing_ok=True)
            pdf_path.unlink(missing_ok=True)
    log.written.extend(_final_paths(entries, out_dir))
    return {entry.case_id: entry for entry in entries}


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
    """Make again the files of journalled documents that are missing, when the DOCX comes out identical."""
    cache = TemplateCache()
    for entry in entries:
        if all(path.is_file() for path in _final_paths([entry], out_dir)):
            continue
        request = requests.get(entry.case_id)
        where = Problem(str(out_dir), 1, 1, entry.number, "")
        if request is None:
            log.problems.append(replace(where, message=f"файлы документа пропали, а дела {entry.case_id} больше нет"))
            continue
        try:
            staged = [
                _render(
                    replace(request, kind=entry.kind, number=entry.number), journal, shop, out_dir, templates_dir, cache
                )
            ]
            if _sha256(staged[0][1]) != entry.docx_sha256:
                log.problems.append(
                    replace(
                        where,
                        message="файлы документа пропали и не восстановлены: "
                        "дело, шаблон или версия программы изменились",
                    )
                )
                continue
            with journal.transaction():
                _convert(staged, pdf, log, None)
                journal.update_pdf_hash(entry.number, _sha256(staged[0][2]))
                _move_into_place(entry, out_dir)
            log.repaired.append(entry.number)
        except (TemplateError, CalculationError, InputError) as err:
            _report_render_problem(request, err, templates_dir, log)
        except _ConversionFailed:
            log.environment_failed = True
        finally:
            for path in (
                document_path(out_dir, entry.case_id, entry.kind, entry.number, s, True) for s in ("docx", "pdf")
            ):
                path.unlink(missing_ok=True)


def _render(
    request: IssueRequest, journal: Journal, shop: Shop, out_dir: Path, templates_dir: Path, cache: TemplateCache
) -> tuple[JournalEntry, Path, Path]:
    case, figures, kind, number = request.case, request.figures, request.kind, request.number
    if number is None:
        raise ValueError("a document is rendered for the journal only once it has its number")
    template = document_kind(kind).template(templates_dir)
    docx = document_path(out_dir, case.id, kind, number, "docx", pending=True)
    context = build_context(
        case, shop, figures, kind, document_number=number, notice=_notice_for(journal, case.id, kind, figures.as_of)
    )
    render_document(kind, templates_dir, context, docx, cache)
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
        template_sha256=_sha256(template),
    )
    return entry, docx, document_path(out_dir, case.id, kind, number, "pdf", pending=True)


def _notice_for(journal: Journal, case_id: str, kind: str, as_of: date) -> tuple[str, date] | None:
    """The overdue notice a pretension recounts."""
    if not document_kind(kind).recounts_notice:
        return None
    notice = last_notice(journal.history(case_id), as_of)
    return (notice.number, notice.as_of) if notice else None


def _report_render_problem(request: IssueRequest, err: Exception, templates_dir: Path, log: RunLog) -> None:
    if isinstance(err, TemplateError):
        problem = Problem(str(document_kind(request.kind).template(templates_dir)), 1, 1, "", str(err))
        if problem not in log.problems:  # a broken template fails every case alike: say it once
            log.problems.append(problem)
    else:
        log.problems.append(Problem(str(request.case.source), 1, 1, request.kind, str(err)))


def _convert(
    staged: Sequence[tuple[JournalEntry, Path, Path]], pdf: PdfOptions, log: RunLog, progress: Progress | None
) -> None:
    if progress:
        progress("PDF", 0, len(staged))
    jobs = [ConversionJob(docx, pdf_path) for _, docx, pdf_path in staged]
    results = convert_pdfs(jobs, workers=pdf.workers, pdfa=pdf.pdf_a)
    failed = [result for result in results if not result.ok]
    for result in failed:
        log.problems.append(Problem(str(result.job.source), 1, 1, "", f"PDF не получен: {result.error}"))
    if failed:
        raise _ConversionFailed
    if progress:
        progress("PDF", len(staged), len(staged))


def _with_hashes(entry: JournalEntry, docx: Path, pdf: Path) -> JournalEntry:
    return replace(entry, docx_sha256=_sha256(docx), pdf_sha256=_sha256(pdf))


def _move_into_place(entry: JournalEntry, out_dir: Path) -> None:
    for suffix in ("docx", "pdf"):
        pending = document_path(out_dir, entry.case_id, entry.kind, entry.number, suffix, pending=True)
        os.replace(pending, document_path(out_dir, entry.case_id, entry.kind, entry.number, suffix))


def _final_paths(entries: Sequence[JournalEntry], out_dir: Path) -> list[Path]:
    return [document_path(out_dir, e.case_id, e.kind, e.number, suffix) for e in entries for suffix in ("docx", "pdf")]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
