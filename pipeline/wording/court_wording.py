"""Template variables of the court applications (court_order, claim): the court's header, the
parties with what the codes require of them, the price of the claim and the duty with its
arithmetic, what the application asks for, and the attachments.

Pure: the case, the shop, the figures, the court plan (figures/court.py) and the letters already
sent in; plain dicts of strings out. docs/legal-basis.md («Заявления в суд») says where each
requirement comes from:
- a person debtor: ГПК РФ ст. 124 ч. 2 п. 3 (the order), ст. 131 ч. 2 п. 3 (an action): name,
  place of residence, date and place of birth and place of work if known, and one identifier;
  «в случае, если один из идентификаторов должника неизвестен взыскателю, в заявлении … указывается
  на это» — so an unknown one is printed as unknown, never left out;
- a business: name, address, ИНН, ОГРН (ГПК РФ ст. 124, 131; АПК РФ ст. 125, 229.3);
- attachments: ГПК РФ ст. 132 (п. 6: proof the defendant was sent a copy), АПК РФ ст. 126 ч. 1
  (п. 1 the same, п. 7 the pretension procedure).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

from pipeline.figures.court import ARBITRAZH, DISTRICT, MAGISTRATE, CourtPlan
from pipeline.models import Case, Client, Court, Figures, SentLetter, Shop
from pipeline.wording.russian import format_amount, format_date_short, format_money, format_percent, format_rub

UNKNOWN = "неизвестно"
IDENTIFIER_NAMES = (
    "СНИЛС, ИНН, серия и номер паспорта, водительского удостоверения, свидетельства о регистрации транспортного "
    "средства"
)
PROOF_OF_SENDING = "почтовая квитанция и опись вложения"
# What each letter is called in the genitive after «Копия»: the attachments name the letters sent.
LETTER_GENITIVE = {
    "overdue_notice": "уведомления о просрочке оплаты",
    "pretension": "досудебной претензии",
}


def court_addressee(court: Court) -> str:
    """The header's first line: «Мировому судье судебного участка № 5 …» from «Мировой судья
    судебного участка № 5 …», «В Арбитражный суд города Москвы» from «Арбитражный суд города Москвы»."""
    name = court.name
    for nominative, dative in (("Мировой судья", "Мировому судье"), ("мировой судья", "Мировому судье")):
        if name.startswith(nominative):
            return dative + name[len(nominative) :]
    if name.startswith(("Мировому судье", "В ", "в ")):
        return name
    return f"В {name}"


# --- the parties ---------------------------------------------------------------------


def _identifiers(client: Client) -> list[str]:
    """The debtor's identifiers the case knows (ГПК РФ ст. 124 ч. 2 п. 3)."""
    known = [
        ("СНИЛС", client.snils),
        ("ИНН", client.inn),
        ("паспорт", client.passport),
        ("водительское удостоверение", client.driver_license),
        ("свидетельство о регистрации ТС", client.vehicle_certificate),
    ]
    return [f"{label} {value}" for label, value in known if value]


def _birth_line(client: Client, claimant: str) -> str:
    if client.birth_date is None and client.birth_place is None:
        return f"дата и место рождения: {claimant} неизвестны"
    day = format_date_short(client.birth_date) if client.birth_date else f"дата {UNKNOWN}"
    place = client.birth_place or f"место {UNKNOWN}"
    return f"дата и место рождения: {day}, {place}"


def person_lines(client: Client, claimant: str = "взыскателю") -> list[str]:
    """A citizen (or an entrepreneur) as ГПК РФ ст. 124 ч. 2 п. 3 and ст. 131 ч. 2 п. 3 name a debtor or a
    defendant, the unknown items marked as unknown to the `claimant` («взыскателю», «истцу»)."""
    identifiers = _identifiers(client)
    lines = [
        f"место жительства: {client.address}",
        _birth_line(client, claimant),
        f"место работы: {client.workplace or UNKNOWN}",
        f"идентификаторы: {'; '.join(identifiers)}"
        if identifiers
        else f"идентификаторы ({IDENTIFIER_NAMES}): {claimant} неизвестны",
    ]
    if client.kind == "entrepreneur" and client.ogrn:
        lines.insert(1, f"ОГРНИП {client.ogrn}")
    return lines


def business_lines(client: Client) -> list[str]:
    """A company: its address and requisites (ИНН, КПП, ОГРН)."""
    requisites = ", ".join(
        f"{label} {value}"
        for label, value in (("ИНН", client.inn), ("КПП", client.kpp), ("ОГРН", client.ogrn))
        if value
    )
    return [f"адрес: {client.address}", requisites]


def _contacts(phone: str | None, email: str | None) -> list[str]:
    contacts = ", ".join(part for part in (phone and f"тел. {phone}", email and f"e-mail: {email}") if part)
    return [contacts] if contacts else []


def debtor_lines(client: Client, title: str, claimant: str) -> list[str]:
    """The «Должник:» / «Ответчик:» block: the name, then one requisite a line."""
    details = business_lines(client) if client.kind == "company" else person_lines(client, claimant)
    return [title, *details, *_contacts(client.phone, client.email)]


def claimant_lines(shop: Shop, with_bank: bool) -> list[str]:
    """The «Взыскатель:» / «Истец:» block: the shop, its address, requisites, contacts; its bank for
    an order (the order names the account the money goes to, ГПК РФ ст. 127)."""
    requisites = ", ".join(
        f"{label} {value}"
        for label, value in (
            ("ИНН", shop.inn),
            ("КПП", shop.kpp),
            ("ОГРНИП" if shop.kind == "entrepreneur" else "ОГРН", shop.ogrn),
        )
        if value
    )
    bank = shop.bank
    lines = [shop.name, f"адрес: {shop.address}", requisites, *_contacts(shop.phone, shop.email)]
    if with_bank:
        lines.append(f"р/с {bank.account} в {bank.name}, БИК {bank.bik}, к/с {bank.corr_account}")
    return lines


# --- what the application asks for ---------------------------------------------------


def continuation(case: Case, figures: Figures) -> str:
    """The request to go on accruing from the day after the calculation to the day of payment
    (ГК РФ п. 3 ст. 395; п. 48, 65 постановления Пленума ВС РФ от 24.03.2016 № 7); "" once a
    contract penalty has reached its cap: it cannot grow."""
    penalty = figures.penalty
    start = format_date_short(figures.as_of + timedelta(days=1))
    base = f"на сумму основного долга {format_rub(figures.outstanding)} с учётом её уменьшения при погашении"
    if penalty.kind != "contract":
        return (
            f"проценты за пользование чужими денежными средствами, начисляемые {base}, по ключевой ставке "
            f"Банка России, действующей в соответствующие периоды, начиная с {start} по день фактической "
            "уплаты долга (п. 3 ст. 395 ГК РФ, п. 48 постановления Пленума ВС РФ от 24.03.2016 № 7)"
        )
    if penalty.capped:
        return ""
    rate = case.terms.penalty.rate_percent_per_day
    cap = ""
    if penalty.cap is not None:
        basis = f" по {case.terms.penalty.basis}" if case.terms.penalty.basis else ""
        cap = (
            f", но не более {format_rub(penalty.cap - penalty.total)} (предел неустойки{basis} — "
            f"{format_rub(penalty.cap)}, из них {format_rub(penalty.total)} заявлены за период по "
            f"{format_date_short(figures.as_of)})"
        )
    return (
        f"неустойку в размере {format_percent(rate or Decimal(0))} за каждый день просрочки, начисляемую {base}, "
        f"начиная с {start} по день фактической оплаты долга{cap} (п. 65 постановления Пленума ВС РФ "
        "от 24.03.2016 № 7)"
    )


def demands(case: Case, figures: Figures, plan: CourtPlan, kind: str, debtor_genitive: str, shop: Shop) -> list[str]:
    """The numbered demands after «ПРОШУ:», each ending in its punctuation."""
    claim = plan.claim
    whom = f"с {debtor_genitive} в пользу {shop.name}"
    penalty_name = "неустойку" if figures.penalty.kind == "contract" else "проценты по ст. 395 ГК РФ"
    period = (
        f" за период с {format_date_short(figures.penalty.rows[0].start)} по "
        f"{format_date_short(figures.penalty.rows[-1].end)}"
        if figures.penalty.rows
        else ""
    )
    parts = [f"основной долг — {format_rub(claim.principal)}"]
    if claim.penalty:
        parts.append(f"{penalty_name}{period} — {format_rub(claim.penalty)}")
    if claim.storage:
        parts.append(f"плату за хранение автомобиля — {format_rub(claim.storage)}")
    duty = f"расходы по уплате государственной пошлины — {format_rub(plan.duty.amount)}"
    if kind == "court_order":
        return [
            f"Вынести судебный приказ о взыскании {whom} задолженности по заказ-наряду № {case.order.number} "
            f"в размере {format_amount(claim.total)}, в том числе: {'; '.join(parts)}; а также {duty}."
        ]
    items = [f"Взыскать {whom} задолженность по заказ-наряду № {case.order.number}: {'; '.join(parts)};"]
    until_paid = continuation(case, figures)
    if until_paid:
        items.append(f"Взыскать {whom} {until_paid};")
    items.append(f"Взыскать {whom} {duty}.")
    return items


# --- attachments ----------------------------------------------------------------------


def _letters_sent(figures: Figures, sent: Sequence[SentLetter], whom: str) -> list[str]:
    """The letters and their proof of sending: from the journal when given, else the letters the
    case is due (their numbers and dates are the journal's: the lawyer attaches them)."""
    if sent:
        return [
            f"Копия {LETTER_GENITIVE.get(letter.kind, letter.title)} № {letter.number} от "
            f"{format_date_short(letter.date)} и доказательства её направления {whom} ({PROOF_OF_SENDING})"
            for letter in sorted(sent, key=lambda letter: letter.date)
        ]
    items = []
    for kind in ("overdue_notice", "pretension"):
        if kind in figures.documents_due:
            items.append(f"Копия {LETTER_GENITIVE[kind]}")
            items.append(f"Доказательства направления {LETTER_GENITIVE[kind]} {whom}: {PROOF_OF_SENDING}")
    return items


def attachments(
    case: Case, shop: Shop, figures: Figures, plan: CourtPlan, kind: str, sent: Sequence[SentLetter]
) -> list[str]:
    """What goes with the application, in the order a court reads it, each without a final dot."""
    arbitrazh = plan.decision.court_type == ARBITRAZH
    whom = "ответчику" if kind == "claim" else "должнику"
    items = ["Платёжное поручение (квитанция) об уплате государственной пошлины"]
    if kind == "claim" or arbitrazh:
        items.append(
            f"Доказательства направления {whom} копии {'искового заявления' if kind == 'claim' else 'заявления'} "
            f"и приложенных к нему документов: {PROOF_OF_SENDING}"
        )
    items.append(f"Копия заказ-наряда № {case.order.number} от {format_date_short(case.order.date)}")
    if case.refusal is not None:
        items.append(
            f"Копия акта об отказе заказчика от исполнения договора от {format_date_short(case.refusal.at.date())}"
        )
    if case.invoice is not None:
        items.append(f"Копия счёта № {case.invoice.number or 'б/н'} от {format_date_short(case.invoice.date)}")
    items.append("Расчёт взыскиваемой суммы (приложение № 1 к заявлению)")
    items.extend(_letters_sent(figures, sent, whom))
    if case.order_cancelled is not None:
        items.append(f"Копия определения об отмене судебного приказа от {format_date_short(case.order_cancelled.date)}")
    if arbitrazh:
        items.append(f"Выписка из ЕГРЮЛ (ЕГРИП) в отношении {'ответчика' if kind == 'claim' else 'должника'}")
    if "доверенност" in shop.signatory.basis.lower():
        items.append(f"Копия доверенности представителя ({shop.signatory.basis})")
    return items


# --- the group ------------------------------------------------------------------------

TITLES = {
    "court_order": ("ЗАЯВЛЕНИЕ", "о выдаче судебного приказа"),
    "claim": ("ИСКОВОЕ ЗАЯВЛЕНИЕ", "о взыскании задолженности по договору"),
}


def _jurisdiction(plan: CourtPlan, order: bool) -> str:
    """Which court, in one sentence: the debtor's (ГПК РФ ст. 28, АПК РФ ст. 35) or the contract's (АПК РФ ст. 37)."""
    what, whom = ("Заявление", "должника") if order else ("Исковое заявление", "ответчика")
    if plan.decision.court_type == ARBITRAZH:
        if plan.court_source.startswith("terms.court"):
            return f"{what} подаётся в арбитражный суд, определённый соглашением сторон (ст. 37 АПК РФ)."
        return f"{what} подаётся по месту нахождения {whom} (ст. 35 АПК РФ)."
    rule = "ст. 23, 28, 123 ГПК РФ" if order else "ст. 23, 28 ГПК РФ"
    if plan.decision.court_type == DISTRICT:
        rule = "ст. 24, 28 ГПК РФ"
    return f"{what} подаётся по месту жительства {whom} ({rule})."


def _procedure_articles(plan: CourtPlan, order: bool) -> str:
    """The procedural articles the application is made under."""
    if plan.decision.court_type == ARBITRAZH:
        return "ст. 229.1–229.3 АПК РФ" if order else "ст. 4, 125, 126 АПК РФ"
    return "ст. 121–124 ГПК РФ" if order else "ст. 131, 132 ГПК РФ"


def _copy_sent(plan: CourtPlan, order: bool) -> str:
    """A claim says the defendant was sent a copy (ГПК РФ ст. 132 п. 6, АПК РФ ст. 126 ч. 1 п. 1), and so
    does an arbitrazh order; an order before the magistrate does not: the court sends the debtor its copy."""
    arbitrazh = plan.decision.court_type == ARBITRAZH
    if order and not arbitrazh:
        return ""
    if order:
        what, holder, whom, cite = "заявления", "должника", "должнику", ""
    else:
        what, holder, whom = "искового заявления", "ответчика", "ответчику"
        cite = " (п. 1 ч. 1 ст. 126 АПК РФ)" if arbitrazh else " (п. 6 ст. 132 ГПК РФ)"
    return (
        f"Копия {what} и приложенных к нему документов, которые у {holder} отсутствуют, направлена {whom} "
        f"заказным письмом с описью вложения{cite}; доказательства направления прилагаются."
    )


def _order_cancelled_text(case: Case, plan: CourtPlan) -> str:
    cancelled = case.order_cancelled
    if cancelled is None:
        return ""
    order = f" от {format_date_short(cancelled.order_date)}" if cancelled.order_date else ""
    number = f" по делу № {cancelled.case_number}" if cancelled.case_number else ""
    article = "ст. 229.5 АПК РФ" if plan.decision.court_type == ARBITRAZH else "ст. 129 ГПК РФ"
    return (
        f"Судебный приказ{order}{number} о взыскании указанной задолженности отменён определением от "
        f"{format_date_short(cancelled.date)} в связи с поступившими возражениями должника; требование "
        f"предъявляется в порядке искового производства ({article})."
    )


def _pretension_text(case: Case, plan: CourtPlan, sent: Sequence[SentLetter]) -> str:
    """The pretension procedure (АПК РФ ч. 5 ст. 4, ст. 126 ч. 1 п. 7): only before the arbitrazh court."""
    if plan.decision.court_type != ARBITRAZH:
        return ""
    pretensions = [letter for letter in sent if letter.kind == "pretension"]
    days = case.terms.pretension_response_days
    if pretensions:
        last = max(pretensions, key=lambda letter: letter.date)
        sent_text = f"Претензия № {last.number} от {format_date_short(last.date)} направлена должнику"
    else:
        sent_text = "Должнику направлена досудебная претензия с требованием оплатить задолженность"
    return (
        f"{sent_text}; в течение {days} календарных дней со дня её направления требование не исполнено. "
        "Досудебный порядок урегулирования спора соблюдён (ч. 5 ст. 4 АПК РФ)."
    )


def court_block(
    case: Case,
    shop: Shop,
    figures: Figures,
    plan: CourtPlan,
    kind: str,
    sent: Sequence[SentLetter],
    debtor_genitive: str,
    debtor_title: str,
) -> dict[str, Any]:
    """court.*: everything a court application prints that the letters do not."""
    assert plan.court is not None  # court_filing.filing_problem refuses a plan without a court first
    decision, claim, duty = plan.decision, plan.claim, plan.duty
    order = kind == "court_order"
    title, subtitle = TITLES[kind]
    items = attachments(case, shop, figures, plan, kind, sent)
    return {
        "addressee": court_addressee(plan.court),
        "name": plan.court.name,
        "address": plan.court.address,
        "is_arbitrazh": decision.court_type == ARBITRAZH,
        "is_magistrate": decision.court_type == MAGISTRATE,
        "is_order": order,
        "procedure_reason": decision.reason,
        "procedure_articles": _procedure_articles(plan, order),
        "costs_articles": "ст. 101, 110 АПК РФ" if decision.court_type == ARBITRAZH else "ст. 88, 98 ГПК РФ",
        "copy_sent": _copy_sent(plan, order),
        "jurisdiction": _jurisdiction(plan, order),
        "title": title,
        "subtitle": subtitle,
        "claimant_label": "Взыскатель" if order else "Истец",
        "debtor_label": "Должник" if order else "Ответчик",
        "claimant_lines": claimant_lines(shop, with_bank=order),
        "debtor_lines": debtor_lines(case.client, debtor_title, "взыскателю" if order else "истцу"),
        "price": format_rub(claim.total),
        "price_full": format_amount(claim.total),
        "price_line": claim.line,
        "principal": format_rub(claim.principal),
        "penalty": format_rub(claim.penalty),
        "storage": format_rub(claim.storage),
        "has_penalty": claim.penalty > 0,
        "has_storage": claim.storage > 0,
        "duty": format_rub(duty.amount),
        "duty_citation": duty.citation,
        "duty_arithmetic": "; ".join(duty.lines),
        "to_recover": format_rub(plan.to_recover),
        "to_recover_line": f"{format_money(claim.total)} + {format_money(duty.amount)} = {format_rub(plan.to_recover)}",
        "until_paid": "" if order else continuation(case, figures),
        "order_cancelled": _order_cancelled_text(case, plan),
        "pretension": _pretension_text(case, plan, sent),
        "demands": demands(case, figures, plan, kind, debtor_genitive, shop),
        "attachments": [{"number": n, "text": text} for n, text in enumerate(items, start=1)],
    }
