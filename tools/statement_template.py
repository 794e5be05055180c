"""The debt statement («Расчёт задолженности») tools/make_templates.py generates: the state of
the debt on the as-of date — the basis, the payments received, the principal, the penalty or
ст. 395 interest period by period, storage where it is charged, and the total — annexed to the
overdue notice and the pretension, or built alone. Its calculation tables are the letters' own
(letter_templates.py), so a lawyer's fix to one shows in all three documents' layouts alike.
"""

from __future__ import annotations

from letter_templates import claim_table, penalty_table
from template_builder import CENTER, LEFT, RIGHT, TemplateBuilder

PAYMENT_COLUMNS = [(12, CENTER), (30, CENTER), (83, LEFT), (35, RIGHT)]


def _statement_header(b: TemplateBuilder) -> None:
    b.letterhead()
    b.tag("{%p if annex_of %}")
    b.para("{{ annex_of.line }}", align=RIGHT, first_line=None, italic=True, after=4)
    b.tag("{%p endif %}")
    b.title("РАСЧЁТ ЗАДОЛЖЕННОСТИ", "по состоянию на {{ document.as_of_short }}")
    b.parties("Кредитор (исполнитель): ", "Должник (заказчик): ", align=LEFT)  # justified, requisites gape
    b.para(
        ("Основание: ", {"bold": True}),
        "заказ-наряд № {{ order.number }} от {{ order.date_short }} на ремонт автомобиля {{ vehicle.line }}"
        "{% if invoice %}; счёт № {{ invoice.number }} от {{ invoice.date_short }} на сумму {{ totals.total.rub }}, "
        "{{ totals.vat_note }}{% if refusal %} (работы, выполненные до отказа заказчика от исполнения договора "
        "{{ refusal.date_short }}, и понесённые исполнителем расходы){% endif %}; срок оплаты — не позднее "
        "{{ invoice.due_date_short }}{% endif %}.",
        first_line=None,
        after=4,
    )


def _payments(b: TemplateBuilder) -> None:
    """1. The principal: the payments received, one row each, and what they left of the invoice."""
    b.heading("1. Основной долг")
    b.tag("{%p if payments.has_payments %}")
    b.para("От должника поступили оплаты:", first_line=None, keep_next=True, after=4)
    b.table(
        PAYMENT_COLUMNS,
        ["№", "Дата оплаты", "Способ оплаты", "Сумма, руб."],
        [
            "{%tr for item in payments['items'] %}",
            ["{{ item.number }}", "{{ item.date_short }}", "{{ item.method }}", "{{ item.amount_text }}"],
            "{%tr endfor %}",
        ],
        totals=[("Итого оплачено:", "{{ payments.paid.text }}")],
    )
    # Interest under ст. 395 and a penalty are no «проценты» of ст. 319: they are paid after the principal
    # (п. 37 Пленума ВС РФ № 54; checked on gk-rf.ru/statia319 and 1atc.ru/319-statya-gk-rf).
    b.para(
        "Поступившие оплаты зачтены в погашение основного долга (ст. 319 ГК РФ, п. 37 постановления Пленума "
        "ВС РФ от 22.11.2016 № 54).",
        first_line=None,
        keep_next=True,
        after=2,
    )
    b.para(
        "{% if payments.overpayment %}Оплачено больше суммы {% if invoice %}счёта{% else %}заказа{% endif %}: "
        "основного долга нет, переплата составляет {{ payments.overpayment.rub }}{% else %}Основной долг на "
        "{{ document.as_of_short }}: {{ totals.total.text }} − {{ payments.paid.text }} = "
        "{{ payments.outstanding.rub }}{% endif %}",
        first_line=None,
        bold=True,
    )
    b.tag("{%p else %}")
    b.para(
        "Оплата от должника не поступала. Основной долг на {{ document.as_of_short }} — {{ payments.outstanding.rub }}",
        first_line=None,
        bold=True,
    )
    b.tag("{%p endif %}")


def _penalty(b: TemplateBuilder) -> None:
    """2. The penalty or ст. 395 interest: its ground, the table by period, its formula and cap notes."""
    b.heading("2. {{ penalty.name_cap }}")
    b.tag("{%p if penalty.has_rows %}")
    b.para("{{ legal.penalty_ground }} Период начисления — {{ penalty.period }}.", after=4, keep_next=True)
    b.tag("{%p else %}")
    b.para("Просрочки оплаты по {{ document.as_of_short }} не было: {{ penalty.name_genitive }} не начислено.")
    b.tag("{%p endif %}")
    penalty_table(b)


def _storage(b: TemplateBuilder) -> None:
    """3. Storage, only where the figures charge it, with the clause where the client agreed the fee."""
    b.tag("{%p if storage and storage.has_fee %}")
    b.heading("3. Плата за хранение автомобиля")
    b.para(
        "Плата за хранение согласована сторонами ({{ storage.basis }}): {{ storage.terms_line }}. Автомобиль "
        "{% if storage.still_held %}находится на хранении у кредитора с {{ storage.start_short }}{% else %}"
        "находился на хранении у кредитора с {{ storage.start_short }} по {{ storage.end_short }}{% endif %}"
        "{% if storage.notice %}; уведомлением {{ storage.notice.reference }} должнику предложено забрать его до "
        "{{ storage.notice.collect_by_short }} включительно{% endif %}. За период с {{ storage.start_short }} по "
        "{{ storage.end_short }} ({{ storage.days_held_text }}, из них бесплатно {{ storage.free_days_text }}) "
        "плата составляет {{ storage.formula }} = {{ storage.fee_rub }}."
    )
    b.tag("{%p endif %}")


def _total(b: TemplateBuilder) -> None:
    b.heading("Итого задолженность на {{ document.as_of_short }}")
    claim_table(b, keep_with_next=True)  # the total never stands apart from its table
    b.para("Общая сумма задолженности — {{ claim.total.full }}.", first_line=None, bold=True, before=6, keep_next=True)
    b.para(
        "Расчёт произведён по {{ document.as_of_short }} включительно.{% if penalty.has_rows and "
        "legal.interest_until_paid %} Кредитор вправе требовать уплаты {{ legal.interest_until_paid }}."
        "{% endif %}",
        first_line=None,
        before=4,
        keep_next=True,  # the signature never stands on a page of its own
    )


def build_debt_statement() -> TemplateBuilder:
    b = TemplateBuilder("Расчёт задолженности")
    _statement_header(b)
    _payments(b)
    _penalty(b)
    _storage(b)
    _total(b)
    b.para("{{ document.date }}", first_line=None, before=8, align=LEFT, keep_next=True)
    b.signature(seal=True)
    b.page_numbers()
    return b
