"""The issue-16 documents tools/make_templates.py generates: the notice to collect the car, the reminder
before the due date, the act of reconciliation and the notice of work on prepayment only. Sources of the
articles they cite: docs/legal-basis.md.
"""

from __future__ import annotations

from template_builder import CENTER, LEFT, RIGHT, TemplateBuilder


def _letter_head(b: TemplateBuilder, *title: str) -> None:
    b.letterhead()
    b.outgoing_number()
    b.addressee()
    b.title(*title)
    b.para("{{ client.salutation }}", align=CENTER, first_line=None, after=6)


def _contacts(b: TemplateBuilder, text: str) -> None:
    b.para(
        text + " {{ shop.phone }}{% if shop.email %} или по электронной почте {{ shop.email }}{% endif %}.",
        keep_next=True,
    )


# --- the notice to collect the car ------------------------------------------------------


def _collect_facts(b: TemplateBuilder) -> None:
    b.para(
        "{% if collect.is_refusal and refusal %}{{ refusal.date }} Вы отказались от исполнения договора "
        "на ремонт автомобиля "
        "{{ vehicle.line }} (далее — Автомобиль) по заказ-наряду № {{ order.number }} от {{ order.date }}. "
        "С {{ storage.start }} Автомобиль находится у Исполнителя — {{ shop.name }} — по адресу: "
        "{{ shop.address }}.{% else %}Работы по ремонту автомобиля {{ vehicle.line }} (далее — Автомобиль) по "
        "заказ-наряду № {{ order.number }} от {{ order.date }} выполнены Исполнителем — {{ shop.name }}. "
        "С {{ storage.start }} Автомобиль готов к выдаче и находится у Исполнителя по адресу: "
        "{{ shop.address }}.{% endif %}"
    )
    # Retention (ГК РФ ст. 359, 712) only of the client's own car, and only while something is owed.
    b.para(
        "{% if payments.is_paid %}Работы оплачены полностью: Автомобиль будет выдан Вам{% if client.is_company %} "
        "(Вашему представителю по доверенности){% endif %} без каких-либо условий.{% else %}Задолженность по "
        "{% if invoice %}счёту № {{ invoice.number }} от {{ invoice.date_short }}{% else %}заказ-наряду{% endif %} "
        "на {{ document.date_short }} составляет {{ payments.outstanding.full }}.{% if legal.retention %} "
        "{{ legal.retention }} Автомобиль будет выдан после оплаты задолженности.{% endif %}{% endif %}"
    )


def _collect_request(b: TemplateBuilder) -> None:
    # ГК РФ п. 3 ст. 889, п. 1 ст. 899, ст. 906: the keeper may require the thing to be taken back within a
    # reasonable term; then the bailor must take it at once. Checked on rugkrf.ru, progkrf.ru (docs/legal-basis.md).
    b.para(
        "На основании п. 3 ст. 889, п. 1 ст. 899 и ст. 906 ГК РФ {{ shop.voice.ask }} забрать Автомобиль в "
        "течение {{ collect.period }} со дня получения настоящего уведомления (при вручении уведомления "
        "{{ document.date_short }} — по {{ collect.deadline_short }} включительно). Время получения "
        "Автомобиля {{ shop.voice.ask }} согласовать по телефону {{ shop.phone }}.",
        bold=True,
    )
    b.tag("{%p if storage.has_basis %}")
    b.para(
        "Плата за хранение согласована сторонами ({{ storage.basis }}) и составляет {{ storage.daily_rate }} за "
        "каждые сутки. Если Автомобиль не будет получен в указанный срок, хранение со дня, следующего за "
        "последним днём срока (при вручении уведомления {{ document.date_short }} — с "
        "{{ collect.paid_from_short }}), является платным: плата начисляется по день получения Автомобиля "
        "включительно и вносится при его получении."
    )
    b.tag("{%p else %}")
    b.para(
        "Если Автомобиль не будет получен в указанный срок, Исполнитель продолжит его хранение до получения "
        "Вами; риск случайной гибели или повреждения Автомобиля после истечения срока лежит на Вас."
    )
    b.tag("{%p endif %}")
    _contacts(b, "Если Автомобиль уже получен, настоящее уведомление не требует ответа. Справки по телефону")


def build_collect_car_notice() -> TemplateBuilder:
    b = TemplateBuilder("Уведомление о необходимости забрать автомобиль")
    _letter_head(b, "УВЕДОМЛЕНИЕ", "о необходимости забрать автомобиль")
    _collect_facts(b)
    _collect_request(b)
    b.signature(closing="С уважением,", seal=True)
    b.page_numbers()
    return b


# --- the reminder before the due date ------------------------------------------------------


def build_payment_reminder() -> TemplateBuilder:
    # Polite and claim-free: no penalty, no court; for e-mail and post alike.
    b = TemplateBuilder("Напоминание о сроке оплаты")
    _letter_head(b, "НАПОМИНАНИЕ", "о сроке оплаты по счёту № {{ invoice.number }} от {{ invoice.date_short }}")
    b.para(
        "Благодарим Вас за обращение в {{ shop.name }}. По заказ-наряду № {{ order.number }} от "
        "{{ order.date_short }} выполнены работы по ремонту автомобиля {{ vehicle.line }}{% if refusal %} (до Вашего "
        "отказа от исполнения договора {{ refusal.date_short }}){% endif %}, и для их оплаты выставлен счёт "
        "№ {{ invoice.number }} от {{ invoice.date_short }} на сумму {{ totals.total.rub }}, {{ totals.vat_note }}."
    )
    b.para(
        "Напоминаем, что срок оплаты счёта истекает {{ invoice.due_date }}.{% if payments.has_payments %} С учётом "
        "поступившей оплаты ({{ payments.paid.rub }}) к оплате остаётся {{ payments.outstanding.full }}."
        "{% else %} Сумма к оплате — {{ payments.outstanding.full }}.{% endif %}",
        bold=True,
    )
    b.payment_details()
    b.qr_block("Для оплаты через мобильное приложение банка отсканируйте QR-код. Сумма: {{ payment.amount.rub }}.")
    _contacts(
        b,
        "Если счёт уже оплачен, благодарим Вас и просим не учитывать это напоминание. Ответим на вопросы по телефону",
    )
    b.signature(closing="С уважением,", seal=True)
    b.page_numbers()
    return b


# --- the act of reconciliation ------------------------------------------------------------

HALF = [(18, CENTER), (30, LEFT), (16, RIGHT), (16, RIGHT)]


def _bold(text: str) -> list:
    return [(text, {"bold": True})]


def _reconciliation_table(b: TemplateBuilder) -> None:
    b.plain_table(
        [[_bold("По данным {{ shop.name }}, руб."), _bold("По данным {{ client.name_genitive }}, руб.")]],
        [(80, CENTER), (80, CENTER)],
        font_size=9,
    )
    empty = ["", "", "", ""]
    b.table(
        HALF + HALF,
        ["Дата", "Документ", "Дебет", "Кредит"] * 2,
        [
            [
                "",
                _bold("Сальдо начальное"),
                "{{ reconciliation.opening_debit }}",
                "{{ reconciliation.opening_credit }}",
                "",
                _bold("Сальдо начальное"),
                "",
                "",
            ],
            "{%tr for row in reconciliation.rows %}",
            ["{{ row.date }}", "{{ row.document }}", "{{ row.debit }}", "{{ row.credit }}", *empty],
            "{%tr endfor %}",
            [
                "",
                _bold("Обороты за период"),
                "{{ reconciliation.debit_total }}",
                "{{ reconciliation.credit_total }}",
                "",
                _bold("Обороты за период"),
                "",
                "",
            ],
            [
                "",
                _bold("Сальдо конечное"),
                "{{ reconciliation.closing_debit }}",
                "{{ reconciliation.closing_credit }}",
                "",
                _bold("Сальдо конечное"),
                "",
                "",
            ],
        ],
        font_size=8,
    )


def _reconciliation_signatures(b: TemplateBuilder) -> None:
    b.plain_table(
        [
            [_bold("От {{ shop.name }}"), _bold("От {{ client.name_genitive }}")],
            [
                "{{ shop.signatory.position }}",
                "{% if client.representative %}{{ client.representative.position }}"
                "{% else %}____________________{% endif %}",
            ],
            [
                "____________ / {{ shop.signatory.initials_name }}",
                "____________ / {% if client.representative %}{{ client.representative.initials_name }}"
                "{% elif client.is_entrepreneur %}{{ client.initials_name }}{% else %}______________{% endif %}",
            ],
            ["Гл. бухгалтер ____________ / __________", "Гл. бухгалтер ____________ / __________"],
            ["М.П.", "М.П."],
        ],
        [(80, LEFT), (80, LEFT)],
        font_size=10,
    )


def build_reconciliation_act() -> TemplateBuilder:
    b = TemplateBuilder("Акт сверки взаимных расчётов")
    b.title(
        "АКТ СВЕРКИ ВЗАИМНЫХ РАСЧЁТОВ",
        "{{ reconciliation.period }}",
        "между {{ shop.name }} и {{ client.name_instrumental }} по заказ-наряду № {{ order.number }} "
        "от {{ order.date_short }}",
    )
    b.para(
        "Мы, нижеподписавшиеся, {{ shop.in_person_of }}, с одной стороны, и {{ client.title }}, с другой стороны, "
        "составили настоящий акт сверки в том, что состояние взаимных расчётов по данным учёта следующее:",
        after=4,
    )
    _reconciliation_table(b)
    b.para(("По данным {{ shop.name }}: ", {"bold": True}), "{{ reconciliation.result }}", first_line=None)
    b.para(
        ("По данным {{ client.name_genitive }}: ", {"bold": True}),
        "______________________________________________",
        first_line=None,
        after=4,
    )
    b.para(
        "{{ shop.voice.ask_cap }} в течение 10 (десяти) рабочих дней со дня получения акта подписать его и вернуть "
        "один экземпляр {{ shop.name }} или направить мотивированные возражения с приложением подтверждающих "
        "документов.",
        size=10,
        keep_next=True,
        after=6,
    )
    _reconciliation_signatures(b)
    b.page_numbers()
    return b


# --- prepayment only: the credit limit is exceeded ------------------------------------------


def _prepayment_debt(b: TemplateBuilder) -> None:
    b.para(
        "По состоянию на {{ document.as_of }} Ваша задолженность перед {{ shop.name }} составляет {{ credit.debt }}"
        "{% if credit.several %}, в том числе по заказ-нарядам {{ credit.orders }}{% else %} (заказ-наряд "
        "{{ credit.orders }}){% endif %}."
    )
    b.para(
        "В соответствии с {{ credit.basis }}, при задолженности заказчика свыше {{ credit.limit }} дальнейшие "
        "работы выполняются только на условиях предварительной оплаты. Ваша задолженность превышает этот предел "
        "на {{ credit.excess }}."
    )


def build_prepayment_notice() -> TemplateBuilder:
    b = TemplateBuilder("Уведомление о работе по предоплате")
    _letter_head(b, "УВЕДОМЛЕНИЕ", "о выполнении работ только по предварительной оплате")
    _prepayment_debt(b)
    b.para(
        "В связи с этим до полного погашения задолженности новые заказы (работы, услуги и запасные части) "
        "принимаются Исполнителем к выполнению только после их предварительной оплаты в полном размере. "
        "{% if client.is_consumer %}Это условие установлено Исполнителем одинаковым для всех заказчиков "
        "(п. 2 ст. 426 ГК РФ); оно не является отказом от заключения договора: работы выполняются после внесения "
        "предоплаты. {% endif %}После погашения задолженности работы вновь выполняются на обычных условиях оплаты."
    )
    b.para(
        "{{ shop.voice.ask_cap }} погасить задолженность{% if credit.several %}; реквизиты для оплаты по "
        "заказ-наряду № {{ order.number }} приведены ниже, по остальным заказ-нарядам — в выставленных счетах"
        "{% endif %}.",
        bold=True,
    )
    b.payment_details()
    b.qr_block("QR-код для оплаты по заказ-наряду № {{ order.number }}. Сумма: {{ payment.amount.rub }}.")
    _contacts(b, "Если задолженность уже погашена, {{ shop.voice.ask }} сообщить об этом по телефону")
    b.signature(closing="С уважением,", seal=True)
    b.page_numbers()
    return b
