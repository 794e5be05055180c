"""The figures of an act of reconciliation (акт сверки взаимных расчётов) for one case: the shop's
debit (the works invoiced) and credit (the client's payments) by date, the opening balance, the
turnover of the period and the closing balance. No statute prescribes the form; this is the layout
accountants exchange. Pure: a case, its total and the period in, the figures out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pipeline.figures.money import ZERO
from pipeline.models import Case, ReconciliationPeriod


@dataclass(frozen=True)
class ReconciliationEntry:
    day: date
    kind: str  # "invoice": the works invoiced; "payment": a payment of the client
    reference: str  # the invoice's number («б/н» without one), or the payment's method (cash | card | transfer)
    debit: Decimal  # what the client came to owe: the works invoiced
    credit: Decimal  # what the client paid


@dataclass(frozen=True)
class Reconciliation:
    start: date
    end: date
    opening: Decimal  # > 0: the client owes the shop on the first day; < 0: the shop owes the client
    entries: tuple[ReconciliationEntry, ...]  # within the period, by date, debits before credits
    debit_total: Decimal
    credit_total: Decimal
    closing: Decimal  # opening + debit_total − credit_total


def reconciliation_period(case: Case, as_of: date) -> ReconciliationPeriod:
    """The case's own period, else from the order date (or the as-of date, if earlier) to the as-of date."""
    if case.reconciliation is not None:
        return case.reconciliation
    return ReconciliationPeriod(min(case.order.date, as_of), as_of)


def list_entries(case: Case, total: Decimal) -> list[ReconciliationEntry]:
    """Every debit and credit of the case: the invoice for the works, then each payment."""
    entries = []
    if case.invoice is not None:
        entries.append(ReconciliationEntry(case.invoice.date, "invoice", case.invoice.number or "б/н", total, ZERO))
    for payment in case.payments:
        entries.append(ReconciliationEntry(payment.date, "payment", payment.method, ZERO, payment.amount))
    return sorted(entries, key=lambda entry: (entry.day, entry.credit > 0))


def reconcile(case: Case, total: Decimal, period: ReconciliationPeriod) -> Reconciliation:
    """The act's figures for `period`: what came before it is the opening balance."""
    entries = list_entries(case, total)
    before = [entry for entry in entries if entry.day < period.start]
    inside = tuple(entry for entry in entries if period.start <= entry.day <= period.end)
    opening = sum((entry.debit - entry.credit for entry in before), ZERO)
    debit_total = sum((entry.debit for entry in inside), ZERO)
    credit_total = sum((entry.credit for entry in inside), ZERO)
    return Reconciliation(
        period.start, period.end, opening, inside, debit_total, credit_total, opening + debit_total - credit_total
    )
