"""Template variables of the issue-16 documents: the notice to collect the car (`collect`), the act of
reconciliation (`reconciliation`) and the credit limit of the prepayment letter (`credit`).

Pure: a case, the shop and the figures in, printable Russian strings out (context.py adds them).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from pipeline.figures.credit import over_credit_limit
from pipeline.figures.money import ZERO
from pipeline.figures.reconciliation import Reconciliation, ReconciliationEntry, reconcile, reconciliation_period
from pipeline.models import Case, Figures, Shop
from pipeline.wording.legal import PAYMENT_METHODS
from pipeline.wording.russian import (
    format_calendar_days_genitive,
    format_date_long,
    format_date_short,
    format_money,
    format_rub,
    money_in_words,
)


def collect_paid_from(case: Case, collect_by: date) -> date:
    """The first paid day of storage once the car is not collected by `collect_by`: the next day, unless the
    free days from the start of storage run longer (calc.compute_storage_fee counts them the same way)."""
    assert case.storage is not None  # only asked for a case whose car is kept
    free_days = case.storage.free_days if case.storage.free_days is not None else case.terms.storage.free_days
    return max(collect_by + timedelta(days=1), case.storage.start + timedelta(days=free_days))


def collect_block(case: Case, figures: Figures) -> dict[str, Any] | None:
    """collect.*: the term to collect the car from the notice's receipt, and the day paid storage starts."""
    if case.storage is None or figures.collect_by is None:
        return None
    days = case.terms.storage.collect_days
    paid_from = collect_paid_from(case, figures.collect_by)
    return {
        "days": days,
        "period": format_calendar_days_genitive(days),
        "deadline": format_date_long(figures.collect_by),
        "deadline_short": format_date_short(figures.collect_by),
        "paid_from": format_date_long(paid_from),
        "paid_from_short": format_date_short(paid_from),
        "is_refusal": case.refusal is not None,
    }


def _entry_document(entry: ReconciliationEntry) -> str:
    if entry.kind == "invoice":
        return f"Реализация (счёт № {entry.reference} от {format_date_short(entry.day)})"
    return f"Оплата ({PAYMENT_METHODS[entry.reference]})"


def _sides(amount: Decimal) -> tuple[str, str]:
    """A balance in the debit column when the client owes, in the credit column when the shop does."""
    if amount > 0:
        return format_money(amount), ""
    if amount < 0:
        return "", format_money(-amount)
    return "", ""


def _result_line(shop: Shop, case: Case, act: Reconciliation) -> str:
    on = f"На {format_date_short(act.end)}"
    if act.closing > 0:
        creditor = shop.name
    elif act.closing < 0:
        creditor = case.client.name
    else:
        return f"{on} задолженность отсутствует."
    amount = abs(act.closing)
    return f"{on} задолженность в пользу {creditor} составляет {format_rub(amount)} ({money_in_words(amount)})."


def reconciliation_block(case: Case, shop: Shop, figures: Figures) -> dict[str, Any]:
    """reconciliation.*: the accountants' act, meant for business clients (a consumer's is possible, rarely asked)."""
    act = reconcile(case, figures.total, reconciliation_period(case, figures.as_of))
    opening_debit, opening_credit = _sides(act.opening)
    closing_debit, closing_credit = _sides(act.closing)
    rows = [
        {
            "number": number,
            "date": format_date_short(entry.day),
            "document": _entry_document(entry),
            "debit": format_money(entry.debit) if entry.debit else "",
            "credit": format_money(entry.credit) if entry.credit else "",
        }
        for number, entry in enumerate(act.entries, start=1)
    ]
    return {
        "start": format_date_short(act.start),
        "end": format_date_short(act.end),
        "period": f"за период с {format_date_short(act.start)} по {format_date_short(act.end)}",
        "rows": rows,
        "opening_debit": opening_debit,
        "opening_credit": opening_credit,
        "debit_total": format_money(act.debit_total),
        "credit_total": format_money(act.credit_total),
        "closing_debit": closing_debit,
        "closing_credit": closing_credit,
        "result": _result_line(shop, case, act),
    }


def credit_block(case: Case, figures: Figures) -> dict[str, Any] | None:
    """credit.*: the client's debt across its cases against the limit, and where the prepayment rule is written."""
    debt = figures.client_debt
    if debt is None:
        return None
    limit = case.terms.credit_limit
    orders = [f"№ {order.order_number} — {format_rub(order.outstanding)}" for order in debt.orders]
    return {
        "limit": format_rub(limit),
        "debt": format_rub(debt.total),
        "excess": format_rub(max(ZERO, debt.total - limit)),
        "exceeded": over_credit_limit(debt, limit),
        "orders": "; ".join(orders),
        "several": len(orders) > 1,
        "basis": case.terms.prepayment_basis or "",
    }
