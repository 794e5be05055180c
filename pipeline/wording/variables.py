"""Every variable a Word template can use, declared once: name, type, a Russian
description and an example. context.build_context must build exactly this tree
(a test compares them for every example case); check_templates.py checks the
templates' tags against it; docs/template-variables.md is generated from it
(word/reference.py).

The types and constructors are in declare.py, the parties' groups in
party_variables.py; this module assembles the tree.
"""

from __future__ import annotations

from pipeline.wording.account_variables import COLLECT, CREDIT, RECONCILIATION
from pipeline.wording.agreement_variables import INSTALMENTS, WRITE_OFF
from pipeline.wording.court_variables import COURT
from pipeline.wording.declare import (
    FLAG,
    GROUP,
    IMAGE,
    LIST,
    NUMBER,
    TEXT,
    Variable,
    flag,
    group,
    items,
    money,
    number,
    text,
)
from pipeline.wording.party_variables import CLIENT, SHOP, VEHICLE

__all__ = ["FLAG", "GROUP", "IMAGE", "LIST", "NUMBER", "TEXT", "ROOT", "VARIABLES", "Variable"]


def _line_row(name: str, description: str) -> Variable:
    return items(
        name,
        description,
        number("number", "номер строки в этой таблице", "1"),
        number("order_number", "номер строки в заказ-наряде", "2"),
        text("name", "наименование работы или запчасти", "Замена рычага передней подвески"),
        text("kind", "labor — работа, part — запчасть", "labor"),
        text("qty", "количество", "1,5"),
        text("unit", "единица измерения", "н/ч"),
        text("price", "цена за единицу, руб.", "2 400,00"),
        text("amount", "сумма по строке, руб.", "1 440,00"),
        text("note", "пометка: «выполнено на 40 %», «закуплено для заказа…» или пусто", "выполнено на 40 %"),
        flag("is_partial", "работа выполнена частично"),
        flag("is_expense", "запчасть закуплена и не установлена (расходы)"),
    )


DOCUMENT = group(
    "document",
    "сам документ",
    text("kind", "вид документа", "pretension"),
    text("title", "полное название документа", "Досудебная претензия"),
    text(
        "number",
        "номер документа: у писем с исходящим номером — из журнала (и в build, и в batch), в проекте "
        "--draft — «ПРОЕКТ», в образцах check-templates — по номеру счёта (ПР-147); "
        "см. «Номера документов»",
        "ПР-2026-0001",
    ),
    text("date", "дата документа", "«23» ноября 2026 г."),
    text("date_short", "дата документа цифрами", "23.11.2026"),
    text("date_iso", "дата документа для программ", "2026-11-23"),
    text("as_of", "дата, на которую сделан расчёт", "«23» ноября 2026 г."),
    text("as_of_short", "дата расчёта цифрами", "23.11.2026"),
    text("as_of_iso", "дата расчёта для программ", "2026-11-23"),
    text("case_id", "номер дела (не для печати: записывается в свойства файла)", "ZN-2026-0147"),
)

ORDER = group(
    "order",
    "заказ-наряд",
    text("number", "номер", "ЗН-0147"),
    text("date", "дата", "«1» сентября 2026 г."),
    text("date_short", "дата цифрами", "01.09.2026"),
    money("estimate", "ориентировочная стоимость ремонта; пусто, если не указана", "48500.00", optional=True),
)

REFUSAL = group(
    "refusal",
    "отказ заказчика от ремонта; пусто, если отказа не было",
    text("at", "когда получен отказ", "«3» сентября 2026 г. в 14:30"),
    text("date", "дата отказа", "«3» сентября 2026 г."),
    text("date_short", "дата отказа цифрами", "03.09.2026"),
    text("time", "время отказа", "14:30"),
    text("channel", "как заявлен отказ", "лично"),
    text(
        "reason",
        "причина отказа, как записана в деле (может быть пусто)",
        "считает стоимость ремонта завышенной",
        optional=True,
    ),
    text(
        "reason_reported",
        "причина для фразы «Свой отказ Заказчик объяснил тем, что …»: без «Клиент», с маленькой буквы, без точки",
        "считает стоимость ремонта завышенной",
        optional=True,
        filled_when=("reason",),
    ),
    text("recorded_by", "кто составил акт", "Кузнецов К. К., мастер-приёмщик"),
    flag("client_signed", "заказчик подписал акт"),
    items(
        "witnesses",
        "свидетели отказа от подписи",
        number("number", "номер по порядку", "1"),
        text("text", "как записано в деле", "Смирнов А. А., автослесарь"),
        text("name", "фамилия и инициалы", "Смирнов А. А."),
        text("role", "должность", "автослесарь"),
    ),
    optional=True,
)

LINES = group(
    "lines",
    "строки заказ-наряда",
    _line_row("billed", "строки счёта: всё, что предъявлено к оплате"),
    _line_row("done", "выполненные (полностью или частично) работы и установленные запчасти"),
    _line_row("expenses", "запчасти, закупленные для заказа и не установленные"),
    _line_row("not_done", "невыполненные работы (пометка: «не выполнялось», «не выполнено на 60 %»)"),
    flag("has_partial", "есть частично выполненные работы"),
    flag("has_expenses", "есть закупленные, но не установленные запчасти"),
    flag("has_not_done", "есть невыполненные работы"),
    number("billed_count", "число строк счёта", "4"),
)

TOTALS = group(
    "totals",
    "итоги по заказ-наряду",
    money("total", "всего к оплате за работы и запчасти", "10840.00"),
    money("work_done", "стоимость выполненных работ", "4640.00"),
    money("expenses", "расходы на закупленные запчасти", "6200.00"),
    flag("has_vat", "исполнитель платит НДС"),
    text("vat_rate", "ставка НДС", "22 %"),
    money("vat", "НДС в сумме", "1954.75"),
    text("vat_label", "подпись строки НДС в таблице", "В т.ч. НДС 22 %:"),
    text("vat_amount", "НДС для таблицы («—» без НДС)", "1 954,75"),
    text("vat_note", "НДС в тексте", "в том числе НДС 22 % — 1 954,75 руб."),
    text("vat_line", "строка НДС", "в т.ч. НДС 22 %: 1 954,75 руб."),
)

INVOICE = group(
    "invoice",
    "счёт; пусто, если счёта нет",
    text("number", "номер", "147"),
    text("date", "дата", "«3» сентября 2026 г."),
    text("date_short", "дата цифрами", "03.09.2026"),
    text("due_date", "срок оплаты", "«8» сентября 2026 г."),
    text("due_date_short", "срок оплаты цифрами", "08.09.2026"),
    flag("is_partial", "счёт за частично выполненный ремонт (был отказ)"),
    optional=True,
)

NOTICE = group(
    "notice",
    "уже направленное уведомление о просрочке; пусто, если не направлялось",
    text("number", "номер из журнала", "УВ-2026-0001"),
    text("date", "дата", "«20» октября 2026 г."),
    text("date_short", "дата цифрами", "20.10.2026"),
    optional=True,
)

PAYMENTS = group(
    "payments",
    "оплаты заказчика по дату документа: в счёте — по дату счёта (авансы), в письмах и расчёте — по дату расчёта",
    items(
        "items",
        "оплаты по порядку; в шаблоне пишите payments['items']",
        number("number", "номер по порядку", "1"),
        text("date", "дата", "«10» сентября 2026 г."),
        text("date_short", "дата цифрами", "10.09.2026"),
        text("amount", "сумма", "2 000,00 руб."),
        text("amount_text", "сумма без «руб.»: для таблиц", "2 000,00"),
        text("method", "способ", "наличными"),
    ),
    text("summary", "все оплаты одной строкой", "10.09.2026 — 2 000,00 руб., наличными"),
    flag("has_payments", "оплаты были"),
    money("paid", "оплачено всего", "2000.00"),
    money("outstanding", "остаток долга (в счёте — на дату счёта)", "8840.00"),
    money("overpayment", "переплата; пусто, если её нет", "500.00", optional=True),
    flag("is_paid", "долга нет"),
)

OVERDUE = group(
    "overdue",
    "просрочка оплаты",
    number("days", "дней просрочки", "76"),
    text("days_text", "дней просрочки словом «дней»", "76 дней"),
    flag("is_overdue", "оплата просрочена"),
)

PENALTY = group(
    "penalty",
    "неустойка (по договору) или проценты по ст. 395 ГК РФ",
    text("kind", "contract — неустойка, key_rate — проценты по ст. 395", "key_rate"),
    flag("is_contract", "неустойка по договору"),
    flag("is_key_rate", "проценты по ст. 395 ГК РФ"),
    text("name", "название", "проценты по ст. 395 ГК РФ"),
    text("name_cap", "название с заглавной буквы", "Проценты по ст. 395 ГК РФ"),
    text("name_genitive", "«неустойки» или «процентов»", "процентов"),
    text("basis", "письменное соглашение о неустойке (у ст. 395 пусто)", "п. 5.2 договора-заказ-наряда", optional=True),
    items(
        "rows",
        "строки расчёта по периодам",
        text("start", "начало периода", "09.09.2026"),
        text("end", "конец периода", "10.09.2026"),
        number("days", "дней в периоде", "2"),
        text("balance", "долг в периоде, руб.", "10 840,00"),
        text("rate", "ставка", "14 %"),
        number("days_in_year", "дней в году (для ст. 395; у неустойки пусто)", "365"),
        text("amount", "сумма за период, руб.", "8,32"),
        text("formula", "формула расчёта", "10 840,00 × 14 % × 2 / 365"),
    ),
    flag("has_rows", "есть что начислять"),
    text("accrued", "сумма строк расчёта, руб. (до предела неустойки)", "259,23"),
    text("total", "итого к оплате, руб. (с учётом предела)", "259,23"),
    text("total_rub", "итого с «руб.»", "259,23 руб."),
    text("total_words", "итого прописью", "двести пятьдесят девять рублей 23 копейки"),
    flag("capped", "неустойка ограничена договором"),
    text("cap", "предел неустойки (может быть пусто)", "10 840,00 руб.", optional=True),
    text(
        "cap_note",
        "пояснение под таблицей, когда неустойка достигла предела (иначе пусто)",
        "Неустойка по расчёту — …",
        optional=True,
        filled_when=("capped",),
    ),
    text(
        "unconfirmed_note",
        "оговорка под таблицей, когда расчёт по ст. 395 опирается на ставки, не сверенные с Банком России "
        "(--allow-unconfirmed-rates; иначе пусто)",
        "Ключевая ставка Банка России (27.07.2026 — 14,00 %) на дату расчёта не сверена с …",
        optional=True,
    ),
    text("rate_text", "ставка неустойки в день (у ст. 395 пусто)", "0,1 %", optional=True),
    text("cap_text", "предел неустойки для текста (может быть пусто)", "10 840,00 руб.", optional=True),
    flag("moratorium_excluded", "из расчёта исключён мораторий 2022 года"),
    text("period", "период начисления", "с 09.09.2026 по 23.11.2026"),
)

STORAGE = group(
    "storage",
    "хранение автомобиля; пусто, если автомобиль не на хранении",
    text("start", "начало хранения", "«4» сентября 2026 г."),
    text("start_short", "начало хранения цифрами", "04.09.2026"),
    text("daily_rate", "плата за сутки", "300,00 руб."),
    number("free_days", "бесплатных суток", "3"),
    text("free_days_text", "бесплатных суток со словом", "3 дня"),
    text("terms_line", "условия хранения одной строкой", "300,00 руб. за каждые сутки хранения, первые 3 дня — …"),
    text(
        "basis",
        "где заказчик согласовал плату за хранение (пусто — плата не начисляется)",
        "п. 4.3 заказ-наряда",
        optional=True,
        filled_when=("has_basis", "has_fee"),
    ),
    flag("has_basis", "плата за хранение согласована (terms.storage.basis)"),
    group(
        "notice",
        "уведомление с предложением забрать автомобиль; пусто, если не указано",
        text("number", "номер (может быть пусто)", "15", optional=True),
        text("date", "дата", "«4» сентября 2026 г."),
        text("date_short", "дата цифрами", "04.09.2026"),
        text("reference", "«№ 15 от 04.09.2026» или «от 04.09.2026»", "№ 15 от 04.09.2026"),
        text("collect_by", "до какого дня предложено забрать автомобиль", "«6» сентября 2026 г."),
        text("collect_by_short", "то же цифрами", "06.09.2026"),
        optional=True,
    ),
    flag("has_fee", "начислена плата за хранение больше нуля (есть основание и платные сутки)"),
    text("end", "последний день расчёта хранения", "«23» ноября 2026 г."),
    text("end_short", "то же цифрами", "23.11.2026"),
    flag("still_held", "автомобиль ещё на хранении"),
    number("days_held", "суток хранения", "81"),
    text("days_held_text", "суток хранения со словом", "81 день"),
    number("paid_days", "платных суток", "78"),
    text("paid_days_text", "платных суток со словом", "78 дней"),
    text("fee", "плата за хранение, руб.", "23 400,00"),
    text("fee_rub", "плата за хранение с «руб.»", "23 400,00 руб."),
    text("formula", "формула", "78 × 300,00"),
    optional=True,
)

CLAIM = group(
    "claim",
    "сумма требований (уведомление, претензия)",
    money("total", "всего требований", "32499.23"),
    money("principal", "основной долг", "8840.00"),
    money("penalty", "неустойка или проценты", "259.23"),
    money("storage", "плата за хранение", "23400.00"),
)

DEADLINES = group(
    "deadlines",
    "сроки",
    text("notice", "срок оплаты по уведомлению", "«30» ноября 2026 г."),
    text("notice_short", "то же цифрами", "30.11.2026"),
    text("notice_days_text", "сколько дней даёт уведомление", "7 дней"),
    text("pretension", "срок оплаты по претензии", "«3» декабря 2026 г."),
    text("pretension_short", "то же цифрами", "03.12.2026"),
    number("pretension_days", "сколько дней даёт претензия", "10"),
    text("pretension_days_text", "то же со словом «дней»", "10 дней"),
    text("pretension_period", "для «в течение …»: цифрами и прописью", "10 (десяти) календарных дней"),
)

LEGAL = group(
    "legal",
    "готовые юридические формулировки (зависят от заказчика и вида неустойки)",
    text(
        "payment_duty",
        "обязанность оплатить: после отказа — основание оплаты при отказе, иначе ст. 309, 310 ГК РФ",
        "В соответствии со ст. 309, 717, п. 2 ст. 731 ГК РФ …",
    ),
    text("refusal_ground", "основание оплаты при отказе от ремонта", "В соответствии со ст. 309, 717, п. 2 ст. 731 …"),
    text("refusal_articles", "статьи об отказе от ремонта", "ст. 309, 717, п. 2 ст. 731 ГК РФ, ст. 32 Закона РФ …"),
    text(
        "consumer_rules",
        "Правила № 780 (для заказа потребителя; иначе пусто)",
        "Отношения сторон регулируются также …",
        optional=True,
    ),
    text("penalty_ground", "основание неустойки или процентов", "В соответствии с п. 1 ст. 395 ГК РФ …"),
    text(
        "retention",
        "право удерживать автомобиль (ст. 359, 712 ГК РФ); пусто, если его нет или он не заказчика",
        "В соответствии со ст. 359, 712 ГК РФ …",
        optional=True,
    ),
    text(
        "interest_until_paid",
        "проценты (неустойка) по день оплаты; пусто, когда неустойка достигла предела",
        "процентов по ст. 395 ГК РФ по день …",
        optional=True,
    ),
    text("court_claims", "что взыщет суд, после «о взыскании»", "долга, процентов по день фактической оплаты, …"),
    text("court", "что последует: суд", "Исполнитель будет вынужден обратиться в суд …"),
    text("pretension_procedure", "о претензионном порядке (для заказа не потребителя)", "Претензионный порядок …"),
    text("costs", "судебные расходы", "В этом случае на Вас будут отнесены судебные расходы …"),
    items("grounds", "список оснований, со знаками «;» и «.» в конце", example="ст. 309, 310 ГК РФ — …;"),
)

PAYMENT = group(
    "payment",
    "как оплатить",
    money("amount", "сумма к оплате (в счёте — остаток, в письмах — все требования)", "8840.00"),
    text("purpose", "назначение платежа", "Оплата по счёту № 147 от 03.09.2026 за ремонт …"),
    text("qr_payload", "содержимое QR-кода (пусто, если платить нечего)", "ST00012|Name=…", optional=True),
    items("methods", "способы оплаты, со знаками «;» и «.» в конце", example="наличными или банковской картой …;"),
)

ANNEX_OF = group(
    "annex_of",
    "письмо, к которому документ (расчёт задолженности) приложен; пусто, если документ собран отдельно",
    text("kind", "вид письма", "pretension"),
    text("title_dative", "название письма после «Приложение к»", "претензии"),
    text("number", "номер письма", "ПР-2026-0001"),
    text("date", "дата письма", "«2» декабря 2026 г."),
    text("date_short", "дата письма цифрами", "02.12.2026"),
    text("line", "строка приложения целиком", "Приложение к претензии № ПР-2026-0001 от 02.12.2026"),
    optional=True,
)

VARIABLES: tuple[Variable, ...] = (
    text(
        "kind",
        "вид документа: refusal_act, invoice, overdue_notice, pretension, debt_statement, court_order, claim, "
        "collect_car_notice, payment_reminder, reconciliation_act, prepayment_notice, instalment_agreement, "
        "missed_instalment_notice или write_off_act",
        "pretension",
    ),
    DOCUMENT,
    SHOP,
    CLIENT,
    VEHICLE,
    ORDER,
    REFUSAL,
    LINES,
    TOTALS,
    INVOICE,
    NOTICE,
    PAYMENTS,
    OVERDUE,
    PENALTY,
    STORAGE,
    CLAIM,
    DEADLINES,
    LEGAL,
    PAYMENT,
    Variable("qr", IMAGE, "QR-код для оплаты; пусто, если платить нечего. Один в абзаце: {{ qr }}", optional=True),
    items(
        "annexes",
        "документы, которые направляются вместе с письмом (у уведомления и претензии — расчёт задолженности); "
        "у других документов список пуст",
        example="Расчёт задолженности на 23.11.2026",
    ),
    ANNEX_OF,
    INSTALMENTS,
    WRITE_OFF,
    items(
        "attachments",
        "приложения к претензии: копии документов и annexes",
        number("number", "номер", "1"),
        text("text", "текст", "Копия заказ-наряда № ЗН-0147 от 01.09.2026"),
    ),
    COURT,
    COLLECT,
    RECONCILIATION,
    CREDIT,
)

ROOT = group("", "контекст документа", *VARIABLES)


def variable_paths(variables: tuple[Variable, ...] = VARIABLES, prefix: str = "") -> dict[str, Variable]:
    """`{"client.name": Variable, "lines.billed[].amount": Variable, …}` in declaration order."""
    paths: dict[str, Variable] = {}
    for variable in variables:
        path = f"{prefix}{variable.name}"
        paths[path] = variable
        inner = f"{path}[]." if variable.type == LIST else f"{path}."
        paths.update(variable_paths(variable.fields, inner))
    return paths
