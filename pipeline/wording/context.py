"""The template variables of one document: `build_context` turns a case, the shop
and the computed figures into nested dicts of ready-to-print Russian strings.

Pure (no files, no clock, no docxtpl): every number, date and word a template
prints is made here, so a template only places text. variables.py declares
every variable this builds (tests keep the two equal).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pipeline.documents import BY_NAME, document_kind
from pipeline.figures.calc import compute_balance
from pipeline.figures.calendar import load_work_calendar
from pipeline.figures.court import CourtPlan
from pipeline.figures.court_filing import COURT_KINDS
from pipeline.models import Case, Figures, SentLetter, Shop
from pipeline.wording import legal
from pipeline.wording.account import collect_block, credit_block, reconciliation_block
from pipeline.wording.agreements import instalments_block, write_off_block, write_off_day
from pipeline.wording.court_wording import court_block
from pipeline.wording.parties import client_block, shop_block, vehicle_block
from pipeline.wording.qr import payment_qr_payload
from pipeline.wording.russian import (
    capitalize_first,
    format_amount,
    format_calendar_days_genitive,
    format_date_long,
    format_date_short,
    format_datetime_long,
    format_days,
    format_money,
    format_percent,
    format_rub,
    money_in_words,
    reported_reason,
)
from pipeline.wording.tables import lines_block, penalty_block, storage_block
from pipeline.wording.variables import VARIABLES

# The top-level variables; the whole tree, described, is variables.VARIABLES.
CONTEXT_KEYS = {variable.name: variable.description for variable in VARIABLES}

QR_WIDTH_MM = 35
# The documents that ask for what is left of the invoice, with its own payment purpose; the others ask for the claim.
ASK_INVOICE = ("invoice", "refusal_act", "payment_reminder")


@dataclass(frozen=True)
class QrCode:
    """Marks where a payment QR code goes; render.py turns it into an image."""

    payload: str
    width_mm: int = QR_WIDTH_MM


def money(amount: Decimal) -> dict[str, Any]:
    """One amount in every form a template prints it."""
    words = money_in_words(amount)
    return {
        "value": str(amount),
        "text": format_money(amount),
        "rub": format_rub(amount),
        "words": words,
        "words_cap": capitalize_first(words),
        "full": format_amount(amount),
    }


def _document_number(case: Case, kind: str) -> str:
    if kind == "invoice":
        return case.invoice.number if case.invoice and case.invoice.number else "б/н"
    if not document_kind(kind).number_prefix:
        return "б/н"  # no number of its own: the debt statement goes under its letter's number
    base = case.invoice.number if case.invoice and case.invoice.number else case.order.number
    # "ЗН-0147" → "0147": the prefix says the document, not the order.
    base = base.rsplit("-", 1)[-1]
    return f"{document_kind(kind).number_prefix}-{base}"


def _invoice_block(case: Case, figures: Figures) -> dict[str, Any] | None:
    if case.invoice is None or figures.due_date is None:
        return None
    invoice = case.invoice
    return {
        "number": invoice.number or "б/н",
        "date": format_date_long(invoice.date),
        "date_short": format_date_short(invoice.date),
        "due_date": format_date_long(figures.due_date),
        "due_date_short": format_date_short(figures.due_date),
        "is_partial": case.refusal is not None,
    }


def _refusal_block(case: Case) -> dict[str, Any] | None:
    refusal = case.refusal
    if refusal is None:
        return None
    witnesses = []
    for number, text in enumerate(refusal.witnesses, start=1):
        name, _, role = text.partition(",")
        witnesses.append({"number": number, "text": text, "name": name.strip(), "role": role.strip()})
    return {
        "at": format_datetime_long(refusal.at),
        "date": format_date_long(refusal.at.date()),
        "date_short": format_date_short(refusal.at.date()),
        "time": f"{refusal.at:%H:%M}",
        "channel": legal.REFUSAL_CHANNELS[refusal.channel],
        "reason": refusal.reason or "",
        "reason_reported": reported_reason(refusal.reason) if refusal.reason else "",
        "recorded_by": refusal.recorded_by,
        "client_signed": refusal.client_signed,
        "witnesses": witnesses,
    }


@dataclass(frozen=True)
class Balance:
    """The payments made by a document's date and what they left: an invoice shows its own date's."""

    day: date
    paid: Decimal
    outstanding: Decimal
    overpayment: Decimal


def _balance_on(case: Case, figures: Figures, day: date) -> Balance:
    return Balance(day, *compute_balance(figures.total, case.payments, day))


def _payments_block(case: Case, balance: Balance) -> dict[str, Any]:
    made = [p for p in sorted(case.payments, key=lambda p: p.date) if p.date <= balance.day]
    items = [
        {
            "number": number,
            "date": format_date_long(p.date),
            "date_short": format_date_short(p.date),
            "amount": format_rub(p.amount),
            "amount_text": format_money(p.amount),
            "method": legal.PAYMENT_METHODS[p.method],
        }
        for number, p in enumerate(made, start=1)
    ]
    return {
        "items": items,
        "summary": "; ".join(f"{p['date_short']} — {p['amount']}, {p['method']}" for p in items),
        "has_payments": bool(items),
        "paid": money(balance.paid),
        "outstanding": money(balance.outstanding),
        "overpayment": money(balance.overpayment) if balance.overpayment > 0 else None,
        "is_paid": balance.outstanding <= 0,
    }


def _payment_purpose(case: Case, kind: str, figures: Figures) -> str:
    order = f"за ремонт автомобиля по заказ-наряду № {case.order.number}"
    if case.invoice is None:
        return f"Оплата {order}"
    invoice = f"по счёту № {case.invoice.number or 'б/н'} от {format_date_short(case.invoice.date)}"
    if kind in ASK_INVOICE:
        return f"Оплата {invoice} {order}"
    extras = []
    if figures.penalty.total > 0:
        extras.append("неустойка" if figures.penalty.kind == "contract" else "проценты по ст. 395 ГК РФ")
    if figures.storage is not None and figures.storage.fee > 0:
        extras.append("хранение автомобиля")
    tail = f", {', '.join(extras)}" if extras else ""
    return f"Оплата задолженности {invoice} {order}{tail}"


def _payment_block(case: Case, shop: Shop, figures: Figures, kind: str, balance: Balance) -> dict[str, Any]:
    # The invoice asks for what was left of it on its date; the letters ask for the whole claim.
    amount = balance.outstanding if kind in ASK_INVOICE else figures.claim_total
    purpose = _payment_purpose(case, kind, figures)
    payload = payment_qr_payload(shop, amount, purpose) if amount > 0 else ""
    return {
        "amount": money(amount),
        "purpose": purpose,
        "qr_payload": payload,
        # Each item ends with its list punctuation, so a template prints it as is.
        "methods": [
            f"наличными или банковской картой в кассе исполнителя по адресу: {shop.address};",
            f"безналичным переводом на расчётный счёт исполнителя: {shop.bank.name}, "
            f"р/с {shop.bank.account}, к/с {shop.bank.corr_account}, БИК {shop.bank.bik}, "
            f"получатель {shop.name}, ИНН {shop.inn}" + (f", КПП {shop.kpp}" if shop.kpp else "") + ";",
        ]
        + (["через мобильное приложение банка по QR-коду."] if payload else []),
    }


def _punctuate(items: list[str]) -> list[str]:
    return [f"{item}{'.' if index == len(items) - 1 else ';'}" for index, item in enumerate(items)]


def _legal_block(case: Case, figures: Figures, penalty: dict[str, Any]) -> dict[str, Any]:
    """Consumer or business by the order's purpose (Case.is_consumer), not the registration."""
    consumer = case.is_consumer
    kind, capped = figures.penalty.kind, figures.penalty.capped
    has_refusal = case.refusal is not None
    # Retention only of the client's own property (ГК РФ ст. 712: «принадлежащих заказчику»).
    retained = case.storage is not None and case.vehicle.owner is None
    storage_basis = (case.terms.storage.basis or "") if case.storage is not None else ""
    storage_charged = figures.storage is not None and bool(storage_basis) and figures.storage.fee > 0
    return {
        "payment_duty": legal.payment_duty(has_refusal, consumer),
        "refusal_ground": legal.refusal_ground(consumer),
        "refusal_articles": legal.refusal_articles(consumer),
        "consumer_rules": legal.consumer_rules(consumer),
        "penalty_ground": legal.penalty_ground(kind, penalty["rate_text"], penalty["cap_text"], penalty["basis"]),
        "retention": legal.RETENTION if retained else "",
        "interest_until_paid": legal.interest_until_paid(kind, capped, penalty["cap_text"]),
        "court_claims": legal.court_claims(kind, capped, storage_charged),
        "court": legal.court_procedure(consumer),
        "pretension_procedure": legal.pretension_procedure(consumer),
        "costs": legal.court_costs(consumer),
        # List punctuation included: ";" after each item, "." after the last.
        "grounds": _punctuate(legal.grounds_list(consumer, has_refusal, kind, retained, storage_basis)),
    }


def _annexes(kind: str, as_of: date) -> list[str]:
    """The documents issued with a letter of `kind` (DocumentKind.annexes), as its attachments name them."""
    return [f"{document_kind(name).title} на {format_date_short(as_of)}" for name in document_kind(kind).annexes]


def _annex_of_block(annex_of: tuple[str, str, date] | None) -> dict[str, Any] | None:
    """The letter a document is annexed to: «Приложение к претензии № ПР-2026-0001 от 02.12.2026»."""
    if annex_of is None:
        return None
    kind, number, issued = annex_of
    title = document_kind(kind).title_dative or "письму"
    return {
        "kind": kind,
        "title_dative": title,
        "number": number,
        "date": format_date_long(issued),
        "date_short": format_date_short(issued),
        "line": f"Приложение к {title} № {number} от {format_date_short(issued)}",
    }


def _attachments(case: Case, annexes: list[str]) -> list[dict[str, Any]]:
    items = [f"Копия заказ-наряда № {case.order.number} от {format_date_short(case.order.date)}"]
    if case.refusal is not None:
        items.append(
            f"Копия акта об отказе заказчика от исполнения договора от {format_date_short(case.refusal.at.date())}"
        )
    if case.invoice is not None:
        items.append(f"Копия счёта № {case.invoice.number or 'б/н'} от {format_date_short(case.invoice.date)}")
    notice = case.storage.notice if case.storage is not None else None
    if notice is not None:
        number = f"№ {notice.number} " if notice.number else ""
        items.append(
            f"Копия уведомления {number}от {format_date_short(notice.date)} о необходимости забрать автомобиль"
        )
    items.extend(annexes)
    return [{"number": n, "text": text} for n, text in enumerate(items, start=1)]


def build_context(
    case: Case,
    shop: Shop,
    figures: Figures,
    kind: str,
    document_number: str | None = None,
    notice: tuple[str, date] | None = None,
    annex_of: tuple[str, str, date] | None = None,
    court: CourtPlan | None = None,
    sent: Sequence[SentLetter] = (),
) -> dict[str, Any]:
    """All variables of one document of `kind` (one of documents.KIND_NAMES).

    The number defaults to the invoice number for the invoice and to a prefixed
    one (АО-147, УВ-147, ПР-147) for the others; the batch journal passes its own.
    The date is the as-of date, except the refusal act's (the day the refusal
    came) and the invoice's (its own date); the payments are those made by that
    date, so an invoice never changes after it is issued. `notice` is the number
    and date of an overdue notice already sent, which the pretension then
    recounts. `annex_of` is the kind, number and date of the letter a document
    (the debt statement) is annexed to; None when it is built alone.

    A court application (court_order, claim) is given the court `plan` it is made on
    (figures/court_filing.py) and the letters `sent` to the debtor, which it lists and recounts.
    """
    if kind not in BY_NAME:
        raise ValueError(f"unknown document kind {kind!r}")
    penalty = penalty_block(figures.penalty, case.terms.penalty, figures.unconfirmed_key_rates)
    balance = _balance_on(case, figures, _document_date(case, figures, kind))
    payment = _payment_block(case, shop, figures, kind, balance)
    annexes = _annexes(kind, figures.as_of)
    return {
        "kind": kind,
        "document": _document_block(case, figures, kind, document_number),
        "shop": shop_block(shop),
        "client": client_block(case.client, case.is_consumer),
        "vehicle": vehicle_block(case.vehicle),
        "order": _order_block(case),
        "refusal": _refusal_block(case),
        "lines": lines_block(figures),
        "totals": _totals_block(figures),
        "invoice": _invoice_block(case, figures),
        "notice": _notice_block(notice),
        "payments": _payments_block(case, balance),
        "overdue": {
            "days": figures.days_overdue,
            "days_text": format_days(figures.days_overdue),
            "is_overdue": figures.days_overdue > 0,
        },
        "penalty": penalty,
        "storage": storage_block(case, figures),
        "claim": _claim_block(figures),
        "deadlines": _deadlines_block(case, figures),
        "legal": _legal_block(case, figures, penalty),
        "payment": payment,
        "qr": QrCode(payment["qr_payload"]) if payment["qr_payload"] else None,
        "annexes": annexes,
        "annex_of": _annex_of_block(annex_of),
        "instalments": instalments_block(case, figures, load_work_calendar(), money),
        "write_off": write_off_block(case, figures, load_work_calendar(), money),
        "attachments": _attachments(case, annexes),
        "court": _court_application(case, shop, figures, kind, court, sent),
        "collect": collect_block(case, figures),
        "reconciliation": reconciliation_block(case, shop, figures),
        "credit": credit_block(case, figures),
    }


# --- court applications (issue 17, points 3–4) ----------------------------------------


def _court_application(
    case: Case, shop: Shop, figures: Figures, kind: str, plan: CourtPlan | None, sent: Sequence[SentLetter]
) -> dict[str, Any] | None:
    """court.*, for a court application made on a plan that names a court; None otherwise."""
    if kind not in COURT_KINDS or plan is None or plan.court is None:
        return None
    client = client_block(case.client, case.is_consumer)
    return court_block(case, shop, figures, plan, kind, sent, client["title_genitive"], client["title"])


def _document_date(case: Case, figures: Figures, kind: str) -> date:
    if kind == "refusal_act" and case.refusal is not None:
        return case.refusal.at.date()
    if kind == "invoice" and case.invoice is not None:
        return case.invoice.date
    return _agreement_document_date(case, figures, kind) or figures.as_of


def _agreement_document_date(case: Case, figures: Figures, kind: str) -> date | None:
    """The instalment agreement is dated the day it was agreed; the write-off act, the write-off's day."""
    if kind == "instalment_agreement":
        agreed = [event.date for event in case.events if event.kind == "instalments" and event.date <= figures.as_of]
        return agreed[-1] if agreed else None
    if kind == "write_off_act":
        return write_off_day(case, figures.as_of)
    return None


def _document_block(case: Case, figures: Figures, kind: str, document_number: str | None) -> dict[str, Any]:
    document_date = _document_date(case, figures, kind)
    return {
        "kind": kind,
        "title": BY_NAME[kind].title,
        "number": document_number or _document_number(case, kind),
        "date": format_date_long(document_date),
        "date_short": format_date_short(document_date),
        "date_iso": document_date.isoformat(),
        "as_of": format_date_long(figures.as_of),
        "as_of_short": format_date_short(figures.as_of),
        "as_of_iso": figures.as_of.isoformat(),
        # Not for printing: stamp.py writes it into the file's properties.
        "case_id": case.id,
    }


def _order_block(case: Case) -> dict[str, Any]:
    return {
        "number": case.order.number,
        "date": format_date_long(case.order.date),
        "date_short": format_date_short(case.order.date),
        "estimate": money(case.order.estimate) if case.order.estimate is not None else None,
    }


def _totals_block(figures: Figures) -> dict[str, Any]:
    has_vat = figures.vat_rate > 0
    vat_percent = format_percent(figures.vat_rate)
    return {
        "total": money(figures.total),
        "work_done": money(figures.work_done_total),
        "expenses": money(figures.expenses_total),
        "has_vat": has_vat,
        "vat_rate": vat_percent,
        "vat": money(figures.vat),
        "vat_label": f"В т.ч. НДС {vat_percent}:" if has_vat else "Без НДС",
        "vat_amount": format_money(figures.vat) if has_vat else "—",
        "vat_note": f"в том числе НДС {vat_percent} — {format_rub(figures.vat)}" if has_vat else "без НДС",
        "vat_line": f"в т.ч. НДС {vat_percent}: {format_rub(figures.vat)}" if has_vat else "Без НДС",
    }


def _notice_block(notice: tuple[str, date] | None) -> dict[str, Any] | None:
    if notice is None:
        return None
    number, sent = notice
    return {"number": number, "date": format_date_long(sent), "date_short": format_date_short(sent)}


def _claim_block(figures: Figures) -> dict[str, Any]:
    claim_storage = figures.storage.fee if figures.storage is not None else Decimal("0.00")
    return {
        "total": money(figures.claim_total),
        "principal": money(figures.outstanding),
        "penalty": money(figures.penalty.total),
        "storage": money(claim_storage),
    }


def _deadlines_block(case: Case, figures: Figures) -> dict[str, Any]:
    return {
        "notice": format_date_long(figures.notice_deadline),
        "notice_short": format_date_short(figures.notice_deadline),
        "notice_days_text": format_days(case.terms.notice_days),
        "pretension": format_date_long(figures.pretension_deadline),
        "pretension_short": format_date_short(figures.pretension_deadline),
        "pretension_days": case.terms.pretension_response_days,
        "pretension_days_text": format_days(case.terms.pretension_response_days),
        # «в течение 10 (десяти) календарных дней»
        "pretension_period": format_calendar_days_genitive(case.terms.pretension_response_days),
    }
