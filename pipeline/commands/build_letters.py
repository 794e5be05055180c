"""The numbered letters of a `build`: issued through the journal exactly as the batch issues
them (journal_run.py decides, issue.py numbers, renders, converts and places), so that every
letter carrying an outgoing number is in the journal, whichever command made it.

A build issues what the escalation says is due on its date (a notice before a pretension),
narrowed by `--only`, and the lawyer's journalled letters named in `--only`; a date already
in the journal issues nothing new and rebuilds that date's missing files. It never writes
the batch's register or print file. `--draft` and `--format docx` issue nothing (build.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.commands.issue import IssueRequest, PdfOptions, RunLog, issue_documents, repair_missing_files
from pipeline.commands.journal_run import decide_case, lock_folders, open_for_issuing
from pipeline.commands.placing import final_paths
from pipeline.commands.steps import template_font_warnings
from pipeline.documents import BY_NAME, annexes_of, document_kind, is_journalled
from pipeline.models import Case, Decision, Figures, JournalEntry, Problem, Shop, warning
from pipeline.store.journal import Journal, open_journal_readonly

if TYPE_CHECKING:
    from pipeline.commands.build import BuildOptions

Progress = Callable[[str, int, int], None]
DRAFT_HINT = "проект без номера: --draft"


def journalled_wanted(only: frozenset[str] | None) -> list[str]:
    """The numbered kinds this build may make, in declaration order."""
    return [name for name in BY_NAME if is_journalled(name) and (only is None or name in only)]


def issues_letters(options: BuildOptions) -> bool:
    """Whether this build numbers letters in the journal: it makes PDFs, is no draft, and wants a numbered kind."""
    return "pdf" in options.formats and not options.draft and bool(journalled_wanted(options.only))


def open_build_journal(options: BuildOptions, run: RunLog, stack: ExitStack) -> Journal | None:
    """The journal, with the run's locks: for writing when the build issues letters (the state
    folder locked before the out folder, as by the batch); else read only, when there is one and
    numbered letters are wanted (a draft pretension recounts the notice sent; `--format docx`
    counts the letters it does not issue); else none, and only the out folder is locked."""
    if issues_letters(options):
        # The letters' template fonts are looked at once it is known which letters are issued.
        return open_for_issuing(
            options.out_dir, options.journal, options.templates_dir, (), run, stack, options.converter
        )
    lock_folders(stack, options.out_dir)
    if not journalled_wanted(options.only):
        return None
    journal = open_journal_readonly(options.journal)
    if journal is not None:
        stack.callback(journal.close)
    return journal


def make_numbered_letters(
    computed: Sequence[tuple[Case, Figures]],
    shop: Shop,
    options: BuildOptions,
    journal: Journal | None,
    run: RunLog,
    progress: Progress | None,
) -> list[JournalEntry]:
    """Issue the letters due through the journal, or say how many `--format docx` left unissued;
    the letters issued."""
    if issues_letters(options):
        assert journal is not None  # open_build_journal opens it for writing whenever letters are issued
        folders = (options.out_dir, options.templates_dir)
        pdf = PdfOptions(options.jobs, options.pdf_a, options.converter)
        return issue_letters(computed, journal, shop, folders, options.as_of, options.only, pdf, run, progress)
    if not options.draft and journalled_wanted(options.only):
        count = count_due(computed, journal, options.only)
        if count:
            run.warnings.append(letters_not_issued(count))
    return []


def issue_letters(
    computed: Sequence[tuple[Case, Figures]],
    journal: Journal,
    shop: Shop,
    folders: tuple[Path, Path],
    as_of: date,
    only: frozenset[str] | None,
    pdf: PdfOptions,
    run: RunLog,
    progress: Progress | None = None,
) -> list[JournalEntry]:
    """Issue the letters due on `as_of` and rebuild that date's missing ones; the letters issued.
    A date before the journal's last issues nothing (one warning) and still rebuilds its own."""
    out_dir, templates_dir = folders
    last = journal.last_as_of([case.id for case, _ in computed])  # this run's: its folder's, its cases'
    if last is not None and last > as_of:
        run.warnings.append(_backdated(journal, as_of, last))
        todo: list[IssueRequest] = []
    else:
        todo = [request for case, figures in computed for request in due_letters(case, figures, journal, only, run)]
        todo.sort(key=lambda request: request.case.id)  # numbered in the register's order, as the batch does
    kinds = [kind for request in todo for kind in (request.kind, *annexes_of(request.kind))]
    run.warnings.extend(template_font_warnings(templates_dir, kinds))
    issued = issue_documents(todo, journal, shop, out_dir, templates_dir, pdf, run, progress)
    requests = {case.id: IssueRequest(case, figures, "") for case, figures in computed}
    entries = [entry for entry in journal.entries_on(as_of, list(requests)) if only is None or entry.kind in only]
    repair_missing_files(entries, requests, journal, shop, out_dir, templates_dir, pdf, run)
    run.written.extend(final_paths([entry for entry in entries if entry.number in run.repaired], out_dir))
    return issued


def due_letters(
    case: Case, figures: Figures, journal: Journal, only: frozenset[str] | None, run: RunLog
) -> list[IssueRequest]:
    """The letters to issue for one case: the escalation's next letter and the lawyer's journalled
    letters named in `only` (one a date); a named letter the escalation does not give is a warning."""
    decision, problems = decide_case(case, figures, journal, figures.as_of)
    run.problems.extend(problems)
    if decision is None:
        return []
    given = [kind for kind in (decision.issue, *decision.also) if kind]
    letters = [IssueRequest(case, figures, kind) for kind in given if only is None or kind in only]
    for kind in sorted(only or ()):
        if not is_journalled(kind) or kind in given:
            continue
        if document_kind(kind).on_request:
            if not _issued_on(journal, case.id, kind, figures.as_of):
                letters.append(IssueRequest(case, figures, kind))
        elif decision.issued is None or decision.issued.kind != kind:
            run.warnings.append(not_due_warning(case, kind, decision))
    return letters


def not_due_warning(case: Case, kind: str, decision: Decision) -> Problem:
    """Why the escalation does not give `kind` today, and how to see it anyway."""
    title = document_kind(kind).title
    if decision.issue is not None:
        why = f"сначала положено другое письмо — {document_kind(decision.issue).title} ({decision.reason})"
    else:
        why = decision.reason
    return warning(f"{kind}: «{title}» сейчас не выпускается: {why}; {DRAFT_HINT}", str(case.source))


def count_due(computed: Sequence[tuple[Case, Figures]], journal: Journal | None, only: frozenset[str] | None) -> int:
    """How many cases the escalation gives a letter of the wanted kinds today (nothing is issued)."""
    decided = (decide_case(case, figures, journal, figures.as_of)[0] for case, figures in computed)
    decisions = [decision for decision in decided if decision is not None]
    return sum(
        1
        for decision in decisions
        for kind in (decision.issue, *decision.also)
        if kind and (only is None or kind in only)
    )


def letters_not_issued(count: int) -> Problem:
    """`--format docx`: the numbered letters due were not issued (a number goes only with its PDF)."""
    return warning(
        f"--format docx: писем с исходящим номером положено, но не выпущено: {count} — номер в журнале даётся "
        f"только вместе с PDF; запустите без --format docx, или {DRAFT_HINT}"
    )


def _backdated(journal: Journal, as_of: date, last: date) -> Problem:
    return warning(
        f"--as-of {as_of.isoformat()}: в журнале {journal.location} уже есть письма от {last.isoformat()}, а письма "
        f"с номером задним числом не выпускаются — собраны документы без номера и пропавшие письма этой даты; "
        f"{DRAFT_HINT}"
    )


def _issued_on(journal: Journal, case_id: str, kind: str, as_of: date) -> bool:
    return any(entry.kind == kind and entry.as_of == as_of for entry in journal.history(case_id))
