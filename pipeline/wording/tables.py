"""Template variables for the documents' tables: the order's lines (done, partly
done, bought as expenses, not done), the penalty rows and the storage fee.

Pure: figures in, rows of printable strings out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from pipeline.figures.rates import describe_key_rates
from pipeline.models import Case, Figures, KeyRate, LineAmount, Penalty, PenaltyTerms, StorageNotice
from pipeline.wording.legal import penalty_name
from pipeline.wording.russian import (
    capitalize_first,
    format_date_long,
    format_date_short,
    format_days,
    format_money,
    format_number,
    format_percent,
    format_rub,
    money_in_words,
)

EXPENSE_NOTE = "закуплено для заказа, не установлено — расходы"


def _line_note(line_amount: LineAmount) -> str:
    line = line_amount.line
    if line.status == "partial":
        return f"выполнено на {format_percent(Decimal(line.percent_done or 0))}"
    if line_amount.is_expense:
        # The supplier's document is what proves the cost charged.
        return f"{EXPENSE_NOTE}; {line.supplier_document}" if line.supplier_document else EXPENSE_NOTE
    return ""


def _unit_price(line_amount: LineAmount) -> Decimal:
    """The price a row shows: a purchased part's actual cost when known (what is charged)."""
    line = line_amount.line
    if line_amount.is_expense and line.purchase_cost is not None:
        return line.purchase_cost
    return line.price


def _line_row(number: int, line_amount: LineAmount) -> dict[str, Any]:
    line = line_amount.line
    return {
        "number": number,
        "order_number": line_amount.number,
        "name": line.name,
        "kind": line.kind,
        "qty": format_number(line.qty),
        "unit": line.unit,
        "price": format_money(_unit_price(line_amount)),
        "amount": format_money(line_amount.amount),
        "note": _line_note(line_amount),
        "is_partial": line.status == "partial",
        "is_expense": line_amount.is_expense,
    }


def _not_done_row(number: int, line_amount: LineAmount) -> dict[str, Any]:
    line = line_amount.line
    row = _line_row(number, line_amount)
    if line.status == "partial":
        # The rest of a partly done line was not done either; the act says so.
        row["note"] = f"не выполнено на {format_percent(Decimal(100 - (line.percent_done or 0)))}"
    else:
        row["note"] = "не выполнялось"
    return row


def lines_block(figures: Figures) -> dict[str, Any]:
    """lines.*: `billed` is the invoice table (numbered 1…n); `done`, `expenses`,
    `not_done` are the refusal act's three lists."""
    billed = [la for la in figures.lines if la.amount > 0]
    done = [la for la in billed if not la.is_expense]
    expenses = [la for la in billed if la.is_expense]
    not_done = [
        la
        for la in figures.lines
        if la.line.status == "partial" or (la.line.status == "not_started" and not la.is_expense)
    ]
    return {
        "billed": [_line_row(n, la) for n, la in enumerate(billed, start=1)],
        "done": [_line_row(n, la) for n, la in enumerate(done, start=1)],
        "expenses": [_line_row(n, la) for n, la in enumerate(expenses, start=1)],
        "not_done": [_not_done_row(n, la) for n, la in enumerate(not_done, start=1)],
        "has_partial": any(la.line.status == "partial" for la in billed),
        "has_expenses": bool(expenses),
        "billed_count": len(billed),
        "has_not_done": bool(not_done),
    }


def _penalty_rows(penalty: Penalty) -> list[dict[str, Any]]:
    rows = []
    for row in penalty.rows:
        rate = format_percent(row.rate)
        if penalty.kind == "contract":
            formula = f"{format_money(row.balance)} × {rate} × {row.days}"
        else:
            formula = f"{format_money(row.balance)} × {rate} × {row.days} / {row.days_in_year}"
        rows.append(
            {
                "start": format_date_short(row.start),
                "end": format_date_short(row.end),
                "days": row.days,
                "balance": format_money(row.balance),
                "rate": rate,
                "days_in_year": row.days_in_year or "",
                "amount": format_money(row.amount),
                "formula": formula,
            }
        )
    return rows


def _cap_note(penalty: Penalty, terms: PenaltyTerms, accrued: Decimal) -> str:
    """The line under the table once the cap is reached: the rows' sum, the cap and its basis."""
    if not penalty.capped or penalty.cap is None:
        return ""
    percent = f"{format_percent(terms.cap_percent)} от суммы счёта, то есть " if terms.cap_percent is not None else ""
    basis = f" ({terms.basis})" if terms.basis else ""
    return (
        f"Неустойка по расчёту — {format_rub(accrued)}; по условиям договора{basis} она не может превышать "
        f"{percent}{format_rub(penalty.cap)} К оплате — {format_rub(penalty.total)}"  # «руб.» ends each sentence
    )


def unconfirmed_note(unconfirmed: Sequence[KeyRate]) -> str:
    """What a letter says when its ст. 395 interest rests on key rates not checked against the Bank of
    Russia's own publication (`--allow-unconfirmed-rates`): the rates, and that the sum may be corrected."""
    if not unconfirmed:
        return ""
    rates = describe_key_rates(unconfirmed)
    words = "Ключевая ставка" if len(unconfirmed) == 1 else "Ключевые ставки"
    checked = "не сверена" if len(unconfirmed) == 1 else "не сверены"
    return (
        f"{words} Банка России ({rates}) на дату расчёта {checked} с официальной публикацией "
        "Банка России; при расхождении расчёт процентов будет уточнён."
    )


def penalty_block(penalty: Penalty, terms: PenaltyTerms, unconfirmed: Sequence[KeyRate] = ()) -> dict[str, Any]:
    """penalty.*: rows with the formula a court checks, the total in words, the agreement that
    founds a contract penalty and its cap, and the key rates not yet confirmed."""
    is_contract = penalty.kind == "contract"
    first_rate = penalty.rows[0].rate if penalty.rows else None
    accrued = sum((row.amount for row in penalty.rows), Decimal("0.00"))
    return {
        "kind": penalty.kind,
        "is_contract": is_contract,
        "is_key_rate": not is_contract,
        "name": penalty_name(penalty.kind),
        "name_cap": capitalize_first(penalty_name(penalty.kind)),
        "name_genitive": "неустойки" if is_contract else "процентов",
        "basis": (terms.basis or "") if is_contract else "",
        "rows": _penalty_rows(penalty),
        "has_rows": bool(penalty.rows),
        "accrued": format_money(accrued),
        "total": format_money(penalty.total),
        "total_rub": format_rub(penalty.total),
        "total_words": money_in_words(penalty.total),
        "capped": penalty.capped,
        "cap": format_rub(penalty.cap) if penalty.cap is not None else "",
        "cap_note": _cap_note(penalty, terms, accrued),
        "unconfirmed_note": unconfirmed_note(unconfirmed),
        "rate_text": format_percent(first_rate) if is_contract and first_rate is not None else "",
        "cap_text": f"{format_rub(penalty.cap)}" if penalty.cap is not None else "",
        "moratorium_excluded": penalty.moratorium_excluded,
        "period": (
            f"с {format_date_short(penalty.rows[0].start)} по {format_date_short(penalty.rows[-1].end)}"
            if penalty.rows
            else ""
        ),
    }


def _notice_block(notice: StorageNotice | None) -> dict[str, Any] | None:
    if notice is None:
        return None
    number = f"№ {notice.number} " if notice.number else ""
    return {
        "number": notice.number or "",
        "date": format_date_long(notice.date),
        "date_short": format_date_short(notice.date),
        "reference": f"{number}от {format_date_short(notice.date)}",
        "collect_by": format_date_long(notice.collect_by),
        "collect_by_short": format_date_short(notice.collect_by),
    }


def _storage_terms(case: Case, figures: Figures) -> tuple[Decimal, int, date]:
    """The daily rate, free days and first day: the computed ones, else the case's or terms'."""
    if figures.storage is not None:
        return figures.storage.daily_rate, figures.storage.free_days, figures.storage.start
    stored = case.storage
    assert stored is not None  # storage_block returns before when both are None
    daily_rate = stored.daily_rate if stored.daily_rate is not None else case.terms.storage.daily_rate
    free_days = stored.free_days if stored.free_days is not None else case.terms.storage.free_days
    return daily_rate, free_days, stored.start


def storage_block(case: Case, figures: Figures) -> dict[str, Any] | None:
    """storage.*: where the client agreed the fee (without it nothing is charged: retention is
    no right to charge), the notice to collect the car, and the fee to the as-of date."""
    fee = figures.storage
    if case.storage is None and fee is None:
        return None
    daily_rate, free_days, start = _storage_terms(case, figures)
    basis = case.terms.storage.basis or ""
    block: dict[str, Any] = {
        "start": format_date_long(start),
        "start_short": format_date_short(start),
        "daily_rate": format_rub(daily_rate),
        "free_days": free_days,
        "free_days_text": format_days(free_days),
        "terms_line": (
            f"{format_rub(daily_rate)} за каждые сутки хранения"
            + (f", первые {format_days(free_days)} — бесплатно" if free_days else "")
        ),
        "basis": basis,
        "has_basis": bool(basis),
        "notice": _notice_block(case.storage.notice if case.storage else None),
        "has_fee": fee is not None and bool(basis) and fee.fee > 0,
        "end": "",
        "end_short": "",
        "still_held": True,
        "days_held": 0,
        "days_held_text": "",
        "paid_days": 0,
        "paid_days_text": "",
        "fee": format_money(Decimal("0.00")),
        "fee_rub": format_rub(Decimal("0.00")),
        "formula": "",
    }
    if fee is not None:
        block.update(
            {
                "end": format_date_long(fee.end),
                "end_short": format_date_short(fee.end),
                "still_held": fee.still_held,
                "days_held": fee.days_held,
                "days_held_text": format_days(fee.days_held),
                "paid_days": fee.paid_days,
                "paid_days_text": format_days(fee.paid_days),
                "fee": format_money(fee.fee),
                "fee_rub": format_rub(fee.fee),
                "formula": f"{fee.paid_days} × {format_money(fee.daily_rate)}",
            }
        )
    return block
