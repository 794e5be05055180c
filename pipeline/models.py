"""The frozen objects passed between stages: a validated shop and case, the
figures computed for them, and the problems found in input.

Nothing here does I/O or computes anything beyond trivial derived values;
every stage takes and returns these types.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.figures.credit import ClientDebt


@dataclass(frozen=True)
class Problem:
    """One thing wrong, shown to the user as one line: in an input file (with
    its line and column), in a template (with the paragraph), or in a run.

    `cases/ivanov.yaml:12:5: client.inn: контрольная сумма ИНН не сходится (проверьте цифры)`;
    `templates/invoice.docx: неизвестная переменная … — в абзаце 12 «…»`.
    A warning does not fail the run; it is printed after «предупреждение:».
    """

    path: str
    line: int | None
    column: int | None
    field: str
    message: str
    hint: str = ""
    paragraph: str = ""  # a template problem: the paragraph's text, quoted
    severity: str = "error"  # or "warning"
    paragraph_number: int | None = None  # counted from 1 in the document's body, tables included

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}:" if self.line is not None else f"{self.path}:"
        text = f"{self.field}: {self.message}" if self.field else self.message
        if self.hint:
            text += f" ({self.hint})"
        if self.paragraph:
            number = f" {self.paragraph_number}" if self.paragraph_number else ""
            text += f" — в абзаце{number} «{self.paragraph}»"
        line = f"{where} {text}" if self.path else text
        return f"предупреждение: {line}" if self.severity == "warning" else line

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def warning(message: str, path: str = "") -> Problem:
    """A warning: shown, never failing the run."""
    return Problem(path, None, None, "", message, severity="warning")


def exit_code(problems: Sequence[Problem], environment_failed: bool = False) -> int:
    """The one exit rule: 3 when the machine failed the job, 1 when some input
    was wrong (the rest was still done), 0 otherwise; warnings never count."""
    if environment_failed:
        return 3
    return 1 if any(problem.is_error for problem in problems) else 0


# --- the shop profile -------------------------------------------------------


@dataclass(frozen=True)
class Signatory:
    name: str
    position: str
    basis: str


@dataclass(frozen=True)
class Bank:
    name: str
    bik: str
    account: str
    corr_account: str


@dataclass(frozen=True)
class StorageTerms:
    daily_rate: Decimal
    free_days: int
    basis: str | None = None  # where the client agreed the tariff («п. 4.3 заказ-наряда»); None: no fee
    collect_days: int = 7  # days from receipt of the notice to collect the car (ГК РФ ст. 889 п. 3)


@dataclass(frozen=True)
class PenaltyTerms:
    kind: str  # "key_rate" (ГК РФ ст. 395) | "contract" (неустойка, ст. 330)
    rate_percent_per_day: Decimal | None = None
    cap_percent: Decimal | None = None
    exclude_moratorium: bool = True
    basis: str | None = None  # contract only: the written agreement (ГК РФ ст. 331), «п. 5.2 договора»


@dataclass(frozen=True)
class CollectionsTerms:
    """When the monthly batch escalates (escalation.py); `pretension_after_days` stays on Terms."""

    notice_after_days: int = 1  # days overdue from which an overdue notice is sent
    notice_before_pretension_days: int = 7  # a pretension only this many days after a notice at the earliest
    repeat_after_days: int = 30  # the same kind of letter never again within this many days


@dataclass(frozen=True)
class Court:
    """The court an application goes to, as the application heads it."""

    name: str  # «Мировой судья судебного участка № 5 Тверского района г. Москвы»
    address: str
    code: str | None = None  # the court's code or the участок's number, as the shop keeps it
    note: str | None = None  # for the staff; never printed


@dataclass(frozen=True)
class Terms:
    payment_days: int
    storage: StorageTerms
    penalty: PenaltyTerms
    notice_days: int
    pretension_after_days: int
    pretension_response_days: int
    credit_limit: Decimal
    collections: CollectionsTerms = CollectionsTerms()
    court: Court | None = None  # the court of the contract's jurisdiction clause, for business clients
    # Issue 16: the reminder before the due date (None: none) and where the prepayment rule is written.
    reminder_days_before: int | None = None
    prepayment_basis: str | None = None


@dataclass(frozen=True)
class Shop:
    name: str
    short_name: str
    kind: str  # "company" | "entrepreneur"
    inn: str
    kpp: str | None
    ogrn: str
    address: str
    phone: str
    email: str | None
    signatory: Signatory
    bank: Bank
    vat_rate: Decimal
    terms: Terms
    source: Path = Path("shop.yaml")


# --- a case ------------------------------------------------------------------


@dataclass(frozen=True)
class Representative:
    name: str
    position: str
    basis: str | None = None  # what empowers them to sign, in the genitive: «Устава», «доверенности № 7 от …»


@dataclass(frozen=True)
class Client:
    kind: str  # "person" | "company" | "entrepreneur"
    name: str
    address: str
    gender: str | None = None  # "male" | "female"; as typed, None when absent
    phone: str | None = None
    email: str | None = None
    inn: str | None = None
    ogrn: str | None = None
    kpp: str | None = None
    representative: Representative | None = None
    # What a court application names a person by (ГПК РФ ст. 124 ч. 2 п. 3, ст. 131 ч. 2 п. 3): each only
    # if known; an unknown one is printed as such.
    birth_date: date | None = None
    birth_place: str | None = None
    workplace: str | None = None
    snils: str | None = None
    passport: str | None = None
    driver_license: str | None = None
    vehicle_certificate: str | None = None  # СТС

    @property
    def is_person(self) -> bool:
        return self.kind == "person"


@dataclass(frozen=True)
class Vehicle:
    make: str
    model: str
    year: int | None = None
    vin: str | None = None
    plate: str | None = None
    mileage_km: int | None = None
    owner: str | None = None  # the owner when not the client: then no retention (ГК РФ ст. 359, 712)


@dataclass(frozen=True)
class Order:
    number: str
    date: date
    estimate: Decimal | None = None
    personal_use: bool = False  # an entrepreneur's order for personal needs: a consumer's order


@dataclass(frozen=True)
class WorkLine:
    name: str
    kind: str  # "labor" | "part"
    qty: Decimal
    unit: str  # defaulted by validation: "шт." for parts, "усл." for labor
    price: Decimal
    status: str  # "done" | "partial" | "not_started"
    percent_done: int | None = None
    purchased: bool = False
    purchase_cost: Decimal | None = None  # a purchased part's actual cost per unit; None: the price
    supplier_document: str | None = None  # the supplier's document for that cost


@dataclass(frozen=True)
class Refusal:
    at: datetime.datetime
    channel: str  # in_person | phone | written | email | messenger
    recorded_by: str
    client_signed: bool
    reason: str | None = None
    witnesses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Invoice:
    date: date
    number: str | None = None
    due_date: datetime.date | None = None  # `date` is the field above here


@dataclass(frozen=True)
class Payment:
    date: date
    amount: Decimal
    method: str  # cash | card | transfer


@dataclass(frozen=True)
class StorageNotice:
    """The notice that told the client to collect the car by `collect_by`."""

    date: date
    collect_by: datetime.date
    number: str | None = None


@dataclass(frozen=True)
class OrderCancelled:
    """A court order on this debt was cancelled (ГПК РФ ст. 129, АПК РФ ст. 229.5): the debt goes to an action."""

    date: date
    case_number: str | None = None
    order_date: datetime.date | None = None  # `date` is the field above here


@dataclass(frozen=True)
class Storage:
    start: date
    end: date | None = None
    daily_rate: Decimal | None = None  # None: the terms' rate
    free_days: int | None = None  # None: the terms' free days
    notice: StorageNotice | None = None


@dataclass(frozen=True)
class Instalment:
    """One payment of an agreed schedule: `amount` due by `date` (moved to a working day, ГК РФ ст. 193)."""

    date: date
    amount: Decimal


@dataclass(frozen=True)
class FieldMark:
    """Where a value stands in its case file (1-based), for a problem found after validation."""

    key: str
    line: int
    column: int


@dataclass(frozen=True)
class Event:
    """One dated fact of a case's history (`events:`), in the file's order, which is the dates' order.

    Each kind has its own fields (case.schema.json); the others stay None. `marks`
    say where the event's values stand in the file; `index` is its place in the list.
    """

    kind: str  # sent | delivered | returned | promise | hold | resume | instalments | court_filed
    # | court_order_issued | court_order_cancelled | judgment | written_off | car_collected
    date: date
    document: str | None = None  # sent, delivered, returned: the letter's number
    channel: str | None = None  # sent: registered_post | in_person | email
    tracking: str | None = None  # sent by registered post: ШПИ
    pay_by: datetime.date | None = None  # promise: the last day the debtor promised to pay by
    amount: Decimal | None = None  # promise: the sum promised; judgment: the sum awarded
    reason: str | None = None  # hold, resume, returned, written_off
    schedule: tuple[Instalment, ...] = ()  # instalments
    court: str | None = None  # court_filed
    court_case: str | None = None  # court events: the court's case number
    note: str | None = None
    index: int = 0  # 0-based place in `events`
    marks: tuple[FieldMark, ...] = ()


@dataclass(frozen=True)
class ReconciliationPeriod:
    """The period of an act of reconciliation, both days included."""

    start: date
    end: date


@dataclass(frozen=True)
class Case:
    """A validated case. `terms` are the shop's terms with the case's overrides applied."""

    id: str
    client: Client
    vehicle: Vehicle
    order: Order
    work: tuple[WorkLine, ...]
    terms: Terms
    refusal: Refusal | None = None
    invoice: Invoice | None = None
    payments: tuple[Payment, ...] = ()
    storage: Storage | None = None
    events: tuple[Event, ...] = ()
    notes: str | None = None
    source: Path = Path("case.yaml")
    court: Court | None = None  # the court the debt goes to (figures/court.py)
    order_cancelled: OrderCancelled | None = None
    reconciliation: ReconciliationPeriod | None = None  # None: from the order date to the as-of date

    @property
    def is_consumer(self) -> bool:
        """Decided by the order's purpose, not the registration: a person is a consumer, a
        company is not, an entrepreneur only for an order marked for personal use."""
        return self.client.kind == "person" or (self.client.kind == "entrepreneur" and self.order.personal_use)


# --- what calc computes --------------------------------------------------------


@dataclass(frozen=True)
class KeyRate:
    """A Bank of Russia key rate in force from `effective_from` until the next row."""

    effective_from: date
    rate_percent: Decimal
    confirmed: bool


@dataclass(frozen=True)
class LineAmount:
    number: int  # 1-based position in the order
    line: WorkLine
    amount: Decimal  # what the client pays for this line (0 for a line not started)

    @property
    def is_expense(self) -> bool:
        """A part bought for the order but not installed: charged as an expense."""
        return self.line.status == "not_started" and self.line.purchased


@dataclass(frozen=True)
class PenaltyRow:
    start: date  # first day of the row, inclusive
    end: date  # last day of the row, inclusive
    days: int
    balance: Decimal
    rate: Decimal  # key_rate: % per year; contract: % per day
    days_in_year: int | None  # key_rate only: 365 or 366
    amount: Decimal


@dataclass(frozen=True)
class Penalty:
    kind: str  # "key_rate" | "contract"
    rows: tuple[PenaltyRow, ...]
    total: Decimal
    cap: Decimal | None = None  # contract only: the cap in roubles when set
    capped: bool = False  # the rows' sum exceeded the cap and the total is the cap
    moratorium_excluded: bool = False  # days of 01.04–01.10.2022 were left out


@dataclass(frozen=True)
class StorageFee:
    start: date
    end: date  # last day counted: storage end, or the as-of date while still held
    still_held: bool
    days_held: int
    free_days: int
    paid_days: int
    daily_rate: Decimal
    fee: Decimal


@dataclass(frozen=True)
class Figures:
    as_of: date
    lines: tuple[LineAmount, ...]
    total: Decimal
    vat_rate: Decimal  # 0: "Без НДС"
    vat: Decimal
    due_date: date | None  # None when the case has no invoice
    paid: Decimal
    outstanding: Decimal
    overpayment: Decimal
    days_overdue: int
    penalty: Penalty
    storage: StorageFee | None
    claim_total: Decimal  # outstanding + penalty + storage fee
    notice_deadline: date  # as-of + notice_days
    pretension_deadline: date  # as-of + pretension_response_days
    documents_due: tuple[str, ...]
    warnings: tuple[str, ...] = field(default=())
    # ст. 395 interest computed over key-rate rows the Bank of Russia's data have not confirmed
    # (only with --allow-unconfirmed-rates; the letter must say so); empty otherwise.
    unconfirmed_key_rates: tuple[KeyRate, ...] = field(default=())
    # Issue 16: the first day of the reminder before the due date (None: no reminder), and what the
    # client owes across all its cases of the run (figures/credit.py; None: not aggregated).
    reminder_from: date | None = None
    client_debt: ClientDebt | None = None
    # The last day to collect the car when the notice to collect it is handed over on the as-of date
    # (terms.storage.collect_days, ГК РФ ст. 191, 193); None when the case has no storage.
    collect_by: date | None = None

    @property
    def work_done_total(self) -> Decimal:
        return sum((la.amount for la in self.lines if not la.is_expense), Decimal("0.00"))

    @property
    def expenses_total(self) -> Decimal:
        return sum((la.amount for la in self.lines if la.is_expense), Decimal("0.00"))


# --- the collections batch ------------------------------------------------------


@dataclass(frozen=True)
class SentLetter:
    """A letter the debtor was sent, as the journal or the case's history records it: what a court
    application lists among its attachments and recounts (the pretension's date for АПК РФ ч. 5 ст. 4)."""

    kind: str  # "overdue_notice" | "pretension" | a lawyer's letter
    title: str  # «Досудебная претензия»
    number: str  # ПР-2026-0001
    date: date


@dataclass(frozen=True)
class JournalEntry:
    """One document the batch issued, as recorded in the journal (journal.py)."""

    number: str  # УВ-2026-0001: prefix, year, sequence
    case_id: str
    kind: str  # "overdue_notice" | "pretension"
    as_of: date
    outstanding: Decimal
    days_overdue: int
    penalty: Decimal
    storage: Decimal
    claim: Decimal
    docx_sha256: str
    pdf_sha256: str
    template_sha256: str


@dataclass(frozen=True)
class Decision:
    """What the batch does with one case on one date (escalation.py).

    `issue` is the kind to issue now (None: nothing new); `issued` is the
    journal's document of this very date when the run is a repeat; `status`
    is the case's status once the decision is carried out.
    """

    status: str  # see escalation.STATUS_TITLES
    issue: str | None = None
    issued: JournalEntry | None = None
    reason: str = ""
    title: str = ""  # the register's words when they say more than the status's: «на паузе: переговоры»
    also: tuple[str, ...] = ()  # side letters issued with it (escalation.SIDE_KINDS): a reminder, …
    # When the case's status next changes by the calendar alone (a pretension may go, the answer
    # period has run, an instalment falls due), and the letter then due; for the register's next step.
    next_on: date | None = None
    next_letter: str = ""
