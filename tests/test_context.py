"""build_context: every printed number, date and word, from hand-built figures."""

from datetime import date

import pytest
from doc_factories import SCENARIOS, scenario

from pipeline.documents import KIND_NAMES as DOCUMENT_KINDS
from pipeline.wording.context import CONTEXT_KEYS, QrCode, build_context

NBSP = "\u00a0"


def context_of(name: str, kind: str, **options) -> dict:
    case, shop, figures = scenario(name)
    return build_context(case, shop, figures, kind, **options)


@pytest.mark.parametrize("kind", DOCUMENT_KINDS)
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_scenario_builds_every_kind_with_the_listed_keys(name, kind):
    assert set(context_of(name, kind)) == set(CONTEXT_KEYS)


@pytest.mark.parametrize(
    ("kind", "number", "day"),
    [
        ("refusal_act", "АО-147", f"«3»{NBSP}сентября 2026{NBSP}г."),  # the day the refusal came
        ("invoice", "147", f"«3»{NBSP}сентября 2026{NBSP}г."),  # the invoice's own date
        ("overdue_notice", "УВ-147", f"«20»{NBSP}октября 2026{NBSP}г."),  # the as-of date
        ("pretension", "ПР-147", f"«20»{NBSP}октября 2026{NBSP}г."),
    ],
)
def test_document_number_and_date_by_kind(kind, number, day):
    document = context_of("ivanov", kind)["document"]
    assert (document["number"], document["date"]) == (number, day)


def test_journal_number_overrides_the_derived_one():
    assert context_of("ivanov", "pretension", document_number="ПР-2026-0012")["document"]["number"] == "ПР-2026-0012"


def test_person_client_block():
    client = context_of("ivanov", "pretension")["client"]
    assert client["addressee_lines"] == ["Иванову Ивану Ивановичу"]
    assert client["salutation"] == "Уважаемый Иван Иванович!"
    assert client["name_genitive"] == "Иванова Ивана Ивановича"
    assert client["is_person"] and not client["is_business"]
    assert client["requisites_line"] == ""


def test_company_is_addressed_through_its_representative_and_never_declined():
    client = context_of("vector", "pretension")["client"]
    assert client["addressee_lines"] == ["Генеральному директору ООО «Вектор»", "Сидорову С. С."]
    assert client["salutation"] == "Уважаемый Сидор Сидорович!"
    assert client["name_dative"] == "ООО «Вектор»"
    assert client["requisites_line"] == "ИНН 5027323640, КПП 502701001, ОГРН 1195040778503"


def test_company_without_representative_gets_the_collective_salutation():
    case, shop, figures = scenario("vector")
    from dataclasses import replace

    case = replace(case, client=replace(case.client, representative=None))
    client = build_context(case, shop, figures, "pretension")["client"]
    assert client["addressee_lines"] == ["ООО «Вектор»"]
    assert client["salutation"] == "Уважаемые господа!"


def test_entrepreneur_client_is_named_with_her_status_in_the_dative():
    client = context_of("sokolova", "pretension")["client"]
    assert client["addressee_lines"] == ["Индивидуальному предпринимателю Соколовой Елене Викторовне"]
    assert client["salutation"] == "Уважаемая Елена Викторовна!"
    assert client["title_genitive"] == "индивидуального предпринимателя Соколовой Елены Викторовны"
    assert client["requisites_line"] == "ИНН 771507055500, ОГРНИП 318773082168408"


def test_shop_signatory_and_in_person_of():
    shop = context_of("ivanov", "invoice")["shop"]
    assert shop["signatory"]["initials_name"] == "Петров П. П."
    assert shop["signatory"]["acting"] == "действующий на основании Устава"
    assert shop["in_person_of"] == (
        "ООО «Автосервис Плюс» в лице генерального директора Петрова Петра Петровича, действующего на основании Устава"
    )
    assert shop["seal"] == "М.П."


def test_vehicle_line_has_only_the_parts_present():
    assert context_of("ivanov", "invoice")["vehicle"]["line"] == (
        "Lada Vesta, 2020 г. в., г/н А123ВС777, VIN XTAGFL110LY123456"
    )
    assert context_of("kuznetsov", "invoice")["vehicle"]["line"] == "Toyota Camry, 2019 г. в., г/н О001ОО177"


def test_refusal_block():
    refusal = context_of("ivanov", "refusal_act")["refusal"]
    assert refusal["at"] == f"«3»{NBSP}сентября 2026{NBSP}г. в 14:30"
    assert refusal["channel"] == "лично"
    assert not refusal["client_signed"]
    assert [w["name"] for w in refusal["witnesses"]] == ["Смирнов А. А.", "Орлова Е. В."]


def test_lines_split_into_billed_done_expenses_and_not_done():
    lines = context_of("ivanov", "refusal_act")["lines"]
    assert [row["name"] for row in lines["billed"]] == [
        "Диагностика ходовой части",
        "Замена рычага передней подвески",
        "Сайлентблоки переднего рычага",
        "Рычаг передний левый, арт. 2190-2904020",
    ]
    partial = lines["billed"][1]
    # 1.5 × 2400 × 40 % = 1440.00
    assert (partial["qty"], partial["price"], partial["amount"]) == ("1,5", f"2{NBSP}400,00", f"1{NBSP}440,00")
    assert partial["note"] == f"выполнено на 40{NBSP}%"
    # The purchased part shows its actual cost (5 900,00), not the order's 6 200,00, and the proof.
    expense = lines["expenses"][0]
    assert (expense["price"], expense["amount"]) == (f"5{NBSP}900,00", f"5{NBSP}900,00")
    assert expense["note"] == "закуплено для заказа, не установлено — расходы; товарная накладная № 4417 от 02.09.2026"
    assert [(row["name"], row["note"]) for row in lines["not_done"]] == [
        ("Замена рычага передней подвески", f"не выполнено на 60{NBSP}%"),
        ("Развал-схождение", "не выполнялось"),
    ]


def test_totals_and_vat():
    totals = context_of("ivanov", "invoice")["totals"]
    # 1500 + 1440 + 1700 = 4640 done; 5900 expenses at cost; 10 540 total; VAT 10540 × 22 / 122 = 1900.66
    assert totals["total"]["rub"] == f"10{NBSP}540,00{NBSP}руб."
    assert totals["total"]["words"] == "десять тысяч пятьсот сорок рублей 00 копеек"
    assert totals["work_done"]["text"] == f"4{NBSP}640,00"
    assert totals["expenses"]["text"] == f"5{NBSP}900,00"
    assert totals["vat_line"] == f"в т.ч. НДС 22{NBSP}%: 1{NBSP}900,66{NBSP}руб."
    assert context_of("sokolova", "invoice")["totals"]["vat_line"] == "Без НДС"


def test_key_rate_penalty_rows_and_grounds():
    context = context_of("ivanov", "pretension")
    penalty = context["penalty"]
    assert penalty["rows"][1] == {
        "start": "11.09.2026",
        "end": "20.10.2026",
        "days": 40,
        "balance": f"8{NBSP}540,00",
        "rate": f"14{NBSP}%",
        "days_in_year": 365,
        "amount": "131,02",  # 8540 × 0.14 × 40 / 365 = 131.0247
        "formula": f"8{NBSP}540,00 × 14{NBSP}% × 40 / 365",
    }
    assert penalty["total_rub"] == f"139,11{NBSP}руб."  # 8.09 + 131.02
    assert "ст. 395 ГК РФ" in context["legal"]["penalty_ground"]
    grounds = " ".join(context["legal"]["grounds"])
    assert "ст. 32 Закона РФ" in grounds and "№ 780" in grounds and "АПК" not in grounds
    # The current title of ст. 395 (since 42-ФЗ of 08.03.2015), not «за пользование чужими …».
    assert "ст. 395 ГК РФ «Ответственность за неисполнение денежного обязательства»" in grounds
    assert "пользование чужими" not in grounds


def test_contract_penalty_replaces_interest_and_business_client_gets_the_apk_procedure():
    context = context_of("vector", "pretension")
    assert context["penalty"]["rate_text"] == f"0,1{NBSP}%"
    ground = context["legal"]["penalty_ground"]
    assert ground.startswith("В соответствии со ст. 330, 331 ГК РФ и п. 5.2 договора-заказ-наряда за просрочку")
    assert "Проценты по ст. 395 ГК РФ не начисляются (п. 4 ст. 395 ГК РФ)" in ground
    assert "не более 1\u00a0797,73\u00a0руб. Проценты" in ground  # one full stop after «руб.»
    assert "ч. 5 ст. 4 АПК РФ" in context["legal"]["pretension_procedure"]
    assert "Закона РФ" not in " ".join(context["legal"]["grounds"])


def test_storage_block():
    storage = context_of("ivanov", "overdue_notice")["storage"]
    # 04.09–20.10: 47 days, 3 free, 44 × 300 = 13 200
    assert storage["days_held_text"] == f"47{NBSP}дней"
    assert storage["paid_days_text"] == f"44{NBSP}дня"
    assert storage["fee_rub"] == f"13{NBSP}200,00{NBSP}руб."
    assert storage["terms_line"] == f"300,00{NBSP}руб. за каждые сутки хранения, первые 3{NBSP}дня — бесплатно"
    assert context_of("vector", "overdue_notice")["storage"] is None


def test_claim_deadlines_and_overdue_days():
    context = context_of("ivanov", "pretension")
    # 8540 + 139.11 + 13200 = 21 879.11
    assert context["claim"]["total"]["full"] == (
        f"21{NBSP}879,11{NBSP}руб. (двадцать одна тысяча восемьсот семьдесят девять рублей 11 копеек)"
    )
    assert context["overdue"]["days_text"] == f"42{NBSP}дня"
    assert context["deadlines"]["pretension_days_text"] == f"10{NBSP}дней"
    assert context["deadlines"]["pretension_period"] == f"10{NBSP}(десяти) календарных дней"
    assert context["deadlines"]["pretension_short"] == "30.10.2026"


def test_invoice_asks_for_the_outstanding_sum_with_the_invoice_purpose():
    payment = context_of("ivanov", "invoice")["payment"]
    assert payment["purpose"] == ("Оплата по счёту № 147 от 03.09.2026 за ремонт автомобиля по заказ-наряду № ЗН-0147")
    # Nothing was paid by the invoice's date 03.09 (the 2 000,00 came on 10.09): all of 10 540,00.
    assert "|Sum=1054000|" in payment["qr_payload"]


def test_letters_ask_for_the_whole_claim():
    context = context_of("ivanov", "pretension")
    assert isinstance(context["qr"], QrCode)
    assert "|Sum=2187911|" in context["qr"].payload  # 21 879,11
    assert context["payment"]["purpose"].endswith("проценты по ст. 395 ГК РФ, хранение автомобиля")


def test_nothing_to_pay_means_no_qr():
    context = context_of("kuznetsov", "invoice")
    assert context["qr"] is None
    assert context["payments"]["is_paid"]


def test_attachments_mention_the_refusal_act_only_after_a_refusal():
    with_refusal = [a["text"] for a in context_of("ivanov", "pretension")["attachments"]]
    without = [a["text"] for a in context_of("vector", "pretension")["attachments"]]
    assert any("акта об отказе" in text for text in with_refusal)
    assert not any("акта об отказе" in text for text in without)
    assert without[-1] == "Расчёт задолженности на 20.11.2026"  # the annex, at the as-of date


def test_a_sent_notice_is_recounted():
    notice = context_of("ivanov", "pretension", notice=("УВ-147", date(2026, 10, 1)))["notice"]
    assert notice["date_short"] == "01.10.2026"
    assert context_of("ivanov", "pretension")["notice"] is None


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        context_of("ivanov", "receipt")


def test_entrepreneur_shop_signs_in_person_without_a_basis_clause():
    shop = context_of("sokolova", "pretension")["shop"]
    assert shop["in_person_of"] == "ИП Морозов Алексей Николаевич"
    assert shop["signature_note"] == "ИП Морозов Алексей Николаевич"
    assert shop["requisites_line"] == "ИНН 500100732259, ОГРНИП 304500116000157"


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_hand_built_figures_agree_with_calc(name):
    # The factories' figures are worked by hand; calc.py must reach the same ones.
    calc = pytest.importorskip("pipeline.figures.calc")
    rates = pytest.importorskip("pipeline.figures.rates")
    case, shop, figures = scenario(name)
    computed = calc.compute_figures(case, shop, figures.as_of, rates.load_key_rates(), allow_unconfirmed_rates=True)
    for field in ("total", "vat", "due_date", "paid", "outstanding", "days_overdue", "penalty", "storage"):
        assert getattr(computed, field) == getattr(figures, field), field
    assert computed.claim_total == figures.claim_total
