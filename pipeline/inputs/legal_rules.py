"""Case rules the letters' legal wording depends on: whose purpose the order
served (consumer or business), whose car it is (retention), who signs a
refusal act for a company and on what authority, what a purchased part cost,
and when the client was told to collect the car.

Like rules.py, every rule reads the loaded data defensively: a field the
schema already rejected is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from pipeline.inputs.load import LoadedFile, Path_
from pipeline.inputs.rules import get, parse_date, text_or_none
from pipeline.models import Problem

_ONLY_PURCHASED = {
    "purchase_cost": "фактическая стоимость закупки",
    "supplier_document": "документ поставщика",
}


def check_legal_rules(loaded: LoadedFile, data: dict[str, Any]) -> Iterator[Problem]:
    yield from check_personal_use(loaded, data)
    yield from check_owner(loaded, data)
    yield from check_signer(loaded, data)
    yield from check_purchase_costs(loaded, data.get("work"))
    yield from check_storage_notice(loaded, data)
    yield from check_reconciliation(loaded, data)


def check_personal_use(loaded: LoadedFile, data: dict[str, Any]) -> Iterator[Problem]:
    """Only an entrepreneur's order can be either: a person is always a consumer, a company never."""
    kind = text_or_none(get(data, "client", "kind"))
    if get(data, "order", "personal_use") is not None and kind in ("person", "company"):
        who = "гражданин всегда потребитель" if kind == "person" else "организация потребителем не бывает"
        yield loaded.problem(
            ("order", "personal_use"),
            "отметка «для личных нужд» — только для заказа предпринимателя",
            f"{who}: уберите personal_use",
        )


def _same_name(first: str, second: str) -> bool:
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


def check_owner(loaded: LoadedFile, data: dict[str, Any]) -> Iterator[Problem]:
    owner, client = text_or_none(get(data, "vehicle", "owner")), text_or_none(get(data, "client", "name"))
    if owner is not None and client is not None and _same_name(owner, client):
        yield loaded.problem(
            ("vehicle", "owner"),
            "собственник совпадает с заказчиком",
            "уберите owner: он нужен, только если автомобиль принадлежит не заказчику",
        )


def check_signer(loaded: LoadedFile, data: dict[str, Any]) -> Iterator[Problem]:
    """A company signs a refusal act through a named representative with the basis of their authority."""
    if get(data, "client", "kind") != "company" or get(data, "refusal", "client_signed") is not True:
        return
    representative = get(data, "client", "representative")
    if not isinstance(representative, dict):
        yield loaded.problem(
            ("refusal", "client_signed"),
            "акт от имени организации подписывает её представитель, а он не указан",
            "добавьте client.representative: name, position и basis (Устава или доверенности № … от …)",
        )
    elif representative.get("basis") is None:
        yield loaded.problem(
            ("client", "representative"),
            "не указано, на основании чего представитель подписывает акт за организацию",
            "добавьте basis: Устава (или доверенности № … от …)",
            at_key=True,
        )


def check_purchase_costs(loaded: LoadedFile, work: Any) -> Iterator[Problem]:
    for i, line in enumerate(work if isinstance(work, list) else []):
        if not isinstance(line, dict) or line.get("purchased") is True:
            continue
        for key, what in _ONLY_PURCHASED.items():
            if line.get(key) is not None:
                yield loaded.problem(
                    ("work", i, key),
                    f"{what} — только для детали, закупленной для заказа и не установленной",
                    f"уберите {key} или укажите purchased: true и status: not_started",
                )


def check_not_before(
    loaded: LoadedFile, path: Path_, later: date | None, earlier: date | None, message: str
) -> Iterator[Problem]:
    """A problem at `path` when `later` is before `earlier` (either unknown: nothing to say)."""
    if later is not None and earlier is not None and later < earlier:
        yield loaded.problem(path, f"{message} ({earlier:%d.%m.%Y})", f"дата не раньше {earlier.isoformat()}")


def check_storage_notice(loaded: LoadedFile, data: dict[str, Any]) -> Iterator[Problem]:
    notice_date = parse_date(get(data, "storage", "notice", "date"))
    collect_by = parse_date(get(data, "storage", "notice", "collect_by"))
    order_date = parse_date(get(data, "order", "date"))
    yield from check_not_before(
        loaded, ("storage", "notice", "date"), notice_date, order_date, "уведомление не может быть раньше заказ-наряда"
    )
    yield from check_not_before(
        loaded,
        ("storage", "notice", "collect_by"),
        collect_by,
        notice_date,
        "срок забрать автомобиль не может быть раньше уведомления",
    )


def check_reconciliation(loaded: LoadedFile, data: dict[str, Any]) -> Iterator[Problem]:
    """The act of reconciliation's period runs forward."""
    start = parse_date(get(data, "reconciliation", "from"))
    end = parse_date(get(data, "reconciliation", "to"))
    yield from check_not_before(loaded, ("reconciliation", "to"), end, start, "конец периода сверки раньше его начала")
