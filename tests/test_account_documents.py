"""Issue 16, points 1, 2, 4, 5: the notice to collect the car, the reminder before the due date, the act of
reconciliation and the prepayment letter — their due rules and the figures they print, worked out by hand."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from factories import day, make_case, make_line, make_shop, make_terms, pay, rate_table

from pipeline.documents import DueFacts, kinds_due
from pipeline.figures.calc import compute_figures, compute_reminder_from, compute_storage_fee, with_client_debt
from pipeline.figures.calendar import load_work_calendar
from pipeline.figures.credit import client_debts, client_key, over_credit_limit
from pipeline.figures.reconciliation import reconcile, reconciliation_period
from pipeline.inputs.validate import validate_inputs
from pipeline.models import Client, ReconciliationPeriod, Storage, StorageNotice
from pipeline.store.register import HEADERS, RegisterRow
from pipeline.wording.account import collect_block, credit_block, reconciliation_block

ROOT = Path(__file__).resolve().parent.parent
CALENDAR = load_work_calendar()
D = Decimal
RATES = rate_table(("2020-01-01", "16.00"))


def terms_with(**changes):
    return replace(make_terms(), **changes)


# --- the reminder before the due date --------------------------------------------------------


def test_a_reminder_three_days_before_a_monday_falls_on_the_friday():
    # 30.11.2026 is a Monday; 30 − 3 = 27.11.2026, a Friday and a working day.
    assert date(2026, 11, 30).weekday() == 0
    assert compute_reminder_from(date(2026, 11, 30), 3, CALENDAR) == date(2026, 11, 27)


def test_a_reminder_day_off_moves_back_to_the_previous_working_day():
    # Due Wednesday 13.01.2027; 13 − 5 = 08.01.2027, a New Year holiday (ТК РФ ст. 112), and the
    # days before it back to 31.12.2026 are days off too (ПП РФ № 1466: 31.12.2026 off): 30.12.2026, a Wednesday.
    assert compute_reminder_from(date(2027, 1, 13), 5, CALENDAR) == date(2026, 12, 30)


def test_no_reminder_without_reminder_days_before_or_a_due_date():
    assert compute_reminder_from(date(2026, 11, 30), None, CALENDAR) is None
    assert compute_reminder_from(None, 3, CALENDAR) is None


@pytest.mark.parametrize(
    ("as_of", "due"),
    [("2026-11-26", False), ("2026-11-27", True), ("2026-11-30", True), ("2026-12-01", False)],
)
def test_the_reminder_is_due_from_its_day_to_the_due_date(as_of, due):
    case = make_case(invoice_date="2026-11-20", due_date="2026-11-30", terms=terms_with(reminder_days_before=3))
    figures = compute_figures(case, make_shop(), day(as_of), RATES)
    assert figures.reminder_from == date(2026, 11, 27)
    assert ("payment_reminder" in figures.documents_due) is due


def test_no_reminder_once_paid():
    case = make_case(
        invoice_date="2026-11-20",
        due_date="2026-11-30",
        payments=(pay("2026-11-21", "10000.00"),),
        terms=terms_with(reminder_days_before=3),
    )
    assert "payment_reminder" not in compute_figures(case, make_shop(), day("2026-11-28"), RATES).documents_due


# --- the notice to collect the car --------------------------------------------------------------


def kept_case(notice: StorageNotice | None = None, end: date | None = None):
    return make_case(
        invoice_date="2026-11-19", due_date="2026-11-26", storage=Storage(day("2026-11-20"), end, notice=notice)
    )


def test_the_collect_notice_is_due_while_the_car_is_kept_and_no_notice_is_recorded():
    as_of = day("2026-11-23")
    assert "collect_car_notice" in compute_figures(kept_case(), make_shop(), as_of, RATES).documents_due
    recorded = kept_case(StorageNotice(day("2026-11-21"), day("2026-11-28")))
    assert "collect_car_notice" not in compute_figures(recorded, make_shop(), as_of, RATES).documents_due
    collected = kept_case(end=day("2026-11-22"))
    assert "collect_car_notice" not in compute_figures(collected, make_shop(), as_of, RATES).documents_due


def test_the_collect_deadline_and_the_first_paid_day():
    # Handed on Monday 23.11.2026: 7 days from the next day (ГК РФ ст. 191) end on 30.11.2026, a Monday.
    # Paid storage from 01.12.2026: later than the end of the 3 free days from 20.11 (20, 21, 22.11).
    case = kept_case()
    figures = compute_figures(case, make_shop(), day("2026-11-23"), RATES)
    block = collect_block(case, figures)
    assert (figures.collect_by, block["deadline_short"], block["paid_from_short"]) == (
        date(2026, 11, 30),
        "30.11.2026",
        "01.12.2026",
    )
    assert block["period"] == "7\u00a0(семи) календарных дней"


def test_a_collect_deadline_on_a_sunday_moves_to_the_monday():
    # Handed on Sunday 22.11.2026: 22 + 7 = 29.11.2026, a Sunday → Monday 30.11.2026 (ГК РФ ст. 193).
    figures = compute_figures(kept_case(), make_shop(), day("2026-11-22"), RATES)
    assert figures.collect_by == date(2026, 11, 30)


def test_once_the_notice_is_recorded_storage_is_paid_from_the_day_after_its_deadline():
    # Delivered 23.11, collect by 30.11: free days = max(3, 30.11 − 20.11 + 1 = 11) = 11.
    # On 10.12: held 20.11–10.12 = 21 days, paid 21 − 11 = 10 days × 300,00 = 3 000,00.
    storage = Storage(day("2026-11-20"), notice=StorageNotice(day("2026-11-23"), day("2026-11-30")))
    fee = compute_storage_fee(storage, make_terms().storage, day("2026-12-10"))
    assert (fee.days_held, fee.free_days, fee.paid_days, fee.fee) == (21, 11, 10, D("3000.00"))


# --- the act of reconciliation --------------------------------------------------------------


def reconciled_case(period: ReconciliationPeriod | None = None):
    case = make_case(
        work=(make_line(price="17977.25"),),
        order_date="2026-10-01",
        invoice_date="2026-10-05",
        payments=(pay("2026-10-20", "5000.00"), pay("2026-11-25", "2000.00", "cash")),
    )
    return replace(case, reconciliation=period)


def test_the_act_of_a_later_period_opens_with_the_balance_before_it():
    # Before 01.11: 17 977,25 invoiced − 5 000,00 paid = 12 977,25 opening.
    # In November: debit 0,00, credit 2 000,00; closing 12 977,25 + 0 − 2 000,00 = 10 977,25.
    act = reconcile(reconciled_case(), D("17977.25"), ReconciliationPeriod(day("2026-11-01"), day("2026-11-30")))
    assert (act.opening, act.debit_total, act.credit_total, act.closing) == (
        D("12977.25"),
        D("0.00"),
        D("2000.00"),
        D("10977.25"),
    )
    assert [(entry.day, entry.kind) for entry in act.entries] == [(date(2026, 11, 25), "payment")]


def test_the_act_of_the_whole_order_prints_the_turnover_and_who_owes_whom():
    # 01.10–23.11 (the order date to the as-of date): debit 17 977,25; credit 5 000,00 (the 25.11 payment is later);
    # closing 17 977,25 − 5 000,00 = 12 977,25 owed to the shop.
    case = reconciled_case()
    figures = compute_figures(case, make_shop(), day("2026-11-23"), RATES)
    assert reconciliation_period(case, day("2026-11-23")) == ReconciliationPeriod(day("2026-10-01"), day("2026-11-23"))
    block = reconciliation_block(case, make_shop(), figures)
    assert (block["opening_debit"], block["debit_total"], block["credit_total"], block["closing_debit"]) == (
        "",
        "17\u00a0977,25",
        "5\u00a0000,00",
        "12\u00a0977,25",
    )
    assert [row["document"] for row in block["rows"]] == [
        "Реализация (счёт № 1 от 05.10.2026)",
        "Оплата (безналичным переводом)",
    ]
    assert block["result"].startswith("На 23.11.2026 задолженность в пользу ООО «Автосервис Плюс» составляет 12")


def test_an_overpaid_act_closes_in_the_clients_favour():
    # 1 000,00 invoiced, 1 500,00 paid: closing −500,00, in the credit column, owed to the client.
    case = make_case(
        total="1000.00", order_date="2026-10-01", invoice_date="2026-10-05", payments=(pay("2026-10-06", "1500.00"),)
    )
    block = reconciliation_block(case, make_shop(), compute_figures(case, make_shop(), day("2026-11-23"), RATES))
    assert (block["closing_debit"], block["closing_credit"]) == ("", "500,00")
    assert "в пользу Иванов Иван Иванович составляет 500,00" in block["result"]


def test_a_period_that_runs_backwards_is_a_located_error(tmp_path):
    text = (ROOT / "cases" / "vector-second-order.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "case.yaml"
    bad.write_text(text.replace("to: 2026-11-23", "to: 2026-10-23"), encoding="utf-8")
    problems = [str(problem) for problem in validate_inputs([bad], ROOT / "shop.yaml").problems]
    assert [p.split(": ", 1)[1] for p in problems] == [
        "reconciliation.to: конец периода сверки раньше его начала (01.11.2026) (дата не раньше 2026-11-01)"
    ]
    assert problems[0].startswith(f"{bad}:")


# --- the client's debt across cases and the credit limit ----------------------------------------


def company_case(case_id: str, order_date: str, total: str, inn: str = "5027323640"):
    case = make_case(
        total=total,
        order_date=order_date,
        invoice_date=order_date,
        terms=terms_with(prepayment_basis="п. 3.2 Правил обслуживания клиентов"),
    )
    client = Client("company", "ООО «Вектор»", "г. Люберцы", phone="+7 495 765-43-21", inn=inn)
    return replace(case, id=case_id, client=client, order=replace(case.order, number=f"ЗН-{case_id}"))


def test_two_cases_of_one_inn_add_up_over_the_limit():
    # 12 977,25 + 9 000,00 = 21 977,25 > 10 000,00; 11 977,25 over; the older order carries the letter.
    first, second = company_case("0171", "2026-10-01", "12977.25"), company_case("0205", "2026-11-16", "9000.00")
    debts = client_debts([(second, D("9000.00")), (first, D("12977.25"))])
    assert debts["0171"] == debts["0205"]
    assert debts["0171"].total == D("21977.25")
    assert over_credit_limit(debts["0171"], D("10000.00"))
    assert debts["0171"].is_lead("0171") and not debts["0171"].is_lead("0205")
    figures = compute_figures(first, make_shop(), day("2026-11-23"), RATES)
    block = credit_block(first, with_client_debt(first, figures, debts["0171"]))
    assert (block["debt"], block["excess"], block["several"]) == (
        "21\u00a0977,25\u00a0руб.",
        "11\u00a0977,25\u00a0руб.",
        True,
    )
    assert block["orders"] == "№ ЗН-0171 — 12\u00a0977,25\u00a0руб.; № ЗН-0205 — 9\u00a0000,00\u00a0руб."


def test_the_prepayment_letter_goes_once_per_client_and_only_with_a_basis():
    first, second = company_case("0171", "2026-10-01", "12977.25"), company_case("0205", "2026-11-16", "9000.00")
    debts = client_debts([(first, D("12977.25")), (second, D("9000.00"))])
    as_of = day("2026-11-23")

    def due(case):
        figures = compute_figures(case, make_shop(), as_of, RATES)
        return "prepayment_notice" in with_client_debt(case, figures, debts[case.id]).documents_due

    assert (due(first), due(second)) == (True, False)
    without_basis = replace(first, terms=replace(first.terms, prepayment_basis=None))
    facts = DueFacts(without_basis, None, as_of, D("12977.25"), 0, None, debts["0171"])
    assert "prepayment_notice" not in kinds_due(facts)


def test_at_the_limit_exactly_nothing_is_exceeded():
    # 6 000,00 + 4 000,00 = 10 000,00: not above 10 000,00.
    first, second = company_case("1", "2026-10-01", "6000.00"), company_case("2", "2026-10-02", "4000.00")
    debts = client_debts([(first, D("6000.00")), (second, D("4000.00"))])
    assert not over_credit_limit(debts["1"], D("10000.00"))


def test_without_inn_a_client_is_its_name_and_phone():
    one = Client("person", "Иванов Иван Иванович", "", phone="+7 900 123-45-67")
    same = Client("person", "иванов  иван  иванович", "", phone="8 (900) 123-45-67")
    other_phone = Client("person", "Иванов Иван Иванович", "", phone="+7 900 000-00-00")
    assert client_key(one, "a") == client_key(same, "b")
    assert client_key(one, "a") != client_key(other_phone, "c")
    assert client_key(Client("person", "Иванов Иван Иванович", ""), "a") != client_key(
        Client("person", "Иванов Иван Иванович", ""), "b"
    )


def test_the_register_has_the_over_limit_column():
    row = RegisterRow("ZN-1", "ООО «Вектор»", "", D("1"), 0, D("0"), D("0"), D("1"), "", "", "закрыто", "да")
    # the twelfth column, after which the worklist's columns follow (store/register.py)
    assert HEADERS[11] == "Превышен лимит" and row.cells()[11] == "да"
