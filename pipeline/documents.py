"""The document kinds, each declared once: its title, outgoing-number prefix,
template and file names, when a case is due it, and whether the batch issues
it through the journal. Build, batch, check-templates, the journal and the
context read this registry; nothing else names a kind's properties.

Adding a kind is a Word template, one `DocumentKind` in `KINDS`, and the
figures its rule reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.figures.calendar import load_work_calendar
from pipeline.figures.case_events import last_of
from pipeline.figures.instalments import schedule_figures
from pipeline.figures.limitation import limitation_period
from pipeline.models import Case

if TYPE_CHECKING:
    from pipeline.figures.credit import ClientDebt

LETTERS_FOLDER = "letters"  # below the templates folder: the lawyer's own letters (inputs/letters.py)


@dataclass(frozen=True)
class DueFacts:
    """What the due rules look at: a case and its figures on the as-of date."""

    case: Case
    due_date: date | None
    as_of: date
    outstanding: Decimal
    days_overdue: int
    # Issue 16: the first day of the reminder before the due date (None: no reminder), and what the
    # client owes across all its cases of the run (figures/credit.py; None: not aggregated).
    reminder_from: date | None = None
    client_debt: ClientDebt | None = None


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document.

    `number_prefix` starts its outgoing number (УВ-2026-0001 in the journal,
    УВ-147 in a plain build); `journalled` kinds are issued by the monthly
    batch, numbered in the journal, and move the case to `status_after`.
    """

    name: str  # the template's file stem and the output file's name: pretension.docx
    title: str
    plural: str  # how a count of them reads in a summary: «претензий: 3»
    is_due: Callable[[DueFacts], bool]
    number_prefix: str = ""  # "": the document carries a number of its own (the invoice's)
    journalled: bool = False
    status_after: str = ""  # the batch status once it is issued (escalation.STATUS_TITLES)
    recounts_notice: bool = False  # its text recounts the last overdue notice (context block `notice`)
    registered_mail: bool = False  # sent by registered letter: listed for the post (form 103)
    folder: str = ""  # below the templates folder: LETTERS_FOLDER for the lawyer's own letters
    on_request: bool = False  # never due by itself: built when named (`build --only NAME`)
    annexes: tuple[str, ...] = ()  # kinds issued with it, under its number: debt_statement-ПР-2026-0001.pdf
    # How an annex names it after «Приложение к»: «претензии»; "" reads «письму».
    title_dative: str = ""
    # The context groups that may be empty elsewhere but a case must have for this kind to be
    # due (its rule reads them): always filled in it, so its template needs no {% if %} for them.
    needs: tuple[str, ...] = ()

    @property
    def template_name(self) -> str:
        return f"{self.name}.docx"

    def template(self, templates_dir: Path) -> Path:
        return templates_dir / self.folder / self.template_name

    def file_name(self, suffix: str, number: str | None = None) -> str:
        """`pretension.pdf` in a build; `pretension-ПР-2026-0001.pdf` once journalled."""
        return f"{self.name}-{number}.{suffix}" if number else f"{self.name}.{suffix}"


def _has_refusal(facts: DueFacts) -> bool:
    return facts.case.refusal is not None


def _has_invoice(facts: DueFacts) -> bool:
    return facts.case.invoice is not None


def _is_overdue(facts: DueFacts) -> bool:
    return facts.due_date is not None and facts.outstanding > 0 and facts.as_of > facts.due_date


def _never_due(_facts: DueFacts) -> bool:
    return False


def _pretension_due(facts: DueFacts) -> bool:
    # At least one day overdue, even when pretension_after_days is 0.
    return facts.days_overdue > 0 and facts.days_overdue >= facts.case.terms.pretension_after_days


# --- issue 16: the notice to collect the car, the reminder, the act of reconciliation, prepayment ---


def _collect_car_due(facts: DueFacts) -> bool:
    """The car is kept (after a refusal, or a finished repair not collected) and the case records no notice to
    collect it yet: once the shop writes the notice sent under `storage.notice`, it is not due again."""
    storage = facts.case.storage
    if storage is None or storage.notice is not None or storage.start > facts.as_of:
        return False
    return storage.end is None or storage.end > facts.as_of


def _reminder_due(facts: DueFacts) -> bool:
    """From the reminder day (due date − terms.reminder_days_before, on a working day) to the due date."""
    if facts.reminder_from is None or facts.due_date is None or facts.outstanding <= 0:
        return False
    return facts.reminder_from <= facts.as_of <= facts.due_date


def _prepayment_due(facts: DueFacts) -> bool:
    """The client's debt across its cases exceeds the limit and the rule of prepayment is written somewhere
    the letter can cite (terms.prepayment_basis): without it the register still says the limit is exceeded.
    One letter per client: on the case of its oldest order with a debt."""
    debt, terms = facts.client_debt, facts.case.terms
    if debt is None or not terms.prepayment_basis:
        return False
    return debt.total > terms.credit_limit and debt.is_lead(facts.case.id)


ACCOUNT_KINDS: tuple[DocumentKind, ...] = (
    DocumentKind(
        "collect_car_notice",
        "Уведомление о необходимости забрать автомобиль",
        "уведомлений о необходимости забрать автомобиль",
        _collect_car_due,
        number_prefix="ЗА",
        journalled=True,
        registered_mail=True,  # its delivery starts the term to collect the car (ГК РФ ст. 165.1, 889 п. 3)
        needs=("collect", "storage"),  # due only while the car is kept in storage (_collect_car_due)
    ),
    DocumentKind(
        "payment_reminder",
        "Напоминание о сроке оплаты",
        "напоминаний",
        _reminder_due,
        number_prefix="НП",
        journalled=True,
        needs=("invoice",),  # due before the invoice's due date
    ),
    # On request only (`build --only reconciliation_act`), for business clients; never numbered.
    DocumentKind("reconciliation_act", "Акт сверки взаимных расчётов", "актов сверки", _never_due, on_request=True),
    DocumentKind(
        "prepayment_notice",
        "Уведомление о работе по предоплате",
        "уведомлений о предоплате",
        _prepayment_due,
        number_prefix="ПО",
        journalled=True,
        needs=("credit",),  # due only over the credit limit, which the credit group describes
    ),
)


# --- instalments and writing off (issue 16, points 3 and 6) ---------------------------------
# An instalment agreement and the demand of its remainder are issued by the batch (escalation.py),
# numbered in the journal; `build` makes them whenever the case's history calls for them. The
# write-off act is the shop's own paper: never journalled, never sent.


def _has_instalments(facts: DueFacts) -> bool:
    return last_of([event for event in facts.case.events if event.date <= facts.as_of], "instalments") is not None


def _instalment_missed(facts: DueFacts) -> bool:
    """The day after a missed instalment's last day (moved to a working day, ГК РФ ст. 193)."""
    state = schedule_figures(facts.case.events, facts.case.payments, facts.as_of, load_work_calendar())
    return state is not None and state.missed is not None and facts.outstanding > 0


def _write_off_due(facts: DueFacts) -> bool:
    """A write-off decided (`written_off`), or a debt past its limitation period: the act to sign."""
    known = [event for event in facts.case.events if event.date <= facts.as_of]
    if last_of(known, "written_off") is not None:
        return True
    limitation = limitation_period(facts.due_date, known, load_work_calendar())
    return facts.outstanding > 0 and limitation is not None and limitation.expired(facts.as_of)


AGREEMENT_KINDS: tuple[DocumentKind, ...] = (
    DocumentKind(
        "instalment_agreement",
        "Соглашение о признании долга и рассрочке его погашения",
        "соглашений",
        _has_instalments,
        number_prefix="СР",
        journalled=True,
        status_after="instalments",
        title_dative="соглашению",
        needs=("instalments",),
    ),
    DocumentKind(
        "missed_instalment_notice",
        "Требование о досрочной оплате оставшейся суммы долга по соглашению о рассрочке",
        "требований",
        _instalment_missed,
        number_prefix="ТР",
        journalled=True,
        status_after="instalment_demanded",
        registered_mail=True,
        title_dative="требованию",
        needs=("instalments", "instalments.missed"),
    ),
    DocumentKind(
        "write_off_act",
        "Акт о списании задолженности",
        "актов о списании",
        _write_off_due,
        number_prefix="АС",  # акт о списании (СП is the court order's)
        needs=("write_off",),
    ),
)

# In the order a case's documents are built and listed.
KINDS: tuple[DocumentKind, ...] = (
    DocumentKind(
        "refusal_act",
        "Акт об отказе заказчика от исполнения договора (от ремонта автомобиля)",
        "актов",
        _has_refusal,
        number_prefix="АО",
        needs=("refusal",),
    ),
    DocumentKind("invoice", "Счёт на оплату", "счетов", _has_invoice, needs=("invoice",)),
    DocumentKind(
        "overdue_notice",
        "Уведомление о просрочке оплаты",
        "уведомлений",
        _is_overdue,
        number_prefix="УВ",
        journalled=True,
        status_after="notified",
        annexes=("debt_statement",),
        title_dative="уведомлению о просрочке оплаты",
        needs=("invoice",),  # overdue only past a due date, which only an invoice has
    ),
    DocumentKind(
        "pretension",
        "Досудебная претензия",
        "претензий",
        _pretension_due,
        number_prefix="ПР",
        journalled=True,
        status_after="pretension_sent",
        recounts_notice=True,
        registered_mail=True,
        annexes=("debt_statement",),
        title_dative="претензии",
        needs=("invoice",),
    ),
    # The state of the debt on the as-of date, annexed to the notice and the pretension; built alone with
    # `build --only debt_statement`. Never due by itself, never numbered: an annex goes under its letter's number.
    DocumentKind("debt_statement", "Расчёт задолженности", "расчётов", _never_due, on_request=True),
    *ACCOUNT_KINDS,
    *AGREEMENT_KINDS,
)


# --- court applications (issue 17, points 3–4) ----------------------------------------
# Whether one may be made needs the court plan (figures/court_filing.py: the court, the procedure, a
# cancelled order, the pretension period), which the due facts do not carry: a build makes the one the
# plan allows for a case that names its court (commands/steps.court_applications_due), and one named
# (`build --only court_order CASE`) is made or refused with the reason. The batch's escalation to court
# is wired with the case history. Prefixes: СП (судебный приказ), ИЗ (исковое заявление).


def _built_when_named(_facts: DueFacts) -> bool:
    return False


COURT_KINDS: tuple[DocumentKind, ...] = (
    DocumentKind(
        "court_order",
        "Заявление о выдаче судебного приказа",
        "заявлений о выдаче судебного приказа",
        _built_when_named,
        number_prefix="СП",
        journalled=True,
        status_after="application_ready",
        on_request=True,
        needs=("court", "invoice"),  # made only on a court plan for an overdue invoice (steps.document_context)
    ),
    DocumentKind(
        "claim",
        "Исковое заявление о взыскании задолженности",
        "исковых заявлений",
        _built_when_named,
        number_prefix="ИЗ",
        journalled=True,
        status_after="application_ready",
        on_request=True,
        needs=("court", "invoice"),  # made only on a court plan for an overdue invoice (steps.document_context)
    ),
)
KINDS = (*KINDS, *COURT_KINDS)

BY_NAME: dict[str, DocumentKind] = {kind.name: kind for kind in KINDS}
KIND_NAMES: tuple[str, ...] = tuple(BY_NAME)
JOURNALLED: tuple[DocumentKind, ...] = tuple(kind for kind in KINDS if kind.journalled)


def register_letters(letters: Iterable[DocumentKind]) -> None:
    """Make the lawyer's letters of the templates folder in use known to every stage, replacing
    those of an earlier folder (the program's own kinds stay); a command does this once, before it
    plans anything."""
    for name in [name for name, kind in BY_NAME.items() if kind.folder == LETTERS_FOLDER]:
        del BY_NAME[name]
    BY_NAME.update((kind.name, kind) for kind in letters)


def document_kind(name: str) -> DocumentKind:
    """The declaration of `name`; KeyError for a name that is no kind."""
    return BY_NAME[name]


def annexes_of(name: str) -> tuple[str, ...]:
    """The kinds issued with the letter `name` under its number; none for a kind no longer
    declared (a lawyer's letter since removed, still in the journal)."""
    kind = BY_NAME.get(name)
    return kind.annexes if kind else ()


def is_journalled(name: str) -> bool:
    """Whether `name` is numbered in the journal: the escalation's letters and the lawyer's letters
    declared `journalled: true` (JOURNALLED holds only the former: it is fixed at import)."""
    return BY_NAME[name].journalled


def kinds_due(facts: DueFacts) -> tuple[str, ...]:
    """The names of the kinds due, in declaration order."""
    return tuple(kind.name for kind in BY_NAME.values() if kind.is_due(facts))
