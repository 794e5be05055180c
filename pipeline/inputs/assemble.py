"""Turn a loaded file that passed validation into the frozen Shop and Case
objects of models.py, with defaults applied and case terms merged over the
shop's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pipeline.inputs.load import Mark, Path_
from pipeline.inputs.rules import parse_date, parse_datetime
from pipeline.models import (
    Bank,
    Case,
    Client,
    CollectionsTerms,
    Court,
    Event,
    FieldMark,
    Instalment,
    Invoice,
    Order,
    OrderCancelled,
    Payment,
    PenaltyTerms,
    ReconciliationPeriod,
    Refusal,
    Representative,
    Shop,
    Signatory,
    Storage,
    StorageNotice,
    StorageTerms,
    Terms,
    Vehicle,
    WorkLine,
)

DEFAULT_UNITS = {"part": "шт.", "labor": "усл."}
# АПК РФ ч. 5 ст. 4: a business dispute may go to court 30 calendar days after the pretension.
BUSINESS_PRETENSION_DAYS = 30

# Terms a case replaces as a whole: a court named in a case keeps nothing of the shop's court.
WHOLE_TERMS = frozenset({"court"})

_T = TypeVar("_T")
MarkOf = Callable[[Path_], Mark]  # LoadedFile.mark_of: where the value at a path stands


def merge_terms(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """The shop's terms with a case's overrides applied, key by key, recursively."""
    merged = dict(base)
    for key, value in override.items():
        mergeable = isinstance(value, dict) and isinstance(base.get(key), dict) and key not in WHOLE_TERMS
        merged[key] = merge_terms(base[key], value) if mergeable else value
    return merged


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _required(value: _T | None) -> _T:
    """A value the schema requires (present, a number or a real date): never None
    for a file that passed validation, the only kind these builders are given."""
    if value is None:
        raise ValueError("a required value is missing: the file was not validated")
    return value


def build_terms(data: dict[str, Any]) -> Terms:
    storage, penalty = data["storage"], data["penalty"]
    return Terms(
        payment_days=data["payment_days"],
        storage=StorageTerms(
            daily_rate=_required(_money(storage["daily_rate"])),
            free_days=storage["free_days"],
            basis=storage.get("basis"),
            collect_days=storage.get("collect_days", StorageTerms.collect_days),
        ),
        penalty=PenaltyTerms(
            kind=penalty["kind"],
            rate_percent_per_day=_money(penalty.get("rate_percent_per_day")),
            cap_percent=_money(penalty.get("cap_percent")),
            exclude_moratorium=penalty.get("exclude_moratorium", True),
            basis=penalty.get("basis"),
        ),
        notice_days=data["notice_days"],
        pretension_after_days=data["pretension_after_days"],
        pretension_response_days=data["pretension_response_days"],
        credit_limit=_required(_money(data["credit_limit"])),
        # Absent keys keep the dataclass defaults (README, "Monthly collections").
        collections=CollectionsTerms(**(data.get("collections") or {})),
        court=build_court(data.get("court")),
        reminder_days_before=data.get("reminder_days_before"),
        prepayment_basis=data.get("prepayment_basis"),
    )


def build_court(data: dict[str, Any] | None) -> Court | None:
    return Court(**data) if data else None


def build_shop(data: dict[str, Any], source: Path) -> Shop:
    return Shop(
        name=data["name"],
        short_name=data["short_name"],
        kind=data["kind"],
        inn=data["inn"],
        kpp=data.get("kpp"),
        ogrn=data["ogrn"],
        address=data["address"],
        phone=data["phone"],
        email=data.get("email"),
        signatory=Signatory(**data["signatory"]),
        bank=Bank(**data["bank"]),
        vat_rate=Decimal(data["vat_rate"]),
        terms=build_terms(data["terms"]),
        source=source,
    )


def build_case(data: dict[str, Any], shop_terms: dict[str, Any], source: Path, mark_of: MarkOf | None = None) -> Case:
    client = dict(data["client"])
    representative = client.pop("representative", None)
    client["birth_date"] = parse_date(client.get("birth_date"))
    refusal = data.get("refusal")
    invoice = data.get("invoice")
    storage = data.get("storage")
    case = Case(
        id=data["id"],
        client=Client(**client, representative=Representative(**representative) if representative else None),
        vehicle=Vehicle(**data["vehicle"]),
        order=Order(
            number=data["order"]["number"],
            date=_required(parse_date(data["order"]["date"])),
            estimate=_money(data["order"].get("estimate")),
            personal_use=data["order"].get("personal_use", False),
        ),
        work=tuple(_build_line(line) for line in data["work"]),
        terms=build_terms(merge_terms(shop_terms, data.get("terms") or {})),
        refusal=Refusal(
            at=_required(parse_datetime(refusal["at"])),
            channel=refusal["channel"],
            recorded_by=refusal["recorded_by"],
            client_signed=refusal["client_signed"],
            reason=refusal.get("reason"),
            witnesses=tuple(refusal.get("witnesses") or ()),
        )
        if refusal
        else None,
        invoice=Invoice(
            date=_required(parse_date(invoice["date"])),
            number=invoice.get("number"),
            due_date=parse_date(invoice.get("due_date")),
        )
        if invoice
        else None,
        payments=tuple(
            Payment(date=_required(parse_date(p["date"])), amount=_required(_money(p["amount"])), method=p["method"])
            for p in data.get("payments") or ()
        ),
        storage=Storage(
            start=_required(parse_date(storage["start"])),
            end=parse_date(storage.get("end")),
            daily_rate=_money(storage.get("daily_rate")),
            free_days=storage.get("free_days"),
            notice=_build_storage_notice(storage.get("notice")),
        )
        if storage
        else None,
        events=tuple(build_event(event, i, mark_of or _no_mark) for i, event in enumerate(data.get("events") or ())),
        notes=data.get("notes"),
        source=source,
        court=build_court(data.get("court")),
        order_cancelled=_build_order_cancelled(data.get("order_cancelled")),
        reconciliation=_build_reconciliation(data.get("reconciliation")),
    )
    if case.is_consumer or "pretension_response_days" in (data.get("terms") or {}):
        return case
    return replace(case, terms=replace(case.terms, pretension_response_days=BUSINESS_PRETENSION_DAYS))


def _build_order_cancelled(data: dict[str, Any] | None) -> OrderCancelled | None:
    if not data:
        return None
    return OrderCancelled(
        date=_required(parse_date(data["date"])),
        case_number=data.get("case_number"),
        order_date=parse_date(data.get("order_date")),
    )


def _build_storage_notice(notice: dict[str, Any] | None) -> StorageNotice | None:
    if not notice:
        return None
    return StorageNotice(
        date=_required(parse_date(notice["date"])),
        collect_by=_required(parse_date(notice["collect_by"])),
        number=notice.get("number"),
    )


def _build_reconciliation(period: dict[str, Any] | None) -> ReconciliationPeriod | None:
    if not period:
        return None
    return ReconciliationPeriod(_required(parse_date(period["from"])), _required(parse_date(period["to"])))


def _build_line(line: dict[str, Any]) -> WorkLine:
    return WorkLine(
        name=line["name"],
        kind=line["kind"],
        qty=_required(_money(line["qty"])),
        unit=line.get("unit") or DEFAULT_UNITS[line["kind"]],
        price=_required(_money(line["price"])),
        status=line["status"],
        percent_done=line.get("percent_done"),
        purchased=line.get("purchased", False),
        purchase_cost=_money(line.get("purchase_cost")),
        supplier_document=line.get("supplier_document"),
    )


def _no_mark(path: Path_) -> Mark:
    return Mark(1, 1)


def build_event(event: dict[str, Any], index: int, mark_of: MarkOf) -> Event:
    """One validated event, with where each of its values stands in the file."""
    return Event(
        kind=event["kind"],
        date=_required(parse_date(event["date"])),
        document=event.get("document"),
        channel=event.get("channel"),
        tracking=event.get("tracking"),
        pay_by=parse_date(event.get("pay_by")),
        amount=_money(event.get("amount")),
        reason=event.get("reason"),
        schedule=tuple(
            Instalment(_required(parse_date(item["date"])), _required(_money(item["amount"])))
            for item in event.get("schedule") or ()
        ),
        court=event.get("court"),
        court_case=event.get("court_case"),
        note=event.get("note"),
        index=index,
        marks=_event_marks(event, index, mark_of),
    )


def _event_marks(event: dict[str, Any], index: int, mark_of: MarkOf) -> tuple[FieldMark, ...]:
    """Where the event ("") and each of its values stand: the batch's problems point there."""
    marks = []
    for key in ("", *event):
        mark = mark_of(("events", index, key) if key else ("events", index))
        marks.append(FieldMark(key, mark.line, mark.column))
    return tuple(marks)
