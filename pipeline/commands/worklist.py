"""The batch's register as the manager's worklist: each case's outcome joined with its journalled
letters and its events — the last letter and what the post did with it, the deadlines, the next
step, the state duty of a case going to court — a row for each case the journal knows whose file
is gone from the folder, and the history sheet's rows. Reads nothing: batch.py passes the letters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.commands.history import dated_history
from pipeline.commands.issue import sent_letters_of
from pipeline.commands.steps import court_plan_of
from pipeline.documents import BY_NAME
from pipeline.errors import CalculationError
from pipeline.figures.calendar import load_work_calendar
from pipeline.figures.court import ready_status
from pipeline.figures.credit import over_credit_limit  # issue 16: the register's «Превышен лимит»
from pipeline.figures.escalation import APPLICATION_KINDS, SIDE_KINDS, answer_deadline, status_words
from pipeline.figures.money import ZERO, to_kopecks
from pipeline.figures.next_step import next_step
from pipeline.models import Case, Event, JournalEntry, Problem, warning
from pipeline.store.journal import Journal
from pipeline.store.register import NOT_FOUND, HistoryRow, RegisterRow
from pipeline.wording.russian import format_date_short

if TYPE_CHECKING:
    from pipeline.commands.batch import CaseOutcome

DEMANDS = ("pretension", "missed_instalment_notice")  # letters with a term to answer


@dataclass(frozen=True)
class Ledger:
    """What the register reads from the journal once the batch has issued: every letter of each
    case of the run, and of the cases the journal placed into this out folder whose file the case
    folders no longer hold (`missing`)."""

    letters: Mapping[str, tuple[JournalEntry, ...]]
    missing: tuple[str, ...] = ()


def read_ledger(
    journal: Journal, outcomes: Sequence[CaseOutcome], ids_read: frozenset[str], whole_folders: bool
) -> Ledger:
    """The letters of the run's cases; the missing cases only when the run read whole folders (a run
    on some files is not told about the others)."""
    missing = sorted(journal.case_ids() - ids_read) if whole_folders else []
    ids = [outcome.case.id for outcome in outcomes] + missing
    return Ledger({case_id: journal.history(case_id) for case_id in ids}, tuple(missing))


def missing_warnings(ledger: Ledger, folders: Sequence[Path]) -> list[Problem]:
    """One warning per case of the journal whose file is in none of the folders."""
    where = ", ".join(str(folder) for folder in folders)
    return [
        warning(
            f"{case_id}: дело есть в журнале, но файла дела нет в папке {where}; в реестре — по последнему "
            f"письму {_letter_words(ledger.letters[case_id])} (верните файл или закройте дело событием written_off)",
            where,
        )
        for case_id in ledger.missing
    ]


def register_rows(outcomes: Sequence[CaseOutcome], ledger: Ledger) -> list[RegisterRow]:
    """A row per case of the run and per missing case, by case id."""
    rows = [register_row(outcome, ledger.letters.get(outcome.case.id, ())) for outcome in outcomes]
    rows += [missing_row(case_id, ledger.letters[case_id]) for case_id in ledger.missing]
    return sorted(rows, key=lambda row: row.case_id)


def status_title(outcome: CaseOutcome) -> str:
    if outcome.decision.issue and outcome.number is None:
        return "ошибка: документ не выпущен"
    if outcome.decision.status == "ready_for_court":
        # No court named is no error for the batch: the register says which field to add.
        return ready_status(outcome.case)
    return status_words(outcome.decision)


def register_row(outcome: CaseOutcome, letters: Sequence[JournalEntry]) -> RegisterRow:
    figures, case = outcome.figures, outcome.case
    duty, waiting = court_duty(outcome, letters)
    step = next_step(outcome.decision, case.events, court_named=case.court is not None, court_waiting=waiting)
    last = last_letter(letters)
    return RegisterRow(
        case_id=case.id,
        client=case.client.name,
        phone=case.client.phone or "",
        outstanding=figures.outstanding,
        days_overdue=figures.days_overdue,
        penalty=figures.penalty.total,
        storage=figures.storage.fee if figures.storage else ZERO,
        claim=figures.claim_total,
        document=outcome.title,
        number=outcome.number or "",
        status=status_title(outcome),
        over_limit="да" if over_credit_limit(figures.client_debt, case.terms.credit_limit) else "",  # issue 16
        address=case.client.address,
        last_document=_letter_words(letters),
        mailing=mailing_words(last.number, case.events) if last else "",
        pay_by=figures.due_date,
        answer_by=_answer_by(case, letters),
        next_step=step.words,
        next_on=step.on,
        duty=duty,
        side="; ".join(f"{_title(entry.kind)} {entry.number}" for entry in outcome.side),
    )


def missing_row(case_id: str, letters: Sequence[JournalEntry]) -> RegisterRow:
    """A case the journal knows and the folder does not: its last letter, no figures."""
    return RegisterRow(
        case_id=case_id,
        client="",
        phone="",
        outstanding=ZERO,
        days_overdue=0,
        penalty=ZERO,
        storage=ZERO,
        claim=ZERO,
        document="",
        number="",
        status=NOT_FOUND,
        last_document=_letter_words(letters),
        next_step="вернуть файл дела в папку",
        found=False,
    )


def history_rows(outcomes: Sequence[CaseOutcome], ledger: Ledger) -> list[HistoryRow]:
    """Each case's letters and events in date order, the cases by id."""
    cases: list[tuple[str, str, Sequence[Event]]] = [(o.case.id, o.case.client.name, o.case.events) for o in outcomes]
    cases += [(case_id, "", ()) for case_id in ledger.missing]
    return [
        HistoryRow(case_id, client, day, words)
        for case_id, client, events in sorted(cases, key=lambda item: item[0])
        for day, words in dated_history(ledger.letters.get(case_id, ()), events)
    ]


def court_duty(outcome: CaseOutcome, letters: Sequence[JournalEntry]) -> tuple[Decimal | None, str]:
    """For a case ready for court or whose application is of this date (issued by this run, or by the
    run it repeats): the state duty of its court plan, and why the plan makes no application yet ("" when
    it does)."""
    decision = outcome.decision
    if decision.status != "ready_for_court" and outcome.kind not in APPLICATION_KINDS:
        return None, ""
    case, figures = outcome.case, outcome.figures
    try:
        plan = court_plan_of(case, figures, sent_letters_of(letters, case, figures.as_of))
    except CalculationError as err:  # a duty table without the day's scale: said in the next step
        return None, str(err)
    if plan is None:
        return None, ""
    return to_kopecks(plan.duty.amount), "" if plan.decision.ready else plan.status


def last_letter(letters: Sequence[JournalEntry]) -> JournalEntry | None:
    """The case's latest letter; on one day the escalation's before a side letter."""
    return max(letters, key=lambda e: (e.as_of, e.kind not in SIDE_KINDS, e.number), default=None)


def mailing_words(number: str, events: Sequence[Event]) -> str:
    """What the events say happened to letter `number`: «отправлено 02.11.2026, ШПИ …; получено …»."""
    return "; ".join(
        _MAILING[event.kind](event) for event in events if event.document == number and event.kind in _MAILING
    )


def _mailed(event: Event) -> str:
    when = format_date_short(event.date)
    if event.channel == "in_person":
        return f"вручено лично {when}"
    if event.channel == "email":
        return f"отправлено по электронной почте {when}"
    return f"отправлено {when}" + (f", ШПИ {event.tracking}" if event.tracking else "")


_MAILING: dict[str, Callable[[Event], str]] = {
    "sent": _mailed,
    "delivered": lambda event: f"получено {format_date_short(event.date)}",
    "returned": lambda event: f"вернулось {format_date_short(event.date)}",
}


def _answer_by(case: Case, letters: Sequence[JournalEntry]) -> date | None:
    demands = [entry for entry in letters if entry.kind in DEMANDS]
    if not demands:
        return None
    return answer_deadline(demands[-1], case.terms, case.events, load_work_calendar())


def _letter_words(letters: Sequence[JournalEntry]) -> str:
    last = last_letter(letters)
    return f"{_title(last.kind)} {last.number} от {format_date_short(last.as_of)}" if last else ""


def _title(kind: str) -> str:
    declared = BY_NAME.get(kind)
    return declared.title if declared else kind
