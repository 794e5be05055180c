"""Generate the Word templates in templates/ (refusal_act, invoice, overdue_notice,
pretension, debt_statement, court_order, claim, collect_car_notice, payment_reminder,
reconciliation_act, prepayment_notice, instalment_agreement, missed_instalment_notice,
write_off_act) with python-docx: the initial scaffold only.

After this first run the .docx files belong to the lawyer, who edits them in
Word or LibreOffice; rerunning this script OVERWRITES their edits. Usage:
    .venv/bin/python tools/make_templates.py [--out templates]
Every number and word comes from pipeline/wording/context.py; the variables are declared
in pipeline/wording/variables.py (docs/template-variables.md for the lawyer). The two
letters are laid out in letter_templates.py, the debt statement in statement_template.py,
the issue-16 documents in account_templates.py,
the instalment agreement, its demand and the write-off act in agreement_templates.py,
the building blocks in template_builder.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from account_templates import (  # noqa: E402
    build_collect_car_notice,
    build_payment_reminder,
    build_prepayment_notice,
    build_reconciliation_act,
)
from agreement_templates import (  # noqa: E402
    build_instalment_agreement,
    build_missed_instalment_notice,
    build_write_off_act,
)
from court_templates import build_claim, build_court_order  # noqa: E402
from letter_templates import build_overdue_notice, build_pretension  # noqa: E402
from slim_template import slim_package  # noqa: E402
from statement_template import build_debt_statement  # noqa: E402
from template_builder import CENTER, LEFT, RIGHT, TemplateBuilder  # noqa: E402

# The unit column is wide enough for «компл.» at 10 pt: a word never breaks inside it.
LINE_COLUMNS = [(9, CENTER), (70, LEFT), (15, RIGHT), (17, CENTER), (23, RIGHT), (26, RIGHT)]
LINE_HEADER = ["№", "Наименование работ, запасных частей", "Кол-во", "Ед.\u00a0изм.", "Цена, руб.", "Сумма, руб."]


def _line_rows(loop: str) -> list:
    name = ["{{ row.name }}", ("{% if row.note %} ({{ row.note }}){% endif %}", {"italic": True})]
    return [
        f"{{%tr for row in {loop} %}}",
        ["{{ row.number }}", name, "{{ row.qty }}", "{{ row.unit }}", "{{ row.price }}", "{{ row.amount }}"],
        "{%tr endfor %}",
    ]


# --- the refusal act -------------------------------------------------------------------


def _refusal_facts(b: TemplateBuilder) -> None:
    b.numbered(
        "По заказ-наряду № {{ order.number }} от {{ order.date }} Исполнитель — {{ shop.name }} — принял "
        "к выполнению работы по ремонту автомобиля {{ vehicle.line }}{% if vehicle.mileage %}, пробег "
        "{{ vehicle.mileage }}{% endif %} (далее — Автомобиль{% if vehicle.owner %}; собственник — "
        "{{ vehicle.owner }}{% endif %}), переданного Заказчиком {{ client.title_instrumental }}"
        "{% if client.requisites_line %} ({{ client.requisites_line }}){% endif %}, адрес: {{ client.address }}"
        "{% if order.estimate %}. Ориентировочная стоимость ремонта по заказ-наряду — {{ order.estimate.rub }}"
        "{% endif %}."
    )
    b.numbered(
        "{{ refusal.at }} Исполнитель получил заявление Заказчика об отказе от исполнения договора "
        "(от дальнейшего ремонта Автомобиля). Отказ заявлен Заказчиком {{ refusal.channel }}."
        "{% if refusal.reason %} Свой отказ Заказчик объяснил тем, что {{ refusal.reason_reported }}.{% endif %}"
    )


def _refusal_lines(b: TemplateBuilder) -> None:
    b.numbered(
        "До получения отказа Исполнителем выполнены следующие работы и установлены следующие запасные части:",
        keep_next=True,
    )
    b.table(LINE_COLUMNS, LINE_HEADER, _line_rows("lines.done"), totals=[("Итого:", "{{ totals.work_done.text }}")])
    b.tag("{%p if lines.has_expenses %}")
    b.numbered(
        "Для выполнения заказа Исполнителем приобретены и не установлены на Автомобиль следующие запасные "
        "части. Они оплачиваются Заказчиком по фактической стоимости их приобретения как понесённые "
        "Исполнителем расходы и передаются Заказчику вместе с Автомобилем:",
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


def _refusal_payment(b: TemplateBuilder) -> None:
    b.numbered(
        "{{ legal.refusal_ground }} Стоимость выполненных работ и понесённых расходов, подлежащая оплате "
        "Заказчиком, составляет {{ totals.total.full }}, {{ totals.vat_note }}."
        "{% if invoice %} Для оплаты выставлен счёт № {{ invoice.number }} от {{ invoice.date }} со сроком "
        "оплаты до {{ invoice.due_date }}.{% endif %}"
    )
    # Retention only of the client's own car (ГК РФ ст. 712); a fee only where the client agreed it.
    b.numbered(
        "{% if legal.retention %}Автомобиль будет выдан Заказчику после оплаты указанной суммы "
        "(ст. 359, 712 ГК РФ).{% else %}Автомобиль находится у Исполнителя и будет возвращён по требованию "
        "Заказчика.{% endif %}{% if storage %} С {{ storage.start }} Автомобиль находится на хранении у "
        "Исполнителя.{% if storage.has_basis %} Плата за хранение согласована сторонами ({{ storage.basis }}): "
        "{{ storage.terms_line }}; она начисляется по день получения Автомобиля включительно и вносится "
        "Заказчиком при его получении.{% endif %}{% endif %}"
    )
    b.numbered(
        "{% if refusal.client_signed %}Акт составлен в двух экземплярах, по одному для каждой из сторон."
        "{% else %}Заказчик от подписи акта отказался. Копия акта направляется Заказчику заказным письмом с "
        "уведомлением о вручении по адресу: {{ client.address }}.{% endif %}"
    )


def _refusal_signatures(b: TemplateBuilder) -> None:
    b.para("Исполнитель: {{ shop.name }}", first_line=None, bold=True, before=10, keep_next=True)
    b.signature(seal=True)
    b.para("Акт составил: ____________________ {{ refusal.recorded_by }}", first_line=None, before=10, align=LEFT)
    b.tag("{%p if refusal.client_signed %}")
    b.para("Заказчик: {{ client.signer.title }}", first_line=None, bold=True, before=10, keep_next=True)
    b.para(
        "{{ client.signer.acknowledged }}: ____________________ {{ client.signer.initials_name }}",
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


def build_refusal_act() -> TemplateBuilder:
    b = TemplateBuilder("Акт об отказе заказчика от исполнения договора")
    b.letterhead()
    b.title("АКТ № {{ document.number }}", "об отказе заказчика от исполнения договора (от ремонта автомобиля)")
    b.para("{{ document.date }}", align=RIGHT, first_line=None, after=8)
    _refusal_facts(b)
    _refusal_lines(b)
    _refusal_payment(b)
    _refusal_signatures(b)
    b.page_numbers()
    return b


# --- the invoice -------------------------------------------------------------------


def _invoice_header(b: TemplateBuilder) -> None:
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
    b.parties("Исполнитель: ", "Заказчик: ")
    b.para(
        ("Основание: ", {"bold": True}),
        "заказ-наряд № {{ order.number }} от {{ order.date_short }}; автомобиль {{ vehicle.line }}",
        first_line=None,
        after=6,
    )


def _invoice_payment(b: TemplateBuilder) -> None:
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


def build_invoice() -> TemplateBuilder:
    b = TemplateBuilder("Счёт на оплату")
    _invoice_header(b)
    # invoice.is_partial says the same, but only testing refusal itself shows check-templates it is filled.
    b.tag("{%p if refusal %}")
    b.para(
        "{{ refusal.at }} Заказчик отказался от исполнения договора (акт об отказе от {{ refusal.date_short }}). "
        "В соответствии со {{ legal.refusal_articles }} к оплате предъявляются стоимость работ, выполненных "
        "до получения отказа{% if lines.has_expenses %}, и расходы на запасные части, приобретённые для заказа, "
        "по фактической стоимости их приобретения; эти запасные части передаются Заказчику вместе с "
        "автомобилем{% endif %}.",
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
            # Only the advances paid by the invoice's own date: an invoice never changes once issued.
            ("Оплачено на {{ document.date_short }}:", "{{ payments.paid.text }}"),
            ("Остаток к оплате:", "{{ payments.outstanding.text }}"),
            ("{%tr endif %}", ""),
        ],
    )
    b.para("Всего наименований {{ lines.billed_count }}, на сумму {{ totals.total.rub }}", first_line=None)
    b.para("{{ totals.total.words_cap }}", first_line=None, bold=True, after=6)
    _invoice_payment(b)
    b.signature(seal=True)
    return b


BUILDERS = {
    "refusal_act": build_refusal_act,
    "invoice": build_invoice,
    "overdue_notice": build_overdue_notice,
    "pretension": build_pretension,
    "debt_statement": build_debt_statement,
    "collect_car_notice": build_collect_car_notice,
    "payment_reminder": build_payment_reminder,
    "reconciliation_act": build_reconciliation_act,
    "prepayment_notice": build_prepayment_notice,
    "instalment_agreement": build_instalment_agreement,
    "missed_instalment_notice": build_missed_instalment_notice,
    "write_off_act": build_write_off_act,
}
# The court applications (issue 17, points 3–4): court_templates.py.
BUILDERS.update({"court_order": build_court_order, "claim": build_claim})


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
