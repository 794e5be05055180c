"""Generate the four Word templates in templates/ (refusal_act, invoice,
overdue_notice, pretension) with python-docx: the initial scaffold only.

After this first run the .docx files belong to the lawyer, who edits them in
Word or LibreOffice; rerunning this script OVERWRITES their edits. Usage:
    .venv/bin/python tools/make_templates.py [--out templates]
Every number and word comes from pipeline/context.py; the variables are declared in
pipeline/variables.py (docs/template-variables.md for the lawyer).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from slim_template import slim_package  # noqa: E402
from template_builder import CENTER, LEFT, RIGHT, TemplateBuilder  # noqa: E402

LINE_COLUMNS = [(9, CENTER), (73, LEFT), (15, RIGHT), (14, CENTER), (23, RIGHT), (26, RIGHT)]
LINE_HEADER = ["№", "Наименование работ, запасных частей", "Кол-во", "Ед. изм.", "Цена, руб.", "Сумма, руб."]


def _line_rows(loop: str) -> list:
    name = ["{{ row.name }}", ("{% if row.note %} ({{ row.note }}){% endif %}", {"italic": True})]
    return [
        f"{{%tr for row in {loop} %}}",
        ["{{ row.number }}", name, "{{ row.qty }}", "{{ row.unit }}", "{{ row.price }}", "{{ row.amount }}"],
        "{%tr endfor %}",
    ]


def _claim_table(b: TemplateBuilder) -> None:
    """Principal, penalty or interest, storage and the total: the sum claimed."""
    b.table(
        [(125, LEFT), (35, RIGHT)],
        ["Наименование", "Сумма, руб."],
        [
            [
                "Основной долг по счёту № {{ invoice.number }} от {{ invoice.date_short }}",
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
                "Плата за хранение автомобиля с {{ storage.start_short }} по {{ storage.end_short }}: "
                "{{ storage.days_held_text }}, из них бесплатно {{ storage.free_days_text }}; "
                "{{ storage.paid_days_text }} × {{ storage.daily_rate }}",
                "{{ claim.storage.text }}",
            ],
            "{%tr endif %}",
        ],
        totals=[("Итого:", "{{ claim.total.text }}")],
        font_size=11,
    )


def _penalty_table(b: TemplateBuilder) -> None:
    """The period-by-period calculation, as case-format.md defines the rows."""
    b.tag("{%p if penalty.has_rows %}")
    b.tag("{%p if penalty.is_key_rate %}")
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
    )
    b.para(
        "Проценты = задолженность × ключевая ставка × дни / число дней в году. "
        "День оплаты включается в период начисления на прежний остаток долга "
        "(п. 48 постановления Пленума ВС РФ от 24.03.2016 № 7).",
        size=9,
        italic=True,
        first_line=None,
        after=4,
    )
    b.tag("{%p else %}")
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
        totals=[("Итого неустойки:", "{{ penalty.total }}")],
    )
    b.tag("{%p if penalty.capped %}")
    b.para(
        "Размер неустойки ограничен условиями договора: не более {{ penalty.cap }}.",
        size=9,
        italic=True,
        first_line=None,
        after=4,
    )
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")
    b.tag("{%p if penalty.moratorium_excluded %}")
    b.para(
        "Период моратория с 01.04.2022 по 01.10.2022 (постановление Правительства РФ от 28.03.2022 № 497) "
        "исключён из расчёта.",
        size=9,
        italic=True,
        first_line=None,
    )
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")


# --- the four documents -------------------------------------------------------------


def build_refusal_act() -> TemplateBuilder:
    b = TemplateBuilder("Акт об отказе заказчика от исполнения договора")
    b.letterhead()
    b.title("АКТ № {{ document.number }}", "об отказе заказчика от исполнения договора (от ремонта автомобиля)")
    b.para("{{ document.date }}", align=RIGHT, first_line=None, after=8)
    b.numbered(
        "По заказ-наряду № {{ order.number }} от {{ order.date }} Исполнитель — {{ shop.name }} — принял "
        "к выполнению работы по ремонту автомобиля {{ vehicle.line }}{% if vehicle.mileage %}, пробег "
        "{{ vehicle.mileage }}{% endif %} (далее — Автомобиль), переданного Заказчиком — {{ client.title }}"
        "{% if client.requisites_line %} ({{ client.requisites_line }}){% endif %}, адрес: {{ client.address }}"
        "{% if order.estimate %}. Ориентировочная стоимость ремонта по заказ-наряду — {{ order.estimate.rub }}"
        "{% endif %}."
    )
    b.numbered(
        "{{ refusal.at }} Исполнитель получил заявление Заказчика об отказе от исполнения договора "
        "(от дальнейшего ремонта Автомобиля). Отказ заявлен Заказчиком {{ refusal.channel }}."
        "{% if refusal.reason %} Причина отказа со слов Заказчика: «{{ refusal.reason }}».{% endif %}"
    )
    b.numbered(
        "До получения отказа Исполнителем выполнены следующие работы и установлены следующие запасные части:",
        keep_next=True,
    )
    b.table(LINE_COLUMNS, LINE_HEADER, _line_rows("lines.done"), totals=[("Итого:", "{{ totals.work_done.text }}")])
    b.tag("{%p if lines.has_expenses %}")
    b.numbered(
        "Для выполнения заказа Исполнителем приобретены и не установлены на Автомобиль следующие запасные "
        "части; их стоимость составляет фактически понесённые Исполнителем расходы:",
        keep_next=True,
    )
    b.table(LINE_COLUMNS, LINE_HEADER, _line_rows("lines.expenses"), totals=[("Итого:", "{{ totals.expenses.text }}")])
    b.tag("{%p endif %}")
    b.tag("{%p if lines.has_not_done %}")
    b.numbered("В связи с отказом Заказчика не выполнены и оплате не подлежат:", keep_next=True)
    b.tag("{%p for row in lines.not_done %}")
    b.para("— {{ row.name }} ({{ row.note }});", first_line=None, left_cm=1.25)
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.numbered(
        "{{ legal.refusal_ground }} Стоимость выполненных работ и понесённых расходов, подлежащая оплате "
        "Заказчиком, составляет {{ totals.total.full }}, {{ totals.vat_note }}."
        "{% if invoice %} Для оплаты выставлен счёт № {{ invoice.number }} от {{ invoice.date }} со сроком "
        "оплаты до {{ invoice.due_date }}.{% endif %}"
    )
    b.numbered(
        "Автомобиль будет выдан Заказчику после оплаты указанной суммы (ст. 359, 712 ГК РФ)."
        "{% if storage %} С {{ storage.start }} Автомобиль находится на хранении у Исполнителя; стоимость "
        "хранения — {{ storage.terms_line }}. Плата за хранение начисляется по день выдачи Автомобиля "
        "включительно и вносится Заказчиком при его получении.{% endif %}"
    )
    b.numbered("Акт составлен в двух экземплярах, по одному для каждой из сторон.")
    b.para("Исполнитель: {{ shop.name }}", first_line=None, bold=True, before=10, keep_next=True)
    b.signature(seal=True)
    b.para("Акт составил: ____________________ {{ refusal.recorded_by }}", first_line=None, before=10, align=LEFT)
    b.tag("{%p if refusal.client_signed %}")
    b.para("Заказчик: {{ client.title }}", first_line=None, bold=True, before=10, keep_next=True)
    b.para(
        "С актом ознакомлен, один экземпляр получил: ____________________ {{ client.initials_name }}",
        first_line=None,
        align=LEFT,
    )
    b.tag("{%p else %}")
    b.para("Заказчик от подписи отказался.", first_line=None, bold=True, before=10, keep_next=True)
    b.para("Отказ Заказчика от подписи удостоверяем:", first_line=None, keep_next=True, after=4)
    b.table(
        [(10, CENTER), (90, LEFT), (60, CENTER)],
        ["№", "Фамилия, инициалы, должность", "Подпись"],
        [
            "{%tr for witness in refusal.witnesses %}",
            ["{{ witness.number }}", "{{ witness.text }}", ""],
            "{%tr endfor %}",
        ],
        font_size=11,
    )
    b.tag("{%p endif %}")
    b.page_numbers()
    return b


def build_invoice() -> TemplateBuilder:
    b = TemplateBuilder("Счёт на оплату")
    # No letterhead: the bank table below is the invoice's header, as on Russian invoices.
    b.table(
        [(45, LEFT), (115, LEFT)],
        ["Получатель", "{{ shop.name }}"],
        [
            ["ИНН / КПП", "{{ shop.inn }}{% if shop.kpp %} / {{ shop.kpp }}{% endif %}"],
            ["Банк получателя", "{{ shop.bank.name }}"],
            ["БИК", "{{ shop.bank.bik }}"],
            ["Корр. счёт", "{{ shop.bank.corr_account }}"],
            ["Расчётный счёт", "{{ shop.bank.account }}"],
        ],
        font_size=10,
    )
    b.title("СЧЁТ НА ОПЛАТУ № {{ document.number }} от {{ document.date }}", before=6)
    b.tag("{%p if invoice.is_partial %}")
    b.para(
        "за частично выполненный ремонт автомобиля в связи с отказом заказчика от исполнения договора",
        align=CENTER,
        first_line=None,
        bold=True,
        after=8,
    )
    b.tag("{%p endif %}")
    b.para(
        ("Исполнитель: ", {"bold": True}),
        "{{ shop.name }}, {{ shop.requisites_line }}, {{ shop.address }}",
        first_line=None,
    )
    b.para(
        ("Заказчик: ", {"bold": True}),
        "{{ client.title }}{% if client.requisites_line %}, {{ client.requisites_line }}{% endif %}, "
        "{{ client.address }}",
        first_line=None,
    )
    b.para(
        ("Основание: ", {"bold": True}),
        "заказ-наряд № {{ order.number }} от {{ order.date_short }}; автомобиль {{ vehicle.line }}",
        first_line=None,
        after=6,
    )
    b.tag("{%p if invoice.is_partial %}")
    b.para(
        "{{ refusal.at }} Заказчик отказался от исполнения договора (акт об отказе от {{ refusal.date_short }}). "
        "В соответствии со {{ legal.refusal_articles }} к оплате предъявляются стоимость работ, выполненных "
        "до получения отказа, и фактически понесённые расходы на запасные части, приобретённые для заказа.",
        after=6,
    )
    b.tag("{%p endif %}")
    b.table(
        LINE_COLUMNS,
        LINE_HEADER,
        _line_rows("lines.billed"),
        totals=[
            ("Итого:", "{{ totals.total.text }}"),
            ("{{ totals.vat_label }}", "{{ totals.vat_amount }}"),
            ("Всего к оплате:", "{{ totals.total.text }}"),
            ("{%tr if payments.has_payments %}", ""),
            ("Оплачено на {{ document.as_of_short }}:", "{{ payments.paid.text }}"),
            ("Остаток к оплате:", "{{ payments.outstanding.text }}"),
            ("{%tr endif %}", ""),
        ],
    )
    b.para("Всего наименований {{ lines.billed_count }}, на сумму {{ totals.total.rub }}", first_line=None)
    b.para("{{ totals.total.words_cap }}", first_line=None, bold=True, after=6)
    b.tag("{%p if payments.is_paid %}")
    b.para("Счёт оплачен полностью. Благодарим Вас!", first_line=None, bold=True)
    b.tag("{%p else %}")
    # Payment terms on the left, the QR code on the right: the invoice stays on one page.
    table = b.plain_table([["", ""]], [(118, LEFT), (42, CENTER)])
    left, right = table.rows[0].cells
    b.para(("Оплатить не позднее {{ invoice.due_date }}.", {"bold": True}), first_line=None, container=left)
    b.para(
        ("Способы оплаты: ", {"bold": True}),
        "наличными или банковской картой в кассе Исполнителя по адресу: {{ shop.address }}; безналичным "
        "переводом по указанным выше реквизитам{% if qr %}; по QR-коду в мобильном приложении банка{% endif %}.",
        first_line=None,
        container=left,
        size=11,
    )
    b.para(("Назначение платежа: ", {"bold": True}), "{{ payment.purpose }}.", first_line=None, container=left, size=11)
    b.tag("{%p if qr %}", container=right)
    b.para("{{ qr }}", first_line=None, align=CENTER, container=right)
    b.para("Сумма: {{ payment.amount.rub }}", first_line=None, align=CENTER, size=9, container=right)
    b.tag("{%p endif %}", container=right)
    b.tag("{%p endif %}")
    b.signature(seal=True)
    return b


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
    b.tag("{%p if storage and storage.has_fee %}")
    b.para(
        "{% if storage.still_held %}С {{ storage.start }} автомобиль находится на хранении у Исполнителя. "
        "{{ legal.retention }}{% else %}Автомобиль находился на хранении у Исполнителя с {{ storage.start }} "
        "по {{ storage.end }}.{% endif %} Стоимость хранения — {{ storage.terms_line }}; плата за хранение по "
        "{{ storage.end_short }} составляет {{ storage.fee_rub }}."
    )
    b.tag("{%p endif %}")
    b.heading("Расчёт задолженности на {{ document.as_of_short }}")
    _claim_table(b)
    _penalty_table(b)
    b.para(
        "Просим в срок до {{ deadlines.notice }} оплатить задолженность в размере {{ claim.total.full }}.",
        bold=True,
        before=4,
    )
    b.payment_details()
    b.qr_block("Для оплаты через мобильное приложение банка отсканируйте QR-код. Сумма: {{ payment.amount.rub }}.")
    b.para(
        "Если задолженность не будет погашена в указанный срок, Исполнитель будет вынужден направить Вам "
        "досудебную претензию, а затем обратиться в суд с требованием о взыскании долга, {{ penalty.name_genitive }} "
        "по день фактической оплаты{% if storage %}, платы за хранение{% endif %}, а также судебных расходов, "
        "включая государственную пошлину, которые в этом случае будут отнесены на Вас. Рассчитываем на "
        "урегулирование вопроса без обращения в суд.",
        before=4,
    )
    b.para(
        "Если оплата уже произведена, просим сообщить об этом по телефону {{ shop.phone }}"
        "{% if shop.email %} или по электронной почте {{ shop.email }}{% endif %} и считать настоящее "
        "уведомление неактуальным."
    )
    b.signature(closing="С уважением,", seal=True)
    b.page_numbers()
    return b


def build_pretension() -> TemplateBuilder:
    b = TemplateBuilder("Досудебная претензия")
    b.outgoing_number()
    b.addressee(with_sender=True)
    b.title("ДОСУДЕБНАЯ ПРЕТЕНЗИЯ", "об оплате задолженности по заказ-наряду № {{ order.number }}")
    b.para("{{ client.salutation }}", align=CENTER, first_line=None, after=6)
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
        "части на сумму {{ totals.expenses.rub }}{% endif %}. {{ legal.refusal_ground }}"
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
    b.numbered("{{ legal.payment_duty }} {{ legal.consumer_rules }}")
    b.tag("{%p if penalty.has_rows %}")
    b.numbered(
        "{{ legal.penalty_ground }} Размер {{ penalty.name_genitive }} за период {{ penalty.period }} "
        "составляет {{ penalty.total_rub }} ({{ penalty.total_words }})."
    )
    b.tag("{%p endif %}")
    b.tag("{%p if storage and storage.has_fee %}")
    b.numbered(
        "{% if storage.still_held %}{{ legal.retention }} С {{ storage.start }} Автомобиль находится на "
        "хранении у Исполнителя{% else %}Автомобиль находился на хранении у Исполнителя с {{ storage.start }} "
        "по {{ storage.end }}{% endif %}; стоимость хранения — {{ storage.terms_line }}. Плата за хранение "
        "по {{ storage.end_short }} составляет {{ storage.fee_rub }}."
    )
    b.tag("{%p endif %}")
    b.heading("Расчёт задолженности на {{ document.as_of_short }}")
    _claim_table(b)
    _penalty_table(b)
    b.para("Правовые основания требований:", first_line=None, bold=True, keep_next=True, before=4)
    b.tag("{%p for ground in legal.grounds %}")
    b.para("— {{ ground }}", first_line=None, left_cm=0.6)
    b.tag("{%p endfor %}")
    b.para(
        "На основании изложенного требую в течение {{ deadlines.pretension_days_text }} с момента получения "
        "настоящей претензии оплатить задолженность в общей сумме {{ claim.total.full }}.",
        bold=True,
        before=6,
    )
    b.payment_details()
    b.qr_block("QR-код для оплаты в мобильном приложении банка. Сумма: {{ payment.amount.rub }}.")
    b.para(
        "В случае неисполнения настоящего требования в указанный срок {{ legal.court }}, а также о взыскании "
        "{{ legal.interest_until_paid }}. {{ legal.costs }} {{ legal.pretension_procedure }}"
    )
    b.para("Рассчитываем на добросовестное исполнение Вами обязательств и урегулирование спора без обращения в суд.")
    b.para("Приложения:", first_line=None, bold=True, before=6, keep_next=True)
    b.tag("{%p for item in attachments %}")
    b.para("{{ item.number }}. {{ item.text }}.", first_line=None, left_cm=0.6, keep_next=True)
    b.tag("{%p endfor %}")
    b.para("{{ document.date }}", first_line=None, before=8, keep_next=True)
    b.signature(seal=True)
    b.page_numbers()
    return b


BUILDERS = {
    "refusal_act": build_refusal_act,
    "invoice": build_invoice,
    "overdue_notice": build_overdue_notice,
    "pretension": build_pretension,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "templates")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for kind, build in BUILDERS.items():
        path = args.out / f"{kind}.docx"
        build().save(path)
        path.write_bytes(slim_package(path.read_bytes()))  # python-docx's unused styles cost LibreOffice time
        print(f"written {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
