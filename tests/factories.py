"""Small builders of validated Shop and Case objects for calculation tests: every
argument has a plain default so a test states only what it is about."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pipeline.models import (
    Bank,
    Case,
    Client,
    Invoice,
    KeyRate,
    Order,
    Payment,
    PenaltyTerms,
    Refusal,
    Shop,
    Signatory,
    Storage,
    StorageTerms,
    Terms,
    Vehicle,
    WorkLine,
)


def day(text: str) -> date:
    return date.fromisoformat(text)


def make_terms(
    *,
    payment_days: int = 5,
    daily_rate: str = "300.00",
    free_days: int = 3,
    storage_basis: str | None = "п. 4.3 заказ-наряда",
    penalty_kind: str = "key_rate",
    rate_per_day: str | None = None,
    cap_percent: str | None = None,
    exclude_moratorium: bool = True,
    penalty_basis: str | None = None,
    notice_days: int = 7,
    pretension_after_days: int = 30,
    pretension_response_days: int = 10,
) -> Terms:
    return Terms(
        payment_days=payment_days,
        storage=StorageTerms(Decimal(daily_rate), free_days, storage_basis),
        penalty=PenaltyTerms(
            kind=penalty_kind,
            rate_percent_per_day=Decimal(rate_per_day) if rate_per_day is not None else None,
            cap_percent=Decimal(cap_percent) if cap_percent is not None else None,
            exclude_moratorium=exclude_moratorium,
            basis=penalty_basis if penalty_basis is not None or penalty_kind != "contract" else "п. 5.2 договора",
        ),
        notice_days=notice_days,
        pretension_after_days=pretension_after_days,
        pretension_response_days=pretension_response_days,
        credit_limit=Decimal("10000.00"),
    )


def make_shop(*, vat_rate: str = "0", terms: Terms | None = None) -> Shop:
    return Shop(
        name="ООО «Автосервис Плюс»",
        short_name="Автосервис Плюс",
        kind="company",
        inn="7724123458",
        kpp="772401001",
        ogrn="1027700123450",
        address="123456, г. Москва, ул. Механиков, д. 7",
        phone="+7 495 123-45-67",
        email=None,
        signatory=Signatory("Петров Пётр Петрович", "Генеральный директор", "Устава"),
        bank=Bank("ПАО Сбербанк", "044525225", "40702810938000012345", "30101810400000000225"),
        vat_rate=Decimal(vat_rate),
        terms=terms or make_terms(),
    )


def make_line(
    name: str = "Работа",
    *,
    kind: str = "labor",
    qty: str = "1",
    price: str = "1000.00",
    status: str = "done",
    percent_done: int | None = None,
    purchased: bool = False,
    purchase_cost: str | None = None,
) -> WorkLine:
    unit = "шт." if kind == "part" else "усл."
    cost = Decimal(purchase_cost) if purchase_cost is not None else None
    return WorkLine(name, kind, Decimal(qty), unit, Decimal(price), status, percent_done, purchased, cost)


def pay(on: str, amount: str, method: str = "transfer") -> Payment:
    return Payment(day(on), Decimal(amount), method)


def make_case(
    *,
    work: tuple[WorkLine, ...] | None = None,
    total: str = "10000.00",
    terms: Terms | None = None,
    order_date: str = "2026-03-01",
    invoice_date: str | None = "2026-03-01",
    due_date: str | None = None,
    payments: tuple[Payment, ...] = (),
    storage: Storage | None = None,
    refused: bool = False,
) -> Case:
    """A case; without `work`, one done line whose amount is `total`."""
    invoice = None
    if invoice_date is not None:
        invoice = Invoice(day(invoice_date), "1", day(due_date) if due_date else None)
    refusal = None
    if refused:
        refusal = Refusal(datetime(2026, 3, 1, 14, 30), "in_person", "Кузнецов К. К.", True)
    return Case(
        id="T-1",
        client=Client("person", "Иванов Иван Иванович", "101000, г. Москва, ул. Ленина, д. 1"),
        vehicle=Vehicle("Lada", "Vesta"),
        order=Order("ЗН-1", day(order_date)),
        work=work if work is not None else (make_line(price=total),),
        terms=terms or make_terms(),
        refusal=refusal,
        invoice=invoice,
        payments=payments,
        storage=storage,
    )


def rate_table(*rows: tuple[str, str]) -> tuple[KeyRate, ...]:
    """A synthetic key-rate table of (effective_from, percent) rows, all confirmed."""
    return tuple(KeyRate(day(effective_from), Decimal(rate), True) for effective_from, rate in rows)
