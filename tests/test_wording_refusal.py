"""Points 4, 7 and 9: what a client who refuses pays (ГК РФ ст. 717, ЗоЗПП ст. 32) — parts
bought for the order at their actual cost, handed over with the car, the estimate checked
(ЗоЗПП ст. 33); a lawful refusal is never called «не допускается»; an unsigned act goes to the
client by registered letter, witnessed by two. Arithmetic and reasoning in the comments."""

from dataclasses import replace
from datetime import datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
from doc_factories import ivanov_case, ivanov_figures, make_shop, vector_case, vector_figures
from factories import make_case, make_line
from test_golden import docx_text

from pipeline.figures.calc import compute_line_amount
from pipeline.figures.case_warnings import case_warnings
from pipeline.models import Refusal
from pipeline.word.render import TemplateCache, render_docx_bytes
from pipeline.wording.context import build_context

ROOT = Path(__file__).resolve().parent.parent
NBSP = "\u00a0"
CACHE = TemplateCache()
KINDS = ("refusal_act", "invoice", "overdue_notice", "pretension")
FORBIDDEN = "односторонний отказ от исполнения обязательства не допускается"


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


def rendered(kind: str, case, figures) -> str:
    context = build_context(case, make_shop(), figures, kind)
    return plain(docx_text(render_docx_bytes(ROOT / "templates" / f"{kind}.docx", context, CACHE)))


def refused(signed: bool = False, witnesses: tuple[str, ...] = ("Смирнов А. А., автослесарь",)) -> Refusal:
    return Refusal(
        datetime(2026, 10, 6, 11, 0), "in_person", "Кузнецов К. К., мастер-приёмщик", signed, None, witnesses
    )


def vector_refused():
    """ООО «Вектор» refuses and its director signs the act."""
    return vector_case(refusal=refused(signed=True, witnesses=()))


# --- what a purchased part costs the client ---------------------------------------------


def test_a_purchased_part_is_charged_at_its_actual_cost():
    # 2 × 2 950,00 actually paid to the supplier = 5 900,00, not the order's 2 × 3 100,00 = 6 200,00.
    line = make_line("Рычаг", kind="part", qty="2", price="3100.00", status="not_started", purchased=True,
                     purchase_cost="2950.00")  # fmt: skip
    assert compute_line_amount(line) == D("5900.00")


def test_without_a_cost_the_order_price_is_used_and_the_run_warns():
    line = make_line("Рычаг", kind="part", qty="2", price="3100.00", status="not_started", purchased=True)
    assert compute_line_amount(line) == D("6200.00")  # 2 × 3 100,00
    case = make_case(work=(make_line(), line))
    assert case_warnings(case) == [
        "case.yaml: work[2] «Рычаг»: закупленная деталь предъявлена по цене заказ-наряда — укажите "
        "purchase_cost, фактическую стоимость закупки по документу поставщика"
    ]


def test_the_act_and_the_invoice_hand_the_part_over_with_the_car():
    act = rendered("refusal_act", ivanov_case(), ivanov_figures())
    assert (
        "Для выполнения заказа Исполнителем приобретены и не установлены на Автомобиль следующие запасные части. "
        "Они оплачиваются Заказчиком по фактической стоимости их приобретения как понесённые Исполнителем расходы "
        "и передаются Заказчику вместе с Автомобилем:"
    ) in act
    # The row shows the cost actually paid (5 900,00) and the supplier's document that proves it.
    assert (
        "1 | Рычаг передний левый, арт. 2190-2904020 (закуплено для заказа, не установлено — расходы; товарная "
        "накладная № 4417 от 02.09.2026) | 1 | шт. | 5 900,00 | 5 900,00"
    ) in act
    invoice = rendered("invoice", ivanov_case(), ivanov_figures())
    assert (
        "к оплате предъявляются стоимость работ, выполненных до получения отказа, и расходы на запасные части, "
        "приобретённые для заказа, по фактической стоимости их приобретения; эти запасные части передаются "
        "Заказчику вместе с автомобилем."
    ) in invoice


# --- the estimate (ЗоЗПП ст. 33; ГК РФ ст. 709 п. 5) ---------------------------------------


def estimate_case(estimate: str, kind: str = "person"):
    # Order lines at full price: 1 × 6 000,00 + 2 × 2 500,00 = 11 000,00, whatever was done.
    work = (make_line(price="6000.00"), make_line("Работа 2", qty="2", price="2500.00", status="not_started"))
    case = make_case(work=work, refused=True)
    return replace(case, order=replace(case.order, estimate=D(estimate)), client=replace(case.client, kind=kind))


def test_an_order_above_its_estimate_warns_with_the_consumer_law():
    assert case_warnings(estimate_case("10000.00")) == [
        "case.yaml: работы и запчасти заказ-наряда стоят 11000.00 руб., больше сметы 10000.00 руб.: превышение "
        "оплачивается, только если заказчика своевременно предупредили и он согласился (ст. 33 Закона «О защите "
        "прав потребителей»)"
    ]


def test_a_business_order_above_its_estimate_warns_with_the_civil_code():
    assert case_warnings(estimate_case("10000.00", kind="company"))[0].endswith("(п. 5 ст. 709 ГК РФ)")


def test_an_order_within_its_estimate_is_quiet():
    assert case_warnings(estimate_case("11000.00")) == []  # 11 000,00 is not above 11 000,00


# --- a lawful refusal ------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_no_refusal_letter_calls_the_refusal_unlawful(kind):
    assert FORBIDDEN not in rendered(kind, ivanov_case(), ivanov_figures())
    assert FORBIDDEN not in rendered(kind, vector_refused(), vector_figures())


def test_a_consumer_must_pay_the_work_done_and_the_expenses():
    legal = build_context(ivanov_case(), make_shop(), ivanov_figures(), "pretension")["legal"]
    assert (
        legal["payment_duty"]
        == legal["refusal_ground"]
        == (
            "В соответствии со ст. 309, 717, п. 2 ст. 731 ГК РФ и ст. 32 Закона РФ от 07.02.1992 № 2300-1 «О защите "
            "прав потребителей» заказчик вправе в любое время до сдачи ему результата работы отказаться от исполнения "
            "договора, но обязан оплатить исполнителю часть цены пропорционально работе, выполненной до получения "
            "извещения об отказе, и фактически понесённые исполнителем расходы."
        )
    )


def test_a_business_client_must_pay_the_work_done_and_the_losses_without_the_consumer_law():
    legal = build_context(vector_refused(), make_shop(), vector_figures(), "pretension")["legal"]
    assert legal["payment_duty"] == (
        "В соответствии со ст. 309, 717 ГК РФ заказчик вправе в любое время до сдачи ему результата работы "
        "отказаться от исполнения договора, но обязан уплатить подрядчику часть установленной цены пропорционально "
        "части работы, выполненной до получения извещения об отказе заказчика от исполнения договора, и возместить "
        "подрядчику убытки, в том числе расходы на приобретённые для заказа запасные части."
    )


def test_without_a_refusal_the_client_may_not_refuse_to_pay():
    legal = build_context(vector_case(), make_shop(), vector_figures(), "pretension")["legal"]
    assert legal["payment_duty"].endswith(FORBIDDEN + ".")


# --- the act the client did not sign -----------------------------------------------------


def test_an_unsigned_act_goes_to_the_client_by_registered_letter():
    act = rendered("refusal_act", ivanov_case(), ivanov_figures())
    assert (
        "Заказчик от подписи акта отказался. Копия акта направляется Заказчику заказным письмом с уведомлением "
        "о вручении по адресу: 101000, г. Москва, ул. Ленина, д. 1, кв. 2."
    ) in act
    assert "в двух экземплярах" not in act


def test_a_signed_act_is_made_in_two_copies():
    case = ivanov_case(refusal=replace(ivanov_case().refusal, client_signed=True, witnesses=()))
    act = rendered("refusal_act", case, ivanov_figures())
    assert "Акт составлен в двух экземплярах, по одному для каждой из сторон." in act
    assert "заказным письмом" not in act


def test_one_witness_is_a_warning_two_are_the_norm():
    one = make_case(refused=True)
    one = replace(one, refusal=refused(witnesses=("Смирнов А. А., автослесарь",)))
    assert case_warnings(one) == [
        "case.yaml: refusal.witnesses: отказ от подписи удостоверяет один свидетель, обычно их двое — добавьте второго"
    ]
    two = replace(one, refusal=refused(witnesses=("Смирнов А. А., автослесарь", "Орлова Е. В., администратор")))
    assert case_warnings(two) == []
    assert case_warnings(replace(one, refusal=refused(signed=True, witnesses=()))) == []
