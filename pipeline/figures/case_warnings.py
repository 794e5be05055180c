"""Warnings about a valid case that the letters' figures depend on: a storage fee
with no agreed tariff, a purchased part charged at the order's price, an order
above its estimate, a refusal witnessed by one person. Each names the case file;
none stops the run. Pure: no files, no clock.
"""

from __future__ import annotations

from pipeline.figures.money import ZERO, to_kopecks
from pipeline.models import Case


def case_warnings(case: Case) -> list[str]:
    where = str(case.source)
    texts = (*_storage_warnings(case), *_purchase_warnings(case), *_estimate_warnings(case), *_witness_warnings(case))
    return [f"{where}: {text}" for text in texts]


def _storage_warnings(case: Case) -> list[str]:
    """ГК РФ ст. 359, 712 give a right to keep the car, not to charge for keeping it."""
    if case.storage is None or case.terms.storage.basis:
        return []
    return [
        "плата за хранение не начислена: не указано, где заказчик согласовал её размер "
        "(добавьте terms.storage.basis, например «п. 4.3 заказ-наряда»)"
    ]


def _purchase_warnings(case: Case) -> list[str]:
    """A purchased part is an expense at its actual cost (ГК РФ ст. 717, ЗоЗПП ст. 32)."""
    return [
        f"work[{number}] «{line.name}»: закупленная деталь предъявлена по цене заказ-наряда — укажите "
        "purchase_cost, фактическую стоимость закупки по документу поставщика"
        for number, line in enumerate(case.work, start=1)
        if line.status == "not_started" and line.purchased and line.purchase_cost is None
    ]


def _estimate_warnings(case: Case) -> list[str]:
    """An order above its estimate is payable only as agreed (ЗоЗПП ст. 33; ГК РФ ст. 709 п. 5)."""
    estimate = case.order.estimate
    if case.refusal is None or estimate is None:
        return []
    ordered = sum((to_kopecks(line.qty * line.price) for line in case.work), ZERO)
    if ordered <= estimate:
        return []
    article = "ст. 33 Закона «О защите прав потребителей»" if case.is_consumer else "п. 5 ст. 709 ГК РФ"
    return [
        f"работы и запчасти заказ-наряда стоят {ordered} руб., больше сметы {estimate} руб.: превышение "
        f"оплачивается, только если заказчика своевременно предупредили и он согласился ({article})"
    ]


def _witness_warnings(case: Case) -> list[str]:
    refusal = case.refusal
    if refusal is None or refusal.client_signed or len(refusal.witnesses) != 1:
        return []
    return ["refusal.witnesses: отказ от подписи удостоверяет один свидетель, обычно их двое — добавьте второго"]
