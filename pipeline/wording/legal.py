"""The legal wording the documents cite, chosen by the client's kind and the
penalty's kind: one place where a lawyer's change to a citation is made.

docs/legal-basis.md says why each article applies.
"""

from __future__ import annotations

CONSUMER_LAW = "Закона РФ от 07.02.1992 № 2300-1 «О защите прав потребителей»"
RULES_TITLE = "оказания услуг по техническому обслуживанию и ремонту автомототранспортных средств"
REPAIR_RULES = f"Правил {RULES_TITLE}, утверждённых постановлением Правительства РФ № 780"
REPAIR_RULES_NOMINATIVE = f"Правила {RULES_TITLE}, утв. постановлением Правительства РФ № 780"

REFUSAL_CHANNELS = {
    "in_person": "лично",
    "phone": "по телефону",
    "written": "письменно",
    "email": "по электронной почте",
    "messenger": "через мессенджер",
}

PAYMENT_METHODS = {
    "cash": "наличными",
    "card": "банковской картой",
    "transfer": "безналичным переводом",
}

PAYMENT_DUTY = (
    "В соответствии со ст. 309, 310 ГК РФ обязательства должны исполняться надлежащим образом "
    "в соответствии с условиями обязательства и требованиями закона; односторонний отказ "
    "от исполнения обязательства не допускается."
)

RETENTION = (
    "В соответствии со ст. 359, 712 ГК РФ исполнитель вправе удерживать автомобиль заказчика "
    "до полной оплаты выполненных работ и понесённых расходов."
)


def refusal_ground(is_person: bool) -> str:
    """Why the client owes for part of the work after refusing: ст. 717 for anyone,
    the consumer rules on top for a person (work done plus expenses, no lost profit)."""
    if is_person:
        return (
            "В соответствии со ст. 717, п. 2 ст. 731 ГК РФ и ст. 32 "
            f"{CONSUMER_LAW} заказчик вправе в любое время до сдачи ему результата работы "
            "отказаться от исполнения договора, оплатив исполнителю часть цены пропорционально "
            "работе, выполненной до получения извещения об отказе, и фактически понесённые "
            "исполнителем расходы."
        )
    return (
        "В соответствии со ст. 717 ГК РФ заказчик вправе в любое время до сдачи ему результата "
        "работы отказаться от исполнения договора, уплатив подрядчику часть установленной цены "
        "пропорционально части работы, выполненной до получения извещения об отказе заказчика "
        "от исполнения договора, и возместив подрядчику убытки, в том числе расходы на "
        "приобретённые для заказа запасные части."
    )


def refusal_articles(is_person: bool) -> str:
    """The short citation for a title or a table note."""
    if is_person:
        return f"ст. 717, п. 2 ст. 731 ГК РФ, ст. 32 {CONSUMER_LAW}"
    return "ст. 717 ГК РФ"


def consumer_rules(is_person: bool) -> str:
    """The consumer car-repair rules apply only to a person's order."""
    if not is_person:
        return ""
    return (
        f"Отношения сторон регулируются также положениями {REPAIR_RULES}; заказ-наряд "
        "содержит перечень и цену работ и запасных частей, согласованных с заказчиком."
    )


def penalty_ground(kind: str, rate_text: str, cap_text: str) -> str:
    """Key-rate interest (ст. 395) or the agreed penalty (ст. 330) that replaces it."""
    if kind == "contract":
        cap = f", но не более {cap_text}" if cap_text else ""
        return (
            "В соответствии со ст. 330 ГК РФ и условиями договора за просрочку оплаты "
            f"начисляется неустойка в размере {rate_text} от неоплаченной суммы за каждый день "
            f"просрочки{cap}. Проценты по ст. 395 ГК РФ не начисляются (п. 4 ст. 395 ГК РФ)."
        )
    return (
        "В соответствии с п. 1 ст. 395 ГК РФ на сумму долга за каждый день просрочки подлежат "
        "начислению проценты, размер которых определяется ключевой ставкой Банка России, "
        "действовавшей в соответствующие периоды."
    )


def penalty_name(kind: str) -> str:
    """ "неустойка" / "проценты по ст. 395 ГК РФ", as a table row and a heading say it."""
    return "неустойка (ст. 330 ГК РФ)" if kind == "contract" else "проценты по ст. 395 ГК РФ"


def interest_until_paid(kind: str) -> str:
    """The claim that accrual continues until the day the debt is actually paid."""
    if kind == "contract":
        return (
            "неустойки по день фактического исполнения обязательства "
            "(п. 65 постановления Пленума ВС РФ от 24.03.2016 № 7)"
        )
    return "процентов по ст. 395 ГК РФ по день фактической уплаты долга (п. 3 ст. 395 ГК РФ)"


def court_procedure(is_person: bool) -> str:
    """Where the dispute goes: a court of general jurisdiction for a person, the
    arbitration court for a company or an entrepreneur."""
    if is_person:
        return (
            "Исполнитель будет вынужден обратиться в суд с заявлением о выдаче судебного приказа "
            "или с исковым заявлением о взыскании задолженности"
        )
    return "Исполнитель будет вынужден обратиться в арбитражный суд с иском о взыскании задолженности"


def pretension_procedure(is_person: bool) -> str:
    """The compulsory 30-day pretension period before an arbitration court
    (АПК РФ ст. 4 ч. 5); for a person a pretension is customary, not required."""
    if is_person:
        return ""
    return (
        "Настоящая претензия направляется в порядке досудебного урегулирования спора "
        "(ч. 5 ст. 4 АПК РФ). Спор может быть передан на разрешение арбитражного суда по "
        "истечении тридцати календарных дней со дня направления претензии."
    )


def court_costs(is_person: bool) -> str:
    article = "ст. 88, 94, 98 ГПК РФ" if is_person else "ст. 101, 106, 110 АПК РФ"
    return (
        "В этом случае на Вас будут отнесены судебные расходы, в том числе государственная "
        f"пошлина и расходы на оплату услуг представителя ({article})."
    )


def grounds_list(is_person: bool, has_refusal: bool, penalty_kind: str, has_storage: bool) -> list[str]:
    """The articles a pretension relies on, one short item each."""
    items = ["ст. 309, 310 ГК РФ — обязанность надлежащего исполнения обязательств"]
    if has_refusal:
        items.append(f"{refusal_articles(is_person)} — оплата работ при отказе заказчика от договора")
    if is_person:
        items.append(f"{REPAIR_RULES_NOMINATIVE} — ремонт автомобиля по заказу потребителя")
    if penalty_kind == "contract":
        items.append("ст. 330 ГК РФ, условия договора — неустойка; п. 4 ст. 395 ГК РФ")
    else:
        items.append("ст. 395 ГК РФ — проценты за пользование чужими денежными средствами")
    if has_storage:
        items.append("ст. 359, 712 ГК РФ — удержание автомобиля до оплаты")
    if not is_person:
        items.append("ч. 5 ст. 4 АПК РФ — досудебный порядок урегулирования спора")
    return items
