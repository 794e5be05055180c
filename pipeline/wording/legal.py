"""The legal wording the documents cite, chosen by whether the order is a
consumer's (decided by its purpose: Case.is_consumer), whether the client
refused the repair, the penalty's kind and basis, and whether the car is the
client's own: one place where a lawyer's change to a citation is made.

docs/legal-basis.md says why each article applies and which source was checked.
"""

from __future__ import annotations

CONSUMER_LAW = "Закона РФ от 07.02.1992 № 2300-1 «О защите прав потребителей»"
RULES_TITLE = "оказания услуг по техническому обслуживанию и ремонту автомототранспортных средств"
REPAIR_RULES = f"Правил {RULES_TITLE}, утверждённых постановлением Правительства РФ № 780"
REPAIR_RULES_NOMINATIVE = f"Правила {RULES_TITLE}, утв. постановлением Правительства РФ № 780"
# The title of ГК РФ ст. 395 since the Federal Law of 08.03.2015 № 42-ФЗ.
ARTICLE_395_TITLE = "«Ответственность за неисполнение денежного обязательства»"

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

# Only where the client did not refuse: a refusal under ГК РФ ст. 717 is lawful (see refusal_ground).
PAYMENT_DUTY = (
    "В соответствии со ст. 309, 310 ГК РФ обязательства должны исполняться надлежащим образом "
    "в соответствии с условиями обязательства и требованиями закона; односторонний отказ "
    "от исполнения обязательства не допускается."
)

RETENTION = (
    "В соответствии со ст. 359, 712 ГК РФ исполнитель вправе удерживать автомобиль заказчика "
    "до полной оплаты выполненных работ и понесённых расходов."
)


def refusal_ground(is_consumer: bool) -> str:
    """The client may refuse at any time, and owes the work done before the refusal was
    received plus the expenses: ГК РФ ст. 309, 717; for a consumer also п. 2 ст. 731 ГК РФ
    and ст. 32 of the consumer law (expenses actually incurred, no lost profit)."""
    if is_consumer:
        return (
            "В соответствии со ст. 309, 717, п. 2 ст. 731 ГК РФ и ст. 32 "
            f"{CONSUMER_LAW} заказчик вправе в любое время до сдачи ему результата работы "
            "отказаться от исполнения договора, но обязан оплатить исполнителю часть цены "
            "пропорционально работе, выполненной до получения извещения об отказе, и фактически "
            "понесённые исполнителем расходы."
        )
    return (
        "В соответствии со ст. 309, 717 ГК РФ заказчик вправе в любое время до сдачи ему результата "
        "работы отказаться от исполнения договора, но обязан уплатить подрядчику часть установленной "
        "цены пропорционально части работы, выполненной до получения извещения об отказе заказчика "
        "от исполнения договора, и возместить подрядчику убытки, в том числе расходы на "
        "приобретённые для заказа запасные части."
    )


def payment_duty(has_refusal: bool, is_consumer: bool) -> str:
    """Why the client must pay: after a lawful refusal, the refusal ground (never «односторонний
    отказ … не допускается»); otherwise ГК РФ ст. 309, 310."""
    return refusal_ground(is_consumer) if has_refusal else PAYMENT_DUTY


def refusal_articles(is_consumer: bool) -> str:
    """The short citation for a title or a table note."""
    if is_consumer:
        return f"ст. 309, 717, п. 2 ст. 731 ГК РФ, ст. 32 {CONSUMER_LAW}"
    return "ст. 309, 717 ГК РФ"


def consumer_rules(is_consumer: bool) -> str:
    """The consumer car-repair rules apply only to a consumer's order."""
    if not is_consumer:
        return ""
    return (
        f"Отношения сторон регулируются также положениями {REPAIR_RULES}; заказ-наряд "
        "содержит перечень и цену работ и запасных частей, согласованных с заказчиком."
    )


def penalty_ground(kind: str, rate_text: str, cap_text: str, basis: str) -> str:
    """Key-rate interest (ст. 395) or the agreed penalty (ст. 330, 331: in writing, `basis`)
    that replaces it (п. 4 ст. 395)."""
    if kind == "contract":
        cap = f", но не более {cap_text}" if cap_text else ""
        return (
            f"В соответствии со ст. 330, 331 ГК РФ и {basis} за просрочку оплаты начисляется "
            f"неустойка в размере {rate_text} от неоплаченной суммы за каждый день просрочки{cap}".rstrip(".")
            + ". Проценты по ст. 395 ГК РФ не начисляются (п. 4 ст. 395 ГК РФ)."
        )
    return (
        "В соответствии с п. 1 ст. 395 ГК РФ на сумму долга за каждый день просрочки подлежат "
        "начислению проценты, размер которых определяется ключевой ставкой Банка России, "
        "действовавшей в соответствующие периоды."
    )


def penalty_name(kind: str) -> str:
    """ "неустойка" / "проценты по ст. 395 ГК РФ", as a table row and a heading say it."""
    return "неустойка (ст. 330 ГК РФ)" if kind == "contract" else "проценты по ст. 395 ГК РФ"


def interest_until_paid(kind: str, capped: bool, cap_text: str) -> str:
    """The claim that accrual goes on until the debt is paid; nothing once a contract
    penalty has reached its cap (it cannot grow), and the cap named while it has not."""
    if kind == "contract":
        if capped:
            return ""
        cap = f", но не более {cap_text}" if cap_text else ""
        return (
            f"неустойки по день фактического исполнения обязательства{cap} "
            "(п. 65 постановления Пленума ВС РФ от 24.03.2016 № 7)"
        )
    return "процентов по ст. 395 ГК РФ по день фактической уплаты долга (п. 3 ст. 395 ГК РФ)"


def court_claims(kind: str, capped: bool, storage_charged: bool) -> str:
    """What a court would be asked for, in the genitive after «о взыскании»: a capped
    penalty is claimed as it stands, never «по день фактической оплаты»."""
    items = ["долга"]
    if kind == "contract":
        items.append("неустойки" if capped else "неустойки по день фактической оплаты")
    else:
        items.append("процентов по день фактической оплаты")
    if storage_charged:
        items.append("платы за хранение")
    return ", ".join(items)


def court_procedure(is_consumer: bool) -> str:
    """Where the dispute goes: a court of general jurisdiction for a consumer's order, the
    arbitration court for a business one (a company, an entrepreneur's business order)."""
    if is_consumer:
        return (
            "Исполнитель будет вынужден обратиться в суд с заявлением о выдаче судебного приказа "
            "или с исковым заявлением о взыскании задолженности"
        )
    return "Исполнитель будет вынужден обратиться в арбитражный суд с иском о взыскании задолженности"


def pretension_procedure(is_consumer: bool) -> str:
    """The compulsory 30-day pretension period before an arbitration court
    (АПК РФ ч. 5 ст. 4); for a consumer a pretension is customary, not required."""
    if is_consumer:
        return ""
    return (
        "Настоящая претензия направляется в порядке досудебного урегулирования спора "
        "(ч. 5 ст. 4 АПК РФ). Спор может быть передан на разрешение арбитражного суда по "
        "истечении тридцати календарных дней со дня направления претензии."
    )


def court_costs(is_consumer: bool) -> str:
    article = "ст. 88, 94, 98 ГПК РФ" if is_consumer else "ст. 101, 106, 110 АПК РФ"
    return (
        "В этом случае на Вас будут отнесены судебные расходы, в том числе государственная "
        f"пошлина и расходы на оплату услуг представителя ({article})."
    )


def grounds_list(
    is_consumer: bool, has_refusal: bool, penalty_kind: str, retained: bool, storage_basis: str
) -> list[str]:
    """The articles a claim relies on, one short item each: for a lawyer who wants a list
    instead of the citations in the text (the shipped templates cite in the text)."""
    items = ["ст. 309, 310 ГК РФ — обязанность надлежащего исполнения обязательств"]
    if has_refusal:
        items = [f"{refusal_articles(is_consumer)} — оплата работ и расходов при отказе заказчика от договора"]
    if is_consumer:
        items.append(f"{REPAIR_RULES_NOMINATIVE} — ремонт автомобиля по заказу потребителя")
    if penalty_kind == "contract":
        items.append("ст. 330, 331 ГК РФ, соглашение сторон — неустойка; п. 4 ст. 395 ГК РФ")
    else:
        items.append(f"ст. 395 ГК РФ {ARTICLE_395_TITLE} — проценты на сумму долга")
    if retained:
        items.append("ст. 359, 712 ГК РФ — удержание автомобиля до оплаты")
    if storage_basis:
        items.append(f"{storage_basis} — плата за хранение автомобиля")
    if not is_consumer:
        items.append("ч. 5 ст. 4 АПК РФ — досудебный порядок урегулирования спора")
    return items
