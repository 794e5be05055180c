"""The two court applications tools/make_templates.py generates — the application for a court
order (court_order) and the statement of claim (claim) — on one layout: the court and the parties
in the header, the facts, the grounds, the price and the duty, «ПРОШУ:», the attachments, the
signature, and the calculation as annex № 1 (the letters' own tables, letter_templates.py).
"""

from __future__ import annotations

# The letters' calculation tables, shared so a table is written once.
from letter_templates import claim_table, penalty_table
from template_builder import CENTER, LEFT, TemplateBuilder

HEADER_INDENT_CM = 8.0


def _header_lines(b: TemplateBuilder, label: str, loop: str) -> None:
    b.para((label, {"bold": True}), first_line=None, left_cm=HEADER_INDENT_CM, align=LEFT, before=6, keep_next=True)
    b.tag(f"{{%p for line in {loop} %}}")
    b.para("{{ line }}", first_line=None, left_cm=HEADER_INDENT_CM, align=LEFT, keep_next=True, size=11)
    b.tag("{%p endfor %}")


def _header(b: TemplateBuilder) -> None:
    """Who the application goes to, the parties, the price and the duty, on the right half of the page."""
    b.para("{{ court.addressee }}", first_line=None, left_cm=HEADER_INDENT_CM, align=LEFT, bold=True, keep_next=True)
    b.para("{{ court.address }}", first_line=None, left_cm=HEADER_INDENT_CM, align=LEFT, keep_next=True, size=11)
    _header_lines(b, "{{ court.claimant_label }}:", "court.claimant_lines")
    _header_lines(b, "{{ court.debtor_label }}:", "court.debtor_lines")
    b.para(
        ("{% if court.is_order %}Сумма требования{% else %}Цена иска{% endif %}: ", {"bold": True}),
        "{{ court.price }}",
        first_line=None,
        left_cm=HEADER_INDENT_CM,
        align=LEFT,
        before=6,
        keep_next=True,
    )
    b.para(
        ("Государственная пошлина: ", {"bold": True}),
        "{{ court.duty }}",
        first_line=None,
        left_cm=HEADER_INDENT_CM,
        align=LEFT,
    )


def _facts(b: TemplateBuilder) -> None:
    b.para(
        "{{ order.date }} между {{ shop.name }} (исполнитель) и {{ client.title_instrumental }} (заказчик) "
        "заключён договор на ремонт автомобиля {{ vehicle.line }}, оформленный заказ-нарядом № {{ order.number }}"
        "{% if order.estimate %} (ориентировочная стоимость ремонта — {{ order.estimate.rub }}){% endif %}."
    )
    b.tag("{%p if refusal %}")
    b.para(
        "{{ refusal.at }} заказчик отказался от исполнения договора (отказ заявлен {{ refusal.channel }}), о чём "
        "исполнителем составлен акт от {{ refusal.date_short }}. До получения отказа исполнителем выполнены "
        "работы на сумму {{ totals.work_done.rub }}{% if lines.has_expenses %} и приобретены для заказа запасные "
        "части фактической стоимостью {{ totals.expenses.rub }}{% endif %}."
    )
    b.tag("{%p else %}")
    b.para("Работы по заказ-наряду выполнены исполнителем в полном объёме на сумму {{ totals.total.rub }}.")
    b.tag("{%p endif %}")
    b.para(
        "Для оплаты заказчику выставлен счёт № {{ invoice.number }} от {{ invoice.date }} на сумму "
        "{{ totals.total.full }}, {{ totals.vat_note }}, со сроком оплаты до {{ invoice.due_date }}. "
        "{% if payments.has_payments %}В счёт оплаты поступило {{ payments.paid.rub }} ({{ payments.summary }})."
        "{% else %}Оплата не поступала.{% endif %} По состоянию на {{ document.as_of }} задолженность составляет "
        "{{ payments.outstanding.full }}, просрочка оплаты — {{ overdue.days_text }}."
    )
    b.para("{{ legal.payment_duty }}{% if legal.consumer_rules %} {{ legal.consumer_rules }}{% endif %}")
    b.tag("{%p if court.has_penalty %}")
    b.para(
        "{{ legal.penalty_ground }} Размер {{ penalty.name_genitive }} за период {{ penalty.period }} составляет "
        "{{ penalty.total_rub }}; расчёт приведён в приложении № 1.{% if penalty.capped %} {{ penalty.cap_note }}"
        "{% endif %}"
    )
    b.tag("{%p endif %}")
    b.tag("{%p if court.has_storage and storage and storage.basis %}")
    b.para(
        "Плата за хранение автомобиля согласована сторонами ({{ storage.basis }}): {{ storage.terms_line }}. "
        "За хранение с {{ storage.start_short }} по {{ storage.end_short }} начислено {{ storage.fee_rub }} "
        "({{ storage.paid_days_text }} × {{ storage.daily_rate }})."
    )
    b.tag("{%p endif %}")
    b.tag("{%p if court.pretension %}")
    b.para("{{ court.pretension }}")
    b.tag("{%p endif %}")
    b.tag("{%p if court.order_cancelled %}")
    b.para("{{ court.order_cancelled }}")
    b.tag("{%p endif %}")


def _procedure(b: TemplateBuilder) -> None:
    """Why this court and this procedure, the price and the duty with its arithmetic."""
    b.tag("{%p if court.is_order and court.is_arbitrazh %}")
    b.para(
        "Требование вытекает из неисполнения договора, основано на представленных документах, устанавливающих "
        "денежное обязательство должника, и не превышает пятисот тысяч рублей, поэтому подлежит рассмотрению в "
        "порядке приказного производства (ст. 229.1, 229.2 АПК РФ). {{ court.jurisdiction }}"
    )
    b.tag("{%p elif court.is_order %}")
    b.para(
        "Требование основано на сделке, совершённой в простой письменной форме, подтверждено приложенными "
        "документами и не превышает пятисот тысяч рублей, поэтому подлежит рассмотрению в порядке приказного "
        "производства (ч. 1 ст. 121, абз. 3 ст. 122 ГПК РФ). {{ court.jurisdiction }}"
    )
    b.tag("{%p else %}")
    b.para("{{ court.jurisdiction }}")
    b.tag("{%p endif %}")
    b.para(
        "{% if court.is_order %}Сумма требования{% else %}Цена иска{% endif %} составляет {{ court.price_full }}: "
        "{{ court.price_line }} руб. Государственная пошлина в размере {{ court.duty }} ({{ court.duty_citation }}; "
        "расчёт — в приложении № 1) уплачена и подлежит возмещению за счёт "
        "{% if court.is_order %}должника{% else %}ответчика{% endif %} ({{ court.costs_articles }})."
    )


def _demands(b: TemplateBuilder) -> None:
    b.para(
        "На основании изложенного, руководствуясь ст. 309, 310, {% if penalty.is_contract %}330{% else %}395"
        "{% endif %} ГК РФ, {{ court.procedure_articles }},",
        before=4,
        keep_next=True,
    )
    b.para("ПРОШУ:", align=CENTER, first_line=None, bold=True, before=4, after=4, keep_next=True)
    b.tag("{%p for demand in court.demands %}")
    b.para("{% if court.demands|length > 1 %}{{ loop.index }}. {% endif %}{{ demand }}")
    b.tag("{%p endfor %}")
    b.tag("{%p if court.copy_sent %}")
    b.para("{{ court.copy_sent }}", before=4)
    b.tag("{%p endif %}")


def _attachments_and_signature(b: TemplateBuilder) -> None:
    b.para("Приложения:", first_line=None, bold=True, before=6, keep_next=True)
    b.tag("{%p for item in court.attachments %}")
    b.para("{{ item.number }}. {{ item.text }}.", first_line=None, left_cm=0.6, keep_next=True)
    b.tag("{%p endfor %}")
    b.para("{{ document.date }}", first_line=None, before=8, keep_next=True)
    b.signature(seal=True)


def _annex(b: TemplateBuilder) -> None:
    """Annex № 1: the calculation, by the same tables as the letters', signed (ГПК РФ ст. 132 п. 5)."""
    heading = b.para(
        "Приложение № 1 к {% if court.is_order %}заявлению о выдаче судебного приказа{% else %}исковому заявлению"
        "{% endif %} от {{ document.date_short }}",
        first_line=None,
        align=LEFT,
        size=10,
        italic=True,
        keep_next=True,
    )
    heading.paragraph_format.page_break_before = True
    b.heading("Расчёт взыскиваемой суммы на {{ document.as_of_short }}")
    claim_table(b)
    penalty_table(b)
    b.para(
        "Государственная пошлина ({{ court.duty_citation }}): {{ court.duty_arithmetic }}. Всего к взысканию с "
        "учётом государственной пошлины: {{ court.to_recover_line }}.",
        first_line=None,
        size=11,
        before=4,
    )
    b.tag("{%p if court.until_paid %}")
    b.para(
        "После {{ document.as_of_short }} {% if penalty.is_contract %}неустойка{% else %}проценты{% endif %} "
        "начисляются по день фактической оплаты долга (п. 2 просительной части).",
        first_line=None,
        size=11,
    )
    b.tag("{%p endif %}")
    b.signature(seal=True)


def _build(title: str) -> TemplateBuilder:
    b = TemplateBuilder(title)
    _header(b)
    b.title("{{ court.title }}", "{{ court.subtitle }}", before=14)
    _facts(b)
    _procedure(b)
    _demands(b)
    _attachments_and_signature(b)
    _annex(b)
    b.page_numbers()
    return b


def build_court_order() -> TemplateBuilder:
    return _build("Заявление о выдаче судебного приказа")


def build_claim() -> TemplateBuilder:
    return _build("Исковое заявление о взыскании задолженности")
