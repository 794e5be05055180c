"""The computed figures as text a person can check with a calculator, and as JSON for
other programs. Pure: both return strings; the CLI prints them."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

from pipeline.figures.court import COURT_TITLES, PROCEDURE_TITLES, CourtPlan
from pipeline.figures.rates import format_day
from pipeline.models import Case, Figures, LineAmount, Penalty, StorageFee
from pipeline.wording import russian

STATUS_NAMES = {"done": "выполнено", "partial": "выполнено частично", "not_started": "не начато"}
PENALTY_TITLES = {
    "key_rate": "Проценты по ст. 395 ГК РФ (ключевая ставка)",
    "contract": "Неустойка по договору (ст. 330 ГК РФ)",
}


def format_figures(case: Case, figures: Figures, court: CourtPlan | None = None) -> str:
    """A plain-text calculation sheet: every figure with the arithmetic behind it, and where
    the debt goes to court (`court`, figures/court.py) when it is given."""
    out = [f"Дело {case.id}: расчёт на {format_day(figures.as_of)}", ""]
    out.append(f"Заказ-наряд {case.order.number} от {format_day(case.order.date)}:")
    out.extend(f"  {format_line(line)}" for line in figures.lines)
    out.append(f"Итого по счёту (total): {figures.total}")
    out.append(f"  в т.ч. работы {figures.work_done_total}, расходы (купленные запчасти) {figures.expenses_total}")
    if figures.vat_rate == 0:
        out.append("НДС: Без НДС")
    else:
        rate = figures.vat_rate
        out.append(f"в т.ч. НДС {rate} %: {figures.total} × {rate} / (100 + {rate}) = {figures.vat}")
    out.append("")
    out.append(f"Срок оплаты (due date): {format_day(figures.due_date) if figures.due_date else 'нет счёта'}")
    counted = [payment for payment in case.payments if payment.date <= figures.as_of]
    for payment in sorted(counted, key=lambda payment: payment.date):
        out.append(f"  платёж {format_day(payment.date)}: {payment.amount} ({payment.method})")
    out.append(f"Оплачено (paid): {figures.paid}")
    out.append(f"Остаток долга (outstanding): max(0, {figures.total} − {figures.paid}) = {figures.outstanding}")
    if figures.overpayment > 0:
        out.append(f"Переплата (overpayment): {figures.paid} − {figures.total} = {figures.overpayment}")
    if figures.days_overdue and figures.due_date:
        overdue = f"{format_day(figures.as_of)} − {format_day(figures.due_date)} = {figures.days_overdue}"
    else:
        overdue = "0"
    out.append(f"Дней просрочки (days overdue): {overdue}")
    out.append("")
    out.extend(format_penalty(figures.penalty))
    out.append("")
    out.extend(format_storage(figures.storage))
    out.append("")
    storage_fee = figures.storage.fee if figures.storage else Decimal("0.00")
    out.append(
        f"Сумма требования (claim total): {figures.outstanding} + {figures.penalty.total} + {storage_fee}"
        f" = {figures.claim_total}"
    )
    out.append(f"Срок оплаты по уведомлению: {format_day(figures.notice_deadline)}")
    out.append(f"Срок ответа на претензию: {format_day(figures.pretension_deadline)}")
    out.append(f"Документы (documents due): {', '.join(figures.documents_due) or 'нет'}")
    if court is not None:
        out.append("")
        out.extend(format_court(court))
    if figures.warnings:
        out.append("Предупреждения:")
        out.extend(f"  ! {warning}" for warning in figures.warnings)
    return "\n".join(out) + "\n"


def format_court(plan: CourtPlan) -> list[str]:
    """The court, the procedure with its reason, the duty's arithmetic and the sum to recover;
    a case not yet ready for court shows the procedure it would take, marked as such."""
    decision, duty = plan.decision, plan.duty
    title = "Суд и госпошлина" if decision.ready else "Суд и госпошлина (предварительно, дело ещё не готово к суду)"
    out = [f"{title}:", f"  Цена иска: {plan.claim.line}"]
    out.append(f"  Процедура: {PROCEDURE_TITLES[decision.procedure]} — {COURT_TITLES[decision.court_type]}")
    out.append(f"  Основание: {decision.reason}")
    if decision.caution:
        out.append(f"  ! проверьте: {decision.caution}")
    if plan.court is not None:
        out.append(f"  Суд ({plan.court_source}): {plan.court.name}, {plan.court.address}")
    else:
        out.append(f"  Суд: не указан — {plan.missing_court}")
    out.append(f"  Госпошлина ({duty.citation}):")
    out.extend(f"    {line}" for line in duty.lines)
    claim, to_recover = russian.format_money(plan.claim.total), russian.format_money(plan.to_recover)
    out.append(f"  Итого к взысканию с пошлиной: {claim} + {russian.format_number(duty.amount)} = {to_recover}")
    out.append(f"  Статус: {plan.status}")
    return out


def format_line(line_amount: LineAmount) -> str:
    line = line_amount.line
    status = STATUS_NAMES.get(line.status, line.status)
    arithmetic = f"{format_number(line.qty)} {line.unit} × {line.price}"
    if line.status == "partial":
        arithmetic += f" × {line.percent_done} %"
    elif line.status == "not_started":
        if line.purchased:
            status += ", запчасть куплена: расход"
        else:
            arithmetic = "не оплачивается"
    return f"{line_amount.number}. {line.name} [{status}]: {arithmetic} = {line_amount.amount}"


def format_penalty(penalty: Penalty) -> list[str]:
    out = [PENALTY_TITLES.get(penalty.kind, penalty.kind) + ":"]
    if not penalty.rows:
        out.append("  не начислено")
    for row in penalty.rows:
        period = f"{format_day(row.start)}–{format_day(row.end)}"
        if row.days_in_year is None:
            arithmetic = f"{row.balance} × {row.rate} % × {row.days} дн."
        else:
            arithmetic = f"{row.balance} × {row.rate} % × {row.days} дн. / {row.days_in_year}"
        out.append(f"  {period}: {arithmetic} = {row.amount}")
    if penalty.moratorium_excluded:
        out.append("  дни моратория 01.04.2022–01.10.2022 исключены (ПП РФ № 497)")
    accrued = sum((row.amount for row in penalty.rows), Decimal("0.00"))
    if len(penalty.rows) > 1:
        out.append(f"  сумма строк: {' + '.join(str(row.amount) for row in penalty.rows)} = {accrued}")
    if penalty.cap is not None:
        verdict = "ограничено лимитом" if penalty.capped else "лимит не достигнут"
        out.append(f"  лимит (cap): {penalty.cap}; {verdict}")
    out.append(f"  Итого: {penalty.total}")
    return out


def format_storage(storage: StorageFee | None) -> list[str]:
    if storage is None:
        return ["Хранение: нет"]
    held = "автомобиль на хранении" if storage.still_held else "автомобиль выдан"
    return [
        f"Хранение ({held}): {format_day(storage.start)}–{format_day(storage.end)} = {storage.days_held} дн.",
        f"  платных дней: max(0, {storage.days_held} − {storage.free_days}) = {storage.paid_days}",
        f"  плата: {storage.paid_days} × {storage.daily_rate} = {storage.fee}",
    ]


def format_number(value: Decimal) -> str:
    """A quantity without trailing zeros: 1.5, not 1.500; 100, not 1E+2."""
    return f"{value.normalize():f}"


def figures_to_json(figures: Figures, court: CourtPlan | None = None) -> str:
    """Figures as JSON: amounts as decimal strings (exact), dates as ISO strings; `court` the
    court plan (null when nothing is claimed), with its status."""
    data = asdict(figures)
    data["court"] = {**asdict(court), "status": court.status} if court is not None else None
    for line_data, line_amount in zip(data["lines"], figures.lines, strict=True):
        line_data["is_expense"] = line_amount.is_expense
    data["work_done_total"] = figures.work_done_total
    data["expenses_total"] = figures.expenses_total
    return json.dumps(data, ensure_ascii=False, indent=2, default=encode_value)


def encode_value(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} не переводится в JSON")
