"""The instalment agreement with its payment schedule, the demand of the remainder after a missed
instalment, and the write-off act, as tools/make_templates.py generates them (issue 16, points 3, 6).

The sources of every article they cite are in docs/legal-basis.md.
"""

from __future__ import annotations

from template_builder import CENTER, LEFT, RIGHT, TemplateBuilder

SCHEDULE_COLUMNS = [(15, CENTER), (85, CENTER), (60, RIGHT)]


# --- the instalment agreement ------------------------------------------------------------------


def _agreement_parties(b: TemplateBuilder) -> None:
    b.para(
        "{{ shop.in_person_of }} (далее — Кредитор), с одной стороны, и {{ client.title }}"
        "{% if client.requisites_line %} ({{ client.requisites_line }}){% endif %}, адрес: {{ client.address }} "
        "(далее — Должник), с другой стороны, вместе именуемые Стороны, заключили настоящее соглашение о "
        "нижеследующем:",
        after=4,
    )


def _agreement_terms(b: TemplateBuilder) -> None:
    b.numbered(
        "По заказ-наряду № {{ order.number }} от {{ order.date }} Кредитор выполнил для Должника работы по "
        "ремонту автомобиля {{ vehicle.line }}{% if invoice %}; для их оплаты выставлен счёт № {{ invoice.number }} "
        "от {{ invoice.date_short }} со сроком оплаты до {{ invoice.due_date_short }}{% endif %}. Должник признаёт, "
        "что на дату настоящего соглашения его задолженность перед Кредитором составляет {{ instalments.total.full }}"
        "{% if instalments.other %}, в том числе основной долг — {{ instalments.principal.rub }}, неустойка "
        "(проценты) и иные платежи — {{ instalments.other.rub }}{% endif %}, и обязуется её уплатить."
    )
    b.numbered(
        "Кредитор предоставляет Должнику рассрочку: задолженность погашается в {{ instalments.count_text }} в сроки "
        "и в суммах, указанных в графике платежей (приложение № 1), который является неотъемлемой частью "
        "настоящего соглашения. Если последний день платежа приходится на нерабочий день, платёж вносится не "
        "позднее следующего за ним рабочего дня (ст. 193 ГК РФ). Должник вправе погасить задолженность досрочно "
        "полностью или частично."
    )
    b.numbered(
        "Платежи вносятся наличными или банковской картой в кассе Кредитора по адресу: {{ shop.address }}, либо "
        "безналичным переводом на расчётный счёт Кредитора: {{ shop.bank.line }}, с назначением платежа «Оплата "
        "по соглашению о рассрочке № {{ document.number }} от {{ document.date_short }}». Платёж считается "
        "внесённым в день поступления денежных средств в кассу или на расчётный счёт Кредитора."
    )
    # The acceleration is contractual: ГК РФ ст. 811 п. 2 gives it by law only to a lender (docs/legal-basis.md).
    b.numbered(
        "При нарушении Должником срока внесения любого платежа по графику Кредитор вправе потребовать досрочной "
        "оплаты всей оставшейся суммы задолженности, а Должник обязан уплатить её в течение "
        "{{ deadlines.pretension_period }} со дня получения такого требования. Стороны согласовали это условие "
        "своей волей (ст. 421 ГК РФ)."
    )
    b.numbered(
        "Пока Должник вносит платежи в соответствии с графиком, Кредитор не обращается в суд за взысканием "
        "задолженности."
    )
    b.numbered(
        "Подписывая настоящее соглашение, Должник совершает действие, свидетельствующее о признании долга: "
        "течение срока исковой давности прерывается и начинается заново (ст. 203 ГК РФ, п. 20 постановления "
        "Пленума Верховного Суда РФ от 29.09.2015 № 43)."
    )
    b.numbered(
        "Соглашение вступает в силу с момента его подписания Сторонами и действует до полного исполнения "
        "Должником обязательства по оплате. Соглашение составлено в двух экземплярах, имеющих одинаковую "
        "юридическую силу, по одному для каждой из Сторон.",
        keep_next=True,
    )


def _signatures(b: TemplateBuilder, with_requisites: bool) -> None:
    """The two parties side by side in one row that never splits: the Creditor with its signatory and
    seal, the Debtor."""
    creditor = ["{{ shop.name }}"]
    debtor = ["{{ client.title }}"]
    if with_requisites:
        creditor += ["{{ shop.requisites_line }}", "{{ shop.address }}", "{{ shop.bank.line }}"]
        debtor += ["{% if client.requisites_line %}{{ client.requisites_line }}, {% endif %}{{ client.address }}"]
    b.para("", first_line=None, size=8, keep_next=True)
    table = b.plain_table([["", ""], ["", ""]], [(80, LEFT), (80, LEFT)])
    (left, right), (left_sign, right_sign) = (row.cells for row in table.rows)
    line = {"first_line": None, "align": LEFT, "size": 11}
    for cell, label, lines in ((left, "Кредитор:", creditor), (right, "Должник:", debtor)):
        b.para(label, bold=True, keep_next=True, container=cell, **line)
        for text in lines:
            b.para(text, keep_next=True, container=cell, **line)
    b.para("{{ shop.signatory.position }}", before=8, container=left_sign, **line)
    b.para("____________ {{ shop.signatory.initials_name }}", container=left_sign, **line)
    b.para("{{ shop.seal }}", container=left_sign, **line)
    b.para("", before=8, container=right_sign, **line)
    b.para("____________ {{ client.signer.initials_name }}", container=right_sign, **line)


def _schedule_annex(b: TemplateBuilder) -> None:
    annex = b.para(
        "Приложение № 1 к соглашению № {{ document.number }} от {{ document.date_short }}",
        align=RIGHT,
        first_line=None,
        italic=True,
        after=4,
    )
    annex.paragraph_format.page_break_before = True
    b.title("ГРАФИК ПЛАТЕЖЕЙ", before=6)
    b.table(
        SCHEDULE_COLUMNS,
        ["№", "Срок платежа (не позднее)", "Сумма, руб."],
        [
            "{%tr for row in instalments.rows %}",
            ["{{ row.number }}", "{{ row.date_short }}", "{{ row.amount }}"],
            "{%tr endfor %}",
        ],
        totals=[("Итого:", "{{ instalments.total.text }}")],
        font_size=11,
    )
    b.para("Итого к уплате по графику: {{ instalments.total.full }}.", first_line=None, after=4)
    _signatures(b, with_requisites=False)


def build_instalment_agreement() -> TemplateBuilder:
    b = TemplateBuilder("Соглашение о признании долга и рассрочке его погашения")
    b.title("СОГЛАШЕНИЕ № {{ document.number }}", "о признании долга и рассрочке его погашения", before=0)
    b.para("{{ document.date }}", align=RIGHT, first_line=None, after=8)
    _agreement_parties(b)
    _agreement_terms(b)
    _signatures(b, with_requisites=True)
    _schedule_annex(b)
    b.page_numbers()
    return b


# --- the demand of the remainder after a missed instalment -------------------------------------


def build_missed_instalment_notice() -> TemplateBuilder:
    b = TemplateBuilder("Требование о досрочной оплате оставшейся суммы долга")
    b.letterhead()
    b.outgoing_number()
    b.addressee()
    b.title(
        "ТРЕБОВАНИЕ",
        "о досрочной оплате оставшейся суммы долга по соглашению о рассрочке от {{ instalments.date_short }}",
    )
    b.para("{{ client.salutation }}", align=CENTER, first_line=None, after=6)
    b.para(
        "{{ instalments.date }} между {{ shop.name }} (далее — Исполнитель) и Вами заключено соглашение о признании "
        "долга и рассрочке его погашения. По нему Вы признали задолженность за ремонт автомобиля {{ vehicle.line }} "
        "по заказ-наряду № {{ order.number }} от {{ order.date_short }} в размере {{ instalments.total.full }} и "
        "обязались погасить её в {{ instalments.count_text }} по графику с {{ instalments.first_date_short }} по "
        "{{ instalments.last_date_short }}."
    )
    b.para(
        "Платёж со сроком {{ instalments.missed.date_short }} в сумме {{ instalments.missed.amount }} в установленный "
        "срок{% if instalments.missed.last_day_short != instalments.missed.date_short %} (с переносом на рабочий "
        "день — по {{ instalments.missed.last_day_short }}){% endif %} полностью не внесён. "
        "{% if instalments.has_payments %}Всего по соглашению от Вас поступило {{ instalments.paid.rub }}. "
        "{% else %}Платежи по соглашению от Вас не поступали. {% endif %}Оставшаяся сумма задолженности на "
        "{{ document.as_of_short }} составляет {{ instalments.remainder.full }}."
    )
    b.para(
        "По условиям соглашения при нарушении срока внесения любого платежа по графику Исполнитель вправе "
        "потребовать досрочной оплаты всей оставшейся суммы задолженности, а Вы обязаны уплатить её в течение "
        "{{ deadlines.pretension_period }} со дня получения требования. Обязательства должны исполняться "
        "надлежащим образом в соответствии с их условиями; односторонний отказ от их исполнения не допускается "
        "(ст. 309, 310 ГК РФ)."
    )
    b.para(
        "На основании изложенного {{ shop.voice.demand }} в течение {{ deadlines.pretension_period }} со дня "
        "получения настоящего требования оплатить оставшуюся сумму задолженности — {{ instalments.remainder.full }}.",
        bold=True,
        before=4,
    )
    b.para(
        ("Способы оплаты: ", {"bold": True}),
        "наличными или банковской картой в кассе Исполнителя по адресу: {{ shop.address }}; безналичным переводом "
        "на расчётный счёт Исполнителя: {{ shop.bank.line }}, получатель {{ shop.name }}, ИНН {{ shop.inn }}. "
        "Назначение платежа: «Оплата по соглашению о рассрочке от {{ instalments.date_short }}».",
        first_line=None,
        before=4,
        after=4,
    )
    b.para(
        "Подписав соглашение, Вы признали долг, и срок исковой давности начал течь заново (ст. 203 ГК РФ). В случае "
        "неоплаты в указанный срок {{ legal.court }}. {{ legal.costs }}"
        "{% if legal.pretension_procedure %} {{ legal.pretension_procedure }}{% endif %}"
    )
    b.para(
        "Если оплата уже произведена, {{ shop.voice.ask }} сообщить об этом по телефону {{ shop.phone }}"
        "{% if shop.email %} или по электронной почте {{ shop.email }}{% endif %}.",
        keep_next=True,
    )
    b.signature(closing="С уважением,", seal=True)
    b.page_numbers()
    return b


# --- the write-off act -------------------------------------------------------------------------


def _write_off_facts(b: TemplateBuilder) -> None:
    b.numbered(
        "Должник: {{ client.title }}{% if client.requisites_line %}, {{ client.requisites_line }}{% endif %}, "
        "адрес: {{ client.address }}."
    )
    b.numbered(
        "Основание возникновения задолженности: заказ-наряд № {{ order.number }} от {{ order.date_short }} на "
        "ремонт автомобиля {{ vehicle.line }}{% if invoice %}; счёт № {{ invoice.number }} от "
        "{{ invoice.date_short }} на сумму {{ totals.total.rub }}, срок оплаты — не позднее "
        "{{ invoice.due_date_short }}{% endif %}."
    )
    b.numbered(
        "{% if payments.has_payments %}Оплачено должником: {{ payments.summary }}; всего {{ payments.paid.rub }}."
        "{% else %}Оплата от должника не поступала.{% endif %} Основной долг на {{ write_off.date_short }} — "
        "{{ write_off.principal.full }}."
    )


def _write_off_limitation(b: TemplateBuilder) -> None:
    b.tag("{%p if write_off.limitation %}")
    b.numbered(
        "Срок исковой давности — три года (п. 1 ст. 196 ГК РФ); по обязательству с определённым сроком исполнения "
        "он течёт по окончании срока исполнения (п. 2 ст. 200 ГК РФ), прерывается признанием долга (ст. 203 ГК РФ) "
        "и не течёт, пока осуществляется судебная защита (ст. 204 ГК РФ). Частичная оплата не прерывает его в "
        "отношении остальной части долга (п. 20 постановления Пленума Верховного Суда РФ от 29.09.2015 № 43). "
        "Расчёт срока:",
        keep_next=True,
    )
    b.tag("{%p for step in write_off.limitation.steps %}")
    b.para("— {{ step }};", first_line=None, left_cm=1.25)
    b.tag("{%p endfor %}")
    b.para(
        "{% if write_off.time_barred %}срок исковой давности истёк {{ write_off.limitation.end_short }}."
        "{% else %}срок исковой давности истекает {{ write_off.limitation.end_short }}.{% endif %}",
        first_line=None,
        left_cm=1.25,
        after=3,
    )
    b.tag("{%p endif %}")


def _write_off_decision(b: TemplateBuilder) -> None:
    b.numbered("Основание списания: {{ write_off.reason }}.")
    b.numbered(
        "Задолженность {{ client.title_genitive }} в сумме {{ write_off.principal.full }} признать нереальной к "
        "взысканию и списать{% if write_off.time_barred %} как задолженность с истёкшим сроком исковой давности"
        "{% endif %} по данным инвентаризации расчётов, на основании настоящего акта и приказа (распоряжения) "
        "руководителя (п. 77 Положения по ведению бухгалтерского учёта и бухгалтерской отчётности в Российской "
        "Федерации, утв. приказом Минфина России от 29.07.1998 № 34н).{% if write_off.tax_note %} "
        "{{ write_off.tax_note }}{% endif %}"
    )
    b.numbered(
        "Списание задолженности в учёте не прощает долг и не прекращает обязательство должника: оплата, "
        "поступившая после списания, принимается в погашение задолженности.",
        keep_next=True,
    )


def build_write_off_act() -> TemplateBuilder:
    b = TemplateBuilder("Акт о списании задолженности")
    b.letterhead()
    b.title("АКТ № {{ document.number }}", "о списании задолженности")
    b.para("{{ document.date }}", align=RIGHT, first_line=None, after=8)
    _write_off_facts(b)
    _write_off_limitation(b)
    _write_off_decision(b)
    b.signature(seal=True)
    b.para("Главный бухгалтер: ____________________", first_line=None, align=LEFT, before=10)
    b.page_numbers()
    return b
