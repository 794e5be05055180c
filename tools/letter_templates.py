"""The two letters tools/make_templates.py generates — the overdue notice and the
pre-trial pretension — and the calculation tables they share with the debt statement
(statement_template.py): the claim, and the penalty or ст. 395 interest period by period.
"""

from __future__ import annotations

from template_builder import CENTER, LEFT, RIGHT, TemplateBuilder


def claim_table(b: TemplateBuilder, keep_with_next: bool = False) -> None:
    """Principal, penalty or interest, storage and the total: the sum claimed; `keep_with_next` keeps
    it whole and on the page of the paragraph after it (the debt statement's total)."""
    b.table(
        [(125, LEFT), (35, RIGHT)],
        ["Наименование", "Сумма, руб."],
        [
            [
                "Основной долг {% if invoice %}по счёту № {{ invoice.number }} от {{ invoice.date_short }}{% else %}"
                "по заказ-наряду № {{ order.number }} от {{ order.date_short }}{% endif %}",
                "{{ claim.principal.text }}",
            ],
            "{%tr if penalty.has_rows %}",
            [
                "{{ penalty.name_cap }} за период {{ penalty.period }}",
                "{{ claim.penalty.text }}",
            ],
            "{%tr endif %}",
            "{%tr if storage and storage.has_fee %}",
            [
                "Плата за хранение автомобиля ({{ storage.basis }}) с {{ storage.start_short }} по "
                "{{ storage.end_short }}: {{ storage.days_held_text }}, из них бесплатно "
                "{{ storage.free_days_text }}; {{ storage.paid_days_text }} × {{ storage.daily_rate }}",
                "{{ claim.storage.text }}",
            ],
            "{%tr endif %}",
        ],
        totals=[("Итого:", "{{ claim.total.text }}")],
        font_size=11,
        keep_with_next=keep_with_next,
    )


def _note(b: TemplateBuilder, text: str, after: float = 4) -> None:
    b.para(text, size=9, italic=True, first_line=None, after=after)


def _key_rate_table(b: TemplateBuilder) -> None:
    b.table(
        [(22, CENTER), (22, CENTER), (14, RIGHT), (30, RIGHT), (20, RIGHT), (22, RIGHT), (30, RIGHT)],
        ["Период с", "по", "Дней", "Задолжен\u00adность, руб.", "Ставка", "Дней в году", "Проценты, руб."],
        [
            "{%tr for row in penalty.rows %}",
            [
                "{{ row.start }}",
                "{{ row.end }}",
                "{{ row.days }}",
                "{{ row.balance }}",
                "{{ row.rate }}",
                "{{ row.days_in_year }}",
                "{{ row.amount }}",
            ],
            "{%tr endfor %}",
        ],
        totals=[("Итого процентов:", "{{ penalty.total }}")],
        keep_with_next=True,
    )
    _note(
        b,
        "Проценты = задолженность × ключевая ставка × дни / число дней в году. "
        "День оплаты включается в период начисления на прежний остаток долга "
        "(п. 48 постановления Пленума ВС РФ от 24.03.2016 № 7)."
        "{% if penalty.unconfirmed_note %} {{ penalty.unconfirmed_note }}{% endif %}",
    )


def _contract_table(b: TemplateBuilder) -> None:
    """The contract penalty; once it reaches the cap, the note on the cap stands right under it."""
    b.table(
        [(24, CENTER), (24, CENTER), (16, RIGHT), (36, RIGHT), (26, RIGHT), (34, RIGHT)],
        ["Период с", "по", "Дней", "Задолженность, руб.", "Ставка в день", "Неустойка, руб."],
        [
            "{%tr for row in penalty.rows %}",
            [
                "{{ row.start }}",
                "{{ row.end }}",
                "{{ row.days }}",
                "{{ row.balance }}",
                "{{ row.rate }}",
                "{{ row.amount }}",
            ],
            "{%tr endfor %}",
        ],
        totals=[("Итого неустойки по расчёту:", "{{ penalty.accrued }}")],
        keep_with_next=True,
    )
    _note(
        b, "Неустойка = задолженность × ставка в день × дни.{% if penalty.capped %} {{ penalty.cap_note }}{% endif %}"
    )


def penalty_table(b: TemplateBuilder) -> None:
    """The period-by-period calculation, as case-format.md defines the rows."""
    b.tag("{%p if penalty.has_rows %}")
    b.tag("{%p if penalty.is_key_rate %}")
    _key_rate_table(b)
    b.tag("{%p else %}")
    _contract_table(b)
    b.tag("{%p endif %}")
    b.tag("{%p if penalty.moratorium_excluded %}")
    _note(
        b,
        "Период моратория с 01.04.2022 по 01.10.2022 (постановление Правительства РФ от 28.03.2022 № 497) "
        "исключён из расчёта.",
        after=0,
    )
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")


# --- the letters ---------------------------------------------------------------------

# Storage in a letter: retention only of the client's own car, the notice to collect it, the fee
# only where the client agreed it, accruing until the car is collected. `car` is how the letter
# names the car («автомобиль» in the notice, the defined «Автомобиль» in the pretension).
STORAGE_TEXT = (
    "{% if storage.still_held %}С {{ storage.start }} CAR находится на хранении у Исполнителя.{% if "
    "legal.retention %} {{ legal.retention }}{% endif %}{% else %}START_CAR находился на хранении у Исполнителя "
    "с {{ storage.start }} по "
    "{{ storage.end }}.{% endif %}{% if storage.notice %} Уведомлением {{ storage.notice.reference }} Вам "
    "предложено забрать CAR до {{ storage.notice.collect_by_short }} включительно.{% endif %}"
    "{% if storage.has_basis %} Плата за хранение согласована сторонами ({{ storage.basis }}): "
    "{{ storage.terms_line }}.{% if storage.still_held %} Она начисляется по день получения CAR_GEN и на "
    "{{ storage.end_short }} составляет {{ storage.fee_rub }}.{% else %} За хранение по {{ storage.end_short }} "
    "начислено {{ storage.fee_rub }}.{% endif %}{% endif %}"
)


def _calculation_and_payment(b: TemplateBuilder, demand: str, qr_caption: str, before: float) -> None:
    """The debt's calculation (claim and penalty tables), the demand in bold, how to pay and the QR code:
    what the notice and the pretension share."""
    b.heading("Расчёт задолженности на {{ document.as_of_short }}")
    claim_table(b)
    penalty_table(b)
    b.para(demand, bold=True, before=before)
    b.payment_details()
    b.qr_block(qr_caption)


def _storage_text(car: str) -> str:
    """STORAGE_TEXT with the car named as the letter names it: «автомобиль» or the defined «Автомобиль»."""
    text = STORAGE_TEXT.replace("START_CAR", car[:1].upper() + car[1:]).replace("CAR_GEN", car[:-1] + "я")
    return text.replace("CAR", car)


def build_overdue_notice() -> TemplateBuilder:
    b = TemplateBuilder("Уведомление о просрочке оплаты")
    b.letterhead()
    b.outgoing_number()
    b.addressee()
    b.title("УВЕДОМЛЕНИЕ", "о просрочке оплаты по счёту № {{ invoice.number }} от {{ invoice.date_short }}")
    b.para("{{ client.salutation }}", align=CENTER, first_line=None, after=6)
    b.para(
        "По заказ-наряду № {{ order.number }} от {{ order.date }} Исполнителем — {{ shop.name }} — "
        "выполнены работы по ремонту автомобиля {{ vehicle.line }}{% if refusal %}; {{ refusal.date }} Вы "
        "отказались от исполнения договора, и к оплате предъявлены работы, выполненные до получения отказа, "
        "и понесённые Исполнителем расходы{% endif %}. Для оплаты Вам выставлен "
        "счёт № {{ invoice.number }} от {{ invoice.date }} на сумму {{ totals.total.full }} со сроком оплаты "
        "до {{ invoice.due_date }}."
    )
    b.para(
        "{% if payments.has_payments %}В счёт оплаты поступило {{ payments.paid.rub }} ({{ payments.summary }}). "
        "{% else %}Оплата по счёту не поступала. {% endif %}По состоянию на {{ document.as_of }} задолженность "
        "составляет {{ payments.outstanding.full }}, просрочка оплаты — {{ overdue.days_text }}. "
        "{{ legal.payment_duty }}"
    )
    b.tag("{%p if penalty.has_rows %}")
    b.para(
        "{{ legal.penalty_ground }} Размер {{ penalty.name_genitive }} за период {{ penalty.period }} "
        "составляет {{ penalty.total_rub }} ({{ penalty.total_words }}); расчёт приведён ниже."
    )
    b.tag("{%p endif %}")
    b.tag("{%p if storage %}")
    b.para(_storage_text("автомобиль"))
    b.tag("{%p endif %}")
    _calculation_and_payment(
        b,
        "{{ shop.voice.ask_cap }} в срок до {{ deadlines.notice }} оплатить задолженность в размере "
        "{{ claim.total.full }}.",
        "Для оплаты через мобильное приложение банка отсканируйте QR-код. Сумма: {{ payment.amount.rub }}.",
        before=4,
    )
    b.para(
        "Если задолженность не будет погашена в указанный срок, Исполнитель будет вынужден направить Вам "
        "досудебную претензию, а затем обратиться в суд с требованием о взыскании {{ legal.court_claims }}, "
        "а также судебных расходов, включая государственную пошлину, которые в этом случае будут отнесены "
        "на Вас. {{ shop.voice.count_on_cap }} на урегулирование вопроса без обращения в суд.",
        before=4,
    )
    b.para(
        "Если оплата уже произведена, {{ shop.voice.ask }} сообщить об этом по телефону {{ shop.phone }}"
        "{% if shop.email %} или по электронной почте {{ shop.email }}{% endif %} и считать настоящее "
        "уведомление неактуальным."
    )
    _annexes_line(b)
    b.signature(closing="С уважением,", seal=True)
    b.page_numbers()
    return b


def _annexes_line(b: TemplateBuilder) -> None:
    """«Приложение: Расчёт задолженности на 23.11.2026.» — what is sent with the letter (DocumentKind.annexes)."""
    b.tag("{%p if annexes %}")
    b.para(
        ("Приложение: ", {"bold": True}),
        "{% for item in annexes %}{{ item }}{% if not loop.last %}; {% endif %}{% endfor %}.",
        first_line=None,
        before=6,
        keep_next=True,
    )
    b.tag("{%p endif %}")


def _pretension_facts(b: TemplateBuilder) -> None:
    b.numbered(
        "{{ order.date }} Исполнителем — {{ shop.in_person_of }} — принят заказ на ремонт автомобиля "
        "{{ vehicle.line }} (далее — Автомобиль); Заказчик — {{ client.title }}. Заказ оформлен "
        "заказ-нарядом № {{ order.number }}{% if order.estimate %}, ориентировочная стоимость ремонта — "
        "{{ order.estimate.rub }}{% endif %}."
    )
    b.tag("{%p if refusal %}")
    b.numbered(
        "{{ refusal.at }} Исполнителем получен Ваш отказ от исполнения договора (заявлен {{ refusal.channel }}), "
        "о чём составлен акт от {{ refusal.date_short }}. До получения отказа Исполнителем выполнены работы "
        "на сумму {{ totals.work_done.rub }}{% if lines.has_expenses %} и приобретены для заказа запасные "
        "части фактической стоимостью {{ totals.expenses.rub }}; они будут переданы Вам вместе с "
        "Автомобилем{% endif %}."
    )
    b.tag("{%p else %}")
    b.numbered("Работы по заказ-наряду выполнены Исполнителем в полном объёме на сумму {{ totals.total.rub }}.")
    b.tag("{%p endif %}")
    b.numbered(
        "Для оплаты Вам выставлен счёт № {{ invoice.number }} от {{ invoice.date }} на сумму "
        "{{ totals.total.full }}, {{ totals.vat_note }}, со сроком оплаты до {{ invoice.due_date }}."
    )
    b.numbered(
        "{% if payments.has_payments %}В счёт оплаты от Вас поступило {{ payments.paid.rub }} "
        "({{ payments.summary }}).{% else %}Оплата по счёту от Вас не поступала.{% endif %} По состоянию на "
        "{{ document.as_of }} задолженность составляет {{ payments.outstanding.full }}, просрочка оплаты — "
        "{{ overdue.days_text }}.{% if notice %} {{ notice.date }} Вам направлено уведомление о просрочке "
        "оплаты № {{ notice.number }}, однако задолженность до настоящего времени не погашена.{% endif %}"
    )
    b.numbered("{{ legal.payment_duty }}{% if legal.consumer_rules %} {{ legal.consumer_rules }}{% endif %}")
    b.tag("{%p if penalty.has_rows %}")
    b.numbered(
        "{{ legal.penalty_ground }} Размер {{ penalty.name_genitive }} за период {{ penalty.period }} "
        "составляет {{ penalty.total_rub }} ({{ penalty.total_words }})."
    )
    b.tag("{%p endif %}")
    b.tag("{%p if storage %}")
    b.numbered(_storage_text("Автомобиль"))
    b.tag("{%p endif %}")


def build_pretension() -> TemplateBuilder:
    b = TemplateBuilder("Досудебная претензия")
    b.letterhead()
    b.outgoing_number()
    b.addressee()
    b.title("ДОСУДЕБНАЯ ПРЕТЕНЗИЯ", "об оплате задолженности по заказ-наряду № {{ order.number }}")
    b.para("{{ client.salutation }}", align=CENTER, first_line=None, after=6)
    _pretension_facts(b)
    _calculation_and_payment(
        b,
        "На основании изложенного {{ shop.voice.demand }} в течение {{ deadlines.pretension_period }} со дня "
        "получения настоящей претензии оплатить задолженность в общей сумме {{ claim.total.full }}.",
        "QR-код для оплаты в мобильном приложении банка. Сумма: {{ payment.amount.rub }}.",
        before=6,
    )
    b.para(
        "В случае неисполнения настоящего требования в указанный срок {{ legal.court }}{% if "
        "legal.interest_until_paid %}, а также о взыскании {{ legal.interest_until_paid }}{% endif %}. "
        "{{ legal.costs }}{% if legal.pretension_procedure %} {{ legal.pretension_procedure }}{% endif %}"
    )
    # Kept with the attachments: the signature never stands on a page of its own.
    b.para(
        "{{ shop.voice.count_on_cap }} на добросовестное исполнение Вами обязательств и урегулирование спора "
        "без обращения в суд.",
        keep_next=True,
    )
    b.para("Приложения:", first_line=None, bold=True, before=6, keep_next=True)
    b.tag("{%p for item in attachments %}")
    b.para("{{ item.number }}. {{ item.text }}.", first_line=None, left_cm=0.6, keep_next=True)
    b.tag("{%p endfor %}")
    b.para("{{ document.date }}", first_line=None, before=8, keep_next=True)
    b.signature(seal=True)
    b.page_numbers()
    return b
