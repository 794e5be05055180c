"""Business rules the JSON Schema cannot express: check digits of ИНН, ОГРН
and bank accounts, what each kind of party must have, and the order of dates.

Rules read the loaded data defensively (a field the schema already rejected
is skipped), so one run reports every problem of a file at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from pipeline.inputs.load import LoadedFile, Path_
from pipeline.models import Problem

_PATRONYMIC = re.compile(r"(вич|ич|оглы|улы)$|(вна|чна|кызы|гызы)$", re.IGNORECASE)


def get(data: Any, *path: str | int) -> Any:
    """The value at `path`, or None when any step is missing or of the wrong type."""
    for step in path:
        if isinstance(step, int) and isinstance(data, list) and 0 <= step < len(data):
            data = data[step]
        elif isinstance(step, str) and isinstance(data, dict):
            data = data.get(step)
        else:
            return None
    return data


def parse_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


# Every date of a case lies in these years (the schemas' formatMinimum/formatMaximum); the CLI's --as-of too.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def _in_range(day: date | None) -> date | None:
    """A date the order checks may compare: one outside the years is already reported by the schema."""
    return day if day is not None and FIRST_DAY <= day <= LAST_DAY else None


def parse_datetime(value: Any) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M") if isinstance(value, str) else None
    except ValueError:
        return None


def account_key_valid(bik: str, account: str, correspondent: bool = False) -> bool:
    """Bank of Russia account key (Положение ЦБ РФ № 579-П): weights 7,1,3 over
    the BIK part and the account; the sum of the products' last digits ends in 0."""
    prefix = "0" + bik[4:6] if correspondent else bik[6:9]
    digits = prefix + account
    return sum(int(d) * (7, 1, 3)[i % 3] % 10 for i, d in enumerate(digits)) % 10 == 0


def gender_from_patronymic(full_name: str) -> str | None:
    words = full_name.split()
    if len(words) < 3:
        return None
    match = _PATRONYMIC.search(words[-1])
    if not match:
        return None
    return "male" if match.group(1) else "female"


# --- requisites -----------------------------------------------------------------

_INN_LENGTH = {"company": 10, "entrepreneur": 12, "person": 12}
_OGRN_LENGTH = {"company": 13, "entrepreneur": 15}
_PARTY = {"company": "организации", "entrepreneur": "предпринимателя", "person": "гражданина"}


def text_or_none(value: Any) -> str | None:
    """A value the rules may compare and look up; anything else the schema has already reported."""
    return value if isinstance(value, str) else None


def check_requisites(loaded: LoadedFile, party: dict[str, Any], path: Path_, kind: Any) -> Iterator[Problem]:
    """ИНН/КПП/ОГРН of a party (the shop or a client) of the given kind."""
    kind = text_or_none(kind)
    inn, ogrn, kpp = party.get("inn"), party.get("ogrn"), party.get("kpp")
    who = _PARTY.get(kind or "", "")
    if kind in ("company", "entrepreneur") and inn is None:
        yield loaded.problem((*path, "inn"), f"нет ИНН {who}", 'добавьте inn: "…" (в кавычках)')
    if isinstance(inn, str) and inn.isdigit():
        if kind in _INN_LENGTH and len(inn) != _INN_LENGTH[kind]:
            yield loaded.problem(
                (*path, "inn"),
                f"у {who} ИНН из {_INN_LENGTH[kind]} цифр, а здесь {len(inn)}",
                "проверьте ИНН или вид лица (kind)",
            )
        elif not stdnum_inn.is_valid(inn):
            yield loaded.problem((*path, "inn"), "контрольная сумма ИНН не сходится", "проверьте цифры")
    if isinstance(ogrn, str) and ogrn.isdigit():
        if kind == "person":
            yield loaded.problem(
                (*path, "ogrn"), "у гражданина нет ОГРН", "уберите ogrn или укажите kind: entrepreneur"
            )
        elif kind in _OGRN_LENGTH and len(ogrn) != _OGRN_LENGTH[kind]:
            label = "ОГРН" if kind == "company" else "ОГРНИП"
            yield loaded.problem(
                (*path, "ogrn"),
                f"{label} {who} — {_OGRN_LENGTH[kind]} цифр, а здесь {len(ogrn)}",
                "проверьте номер или вид лица (kind)",
            )
        elif not stdnum_ogrn.is_valid(ogrn):
            yield loaded.problem((*path, "ogrn"), "контрольная цифра ОГРН не сходится", "проверьте цифры")
    if kpp is not None and kind in ("person", "entrepreneur"):
        yield loaded.problem((*path, "kpp"), f"КПП бывает только у организации, не у {who}", "уберите kpp")
    if kpp is None and kind == "company" and path == ():
        yield loaded.problem(("kpp",), "нет КПП организации", 'добавьте kpp: "…" (9 знаков, в кавычках)')


def check_bank(loaded: LoadedFile, bank: Any) -> Iterator[Problem]:
    bik, account, corr = get(bank, "bik"), get(bank, "account"), get(bank, "corr_account")
    if not (isinstance(bik, str) and re.fullmatch(r"04[0-9]{7}", bik)):
        return
    if isinstance(account, str) and re.fullmatch(r"[0-9]{20}", account) and not account_key_valid(bik, account):
        yield loaded.problem(
            ("bank", "account"), "ключ расчётного счёта не сходится с БИК", "проверьте цифры счёта и БИК"
        )
    if isinstance(corr, str) and re.fullmatch(r"301[0-9]{17}", corr):
        if corr[-3:] != bik[-3:]:
            yield loaded.problem(
                ("bank", "corr_account"),
                f"корреспондентский счёт не оканчивается тремя последними цифрами БИК ({bik[-3:]})",
                "проверьте к/с и БИК",
            )
        elif not account_key_valid(bik, corr, correspondent=True):
            yield loaded.problem(
                ("bank", "corr_account"), "ключ корреспондентского счёта не сходится с БИК", "проверьте цифры"
            )


def check_penalty_terms(loaded: LoadedFile, penalty: Any, path: Path_, kind: Any) -> Iterator[Problem]:
    """`kind` is the effective penalty kind (the case's or else the shop's)."""
    kind = text_or_none(kind)
    if not isinstance(penalty, dict):
        return
    if kind == "contract" and penalty.get("rate_percent_per_day") is None and "kind" in penalty:
        yield loaded.problem(
            (*path, "kind"),
            "для договорной неустойки не указан её размер",
            "добавьте rate_percent_per_day: 0.1 (% в день)",
        )
    if kind == "contract" and penalty.get("basis") is None and "kind" in penalty:
        # ГК РФ ст. 331: a penalty without a written agreement is void, so a letter must name it.
        yield loaded.problem(
            (*path, "kind"),
            "не указано письменное соглашение о неустойке (ст. 331 ГК РФ)",
            "добавьте basis: п. 5.2 договора-заказ-наряда — пункт, на который сошлются письма",
        )
    for key in ("rate_percent_per_day", "cap_percent", "basis"):
        if kind == "key_rate" and penalty.get(key) is not None:
            yield loaded.problem(
                (*path, key),
                "это поле только для договорной неустойки (kind: contract)",
                "уберите его или укажите kind: contract",
            )


# --- shop and case ---------------------------------------------------------------


def check_shop_rules(loaded: LoadedFile) -> list[Problem]:
    data = loaded.data if isinstance(loaded.data, dict) else {}
    problems = list(check_requisites(loaded, data, (), data.get("kind")))
    problems += check_bank(loaded, data.get("bank"))
    penalty = get(data, "terms", "penalty")
    problems += check_penalty_terms(loaded, penalty, ("terms", "penalty"), get(penalty, "kind"))
    return problems


def check_case_rules(loaded: LoadedFile, shop_penalty_kind: str | None) -> list[Problem]:
    data = loaded.data if isinstance(loaded.data, dict) else {}
    problems: list[Problem] = []
    client = data.get("client")
    if isinstance(client, dict):
        problems += check_client(loaded, client)
    problems += check_work(loaded, data.get("work"))
    problems += check_dates(loaded, data)
    refusal = data.get("refusal")
    if isinstance(refusal, dict) and refusal.get("client_signed") is False and not refusal.get("witnesses"):
        problems.append(
            loaded.problem(
                ("refusal", "client_signed"),
                "заказчик не подписал акт, но свидетели не указаны",
                "добавьте witnesses: одного-двух человек, например «Смирнов А. А., автослесарь»",
            )
        )
    penalty = get(data, "terms", "penalty")
    case_kind = text_or_none(get(penalty, "kind"))
    problems += check_penalty_terms(loaded, penalty, ("terms", "penalty"), case_kind or shop_penalty_kind)
    from pipeline.inputs.legal_rules import check_legal_rules  # it reads this module's helpers

    problems += check_legal_rules(loaded, data)
    from pipeline.inputs.event_rules import check_events  # it reads this module's helpers too

    problems += check_events(loaded, data)
    return problems


def check_client(loaded: LoadedFile, client: dict[str, Any]) -> Iterator[Problem]:
    kind = text_or_none(client.get("kind"))
    yield from check_requisites(loaded, client, ("client",), kind)
    if client.get("representative") is not None and kind in ("person", "entrepreneur"):
        yield loaded.problem(
            ("client", "representative"), "представитель указывается только у организации", "уберите representative"
        )
    name = client.get("name")
    if kind in ("person", "entrepreneur") and isinstance(name, str):
        if len(name.split()) < 2:
            yield loaded.problem(
                ("client", "name"), "нужны фамилия и имя (и отчество, если есть)", "например: Иванов Иван Иванович"
            )
        elif client.get("gender") is None and gender_from_patronymic(name) is None:
            yield loaded.problem(
                ("client", "name"),
                "по отчеству не определить пол для обращения «Уважаемый/ая»",
                "добавьте gender: male или female",
            )


def check_work(loaded: LoadedFile, work: Any) -> Iterator[Problem]:
    for i, line in enumerate(work if isinstance(work, list) else []):
        if not isinstance(line, dict):
            continue
        status, percent = line.get("status"), line.get("percent_done")
        if status == "partial" and percent is None:
            yield loaded.problem(
                ("work", i, "status"),
                "для частично выполненной работы не указан процент",
                "добавьте percent_done: от 1 до 99",
            )
        if status in ("done", "not_started") and percent is not None:
            yield loaded.problem(
                ("work", i, "percent_done"),
                f"процент выполнения не нужен при status: {status}",
                "уберите percent_done или укажите status: partial",
            )
        if line.get("purchased") is True:
            if line.get("kind") == "labor":
                yield loaded.problem(
                    ("work", i, "purchased"),
                    "закупленной может быть только деталь, не работа",
                    "уберите purchased или укажите kind: part",
                )
            elif status != "not_started":
                yield loaded.problem(
                    ("work", i, "purchased"),
                    "purchased — для детали, закупленной и не установленной",
                    "для установленной детали уберите purchased; иначе status: not_started",
                )


def check_dates(loaded: LoadedFile, data: dict[str, Any]) -> Iterator[Problem]:
    order_date = _in_range(parse_date(get(data, "order", "date")))
    refusal_at_text = get(data, "refusal", "at")
    refusal_at = parse_datetime(refusal_at_text)
    if isinstance(refusal_at_text, str) and refusal_at is None and len(refusal_at_text) == 16:
        yield loaded.problem(
            ("refusal", "at"),
            f"«{refusal_at_text}» — не существующие дата и время",
            "ГГГГ-ММ-ДДTЧЧ:ММ, например 2026-09-03T14:30",
        )
    invoice_date = _in_range(parse_date(get(data, "invoice", "date")))
    checks: list[tuple[Path_, date | None, date | None, str]] = [
        (
            ("refusal", "at"),
            _in_range(refusal_at.date() if refusal_at else None),
            order_date,
            "отказ не может быть раньше заказ-наряда",
        ),
        (("invoice", "date"), invoice_date, order_date, "счёт не может быть раньше заказ-наряда"),
        (
            ("invoice", "due_date"),
            _in_range(parse_date(get(data, "invoice", "due_date"))),
            invoice_date,
            "срок оплаты не может быть раньше даты счёта",
        ),
        (
            ("storage", "end"),
            _in_range(parse_date(get(data, "storage", "end"))),
            _in_range(parse_date(get(data, "storage", "start"))),
            "хранение не может закончиться раньше, чем началось",
        ),
    ]
    payments = get(data, "payments")
    for i, payment in enumerate(payments if isinstance(payments, list) else []):  # not a list: the schema says so
        checks.append(
            (
                ("payments", i, "date"),
                _in_range(parse_date(get(payment, "date"))),
                order_date,
                "оплата не может быть раньше заказ-наряда",
            )
        )
    for path, later, earlier, message in checks:
        if later is not None and earlier is not None and later < earlier:
            yield loaded.problem(path, f"{message} ({earlier:%d.%m.%Y})", f"дата не раньше {earlier.isoformat()}")
