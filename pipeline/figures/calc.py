"""Every figure a case's documents state: line amounts, totals and VAT, payments and
the outstanding balance, the penalty or ГК РФ ст. 395 interest period by period,
storage, deadlines and which documents are due. Pure: no files, no clock; the key-rate
table and the working-day calendar (ГК РФ ст. 193) are data passed in."""

from __future__ import annotations

import calendar
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from pipeline.documents import DueFacts, kinds_due
from pipeline.errors import CalculationError
from pipeline.figures.calendar import WorkCalendar, load_work_calendar
from pipeline.figures.case_warnings import case_warnings
from pipeline.figures.credit import ClientDebt
from pipeline.figures.money import ZERO, to_kopecks
from pipeline.figures.rates import (
    find_key_rate,
    format_day,
    staleness_warning,
    unconfirmed_error,
    unconfirmed_key_rates,
    unconfirmed_warning,
)
from pipeline.models import (
    Case,
    Figures,
    KeyRate,
    LineAmount,
    Payment,
    Penalty,
    PenaltyRow,
    PenaltyTerms,
    Shop,
    Storage,
    StorageFee,
    StorageTerms,
    WorkLine,
)

ONE_DAY = timedelta(days=1)
# Bankruptcy moratorium, ПП РФ № 497: no penalty or interest accrues on debts
# that arose before it, for these days inclusive.
MORATORIUM_START = date(2022, 4, 1)
MORATORIUM_END = date(2022, 10, 1)


@dataclass(frozen=True)
class Period:
    """Days that accrue at one balance and one rate, before rounding."""

    start: date
    end: date
    balance: Decimal
    rate: Decimal
    days_in_year: int | None


def compute_figures(
    case: Case,
    shop: Shop,
    as_of: date,
    key_rates: Sequence[KeyRate],
    *,
    work_calendar: WorkCalendar | None = None,
    allow_unconfirmed_rates: bool = False,
) -> Figures:
    """All figures of `case` on the `as_of` date, interest from `key_rates`.

    Terms end on working days of `work_calendar` (default: the shipped Russian calendar).
    ст. 395 interest over a key-rate row not confirmed by the Bank of Russia is a
    CalculationError naming the rows, unless `allow_unconfirmed_rates`: then the rows
    are in `unconfirmed_key_rates` for the letter to state.
    """
    if work_calendar is None:
        work_calendar = load_work_calendar()
    key_rates = tuple(sorted(key_rates, key=lambda key_rate: key_rate.effective_from))
    lines = compute_line_amounts(case.work)
    total = sum_amounts(line.amount for line in lines)
    due_date = compute_due_date(case, work_calendar)
    paid, outstanding, overpayment = compute_balance(total, case.payments, as_of)
    days_overdue = count_days_overdue(due_date, as_of, outstanding)
    penalty = compute_penalty(total, case.payments, due_date, as_of, case.terms.penalty, key_rates)
    unconfirmed = check_key_rates_confirmed(penalty, key_rates, allow_unconfirmed_rates)
    storage = compute_storage_fee(case.storage, case.terms.storage, as_of)
    reminder_from = compute_reminder_from(due_date, case.terms.reminder_days_before, work_calendar)
    warnings = collect_warnings(case, as_of, penalty, overpayment, key_rates)
    return Figures(
        as_of=as_of,
        lines=lines,
        total=total,
        vat_rate=shop.vat_rate,
        vat=compute_vat(total, shop.vat_rate),
        due_date=due_date,
        paid=paid,
        outstanding=outstanding,
        overpayment=overpayment,
        days_overdue=days_overdue,
        penalty=penalty,
        storage=storage,
        claim_total=outstanding + penalty.total + (storage.fee if storage else ZERO),
        notice_deadline=work_calendar.term_after(as_of, case.terms.notice_days),
        pretension_deadline=work_calendar.term_after(as_of, case.terms.pretension_response_days),
        documents_due=kinds_due(DueFacts(case, due_date, as_of, outstanding, days_overdue, reminder_from)),
        warnings=(*warnings, unconfirmed_warning(unconfirmed)) if unconfirmed else warnings,
        unconfirmed_key_rates=unconfirmed,
        reminder_from=reminder_from,
        collect_by=(
            work_calendar.term_after(as_of, case.terms.storage.collect_days) if case.storage is not None else None
        ),
    )


def check_key_rates_confirmed(
    penalty: Penalty, key_rates: Sequence[KeyRate], allow_unconfirmed_rates: bool
) -> tuple[KeyRate, ...]:
    """The unconfirmed key-rate rows the ст. 395 interest was computed over; a CalculationError
    naming them unless `allow_unconfirmed_rates` (a lawyer does not sign unverified rates)."""
    if penalty.kind != "key_rate" or not penalty.rows:
        return ()
    unconfirmed = unconfirmed_key_rates([(row.start, row.end) for row in penalty.rows], key_rates)
    if unconfirmed and not allow_unconfirmed_rates:
        raise CalculationError(unconfirmed_error(unconfirmed))
    return unconfirmed


def sum_amounts(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, ZERO)


def compute_line_amounts(work: Sequence[WorkLine]) -> tuple[LineAmount, ...]:
    return tuple(LineAmount(number, line, compute_line_amount(line)) for number, line in enumerate(work, 1))


def compute_line_amount(line: WorkLine) -> Decimal:
    """What the client pays for one line: ГК РФ ст. 717 — the part of the price for
    the work done; ст. 731 п. 2 — plus the parts actually bought for the order."""
    full = line.qty * line.price
    if line.status == "done":
        return to_kopecks(full)
    if line.status == "partial":
        if line.percent_done is None:
            raise CalculationError(f"строка «{line.name}»: выполнена частично, но не указан percent_done")
        return to_kopecks(full * line.percent_done / 100)
    if line.status == "not_started":
        # A part bought for the order and not installed is an expense, at what it actually cost.
        cost = line.purchase_cost if line.purchase_cost is not None else line.price
        return to_kopecks(line.qty * cost) if line.purchased else ZERO
    raise CalculationError(f"строка «{line.name}»: неизвестный статус «{line.status}»")


def compute_vat(total: Decimal, vat_rate: Decimal) -> Decimal:
    """VAT included in a VAT-inclusive total; 0 when the shop is exempt ("Без НДС")."""
    if vat_rate == 0:
        return ZERO
    return to_kopecks(total * vat_rate / (100 + vat_rate))


def compute_due_date(case: Case, work_calendar: WorkCalendar) -> date | None:
    """The last day to pay: the invoice's `due_date` as written, else the invoice date +
    `payment_days` (ГК РФ ст. 191), moved to the next working day when it is not one (ст. 193)."""
    if case.invoice is None:
        return None
    if case.invoice.due_date is not None:
        return case.invoice.due_date
    return work_calendar.term_after(case.invoice.date, case.terms.payment_days)


def compute_paid(payments: Iterable[Payment], as_of: date) -> Decimal:
    return sum_amounts(payment.amount for payment in payments if payment.date <= as_of)


def compute_balance(total: Decimal, payments: Iterable[Payment], day: date) -> tuple[Decimal, Decimal, Decimal]:
    """What was paid of `total` by `day` inclusive, what was left to pay and what was paid over."""
    paid = compute_paid(payments, day)
    return paid, max(ZERO, total - paid), max(ZERO, paid - total)


def count_days_overdue(due_date: date | None, as_of: date, outstanding: Decimal) -> int:
    if due_date is None or outstanding <= 0:
        return 0
    return max(0, (as_of - due_date).days)


def compute_penalty(
    total: Decimal,
    payments: Sequence[Payment],
    due_date: date | None,
    as_of: date,
    terms: PenaltyTerms,
    key_rates: Sequence[KeyRate],
) -> Penalty:
    """Contract penalty or ст. 395 interest from the day after `due_date` to `as_of`
    inclusive, one row per stretch of equal balance and rate (key_rates sorted)."""
    if terms.kind not in ("key_rate", "contract"):
        raise CalculationError(f"неизвестный вид неустойки «{terms.kind}»: ожидается key_rate или contract")
    per_day = terms.rate_percent_per_day or ZERO
    if terms.kind == "contract" and terms.rate_percent_per_day is None:
        raise CalculationError("неустойка по договору: не указан rate_percent_per_day")
    cap = None
    if terms.kind == "contract" and terms.cap_percent is not None:
        cap = to_kopecks(total * terms.cap_percent / 100)
    if due_date is None or as_of <= due_date:
        return Penalty(terms.kind, (), ZERO, cap)

    first_day = due_date + ONE_DAY
    balance_days, balances = list_balances(total, payments, due_date, as_of)
    # ПП РФ № 497 covers only debts that arose before the moratorium began.
    moratorium = terms.exclude_moratorium and due_date < MORATORIUM_START
    breaks = {first_day, *balance_days}
    if terms.kind == "key_rate":
        breaks.update(key_rate.effective_from for key_rate in key_rates)
        breaks.update(date(year, 1, 1) for year in range(first_day.year + 1, as_of.year + 1))
    if moratorium:
        breaks.update((MORATORIUM_START, MORATORIUM_END + ONE_DAY))
    starts = sorted(day for day in breaks if first_day <= day <= as_of)
    ends = [day - ONE_DAY for day in starts[1:]] + [as_of]

    periods: list[Period] = []
    moratorium_excluded = False
    for start, end in zip(starts, ends, strict=True):
        balance = balances[bisect_right(balance_days, start) - 1]
        if balance <= 0:
            continue
        if moratorium and MORATORIUM_START <= start <= MORATORIUM_END:
            moratorium_excluded = True
            continue
        if terms.kind == "key_rate":
            rate = find_key_rate(start, key_rates).rate_percent
            days_in_year = 366 if calendar.isleap(start.year) else 365
        else:
            rate, days_in_year = per_day, None
        periods.append(Period(start, end, balance, rate, days_in_year))

    rows = tuple(build_penalty_row(period) for period in merge_periods(periods))
    accrued = sum_amounts(row.amount for row in rows)
    capped = cap is not None and accrued > cap
    # `capped` implies a cap; the repeated test lets the type checker see it.
    total_due = cap if capped and cap is not None else accrued
    return Penalty(terms.kind, rows, total_due, cap, capped, moratorium_excluded)


def list_balances(
    total: Decimal, payments: Sequence[Payment], due_date: date, as_of: date
) -> tuple[list[date], list[Decimal]]:
    """The balance from each day on: parallel lists of first days and balances.

    A payment on day D lowers the balance from D + 1: the day of payment still
    accrues on the old balance (Пленум ВС РФ № 7 от 24.03.2016, п. 48).
    """
    paid_by: dict[date, Decimal] = {}
    for payment in payments:
        if payment.date <= as_of:
            day = max(payment.date, due_date) + ONE_DAY
            paid_by[day] = paid_by.get(day, ZERO) + payment.amount
    days: list[date] = []
    balances: list[Decimal] = []
    balance = total
    for day in sorted(paid_by):
        balance = max(ZERO, balance - paid_by[day])
        days.append(day)
        balances.append(balance)
    if not days or days[0] != due_date + ONE_DAY:
        days.insert(0, due_date + ONE_DAY)
        balances.insert(0, total)
    return days, balances


def merge_periods(periods: list[Period]) -> list[Period]:
    """Join adjacent periods that differ only by a split that changed nothing,
    e.g. two table rows with the same rate: the documents show one row per change."""
    merged: list[Period] = []
    for period in periods:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.end + ONE_DAY == period.start
            and (previous.balance, previous.rate, previous.days_in_year)
            == (period.balance, period.rate, period.days_in_year)
            and (period.days_in_year is None or previous.start.year == period.start.year)
        ):
            merged[-1] = Period(previous.start, period.end, period.balance, period.rate, period.days_in_year)
        else:
            merged.append(period)
    return merged


def build_penalty_row(period: Period) -> PenaltyRow:
    days = (period.end - period.start).days + 1
    if period.days_in_year is None:
        amount = period.balance * period.rate * days / 100
    else:
        amount = period.balance * period.rate * days / (100 * period.days_in_year)
    return PenaltyRow(
        period.start, period.end, days, period.balance, period.rate, period.days_in_year, to_kopecks(amount)
    )


def compute_storage_fee(storage: Storage | None, terms: StorageTerms, as_of: date) -> StorageFee | None:
    """Storage from its first day to the day the vehicle left (or as-of), both counted."""
    if storage is None:
        return None
    last_day = min(storage.end, as_of) if storage.end is not None else as_of
    days_held = max(0, (last_day - storage.start).days + 1)
    free_days = storage.free_days if storage.free_days is not None else terms.free_days
    daily_rate = storage.daily_rate if storage.daily_rate is not None else terms.daily_rate
    if storage.notice is not None:  # nothing accrues up to the deadline the notice gave to collect the car
        free_days = max(free_days, (storage.notice.collect_by - storage.start).days + 1)
    # Retention is no right to charge: without an agreed tariff (terms.storage.basis) the fee is nil.
    paid_days = max(0, days_held - free_days) if terms.basis else 0
    return StorageFee(
        start=storage.start,
        end=last_day,
        still_held=storage.end is None or storage.end > as_of,
        days_held=days_held,
        free_days=free_days,
        paid_days=paid_days,
        daily_rate=daily_rate,
        fee=to_kopecks(paid_days * daily_rate),
    )


def compute_reminder_from(due_date: date | None, days_before: int | None, work_calendar: WorkCalendar) -> date | None:
    """The day the reminder before the due date is sent: `days_before` calendar days before it, moved back to a
    working day (a reminder comes early rather than late: it is no term of ГК РФ ст. 193, only courtesy)."""
    if due_date is None or days_before is None:
        return None
    day = due_date - timedelta(days=days_before)
    while not work_calendar.is_working_day(day):
        day -= ONE_DAY
    return day


def with_client_debt(case: Case, figures: Figures, client_debt: ClientDebt) -> Figures:
    """The figures once the client's debt across all its cases of the run is known (figures/credit.py):
    the documents due are decided again, now with the credit limit."""
    facts = DueFacts(
        case,
        figures.due_date,
        figures.as_of,
        figures.outstanding,
        figures.days_overdue,
        figures.reminder_from,
        client_debt,
    )
    return replace(figures, client_debt=client_debt, documents_due=kinds_due(facts))


def collect_warnings(
    case: Case, as_of: date, penalty: Penalty, overpayment: Decimal, key_rates: Sequence[KeyRate]
) -> tuple[str, ...]:
    warnings = []
    for payment in sorted(case.payments, key=lambda payment: payment.date):
        if payment.date > as_of:
            warnings.append(
                f"платёж от {format_day(payment.date)} на {payment.amount} руб. позже даты расчёта "
                f"{format_day(as_of)} и не учтён"
            )
    if overpayment > 0:
        warnings.append(f"переплата {overpayment} руб.: верните её клиенту или зачтите по его заявлению")
    if penalty.kind == "key_rate" and penalty.rows:
        # The table only matters up to the last day that accrued interest.
        stale = staleness_warning(penalty.rows[-1].end, key_rates)
        if stale:
            warnings.append(stale)
    warnings.extend(case_warnings(case))
    return tuple(warnings)
