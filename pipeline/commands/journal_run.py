"""What every command that issues numbered letters does around the journal, written once for
`batch` and `build`: open it for a run (the out folder must be its own, ownership.py; one run
at a time per folder), finish or undo what a killed run left (placing.py), and decide from the
journal's history what each case gets next (escalation.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import ExitStack
from datetime import date
from pathlib import Path

from pipeline.commands.issue import RunLog, sent_letters_of
from pipeline.commands.placing import settle_unfinished, sweep_temporaries
from pipeline.commands.steps import court_applications_due, template_font_warnings
from pipeline.documents import BY_NAME, LETTERS_FOLDER
from pipeline.figures.escalation import decide
from pipeline.inputs.event_rules import check_events_in_run
from pipeline.models import Case, Decision, Figures, Problem
from pipeline.pdf.converters import Converter
from pipeline.store.failures import file_problem
from pipeline.store.journal import Journal, JournalSource, open_journal, open_journal_readonly, require_writable
from pipeline.store.lock import LOCK_NAME, folder_lock
from pipeline.store.ownership import claim_out_dir, refuse_foreign_out_dir


def open_for_issuing(
    out_dir: Path,
    source: JournalSource,
    templates_dir: Path,
    kinds: Iterable[str],
    run: RunLog,
    stack: ExitStack,
    converter: Converter,
) -> Journal:
    """The journal opened for writing once the out folder is known to be its own; the run's
    folders locked (on `stack`); what a killed run left finished or undone."""
    converter.check()  # EnvironmentProblem (exit 3) before the journal is touched
    run.warnings.extend(template_font_warnings(templates_dir, kinds))
    refuse_foreign_out_dir(out_dir, source)  # before the lock makes a state folder
    require_writable(source)  # the journal's own message, not the lock file's
    # One run at a time per journal and per output folder (the transaction alone would not stop
    # two runs from settling or rewriting each other's files); a PostgreSQL journal is shared by
    # several machines: its runs lock only their out folder and settle only that folder's rows.
    lock_folders(stack, *((source, out_dir) if isinstance(source, Path) else (out_dir,)))
    refuse_foreign_out_dir(out_dir, source)  # again, now that no one else runs
    journal = open_journal(source)
    stack.callback(journal.close)
    claim_out_dir(out_dir, journal)
    # What a killed run of this journal committed but did not place: finished or undone first.
    run.warnings.extend(settle_unfinished(journal, out_dir))
    sweep_temporaries(out_dir)
    return journal


def open_for_reading(out_dir: Path, source: JournalSource, stack: ExitStack) -> Journal | None:
    """The journal read-only (None when there is none yet), refused like a real run's when the out
    folder is not its own; nothing is created or written."""
    readonly = open_journal_readonly(source)
    if readonly is None:
        refuse_foreign_out_dir(out_dir, source)
        return None
    stack.callback(readonly.close)
    claim_out_dir(out_dir, readonly, write=False)
    return readonly


def lock_folders(stack: ExitStack, *folders: Path) -> None:
    """Hold each folder's run lock until `stack` closes, in the order given (state before out)."""
    for folder in folders:
        try:
            stack.enter_context(folder_lock(folder))
        except OSError as err:
            raise file_problem(err, folder / LOCK_NAME) from err


def decide_case(
    case: Case, figures: Figures, journal: Journal | None, as_of: date
) -> tuple[Decision | None, list[Problem]]:
    """What the case gets next on `as_of`, from its figures, its journalled letters (read once) and its
    events, and the court application its court plan allows once the letters have run their course.
    None, with the problems, when the case's events contradict the run (dated after `as_of`, naming
    letters the journal lacks): such a case gets no letter until its file is fixed."""
    letters = journal.history(case.id) if journal else ()
    problems = check_events_in_run(case, letters, as_of)
    if problems:
        return None, problems
    applications = court_applications_due(case, figures, sent_letters_of(letters, case, as_of))
    # A lawyer's journalled letter is numbered in the same journal but moves no escalation.
    escalating = tuple(entry for entry in letters if _escalates(entry.kind))
    application = applications[0] if applications else None
    return decide(figures, case.terms, escalating, as_of, case.events, case.payments, application=application), []


def _escalates(kind: str) -> bool:
    declared = BY_NAME.get(kind)
    return declared is not None and declared.folder != LETTERS_FOLDER
