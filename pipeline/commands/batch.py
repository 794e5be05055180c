"""The monthly collections batch: validate every case, compute its figures,
decide what each debtor gets next (escalation.py), issue the new letters
against the journal (issue.py, journal.py), and write the register and the
print bundle to `<out>/batches/<as-of>/` (register.py, bundle.py). Never prints.

Before anything is decided, the out folder must belong to the journal
(ownership.py: refused with exit 3 otherwise, nothing touched), and whatever a
killed run of this journal committed but did not place is finished or undone
(placing.py). Each document lands in `<out>/<case id>/<kind>-<number>.docx|.pdf`,
beside the case's other documents; the batch folder holds what is handed over.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from pipeline.commands.issue import (
    IssueRequest,
    PdfOptions,
    RunLog,
    document_path,
    issue_documents,
    repair_missing_files,
)
from pipeline.commands.journal_run import decide_case, open_for_issuing, open_for_reading
from pipeline.commands.steps import compute_case_figures
from pipeline.commands.worklist import Ledger, history_rows, missing_warnings, read_ledger, register_rows
from pipeline.documents import JOURNALLED, annexes_of, document_kind
from pipeline.errors import UsageError
from pipeline.figures.escalation import SIDE_KINDS
from pipeline.inputs.validate import Inputs, validate_inputs
from pipeline.models import Case, Decision, Figures, JournalEntry, Problem, Shop, exit_code
from pipeline.pdf.bundle import PrintItem, write_merged_pdf
from pipeline.pdf.converters import LOCAL, Converter
from pipeline.resources import default_templates_dir
from pipeline.store.failures import file_problem
from pipeline.store.journal import Journal, JournalSource, format_number, journal_source
from pipeline.store.outputs import write_atomic
from pipeline.store.post import post_batch_file, post_warnings
from pipeline.store.register import register_csv, register_xlsx

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BatchOptions:
    out_dir: Path
    state_dir: Path
    as_of: date
    dry_run: bool = False
    jobs: int = 1
    pdf_a: bool = False  # PDF/A-2b, every font embedded: for the archive
    templates_dir: Path = field(default_factory=default_templates_dir)
    allow_unconfirmed_rates: bool = False  # ст. 395 over rates the Bank of Russia has not confirmed
    converter: Converter = LOCAL  # where PDFs are made: the local pool or unoserver servers (--converter)
    journal_url: str | None = None  # a PostgreSQL journal several machines share, instead of state_dir's
    duplex: bool = True  # print.pdf: each document padded to an even page count, for double-sided printing

    @property
    def journal(self) -> JournalSource:
        return journal_source(self.state_dir, self.journal_url)


@dataclass(frozen=True)
class CaseOutcome:
    """One case in this batch: its figures, the decision, and the batch's document for it."""

    case: Case
    figures: Figures
    decision: Decision
    kind: str | None = None  # the document of this batch, new or already journalled
    number: str | None = None  # in a dry run: the number it would get
    new: bool = False
    side: tuple[JournalEntry, ...] = ()  # this date's side letters (escalation.SIDE_KINDS), new or journalled
    side_new: frozenset[str] = frozenset()  # the numbers of the side letters this run issued
    side_planned: tuple[tuple[str, str], ...] = ()  # a dry run: (kind, provisional number) of its side letters

    @property
    def title(self) -> str:
        return document_kind(self.kind).title if self.kind else ""

    def letters(self) -> list[tuple[str, str]]:
        """(kind, number) of every letter of this batch for the case: the escalation's, then the side ones."""
        main = [(self.kind, self.number)] if self.kind and self.number else []
        return main + [(entry.kind, entry.number) for entry in self.side]


@dataclass(frozen=True)
class BatchReport:
    as_of: date
    dry_run: bool
    cases_total: int
    outcomes: tuple[CaseOutcome, ...]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()
    written: tuple[Path, ...] = ()
    repaired: tuple[str, ...] = ()
    folder: Path | None = None  # <out>/batches/<as-of>/ when it was written
    environment_failed: bool = False
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return exit_code(self.problems, self.environment_failed)

    def issued(self, kind: str) -> int:
        main = sum(1 for outcome in self.outcomes if outcome.new and outcome.kind == kind)
        side = sum(1 for o in self.outcomes for entry in o.side if entry.kind == kind and entry.number in o.side_new)
        return main + side

    @property
    def repeated(self) -> int:
        """Documents of this date already in the journal (a repeated run)."""
        return sum(1 for outcome in self.outcomes if outcome.kind and not outcome.new)

    @property
    def closed(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.decision.status == "closed")

    @property
    def waiting(self) -> tuple[CaseOutcome, ...]:
        """Open cases that get nothing new this time, not even a side letter (not yet due, waiting, ready for court)."""
        return tuple(
            o
            for o in self.outcomes
            if o.kind is None and not o.side and not o.side_planned and o.decision.status != "closed"
        )

    @property
    def skipped(self) -> int:
        return len(self.waiting)


def run_batch(
    paths: Sequence[Path], shop_path: Path, options: BatchOptions, progress: Progress | None = None
) -> BatchReport:
    """The collections batch on `options.as_of`; a dry run opens nothing for writing."""
    started = time.monotonic()
    inputs = validate_inputs(paths, shop_path)
    run = RunLog(problems=list(inputs.problems), warnings=list(inputs.warnings))
    outcomes: list[CaseOutcome] = []
    if inputs.shop is not None:
        with ExitStack() as stack:
            try:
                journal = _open_for_run(options, run, stack)
                outcomes = _run_with_journal(journal, inputs, paths, options, run, progress)
            except OSError as err:  # a full disk, a folder we may not write: one line, exit 3
                raise file_problem(err) from err
    return BatchReport(
        as_of=options.as_of,
        dry_run=options.dry_run,
        cases_total=inputs.files_checked - 1,
        outcomes=tuple(outcomes),
        problems=tuple(run.problems),
        warnings=tuple(run.warnings),
        written=tuple(run.written),
        repaired=tuple(run.repaired),
        folder=batch_dir(options.out_dir, options.as_of)
        if any(p.name == "register.csv" for p in run.written)
        else None,
        environment_failed=run.environment_failed,
        seconds=time.monotonic() - started,
    )


def _open_for_run(options: BatchOptions, run: RunLog, stack: ExitStack) -> Journal | None:
    """The run's journal, once the out folder is known to be its own (journal_run.py): a dry run
    reads it; a real run locks the folders, opens it for writing and finishes a killed run's work."""
    if options.dry_run:
        return open_for_reading(options.out_dir, options.journal, stack)
    kinds = (kind.name for kind in JOURNALLED)
    return open_for_issuing(
        options.out_dir, options.journal, options.templates_dir, kinds, run, stack, options.converter
    )


def _run_with_journal(
    journal: Journal | None,
    inputs: Inputs,
    paths: Sequence[Path],
    options: BatchOptions,
    run: RunLog,
    progress: Progress | None,
) -> list[CaseOutcome]:
    cases, shop = inputs.cases, inputs.shop
    assert shop is not None  # run_batch runs only with a valid shop
    last = journal.last_as_of({case.id for case in cases}) if journal else None  # this run's: its folder's, its cases'
    if last is not None and last > options.as_of:
        raise UsageError(
            f"--as-of {options.as_of.isoformat()}: в журнале уже есть документы от {last.isoformat()}; "
            "пакет не выпускает документы задним числом"
        )
    decided = decide_cases(cases, shop, journal, options.as_of, run, options.allow_unconfirmed_rates)
    if options.dry_run:
        return assign_provisional_numbers(decided, journal, options.as_of)
    assert journal is not None  # run_batch opens the journal for writing unless it is a dry run
    requests = {o.case.id: IssueRequest(o.case, o.figures, o.decision.issue or "") for o in decided}
    todo = [
        IssueRequest(o.case, o.figures, kind) for o in decided for kind in (o.decision.issue, *o.decision.also) if kind
    ]
    folders = (options.out_dir, options.templates_dir)
    pdf = PdfOptions(options.jobs, options.pdf_a, options.converter)
    issued = issue_documents(todo, journal, shop, *folders, pdf, run, progress)
    of_date = journal.entries_on(options.as_of, requests)
    repair_missing_files(of_date, requests, journal, shop, *folders, pdf, run)
    outcomes = [_with_documents(outcome, issued, of_date) for outcome in decided]
    if not run.environment_failed:
        whole_folders = all(path.is_dir() for path in paths)
        ledger = read_ledger(journal, outcomes, inputs.ids_read, whole_folders)
        run.warnings.extend(missing_warnings(ledger, paths))
        write_batch_outputs(outcomes, options, run, shop, ledger)
    return outcomes


def decide_cases(
    cases: Sequence[Case],
    shop: Shop,
    journal: Journal | None,
    as_of: date,
    run: RunLog,
    allow_unconfirmed_rates: bool = False,
) -> list[CaseOutcome]:
    """Figures and a decision for every valid case, in register order (by case id)."""
    outcomes = []
    in_register_order = sorted(cases, key=lambda case: case.id)
    for case, figures in compute_case_figures(
        in_register_order, shop, as_of, run.problems, run.warnings, allow_unconfirmed_rates
    ):
        decision, problems = decide_case(case, figures, journal, as_of)
        run.problems.extend(problems)
        if decision is not None:
            outcomes.append(CaseOutcome(case, figures, decision))
    return outcomes


def assign_provisional_numbers(
    decided: Sequence[CaseOutcome], journal: Journal | None, as_of: date
) -> list[CaseOutcome]:
    """What a real run would number each new document and side letter, in its order, taking nothing."""
    taken: dict[str, int] = {}

    def number_of(kind: str) -> str:
        prefix = document_kind(kind).number_prefix
        ahead = taken[prefix] = taken.get(prefix, -1) + 1
        return (
            journal.peek_number(prefix, as_of.year, ahead) if journal else format_number(prefix, as_of.year, ahead + 1)
        )

    outcomes = []
    for outcome in decided:
        kind = outcome.decision.issue
        if kind is not None:
            outcome = replace(outcome, kind=kind, number=number_of(kind), new=True)
        outcomes.append(replace(outcome, side_planned=tuple((side, number_of(side)) for side in outcome.decision.also)))
    return outcomes


def _with_documents(
    outcome: CaseOutcome, issued: Sequence[JournalEntry], of_date: Sequence[JournalEntry] = ()
) -> CaseOutcome:
    """The outcome with the batch's documents: the ones just issued, or the journal's of this date."""
    mine = [entry for entry in issued if entry.case_id == outcome.case.id]
    side = tuple(entry for entry in of_date if entry.case_id == outcome.case.id and entry.kind in SIDE_KINDS)
    side_new = frozenset(entry.number for entry in mine if entry.kind in SIDE_KINDS)
    outcome = replace(outcome, side=side, side_new=side_new)
    main = [entry for entry in mine if entry.kind not in SIDE_KINDS]
    if main:
        return replace(outcome, kind=main[0].kind, number=main[0].number, new=True)
    entry = outcome.decision.issued
    if entry is not None:
        return replace(outcome, kind=entry.kind, number=entry.number)
    return outcome


def print_items(outcomes: Sequence[CaseOutcome], out_dir: Path) -> list[PrintItem]:
    """The batch's documents whose PDF is in place, in register order, each annex right after its letter."""
    items = []
    for outcome in outcomes:
        client = outcome.case.client
        for letter, number in outcome.letters():
            for kind in (letter, *annexes_of(letter)):
                pdf = document_path(out_dir, outcome.case.id, kind, number, "pdf")
                if pdf.is_file():
                    title = document_kind(kind).title
                    item = PrintItem(
                        outcome.case.id, kind, number, title, client.name, client.address, pdf, outcome.case.source
                    )
                    items.append(item)
    return items


def batch_dir(out_dir: Path, as_of: date) -> Path:
    return out_dir / "batches" / as_of.isoformat()


def write_batch_outputs(
    outcomes: Sequence[CaseOutcome], options: BatchOptions, run: RunLog, shop: Shop, ledger: Ledger
) -> None:
    """register.csv and .xlsx always; print.pdf and the post's file when there is something to send."""
    folder = batch_dir(options.out_dir, options.as_of)
    rows = register_rows(outcomes, ledger)
    items = print_items(outcomes, options.out_dir)
    post_name, post_file = post_batch_file(items, shop, options.as_of)
    run.warnings.extend(post_warnings(items))
    files = {
        "register.csv": register_csv(rows),
        "register.xlsx": register_xlsx(rows, options.as_of, history_rows(outcomes, ledger)),
        "form103.csv": None,  # what runs before store/post.py wrote: replaced by post_name
        post_name: post_file,
    }
    for name, data in files.items():
        if data is None:
            (folder / name).unlink(missing_ok=True)  # left by an earlier run of this date
        else:
            write_atomic(folder / name, data)
            run.written.append(folder / name)
    if items:
        write_merged_pdf(
            items, folder / "print.pdf", options.duplex
        )  # streamed to disk: memory does not grow with the batch
        run.written.append(folder / "print.pdf")
    else:
        (folder / "print.pdf").unlink(missing_ok=True)
