"""Which court and which procedure, with the reason printed, at every threshold of the codes
(ГПК РФ ст. 23, 121; АПК РФ ст. 227, 229.2, from data/court_rules.csv); the claim's price;
the court named by the case or, for a business client, by the contract; the whole plan."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from factories import make_case, make_shop, make_terms, pay, rate_table

from pipeline.errors import CalculationError
from pipeline.figures.calc import compute_figures
from pipeline.figures.calendar import weekends_only
from pipeline.figures.court import (
    ACTION,
    ARBITRAZH,
    COURT_ORDER,
    DISTRICT,
    MAGISTRATE,
    SIMPLIFIED,
    ClaimFacts,
    claim_price,
    court_for,
    decide_procedure,
    load_court_rules,
    parse_court_rules,
    plan_court,
    ready_status,
)
from pipeline.figures.state_duty import load_state_duty
from pipeline.models import Client, Court, Order, Storage

ON = date(2026, 12, 2)
RULES = load_court_rules()
NBSP = "\u00a0"
WORLD = Court(
    "Мировой судья судебного участка № 5 Тверского района г. Москвы", "127051, г. Москва, ул. Цветной б-р, д. 25"
)
ARBITR = Court("Арбитражный суд города Москвы", "115225, г. Москва, ул. Большая Тульская, д. 17")


def decide(claim: str, *, business=False, entrepreneur=False, cancelled=False, pretension_run=True):
    facts = ClaimFacts(Decimal(claim), ON, business, entrepreneur, cancelled, pretension_run)
    return decide_procedure(facts, RULES)


# (claim, order cancelled, court, procedure, caution?) for an individual debtor.
INDIVIDUAL = [
    ("32190.49", False, MAGISTRATE, COURT_ORDER, False),
    ("500000.00", False, MAGISTRATE, COURT_ORDER, False),  # ГПК ст. 121: «не превышает 500 000»
    ("500000.01", False, DISTRICT, ACTION, False),  # above the order's limit and the magistrate's
    ("49999.99", True, MAGISTRATE, ACTION, False),  # order cancelled (ст. 129): an action
    ("50000.00", True, MAGISTRATE, ACTION, False),  # ч. 1 ст. 23: a property action up to 50 000
    ("50000.01", True, DISTRICT, ACTION, True),  # up to 100 000 only consumers' claims: a caution
    ("100000.00", True, DISTRICT, ACTION, True),
    ("100000.01", True, DISTRICT, ACTION, False),
]

# (claim, entrepreneur, order cancelled, procedure, caution?) for a business client: always arbitrazh.
BUSINESS = [
    ("13625.16", False, False, COURT_ORDER, False),
    ("500000.00", False, False, COURT_ORDER, False),  # АПК ст. 229.2: «не превышает 500 000»
    ("500000.01", False, False, SIMPLIFIED, True),  # a source gives 750 000 for ст. 229.2
    ("750000.00", False, False, SIMPLIFIED, True),
    ("750000.01", False, False, SIMPLIFIED, False),
    ("800000.00", False, False, SIMPLIFIED, False),  # ст. 227: up to 800 000 for a company
    ("800000.01", False, False, ACTION, True),  # a source gives 1 200 000 for ст. 227
    ("1200000.01", False, False, ACTION, False),
    ("400000.00", True, True, SIMPLIFIED, False),  # ст. 227: up to 400 000 for an entrepreneur
    ("400000.01", True, True, ACTION, True),  # a source gives 600 000
    ("600000.01", True, True, ACTION, False),
    ("100000.00", False, True, SIMPLIFIED, False),  # order cancelled: an action, simplified
]


@pytest.mark.parametrize(("claim", "cancelled", "court", "procedure", "caution"), INDIVIDUAL)
def test_an_individuals_court_and_procedure(claim, cancelled, court, procedure, caution):
    decision = decide(claim, cancelled=cancelled)
    assert (decision.court_type, decision.procedure, bool(decision.caution)) == (court, procedure, caution)
    assert decision.ready and decision.duty_article == "333.19"


@pytest.mark.parametrize(("claim", "entrepreneur", "cancelled", "procedure", "caution"), BUSINESS)
def test_a_business_clients_court_and_procedure(claim, entrepreneur, cancelled, procedure, caution):
    decision = decide(claim, business=True, entrepreneur=entrepreneur, cancelled=cancelled)
    assert (decision.court_type, decision.procedure, bool(decision.caution)) == (ARBITRAZH, procedure, caution)
    assert decision.duty_article == "333.21"


def test_the_reason_cites_the_sum_the_limit_and_the_articles():
    assert decide("32190.49").reason == (
        "судебный приказ: бесспорное требование из договора в письменной форме, "
        f"сумма 32{NBSP}190,49 ≤ 500{NBSP}000 руб. (ст. 121, 122 ГПК РФ)"
    )
    assert decide("60000.00", cancelled=True).reason == (
        "исковое производство: судебный приказ отменён, требование предъявляется в порядке искового "
        f"производства (ст. 129 ГПК РФ); цена иска 60{NBSP}000,00 > 50{NBSP}000 руб. — районный суд "
        "(ч. 1 ст. 23, ст. 24 ГПК РФ)"
    )
    assert decide("900000.00", business=True).reason == (
        f"исковое заявление: сумма 900{NBSP}000,00 > 500{NBSP}000 руб.: судебный приказ невозможен "
        f"(ст. 229.2 АПК РФ); цена иска 900{NBSP}000,00 > 800{NBSP}000 руб. для юридического лица — "
        "общий порядок (ст. 227 АПК РФ)"
    )


def test_a_business_claim_waits_for_the_pretension_period():
    decision = decide("13625.16", business=True, pretension_run=False)
    assert (decision.procedure, decision.ready) == (COURT_ORDER, False)
    assert "ч. 5 ст. 4 АПК РФ" in decision.waiting
    # An individual's claim has no mandatory pretension: the flag does not matter.
    assert decide("13625.16", pretension_run=False).ready


def test_a_rule_before_the_table_starts_is_an_error():
    with pytest.raises(CalculationError, match="нет правила подсудности gpk_order_max на 31.05.2016"):
        decide_procedure(ClaimFacts(Decimal("1000"), date(2016, 5, 31)), RULES)


def test_a_table_without_a_rule_is_refused():
    header = "effective_from,rule,amount,disputed_up_to,source\n"
    with pytest.raises(CalculationError, match="t.csv: нет правил magistrate_action_max"):
        parse_court_rules(header + '2016-06-01,gpk_order_max,500000,,"ГПК РФ ст. 121"\n', "t.csv")
    with pytest.raises(CalculationError, match="t.csv:2: неизвестное правило «gpk_max»"):
        parse_court_rules(header + '2016-06-01,gpk_max,500000,,"x"\n', "t.csv")


# --- the claim's price ---------------------------------------------------------------


def figures_of(case, as_of=ON):
    rates = rate_table(("2026-01-01", "16.00"))
    return compute_figures(case, make_shop(terms=case.terms), as_of, rates, work_calendar=weekends_only())


def test_the_claim_is_the_debt_plus_interest_plus_storage_with_its_basis():
    # 10 000,00 due 06.03.2026 (invoice 01.03 + 5 days), interest 07.03–02.12.2026 = 271 days:
    # 10 000 × 16 % × 271 / 365 = 1 187,95; storage 01.11–02.12.2026 = 32 days − 3 free = 29 × 300 = 8 700.
    case = make_case(storage=Storage(date(2026, 11, 1)))
    price = claim_price(figures_of(case), case.terms)
    assert (price.principal, price.penalty, price.storage) == (Decimal("10000.00"), Decimal("1187.95"), 8700)
    assert price.total == Decimal("19887.95")  # 10 000 + 1 187,95 + 8 700
    assert price.line == (
        f"10{NBSP}000,00 (долг) + 1{NBSP}187,95 (проценты по ст. 395 ГК РФ) + "
        f"8{NBSP}700,00 (хранение, п. 4.3 заказ-наряда) = 19{NBSP}887,95"
    )


def test_storage_without_an_agreed_tariff_is_not_claimed():
    # No basis: the figures charge no fee, and the price would leave it out even if they did.
    case = make_case(storage=Storage(date(2026, 11, 1)), terms=make_terms(storage_basis=None))
    figures = figures_of(case)
    assert claim_price(figures, case.terms).total == Decimal("11187.95")  # 10 000 + 1 187,95
    assert claim_price(figures_of(make_case(storage=Storage(date(2026, 11, 1)))), case.terms).storage == 0


# --- the court and the plan ------------------------------------------------------------


def business_case(**changes):
    case = make_case(**changes)
    client = Client("company", "ООО «Вектор»", "101000, г. Москва, ул. Ленина, д. 2", inn="7707083893")
    return replace(case, client=client)


def test_the_court_comes_from_the_case_or_for_a_business_client_from_the_contract():
    terms = replace(make_terms(), court=ARBITR)
    assert court_for(replace(make_case(), court=WORLD)) == (WORLD, "court")
    assert court_for(business_case(terms=terms))[0] == ARBITR
    # A consumer is not bound by the shop's jurisdiction clause (ЗоЗПП ст. 17).
    assert court_for(make_case(terms=terms)) == (None, "")
    entrepreneur_for_himself = replace(
        business_case(terms=terms), client=Client("entrepreneur", "Соколова Анна Петровна", "101000, г. Москва")
    )
    entrepreneur_for_himself = replace(
        entrepreneur_for_himself, order=Order("ЗН-1", date(2026, 3, 1), personal_use=True)
    )
    assert court_for(entrepreneur_for_himself) == (None, "")


def plan(case, **flags):
    return plan_court(
        case,
        figures_of(case),
        order_cancelled=flags.get("cancelled", False),
        pretension_period_run=flags.get("pretension_run", True),
        rules=RULES,
        duty_table=load_state_duty(),
    )


def test_the_plan_adds_the_duty_to_what_is_recovered():
    result = plan(replace(make_case(), court=WORLD))
    # 10 000 + 1 187,95 = 11 187,95 ≤ 500 000: a court order, duty 4 000 × 50 % = 2 000.
    assert (result.decision.court_type, result.decision.procedure) == (MAGISTRATE, COURT_ORDER)
    assert result.duty.amount == 2000
    assert result.to_recover == Decimal("13187.95")  # 11 187,95 + 2 000
    assert result.status == "готово к суду"


def test_a_case_ready_for_court_without_a_court_names_the_field_to_add():
    result = plan(make_case())
    assert result.court is None
    assert result.status == "готово к суду — укажите суд: добавьте в case.yaml court: с полями name и address"
    assert ready_status(make_case()) == result.status
    assert ready_status(replace(make_case(), court=WORLD)) == "готово к суду"
    assert "terms.court" in ready_status(business_case())


def test_a_case_not_ready_shows_the_would_be_procedure_marked_as_such():
    result = plan(business_case(), pretension_run=False)
    # 11 187,95 ≤ 500 000: an arbitrazh court order, 10 000 × 50 % = 5 000 → not less than 8 000.
    assert (result.decision.procedure, result.duty.amount) == (COURT_ORDER, 8000)
    assert result.status.startswith("не готово к суду: не истёк претензионный срок")


def plan_on(case, as_of):
    return plan_court(
        case,
        figures_of(case, as_of),
        order_cancelled=False,
        pretension_period_run=True,
        rules=RULES,
        duty_table=load_state_duty(),
    )


def test_a_debt_not_yet_overdue_is_not_ready():
    # Due 06.03.2026: on that day 10 000 is owed but nothing is overdue.
    result = plan_on(make_case(), date(2026, 3, 6))
    assert result is not None and result.status == "не готово к суду: срок оплаты не истёк: просрочки нет"


def test_nothing_claimed_no_plan():
    assert plan_on(make_case(payments=(pay("2026-03-02", "10000.00"),)), ON) is None


def test_the_register_says_ready_for_court_and_which_field_names_the_court():
    from pipeline.commands.batch import CaseOutcome
    from pipeline.commands.worklist import status_title
    from pipeline.models import Decision

    case = make_case()
    ready = Decision("ready_for_court", reason="претензия ПР-2026-0001, срок ответа истёк")
    assert status_title(CaseOutcome(case, figures_of(case), ready)) == (
        "готово к суду — укажите суд: добавьте в case.yaml court: с полями name и address"
    )
    named = replace(case, court=WORLD)
    assert status_title(CaseOutcome(named, figures_of(named), ready)) == "готово к суду"
    # Other statuses keep their words.
    assert status_title(CaseOutcome(case, figures_of(case), Decision("closed"))) == "закрыто"


def test_pipeline_figures_prints_the_court_and_adds_it_to_the_json():
    import json
    from pathlib import Path

    from pipeline.commands.figures import run_figures

    root = Path(__file__).resolve().parent.parent
    report = run_figures(root / "cases" / "smirnova-unpaid.yaml", root / "shop.yaml", ON, allow_unconfirmed_rates=True)
    assert "Суд и госпошлина:\n" in report.text
    assert "  Процедура: заявление о вынесении судебного приказа — мировой судья\n" in report.text
    court = json.loads(report.json)["court"]
    # 19 940,50 + 558,40 = 20 498,90 ≤ 500 000: an order; 4 000 × 50 % = 2 000; 20 498,90 + 2 000 = 22 498,90.
    assert (court["decision"]["procedure"], court["duty"]["amount"], court["to_recover"]) == (
        "court_order",
        "2000",
        "22498.90",
    )
    business = run_figures(root / "cases" / "vector-company.yaml", root / "shop.yaml", ON, allow_unconfirmed_rates=True)
    assert "Суд и госпошлина (предварительно, дело ещё не готово к суду):" in business.text
    assert json.loads(business.json)["court"]["status"].startswith("не готово к суду: не истёк претензионный срок")
