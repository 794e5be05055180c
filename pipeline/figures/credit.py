"""The client's whole debt, across the cases of one run, against the credit limit (issue 16, point 5):
the cases of one client are those with the same ИНН, or, without an ИНН, the same name and phone.
Pure: the cases and their outstanding sums in, each case's client total out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from pipeline.figures.money import ZERO
from pipeline.models import Case, Client


def client_key(client: Client, case_id: str) -> str:
    """Who the client is for the limit: the ИНН; else the name (case and spaces ignored) and the phone's
    digits; a client with neither is known only by its own case."""
    if client.inn:
        return f"inn:{client.inn}"
    if client.phone:
        name = " ".join(client.name.casefold().replace("ё", "е").split())
        digits = "".join(ch for ch in client.phone if ch.isdigit())
        return f"name:{name}|phone:{digits[-10:]}"
    return f"case:{case_id}"


@dataclass(frozen=True)
class OrderDebt:
    case_id: str
    order_number: str
    outstanding: Decimal


@dataclass(frozen=True)
class ClientDebt:
    """What one client owes across its cases: the orders with a debt, oldest first, and their sum."""

    total: Decimal
    orders: tuple[OrderDebt, ...]

    def is_lead(self, case_id: str) -> bool:
        """The case that carries the client's one prepayment letter: its oldest order with a debt."""
        return bool(self.orders) and self.orders[0].case_id == case_id


def client_debts(debts: Iterable[tuple[Case, Decimal]]) -> dict[str, ClientDebt]:
    """Each case id with its client's debt across all the client's cases of the run."""
    pairs = sorted(debts, key=lambda pair: (pair[0].order.date, pair[0].id))
    orders: dict[str, list[OrderDebt]] = {}
    for case, outstanding in pairs:
        found = orders.setdefault(client_key(case.client, case.id), [])
        if outstanding > 0:
            found.append(OrderDebt(case.id, case.order.number, outstanding))
    by_client = {
        key: ClientDebt(sum((order.outstanding for order in found), ZERO), tuple(found))
        for key, found in orders.items()
    }
    return {case.id: by_client[client_key(case.client, case.id)] for case, _ in pairs}


def over_credit_limit(client_debt: ClientDebt | None, credit_limit: Decimal) -> bool:
    """The client owes more than the limit: further work only on prepayment."""
    return client_debt is not None and client_debt.total > credit_limit
