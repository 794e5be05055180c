"""Points 5 and 8: consumer or business is decided by the order's purpose (a person is a
consumer, a company is not, an entrepreneur only with order.personal_use: true), which decides
the grounds, the default pretension period (АПК РФ ч. 5 ст. 4) and the court; the shop speaks as
itself; terms are spelt out; names are declined in every position; a company signs through its
representative with the basis of their authority; the client's reason is reported."""

from dataclasses import replace
from pathlib import Path

import pytest
from doc_factories import (
    entrepreneur_shop,
    ivanov_case,
    ivanov_figures,
    make_shop,
    sokolova_case,
    sokolova_figures,
    vector_case,
    vector_figures,
)
from test_golden import docx_text

from pipeline.inputs.validate import validate_inputs
from pipeline.models import Representative
from pipeline.word.render import TemplateCache, render_docx_bytes
from pipeline.wording.context import build_context

ROOT = Path(__file__).resolve().parent.parent
NBSP = "\u00a0"
CACHE = TemplateCache()


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


def rendered(kind: str, case, figures, shop=None) -> str:
    context = build_context(case, shop or make_shop(), figures, kind)
    return plain(docx_text(render_docx_bytes(ROOT / "templates" / f"{kind}.docx", context, CACHE)))


# --- consumer or business: the order's purpose ------------------------------------------

CLIENTS = {
    "person": "  kind: person\n  name: Иванов Иван Иванович\n",
    "company": '  kind: company\n  name: ООО «Вектор»\n  inn: "5027323640"\n  kpp: "502701001"\n',
    "entrepreneur": '  kind: entrepreneur\n  name: Соколова Елена Викторовна\n  inn: "771507055500"\n',
}


def load_case(tmp_path: Path, kind: str, order_extra: str = "", terms: str = ""):
    text = (
        f"id: T-{kind}\nclient:\n{CLIENTS[kind]}  address: 101000, г. Москва, ул. Ленина, д. 1\n"
        "vehicle:\n  make: Lada\n  model: Vesta\n"
        f"order:\n  number: ЗН-1\n  date: 2026-09-01\n{order_extra}"
        "work:\n  - name: Диагностика\n    kind: labor\n    qty: 1\n    price: 1500.00\n    status: done\n" + terms
    )
    path = tmp_path / f"{kind}.yaml"
    path.write_text(text, encoding="utf-8")
    inputs = validate_inputs([path], ROOT / "shop.yaml")
    assert inputs.problems == ()
    return inputs.cases[0]


@pytest.mark.parametrize(
    ("kind", "order_extra", "consumer", "days"),
    [
        ("person", "", True, 10),  # a person is a consumer: the shop's 10 days
        ("company", "", False, 30),  # a company never is: 30 calendar days (АПК РФ ч. 5 ст. 4)
        ("entrepreneur", "", False, 30),  # an entrepreneur's order is a business one by default
        ("entrepreneur", "  personal_use: true\n", True, 10),  # … unless it is for personal use
    ],
)
def test_the_orders_purpose_decides_consumer_or_business_and_the_pretension_period(
    tmp_path, kind, order_extra, consumer, days
):
    case = load_case(tmp_path, kind, order_extra)
    assert (case.is_consumer, case.terms.pretension_response_days) == (consumer, days)


def test_the_cases_own_terms_override_the_business_default(tmp_path):
    case = load_case(tmp_path, "company", terms="terms:\n  pretension_response_days: 15\n")
    assert case.terms.pretension_response_days == 15


def test_an_entrepreneurs_business_order_gets_no_consumer_law_and_the_arbitration_court():
    legal = build_context(sokolova_case(), entrepreneur_shop(), sokolova_figures(), "pretension")["legal"]
    assert legal["consumer_rules"] == "" and "Закона РФ" not in " ".join(legal["grounds"])
    assert "арбитражный суд" in legal["court"] and "ч. 5 ст. 4 АПК РФ" in legal["pretension_procedure"]


def test_an_entrepreneurs_personal_order_is_a_consumers():
    case = sokolova_case(order=replace(sokolova_case().order, personal_use=True))
    context = build_context(case, entrepreneur_shop(), sokolova_figures(), "pretension")
    assert context["client"]["is_consumer"] and context["client"]["is_entrepreneur"]
    assert "№ 780" in context["legal"]["consumer_rules"]
    assert context["legal"]["court"].startswith("Исполнитель будет вынужден обратиться в суд с заявлением")
    assert context["legal"]["pretension_procedure"] == ""


# --- the shop speaks as itself; terms spelt out --------------------------------------------


def test_a_company_demands_in_the_plural():
    # Vector: claim 12 977,25 + 492,18 = 13 469,43; a company's order: 30 days.
    assert (
        "На основании изложенного требуем в течение 30 (тридцати) календарных дней со дня получения настоящей "
        "претензии оплатить задолженность в общей сумме 13 469,43 руб. (тринадцать тысяч четыреста шестьдесят "
        "девять рублей 43 копейки)."
    ) in rendered("pretension", vector_case(), vector_figures())
    assert "требуем в течение 10 (десяти) календарных дней со дня получения" in rendered(
        "pretension", ivanov_case(), ivanov_figures()
    )


def test_an_entrepreneur_demands_in_person():
    # Sokolova for ИП Морозов: claim 4 600,00 + 86,46 = 4 686,46; her business order: 30 days.
    text = rendered("pretension", sokolova_case(), sokolova_figures(), entrepreneur_shop())
    assert (
        "На основании изложенного требую в течение 30 (тридцати) календарных дней со дня получения настоящей "
        "претензии оплатить задолженность в общей сумме 4 686,46 руб. (четыре тысячи шестьсот восемьдесят шесть "
        "рублей 46 копеек)."
    ) in text
    assert "Рассчитываю на добросовестное исполнение Вами обязательств" in text
    notice = rendered("overdue_notice", sokolova_case(), sokolova_figures(), entrepreneur_shop())
    assert "Прошу в срок до" in notice and "Просим" not in notice and "Рассчитываю на урегулирование" in notice


# --- declension and who signs --------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (ivanov_case(), "переданного Заказчиком Ивановым Иваном Ивановичем, адрес:"),
        (
            sokolova_case(refusal=ivanov_case().refusal),
            "переданного Заказчиком индивидуальным предпринимателем Соколовой Еленой Викторовной "
            "(ИНН 771507055500, ОГРНИП 318773082168408), адрес:",
        ),
        (
            vector_case(refusal=ivanov_case().refusal),
            "переданного Заказчиком ООО «Вектор» (ИНН 5027323640, КПП 502701001, ОГРН 1195040778503), адрес:",
        ),
    ],
    ids=["person", "entrepreneur", "company"],
)
def test_the_client_who_handed_the_car_over_is_in_the_instrumental(case, expected):
    assert expected in rendered("refusal_act", case, ivanov_figures())


def signed(case):
    return replace(case, refusal=replace(ivanov_case().refusal, client_signed=True, witnesses=()))


def test_a_company_signs_through_its_representative_with_the_basis_of_authority():
    act = rendered("refusal_act", signed(vector_case()), ivanov_figures())
    assert (
        "Заказчик: ООО «Вектор» в лице генерального директора Сидорова Сидора Сидоровича, действующего на "
        "основании Устава"
    ) in act
    assert "С актом ознакомлен, один экземпляр получил: ____________________ Сидоров С. С." in act


def test_a_woman_signing_is_agreed_with():
    director = Representative("Петрова Мария Сергеевна", "Директор", "доверенности № 7 от 01.02.2026")
    case = signed(vector_case(client=replace(vector_case().client, representative=director)))
    act = rendered("refusal_act", case, ivanov_figures())
    assert (
        "Заказчик: ООО «Вектор» в лице директора Петровой Марии Сергеевны, действующей на основании "
        "доверенности № 7 от 01.02.2026"
    ) in act
    assert "С актом ознакомлена, один экземпляр получила: ____________________ Петрова М. С." in act
    female_client = signed(ivanov_case(client=replace(ivanov_case().client, name="Иванова Анна Петровна")))
    assert "С актом ознакомлена, один экземпляр получила: ____________________ Иванова А. П." in rendered(
        "refusal_act", female_client, ivanov_figures()
    )


def test_the_shop_signature_note_agrees_with_the_position():
    shop = build_context(ivanov_case(), make_shop(), ivanov_figures(), "invoice")["shop"]
    assert shop["signature_note"] == "Генеральный директор ООО «Автосервис Плюс», действующий на основании Устава"


# --- the client's reason, reported ---------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "sentence"),
    [
        (
            "считает стоимость ремонта завышенной",
            "Свой отказ Заказчик объяснил тем, что считает стоимость ремонта завышенной.",
        ),
        # An old case written about the client in the third person is reported, not quoted.
        (
            "Клиент счёл стоимость ремонта завышенной.",
            "Свой отказ Заказчик объяснил тем, что счёл стоимость ремонта завышенной.",
        ),
    ],
)
def test_the_clients_reason_is_reported(reason, sentence):
    case = ivanov_case(refusal=replace(ivanov_case().refusal, reason=reason))
    act = rendered("refusal_act", case, ivanov_figures())
    assert sentence in act
    assert "«Клиент" not in act and "со слов Заказчика" not in act
