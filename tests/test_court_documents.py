"""The court applications (court_order, claim): which case gets which, the price of the claim and
the duty worked by hand, the demands (interest or a penalty to the day of payment, never past a
penalty's cap), the debtor as ГПК РФ ст. 124 names him with the unknown marked, the attachments."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.commands.check_templates import SAMPLE_AS_OF
from pipeline.commands.steps import court_plan_of, document_context
from pipeline.errors import CalculationError
from pipeline.figures.calc import compute_figures
from pipeline.figures.court_filing import filing_problem, pretension_period_run
from pipeline.figures.rates import load_key_rates
from pipeline.inputs.validate import validate_inputs
from pipeline.models import Court, SentLetter
from pipeline.wording.court_wording import court_addressee, person_lines

ROOT = Path(__file__).resolve().parent.parent
INPUTS = validate_inputs([ROOT / "cases"], ROOT / "shop.yaml")
SHOP = INPUTS.shop
CASES = {Path(case.source).stem: case for case in INPUTS.cases}


def example(stem: str, **changes):
    case = replace(CASES[stem], **changes)
    figures = compute_figures(case, SHOP, SAMPLE_AS_OF, load_key_rates(), allow_unconfirmed_rates=True)
    return case, figures


def court_context(stem: str, kind: str, sent=(), **changes) -> dict:
    case, figures = example(stem, **changes)
    return document_context(case, SHOP, figures, kind, sent)["court"]


def test_a_consumer_court_order_with_its_duty_worked_by_hand():
    # Смирнова, on 23.11.2026: the debt 24 940,50 − 5 000,00 = 19 940,50;
    # interest (ст. 395, 14 %): 24 940,50 × 14 % × 12 / 365 = 114,79 (24.09–05.10)
    #                         + 19 940,50 × 14 % × 49 / 365 = 374,77 (06.10–23.11) = 489,56;
    # price 19 940,50 + 489,56 = 20 430,06 ≤ 500 000: a court order before the magistrate.
    # Duty: an action's ≤ 100 000 is 4 000 (подп. 1 п. 1 ст. 333.19 НК РФ); an order half: 2 000.
    court = court_context("smirnova-unpaid", "court_order")
    assert court["addressee"] == "Мировому судье судебного участка № 217 района Зюзино г. Москвы"
    assert (court["price"], court["duty"], court["to_recover"]) == (
        "20\u00a0430,06\u00a0руб.",
        "2\u00a0000,00\u00a0руб.",
        "22\u00a0430,06\u00a0руб.",
    )
    assert court["duty_citation"] == "подп. 2 п. 1 ст. 333.19 НК РФ"
    assert (court["claimant_label"], court["debtor_label"]) == ("Взыскатель", "Должник")
    assert len(court["demands"]) == 1 and court["until_paid"] == ""  # an order asks for a fixed sum
    assert "по день" not in court["demands"][0]
    assert court["copy_sent"] == ""  # the magistrate sends the debtor its copy


def test_the_unknown_identifiers_of_a_person_debtor_are_printed_as_unknown():
    lines = court_context("smirnova-unpaid", "court_order")["debtor_lines"]
    assert lines[2:5] == [
        "дата и место рождения: взыскателю неизвестны",
        "место работы: неизвестно",
        "идентификаторы (СНИЛС, ИНН, серия и номер паспорта, водительского удостоверения, свидетельства о "
        "регистрации транспортного средства): взыскателю неизвестны",
    ]


def test_the_known_identifiers_are_printed_and_an_action_says_the_claimant():
    client = CASES["ivanov-refusal"].client
    assert person_lines(client, "истцу")[1:4] == [
        "дата и место рождения: 12.03.1985, г. Тверь",
        "место работы: неизвестно",
        "идентификаторы: паспорт 45 12 345678",
    ]
    half_known = replace(client, birth_place=None, passport=None, snils="112-233-445 95")
    assert person_lines(half_known)[1:4] == [
        "дата и место рождения: 12.03.1985, место неизвестно",
        "место работы: неизвестно",
        "идентификаторы: СНИЛС 112-233-445 95",
    ]


def test_a_consumer_claim_after_the_order_was_cancelled_asks_for_interest_to_the_day_of_payment():
    # Иванов: 8 540,00 + 250,49 (ст. 395) + 23 400,00 (storage, 78 × 300,00 by п. 4.3) = 32 190,49;
    # ≤ 50 000: the magistrate hears the action (ч. 1 ст. 23 ГПК РФ); duty 4 000 (≤ 100 000), no halving.
    court = court_context("ivanov-refusal", "claim")
    assert (court["price"], court["duty"], court["to_recover"]) == (
        "32\u00a0190,49\u00a0руб.",
        "4\u00a0000,00\u00a0руб.",
        "36\u00a0190,49\u00a0руб.",
    )
    assert court["has_storage"]
    assert len(court["demands"]) == 3
    assert "начиная с 24.11.2026 по день фактической уплаты долга (п. 3 ст. 395 ГК РФ" in court["demands"][1]
    assert "отменён определением от 16.11.2026" in court["order_cancelled"]
    assert "(ст. 129 ГПК РФ)" in court["order_cancelled"]
    assert "(п. 6 ст. 132 ГПК РФ)" in court["copy_sent"]
    assert court["attachments"][1]["text"].startswith("Доказательства направления ответчику копии искового заявления")


def test_a_business_claim_continues_the_penalty_only_up_to_its_cap():
    # ООО «Вектор»: 17 977,25 − 5 000,00 = 12 977,25; the penalty 0,1 % a day:
    # 17 977,25 × 0,1 % × 5 = 89,89 (16.10–20.10) + 12 977,25 × 0,1 % × 34 = 441,23 (21.10–23.11) = 531,12;
    # cap 10 % × 17 977,25 = 1 797,73, so 1 797,73 − 531,12 = 1 266,61 may still accrue.
    # Price 13 508,37: arbitrazh, the order cancelled, an action; duty 10 000 (≤ 100 000, ст. 333.21).
    court = court_context("vector-company", "claim")
    assert court["addressee"] == "В Арбитражный суд Московской области"
    assert (court["price"], court["duty"]) == ("13\u00a0508,37\u00a0руб.", "10\u00a0000,00\u00a0руб.")
    assert court["duty_citation"] == "подп. 1 п. 1 ст. 333.21 НК РФ"
    assert "но не более 1\u00a0266,61\u00a0руб." in court["until_paid"]
    assert "(ст. 229.5 АПК РФ)" in court["order_cancelled"]
    assert "ч. 5 ст. 4 АПК РФ" in court["pretension"]
    assert court["debtor_lines"][:3] == [
        "ООО «Вектор»",
        "адрес: 140000, Московская обл., г. Люберцы, ул. Мира, д. 5, офис 12",
        "ИНН 5027323640, КПП 502701001, ОГРН 1195040778503",
    ]


def test_a_capped_penalty_is_claimed_as_it_stands_never_to_the_day_of_payment():
    case, figures = example("vector-company")
    capped = replace(figures, penalty=replace(figures.penalty, capped=True, total=figures.penalty.cap))
    court = document_context(case, SHOP, capped, "claim")["court"]
    assert court["until_paid"] == ""
    assert len(court["demands"]) == 2
    assert all("по день" not in demand for demand in court["demands"])


def test_an_arbitrazh_court_order_costs_at_least_8000():
    # 13 508,37 ≤ 100 000: the action's duty 10 000; the order's half, 5 000, is below the minimum 8 000
    # (подп. 3 п. 1 ст. 333.21 НК РФ).
    court = court_context("vector-company", "court_order", order_cancelled=None)
    assert court["duty"] == "8\u00a0000,00\u00a0руб."
    texts = [item["text"] for item in court["attachments"]]
    assert "Выписка из ЕГРЮЛ (ЕГРИП) в отношении должника" in texts
    assert texts[1].startswith("Доказательства направления должнику копии заявления")


def test_the_attachments_name_the_letters_sent_with_their_numbers_and_dates():
    sent = (
        SentLetter("overdue_notice", "Уведомление о просрочке оплаты", "УВ-2026-0003", date(2026, 9, 28)),
        SentLetter("pretension", "Досудебная претензия", "ПР-2026-0002", date(2026, 10, 20)),
    )
    texts = [item["text"] for item in court_context("smirnova-unpaid", "court_order", sent)["attachments"]]
    assert texts[4:] == [
        "Копия уведомления о просрочке оплаты № УВ-2026-0003 от 28.09.2026 и доказательства её направления "
        "должнику (почтовая квитанция и опись вложения)",
        "Копия досудебной претензии № ПР-2026-0002 от 20.10.2026 и доказательства её направления должнику "
        "(почтовая квитанция и опись вложения)",
    ]


def test_a_pretension_sent_less_than_30_days_ago_keeps_a_business_case_out_of_court():
    case, figures = example("vector-company")
    recent = (SentLetter("pretension", "Досудебная претензия", "ПР-2026-0009", date(2026, 11, 1)),)
    # 01.11 + 30 days = 01.12.2026 > 23.11.2026
    assert not pretension_period_run(case, recent, SAMPLE_AS_OF)
    assert pretension_period_run(case, (), SAMPLE_AS_OF)  # no journal: the lawyer attaches the proof
    with pytest.raises(CalculationError, match="не истёк претензионный срок"):
        document_context(case, SHOP, figures, "claim", recent)


@pytest.mark.parametrize(
    ("stem", "kind", "changes", "expected"),
    [
        ("smirnova-unpaid", "claim", {}, "подаётся после отмены судебного приказа"),
        ("ivanov-refusal", "court_order", {}, "судебный приказ невозможен"),
        ("smirnova-unpaid", "court_order", {"court": None}, "не указан суд: добавьте в"),
        ("kuznetsov-paid", "court_order", {}, "взыскивать нечего"),
    ],
)
def test_a_court_application_the_case_does_not_fit_says_why(stem, kind, changes, expected):
    case, figures = example(stem, **changes)
    assert expected in filing_problem(kind, court_plan_of(case, figures))


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("Мировой судья судебного участка № 5 Тверского района г. Москвы", "Мировому судье судебного участка № 5"),
        ("Арбитражный суд города Москвы", "В Арбитражный суд города Москвы"),
        ("Тверской районный суд г. Москвы", "В Тверской районный суд г. Москвы"),
        ("В Тверской районный суд г. Москвы", "В Тверской районный суд г. Москвы"),
    ],
)
def test_the_header_addresses_the_court_as_named(name, header):
    assert court_addressee(Court(name, "127051, г. Москва")).startswith(header)


def test_the_claim_price_is_the_plan_s():
    case, figures = example("ivanov-refusal")
    plan = court_plan_of(case, figures)
    assert plan is not None
    assert (plan.claim.principal, plan.claim.penalty, plan.claim.storage) == (
        Decimal("8540.00"),
        Decimal("250.49"),
        Decimal("23400.00"),
    )
